//! An axum app on 127.0.0.1 behind `AuthLayer`, called over HTTP with valid, expired,
//! absent and forged tokens (minted by `jsonwebtoken`), machine JWTs where they are
//! accepted and where they are not, pending sessions, the instance's suffixed cookie,
//! and requirements answered `403`.
#![cfg(all(feature = "auth", feature = "axum", feature = "test-util"))]

use crate::auth_common;

use auth_common::*;
use axum::routing::get;
use axum::Router;
use clerk_api::auth::{
    Accepts, AuthLayer, Caller, Claims, JwtKey, MachineAuth, Requirement, Reverification, Verifier,
};
use reqwest::StatusCode;
use serde_json::json;

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

/// A token for `https://app.example.com` (the `azp` the verifier requires).
fn token(mut claims: serde_json::Value) -> String {
    if claims.get("azp").is_none() {
        claims["azp"] = APP.into();
    }
    JsonWebToken.mint(&[rs256(claims)]).remove(0)
}

const APP: &str = "https://app.example.com";

fn m2m_token() -> String {
    let now = now();
    JsonWebToken
        .mint(&[rs256_header(
            json!({"cat": "cl_B7d4PD333AAA"}),
            json!({"sub": "mch_2xMachine", "jti": "mt_jwt", "iat": now, "exp": now + 60, "scopes": "mch_2xPeer"}),
        )])
        .remove(0)
}

/// GETs `url` with `token` as a bearer token; the status and body.
async fn fetch(url: &str, token: Option<&str>) -> (StatusCode, String) {
    let mut request = http().get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
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

#[tokio::test]
async fn the_caller_extractor_names_sessions_and_machines_where_both_are_accepted() {
    async fn who(caller: Caller) -> String {
        format!("{} {}", caller.kind(), caller.subject())
    }
    async fn machine(machine: MachineAuth) -> String {
        machine.scopes.join(",")
    }
    let verifier = Verifier::with_key(JwtKey::from_pem(&public_pem(KEY_A)).unwrap())
        .authorized_parties([APP])
        .accepts(Accepts::any())
        .build();
    let url = serve(
        Router::new()
            .route("/who", get(who))
            .route("/machine", get(machine))
            .route("/me", get(me))
            .layer(AuthLayer::new(verifier)),
    )
    .await;
    let (session, m2m) = (token(session_claims("user_1")), m2m_token());
    assert_eq!(
        fetch(&format!("{url}/who"), Some(&session)).await.1,
        "session_token user_1"
    );
    assert_eq!(
        fetch(&format!("{url}/who"), Some(&m2m)).await.1,
        "m2m_token mch_2xMachine"
    );
    assert_eq!(
        fetch(&format!("{url}/machine"), Some(&m2m)).await.1,
        "mch_2xPeer"
    );
    // Each extractor answers 401 to the other kind of caller.
    assert_eq!(
        fetch(&format!("{url}/machine"), Some(&session)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        fetch(&format!("{url}/me"), Some(&m2m)).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn machine_tokens_pending_sessions_and_other_classes_are_signed_out_by_default() {
    let url = serve(
        Router::new()
            .route("/me", get(me))
            .layer(AuthLayer::new(verifier())),
    )
    .await;
    let pending =
        token(json!({"sub": "user_1", "sid": "sess_1", "exp": now() + 60, "sts": "pending"}));
    let template = JsonWebToken
        .mint(&[rs256_header(json!({"cat": "cl_B7d4PD222AAA"}), {
            let mut claims = session_claims("user_1");
            claims["azp"] = APP.into();
            claims
        })])
        .remove(0);
    for refused in [
        m2m_token(),
        pending.clone(),
        template,
        "ak_0123456789".to_owned(),
    ] {
        assert_eq!(
            fetch(&format!("{url}/me"), Some(&refused)).await.0,
            StatusCode::UNAUTHORIZED,
            "{refused}"
        );
    }
    // Opting in lets the pending session through, status and all.
    async fn status(claims: Claims) -> String {
        format!("{:?}", claims.session_status)
    }
    let lenient = Verifier::with_key(JwtKey::from_pem(&public_pem(KEY_A)).unwrap())
        .treat_pending_as_signed_out(false)
        .build();
    let url = serve(
        Router::new()
            .route("/status", get(status))
            .layer(AuthLayer::new(lenient)),
    )
    .await;
    assert_eq!(
        fetch(&format!("{url}/status"), Some(&pending)).await.1,
        "Some(Pending)"
    );
}

#[tokio::test]
async fn the_instances_suffixed_cookie_is_read_before_the_plain_one() {
    let publishable_key = "pk_test_Y2xlcmsuY2xlcmsuZGV2JA";
    let suffixed = format!(
        "__session_{}",
        clerk_api::auth::cookie_suffix(publishable_key)
    );
    let verifier = Verifier::with_key(JwtKey::from_pem(&public_pem(KEY_A)).unwrap())
        .publishable_key(publishable_key)
        .build();
    let url = serve(
        Router::new()
            .route("/me", get(me))
            .layer(AuthLayer::new(verifier)),
    )
    .await;
    let (mine, other_app) = (
        token(session_claims("user_mine")),
        token(session_claims("user_other")),
    );
    let with_cookies = |cookies: String| {
        let url = url.clone();
        async move {
            let response = http()
                .get(format!("{url}/me"))
                .header("cookie", cookies)
                .send()
                .await
                .unwrap();
            (response.status(), response.text().await.unwrap())
        }
    };
    // Both apps' cookies on one domain: this instance's own wins, wherever it stands.
    let (status, body) = with_cookies(format!("__session={other_app}; {suffixed}={mine}")).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "user_mine sess_1")
    );
    // Without it, the plain cookie.
    let (_, body) = with_cookies(format!("__session={other_app}")).await;
    assert_eq!(body, "user_other sess_1");
    // Another instance's suffixed cookie is not this one's.
    let (status, _) = with_cookies(format!("__session_AAAAAAAA={mine}")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn requirements_answer_403_to_signed_in_callers_that_lack_them() {
    let verifier = Verifier::with_key(JwtKey::from_pem(&public_pem(KEY_A)).unwrap())
        .accepts(Accepts::any())
        .build();
    let layer = |requirement| AuthLayer::new(verifier.clone()).require(requirement);
    let url = serve(
        Router::new()
            .route(
                "/admin",
                get(me).layer(layer(Requirement::role("org:admin"))),
            )
            .route(
                "/invoices",
                get(me).layer(layer(Requirement::permission("org:invoices:read"))),
            )
            .route(
                "/export",
                get(me).layer(layer(Requirement::feature("u:export"))),
            )
            .route("/pro", get(me).layer(layer(Requirement::plan("o:pro"))))
            .route(
                "/danger",
                get(me).layer(layer(Requirement::reverification(Reverification::Strict))),
            ),
    )
    .await;
    let member = token(json!({
        "sub": "user_1", "sid": "sess_1", "exp": now() + 60, "v": 2, "fea": "o:invoices", "pla": "u:free",
        "fva": [30, 30], "o": {"id": "org_1", "rol": "member", "per": "read", "fpm": "1"},
    }));
    let admin = token(json!({
        "sub": "user_1", "sid": "sess_1", "exp": now() + 60, "v": 2, "fea": "o:invoices,u:export", "pla": "o:pro",
        "fva": [1, 1], "o": {"id": "org_1", "rol": "admin", "per": "read", "fpm": "1"},
    }));
    for path in ["/admin", "/export", "/pro", "/danger"] {
        let (status, _) = fetch(&format!("{url}{path}"), Some(&member)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(
            fetch(&format!("{url}{path}"), Some(&admin)).await.0,
            StatusCode::OK,
            "{path}"
        );
    }
    assert_eq!(
        fetch(&format!("{url}/invoices"), Some(&member)).await.0,
        StatusCode::OK
    );
    // A reverification refusal says what Clerk's frontend needs to ask for.
    let (_, body) = fetch(&format!("{url}/danger"), Some(&member)).await;
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["clerk_error"]["reason"], "reverification-error");
    assert_eq!(body["clerk_error"]["metadata"]["reverification"], "strict");
    // A machine meets no session requirement; a signed-out request is still 401.
    assert_eq!(
        fetch(&format!("{url}/admin"), Some(&m2m_token())).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        fetch(&format!("{url}/admin"), None).await.0,
        StatusCode::UNAUTHORIZED
    );
    let no_org = token(session_claims("user_1"));
    assert_eq!(
        fetch(&format!("{url}/invoices"), Some(&no_org)).await.0,
        StatusCode::FORBIDDEN
    );
}
