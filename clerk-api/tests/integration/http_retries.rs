//! Retries (which answers, which methods, how many attempts, per-call overrides) and
//! timeouts, against a wiremock server on 127.0.0.1.

use crate::common;

use clerk_api::models::{CreateOrganizationRequest, UploadOrganizationLogoRequest};
use clerk_api::{Client, Error, FilePart, RequestOptions, RetryPolicy};
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn empty_page() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"data": [], "total_count": 0}))
}

fn created_org() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(organization_json("org_1", "Acme"))
}

async fn list(client: &Client) -> Result<clerk_api::models::Organizations, Error> {
    client.list_organizations().await
}

async fn create(client: &Client) -> Result<clerk_api::models::Organization, Error> {
    client
        .create_organization(&CreateOrganizationRequest::new("Acme".to_owned()))
        .await
}

#[tokio::test]
async fn get_answered_503_then_200_succeeds_on_second_attempt() {
    let (server, client) = server_and_client_with_retry(fast_retry()).await;
    respond_in_sequence(
        &server,
        "GET",
        "/organizations",
        vec![ResponseTemplate::new(503), empty_page()],
    )
    .await;

    let page = list(&client).await.expect("retried to success");

    assert_eq!(page.total_count, 0);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn post_answered_429_with_retry_after_zero_is_retried() {
    let (server, client) = server_and_client_with_retry(fast_retry()).await;
    respond_in_sequence(
        &server,
        "POST",
        "/organizations",
        vec![
            ResponseTemplate::new(429).insert_header("Retry-After", "0"),
            created_org(),
        ],
    )
    .await;

    let org = create(&client).await.expect("retried to success");

    assert_eq!(org.id, "org_1");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].body, requests[1].body,
        "the same body is sent again"
    );
    assert_eq!(
        requests[1].body_json::<serde_json::Value>().unwrap(),
        json!({"name": "Acme"})
    );
}

#[tokio::test]
async fn post_answered_503_is_not_retried_by_default() {
    let (server, client) = server_and_client_with_retry(fast_retry()).await;
    respond_in_sequence(
        &server,
        "POST",
        "/organizations",
        vec![ResponseTemplate::new(503), created_org()],
    )
    .await;

    let err = create(&client).await.expect_err("503 is returned");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn post_answered_503_is_retried_when_non_idempotent_retries_are_on() {
    let (server, client) =
        server_and_client_with_retry(fast_retry().retry_non_idempotent(true)).await;
    respond_in_sequence(
        &server,
        "POST",
        "/organizations",
        vec![ResponseTemplate::new(503), created_org()],
    )
    .await;

    create(&client).await.expect("retried to success");

    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn disabled_policy_makes_exactly_one_request() {
    let (server, client) = server_and_client_with_retry(RetryPolicy::disabled()).await;
    respond_in_sequence(
        &server,
        "GET",
        "/organizations",
        vec![ResponseTemplate::new(503), empty_page()],
    )
    .await;

    let err = list(&client).await.expect_err("503 is returned");

    assert_eq!(expect_api_error(&err).status().as_u16(), 503);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn persistent_503_stops_after_max_attempts_with_last_error() {
    let (server, client) = server_and_client_with_retry(fast_retry().max_attempts(3)).await;
    respond_in_sequence(
        &server,
        "GET",
        "/organizations",
        vec![ResponseTemplate::new(503)],
    )
    .await;

    let err = list(&client).await.expect_err("never succeeds");

    assert_eq!(expect_api_error(&err).status().as_u16(), 503);
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn client_error_other_than_429_is_not_retried() {
    let (server, client) = server_and_client_with_retry(fast_retry()).await;
    respond_in_sequence(
        &server,
        "GET",
        "/organizations",
        vec![ResponseTemplate::new(400), empty_page()],
    )
    .await;

    list(&client).await.expect_err("400 is returned");

    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn retry_after_beyond_max_elapsed_is_returned_instead_of_waited_for() {
    let (server, client) = server_and_client_with_retry(fast_retry()).await;
    respond_in_sequence(
        &server,
        "GET",
        "/organizations",
        vec![
            ResponseTemplate::new(429).insert_header("Retry-After", "3600"),
            empty_page(),
        ],
    )
    .await;
    let started = Instant::now();

    let err = list(&client)
        .await
        .expect_err("waiting an hour is over budget");

    assert!(started.elapsed() < Duration::from_secs(10));
    let api = expect_api_error(&err);
    assert_eq!(api.status().as_u16(), 429);
    assert_eq!(api.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn huge_retry_after_is_returned_instead_of_panicking() {
    let (server, client) = server_and_client_with_retry(fast_retry()).await;
    // The overflow needs at least one whole second elapsed, hence the slow answer.
    respond_to_any(
        &server,
        ResponseTemplate::new(429)
            .insert_header("Retry-After", u64::MAX.to_string().as_str())
            .set_delay(Duration::from_millis(1100)),
    )
    .await;

    let err = list(&client)
        .await
        .expect_err("waiting that long is over budget");

    assert_eq!(expect_api_error(&err).status().as_u16(), 429);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn with_options_retry_overrides_the_client_policy_for_that_handle_only() {
    let (server, client) = server_and_client_with_retry(fast_retry().max_attempts(3)).await;
    respond_in_sequence(
        &server,
        "GET",
        "/organizations",
        vec![ResponseTemplate::new(503)],
    )
    .await;

    let no_retries = client.with_options(RequestOptions::new().retry(RetryPolicy::disabled()));
    list(&no_retries).await.expect_err("503 is returned");
    assert_eq!(received(&server).await.len(), 1, "override: one attempt");

    list(&client).await.expect_err("503 is returned");
    assert_eq!(
        received(&server).await.len(),
        1 + 3,
        "the original client still retries"
    );
}

#[tokio::test]
async fn with_options_can_enable_retries_on_a_client_without_them() {
    let (server, client) = server_and_client_with_retry(RetryPolicy::disabled()).await;
    respond_in_sequence(
        &server,
        "GET",
        "/organizations",
        vec![ResponseTemplate::new(503), empty_page()],
    )
    .await;

    let retrying = client.with_options(RequestOptions::new().retry(fast_retry()));
    list(&retrying).await.expect("retried to success");

    assert_eq!(received(&server).await.len(), 2);
}

/// The first `verb path` request has its connection closed without an answer; later
/// ones get `then`.
async fn drop_first_connection_then(
    server: &MockServer,
    verb: &str,
    url_path: &str,
    then: ResponseTemplate,
) {
    Mock::given(method(verb))
        .and(path(url_path))
        .respond_with_err(|_: &wiremock::Request| std::io::Error::other("connection dropped"))
        .up_to_n_times(1)
        .mount(server)
        .await;
    Mock::given(method(verb))
        .and(path(url_path))
        .respond_with(then)
        .mount(server)
        .await;
}

#[tokio::test]
async fn get_whose_connection_drops_is_retried() {
    let (server, client) = server_and_client_with_retry(fast_retry()).await;
    drop_first_connection_then(&server, "GET", "/organizations", empty_page()).await;

    list(&client).await.expect("retried to success");

    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn post_whose_connection_drops_is_not_retried() {
    let (server, client) = server_and_client_with_retry(fast_retry()).await;
    drop_first_connection_then(&server, "POST", "/organizations", created_org()).await;

    let err = create(&client)
        .await
        .expect_err("the dropped attempt is final");

    assert!(err.is_transport(), "{err:?}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn multipart_upload_is_sent_again_in_full_on_retry() {
    let (server, client) = server_and_client_with_retry(fast_retry()).await;
    respond_in_sequence(
        &server,
        "PUT",
        "/organizations/org_1/logo",
        vec![
            ResponseTemplate::new(503),
            ResponseTemplate::new(200).set_body_json(organization_with_logo_json(
                "org_1",
                "https://img.example/logo.png",
            )),
        ],
    )
    .await;
    let bytes = b"\x89PNG\r\n\x1a\n-image-bytes".to_vec();
    let body = UploadOrganizationLogoRequest::new(
        FilePart::new(bytes.clone())
            .file_name("logo.png")
            .content_type("image/png"),
    );

    client
        .upload_organization_logo("org_1", &body)
        .await
        .expect("retried to success");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert!(contains_bytes(&request.body, &bytes), "{request:?}");
        assert!(contains_bytes(&request.body, br#"filename="logo.png""#));
    }
}

#[tokio::test]
async fn slow_answer_beyond_per_call_timeout_is_a_timeout_error() {
    let (server, client) = server_and_client_with_retry(RetryPolicy::disabled()).await;
    respond_to_any(&server, empty_page().set_delay(Duration::from_secs(3))).await;
    let started = Instant::now();

    let err = list(&client.with_options(RequestOptions::new().timeout(Duration::from_millis(100))))
        .await
        .expect_err("times out");

    assert!(err.is_timeout(), "{err:?}");
    assert!(err.is_transport(), "{err:?}");
    assert_eq!(err.status(), None);
    assert_eq!(err.operation_id(), Some("ListOrganizations"));
    assert!(err.to_string().contains("timed out"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "gave up before the answer came"
    );
}

#[tokio::test]
async fn client_timeout_applies_and_per_call_timeout_overrides_it() {
    let server = wiremock::MockServer::start().await;
    respond_to_any(&server, empty_page().set_delay(Duration::from_millis(300))).await;
    let client = builder_for(&server)
        .retry(RetryPolicy::disabled())
        .timeout(Duration::from_millis(50))
        .build()
        .expect("client builds");

    let err = list(&client).await.expect_err("client timeout applies");
    assert!(err.is_timeout(), "{err:?}");

    let patient = client.with_options(RequestOptions::new().timeout(Duration::from_secs(10)));
    list(&patient)
        .await
        .expect("the longer per-call timeout wins");
}
