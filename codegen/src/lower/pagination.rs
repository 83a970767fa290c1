//! Which operations page by limit and offset, and where their items are.

use super::read_only::FieldsSettled;
use super::ModelMap;
use crate::ir::{
    Location, Method, ModelKind, Models as _, Operation, Pagination, Presence, Response, Type,
};

/// The wire names a limit/offset list operation uses (Clerk's convention): the query
/// parameters, and the fields of the page.
const LIMIT_PARAM: &str = "limit";
const OFFSET_PARAM: &str = "offset";
const DATA_FIELD: &str = "data";
const TOTAL_FIELD: &str = "total_count";

/// A GET with optional integer `limit` and `offset` query parameters, no body, and a
/// response that is a `{data: [...], total_count}` wrapper or a bare array pages by
/// offset. Read from the settled fields (a read-only `data` of a struct that is also
/// sent is optional, and then the page is not one).
pub fn detect(models: &ModelMap, op: &Operation, _: &FieldsSettled) -> Option<Pagination> {
    let param = |wire: &str| {
        op.params
            .iter()
            .find(|p| p.location == Location::Query && p.wire == wire && !p.required)
            .filter(|p| is_integer(&p.ty))
            .map(|p| (p.name.clone(), p.ty.clone()))
    };
    let (limit, offset) = (param(LIMIT_PARAM)?, param(OFFSET_PARAM)?);
    if op.method != Method::Get || op.body.is_some() {
        return None;
    }
    let Response::Json(ty) = &op.response else {
        return None;
    };
    let (item, data_field, total_field) = match models.dealias(ty) {
        Type::Vec(item) => ((**item).clone(), None, None),
        Type::Named(n) => {
            let ModelKind::Struct(s) = models.kind(n)? else {
                return None;
            };
            let data = s
                .fields
                .iter()
                .find(|f| f.wire == DATA_FIELD && f.presence == Presence::Required)?;
            let Type::Vec(item) = models.dealias(&data.ty) else {
                return None;
            };
            let total = s
                .fields
                .iter()
                .find(|f| f.wire == TOTAL_FIELD && is_integer(&f.ty))
                .map(|f| {
                    (
                        f.name.clone(),
                        f.ty.clone(),
                        f.presence != Presence::Required,
                    )
                });
            ((**item).clone(), Some(data.name.clone()), total)
        }
        _ => return None,
    };
    Some(Pagination {
        page: ty.clone(),
        params: op.call.params_struct.clone()?,
        item,
        data_field,
        total_field,
        limit,
        offset,
    })
}

fn is_integer(ty: &Type) -> bool {
    matches!(ty, Type::I64 | Type::I32)
}
