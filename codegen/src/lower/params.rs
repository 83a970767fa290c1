//! Parameters: path-level and operation-level ones merged, located, typed, and given
//! their serialization style.

use super::refs;
use super::{Hint, Lowerer, ModelMap};
use crate::error::{Error, Result};
use crate::ir::{Location, ModelKind, Models as _, Param, ParamShape as Shape, ParamStyle, Type};
use crate::naming::{snake_ident, UniqueNames};
use crate::pointer::Pointer;
use indexmap::IndexMap;
use openapiv3::{Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr};

/// Parameters by (name, location), each with where it is defined.
type Merged = IndexMap<(String, &'static str), (Parameter, Pointer)>;

/// Header parameters OpenAPI says to ignore: the client sets these itself.
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

impl Lowerer<'_> {
    /// Path-level parameters (`shared`, with the path item's location) overridden by
    /// operation-level ones of the same name and location, in declaration order.
    pub(super) fn params(
        &mut self,
        id: &str,
        op: &openapiv3::Operation,
        (shared, path_item_at): (&[ReferenceOr<Parameter>], &Pointer),
        at: &Pointer,
        names: &mut UniqueNames,
    ) -> Result<Vec<Param>> {
        let merged = self.merge_params(op, shared, path_item_at, at)?;
        let mut out = Vec::with_capacity(merged.len());
        for (param, param_at) in merged.into_values() {
            if let Some(param) = self.param(id, &param, &param_at, names)? {
                out.push(param);
            }
        }
        Ok(out)
    }

    fn merge_params(
        &self,
        op: &openapiv3::Operation,
        shared: &[ReferenceOr<Parameter>],
        path_item_at: &Pointer,
        at: &Pointer,
    ) -> Result<Merged> {
        let mut merged = IndexMap::new();
        let sources = shared
            .iter()
            .enumerate()
            .map(|(i, p)| (p, path_item_at.join("parameters").join(i)))
            .chain(
                op.parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, at.join("parameters").join(i))),
            );
        for (param, param_at) in sources {
            let (param, param_at) = refs::resolve::<Parameter>(self.doc, param, &param_at)?;
            let location = match &*param {
                Parameter::Query { .. } => "query",
                Parameter::Header { .. } => "header",
                Parameter::Path { .. } => "path",
                Parameter::Cookie { .. } => "cookie",
            };
            let name = param.parameter_data_ref().name.clone();
            merged.insert((name, location), (param.into_owned(), param_at));
        }
        Ok(merged)
    }

    /// One parameter, or `None` for those that are not sent (ignored headers, cookies).
    fn param(
        &mut self,
        id: &str,
        param: &Parameter,
        at: &Pointer,
        names: &mut UniqueNames,
    ) -> Result<Option<Param>> {
        let data = param.parameter_data_ref();
        let wire = &data.name;
        let (location, style) = match param {
            Parameter::Path { .. } => (Location::Path, ParamStyle::Simple),
            Parameter::Header { .. } => {
                if IGNORED_HEADERS.contains(&wire.to_ascii_lowercase().as_str()) {
                    return Ok(None);
                }
                (Location::Header, ParamStyle::Simple)
            }
            Parameter::Query { style, .. } => {
                let explode = data.explode.unwrap_or(matches!(style, QueryStyle::Form));
                let style = match style {
                    QueryStyle::Form => ParamStyle::Form { explode },
                    QueryStyle::SpaceDelimited => ParamStyle::Delimited(' '),
                    QueryStyle::PipeDelimited => ParamStyle::Delimited('|'),
                    QueryStyle::DeepObject => ParamStyle::DeepObject,
                };
                (Location::Query, style)
            }
            Parameter::Cookie { .. } => {
                self.warn(
                    at,
                    "cookie parameters are not sent: the parameter is left out",
                );
                return Ok(None);
            }
        };
        let (ty, sample) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let hint = Hint::Suggest(format!("{id}_{wire}"));
                let schema_at = at.join("schema");
                let ty = self.schema_node(schema, &schema_at, hint)?.ty;
                (ty, self.sample(schema, &schema_at)?)
            }
            ParameterSchemaOrContent::Content(_) => {
                self.warn(at, "parameter with `content` is sent as a plain string");
                (Type::String, None)
            }
        };
        let ty = match ty {
            Type::Option(inner) => *inner,
            other => other,
        };
        let shape = shape(&ty, &self.models).ok_or_else(|| {
            Error::new(
                at.to_string(),
                "parameters must be scalars, enums, arrays of those, or (in the query) objects",
            )
        })?;
        let style = match (shape, location, style) {
            (Shape::Object, Location::Query, style) => style,
            (Shape::Object, _, _) => {
                return Err(Error::new(
                    at.to_string(),
                    "object-typed path and header parameters are not supported: only query parameters may be objects",
                ))
            }
            (_, _, ParamStyle::DeepObject) => {
                self.warn(
                    at,
                    "`style: deepObject` on a parameter that is not an object: sent as `form`",
                );
                ParamStyle::Form { explode: true }
            }
            (_, _, style) => style,
        };
        Ok(Some(Param {
            name: names.claim(snake_ident(wire)),
            wire: wire.clone(),
            location,
            ty,
            shape,
            required: data.required || location == Location::Path,
            doc: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
            style,
            sample,
        }))
    }
}

/// How a parameter type is written: a scalar (or string enum), an array of scalars, or
/// an object (a struct or a map of scalars); `None` for anything else.
fn shape(ty: &Type, models: &ModelMap) -> Option<Shape> {
    match models.dealias(ty) {
        Type::Bool | Type::I32 | Type::I64 | Type::F32 | Type::F64 | Type::String => {
            Some(Shape::Scalar)
        }
        Type::Named(n) => match models.kind(n)? {
            ModelKind::Enum(_) => Some(Shape::Scalar),
            ModelKind::Struct(_) => Some(Shape::Object),
            // An alias here is the end of a cycle, which lowering refused.
            ModelKind::Alias(_) | ModelKind::Union(_) | ModelKind::Newtype(_) => None,
        },
        Type::Vec(inner) => (shape(inner, models)? == Shape::Scalar).then_some(Shape::Array),
        Type::Map(inner) => (shape(inner, models)? == Shape::Scalar).then_some(Shape::Object),
        Type::JsonObject => Some(Shape::Object),
        Type::Bytes | Type::Json | Type::Option(_) => None,
    }
}
