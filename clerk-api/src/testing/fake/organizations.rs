//! Organizations: create (its creator becomes an admin member), get by id or slug, list
//! with `query`, member filters and ordering, update, the metadata merge and replace,
//! and delete (with its memberships, domains and invitations). Slugs are unique.

use super::call::{Body, Call};
use super::error::{Failure, Outcome};
use super::ids::new_id;
use super::list::{contains_ci, paginated, IdFilter, OrderBy, SortKey};
use super::memberships;
use super::metadata::deep_merge;
use super::organization_invitations;
use super::state::{Instance, Origin, MANAGE_MEMBERSHIPS};
use super::users::{self, DEFAULT_IMAGE_URL};
use serde_json::{json, Map, Value};

#[derive(Debug, Clone)]
pub(crate) struct OrganizationRecord {
    pub id: String,
    pub seq: u64,
    pub name: String,
    pub slug: String,
    pub max_allowed_memberships: i64,
    pub admin_delete_enabled: bool,
    pub public_metadata: Map<String, Value>,
    pub private_metadata: Map<String, Value>,
    pub created_by: Option<String>,
    pub role_set_key: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Which of the on-request fields an organization answer carries.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Extras {
    /// `members_count` and `pending_invitations_count` (`include_members_count`).
    pub counts: bool,
    /// `missing_member_with_elevated_permissions`.
    pub elevated: bool,
}

impl Extras {
    fn from_query(call: &Call<'_>) -> Outcome<Extras> {
        Ok(Extras {
            counts: call.query_bool("include_members_count")?.unwrap_or(false),
            elevated: call
                .query_bool("include_missing_member_with_elevated_permissions")?
                .unwrap_or(false),
        })
    }
}

pub(crate) fn members_count(inst: &Instance, organization_id: &str) -> usize {
    inst.memberships
        .values()
        .filter(|m| m.organization_id == organization_id)
        .count()
}

/// An organization as the API answers it (`Organization`).
pub(crate) fn organization_json(
    inst: &Instance,
    org: &OrganizationRecord,
    extras: Extras,
) -> Value {
    let mut value = json!({
        "object": "organization",
        "id": org.id,
        "name": org.name,
        "slug": org.slug,
        "image_url": DEFAULT_IMAGE_URL,
        "has_image": false,
        "max_allowed_memberships": org.max_allowed_memberships,
        "admin_delete_enabled": org.admin_delete_enabled,
        "public_metadata": org.public_metadata,
        "private_metadata": org.private_metadata,
        "role_set_key": org.role_set_key,
        "created_at": org.created_at,
        "updated_at": org.updated_at,
    });
    if let Some(creator) = &org.created_by {
        value["created_by"] = json!(creator);
    }
    if extras.counts {
        value["members_count"] = json!(members_count(inst, &org.id));
        value["pending_invitations_count"] =
            json!(organization_invitations::pending_count(inst, &org.id));
    }
    if extras.elevated {
        let has_admin = inst
            .memberships
            .values()
            .filter(|m| m.organization_id == org.id)
            .any(|m| {
                inst.role(&m.role)
                    .is_some_and(|r| r.permissions.iter().any(|p| p == MANAGE_MEMBERSHIPS))
            });
        value["missing_member_with_elevated_permissions"] = json!(!has_admin);
    }
    value
}

/// The organization with this id, or this slug.
pub(crate) fn find<'a>(inst: &'a Instance, id_or_slug: &str) -> Outcome<&'a OrganizationRecord> {
    inst.organizations
        .get(id_or_slug)
        .or_else(|| inst.organizations.values().find(|o| o.slug == id_or_slug))
        .ok_or_else(|| Failure::not_found("organization", id_or_slug))
}

fn check_slug(slug: &str) -> Outcome<()> {
    let valid = !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if valid {
        Ok(())
    } else {
        Err(Failure::bad_format(
            "slug",
            format!("slug can hold lowercase letters, digits and dashes only, not {slug:?}."),
        ))
    }
}

fn slug_taken(inst: &Instance, slug: &str, except: Option<&str>) -> bool {
    inst.organizations
        .values()
        .any(|o| o.slug == slug && Some(o.id.as_str()) != except)
}

/// A slug made from `name` (`Acme Inc.` -> `acme-inc`), with a suffix when it is taken.
fn slug_from(inst: &Instance, name: &str) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let base = match slug.trim_end_matches('-') {
        "" => "organization".to_owned(),
        trimmed => trimmed.to_owned(),
    };
    let mut candidate = base.clone();
    while slug_taken(inst, &candidate, None) {
        candidate = format!("{base}-{}", fastrand::u32(1_000..10_000));
    }
    candidate
}

fn check_limit(limit: i64) -> Outcome<i64> {
    if limit < 0 {
        return Err(Failure::invalid_value(
            "max_allowed_memberships",
            format!("max_allowed_memberships cannot be negative ({limit})."),
        ));
    }
    Ok(limit)
}

/// `POST /organizations`, and seeding.
pub(crate) fn create(inst: &mut Instance, body: &Body<'_>, origin: Origin) -> Outcome<Value> {
    let name = body.required_string("name")?;
    let slug = match body.string("slug")? {
        Some(slug) => {
            check_slug(&slug)?;
            if slug_taken(inst, &slug, None) {
                return Err(Failure::taken("slug", &slug));
            }
            slug
        }
        None => slug_from(inst, &name),
    };
    let created_by = body.string("created_by")?;
    if let Some(creator) = &created_by {
        if users::find(inst, creator).is_err() {
            return Err(Failure::new(
                400,
                "organization_creator_not_found",
                "creator not found",
                format!("No user was found with id {creator} to create the organization."),
            ));
        }
    }
    let max_allowed_memberships = match body.integer("max_allowed_memberships")? {
        Some(limit) => check_limit(limit)?,
        None => inst.settings.max_allowed_memberships,
    };
    let now = inst.clock.now();
    let created_at = body.time("created_at")?.unwrap_or(now);
    let id = inst.id_for(origin, body.string("id")?, "org")?;
    let org = OrganizationRecord {
        id: id.clone(),
        seq: inst.next_seq(),
        name,
        slug,
        max_allowed_memberships,
        admin_delete_enabled: true,
        public_metadata: body.object("public_metadata")?.unwrap_or_default(),
        private_metadata: body.object("private_metadata")?.unwrap_or_default(),
        created_by: created_by.clone(),
        role_set_key: body.string("role_set_key")?,
        created_at,
        updated_at: created_at.max(now),
    };
    inst.organizations.insert(id.clone(), org);
    if let Some(creator) = created_by {
        let role = inst.settings.creator_role.clone();
        let membership = new_id("orgmem");
        memberships::insert(
            inst,
            membership,
            &id,
            &creator,
            &role,
            Map::new(),
            Map::new(),
        );
    }
    Ok(organization_json(
        inst,
        &inst.organizations[&id],
        Extras::default(),
    ))
}

/// `GET /organizations/{organization_id}`: by id or slug.
pub(crate) fn get(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let extras = Extras::from_query(call)?;
    let org = find(inst, call.param(0))?;
    Ok(organization_json(inst, org, extras))
}

fn sort_key(inst: &Instance, org: &OrganizationRecord, field: &str) -> SortKey {
    match field {
        "name" => SortKey::text(Some(&org.name)),
        "members_count" => SortKey::number(Some(members_count(inst, &org.id) as i64)),
        _ => SortKey::number(Some(org.created_at)),
    }
}

/// `GET /organizations`.
pub(crate) fn list(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let page = call.page()?;
    let extras = Extras::from_query(call)?;
    let order = OrderBy::parse(
        call.query("order_by"),
        "-created_at",
        &["name", "created_at", "members_count"],
    )?;
    let members = IdFilter::new(&call.query_all("user_id"));
    let ids = IdFilter::new(&call.query_all("organization_id"));
    let query = call.query("query");
    let inst = &*inst;
    let mut orgs: Vec<&OrganizationRecord> = inst
        .organizations
        .values()
        .filter(|o| {
            let member_ids = inst
                .memberships
                .values()
                .filter(|m| m.organization_id == o.id)
                .map(|m| m.user_id.as_str());
            (members.is_empty() || members.admits(member_ids))
                && ids.admits([o.id.as_str()])
                && query
                    .is_none_or(|q| o.id == q || contains_ci(&o.name, q) || contains_ci(&o.slug, q))
        })
        .collect();
    order.sort(&mut orgs, |o, f| sort_key(inst, o, f), |o| o.seq);
    let all = orgs
        .into_iter()
        .map(|o| organization_json(inst, o, extras))
        .collect();
    Ok(paginated(all, page))
}

/// Applies `change` to the organization of the path and answers it.
fn change(
    inst: &mut Instance,
    call: &Call<'_>,
    change: impl FnOnce(&mut OrganizationRecord),
) -> Outcome<Value> {
    let id = find(inst, call.param(0))?.id.clone();
    let now = inst.clock.now();
    let org = inst.organizations.get_mut(&id).expect("found above");
    change(org);
    org.updated_at = now;
    Ok(organization_json(
        inst,
        &inst.organizations[&id],
        Extras::default(),
    ))
}

/// `PATCH /organizations/{organization_id}`.
pub(crate) fn update(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let id = find(inst, call.param(0))?.id.clone();
    let body = call.body();
    let name = body.string("name")?;
    if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(Failure::invalid_value(
            "name",
            "name cannot be blank.".to_owned(),
        ));
    }
    let slug = body.string("slug")?;
    if let Some(slug) = &slug {
        check_slug(slug)?;
        if slug_taken(inst, slug, Some(&id)) {
            return Err(Failure::taken("slug", slug));
        }
    }
    let limit = body
        .integer("max_allowed_memberships")?
        .map(check_limit)
        .transpose()?;
    let admin_delete_enabled = body.bool("admin_delete_enabled")?;
    let created_at = body.time("created_at")?;
    let role_set_key = body.nullable_string("role_set_key")?;
    change(inst, call, |org| {
        if let Some(name) = name {
            org.name = name;
        }
        if let Some(slug) = slug {
            org.slug = slug;
        }
        if let Some(limit) = limit {
            org.max_allowed_memberships = limit;
        }
        if let Some(enabled) = admin_delete_enabled {
            org.admin_delete_enabled = enabled;
        }
        if let Some(at) = created_at {
            org.created_at = at;
        }
        if let Some(key) = role_set_key {
            org.role_set_key = key;
        }
    })
}

fn metadata_body(body: &Body<'_>) -> Outcome<[Option<Map<String, Value>>; 2]> {
    Ok([
        body.object("public_metadata")?,
        body.object("private_metadata")?,
    ])
}

/// `PATCH /organizations/{organization_id}/metadata`: a deep merge.
pub(crate) fn merge_metadata(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let [public, private] = metadata_body(&call.body())?;
    change(inst, call, |org| {
        for (patch, target) in [
            (public, &mut org.public_metadata),
            (private, &mut org.private_metadata),
        ] {
            if let Some(patch) = patch {
                deep_merge(target, patch);
            }
        }
    })
}

/// `PUT /organizations/{organization_id}/metadata`.
pub(crate) fn replace_metadata(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let [public, private] = metadata_body(&call.body())?;
    change(inst, call, |org| {
        for (new, target) in [
            (public, &mut org.public_metadata),
            (private, &mut org.private_metadata),
        ] {
            if let Some(new) = new {
                *target = new;
            }
        }
    })
}

/// `DELETE /organizations/{organization_id}`, with everything that belongs to it.
pub(crate) fn delete(inst: &mut Instance, call: &Call<'_>) -> Outcome<Value> {
    let org = find(inst, call.param(0))?.clone();
    inst.organizations.remove(&org.id);
    inst.memberships.retain(|_, m| m.organization_id != org.id);
    inst.domains.retain(|_, d| d.organization_id != org.id);
    inst.organization_invitations
        .retain(|_, i| i.organization_id != org.id);
    Ok(json!({"object": "organization", "id": org.id, "slug": org.slug, "deleted": true}))
}
