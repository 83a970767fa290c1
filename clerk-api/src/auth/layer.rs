//! The tower layer and axum extractors (feature `axum`).
//!
//! [`AuthLayer`] authenticates every request before the service behind it sees it: a
//! signed-in request goes on with its [`Caller`] in the request extensions; any other
//! is answered `401 Unauthorized` with an empty body and `WWW-Authenticate: Bearer`,
//! so a caller learns nothing about why (the reason is logged with `tracing` at debug
//! level, as `clerk_api.auth` events). With [`AuthLayer::require`], a signed-in caller
//! without a required role, permission, feature, plan or reverification is answered
//! `403 Forbidden`.

use super::authorization::{Forbidden, Requirement};
use super::caller::{Caller, MachineAuth};
use super::claims::Claims;
use super::gate::{Gate, Unauthorized, Verdict};
use super::verifier::Verifier;
use http::{header, HeaderValue, Request, Response, StatusCode};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A tower layer that authenticates requests (see the module docs).
///
/// ```no_run
/// use axum::{routing::get, Router};
/// use clerk_api::auth::{AuthLayer, Caller, Claims, Requirement, Verifier};
///
/// # fn app(verifier: Verifier) -> Router {
/// let admin = Router::new()
///     .route("/admin", get(|claims: Claims| async move { claims.sub }))
///     .layer(AuthLayer::new(verifier.clone()).require(Requirement::role("org:admin")));
/// Router::new()
///     .route("/me", get(|caller: Caller| async move { caller.subject().to_owned() }))
///     .layer(AuthLayer::new(verifier))
///     .merge(admin)
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct AuthLayer {
    gate: Gate,
}

impl AuthLayer {
    /// Answers `401` to every request that is not signed in.
    pub fn new(verifier: Verifier) -> AuthLayer {
        AuthLayer {
            gate: Gate::new(verifier, true),
        }
    }

    /// Lets signed-out requests through too, without a caller: handlers take
    /// `Option<Claims>` or `Option<Caller>` (or `Claims`, which answers `401` itself).
    pub fn optional(verifier: Verifier) -> AuthLayer {
        AuthLayer {
            gate: Gate::new(verifier, false),
        }
    }

    /// Answers `403 Forbidden` to a signed-in caller that lacks `requirement` (every
    /// one added must be met; a machine caller meets none). A missing reverification
    /// is answered with the JSON body Clerk's frontend SDKs recognise.
    pub fn require(mut self, requirement: Requirement) -> AuthLayer {
        self.gate = self.gate.require(requirement);
        self
    }
}

impl<S> tower_layer::Layer<S> for AuthLayer {
    type Service = AuthService<S>;

    fn layer(&self, inner: S) -> AuthService<S> {
        AuthService {
            inner,
            gate: self.gate.clone(),
        }
    }
}

/// The service [`AuthLayer`] wraps around another.
#[derive(Debug, Clone)]
pub struct AuthService<S> {
    inner: S,
    gate: Gate,
}

impl<S, ReqBody, ResBody> tower_service::Service<Request<ReqBody>> for AuthService<S>
where
    S: tower_service::Service<Request<ReqBody>, Response = Response<ResBody>>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
    ReqBody: Send + 'static,
    ResBody: Default + From<String>,
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
        let gate = self.gate.clone();
        Box::pin(async move {
            // The headers are lent out and put back, so the body need not be `Sync`.
            let headers = std::mem::take(request.headers_mut());
            let verdict = gate.decide(&headers).await;
            *request.headers_mut() = headers;
            match verdict {
                Verdict::Admit(caller) => {
                    if let Some(caller) = caller {
                        request.extensions_mut().insert(caller);
                    }
                    inner.call(request).await
                }
                Verdict::Unauthorized => Ok(unauthorized()),
                Verdict::Forbidden(forbidden) => Ok(forbidden_response(&forbidden)),
            }
        })
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

/// `403 Forbidden`: empty, or the reverification JSON.
fn forbidden_response<B: Default + From<String>>(forbidden: &Forbidden) -> Response<B> {
    let mut response = match forbidden.body() {
        Some(json) => {
            let mut response = Response::new(B::from(json));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        None => Response::new(B::default()),
    };
    *response.status_mut() = StatusCode::FORBIDDEN;
    response
}

impl axum::response::IntoResponse for Unauthorized {
    fn into_response(self) -> axum::response::Response {
        unauthorized()
    }
}

/// Implements the extractor and its `Option` form for a value read from the caller
/// [`AuthLayer`] put into the request.
macro_rules! caller_extractor {
    ($t:ty, $read:expr, $doc:literal) => {
        #[doc = $doc]
        impl<S: Send + Sync> axum::extract::FromRequestParts<S> for $t {
            type Rejection = Unauthorized;

            async fn from_request_parts(
                parts: &mut http::request::Parts,
                _state: &S,
            ) -> Result<Self, Unauthorized> {
                parts
                    .extensions
                    .get::<Caller>()
                    .and_then($read)
                    .ok_or(Unauthorized)
            }
        }

        /// `None` when the request is not signed in as this ([`AuthLayer::optional`]).
        impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for $t {
            type Rejection = std::convert::Infallible;

            async fn from_request_parts(
                parts: &mut http::request::Parts,
                _state: &S,
            ) -> Result<Option<Self>, Self::Rejection> {
                Ok(parts.extensions.get::<Caller>().and_then($read))
            }
        }
    };
}

caller_extractor!(
    Caller,
    |caller: &Caller| Some(caller.clone()),
    "The caller [`AuthLayer`] put into the request; without one (no layer in front of \
     the handler, or a signed-out request) the request is answered `401`."
);
caller_extractor!(
    Claims,
    |caller: &Caller| caller.session().cloned(),
    "The session of a request [`AuthLayer`] signed in with a session token; a request \
     without one (a machine token, or none) is answered `401`."
);
caller_extractor!(
    MachineAuth,
    |caller: &Caller| caller.machine().cloned(),
    "The machine of a request [`AuthLayer`] signed in with a machine token; a request \
     without one is answered `401`."
);
