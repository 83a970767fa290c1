//! Invitations as Clerk keeps them: one pending invitation per address, none for an
//! address a user holds, revocation once, expiry dates; organization invitations within
//! the membership limit, none for members or twice; and accepting them.

use super::ops::*;
use super::{refusal, refused};
use clerk_api::invitations::ListInvitationsParams;
use clerk_api::models::ListInvitationsStatus;
use clerk_api::organization_invitations::ListOrganizationInvitationsParams;
use clerk_api::testing::FakeClerk;
use serde_json::json;

#[tokio::test]
async fn instance_invitations_are_unique_per_address_and_revoked_once() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    fake.seed_user(json!({"email_address": ["member@example.com"]}));
    let invitation = invite(&client, "New@Example.com", Some("https://app.example/join"))
        .await
        .unwrap();
    assert!(invitation.id.starts_with("inv_"));
    assert_eq!(
        (
            invitation.email_address.as_str(),
            invitation.status.to_string().as_str()
        ),
        ("new@example.com", "pending")
    );
    let expires = invitation.expires_at.unwrap();
    assert_eq!(expires - invitation.created_at, 30 * 86_400_000);
    assert!(invitation
        .url
        .unwrap()
        .starts_with("https://app.example/join?__clerk_ticket="));

    assert_eq!(
        refusal(invite(&client, "new@example.com", None).await),
        refused(400, "duplicate_record", Some("email_address"))
    );
    assert_eq!(
        refusal(invite(&client, "member@example.com", None).await),
        refused(422, "form_identifier_exists", Some("email_address"))
    );
    assert_eq!(
        refusal(invite(&client, "nobody", None).await),
        refused(422, "form_param_format_invalid", Some("email_address"))
    );

    let revoked = revoke_invitation(&client, &invitation.id).await.unwrap();
    assert_eq!(revoked.revoked, Some(true));
    assert_eq!(
        refusal(revoke_invitation(&client, &invitation.id).await),
        refused(400, "invitation_already_revoked", None)
    );
    assert_eq!(
        refusal(revoke_invitation(&client, "inv_gone").await).status,
        404
    );
    // Revoked: the address can be invited again.
    invite(&client, "new@example.com", None).await.unwrap();

    let mut params = ListInvitationsParams::default();
    params.status = Some(ListInvitationsStatus::Revoked);
    let listed = list_invitations(&client, &params).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, invitation.id);
    assert_eq!(
        list_invitations(&client, &Default::default())
            .await
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn accepting_an_invitation_creates_the_user_with_its_metadata() {
    let fake = FakeClerk::start().await;
    let invitation = fake.seed_invitation(
        json!({"email_address": "ada@example.com", "public_metadata": {"plan": "pro"}}),
    );
    let ada = fake.accept_invitation(&invitation, json!({"first_name": "Ada"}));
    let user = fake.user(&ada).unwrap();
    assert_eq!(
        user["email_addresses"][0]["email_address"],
        "ada@example.com"
    );
    assert_eq!(
        (user["first_name"].clone(), user["public_metadata"].clone()),
        (json!("Ada"), json!({"plan": "pro"}))
    );
    assert_eq!(fake.invitations()[0]["status"], "accepted");
    assert_eq!(
        refusal(revoke_invitation(&fake.client(), &invitation).await),
        refused(400, "invitation_already_accepted", None)
    );
}

#[tokio::test]
async fn organization_invitations_respect_members_duplicates_and_the_limit() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let ada = fake.seed_user(json!({"email_address": ["ada@acme.test"], "first_name": "Ada"}));
    let org = fake.seed_organization(
        json!({"name": "Acme", "created_by": ada, "max_allowed_memberships": 3}),
    );

    let invitation =
        invite_to_organization(&client, &org, "bob@acme.test", "org:member", Some(&ada))
            .await
            .unwrap();
    assert!(invitation.id.starts_with("orginv_"));
    assert_eq!(
        (invitation.status.as_deref(), invitation.role_name.as_str()),
        (Some("pending"), "Member")
    );
    assert_eq!(invitation.inviter_id.as_deref(), Some(ada.as_str()));
    assert_eq!(
        invitation.public_inviter_data.as_ref().unwrap().identifier,
        "ada@acme.test"
    );

    assert_eq!(
        refusal(invite_to_organization(&client, &org, "BOB@acme.test", "org:member", None).await),
        refused(400, "organization_invitation_not_unique", None)
    );
    assert_eq!(
        refusal(invite_to_organization(&client, &org, "ada@acme.test", "org:member", None).await),
        refused(400, "already_a_member_in_organization", None)
    );
    assert_eq!(
        refusal(invite_to_organization(&client, &org, "x@acme.test", "org:boss", None).await),
        refused(404, "resource_not_found", Some("role"))
    );
    invite_to_organization(&client, &org, "carol@acme.test", "org:admin", None)
        .await
        .unwrap();
    assert_eq!(
        refusal(invite_to_organization(&client, &org, "dan@acme.test", "org:member", None).await),
        refused(403, "organization_membership_quota_exceeded", None)
    );

    let pending = pending_organization_invitations(&client, &org)
        .await
        .unwrap();
    assert_eq!(pending.total_count, 2);
    let mut params = ListOrganizationInvitationsParams::default();
    params.email_address = Some("bob@acme.test".into());
    assert_eq!(
        list_organization_invitations(&client, &org, &params)
            .await
            .unwrap()
            .data[0]
            .id,
        invitation.id
    );
    let everywhere = all_organization_invitations(&client).await.unwrap();
    assert_eq!(
        everywhere.data[0]
            .public_organization_data
            .as_ref()
            .unwrap()
            .name,
        "Acme"
    );

    // Revoking frees a place; revoking again is refused.
    let revoked = revoke_organization_invitation(&client, &org, &invitation.id)
        .await
        .unwrap();
    assert_eq!(revoked.status.as_deref(), Some("revoked"));
    assert_eq!(
        refusal(revoke_organization_invitation(&client, &org, &invitation.id).await),
        refused(400, "invitation_already_revoked", None)
    );
    assert_eq!(
        get_organization_invitation(&client, &org, &invitation.id)
            .await
            .unwrap()
            .status
            .as_deref(),
        Some("revoked")
    );
    invite_to_organization(&client, &org, "dan@acme.test", "org:member", None)
        .await
        .unwrap();
    let other = fake.seed_organization(json!({"name": "Other"}));
    assert_eq!(
        refusal(get_organization_invitation(&client, &other, &invitation.id).await).status,
        404
    );
}

#[tokio::test]
async fn accepting_an_organization_invitation_makes_a_member_with_its_role() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let org = fake.seed_organization(json!({"name": "Acme"}));
    let invitation = fake.seed_organization_invitation(
        &org,
        json!({"email_address": "carol@acme.test", "role": "org:admin", "public_metadata": {"desk": 7}}),
    );
    let carol = fake.seed_user(json!({"email_address": ["carol@acme.test"]}));
    fake.accept_organization_invitation(&invitation, &carol);
    let membership = fake.membership(&org, &carol).unwrap();
    assert_eq!(
        (
            membership["role"].clone(),
            membership["public_metadata"].clone()
        ),
        (json!("org:admin"), json!({"desk": 7}))
    );
    assert_eq!(
        get_organization_invitation(&client, &org, &invitation)
            .await
            .unwrap()
            .status
            .as_deref(),
        Some("accepted")
    );
}
