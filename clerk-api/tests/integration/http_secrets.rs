//! The secret key never shows up in `Debug` or `Display` output, and an unusable
//! configuration fails before anything is sent.

use crate::common;

use clerk_api::{Client, Error, RequestOptions, RetryPolicy};
use common::*;
use std::time::Duration;
use wiremock::{MockServer, ResponseTemplate};

fn assert_no_secret(what: &str, text: &str) {
    assert!(!text.contains(SECRET), "{what} leaks the secret: {text}");
    assert!(
        !text.contains("sk_test"),
        "{what} leaks part of the secret: {text}"
    );
}

#[tokio::test]
async fn client_and_builder_debug_do_not_contain_the_secret() {
    let (server, client) = server_and_client().await;
    let builder = builder_for(&server);

    let builder_debug = format!("{builder:?}");
    let client_debug = format!("{client:?}");
    let handle_debug = format!(
        "{:?}",
        client.with_options(RequestOptions::new().retry(RetryPolicy::disabled()))
    );

    assert_no_secret("ClientBuilder Debug", &builder_debug);
    assert_no_secret("Client Debug", &client_debug);
    assert_no_secret("Client handle Debug", &handle_debug);
    assert!(client_debug.contains(&server.uri()), "{client_debug}");
}

#[tokio::test]
async fn api_error_display_and_debug_do_not_contain_the_secret() {
    let (server, client) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(401).set_body_json(clerk_errors_json(
            "authentication_invalid",
            "Unauthorized request",
            "The provided secret key is invalid",
            "trace_401",
        )),
    )
    .await;

    let err = client.get_organization("org_1").await.expect_err("401");

    assert_eq!(expect_api_error(&err).status().as_u16(), 401);
    let shown = err.to_string();
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(!format!("{err:?}").contains(SECRET), "{err:?}");
    assert!(!format!("{err:#?}").contains(SECRET), "{err:#?}");
    assert_eq!(
        header(&only_request(&server).await, "authorization"),
        format!("Bearer {SECRET}"),
        "the secret was sent, so it was available to leak"
    );
}

#[tokio::test]
async fn redirect_to_another_origin_does_not_carry_the_secret() {
    let (server, client) = server_and_client().await;
    let elsewhere = MockServer::start().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(307).insert_header(
            "Location",
            format!("{}/organizations/org_1", elsewhere.uri()).as_str(),
        ),
    )
    .await;
    respond_to_any(
        &elsewhere,
        ResponseTemplate::new(200).set_body_json(organization_json("org_1", "Acme")),
    )
    .await;

    let org = client
        .get_organization("org_1")
        .await
        .expect("the redirect is followed");

    assert_eq!(org.id, "org_1");

    assert_eq!(
        header(&only_request(&server).await, "authorization"),
        format!("Bearer {SECRET}")
    );
    let redirected = only_request(&elsewhere).await;
    let auth = redirected.headers.get("authorization");
    assert!(auth.is_none(), "secret sent to another origin: {auth:?}");
}

#[tokio::test]
async fn transport_error_display_and_debug_do_not_contain_the_secret() {
    let (server, client) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(200).set_delay(Duration::from_secs(3)),
    )
    .await;
    let client = client.with_options(
        RequestOptions::new()
            .retry(RetryPolicy::disabled())
            .timeout(Duration::from_millis(50)),
    );

    let err = client.list_organizations().await.expect_err("times out");

    assert!(err.is_timeout(), "{err:?}");
    assert!(!err.to_string().contains(SECRET), "{err}");
    assert!(!format!("{err:?}").contains(SECRET), "{err:?}");
}

#[tokio::test]
async fn unusable_secret_key_is_a_config_error_that_does_not_echo_it() {
    let key = "sk_test_\u{1}hidden_value";

    let err = Client::builder(key).build().expect_err("control character");

    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert_eq!(err.operation_id(), None);
    assert!(!err.to_string().contains("hidden_value"), "{err}");
    assert!(!format!("{err:?}").contains("hidden_value"), "{err:?}");
}

#[tokio::test]
async fn client_new_with_empty_key_fails_every_call_without_sending() {
    let (server, _) = server_and_client().await;
    respond_to_any(&server, ResponseTemplate::new(200)).await;
    let client = Client::builder("   ").base_url(server.uri());
    assert!(matches!(client.build(), Err(Error::Config(_))));

    // `Client::new` cannot fail, so the problem is reported by each call.
    let client = Client::new("");
    let err = client.list_organizations().await.expect_err("no key");

    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn non_http_base_url_is_a_config_error() {
    let err = Client::builder(SECRET)
        .base_url("ftp://127.0.0.1/v1")
        .build()
        .expect_err("not http(s)");

    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert_no_secret("Config error", &err.to_string());
}
