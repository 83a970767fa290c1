//! The order serde tries the variants of an untagged union in.

use super::ModelMap;
use crate::ir::{ModelKind, Models as _, Type, UnionVariant};
use crate::naming::RustIdent;

/// Every untagged union's variants are in the order they are tried.
pub struct UnionsOrdered(());

/// How specific a variant's shape is: the most specific is tried first, so that a looser
/// shape does not swallow it. Arrays come before structs (a derived struct also reads a
/// JSON array, positionally); a struct ranks by its required fields on top of
/// [`STRUCT`], so the one requiring more comes first; scalars come before the
/// catch-alls: strings, forward-compatible enums (which take any string), any JSON.
mod rank {
    pub const ARRAY: usize = 1000;
    pub const STRUCT: usize = 100;
    pub const UNION: usize = 60;
    /// An alias, a newtype, or a name that is not a model.
    pub const OTHER_MODEL: usize = 50;
    pub const MAP: usize = 35;
    pub const BOOL: usize = 30;
    pub const INTEGER: usize = 25;
    pub const FLOAT: usize = 20;
    pub const ENUM: usize = 15;
    pub const STRING: usize = 10;
    pub const NULLABLE: usize = 5;
    pub const ANY_JSON: usize = 0;
}

fn rank(models: &ModelMap, ty: &Type) -> usize {
    match ty {
        Type::Vec(_) => rank::ARRAY,
        Type::Named(n) => match models.kind(n) {
            Some(ModelKind::Struct(s)) => {
                rank::STRUCT + s.fields.iter().filter(|f| f.presence.is_required()).count()
            }
            Some(ModelKind::Union(_)) => rank::UNION,
            Some(ModelKind::Alias(_) | ModelKind::Newtype(_)) | None => rank::OTHER_MODEL,
            Some(ModelKind::Enum(_)) => rank::ENUM,
        },
        Type::Map(_) | Type::JsonObject => rank::MAP,
        Type::Bool => rank::BOOL,
        Type::I32 | Type::I64 => rank::INTEGER,
        Type::F32 | Type::F64 => rank::FLOAT,
        Type::String | Type::Bytes => rank::STRING,
        Type::Option(_) => rank::NULLABLE,
        Type::Json => rank::ANY_JSON,
    }
}

/// Sorts the variants of every untagged union by [`rank`], most specific first. The
/// sort is stable: ties keep spec order.
pub fn order(models: &mut ModelMap) -> UnionsOrdered {
    let names: Vec<RustIdent> = models.keys().cloned().collect();
    for name in names {
        let Some(ModelKind::Union(u)) = models.kind(&name) else {
            continue;
        };
        if u.tag.is_some() {
            continue;
        }
        let mut ranked: Vec<(usize, UnionVariant)> = u
            .variants
            .iter()
            .map(|v| (rank(models, &v.ty), v.clone()))
            .collect();
        ranked.sort_by_key(|(r, _)| std::cmp::Reverse(*r));
        if let Some(ModelKind::Union(u)) = models.get_mut(&name).map(|m| &mut m.kind) {
            u.variants = ranked.into_iter().map(|(_, v)| v).collect();
        }
    }
    UnionsOrdered(())
}
