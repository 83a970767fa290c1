//! The framework extractors' event type, and the axum extractor: a handler argument
//! that is a verified event (the actix-web one is in `actix.rs`).

use super::Event;
#[cfg(feature = "axum")]
use super::{Verifier, WebhookError};
#[cfg(feature = "axum")]
use axum::body::Bytes;
#[cfg(feature = "axum")]
use axum::extract::rejection::BytesRejection;
#[cfg(feature = "axum")]
use axum::extract::{FromRef, FromRequest, Request};
#[cfg(feature = "axum")]
use axum::http::StatusCode;
#[cfg(feature = "axum")]
use axum::response::{IntoResponse, Response};
#[cfg(feature = "axum")]
use std::fmt;

/// A handler argument that is a verified webhook event.
///
/// With axum, the [`Verifier`](super::Verifier) comes from the router's state
/// (`Verifier: FromRef<S>`, so the state may be the verifier itself or a struct holding
/// one); take `Result<VerifiedEvent, WebhookRejection>` to see refusals in the handler.
/// With actix-web, it comes from the app data (`App::app_data(verifier)` or
/// `web::Data<Verifier>`). Either way a refused request never reaches the handler: it
/// is answered `400 Bad Request` with the refusal as text.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedEvent(pub Event);

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
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

/// Why [`VerifiedEvent`] did not extract (axum).
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookRejection {
    /// The request was read and refused; answered `400` with the refusal as text.
    Refused(WebhookError),
    /// The body could not be read (too large, or the connection failed); answered as
    /// axum answers that.
    Body(BytesRejection),
}

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
impl WebhookRejection {
    /// One stable lowercase word: the [`WebhookError::reason`] of a refusal, or `body`.
    pub fn reason(&self) -> &'static str {
        match self {
            WebhookRejection::Refused(e) => e.reason(),
            WebhookRejection::Body(_) => "body",
        }
    }
}

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
impl fmt::Display for WebhookRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookRejection::Refused(e) => e.fmt(f),
            WebhookRejection::Body(e) => write!(f, "webhook body unreadable: {e}"),
        }
    }
}

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
impl std::error::Error for WebhookRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookRejection::Refused(e) => Some(e),
            WebhookRejection::Body(e) => Some(e),
        }
    }
}

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
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
