//! `VerifiedEvent` in a real axum server on 127.0.0.1: signed requests reach the
//! handler as typed events, refused ones are answered 400 before it, and handlers that
//! take the `Result` see the reason.
#![cfg(all(feature = "webhook", feature = "axum", feature = "test-util"))]

use crate::common;

use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use clerk_api::reqwest::header::HeaderValue;
use clerk_api::webhook::testing::{random_secret, Signer};
use clerk_api::webhook::{Event, VerifiedEvent, Verifier, WebhookRejection};
use common::raw_http;
use std::net::SocketAddr;

fn deleted(id: &str) -> String {
    format!(
        r#"{{"type":"user.deleted","object":"event","timestamp":1,"instance_id":"ins_1","data":{{"object":"user","id":"{id}","deleted":true}}}}"#
    )
}

async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// Application state holding a verifier among other things.
#[derive(Clone)]
struct AppState {
    verifier: Verifier,
    name: &'static str,
}

impl FromRef<AppState> for Verifier {
    fn from_ref(state: &AppState) -> Verifier {
        state.verifier.clone()
    }
}

async fn typed(VerifiedEvent(event): VerifiedEvent) -> String {
    match &event {
        Event::UserDeleted(e) => format!("deleted {}", e.data.id.as_deref().unwrap_or("-")),
        other => format!("other {}", other.event_type()),
    }
}

#[tokio::test]
async fn signed_requests_reach_the_handler_and_refused_ones_get_400() {
    let secret = random_secret();
    let state = AppState {
        verifier: Verifier::new(&secret).unwrap(),
        name: "app",
    };
    assert_eq!(state.name, "app");
    let addr = serve(Router::new().route("/clerk", post(typed)).with_state(state)).await;
    let signer = Signer::new(&secret).unwrap();

    let body = deleted("user_1");
    let signed = signer.headers_now(body.as_bytes());
    assert_eq!(
        raw_http::post(addr, "/clerk", &signed, body.as_bytes()).await,
        (200, "deleted user_1".to_owned())
    );

    let tampered = deleted("user_2");
    let (status, text) = raw_http::post(addr, "/clerk", &signed, tampered.as_bytes()).await;
    assert_eq!(status, 400);
    assert!(text.contains("no v1 signature matches"), "{text}");

    let mut unsigned = signed.clone();
    unsigned.remove("svix-signature");
    let (status, text) = raw_http::post(addr, "/clerk", &unsigned, body.as_bytes()).await;
    assert_eq!(status, 400);
    assert!(text.contains("svix-signature"), "{text}");

    let stale = signer.headers("msg_old", 1_000_000_000, body.as_bytes());
    let (status, text) = raw_http::post(addr, "/clerk", &stale, body.as_bytes()).await;
    assert_eq!(status, 400);
    assert!(text.contains("ago"), "{text}");
}

async fn reasons(request: Result<VerifiedEvent, WebhookRejection>) -> (StatusCode, String) {
    match request {
        Ok(VerifiedEvent(event)) => (StatusCode::NO_CONTENT, event.event_type().to_owned()),
        Err(rejection) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            rejection.reason().to_owned(),
        ),
    }
}

#[tokio::test]
async fn a_handler_taking_the_result_sees_each_reason() {
    let secret = random_secret();
    let app = Router::new()
        .route("/", post(reasons))
        .layer(DefaultBodyLimit::max(1024))
        .with_state(Verifier::new(&secret).unwrap());
    let addr = serve(app).await;
    let signer = Signer::new(&secret).unwrap();
    let body = deleted("user_3");

    let ok = signer.headers_now(body.as_bytes());
    assert_eq!(raw_http::post(addr, "/", &ok, body.as_bytes()).await.0, 204);

    let mut bad_time = ok.clone();
    bad_time.insert("svix-timestamp", HeaderValue::from_static("later"));
    let other = Signer::new(&random_secret())
        .unwrap()
        .headers_now(body.as_bytes());
    let not_json = b"{\"no\":\"type\"}";
    let authentic_not_event = signer.headers_now(not_json);
    let huge = vec![b' '; 4096];
    let huge_signed = signer.headers_now(&huge);
    for (headers, body, want) in [
        (&bad_time, body.as_bytes(), "timestamp"),
        (&other, body.as_bytes(), "signature"),
        (&authentic_not_event, not_json.as_slice(), "payload"),
        (&huge_signed, huge.as_slice(), "body"),
    ] {
        assert_eq!(
            raw_http::post(addr, "/", headers, body).await,
            (422, want.to_owned()),
            "{want}"
        );
    }
}
