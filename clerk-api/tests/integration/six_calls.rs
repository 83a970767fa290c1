//! The six everyday calls of the crate README's quickstart, run against a mock Clerk on
//! 127.0.0.1: each sends what Clerk expects (method, path, query, body) and decodes
//! Clerk's answer.
#![cfg(feature = "test-util")]

use crate::common::{membership_json, user_json};
use clerk_api::models::{CreateOrganizationMembershipRequest, UpdateUserMetadataRequest};
use clerk_api::testing::{MockResponse, MockServer};
use futures::TryStreamExt;
use serde_json::{json, Map, Value};

fn page(items: Vec<Value>, total: usize) -> MockResponse {
    MockResponse::ok(&json!({ "data": items, "total_count": total }))
}

#[tokio::test]
async fn the_six_quickstart_calls_send_what_clerk_expects() {
    let server = MockServer::start().await;
    let client = server.client();
    server
        .on_operation("GetUser")
        .respond(MockResponse::ok(&user_json(0)));
    server
        .on_operation("GetUserList")
        .respond(MockResponse::ok(&json!([user_json(2)])));
    server
        .on_operation("UpdateUserMetadata")
        .respond(MockResponse::ok(&user_json(4)));
    server
        .on_operation("CreateOrganizationMembership")
        .respond(MockResponse::ok(&membership_json(
            "user_123",
            "a@b.c",
            "org:member",
        )));
    server
        .on_operation("DeleteDomain")
        .respond(MockResponse::ok(
            &json!({"object": "domain", "id": "dmn_123", "deleted": true}),
        ));
    server
        .on_operation("ListOrganizationMemberships")
        .respond_with(|request| match request.query_value("offset") {
            Some("0") => page(
                (0..100)
                    .map(|i| membership_json(&format!("user_{i}"), "x@y.z", "org:member"))
                    .collect(),
                101,
            ),
            _ => page(vec![membership_json("user_100", "x@y.z", "org:admin")], 101),
        });
    let mut meta = Map::new();
    meta.insert("plan".to_owned(), json!("pro"));

    // The calls as the README writes them.
    let user = client.get_user("user_123").await.unwrap();
    let users = client
        .get_user_list()
        .email_address(["a@b.c"])
        .limit(50)
        .await
        .unwrap();
    let updated = client
        .update_user_metadata("user_123")
        .body(&UpdateUserMetadataRequest::default().public_metadata(meta))
        .await
        .unwrap();
    let m = client
        .create_organization_membership(
            "org_123",
            &CreateOrganizationMembershipRequest::new("user_123", "org:member"),
        )
        .await
        .unwrap();
    client.delete_domain("dmn_123").await.unwrap();
    let all: Vec<_> = client
        .list_organization_memberships("org_123")
        .stream()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(user.id, "user_000");
    assert_eq!(users.len(), 1);
    assert_eq!(updated.id, "user_004");
    assert_eq!(m.role, "org:member");
    assert_eq!(all.len(), 101);
    assert_eq!(all[100].role, "org:admin");

    let requests = server.requests();
    type Sent = (String, String, Vec<(String, String)>);
    let sent: Vec<Sent> = requests
        .iter()
        .map(|r| (r.method.to_string(), r.path.clone(), r.query.clone()))
        .collect();
    let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    assert_eq!(
        sent,
        [
            ("GET".to_owned(), "/users/user_123".to_owned(), vec![]),
            (
                "GET".to_owned(),
                "/users".to_owned(),
                vec![pair("email_address", "a@b.c"), pair("limit", "50")]
            ),
            (
                "PATCH".to_owned(),
                "/users/user_123/metadata".to_owned(),
                vec![]
            ),
            (
                "POST".to_owned(),
                "/organizations/org_123/memberships".to_owned(),
                vec![]
            ),
            ("DELETE".to_owned(), "/domains/dmn_123".to_owned(), vec![]),
            (
                "GET".to_owned(),
                "/organizations/org_123/memberships".to_owned(),
                vec![pair("limit", "100"), pair("offset", "0")]
            ),
            (
                "GET".to_owned(),
                "/organizations/org_123/memberships".to_owned(),
                vec![pair("limit", "100"), pair("offset", "100")]
            ),
        ]
    );
    let metadata: Value = requests[2].json().unwrap();
    assert_eq!(metadata, json!({"public_metadata": {"plan": "pro"}}));
    let membership: Value = requests[3].json().unwrap();
    assert_eq!(
        membership,
        json!({"user_id": "user_123", "role": "org:member"})
    );
}
