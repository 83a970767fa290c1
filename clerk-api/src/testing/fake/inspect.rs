//! Reading the fake's state back in assertions: each resource as the API answers it.

use super::FakeClerk;
use super::{domains, invitations, memberships, organization_invitations, organizations, users};
use serde_json::Value;

impl FakeClerk {
    /// The user as `GET /users/{user_id}` answers it.
    pub fn user(&self, id: &str) -> Option<Value> {
        self.read(|inst| inst.users.get(id).map(users::user_json))
    }

    /// Every user, oldest first.
    pub fn users(&self) -> Vec<Value> {
        self.read(|inst| {
            let mut all: Vec<_> = inst.users.values().collect();
            all.sort_by_key(|u| u.seq);
            all.into_iter().map(users::user_json).collect()
        })
    }

    /// The organization (by id or slug) as `GET /organizations/{organization_id}`
    /// answers it with `include_members_count` and
    /// `include_missing_member_with_elevated_permissions`.
    pub fn organization(&self, id_or_slug: &str) -> Option<Value> {
        self.read(|inst| {
            organizations::find(inst, id_or_slug)
                .ok()
                .map(|org| organizations::organization_json(inst, org, INSPECTION))
        })
    }

    /// Every organization, oldest first, as [`FakeClerk::organization`] shows them.
    pub fn organizations(&self) -> Vec<Value> {
        self.read(|inst| {
            let mut all: Vec<_> = inst.organizations.values().collect();
            all.sort_by_key(|o| o.seq);
            all.into_iter()
                .map(|o| organizations::organization_json(inst, o, INSPECTION))
                .collect()
        })
    }

    /// The membership of `user_id` in the organization (id or slug).
    pub fn membership(&self, organization: &str, user_id: &str) -> Option<Value> {
        self.read(|inst| {
            let org = organizations::find(inst, organization).ok()?;
            memberships::find(inst, &org.id, user_id).map(|m| memberships::membership_json(inst, m))
        })
    }

    /// The organization's memberships, oldest first.
    pub fn memberships(&self, organization: &str) -> Vec<Value> {
        self.read(|inst| {
            let Ok(org) = organizations::find(inst, organization) else {
                return Vec::new();
            };
            let mut all: Vec<_> = inst
                .memberships
                .values()
                .filter(|m| m.organization_id == org.id)
                .collect();
            all.sort_by_key(|m| m.seq);
            all.into_iter()
                .map(|m| memberships::membership_json(inst, m))
                .collect()
        })
    }

    /// The organization's domains, oldest first.
    pub fn domains(&self, organization: &str) -> Vec<Value> {
        self.read(|inst| {
            let Ok(org) = organizations::find(inst, organization) else {
                return Vec::new();
            };
            let mut all: Vec<_> = inst
                .domains
                .values()
                .filter(|d| d.organization_id == org.id)
                .collect();
            all.sort_by_key(|d| d.seq);
            all.into_iter()
                .map(|d| domains::domain_json(inst, d))
                .collect()
        })
    }

    /// Every instance invitation, oldest first.
    pub fn invitations(&self) -> Vec<Value> {
        self.read(|inst| {
            let mut all: Vec<_> = inst.invitations.values().collect();
            all.sort_by_key(|i| i.seq);
            all.into_iter().map(invitations::invitation_json).collect()
        })
    }

    /// The organization's invitations, oldest first.
    pub fn organization_invitations(&self, organization: &str) -> Vec<Value> {
        self.read(|inst| {
            let Ok(org) = organizations::find(inst, organization) else {
                return Vec::new();
            };
            let mut all: Vec<_> = inst
                .organization_invitations
                .values()
                .filter(|i| i.organization_id == org.id)
                .collect();
            all.sort_by_key(|i| i.seq);
            all.into_iter()
                .map(|i| organization_invitations::invitation_json(inst, i, false))
                .collect()
        })
    }
}

/// What inspection shows of an organization: everything.
const INSPECTION: organizations::Extras = organizations::Extras {
    counts: true,
    elevated: true,
};
