//! The escape hatch `Client::raw`: the same headers, encoding, retries, observer and
//! errors as generated calls, against a wiremock server on 127.0.0.1.

use crate::common;

use clerk_api::reqwest::Method;
use clerk_api::{Error, RequestOptions};
use common::*;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn a_raw_get_sends_auth_version_and_encoded_path_and_query() {
    let server = wiremock::MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/user%2F1/notes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"notes": ["a", "b"]})))
        .mount(&server)
        .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let client = builder_for(&server)
        .on_response({
            let seen = seen.clone();
            move |meta| {
                seen.lock()
                    .unwrap()
                    .push((meta.operation_id, meta.status.as_u16()))
            }
        })
        .build()
        .unwrap();

    let answer: Value = client
        .raw(Method::GET, "/users/{user_id}/notes")
        .path_param("user_id", "user/1")
        .query("tag", "a b&c")
        .query("tag", 2)
        .send()
        .await
        .expect("the raw call succeeds");

    assert_eq!(answer, json!({"notes": ["a", "b"]}));
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/users/user%2F1/notes");
    assert_eq!(query_values(&request, "tag"), ["a b&c", "2"]);
    assert_eq!(
        header(&request, "authorization"),
        format!("Bearer {SECRET}")
    );
    assert_eq!(
        header(&request, "clerk-api-version"),
        clerk_api::API_VERSION
    );
    assert!(header(&request, "user-agent").starts_with("clerk-api-rust/"));
    assert_eq!(header(&request, "accept"), "application/json");
    assert_eq!(*seen.lock().unwrap(), [(clerk_api::RAW_OPERATION_ID, 200)]);
}

#[derive(Debug, Deserialize, PartialEq)]
struct Widget {
    id: String,
    size: i64,
}

#[tokio::test]
async fn a_raw_post_sends_json_and_decodes_into_a_user_type() {
    let (server, client) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"id": "w_1", "size": 3, "extra": true})),
    )
    .await;

    let widget: Widget = client
        .raw(Method::POST, "/widgets")
        .json(&json!({"size": 3}))
        .expect("the body serializes")
        .send()
        .await
        .unwrap();

    assert_eq!(
        widget,
        Widget {
            id: "w_1".into(),
            size: 3
        }
    );
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(header(&request, "content-type"), "application/json");
    assert_eq!(request.body_json::<Value>().unwrap(), json!({"size": 3}));
}

#[tokio::test]
async fn a_raw_error_answer_is_the_same_api_error_as_generated_calls() {
    let (server, client) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(422).set_body_json(clerk_errors_json(
            "form_param_invalid",
            "is invalid",
            "size must be positive",
            "trace_raw",
        )),
    )
    .await;

    let err = client
        .raw(Method::POST, "/widgets")
        .operation_id("CreateWidget")
        .json(&json!({"size": -1}))
        .unwrap()
        .send::<Widget>()
        .await
        .expect_err("422");

    let api = expect_api_error(&err);
    assert_eq!(api.status().as_u16(), 422);
    assert_eq!(api.errors()[0].code, "form_param_invalid");
    assert_eq!(api.clerk_trace_id(), Some("trace_raw"));
    assert_eq!(err.operation_id(), Some("CreateWidget"));
    assert_eq!(
        err.to_string(),
        "CreateWidget: HTTP 422 Unprocessable Entity: form_param_invalid: size must be positive (trace trace_raw)"
    );
}

#[tokio::test]
async fn a_raw_get_is_retried_like_a_generated_one() {
    let (server, client) = server_and_client_with_retry(fast_retry()).await;
    respond_in_sequence(
        &server,
        "GET",
        "/widgets/w_1",
        vec![
            ResponseTemplate::new(503),
            ResponseTemplate::new(200).set_body_json(json!({"id": "w_1", "size": 1})),
        ],
    )
    .await;

    let widget: Widget = client
        .raw(Method::GET, "/widgets/{id}")
        .path_param("id", "w_1")
        .send()
        .await
        .expect("retried to success");

    assert_eq!(widget.id, "w_1");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_raw_body_of_another_shape_is_a_decode_error_with_its_path() {
    let (server, client) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"id": "w_1", "size": "big"})),
    )
    .await;

    let err = client
        .raw(Method::GET, "/widgets/w_1")
        .send::<Widget>()
        .await
        .expect_err("size is not a number");

    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.path(), "size");
}

#[tokio::test]
async fn a_bad_raw_request_is_refused_before_sending() {
    let (server, client) = server_and_client().await;
    respond_to_any(&server, ResponseTemplate::new(200)).await;

    for (call, want) in [
        (
            client.raw(Method::GET, "/users/{user_id}"),
            "path parameter `user_id` has no value",
        ),
        (
            client
                .raw(Method::GET, "/users/{user_id}")
                .path_param("user_id", ".."),
            "must not be empty, `.` or `..`",
        ),
        (
            client.raw(Method::GET, "/users?limit=1"),
            "must not hold a query",
        ),
        (
            client.raw(Method::GET, "/users").header("bad header", "x"),
            "not a valid HTTP header",
        ),
    ] {
        let err = call.send::<Value>().await.expect_err(want);
        assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
        assert!(err.to_string().contains(want), "{err}");
    }
    assert!(received(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn raw_headers_and_options_apply_to_the_call() {
    let (server, client) = server_and_client().await;
    respond_to_any(&server, ResponseTemplate::new(204)).await;

    let response = client
        .raw(Method::DELETE, "/widgets/w_1")
        .header("Accept", "text/plain")
        .options(RequestOptions::new().header("X-Trace", "t1"))
        .send_response()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 204);
    let request = only_request(&server).await;
    let accepts: Vec<_> = request.headers.get_all("accept").iter().collect();
    assert_eq!(accepts, ["text/plain"]);
    assert_eq!(header(&request, "x-trace"), "t1");
}
