//! Organization domains as Clerk keeps them: unique across the instance, no public
//! email providers, the four enrollment modes, verified unless said otherwise, the
//! ownership override, and enrollment: a new user on a verified `automatic_invitation`
//! domain is invited, on an `automatic_suggestion` one counted as a suggestion.

use super::ops::*;
use super::{refusal, refused};
use clerk_api::models::ListAllOrganizationDomainsEnrollmentModeItem;
use clerk_api::organization_domains::{
    ListAllOrganizationDomainsParams, ListOrganizationDomainsParams,
};
use clerk_api::testing::FakeClerk;
use serde_json::json;

#[tokio::test]
async fn domains_are_unique_not_public_providers_and_in_a_known_mode() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let acme = fake.seed_organization(json!({"name": "Acme"}));
    let other = fake.seed_organization(json!({"name": "Other"}));

    let domain = add_domain(&client, &acme, "Acme.Test", None, None)
        .await
        .unwrap();
    assert!(domain.id.starts_with("orgdmn_"));
    assert_eq!(domain.name, "acme.test");
    assert_eq!(domain.enrollment_mode.to_string(), "manual_invitation");
    assert_eq!(domain.affiliation_verification.unwrap().status, "verified");
    assert_eq!(domain.ownership_verification.unwrap().status, "unverified");

    assert_eq!(
        refusal(add_domain(&client, &other, "acme.test", None, None).await),
        refused(422, "organization_domain_already_exists", Some("name"))
    );
    assert_eq!(
        refusal(add_domain(&client, &other, "gmail.com", None, None).await),
        refused(422, "organization_domain_common", Some("name"))
    );
    assert_eq!(
        refusal(add_domain(&client, &other, "localhost", None, None).await),
        refused(422, "form_param_format_invalid", Some("name"))
    );
    assert_eq!(
        refusal(add_domain(&client, &other, "other.test", Some("whenever"), None).await),
        refused(422, "form_param_value_invalid", Some("enrollment_mode"))
    );
    assert_eq!(
        refusal(add_domain(&client, "org_gone", "x.test", None, None).await).status,
        404
    );
    assert_eq!(
        refusal(delete_domain(&client, &other, &domain.id).await).status,
        404
    );
}

#[tokio::test]
async fn domain_lists_filter_by_verification_and_mode() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let acme = fake.seed_organization(json!({"name": "Acme"}));
    let other = fake.seed_organization(json!({"name": "Other"}));
    fake.seed_domain(
        &acme,
        json!({"name": "acme.test", "enrollment_mode": "automatic_invitation"}),
    );
    fake.seed_domain(&acme, json!({"name": "acme-labs.test", "verified": false}));
    fake.seed_domain(
        &other,
        json!({"name": "other.test", "enrollment_mode": "automatic_suggestion"}),
    );
    let names = |page: clerk_api::models::OrganizationDomains| -> Vec<String> {
        page.data.into_iter().map(|d| d.name).collect()
    };

    assert_eq!(
        names(
            list_domains(&client, &acme, &Default::default())
                .await
                .unwrap()
        ),
        ["acme-labs.test", "acme.test"]
    );
    let mut params = ListOrganizationDomainsParams::default();
    params.verified = Some("false".into());
    assert_eq!(
        names(list_domains(&client, &acme, &params).await.unwrap()),
        ["acme-labs.test"]
    );
    let mut params = ListOrganizationDomainsParams::default();
    params.enrollment_mode = Some("automatic_invitation".into());
    assert_eq!(
        names(list_domains(&client, &acme, &params).await.unwrap()),
        ["acme.test"]
    );

    let mut params = ListAllOrganizationDomainsParams::default();
    params.order_by = Some("name".into());
    assert_eq!(
        names(all_domains(&client, &params).await.unwrap()),
        ["acme-labs.test", "acme.test", "other.test"]
    );
    params.enrollment_mode =
        vec![ListAllOrganizationDomainsEnrollmentModeItem::MinusManualInvitation];
    assert_eq!(
        names(all_domains(&client, &params).await.unwrap()),
        ["acme.test", "other.test"]
    );
}

#[tokio::test]
async fn verifying_a_domain_and_enrolling_new_users_by_their_address() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let acme = fake.seed_organization(json!({"name": "Acme"}));
    let domain = add_domain(
        &client,
        &acme,
        "acme.test",
        Some("automatic_invitation"),
        Some(false),
    )
    .await
    .unwrap();
    assert_eq!(
        domain.affiliation_verification.as_ref().unwrap().status,
        "unverified"
    );

    // Unverified: no enrollment.
    create_user(&client, &["early@acme.test"], None)
        .await
        .unwrap();
    assert!(fake.organization_invitations(&acme).is_empty());

    let owned = verify_domain_ownership(&client, &acme, &domain.id)
        .await
        .unwrap();
    let ownership = owned.ownership_verification.unwrap();
    assert_eq!(ownership.status, "verified");
    let verified_at = ownership.verified_at.unwrap();
    // Again: nothing changes.
    let again = verify_domain_ownership(&client, &acme, &domain.id)
        .await
        .unwrap();
    assert_eq!(
        again.ownership_verification.unwrap().verified_at,
        Some(verified_at)
    );
    update_domain(&client, &acme, &domain.id, None, Some(true))
        .await
        .unwrap();

    let ada = create_user(&client, &["ada@ACME.test"], None)
        .await
        .unwrap();
    let invited = user_invitations(&client, &ada.id).await.unwrap();
    assert_eq!(invited.total_count, 1);
    let invitation = &invited.data[0];
    assert_eq!(
        (invitation.status.as_deref(), invitation.role.as_str()),
        (Some("pending"), "org:member")
    );
    assert_eq!(invitation.email_address, "ada@acme.test");
    let listed = list_domains(&client, &acme, &Default::default())
        .await
        .unwrap();
    assert_eq!(listed.data[0].total_pending_invitations, 1);

    update_domain(
        &client,
        &acme,
        &domain.id,
        Some("automatic_suggestion"),
        None,
    )
    .await
    .unwrap();
    create_user(&client, &["bob@acme.test"], None)
        .await
        .unwrap();
    let listed = list_domains(&client, &acme, &Default::default())
        .await
        .unwrap();
    assert_eq!(
        (
            listed.data[0].total_pending_invitations,
            listed.data[0].total_pending_suggestions
        ),
        (1, 1)
    );

    let deleted = delete_domain(&client, &acme, &domain.id).await.unwrap();
    assert_eq!(
        (deleted.object.as_str(), deleted.deleted),
        ("organization_domain", true)
    );
    assert!(fake.domains(&acme).is_empty());
}
