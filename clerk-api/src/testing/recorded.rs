//! One request as the mock server received it.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde::de::DeserializeOwned;
use std::time::Instant;

/// A request the [`MockServer`](super::MockServer) received, for assertions.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RecordedRequest {
    pub method: Method,
    /// The path as sent, percent-encoded (`/users/a%2Fb`), without the query.
    pub path: String,
    /// The query pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The headers as sent (the operation-id header the mock client adds is moved to
    /// [`RecordedRequest::operation_id`]).
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The operation the call was made for (`GetOrganization`, or the id of a
    /// [`Client::raw`](crate::Client::raw) call), when the client came from
    /// [`MockServer::client`](super::MockServer::client) or its builder.
    pub operation_id: Option<String>,
    /// When the server read the request.
    pub received_at: Instant,
}

impl RecordedRequest {
    /// A header as text (`None` when absent or not text).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The first value of a query parameter.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query_values(name).next()
    }

    /// Every value of a query parameter, in order.
    pub fn query_values<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> {
        let name = name.to_owned();
        self.query
            .iter()
            .filter(move |(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body decoded as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}
