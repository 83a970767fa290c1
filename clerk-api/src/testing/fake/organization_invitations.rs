//! Organization invitations: create (within the membership limit, one pending per
//! address, none for a member), list, get, revoke; the instance-wide and per-user lists
//! carry the organization's public data.

use super::call::{Body, Call};
use super::error::{Failure, Outcome};
use super::invitations::{expiry, not_revocable, ticket_url, Status};
use super::list::{contains_ci, paginated, OrderBy, SortKey};
use super::memberships::{self, already_member, check_quota};
use super::organizations;
use super::state::{Instance, Origin};
use super::time::wall_ms;
use super::users::{self, check_email, DEFAULT_IMAGE_URL};
use serde_json::{json, Map, Value};

#[derive(Debug, Clone)]
pub(crate) struct OrganizationInvitationRecord {
    pub id: String,
    pub seq: u64,
    pub organization_id: String,
    pub email_address: String,
    pub role: String,
    pub inviter_id: Option<String>,
    pub public_metadata: Map<String, Value>,
    pub private_metadata: Map<String, Value>,
    pub status: Status,
    pub url: Option<String>,
    pub expires_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl OrganizationInvitationRecord {
    fn status(&self) -> &'static str {
        self.status.at(self.expires_at, wall_ms())
    }
}

/// An organization's invitations that are pending now.
pub(crate) fn pending<'a>(
    inst: &'a Instance,
    organization_id: &'a str,
) -> impl Iterator<Item = &'a OrganizationInvitationRecord> + 'a {
    let now = wall_ms();
    inst.organization_invitations.values().filter(move |i| {
        i.organization_id == organization_id && i.status.at(i.expires_at, now) == "pending"
    })
}

pub(crate) fn pending_count(inst: &Instance, organization_id: &str) -> usize {
    pending(inst, organization_id).count()
}

/// An invitation as the API answers it (`OrganizationInvitation`), with the
/// organization's public data when `with_organization`.
pub(crate) fn invitation_json(
    inst: &Instance,
    i: &OrganizationInvitationRecord,
    with_organization: bool,
) -> Value {
    let inviter = i
        .inviter_id
        .as_deref()
        .and_then(|id| inst.users.get(id))
        .map_or(Value::Null, |u| {
            json!({"user_id": u.id, "first_name": u.first_name, "last_name": u.last_name,
                   "image_url": DEFAULT_IMAGE_URL, "has_image": false,
                   "identifier": u.identifier().unwrap_or_default()})
        });
    let mut value = json!({
        "object": "organization_invitation",
        "id": i.id,
        "email_address": i.email_address,
        "role": i.role,
        "role_name": inst.role(&i.role).map_or(i.role.as_str(), |r| r.name.as_str()),
        "organization_id": i.organization_id,
        "inviter_id": i.inviter_id,
        "public_inviter_data": inviter,
        "status": i.status(),
        "public_metadata": i.public_metadata,
        "private_metadata": i.private_metadata,
        "url": i.url,
        "expires_at": i.expires_at,
        "created_at": i.created_at,
        "updated_at": i.updated_at,
    });
    if with_organization {
        if let Some(org) = inst.organizations.get(&i.organization_id) {
            value["public_organization_data"] = json!({
                "id": org.id, "name": org.name, "slug": org.slug, "has_image": false,
                "image_url": DEFAULT_IMAGE_URL,
            });
        }
    }
    value
}

/// Records a pending invitation with no inviter (automatic enrollment).
pub(crate) fn invite(inst: &mut Instance, organization_id: &str, email: &str, role: &str) {
    let duplicate = pending(inst, organization_id).any(|i| i.email_address == email);
    if duplicate || check_quota(inst, organization_id).is_err() {
        return;
    }
    let now = inst.clock.now();
    let id = super::ids::new_id("orginv");
    let seq = inst.next_seq();
    inst.organization_invitations.insert(
        id.clone(),
        OrganizationInvitationRecord {
            id,
            seq,
            organization_id: organization_id.to_owned(),
            email_address: email.to_owned(),
            role: role.to_owned(),
            inviter_id: None,
            public_metadata: Map::new(),
            private_metadata: Map::new(),
            status: Status::Pending,
            url: None,
            expires_at: Some(now + 30 * 86_400_000),
            created_at: now,
            updated_at: now,
        },
    );
}

/// `POST /organizations/{organization_id}/invitations`, and seeding.
pub(crate) fn create(
    inst: &mut Instance,
    organization_id: &str,
    body: &Body<'_>,
    origin: Origin,
) -> Outcome<Value> {
    let organization_id = organizations::find(inst, organization_id)?.id.clone();
    let email = body.required_string("email_address")?.trim().to_lowercase();
    check_email("email_address", &email)?;
    let role = body.required_string("role")?;
    inst.known_role(&role)?;
    let inviter_id = body.string("inviter_user_id")?;
    if let Some(inviter) = &inviter_id {
        users::find(inst, inviter)?;
    }
    let member = inst.memberships.values().find(|m| {
        m.organization_id == organization_id
            && inst
                .users
                .get(&m.user_id)
                .is_some_and(|u| u.owns_email(&email))
    });
    if let Some(member) = member {
        return Err(already_member(&member.user_id));
    }
    if pending(inst, &organization_id).any(|i| i.email_address == email) {
        return Err(Failure::new(
            400,
            "organization_invitation_not_unique",
            "invitation not unique",
            format!("{email} already has a pending invitation to this organization."),
        ));
    }
    check_quota(inst, &organization_id)?;
    let now = inst.clock.now();
    let id = inst.id_for(origin, body.string("id")?, "orginv")?;
    let invitation = OrganizationInvitationRecord {
        url: ticket_url(body, &id)?,
        id: id.clone(),
        seq: inst.next_seq(),
        organization_id,
        email_address: email,
        role,
        inviter_id,
        public_metadata: body.object("public_metadata")?.unwrap_or_default(),
        private_metadata: body.object("private_metadata")?.unwrap_or_default(),
        status: Status::Pending,
        expires_at: Some(expiry(body, now)?),
        created_at: now,
        updated_at: now,
    };
    inst.organization_invitations.insert(id.clone(), invitation);
    Ok(invitation_json(
        inst,
        &inst.organization_invitations[&id],
        false,
    ))
}

fn sort_key(i: &OrganizationInvitationRecord, field: &str) -> SortKey {
    match field {
        "email_address" => SortKey::text(Some(&i.email_address)),
        _ => SortKey::number(Some(i.created_at)),
    }
}

fn answer_page(
    inst: &Instance,
    call: &Call<'_>,
    mut invitations: Vec<&OrganizationInvitationRecord>,
    with_organization: bool,
) -> Outcome<Value> {
    let page = call.page()?;
    let order = OrderBy::parse(
        call.query("order_by"),
        "-created_at",
        &["created_at", "email_address"],
    )?;
    let status = call.query("status");
    invitations.retain(|i| status.is_none_or(|s| i.status() == s));
    order.sort(&mut invitations, |i, f| sort_key(i, f), |i| i.seq);
    let all = invitations
        .into_iter()
        .map(|i| invitation_json(inst, i, with_organization))
        .collect();
    Ok(paginated(all, page))
}

/// `GET /organizations/{organization_id}/invitations`.
pub(crate) fn list(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let organization_id = organizations::find(inst, call.param(0))?.id.clone();
    let email = call.query("email_address");
    let invitations = inst
        .organization_invitations
        .values()
        .filter(|i| i.organization_id == organization_id)
        .filter(|i| email.is_none_or(|e| i.email_address.eq_ignore_ascii_case(e)))
        .collect();
    answer_page(inst, call, invitations, false)
}

/// `GET /organizations/{organization_id}/invitations/pending` (deprecated by Clerk).
pub(crate) fn list_pending(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let organization_id = organizations::find(inst, call.param(0))?.id.clone();
    let invitations = pending(inst, &organization_id).collect();
    answer_page(inst, call, invitations, false)
}

/// `GET /organization_invitations`: every organization's.
pub(crate) fn list_all(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let query = call.query("query");
    let invitations = inst
        .organization_invitations
        .values()
        .filter(|i| query.is_none_or(|q| contains_ci(&i.email_address, q) || i.id == q))
        .collect();
    answer_page(inst, call, invitations, true)
}

/// `GET /users/{user_id}/organization_invitations`: those to the user's addresses.
pub(crate) fn list_for_user(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let user = users::find(inst, call.param(0))?;
    let invitations = inst
        .organization_invitations
        .values()
        .filter(|i| user.owns_email(&i.email_address))
        .collect();
    answer_page(inst, call, invitations, true)
}

fn find_id(inst: &Instance, call: &Call<'_>) -> Outcome<String> {
    let organization_id = organizations::find(inst, call.param(0))?.id.clone();
    let id = call.param(1);
    inst.organization_invitations
        .get(id)
        .filter(|i| i.organization_id == organization_id)
        .map(|i| i.id.clone())
        .ok_or_else(|| Failure::not_found("organization invitation", id))
}

/// `GET /organizations/{organization_id}/invitations/{invitation_id}`.
pub(crate) fn get(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let id = find_id(inst, call)?;
    Ok(invitation_json(
        inst,
        &inst.organization_invitations[&id],
        false,
    ))
}

/// `POST .../invitations/{invitation_id}/revoke`.
pub(crate) fn revoke(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let id = find_id(inst, call)?;
    let now = inst.clock.now();
    let invitation = inst
        .organization_invitations
        .get_mut(&id)
        .expect("found above");
    if invitation.status != Status::Pending {
        return Err(not_revocable(invitation.status()));
    }
    invitation.status = Status::Revoked;
    invitation.updated_at = now;
    Ok(invitation_json(
        inst,
        &inst.organization_invitations[&id],
        false,
    ))
}

/// `user_id` accepting an organization invitation: a membership with the invitation's
/// role and metadata, the invitation `accepted`.
pub(crate) fn accept(inst: &mut Instance, id: &str, user_id: &str) -> Outcome<Value> {
    let invitation = inst
        .organization_invitations
        .get(id)
        .ok_or_else(|| Failure::not_found("organization invitation", id))?
        .clone();
    if invitation.status() != "pending" {
        return Err(not_revocable(invitation.status()));
    }
    let user = users::find(inst, user_id)?;
    if !user.owns_email(&invitation.email_address) {
        return Err(Failure::invalid_value(
            "user_id",
            format!(
                "{user_id} does not own {}, the invited address.",
                invitation.email_address
            ),
        ));
    }
    if memberships::find(inst, &invitation.organization_id, user_id).is_some() {
        return Err(already_member(user_id));
    }
    let membership = memberships::insert(
        inst,
        super::ids::new_id("orgmem"),
        &invitation.organization_id,
        user_id,
        &invitation.role,
        invitation.public_metadata.clone(),
        invitation.private_metadata.clone(),
    );
    let now = inst.clock.now();
    let stored = inst
        .organization_invitations
        .get_mut(id)
        .expect("found above");
    stored.status = Status::Accepted;
    stored.updated_at = now;
    Ok(memberships::membership_json(
        inst,
        &inst.memberships[&membership],
    ))
}
