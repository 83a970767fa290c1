//! The Backend API endpoints `auth` calls, described by hand on the runtime's
//! [`Request`] and sent through [`Client::send`] (so they get the client's retries,
//! timeouts, deadline and rate limit), decoded into the small structs below.
//!
//! Nothing here names generated code: `auth` compiles whatever spec the crate was
//! generated from, with or without the `jwks` tag.

use super::token_kind::TokenKind;
use crate::runtime::Request;
use crate::Client;
use reqwest::Method;
use serde::Deserialize;

/// `GET /jwks`: the instance's public keys.
pub(super) async fn fetch_jwks(client: &Client) -> Result<JwkSet, crate::Error> {
    let mut request = Request::new("GetJWKS", Method::GET, "/jwks");
    request.push_path("/jwks");
    client.send(request).await?.json()
}

/// A JSON Web Key Set as `GET /jwks` answers it.
#[derive(Debug, Deserialize)]
pub(super) struct JwkSet {
    /// Each key as JSON: one key auth cannot read must not make the whole set unusable.
    #[serde(default)]
    pub keys: Vec<serde_json::Value>,
}

/// The members of a JWK that RS256 verification reads; the others are ignored.
#[derive(Debug, Deserialize)]
pub(super) struct Jwk {
    pub kid: String,
    #[serde(default)]
    pub kty: Option<String>,
    #[serde(default)]
    pub alg: Option<String>,
    #[serde(default, rename = "use")]
    pub use_: Option<String>,
    #[serde(default)]
    pub n: Option<String>,
    #[serde(default)]
    pub e: Option<String>,
}

impl Jwk {
    /// The RSA modulus and exponent when this is an RS256 signing key.
    pub fn rs256_components(&self) -> Option<(&str, &str)> {
        let signs_rs256 = self.kty.as_deref() == Some("RSA")
            && self.alg.as_deref() == Some("RS256")
            && self.use_.as_deref() == Some("sig");
        signs_rs256.then_some((self.n.as_deref()?, self.e.as_deref()?))
    }
}

/// The verify endpoint of each opaque machine-token kind: operation id, path, and the
/// body member that carries the token.
fn verify_endpoint(kind: TokenKind) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match kind {
        TokenKind::ApiKey => ("verifyApiKey", "/api_keys/verify", "secret"),
        TokenKind::M2mToken => ("verifyM2MToken", "/m2m_tokens/verify", "token"),
        TokenKind::OAuthToken => (
            "verifyOAuthAccessToken",
            "/oauth_applications/access_tokens/verify",
            "access_token",
        ),
        _ => return None,
    })
}

/// `POST /api_keys/verify`, `/m2m_tokens/verify` or
/// `/oauth_applications/access_tokens/verify`: Clerk's verdict on an opaque token.
pub(super) async fn verify_opaque(
    client: &Client,
    kind: TokenKind,
    token: &str,
) -> Result<VerifiedToken, crate::Error> {
    let (operation_id, path, member) =
        verify_endpoint(kind).expect("only machine kinds are opaque");
    let mut request = Request::new(operation_id, Method::POST, path);
    request.push_path(path);
    let mut body = serde_json::Map::with_capacity(1);
    body.insert(member.to_owned(), token.into());
    request.json(&body)?;
    client.send(request).await?.json()
}

/// The members of the three verify answers that `auth` reads (an API key, an M2M
/// token, an OAuth access token); each kind has a subset.
#[derive(Debug, Deserialize)]
pub(super) struct VerifiedToken {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    /// An API key's name.
    #[serde(default)]
    pub name: Option<String>,
    /// An OAuth token's application.
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    #[serde(default)]
    pub claims: Option<serde_json::Value>,
    #[serde(default)]
    pub revoked: bool,
    #[serde(default)]
    pub expired: bool,
    /// Unix milliseconds; `null` when the token never expires.
    #[serde(default)]
    pub expiration: Option<f64>,
    /// The OAuth endpoint's other answer, `{"active": false}`: an expired JWT.
    #[serde(default)]
    pub active: Option<bool>,
}
