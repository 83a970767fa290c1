//! Authenticating requests (feature `auth`): Clerk session tokens verified without a
//! call to Clerk, machine tokens, and what a signed-in session may do.
//!
//! A [`Verifier`] checks a session token (an RS256 JWT) the way Clerk's own backend
//! SDKs do, and returns its [`Claims`]:
//!
//! - the signature, with the algorithm pinned to RS256: `none`, `HS256` (including
//!   one "signed" with the public key as the secret) and keys of other types are
//!   refused;
//! - the token's class: the header's `cat` must not name another class (a JWT template,
//!   an M2M token), `typ` must be `JWT` when present, and `sub` must not be a machine;
//! - `exp`, `nbf` and `iat` (not in the future), each with a clock skew (default
//!   [`DEFAULT_CLOCK_SKEW`], 5 s);
//! - `azp` against the configured authorized parties: once any is configured, a token
//!   must carry one of them;
//! - `iss`, when an issuer is configured;
//! - the session status: a pending session is signed out unless the verifier
//!   [lets it in](VerifierBuilder::treat_pending_as_signed_out).
//!
//! Every refusal is a [`VerifyError`] with a stable one-word
//! [`reason`](VerifyError::reason) (`expired`, `bad_signature`, ...; the table is on
//! the type).
//!
//! Keys come from either
//!
//! - a PEM public key ([`JwtKey::from_pem`], the `CLERK_JWT_KEY` of Clerk's other SDKs):
//!   no network call at all, or
//! - the instance's JWKS, fetched from the Backend API's `GET /jwks` through the
//!   client (its retries, timeouts, deadline and rate limit apply).
//!
//! # Machine tokens
//!
//! A verifier that [accepts](VerifierBuilder::accepts) them also verifies API keys, M2M
//! tokens and OAuth access tokens, and [`Verifier::verify_caller`] says who is calling:
//! a [`Caller::Session`] or a [`Caller::Machine`]. JWT machine tokens are verified
//! locally with the same keys; opaque ones (`ak_`, `mt_`, `oat_`) by the Backend API's
//! verify endpoints through the client, and kept for a short time (see
//! [`DEFAULT_MACHINE_TOKEN_CACHE_TTL`] for the bound on revocation).
//!
//! # Authorization
//!
//! [`Claims::has_role`], [`Claims::has_permission`], [`Claims::has_feature`],
//! [`Claims::has_plan`] and [`Claims::has_reverification`] answer as Clerk's SDKs'
//! `has()` does; [`Requirement`]s checked by the layers answer `403` to a caller that
//! lacks one ([`Forbidden`]).
//!
//! # The JWKS cache
//!
//! Each [`Client`](crate::Client) (a secret key and a base URL) has its own cache; clones
//! of a client share it, different clients never do, and nothing is process-global. A
//! fetched key set lives for a fixed time ([`DEFAULT_JWKS_TTL`]) that using it never
//! extends. A token whose `kid` the set lacks causes one refresh, at most one per
//! [`DEFAULT_JWKS_REFRESH_INTERVAL`]; verifications that need keys at the same time wait
//! for a single fetch. A failed fetch is [`VerifyError::KeyUnavailable`], never an
//! acceptance.
//!
//! # Requests
//!
//! [`Verifier::authenticate`] takes the token from `Authorization: Bearer` or the
//! session cookie (the instance's `__session_<suffix>` first when a
//! [publishable key](VerifierBuilder::publishable_key) is set, then `__session`) and
//! returns an [`AuthOutcome`]. With the `axum` feature, `AuthLayer` does it for every
//! request of a router and handlers take [`Caller`], [`Claims`] or [`MachineAuth`] as
//! extractors; with `actix`, `ClerkAuth` is the same as actix-web middleware. With
//! `test-util`, [`testing`] mints tokens and serves a JWKS.
//!
//! Verification allocates little beyond the claims it returns: the token's parts are
//! decoded into stack buffers (claims over 4 KiB into one heap buffer), the header is
//! read in place, and the cached key is found by `kid` without copying it or the key.

#[cfg(feature = "actix")]
mod actix;
mod authorization;
mod backend_api;
mod caller;
mod claims;
mod cookie;
mod der;
mod error;
#[cfg(any(feature = "axum", feature = "actix"))]
mod gate;
mod jwks;
mod jwt;
mod key;
#[cfg(feature = "axum")]
mod layer;
mod machine;
mod opaque_cache;
mod request;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod testing;
mod token_kind;
mod verifier;

#[cfg(feature = "actix")]
#[cfg_attr(docsrs, doc(cfg(feature = "actix")))]
pub use actix::{ClerkAuth, ClerkAuthMiddleware};
pub use authorization::{Forbidden, Requirement, Requirements, Reverification, VerificationLevel};
pub use caller::{Caller, MachineAuth};
pub use claims::{Actor, Claims, FactorVerificationAge, OrganizationClaims, SessionStatus};
pub use cookie::{cookie_suffix, SESSION_COOKIE};
pub use error::{KeyError, VerifyError};
#[cfg(any(feature = "axum", feature = "actix"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "axum", feature = "actix"))))]
pub use gate::Unauthorized;
pub(crate) use jwks::JwksCache;
pub use key::JwtKey;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use layer::{AuthLayer, AuthService};
pub use opaque_cache::DEFAULT_MACHINE_TOKEN_CACHE_TTL;
pub use request::{session_token, AuthOutcome, SignedOutReason};
pub use token_kind::{Accepts, TokenKind, UnknownTokenKind};
pub use verifier::{
    Verifier, VerifierBuilder, DEFAULT_CLOCK_SKEW, DEFAULT_JWKS_REFRESH_INTERVAL, DEFAULT_JWKS_TTL,
};
