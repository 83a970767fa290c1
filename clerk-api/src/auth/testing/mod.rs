//! Session tokens and a JWKS for your own tests (features `auth` and `test-util`), so
//! handlers behind [`AuthLayer`](super::AuthLayer) or a [`Verifier`](super::Verifier)
//! can be tested without Clerk.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use clerk_api::auth::testing::{JwksServer, TestKey};
//! use clerk_api::auth::Verifier;
//!
//! let key = TestKey::generate("kid_test");
//! let token = key.token("user_123").azp("http://localhost:3000").sign();
//!
//! // Networkless, as with CLERK_JWT_KEY:
//! let verifier = Verifier::with_key(key.jwt_key()).build();
//! assert_eq!(verifier.verify(&token).await.unwrap().sub, "user_123");
//!
//! // Or through the client, against a JWKS served on 127.0.0.1:
//! let server = JwksServer::start(&[&key]).await.unwrap();
//! let verifier = Verifier::with_jwks(server.client()).build();
//! assert_eq!(verifier.verify(&token).await.unwrap().sub, "user_123");
//! assert_eq!(server.requests(), 1);
//! # }
//! ```

mod server;

pub use server::JwksServer;

use super::der;
use super::key::JwtKey;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use graviola::signing::rsa::{KeySize, SigningKey};
use serde_json::{json, Map, Value};
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A freshly generated 2048-bit RSA key that signs tokens as Clerk does (RS256, with a
/// `kid` header).
pub struct TestKey {
    kid: String,
    signing: SigningKey,
    public: JwtKey,
    public_pem: String,
    n: String,
    e: String,
}

impl fmt::Debug for TestKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl TestKey {
    /// Generates a key named `kid`: tens of milliseconds in an optimized build, around a
    /// second unoptimized, so tests that need many tokens share one key (a `OnceLock`).
    ///
    /// # Panics
    /// If the system's random source fails.
    pub fn generate(kid: impl Into<String>) -> TestKey {
        let signing = SigningKey::generate(KeySize::Rsa2048).expect("RSA key generation");
        let public = signing.public_key();
        let mut buffer = [0u8; 600];
        let spki = public.to_spki_der(&mut buffer).expect("SPKI encoding");
        let body = STANDARD.encode(spki);
        let mut public_pem = String::from("-----BEGIN PUBLIC KEY-----\n");
        for line in body.as_bytes().chunks(64) {
            public_pem.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
            public_pem.push('\n');
        }
        public_pem.push_str("-----END PUBLIC KEY-----\n");
        let mut buffer = [0u8; 600];
        let pkcs1 = public.to_pkcs1_der(&mut buffer).expect("PKCS#1 encoding");
        let (n, e) = der::rsa_components(pkcs1).expect("graviola's own encoding");
        TestKey {
            kid: kid.into(),
            public: JwtKey::from_pkcs1_der(pkcs1).expect("a generated key is usable"),
            n: URL_SAFE_NO_PAD.encode(n),
            e: URL_SAFE_NO_PAD.encode(e),
            public_pem,
            signing,
        }
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key as SubjectPublicKeyInfo PEM: what `CLERK_JWT_KEY` holds.
    pub fn public_key_pem(&self) -> &str {
        &self.public_pem
    }

    /// The public key, for [`Verifier::with_key`](super::Verifier::with_key).
    pub fn jwt_key(&self) -> JwtKey {
        self.public.clone()
    }

    /// The public key as a JWK, as Clerk's `GET /jwks` lists it.
    pub fn jwk(&self) -> Value {
        json!({"use": "sig", "kty": "RSA", "kid": self.kid, "alg": "RS256", "n": self.n, "e": self.e})
    }

    /// A session token for user `sub`, valid from now for 60 seconds.
    pub fn token(&self, sub: &str) -> TokenBuilder<'_> {
        let now = unix_now();
        let mut claims = Map::new();
        claims.insert("sub".into(), sub.into());
        claims.insert("sid".into(), "sess_test".into());
        claims.insert("iat".into(), now.into());
        claims.insert("nbf".into(), now.into());
        claims.insert("exp".into(), (now + 60).into());
        TokenBuilder { key: self, claims }
    }

    /// Signs `claims` (any JSON value) as an RS256 JWT with this key's `kid`.
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({"alg": "RS256", "kid": self.kid, "typ": "JWT"});
        let mut token = URL_SAFE_NO_PAD.encode(header.to_string());
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(claims.to_string()));
        let mut signature = [0u8; 256];
        let signature = self
            .signing
            .sign_pkcs1_sha256(&mut signature, token.as_bytes())
            .expect("RS256 signing");
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(signature));
        token
    }
}

/// The JWKS document that lists `keys`.
pub fn jwks(keys: &[&TestKey]) -> Value {
    json!({"keys": keys.iter().map(|k| k.jwk()).collect::<Vec<_>>()})
}

/// The claims of a token being made; [`TokenBuilder::sign`] signs them.
#[derive(Debug)]
#[must_use]
pub struct TokenBuilder<'k> {
    key: &'k TestKey,
    claims: Map<String, Value>,
}

impl TokenBuilder<'_> {
    /// Sets (or with `Value::Null`, still sets) any claim.
    pub fn claim(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.claims.insert(name.to_owned(), value.into());
        self
    }

    /// Removes a claim.
    pub fn without(mut self, name: &str) -> Self {
        self.claims.remove(name);
        self
    }

    pub fn azp(self, origin: &str) -> Self {
        self.claim("azp", origin)
    }

    pub fn issuer(self, iss: &str) -> Self {
        self.claim("iss", iss)
    }

    pub fn session_id(self, sid: &str) -> Self {
        self.claim("sid", sid)
    }

    /// Valid from now for `lifetime`.
    pub fn expires_in(self, lifetime: Duration) -> Self {
        let exp = unix_now() + i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX / 2);
        self.claim("exp", exp)
    }

    /// Issued two minutes ago, expired a minute ago.
    pub fn expired(self) -> Self {
        let now = unix_now();
        self.claim("iat", now - 120)
            .claim("nbf", now - 120)
            .claim("exp", now - 60)
    }

    /// The version 1 organization claims.
    pub fn organization(self, id: &str, role: &str, permissions: &[&str]) -> Self {
        self.claim("org_id", id)
            .claim("org_role", role)
            .claim("org_permissions", permissions.to_vec())
    }

    pub fn sign(self) -> String {
        self.key.sign(&Value::Object(self.claims))
    }
}

fn unix_now() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
}
