//! The application under test, written as a user of the crate writes it: it knows only
//! `clerk_api::Client` (and `clerk_api::auth` for its admin page).

use clerk_api::models::{
    CreateOrganizationDomainRequest, CreateOrganizationMembershipRequest,
    CreateOrganizationRequest, Organization, OrganizationDomain, UpdateOrganizationDomainRequest,
    UpdateUserMetadataRequest,
};
use clerk_api::{Client, Error};
use serde_json::{json, Value};

/// The sign-up hook: a new user gets an organization of their own, as its admin, and
/// their public metadata names it. A redelivered event finds the organization already
/// there and changes nothing.
pub async fn on_sign_up(
    client: &Client,
    user_id: &str,
    company: &str,
) -> Result<Organization, Error> {
    let user = client.get_user(user_id).await?;
    if let Some(existing) = user
        .public_metadata
        .get("organization_id")
        .and_then(Value::as_str)
    {
        return client.get_organization(existing).await;
    }
    let organization = client
        .create_organization(&CreateOrganizationRequest::new(company.to_owned()))
        .await?;
    let admin =
        CreateOrganizationMembershipRequest::new(user_id.to_owned(), "org:admin".to_owned());
    client
        .create_organization_membership(&organization.id, &admin)
        .await?;
    let mut metadata = UpdateUserMetadataRequest::default();
    metadata.public_metadata = json!({"organization_id": organization.id})
        .as_object()
        .cloned();
    client.update_user_metadata(user_id).body(&metadata).await?;
    Ok(organization)
}

/// The domain job: attaches `domain` to the organization for automatic invitations,
/// marks its ownership verified and its affiliation verified. Safe to run again.
pub async fn attach_domain(
    client: &Client,
    organization_id: &str,
    domain: &str,
) -> Result<OrganizationDomain, Error> {
    let attached = client
        .list_organization_domains(organization_id)
        .await?
        .data
        .into_iter()
        .find(|d| d.name == domain);
    let mut current = match attached {
        Some(current) => current,
        None => {
            let mut body = CreateOrganizationDomainRequest::default();
            body.name = Some(domain.to_owned());
            body.enrollment_mode = Some("automatic_invitation".to_owned());
            body.verified = false.into();
            client
                .create_organization_domain(organization_id, &body)
                .await?
        }
    };
    let verified = |v: &Option<clerk_api::models::OrganizationDomainVerification>| {
        v.as_ref().is_some_and(|v| v.status == "verified")
    };
    if !verified(&current.ownership_verification) {
        current = client
            .verify_organization_domain_ownership(organization_id, &current.id)
            .await?;
    }
    if !verified(&current.affiliation_verification)
        || current.enrollment_mode.to_string() != "automatic_invitation"
    {
        let mut body = UpdateOrganizationDomainRequest::default();
        body.verified = true.into();
        body.enrollment_mode = "automatic_invitation".to_owned().into();
        current = client
            .update_organization_domain(organization_id, &current.id, &body)
            .await?;
    }
    Ok(current)
}

/// The member admin page: `GET /orgs/{org}/members`, `PUT .../members/{user}/role`
/// (the body is the new role), `DELETE .../members/{user}`. Only a signed-in member of
/// that organization, as the active one, may call it: reading needs
/// `org:sys_memberships:read`, changing `org:sys_memberships:manage`.
#[cfg(all(feature = "auth", feature = "axum"))]
pub mod admin {
    use axum::extract::{Path, State};
    use axum::http::{header, StatusCode};
    use axum::routing::{delete, get, put};
    use axum::Router;
    use clerk_api::auth::{AuthLayer, Claims, Verifier};
    use clerk_api::models::UpdateOrganizationMembershipRequest;
    use clerk_api::organization_memberships::ListOrganizationMembershipsParams;
    use clerk_api::Client;
    use serde_json::json;

    type Answer = Result<([(header::HeaderName, &'static str); 1], String), StatusCode>;

    pub fn router(client: Client) -> Router {
        let verifier = Verifier::with_jwks(client.clone()).build();
        Router::new()
            .route("/orgs/{org}/members", get(members))
            .route("/orgs/{org}/members/{user}/role", put(change_role))
            .route("/orgs/{org}/members/{user}", delete(remove))
            .with_state(client)
            .layer(AuthLayer::new(verifier))
    }

    /// 403 unless `org` is the session's active organization and it grants `permission`.
    fn allow(claims: &Claims, org: &str, permission: &str) -> Result<(), StatusCode> {
        let active = claims.organization.as_ref().map(|o| o.id.as_str());
        if active == Some(org) && claims.has_permission(permission) {
            Ok(())
        } else {
            Err(StatusCode::FORBIDDEN)
        }
    }

    fn upstream(error: clerk_api::Error) -> StatusCode {
        match error.status().map(|s| s.as_u16()) {
            Some(404) => StatusCode::NOT_FOUND,
            _ => StatusCode::BAD_GATEWAY,
        }
    }

    fn json_answer(value: serde_json::Value) -> Answer {
        Ok((
            [(header::CONTENT_TYPE, "application/json")],
            value.to_string(),
        ))
    }

    /// Every member (all pages), oldest first: `[{"user_id", "name", "role"}]`.
    async fn members(
        State(client): State<Client>,
        Path(org): Path<String>,
        claims: Claims,
    ) -> Answer {
        allow(&claims, &org, "org:sys_memberships:read")?;
        let mut params = ListOrganizationMembershipsParams::default();
        params.order_by = Some("+created_at".to_owned());
        params.limit = Some(2);
        let mut rows = Vec::new();
        loop {
            params.offset = Some(rows.len() as i64);
            let page = client
                .list_organization_memberships(&org)
                .params(params.clone())
                .await
                .map_err(upstream)?;
            for membership in &page.data {
                let user = membership.public_user_data.as_ref();
                let name = user.map(|u| {
                    [u.first_name.as_deref(), u.last_name.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ")
                });
                rows.push(json!({
                    "user_id": user.map(|u| u.user_id.clone()),
                    "name": name,
                    "role": membership.role,
                }));
            }
            if page.data.is_empty() || rows.len() as i64 >= page.total_count {
                break;
            }
        }
        json_answer(json!(rows))
    }

    async fn change_role(
        State(client): State<Client>,
        Path((org, user)): Path<(String, String)>,
        claims: Claims,
        role: String,
    ) -> Answer {
        allow(&claims, &org, "org:sys_memberships:manage")?;
        let body = UpdateOrganizationMembershipRequest::new(role);
        let updated = client
            .update_organization_membership(&org, &user, &body)
            .await
            .map_err(upstream)?;
        json_answer(json!({"user_id": user, "role": updated.role}))
    }

    async fn remove(
        State(client): State<Client>,
        Path((org, user)): Path<(String, String)>,
        claims: Claims,
    ) -> Answer {
        allow(&claims, &org, "org:sys_memberships:manage")?;
        if claims.sub == user {
            // An admin does not remove themself from this page.
            return Err(StatusCode::CONFLICT);
        }
        client
            .delete_organization_membership(&org, &user)
            .await
            .map_err(upstream)?;
        json_answer(json!({"removed": user}))
    }
}
