//! What the fake does besides keeping state: `501` naming an operation it does not
//! model, `MockServer`-style rules that answer first (scripted answers, a passing `429`
//! or `5xx`, a slow answer from the state), the record of every request with its
//! operation, and the `/v1` prefix.

use super::ops::*;
use super::{refusal, refused};
use clerk_api::reqwest::{Method, StatusCode};
use clerk_api::testing::{FakeClerk, MockResponse, NOT_MODELLED_ERROR_CODE};
use clerk_api::RetryPolicy;
use serde_json::{json, Value};
use std::time::Duration;

/// A plain HTTP client (loopback, no TLS; rustls still wants a provider installed).
fn http() -> clerk_api::reqwest::Client {
    let _ = rustls::crypto::CryptoProvider::install_default(rustls_graviola::default_provider());
    clerk_api::reqwest::Client::new()
}

#[tokio::test]
async fn an_operation_the_fake_does_not_model_is_a_501_until_a_rule_answers_it() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let ada = fake.seed_user(json!({"first_name": "Ada", "password": "correct horse"}));

    let error = verify_password(&client, &ada, "correct horse")
        .await
        .unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.status(), StatusCode::NOT_IMPLEMENTED);
    let detail = &api.errors()[0];
    assert_eq!(detail.code, NOT_MODELLED_ERROR_CODE);
    assert!(
        detail
            .long_message
            .as_deref()
            .unwrap()
            .contains("VerifyPassword"),
        "{detail:?}"
    );
    assert_eq!(detail.meta.as_ref().unwrap()["operation"], "VerifyPassword");

    let rule = fake
        .on_operation("VerifyPassword")
        .matching(|request| {
            request
                .json::<Value>()
                .is_ok_and(|b| b["password"] == "correct horse")
        })
        .respond(MockResponse::ok(&json!({"verified": true})));
    fake.on_operation("VerifyPassword")
        .respond(MockResponse::clerk_error(
            422,
            "incorrect_password",
            "wrong",
        ));
    assert_eq!(
        verify_password(&client, &ada, "correct horse")
            .await
            .unwrap(),
        Some(true)
    );
    assert_eq!(
        refusal(verify_password(&client, &ada, "nope").await).code,
        "incorrect_password"
    );
    assert_eq!(rule.calls(), 1);
    // State and scripted answers mix in one test.
    assert_eq!(
        get_user(&client, &ada).await.unwrap().first_name.as_deref(),
        Some("Ada")
    );
}

#[tokio::test]
async fn a_rule_can_replace_a_modelled_answer() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let ada = fake.seed_user(json!({"first_name": "Ada"}));
    fake.on(Method::GET, "/users/{user_id}")
        .times(1)
        .respond(MockResponse::clerk_error(
            404,
            "resource_not_found",
            "gone for a moment",
        ));
    assert_eq!(
        refusal(get_user(&client, &ada).await),
        refused(404, "resource_not_found", None)
    );
    assert_eq!(get_user(&client, &ada).await.unwrap().id, ada);
}

#[tokio::test]
async fn a_passing_429_is_retried_after_its_retry_after_and_the_state_changes_once() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let limited = fake
        .on_operation("CreateOrganization")
        .times(1)
        .respond(MockResponse::too_many_requests(1));
    let org = create_organization(&client, "Acme", None, None, None)
        .await
        .unwrap();
    assert_eq!(limited.calls(), 1);
    assert_eq!(fake.organizations().len(), 1);
    assert_eq!(fake.organizations()[0]["id"], org.id.as_str());
    let sent: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.operation_id.as_deref() == Some("CreateOrganization"))
        .collect();
    assert_eq!(sent.len(), 2);
    assert!(sent[1].received_at - sent[0].received_at >= Duration::from_secs(1));
}

#[tokio::test]
async fn server_errors_are_retried_for_reads_only() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let ada = fake.seed_user(json!({"first_name": "Ada"}));
    let outage = fake.on_any().times(2).respond(MockResponse::clerk_error(
        503,
        "service_unavailable",
        "down",
    ));
    assert_eq!(get_user(&client, &ada).await.unwrap().id, ada);
    assert_eq!(outage.calls(), 2);

    // A POST is not retried after a 503: the organization was never created.
    fake.on_operation("CreateOrganization")
        .times(1)
        .respond(MockResponse::clerk_error(502, "bad_gateway", "down"));
    assert_eq!(
        refusal(create_organization(&client, "Acme", None, None, None).await).status,
        502
    );
    assert!(fake.organizations().is_empty());
}

#[tokio::test]
async fn a_slow_answer_from_the_state_meets_the_clients_timeout() {
    let fake = FakeClerk::start().await;
    let ada = fake.seed_user(json!({"first_name": "Ada"}));
    fake.on_operation("GetUser")
        .pass_through_after(Duration::from_millis(400));
    let impatient = fake
        .client_builder()
        .timeout(Duration::from_millis(100))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let error = get_user(&impatient, &ada).await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    // Waited for, the answer comes from the state.
    assert_eq!(
        get_user(&fake.client(), &ada)
            .await
            .unwrap()
            .first_name
            .as_deref(),
        Some("Ada")
    );
}

#[tokio::test]
async fn every_request_is_recorded_with_its_operation_whatever_the_client() {
    let fake = FakeClerk::start().await;
    let http = http();
    // Any HTTP client, with or without the `/v1` of the fake's URL.
    let created = http
        .post(format!("{}/organizations", fake.url()))
        .bearer_auth("sk_test_anything")
        .header("content-type", "application/json")
        .body(json!({"name": "Acme"}).to_string())
        .send()
        .await
        .unwrap();
    let created: Value = serde_json::from_slice(&created.bytes().await.unwrap()).unwrap();
    let id = created["id"].as_str().unwrap();
    let bare = http
        .get(format!("http://{}/organizations/{id}", fake.addr()))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), 200);
    let broken = http
        .post(format!("{}/users", fake.url()))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), 400);
    let body: Value = serde_json::from_slice(&broken.bytes().await.unwrap()).unwrap();
    assert_eq!(body["errors"][0]["code"], "request_body_invalid");

    let requests = fake.requests();
    let seen: Vec<(&str, &str, Option<&str>)> = requests
        .iter()
        .map(|r| {
            (
                r.method.as_str(),
                r.path.as_str(),
                r.operation_id.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("POST", "/organizations", Some("CreateOrganization")),
            (
                "GET",
                format!("/organizations/{id}").as_str(),
                Some("GetOrganization")
            ),
            ("POST", "/users", Some("CreateUser")),
        ]
    );
    assert_eq!(
        requests[0].header("authorization"),
        Some("Bearer sk_test_anything")
    );
    assert_eq!(
        requests[0].json::<Value>().unwrap(),
        json!({"name": "Acme"})
    );
    // The fake's answers are kept too.
    let answers = fake.answers();
    assert_eq!(
        answers.iter().map(|a| a.status).collect::<Vec<_>>(),
        [200, 200, 400]
    );
    assert_eq!(answers[0].body["id"], id);
}
