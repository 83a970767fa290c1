//! The in-memory Clerk instance: every resource the fake keeps, and the instance
//! settings that shape their behaviour (roles, the default membership limit).

use super::domains::DomainRecord;
use super::error::{Failure, Outcome};
use super::ids::new_id;
use super::invitations::InvitationRecord;
use super::memberships::MembershipRecord;
use super::organization_invitations::OrganizationInvitationRecord;
use super::organizations::OrganizationRecord;
use super::time::Clock;
use super::users::UserRecord;
use std::collections::BTreeMap;

/// An organization role: its key (`org:admin`), display name and permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Role {
    pub key: String,
    pub name: String,
    pub permissions: Vec<String>,
}

/// The permission that makes a member one "with elevated permissions" (an admin).
pub(crate) const MANAGE_MEMBERSHIPS: &str = "org:sys_memberships:manage";

/// Clerk's two default roles and the system permissions they hold.
pub(crate) fn default_roles() -> Vec<Role> {
    let admin = [
        "org:sys_profile:manage",
        "org:sys_profile:delete",
        "org:sys_memberships:read",
        MANAGE_MEMBERSHIPS,
        "org:sys_domains:read",
        "org:sys_domains:manage",
    ];
    vec![
        Role {
            key: "org:admin".into(),
            name: "Admin".into(),
            permissions: admin.iter().map(|p| (*p).to_owned()).collect(),
        },
        Role {
            key: "org:member".into(),
            name: "Member".into(),
            permissions: vec!["org:sys_memberships:read".into()],
        },
    ]
}

/// Instance settings the fake honours.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub roles: Vec<Role>,
    /// The role an organization's creator gets.
    pub creator_role: String,
    /// The role of invitations made by automatic enrollment.
    pub default_role: String,
    /// `max_allowed_memberships` of an organization created without one (0: no limit).
    pub max_allowed_memberships: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            roles: default_roles(),
            creator_role: "org:admin".into(),
            default_role: "org:member".into(),
            // Clerk's default membership limit for a new instance.
            max_allowed_memberships: 5,
        }
    }
}

/// Where a resource is being created from: a request, or a test's seed (which may also
/// choose the id and times Clerk would set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    Api,
    Seed,
}

/// Every resource of the fake instance, keyed by id.
#[derive(Default)]
pub(crate) struct Instance {
    pub settings: Settings,
    pub users: BTreeMap<String, UserRecord>,
    pub organizations: BTreeMap<String, OrganizationRecord>,
    pub memberships: BTreeMap<String, MembershipRecord>,
    pub domains: BTreeMap<String, DomainRecord>,
    pub invitations: BTreeMap<String, InvitationRecord>,
    pub organization_invitations: BTreeMap<String, OrganizationInvitationRecord>,
    pub clock: Clock,
    /// Creation counter: breaks ties between equal sort keys in creation order.
    seq: u64,
    /// The key session tokens are signed with, made on first use (tens of milliseconds
    /// optimized, about a second unoptimized).
    #[cfg(feature = "auth")]
    pub signing_key: std::sync::Arc<std::sync::OnceLock<crate::auth::testing::TestKey>>,
}

impl Instance {
    pub fn new(settings: Settings) -> Instance {
        Instance {
            settings,
            ..Instance::default()
        }
    }

    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// A fresh id, or for a seed the `id` it names (which must be unused).
    pub fn id_for(
        &self,
        origin: Origin,
        requested: Option<String>,
        prefix: &str,
    ) -> Outcome<String> {
        match requested.filter(|_| origin == Origin::Seed) {
            Some(id) if self.id_in_use(&id) => Err(Failure::taken("id", &id)),
            Some(id) => Ok(id),
            None => Ok(new_id(prefix)),
        }
    }

    fn id_in_use(&self, id: &str) -> bool {
        self.users.contains_key(id)
            || self.organizations.contains_key(id)
            || self.memberships.contains_key(id)
            || self.domains.contains_key(id)
            || self.invitations.contains_key(id)
            || self.organization_invitations.contains_key(id)
    }

    pub fn role(&self, key: &str) -> Option<&Role> {
        self.settings.roles.iter().find(|r| r.key == key)
    }

    /// The role named `key`, or 404 `resource_not_found` naming the `role` parameter.
    pub fn known_role(&self, key: &str) -> Outcome<&Role> {
        self.role(key).ok_or_else(|| {
            Failure::new(
                404,
                "resource_not_found",
                "not found",
                format!("The instance has no organization role {key}."),
            )
            .param("role")
        })
    }
}
