//! The axum extractor: a handler argument that is a verified event.

use super::{Event, Verifier, WebhookError};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::fmt;

/// An axum extractor for a verified webhook event, using the [`Verifier`] in the
/// router's state (`Verifier: FromRef<S>`, so the state may be the verifier itself or a
/// struct holding one).
///
/// A refused request never reaches the handler: it is answered `400 Bad Request` with
/// the refusal as text. Take `Result<VerifiedEvent, WebhookRejection>` to see
/// refusals in the handler instead.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedEvent(pub Event);

impl<S> FromRequest<S> for VerifiedEvent
where
    Verifier: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = Verifier::from_ref(state);
        let headers = request.headers().clone();
        let body = Bytes::from_request(request, state)
            .await
            .map_err(WebhookRejection::Body)?;
        verifier
            .verify(&headers, &body)
            .map(VerifiedEvent)
            .map_err(WebhookRejection::Refused)
    }
}

/// Why [`VerifiedEvent`] did not extract.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookRejection {
    /// The request was read and refused; answered `400` with the refusal as text.
    Refused(WebhookError),
    /// The body could not be read (too large, or the connection failed); answered as
    /// axum answers that.
    Body(BytesRejection),
}

impl WebhookRejection {
    /// One stable lowercase word: the [`WebhookError::reason`] of a refusal, or `body`.
    pub fn reason(&self) -> &'static str {
        match self {
            WebhookRejection::Refused(e) => e.reason(),
            WebhookRejection::Body(_) => "body",
        }
    }
}

impl fmt::Display for WebhookRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookRejection::Refused(e) => e.fmt(f),
            WebhookRejection::Body(e) => write!(f, "webhook body unreadable: {e}"),
        }
    }
}

impl std::error::Error for WebhookRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookRejection::Refused(e) => Some(e),
            WebhookRejection::Body(e) => Some(e),
        }
    }
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        match self {
            WebhookRejection::Refused(e) => {
                (StatusCode::BAD_REQUEST, e.to_string()).into_response()
            }
            WebhookRejection::Body(e) => e.into_response(),
        }
    }
}
