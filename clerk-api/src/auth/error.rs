//! Why a token, a request or a key was refused.

use std::fmt;
use std::sync::Arc;

/// Why a token was refused.
///
/// [`VerifyError::reason`] names each kind with one stable lowercase word, for logs,
/// metrics and the `verify_token` example:
///
/// | reason | meaning |
/// | --- | --- |
/// | `wrong_token_type` | a kind of token the verifier does not accept (an API key, M2M or OAuth token where only session tokens are, or the reverse), or a JWT of another class than it claims: a session token whose header `cat` names a JWT template, an M2M token or an unknown class, or whose `typ` is not `JWT`; an M2M JWT whose `cat` is another class's; an OAuth JWT with a class `cat` |
/// | `malformed` | not a JWT this crate can read: not three base64url parts, a part that does not decode, a header or payload that is not the expected JSON, a missing `sub` or `exp`, or larger than 16 KiB |
/// | `bad_algorithm` | the header's `alg` is not `RS256` (`none` and `HS256` included), or the key named by `kid` is not an RS256 signing key |
/// | `unknown_key` | the instance's key set has no key with the token's `kid` (after the one allowed refresh), or the token names no `kid` while keys come from the JWKS |
/// | `bad_signature` | the signature does not verify with the key |
/// | `expired` | `exp` is in the past by more than the clock skew |
/// | `not_yet_valid` | `nbf` is in the future by more than the clock skew |
/// | `issued_in_future` | `iat` is in the future by more than the clock skew |
/// | `unauthorized_party` | authorized parties are configured and the session token's `azp` is missing or not one of them |
/// | `wrong_issuer` | an issuer is configured and `iss` differs (or is missing) |
/// | `key_unavailable` | the key set could not be fetched from Clerk (the source error is kept) |
/// | `session_pending` | a valid session token of a pending session (`sts: pending`, a task such as choosing an organization left), refused unless the verifier treats pending sessions as signed in |
/// | `token_revoked` | Clerk says the opaque machine token was revoked |
/// | `unknown_token` | Clerk does not know the opaque machine token (the verify call answered `404`, or another `4xx` about the token) |
/// | `api_unavailable` | the opaque machine token could not be checked: the Backend API was unreachable, timed out, answered `5xx`, `429`, or `401`/`403` (the secret key refused), or an answer that cannot be read, or the verifier has no client (the source error is kept) |
///
/// `expired` covers machine tokens too: a JWT's `exp`, or Clerk's answer that an opaque
/// one has expired.
///
/// A request without any token is signed out with the reason `no_token`
/// ([`SignedOutReason`](super::SignedOutReason)).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum VerifyError {
    /// The token cannot be read; the text says which part failed.
    Malformed(&'static str),
    BadAlgorithm,
    UnknownKey,
    BadSignature,
    Expired,
    NotYetValid,
    IssuedInFuture,
    UnauthorizedParty,
    WrongIssuer,
    /// Fetching the key set failed; every verification that waited for that fetch gets
    /// the same error.
    KeyUnavailable(Arc<crate::Error>),
    /// The token is of a kind or class not accepted here; the text says which.
    WrongTokenType(&'static str),
    PendingSession,
    Revoked,
    UnknownToken,
    /// Checking an opaque token with the Backend API failed.
    ApiUnavailable(Arc<crate::Error>),
}

impl VerifyError {
    /// The stable one-word name of this kind (see the table above).
    pub fn reason(&self) -> &'static str {
        match self {
            VerifyError::Malformed(_) => "malformed",
            VerifyError::BadAlgorithm => "bad_algorithm",
            VerifyError::UnknownKey => "unknown_key",
            VerifyError::BadSignature => "bad_signature",
            VerifyError::Expired => "expired",
            VerifyError::NotYetValid => "not_yet_valid",
            VerifyError::IssuedInFuture => "issued_in_future",
            VerifyError::UnauthorizedParty => "unauthorized_party",
            VerifyError::WrongIssuer => "wrong_issuer",
            VerifyError::KeyUnavailable(_) => "key_unavailable",
            VerifyError::WrongTokenType(_) => "wrong_token_type",
            VerifyError::PendingSession => "session_pending",
            VerifyError::Revoked => "token_revoked",
            VerifyError::UnknownToken => "unknown_token",
            VerifyError::ApiUnavailable(_) => "api_unavailable",
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "token rejected ({}): ", self.reason())?;
        match self {
            VerifyError::Malformed(what) => f.write_str(what),
            VerifyError::BadAlgorithm => f.write_str("only RS256 with an RSA key is accepted"),
            VerifyError::UnknownKey => {
                f.write_str("no key of the instance matches the token's kid")
            }
            VerifyError::BadSignature => f.write_str("the signature does not verify"),
            VerifyError::Expired => f.write_str("the token has expired"),
            VerifyError::NotYetValid => f.write_str("the token is not valid yet (nbf)"),
            VerifyError::IssuedInFuture => f.write_str("the token was issued in the future (iat)"),
            VerifyError::UnauthorizedParty => {
                f.write_str("azp is missing or not an authorized party")
            }
            VerifyError::WrongIssuer => f.write_str("iss is not the expected issuer"),
            VerifyError::KeyUnavailable(e) => write!(f, "fetching the JWKS failed: {e}"),
            VerifyError::WrongTokenType(what) => f.write_str(what),
            VerifyError::PendingSession => {
                f.write_str("the session is pending (a task is left to finish)")
            }
            VerifyError::Revoked => f.write_str("Clerk says the token was revoked"),
            VerifyError::UnknownToken => f.write_str("Clerk does not know the token"),
            VerifyError::ApiUnavailable(e) => {
                write!(f, "the Backend API could not verify the token: {e}")
            }
        }
    }
}

impl std::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            VerifyError::KeyUnavailable(e) | VerifyError::ApiUnavailable(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// A public key that cannot be used to verify session tokens: not PEM or DER this crate
/// reads, not RSA, or an RSA modulus outside 2048 to 8192 bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError(pub(crate) &'static str);

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unusable JWT key: {}", self.0)
    }
}

impl std::error::Error for KeyError {}
