//! Authenticating an HTTP request: find its session token, verify it, say who it is.

use super::claims::Claims;
use super::error::VerifyError;
use super::verifier::Verifier;
use http::header::{AUTHORIZATION, COOKIE};
use http::HeaderMap;
use std::fmt;

/// The cookie Clerk's frontend SDKs keep the session token in.
pub const SESSION_COOKIE: &str = "__session";

/// Who sent a request.
#[derive(Debug, Clone)]
// Boxing the claims would cost every signed-in request an allocation; the outcome is
// short-lived and moved rarely.
#[allow(clippy::large_enum_variant)]
pub enum AuthOutcome {
    SignedIn(Claims),
    SignedOut(SignedOutReason),
}

/// Why a request is signed out.
#[derive(Debug, Clone)]
pub enum SignedOutReason {
    /// Neither an `Authorization: Bearer` header nor a `__session` cookie.
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
    pub fn claims(&self) -> Option<&Claims> {
        match self {
            AuthOutcome::SignedIn(claims) => Some(claims),
            AuthOutcome::SignedOut(_) => None,
        }
    }

    pub fn into_result(self) -> Result<Claims, SignedOutReason> {
        match self {
            AuthOutcome::SignedIn(claims) => Ok(claims),
            AuthOutcome::SignedOut(reason) => Err(reason),
        }
    }
}

/// The session token of a request: the `Authorization: Bearer` header when there is
/// one, else the `__session` cookie.
pub fn session_token(headers: &HeaderMap) -> Option<&str> {
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, token) = value.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .filter(|token| !token.is_empty());
    bearer.or_else(|| {
        headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|cookies| cookies.split(';'))
            .find_map(|cookie| {
                let (name, value) = cookie.split_once('=')?;
                (name.trim() == SESSION_COOKIE).then(|| value.trim().trim_matches('"'))
            })
            .filter(|token| !token.is_empty())
    })
}

impl Verifier {
    /// Authenticates a request from its headers.
    pub async fn authenticate_headers(&self, headers: &HeaderMap) -> AuthOutcome {
        match session_token(headers) {
            None => AuthOutcome::SignedOut(SignedOutReason::NoToken),
            Some(token) => match self.verify(token).await {
                Ok(claims) => AuthOutcome::SignedIn(claims),
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
