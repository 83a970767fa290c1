//! Authenticating an HTTP request: find its token, verify it, say who is calling.
//!
//! The token is the `Authorization: Bearer` header's when there is one (any kind the
//! verifier accepts), else the session cookie's: `__session_<suffix>` when a
//! publishable key is configured, then `__session`. A cookie only ever holds a session
//! token, so machine tokens are read from the header alone, and a verifier that accepts
//! no session tokens does not read cookies.

use super::caller::Caller;
use super::claims::Claims;
use super::cookie::SESSION_COOKIE;
use super::error::VerifyError;
use super::token_kind::{Accepts, TokenKind};
use super::verifier::Verifier;
use http::header::{AUTHORIZATION, COOKIE};
use http::HeaderMap;
use std::fmt;

/// Who sent a request.
#[derive(Debug, Clone)]
// Boxing the caller would cost every signed-in request an allocation; the outcome is
// short-lived and moved rarely.
#[allow(clippy::large_enum_variant)]
pub enum AuthOutcome {
    SignedIn(Caller),
    SignedOut(SignedOutReason),
}

/// Why a request is signed out.
#[derive(Debug, Clone)]
pub enum SignedOutReason {
    /// Neither an `Authorization: Bearer` header nor a session cookie (nor, when no
    /// session tokens are accepted, the header).
    NoToken,
    /// A token was sent and refused.
    Rejected(VerifyError),
}

impl SignedOutReason {
    /// One stable word: `no_token`, or [`VerifyError::reason`].
    pub fn reason(&self) -> &'static str {
        match self {
            SignedOutReason::NoToken => "no_token",
            SignedOutReason::Rejected(e) => e.reason(),
        }
    }
}

impl fmt::Display for SignedOutReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignedOutReason::NoToken => f.write_str("no session token in the request (no_token)"),
            SignedOutReason::Rejected(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl std::error::Error for SignedOutReason {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SignedOutReason::NoToken => None,
            SignedOutReason::Rejected(e) => Some(e),
        }
    }
}

impl AuthOutcome {
    pub fn caller(&self) -> Option<&Caller> {
        match self {
            AuthOutcome::SignedIn(caller) => Some(caller),
            AuthOutcome::SignedOut(_) => None,
        }
    }

    /// The session's claims, when a session token signed the request in.
    pub fn claims(&self) -> Option<&Claims> {
        self.caller().and_then(Caller::session)
    }

    pub fn into_result(self) -> Result<Caller, SignedOutReason> {
        match self {
            AuthOutcome::SignedIn(caller) => Ok(caller),
            AuthOutcome::SignedOut(reason) => Err(reason),
        }
    }
}

/// The `Authorization: Bearer` token of a request.
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, token) = value.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .filter(|token| !token.is_empty())
}

/// The non-empty value of cookie `name`.
fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .find_map(|cookie| {
            let (key, value) = cookie.split_once('=')?;
            (key.trim() == name).then(|| value.trim().trim_matches('"'))
        })
        .filter(|token| !token.is_empty())
}

/// The session token of a request: the `Authorization: Bearer` header when there is
/// one, else the `__session` cookie. (A [`Verifier`] with a publishable key reads the
/// instance's suffixed cookie first.)
pub fn session_token(headers: &HeaderMap) -> Option<&str> {
    bearer_token(headers).or_else(|| cookie(headers, SESSION_COOKIE))
}

impl Verifier {
    /// Authenticates a request from its headers: any kind of token the verifier
    /// accepts from the `Authorization` header, a session token from its cookie.
    pub async fn authenticate_headers(&self, headers: &HeaderMap) -> AuthOutcome {
        let accepts = self.accepts();
        let reads_cookies = accepts.contains(TokenKind::SessionToken);
        let found = match bearer_token(headers) {
            Some(token) => Some((token, accepts)),
            None if reads_cookies => self
                .suffixed_cookie()
                .and_then(|name| cookie(headers, name))
                .or_else(|| cookie(headers, SESSION_COOKIE))
                .map(|token| (token, Accepts::session_token())),
            None => None,
        };
        match found {
            None => AuthOutcome::SignedOut(SignedOutReason::NoToken),
            Some((token, accepts)) => match self.verify_as(token, accepts).await {
                Ok(caller) => AuthOutcome::SignedIn(caller),
                Err(e) => AuthOutcome::SignedOut(SignedOutReason::Rejected(e)),
            },
        }
    }

    /// Authenticates a request.
    pub async fn authenticate<B>(&self, request: &http::Request<B>) -> AuthOutcome {
        self.authenticate_headers(request.headers()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    #[test]
    fn bearer_header_wins_over_the_cookie() {
        let h = headers(&[("authorization", "Bearer aaa"), ("cookie", "__session=bbb")]);
        assert_eq!(session_token(&h), Some("aaa"));
        let h = headers(&[("authorization", "bearer  aaa ")]);
        assert_eq!(session_token(&h), Some("aaa"));
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let h = headers(&[
            ("authorization", "Basic dXNlcjpwdw=="),
            ("cookie", "theme=dark"),
            ("cookie", "__client_uat=1; __session=\"ccc\"; other=x"),
        ]);
        assert_eq!(session_token(&h), Some("ccc"));
        let h = headers(&[("cookie", "__session_abc=1; x__session=2")]);
        assert_eq!(session_token(&h), None);
        assert_eq!(
            session_token(&headers(&[("authorization", "Bearer ")])),
            None
        );
    }
}
