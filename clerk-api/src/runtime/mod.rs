//! The hand-written half of the crate: everything generated code calls into.
//!
//! Nothing here knows a Clerk endpoint; the generated modules describe each operation
//! as a [`Request`] and this runtime sends it.

mod call;
mod client;
mod error;
mod json_path;
mod multipart;
mod nullable;
mod pagination;
mod request;
mod response;
mod retry;
mod serde_support;
mod tls;

pub use call::{Call, Decode};
pub use client::{Client, ClientBuilder, RequestOptions, ResponseMeta, ResponseObserver};
pub use error::{ApiError, ApiErrorBody, ApiErrorDetail, DecodeError, Error, TransportError};
pub use multipart::{FilePart, Multipart};
pub use nullable::Nullable;
pub use pagination::{Page, Paginated, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
pub use request::{ArrayStyle, ObjectStyle, ParamValue, Request};
pub use response::Response;
pub use retry::RetryPolicy;
pub use serde_support::{from_json_value, read_text, required, Key};
