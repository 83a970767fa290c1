//! How non-success answers, undecodable bodies and unreachable servers become
//! `clerk_api::Error`.

use crate::common;

use clerk_api::{Client, Error, RetryPolicy};
use common::*;
use serde_json::json;
use wiremock::ResponseTemplate;

async fn get_org(client: &Client) -> Error {
    client
        .get_organization("org_missing")
        .await
        .expect_err("the server answers with an error")
}

#[tokio::test]
async fn not_found_with_clerk_body_is_api_error_with_details() {
    let (server, client) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(404).set_body_json(clerk_errors_json(
            "resource_not_found",
            "not found",
            "Organization not found",
            "trace_123",
        )),
    )
    .await;

    let err = get_org(&client).await;

    assert_eq!(err.operation_id(), Some("GetOrganization"));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let api = expect_api_error(&err);
    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(api.operation_id(), "GetOrganization");
    assert_eq!(api.errors().len(), 1);
    assert_eq!(api.errors()[0].code, "resource_not_found");
    assert_eq!(api.errors()[0].message, "not found");
    assert_eq!(
        api.errors()[0].long_message.as_deref(),
        Some("Organization not found")
    );
    assert_eq!(api.clerk_trace_id(), Some("trace_123"));
    assert_eq!(api.retry_after(), None);
    let body = api.body().expect("Clerk error body parsed");
    assert_eq!(body.clerk_trace_id.as_deref(), Some("trace_123"));
    assert_eq!(only_request(&server).await.method.as_str(), "GET");
}

#[tokio::test]
async fn api_error_display_is_one_line_naming_operation_status_and_code() {
    let (server, client) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(404).set_body_json(clerk_errors_json(
            "resource_not_found",
            "not found",
            "Organization not found",
            "trace_123",
        )),
    )
    .await;

    let shown = get_org(&client).await.to_string();

    assert!(!shown.contains('\n'), "one line: {shown:?}");
    assert!(shown.contains("GetOrganization"), "{shown}");
    assert!(shown.contains("404"), "{shown}");
    assert!(shown.contains("resource_not_found"), "{shown}");
    assert!(shown.contains("Organization not found"), "{shown}");
    assert!(shown.contains("trace_123"), "{shown}");
}

#[tokio::test]
async fn api_error_display_stays_one_line_when_server_text_has_line_breaks() {
    let (server, client) = server_and_client_with_retry(RetryPolicy::disabled()).await;
    respond_in_sequence(
        &server,
        "GET",
        "/organizations/org_missing",
        vec![
            ResponseTemplate::new(422).set_body_json(json!({
                "errors": [{
                    "code": "form_param_invalid",
                    "message": "invalid",
                    "long_message": "name is invalid:\nit contains a URL"
                }]
            })),
            ResponseTemplate::new(500)
                .set_body_raw("<html>\r\nupstream down\r\n</html>", "text/html"),
        ],
    )
    .await;

    for _ in 0..2 {
        let shown = get_org(&client).await.to_string();
        assert!(!shown.contains(['\n', '\r']), "not one line: {shown:?}");
    }
}

#[tokio::test]
async fn non_json_error_body_is_kept_raw() {
    let (server, client) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(422).set_body_raw("<html>oops</html>", "text/html"),
    )
    .await;

    let err = get_org(&client).await;

    let api = expect_api_error(&err);
    assert_eq!(api.status().as_u16(), 422);
    assert!(api.body().is_none());
    assert!(api.errors().is_empty());
    assert_eq!(api.raw_body(), b"<html>oops</html>");
    assert_eq!(err.raw_body(), Some(&b"<html>oops</html>"[..]));
    assert_eq!(api.clerk_trace_id(), None);
    let shown = err.to_string();
    assert!(
        shown.contains("422") && shown.contains("<html>oops</html>"),
        "{shown}"
    );
}

#[tokio::test]
async fn trace_id_only_in_header_is_found() {
    let (server, client) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(400)
            .insert_header("X-Clerk-Trace-Id", "trace_from_header")
            .set_body_json(json!({
                "errors": [{"message": "bad", "code": "form_param_invalid"}]
            })),
    )
    .await;

    let err = get_org(&client).await;

    let api = expect_api_error(&err);
    assert_eq!(api.errors()[0].code, "form_param_invalid");
    assert_eq!(api.errors()[0].long_message, None);
    assert_eq!(api.clerk_trace_id(), Some("trace_from_header"));
    assert!(err.to_string().contains("trace_from_header"), "{err}");
}

#[tokio::test]
async fn wrong_type_in_nested_field_is_decode_error_naming_json_path() {
    let (server, client) = server_and_client().await;
    let mut org = organization_json("org_1", "Acme");
    org["created_at"] = json!("yesterday");
    let body = json!({"data": [org], "total_count": 1});
    respond_to_any(&server, ResponseTemplate::new(200).set_body_json(&body)).await;

    let err = client
        .list_organizations()
        .await
        .expect_err("body does not match the model");

    match &err {
        Error::Decode(decode) => assert_eq!(decode.path(), "data[0].created_at"),
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert_eq!(err.operation_id(), Some("ListOrganizations"));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(
        err.raw_body(),
        Some(serde_json::to_vec(&body).expect("serializes").as_slice())
    );
    let shown = err.to_string();
    assert!(shown.contains("data[0].created_at"), "{shown}");
    assert!(shown.contains("ListOrganizations"), "{shown}");
}

#[tokio::test]
async fn missing_required_field_is_decode_error() {
    let (server, client) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"data": []})),
    )
    .await;

    let err = client
        .list_organizations()
        .await
        .expect_err("total_count is required");

    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert!(err.to_string().contains("total_count"), "{err}");
}

#[tokio::test]
async fn unreachable_server_is_transport_error() {
    // A loopback port that was just listening and no longer is.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let address = listener.local_addr().expect("has an address");
    drop(listener);
    let client = Client::builder(SECRET)
        .base_url(format!("http://{address}"))
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client builds");

    let err = client
        .list_organizations()
        .await
        .expect_err("nothing listens");

    assert!(err.is_transport(), "{err:?}");
    assert!(!err.is_timeout(), "{err:?}");
    assert_eq!(err.status(), None);
    assert_eq!(err.operation_id(), Some("ListOrganizations"));
    assert!(std::error::Error::source(&err).is_some());
}
