//! Every operation the fake models, driven through the generated client, successes and
//! Clerk errors alike; then every answer the fake made is checked against the response
//! schema its operation has in `spec/clerk-backend-api.yaml` by openapi-schema-validator
//! (PyPI, pinned in `.ci/requirements.txt`; `tests/response_schema_tool.py`), not only
//! by this crate's decoder. Error statuses an operation does not document are checked
//! against `ClerkErrors`.

use super::ops::*;
use crate::common::python::run_tool;
use clerk_api::models::{CreateUserRequest, UpdateOrganizationRequest, UpdateUserRequest};
use clerk_api::organizations::ListOrganizationsParams;
use clerk_api::testing::FakeClerk;
use clerk_api::users::{GetUserListParams, GetUsersCountParams};
use clerk_api::Client;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// The status of a failed call (fails the test for a success or a transport error).
fn status<T: std::fmt::Debug>(result: Result<T, clerk_api::Error>) -> u16 {
    result
        .expect_err("the call should fail")
        .status()
        .expect("an answer with a status")
        .as_u16()
}

async fn users(client: &Client) -> (String, String, String) {
    get_jwks(client).await.unwrap();
    let ada = create_user(client, &["ada@example.com"], Some("Ada"))
        .await
        .unwrap();
    let mut grace = CreateUserRequest::default();
    grace.email_address = Some(vec!["grace@example.com".into(), "g@navy.example".into()]);
    grace.phone_number = Some(vec!["+15555550100".into()]);
    grace.username = "grace_h".to_owned().into();
    grace.external_id = "ext-42".to_owned().into();
    grace.password = "correct horse battery".to_owned().into();
    grace.public_metadata = Some(object(json!({"rank": "admiral"})));
    grace.legal_accepted_at = "2024-05-01T12:00:00Z".to_owned().into();
    let grace = create_user_with(client, &grace).await.unwrap();
    let carol = create_user(client, &["carol@example.org"], None)
        .await
        .unwrap();
    get_user(client, &ada.id).await.unwrap();
    let mut list = GetUserListParams::default();
    list.order_by = Some("first_name".into());
    list.limit = Some(2);
    list.query = Some("example".into());
    list_users(client, &list).await.unwrap();
    count_users(client, &GetUsersCountParams::default())
        .await
        .unwrap();
    let mut update = UpdateUserRequest::default();
    update.last_name = "Lovelace".to_owned().into();
    update.username = "ada_l".to_owned().into();
    update_user(client, &ada.id, &update).await.unwrap();
    merge_user_metadata(
        client,
        &ada.id,
        json!({"plan": "pro"}),
        json!({"tier": {"a": 1}}),
    )
    .await
    .unwrap();
    replace_user_metadata(client, &ada.id, json!({"plan": "team"}))
        .await
        .unwrap();
    ban_user(client, &carol.id).await.unwrap();
    unban_user(client, &carol.id).await.unwrap();
    lock_user(client, &carol.id).await.unwrap();
    unlock_user(client, &carol.id).await.unwrap();
    // Errors: unknown id, a taken address, a bad page size.
    assert_eq!(status(get_user(client, "user_missing").await), 404);
    assert_eq!(
        status(create_user(client, &["ADA@example.com"], None).await),
        422
    );
    list.limit = Some(0);
    assert_eq!(status(list_users(client, &list).await), 422);
    (ada.id, grace.id, carol.id)
}

async fn organizations(client: &Client, ada: &str) -> String {
    let org = create_organization(client, "Acme Inc", Some("acme"), Some(ada), Some(3))
        .await
        .unwrap();
    get_organization(client, "acme").await.unwrap();
    let mut list = ListOrganizationsParams::default();
    list.include_members_count = Some(true);
    list.order_by = Some("-members_count".into());
    list_organizations(client, &list).await.unwrap();
    let mut update = UpdateOrganizationRequest::default();
    update.name = "Acme Corporation".to_owned().into();
    update.admin_delete_enabled = false.into();
    update_organization(client, &org.id, &update).await.unwrap();
    merge_organization_metadata(client, &org.id, json!({"plan": "pro"}))
        .await
        .unwrap();
    replace_organization_metadata(client, &org.id, json!({"crm": "hubspot"}))
        .await
        .unwrap();
    assert_eq!(
        status(create_organization(client, "Other", Some("acme"), None, None).await),
        422
    );
    assert_eq!(
        status(create_organization(client, " ", None, None, None).await),
        422
    );
    assert_eq!(
        status(create_organization(client, "X", None, Some("user_missing"), None).await),
        400
    );
    assert_eq!(status(get_organization(client, "org_missing").await), 404);
    org.id
}

async fn memberships(client: &Client, org: &str, ada: &str, grace: &str, carol: &str) {
    add_member(client, org, grace, "org:member").await.unwrap();
    list_members(client, org, &Default::default())
        .await
        .unwrap();
    all_memberships(client).await.unwrap();
    user_memberships(client, ada).await.unwrap();
    change_role(client, org, grace, "org:admin").await.unwrap();
    merge_membership_metadata(client, org, grace, json!({"team": "compilers"}))
        .await
        .unwrap();
    assert_eq!(
        status(add_member(client, org, grace, "org:member").await),
        400
    );
    assert_eq!(
        status(add_member(client, org, carol, "org:owner").await),
        404
    );
    assert_eq!(
        status(change_role(client, org, carol, "org:admin").await),
        404
    );
}

async fn domains(client: &Client, org: &str) -> String {
    let domain = add_domain(
        client,
        org,
        "acme.test",
        Some("automatic_invitation"),
        Some(false),
    )
    .await
    .unwrap();
    list_domains(client, org, &Default::default())
        .await
        .unwrap();
    all_domains(client, &Default::default()).await.unwrap();
    update_domain(
        client,
        org,
        &domain.id,
        Some("automatic_suggestion"),
        Some(true),
    )
    .await
    .unwrap();
    verify_domain_ownership(client, org, &domain.id)
        .await
        .unwrap();
    assert_eq!(
        status(add_domain(client, org, "acme.test", None, None).await),
        422
    );
    assert_eq!(
        status(add_domain(client, org, "gmail.com", None, None).await),
        422
    );
    assert_eq!(
        status(update_domain(client, org, &domain.id, Some("by_magic"), None).await),
        422
    );
    domain.id
}

async fn invitations(client: &Client, org: &str, carol: &str) {
    let invitation = invite(
        client,
        "new@example.com",
        Some("https://app.example/accept"),
    )
    .await
    .unwrap();
    list_invitations(client, &Default::default()).await.unwrap();
    revoke_invitation(client, &invitation.id).await.unwrap();
    assert_eq!(status(revoke_invitation(client, &invitation.id).await), 400);
    invite(client, "again@example.com", None).await.unwrap();
    assert_eq!(status(invite(client, "again@example.com", None).await), 400);

    let invited = invite_to_organization(client, org, "carol@example.org", "org:member", None)
        .await
        .unwrap();
    list_organization_invitations(client, org, &Default::default())
        .await
        .unwrap();
    pending_organization_invitations(client, org).await.unwrap();
    all_organization_invitations(client).await.unwrap();
    get_organization_invitation(client, org, &invited.id)
        .await
        .unwrap();
    user_invitations(client, carol).await.unwrap();
    // Ada, Grace and Carol's invitation fill the limit of 3.
    assert_eq!(
        status(invite_to_organization(client, org, "dan@example.com", "org:member", None).await),
        403
    );
    assert_eq!(
        status(invite_to_organization(client, org, "carol@example.org", "org:member", None).await),
        400
    );
    revoke_organization_invitation(client, org, &invited.id)
        .await
        .unwrap();
}

async fn deletions(client: &Client, org: &str, domain: &str, grace: &str, carol: &str) {
    delete_domain(client, org, domain).await.unwrap();
    remove_member(client, org, grace).await.unwrap();
    delete_user(client, carol).await.unwrap();
    delete_organization(client, org).await.unwrap();
    assert_eq!(status(delete_user(client, carol).await), 404);
    assert_eq!(status(remove_member(client, org, grace).await), 404);
}

/// Drives every modelled operation (and a few failures of each kind), then one the fake
/// does not model.
async fn drive(client: &Client) {
    let (ada, grace, carol) = users(client).await;
    let org = organizations(client, &ada).await;
    memberships(client, &org, &ada, &grace, &carol).await;
    let domain = domains(client, &org).await;
    invitations(client, &org, &carol).await;
    deletions(client, &org, &domain, &grace, &carol).await;
    assert_eq!(status(get_session(client, "sess_1").await), 501);
}

fn spec() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/clerk-backend-api.yaml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

#[tokio::test]
async fn every_modelled_operation_answers_as_the_spec_says() {
    let fake = FakeClerk::start().await;
    drive(&fake.client()).await;
    let answers = fake.answers();

    let succeeded: BTreeSet<&str> = answers
        .iter()
        .filter(|a| a.status == 200)
        .filter_map(|a| a.request.operation_id.as_deref())
        .collect();
    let modelled: BTreeSet<&str> = FakeClerk::modelled_operations().into_iter().collect();
    assert_eq!(
        modelled.difference(&succeeded).collect::<Vec<_>>(),
        Vec::<&&str>::new(),
        "modelled operations the test did not drive to a success"
    );
    let failed: BTreeSet<u16> = answers
        .iter()
        .map(|a| a.status)
        .filter(|s| *s != 200)
        .collect();
    assert_eq!(failed, BTreeSet::from([400, 403, 404, 422, 501]));

    let request = json!({
        "spec": spec(),
        "answers": answers.iter().map(|a| json!({
            "operation_id": a.request.operation_id, "status": a.status, "body": a.body,
        })).collect::<Vec<_>>(),
    });
    let Some(verdict) = run_tool("response_schema_tool.py", &request) else {
        return;
    };
    let results = verdict["results"].as_array().unwrap();
    assert_eq!(results.len(), answers.len());
    let mut problems = Vec::new();
    let mut undocumented = BTreeSet::new();
    for (answer, result) in answers.iter().zip(results) {
        let operation = answer.request.operation_id.as_deref().unwrap_or("?");
        let errors = result["errors"].as_array().unwrap();
        if !errors.is_empty() {
            problems.push(format!(
                "{operation} {} against {}: {errors:?}\n  body: {}",
                answer.status, result["schema"], answer.body
            ));
        }
        if result["documented"] == false {
            assert!(
                answer.status >= 400,
                "{operation} answered an undocumented {}",
                answer.status
            );
            undocumented.insert(format!("{operation} {}", answer.status));
        }
    }
    assert!(
        problems.is_empty(),
        "answers outside the spec:\n{}",
        problems.join("\n")
    );
    // Statuses the spec leaves out for these operations (checked against ClerkErrors).
    eprintln!("error statuses the spec does not list for the operation: {undocumented:?}");
}
