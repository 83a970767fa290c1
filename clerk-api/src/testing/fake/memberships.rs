//! Organization memberships: create (one per user and organization, within the
//! organization's `max_allowed_memberships`), list with the member filters, role
//! update, metadata merge, delete; and the lists by user and for the whole instance.

use super::call::{Body, Call};
use super::error::{Failure, Outcome};
use super::list::{paginated, OrderBy, SortKey};
use super::metadata::deep_merge;
use super::organization_invitations;
use super::organizations::{self, organization_json, Extras};
use super::state::{Instance, Origin};
use super::users::{self, UserFilter, DEFAULT_IMAGE_URL};
use serde_json::{json, Map, Value};

#[derive(Debug, Clone)]
pub(crate) struct MembershipRecord {
    pub id: String,
    pub seq: u64,
    pub organization_id: String,
    pub user_id: String,
    pub role: String,
    pub public_metadata: Map<String, Value>,
    pub private_metadata: Map<String, Value>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A membership as the API answers it (`OrganizationMembership`).
pub(crate) fn membership_json(inst: &Instance, m: &MembershipRecord) -> Value {
    let role = inst.role(&m.role);
    let user = inst.users.get(&m.user_id);
    let organization = inst
        .organizations
        .get(&m.organization_id)
        .map(|org| organization_json(inst, org, Extras::default()));
    json!({
        "object": "organization_membership",
        "id": m.id,
        "role": m.role,
        "role_name": role.map_or(m.role.as_str(), |r| r.name.as_str()),
        "permissions": role.map(|r| r.permissions.clone()).unwrap_or_default(),
        "public_metadata": m.public_metadata,
        "private_metadata": m.private_metadata,
        "organization": organization,
        "public_user_data": {
            "user_id": m.user_id,
            "first_name": user.and_then(|u| u.first_name.clone()),
            "last_name": user.and_then(|u| u.last_name.clone()),
            "profile_image_url": DEFAULT_IMAGE_URL,
            "image_url": DEFAULT_IMAGE_URL,
            "has_image": false,
            "identifier": user.and_then(|u| u.identifier()),
            "username": user.and_then(|u| u.username.clone()),
            "banned": user.is_some_and(|u| u.banned),
        },
        "created_at": m.created_at,
        "updated_at": m.updated_at,
    })
}

pub(crate) fn find<'a>(
    inst: &'a Instance,
    organization_id: &str,
    user_id: &str,
) -> Option<&'a MembershipRecord> {
    inst.memberships
        .values()
        .find(|m| m.organization_id == organization_id && m.user_id == user_id)
}

fn find_id(inst: &Instance, organization_id: &str, user_id: &str) -> Outcome<String> {
    find(inst, organization_id, user_id)
        .map(|m| m.id.clone())
        .ok_or_else(|| {
            Failure::new(
                404,
                "resource_not_found",
                "not found",
                format!("User {user_id} is not a member of organization {organization_id}."),
            )
        })
}

/// Records a membership under `id` (checks done by the caller).
pub(crate) fn insert(
    inst: &mut Instance,
    id: String,
    organization_id: &str,
    user_id: &str,
    role: &str,
    public_metadata: Map<String, Value>,
    private_metadata: Map<String, Value>,
) -> String {
    let now = inst.clock.now();
    let seq = inst.next_seq();
    inst.memberships.insert(
        id.clone(),
        MembershipRecord {
            id: id.clone(),
            seq,
            organization_id: organization_id.to_owned(),
            user_id: user_id.to_owned(),
            role: role.to_owned(),
            public_metadata,
            private_metadata,
            created_at: now,
            updated_at: now,
        },
    );
    id
}

/// 403 `organization_membership_quota_exceeded` when one more member would pass the
/// organization's limit, pending invitations counted (a limit of 0 is no limit).
pub(crate) fn check_quota(inst: &Instance, organization_id: &str) -> Outcome<()> {
    let limit = inst.organizations[organization_id].max_allowed_memberships;
    let held = organizations::members_count(inst, organization_id)
        + organization_invitations::pending_count(inst, organization_id);
    if limit > 0 && held as i64 >= limit {
        return Err(Failure::new(
            403,
            "organization_membership_quota_exceeded",
            "membership quota exceeded",
            format!(
                "The organization allows {limit} memberships, pending invitations included, and has {held}."
            ),
        ));
    }
    Ok(())
}

/// 400 `already_a_member_in_organization`.
pub(crate) fn already_member(user_id: &str) -> Failure {
    Failure::new(
        400,
        "already_a_member_in_organization",
        "already a member",
        format!("User {user_id} is already a member of the organization."),
    )
}

/// `POST /organizations/{organization_id}/memberships`, and seeding.
pub(crate) fn create(
    inst: &mut Instance,
    organization_id: &str,
    body: &Body<'_>,
    origin: Origin,
) -> Outcome<Value> {
    let organization_id = organizations::find(inst, organization_id)?.id.clone();
    let user_id = body.required_string("user_id")?;
    let role = body.required_string("role")?;
    users::find(inst, &user_id)?;
    inst.known_role(&role)?;
    if find(inst, &organization_id, &user_id).is_some() {
        return Err(already_member(&user_id));
    }
    check_quota(inst, &organization_id)?;
    let public = body.object("public_metadata")?.unwrap_or_default();
    let private = body.object("private_metadata")?.unwrap_or_default();
    let id = inst.id_for(origin, body.string("id")?, "orgmem")?;
    let id = insert(inst, id, &organization_id, &user_id, &role, public, private);
    Ok(membership_json(inst, &inst.memberships[&id]))
}

const ORDER_FIELDS: &[&str] = &[
    "created_at",
    "email_address",
    "first_name",
    "last_name",
    "phone_number",
    "username",
];

fn sort_key(inst: &Instance, m: &MembershipRecord, field: &str) -> SortKey {
    match (field, inst.users.get(&m.user_id)) {
        ("created_at", _) => SortKey::number(Some(m.created_at)),
        (field, Some(user)) => users::sort_key(user, field),
        (_, None) => SortKey::Missing,
    }
}

/// Sorts `memberships` by `order_by` (default: newest first) and answers one page.
fn answer_page(
    inst: &Instance,
    call: &Call<'_>,
    mut memberships: Vec<&MembershipRecord>,
) -> Outcome<Value> {
    let page = call.page()?;
    let order = OrderBy::parse(call.query("order_by"), "-created_at", ORDER_FIELDS)?;
    order.sort(&mut memberships, |m, f| sort_key(inst, m, f), |m| m.seq);
    let all = memberships
        .into_iter()
        .map(|m| membership_json(inst, m))
        .collect();
    Ok(paginated(all, page))
}

/// `GET /organizations/{organization_id}/memberships`: the user filters apply to the
/// members.
pub(crate) fn list(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let organization_id = organizations::find(inst, call.param(0))?.id.clone();
    let members = UserFilter::from_call(call)?;
    let roles = call.query_all("role");
    let inst = &*inst;
    let memberships = inst
        .memberships
        .values()
        .filter(|m| m.organization_id == organization_id)
        .filter(|m| roles.is_empty() || roles.contains(&m.role.as_str()))
        .filter(|m| {
            inst.users
                .get(&m.user_id)
                .is_some_and(|u| members.admits(inst, u))
        })
        .collect();
    answer_page(inst, call, memberships)
}

/// `GET /organization_memberships`: every membership of the instance.
pub(crate) fn list_all(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let memberships = inst.memberships.values().collect();
    answer_page(inst, call, memberships)
}

/// `GET /users/{user_id}/organization_memberships`.
pub(crate) fn list_for_user(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let user_id = users::find(inst, call.param(0))?.id.clone();
    let memberships = inst
        .memberships
        .values()
        .filter(|m| m.user_id == user_id)
        .collect();
    answer_page(inst, call, memberships)
}

/// The membership of the path (`{organization_id}`, `{user_id}`), changed by `change`.
fn change(
    inst: &mut Instance,
    call: &Call<'_>,
    change: impl FnOnce(&mut MembershipRecord),
) -> Outcome<Value> {
    let organization_id = organizations::find(inst, call.param(0))?.id.clone();
    let id = find_id(inst, &organization_id, call.param(1))?;
    let now = inst.clock.now();
    let membership = inst.memberships.get_mut(&id).expect("found above");
    change(membership);
    membership.updated_at = now;
    Ok(membership_json(inst, &inst.memberships[&id]))
}

/// `PATCH /organizations/{organization_id}/memberships/{user_id}`: a new role.
pub(crate) fn update(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let role = call.body().required_string("role")?;
    inst.known_role(&role)?;
    change(inst, call, |m| m.role = role)
}

/// `PATCH .../memberships/{user_id}/metadata`: a deep merge.
pub(crate) fn merge_metadata(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let body = call.body();
    let public = body.object("public_metadata")?;
    let private = body.object("private_metadata")?;
    change(inst, call, |m| {
        if let Some(patch) = public {
            deep_merge(&mut m.public_metadata, patch);
        }
        if let Some(patch) = private {
            deep_merge(&mut m.private_metadata, patch);
        }
    })
}

/// `DELETE /organizations/{organization_id}/memberships/{user_id}`: answers the
/// membership as it was.
pub(crate) fn delete(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let organization_id = organizations::find(inst, call.param(0))?.id.clone();
    let id = find_id(inst, &organization_id, call.param(1))?;
    let answer = membership_json(inst, &inst.memberships[&id]);
    inst.memberships.remove(&id);
    Ok(answer)
}
