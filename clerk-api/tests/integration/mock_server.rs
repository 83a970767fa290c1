//! Testing code that calls `clerk_api::Client` with `clerk_api::testing::MockServer`,
//! written the way a user of the crate would (feature `test-util`; `cargo xtask test`
//! enables every feature).
//!
//! The code under test, `promote_members`, is the kind of function a user writes: it
//! pages through an organization's memberships and promotes every member whose email
//! is on a list, and it must cope with Clerk answering 429.
#![cfg(feature = "test-util")]

use crate::common::membership_json;
use clerk_api::models::UpdateOrganizationMembershipRequest;
use clerk_api::reqwest::Method;
use clerk_api::testing::{MockResponse, MockServer, NO_MOCK_ERROR_CODE, TEST_SECRET_KEY};
use clerk_api::{Client, Error};
use futures::TryStreamExt;
use serde_json::{json, Value};
use std::time::Duration;

// ---- the user's code ----

/// Makes every member whose email is in `emails` an admin; returns the ids changed.
async fn promote_members(
    client: &Client,
    organization_id: &str,
    emails: &[&str],
) -> Result<Vec<String>, Error> {
    let mut members = client
        .list_organization_memberships(organization_id)
        .limit(2)
        .stream();
    let mut promoted = Vec::new();
    while let Some(member) = members.try_next().await? {
        let Some(user) = &member.public_user_data else {
            continue;
        };
        if user
            .identifier
            .as_deref()
            .is_some_and(|e| emails.contains(&e))
            && member.role != "org:admin"
        {
            client
                .update_organization_membership(
                    organization_id,
                    &user.user_id,
                    &UpdateOrganizationMembershipRequest::new("org:admin"),
                )
                .await?;
            promoted.push(user.user_id.clone());
        }
    }
    Ok(promoted)
}

// ---- fixtures: canned Clerk answers built with `json!` ----

fn page(items: Vec<Value>, total: usize) -> MockResponse {
    MockResponse::ok(&json!({ "data": items, "total_count": total }))
}

// ---- the tests ----

#[tokio::test]
async fn promotes_listed_members_across_pages() {
    let server = MockServer::start().await;
    let list = server
        .on(Method::GET, "/organizations/{organization_id}/memberships")
        .respond_with(|request| match request.query_value("offset") {
            Some("0") => page(
                vec![
                    membership_json("user_a", "a@example.com", "org:member"),
                    membership_json("user_b", "b@example.com", "org:member"),
                ],
                3,
            ),
            _ => page(
                vec![membership_json("user_c", "c@example.com", "org:admin")],
                3,
            ),
        });
    let update = server
        .on_operation("UpdateOrganizationMembership")
        .respond_with(|request| {
            let user_id = request
                .path
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned();
            MockResponse::ok(&membership_json(&user_id, "x@example.com", "org:admin"))
        });

    let promoted = promote_members(
        &server.client(),
        "org_1",
        &["b@example.com", "c@example.com"],
    )
    .await
    .unwrap();

    assert_eq!(promoted, ["user_b"], "c is an admin already");
    assert_eq!(list.calls(), 2, "two pages of two");
    let pages: Vec<_> = list
        .requests()
        .iter()
        .map(|r| {
            (
                r.query_value("limit").map(str::to_owned),
                r.query_value("offset").map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        pages,
        [
            (Some("2".to_owned()), Some("0".to_owned())),
            (Some("2".to_owned()), Some("2".to_owned()))
        ]
    );
    let sent = &update.requests()[0];
    assert_eq!(sent.method, Method::PATCH);
    assert_eq!(sent.path, "/organizations/org_1/memberships/user_b");
    assert_eq!(sent.json::<Value>().unwrap(), json!({"role": "org:admin"}));
    assert_eq!(
        sent.header("authorization"),
        Some(format!("Bearer {TEST_SECRET_KEY}").as_str())
    );
}

#[tokio::test]
async fn rides_out_a_429_from_clerk() {
    let server = MockServer::start().await;
    let list = server
        .on_operation("ListOrganizationMemberships")
        .respond_in_sequence([
            MockResponse::too_many_requests(0),
            page(
                vec![membership_json("user_a", "a@example.com", "org:member")],
                1,
            ),
        ]);
    server
        .on_operation("UpdateOrganizationMembership")
        .respond(MockResponse::ok(&membership_json(
            "user_a",
            "a@example.com",
            "org:admin",
        )));

    let promoted = promote_members(&server.client(), "org_1", &["a@example.com"])
        .await
        .unwrap();

    assert_eq!(promoted, ["user_a"]);
    assert_eq!(list.calls(), 2, "the 429 was retried");
}

#[tokio::test]
async fn reports_clerk_errors_to_the_caller() {
    let server = MockServer::start().await;
    server
        .on_operation("ListOrganizationMemberships")
        .respond(MockResponse::clerk_error(
            404,
            "resource_not_found",
            "no such organization",
        ));

    let err = promote_members(&server.client(), "org_missing", &[])
        .await
        .unwrap_err();

    let api = err.api().expect("an API error");
    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(api.errors()[0].code, "resource_not_found");
}

#[tokio::test]
async fn an_unmocked_call_fails_loudly() {
    let server = MockServer::start().await;

    let err = promote_members(&server.client(), "org_1", &[])
        .await
        .unwrap_err();

    let api = err.api().expect("the server's 404");
    assert_eq!(api.errors()[0].code, NO_MOCK_ERROR_CODE);
    assert!(
        err.to_string()
            .contains("no rule for GET /organizations/org_1/memberships (operation ListOrganizationMemberships)"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 1);
}

// ---- the mock server's own behaviour ----

#[tokio::test]
async fn rules_are_tried_in_order_and_times_uses_one_up() {
    let server = MockServer::start().await;
    let first = server
        .on(Method::GET, "/widgets/{id}")
        .times(1)
        .respond(MockResponse::ok(&json!({"n": 1})));
    let narrowed = server
        .on(Method::GET, "/widgets/{id}")
        .matching(|r| r.query_value("v") == Some("2"))
        .respond(MockResponse::ok(&json!({"n": 2})));
    let rest = server.on_any().respond(MockResponse::ok(&json!({"n": 3})));
    let client = server.client();
    let get = |query: Option<&'static str>| {
        let client = client.clone();
        async move {
            let mut call = client.raw(Method::GET, "/widgets/w");
            if let Some(v) = query {
                call = call.query("v", v);
            }
            call.send::<Value>().await.unwrap()["n"].as_i64().unwrap()
        }
    };

    assert_eq!(get(Some("2")).await, 1, "the first rule answers first");
    assert_eq!(get(Some("2")).await, 2, "then it is used up");
    assert_eq!(get(None).await, 3);
    assert_eq!((first.calls(), narrowed.calls(), rest.calls()), (1, 1, 1));
    let ops: Vec<_> = server
        .requests()
        .into_iter()
        .map(|r| r.operation_id)
        .collect();
    assert_eq!(ops, vec![Some("raw".to_owned()); 3]);
}

#[tokio::test]
async fn a_delayed_answer_lets_a_test_exercise_timeouts() {
    let server = MockServer::start().await;
    server
        .on_any()
        .respond(MockResponse::ok(&json!({})).delay(Duration::from_secs(5)));
    let client = server
        .client_builder()
        .retry(clerk_api::RetryPolicy::disabled())
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();

    let err = client
        .raw(Method::GET, "/slow")
        .send::<Value>()
        .await
        .unwrap_err();

    assert_eq!(
        err.timeout_kind(),
        Some(clerk_api::TimeoutKind::Attempt),
        "{err:?}"
    );
}

#[tokio::test]
async fn answers_carry_their_status_headers_and_body() {
    let server = MockServer::start().await;
    server.on(Method::GET, "/text").respond(
        MockResponse::raw(202, "text/plain", "hello")
            .header("x-one", "1")
            .header("x-one", "2"),
    );
    server
        .on(Method::DELETE, "/gone")
        .respond(MockResponse::empty(204));
    let client = server.client();

    let response = client
        .raw(Method::GET, "/text")
        .send_response()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 202);
    let ones: Vec<_> = response.headers().get_all("x-one").iter().collect();
    assert_eq!(ones, ["1", "2"]);
    assert_eq!(response.text().unwrap(), "hello");

    let gone = client
        .raw(Method::DELETE, "/gone")
        .send_response()
        .await
        .unwrap();
    assert_eq!(gone.status().as_u16(), 204);
    assert!(gone.into_bytes().is_empty());

    server.reset();
    assert!(server.requests().is_empty());
    let err = client
        .raw(Method::DELETE, "/gone")
        .send_response()
        .await
        .unwrap_err();
    assert_eq!(
        err.status().map(|s| s.as_u16()),
        Some(404),
        "rules are gone too"
    );
}
