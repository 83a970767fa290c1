//! The JWKS cache, against a real JWKS server on 127.0.0.1 (wiremock) that counts its
//! requests: a fixed TTL that hits never extend, one rate-limited refresh on an unknown
//! `kid`, one shared fetch for concurrent misses (and for a failing fetch), a cache per
//! client, fetch failures as their own error. Tokens are minted by `jsonwebtoken`.
#![cfg(all(feature = "auth", feature = "test-util"))]

use crate::auth_common;

use auth_common::*;
use clerk_api::auth::Verifier;
use clerk_api::{Client, RetryPolicy};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "sk_test_instance_one";

async fn serve(server: &MockServer, jwks: Value) {
    serve_with(server, ResponseTemplate::new(200).set_body_json(jwks)).await;
}

/// Replaces whatever the server answered before.
async fn serve_with(server: &MockServer, response: ResponseTemplate) {
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/jwks"))
        .and(header("authorization", format!("Bearer {SECRET}").as_str()))
        .respond_with(response)
        .mount(server)
        .await;
}

async fn fetches(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

fn client(server: &MockServer) -> Client {
    Client::builder(SECRET)
        .base_url(server.uri())
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap()
}

fn token(key: &'static str, kid: &'static str) -> String {
    JsonWebToken.mint(&[Mint::Rs256 {
        key,
        kid: Some(kid),
        claims: session_claims("user_1"),
    }])[0]
        .clone()
}

async fn reason(verifier: &Verifier, token: &str) -> &'static str {
    match verifier.verify(token).await {
        Ok(_) => "ok",
        Err(e) => e.reason(),
    }
}

/// Sleeps until `elapsed` has passed since `start`.
async fn at(start: Instant, elapsed: Duration) {
    tokio::time::sleep(elapsed.saturating_sub(start.elapsed())).await;
}

#[tokio::test]
async fn the_ttl_is_fixed_and_hits_do_not_extend_it() {
    let server = MockServer::start().await;
    serve(&server, jwks(&[(KEY_A, "kid_a")])).await;
    let ttl = Duration::from_millis(2000);
    let verifier = Verifier::with_jwks(client(&server)).jwks_ttl(ttl).build();
    let token = token(KEY_A, "kid_a");

    let start = Instant::now();
    assert_eq!(reason(&verifier, &token).await, "ok");
    assert_eq!(fetches(&server).await, 1);
    // Hits all through the TTL: served from the cache, and they do not push expiry out.
    for i in 1..=5 {
        at(start, Duration::from_millis(200 * i)).await;
        assert_eq!(reason(&verifier, &token).await, "ok");
    }
    assert_eq!(
        fetches(&server).await,
        1,
        "hits within the TTL fetch nothing"
    );
    // Past the TTL counted from the fetch (not from the last hit): fetched again.
    at(start, ttl + Duration::from_millis(300)).await;
    assert_eq!(reason(&verifier, &token).await, "ok");
    assert_eq!(fetches(&server).await, 2);
}

#[tokio::test]
async fn a_withdrawn_key_stops_verifying_once_the_ttl_is_over() {
    let server = MockServer::start().await;
    serve(&server, jwks(&[(KEY_A, "kid_a")])).await;
    let ttl = Duration::from_millis(1500);
    let verifier = Verifier::with_jwks(client(&server))
        .jwks_ttl(ttl)
        .jwks_refresh_interval(Duration::from_secs(60))
        .build();
    let (old, new) = (token(KEY_A, "kid_a"), token(KEY_B, "kid_b"));
    let start = Instant::now();
    assert_eq!(reason(&verifier, &old).await, "ok");

    // Clerk rotates: the set now has only B.
    serve(&server, jwks(&[(KEY_B, "kid_b")])).await;
    assert_eq!(reason(&verifier, &old).await, "ok", "still cached");
    at(start, ttl + Duration::from_millis(200)).await;
    assert_eq!(reason(&verifier, &old).await, "unknown_key");
    assert_eq!(reason(&verifier, &new).await, "ok");
    assert_eq!(fetches(&server).await, 1, "one fetch after the reset");
}

#[tokio::test]
async fn a_rotated_key_is_found_by_the_one_refresh() {
    let server = MockServer::start().await;
    serve(&server, jwks(&[(KEY_A, "kid_a")])).await;
    let verifier = Verifier::with_jwks(client(&server))
        .jwks_refresh_interval(Duration::ZERO)
        .build();
    assert_eq!(reason(&verifier, &token(KEY_A, "kid_a")).await, "ok");
    serve(&server, jwks(&[(KEY_A, "kid_a"), (KEY_B, "kid_b")])).await;
    // kid_b is not in the fresh set: one refresh, and it is there.
    assert_eq!(reason(&verifier, &token(KEY_B, "kid_b")).await, "ok");
    assert_eq!(fetches(&server).await, 1);
    // Both are cached now.
    assert_eq!(reason(&verifier, &token(KEY_A, "kid_a")).await, "ok");
    assert_eq!(reason(&verifier, &token(KEY_B, "kid_b")).await, "ok");
    assert_eq!(fetches(&server).await, 1);
}

#[tokio::test]
async fn an_unknown_kid_refreshes_once_per_interval_then_is_refused() {
    let server = MockServer::start().await;
    serve(&server, jwks(&[(KEY_A, "kid_a")])).await;
    let interval = Duration::from_millis(1500);
    let verifier = Verifier::with_jwks(client(&server))
        .jwks_refresh_interval(interval)
        .build();
    let (known, made_up) = (token(KEY_A, "kid_a"), token(KEY_A, "kid_made_up"));
    let start = Instant::now();
    assert_eq!(reason(&verifier, &known).await, "ok");
    assert_eq!(fetches(&server).await, 1);

    // The initial fetch counts against the interval: no refresh yet.
    assert_eq!(reason(&verifier, &made_up).await, "unknown_key");
    assert_eq!(fetches(&server).await, 1);
    at(start, interval + Duration::from_millis(100)).await;
    // Past the interval: one refresh, still no such key.
    assert_eq!(reason(&verifier, &made_up).await, "unknown_key");
    assert_eq!(fetches(&server).await, 2);
    // A burst of made-up kids right after: refused without fetching.
    for _ in 0..20 {
        assert_eq!(reason(&verifier, &made_up).await, "unknown_key");
    }
    assert_eq!(fetches(&server).await, 2);
    // Known keys keep verifying from the cache meanwhile.
    assert_eq!(reason(&verifier, &known).await, "ok");
    assert_eq!(fetches(&server).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_misses_share_one_fetch() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200)
        .set_body_json(jwks(&[(KEY_A, "kid_a")]))
        .set_delay(Duration::from_millis(300));
    serve_with(&server, slow).await;
    let verifier = Verifier::with_jwks(client(&server)).build();
    let token = token(KEY_A, "kid_a");
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let (verifier, token) = (verifier.clone(), token.clone());
            tokio::spawn(async move { verifier.verify(&token).await.map(|c| c.sub) })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), "user_1");
    }
    assert_eq!(fetches(&server).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_fetch_is_shared_and_is_key_unavailable() {
    let server = MockServer::start().await;
    let failing = ResponseTemplate::new(503)
        .set_body_json(json!({"errors": []}))
        .set_delay(Duration::from_millis(300));
    serve_with(&server, failing).await;
    let verifier = Verifier::with_jwks(client(&server)).build();
    let token = token(KEY_A, "kid_a");
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let (verifier, token) = (verifier.clone(), token.clone());
            tokio::spawn(async move { verifier.verify(&token).await })
        })
        .collect();
    for task in tasks {
        let error = task.await.unwrap().unwrap_err();
        assert_eq!(error.reason(), "key_unavailable");
        let source = std::error::Error::source(&error).expect("the client error");
        assert!(source.to_string().contains("503"), "{source}");
    }
    assert_eq!(fetches(&server).await, 1);
}

#[tokio::test]
async fn an_expired_set_is_not_used_when_the_refetch_fails() {
    let server = MockServer::start().await;
    serve(&server, jwks(&[(KEY_A, "kid_a")])).await;
    let ttl = Duration::from_millis(400);
    let verifier = Verifier::with_jwks(client(&server)).jwks_ttl(ttl).build();
    let token = token(KEY_A, "kid_a");
    assert_eq!(reason(&verifier, &token).await, "ok");
    serve_with(&server, ResponseTemplate::new(500)).await;
    tokio::time::sleep(ttl + Duration::from_millis(100)).await;
    assert_eq!(reason(&verifier, &token).await, "key_unavailable");
    // Unreachable Clerk: the same kind of error.
    let gone = Client::builder(SECRET)
        .base_url("http://127.0.0.1:9")
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let verifier = Verifier::with_jwks(gone).build();
    assert_eq!(reason(&verifier, &token).await, "key_unavailable");
}

#[tokio::test]
async fn each_client_has_its_own_cache() {
    // Two instances: their own servers and keys.
    let (one, two) = (MockServer::start().await, MockServer::start().await);
    serve(&one, jwks(&[(KEY_A, "kid_shared")])).await;
    serve(&two, jwks(&[(KEY_B, "kid_shared")])).await;
    let client_one = client(&one);
    let (verifier_one, verifier_two) = (
        Verifier::with_jwks(client_one.clone()).build(),
        Verifier::with_jwks(client(&two)).build(),
    );
    let token_one = token(KEY_A, "kid_shared");
    assert_eq!(reason(&verifier_one, &token_one).await, "ok");
    // Same kid, other instance: its own keys, so the signature fails.
    assert_eq!(reason(&verifier_two, &token_one).await, "bad_signature");
    assert_eq!((fetches(&one).await, fetches(&two).await), (1, 1));

    // Another verifier on a clone of the same client shares its cache.
    let again = Verifier::with_jwks(client_one).build();
    assert_eq!(reason(&again, &token_one).await, "ok");
    assert_eq!(fetches(&one).await, 1);

    // Same base URL, another secret key: another client, its own cache (the server
    // answers only instance one's key, so this one's fetch fails).
    let other_key = Client::builder("sk_test_instance_two")
        .base_url(one.uri())
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let verifier_other = Verifier::with_jwks(other_key).build();
    assert_eq!(reason(&verifier_other, &token_one).await, "key_unavailable");
    assert_eq!(fetches(&one).await, 2);
}

#[tokio::test]
async fn keys_that_are_not_rs256_signing_keys_are_refused_without_a_refresh() {
    let server = MockServer::start().await;
    let mut enc = jwk(KEY_A, "kid_enc");
    enc["use"] = "enc".into();
    let mut rs384 = jwk(KEY_A, "kid_rs384");
    rs384["alg"] = "RS384".into();
    let ec = json!({"kty": "EC", "crv": "P-256", "kid": "kid_ec", "alg": "ES256", "use": "sig",
        "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"});
    let oct =
        json!({"kty": "oct", "kid": "kid_oct", "alg": "HS256", "use": "sig", "k": "c2VjcmV0"});
    serve(
        &server,
        json!({"keys": [enc, rs384, ec, oct, jwk(KEY_A, "kid_a")]}),
    )
    .await;
    let verifier = Verifier::with_jwks(client(&server))
        .jwks_refresh_interval(Duration::ZERO)
        .build();
    assert_eq!(reason(&verifier, &token(KEY_A, "kid_a")).await, "ok");
    for kid in ["kid_enc", "kid_rs384", "kid_ec", "kid_oct"] {
        assert_eq!(
            reason(&verifier, &token(KEY_A, kid)).await,
            "bad_algorithm",
            "{kid}"
        );
    }
    assert_eq!(
        fetches(&server).await,
        1,
        "a known kid of the wrong type is no miss"
    );
}

#[tokio::test]
async fn a_token_without_kid_is_refused_with_jwks() {
    let server = MockServer::start().await;
    serve(&server, jwks(&[(KEY_A, "kid_a")])).await;
    let verifier = Verifier::with_jwks(client(&server)).build();
    let no_kid = JsonWebToken.mint(&[Mint::Rs256 {
        key: KEY_A,
        kid: None,
        claims: session_claims("user_1"),
    }]);
    assert_eq!(reason(&verifier, &no_kid[0]).await, "unknown_key");
    assert_eq!(fetches(&server).await, 0);
}
