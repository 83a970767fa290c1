//! What a request layer decides for one request, whatever the framework: let it in
//! (with its caller, if signed in), answer `401`, or answer `403`.

use super::authorization::{Forbidden, Requirement, Requirements};
use super::caller::Caller;
use super::request::{AuthOutcome, SignedOutReason};
use super::verifier::Verifier;
use super::VerifyError;
use http::HeaderMap;
use std::sync::Arc;

/// A layer's settings: the verifier, whether signing in is required, and what a
/// signed-in caller must have.
#[derive(Debug, Clone)]
pub(super) struct Gate {
    pub verifier: Verifier,
    pub require_sign_in: bool,
    pub requirements: Arc<Requirements>,
}

/// The decision for one request.
#[derive(Debug)]
// Short-lived and moved once; boxing the caller would cost an allocation per request.
#[allow(clippy::large_enum_variant)]
pub(super) enum Verdict {
    /// On to the handler, with the caller when signed in.
    Admit(Option<Caller>),
    /// `401 Unauthorized`: signed out where signing in is required.
    Unauthorized,
    /// `403 Forbidden`: signed in without what the requirements ask.
    Forbidden(Forbidden),
}

impl Gate {
    pub fn new(verifier: Verifier, require_sign_in: bool) -> Gate {
        Gate {
            verifier,
            require_sign_in,
            requirements: Arc::default(),
        }
    }

    /// The same gate, also requiring `requirement`.
    pub fn require(mut self, requirement: Requirement) -> Gate {
        let mut list: Vec<Requirement> = self.requirements.iter().cloned().collect();
        list.push(requirement);
        self.requirements = Arc::new(Requirements::from(list));
        self
    }

    pub async fn decide(&self, headers: &HeaderMap) -> Verdict {
        match self.verifier.authenticate_headers(headers).await {
            AuthOutcome::SignedIn(caller) => match self.requirements.check(&caller) {
                Ok(()) => Verdict::Admit(Some(caller)),
                Err(forbidden) => {
                    tracing::debug!(target: "clerk_api.auth", reason = forbidden.reason(), "request forbidden");
                    Verdict::Forbidden(forbidden)
                }
            },
            AuthOutcome::SignedOut(reason) => {
                log_signed_out(&reason);
                if self.require_sign_in {
                    Verdict::Unauthorized
                } else {
                    Verdict::Admit(None)
                }
            }
        }
    }
}

/// Refusals are the caller's business and logged at debug level; Clerk being out of
/// reach is the server's, and a warning.
fn log_signed_out(reason: &SignedOutReason) {
    match reason {
        SignedOutReason::Rejected(
            e @ (VerifyError::KeyUnavailable(_) | VerifyError::ApiUnavailable(_)),
        ) => {
            tracing::warn!(target: "clerk_api.auth", reason = reason.reason(), error = %e, "request refused: Clerk could not be reached");
        }
        _ => {
            tracing::debug!(target: "clerk_api.auth", reason = reason.reason(), "request signed out")
        }
    }
}

/// The rejection of the caller extractors (`Claims`, `Caller`, `MachineAuth`): `401
/// Unauthorized`, empty body, `WWW-Authenticate: Bearer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unauthorized;

impl std::fmt::Display for Unauthorized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request is not signed in as the handler requires")
    }
}

impl std::error::Error for Unauthorized {}
