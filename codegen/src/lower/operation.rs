//! Paths and operations -> IR operations, grouped by their first tag.

use super::recursion::AliasesSettled;
use super::refs;
use super::{Hint, Lowerer};
use crate::error::{Error, Result};
use crate::ir::{
    Body, BodyMedia, CallArg, CallShape, Locals, Location, Method, ModelKind, Models as _,
    Operation, Param, PathSegment, Response, Setter, Type,
};
use crate::naming::{
    reserve_setter_names, setter_clashes, snake_ident, type_name, RustIdent, UniqueNames,
};
use crate::pointer::Pointer;
use crate::runtime_api::BUILDER_METHODS;
use indexmap::IndexMap;
use openapiv3::{MediaType, Parameter, ReferenceOr, RequestBody, StatusCode};

/// Tag for operations without one.
const UNTAGGED: &str = "untagged";

impl<'a> Lowerer<'a> {
    /// Every operation in spec order, with the tag whose module it belongs in.
    /// Every operation, with its tag. Follows alias chains (body and parameter shapes),
    /// so they must be settled.
    pub(super) fn lower_operations(
        &mut self,
        _: &AliasesSettled,
    ) -> Result<Vec<(String, Operation)>> {
        let doc = self.doc;
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
                let id = self.operation_id(op, method_name, path, &at);
                if let Some(first) = seen_ids.insert(id.clone(), at.clone()) {
                    return Err(Error::new(
                        at.to_string(),
                        format!("operationId {id:?} is already used at {first}"),
                    ));
                }
                let place = OperationPlace {
                    path,
                    method: parse_method(method_name),
                    shared_params: &item.parameters,
                    path_item_at: &path_at,
                    at: &at,
                };
                let lowered = self.operation(&id, op, &place)?;
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

    fn operation_id(
        &mut self,
        op: &openapiv3::Operation,
        method: &str,
        path: &str,
        at: &Pointer,
    ) -> String {
        match &op.operation_id {
            Some(id) if !id.trim().is_empty() => id.clone(),
            _ => {
                let derived = format!("{method} {path}");
                self.warn(
                    at,
                    format!("no operationId: named {:?}", snake_ident(&derived).bare()),
                );
                derived
            }
        }
    }

    fn operation(
        &mut self,
        id: &str,
        op: &openapiv3::Operation,
        place: &OperationPlace<'_>,
    ) -> Result<Operation> {
        let at = place.at;
        let fn_name = self.fn_names.claim(snake_ident(id));
        // The spec's parameters keep their names; the method's own arguments and
        // locals take what is left.
        let mut arg_names = UniqueNames::new();
        arg_names.reserve("self");
        let shared = (place.shared_params, place.path_item_at);
        let params = self.params(id, op, shared, at, &mut arg_names)?;
        let locals = Locals::claim(&mut arg_names);
        let segments = segments(place.path, &params, at)?;
        let body = match &op.request_body {
            Some(body) => self.body(id, body, &at.join("requestBody"))?,
            None => None,
        };
        let call = self.call_shape(id, &params, &segments, body.as_ref());
        let responses_at = at.join("responses");
        let response = self.response(id, &op.responses, &responses_at)?;
        let error_statuses = self.error_statuses(&op.responses, &responses_at)?;
        Ok(Operation {
            id: id.to_owned(),
            fn_name,
            method: place.method,
            path: place.path.to_owned(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            segments,
            params,
            call,
            body,
            response,
            pagination: None,
            error_statuses,
            locals,
        })
    }

    /// How the operation is called: its arguments, its setters (named clear of the
    /// builder's own methods and of operator names, [`setter_clashes`]) and the names of
    /// its builder and params struct.
    fn call_shape(
        &mut self,
        id: &str,
        params: &[Param],
        segments: &[PathSegment],
        body: Option<&Body>,
    ) -> CallShape {
        let mut args: Vec<CallArg> = Vec::new();
        let path_params = segments.iter().filter_map(|s| match s {
            PathSegment::Param(i) => Some(CallArg::Param(*i)),
            PathSegment::Literal(_) => None,
        });
        let others = (params.iter().enumerate())
            .filter(|(_, p)| p.required && p.location != Location::Path)
            .map(|(i, _)| CallArg::Param(i));
        let body = body.filter(|b| b.required).map(|_| CallArg::Body);
        for arg in path_params.chain(others).chain(body) {
            // A path parameter used twice in the template is still one argument.
            if !args.contains(&arg) {
                args.push(arg);
            }
        }
        let mut methods = UniqueNames::new();
        reserve_setter_names(&mut methods, BUILDER_METHODS);
        let setters: Vec<Setter> = (params.iter().enumerate())
            .filter(|(_, p)| !p.required)
            .map(|(param, p)| {
                let name = if setter_clashes(p.name.bare(), BUILDER_METHODS) {
                    p.name.suffixed("_param")
                } else {
                    p.name.clone()
                };
                Setter {
                    param,
                    method: methods.claim(name),
                }
            })
            .collect();
        let params_struct = (!setters.is_empty())
            .then(|| self.type_names.claim(type_name(&format!("{id}_params"))));
        CallShape {
            builder: self.type_names.claim(type_name(id)),
            args,
            setters,
            params_struct,
        }
    }

    fn body(
        &mut self,
        id: &str,
        body: &ReferenceOr<RequestBody>,
        at: &Pointer,
    ) -> Result<Option<Body>> {
        let doc = self.doc;
        let (body, at) = refs::resolve::<RequestBody>(doc, body, at)?;
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
            (Some(schema), _) => self.schema_node(schema, &media_at.join("schema"), hint)?.ty,
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

    /// Whether `ty` is a struct model, through aliases.
    fn is_struct(&self, ty: &Type) -> bool {
        matches!(self.models.dealiased_kind(ty), Some(ModelKind::Struct(_)))
    }

    /// 4xx statuses whose response is JSON with an `errors` array property.
    fn error_statuses(&self, responses: &openapiv3::Responses, at: &Pointer) -> Result<Vec<u16>> {
        let mut statuses = Vec::new();
        for (code, response) in &responses.responses {
            let StatusCode::Code(status @ 400..=499) = code else {
                continue;
            };
            let (response, response_at) =
                refs::resolve::<openapiv3::Response>(self.doc, response, &at.join(status))?;
            let Some((name, media, ResponseMedia::Json)) = pick_response_media(&response.content)
            else {
                continue;
            };
            let Some(schema) = &media.schema else {
                continue;
            };
            let schema_at = response_at.join("content").join(name).join("schema");
            let (schema, _) = self.resolve_schema(schema, &schema_at)?;
            if schema_has_property(&schema, "errors") {
                statuses.push(*status);
            }
        }
        statuses.sort_unstable();
        Ok(statuses)
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
        let (response, response_at) =
            refs::resolve::<openapiv3::Response>(self.doc, response, &at.join(&key))?;
        let lowered = match pick_response_media(&response.content) {
            None => Response::Empty,
            Some((_, _, ResponseMedia::Text)) => Response::Text,
            Some((_, _, ResponseMedia::Bytes)) => Response::Bytes,
            Some((_, media, ResponseMedia::Json)) if media.schema.is_none() => {
                Response::Json(Type::Json)
            }
            Some((name, media, ResponseMedia::Json)) => {
                let schema = media.schema.as_ref().expect("checked above");
                let schema_at = response_at.join("content").join(name).join("schema");
                let hint = Hint::Suggest(format!("{id}_response"));
                let lowered = self.schema_node(schema, &schema_at, hint)?;
                match lowered.ty {
                    ty if lowered.nullable => Response::Json(Type::Option(Box::new(ty))),
                    ty => Response::Json(ty),
                }
            }
        };
        let chosen_schema = pick_response_media(&response.content).map(|(_, m, _)| &m.schema);
        let others = success.iter().filter(|(_, k, _)| *k != key);
        let mut empty_other = false;
        let mut differing = Vec::new();
        for (_, other_key, other) in others {
            let (other, _) =
                refs::resolve::<openapiv3::Response>(self.doc, *other, &at.join(other_key))?;
            match pick_response_media(&other.content).map(|(_, m, _)| &m.schema) {
                None => empty_other = true,
                schema if schema == chosen_schema => {}
                _ => differing.push(other_key.clone()),
            }
        }
        // Another 2xx with no body makes the body optional; one with a different body
        // cannot be typed, and is named in a warning.
        if !differing.is_empty() && lowered != Response::Empty {
            self.warn(
                at,
                format!("several 2xx responses: the {key} body type is used for {differing:?} too"),
            );
        }
        Ok(match lowered {
            Response::Json(ty) if empty_other => Response::JsonOrEmpty(ty),
            other => other,
        })
    }
}

/// Where an operation sits in the spec.
struct OperationPlace<'p> {
    path: &'p str,
    method: Method,
    /// The path item's own parameters, which every operation of the path shares.
    shared_params: &'p [ReferenceOr<Parameter>],
    path_item_at: &'p Pointer,
    at: &'p Pointer,
}

impl Locals {
    /// The generated method's own names, each clear of the spec's parameter names
    /// already in `names`.
    fn claim(names: &mut UniqueNames) -> Locals {
        let mut claim = |name: &str| names.claim(RustIdent::new(name));
        Locals {
            request: claim("request"),
            params: claim("params"),
            body: claim("body"),
            value: claim("value"),
            client: claim("client"),
            page: claim("page"),
            page_size: claim("page_size"),
            page_offset: claim("page_offset"),
            base: claim("base"),
        }
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
