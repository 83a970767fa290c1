//! The crate's integration tests, as one test binary: each binary links the whole crate
//! and its dependencies, so one binary instead of twenty-three saves most of their build
//! time. Each module is one subject (its own header says what it covers).
//!
//! Two suites stay binaries of their own, because they change the process environment,
//! which other tests' threads read at the same time (`Client::from_env`, proxy settings):
//! `tests/http_env.rs` and `tests/webhook_verify.rs`. `tests/contract` is generated.

#[path = "../common/mod.rs"]
mod common;

#[cfg(all(feature = "auth", feature = "test-util"))]
mod auth_common;

mod auth_actix;
mod auth_axum;
mod auth_jwks;
mod auth_machine;
mod auth_testing;
mod auth_tokens;
mod compression;
mod example;
mod example_verify_token;
mod fake_clerk;
mod fake_clerk_app;
mod faults;
mod http_calls;
mod http_errors;
mod http_retries;
mod http_secrets;
mod mock_server;
mod pagination;
mod rate_limit;
mod raw;
mod six_calls;
mod stream_faults;
mod timeouts;
mod tls;
mod tracing_spans;
mod webhook_axum;
mod webhook_events;
mod webhook_receiver;
mod webhook_svix;
