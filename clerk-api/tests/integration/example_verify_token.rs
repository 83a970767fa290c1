//! `examples/verify_token.rs` run as a user runs it: tokens (minted by `jsonwebtoken`)
//! on stdin, one verdict per line, networkless with `CLERK_JWT_KEY` and through the
//! JWKS otherwise; session tokens only by default, and the kinds `CLERK_ACCEPTS_TOKEN`
//! lists when set.
#![cfg(all(feature = "auth", feature = "test-util"))]

use crate::auth_common;
use crate::common;

use common::example_binary;
use std::process::Command;

/// Runs `verify_token` with `env` and `tokens` on stdin, one per line; its stdout lines.
async fn verify_tokens(env: Vec<(&'static str, String)>, tokens: Vec<String>) -> Vec<String> {
    use std::io::Write;
    let binary = example_binary("verify_token");
    let output = tokio::task::spawn_blocking(move || {
        let mut child = Command::new(binary)
            .env_remove("CLERK_SECRET_KEY")
            .env_remove("CLERK_API_URL")
            .env_remove("CLERK_JWT_KEY")
            .env_remove("CLERK_AUTHORIZED_PARTIES")
            .env_remove("CLERK_ACCEPTS_TOKEN")
            .envs(env)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        for token in tokens {
            writeln!(stdin, "{token}").unwrap();
        }
        drop(stdin);
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout.lines().map(str::to_owned).collect()
}

/// Tokens for the example: valid, expired, another key's, another party's, not a JWT,
/// and one naming a key the JWKS does not have.
fn example_tokens() -> Vec<String> {
    use auth_common::*;
    let for_app = |sub| {
        let mut claims = session_claims(sub);
        claims["azp"] = "https://app.example.com".into();
        claims
    };
    let mut expired = for_app("user_expired");
    expired["exp"] = (now() - 60).into();
    let mut elsewhere = for_app("user_elsewhere");
    elsewhere["azp"] = "https://evil.example.com".into();
    let mint = |key, kid, claims| Mint::Rs256 {
        key,
        kid: Some(kid),
        claims,
    };
    let mut tokens = JsonWebToken.mint(&[
        mint(KEY_A, "kid_a", for_app("user_1")),
        mint(KEY_A, "kid_a", expired),
        mint(KEY_B, "kid_a", for_app("user_forged")),
        mint(KEY_A, "kid_a", elsewhere),
        mint(KEY_A, "kid_unknown", for_app("user_2")),
    ]);
    tokens.insert(4, "not a token".to_owned());
    tokens
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_token_with_a_pem_key_needs_no_network() {
    use auth_common::*;
    // CLERK_API_URL points at a server that would see any call: it must see none.
    let server = wiremock::MockServer::start().await;
    let env = vec![
        ("CLERK_JWT_KEY", public_pem(KEY_A).replace('\n', "\\n")),
        ("CLERK_SECRET_KEY", "sk_test_example".to_owned()),
        ("CLERK_API_URL", server.uri()),
        (
            "CLERK_AUTHORIZED_PARTIES",
            " https://app.example.com, http://localhost:3000".to_owned(),
        ),
    ];
    let lines = verify_tokens(env, example_tokens()).await;
    assert_eq!(
        lines,
        [
            "ok user_1 session_token",
            "rejected expired",
            "rejected bad_signature",
            "rejected unauthorized_party",
            "rejected malformed",
            // The PEM key verifies whatever the kid says.
            "ok user_2 session_token",
        ]
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_token_fetches_the_jwks_once_with_the_secret_key() {
    use auth_common::*;
    use wiremock::matchers::{header, method, path};
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(method("GET"))
        .and(path("/jwks"))
        .and(header("authorization", "Bearer sk_test_example"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(jwks(&[(KEY_A, "kid_a")])))
        .mount(&server)
        .await;
    let env = vec![
        ("CLERK_SECRET_KEY", "sk_test_example".to_owned()),
        ("CLERK_API_URL", server.uri()),
        (
            "CLERK_AUTHORIZED_PARTIES",
            "https://app.example.com".to_owned(),
        ),
    ];
    let lines = verify_tokens(env, example_tokens()).await;
    assert_eq!(
        lines,
        [
            "ok user_1 session_token",
            "rejected expired",
            "rejected bad_signature",
            "rejected unauthorized_party",
            "rejected malformed",
            "rejected unknown_key",
        ]
    );
    // The first token fetched the set; the unknown kid may not refresh it so soon.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_token_without_keys_or_secret_says_so() {
    let binary = example_binary("verify_token");
    let output = tokio::task::spawn_blocking(move || {
        Command::new(binary)
            .env_remove("CLERK_SECRET_KEY")
            .env_remove("CLERK_JWT_KEY")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("CLERK_SECRET_KEY"));
}

/// A session token, an API key Clerk knows, one it does not, and an M2M JWT.
fn mixed_tokens() -> Vec<String> {
    use auth_common::*;
    let mut session = session_claims("user_1");
    session["azp"] = "https://app.example.com".into();
    let now = now();
    let m2m =
        serde_json::json!({"sub": "mch_2xMachine", "jti": "mt_1", "iat": now, "exp": now + 60});
    let mut tokens = JsonWebToken.mint(&[rs256(session), rs256(m2m)]);
    tokens.insert(1, "ak_known0000000000000000000000000".to_owned());
    tokens.insert(2, "ak_unknown000000000000000000000000".to_owned());
    tokens
}

async fn api_key_server() -> wiremock::MockServer {
    use wiremock::matchers::{body_json, method, path};
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(method("POST"))
        .and(path("/api_keys/verify"))
        .and(body_json(serde_json::json!({"secret": "ak_known0000000000000000000000000"})))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "object": "api_key", "id": "ak_1", "type": "api_key", "subject": "org_2xAcme", "name": "ci",
            "claims": null, "scopes": [], "revoked": false, "revocation_reason": null, "expired": false,
            "expiration": null, "created_by": null, "last_used_at": null, "created_at": 1, "updated_at": 1,
        })))
        .mount(&server)
        .await;
    wiremock::Mock::given(method("POST"))
        .and(path("/api_keys/verify"))
        .respond_with(wiremock::ResponseTemplate::new(404).set_body_json(serde_json::json!({
            "errors": [{"message": "not found", "long_message": "not found", "code": "resource_not_found"}],
        })))
        .mount(&server)
        .await;
    server
}

fn env_for(server: &wiremock::MockServer, accepts: Option<&str>) -> Vec<(&'static str, String)> {
    use auth_common::*;
    let mut env = vec![
        ("CLERK_JWT_KEY", public_pem(KEY_A)),
        ("CLERK_SECRET_KEY", "sk_test_example".to_owned()),
        ("CLERK_API_URL", server.uri()),
        (
            "CLERK_AUTHORIZED_PARTIES",
            "https://app.example.com".to_owned(),
        ),
    ];
    if let Some(accepts) = accepts {
        env.push(("CLERK_ACCEPTS_TOKEN", accepts.to_owned()));
    }
    env
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_token_accepts_session_tokens_only_unless_told_otherwise() {
    let server = api_key_server().await;
    let lines = verify_tokens(env_for(&server, None), mixed_tokens()).await;
    assert_eq!(
        lines,
        [
            "ok user_1 session_token",
            "rejected wrong_token_type",
            "rejected wrong_token_type",
            "rejected wrong_token_type",
        ]
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
    let lines = verify_tokens(env_for(&server, Some("api_key, m2m_token")), mixed_tokens()).await;
    assert_eq!(
        lines,
        [
            "rejected wrong_token_type",
            "ok org_2xAcme api_key",
            "rejected unknown_token",
            "ok mch_2xMachine m2m_token",
        ]
    );
    let lines = verify_tokens(env_for(&server, Some("any")), mixed_tokens()).await;
    assert_eq!(lines[0], "ok user_1 session_token");
    assert_eq!(lines[1], "ok org_2xAcme api_key");
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_token_refuses_an_unknown_kind_in_clerk_accepts_token() {
    let binary = example_binary("verify_token");
    let output = tokio::task::spawn_blocking(move || {
        Command::new(binary)
            .env("CLERK_SECRET_KEY", "sk_test_example")
            .env("CLERK_ACCEPTS_TOKEN", "session_token,api_keys")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("api_keys"));
}
