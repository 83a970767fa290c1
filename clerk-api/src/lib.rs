//! A typed async client for [Clerk's Backend API](https://clerk.com/docs/reference/backend-api).
//!
//! ```no_run
//! # async fn run() -> Result<(), clerk_api::Error> {
//! let client = clerk_api::Client::from_env()?; // reads CLERK_SECRET_KEY
//! let page = client.list_organizations().limit(20).await?;
//! for org in &page.data {
//!     println!("{} {}", org.id, org.name);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Layout: [`models`] holds the request and response types; every tag of the API is a
//! module (for example [`organizations`]) listing its operations and holding their
//! request builders. Every operation is a method on [`Client`] taking the required
//! parameters and returning a request builder: set optional parameters with its
//! methods, then `.await` it (paginated operations also have `.stream()`). The
//! operations and models are generated from the OpenAPI spec by `cargo xtask gen`; the
//! client runtime (authentication, errors, retries) is hand-written in `src/runtime`.
//!
//! Cargo features: every tag is one (all on by default), gating its module, its `Client`
//! methods and the models only it uses. Off by default: `auth` adds `clerk_api::auth`
//! (verifying session tokens), `webhook` adds `clerk_api::webhook` (verifying Clerk's
//! webhook requests and decoding them into typed events), `axum` their axum
//! integrations, and `test-util` helpers for your own tests (`clerk_api::testing`, a
//! mock Clerk server). On docs.rs each gated item names the feature it needs.

#![warn(missing_debug_implementations)]
// docs.rs documents with `--cfg docsrs` on nightly: the badges naming the cargo feature
// each gated item needs (`doc(cfg(...))` beside every feature `cfg`) need `doc_cfg`.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[doc(hidden)]
pub mod runtime;

/// Decoding the models from JSON bytes as the client does, with the crate's own reader
/// (compiled once for every model, not once per model and format). The models also
/// implement `serde::Deserialize`, which goes through a `serde_json::Value` and so is
/// slower; use [`json::from_slice`] for bodies you hold yourself (a cached response, a
/// fixture, a message from a queue).
///
/// ```
/// use clerk_api::models::OrganizationMembershipPublicUserData;
///
/// let data: OrganizationMembershipPublicUserData = clerk_api::json::from_slice(
///     br#"{"user_id": "user_1", "has_image": false, "image_url": "", "identifier": "a@b.c"}"#,
/// )?;
/// assert_eq!(data.user_id, "user_1");
///
/// // A failure names the JSON path of the value it is about.
/// let error = clerk_api::json::from_slice::<OrganizationMembershipPublicUserData>(
///     br#"{"user_id": 5}"#,
/// )
/// .unwrap_err();
/// assert_eq!(error.path(), "user_id");
/// # Ok::<(), clerk_api::json::JsonError>(())
/// ```
pub mod json {
    pub use crate::runtime::json::{from_slice, from_value, FromJson, JsonError, JsonReader};
}

#[cfg(feature = "auth")]
#[cfg_attr(docsrs, doc(cfg(feature = "auth")))]
pub mod auth;

// prettyplease formats the generated files (deterministically, with no toolchain
// dependency); rustfmt would reformat them differently, so it leaves them alone.
#[rustfmt::skip]
#[path = "generated/mod.rs"]
mod generated;

pub use generated::*;

#[cfg(feature = "webhook")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhook")))]
pub mod webhook;
pub use runtime::{
    ApiError, ApiErrorBody, ApiErrorDetail, Client, ClientBuilder, DecodeError, Error, FilePart,
    Nullable, Paginated, RequestOptions, ResponseMeta, RetryPolicy, TransportError,
};
// Production transport: time limits, the rate limiter and the escape hatch.
pub use runtime::{
    RateLimit, RawRequest, Response, TimeoutKind, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT,
    MAX_RATE_LIMIT_PAUSE, RAW_OPERATION_ID,
};

// Helpers for users' tests (a loopback mock server): see the module's docs.
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod testing;

/// The HTTP client underneath, re-exported for `ClientBuilder::http_client` and for the
/// `StatusCode`/`HeaderMap` types errors carry.
pub use reqwest;

/// The crate README's examples (the crates.io page), compiled as doctests so they stay
/// true. The workspace README's are doctests of `xtask`: that file is not in the package.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
