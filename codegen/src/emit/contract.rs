//! The contract suite: an integration test calling every operation with valid
//! arguments against a mock server that implements the spec (Prism, run by
//! `cargo xtask contract`, which sets `CLERK_CONTRACT_URL`; without it every test
//! returns at once).
//!
//! Arguments are built from the IR: required fields and parameters only, leaf values
//! from the samples lowering took from the schema (`enum`, `example`, `default`,
//! `format`, `pattern`, bounds).

use super::ident;
use crate::ir::{Api, BodyMedia, Location, Model, ModelKind, Operation, Param, Type};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;
use std::collections::BTreeMap;

/// Nested required objects deeper than this are not built (a required recursive field
/// cannot exist in valid data anyway).
const MAX_DEPTH: usize = 8;

struct Ctx<'a> {
    models: BTreeMap<&'a str, &'a Model>,
}

/// The suite's files, relative to the crate's `tests/`: a root that keeps rustfmt away
/// from the generated module (prettyplease formats it), and the module itself.
pub fn suite(api: &Api) -> Vec<(String, TokenStream)> {
    let root = quote! {
        //! Contract tests of every operation against a mock server; see `suite.rs`.
        //! The suite is generated and formatted by `cargo xtask gen`, not rustfmt.

        #[rustfmt::skip]
        mod suite;
    };
    vec![
        ("contract/main.rs".to_owned(), root),
        ("contract/suite.rs".to_owned(), suite_module(api)),
    ]
}

fn suite_module(api: &Api) -> TokenStream {
    let ctx = Ctx {
        models: api.models.iter().map(|m| (m.name.as_str(), m)).collect(),
    };
    let mut tests = Vec::new();
    let mut error_tests = 0;
    for module in &api.modules {
        let feature = &module.name;
        let module_ident = ident(&module.name);
        let mut asked_404 = false;
        let mut asked_401 = false;
        for op in &module.operations {
            let Some(call) = call(op, &module_ident, &ctx) else {
                // No finite valid request exists (a required field contains itself).
                continue;
            };
            let name = ident(&format!("{}_succeeds", op.fn_name.trim_start_matches("r#")));
            let id = &op.id;
            tests.push(quote! {
                #[cfg(feature = #feature)]
                #[tokio::test]
                async fn #name() {
                    let Some(suite) = Suite::from_env() else { return };
                    // The generated example is asked for only when the static one broke
                    // the spec; the last answer is judged either way.
                    for (retry, client) in [&suite.client, &suite.dynamic].into_iter().enumerate() {
                        let result = #call;
                        if retry == 1 || !suite.answer_broke_the_spec() {
                            suite.passes(#id, result);
                            break;
                        }
                    }
                }
            });
            // A sample of error paths: per tag, the first operation documenting each.
            for (status, asked) in [(404u16, &mut asked_404), (401u16, &mut asked_401)] {
                if *asked || !op.error_statuses.contains(&status) {
                    continue;
                }
                *asked = true;
                error_tests += 1;
                let name = ident(&format!(
                    "{}_fails_with_{status}",
                    op.fn_name.trim_start_matches("r#")
                ));
                let options = if status == 401 {
                    quote!(api::RequestOptions::new()
                        .header("Authorization", "Basic not-a-bearer-token"))
                } else {
                    let prefer = format!("code={status}");
                    quote!(api::RequestOptions::new().header("Prefer", #prefer))
                };
                tests.push(quote! {
                    #[cfg(feature = #feature)]
                    #[tokio::test]
                    async fn #name() {
                        let Some(suite) = Suite::from_env() else { return };
                        let client = &suite.client.with_options(#options);
                        let result = #call;
                        suite.fails_with(#id, #status, result);
                    }
                });
            }
        }
    }
    let fails_with = (error_tests > 0).then(|| {
        quote! {
            /// The typed API error with this status and a parsed error body.
            fn fails_with<T>(&self, operation: &str, status: u16, result: Result<T, api::Error>) {
                let error = match result {
                    Ok(_) => panic!("{operation}: expected HTTP {status}, got a success"),
                    Err(error) => error,
                };
                let api_error = error
                    .api()
                    .unwrap_or_else(|| panic!("{operation}: expected HTTP {status}, got {error}"));
                assert_eq!(api_error.status().as_u16(), status, "{operation}: {error}");
                assert!(
                    api_error.body().is_some(),
                    "{operation}: the {status} body does not parse as Clerk errors: {}",
                    String::from_utf8_lossy(api_error.raw_body())
                );
            }
        }
    });
    if tests.is_empty() {
        return quote! {
            //! Contract tests: the spec has no operations, so there is nothing to call.
        };
    }
    quote! {
        //! Contract tests: every operation called with valid arguments against a mock
        //! server implementing the spec. `cargo xtask contract` starts the server (Prism)
        //! and sets `CLERK_CONTRACT_URL`; without it, every test returns at once.
        //!
        //! A test passes on a 2xx answer that decodes into the documented type, with no
        //! request violation reported by the server (`sl-violations`). When the server
        //! reports that its own answer breaks the spec (Prism's static examples cannot
        //! satisfy every schema), the operation is asked again for a generated example
        //! (`Prefer: dynamic=true`) and judged on that answer.
        #![allow(deprecated)]

        use clerk_api as api;
        use std::sync::{Arc, Mutex};

        #[derive(Default)]
        struct Violations {
            request: Vec<String>,
            response: Vec<String>,
        }

        struct Suite {
            client: api::Client,
            /// The same client asking the server for generated examples.
            dynamic: api::Client,
            violations: Arc<Mutex<Violations>>,
        }

        impl Suite {
            fn from_env() -> Option<Suite> {
                let url = std::env::var("CLERK_CONTRACT_URL").ok()?;
                let violations: Arc<Mutex<Violations>> = Arc::default();
                let seen = Arc::clone(&violations);
                let client = api::Client::builder("sk_test_contract_suite")
                    .base_url(url)
                    .retry(api::RetryPolicy::disabled())
                    .on_response(move |meta| {
                        // Prism lists what breaks the spec in this header, each entry
                        // located in the request or in its own response.
                        let Some(report) = meta.headers.get("sl-violations") else { return };
                        let entries: Vec<::serde_json::Value> =
                            ::serde_json::from_slice(report.as_bytes()).unwrap_or_default();
                        let mut seen = seen.lock().unwrap();
                        for entry in entries {
                            let text = entry.to_string();
                            if entry["location"][0] == "response" {
                                seen.response.push(text);
                            } else {
                                seen.request.push(text);
                            }
                        }
                    })
                    .build()
                    .expect("contract client");
                let dynamic = client.with_options(api::RequestOptions::new().header("Prefer", "dynamic=true"));
                Some(Suite { client, dynamic, violations })
            }

            /// Whether the server reported its answer so far as breaking the spec; the
            /// report is cleared.
            fn answer_broke_the_spec(&self) -> bool {
                let mut violations = self.violations.lock().unwrap();
                !std::mem::take(&mut violations.response).is_empty()
            }

            /// A 2xx answer that decoded into the documented type, with no violations.
            fn passes<T>(&self, operation: &str, result: Result<T, api::Error>) {
                if let Err(error) = &result {
                    panic!("{operation}: {error}");
                }
                let violations = self.violations.lock().unwrap();
                assert!(
                    violations.request.is_empty(),
                    "{operation}: the server reports that the request breaks the spec: {:?}",
                    violations.request
                );
            }

            #fails_with
        }

        #(#tests)*
    }
}

/// `client.<op>(args...).await`, with every required argument built from samples;
/// `None` when an argument has no finite valid value (a required recursive field).
fn call(op: &Operation, module: &proc_macro2::Ident, ctx: &Ctx) -> Option<TokenStream> {
    let fn_name = ident(&op.fn_name);
    let mut args: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| arg(p, ctx))
        .collect::<Option<_>>()?;
    if let Some(params) = &op.params_struct {
        let params = ident(params);
        args.push(quote!(&api::#module::#params::default()));
    }
    if let Some(body) = &op.body {
        let value = match body.media {
            BodyMedia::Bytes => quote!(::bytes::Bytes::from_static(b"contract")),
            media => {
                let value = value(&body.ty, None, ctx, 0, media == BodyMedia::Multipart)?;
                quote!(&#value)
            }
        };
        args.push(if body.required {
            value
        } else {
            quote!(::std::option::Option::Some(#value))
        });
    }
    Some(quote!(client.#fn_name(#(#args),*).await))
}

/// A required parameter as the argument type the method takes.
fn arg(param: &Param, ctx: &Ctx) -> Option<TokenStream> {
    let sample = param.sample.as_ref();
    match &param.ty {
        Type::String => {
            let text = sample.map(text_of).unwrap_or_else(|| default_text(param));
            Some(quote!(#text))
        }
        Type::Vec(_) | Type::Named(_) => {
            let value = value(&param.ty, sample, ctx, 0, false)?;
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
/// `None` when no finite value exists.
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
        Type::Bytes if multipart => quote! {
            api::FilePart::new(b"contract".to_vec()).file_name("contract.png").content_type("image/png")
        },
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

fn named(
    name: &str,
    sample: Option<&Value>,
    ctx: &Ctx,
    depth: usize,
    multipart: bool,
) -> Option<TokenStream> {
    let model = ctx.models.get(name)?;
    let path = {
        let name = ident(name);
        quote!(api::models::#name)
    };
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
        ModelKind::Union(u) => u.variants.iter().find_map(|variant| {
            let vname = ident(&variant.name);
            let inner = value(&variant.ty, sample, ctx, depth + 1, multipart)?;
            Some(quote!(#path::#vname(#inner)))
        }),
        ModelKind::Struct(s) => {
            if depth > MAX_DEPTH {
                return None;
            }
            let serialize = model.usage.serialize;
            // The first group of an "at least one of" constraint is filled in.
            let chosen: &[String] = s.required_any_of.first().map_or(&[], Vec::as_slice);
            let mut fields = Vec::with_capacity(s.fields.len());
            for f in &s.fields {
                let fname = ident(&f.name);
                // Files are the point of a multipart body: send them even when optional.
                let wanted =
                    f.required || chosen.contains(&f.wire) || (multipart && f.ty == Type::Bytes);
                let three_state = !f.required && f.nullable && serialize && !multipart;
                let init = if wanted {
                    let mut inner = value(&f.ty, f.sample.as_ref(), ctx, depth + 1, multipart)?;
                    if f.boxed {
                        inner = quote!(::std::boxed::Box::new(#inner));
                    }
                    match (f.required, f.nullable) {
                        (true, false) => inner,
                        _ if three_state => quote!(api::Nullable::Value(#inner)),
                        _ => quote!(::std::option::Option::Some(#inner)),
                    }
                } else if three_state {
                    quote!(api::Nullable::Absent)
                } else {
                    quote!(::std::option::Option::None)
                };
                fields.push(quote!(#fname: #init));
            }
            let additional = s.additional.as_ref().map(|_| {
                let additional_name = ident(&s.additional_name);
                quote!(#additional_name: ::std::default::Default::default(),)
            });
            Some(quote!(#path { #(#fields,)* #additional }))
        }
    }
}
