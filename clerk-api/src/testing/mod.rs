//! Testing code that calls [`Client`](crate::Client), without Clerk (feature
//! `test-util`), two ways: [`MockServer`] answers what the test scripts, and
//! [`FakeClerk`] answers from the state it keeps (see [below](#a-stateful-fake)).
//!
//! [`MockServer`] is a real HTTP server on 127.0.0.1 with canned answers keyed by method
//! and path (or by operation id), and [`MockServer::client`] is an ordinary `Client`
//! pointed at it. Calls go through the whole client (authentication headers, retries,
//! rate limiting, decoding into the generated models, the error type), so a test sees
//! what production would, and every request is recorded for assertions.
//!
//! ```
//! use clerk_api::organizations::GetOrganizationParams;
//! use clerk_api::reqwest::Method;
//! use clerk_api::testing::{MockResponse, MockServer};
//! use serde_json::json;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let server = MockServer::start().await;
//! let get = server
//!     .on(Method::GET, "/organizations/{organization_id}")
//!     .respond(MockResponse::ok(&json!({
//!         "object": "organization", "id": "org_1", "name": "Acme", "slug": "acme",
//!         "has_image": false, "max_allowed_memberships": 5, "admin_delete_enabled": true,
//!         "public_metadata": {}, "created_at": 1, "updated_at": 1
//!     })));
//! server
//!     .on_operation("DeleteOrganization")
//!     .respond(MockResponse::clerk_error(404, "resource_not_found", "not found"));
//!
//! let client = server.client();
//! let org = client.get_organization("org_1").await.unwrap();
//! assert_eq!(org.name, "Acme");
//! let err = client
//!     .delete_organization("org_1")
//!     .await
//!     .unwrap_err();
//! assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
//!
//! assert_eq!(get.calls(), 1);
//! let sent = &get.requests()[0];
//! assert_eq!(sent.path, "/organizations/org_1");
//! assert_eq!(sent.header("authorization"), Some("Bearer sk_test_mock"));
//! # }
//! ```
//!
//! Answers are JSON you write (`serde_json::json!`, a string, or any `Serialize` value,
//! such as a response model once the models implement `Serialize`). A request no mock
//! matches is answered `404` with a Clerk error body whose code is
//! [`NO_MOCK_ERROR_CODE`], naming the method, path and operation, so a missing mock
//! fails the test loudly.
//!
//! What it borrows: from Clerk's Go `clerktest`, a client whose transport answers with
//! a canned status and body and lets the test assert on the method, path, query and body
//! sent; from `aws-smithy-mocks`, rules per operation with request matchers
//! ([`MockBuilder::matching`]), response sequences for testing retries
//! ([`MockBuilder::respond_in_sequence`]), limited rules ([`MockBuilder::times`]) and
//! per-rule call counts ([`Mock::calls`]). Unlike both, the answers travel over real
//! HTTP, so timeouts ([`MockResponse::delay`]) and retries behave as in production.
//!
//! # A stateful fake
//!
//! [`FakeClerk`] is an in-memory Clerk instance on the same server: what one call
//! creates, the next one finds, in whatever order the code under test asks, and the
//! test asserts on the state it left ([`FakeClerk::user`], [`FakeClerk::membership`],
//! ...). It models users, organizations, memberships, organization domains,
//! invitations, organization invitations and `GET /jwks`
//! ([`FakeClerk::modelled_operations`]), with Clerk's id prefixes, millisecond times,
//! list filters, orderings and `total_count`, and Clerk's errors for the cases Clerk
//! documents (an unknown id, a taken slug or address, a missing field, a second
//! membership, a full organization). Its answers are checked against the spec's
//! response schemas by the crate's tests. State is seeded with the bodies of the
//! create calls ([`FakeClerk::seed_user`], ...). `MockServer`'s rules work on it too
//! and answer first: a passing `429` or `5xx`, a slow answer
//! ([`MockBuilder::pass_through_after`]), or an operation it does not model, which
//! otherwise answers `501` ([`NOT_MODELLED_ERROR_CODE`]). With the `auth` feature,
//! `FakeClerk::session_token` mints session tokens its `/jwks` verifies.

mod fake;
mod recorded;
mod response;
mod rule;
mod server;

pub use fake::{FakeAnswer, FakeClerk, FakeClerkBuilder, NOT_MODELLED_ERROR_CODE};
pub use recorded::RecordedRequest;
pub use response::MockResponse;
pub use rule::{Mock, MockBuilder};
pub use server::{MockServer, NO_MOCK_ERROR_CODE, TEST_SECRET_KEY};
