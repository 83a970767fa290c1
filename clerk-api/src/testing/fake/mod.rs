//! [`FakeClerk`]: a stateful Clerk Backend API on 127.0.0.1, for tests that should not
//! script every answer.

mod backend;
mod call;
mod domains;
mod error;
mod ids;
mod invitations;
mod jwks;
mod list;
mod memberships;
mod metadata;
mod organization_invitations;
mod organizations;
mod routes;
#[cfg(feature = "auth")]
mod session;
mod state;
mod time;
mod users;

pub use backend::{FakeAnswer, NOT_MODELLED_ERROR_CODE};

use super::rule::MockBuilder;
use super::server::MockServer;
use super::RecordedRequest;
use crate::{Client, ClientBuilder};
use backend::{lock, FakeBackend};
use call::Body;
use error::Outcome;
use reqwest::Method;
use serde_json::Value;
use state::{Instance, Origin, Role, Settings};
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

/// An in-memory Clerk instance behind a real HTTP server on 127.0.0.1 (feature
/// `test-util`), and [`FakeClerk::client`], an ordinary [`Client`] pointed at it.
///
/// Unlike [`MockServer`](super::MockServer), whose every answer a test scripts, the
/// fake keeps state: a user created by one call is there for the next, in any order
/// the code under test asks. It models users, organizations, memberships, organization
/// domains, invitations, organization invitations and `GET /jwks`, answering in the
/// shapes of Clerk's spec and with Clerk's errors (see the [module docs](super) for
/// the list and the behaviours).
///
/// ```
/// use clerk_api::testing::FakeClerk;
/// use serde_json::json;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let fake = FakeClerk::start().await;
/// let ada = fake.seed_user(json!({"email_address": ["ada@example.com"], "first_name": "Ada"}));
///
/// let client = fake.client();
/// let user = client.get_user(&ada, &Default::default()).await.unwrap();
/// assert_eq!(user.first_name.as_deref(), Some("Ada"));
///
/// let missing = client.get_user("user_missing", &Default::default()).await.unwrap_err();
/// assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
/// assert_eq!(fake.requests().len(), 2);
/// # }
/// ```
///
/// Other ways in: [`FakeClerk::on`] and [`FakeClerk::on_operation`] add
/// `MockServer`-style rules, which answer before the state does (a fault, a slow
/// answer, an operation the fake does not model); [`FakeClerk::seed_user`] and its
/// siblings build state up front, and [`FakeClerk::user`] and its siblings read it
/// back. With the `auth` feature, [`FakeClerk::session_token`] mints session tokens
/// its `/jwks` verifies.
///
/// The server runs on the tokio runtime that started it and stops when dropped.
pub struct FakeClerk {
    server: MockServer,
    backend: Arc<FakeBackend>,
    /// The instance's signing key (shared with it), for minting without its lock.
    #[cfg(feature = "auth")]
    key: Arc<std::sync::OnceLock<crate::auth::testing::TestKey>>,
}

impl fmt::Debug for FakeClerk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let instance = lock(&self.backend.instance);
        f.debug_struct("FakeClerk")
            .field("url", &self.url())
            .field("users", &instance.users.len())
            .field("organizations", &instance.organizations.len())
            .finish_non_exhaustive()
    }
}

/// Settings of a [`FakeClerk`] before it starts: see [`FakeClerk::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct FakeClerkBuilder {
    port: u16,
    settings: Settings,
}

impl FakeClerkBuilder {
    /// Listens on this port of 127.0.0.1 (default 0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// `max_allowed_memberships` of organizations created without one (default 5, as
    /// a new Clerk instance; 0 is no limit).
    pub fn max_allowed_memberships(mut self, limit: i64) -> Self {
        self.settings.max_allowed_memberships = limit;
        self
    }

    /// Adds (or redefines) an organization role, e.g. `("org:billing", "Billing",
    /// &["org:invoices:manage"])`. `org:admin` and `org:member` exist from the start.
    pub fn role(mut self, key: &str, name: &str, permissions: &[&str]) -> Self {
        self.settings.roles.retain(|r| r.key != key);
        self.settings.roles.push(Role {
            key: key.to_owned(),
            name: name.to_owned(),
            permissions: permissions.iter().map(|p| (*p).to_owned()).collect(),
        });
        self
    }

    /// Starts the server.
    ///
    /// # Errors
    ///
    /// When the port cannot be bound.
    pub async fn start(self) -> std::io::Result<FakeClerk> {
        let instance = Instance::new(self.settings);
        #[cfg(feature = "auth")]
        let key = instance.signing_key.clone();
        let backend = Arc::new(FakeBackend {
            instance: Mutex::new(instance),
            answers: Mutex::default(),
        });
        let server = MockServer::start_with(self.port, backend.clone(), "/v1").await?;
        Ok(FakeClerk {
            server,
            backend,
            #[cfg(feature = "auth")]
            key,
        })
    }
}

impl FakeClerk {
    /// Starts a fake with the default settings on a free port of 127.0.0.1.
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound, or outside a tokio runtime.
    pub async fn start() -> FakeClerk {
        FakeClerk::builder()
            .start()
            .await
            .expect("the fake Clerk binds a port on 127.0.0.1")
    }

    /// Clerk's operationIds of the operations the fake answers from its state.
    pub fn modelled_operations() -> Vec<&'static str> {
        routes::ROUTES.iter().map(|r| r.operation_id).collect()
    }

    pub fn builder() -> FakeClerkBuilder {
        FakeClerkBuilder {
            port: 0,
            settings: Settings::default(),
        }
    }

    /// The base URL, `http://127.0.0.1:PORT/v1` (as Clerk's ends in `/v1`): what
    /// `CLERK_API_URL` is set to for code that builds its client with
    /// [`Client::from_env`]. Requests without the `/v1` are answered too.
    pub fn url(&self) -> String {
        format!("{}/v1", self.server.url())
    }

    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// A [`Client`] for this fake, as [`MockServer::client`](super::MockServer::client)
    /// makes one (secret key [`TEST_SECRET_KEY`](super::TEST_SECRET_KEY), retry backoff
    /// in milliseconds, operations named to the server).
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("the fake client's settings are valid")
    }

    /// The builder behind [`FakeClerk::client`], to change other settings first.
    pub fn client_builder(&self) -> ClientBuilder {
        self.server.client_builder().base_url(self.url())
    }

    /// A rule for `method` requests to `path` (as the spec writes it, without `/v1`),
    /// answered before the state is consulted: see [`MockServer::on`](super::MockServer::on).
    /// With [`MockBuilder::times`] it is a passing fault (a `429`, a `503`), with
    /// [`MockBuilder::pass_through_after`] a slow answer from the state.
    pub fn on(&self, method: Method, path: &str) -> MockBuilder<'_> {
        self.server.on(method, path)
    }

    /// A rule for one operation, by Clerk's operationId. The fake names the operations
    /// it models whatever the client; others only [`FakeClerk::client`] names.
    pub fn on_operation(&self, operation_id: &str) -> MockBuilder<'_> {
        self.server.on_operation(operation_id)
    }

    /// A rule for every request (narrow it with [`MockBuilder::matching`]).
    pub fn on_any(&self) -> MockBuilder<'_> {
        self.server.on_any()
    }

    /// Every request received, in order of arrival, its path without `/v1`.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.server.requests()
    }

    /// Every answer the fake made from its state (or `501`), in order.
    pub fn answers(&self) -> Vec<FakeAnswer> {
        lock(&self.backend.answers).clone()
    }

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

    /// Reads the instance: `read` gets it locked, and requests wait meanwhile.
    fn read<T>(&self, read: impl FnOnce(&Instance) -> T) -> T {
        read(&lock(&self.backend.instance))
    }

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

/// Session tokens (features `auth` and `test-util`).
#[cfg(feature = "auth")]
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
        self.read(|inst| session::token(inst, &self.server.url(), user_id, None))
    }

    /// A session token whose active organization (id or slug) is one `user_id` is a
    /// member of: `org_id`, `org_slug`, and the membership's role and that role's
    /// permissions as `org_role` and `org_permissions`, as the fake holds them now.
    ///
    /// # Panics
    ///
    /// When the fake holds no such user or organization, or no such membership.
    pub fn session_token_in(&self, user_id: &str, organization: &str) -> String {
        self.read(|inst| session::token(inst, &self.server.url(), user_id, Some(organization)))
    }

    /// The fake's signing key, for tokens of any other shape:
    /// `fake.signing_key().token(user_id).expired().sign()`.
    pub fn signing_key(&self) -> &crate::auth::testing::TestKey {
        session::signing_key(&self.key)
    }
}
