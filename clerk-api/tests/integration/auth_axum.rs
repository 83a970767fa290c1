//! An axum app on 127.0.0.1 behind `AuthLayer`, called over HTTP with valid, expired,
//! absent and forged tokens (minted by `jsonwebtoken`).
#![cfg(all(feature = "auth", feature = "axum", feature = "test-util"))]

use crate::auth_common;

use auth_common::*;
use axum::routing::get;
use axum::Router;
use clerk_api::auth::{AuthLayer, Claims, JwtKey, Verifier};
use reqwest::StatusCode;

fn verifier() -> Verifier {
    Verifier::with_key(JwtKey::from_pem(&public_pem(KEY_A)).unwrap())
        .authorized_parties(["https://app.example.com"])
        .build()
}

/// Serves `app` on a free port of 127.0.0.1; returns its base URL.
async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

async fn me(claims: Claims) -> String {
    format!("{} {}", claims.sub, claims.sid.unwrap_or_default())
}

/// A plain HTTP client (loopback, no TLS; rustls still wants a provider installed).
fn http() -> reqwest::Client {
    let _ = rustls::crypto::CryptoProvider::install_default(rustls_graviola::default_provider());
    reqwest::Client::new()
}

fn token(claims: serde_json::Value) -> String {
    JsonWebToken.mint(&[rs256(claims)]).remove(0)
}

#[tokio::test]
async fn the_layer_admits_signed_in_requests_and_answers_401_to_the_rest() {
    let url = serve(
        Router::new()
            .route("/me", get(me))
            .layer(AuthLayer::new(verifier())),
    )
    .await;
    let http = http();
    let valid = token(session_claims("user_1"));
    let mut expired = session_claims("user_1");
    expired["exp"] = (now() - 60).into();
    let expired = token(expired);
    let mut other_party = session_claims("user_1");
    other_party["azp"] = "https://evil.example.com".into();
    let forged = JsonWebToken.mint(&[Mint::Rs256 {
        key: KEY_B,
        kid: None,
        claims: session_claims("user_admin"),
    }]);

    // Valid, as a bearer token and as the __session cookie.
    let response = http
        .get(format!("{url}/me"))
        .bearer_auth(&valid)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "user_1 sess_1");
    let response = http
        .get(format!("{url}/me"))
        .header("cookie", format!("theme=dark; __session={valid}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.text().await.unwrap(), "user_1 sess_1");

    // Expired, absent, another party's, forged, garbage: 401, empty, nothing said why.
    let refusals = [
        Some(expired),
        None,
        Some(token(other_party)),
        Some(forged[0].clone()),
        Some("not-a-token".to_owned()),
    ];
    for sent in refusals {
        let mut request = http.get(format!("{url}/me"));
        if let Some(token) = &sent {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{sent:?}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        assert_eq!(response.text().await.unwrap(), "", "{sent:?}");
    }
}

#[tokio::test]
async fn the_optional_layer_lets_signed_out_requests_through_without_claims() {
    async fn greet(claims: Option<Claims>) -> String {
        claims.map_or("anonymous".to_owned(), |c| c.sub)
    }
    let url = serve(
        Router::new()
            .route("/", get(greet))
            .route("/me", get(me))
            .layer(AuthLayer::optional(verifier())),
    )
    .await;
    let http = http();
    let valid = token(session_claims("user_1"));
    let get = |path: &str, token: Option<&str>| {
        let mut request = http.get(format!("{url}{path}"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let response = get("/", Some(&valid)).await.unwrap();
    assert_eq!(response.text().await.unwrap(), "user_1");
    let response = get("/", None).await.unwrap();
    assert_eq!(response.text().await.unwrap(), "anonymous");
    let response = get("/", Some("forged.token.here")).await.unwrap();
    assert_eq!(response.text().await.unwrap(), "anonymous");
    // The `Claims` extractor itself refuses a signed-out request.
    let response = get("/me", None).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.text().await.unwrap(), "");
}

#[tokio::test]
async fn without_the_layer_the_claims_extractor_answers_401() {
    let url = serve(Router::new().route("/me", get(me))).await;
    let valid = token(session_claims("user_1"));
    let response = http()
        .get(format!("{url}/me"))
        .bearer_auth(valid)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
