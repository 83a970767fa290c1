//! Organizations as Clerk keeps them: the required name, unique slugs (given or made
//! from the name), lookup by id or slug, the creator as first admin, `members_count`
//! kept in step, the list's query, orderings and `total_count`, the metadata merge,
//! the membership limit, and deletion taking memberships, domains and invitations along.

use super::ops::*;
use super::{refusal, refused};
use clerk_api::models::UpdateOrganizationRequest;
use clerk_api::organizations::ListOrganizationsParams;
use clerk_api::testing::FakeClerk;
use serde_json::json;

#[tokio::test]
async fn a_name_is_required_and_slugs_are_unique() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    assert_eq!(
        refusal(create_organization(&client, "", None, None, None).await),
        refused(422, "form_param_missing", Some("name"))
    );
    let acme = create_organization(&client, "Acme Inc.", None, None, None)
        .await
        .unwrap();
    assert!(acme.id.starts_with("org_"));
    assert_eq!(acme.slug, "acme-inc");
    assert_eq!(
        refusal(create_organization(&client, "Acme Two", Some("acme-inc"), None, None).await),
        refused(422, "form_identifier_exists", Some("slug"))
    );
    assert_eq!(
        refusal(create_organization(&client, "Bad", Some("Not A Slug"), None, None).await),
        refused(422, "form_param_format_invalid", Some("slug"))
    );
    // A second organization of the same name gets a slug of its own.
    let again = create_organization(&client, "Acme Inc.", None, None, None)
        .await
        .unwrap();
    assert_ne!(again.slug, acme.slug);
    assert!(again.slug.starts_with("acme-inc-"));
    // Get by id or slug.
    assert_eq!(
        get_organization(&client, "acme-inc").await.unwrap().id,
        acme.id
    );
    assert_eq!(
        get_organization(&client, &acme.id).await.unwrap().slug,
        "acme-inc"
    );
    let mut rename = UpdateOrganizationRequest::default();
    rename.slug = again.slug.clone().into();
    assert_eq!(
        refusal(update_organization(&client, &acme.id, &rename).await),
        refused(422, "form_identifier_exists", Some("slug"))
    );
    assert_eq!(
        refusal(get_organization(&client, "nope").await),
        refused(404, "resource_not_found", None)
    );
    assert_eq!(
        refusal(create_organization(&client, "Ghost", None, Some("user_gone"), None).await),
        refused(400, "organization_creator_not_found", None)
    );
}

#[tokio::test]
async fn the_creator_becomes_admin_and_members_count_follows_every_change() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let ada = fake.seed_user(json!({"first_name": "Ada"}));
    let bob = fake.seed_user(json!({"first_name": "Bob"}));
    let org = create_organization(&client, "Acme", None, Some(&ada), None)
        .await
        .unwrap();
    // Counts only on request, as Clerk.
    assert_eq!(org.members_count, None);
    assert_eq!(org.created_by.as_deref(), Some(ada.as_str()));
    assert_eq!(fake.membership(&org.id, &ada).unwrap()["role"], "org:admin");
    let fetched = get_organization(&client, &org.id).await.unwrap();
    assert_eq!(fetched.members_count, Some(1));
    assert_eq!(
        fetched.missing_member_with_elevated_permissions,
        Some(false)
    );

    add_member(&client, &org.id, &bob, "org:member")
        .await
        .unwrap();
    assert_eq!(
        get_organization(&client, &org.id)
            .await
            .unwrap()
            .members_count,
        Some(2)
    );
    remove_member(&client, &org.id, &ada).await.unwrap();
    let fetched = get_organization(&client, &org.id).await.unwrap();
    assert_eq!(fetched.members_count, Some(1));
    assert_eq!(fetched.missing_member_with_elevated_permissions, Some(true));
    assert_eq!(fake.organization(&org.id).unwrap()["members_count"], 1);
}

#[tokio::test]
async fn the_list_matches_the_query_orders_and_counts_every_match() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let ada = fake.seed_user(json!({"first_name": "Ada"}));
    let bob = fake.seed_user(json!({"first_name": "Bob"}));
    let beta = fake.seed_organization(json!({"name": "Beta Labs", "slug": "beta"}));
    let acme = fake.seed_organization(json!({"name": "Acme", "created_by": ada}));
    let gamma = fake.seed_organization(json!({"name": "Gamma", "slug": "acme-gamma"}));
    fake.seed_membership(&acme, json!({"user_id": bob, "role": "org:member"}));
    fake.seed_membership(&gamma, json!({"user_id": bob, "role": "org:member"}));

    let names = |page: &clerk_api::models::Organizations| -> Vec<String> {
        page.data.iter().map(|o| o.name.clone()).collect()
    };
    let all = list_organizations(&client, &Default::default())
        .await
        .unwrap();
    assert_eq!(
        (names(&all), all.total_count),
        (vec!["Gamma".into(), "Acme".into(), "Beta Labs".into()], 3)
    );

    let mut params = ListOrganizationsParams::default();
    params.query = Some("ACME".into()); // name or slug, partly
    let found = list_organizations(&client, &params).await.unwrap();
    assert_eq!(names(&found), ["Gamma", "Acme"]);
    params.query = Some(beta.clone()); // or an exact id
    assert_eq!(
        names(&list_organizations(&client, &params).await.unwrap()),
        ["Beta Labs"]
    );

    let mut params = ListOrganizationsParams::default();
    params.order_by = Some("-members_count".into());
    params.include_members_count = Some(true);
    let counted = list_organizations(&client, &params).await.unwrap();
    assert_eq!(names(&counted), ["Acme", "Gamma", "Beta Labs"]);
    let counts: Vec<Option<i64>> = counted.data.iter().map(|o| o.members_count).collect();
    assert_eq!(counts, [Some(2), Some(1), Some(0)]);

    let mut params = ListOrganizationsParams::default();
    params.order_by = Some("name".into());
    params.limit = Some(1);
    params.offset = Some(1);
    let page = list_organizations(&client, &params).await.unwrap();
    assert_eq!(
        (names(&page), page.total_count),
        (vec!["Beta Labs".into()], 3)
    );

    let mut params = ListOrganizationsParams::default();
    params.user_id = vec![bob.clone()];
    assert_eq!(
        names(&list_organizations(&client, &params).await.unwrap()),
        ["Gamma", "Acme"]
    );
    params.user_id = vec![format!("-{bob}")];
    assert_eq!(
        names(&list_organizations(&client, &params).await.unwrap()),
        ["Beta Labs"]
    );
}

#[tokio::test]
async fn organization_metadata_merges_and_replaces() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let org = fake.seed_organization(json!({"name": "Acme", "public_metadata": {"plan": "free", "flags": {"a": true, "b": true}}}));
    let merged = merge_organization_metadata(
        &client,
        &org,
        json!({"flags": {"b": null, "c": true}, "seats": 5}),
    )
    .await
    .unwrap();
    assert_eq!(
        serde_json::Value::Object(merged.public_metadata),
        json!({"plan": "free", "flags": {"a": true, "c": true}, "seats": 5})
    );
    replace_organization_metadata(&client, &org, json!({"crm": "hubspot"}))
        .await
        .unwrap();
    let stored = fake.organization(&org).unwrap();
    assert_eq!(stored["private_metadata"], json!({"crm": "hubspot"}));
    assert_eq!(stored["public_metadata"]["seats"], 5);
}

#[tokio::test]
async fn max_allowed_memberships_counts_members_and_pending_invitations() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let users: Vec<String> = (0..4)
        .map(|i| fake.seed_user(json!({"email_address": [format!("u{i}@acme.test")]})))
        .collect();
    let org = create_organization(&client, "Small", None, Some(&users[0]), Some(3))
        .await
        .unwrap();
    add_member(&client, &org.id, &users[1], "org:member")
        .await
        .unwrap();
    invite_to_organization(&client, &org.id, "new@acme.test", "org:member", None)
        .await
        .unwrap();
    // Two members and one pending invitation fill three places.
    assert_eq!(
        refusal(add_member(&client, &org.id, &users[2], "org:member").await),
        refused(403, "organization_membership_quota_exceeded", None)
    );
    assert_eq!(fake.memberships(&org.id).len(), 2);
    // Raising the limit makes room; 0 means no limit.
    let mut raise = UpdateOrganizationRequest::default();
    raise.max_allowed_memberships = 4.into();
    update_organization(&client, &org.id, &raise).await.unwrap();
    add_member(&client, &org.id, &users[2], "org:member")
        .await
        .unwrap();
    assert_eq!(
        refusal(add_member(&client, &org.id, &users[3], "org:member").await).status,
        403
    );
    raise.max_allowed_memberships = 0.into();
    update_organization(&client, &org.id, &raise).await.unwrap();
    add_member(&client, &org.id, &users[3], "org:member")
        .await
        .unwrap();

    // Without a limit in the body, the instance's default (5, as Clerk's) applies.
    let default = create_organization(&client, "Default", None, None, None)
        .await
        .unwrap();
    assert_eq!(default.max_allowed_memberships, 5);
    let custom = FakeClerk::builder()
        .max_allowed_memberships(0)
        .start()
        .await
        .unwrap();
    let unlimited = create_organization(&custom.client(), "Any", None, None, None)
        .await
        .unwrap();
    assert_eq!(unlimited.max_allowed_memberships, 0);
}

#[tokio::test]
async fn deleting_an_organization_takes_its_memberships_domains_and_invitations() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let ada = fake.seed_user(json!({"first_name": "Ada"}));
    let org = fake.seed_organization(json!({"name": "Acme", "slug": "acme", "created_by": ada}));
    fake.seed_domain(&org, json!({"name": "acme.test"}));
    fake.seed_organization_invitation(
        &org,
        json!({"email_address": "x@acme.test", "role": "org:member"}),
    );

    let deleted = delete_organization(&client, &org).await.unwrap();
    assert_eq!(
        (
            deleted.object.as_str(),
            deleted.deleted,
            deleted.slug.as_deref()
        ),
        ("organization", true, Some("acme"))
    );
    assert_eq!(
        user_memberships(&client, &ada).await.unwrap().total_count,
        0
    );
    assert!(fake.organization(&org).is_none());
    assert_eq!(
        all_domains(&client, &Default::default())
            .await
            .unwrap()
            .total_count,
        0
    );
    assert_eq!(
        all_organization_invitations(&client)
            .await
            .unwrap()
            .total_count,
        0
    );
    // The slug is free again.
    create_organization(&client, "Acme", Some("acme"), None, None)
        .await
        .unwrap();
}
