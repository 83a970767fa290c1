//! Faults wiremock cannot stage, against the scripted server: connections closed with
//! no answer, bodies cut short, bodies that are not the JSON they claim to be.

use crate::common;

use clerk_api::{Client, Error, RetryPolicy};
use common::fault_server::{Action, FaultServer};
use common::{fast_retry, organization_json};

fn ok_org(_: &str) -> Action {
    Action::json(200, &organization_json("org_1", "Acme"))
}

async fn get(client: &Client) -> Result<clerk_api::models::Organization, Error> {
    client.get_organization("org_1").await
}

fn client(server: &FaultServer, retry: RetryPolicy) -> Client {
    Client::builder("sk_test_faults")
        .base_url(server.url())
        .retry(retry)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_retried_for_get() {
    let server = FaultServer::start(vec![Action::Close], ok_org).await;
    let org = get(&client(&server, fast_retry())).await.unwrap();
    assert_eq!(org.id, "org_1");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_a_transport_error() {
    let server = FaultServer::start(vec![Action::Close], ok_org).await;
    let err = get(&client(&server, RetryPolicy::disabled()))
        .await
        .unwrap_err();
    assert!(err.is_transport() && !err.is_timeout(), "{err:?}");
    assert!(matches!(err, Error::Transport(_)));
    assert_eq!(err.operation_id(), Some("GetOrganization"));
    assert!(err.to_string().starts_with("GetOrganization: "), "{err}");
}

#[tokio::test]
async fn a_body_cut_short_is_a_transport_error_and_retried_for_get() {
    let full = organization_json("org_1", "Acme").to_string().into_bytes();
    let cut = Action::Truncate {
        status: 200,
        declared: full.len(),
        body: full[..full.len() / 2].to_vec(),
    };
    let server = FaultServer::start(vec![cut.clone()], ok_org).await;
    let err = get(&client(&server, RetryPolicy::disabled()))
        .await
        .unwrap_err();
    assert!(
        err.is_transport(),
        "a truncated body is not a decode error: {err:?}"
    );

    let server = FaultServer::start(vec![cut], ok_org).await;
    assert_eq!(
        get(&client(&server, fast_retry())).await.unwrap().name,
        "Acme"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_complete_but_truncated_json_document_is_a_decode_error_with_the_body() {
    let text = organization_json("org_1", "Acme").to_string();
    let half = &text[..text.len() / 2];
    let server = FaultServer::start(vec![Action::raw(200, "application/json", half)], ok_org).await;
    let err = get(&client(&server, fast_retry())).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.raw_body(), half.as_bytes());
    assert_eq!(server.requests().len(), 1, "a decode error is not retried");
    assert!(err.to_string().contains("does not match"), "{err}");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_naming_where() {
    let server = FaultServer::start(
        vec![Action::raw(
            200,
            "application/json",
            "{\"id\": \"org_1\", oops}",
        )],
        ok_org,
    )
    .await;
    let err = get(&client(&server, RetryPolicy::disabled()))
        .await
        .unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert!(
        decode.message().contains("key must be a string"),
        "{}",
        decode.message()
    );
    assert_eq!(decode.status().as_u16(), 200);
}

#[tokio::test]
async fn trailing_garbage_after_the_document_is_a_decode_error() {
    let body = format!("{} trailing", organization_json("org_1", "Acme"));
    let server =
        FaultServer::start(vec![Action::raw(200, "application/json", &body)], ok_org).await;
    let err = get(&client(&server, RetryPolicy::disabled()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn status_codes_map_to_api_errors_with_their_bodies() {
    for (status, body) in [
        (
            401,
            r#"{"errors":[{"message":"m","long_message":"Unauthorized","code":"authentication_invalid"}]}"#,
        ),
        (
            403,
            r#"{"errors":[{"message":"m","code":"authorization_invalid"}]}"#,
        ),
        (
            404,
            r#"{"errors":[{"message":"m","code":"resource_not_found"}]}"#,
        ),
        (
            422,
            r#"{"errors":[{"message":"m","code":"form_param_missing","meta":{"param_name":"name"}}]}"#,
        ),
    ] {
        let server =
            FaultServer::start(vec![Action::raw(status, "application/json", body)], ok_org).await;
        let err = get(&client(&server, fast_retry())).await.unwrap_err();
        let api = err.api().unwrap_or_else(|| panic!("{status}: {err:?}"));
        assert_eq!(api.status().as_u16(), status);
        assert_eq!(api.raw_body(), body.as_bytes());
        let code = &api.errors()[0].code;
        assert!(err.to_string().contains(code.as_str()), "{err}");
        assert_eq!(server.requests().len(), 1, "{status} is not retried");
    }
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let date =
        httpdate::fmt_http_date(std::time::SystemTime::now() + std::time::Duration::from_secs(2));
    let limited =
        Action::json(429, &serde_json::json!({"errors": []})).with_header("Retry-After", &date);
    let server = FaultServer::start(vec![limited], ok_org).await;
    let started = std::time::Instant::now();
    get(&client(&server, fast_retry())).await.unwrap();
    // The date has one-second resolution, so what is left of it is more than 1 s; the
    // fast policy's own backoff is 10 ms.
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(990),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 2);

    let far = httpdate::fmt_http_date(
        std::time::SystemTime::now() + std::time::Duration::from_secs(3600),
    );
    let limited =
        Action::json(429, &serde_json::json!({"errors": []})).with_header("Retry-After", &far);
    let server = FaultServer::start(vec![limited], ok_org).await;
    let err = get(&client(&server, fast_retry())).await.unwrap_err();
    let wait = err.api().unwrap().retry_after().unwrap();
    assert!(wait > std::time::Duration::from_secs(3500), "{wait:?}");
    assert_eq!(
        server.requests().len(),
        1,
        "a wait past max_elapsed is returned, not slept"
    );
}
