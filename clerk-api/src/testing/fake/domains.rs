//! Organization domains: create (unique across the instance, no common email
//! providers), list (one organization's, and the instance's), update, delete, the
//! ownership override, and the enrollment modes: a new user whose verified email
//! address is on a verified domain in `automatic_invitation` mode gets a pending
//! invitation to its organization; in `automatic_suggestion` mode, a suggestion.

use super::call::{Body, Call};
use super::error::{Failure, Outcome};
use super::list::{contains_ci, paginated, IdFilter, OrderBy, SortKey};
use super::organization_invitations;
use super::organizations;
use super::state::{Instance, Origin};
use super::users::DEFAULT_IMAGE_URL;
use serde_json::{json, Value};

pub(crate) const ENROLLMENT_MODES: &[&str] = &[
    "manual_invitation",
    "automatic_invitation",
    "automatic_suggestion",
    "enterprise_sso",
];

/// Domains of public email providers, which Clerk refuses as organization domains.
const COMMON_EMAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
];

#[derive(Debug, Clone)]
pub(crate) struct DomainRecord {
    pub id: String,
    pub seq: u64,
    pub organization_id: String,
    pub name: String,
    pub enrollment_mode: String,
    /// Affiliation verified (`verified` of the create and update bodies).
    pub verified: bool,
    /// When ownership was marked verified (`verify_ownership`).
    pub ownership_verified_at: Option<i64>,
    pub pending_suggestions: u32,
    pub created_at: i64,
    pub updated_at: i64,
}

fn verification(status: &str, strategy: &str, verified_at: Option<i64>) -> Value {
    json!({"status": status, "strategy": strategy, "attempts": null, "expire_at": null,
           "verified_at": verified_at})
}

/// A domain as the API answers it (`OrganizationDomain`).
pub(crate) fn domain_json(inst: &Instance, d: &DomainRecord) -> Value {
    let affiliation = verification(
        if d.verified { "verified" } else { "unverified" },
        "admin",
        None,
    );
    // An object in both states: the schema's `nullable` does not reach into its `allOf`.
    let ownership = match d.ownership_verified_at {
        Some(at) => verification("verified", "admin", Some(at)),
        None => verification("unverified", "dns_record", None),
    };
    let organization = inst.organizations.get(&d.organization_id).map(|org| {
        json!({"id": org.id, "name": org.name, "slug": org.slug, "has_image": false,
               "image_url": DEFAULT_IMAGE_URL})
    });
    json!({
        "object": "organization_domain",
        "id": d.id,
        "organization_id": d.organization_id,
        "name": d.name,
        "enrollment_mode": d.enrollment_mode,
        "affiliation_email_address": null,
        "affiliation_verification": affiliation,
        "ownership_verification": ownership,
        "verification": affiliation,
        "total_pending_invitations": pending_invitations(inst, d),
        "total_pending_suggestions": d.pending_suggestions,
        "public_organization_data": organization,
        "created_at": d.created_at,
        "updated_at": d.updated_at,
    })
}

/// Pending invitations of the domain's organization to addresses on the domain.
fn pending_invitations(inst: &Instance, d: &DomainRecord) -> usize {
    organization_invitations::pending(inst, &d.organization_id)
        .filter(|i| email_domain(&i.email_address).eq_ignore_ascii_case(&d.name))
        .count()
}

fn email_domain(email: &str) -> &str {
    email.rsplit_once('@').map_or("", |(_, domain)| domain)
}

fn check_mode(mode: &str) -> Outcome<()> {
    if ENROLLMENT_MODES.contains(&mode) {
        Ok(())
    } else {
        Err(Failure::invalid_value(
            "enrollment_mode",
            format!(
                "{mode} is not an enrollment mode; use one of {}.",
                ENROLLMENT_MODES.join(", ")
            ),
        ))
    }
}

fn check_name(inst: &Instance, name: &str) -> Outcome<()> {
    let labels: Vec<&str> = name.split('.').collect();
    let valid = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if !valid {
        return Err(Failure::bad_format(
            "name",
            format!("{name} is not a domain name."),
        ));
    }
    if COMMON_EMAIL_DOMAINS.contains(&name) {
        return Err(Failure::new(
            422,
            "organization_domain_common",
            "common email domain",
            format!(
                "{name} belongs to a public email provider and cannot be an organization's domain."
            ),
        )
        .param("name"));
    }
    if inst.domains.values().any(|d| d.name == name) {
        return Err(Failure::new(
            422,
            "organization_domain_already_exists",
            "organization domain already exists",
            format!("{name} is already a domain of an organization."),
        )
        .param("name"));
    }
    Ok(())
}

/// `POST /organizations/{organization_id}/domains`, and seeding. Verified unless
/// `verified` is `false`; `manual_invitation` unless another mode is given.
pub(crate) fn create(
    inst: &mut Instance,
    organization_id: &str,
    body: &Body<'_>,
    origin: Origin,
) -> Outcome<Value> {
    let organization_id = organizations::find(inst, organization_id)?.id.clone();
    let name = body.required_string("name")?.trim().to_lowercase();
    check_name(inst, &name)?;
    let mode = body
        .string("enrollment_mode")?
        .unwrap_or_else(|| "manual_invitation".to_owned());
    check_mode(&mode)?;
    let id = inst.id_for(origin, body.string("id")?, "orgdmn")?;
    let now = inst.clock.now();
    let seq = inst.next_seq();
    let domain = DomainRecord {
        id: id.clone(),
        seq,
        organization_id,
        name,
        enrollment_mode: mode,
        verified: body.bool("verified")?.unwrap_or(true),
        ownership_verified_at: None,
        pending_suggestions: 0,
        created_at: now,
        updated_at: now,
    };
    inst.domains.insert(id.clone(), domain);
    Ok(domain_json(inst, &inst.domains[&id]))
}

fn find_id(inst: &Instance, organization_id: &str, domain_id: &str) -> Outcome<String> {
    inst.domains
        .get(domain_id)
        .filter(|d| d.organization_id == organization_id)
        .map(|d| d.id.clone())
        .ok_or_else(|| Failure::not_found("organization domain", domain_id))
}

fn sort_key(d: &DomainRecord, field: &str) -> SortKey {
    match field {
        "name" => SortKey::text(Some(&d.name)),
        _ => SortKey::number(Some(d.created_at)),
    }
}

/// `verified` of a list query (`"true"`/`"false"`).
fn verified_filter(call: &Call<'_>) -> Outcome<Option<bool>> {
    call.query_bool("verified")
}

fn answer_page(
    inst: &Instance,
    call: &Call<'_>,
    mut domains: Vec<&DomainRecord>,
) -> Outcome<Value> {
    let page = call.page()?;
    let order = OrderBy::parse(
        call.query("order_by"),
        "-created_at",
        &["name", "created_at"],
    )?;
    order.sort(&mut domains, |d, f| sort_key(d, f), |d| d.seq);
    let all = domains.into_iter().map(|d| domain_json(inst, d)).collect();
    Ok(paginated(all, page))
}

/// `GET /organizations/{organization_id}/domains`.
pub(crate) fn list(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let organization_id = organizations::find(inst, call.param(0))?.id.clone();
    let verified = verified_filter(call)?;
    let mode = call.query("enrollment_mode");
    let domains = inst
        .domains
        .values()
        .filter(|d| d.organization_id == organization_id)
        .filter(|d| verified.is_none_or(|v| d.verified == v))
        .filter(|d| mode.is_none_or(|m| d.enrollment_mode == m))
        .collect();
    answer_page(inst, call, domains)
}

/// `GET /organization_domains`: every organization's, with `domains`, `query` and
/// `enrollment_mode` (`+`/`-` prefixed) filters.
pub(crate) fn list_all(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let organization_id = call.query("organization_id");
    let verified = verified_filter(call)?;
    let modes = IdFilter::new(&call.query_all("enrollment_mode"));
    let names = call.query_all("domains");
    let query = call.query("query");
    let domains = inst
        .domains
        .values()
        .filter(|d| organization_id.is_none_or(|o| d.organization_id == o))
        .filter(|d| verified.is_none_or(|v| d.verified == v))
        .filter(|d| modes.admits([d.enrollment_mode.as_str()]))
        .filter(|d| names.is_empty() || names.contains(&d.name.as_str()))
        .filter(|d| query.is_none_or(|q| contains_ci(&d.name, q)))
        .collect();
    answer_page(inst, call, domains)
}

/// The domain of the path, changed by `change`.
fn change(
    inst: &mut Instance,
    call: &Call<'_>,
    change: impl FnOnce(&mut DomainRecord, i64),
) -> Outcome<Value> {
    let organization_id = organizations::find(inst, call.param(0))?.id.clone();
    let id = find_id(inst, &organization_id, call.param(1))?;
    let now = inst.clock.now();
    let domain = inst.domains.get_mut(&id).expect("found above");
    change(domain, now);
    domain.updated_at = now;
    Ok(domain_json(inst, &inst.domains[&id]))
}

/// `PATCH /organizations/{organization_id}/domains/{domain_id}`.
pub(crate) fn update(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let body = call.body();
    let mode = body.string("enrollment_mode")?;
    if let Some(mode) = &mode {
        check_mode(mode)?;
    }
    let verified = body.bool("verified")?;
    change(inst, call, |d, _| {
        if let Some(mode) = mode {
            d.enrollment_mode = mode;
        }
        if let Some(verified) = verified {
            d.verified = verified;
        }
    })
}

/// `POST .../domains/{domain_id}/verify_ownership`: idempotent.
pub(crate) fn verify_ownership(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    change(inst, call, |d, now| {
        d.ownership_verified_at.get_or_insert(now);
    })
}

/// `DELETE /organizations/{organization_id}/domains/{domain_id}`.
pub(crate) fn delete(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let organization_id = organizations::find(inst, call.param(0))?.id.clone();
    let id = find_id(inst, &organization_id, call.param(1))?;
    inst.domains.remove(&id);
    Ok(json!({"object": "organization_domain", "id": id, "deleted": true}))
}

/// Automatic enrollment of a new user: for each verified domain of the user's verified
/// email addresses, an invitation (`automatic_invitation`) or a suggestion
/// (`automatic_suggestion`), unless the user is a member already.
pub(crate) fn enroll(inst: &mut Instance, user_id: &str) {
    let Some(user) = inst.users.get(user_id) else {
        return;
    };
    let addresses: Vec<String> = user
        .email_addresses
        .iter()
        .filter(|e| !e.reserved)
        .map(|e| e.value.clone())
        .collect();
    for email in addresses {
        let matching: Vec<(String, String, String)> = inst
            .domains
            .values()
            .filter(|d| d.verified && d.name.eq_ignore_ascii_case(email_domain(&email)))
            .map(|d| {
                (
                    d.id.clone(),
                    d.organization_id.clone(),
                    d.enrollment_mode.clone(),
                )
            })
            .collect();
        for (domain_id, organization_id, mode) in matching {
            let member = inst
                .memberships
                .values()
                .any(|m| m.organization_id == organization_id && m.user_id == user_id);
            if member {
                continue;
            }
            match mode.as_str() {
                "automatic_invitation" => {
                    let role = inst.settings.default_role.clone();
                    organization_invitations::invite(inst, &organization_id, &email, &role);
                }
                "automatic_suggestion" => {
                    if let Some(domain) = inst.domains.get_mut(&domain_id) {
                        domain.pending_suggestions += 1;
                    }
                }
                _ => {}
            }
        }
    }
}
