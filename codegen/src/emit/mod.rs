//! Stage 3: [`ir::Api`] -> token streams, one per generated file.

mod contract;
mod docs;
pub(crate) mod model;
pub(crate) mod operation;
mod webhooks;

pub use contract::SUITE_FILE;
pub use docs::rustdoc;
pub use webhooks::events_module;

use crate::ir::{self, BodyMedia, ModelKind, Models as _, Type};
use crate::naming::RustIdent;
use crate::runtime_api::RootItem;
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
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

/// The one rule for how a required parameter is taken: strings as `&str`, arrays as
/// slices, models and maps by reference; other scalars by value.
pub(crate) fn passed_by_reference(ty: &Type) -> bool {
    matches!(
        ty,
        Type::String | Type::Vec(_) | Type::Named(_) | Type::Map(_) | Type::JsonObject
    )
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
            Scope::Multipart => RootItem::FilePart.to_token_stream(),
            Scope::Operations => quote!(::bytes::Bytes),
            // Binary inside JSON can only travel as a string.
            Scope::Models => quote!(::std::string::String),
        },
        Type::Json => quote!(::serde_json::Value),
        Type::JsonObject => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        Type::Named(name) => match scope {
            Scope::Operations => quote!(super::models::#name),
            Scope::Models | Scope::Multipart => quote!(#name),
        },
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

/// How many models one piece of `models.rs` holds: small enough to spread the file over
/// the cores, large enough that a piece is not mostly overhead.
const MODELS_PER_PIECE: usize = 40;

/// A piece of a generated file. Files are emitted and formatted piece by piece (in
/// parallel: see [`crate::generate`]); a file's text is its pieces' text in order.
#[derive(Debug, Clone)]
pub struct Piece {
    /// The file, relative to the generated directory (or, for the contract suite, to the
    /// crate's `tests/`).
    pub path: String,
    kind: PieceKind,
}

#[derive(Debug, Clone)]
enum PieceKind {
    Root,
    /// Models `start..end` of `Api::models`; the first piece also carries the file's
    /// inner attributes.
    Models {
        start: usize,
        end: usize,
    },
    Module(usize),
    Contract,
}

/// Emits the pieces of one API. Holds what several pieces need, computed once.
pub struct Emitter<'a> {
    api: &'a ir::Api,
    models: ModelsContext<'a>,
}

/// What the model emitter needs to know about the models beyond each one itself.
struct ModelsContext<'a> {
    kinds: BTreeMap<&'a RustIdent, &'a ModelKind>,
    /// `multipart/form-data` bodies.
    multipart: BTreeSet<&'a RustIdent>,
    /// Enums that parameters carry get `ParamValue`, which writes them into a request.
    param_types: BTreeSet<&'a RustIdent>,
}

impl<'a> Emitter<'a> {
    pub fn new(api: &'a ir::Api) -> Self {
        let kinds: BTreeMap<&RustIdent, &ModelKind> =
            api.models.iter().map(|m| (&m.name, &m.kind)).collect();
        let operations = || api.modules.iter().flat_map(|m| &m.operations);
        let multipart = multipart_models(api);
        let param_types = operations()
            .flat_map(|op| &op.params)
            .flat_map(|p| kinds.named_through_aliases(&p.ty))
            // The index's own keys, which live as long as the API.
            .filter_map(|name| kinds.get_key_value(name).map(|(name, _)| *name))
            .collect();
        Emitter {
            api,
            models: ModelsContext {
                kinds,
                multipart,
                param_types,
            },
        }
    }

    /// Every piece of the crate's generated files, in file order; the contract suite's
    /// come last.
    pub fn pieces(&self) -> Vec<Piece> {
        let piece = |path: String, kind| Piece { path, kind };
        let mut pieces = vec![piece("mod.rs".to_owned(), PieceKind::Root)];
        let count = self.api.models.len();
        let mut start = 0;
        loop {
            let end = (start + MODELS_PER_PIECE).min(count);
            pieces.push(piece(
                "models.rs".to_owned(),
                PieceKind::Models { start, end },
            ));
            if end == count {
                break;
            }
            start = end;
        }
        for (i, module) in self.api.modules.iter().enumerate() {
            pieces.push(piece(format!("{}.rs", module.name), PieceKind::Module(i)));
        }
        pieces.push(piece(contract::SUITE_FILE.to_owned(), PieceKind::Contract));
        pieces
    }

    /// Whether a piece belongs to the contract suite rather than `src/generated/`.
    pub fn is_contract(piece: &Piece) -> bool {
        matches!(piece.kind, PieceKind::Contract)
    }

    pub fn tokens(&self, piece: &Piece) -> TokenStream {
        match piece.kind {
            PieceKind::Root => root(self.api),
            PieceKind::Models { start, end } => self.models(start, end),
            PieceKind::Module(i) => operation::module(&self.api.modules[i]),
            PieceKind::Contract => contract::suite(self.api),
        }
    }

    fn models(&self, start: usize, end: usize) -> TokenStream {
        let context = &self.models;
        let is_enum =
            |name: &RustIdent| matches!(context.kinds.get(name), Some(ModelKind::Enum(_)));
        let feature_count = self.api.modules.len();
        let items = self.api.models[start..end].iter().flat_map(|m| {
            let gate = feature_gate(&m.features, feature_count);
            let context = model::Context {
                multipart: context.multipart.contains(&m.name),
                parameter: context.param_types.contains(&m.name),
                is_enum: &is_enum,
            };
            model::model(m, &context)
                .into_iter()
                .map(move |item| quote!(#gate #item))
        });
        let inner = (start == 0).then(|| {
            quote! {
                // Generated code may use the spec's deprecated items; callers still get
                // the warning where they use them.
                #![allow(deprecated)]
            }
        });
        quote! {
            #inner
            #(#items)*
        }
    }
}

fn root(api: &ir::Api) -> TokenStream {
    let version = &api.version;
    let base_url = api
        .server_url
        .clone()
        .unwrap_or_else(|| "http://localhost".to_owned());
    let title_doc = format!(" Generated from {} {}.", api.title, api.version);
    let modules = api.modules.iter().map(|m| {
        let name = &m.name;
        let feature = m.name.bare();
        let docs = docs::doc_attrs([m.doc.as_deref().or(Some(m.tag.as_str()))]);
        let feature_doc = format!(
            " Operations of the `{}` tag (cargo feature `{feature}`).",
            m.tag
        );
        let gate = cfg_with_badge(quote!(feature = #feature));
        let operations = operation_table(m)
            .into_iter()
            .map(|line| quote!(#[doc = #line]));
        quote! {
            #docs
            #[doc = ""]
            #[doc = #feature_doc]
            #[doc = ""]
            #(#operations)*
            #gate
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

/// A tag module's operations as a rustdoc table: the `Client` method, its HTTP request
/// and the first line of its summary.
fn operation_table(module: &ir::Module) -> Vec<String> {
    let mut lines = vec![
        " | method | request | summary |".to_owned(),
        " | --- | --- | --- |".to_owned(),
    ];
    for op in &module.operations {
        let summary = op
            .summary
            .as_deref()
            .and_then(|s| docs::rustdoc(s).into_iter().next())
            .unwrap_or_default()
            .replace('|', "\\|");
        let deprecated = if op.deprecated { " (deprecated)" } else { "" };
        lines.push(format!(
            " | [`{0}`](crate::Client::{0}){deprecated} | `{1} {2}` | {summary} |",
            op.fn_name,
            op.method.as_str(),
            op.path
        ));
    }
    lines
}

/// The models that are `multipart/form-data` bodies (written part by part, with files).
pub(crate) fn multipart_models(api: &ir::Api) -> BTreeSet<&RustIdent> {
    api.modules
        .iter()
        .flat_map(|m| &m.operations)
        .filter_map(|op| op.body.as_ref())
        .filter(|b| b.media == BodyMedia::Multipart)
        .filter_map(|b| b.ty.named())
        .collect()
}

/// Whether an item the given tag features use is behind them: not when every feature
/// (or no operation) uses it.
pub(crate) fn is_gated(features: &[RustIdent], feature_count: usize) -> bool {
    !features.is_empty() && features.len() != feature_count
}

/// `#[cfg(...)]` for an item the given tag features use: none when every feature (or
/// no operation) uses it, so shared and standalone types are always there.
fn feature_gate(features: &[RustIdent], feature_count: usize) -> Option<TokenStream> {
    if !is_gated(features, feature_count) {
        return None;
    }
    let names = features.iter().map(|f| {
        let f = f.bare();
        quote!(feature = #f)
    });
    Some(if features.len() == 1 {
        cfg_with_badge(quote!(#(#names)*))
    } else {
        cfg_with_badge(quote!(any(#(#names),*)))
    })
}

/// `#[cfg(predicate)]` and, for docs.rs (which documents with `--cfg docsrs`), the
/// badge that tells a reader which feature the item needs.
fn cfg_with_badge(predicate: TokenStream) -> TokenStream {
    quote! {
        #[cfg(#predicate)]
        #[cfg_attr(docsrs, doc(cfg(#predicate)))]
    }
}
