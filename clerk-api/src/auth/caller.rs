//! Who a verified token says is calling: a user's session or a machine.

use super::claims::Claims;
use super::token_kind::TokenKind;
use serde_json::{Map, Value};

/// The caller a verified token identifies.
#[derive(Debug, Clone, PartialEq)]
// Boxing the claims would cost every signed-in request an allocation; a caller is
// short-lived and moved rarely.
#[allow(clippy::large_enum_variant)]
pub enum Caller {
    /// A signed-in user's session (a session token).
    Session(Claims),
    /// A machine: an API key, an M2M token or an OAuth access token.
    Machine(MachineAuth),
}

impl Caller {
    pub fn kind(&self) -> TokenKind {
        match self {
            Caller::Session(_) => TokenKind::SessionToken,
            Caller::Machine(machine) => machine.kind,
        }
    }

    /// The session's user (`user_...`), or the machine token's subject: a machine
    /// (`mch_...`), or the user or organization an API key or OAuth token belongs to.
    pub fn subject(&self) -> &str {
        match self {
            Caller::Session(claims) => &claims.sub,
            Caller::Machine(machine) => &machine.subject,
        }
    }

    pub fn session(&self) -> Option<&Claims> {
        match self {
            Caller::Session(claims) => Some(claims),
            Caller::Machine(_) => None,
        }
    }

    pub fn machine(&self) -> Option<&MachineAuth> {
        match self {
            Caller::Session(_) => None,
            Caller::Machine(machine) => Some(machine),
        }
    }
}

/// What a verified machine token says about its caller, whether it was verified
/// through the Backend API (opaque tokens) or locally (JWTs).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MachineAuth {
    /// [`TokenKind::ApiKey`], [`TokenKind::M2mToken`] or [`TokenKind::OAuthToken`].
    pub kind: TokenKind,
    /// The token's own ID: `ak_...`, `mt_...`, `oat_...`, or a JWT's `jti`.
    pub id: String,
    /// Who the token acts for: the machine (`mch_...`) of an M2M token, the user or
    /// organization (`user_...`, `org_...`) of an API key or OAuth token.
    pub subject: String,
    /// The scopes granted (for M2M tokens: the machines it may call).
    pub scopes: Vec<String>,
    /// The custom claims the token was created with, if any.
    pub claims: Option<Map<String, Value>>,
    /// An API key's name.
    pub name: Option<String>,
    /// The OAuth application (`client_id`) an OAuth token was issued to.
    pub client_id: Option<String>,
    /// When the token expires, Unix milliseconds (`None`: never).
    pub expires_at_ms: Option<i64>,
}

impl MachineAuth {
    /// Whether the token grants `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}
