//! The Backend API endpoints `auth` calls, described by hand on the runtime's
//! [`Request`] and sent through [`Client::send`] (so they get the client's retries,
//! timeouts, deadline and rate limit), decoded into the small structs below.
//!
//! Nothing here names generated code: `auth` compiles whatever spec the crate was
//! generated from, with or without the `jwks` tag.

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
