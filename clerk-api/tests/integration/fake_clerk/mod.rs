//! `clerk_api::testing::FakeClerk`, the stateful fake Clerk (feature `test-util`):
//! conformance of its answers to the spec, the Clerk behaviours it reproduces, its
//! rules and faults, its sessions and its runnable example.
#![cfg(feature = "test-util")]

mod conformance;
mod domains;
mod example;
mod invitations;
mod memberships;
mod ops;
mod organizations;
mod rules;
mod sessions;
mod users;

use clerk_api::Error;

/// What a Clerk error answer said: status, `errors[0].code`, `errors[0].meta.param_name`.
#[derive(Debug, PartialEq, Eq)]
struct Refusal {
    status: u16,
    code: String,
    param: Option<String>,
}

/// The Clerk error a call ended with (fails the test on a success or another error);
/// also checks that the answer carries a trace id and both messages, as Clerk's do.
fn refusal<T: std::fmt::Debug>(result: Result<T, Error>) -> Refusal {
    let error = result.expect_err("the call should fail");
    let api = error
        .api()
        .unwrap_or_else(|| panic!("expected a Clerk error answer, got {error:?}"));
    let body = api.body().expect("a ClerkErrors body");
    assert!(body
        .clerk_trace_id
        .as_deref()
        .is_some_and(|t| !t.is_empty()));
    let first = &body.errors[0];
    assert!(!first.message.is_empty());
    assert!(first.long_message.as_deref().is_some_and(|m| !m.is_empty()));
    Refusal {
        status: api.status().as_u16(),
        code: first.code.clone(),
        param: first
            .meta
            .as_ref()
            .and_then(|m| m["param_name"].as_str())
            .map(str::to_owned),
    }
}

/// The refusal expected: `refused(422, "form_identifier_exists", Some("slug"))`.
fn refused(status: u16, code: &str, param: Option<&str>) -> Refusal {
    Refusal {
        status,
        code: code.to_owned(),
        param: param.map(str::to_owned),
    }
}
