//! Users: create (with uniqueness of every identifier), get, list and count with the
//! spec's filters and orderings, update, the metadata merge and replace, delete (which
//! ends the user's memberships), ban/unban and lock/unlock.

mod filter;
mod identifiers;

pub(crate) use filter::{sort_key, UserFilter};
pub(crate) use identifiers::check_email;

use super::call::{Body, Call};
use super::domains;
use super::error::{Failure, Outcome};
use super::list::OrderBy;
use super::metadata::deep_merge;
use super::state::{Instance, Origin};
use super::time::wall_ms;
use filter::{matching, ORDER_FIELDS};
use identifiers::{check_password, check_username, identifications, own_identification, unique};
use serde_json::{json, Map, Value};

/// How long a lock lasts, and how many failed attempts an unlocked user has left: Clerk's
/// defaults for user lockout.
const LOCKOUT_SECONDS: i64 = 3_600;
const VERIFICATION_ATTEMPTS: i64 = 100;

/// The avatar Clerk serves for a user or organization without an image of its own.
pub(crate) const DEFAULT_IMAGE_URL: &str = "https://img.clerk.com/default-avatar";

/// An email address, phone number or web3 wallet of a user.
#[derive(Debug, Clone)]
pub(crate) struct Identification {
    pub id: String,
    pub value: String,
    /// Held for the user but unverified (`*_identification_status: reserved`).
    pub reserved: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub(crate) struct UserRecord {
    pub id: String,
    pub seq: u64,
    pub external_id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub locale: Option<String>,
    pub email_addresses: Vec<Identification>,
    pub phone_numbers: Vec<Identification>,
    pub web3_wallets: Vec<Identification>,
    pub primary_email_address_id: Option<String>,
    pub primary_phone_number_id: Option<String>,
    pub primary_web3_wallet_id: Option<String>,
    pub password_last_updated_at: Option<i64>,
    pub public_metadata: Map<String, Value>,
    pub private_metadata: Map<String, Value>,
    pub unsafe_metadata: Map<String, Value>,
    pub banned: bool,
    pub locked_at: Option<i64>,
    pub delete_self_enabled: bool,
    pub create_organization_enabled: bool,
    pub create_organizations_limit: Option<i64>,
    pub legal_accepted_at: Option<i64>,
    pub last_sign_in_at: Option<i64>,
    pub last_active_at: Option<i64>,
    pub bypass_client_trust: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl UserRecord {
    pub fn primary_email(&self) -> Option<&str> {
        primary(
            &self.email_addresses,
            self.primary_email_address_id.as_deref(),
        )
    }

    pub fn primary_phone(&self) -> Option<&str> {
        primary(&self.phone_numbers, self.primary_phone_number_id.as_deref())
    }

    /// What the user signs in with, as memberships and invitations show it.
    pub fn identifier(&self) -> Option<&str> {
        self.primary_email()
            .or(self.primary_phone())
            .or(self.username.as_deref())
            .or(primary(
                &self.web3_wallets,
                self.primary_web3_wallet_id.as_deref(),
            ))
    }

    pub fn owns_email(&self, email: &str) -> bool {
        self.email_addresses
            .iter()
            .any(|e| e.value.eq_ignore_ascii_case(email))
    }

    /// Seconds of lock left; a lock that has run out no longer counts.
    fn lock_left(&self) -> Option<i64> {
        let locked_at = self.locked_at?;
        let left = LOCKOUT_SECONDS - (wall_ms() - locked_at) / 1_000;
        (left > 0).then_some(left)
    }
}

fn primary<'a>(items: &'a [Identification], id: Option<&str>) -> Option<&'a str> {
    let id = id?;
    items.iter().find(|i| i.id == id).map(|i| i.value.as_str())
}

fn identification_json(kind: &str, field: &str, item: &Identification) -> Value {
    let verification = if item.reserved {
        Value::Null
    } else {
        json!({"object": "verification_admin", "status": "verified", "strategy": "admin",
               "attempts": null, "expire_at": null})
    };
    let mut value = json!({
        "id": item.id, "object": kind, field: item.value, "verification": verification,
        "created_at": item.created_at, "updated_at": item.created_at,
    });
    match kind {
        "email_address" => {
            value["reserved"] = json!(item.reserved);
            value["linked_to"] = json!([]);
        }
        "phone_number" => {
            value["reserved"] = json!(item.reserved);
            value["linked_to"] = json!([]);
            value["reserved_for_second_factor"] = json!(false);
            value["default_second_factor"] = json!(false);
            value["backup_codes"] = Value::Null;
        }
        _ => {}
    }
    value
}

/// A user as the API answers it (`User`).
pub(crate) fn user_json(user: &UserRecord) -> Value {
    let lock_left = user.lock_left();
    let mut identity = json!({
        "id": user.id,
        "object": "user",
        "external_id": user.external_id,
        "primary_email_address_id": user.primary_email_address_id,
        "primary_phone_number_id": user.primary_phone_number_id,
        "primary_web3_wallet_id": user.primary_web3_wallet_id,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "locale": user.locale,
        "profile_image_url": DEFAULT_IMAGE_URL,
        "image_url": DEFAULT_IMAGE_URL,
        "has_image": false,
        "public_metadata": user.public_metadata,
        "private_metadata": user.private_metadata,
        "unsafe_metadata": user.unsafe_metadata,
        "email_addresses": user.email_addresses.iter()
            .map(|e| identification_json("email_address", "email_address", e)).collect::<Vec<_>>(),
        "phone_numbers": user.phone_numbers.iter()
            .map(|p| identification_json("phone_number", "phone_number", p)).collect::<Vec<_>>(),
        "web3_wallets": user.web3_wallets.iter()
            .map(|w| identification_json("web3_wallet", "web3_wallet", w)).collect::<Vec<_>>(),
    });
    // Two literals: one would pass `json!`'s macro recursion limit.
    let flags = json!({
        "passkeys": [],
        "password_enabled": user.password_last_updated_at.is_some(),
        "password_last_updated_at": user.password_last_updated_at,
        "two_factor_enabled": false,
        "totp_enabled": false,
        "backup_code_enabled": false,
        "mfa_enabled_at": null,
        "mfa_disabled_at": null,
        "external_accounts": [],
        "saml_accounts": [],
        "enterprise_accounts": [],
        "last_sign_in_at": user.last_sign_in_at,
        "banned": user.banned,
        "locked": lock_left.is_some(),
        "deprovisioned": false,
        "lockout_expires_in_seconds": lock_left,
        "verification_attempts_remaining": if lock_left.is_some() { 0 } else { VERIFICATION_ATTEMPTS },
        "created_at": user.created_at,
        "updated_at": user.updated_at,
        "delete_self_enabled": user.delete_self_enabled,
        "create_organization_enabled": user.create_organization_enabled,
        "create_organizations_limit": user.create_organizations_limit,
        "last_active_at": user.last_active_at,
        "legal_accepted_at": user.legal_accepted_at,
        "bypass_client_trust": user.bypass_client_trust,
    });
    if let (Value::Object(fields), Value::Object(more)) = (&mut identity, flags) {
        fields.extend(more);
    }
    identity
}

pub(crate) fn find<'a>(inst: &'a Instance, id: &str) -> Outcome<&'a UserRecord> {
    inst.users
        .get(id)
        .ok_or_else(|| Failure::not_found("user", id))
}

fn find_mut<'a>(inst: &'a mut Instance, id: &str) -> Outcome<&'a mut UserRecord> {
    inst.users
        .get_mut(id)
        .ok_or_else(|| Failure::not_found("user", id))
}

/// `POST /users`, and seeding.
pub(crate) fn create(inst: &mut Instance, body: &Body<'_>, origin: Origin) -> Outcome<Value> {
    let now = inst.clock.now();
    let id = inst.id_for(origin, body.string("id")?, "user")?;
    let email_addresses = identifications(inst, body, "email_address", "idn", now)?;
    let phone_numbers = identifications(inst, body, "phone_number", "idn", now)?;
    let web3_wallets = identifications(inst, body, "web3_wallet", "idn", now)?;
    let username = body.string("username")?.filter(|u| !u.is_empty());
    if let Some(username) = &username {
        check_username(username)?;
        unique(inst, None, "username", username)?;
    }
    let external_id = body.string("external_id")?.filter(|e| !e.is_empty());
    if let Some(external_id) = &external_id {
        unique(inst, None, "external_id", external_id)?;
    }
    let password = body.string("password")?;
    if let Some(password) = &password {
        if body.bool("skip_password_checks")? != Some(true) {
            check_password(password)?;
        }
    }
    let has_password = password.is_some() || body.string("password_digest")?.is_some();
    let created_at = body.time("created_at")?.unwrap_or(now);
    let seed_time = |name: &str| match origin {
        Origin::Seed => body.integer(name),
        Origin::Api => Ok(None),
    };
    let user = UserRecord {
        id: id.clone(),
        seq: inst.next_seq(),
        external_id,
        first_name: body.string("first_name")?,
        last_name: body.string("last_name")?,
        username,
        locale: body.string("locale")?,
        primary_email_address_id: email_addresses.first().map(|e| e.id.clone()),
        primary_phone_number_id: phone_numbers.first().map(|p| p.id.clone()),
        primary_web3_wallet_id: web3_wallets.first().map(|w| w.id.clone()),
        email_addresses,
        phone_numbers,
        web3_wallets,
        password_last_updated_at: has_password.then_some(now),
        public_metadata: body.object("public_metadata")?.unwrap_or_default(),
        private_metadata: body.object("private_metadata")?.unwrap_or_default(),
        unsafe_metadata: body.object("unsafe_metadata")?.unwrap_or_default(),
        banned: body.bool("banned")?.unwrap_or(false),
        locked_at: body.bool("locked")?.unwrap_or(false).then_some(now),
        delete_self_enabled: body.bool("delete_self_enabled")?.unwrap_or(true),
        create_organization_enabled: body.bool("create_organization_enabled")?.unwrap_or(true),
        create_organizations_limit: body.integer("create_organizations_limit")?,
        legal_accepted_at: body.time("legal_accepted_at")?,
        last_sign_in_at: seed_time("last_sign_in_at")?,
        last_active_at: seed_time("last_active_at")?,
        bypass_client_trust: body.bool("bypass_client_trust")?.unwrap_or(false),
        created_at,
        updated_at: created_at.max(now),
    };
    inst.users.insert(id.clone(), user);
    domains::enroll(inst, &id);
    Ok(user_json(&inst.users[&id]))
}

pub(crate) fn get(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    find(inst, call.param(0)).map(user_json)
}

/// `GET /users`: a bare array, newest first unless `order_by` says otherwise.
pub(crate) fn list(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let page = call.page()?;
    let order = OrderBy::parse(call.query("order_by"), "-created_at", ORDER_FIELDS)?;
    let mut users = matching(inst, call)?;
    order.sort(&mut users, |u, f| sort_key(u, f), |u| u.seq);
    if let Some(cursor) = call.query("starting_after") {
        if page.offset != 0 || order.field != "created_at" {
            return Err(Failure::invalid_value(
                "starting_after",
                "starting_after works only with offset 0 and ordering by created_at.".to_owned(),
            ));
        }
        let Some(position) = users.iter().position(|u| u.id == cursor) else {
            return Err(Failure::invalid_value(
                "starting_after",
                format!("{cursor} is not a user of this list."),
            ));
        };
        users.drain(..=position);
    }
    Ok(Value::Array(
        page.slice(users).into_iter().map(user_json).collect(),
    ))
}

/// `GET /users/count`.
pub(crate) fn count(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let total = matching(inst, call)?.len();
    Ok(json!({"object": "total_count", "total_count": total}))
}

/// `PATCH /users/{user_id}`.
pub(crate) fn update(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let id = call.param(0).to_owned();
    let body = call.body();
    let mut user = find(inst, &id)?.clone();
    if let Some(username) = body.nullable_string("username")? {
        let username = username.filter(|u| !u.is_empty());
        if let Some(name) = &username {
            check_username(name)?;
            unique(inst, Some(&id), "username", name)?;
        }
        user.username = username;
    }
    if let Some(external_id) = body.nullable_string("external_id")? {
        let external_id = external_id.filter(|e| !e.is_empty());
        if let Some(value) = &external_id {
            unique(inst, Some(&id), "external_id", value)?;
        }
        user.external_id = external_id;
    }
    for (field, slot) in [
        ("first_name", &mut user.first_name),
        ("last_name", &mut user.last_name),
        ("locale", &mut user.locale),
    ] {
        if let Some(value) = body.nullable_string(field)? {
            *slot = value;
        }
    }
    if let Some(primary) = body.string("primary_email_address_id")? {
        user.primary_email_address_id = Some(own_identification(
            &user.email_addresses,
            "primary_email_address_id",
            &primary,
        )?);
    }
    if let Some(primary) = body.string("primary_phone_number_id")? {
        user.primary_phone_number_id = Some(own_identification(
            &user.phone_numbers,
            "primary_phone_number_id",
            &primary,
        )?);
    }
    if let Some(primary) = body.string("primary_web3_wallet_id")? {
        user.primary_web3_wallet_id = Some(own_identification(
            &user.web3_wallets,
            "primary_web3_wallet_id",
            &primary,
        )?);
    }
    let now = inst.clock.now();
    if let Some(password) = body.string("password")? {
        if body.bool("skip_password_checks")? != Some(true) {
            check_password(&password)?;
        }
        user.password_last_updated_at = Some(now);
    }
    if body.string("password_digest")?.is_some() {
        user.password_last_updated_at = Some(now);
    }
    if let Some(value) = body.bool("delete_self_enabled")? {
        user.delete_self_enabled = value;
    }
    if let Some(value) = body.bool("create_organization_enabled")? {
        user.create_organization_enabled = value;
    }
    if let Some(value) = body.bool("bypass_client_trust")? {
        user.bypass_client_trust = value;
    }
    if body.has("create_organizations_limit") {
        user.create_organizations_limit = body.integer("create_organizations_limit")?;
    }
    if let Some(at) = body.time("legal_accepted_at")? {
        user.legal_accepted_at = Some(at);
    }
    if let Some(at) = body.time("created_at")? {
        user.created_at = at;
    }
    user.updated_at = now;
    let json = user_json(&user);
    inst.users.insert(id, user);
    Ok(json)
}

/// Applies `change` to the user of the path and answers it, with `updated_at` moved on.
fn change(
    inst: &mut Instance,
    call: &Call<'_>,
    change: impl FnOnce(&mut UserRecord, i64),
) -> Outcome<Value> {
    let now = inst.clock.now();
    let user = find_mut(inst, call.param(0))?;
    change(user, now);
    user.updated_at = now;
    Ok(user_json(user))
}

pub(crate) fn ban(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    change(inst, call, |u, _| u.banned = true)
}

pub(crate) fn unban(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    change(inst, call, |u, _| u.banned = false)
}

pub(crate) fn lock(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    change(inst, call, |u, now| u.locked_at = Some(now))
}

pub(crate) fn unlock(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    change(inst, call, |u, _| u.locked_at = None)
}

/// The three metadata objects of a metadata body (absent ones: `None`).
fn metadata_body(body: &Body<'_>) -> Outcome<[Option<Map<String, Value>>; 3]> {
    Ok([
        body.object("public_metadata")?,
        body.object("private_metadata")?,
        body.object("unsafe_metadata")?,
    ])
}

/// `PATCH /users/{user_id}/metadata`: a deep merge.
pub(crate) fn merge_metadata(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let [public, private, unsafe_] = metadata_body(&call.body())?;
    change(inst, call, |u, _| {
        for (patch, target) in [
            (public, &mut u.public_metadata),
            (private, &mut u.private_metadata),
            (unsafe_, &mut u.unsafe_metadata),
        ] {
            if let Some(patch) = patch {
                deep_merge(target, patch);
            }
        }
    })
}

/// `PUT /users/{user_id}/metadata`: each given object replaces the old one.
pub(crate) fn replace_metadata(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let [public, private, unsafe_] = metadata_body(&call.body())?;
    change(inst, call, |u, _| {
        for (new, target) in [
            (public, &mut u.public_metadata),
            (private, &mut u.private_metadata),
            (unsafe_, &mut u.unsafe_metadata),
        ] {
            if let Some(new) = new {
                *target = new;
            }
        }
    })
}

/// `DELETE /users/{user_id}`: the user's memberships end with it.
pub(crate) fn delete(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let id = call.param(0);
    find(inst, id)?;
    inst.users.remove(id);
    inst.memberships.retain(|_, m| m.user_id != id);
    Ok(json!({"object": "user", "id": id, "deleted": true}))
}
