//! The operations the fake models: method, path (as the spec writes it), Clerk's
//! operationId and the handler. A request that matches no route is not modelled.

use super::call::Call;
use super::error::Outcome;
use super::state::{Instance, Origin};
use super::{domains, invitations, jwks, memberships};
use super::{organization_invitations as org_invitations, organizations, users};
use crate::testing::rule::PathTemplate;
use reqwest::Method;
use serde_json::Value;
use std::sync::OnceLock;

pub(crate) type Handler = fn(&mut Instance, &Call<'_>) -> Outcome<Value>;

pub(crate) struct Route {
    pub method: Method,
    pub path: &'static str,
    pub operation_id: &'static str,
    pub handler: Handler,
}

/// Create handlers take their parent from the path; these adapt them to requests.
fn create_user(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    users::create(inst, &call.body(), Origin::Api)
}

fn create_organization(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    organizations::create(inst, &call.body(), Origin::Api)
}

fn create_membership(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    memberships::create(inst, call.param(0), &call.body(), Origin::Api)
}

fn create_domain(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    domains::create(inst, call.param(0), &call.body(), Origin::Api)
}

fn create_invitation(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    invitations::create(inst, &call.body(), Origin::Api)
}

fn create_org_invitation(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    org_invitations::create(inst, call.param(0), &call.body(), Origin::Api)
}

macro_rules! routes {
    ($($method:ident $path:literal $operation:literal => $handler:path;)*) => {
        &[$(Route {
            method: Method::$method,
            path: $path,
            operation_id: $operation,
            handler: $handler,
        }),*]
    };
}

/// Literal paths come before templated ones they overlap (`/users/count` before
/// `/users/{user_id}`): the first route that matches answers.
pub(crate) static ROUTES: &[Route] = routes! {
    GET "/jwks" "GetJWKS" => jwks::get;

    GET "/users" "GetUserList" => users::list;
    POST "/users" "CreateUser" => create_user;
    GET "/users/count" "GetUsersCount" => users::count;
    GET "/users/{user_id}" "GetUser" => users::get;
    PATCH "/users/{user_id}" "UpdateUser" => users::update;
    DELETE "/users/{user_id}" "DeleteUser" => users::delete;
    POST "/users/{user_id}/ban" "BanUser" => users::ban;
    POST "/users/{user_id}/unban" "UnbanUser" => users::unban;
    POST "/users/{user_id}/lock" "LockUser" => users::lock;
    POST "/users/{user_id}/unlock" "UnlockUser" => users::unlock;
    PATCH "/users/{user_id}/metadata" "UpdateUserMetadata" => users::merge_metadata;
    PUT "/users/{user_id}/metadata" "ReplaceUserMetadata" => users::replace_metadata;
    GET "/users/{user_id}/organization_memberships" "UsersGetOrganizationMemberships" => memberships::list_for_user;
    GET "/users/{user_id}/organization_invitations" "UsersGetOrganizationInvitations" => org_invitations::list_for_user;

    GET "/organizations" "ListOrganizations" => organizations::list;
    POST "/organizations" "CreateOrganization" => create_organization;
    GET "/organizations/{organization_id}" "GetOrganization" => organizations::get;
    PATCH "/organizations/{organization_id}" "UpdateOrganization" => organizations::update;
    DELETE "/organizations/{organization_id}" "DeleteOrganization" => organizations::delete;
    PATCH "/organizations/{organization_id}/metadata" "MergeOrganizationMetadata" => organizations::merge_metadata;
    PUT "/organizations/{organization_id}/metadata" "ReplaceOrganizationMetadata" => organizations::replace_metadata;

    GET "/organization_memberships" "InstanceGetOrganizationMemberships" => memberships::list_all;
    POST "/organizations/{organization_id}/memberships" "CreateOrganizationMembership" => create_membership;
    GET "/organizations/{organization_id}/memberships" "ListOrganizationMemberships" => memberships::list;
    PATCH "/organizations/{organization_id}/memberships/{user_id}" "UpdateOrganizationMembership" => memberships::update;
    DELETE "/organizations/{organization_id}/memberships/{user_id}" "DeleteOrganizationMembership" => memberships::delete;
    PATCH "/organizations/{organization_id}/memberships/{user_id}/metadata" "UpdateOrganizationMembershipMetadata" => memberships::merge_metadata;

    GET "/organization_domains" "ListAllOrganizationDomains" => domains::list_all;
    POST "/organizations/{organization_id}/domains" "CreateOrganizationDomain" => create_domain;
    GET "/organizations/{organization_id}/domains" "ListOrganizationDomains" => domains::list;
    PATCH "/organizations/{organization_id}/domains/{domain_id}" "UpdateOrganizationDomain" => domains::update;
    DELETE "/organizations/{organization_id}/domains/{domain_id}" "DeleteOrganizationDomain" => domains::delete;
    POST "/organizations/{organization_id}/domains/{domain_id}/verify_ownership" "VerifyOrganizationDomainOwnership" => domains::verify_ownership;

    POST "/invitations" "CreateInvitation" => create_invitation;
    GET "/invitations" "ListInvitations" => invitations::list;
    POST "/invitations/{invitation_id}/revoke" "RevokeInvitation" => invitations::revoke;

    GET "/organization_invitations" "ListInstanceOrganizationInvitations" => org_invitations::list_all;
    POST "/organizations/{organization_id}/invitations" "CreateOrganizationInvitation" => create_org_invitation;
    GET "/organizations/{organization_id}/invitations" "ListOrganizationInvitations" => org_invitations::list;
    GET "/organizations/{organization_id}/invitations/pending" "ListPendingOrganizationInvitations" => org_invitations::list_pending;
    GET "/organizations/{organization_id}/invitations/{invitation_id}" "GetOrganizationInvitation" => org_invitations::get;
    POST "/organizations/{organization_id}/invitations/{invitation_id}/revoke" "RevokeOrganizationInvitation" => org_invitations::revoke;
};

/// The route of `method` `path`, with the path's parameter values.
pub(crate) fn route(method: &Method, path: &str) -> Option<(&'static Route, Vec<String>)> {
    static TEMPLATES: OnceLock<Vec<PathTemplate>> = OnceLock::new();
    let templates =
        TEMPLATES.get_or_init(|| ROUTES.iter().map(|r| PathTemplate::parse(r.path)).collect());
    ROUTES
        .iter()
        .zip(templates)
        .filter(|(route, _)| route.method == *method)
        .find_map(|(route, template)| template.captures(path).map(|params| (route, params)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_segments_win_over_parameters() {
        let (count, params) = route(&Method::GET, "/users/count").unwrap();
        assert_eq!((count.operation_id, params.len()), ("GetUsersCount", 0));
        let (get, params) = route(&Method::GET, "/users/user_1").unwrap();
        assert_eq!(
            (get.operation_id, params),
            ("GetUser", vec!["user_1".to_owned()])
        );
        let (pending, _) = route(&Method::GET, "/organizations/org_1/invitations/pending").unwrap();
        assert_eq!(pending.operation_id, "ListPendingOrganizationInvitations");
        assert!(route(&Method::PUT, "/users/user_1").is_none());
        assert!(route(&Method::GET, "/sessions").is_none());
    }

    #[test]
    fn every_operation_has_one_route() {
        let mut ids: Vec<&str> = ROUTES.iter().map(|r| r.operation_id).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len());
    }
}
