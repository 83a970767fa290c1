//! The actix-web middleware and extractors (feature `actix`): the same decisions as
//! the axum [`AuthLayer`](super::AuthLayer), for actix-web 4.
//!
//! [`ClerkAuth`] authenticates every request of the app or scope it wraps: a signed-in
//! request goes on with its [`Caller`] in the request extensions, any other is answered
//! `401 Unauthorized` (empty, `WWW-Authenticate: Bearer`), and with
//! [`ClerkAuth::require`] a caller that lacks a requirement is answered `403`.
//! Handlers take [`Caller`], [`Claims`] or [`MachineAuth`] (or `Option` of one).

use super::authorization::{Forbidden, Requirement};
use super::caller::{Caller, MachineAuth};
use super::claims::Claims;
use super::gate::{Gate, Unauthorized, Verdict};
use super::verifier::Verifier;
use actix_web::body::EitherBody;
use actix_web::dev::{forward_ready, Payload, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{self as actix_header, HeaderMap as ActixHeaders};
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError};
use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::rc::Rc;

/// actix-web middleware that authenticates requests (see the module docs).
///
/// ```no_run
/// use actix_web::{web, App, HttpServer};
/// use clerk_api::auth::{Claims, ClerkAuth, Requirement, Verifier};
///
/// # async fn run(verifier: Verifier) -> std::io::Result<()> {
/// HttpServer::new(move || {
///     App::new()
///         .service(
///             web::scope("/admin")
///                 .wrap(ClerkAuth::new(verifier.clone()).require(Requirement::role("org:admin")))
///                 .route("", web::get().to(|claims: Claims| async move { claims.sub })),
///         )
///         .service(
///             web::scope("")
///                 .wrap(ClerkAuth::new(verifier.clone()))
///                 .route("/me", web::get().to(|claims: Claims| async move { claims.sub })),
///         )
/// })
/// .bind(("127.0.0.1", 8080))?
/// .run()
/// .await
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ClerkAuth {
    gate: Gate,
}

impl ClerkAuth {
    /// Answers `401` to every request that is not signed in.
    pub fn new(verifier: Verifier) -> ClerkAuth {
        ClerkAuth {
            gate: Gate::new(verifier, true),
        }
    }

    /// Lets signed-out requests through too, without a caller (handlers take
    /// `Option<Claims>`, `Option<Caller>`, ...).
    pub fn optional(verifier: Verifier) -> ClerkAuth {
        ClerkAuth {
            gate: Gate::new(verifier, false),
        }
    }

    /// Answers `403 Forbidden` to a signed-in caller that lacks `requirement`, as
    /// [`AuthLayer::require`](super::AuthLayer::require) does.
    pub fn require(mut self, requirement: Requirement) -> ClerkAuth {
        self.gate = self.gate.require(requirement);
        self
    }
}

impl<S, B> Transform<S, ServiceRequest> for ClerkAuth
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Transform = ClerkAuthMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<ClerkAuthMiddleware<S>, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(ClerkAuthMiddleware {
            service: Rc::new(service),
            gate: self.gate.clone(),
        }))
    }
}

/// The service [`ClerkAuth`] wraps around another.
#[derive(Debug)]
pub struct ClerkAuthMiddleware<S> {
    service: Rc<S>,
    gate: Gate,
}

type Answer<B> = Result<ServiceResponse<EitherBody<B>>, actix_web::Error>;

impl<S, B> Service<ServiceRequest> for ClerkAuthMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Answer<B>>>>;

    forward_ready!(service);

    fn call(&self, request: ServiceRequest) -> Self::Future {
        let service = Rc::clone(&self.service);
        let gate = self.gate.clone();
        Box::pin(async move {
            let headers = credentials(request.headers());
            match gate.decide(&headers).await {
                Verdict::Admit(caller) => {
                    if let Some(caller) = caller {
                        request.extensions_mut().insert(caller);
                    }
                    Ok(service.call(request).await?.map_into_left_body())
                }
                Verdict::Unauthorized => {
                    Ok(request.into_response(unauthorized()).map_into_right_body())
                }
                Verdict::Forbidden(forbidden) => Ok(request
                    .into_response(forbidden_response(&forbidden))
                    .map_into_right_body()),
            }
        })
    }
}

/// The headers authentication reads (`Authorization`, `Cookie`), copied from actix's
/// header map (actix-web 4 is built on `http` 0.2, the crate on 1.x).
fn credentials(headers: &ActixHeaders) -> http::HeaderMap {
    let mut out = http::HeaderMap::new();
    for (actix_name, name) in [
        (actix_header::AUTHORIZATION, http::header::AUTHORIZATION),
        (actix_header::COOKIE, http::header::COOKIE),
    ] {
        for value in headers.get_all(actix_name) {
            if let Ok(value) = http::HeaderValue::from_bytes(value.as_bytes()) {
                out.append(name.clone(), value);
            }
        }
    }
    out
}

fn unauthorized() -> HttpResponse {
    HttpResponse::Unauthorized()
        .insert_header((actix_header::WWW_AUTHENTICATE, "Bearer"))
        .finish()
}

fn forbidden_response(forbidden: &Forbidden) -> HttpResponse {
    match forbidden.body() {
        Some(json) => HttpResponse::Forbidden()
            .content_type("application/json")
            .body(json),
        None => HttpResponse::Forbidden().finish(),
    }
}

impl ResponseError for Unauthorized {
    fn status_code(&self) -> actix_web::http::StatusCode {
        actix_web::http::StatusCode::UNAUTHORIZED
    }

    fn error_response(&self) -> HttpResponse {
        unauthorized()
    }
}

/// Implements the actix extractor for a value read from the caller [`ClerkAuth`] put
/// into the request (`Option<T>` comes with actix-web).
macro_rules! caller_extractor {
    ($t:ty, $read:expr, $doc:literal) => {
        #[doc = $doc]
        impl FromRequest for $t {
            type Error = Unauthorized;
            type Future = Ready<Result<$t, Unauthorized>>;

            fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
                ready(
                    request
                        .extensions()
                        .get::<Caller>()
                        .and_then($read)
                        .ok_or(Unauthorized),
                )
            }
        }
    };
}

caller_extractor!(
    Caller,
    |caller: &Caller| Some(caller.clone()),
    "The caller [`ClerkAuth`] put into the request; `401` without one."
);
caller_extractor!(
    Claims,
    |caller: &Caller| caller.session().cloned(),
    "The session of a request [`ClerkAuth`] signed in with a session token; `401` \
     without one."
);
caller_extractor!(
    MachineAuth,
    |caller: &Caller| caller.machine().cloned(),
    "The machine of a request [`ClerkAuth`] signed in with a machine token; `401` \
     without one."
);
