//! The crate's one error type.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::Deserialize;
use std::fmt;
use std::time::Duration;

/// What can go wrong with a call.
///
/// - [`Error::Api`]: Clerk answered with a non-success status; see [`ApiError`].
/// - [`Error::Transport`]: no complete answer: connection refused or reset, or a time
///   limit ran out ([`Error::timeout_kind`] says which).
/// - [`Error::Decode`]: a success answer whose body does not match the expected type.
/// - [`Error::InvalidRequest`]: the request could not be built (e.g. an empty path id).
/// - [`Error::Config`]: the client could not be configured (e.g. no secret key).
///
/// `Display` is one line naming the operation; the secret key never appears.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    Api(Box<ApiError>),
    Transport(Box<TransportError>),
    Decode(Box<DecodeError>),
    InvalidRequest {
        operation_id: &'static str,
        message: String,
    },
    Config(String),
}

/// A non-success HTTP answer, with Clerk's error body parsed when it parses.
#[derive(Debug)]
pub struct ApiError {
    pub(crate) operation_id: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) parsed: Option<ApiErrorBody>,
    pub(crate) retry_after: Option<Duration>,
}

/// Clerk's error body (`ClerkErrors` in the spec).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ApiErrorBody {
    pub errors: Vec<ApiErrorDetail>,
    #[serde(default)]
    pub clerk_trace_id: Option<String>,
    #[serde(default)]
    pub meta: Option<serde_json::Value>,
}

/// One entry of [`ApiErrorBody::errors`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ApiErrorDetail {
    pub message: String,
    #[serde(default)]
    pub long_message: Option<String>,
    pub code: String,
    #[serde(default)]
    pub meta: Option<serde_json::Value>,
}

/// A request that got no complete answer.
#[derive(Debug)]
pub struct TransportError {
    pub(crate) operation_id: &'static str,
    /// `None` when the deadline ran out between attempts, with no request in flight.
    pub(crate) source: Option<reqwest::Error>,
    pub(crate) timeout: Option<TimeoutKind>,
    /// For [`TimeoutKind::Deadline`]: how the attempt before the deadline failed.
    pub(crate) last_error: Option<Box<Error>>,
}

/// Which time limit ended a call (see [`Error::timeout_kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// No connection could be opened within the client's connect timeout
    /// ([`ClientBuilder::connect_timeout`](crate::ClientBuilder::connect_timeout)).
    Connect,
    /// One attempt, from sending the request to the end of the answer's body, ran past
    /// the per-attempt timeout ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)).
    Attempt,
    /// The whole call, retries, backoff and rate-limit waits included, ran past its
    /// deadline ([`ClientBuilder::deadline`](crate::ClientBuilder::deadline)).
    Deadline,
}

impl TimeoutKind {
    fn describe(self) -> &'static str {
        match self {
            TimeoutKind::Connect => "connect timed out",
            TimeoutKind::Attempt => "attempt timed out",
            TimeoutKind::Deadline => "deadline exceeded",
        }
    }
}

/// A success answer whose body is not the documented type.
#[derive(Debug)]
pub struct DecodeError {
    pub(crate) operation_id: &'static str,
    pub(crate) status: StatusCode,
    /// Where in the body it failed, e.g. `data[3].created_at`.
    pub(crate) path: String,
    pub(crate) message: String,
    pub(crate) body: Bytes,
}

impl ApiError {
    pub(crate) fn new(
        operation_id: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        retry_after: Option<Duration>,
    ) -> Self {
        let parsed = serde_json::from_slice::<ApiErrorBody>(&body).ok();
        ApiError {
            operation_id,
            status,
            headers,
            body,
            parsed,
            retry_after,
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The parsed `ClerkErrors` body, or `None` when the body was not that shape.
    pub fn body(&self) -> Option<&ApiErrorBody> {
        self.parsed.as_ref()
    }

    /// The individual errors of the parsed body (empty when it did not parse).
    pub fn errors(&self) -> &[ApiErrorDetail] {
        self.parsed.as_ref().map_or(&[], |b| &b.errors)
    }

    /// The body as received.
    pub fn raw_body(&self) -> &[u8] {
        &self.body
    }

    /// Clerk's trace id: from the body, else from the `x-clerk-trace-id` header.
    pub fn clerk_trace_id(&self) -> Option<&str> {
        self.parsed
            .as_ref()
            .and_then(|b| b.clerk_trace_id.as_deref())
            .or_else(|| {
                self.headers
                    .get("x-clerk-trace-id")
                    .and_then(|v| v.to_str().ok())
            })
    }

    /// How long the server asked to wait (`Retry-After`), if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }
}

impl TransportError {
    /// The underlying reqwest error; `None` when the deadline ran out while the call
    /// was waiting (for a retry or for the rate limiter), not sending.
    pub fn source_error(&self) -> Option<&reqwest::Error> {
        self.source.as_ref()
    }

    /// Which time limit ended the call, if one did.
    pub fn timeout_kind(&self) -> Option<TimeoutKind> {
        self.timeout
    }

    /// When the deadline ended a call that had already failed an attempt (say with a
    /// `503` it would have retried): that attempt's error.
    pub fn last_error(&self) -> Option<&Error> {
        self.last_error.as_deref()
    }

    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }
}

impl DecodeError {
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// What did not match.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The JSON path of the field that failed, e.g. `data[3].created_at`.
    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn raw_body(&self) -> &[u8] {
        &self.body
    }
}

impl Error {
    pub(crate) fn invalid_request(operation_id: &'static str, message: String) -> Self {
        Error::InvalidRequest {
            operation_id,
            message,
        }
    }

    /// A failed send; `deadline_bound` says whether the attempt's time limit was the
    /// rest of the call's deadline (then a timeout is the deadline's, not the attempt's).
    pub(crate) fn transport(
        operation_id: &'static str,
        source: reqwest::Error,
        deadline_bound: bool,
    ) -> Self {
        // reqwest marks its connect timeout as a connect error; its per-request timeout
        // (which covers connecting too) as a plain timeout.
        let timeout = source.is_timeout().then(|| {
            if source.is_connect() {
                TimeoutKind::Connect
            } else if deadline_bound {
                TimeoutKind::Deadline
            } else {
                TimeoutKind::Attempt
            }
        });
        Error::Transport(Box::new(TransportError {
            operation_id,
            source: Some(source),
            timeout,
            last_error: None,
        }))
    }

    /// The deadline ran out before the next attempt could start.
    pub(crate) fn deadline(operation_id: &'static str, last_error: Option<Error>) -> Self {
        Error::Transport(Box::new(TransportError {
            operation_id,
            source: None,
            timeout: Some(TimeoutKind::Deadline),
            last_error: last_error.map(Box::new),
        }))
    }

    pub(crate) fn decode(
        operation_id: &'static str,
        status: StatusCode,
        path: String,
        message: String,
        body: Bytes,
    ) -> Self {
        Error::Decode(Box::new(DecodeError {
            operation_id,
            status,
            path,
            message,
            body,
        }))
    }

    /// The operationId of the call that failed (`None` for configuration errors).
    pub fn operation_id(&self) -> Option<&'static str> {
        match self {
            Error::Api(e) => Some(e.operation_id),
            Error::Transport(e) => Some(e.operation_id),
            Error::Decode(e) => Some(e.operation_id),
            Error::InvalidRequest { operation_id, .. } => Some(operation_id),
            Error::Config(_) => None,
        }
    }

    /// The HTTP status, when an answer arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            _ => None,
        }
    }

    /// The API error, when Clerk answered with a non-success status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// `true` when a time limit ended the call; [`Error::timeout_kind`] says which.
    pub fn is_timeout(&self) -> bool {
        self.timeout_kind().is_some()
    }

    /// Which time limit ended the call: the connect timeout, the per-attempt timeout or
    /// the call's deadline. `None` for every other error.
    ///
    /// ```no_run
    /// # async fn run(client: clerk_api::Client) {
    /// use clerk_api::TimeoutKind;
    /// match client.get_organization("org_123").await {
    ///     Err(e) if e.timeout_kind() == Some(TimeoutKind::Connect) => eprintln!("Clerk unreachable: {e}"),
    ///     Err(e) if e.timeout_kind() == Some(TimeoutKind::Deadline) => eprintln!("gave up in time: {e}"),
    ///     other => { let _ = other; }
    /// }
    /// # }
    /// ```
    pub fn timeout_kind(&self) -> Option<TimeoutKind> {
        match self {
            Error::Transport(e) => e.timeout,
            _ => None,
        }
    }

    /// `true` when no complete answer arrived.
    pub fn is_transport(&self) -> bool {
        matches!(self, Error::Transport(_))
    }

    /// The raw response body, for API and decode errors.
    pub fn raw_body(&self) -> Option<&[u8]> {
        match self {
            Error::Api(e) => Some(&e.body),
            Error::Decode(e) => Some(&e.body),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => {
                write!(f, "{}: HTTP {}", e.operation_id, e.status)?;
                match e.errors().first() {
                    Some(first) => {
                        let message = first.long_message.as_deref().unwrap_or(&first.message);
                        write!(f, ": {}: {}", one_line(&first.code), one_line(message))?;
                        if e.errors().len() > 1 {
                            write!(f, " (+{} more)", e.errors().len() - 1)?;
                        }
                    }
                    None if !e.body.is_empty() => {
                        let text = String::from_utf8_lossy(&e.body);
                        let snippet: String = text.chars().take(200).collect();
                        write!(f, ": {}", one_line(&snippet))?;
                    }
                    None => {}
                }
                if let Some(trace) = e.clerk_trace_id() {
                    write!(f, " (trace {})", one_line(trace))?;
                }
                Ok(())
            }
            Error::Transport(e) => {
                let what = match (e.timeout, &e.source) {
                    (Some(kind), _) => kind.describe(),
                    (None, Some(source)) if source.is_connect() => "could not connect",
                    (None, _) => "transport error",
                };
                write!(f, "{}: {what}", e.operation_id)?;
                if let Some(source) = &e.source {
                    write!(f, ": {source}")?;
                }
                if let Some(last) = &e.last_error {
                    write!(f, " (last attempt: {last})")?;
                }
                Ok(())
            }
            Error::Decode(e) => write!(
                f,
                "{}: HTTP {} body does not match the expected type at `{}`: {}",
                e.operation_id, e.status, e.path, e.message
            ),
            Error::InvalidRequest {
                operation_id,
                message,
            } => write!(f, "{operation_id}: invalid request: {message}"),
            Error::Config(message) => write!(f, "client configuration: {message}"),
        }
    }
}

/// Server text with its line breaks and other control characters folded into spaces,
/// so `Display` stays one line whatever the server sent.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => match (&e.source, &e.last_error) {
                (Some(source), _) => Some(source),
                (None, Some(last)) => Some(&**last),
                (None, None) => None,
            },
            _ => None,
        }
    }
}
