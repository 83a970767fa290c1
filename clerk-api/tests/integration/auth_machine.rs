//! Opaque machine tokens (API keys, M2M and OAuth tokens) verified through a Backend
//! API on 127.0.0.1 (wiremock) that answers the three verify endpoints as Clerk does:
//! valid, revoked, expired, unknown, `5xx`, slow. Right caller, right refusal, never a
//! pass on an error; the cache of verified tokens and its bound on revocation.
#![cfg(all(feature = "auth", feature = "test-util"))]

use clerk_api::auth::{Accepts, Caller, TokenKind, Verifier};
use clerk_api::{Client, RequestOptions, RetryPolicy};
use serde_json::{json, Value};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "sk_test_machine_instance";
const API_KEY: &str = "ak_7d1c0f5e9b2a4c3d8e6f1a2b3c4d5e6f";
const M2M: &str = "mt_0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const OAUTH: &str = "oat_ffeeddccbbaa99887766554433221100";

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// `POST /api_keys/verify`'s answer for a key of `user_...`, as the spec describes it.
fn api_key_body(revoked: bool, expired: bool) -> Value {
    json!({
        "object": "api_key", "id": "ak_0123456789abcdef0123456789abcdef", "type": "api_key",
        "subject": "user_2xUserIdentifier0000000001", "name": "CI deploys", "description": null,
        "claims": {"team": "infra"}, "scopes": ["deploy", "read"], "revoked": revoked,
        "revocation_reason": if revoked { json!("leaked") } else { Value::Null },
        "expired": expired, "expiration": now_ms() + 3_600_000,
        "created_by": "user_2xUserIdentifier0000000001", "last_used_at": null,
        "created_at": now_ms() - 86_400_000, "updated_at": now_ms() - 86_400_000,
    })
}

fn m2m_body() -> Value {
    json!({
        "object": "machine_to_machine_token", "id": "mt_0123456789abcdef0123456789abcdef",
        "subject": "mch_2xMachineIdentifier00000001", "claims": null,
        "scopes": ["mch_2xOtherMachine000000000001"], "revoked": false, "revocation_reason": null,
        "expired": false, "expiration": null, "last_used_at": null,
        "created_at": now_ms() - 1000, "updated_at": now_ms() - 1000,
    })
}

fn oauth_body() -> Value {
    json!({
        "object": "clerk_idp_oauth_access_token", "id": "oat_0123456789abcdef0123456789abcdef",
        "client_id": "client_abc", "subject": "user_2xUserIdentifier0000000001",
        "scopes": ["profile", "email"], "revoked": false, "revocation_reason": null,
        "expired": false, "expiration": now_ms() + 60_000,
        "created_at": now_ms() - 1000, "updated_at": now_ms() - 1000,
    })
}

/// Clerk's error body for an unknown token.
fn not_found() -> ResponseTemplate {
    ResponseTemplate::new(404).set_body_json(json!({"errors": [{
        "message": "not found", "long_message": "Resource not found", "code": "resource_not_found",
    }]}))
}

async fn answer(server: &MockServer, endpoint: &str, body: Value, response: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path(endpoint))
        .and(header("authorization", format!("Bearer {SECRET}").as_str()))
        .and(body_json(body))
        .respond_with(response)
        .mount(server)
        .await;
}

fn client(server: &MockServer) -> Client {
    Client::builder(SECRET)
        .base_url(server.uri())
        .retry(RetryPolicy::default().max_attempts(2))
        .build()
        .unwrap()
}

/// Accepts every kind, checks through `server`, no cache unless a test sets one.
fn verifier(server: &MockServer) -> Verifier {
    Verifier::with_jwks(client(server))
        .accepts(Accepts::any())
        .machine_token_cache_ttl(Duration::ZERO)
        .build()
}

async fn calls(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

async fn reason(verifier: &Verifier, token: &str) -> &'static str {
    match verifier.verify_caller(token).await {
        Ok(_) => "ok",
        Err(e) => e.reason(),
    }
}

#[tokio::test]
async fn valid_tokens_of_each_kind_name_their_caller() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/api_keys/verify",
        json!({"secret": API_KEY}),
        ResponseTemplate::new(200).set_body_json(api_key_body(false, false)),
    )
    .await;
    answer(
        &server,
        "/m2m_tokens/verify",
        json!({"token": M2M}),
        ResponseTemplate::new(200).set_body_json(m2m_body()),
    )
    .await;
    answer(
        &server,
        "/oauth_applications/access_tokens/verify",
        json!({"access_token": OAUTH}),
        ResponseTemplate::new(200).set_body_json(oauth_body()),
    )
    .await;
    let verifier = verifier(&server);

    let Caller::Machine(key) = verifier.verify_caller(API_KEY).await.unwrap() else {
        panic!("an API key is a machine caller")
    };
    assert_eq!(key.kind, TokenKind::ApiKey);
    assert_eq!(key.id, "ak_0123456789abcdef0123456789abcdef");
    assert_eq!(key.subject, "user_2xUserIdentifier0000000001");
    assert_eq!(key.name.as_deref(), Some("CI deploys"));
    assert_eq!(key.scopes, ["deploy", "read"]);
    assert_eq!(key.claims.as_ref().unwrap()["team"], "infra");
    assert!(key.expires_at_ms.is_some());

    let m2m = verifier.verify_caller(M2M).await.unwrap();
    assert_eq!(m2m.kind(), TokenKind::M2mToken);
    assert_eq!(m2m.subject(), "mch_2xMachineIdentifier00000001");
    let m2m = m2m.machine().unwrap();
    assert_eq!((m2m.claims.as_ref(), m2m.expires_at_ms), (None, None));

    let oauth = verifier.verify_caller(OAUTH).await.unwrap();
    let oauth = oauth.machine().unwrap();
    assert_eq!(oauth.kind, TokenKind::OAuthToken);
    assert_eq!(oauth.client_id.as_deref(), Some("client_abc"));
    assert_eq!(oauth.scopes, ["profile", "email"]);
    assert_eq!(calls(&server).await, 3);
}

#[tokio::test]
async fn revoked_expired_and_unknown_tokens_are_refused_with_their_reason() {
    let server = MockServer::start().await;
    let revoked = "ak_revoked00000000000000000000000";
    let expired = "ak_expired00000000000000000000000";
    let past = "ak_pastexpiry000000000000000000000";
    let unknown = "ak_unknown00000000000000000000000";
    let ok = |body| ResponseTemplate::new(200).set_body_json(body);
    answer(
        &server,
        "/api_keys/verify",
        json!({"secret": revoked}),
        ok(api_key_body(true, false)),
    )
    .await;
    answer(
        &server,
        "/api_keys/verify",
        json!({"secret": expired}),
        ok(api_key_body(false, true)),
    )
    .await;
    let mut stale = api_key_body(false, false);
    stale["expiration"] = (now_ms() - 60_000).into();
    answer(
        &server,
        "/api_keys/verify",
        json!({"secret": past}),
        ok(stale),
    )
    .await;
    answer(
        &server,
        "/api_keys/verify",
        json!({"secret": unknown}),
        not_found(),
    )
    .await;
    // The OAuth endpoint's answer for an expired token.
    answer(
        &server,
        "/oauth_applications/access_tokens/verify",
        json!({"access_token": OAUTH}),
        ok(json!({"active": false})),
    )
    .await;
    answer(&server, "/m2m_tokens/verify", json!({"token": M2M}),
        ResponseTemplate::new(400).set_body_json(json!({"errors": [{
            "message": "invalid", "long_message": "The token is invalid", "code": "token_invalid"}]}))).await;
    let verifier = verifier(&server);
    assert_eq!(reason(&verifier, revoked).await, "token_revoked");
    assert_eq!(reason(&verifier, expired).await, "expired");
    assert_eq!(reason(&verifier, past).await, "expired");
    assert_eq!(reason(&verifier, unknown).await, "unknown_token");
    assert_eq!(reason(&verifier, OAUTH).await, "expired");
    assert_eq!(reason(&verifier, M2M).await, "unknown_token");
    // None of these is retried: Clerk's answer is final.
    assert_eq!(calls(&server).await, 6);
}

#[tokio::test]
async fn an_api_that_fails_is_api_unavailable_after_the_clients_retries() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/api_keys/verify",
        json!({"secret": API_KEY}),
        ResponseTemplate::new(503).set_body_json(json!({"errors": []})),
    )
    .await;
    answer(&server, "/m2m_tokens/verify", json!({"token": M2M}),
        ResponseTemplate::new(401).set_body_json(json!({"errors": [{
            "message": "invalid", "long_message": "Secret key invalid", "code": "authentication_invalid"}]}))).await;
    answer(
        &server,
        "/oauth_applications/access_tokens/verify",
        json!({"access_token": OAUTH}),
        ResponseTemplate::new(200).set_body_string("<html>proxy error</html>"),
    )
    .await;
    let verifier = verifier(&server);
    let error = verifier.verify_caller(API_KEY).await.unwrap_err();
    assert_eq!(error.reason(), "api_unavailable");
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert!(source.contains("503"), "{source}");
    // The POST was retried as the client's policy allows (2 attempts), though it is a POST.
    assert_eq!(calls(&server).await, 2);
    assert_eq!(
        reason(&verifier, M2M).await,
        "api_unavailable",
        "the secret key refused"
    );
    assert_eq!(
        reason(&verifier, OAUTH).await,
        "api_unavailable",
        "an unreadable answer"
    );
    // Nobody listening at all.
    let gone = Client::builder(SECRET)
        .base_url("http://127.0.0.1:9")
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let verifier = Verifier::with_jwks(gone).accepts(Accepts::any()).build();
    assert_eq!(reason(&verifier, API_KEY).await, "api_unavailable");
}

#[tokio::test]
async fn a_slow_api_is_cut_off_by_the_clients_deadline() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/api_keys/verify",
        json!({"secret": API_KEY}),
        ResponseTemplate::new(200)
            .set_body_json(api_key_body(false, false))
            .set_delay(Duration::from_secs(5)),
    )
    .await;
    let hurried =
        client(&server).with_options(RequestOptions::new().deadline(Duration::from_millis(300)));
    let verifier = Verifier::with_jwks(hurried).accepts(Accepts::any()).build();
    let started = Instant::now();
    let error = verifier.verify_caller(API_KEY).await.unwrap_err();
    assert_eq!(error.reason(), "api_unavailable");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    let source = std::error::Error::source(&error).unwrap();
    let client_error = source.downcast_ref::<clerk_api::Error>().unwrap();
    assert_eq!(
        client_error.timeout_kind(),
        Some(clerk_api::TimeoutKind::Deadline)
    );
}

#[tokio::test]
async fn kinds_that_are_not_accepted_are_refused_without_a_call() {
    let server = MockServer::start().await;
    let sessions_only = Verifier::with_jwks(client(&server)).build();
    let keys_only = Verifier::with_jwks(client(&server))
        .accepts(TokenKind::ApiKey)
        .build();
    for token in [API_KEY, M2M, OAUTH] {
        assert_eq!(
            reason(&sessions_only, token).await,
            "wrong_token_type",
            "{token}"
        );
    }
    assert_eq!(reason(&keys_only, M2M).await, "wrong_token_type");
    assert_eq!(reason(&keys_only, OAUTH).await, "wrong_token_type");
    let huge = format!("ak_{}", "0".repeat(20_000));
    assert_eq!(reason(&keys_only, &huge).await, "malformed");
    assert_eq!(calls(&server).await, 0);
    // A networkless verifier has no client to ask: refused, never passed.
    let pem = clerk_api::auth::testing::TestKey::generate("kid");
    let networkless = Verifier::with_key(pem.jwt_key())
        .accepts(Accepts::any())
        .build();
    assert_eq!(reason(&networkless, API_KEY).await, "api_unavailable");
}

#[tokio::test]
async fn a_verified_token_is_cached_and_a_revocation_takes_effect_within_the_ttl() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/api_keys/verify",
        json!({"secret": API_KEY}),
        ResponseTemplate::new(200).set_body_json(api_key_body(false, false)),
    )
    .await;
    let ttl = Duration::from_millis(800);
    let verifier = Verifier::with_jwks(client(&server))
        .accepts(Accepts::any())
        .machine_token_cache_ttl(ttl)
        .build();
    let verified_at = Instant::now();
    for _ in 0..10 {
        assert_eq!(reason(&verifier, API_KEY).await, "ok");
    }
    assert_eq!(calls(&server).await, 1, "one call for a burst");
    // Revoked in Clerk: still cached until the TTL, counted from the verification.
    server.reset().await;
    answer(
        &server,
        "/api_keys/verify",
        json!({"secret": API_KEY}),
        not_found(),
    )
    .await;
    assert_eq!(reason(&verifier, API_KEY).await, "ok");
    assert!(
        verified_at.elapsed() < ttl,
        "the test machine was too slow to observe the cache"
    );
    tokio::time::sleep(ttl.saturating_sub(verified_at.elapsed()) + Duration::from_millis(50)).await;
    assert_eq!(reason(&verifier, API_KEY).await, "unknown_token");
    // Refusals are not cached: each asks again.
    assert_eq!(reason(&verifier, API_KEY).await, "unknown_token");
    assert_eq!(calls(&server).await, 2);
    assert_eq!(
        clerk_api::auth::DEFAULT_MACHINE_TOKEN_CACHE_TTL,
        Duration::from_secs(10),
        "the bound the README documents"
    );
}

#[tokio::test]
async fn a_cached_token_is_not_used_past_its_own_expiry() {
    let server = MockServer::start().await;
    let mut body = api_key_body(false, false);
    body["expiration"] = (now_ms() + 400).into();
    answer(
        &server,
        "/api_keys/verify",
        json!({"secret": API_KEY}),
        ResponseTemplate::new(200).set_body_json(body),
    )
    .await;
    let verifier = Verifier::with_jwks(client(&server))
        .accepts(Accepts::any())
        .machine_token_cache_ttl(Duration::from_secs(60))
        .clock_skew(Duration::ZERO)
        .build();
    assert_eq!(reason(&verifier, API_KEY).await, "ok");
    tokio::time::sleep(Duration::from_millis(700)).await;
    // Past the key's expiry: asked again, and Clerk's answer is stale.
    assert_eq!(reason(&verifier, API_KEY).await, "expired");
    assert_eq!(calls(&server).await, 2);
}
