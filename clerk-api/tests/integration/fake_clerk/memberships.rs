//! Memberships as Clerk keeps them: one per user and organization, known roles with
//! their permissions, the member filters and orderings of the list, role changes, the
//! metadata merge, and removal answering the membership removed.

use super::ops::*;
use super::{refusal, refused};
use clerk_api::organization_memberships::ListOrganizationMembershipsParams;
use clerk_api::testing::FakeClerk;
use serde_json::json;

#[tokio::test]
async fn a_membership_carries_the_role_its_permissions_the_organization_and_the_user() {
    let fake = FakeClerk::builder()
        .role(
            "org:billing",
            "Billing",
            &["org:invoices:read", "org:invoices:manage"],
        )
        .start()
        .await
        .unwrap();
    let client = fake.client();
    let ada = fake.seed_user(
        json!({"email_address": ["ada@acme.test"], "first_name": "Ada", "username": "ada_l"}),
    );
    let org = fake.seed_organization(json!({"name": "Acme", "slug": "acme"}));
    let membership = add_member(&client, &org, &ada, "org:billing")
        .await
        .unwrap();
    assert!(membership.id.starts_with("orgmem_"));
    assert_eq!(
        (membership.role.as_str(), membership.role_name.as_deref()),
        ("org:billing", Some("Billing"))
    );
    assert_eq!(
        membership.permissions,
        ["org:invoices:read", "org:invoices:manage"]
    );
    assert_eq!(membership.organization.slug, "acme");
    let user = membership.public_user_data.unwrap();
    assert_eq!(
        (user.user_id.as_str(), user.identifier.as_deref()),
        (ada.as_str(), Some("ada@acme.test"))
    );
    assert_eq!(user.username.as_deref(), Some("ada_l"));

    assert_eq!(
        refusal(add_member(&client, &org, &ada, "org:member").await),
        refused(400, "already_a_member_in_organization", None)
    );
    let bob = fake.seed_user(json!({}));
    assert_eq!(
        refusal(add_member(&client, &org, &bob, "org:owner").await),
        refused(404, "resource_not_found", Some("role"))
    );
    assert_eq!(
        refusal(add_member(&client, &org, "user_gone", "org:member").await).status,
        404
    );
    assert_eq!(
        refusal(add_member(&client, "org_gone", &bob, "org:member").await).status,
        404
    );
}

#[tokio::test]
async fn the_member_list_filters_by_role_and_user_and_orders() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let ada = fake.seed_user(json!({"email_address": ["ada@acme.test"], "first_name": "Ada"}));
    let zoe = fake.seed_user(json!({"email_address": ["zoe@acme.test"], "first_name": "Zoe"}));
    let max = fake.seed_user(json!({"email_address": ["max@elsewhere.test"], "first_name": "Max"}));
    let org = fake.seed_organization(json!({"name": "Acme", "created_by": ada}));
    fake.seed_membership(&org, json!({"user_id": zoe, "role": "org:member"}));
    fake.seed_membership(&org, json!({"user_id": max, "role": "org:member"}));
    let users = |page: clerk_api::models::OrganizationMemberships| -> Vec<String> {
        page.data
            .into_iter()
            .map(|m| m.public_user_data.unwrap().user_id)
            .collect()
    };

    let newest_first = list_members(&client, &org, &Default::default())
        .await
        .unwrap();
    assert_eq!(newest_first.total_count, 3);
    assert_eq!(
        users(newest_first),
        [max.as_str(), zoe.as_str(), ada.as_str()]
    );
    let mut params = ListOrganizationMembershipsParams::default();
    params.role = vec!["org:member".into()];
    params.order_by = Some("first_name".into());
    assert_eq!(
        users(list_members(&client, &org, &params).await.unwrap()),
        [max.as_str(), zoe.as_str()]
    );
    let mut params = ListOrganizationMembershipsParams::default();
    params.email_address_query = Some("@ACME".into());
    params.order_by = Some("-email_address".into());
    assert_eq!(
        users(list_members(&client, &org, &params).await.unwrap()),
        [zoe.as_str(), ada.as_str()]
    );
    let mut params = ListOrganizationMembershipsParams::default();
    params.user_id = vec![ada.clone(), max.clone()];
    params.limit = Some(1);
    let page = list_members(&client, &org, &params).await.unwrap();
    assert_eq!(page.total_count, 2);
    assert_eq!(users(page), [max.as_str()]);

    assert_eq!(
        user_memberships(&client, &zoe).await.unwrap().total_count,
        1
    );
    assert_eq!(all_memberships(&client).await.unwrap().total_count, 3);
}

#[tokio::test]
async fn role_changes_metadata_and_removal() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let ada = fake.seed_user(json!({"first_name": "Ada"}));
    let bob = fake.seed_user(json!({"first_name": "Bob"}));
    let org = fake.seed_organization(json!({"name": "Acme", "created_by": ada}));
    let added = add_member(&client, &org, &bob, "org:member").await.unwrap();

    let promoted = change_role(&client, &org, &bob, "org:admin").await.unwrap();
    assert_eq!(promoted.id, added.id);
    assert_eq!(promoted.role, "org:admin");
    assert!(promoted
        .permissions
        .iter()
        .any(|p| p == "org:sys_memberships:manage"));
    assert!(promoted.updated_at > added.updated_at);
    assert_eq!(
        refusal(change_role(&client, &org, &bob, "org:wizard").await),
        refused(404, "resource_not_found", Some("role"))
    );

    merge_membership_metadata(&client, &org, &bob, json!({"team": "core", "desk": 4}))
        .await
        .unwrap();
    let merged = merge_membership_metadata(&client, &org, &bob, json!({"desk": null}))
        .await
        .unwrap();
    assert_eq!(
        serde_json::Value::Object(merged.public_metadata),
        json!({"team": "core"})
    );

    let removed = remove_member(&client, &org, &bob).await.unwrap();
    assert_eq!(
        (removed.id.as_str(), removed.role.as_str()),
        (added.id.as_str(), "org:admin")
    );
    assert!(fake.membership(&org, &bob).is_none());
    assert_eq!(
        refusal(remove_member(&client, &org, &bob).await),
        refused(404, "resource_not_found", None)
    );
    assert_eq!(
        refusal(change_role(&client, &org, &bob, "org:member").await).status,
        404
    );
}
