//! `examples/verify_token.rs` run as a user runs it: tokens (minted by `jsonwebtoken`)
//! on stdin, one verdict per line, networkless with `CLERK_JWT_KEY` and through the
//! JWKS otherwise.
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
    let mut expired = session_claims("user_expired");
    expired["exp"] = (now() - 60).into();
    let mut elsewhere = session_claims("user_elsewhere");
    elsewhere["azp"] = "https://evil.example.com".into();
    let mint = |key, kid, claims| Mint::Rs256 {
        key,
        kid: Some(kid),
        claims,
    };
    let mut tokens = JsonWebToken.mint(&[
        mint(KEY_A, "kid_a", session_claims("user_1")),
        mint(KEY_A, "kid_a", expired),
        mint(KEY_B, "kid_a", session_claims("user_forged")),
        mint(KEY_A, "kid_a", elsewhere),
        mint(KEY_A, "kid_unknown", session_claims("user_2")),
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
            "ok user_1",
            "rejected expired",
            "rejected bad_signature",
            "rejected unauthorized_party",
            "rejected malformed",
            // The PEM key verifies whatever the kid says.
            "ok user_2",
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
            "ok user_1",
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
