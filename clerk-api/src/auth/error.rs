//! Why a token, a request or a key was refused.

use std::fmt;
use std::sync::Arc;

/// Why a session token was refused.
///
/// [`VerifyError::reason`] names each kind with one stable lowercase word, for logs,
/// metrics and the `verify_token` example:
///
/// | reason | meaning |
/// | --- | --- |
/// | `malformed` | not a JWT this crate can read: not three base64url parts, a part that does not decode, a header or payload that is not the expected JSON, a missing `sub` or `exp`, or larger than 16 KiB |
/// | `bad_algorithm` | the header's `alg` is not `RS256` (`none` and `HS256` included), or the key named by `kid` is not an RS256 signing key |
/// | `unknown_key` | the instance's key set has no key with the token's `kid` (after the one allowed refresh), or the token names no `kid` while keys come from the JWKS |
/// | `bad_signature` | the signature does not verify with the key |
/// | `expired` | `exp` is in the past by more than the clock skew |
/// | `not_yet_valid` | `nbf` is in the future by more than the clock skew |
/// | `issued_in_future` | `iat` is in the future by more than the clock skew |
/// | `unauthorized_party` | `azp` is present and not one of the authorized parties |
/// | `wrong_issuer` | an issuer is configured and `iss` differs (or is missing) |
/// | `key_unavailable` | the key set could not be fetched from Clerk (the source error is kept) |
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
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "session token rejected ({}): ", self.reason())?;
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
            VerifyError::UnauthorizedParty => f.write_str("azp is not an authorized party"),
            VerifyError::WrongIssuer => f.write_str("iss is not the expected issuer"),
            VerifyError::KeyUnavailable(e) => write!(f, "fetching the JWKS failed: {e}"),
        }
    }
}

impl std::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            VerifyError::KeyUnavailable(e) => Some(e.as_ref()),
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
