//! An actix-web 4 server on 127.0.0.1 (its own thread and actix system) behind
//! `ClerkAuth`, called over HTTP: sessions and machines through the extractors, `401`
//! for the signed out, `403` for unmet requirements, the optional middleware, and a
//! webhook event extracted by `VerifiedEvent` (tokens minted by `jsonwebtoken`, the
//! webhook signed by the crate's test signer).
#![cfg(all(
    feature = "auth",
    feature = "actix",
    feature = "webhook",
    feature = "test-util"
))]

use crate::auth_common;

use actix_web::{web, App, HttpServer};
use auth_common::*;
use clerk_api::auth::{
    Accepts, Caller, Claims, ClerkAuth, JwtKey, MachineAuth, Requirement, Reverification, Verifier,
};
use clerk_api::webhook::{self, Event, VerifiedEvent};
use reqwest::StatusCode;
use serde_json::json;

const APP: &str = "https://app.example.com";

fn verifier() -> Verifier {
    Verifier::with_key(JwtKey::from_pem(&public_pem(KEY_A)).unwrap())
        .authorized_parties([APP])
        .accepts(Accepts::any())
        .build()
}

async fn me(claims: Claims) -> String {
    format!("{} {}", claims.sub, claims.sid.unwrap_or_default())
}

async fn who(caller: Caller) -> String {
    format!("{} {}", caller.kind(), caller.subject())
}

async fn machine(machine: MachineAuth) -> String {
    machine.id
}

async fn maybe(claims: Option<Claims>) -> String {
    claims.map_or("anonymous".to_owned(), |c| c.sub)
}

async fn webhook_event(VerifiedEvent(event): VerifiedEvent) -> String {
    match event {
        Event::UserDeleted(e) => format!("deleted {}", e.data.id.unwrap_or_default()),
        other => other.event_type().to_owned(),
    }
}

/// Starts the app on a free port of 127.0.0.1 in a thread of its own; its base URL.
fn serve(webhook_secret: String) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let verifier = verifier();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let webhooks = webhook::Verifier::new(&webhook_secret).unwrap();
            HttpServer::new(move || {
                App::new()
                    .app_data(webhooks.clone())
                    .route("/clerk-webhook", web::post().to(webhook_event))
                    .service(
                        web::scope("/admin")
                            .wrap(
                                ClerkAuth::new(verifier.clone())
                                    .require(Requirement::role("org:admin"))
                                    .require(Requirement::reverification(Reverification::Strict)),
                            )
                            .route("", web::get().to(me)),
                    )
                    .service(
                        web::scope("/open")
                            .wrap(ClerkAuth::optional(verifier.clone()))
                            .route("", web::get().to(maybe)),
                    )
                    .service(
                        web::scope("")
                            .wrap(ClerkAuth::new(verifier.clone()))
                            .route("/me", web::get().to(me))
                            .route("/who", web::get().to(who))
                            .route("/machine", web::get().to(machine)),
                    )
            })
            .workers(1)
            .listen(listener)
            .unwrap()
            .run()
            .await
        })
    });
    url
}

fn http() -> reqwest::Client {
    let _ = rustls::crypto::CryptoProvider::install_default(rustls_graviola::default_provider());
    reqwest::Client::new()
}

async fn fetch(url: String, token: Option<&str>) -> (StatusCode, String, Option<String>) {
    let mut request = http().get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned());
    (response.status(), response.text().await.unwrap(), challenge)
}

fn session(extra: serde_json::Value) -> String {
    let mut claims = session_claims("user_1");
    claims["azp"] = APP.into();
    for (name, value) in extra.as_object().unwrap() {
        claims[name] = value.clone();
    }
    JsonWebToken.mint(&[rs256(claims)]).remove(0)
}

fn m2m() -> String {
    let now = now();
    JsonWebToken
        .mint(&[rs256(
            json!({"sub": "mch_2xMachine", "jti": "mt_jwt_1", "iat": now, "exp": now + 60}),
        )])
        .remove(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_middleware_and_extractors_serve_sessions_and_machines() {
    let url = serve(webhook::testing::random_secret());
    let (valid, machine_token) = (session(json!({})), m2m());
    assert_eq!(
        fetch(format!("{url}/me"), Some(&valid)).await.1,
        "user_1 sess_1"
    );
    // The session cookie works as the header does.
    let response = http()
        .get(format!("{url}/me"))
        .header("cookie", format!("theme=dark; __session={valid}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.text().await.unwrap(), "user_1 sess_1");
    assert_eq!(
        fetch(format!("{url}/who"), Some(&machine_token)).await.1,
        "m2m_token mch_2xMachine"
    );
    assert_eq!(
        fetch(format!("{url}/machine"), Some(&machine_token))
            .await
            .1,
        "mt_jwt_1"
    );
    // Each extractor refuses the other kind of caller with a bare 401.
    let (status, body, challenge) = fetch(format!("{url}/me"), Some(&machine_token)).await;
    assert_eq!((status, body.as_str()), (StatusCode::UNAUTHORIZED, ""));
    assert_eq!(challenge.as_deref(), Some("Bearer"));
    assert_eq!(
        fetch(format!("{url}/machine"), Some(&valid)).await.0,
        StatusCode::UNAUTHORIZED
    );
    // Signed out, expired, another party's, forged: 401 from the middleware, empty.
    let mut expired = session_claims("user_1");
    expired["exp"] = (now() - 60).into();
    expired["azp"] = APP.into();
    let refused = [
        None,
        Some(JsonWebToken.mint(&[rs256(expired)]).remove(0)),
        Some(session(json!({"azp": "https://evil.example.com"}))),
        Some(session(json!({"sts": "pending"}))),
        Some("not-a-token".to_owned()),
    ];
    for token in refused {
        let (status, body, challenge) = fetch(format!("{url}/who"), token.as_deref()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!((body.as_str(), challenge.as_deref()), ("", Some("Bearer")));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requirements_answer_403_and_the_optional_middleware_lets_everyone_in() {
    let url = serve(webhook::testing::random_secret());
    let org = |role: &str, fva: serde_json::Value| {
        session(json!({"org_id": "org_1", "org_role": role, "org_permissions": [], "fva": fva}))
    };
    let admin = org("org:admin", json!([1, 1]));
    assert_eq!(
        fetch(format!("{url}/admin"), Some(&admin)).await.0,
        StatusCode::OK
    );
    let member = org("org:member", json!([1, 1]));
    let (status, body, _) = fetch(format!("{url}/admin"), Some(&member)).await;
    assert_eq!((status, body.as_str()), (StatusCode::FORBIDDEN, ""));
    let stale = org("org:admin", json!([1, 30]));
    let (status, body, _) = fetch(format!("{url}/admin"), Some(&stale)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let hint: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(hint["clerk_error"]["metadata"]["reverification"], "strict");
    assert_eq!(
        fetch(format!("{url}/admin"), Some(&m2m())).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        fetch(format!("{url}/admin"), None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(fetch(format!("{url}/open"), None).await.1, "anonymous");
    assert_eq!(
        fetch(format!("{url}/open"), Some("forged.token.x")).await.1,
        "anonymous"
    );
    assert_eq!(
        fetch(format!("{url}/open"), Some(&member)).await.1,
        "user_1"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verified_event_extracts_signed_webhooks_and_refuses_the_rest() {
    let secret = webhook::testing::random_secret();
    let url = serve(secret.clone());
    let signer = webhook::testing::Signer::new(&secret).unwrap();
    let body = r#"{"type":"user.deleted","object":"event","timestamp":1,"instance_id":"ins_1","data":{"object":"user","id":"user_9","deleted":true}}"#;
    let post = |headers: clerk_api::reqwest::header::HeaderMap, body: &'static str| {
        let url = format!("{url}/clerk-webhook");
        async move {
            let response = http()
                .post(url)
                .headers(headers)
                .body(body)
                .send()
                .await
                .unwrap();
            (response.status(), response.text().await.unwrap())
        }
    };
    let signed = signer.headers_now(body.as_bytes());
    assert_eq!(
        post(signed.clone(), body).await,
        (StatusCode::OK, "deleted user_9".to_owned())
    );
    let tampered = r#"{"type":"user.deleted","object":"event","timestamp":1,"instance_id":"ins_1","data":{"object":"user","id":"user_1","deleted":true}}"#;
    let (status, text) = post(signed, tampered).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text.contains("no v1 signature matches"), "{text}");
    let (status, _) = post(Default::default(), body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
