//! The public API of one generation as a user of the crate sees it: every `Client`
//! method with its arguments and its request builder's setters, every model with its
//! fields, values or variants and the traits users rely on, every tag feature and
//! webhook event. It is built from the typed IR ([`ir::CallShape`], [`ir::Wrapper`]):
//! types are spelled from [`ir::Type`] by [`spell`], and what a verdict depends on (a
//! field's wrapper, how a body is passed) is a typed value, not read back from text.
//!
//! `cargo xtask gen` commits it beside the generated code ([`SURFACE_FILE`]) and diffs
//! the next generation against it ([`crate::api_changes::report`]). A committed snapshot, rather than
//! the previous spec regenerated from git history, is what the users of the committed
//! crate compiled against: it needs no history (shallow clones, tarballs), and it also
//! sees API changes that come from the generator itself (a naming rule, a new wrapper
//! type), which regenerating the old spec with the new generator would hide.

use crate::emit::{self, passed_by_reference, Scope};
use crate::ir::webhooks::{WebhookApi, ENVELOPE, EVENT_ENUM};
use crate::ir::{self, CallArg, ModelKind, Response, Type, Usage, Wrapper};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The committed surface, relative to the generated directory.
pub const SURFACE_FILE: &str = "api-surface.json";

/// Bumped when the file's shape changes; a file of another format is not compared.
pub const FORMAT: u32 = 2;

/// Where the webhook events module is, from the crate root.
pub const WEBHOOK_EVENTS_PATH: &str = "webhook::events";

/// The public API of a generation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Surface {
    /// `API_VERSION`: the spec's `info.version`.
    pub api_version: String,
    /// The tag features (one per tag module), sorted.
    pub features: Vec<String>,
    /// By method name on `Client`.
    pub operations: BTreeMap<String, OperationSurface>,
    /// By path from the crate root: `models::User`, `users::ListUsersParams`,
    /// `webhook::events::Event`.
    pub models: BTreeMap<String, ModelSurface>,
}

/// One `Client` method and its request builder. Types are spelled by [`spell`], models
/// by their bare name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationSurface {
    /// `GET /users/{user_id}`.
    pub http: String,
    /// The tag module, which is also the cargo feature.
    pub feature: String,
    /// The request builder's path from the crate root (`users::GetUser`).
    pub builder: String,
    /// The method's arguments, in order: `[name, type]` (a required body among them).
    pub args: Vec<[String; 2]>,
    /// The builder's setters of optional parameters: method name -> value type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub setters: BTreeMap<String, String>,
    /// The params struct `.params(..)` takes, by path from the crate root (its fields
    /// are a model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<String>,
    /// The request body, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodySurface>,
    /// What awaiting the builder gives.
    pub result: String,
    /// The item type of `.stream()`, on paginated operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
}

/// A request body: its type, and how a caller passes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodySurface {
    pub ty: String,
    pub passed: BodyPassing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyPassing {
    /// The last argument of the method (a required body).
    Argument,
    /// `.body(..)` on the builder (an optional body).
    Setter,
}

/// A field of a struct or params struct: its value type and how it is wrapped. A
/// verdict on optionality compares the wrapper, never the spelling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSurface {
    pub ty: String,
    #[serde(default, skip_serializing_if = "is_plain")]
    pub wrap: Wrap,
}

/// [`ir::Wrapper`] as the surface file writes it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wrap {
    #[default]
    Plain,
    Option,
    Nullable,
}

impl From<Wrapper> for Wrap {
    fn from(wrapper: Wrapper) -> Wrap {
        match wrapper {
            Wrapper::Plain => Wrap::Plain,
            Wrapper::Option => Wrap::Option,
            Wrapper::Nullable => Wrap::Nullable,
        }
    }
}

fn is_plain(wrap: &Wrap) -> bool {
    *wrap == Wrap::Plain
}

impl FieldSurface {
    /// The field's Rust type as a reader writes it (`Option<String>`).
    pub fn spelled(&self) -> String {
        match self.wrap {
            Wrap::Plain => self.ty.clone(),
            Wrap::Option => format!("Option<{}>", self.ty),
            Wrap::Nullable => format!("Nullable<{}>", self.ty),
        }
    }
}

/// One generated type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelSurface {
    #[serde(flatten)]
    pub shape: Shape,
    /// The tag features that gate it (`#[cfg(any(feature = ..))]`); empty: always there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gate: Vec<String>,
    /// The traits users build on: `Default`, `Deserialize`, `Serialize`, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub traits: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
}

/// What a type is, with what a user can name in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Shape {
    /// A `#[non_exhaustive]` struct: fields by name (with their Rust type), and
    /// `new(..)`'s arguments when it has a constructor.
    Struct {
        fields: BTreeMap<String, FieldSurface>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        new: Option<Vec<[String; 2]>>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        deprecated_fields: Vec<String>,
    },
    /// An operation's `#[non_exhaustive]`, `Default` params struct: one field per
    /// optional parameter.
    Params {
        fields: BTreeMap<String, FieldSurface>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        deprecated_fields: Vec<String>,
    },
    /// A `#[non_exhaustive]` string enum (with `Unknown(String)`): variant -> wire value.
    Enum { values: BTreeMap<String, String> },
    /// A `#[non_exhaustive]` enum of shapes: variant -> payload type (`Unknown` included
    /// where the type has it).
    Union { variants: BTreeMap<String, String> },
    /// `pub type X = T;`.
    Alias { target: String },
    /// `pub struct X(pub T);`.
    Newtype { inner: String },
}

impl Shape {
    pub fn kind(&self) -> &'static str {
        match self {
            Shape::Struct { .. } => "struct",
            Shape::Params { .. } => "params struct",
            Shape::Enum { .. } => "enum",
            Shape::Union { .. } => "union",
            Shape::Alias { .. } => "type alias",
            Shape::Newtype { .. } => "newtype",
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Surface {
    /// The surface of a lowered Backend API.
    pub fn of_api(api: &ir::Api) -> Surface {
        let multipart = emit::multipart_models(api);
        let feature_count = api.modules.len();
        let mut models = BTreeMap::new();
        for model in &api.models {
            let gate = if emit::is_gated(&model.features, feature_count) {
                model.features.iter().map(|f| f.to_string()).collect()
            } else {
                Vec::new()
            };
            let surface = model_surface(model, multipart.contains(&model.name), gate);
            models.insert(format!("models::{}", model.name), surface);
        }
        let mut operations = BTreeMap::new();
        for module in &api.modules {
            for op in &module.operations {
                let params = op.call.params_struct.as_ref().map(|name| {
                    let path = format!("{}::{name}", module.name);
                    models.insert(path.clone(), params_surface(op));
                    path
                });
                operations.insert(
                    op.fn_name.to_string(),
                    operation_surface(module, op, params),
                );
            }
        }
        Surface {
            api_version: api.version.clone(),
            features: api.modules.iter().map(|m| m.name.to_string()).collect(),
            operations,
            models,
        }
    }

    /// The types of the webhook events module, by path: the event enum (its variants
    /// are the events), the envelope and the payloads. They join [`Surface::models`].
    pub fn of_webhooks(hooks: &WebhookApi) -> BTreeMap<String, ModelSurface> {
        let path = |name: &str| format!("{WEBHOOK_EVENTS_PATH}::{name}");
        let mut models = BTreeMap::new();
        for model in &hooks.models {
            let surface = model_surface(model, false, Vec::new());
            models.insert(path(model.name.bare()), surface);
        }
        let mut variants: BTreeMap<String, String> = hooks
            .events
            .iter()
            .map(|e| {
                let mut data = spell(&e.data, Scope::Models);
                if e.data_nullable {
                    data = format!("Option<{data}>");
                }
                (e.variant.to_string(), format!("Box<Envelope<{data}>>"))
            })
            .collect();
        variants.insert("Unknown".to_owned(), "serde_json::Value".to_owned());
        models.insert(
            path(EVENT_ENUM),
            ModelSurface {
                shape: Shape::Union { variants },
                gate: Vec::new(),
                traits: vec!["Deserialize".to_owned()],
                deprecated: false,
            },
        );
        let mut fields: BTreeMap<String, FieldSurface> = hooks
            .envelope
            .fields
            .iter()
            .map(|f| (f.name.to_string(), field_surface(f, Usage::RESPONSE, false)))
            .collect();
        fields.insert(
            "data".to_owned(),
            FieldSurface {
                ty: "T".to_owned(),
                wrap: Wrap::Plain,
            },
        );
        models.insert(
            path(ENVELOPE),
            ModelSurface {
                shape: Shape::Struct {
                    fields,
                    new: None,
                    deprecated_fields: deprecated_fields(&hooks.envelope.fields),
                },
                gate: Vec::new(),
                traits: vec!["Deserialize".to_owned(), "Serialize".to_owned()],
                deprecated: false,
            },
        );
        models
    }

    /// The committed form: JSON with one line per operation and per model, so that a
    /// change to one item is a one-line change in review.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        out.push_str("{\n");
        out.push_str("\"@generated\": \"by `cargo xtask gen`: the public API of the generated code, compared on the next generation; do not edit\",\n");
        out.push_str(&format!("\"format\": {FORMAT},\n"));
        out.push_str(&format!(
            "\"api_version\": {},\n",
            compact(&self.api_version)
        ));
        out.push_str(&format!("\"features\": {},\n", compact(&self.features)));
        let section = |out: &mut String, name: &str, items: Vec<(String, String)>, last: bool| {
            out.push_str(&format!("\"{name}\": {{"));
            for (i, (key, value)) in items.iter().enumerate() {
                let comma = if i + 1 < items.len() { "," } else { "" };
                out.push_str(&format!("\n{}: {value}{comma}", compact(key)));
            }
            out.push_str(if items.is_empty() { "}" } else { "\n}" });
            out.push_str(if last { "\n" } else { ",\n" });
        };
        let operations = self
            .operations
            .iter()
            .map(|(k, v)| (k.clone(), compact(v)))
            .collect();
        section(&mut out, "operations", operations, false);
        let models = self
            .models
            .iter()
            .map(|(k, v)| (k.clone(), compact(v)))
            .collect();
        section(&mut out, "models", models, true);
        out.push_str("}\n");
        out
    }

    /// Reads a committed surface.
    pub fn from_json(text: &str) -> Result<Surface, String> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        match value.get("format").and_then(serde_json::Value::as_u64) {
            Some(format) if format == u64::from(FORMAT) => {}
            other => {
                return Err(format!(
                    "surface format {} where this generator writes {FORMAT}",
                    other.map_or_else(|| "(none)".to_owned(), |f| f.to_string())
                ))
            }
        }
        serde_json::from_value(value).map_err(|e| e.to_string())
    }
}

/// One value as JSON on one line.
fn compact<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("surface values are plain data")
}

fn operation_surface(
    module: &ir::Module,
    op: &ir::Operation,
    params: Option<String>,
) -> OperationSurface {
    let body = op.body.as_ref().map(|body| BodySurface {
        ty: body_spelling(body),
        passed: if body.required {
            BodyPassing::Argument
        } else {
            BodyPassing::Setter
        },
    });
    let args = op
        .call
        .args
        .iter()
        .map(|arg| match arg {
            CallArg::Param(i) => {
                let p = &op.params[*i];
                [p.name.to_string(), arg_spelling(&p.ty)]
            }
            CallArg::Body => [
                op.locals.body.to_string(),
                body.as_ref().map(|b| b.ty.clone()).unwrap_or_default(),
            ],
        })
        .collect();
    let setters = op
        .call
        .setters
        .iter()
        .map(|s| {
            let p = &op.params[s.param];
            (s.method.to_string(), spell(&p.ty, Scope::Operations))
        })
        .collect();
    OperationSurface {
        http: format!("{} {}", op.method.as_str(), op.path),
        feature: module.name.to_string(),
        builder: format!("{}::{}", module.name, op.call.builder),
        args,
        setters,
        params,
        body,
        result: result_spelling(&op.response),
        stream: op
            .pagination
            .as_ref()
            .map(|p| spell(&p.item, Scope::Operations)),
        deprecated: op.deprecated,
    }
}

/// A required argument's type, following the emitter's [`passed_by_reference`].
fn arg_spelling(ty: &Type) -> String {
    match ty {
        Type::String => "&str".to_owned(),
        Type::Vec(inner) => format!("&[{}]", spell(inner, Scope::Operations)),
        ty if passed_by_reference(ty) => format!("&{}", spell(ty, Scope::Operations)),
        ty => spell(ty, Scope::Operations),
    }
}

/// A body's type as the method or `.body(..)` takes it.
fn body_spelling(body: &ir::Body) -> String {
    match body.media {
        ir::BodyMedia::Bytes => spell(&Type::Bytes, Scope::Operations),
        _ => format!("&{}", spell(&body.ty, Scope::Operations)),
    }
}

/// What awaiting a call gives.
fn result_spelling(response: &Response) -> String {
    match response {
        Response::Json(ty) => spell(ty, Scope::Operations),
        Response::JsonOrEmpty(ty) => format!("Option<{}>", spell(ty, Scope::Operations)),
        Response::Empty => "()".to_owned(),
        Response::Text => "String".to_owned(),
        Response::Bytes => spell(&Type::Bytes, Scope::Operations),
    }
}

fn params_surface(op: &ir::Operation) -> ModelSurface {
    let optional = op.params.iter().filter(|p| !p.required);
    let fields = optional
        .clone()
        .map(|p| {
            let field = FieldSurface {
                ty: spell(&p.ty, Scope::Operations),
                wrap: Wrap::from(p.field_wrapper()),
            };
            (p.name.to_string(), field)
        })
        .collect();
    ModelSurface {
        shape: Shape::Params {
            fields,
            deprecated_fields: optional
                .filter(|p| p.deprecated)
                .map(|p| p.name.to_string())
                .collect(),
        },
        gate: Vec::new(),
        traits: vec!["Default".to_owned()],
        deprecated: false,
    }
}

/// A model field as [`emit::model::field_type`] writes it.
fn field_surface(field: &ir::Field, usage: Usage, multipart: bool) -> FieldSurface {
    let scope = if multipart {
        Scope::Multipart
    } else {
        Scope::Models
    };
    let mut ty = spell(&field.ty, scope);
    if field.boxed {
        ty = format!("Box<{ty}>");
    }
    FieldSurface {
        ty,
        wrap: Wrap::from(field.presence.wrapper(usage.serialize && !multipart)),
    }
}

fn deprecated_fields(fields: &[ir::Field]) -> Vec<String> {
    fields
        .iter()
        .filter(|f| f.deprecated)
        .map(|f| f.name.to_string())
        .collect()
}

/// A model's surface; `multipart` models are written part by part (no `Serialize`,
/// binary fields are files).
fn model_surface(model: &ir::Model, multipart: bool, gate: Vec<String>) -> ModelSurface {
    let usage = model.usage;
    let mut traits = BTreeSet::new();
    if usage.deserialize {
        traits.insert("Deserialize");
    }
    let shape = match &model.kind {
        ModelKind::Struct(s) => {
            let mut fields: BTreeMap<String, FieldSurface> = s
                .fields
                .iter()
                .map(|f| (f.name.to_string(), field_surface(f, usage, multipart)))
                .collect();
            if let Some(ty) = &s.additional {
                let map = Type::Map(Box::new(ty.clone()));
                let field = FieldSurface {
                    ty: spell(&map, Scope::Models),
                    wrap: Wrap::Plain,
                };
                fields.insert(s.additional_name.to_string(), field);
            }
            let required: Vec<&ir::Field> = s
                .fields
                .iter()
                .filter(|f| f.presence.is_required())
                .collect();
            if required.is_empty() {
                traits.insert("Default");
            }
            if !multipart {
                traits.insert("Serialize");
            }
            // Request types with required fields are built with `new(required...)`.
            let new = (usage.serialize && !required.is_empty()).then(|| {
                required
                    .iter()
                    .map(|f| {
                        let field = field_surface(f, usage, multipart);
                        [f.name.to_string(), constructor_spelling(f, &field)]
                    })
                    .collect()
            });
            Shape::Struct {
                fields,
                new,
                deprecated_fields: deprecated_fields(&s.fields),
            }
        }
        ModelKind::Enum(e) => {
            traits.insert("Serialize");
            Shape::Enum {
                values: e
                    .variants
                    .iter()
                    .map(|v| (v.name.to_string(), v.wire.clone()))
                    .collect(),
            }
        }
        ModelKind::Union(u) => {
            traits.insert("Serialize");
            let mut variants: BTreeMap<String, String> = u
                .variants
                .iter()
                .map(|v| (v.name.to_string(), spell(&v.ty, Scope::Models)))
                .collect();
            // Only unions that are read keep unknown shapes.
            if usage.deserialize {
                variants.insert("Unknown".to_owned(), "serde_json::Value".to_owned());
            }
            Shape::Union { variants }
        }
        ModelKind::Alias(ty) => {
            // A type alias has the traits of its target, which is reported on its own.
            traits.clear();
            Shape::Alias {
                target: spell(ty, Scope::Models),
            }
        }
        ModelKind::Newtype(ty) => {
            traits.insert("Serialize");
            Shape::Newtype {
                inner: spell(ty, Scope::Models),
            }
        }
    };
    ModelSurface {
        shape,
        gate,
        traits: traits.into_iter().map(str::to_owned).collect(),
        deprecated: model.deprecated,
    }
}

/// A constructor argument's type: strings are taken as `impl Into<String>`.
fn constructor_spelling(field: &ir::Field, surface: &FieldSurface) -> String {
    match (&field.ty, surface.wrap) {
        (Type::String, Wrap::Plain) if !field.boxed => "impl Into<String>".to_owned(),
        _ => surface.spelled(),
    }
}

/// A type as a reader writes it, in the scope it is written in: `Vec<User>`,
/// `BTreeMap<String, serde_json::Value>`, `bytes::Bytes`. The one spelling of
/// [`ir::Type`] as text (the emitter's token form is [`emit::type_tokens`]).
pub fn spell(ty: &Type, scope: Scope) -> String {
    match ty {
        Type::Bool => "bool".to_owned(),
        Type::I32 => "i32".to_owned(),
        Type::I64 => "i64".to_owned(),
        Type::F32 => "f32".to_owned(),
        Type::F64 => "f64".to_owned(),
        Type::String => "String".to_owned(),
        Type::Bytes => match scope {
            Scope::Multipart => "FilePart".to_owned(),
            Scope::Operations => "bytes::Bytes".to_owned(),
            Scope::Models => "String".to_owned(),
        },
        Type::Json => "serde_json::Value".to_owned(),
        Type::JsonObject => "serde_json::Map<String, serde_json::Value>".to_owned(),
        Type::Named(name) => name.to_string(),
        Type::Vec(inner) => format!("Vec<{}>", spell(inner, scope)),
        Type::Option(inner) => format!("Option<{}>", spell(inner, scope)),
        Type::Map(inner) => format!("BTreeMap<String, {}>", spell(inner, scope)),
    }
}

#[cfg(test)]
mod tests {
    use super::spell;
    use crate::emit::Scope;
    use crate::ir::Type;
    use crate::naming::RustIdent;

    #[test]
    fn types_are_spelled_as_a_reader_writes_them() {
        let user = || Box::new(Type::Named(RustIdent::new("User")));
        let cases = [
            (
                Type::Option(Box::new(Type::Vec(user()))),
                Scope::Models,
                "Option<Vec<User>>",
            ),
            (
                Type::Map(Box::new(Type::Json)),
                Scope::Models,
                "BTreeMap<String, serde_json::Value>",
            ),
            (Type::Bytes, Scope::Operations, "bytes::Bytes"),
            (Type::Bytes, Scope::Multipart, "FilePart"),
            (Type::Bytes, Scope::Models, "String"),
            (Type::Named(RustIdent::new("type")), Scope::Models, "type"),
        ];
        for (ty, scope, spelled) in cases {
            assert_eq!(spell(&ty, scope), spelled);
        }
    }
}
