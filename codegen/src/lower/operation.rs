//! Paths and operations -> IR operations, grouped by their first tag.

use super::refs::resolve;
use super::{Hint, Lowerer};
use crate::error::{Error, Result};
use crate::ir::{
    ArrayStyle, Body, BodyMedia, Location, Method, Operation, Param, PathSegment, Response, Type,
};
use crate::naming::{snake_ident, type_name, UniqueNames};
use crate::pointer::Pointer;
use indexmap::IndexMap;
use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, StatusCode,
};

/// Methods the hand-written runtime defines on `Client`; an operation may not take them.
const RUNTIME_METHODS: &[&str] = &[
    "new",
    "from_env",
    "builder",
    "base_url",
    "with_base_url",
    "with_options",
    "send",
    "clone",
    "fmt",
    "api_version",
];

/// Tag for operations without one.
const UNTAGGED: &str = "untagged";

impl<'a> Lowerer<'a> {
    /// Every operation in spec order, with the tag whose module it belongs in.
    pub(super) fn lower_operations(&mut self) -> Result<Vec<(String, Operation)>> {
        let doc = self.doc;
        for reserved in RUNTIME_METHODS {
            self.fn_names.reserve(reserved);
        }
        let mut seen_ids: IndexMap<String, Pointer> = IndexMap::new();
        let mut out = Vec::new();
        let paths_at = Pointer::root().join("paths");
        for (path, item) in doc.api.paths.iter() {
            let path_at = paths_at.join(path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    return Err(Error::new(
                        path_at.to_string(),
                        "path item `$ref`s are not supported",
                    ))
                }
            };
            for (method_name, op) in item.iter() {
                let at = path_at.join(method_name);
                let method = parse_method(method_name);
                let id = match &op.operation_id {
                    Some(id) if !id.trim().is_empty() => id.clone(),
                    _ => {
                        let derived = format!("{method_name} {path}");
                        self.warn(
                            &at,
                            format!("no operationId: named {:?}", snake_ident(&derived)),
                        );
                        derived
                    }
                };
                if let Some(first) = seen_ids.insert(id.clone(), at.clone()) {
                    return Err(Error::new(
                        at.to_string(),
                        format!("operationId {id:?} is already used at {first}"),
                    ));
                }
                let fn_name = self.fn_names.claim(snake_ident(&id));
                let shared = (&item.parameters[..], &path_at);
                let lowered = self.operation(path, method, &id, fn_name, op, shared, &at)?;
                let tag = op
                    .tags
                    .first()
                    .cloned()
                    .unwrap_or_else(|| UNTAGGED.to_owned());
                out.push((tag, lowered));
            }
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        path: &str,
        method: Method,
        id: &str,
        fn_name: String,
        op: &openapiv3::Operation,
        shared_params: (&[ReferenceOr<Parameter>], &Pointer),
        at: &Pointer,
    ) -> Result<Operation> {
        let mut arg_names = UniqueNames::new();
        // Names the generated method body and stream closure use for their own locals.
        for reserved in [
            "params",
            "body",
            "self",
            "request",
            "client",
            "page",
            "page_size",
            "page_offset",
        ] {
            arg_names.reserve(reserved);
        }
        let params = self.params(id, op, shared_params, at, &mut arg_names)?;
        let segments = segments(path, &params, at)?;
        let params_struct = params
            .iter()
            .any(|p| !p.required)
            .then(|| self.type_names.claim(type_name(&format!("{id}_params"))));
        let body = match &op.request_body {
            Some(body) => self.body(id, body, &at.join("requestBody"))?,
            None => None,
        };
        let response = self.response(id, &op.responses, &at.join("responses"))?;
        let error_statuses = self.error_statuses(&op.responses, &at.join("responses"));
        Ok(Operation {
            id: id.to_owned(),
            fn_name,
            method,
            path: path.to_owned(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            segments,
            params,
            params_struct,
            body,
            response,
            pagination: None,
            error_statuses,
        })
    }

    /// Path-level parameters (`shared`, with the path item's location) overridden by
    /// operation-level ones of the same name and location, in declaration order.
    fn params(
        &mut self,
        id: &str,
        op: &openapiv3::Operation,
        (shared, path_item_at): (&[ReferenceOr<Parameter>], &Pointer),
        at: &Pointer,
        names: &mut UniqueNames,
    ) -> Result<Vec<Param>> {
        let doc = self.doc;
        let mut merged: IndexMap<(String, &'static str), (Parameter, Pointer)> = IndexMap::new();
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
            let (param, param_at) = match param {
                ReferenceOr::Item(p) => (p.clone(), param_at),
                ReferenceOr::Reference { reference } => {
                    let (p, p_at) = resolve(
                        doc,
                        |d| d.api.components.as_ref().map(|c| &c.parameters),
                        "parameters",
                        reference,
                        &param_at,
                    )?;
                    (p.into_owned(), p_at)
                }
            };
            let location = match &param {
                Parameter::Query { .. } => "query",
                Parameter::Header { .. } => "header",
                Parameter::Path { .. } => "path",
                Parameter::Cookie { .. } => "cookie",
            };
            let name = param.parameter_data_ref().name.clone();
            merged.insert((name, location), (param, param_at));
        }

        let mut out = Vec::with_capacity(merged.len());
        for ((wire, _), (param, param_at)) in merged {
            let (location, style) = match &param {
                Parameter::Path { .. } => (Location::Path, ArrayStyle::Joined(',')),
                Parameter::Header { .. } => {
                    if ["accept", "content-type", "authorization"]
                        .contains(&wire.to_ascii_lowercase().as_str())
                    {
                        // OpenAPI says these header parameters are ignored.
                        continue;
                    }
                    (Location::Header, ArrayStyle::Joined(','))
                }
                Parameter::Query {
                    style,
                    parameter_data,
                    ..
                } => {
                    let explode = parameter_data
                        .explode
                        .unwrap_or(matches!(style, QueryStyle::Form));
                    let style = match style {
                        QueryStyle::Form if explode => ArrayStyle::Repeat,
                        QueryStyle::Form => ArrayStyle::Joined(','),
                        QueryStyle::SpaceDelimited => ArrayStyle::Joined(' '),
                        QueryStyle::PipeDelimited => ArrayStyle::Joined('|'),
                        QueryStyle::DeepObject => {
                            return Err(Error::new(
                                param_at.to_string(),
                                "query parameters with `style: deepObject` are not supported",
                            ))
                        }
                    };
                    (Location::Query, style)
                }
                Parameter::Cookie { .. } => {
                    self.warn(
                        &param_at,
                        "cookie parameters are not sent: the parameter is left out",
                    );
                    continue;
                }
            };
            let data = param.parameter_data_ref();
            let (ty, sample) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let hint = Hint::Suggest(format!("{id}_{wire}"));
                    let schema_at = param_at.join("schema");
                    let ty = self.schema_ref(schema, &schema_at, hint)?.ty;
                    (ty, self.sample(schema, &schema_at))
                }
                ParameterSchemaOrContent::Content(_) => {
                    self.warn(
                        &param_at,
                        "parameter with `content` is sent as a plain string",
                    );
                    (Type::String, None)
                }
            };
            let ty = match ty {
                Type::Option(inner) => *inner,
                other => other,
            };
            if !param_type_supported(&ty, &self.models) {
                return Err(Error::new(
                    param_at.to_string(),
                    "only scalar, enum and array-of-scalar parameters are supported",
                ));
            }
            out.push(Param {
                name: names.claim(snake_ident(&wire)),
                wire,
                location,
                ty,
                required: data.required || location == Location::Path,
                doc: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
                style,
                sample,
            });
        }
        Ok(out)
    }

    fn body(
        &mut self,
        id: &str,
        body: &ReferenceOr<openapiv3::RequestBody>,
        at: &Pointer,
    ) -> Result<Option<Body>> {
        let doc = self.doc;
        let (body, at) = match body {
            ReferenceOr::Item(b) => (std::borrow::Cow::Borrowed(b), at.clone()),
            ReferenceOr::Reference { reference } => resolve(
                doc,
                |d| d.api.components.as_ref().map(|c| &c.request_bodies),
                "requestBodies",
                reference,
                at,
            )?,
        };
        let Some((media_name, media, kind)) = pick_request_media(&body.content) else {
            if body.content.is_empty() {
                return Ok(None);
            }
            let names: Vec<_> = body.content.keys().cloned().collect();
            return Err(Error::new(
                at.join("content").to_string(),
                format!("no supported request media type among {names:?}"),
            ));
        };
        let media_at = at.join("content").join(media_name);
        let hint = Hint::Suggest(format!("{id}_request"));
        let ty = match (&media.schema, kind) {
            (_, BodyMedia::Bytes) => Type::Bytes,
            (None, BodyMedia::Json) => Type::Json,
            (None, _) => {
                return Err(Error::new(
                    media_at.to_string(),
                    "form bodies need a schema",
                ));
            }
            (Some(schema), _) => self.schema_ref(schema, &media_at.join("schema"), hint)?.ty,
        };
        // Multipart parts come from struct fields; a urlencoded form may also be a
        // free-form object (`{type: object}` with no properties means "no fields").
        let shape_ok = match kind {
            BodyMedia::Multipart => self.is_struct(&ty),
            BodyMedia::Form => self.is_struct(&ty) || matches!(ty, Type::JsonObject | Type::Map(_)),
            BodyMedia::Json | BodyMedia::Bytes => true,
        };
        if !shape_ok {
            return Err(Error::new(
                media_at.join("schema").to_string(),
                "form and multipart bodies must be objects with properties",
            ));
        }
        Ok(Some(Body {
            ty,
            media: kind,
            required: body.required,
        }))
    }

    fn is_struct(&self, ty: &Type) -> bool {
        match ty {
            Type::Named(n) => match self.models.get(n).map(|m| &m.kind) {
                Some(crate::ir::ModelKind::Struct(_)) => true,
                Some(crate::ir::ModelKind::Alias(inner)) => self.is_struct(inner),
                _ => false,
            },
            _ => false,
        }
    }

    /// A response, following a `$ref` into `components/responses`.
    fn resolve_response<'r>(
        &self,
        response: &'r ReferenceOr<openapiv3::Response>,
        at: &Pointer,
    ) -> Result<(std::borrow::Cow<'r, openapiv3::Response>, Pointer)>
    where
        'a: 'r,
    {
        match response {
            ReferenceOr::Item(r) => Ok((std::borrow::Cow::Borrowed(r), at.clone())),
            ReferenceOr::Reference { reference } => resolve(
                self.doc,
                |d| d.api.components.as_ref().map(|c| &c.responses),
                "responses",
                reference,
                at,
            ),
        }
    }

    /// 4xx statuses whose response is JSON with an `errors` array property.
    fn error_statuses(&self, responses: &openapiv3::Responses, at: &Pointer) -> Vec<u16> {
        let mut statuses = Vec::new();
        for (code, response) in &responses.responses {
            let StatusCode::Code(status @ 400..=499) = code else {
                continue;
            };
            let response_at = at.join(status);
            let resolved = self
                .resolve_response(response, &response_at)
                .ok()
                .map(|(r, _)| r);
            let has_errors_array = resolved.as_deref().is_some_and(|r| {
                pick_response_media(&r.content).is_some_and(|(_, media, kind)| {
                    kind == ResponseMedia::Json
                        && media.schema.as_ref().is_some_and(|schema| {
                            self.resolve_schema(schema, &response_at)
                                .is_ok_and(|(s, _)| schema_has_property(&s, "errors"))
                        })
                })
            });
            if has_errors_array {
                statuses.push(*status);
            }
        }
        statuses.sort_unstable();
        statuses
    }

    /// The success response: the lowest 2xx status that has one, else `2XX`, else `default`.
    fn response(
        &mut self,
        id: &str,
        responses: &openapiv3::Responses,
        at: &Pointer,
    ) -> Result<Response> {
        let mut success: Vec<(u16, String, &ReferenceOr<openapiv3::Response>)> = responses
            .responses
            .iter()
            .filter_map(|(code, r)| match code {
                StatusCode::Code(c) if (200..300).contains(c) => Some((*c, c.to_string(), r)),
                StatusCode::Range(2) => Some((299, "2XX".to_owned(), r)),
                _ => None,
            })
            .collect();
        success.sort_by_key(|(c, _, _)| *c);
        let chosen = match success.first() {
            Some((_, key, r)) => Some((key.clone(), *r)),
            None => responses
                .default
                .as_ref()
                .map(|r| ("default".to_owned(), r)),
        };
        let Some((key, response)) = chosen else {
            return Ok(Response::Empty);
        };
        let response_at = at.join(&key);
        let (response, response_at) = self.resolve_response(response, &response_at)?;
        let lowered = match pick_response_media(&response.content) {
            None => Response::Empty,
            Some((_, _, ResponseMedia::Text)) => Response::Text,
            Some((_, _, ResponseMedia::Bytes)) => Response::Bytes,
            Some((name, media, ResponseMedia::Json)) => match &media.schema {
                None => Response::Json(Type::Json),
                Some(schema) => {
                    let schema_at = response_at.join("content").join(name).join("schema");
                    let hint = Hint::Suggest(format!("{id}_response"));
                    let lowered = self.schema_ref(schema, &schema_at, hint)?;
                    match lowered.ty {
                        ty if lowered.nullable => Response::Json(Type::Option(Box::new(ty))),
                        ty => Response::Json(ty),
                    }
                }
            },
        };
        // Other 2xx answers: an empty one makes the body optional; one with a different
        // body cannot be typed and is named in a warning.
        let mut empty_other = false;
        let mut differing = Vec::new();
        let chosen_media = pick_response_media(&response.content).map(|(_, m, _)| m.schema.clone());
        for (_, other_key, other) in success.iter().filter(|(_, k, _)| *k != key) {
            let other = self
                .resolve_response(other, &at.join(other_key))
                .ok()
                .map(|(r, _)| r);
            match other
                .as_deref()
                .map(|r| pick_response_media(&r.content).map(|(_, m, _)| m.schema.clone()))
            {
                Some(None) => empty_other = true,
                Some(schema) if schema == chosen_media => {}
                _ => differing.push(other_key.clone()),
            }
        }
        if !differing.is_empty() && lowered != Response::Empty {
            self.warn(
                at,
                format!("several 2xx responses: the {key} body type is used for {differing:?} too"),
            );
        }
        let lowered = match lowered {
            Response::Json(ty) if empty_other => Response::JsonOrEmpty(ty),
            other => other,
        };
        Ok(lowered)
    }
}

fn schema_has_property(schema: &openapiv3::Schema, name: &str) -> bool {
    super::schema::View::of(schema)
        .properties
        .is_some_and(|p| p.contains_key(name))
}

fn parse_method(name: &str) -> Method {
    match name {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        _ => Method::Trace,
    }
}

/// Splits `/a/{id}/b` into literal and parameter pieces; every `{name}` must be a
/// declared path parameter and every path parameter must appear.
fn segments(path: &str, params: &[Param], at: &Pointer) -> Result<Vec<PathSegment>> {
    let mut out = Vec::new();
    let mut rest = path;
    let mut used = Vec::new();
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| Error::new(at.to_string(), format!("unclosed `{{` in path {path:?}")))?;
        if open > 0 {
            out.push(PathSegment::Literal(rest[..open].to_owned()));
        }
        let name = &rest[open + 1..close];
        let index = params
            .iter()
            .position(|p| p.location == Location::Path && p.wire == name)
            .ok_or_else(|| {
                Error::new(
                    at.to_string(),
                    format!("path template names {{{name}}} but no path parameter declares it"),
                )
            })?;
        used.push(index);
        out.push(PathSegment::Param(index));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(PathSegment::Literal(rest.to_owned()));
    }
    if let Some(unused) = params
        .iter()
        .enumerate()
        .find(|(i, p)| p.location == Location::Path && !used.contains(i))
    {
        return Err(Error::new(
            at.to_string(),
            format!(
                "path parameter {:?} does not appear in the path {path:?}",
                unused.1.wire
            ),
        ));
    }
    Ok(out)
}

fn param_type_supported(
    ty: &Type,
    models: &std::collections::BTreeMap<String, crate::ir::Model>,
) -> bool {
    use crate::ir::ModelKind;
    match ty {
        Type::Bool | Type::I32 | Type::I64 | Type::F32 | Type::F64 | Type::String => true,
        Type::Named(n) => match models.get(n).map(|m| &m.kind) {
            Some(ModelKind::Enum(_)) => true,
            Some(ModelKind::Alias(inner)) => param_type_supported(inner, models),
            _ => false,
        },
        Type::Vec(inner) => !matches!(**inner, Type::Vec(_)) && param_type_supported(inner, models),
        _ => false,
    }
}

/// A media type without parameters, lower-cased (`Application/JSON; charset=utf-8` ->
/// `application/json`).
fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

/// The first media type of `content` whose kind comes earliest in `preference`.
fn pick_media<'a, K: Copy + PartialEq>(
    content: &'a IndexMap<String, MediaType>,
    preference: &[K],
    kind: impl Fn(&str) -> Option<K>,
) -> Option<(&'a String, &'a MediaType, K)> {
    preference.iter().find_map(|&want| {
        content
            .iter()
            .find(|(name, _)| kind(&essence(name)) == Some(want))
            .map(|(name, media)| (name, media, want))
    })
}

/// The request media type to send, by preference: JSON, multipart, urlencoded, bytes.
fn pick_request_media(
    content: &IndexMap<String, MediaType>,
) -> Option<(&String, &MediaType, BodyMedia)> {
    use BodyMedia::*;
    pick_media(
        content,
        &[Json, Multipart, Form, Bytes],
        |essence| match essence {
            e if is_json(e) => Some(Json),
            "multipart/form-data" => Some(Multipart),
            "application/x-www-form-urlencoded" => Some(Form),
            e if e == "application/octet-stream" || e.starts_with("image/") => Some(Bytes),
            _ => None,
        },
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ResponseMedia {
    Json,
    Text,
    Bytes,
}

/// The response media type to read, by preference: JSON, text, anything else as bytes.
fn pick_response_media(
    content: &IndexMap<String, MediaType>,
) -> Option<(&String, &MediaType, ResponseMedia)> {
    use ResponseMedia::*;
    pick_media(content, &[Json, Text, Bytes], |essence| {
        Some(if is_json(essence) {
            Json
        } else if essence.starts_with("text/") {
            Text
        } else {
            Bytes
        })
    })
}
