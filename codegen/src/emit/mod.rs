//! Stage 3: [`ir::Api`] -> token streams, one per generated file.

mod contract;
mod docs;
mod model;
mod operation;
mod webhooks;

pub use contract::suite as contract_suite;
pub use docs::rustdoc;
pub use webhooks::events_module;

use crate::ir::{self, BodyMedia, ModelKind, Type};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// Where a type is written, which decides how it is spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Inside `models.rs`.
    Models,
    /// Inside a `multipart/form-data` body struct: binary fields are files.
    Multipart,
    /// Inside a tag module: models are `super::models::X`, binary is `bytes::Bytes`.
    Operations,
}

/// An identifier from a name the naming module produced (`r#type` becomes raw).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(bare) => Ident::new_raw(bare, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

pub fn type_tokens(ty: &Type, scope: Scope) -> TokenStream {
    match ty {
        Type::Bool => quote!(bool),
        Type::I32 => quote!(i32),
        Type::I64 => quote!(i64),
        Type::F32 => quote!(f32),
        Type::F64 => quote!(f64),
        Type::String => quote!(::std::string::String),
        Type::Bytes => match scope {
            Scope::Multipart => quote!(crate::FilePart),
            Scope::Operations => quote!(::bytes::Bytes),
            // Binary inside JSON can only travel as a string.
            Scope::Models => quote!(::std::string::String),
        },
        Type::Json => quote!(::serde_json::Value),
        Type::JsonObject => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        Type::Named(name) => {
            let name = ident(name);
            match scope {
                Scope::Operations => quote!(super::models::#name),
                Scope::Models | Scope::Multipart => quote!(#name),
            }
        }
        Type::Vec(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(::std::vec::Vec<#inner>)
        }
        Type::Option(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(::std::option::Option<#inner>)
        }
        Type::Map(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
    }
}

/// Every generated file as (path relative to the generated directory, tokens).
pub fn emit(api: &ir::Api) -> Vec<(String, TokenStream)> {
    let mut files = Vec::with_capacity(api.modules.len() + 2);
    files.push(("mod.rs".to_owned(), root(api)));
    files.push(("models.rs".to_owned(), models(api)));
    for module in &api.modules {
        files.push((format!("{}.rs", module.name), operation::module(module)));
    }
    files
}

fn root(api: &ir::Api) -> TokenStream {
    let version = &api.version;
    let base_url = api
        .server_url
        .clone()
        .unwrap_or_else(|| "http://localhost".to_owned());
    let title_doc = format!(" Generated from {} {}.", api.title, api.version);
    let modules = api.modules.iter().map(|m| {
        let name = ident(&m.name);
        let feature = &m.name;
        let docs = docs::doc_attrs([m.doc.as_deref().or(Some(m.tag.as_str()))]);
        let feature_doc = format!(
            " Operations of the `{}` tag (cargo feature `{feature}`).",
            m.tag
        );
        quote! {
            #docs
            #[doc = ""]
            #[doc = #feature_doc]
            #[cfg(feature = #feature)]
            pub mod #name;
        }
    });
    quote! {
        #![doc = #title_doc]

        /// The API version this code was generated from, sent as `Clerk-API-Version`.
        pub const API_VERSION: &str = #version;

        /// The server the spec names; `Client` uses it unless told otherwise.
        pub const DEFAULT_BASE_URL: &str = #base_url;

        /// Request and response types shared by the operations.
        pub mod models;
        #(#modules)*
    }
}

fn models(api: &ir::Api) -> TokenStream {
    let multipart: BTreeSet<&str> = api
        .modules
        .iter()
        .flat_map(|m| &m.operations)
        .filter_map(|op| op.body.as_ref())
        .filter(|b| b.media == BodyMedia::Multipart)
        .filter_map(|b| b.ty.named())
        .collect();
    let kinds: BTreeMap<&str, &ModelKind> = api
        .models
        .iter()
        .map(|m| (m.name.as_str(), &m.kind))
        .collect();
    let is_enum = |name: &str| matches!(kinds.get(name), Some(ModelKind::Enum(_)));
    let all_features: Vec<&str> = api.modules.iter().map(|m| m.name.as_str()).collect();
    let items = api.models.iter().flat_map(|m| {
        let gate = feature_gate(&m.features, &all_features);
        model::model(m, multipart.contains(m.name.as_str()), &is_enum)
            .into_iter()
            .map(move |item| quote!(#gate #item))
    });
    quote! {
        // Generated code may use the spec's deprecated items; callers still get the
        // warning where they use them.
        #![allow(deprecated)]

        #(#items)*
    }
}

/// `#[cfg(...)]` for an item the given tag features use: none when every feature (or
/// no operation) uses it, so shared and standalone types are always there.
fn feature_gate(features: &[String], all: &[&str]) -> Option<TokenStream> {
    if features.is_empty() || features.len() == all.len() {
        return None;
    }
    let names = features.iter().map(|f| quote!(feature = #f));
    Some(if features.len() == 1 {
        quote!(#[cfg(#(#names)*)])
    } else {
        quote!(#[cfg(any(#(#names),*))])
    })
}
