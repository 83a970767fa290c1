//! A canned answer of the mock server.

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use reqwest::StatusCode;
use serde::Serialize;
use std::time::Duration;

/// What the [`MockServer`](super::MockServer) answers to a matched request.
///
/// The constructors panic on values a test cannot mean (a status outside 100..=999, a
/// body that does not serialize, an invalid header): a broken fixture fails at once.
#[derive(Debug, Clone)]
pub struct MockResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Bytes,
    pub(crate) delay: Duration,
}

impl MockResponse {
    /// `status` with `body` as JSON: a `serde_json::json!` value, or any `Serialize`
    /// type.
    pub fn json<T: Serialize + ?Sized>(status: u16, body: &T) -> Self {
        let body = serde_json::to_vec(body).expect("the mock body serializes to JSON");
        Self::raw(status, "application/json", body)
    }

    /// `200 OK` with `body` as JSON.
    pub fn ok<T: Serialize + ?Sized>(body: &T) -> Self {
        Self::json(200, body)
    }

    /// `status` with no body (e.g. `204`).
    pub fn empty(status: u16) -> Self {
        MockResponse {
            status: StatusCode::from_u16(status).expect("a valid HTTP status"),
            headers: Vec::new(),
            body: Bytes::new(),
            delay: Duration::ZERO,
        }
    }

    /// `status` with a body of this content type, as is.
    pub fn raw(status: u16, content_type: &str, body: impl Into<Bytes>) -> Self {
        let mut response = Self::empty(status).header(CONTENT_TYPE.as_str(), content_type);
        response.body = body.into();
        response
    }

    /// A Clerk error answer: `{"errors": [{"code", "message", "long_message"}],
    /// "clerk_trace_id"}`, as the API sends it, which the client parses into
    /// [`ApiError`](crate::ApiError).
    pub fn clerk_error(status: u16, code: &str, message: &str) -> Self {
        Self::json(
            status,
            &serde_json::json!({
                "errors": [{ "code": code, "message": message, "long_message": message, "meta": {} }],
                "clerk_trace_id": "mock_trace",
            }),
        )
    }

    /// `429 Too Many Requests` with `Retry-After: <seconds>`, as Clerk rate-limits.
    pub fn too_many_requests(retry_after_seconds: u64) -> Self {
        Self::clerk_error(429, "too_many_requests", "Too many requests")
            .header(RETRY_AFTER.as_str(), &retry_after_seconds.to_string())
    }

    /// Adds a header (repeat a name to send it twice).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::try_from(name).expect("a valid header name");
        let value = HeaderValue::try_from(value).expect("a valid header value");
        self.headers.push((name, value));
        self
    }

    /// Waits this long before answering: for testing timeouts and deadlines.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}
