//! [`FakeClerk`]: a stateful Clerk Backend API on 127.0.0.1, for tests that should not
//! script every answer.

mod backend;
mod call;
mod domains;
mod error;
mod ids;
mod inspect;
mod invitations;
mod jwks;
mod list;
mod memberships;
mod metadata;
mod organization_invitations;
mod organizations;
mod routes;
mod seed;
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
use reqwest::Method;
use state::{Instance, Role, Settings};
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
/// let user = client.get_user(&ada).await.unwrap();
/// assert_eq!(user.first_name.as_deref(), Some("Ada"));
///
/// let missing = client.get_user("user_missing").await.unwrap_err();
/// assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
/// assert_eq!(fake.requests().len(), 2);
/// # }
/// ```
///
/// Other ways in: [`FakeClerk::on`] and [`FakeClerk::on_operation`] add
/// `MockServer`-style rules, which answer before the state does (a fault, a slow
/// answer, an operation the fake does not model); [`FakeClerk::seed_user`] and its
/// siblings build state up front, and [`FakeClerk::user`] and its siblings read it
/// back. With the `auth` feature, `FakeClerk::session_token` mints session tokens
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

    /// Reads the instance: `read` gets it locked, and requests wait meanwhile.
    fn read<T>(&self, read: impl FnOnce(&Instance) -> T) -> T {
        read(&lock(&self.backend.instance))
    }
}
