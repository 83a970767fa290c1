//! The contract suite: an integration test calling every operation with valid
//! arguments against a mock server that implements the spec (Prism, run by
//! `cargo xtask contract`, which sets `CLERK_CONTRACT_URL`; without it every test
//! returns at once).
//!
//! Only the calls are generated (`tests/contract/suite.rs`); the harness that judges
//! them is hand-written beside it (`tests/contract/support.rs`), since it does not
//! depend on the spec. Arguments are built from the IR: required fields and parameters
//! only, leaf values from the samples lowering took from the schema (`enum`, `example`,
//! `default`, `format`, `pattern`, bounds).

use super::passed_by_reference;
use crate::ir::{
    Api, BodyMedia, CallArg, Location, Model, ModelKind, Operation, Param, Type, Wrapper,
};
use crate::naming::RustIdent;
use crate::runtime_api::RootItem;
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Values nest at most this deep (a required recursive field cannot exist in valid
/// data; a recursive union or array stops at an empty list or another variant).
const MAX_DEPTH: usize = 8;

/// The generated file, relative to the crate's `tests/`.
pub const SUITE_FILE: &str = "contract/suite.rs";

struct Ctx<'a> {
    models: BTreeMap<&'a RustIdent, &'a Model>,
}

/// The suite's generated file: one test per operation, and per tag one test of each
/// sampled error path.
pub fn suite(api: &Api) -> TokenStream {
    let ctx = Ctx {
        models: api.models.iter().map(|m| (&m.name, m)).collect(),
    };
    let mut tests = Vec::new();
    for module in &api.modules {
        let mut sampled = ErrorSamples::default();
        for op in &module.operations {
            // No call when no finite valid request exists (a required field contains
            // itself).
            let Some(call) = call(op, &ctx) else {
                continue;
            };
            tests.push(success_test(op, module, &call, &ctx));
            for status in sampled.take(op) {
                tests.push(error_test(op, module, &call, status));
            }
        }
    }
    let body = if tests.is_empty() {
        quote! {
            //! Contract tests: the spec has no operations, so there is nothing to call.
        }
    } else {
        quote! {
            //! Contract tests: every operation called with valid arguments against a mock
            //! server implementing the spec; `support.rs` says how each call is judged.
            #![allow(deprecated)]

            // Calls without parameters, models or options do not name the crate.
            #[allow(unused_imports)]
            use super::api;
            use super::support::Suite;

            #(#tests)*
        }
    };
    body
}

/// Which error paths a tag has been tested on: per tag, the first operation that
/// documents a Clerk-shaped 404 is asked for one, and the first documenting a 401 is
/// sent a credential the server refuses.
#[derive(Default)]
struct ErrorSamples {
    asked: BTreeSet<u16>,
}

impl ErrorSamples {
    const STATUSES: [u16; 2] = [404, 401];

    fn take(&mut self, op: &Operation) -> Vec<u16> {
        Self::STATUSES
            .into_iter()
            .filter(|status| op.error_statuses.contains(status) && self.asked.insert(*status))
            .collect()
    }
}

fn success_test(
    op: &Operation,
    module: &crate::ir::Module,
    call: &TokenStream,
    ctx: &Ctx,
) -> TokenStream {
    let feature = module.name.bare();
    let name = op.fn_name.suffixed("_succeeds");
    let id = &op.id;
    let static_examples_miss = op
        .response
        .json_type()
        .is_some_and(|ty| reaches_required_any_of(ty, ctx));
    quote! {
        #[cfg(feature = #feature)]
        #[tokio::test]
        async fn #name() {
            let Some(suite) = Suite::from_env() else { return };
            for (retry, client) in [&suite.client, &suite.dynamic].into_iter().enumerate() {
                let result = #call;
                if retry == 1 || !suite.ask_for_a_generated_example(&result, #static_examples_miss) {
                    suite.passes(#id, result);
                    break;
                }
            }
        }
    }
}

fn error_test(
    op: &Operation,
    module: &crate::ir::Module,
    call: &TokenStream,
    status: u16,
) -> TokenStream {
    let feature = module.name.bare();
    let name = op.fn_name.suffixed(&format!("_fails_with_{status}"));
    let id = &op.id;
    let options = RootItem::RequestOptions.from_tests();
    let options = if status == 401 {
        quote!(#options::new().header("Authorization", "Basic not-a-bearer-token"))
    } else {
        let prefer = format!("code={status}");
        quote!(#options::new().header("Prefer", #prefer))
    };
    quote! {
        #[cfg(feature = #feature)]
        #[tokio::test]
        async fn #name() {
            let Some(suite) = Suite::from_env() else { return };
            let client = &suite.client.with_options(#options);
            let result = #call;
            suite.fails_with(#id, #status, result);
        }
    }
}

/// Whether a response type contains a struct with an "at least one of these fields"
/// constraint (`anyOf` of `required` lists), which Prism's static examples leave
/// unsatisfied: it answers `{}`, and does not always report its own answer as breaking
/// the spec (not through a nullable `oneOf` wrapper, for one).
fn reaches_required_any_of(ty: &Type, ctx: &Ctx) -> bool {
    let mut seen = BTreeSet::new();
    let mut work = vec![ty];
    while let Some(ty) = work.pop() {
        match ty {
            Type::Vec(inner) | Type::Option(inner) | Type::Map(inner) => work.push(inner),
            Type::Named(name) if seen.insert(name) => match ctx.models.get(name).map(|m| &m.kind) {
                Some(ModelKind::Struct(s)) if !s.required_any_of.is_empty() => return true,
                Some(ModelKind::Struct(s)) => {
                    work.extend(s.fields.iter().map(|f| &f.ty));
                    work.extend(s.additional.as_ref());
                }
                Some(ModelKind::Union(u)) => work.extend(u.variants.iter().map(|v| &v.ty)),
                Some(ModelKind::Alias(inner) | ModelKind::Newtype(inner)) => work.push(inner),
                Some(ModelKind::Enum(_)) | None => {}
            },
            _ => {}
        }
    }
    false
}

/// `client.<op>(args...)[.body(..)].await`, with every required argument built from
/// samples; `None` when an argument has no finite valid value (a required recursive
/// field).
fn call(op: &Operation, ctx: &Ctx) -> Option<TokenStream> {
    let fn_name = &op.fn_name;
    let body = match &op.body {
        Some(body) => Some(match body.media {
            BodyMedia::Bytes => quote!(::bytes::Bytes::from_static(b"contract")),
            media => {
                let value = value(&body.ty, None, ctx, 0, media == BodyMedia::Multipart)?;
                quote!(&#value)
            }
        }),
        None => None,
    };
    let args = op
        .call
        .args
        .iter()
        .map(|a| match a {
            CallArg::Param(i) => arg(&op.params[*i], ctx),
            CallArg::Body => body.clone(),
        })
        .collect::<Option<Vec<TokenStream>>>()?;
    let body_setter = op
        .has_body_setter()
        .then(|| body.map(|body| quote!(.body(#body))))
        .flatten();
    Some(quote!(client.#fn_name(#(#args),*)#body_setter.await))
}

/// A required parameter as the argument type the method takes.
fn arg(param: &Param, ctx: &Ctx) -> Option<TokenStream> {
    let sample = param.sample.as_ref();
    match &param.ty {
        Type::String => {
            let text = sample.map(text_of).unwrap_or_else(|| default_text(param));
            Some(quote!(#text))
        }
        ty if passed_by_reference(ty) => {
            let value = value(ty, sample, ctx, 0, false)?;
            Some(quote!(&#value))
        }
        other => value(other, sample, ctx, 0, false),
    }
}

/// Path parameters with no sample still need a plausible id.
fn default_text(param: &Param) -> String {
    match param.location {
        Location::Path => format!("{}_1", param.wire.trim_end_matches("_id")),
        _ => "example".to_owned(),
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An expression of type `ty` (as the test file names it) built from `sample`, or
/// `None` when no finite value exists within [`MAX_DEPTH`].
fn value(
    ty: &Type,
    sample: Option<&Value>,
    ctx: &Ctx,
    depth: usize,
    multipart: bool,
) -> Option<TokenStream> {
    Some(match ty {
        Type::Bool => {
            let b = sample.and_then(Value::as_bool).unwrap_or(true);
            quote!(#b)
        }
        Type::I32 => {
            let n = sample
                .and_then(Value::as_i64)
                .unwrap_or(1)
                .clamp(i32::MIN.into(), i32::MAX.into());
            let lit = Literal::i64_unsuffixed(n);
            quote!(#lit)
        }
        Type::I64 => {
            let lit = Literal::i64_unsuffixed(sample.and_then(Value::as_i64).unwrap_or(1));
            quote!(#lit)
        }
        Type::F32 | Type::F64 => {
            let lit = Literal::f64_unsuffixed(sample.and_then(Value::as_f64).unwrap_or(1.0));
            quote!(#lit)
        }
        Type::String => {
            let text = sample.map(text_of).unwrap_or_else(|| "example".to_owned());
            quote!(::std::string::String::from(#text))
        }
        Type::Bytes if multipart => {
            let file = RootItem::FilePart.from_tests();
            quote! {
                #file::new(b"contract".to_vec()).file_name("contract.png").content_type("image/png")
            }
        }
        Type::Bytes => quote!(::std::string::String::from("Y29udHJhY3Q=")),
        Type::Json => {
            let text = sample.map_or_else(|| "{}".to_owned(), Value::to_string);
            quote!(::serde_json::from_str::<::serde_json::Value>(#text).unwrap())
        }
        Type::JsonObject => quote!(::serde_json::Map::new()),
        Type::Map(_) => quote!(::std::collections::BTreeMap::new()),
        Type::Option(inner) => {
            let inner = value(inner, sample, ctx, depth, multipart)?;
            quote!(::std::option::Option::Some(#inner))
        }
        Type::Vec(inner) => {
            let items: Vec<TokenStream> = match sample.and_then(Value::as_array) {
                Some(values) if !values.is_empty() => values
                    .iter()
                    .map(|v| value(inner, Some(v), ctx, depth + 1, multipart))
                    .collect::<Option<_>>()
                    .unwrap_or_default(),
                // An item that cannot be built leaves the list empty.
                _ => value(inner, None, ctx, depth + 1, multipart)
                    .into_iter()
                    .collect(),
            };
            quote!(::std::vec![#(#items),*])
        }
        Type::Named(name) => return named(name, sample, ctx, depth, multipart),
    })
}

/// A value of a model. Only models can make a type contain itself, so this is where
/// the depth is bounded: each struct or union level counts one.
fn named(
    name: &RustIdent,
    sample: Option<&Value>,
    ctx: &Ctx,
    depth: usize,
    multipart: bool,
) -> Option<TokenStream> {
    if depth > MAX_DEPTH {
        return None;
    }
    let model = ctx.models.get(name)?;
    let path = quote!(api::models::#name);
    match &model.kind {
        ModelKind::Enum(e) => {
            let wire = sample
                .and_then(Value::as_str)
                .filter(|s| e.variants.iter().any(|v| v.wire == *s))
                .map(str::to_owned)
                .or_else(|| e.variants.first().map(|v| v.wire.clone()))
                .unwrap_or_default();
            Some(quote!(#path::from(#wire)))
        }
        ModelKind::Alias(inner) => value(inner, sample, ctx, depth, multipart),
        ModelKind::Newtype(inner) => {
            let inner = value(inner, sample, ctx, depth + 1, multipart)?;
            Some(quote!(#path(#inner)))
        }
        ModelKind::Union(u) => u.variants.iter().find_map(|variant| {
            let vname = &variant.name;
            let inner = value(&variant.ty, sample, ctx, depth + 1, multipart)?;
            Some(quote!(#path::#vname(#inner)))
        }),
        ModelKind::Struct(s) => {
            // Structs are `#[non_exhaustive]`: built by `new(required...)` (or
            // `Default` when nothing is required), then optional fields are set.
            // The first group of an "at least one of" constraint is filled in.
            let chosen: &[String] = s.required_any_of.first().map_or(&[], Vec::as_slice);
            let mut required = Vec::new();
            let mut sets = Vec::new();
            for f in &s.fields {
                // Files are the point of a multipart body: send them even when optional.
                let wanted = f.presence.is_required()
                    || chosen.contains(&f.wire)
                    || (multipart && f.ty == Type::Bytes);
                if !wanted {
                    continue;
                }
                let mut inner = value(&f.ty, f.sample.as_ref(), ctx, depth + 1, multipart)?;
                if f.boxed {
                    inner = quote!(::std::boxed::Box::new(#inner));
                }
                let wrapped = match f.presence.wrapper(model.usage.serialize && !multipart) {
                    Wrapper::Plain => inner,
                    Wrapper::Nullable => quote!(api::Nullable::Value(#inner)),
                    Wrapper::Option => quote!(::std::option::Option::Some(#inner)),
                };
                if f.presence.is_required() {
                    required.push(wrapped);
                } else {
                    let fname = &f.name;
                    sets.push(quote!(value.#fname = #wrapped;));
                }
            }
            let built = if s.fields.iter().any(|f| f.presence.is_required()) {
                quote!(#path::new(#(#required),*))
            } else {
                quote!(<#path as ::std::default::Default>::default())
            };
            Some(if sets.is_empty() {
                built
            } else {
                quote!({
                    let mut value = #built;
                    #(#sets)*
                    value
                })
            })
        }
    }
}
