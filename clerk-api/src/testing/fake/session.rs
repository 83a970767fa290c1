//! Session tokens signed by the fake's own key (features `auth` and `test-util`), which
//! its `/jwks` serves, so [`Verifier::with_jwks`](crate::auth::Verifier::with_jwks) on
//! the fake's client accepts them.

use super::ids::new_id;
use super::memberships;
use super::organizations;
use super::state::Instance;
use super::FakeClerk;
use crate::auth::testing::TestKey;
use std::sync::OnceLock;

/// The fake's key, made on first use.
pub(crate) fn signing_key(shared: &OnceLock<TestKey>) -> &TestKey {
    shared.get_or_init(|| TestKey::generate(new_id("ins")))
}

/// A version 1 session token for `user_id`, with the organization's claims when one is
/// active. Panics for a user the fake does not hold, or a user who is not a member of
/// the organization: Clerk would not issue such a session.
pub(crate) fn token(
    inst: &Instance,
    issuer: &str,
    user_id: &str,
    organization: Option<&str>,
) -> String {
    assert!(
        inst.users.contains_key(user_id),
        "the fake Clerk has no user {user_id} to sign a session token for"
    );
    let key = signing_key(&inst.signing_key);
    let mut token = key
        .token(user_id)
        .session_id(&new_id("sess"))
        .issuer(issuer);
    if let Some(wanted) = organization {
        let org = organizations::find(inst, wanted)
            .unwrap_or_else(|_| panic!("the fake Clerk has no organization {wanted}"));
        let membership = memberships::find(inst, &org.id, user_id)
            .unwrap_or_else(|| panic!("user {user_id} is not a member of organization {wanted}"));
        let permissions: Vec<&str> = inst
            .role(&membership.role)
            .map(|r| r.permissions.iter().map(String::as_str).collect())
            .unwrap_or_default();
        token = token
            .organization(&org.id, &membership.role, &permissions)
            .claim("org_slug", org.slug.as_str());
    }
    token.sign()
}

/// Session tokens (features `auth` and `test-util`).
#[cfg_attr(docsrs, doc(cfg(feature = "auth")))]
impl FakeClerk {
    /// A session token for `user_id` with no active organization: RS256, signed by the
    /// fake's key (the one its `/jwks` serves, made on first use), valid for 60 s,
    /// issued by the fake's URL, with a fresh `sid`.
    /// [`Verifier::with_jwks(fake.client())`](crate::auth::Verifier::with_jwks)
    /// verifies it.
    ///
    /// # Panics
    ///
    /// When the fake holds no such user.
    pub fn session_token(&self, user_id: &str) -> String {
        self.read(|inst| token(inst, &self.server.url(), user_id, None))
    }

    /// A session token whose active organization (id or slug) is one `user_id` is a
    /// member of: `org_id`, `org_slug`, and the membership's role and that role's
    /// permissions as `org_role` and `org_permissions`, as the fake holds them now.
    ///
    /// # Panics
    ///
    /// When the fake holds no such user or organization, or no such membership.
    pub fn session_token_in(&self, user_id: &str, organization: &str) -> String {
        self.read(|inst| token(inst, &self.server.url(), user_id, Some(organization)))
    }

    /// The fake's signing key, for tokens of any other shape:
    /// `fake.signing_key().token(user_id).expired().sign()`.
    pub fn signing_key(&self) -> &crate::auth::testing::TestKey {
        signing_key(&self.key)
    }
}
