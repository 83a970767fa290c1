//! Shared set-up for the HTTP tests: a wiremock server on 127.0.0.1, a client pointed
//! at it, JSON fixtures, and accessors for what the server received.

// Each user (the `integration` binary, `http_env`) uses a different subset of these helpers.
#![allow(dead_code)]

use clerk_api::{ApiError, Client, ClientBuilder, Error, RetryPolicy};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request as Received, ResponseTemplate};

/// The secret key every test client uses; no output may ever contain it.
pub const SECRET: &str = "sk_test_secret";

/// A builder for a client that talks to `server` with [`SECRET`].
pub mod arrival_server;
pub mod fault_server;
pub mod python;
pub mod raw_http;
pub mod svix;

pub fn builder_for(server: &MockServer) -> ClientBuilder {
    Client::builder(SECRET).base_url(server.uri())
}

/// A fresh mock server and a client with the default settings pointed at it.
pub async fn server_and_client() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = builder_for(&server).build().expect("client builds");
    (server, client)
}

/// A fresh mock server and a client with this retry policy pointed at it.
pub async fn server_and_client_with_retry(policy: RetryPolicy) -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = builder_for(&server)
        .retry(policy)
        .build()
        .expect("client builds");
    (server, client)
}

/// The default policy with a 10 ms first backoff, so retry tests stay fast.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(10))
}

/// Answers every request with `response`.
pub async fn respond_to_any(server: &MockServer, response: ResponseTemplate) {
    Mock::given(any())
        .respond_with(response)
        .mount(server)
        .await;
}

/// Answers `verb path` with `responses` in order; the last one answers every later request.
pub async fn respond_in_sequence(
    server: &MockServer,
    verb: &str,
    url_path: &str,
    responses: Vec<ResponseTemplate>,
) {
    let last = responses
        .len()
        .checked_sub(1)
        .expect("at least one response");
    for (i, response) in responses.into_iter().enumerate() {
        let mock = Mock::given(method(verb))
            .and(path(url_path))
            .respond_with(response);
        // Same priority: wiremock tries mocks in mount order, skipping exhausted ones.
        let mock = if i < last {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.mount(server).await;
    }
}

/// Every request the server has received so far, in order.
pub async fn received(server: &MockServer) -> Vec<Received> {
    server
        .received_requests()
        .await
        .expect("request recording is enabled")
}

/// The one request the server received (fails when it got another number).
pub async fn only_request(server: &MockServer) -> Received {
    let mut requests = received(server).await;
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {requests:?}"
    );
    requests.remove(0)
}

/// A header of a received request as text (fails when it is missing or not UTF-8).
pub fn header<'a>(request: &'a Received, name: &str) -> &'a str {
    request
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("request has no `{name}` header: {request:?}"))
        .to_str()
        .expect("header is text")
}

/// The decoded query pairs of a received request, in order.
pub fn query_pairs(request: &Received) -> Vec<(String, String)> {
    request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The values of one query parameter, in order.
pub fn query_values(request: &Received, name: &str) -> Vec<String> {
    query_pairs(request)
        .into_iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v)
        .collect()
}

/// Whether `needle` occurs in `haystack`.
pub fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// An `Organization` as Clerk returns it.
pub fn organization_json(id: &str, name: &str) -> Value {
    json!({
        "object": "organization",
        "id": id,
        "name": name,
        "slug": name.to_lowercase(),
        "has_image": false,
        "image_url": null,
        "max_allowed_memberships": 5,
        "admin_delete_enabled": true,
        "public_metadata": {"plan": "pro"},
        "private_metadata": {},
        "created_at": 1_700_000_000_000_i64,
        "updated_at": 1_700_000_000_500_i64
    })
}

/// An `OrganizationWithLogo` as Clerk returns it after an upload.
pub fn organization_with_logo_json(id: &str, image_url: &str) -> Value {
    let mut org = organization_json(id, "Acme");
    org["has_image"] = json!(true);
    org["image_url"] = json!(image_url);
    org
}

/// An `OrganizationDomain` as Clerk returns it.
pub fn domain_json(id: &str, organization_id: &str, name: &str) -> Value {
    json!({
        "object": "organization_domain",
        "id": id,
        "organization_id": organization_id,
        "name": name,
        "enrollment_mode": "automatic_invitation",
        "affiliation_verification": {"status": "unverified", "strategy": "email_code"},
        "total_pending_invitations": 0,
        "total_pending_suggestions": 2,
        "created_at": 1_700_000_000_000_i64,
        "updated_at": 1_700_000_000_000_i64
    })
}

/// A `DeletedObject` as Clerk returns it.
pub fn deleted_json(id: &str, object: &str) -> Value {
    json!({"id": id, "object": object, "deleted": true})
}

/// A `ClerkErrors` body with one error.
pub fn clerk_errors_json(code: &str, message: &str, long_message: &str, trace: &str) -> Value {
    json!({
        "errors": [{"message": message, "long_message": long_message, "code": code, "meta": {}}],
        "clerk_trace_id": trace
    })
}

/// The [`ApiError`] inside `error` (fails for any other kind of error).
pub fn expect_api_error(error: &Error) -> &ApiError {
    match error {
        Error::Api(api) => api,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// An example binary as `cargo test` builds it (next to the test binary), or built on
/// demand when only the test target was compiled.
pub fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let built = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join(name);
    if built.exists() {
        return built;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    // A target directory of its own (the test's may be locked by the build running it),
    // inside cargo's, wherever that is.
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("example-target");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&root)
        .args([
            "build",
            "--quiet",
            "-p",
            "clerk-api",
            "--all-features",
            "--example",
            name,
        ])
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .unwrap();
    assert!(status.success());
    target.join("debug/examples").join(name)
}

/// A `User` as Clerk returns it; users with an odd number have no primary email or name.
pub fn user_json(i: usize) -> Value {
    let named = i.is_multiple_of(2);
    json!({
        "object": "user",
        "id": format!("user_{i:03}"),
        "primary_email_address_id": if named { json!(format!("idn_{i:03}")) } else { Value::Null },
        "first_name": if named { json!("Ada") } else { Value::Null },
        "last_name": if named { json!(format!("Lovelace {i}")) } else { Value::Null },
        "has_image": false,
        "public_metadata": {},
        "email_addresses": if named {
            json!([
                {"object": "email_address", "id": "idn_other", "email_address": "other@example.com",
                 "reserved": false, "linked_to": [], "created_at": 1, "updated_at": 1},
                {"object": "email_address", "id": format!("idn_{i:03}"),
                 "email_address": format!("ada{i}@example.com"), "reserved": false,
                 "linked_to": [], "created_at": 1, "updated_at": 1},
            ])
        } else {
            json!([])
        },
        "phone_numbers": [],
        "web3_wallets": [],
        "passkeys": [],
        "password_enabled": true,
        "two_factor_enabled": false,
        "totp_enabled": false,
        "backup_code_enabled": false,
        "external_accounts": [],
        "saml_accounts": [],
        "enterprise_accounts": [],
        "banned": false,
        "locked": false,
        "delete_self_enabled": true,
        "create_organization_enabled": true,
        "updated_at": 1_700_000_000_000_i64,
        "created_at": 1_700_000_000_000_i64
    })
}

/// An `OrganizationMembership` as Clerk returns it, in organization `org_1`.
pub fn membership_json(user_id: &str, email: &str, role: &str) -> Value {
    json!({
        "object": "organization_membership",
        "id": format!("orgmem_{user_id}"),
        "role": role,
        "permissions": [],
        "public_metadata": {},
        "organization": {
            "object": "organization", "id": "org_1", "name": "Acme", "slug": "acme",
            "has_image": false, "max_allowed_memberships": 5, "admin_delete_enabled": true,
            "public_metadata": {}, "created_at": 1, "updated_at": 1
        },
        "public_user_data": {
            "user_id": user_id, "identifier": email, "image_url": "https://img.example/x",
            "has_image": false
        },
        "created_at": 1,
        "updated_at": 1
    })
}
