//! The hand-written half of the crate: everything generated code calls into.
//!
//! Nothing here knows a Clerk endpoint; the generated modules describe each operation
//! as a [`Request`] and this runtime sends it.

mod builder;
mod call;
mod client;
mod deadline;
mod error;
pub mod json;
mod json_path;
mod multipart;
mod nullable;
mod pagination;
mod rate_limit;
mod raw;
mod request;
mod response;
mod retry;
mod serde_support;
mod tls;

pub use builder::RequestBase;
pub use call::{Call, Decode};
#[cfg(feature = "test-util")]
pub(crate) use client::OPERATION_ID_HEADER;
pub use client::{
    Client, ClientBuilder, RequestOptions, ResponseMeta, ResponseObserver, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_TIMEOUT,
};
pub use error::{
    ApiError, ApiErrorBody, ApiErrorDetail, DecodeError, Error, TimeoutKind, TransportError,
};
pub use json::{
    deserialize_with_from_json, from_text as json_from_text, missing as json_missing,
    tag_of as json_tag_of, FromJson, JsonError, JsonField, JsonFields, JsonReader,
};
pub use multipart::{FilePart, Multipart};
pub use nullable::Nullable;
pub use pagination::{Page, Paginated, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
pub use rate_limit::{RateLimit, MAX_RATE_LIMIT_PAUSE};
pub use raw::{RawRequest, RAW_OPERATION_ID};
pub use request::{ArrayStyle, ObjectStyle, ParamValue, Request};
pub use response::Response;
pub use retry::RetryPolicy;
pub use serde_support::{from_json_value, read_text};
