//! Building the fake's state up front, with the bodies of the create calls, and what an
//! invitation's link does.

use super::backend::lock;
use super::call::Body;
use super::error::Outcome;
use super::state::{Instance, Origin};
use super::FakeClerk;
use super::{domains, invitations, memberships, organization_invitations, organizations, users};
use serde_json::Value;

impl FakeClerk {
    fn seed(
        &self,
        what: &str,
        body: Value,
        create: impl FnOnce(&mut Instance, &Body<'_>) -> Outcome<Value>,
    ) -> String {
        let Value::Object(fields) = body else {
            panic!("a {what} seed is a JSON object, not {body}");
        };
        let created = create(&mut lock(&self.backend.instance), &Body::new(&fields))
            .unwrap_or_else(|failure| panic!("seeding a {what} failed: {failure}"));
        created["id"]
            .as_str()
            .expect("every resource has an id")
            .to_owned()
    }

    /// Creates a user as `POST /users` does from `body` (its fields, such as
    /// `email_address`, `username`, `first_name`, `public_metadata`), and returns its id.
    /// A seed may also set `id`, `created_at` (milliseconds or RFC 3339),
    /// `last_active_at` and `last_sign_in_at` (milliseconds).
    ///
    /// # Panics
    ///
    /// When Clerk would refuse the body (the message is Clerk's error).
    pub fn seed_user(&self, body: Value) -> String {
        self.seed("user", body, |inst, body| {
            users::create(inst, body, Origin::Seed)
        })
    }

    /// Creates an organization as `POST /organizations` does (`name`, `slug`,
    /// `created_by`, `max_allowed_memberships`, metadata; a seed may set `id`), and
    /// returns its id. Its `created_by` user becomes an `org:admin` member.
    ///
    /// # Panics
    ///
    /// When Clerk would refuse the body.
    pub fn seed_organization(&self, body: Value) -> String {
        self.seed("organization", body, |inst, body| {
            organizations::create(inst, body, Origin::Seed)
        })
    }

    /// Adds a member (`{"user_id", "role"}`, metadata; a seed may set `id`) to an
    /// organization (id or slug) and returns the membership's id.
    ///
    /// # Panics
    ///
    /// When Clerk would refuse it (an unknown user, a full organization, ...).
    pub fn seed_membership(&self, organization: &str, body: Value) -> String {
        self.seed("membership", body, |inst, body| {
            memberships::create(inst, organization, body, Origin::Seed)
        })
    }

    /// Attaches a domain (`{"name", "enrollment_mode", "verified"}`; a seed may set `id`)
    /// to an organization and returns its id.
    ///
    /// # Panics
    ///
    /// When Clerk would refuse it.
    pub fn seed_domain(&self, organization: &str, body: Value) -> String {
        self.seed("domain", body, |inst, body| {
            domains::create(inst, organization, body, Origin::Seed)
        })
    }

    /// Creates an instance invitation (`{"email_address", ...}`) and returns its id.
    ///
    /// # Panics
    ///
    /// When Clerk would refuse it.
    pub fn seed_invitation(&self, body: Value) -> String {
        self.seed("invitation", body, |inst, body| {
            invitations::create(inst, body, Origin::Seed)
        })
    }

    /// Invites to an organization (`{"email_address", "role", ...}`) and returns the
    /// invitation's id.
    ///
    /// # Panics
    ///
    /// When Clerk would refuse it.
    pub fn seed_organization_invitation(&self, organization: &str, body: Value) -> String {
        self.seed("organization invitation", body, |inst, body| {
            organization_invitations::create(inst, organization, body, Origin::Seed)
        })
    }

    /// What the invitation's link leads to: a user signs up with the invited address
    /// (plus any other `POST /users` fields in `user`, such as `first_name`), gets the
    /// invitation's public metadata, and the invitation becomes `accepted`. Returns the
    /// new user's id.
    ///
    /// # Panics
    ///
    /// When the invitation is not pending, or Clerk would refuse the user.
    pub fn accept_invitation(&self, invitation_id: &str, user: Value) -> String {
        self.seed("user from an invitation", user, |inst, body| {
            invitations::accept(inst, invitation_id, body)
        })
    }

    /// A user who owns the invited address accepts an organization invitation: they
    /// become a member with its role and metadata, and it becomes `accepted`. Returns
    /// the membership's id.
    ///
    /// # Panics
    ///
    /// When the invitation is not pending, the user does not own the address, or is a
    /// member already.
    pub fn accept_organization_invitation(&self, invitation_id: &str, user_id: &str) -> String {
        let mut inst = lock(&self.backend.instance);
        let membership = organization_invitations::accept(&mut inst, invitation_id, user_id)
            .unwrap_or_else(|failure| panic!("accepting {invitation_id} failed: {failure}"));
        membership["id"]
            .as_str()
            .expect("a membership has an id")
            .to_owned()
    }
}
