//! `clerk_api::auth::testing` (tokens and a JWKS for users' own tests), checked against
//! independent implementations: what it mints must verify with `jsonwebtoken` and with
//! PyJWT, and the JWKS it serves must be usable by `jsonwebtoken`.
#![cfg(all(feature = "auth", feature = "test-util"))]

use crate::auth_common;

use auth_common::PyJwt;
use clerk_api::auth::testing::{jwks, JwksServer, TestKey};
use clerk_api::auth::Verifier;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

fn key() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| TestKey::generate("kid_test"))
}

fn validation() -> Validation {
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_nbf = true;
    // jsonwebtoken's default leeway is a minute; Clerk's SDKs allow 5 s.
    validation.leeway = 5;
    validation.required_spec_claims = ["exp", "sub", "nbf", "iat"].map(String::from).into();
    validation
}

#[test]
fn minted_tokens_verify_with_jsonwebtoken_from_the_pem_and_the_jwk() {
    let key = key();
    let token = key
        .token("user_1")
        .azp("http://localhost:3000")
        .issuer("https://clerk.test")
        .organization("org_1", "org:admin", &["org:invoices:read"])
        .claim("email", "ada@example.com")
        .sign();
    let header = jsonwebtoken::decode_header(&token).unwrap();
    assert_eq!(
        (header.alg, header.kid.as_deref()),
        (Algorithm::RS256, Some("kid_test"))
    );

    let from_pem = DecodingKey::from_rsa_pem(key.public_key_pem().as_bytes()).unwrap();
    let claims = jsonwebtoken::decode::<Map<String, Value>>(&token, &from_pem, &validation())
        .unwrap()
        .claims;
    assert_eq!(claims["sub"], "user_1");
    assert_eq!(claims["azp"], "http://localhost:3000");
    assert_eq!(claims["iss"], "https://clerk.test");
    assert_eq!(claims["org_permissions"], json!(["org:invoices:read"]));
    assert_eq!(claims["email"], "ada@example.com");
    let lifetime = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
    assert_eq!(lifetime, 60);

    let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(key.jwk()).unwrap();
    let from_jwk = DecodingKey::from_jwk(&jwk).unwrap();
    jsonwebtoken::decode::<Map<String, Value>>(&token, &from_jwk, &validation()).unwrap();

    // Expired tokens are expired for jsonwebtoken too; another key's fail there.
    let expired = key.token("user_1").expired().sign();
    let error =
        jsonwebtoken::decode::<Map<String, Value>>(&expired, &from_pem, &validation()).unwrap_err();
    assert_eq!(
        *error.kind(),
        jsonwebtoken::errors::ErrorKind::ExpiredSignature
    );
    let stranger = TestKey::generate("kid_test").token("user_1").sign();
    assert!(
        jsonwebtoken::decode::<Map<String, Value>>(&stranger, &from_pem, &validation()).is_err()
    );
}

const PYJWT_VERIFY: &str = r#"
import json, sys, jwt
r = json.load(sys.stdin)
by_pem = jwt.decode(r["token"], r["pem"], algorithms=["RS256"], options={"require": ["exp", "iat", "nbf", "sub"]})
by_jwk = jwt.decode(r["token"], jwt.PyJWK(r["jwk"]).key, algorithms=["RS256"])
from_set = jwt.PyJWKSet.from_dict(r["jwks"])[jwt.get_unverified_header(r["token"])["kid"]]
by_set = jwt.decode(r["token"], from_set.key, algorithms=["RS256"])
try:
    jwt.decode(r["expired"], r["pem"], algorithms=["RS256"])
    expired = "accepted"
except jwt.ExpiredSignatureError:
    expired = "expired"
print(json.dumps({"pem": by_pem, "jwk": by_jwk["sub"], "set": by_set["sub"], "expired": expired}))
"#;

#[test]
fn minted_tokens_and_the_jwks_verify_with_pyjwt() {
    let Some(python) = PyJwt::available() else {
        return;
    };
    let key = key();
    let token = key.token("user_2").session_id("sess_9").sign();
    let input = json!({
        "token": token,
        "expired": key.token("user_2").expired().sign(),
        "pem": key.public_key_pem(),
        "jwk": key.jwk(),
        "jwks": jwks(&[key]),
    });
    let output: Value =
        serde_json::from_str(&python.run(PYJWT_VERIFY, &input.to_string())).unwrap();
    assert_eq!(output["pem"]["sub"], "user_2");
    assert_eq!(output["pem"]["sid"], "sess_9");
    assert_eq!(
        (&output["jwk"], &output["set"]),
        (&json!("user_2"), &json!("user_2"))
    );
    assert_eq!(output["expired"], "expired");
}

#[tokio::test]
async fn the_jwks_server_serves_what_jsonwebtoken_reads_and_counts_requests() {
    let key = key();
    let rotated = TestKey::generate("kid_rotated");
    let server = JwksServer::start(&[key]).await.unwrap();
    let _ = rustls::crypto::CryptoProvider::install_default(rustls_graviola::default_provider());
    let body = reqwest::get(format!("{}/jwks", server.url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let set: jsonwebtoken::jwk::JwkSet = serde_json::from_str(&body).unwrap();
    let jwk = set.find("kid_test").expect("the key by its kid");
    let token = key.token("user_3").sign();
    jsonwebtoken::decode::<Map<String, Value>>(
        &token,
        &DecodingKey::from_jwk(jwk).unwrap(),
        &validation(),
    )
    .unwrap();
    assert_eq!(server.requests(), 1);

    // Through this crate's verifier, and a rotation.
    let verifier = Verifier::with_jwks(server.client())
        .jwks_refresh_interval(std::time::Duration::ZERO)
        .build();
    assert_eq!(verifier.verify(&token).await.unwrap().sub, "user_3");
    server.set_keys(&[key, &rotated]);
    let after = rotated.token("user_4").sign();
    assert_eq!(verifier.verify(&after).await.unwrap().sub, "user_4");
    assert_eq!(server.requests(), 3);
    // Anything but GET .../jwks is a 404, and is not counted.
    let status = reqwest::get(format!("{}/users", server.url()))
        .await
        .unwrap()
        .status();
    assert_eq!(status, reqwest::StatusCode::NOT_FOUND);
    assert_eq!(server.requests(), 3);
}
