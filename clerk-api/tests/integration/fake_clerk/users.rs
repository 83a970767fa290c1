//! Users as Clerk keeps them: prefixed ids and millisecond times, unique identifiers,
//! the list's filters, orderings and paging, the count, updates, the metadata merge,
//! bans and locks, and deletion ending the user's memberships.

use super::ops::*;
use super::{refusal, refused};
use clerk_api::models::{CreateUserRequest, UpdateUserRequest};
use clerk_api::testing::FakeClerk;
use clerk_api::users::{GetUserListParams, GetUsersCountParams};
use serde_json::json;
use std::time::{SystemTime, UNIX_EPOCH};

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn ids(users: &[clerk_api::models::User]) -> Vec<&str> {
    users.iter().map(|u| u.id.as_str()).collect()
}

#[tokio::test]
async fn a_created_user_has_clerk_ids_millisecond_times_and_a_primary_address() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let before = now_ms();
    let user = create_user(
        &client,
        &["Ada@Example.com", "ada@work.example"],
        Some("Ada"),
    )
    .await
    .unwrap();
    let after = now_ms();
    assert!(
        user.id.starts_with("user_") && user.id.len() == "user_".len() + 27,
        "{}",
        user.id
    );
    assert!(
        (before..=after).contains(&user.created_at),
        "{} in ms",
        user.created_at
    );
    assert_eq!(user.created_at, user.updated_at);
    let emails: Vec<&str> = user
        .email_addresses
        .iter()
        .map(|e| e.email_address.as_str())
        .collect();
    assert_eq!(emails, ["ada@example.com", "ada@work.example"]);
    let first = user.email_addresses[0].id.as_deref().unwrap();
    assert!(first.starts_with("idn_"));
    assert_eq!(user.primary_email_address_id.as_deref(), Some(first));
    assert!(!user.password_enabled && !user.banned && !user.locked);
    // What the API answered is what the fake holds.
    assert_eq!(fake.user(&user.id).unwrap()["first_name"], "Ada");
    assert_eq!(get_user(&client, &user.id).await.unwrap(), user);
}

#[tokio::test]
async fn identifiers_are_unique_and_checked_as_clerk_checks_them() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    fake.seed_user(
        json!({"email_address": ["ada@example.com"], "username": "ada_l", "external_id": "crm-1"}),
    );

    let taken_email = create_user(&client, &["ADA@example.com"], None).await;
    assert_eq!(
        refusal(taken_email),
        refused(422, "form_identifier_exists", Some("email_address"))
    );
    let mut body = CreateUserRequest::default();
    body.username = "Ada_L".to_owned().into();
    assert_eq!(
        refusal(create_user_with(&client, &body).await),
        refused(422, "form_identifier_exists", Some("username"))
    );
    let mut body = CreateUserRequest::default();
    body.external_id = "crm-1".to_owned().into();
    assert_eq!(
        refusal(create_user_with(&client, &body).await),
        refused(422, "form_identifier_exists", Some("external_id"))
    );
    assert_eq!(
        refusal(create_user(&client, &["not-an-address"], None).await),
        refused(422, "form_param_format_invalid", Some("email_address"))
    );
    let mut body = CreateUserRequest::default();
    body.password = "short".to_owned().into();
    assert_eq!(
        refusal(create_user_with(&client, &body).await),
        refused(422, "form_password_length_too_short", Some("password"))
    );
    // Nothing was created by the refused calls.
    assert_eq!(fake.users().len(), 1);
    assert_eq!(
        refusal(get_user(&client, "user_nobody").await),
        refused(404, "resource_not_found", None)
    );
}

#[tokio::test]
async fn the_user_list_filters_orders_and_pages_as_the_spec_defines() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let zed = fake.seed_user(
        json!({"email_address": ["zed@acme.test"], "first_name": "Zed", "last_active_at": 1_000}),
    );
    let amy = fake.seed_user(
        json!({"email_address": ["amy@acme.test"], "first_name": "Amy", "last_active_at": 3_000}),
    );
    let bob = fake.seed_user(
        json!({"email_address": ["bob@other.test"], "first_name": "Bob", "username": "bobby"}),
    );
    let org = fake.seed_organization(json!({"name": "Acme", "created_by": amy}));

    // Newest first by default, 10 a page.
    let all = list_users(&client, &GetUserListParams::default())
        .await
        .unwrap();
    assert_eq!(ids(&all), [&bob, &amy, &zed]);

    let mut params = GetUserListParams::default();
    params.order_by = Some("first_name".into());
    assert_eq!(
        ids(&list_users(&client, &params).await.unwrap()),
        [&amy, &bob, &zed]
    );
    params.order_by = Some("-first_name".into());
    params.limit = Some(2);
    params.offset = Some(1);
    assert_eq!(
        ids(&list_users(&client, &params).await.unwrap()),
        [&bob, &amy]
    );
    params.order_by = Some("+last_active_at".into());
    params.offset = Some(0);
    // Users never active sort last going up.
    assert_eq!(
        ids(&list_users(&client, &params).await.unwrap()),
        [&zed, &amy]
    );

    let mut params = GetUserListParams::default();
    params.query = Some("ACME".into());
    assert_eq!(
        ids(&list_users(&client, &params).await.unwrap()),
        [&amy, &zed]
    );
    let mut params = GetUserListParams::default();
    params.email_address = vec!["BOB@other.test".into(), "unknown@x.test".into()];
    assert_eq!(ids(&list_users(&client, &params).await.unwrap()), [&bob]);
    let mut params = GetUserListParams::default();
    params.user_id = vec![format!("-{amy}")];
    assert_eq!(
        ids(&list_users(&client, &params).await.unwrap()),
        [&bob, &zed]
    );
    let mut params = GetUserListParams::default();
    params.organization_id = vec![org.clone()];
    assert_eq!(ids(&list_users(&client, &params).await.unwrap()), [&amy]);
    let mut params = GetUserListParams::default();
    params.last_active_at_after = Some(2_000);
    assert_eq!(ids(&list_users(&client, &params).await.unwrap()), [&amy]);
    let mut params = GetUserListParams::default();
    params.username_query = Some("bob".into());
    assert_eq!(ids(&list_users(&client, &params).await.unwrap()), [&bob]);

    // The cursor continues after the given user, in the default order.
    let mut params = GetUserListParams::default();
    params.starting_after = Some(bob.clone());
    assert_eq!(
        ids(&list_users(&client, &params).await.unwrap()),
        [&amy, &zed]
    );

    let mut count = GetUsersCountParams::default();
    assert_eq!(count_users(&client, &count).await.unwrap(), 3);
    count.query = Some("acme".into());
    assert_eq!(count_users(&client, &count).await.unwrap(), 2);

    let mut params = GetUserListParams::default();
    params.limit = Some(501);
    assert_eq!(
        refusal(list_users(&client, &params).await),
        refused(422, "form_param_value_invalid", Some("limit"))
    );
    let mut params = GetUserListParams::default();
    params.order_by = Some("shoe_size".into());
    assert_eq!(
        refusal(list_users(&client, &params).await),
        refused(422, "form_param_value_invalid", Some("order_by"))
    );
}

#[tokio::test]
async fn updates_change_the_given_fields_only_and_keep_identifiers_unique() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let ada = fake.seed_user(json!({"email_address": ["ada@example.com", "ada@work.test"], "first_name": "Ada", "username": "ada_l"}));
    fake.seed_user(json!({"username": "grace_h"}));
    let before = get_user(&client, &ada).await.unwrap();

    let mut update = UpdateUserRequest::default();
    update.last_name = "Lovelace".to_owned().into();
    update.primary_email_address_id = before.email_addresses[1].id.clone().unwrap().into();
    let after = update_user(&client, &ada, &update).await.unwrap();
    assert_eq!(after.first_name.as_deref(), Some("Ada"));
    assert_eq!(after.last_name.as_deref(), Some("Lovelace"));
    assert_eq!(after.primary_email_address_id, before.email_addresses[1].id);
    assert!(after.updated_at > before.updated_at);

    let mut update = UpdateUserRequest::default();
    update.username = "grace_h".to_owned().into();
    assert_eq!(
        refusal(update_user(&client, &ada, &update).await),
        refused(422, "form_identifier_exists", Some("username"))
    );
    // A null username removes it.
    let mut update = UpdateUserRequest::default();
    update.username = clerk_api::Nullable::Null;
    assert_eq!(
        update_user(&client, &ada, &update).await.unwrap().username,
        None
    );
    let mut update = UpdateUserRequest::default();
    update.password = "a long enough secret".to_owned().into();
    assert!(
        update_user(&client, &ada, &update)
            .await
            .unwrap()
            .password_enabled
    );
}

#[tokio::test]
async fn the_metadata_endpoint_merges_deeply_and_null_removes_a_key() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let ada = fake.seed_user(json!({
        "public_metadata": {"plan": "free", "limits": {"seats": 3, "projects": 1}, "beta": true},
        "private_metadata": {"crm": "1"}
    }));
    let user = merge_user_metadata(
        &client,
        &ada,
        json!({"limits": {"seats": 10}, "beta": null}),
        json!({"stripe": "cus_1"}),
    )
    .await
    .unwrap();
    assert_eq!(
        serde_json::Value::Object(user.public_metadata),
        json!({"plan": "free", "limits": {"seats": 10, "projects": 1}})
    );
    assert_eq!(
        fake.user(&ada).unwrap()["private_metadata"],
        json!({"crm": "1", "stripe": "cus_1"})
    );
    // The PUT replaces the object it is given, and leaves the others.
    replace_user_metadata(&client, &ada, json!({"plan": "team"}))
        .await
        .unwrap();
    let stored = fake.user(&ada).unwrap();
    assert_eq!(stored["public_metadata"], json!({"plan": "team"}));
    assert_eq!(
        stored["private_metadata"],
        json!({"crm": "1", "stripe": "cus_1"})
    );
}

#[tokio::test]
async fn bans_and_locks_show_on_the_user_and_in_the_banned_filter() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let ada = fake.seed_user(json!({"first_name": "Ada"}));
    let bob = fake.seed_user(json!({"first_name": "Bob"}));
    assert!(ban_user(&client, &ada).await.unwrap().banned);
    let mut banned = GetUserListParams::default();
    banned.banned = Some(true);
    assert_eq!(ids(&list_users(&client, &banned).await.unwrap()), [&ada]);
    banned.banned = Some(false);
    assert_eq!(ids(&list_users(&client, &banned).await.unwrap()), [&bob]);
    assert!(!unban_user(&client, &ada).await.unwrap().banned);

    let locked = lock_user(&client, &ada).await.unwrap();
    assert!(locked.locked);
    assert!(locked
        .lockout_expires_in_seconds
        .is_some_and(|s| s > 3_500 && s <= 3_600));
    assert_eq!(locked.verification_attempts_remaining, Some(0));
    let unlocked = unlock_user(&client, &ada).await.unwrap();
    assert!(!unlocked.locked);
    assert_eq!(unlocked.lockout_expires_in_seconds, None);
    assert_eq!(refusal(ban_user(&client, "user_nobody").await).status, 404);
}

#[tokio::test]
async fn deleting_a_user_ends_their_memberships() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let ada = fake.seed_user(json!({"first_name": "Ada"}));
    let bob = fake.seed_user(json!({"first_name": "Bob"}));
    let org = fake.seed_organization(json!({"name": "Acme", "created_by": ada}));
    fake.seed_membership(&org, json!({"user_id": bob, "role": "org:member"}));
    assert_eq!(
        get_organization(&client, &org).await.unwrap().members_count,
        Some(2)
    );

    let deleted = delete_user(&client, &bob).await.unwrap();
    assert_eq!(
        (
            deleted.id.as_deref(),
            deleted.object.as_str(),
            deleted.deleted
        ),
        (Some(bob.as_str()), "user", true)
    );
    assert_eq!(
        get_organization(&client, &org).await.unwrap().members_count,
        Some(1)
    );
    assert!(fake.membership(&org, &bob).is_none());
    assert_eq!(refusal(get_user(&client, &bob).await).status, 404);
}
