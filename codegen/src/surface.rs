//! The public API of one generation as a user of the crate sees it: every `Client`
//! method with its Rust signature, every model with its fields, values or variants and
//! the traits users rely on, every tag feature and webhook event. It is built from the IR
//! with the emitter's own type spelling, so it names exactly the types the code has.
//!
//! `cargo xtask gen` commits it beside the generated code ([`SURFACE_FILE`]) and diffs
//! the next generation against it ([`crate::report`]). A committed snapshot, rather than
//! the previous spec regenerated from git history, is what the users of the committed
//! crate compiled against: it needs no history (shallow clones, tarballs), and it also
//! sees API changes that come from the generator itself (a naming rule, a new wrapper
//! type), which regenerating the old spec with the new generator would hide.

use crate::emit::{self, model::field_type, operation, type_tokens, Scope};
use crate::ir::{self, ModelKind, Usage};
use crate::lower::webhooks::{WebhookApi, ENVELOPE, EVENT_ENUM};
use proc_macro2::TokenStream;
use quote::quote;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The committed surface, relative to the generated directory.
pub const SURFACE_FILE: &str = "api-surface.json";

/// Bumped when the file's shape changes; a file of another format is not compared.
pub const FORMAT: u32 = 1;

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

/// One `Client` method. Types are spelled as in the code, models by their bare name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationSurface {
    /// `GET /users/{user_id}`.
    pub http: String,
    /// The tag module, which is also the cargo feature.
    pub feature: String,
    /// The required parameters, in argument order: `[name, type]`.
    pub args: Vec<[String; 2]>,
    /// The params struct's path from the crate root (its fields are a model).
    pub params: String,
    /// The body argument's type (`&CreateUserRequest`, `Option<&X>`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// What awaiting the call gives (`Call<'_, T>`'s `T`).
    pub result: String,
    /// The `*_stream` method: `[name, item type]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<[String; 2]>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
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
        fields: BTreeMap<String, String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        new: Option<Vec<[String; 2]>>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        deprecated_fields: Vec<String>,
    },
    /// An operation's `#[non_exhaustive]`, `Default` params struct: one field per
    /// optional parameter.
    Params {
        fields: BTreeMap<String, String>,
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
                let params = format!("{}::{}", module.name, op.params_struct);
                models.insert(params.clone(), params_surface(op));
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
                let mut data = type_tokens(&e.data, Scope::Models);
                if e.data_nullable {
                    data = quote!(::std::option::Option<#data>);
                }
                (
                    e.variant.to_string(),
                    spell(&quote!(::std::boxed::Box<Envelope<#data>>)),
                )
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
        let mut fields: BTreeMap<String, String> = hooks
            .envelope
            .fields
            .iter()
            .map(|f| {
                let ty = field_type(f, Usage::RESPONSE, false);
                (f.name.to_string(), spell(&ty))
            })
            .collect();
        fields.insert("data".to_owned(), "T".to_owned());
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

fn operation_surface(module: &ir::Module, op: &ir::Operation, params: String) -> OperationSurface {
    let required = op.params.iter().filter(|p| p.required).count();
    let args = operation::args(op);
    let named = |arg: &operation::Arg| [arg.name.to_string(), spell(&arg.ty)];
    let (result, _) = operation::result(op);
    OperationSurface {
        http: format!("{} {}", op.method.as_str(), op.path),
        feature: module.name.to_string(),
        args: args[..required].iter().map(named).collect(),
        params,
        // The arguments are the required parameters, the params struct, then the body.
        body: args.get(required + 1).map(|arg| spell(&arg.ty)),
        result: spell(&result),
        stream: op.pagination.as_ref().map(|p| {
            let item = type_tokens(&p.item, Scope::Operations);
            [p.stream_fn.to_string(), spell(&item)]
        }),
        deprecated: op.deprecated,
    }
}

fn params_surface(op: &ir::Operation) -> ModelSurface {
    let optional = op.params.iter().filter(|p| !p.required);
    let fields = optional
        .clone()
        .map(|p| {
            let ty = type_tokens(&p.ty, Scope::Operations);
            // Arrays are not wrapped: an empty list is not sent.
            let ty = if p.shape == ir::ParamShape::Array {
                ty
            } else {
                quote!(::std::option::Option<#ty>)
            };
            (p.name.to_string(), spell(&ty))
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
            let mut fields: BTreeMap<String, String> = s
                .fields
                .iter()
                .map(|f| (f.name.to_string(), spell(&field_type(f, usage, multipart))))
                .collect();
            if let Some(ty) = &s.additional {
                let ty = type_tokens(ty, Scope::Models);
                let map = quote!(::std::collections::BTreeMap<::std::string::String, #ty>);
                fields.insert(s.additional_name.to_string(), spell(&map));
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
                    .map(|f| [f.name.to_string(), spell(&field_type(f, usage, multipart))])
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
                .map(|v| {
                    (
                        v.name.to_string(),
                        spell(&type_tokens(&v.ty, Scope::Models)),
                    )
                })
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
                target: spell(&type_tokens(ty, Scope::Models)),
            }
        }
        ModelKind::Newtype(ty) => {
            traits.insert("Serialize");
            Shape::Newtype {
                inner: spell(&type_tokens(ty, Scope::Models)),
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

/// Module paths that say nothing to a reader of the report: std's, the crate's own,
/// and the models module (models are named bare).
const ELIDED: &[&str] = &[
    "std::option::",
    "std::string::",
    "std::vec::",
    "std::collections::",
    "std::boxed::",
    "super::models::",
    "crate::runtime::",
    "crate::",
];

/// A type's tokens as a reader writes them: `Option<Vec<User>>`, `&str`,
/// `BTreeMap<String, serde_json::Value>`.
pub fn spell(tokens: &TokenStream) -> String {
    let compact: String = tokens
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    // Leading `::` of absolute paths goes, the `::` inside a path stays.
    let mut out = String::with_capacity(compact.len());
    let mut chars = compact.chars().peekable();
    while let Some(c) = chars.next() {
        let in_path = out
            .chars()
            .last()
            .is_some_and(|p| p.is_alphanumeric() || p == '_');
        if c == ':' && chars.peek() == Some(&':') && !in_path {
            chars.next();
            continue;
        }
        out.push(c);
        if c == ',' {
            out.push(' ');
        }
    }
    let mut spelled = out;
    for prefix in ELIDED {
        spelled = elide(&spelled, prefix);
    }
    spelled
}

/// Removes `prefix` where it starts a path (not inside a longer one).
fn elide(text: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        let starts_path = out
            .chars()
            .chain(rest[..at].chars())
            .last()
            .is_none_or(|p| !(p.is_alphanumeric() || p == '_' || p == ':'));
        out.push_str(&rest[..at]);
        if !starts_path {
            out.push_str(prefix);
        }
        rest = &rest[at + prefix.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::spell;
    use quote::quote;

    #[test]
    fn types_are_spelled_as_a_reader_writes_them() {
        let cases = [
            (
                quote!(::std::option::Option<::std::vec::Vec<super::models::User>>),
                "Option<Vec<User>>",
            ),
            (quote!(&str), "&str"),
            (quote!(&[super::models::Role]), "&[Role]"),
            (
                quote!(::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>),
                "BTreeMap<String, serde_json::Value>",
            ),
            (quote!(crate::Nullable<i64>), "Nullable<i64>"),
            (quote!(::bytes::Bytes), "bytes::Bytes"),
            // Only whole path prefixes go.
            (quote!(mystd::option::X), "mystd::option::X"),
        ];
        for (tokens, spelled) in cases {
            assert_eq!(spell(&tokens), spelled);
        }
    }
}
