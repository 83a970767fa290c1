//! The actix-web extractor of a verified event (feature `actix`), and the header map
//! of actix-web 4 (on `http` 0.2) as [`WebhookHeaders`].

use super::extract::VerifiedEvent;
use super::{Verifier, WebhookError, WebhookHeaders};
use actix_web::dev::Payload;
use actix_web::web::{Bytes, Data};
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError};
use std::future::Future;
use std::pin::Pin;

impl WebhookHeaders for actix_web::http::header::HeaderMap {
    fn header(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A refusal is answered `400 Bad Request` with the refusal as text.
impl ResponseError for WebhookError {
    fn status_code(&self) -> actix_web::http::StatusCode {
        actix_web::http::StatusCode::BAD_REQUEST
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::BadRequest()
            .content_type("text/plain; charset=utf-8")
            .body(self.to_string())
    }
}

/// Reads the body, then verifies it with the app's [`Verifier`] (app data, plain or as
/// `web::Data`); without one, the request is answered `500`, as a missing `Data` is.
impl FromRequest for VerifiedEvent {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<VerifiedEvent, actix_web::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let verifier = request.app_data::<Verifier>().cloned().or_else(|| {
            request
                .app_data::<Data<Verifier>>()
                .map(|data| data.get_ref().clone())
        });
        let body = Bytes::from_request(request, payload);
        let request = request.clone();
        Box::pin(async move {
            let verifier = verifier.ok_or_else(|| {
                actix_web::error::ErrorInternalServerError(
                    "no clerk_api::webhook::Verifier in the app data",
                )
            })?;
            let body = body.await?;
            Ok(VerifiedEvent(verifier.verify(request.headers(), &body)?))
        })
    }
}
