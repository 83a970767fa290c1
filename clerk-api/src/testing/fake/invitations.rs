//! Instance invitations (to sign up): create (one pending per address, none for an
//! address a user holds, unless `ignore_existing`), list, revoke. A pending invitation
//! past `expires_at` answers as `expired`.

use super::call::{Body, Call};
use super::error::{Failure, Outcome};
use super::list::{contains_ci, OrderBy, SortKey};
use super::state::{Instance, Origin};
use super::time::wall_ms;
use super::users::check_email;
use serde_json::{json, Map, Value};

const DAY_MS: i64 = 86_400_000;

/// Where an invitation stands. `expired` is not stored: it is a pending invitation
/// whose time has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Pending,
    Accepted,
    Revoked,
}

impl Status {
    /// The status as answered at `now`.
    pub fn at(self, expires_at: Option<i64>, now: i64) -> &'static str {
        match self {
            Status::Pending if expires_at.is_some_and(|at| at <= now) => "expired",
            Status::Pending => "pending",
            Status::Accepted => "accepted",
            Status::Revoked => "revoked",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct InvitationRecord {
    pub id: String,
    pub seq: u64,
    pub email_address: String,
    pub public_metadata: Map<String, Value>,
    pub status: Status,
    pub url: Option<String>,
    pub expires_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl InvitationRecord {
    fn status(&self) -> &'static str {
        self.status.at(self.expires_at, wall_ms())
    }
}

/// An invitation as the API answers it (`Invitation`).
pub(crate) fn invitation_json(i: &InvitationRecord) -> Value {
    let mut value = json!({
        "object": "invitation",
        "id": i.id,
        "email_address": i.email_address,
        "public_metadata": i.public_metadata,
        "revoked": i.status == Status::Revoked,
        "status": i.status(),
        "expires_at": i.expires_at,
        "created_at": i.created_at,
        "updated_at": i.updated_at,
    });
    if let Some(url) = &i.url {
        value["url"] = json!(url);
    }
    value
}

/// `expires_in_days` (1 to 365, default 30) from `now`.
pub(crate) fn expiry(body: &Body<'_>, now: i64) -> Outcome<i64> {
    let days = body.integer("expires_in_days")?.unwrap_or(30);
    if !(1..=365).contains(&days) {
        return Err(Failure::invalid_value(
            "expires_in_days",
            format!("expires_in_days has to be between 1 and 365, not {days}."),
        ));
    }
    Ok(now + days * DAY_MS)
}

/// The link of an invitation with a `redirect_url`: that URL with a ticket.
pub(crate) fn ticket_url(body: &Body<'_>, id: &str) -> Outcome<Option<String>> {
    Ok(body.string("redirect_url")?.map(|url| {
        let separator = if url.contains('?') { '&' } else { '?' };
        format!("{url}{separator}__clerk_ticket=fake_ticket_{id}")
    }))
}

/// `POST /invitations`, and seeding.
pub(crate) fn create(inst: &mut Instance, body: &Body<'_>, origin: Origin) -> Outcome<Value> {
    let email = body.required_string("email_address")?.trim().to_lowercase();
    check_email("email_address", &email)?;
    if body.bool("ignore_existing")? != Some(true) {
        let now = wall_ms();
        let pending = inst
            .invitations
            .values()
            .any(|i| i.email_address == email && i.status.at(i.expires_at, now) == "pending");
        if pending {
            return Err(Failure::new(
                400,
                "duplicate_record",
                "duplicate invitation",
                format!("{email} already has a pending invitation."),
            )
            .param("email_address"));
        }
        if inst.users.values().any(|u| u.owns_email(&email)) {
            return Err(Failure::taken("email_address", &email));
        }
    }
    let now = inst.clock.now();
    let id = inst.id_for(origin, body.string("id")?, "inv")?;
    let invitation = InvitationRecord {
        url: ticket_url(body, &id)?,
        id: id.clone(),
        seq: inst.next_seq(),
        email_address: email,
        public_metadata: body.object("public_metadata")?.unwrap_or_default(),
        status: Status::Pending,
        expires_at: Some(expiry(body, now)?),
        created_at: now,
        updated_at: now,
    };
    let answer = invitation_json(&invitation);
    inst.invitations.insert(id, invitation);
    Ok(answer)
}

fn sort_key(i: &InvitationRecord, field: &str) -> SortKey {
    match field {
        "email_address" => SortKey::text(Some(&i.email_address)),
        "expires_at" => SortKey::number(i.expires_at),
        _ => SortKey::number(Some(i.created_at)),
    }
}

/// `GET /invitations`: a bare array.
pub(crate) fn list(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let page = call.page()?;
    let order = OrderBy::parse(
        call.query("order_by"),
        "-created_at",
        &["created_at", "email_address", "expires_at"],
    )?;
    let status = call.query("status");
    let query = call.query("query");
    let mut invitations: Vec<&InvitationRecord> = inst
        .invitations
        .values()
        .filter(|i| status.is_none_or(|s| i.status() == s))
        .filter(|i| query.is_none_or(|q| contains_ci(&i.email_address, q) || i.id == q))
        .collect();
    order.sort(&mut invitations, |i, f| sort_key(i, f), |i| i.seq);
    Ok(Value::Array(
        page.slice(invitations)
            .into_iter()
            .map(invitation_json)
            .collect(),
    ))
}

/// 400 for revoking an invitation that is no longer pending.
pub(crate) fn not_revocable(status: &str) -> Failure {
    match status {
        "accepted" => Failure::new(
            400,
            "invitation_already_accepted",
            "already accepted",
            "The invitation has been accepted; it cannot be revoked.".to_owned(),
        ),
        _ => Failure::new(
            400,
            "invitation_already_revoked",
            "already revoked",
            "The invitation has been revoked already.".to_owned(),
        ),
    }
}

/// `POST /invitations/{invitation_id}/revoke`.
pub(crate) fn revoke(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let id = call.param(0);
    let now = inst.clock.now();
    let invitation = inst
        .invitations
        .get_mut(id)
        .ok_or_else(|| Failure::not_found("invitation", id))?;
    if invitation.status != Status::Pending {
        return Err(not_revocable(invitation.status()));
    }
    invitation.status = Status::Revoked;
    invitation.updated_at = now;
    Ok(invitation_json(invitation))
}

/// A user accepting an invitation (what the invitation's link leads to): the user is
/// created with the address and the invitation's public metadata; the user's id.
pub(crate) fn accept(inst: &mut Instance, id: &str, body: &Body<'_>) -> Outcome<Value> {
    let invitation = inst
        .invitations
        .get(id)
        .ok_or_else(|| Failure::not_found("invitation", id))?;
    if invitation.status() != "pending" {
        return Err(not_revocable(invitation.status()));
    }
    let mut fields = Map::new();
    for (key, value) in [
        ("email_address", json!([invitation.email_address])),
        ("public_metadata", json!(invitation.public_metadata)),
    ] {
        fields.insert(key.to_owned(), value);
    }
    for (key, value) in body.fields() {
        fields.entry(key.clone()).or_insert_with(|| value.clone());
    }
    let user = super::users::create(inst, &Body::new(&fields), Origin::Seed)?;
    let now = inst.clock.now();
    let invitation = inst.invitations.get_mut(id).expect("found above");
    invitation.status = Status::Accepted;
    invitation.updated_at = now;
    Ok(user)
}
