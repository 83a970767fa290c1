//! The kinds of token Clerk issues, which of them a verifier accepts, and how a token's
//! kind is told: by its prefix when it is opaque, by its header and subject when it is a
//! JWT.

use std::fmt;
use std::str::FromStr;

/// A kind of token a request may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenKind {
    /// A session token: a JWT the user's browser or app sends.
    SessionToken,
    /// An API key (`ak_...`), always opaque.
    ApiKey,
    /// A machine-to-machine token: opaque (`mt_...`) or a JWT whose `sub` is a machine
    /// (`mch_...`).
    M2mToken,
    /// An OAuth access token: opaque (`oat_...`) or a JWT of type `at+jwt`.
    OAuthToken,
}

impl TokenKind {
    /// Every kind, in the order of [`TokenKind::name`]'s table.
    pub const ALL: [TokenKind; 4] = [
        TokenKind::SessionToken,
        TokenKind::ApiKey,
        TokenKind::M2mToken,
        TokenKind::OAuthToken,
    ];

    /// The kind's name as Clerk's SDKs write it: `session_token`, `api_key`,
    /// `m2m_token`, `oauth_token`.
    pub fn name(self) -> &'static str {
        match self {
            TokenKind::SessionToken => "session_token",
            TokenKind::ApiKey => "api_key",
            TokenKind::M2mToken => "m2m_token",
            TokenKind::OAuthToken => "oauth_token",
        }
    }

    /// Whether a machine (not a signed-in user's session) presents this kind.
    pub fn is_machine(self) -> bool {
        self != TokenKind::SessionToken
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name [`TokenKind::from_str`] or [`Accepts::from_str`] does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTokenKind(pub String);

impl fmt::Display for UnknownTokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown token kind {:?} (expected session_token, api_key, m2m_token, oauth_token or any)",
            self.0
        )
    }
}

impl std::error::Error for UnknownTokenKind {}

impl FromStr for TokenKind {
    type Err = UnknownTokenKind;

    fn from_str(name: &str) -> Result<TokenKind, UnknownTokenKind> {
        TokenKind::ALL
            .into_iter()
            .find(|kind| kind.name() == name.trim())
            .ok_or_else(|| UnknownTokenKind(name.trim().to_owned()))
    }
}

/// The kinds of token a [`Verifier`](super::Verifier) accepts: session tokens only
/// unless configured otherwise (`Accepts::default()`).
///
/// Built from one kind, a list, or [`Accepts::any`]:
///
/// ```
/// use clerk_api::auth::{Accepts, TokenKind};
///
/// let sessions_and_keys = Accepts::from([TokenKind::SessionToken, TokenKind::ApiKey]);
/// assert!(sessions_and_keys.contains(TokenKind::ApiKey));
/// assert!(!sessions_and_keys.contains(TokenKind::M2mToken));
/// assert_eq!("m2m_token, oauth_token".parse::<Accepts>().unwrap(),
///            Accepts::from([TokenKind::M2mToken, TokenKind::OAuthToken]));
/// assert_eq!("any".parse::<Accepts>().unwrap(), Accepts::any());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Accepts(u8);

impl Accepts {
    /// Every kind.
    pub fn any() -> Accepts {
        Accepts::from(TokenKind::ALL)
    }

    /// Session tokens only (the default).
    pub fn session_token() -> Accepts {
        Accepts::from(TokenKind::SessionToken)
    }

    pub fn contains(self, kind: TokenKind) -> bool {
        self.0 & kind.bit() != 0
    }

    /// Whether some machine kind is accepted.
    pub fn any_machine(self) -> bool {
        self.0 & !TokenKind::SessionToken.bit() != 0
    }

    /// The accepted kinds, in [`TokenKind::ALL`] order.
    pub fn kinds(self) -> impl Iterator<Item = TokenKind> {
        TokenKind::ALL
            .into_iter()
            .filter(move |k| self.contains(*k))
    }
}

impl Default for Accepts {
    fn default() -> Accepts {
        Accepts::session_token()
    }
}

impl fmt::Debug for Accepts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.kinds()).finish()
    }
}

impl From<TokenKind> for Accepts {
    fn from(kind: TokenKind) -> Accepts {
        Accepts(kind.bit())
    }
}

impl<const N: usize> From<[TokenKind; N]> for Accepts {
    fn from(kinds: [TokenKind; N]) -> Accepts {
        Accepts::from(&kinds[..])
    }
}

impl From<&[TokenKind]> for Accepts {
    fn from(kinds: &[TokenKind]) -> Accepts {
        Accepts(kinds.iter().fold(0, |bits, kind| bits | kind.bit()))
    }
}

/// A comma-separated list of kind names, or `any` (the `CLERK_ACCEPTS_TOKEN` format of
/// the `verify_token` example). An empty list is refused: it would accept nothing.
impl FromStr for Accepts {
    type Err = UnknownTokenKind;

    fn from_str(list: &str) -> Result<Accepts, UnknownTokenKind> {
        let mut bits = 0;
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            bits |= if name == "any" {
                Accepts::any().0
            } else {
                name.parse::<TokenKind>()?.bit()
            };
        }
        if bits == 0 {
            return Err(UnknownTokenKind(list.to_owned()));
        }
        Ok(Accepts(bits))
    }
}

/// The prefixes of Clerk's opaque machine tokens.
const OPAQUE_PREFIXES: [(&str, TokenKind); 3] = [
    ("mt_", TokenKind::M2mToken),
    ("oat_", TokenKind::OAuthToken),
    ("ak_", TokenKind::ApiKey),
];

/// The kind of an opaque machine token, told by its prefix.
pub(super) fn opaque_kind(token: &str) -> Option<TokenKind> {
    OPAQUE_PREFIXES
        .iter()
        .find(|(prefix, _)| token.starts_with(prefix))
        .map(|(_, kind)| *kind)
}

/// The subject prefix of machines: a JWT about one is an M2M token.
pub(super) const MACHINE_SUBJECT_PREFIX: &str = "mch_";

/// The `typ` values of an OAuth access-token JWT (RFC 9068).
pub(super) const OAUTH_JWT_TYPES: [&str; 2] = ["at+jwt", "application/at+jwt"];

/// The kind of a JWT, as Clerk's SDK tells it: a machine subject makes it an M2M token,
/// else an `at+jwt` type an OAuth token, else it is taken for a session token (whose
/// own checks then refuse what is not one).
pub(super) fn jwt_kind(typ: Option<&str>, sub: Option<&str>) -> TokenKind {
    if sub.is_some_and(|sub| sub.starts_with(MACHINE_SUBJECT_PREFIX)) {
        TokenKind::M2mToken
    } else if typ.is_some_and(|typ| OAUTH_JWT_TYPES.contains(&typ)) {
        TokenKind::OAuthToken
    } else {
        TokenKind::SessionToken
    }
}

/// The token classes Clerk stamps into a JWT's protected header (`cat`), all signed by
/// the same instance key.
pub(super) mod category {
    pub const SESSION_TOKEN: &str = "cl_B7d4PD111AAA";
    pub const JWT_TEMPLATE: &str = "cl_B7d4PD222AAA";
    pub const M2M_TOKEN: &str = "cl_B7d4PD333AAA";
    /// Stamped on every class by instances that opted out of the tags: says nothing.
    pub const UNCLASSIFIED: &str = "cl_I7d4PD111III";

    /// Whether a token with this `cat` may be a token of class `wanted`: an absent tag
    /// (tokens minted before the tags) and the opted-out tag say nothing, so they pass.
    pub fn allows(cat: Option<&str>, wanted: &str) -> bool {
        match cat {
            None | Some(UNCLASSIFIED) => true,
            Some(cat) => cat == wanted,
        }
    }

    /// Whether `cat` names a class Clerk defines (for kinds without a class of their
    /// own, such as OAuth access tokens, any of these means another class).
    pub fn is_a_class(cat: Option<&str>) -> bool {
        matches!(cat, Some(SESSION_TOKEN | JWT_TEMPLATE | M2M_TOKEN))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_parses_lists_and_any_and_refuses_the_rest() {
        assert_eq!(
            " session_token , api_key".parse::<Accepts>().unwrap(),
            Accepts::from([TokenKind::SessionToken, TokenKind::ApiKey])
        );
        assert_eq!("any".parse::<Accepts>().unwrap(), Accepts::any());
        assert!("".parse::<Accepts>().is_err());
        assert!("session".parse::<Accepts>().is_err());
        assert_eq!(Accepts::default(), Accepts::session_token());
        assert!(!Accepts::default().any_machine());
        assert!(Accepts::from(TokenKind::ApiKey).any_machine());
    }

    #[test]
    fn kinds_are_told_by_prefix_then_subject_then_type() {
        assert_eq!(opaque_kind("ak_123"), Some(TokenKind::ApiKey));
        assert_eq!(opaque_kind("mt_123"), Some(TokenKind::M2mToken));
        assert_eq!(opaque_kind("oat_123"), Some(TokenKind::OAuthToken));
        assert_eq!(opaque_kind("eyJhbGciOi"), None);
        assert_eq!(jwt_kind(Some("at+jwt"), Some("mch_1")), TokenKind::M2mToken);
        assert_eq!(
            jwt_kind(Some("application/at+jwt"), Some("user_1")),
            TokenKind::OAuthToken
        );
        assert_eq!(
            jwt_kind(Some("JWT"), Some("user_1")),
            TokenKind::SessionToken
        );
        assert_eq!(jwt_kind(None, None), TokenKind::SessionToken);
    }

    #[test]
    fn categories_without_a_class_pass_and_others_must_match() {
        use category::*;
        assert!(allows(None, SESSION_TOKEN));
        assert!(allows(Some(UNCLASSIFIED), SESSION_TOKEN));
        assert!(allows(Some(SESSION_TOKEN), SESSION_TOKEN));
        assert!(!allows(Some(JWT_TEMPLATE), SESSION_TOKEN));
        assert!(!allows(Some(M2M_TOKEN), SESSION_TOKEN));
        assert!(!allows(Some("cl_future"), SESSION_TOKEN));
        assert!(allows(Some(M2M_TOKEN), M2M_TOKEN));
    }
}
