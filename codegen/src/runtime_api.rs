//! The contract between generated code and clerk-api's hand-written runtime.
//!
//! Every path the emitted code names in the runtime is a [`RuntimeItem`] or a
//! [`RootItem`], and every name the runtime already takes (methods of `Client`, modules
//! and features of the crate root) is listed here, so lowering can keep spec names clear
//! of them. `xtask/tests/runtime_api.rs` checks these lists against the runtime's source,
//! so they cannot drift from it.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

/// Methods a generated operation may not take: `Client`'s hand-written inherent methods,
/// public or not (two inherent methods of one name clash wherever they are defined), and
/// the trait methods generated code calls on a `Client` (an inherent method of the same
/// name would shadow them).
pub const CLIENT_METHODS: &[&str] = &[
    // Inherent methods (checked against the `impl Client` blocks of the runtime).
    "new",
    "builder",
    "from_env",
    "base_url",
    "with_options",
    "retry_policy",
    "timeout",
    "connect_timeout",
    "deadline",
    "rate_limit",
    "raw",
    "jwks_cache",
    "send",
    "url",
    "send_with_retries",
    "attempt",
    "ready",
    "request_builder",
    // Trait methods: `Clone` (generated stream methods clone the client) and `Debug`.
    "clone",
    "fmt",
];

/// Methods every generated request builder has besides its parameters' setters: the
/// per-call options (forwarded to `runtime::RequestBase`, whose methods of the same
/// names they are), the optional body, the whole params struct, the stream of a
/// paginated operation, and the trait methods callers use on it (`IntoFuture`). A
/// setter for a spec parameter of one of these names is renamed.
pub const BUILDER_METHODS: &[&str] = &[
    "retry",
    "timeout",
    "deadline",
    "header",
    "options",
    "body",
    "params",
    "stream",
    "send",
    "into_future",
    "fmt",
];

/// Methods a generated struct has besides its fields' setters: its constructor, the
/// multipart writer, and the trait methods callers use on it (an inherent method of the
/// same name would shadow them). A setter for a field of one of these names is renamed.
pub const MODEL_METHODS: &[&str] = &[
    "new",
    "to_multipart",
    "clone",
    "clone_from",
    "fmt",
    "eq",
    "ne",
    "default",
    "serialize",
    "deserialize",
];

/// The methods of [`BUILDER_METHODS`] that forward to `runtime::RequestBase`.
pub const REQUEST_BASE_METHODS: &[&str] = &["retry", "timeout", "deadline", "header", "options"];

/// The inherent methods among [`CLIENT_METHODS`]; the rest are trait methods.
pub const CLIENT_TRAIT_METHODS: &[&str] = &["clone", "fmt"];

/// Names the crate root defines by hand beside the generated tag modules (its modules
/// and re-exports); no tag module may take one.
pub const ROOT_MODULES: &[&str] = &[
    "models",
    "runtime",
    "generated",
    "auth",
    "webhook",
    "testing",
    "reqwest",
    "json",
];

/// The generated webhook events module: a file beside the tag modules in the generated
/// directory (included by the hand-written `webhook` module), so no tag may take it.
pub const WEBHOOK_EVENTS_MODULE: &str = "webhook_events";

/// Cargo features the crate's manifest declares by hand; no tag feature may take one.
pub const HAND_WRITTEN_FEATURES: &[&str] =
    &["default", "auth", "webhook", "axum", "actix", "test-util"];

/// The page size of a stream when none is set, and the largest Clerk accepts
/// (`runtime::DEFAULT_PAGE_SIZE` and `runtime::MAX_PAGE_SIZE`, which the generated docs
/// quote).
pub const DEFAULT_PAGE_SIZE: i64 = 100;
pub const MAX_PAGE_SIZE: i64 = 500;

/// Items of `crate::runtime` generated code uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuntimeItem {
    Request,
    Response,
    Call,
    ParamValue,
    Multipart,
    ArrayStyle,
    ObjectStyle,
    Page,
    ReadText,
    FromJsonValue,
    RequestBase,
    FromJson,
    JsonReader,
    JsonFields,
    JsonField,
    JsonError,
    JsonMissing,
    JsonFromText,
    JsonTagOf,
    DeserializeWithFromJson,
}

impl RuntimeItem {
    pub const ALL: &'static [RuntimeItem] = &[
        RuntimeItem::Request,
        RuntimeItem::Response,
        RuntimeItem::Call,
        RuntimeItem::ParamValue,
        RuntimeItem::Multipart,
        RuntimeItem::ArrayStyle,
        RuntimeItem::ObjectStyle,
        RuntimeItem::Page,
        RuntimeItem::ReadText,
        RuntimeItem::FromJsonValue,
        RuntimeItem::RequestBase,
        RuntimeItem::FromJson,
        RuntimeItem::JsonReader,
        RuntimeItem::JsonFields,
        RuntimeItem::JsonField,
        RuntimeItem::JsonError,
        RuntimeItem::JsonMissing,
        RuntimeItem::JsonFromText,
        RuntimeItem::JsonTagOf,
        RuntimeItem::DeserializeWithFromJson,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RuntimeItem::Request => "Request",
            RuntimeItem::Response => "Response",
            RuntimeItem::Call => "Call",
            RuntimeItem::ParamValue => "ParamValue",
            RuntimeItem::Multipart => "Multipart",
            RuntimeItem::ArrayStyle => "ArrayStyle",
            RuntimeItem::ObjectStyle => "ObjectStyle",
            RuntimeItem::Page => "Page",
            RuntimeItem::ReadText => "read_text",
            RuntimeItem::FromJsonValue => "from_json_value",
            RuntimeItem::RequestBase => "RequestBase",
            RuntimeItem::FromJson => "FromJson",
            RuntimeItem::JsonReader => "JsonReader",
            RuntimeItem::JsonFields => "JsonFields",
            RuntimeItem::JsonField => "JsonField",
            RuntimeItem::JsonError => "JsonError",
            RuntimeItem::JsonMissing => "json_missing",
            RuntimeItem::JsonFromText => "json_from_text",
            RuntimeItem::JsonTagOf => "json_tag_of",
            RuntimeItem::DeserializeWithFromJson => "deserialize_with_from_json",
        }
    }
}

/// `crate::runtime::<item>`.
impl ToTokens for RuntimeItem {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let name = proc_macro2::Ident::new(self.name(), proc_macro2::Span::call_site());
        tokens.extend(quote!(crate::runtime::#name));
    }
}

/// Items of the crate root (re-exported from the runtime) generated code uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootItem {
    Client,
    Error,
    Nullable,
    Paginated,
    FilePart,
    RequestOptions,
    RetryPolicy,
}

impl RootItem {
    pub const ALL: &'static [RootItem] = &[
        RootItem::Client,
        RootItem::Error,
        RootItem::Nullable,
        RootItem::Paginated,
        RootItem::FilePart,
        RootItem::RequestOptions,
        RootItem::RetryPolicy,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RootItem::Client => "Client",
            RootItem::Error => "Error",
            RootItem::Nullable => "Nullable",
            RootItem::Paginated => "Paginated",
            RootItem::FilePart => "FilePart",
            RootItem::RequestOptions => "RequestOptions",
            RootItem::RetryPolicy => "RetryPolicy",
        }
    }

    /// The item's path as text (`crate::Nullable`), for attributes that take a string.
    pub fn path(self) -> String {
        format!("crate::{}", self.name())
    }

    fn ident(self) -> proc_macro2::Ident {
        proc_macro2::Ident::new(self.name(), proc_macro2::Span::call_site())
    }

    /// The item as an integration test names it (`api::Client`, with `api` the crate).
    pub fn from_tests(self) -> TokenStream {
        let name = self.ident();
        quote!(api::#name)
    }
}

/// `crate::<item>`.
impl ToTokens for RootItem {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let name = self.ident();
        tokens.extend(quote!(crate::#name));
    }
}
