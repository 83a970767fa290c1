//! Every call the fake's tests make through the generated client, one function per
//! operation (so a change of the generated call shape is made here only). Bodies are
//! built from the few fields the tests set; list parameters are passed whole.

#![allow(deprecated)] // ListPendingOrganizationInvitations is deprecated by Clerk

use clerk_api::invitations::ListInvitationsParams;
use clerk_api::models::*;
use clerk_api::organization_domains::{
    ListAllOrganizationDomainsParams, ListOrganizationDomainsParams,
};
use clerk_api::organization_invitations::ListOrganizationInvitationsParams;
use clerk_api::organization_memberships::ListOrganizationMembershipsParams;
use clerk_api::organizations::{GetOrganizationParams, ListOrganizationsParams};
use clerk_api::users::{GetUserListParams, GetUsersCountParams};
use clerk_api::{Client, Error};
use serde_json::{Map, Value};

type Result<T> = std::result::Result<T, Error>;

/// A JSON object literal as a metadata map.
pub fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(fields) => fields,
        other => panic!("not an object: {other}"),
    }
}

pub async fn get_jwks(client: &Client) -> Result<Jwks> {
    client.get_jwks().await
}

// ---- users ----

/// A user with these email addresses (the first primary) and first name.
pub async fn create_user(
    client: &Client,
    emails: &[&str],
    first_name: Option<&str>,
) -> Result<User> {
    let mut body = CreateUserRequest::default();
    body.email_address = Some(emails.iter().map(|e| (*e).to_owned()).collect());
    if let Some(name) = first_name {
        body.first_name = name.to_owned().into();
    }
    client.create_user(&body).await
}

/// A user from a full body, for the cases the other helper does not cover.
pub async fn create_user_with(client: &Client, body: &CreateUserRequest) -> Result<User> {
    client.create_user(body).await
}

pub async fn get_user(client: &Client, user_id: &str) -> Result<User> {
    client.get_user(user_id).await
}

pub async fn list_users(client: &Client, params: &GetUserListParams) -> Result<Vec<User>> {
    client.get_user_list().params(params.clone()).await
}

pub async fn count_users(client: &Client, params: &GetUsersCountParams) -> Result<i64> {
    Ok(client
        .get_users_count()
        .params(params.clone())
        .await?
        .total_count)
}

pub async fn update_user(client: &Client, user_id: &str, body: &UpdateUserRequest) -> Result<User> {
    client.update_user(user_id, body).await
}

pub async fn merge_user_metadata(
    client: &Client,
    user_id: &str,
    public: Value,
    private: Value,
) -> Result<User> {
    let mut body = UpdateUserMetadataRequest::default();
    body.public_metadata = Some(object(public));
    body.private_metadata = Some(object(private));
    client.update_user_metadata(user_id).body(&body).await
}

pub async fn replace_user_metadata(client: &Client, user_id: &str, public: Value) -> Result<User> {
    let mut body = ReplaceUserMetadataRequest::default();
    body.public_metadata = Some(object(public));
    client.replace_user_metadata(user_id).body(&body).await
}

pub async fn delete_user(client: &Client, user_id: &str) -> Result<DeletedObject> {
    client.delete_user(user_id).await
}

pub async fn ban_user(client: &Client, user_id: &str) -> Result<User> {
    client.ban_user(user_id).await
}

pub async fn unban_user(client: &Client, user_id: &str) -> Result<User> {
    client.unban_user(user_id).await
}

pub async fn lock_user(client: &Client, user_id: &str) -> Result<User> {
    client.lock_user(user_id).await
}

pub async fn unlock_user(client: &Client, user_id: &str) -> Result<User> {
    client.unlock_user(user_id).await
}

pub async fn user_memberships(client: &Client, user_id: &str) -> Result<OrganizationMemberships> {
    client.users_get_organization_memberships(user_id).await
}

pub async fn user_invitations(
    client: &Client,
    user_id: &str,
) -> Result<OrganizationInvitationsWithPublicOrganizationData> {
    client.users_get_organization_invitations(user_id).await
}

// ---- organizations ----

/// An organization named `name`, with a slug, a creator and a membership limit when given.
pub async fn create_organization(
    client: &Client,
    name: &str,
    slug: Option<&str>,
    created_by: Option<&str>,
    max_allowed_memberships: Option<i64>,
) -> Result<Organization> {
    let mut body = CreateOrganizationRequest::new(name.to_owned());
    if let Some(slug) = slug {
        body.slug = slug.to_owned().into();
    }
    if let Some(creator) = created_by {
        body.created_by = creator.to_owned().into();
    }
    if let Some(limit) = max_allowed_memberships {
        body.max_allowed_memberships = limit.into();
    }
    client.create_organization(&body).await
}

/// By id or slug, with `include_members_count`.
pub async fn get_organization(client: &Client, id_or_slug: &str) -> Result<Organization> {
    let mut params = GetOrganizationParams::default();
    params.include_members_count = Some(true);
    params.include_missing_member_with_elevated_permissions = Some(true);
    client.get_organization(id_or_slug).params(params).await
}

pub async fn list_organizations(
    client: &Client,
    params: &ListOrganizationsParams,
) -> Result<Organizations> {
    client.list_organizations().params(params.clone()).await
}

pub async fn update_organization(
    client: &Client,
    organization_id: &str,
    body: &UpdateOrganizationRequest,
) -> Result<Organization> {
    client.update_organization(organization_id, body).await
}

pub async fn merge_organization_metadata(
    client: &Client,
    organization_id: &str,
    public: Value,
) -> Result<Organization> {
    let mut body = MergeOrganizationMetadataRequest::default();
    body.public_metadata = Some(object(public));
    client
        .merge_organization_metadata(organization_id, &body)
        .await
}

pub async fn replace_organization_metadata(
    client: &Client,
    organization_id: &str,
    private: Value,
) -> Result<Organization> {
    let mut body = ReplaceOrganizationMetadataRequest::default();
    body.private_metadata = Some(object(private));
    client
        .replace_organization_metadata(organization_id, &body)
        .await
}

pub async fn delete_organization(client: &Client, organization_id: &str) -> Result<DeletedObject> {
    client.delete_organization(organization_id).await
}

// ---- memberships ----

pub async fn add_member(
    client: &Client,
    organization_id: &str,
    user_id: &str,
    role: &str,
) -> Result<OrganizationMembership> {
    let body = CreateOrganizationMembershipRequest::new(user_id.to_owned(), role.to_owned());
    client
        .create_organization_membership(organization_id, &body)
        .await
}

pub async fn list_members(
    client: &Client,
    organization_id: &str,
    params: &ListOrganizationMembershipsParams,
) -> Result<OrganizationMemberships> {
    client
        .list_organization_memberships(organization_id)
        .params(params.clone())
        .await
}

pub async fn all_memberships(client: &Client) -> Result<OrganizationMemberships> {
    client.instance_get_organization_memberships().await
}

pub async fn change_role(
    client: &Client,
    organization_id: &str,
    user_id: &str,
    role: &str,
) -> Result<OrganizationMembership> {
    let body = UpdateOrganizationMembershipRequest::new(role.to_owned());
    client
        .update_organization_membership(organization_id, user_id, &body)
        .await
}

pub async fn merge_membership_metadata(
    client: &Client,
    organization_id: &str,
    user_id: &str,
    public: Value,
) -> Result<OrganizationMembership> {
    let mut body = UpdateOrganizationMembershipMetadataRequest::default();
    body.public_metadata = Some(object(public));
    client
        .update_organization_membership_metadata(organization_id, user_id, &body)
        .await
}

pub async fn remove_member(
    client: &Client,
    organization_id: &str,
    user_id: &str,
) -> Result<OrganizationMembership> {
    client
        .delete_organization_membership(organization_id, user_id)
        .await
}

// ---- domains ----

pub async fn add_domain(
    client: &Client,
    organization_id: &str,
    name: &str,
    enrollment_mode: Option<&str>,
    verified: Option<bool>,
) -> Result<OrganizationDomain> {
    let mut body = CreateOrganizationDomainRequest::default();
    body.name = Some(name.to_owned());
    body.enrollment_mode = enrollment_mode.map(str::to_owned);
    if let Some(verified) = verified {
        body.verified = verified.into();
    }
    client
        .create_organization_domain(organization_id, &body)
        .await
}

pub async fn list_domains(
    client: &Client,
    organization_id: &str,
    params: &ListOrganizationDomainsParams,
) -> Result<OrganizationDomains> {
    client
        .list_organization_domains(organization_id)
        .params(params.clone())
        .await
}

pub async fn all_domains(
    client: &Client,
    params: &ListAllOrganizationDomainsParams,
) -> Result<OrganizationDomains> {
    client
        .list_all_organization_domains()
        .params(params.clone())
        .await
}

pub async fn update_domain(
    client: &Client,
    organization_id: &str,
    domain_id: &str,
    enrollment_mode: Option<&str>,
    verified: Option<bool>,
) -> Result<OrganizationDomain> {
    let mut body = UpdateOrganizationDomainRequest::default();
    if let Some(mode) = enrollment_mode {
        body.enrollment_mode = mode.to_owned().into();
    }
    if let Some(verified) = verified {
        body.verified = verified.into();
    }
    client
        .update_organization_domain(organization_id, domain_id, &body)
        .await
}

pub async fn verify_domain_ownership(
    client: &Client,
    organization_id: &str,
    domain_id: &str,
) -> Result<OrganizationDomain> {
    client
        .verify_organization_domain_ownership(organization_id, domain_id)
        .await
}

pub async fn delete_domain(
    client: &Client,
    organization_id: &str,
    domain_id: &str,
) -> Result<DeletedObject> {
    client
        .delete_organization_domain(organization_id, domain_id)
        .await
}

// ---- invitations ----

pub async fn invite(
    client: &Client,
    email: &str,
    redirect_url: Option<&str>,
) -> Result<Invitation> {
    let mut body = CreateInvitationRequest::new(email.to_owned());
    body.redirect_url = redirect_url.map(str::to_owned);
    client.create_invitation().body(&body).await
}

pub async fn list_invitations(
    client: &Client,
    params: &ListInvitationsParams,
) -> Result<Vec<Invitation>> {
    client.list_invitations().params(params.clone()).await
}

pub async fn revoke_invitation(
    client: &Client,
    invitation_id: &str,
) -> Result<RevokeInvitationResponse> {
    client.revoke_invitation(invitation_id).await
}

pub async fn invite_to_organization(
    client: &Client,
    organization_id: &str,
    email: &str,
    role: &str,
    inviter: Option<&str>,
) -> Result<OrganizationInvitation> {
    let mut body = CreateOrganizationInvitationRequest::new(email.to_owned(), role.to_owned());
    if let Some(inviter) = inviter {
        body.inviter_user_id = inviter.to_owned().into();
    }
    client
        .create_organization_invitation(organization_id)
        .body(&body)
        .await
}

pub async fn list_organization_invitations(
    client: &Client,
    organization_id: &str,
    params: &ListOrganizationInvitationsParams,
) -> Result<OrganizationInvitations> {
    client
        .list_organization_invitations(organization_id)
        .params(params.clone())
        .await
}

pub async fn pending_organization_invitations(
    client: &Client,
    organization_id: &str,
) -> Result<OrganizationInvitations> {
    client
        .list_pending_organization_invitations(organization_id)
        .await
}

pub async fn all_organization_invitations(
    client: &Client,
) -> Result<OrganizationInvitationsWithPublicOrganizationData> {
    client.list_instance_organization_invitations().await
}

pub async fn get_organization_invitation(
    client: &Client,
    organization_id: &str,
    invitation_id: &str,
) -> Result<OrganizationInvitation> {
    client
        .get_organization_invitation(organization_id, invitation_id)
        .await
}

pub async fn revoke_organization_invitation(
    client: &Client,
    organization_id: &str,
    invitation_id: &str,
) -> Result<OrganizationInvitation> {
    client
        .revoke_organization_invitation(organization_id, invitation_id)
        .await
}

// ---- not modelled by the fake ----

pub async fn get_session(client: &Client, session_id: &str) -> Result<Session> {
    client.get_session(session_id).await
}

pub async fn verify_password(
    client: &Client,
    user_id: &str,
    password: &str,
) -> Result<Option<bool>> {
    let body = VerifyPasswordRequest::new(password.to_owned());
    Ok(client.verify_password(user_id).body(&body).await?.verified)
}
