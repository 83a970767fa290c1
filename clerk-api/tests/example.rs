//! `examples/list_organizations.rs` prints every organization exactly once while the
//! server answers 429 with `Retry-After`, answers 503, and drops a connection.
//! `examples/verify_token.rs` verifies tokens from stdin (minted by `jsonwebtoken`),
//! networkless with `CLERK_JWT_KEY` and through the JWKS otherwise.

mod auth_common;
mod common;

use common::fault_server::{Action, FaultServer};
use common::organization_json;
use serde_json::json;
use std::path::PathBuf;
use std::process::Command;

const ORGANIZATIONS: usize = 250;

/// The example as `cargo test` builds it (next to this test's binary), or built on
/// demand when only this test target was compiled.
fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let built = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join(name);
    if built.exists() {
        return built;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = root.join("target/scratch/example");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&root)
        .args(["build", "--quiet", "-p", "clerk-api", "--example", name])
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .unwrap();
    assert!(status.success());
    target.join("debug/examples").join(name)
}

/// A page of the fixed data set, for the query's `limit` and `offset`.
fn page(target: &str) -> Action {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .and_then(|v| v.parse::<usize>().ok())
    };
    let (limit, offset) = (param("limit").unwrap_or(10), param("offset").unwrap_or(0));
    let data: Vec<_> = (offset..(offset + limit).min(ORGANIZATIONS))
        .map(|i| organization_json(&format!("org_{i:03}"), &format!("Org {i}")))
        .collect();
    Action::json(200, &json!({"data": data, "total_count": ORGANIZATIONS}))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_example_prints_every_organization_once_through_faults() {
    let binary = example_binary("list_organizations");
    let script = vec![
        Action::json(
            429,
            &json!({"errors": [{"message": "slow down", "code": "too_many_requests"}]}),
        )
        .with_header("Retry-After", "1"),
        Action::Pass,
        Action::json(503, &json!({"errors": []})),
        Action::Pass,
        Action::Close,
        Action::Pass,
    ];
    let server = FaultServer::start(script, page).await;
    let url = server.url();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(binary)
            .env("CLERK_SECRET_KEY", "sk_test_example")
            .env("CLERK_API_URL", url)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let lines: Vec<&str> = stdout.lines().collect();
    let expected: Vec<String> = (0..ORGANIZATIONS)
        .map(|i| format!("org_{i:03} Org {i}"))
        .collect();
    assert_eq!(lines.len(), ORGANIZATIONS + 1, "{stdout}");
    assert_eq!(
        &lines[..ORGANIZATIONS],
        expected.as_slice(),
        "each organization once, in order"
    );
    assert_eq!(
        lines[ORGANIZATIONS],
        format!("{ORGANIZATIONS} organizations")
    );

    let requests = server.requests();
    assert_eq!(
        requests.len(),
        6,
        "3 pages, each retried once: {requests:?}"
    );
    assert!(
        requests
            .iter()
            .all(|r| r.starts_with("GET /organizations?")),
        "{requests:?}"
    );
}

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
