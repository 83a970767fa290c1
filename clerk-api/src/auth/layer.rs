//! The tower layer and axum extractors (feature `axum`).
//!
//! [`AuthLayer`] authenticates every request before the service behind it sees it: a
//! signed-in request goes on with its [`Claims`] in the request extensions; any other
//! is answered `401 Unauthorized` with an empty body and `WWW-Authenticate: Bearer`,
//! so a caller learns nothing about why (the reason is logged with `tracing` at debug
//! level, as `clerk_api.auth` events).

use super::claims::Claims;
use super::request::{AuthOutcome, SignedOutReason};
use super::verifier::Verifier;
use http::{header, HeaderValue, Request, Response, StatusCode};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A tower layer that authenticates requests (see the module docs).
///
/// ```no_run
/// use axum::{routing::get, Router};
/// use clerk_api::auth::{AuthLayer, Claims, Verifier};
///
/// # fn app(verifier: Verifier) -> Router {
/// Router::new()
///     .route("/me", get(|claims: Claims| async move { claims.sub }))
///     .layer(AuthLayer::new(verifier))
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct AuthLayer {
    verifier: Verifier,
    require_sign_in: bool,
}

impl AuthLayer {
    /// Answers `401` to every request that is not signed in.
    pub fn new(verifier: Verifier) -> AuthLayer {
        AuthLayer {
            verifier,
            require_sign_in: true,
        }
    }

    /// Lets signed-out requests through too, without claims: handlers take
    /// `Option<Claims>` (or `Claims`, which answers `401` itself).
    pub fn optional(verifier: Verifier) -> AuthLayer {
        AuthLayer {
            verifier,
            require_sign_in: false,
        }
    }
}

impl<S> tower_layer::Layer<S> for AuthLayer {
    type Service = AuthService<S>;

    fn layer(&self, inner: S) -> AuthService<S> {
        AuthService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`AuthLayer`] wraps around another.
#[derive(Debug, Clone)]
pub struct AuthService<S> {
    inner: S,
    layer: AuthLayer,
}

impl<S, ReqBody, ResBody> tower_service::Service<Request<ReqBody>> for AuthService<S>
where
    S: tower_service::Service<Request<ReqBody>, Response = Response<ResBody>>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
    ReqBody: Send + 'static,
    ResBody: Default,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<ResBody>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        // The clone is ready only once polled; call the instance `poll_ready` readied.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let layer = self.layer.clone();
        Box::pin(async move {
            // The headers are lent out and put back, so the body need not be `Sync`.
            let headers = std::mem::take(request.headers_mut());
            let outcome = layer.verifier.authenticate_headers(&headers).await;
            *request.headers_mut() = headers;
            match outcome {
                AuthOutcome::SignedIn(claims) => {
                    request.extensions_mut().insert(claims);
                }
                AuthOutcome::SignedOut(reason) => {
                    log_signed_out(&reason);
                    if layer.require_sign_in {
                        return Ok(unauthorized());
                    }
                }
            }
            inner.call(request).await
        })
    }
}

fn log_signed_out(reason: &SignedOutReason) {
    match reason {
        SignedOutReason::Rejected(super::VerifyError::KeyUnavailable(e)) => {
            tracing::warn!(target: "clerk_api.auth", error = %e, "request refused: the JWKS could not be fetched");
        }
        _ => {
            tracing::debug!(target: "clerk_api.auth", reason = reason.reason(), "request signed out")
        }
    }
}

/// `401 Unauthorized`, empty, with `WWW-Authenticate: Bearer`.
fn unauthorized<B: Default>() -> Response<B> {
    let mut response = Response::new(B::default());
    *response.status_mut() = StatusCode::UNAUTHORIZED;
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// The rejection of the [`Claims`] extractor: `401 Unauthorized`, empty body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unauthorized;

impl axum::response::IntoResponse for Unauthorized {
    fn into_response(self) -> axum::response::Response {
        unauthorized()
    }
}

/// The claims [`AuthLayer`] put into the request; without them (no layer in front of
/// the handler) the request is answered `401`.
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Claims {
    type Rejection = Unauthorized;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Self, Unauthorized> {
        parts
            .extensions
            .get::<Claims>()
            .cloned()
            .ok_or(Unauthorized)
    }
}

/// `Option<Claims>`: `None` for a signed-out request ([`AuthLayer::optional`]).
impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for Claims {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<Claims>().cloned())
    }
}
