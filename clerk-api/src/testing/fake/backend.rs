//! The fake's answer to a request no rule took: its route's handler, run on the
//! instance, or `501` naming an operation the fake does not model. Each answer is kept
//! for [`FakeClerk::answers`](super::FakeClerk::answers).

use super::call::Call;
use super::error::Failure;
use super::routes::route;
use super::state::Instance;
use crate::testing::server::Backend;
use crate::testing::{MockResponse, RecordedRequest};
use reqwest::Method;
use serde_json::Value;
use std::sync::{Mutex, MutexGuard};

/// The error code of the `501` answer to an operation the fake does not model.
pub const NOT_MODELLED_ERROR_CODE: &str = "fake_operation_not_modelled";

/// One answer the fake made from its state (rules' answers are not among them).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FakeAnswer {
    /// The request, as [`FakeClerk::requests`](super::FakeClerk::requests) lists it.
    pub request: RecordedRequest,
    pub status: u16,
    /// The JSON body answered.
    pub body: Value,
}

pub(crate) struct FakeBackend {
    pub instance: Mutex<Instance>,
    pub answers: Mutex<Vec<FakeAnswer>>,
}

/// A lock that survives a panicking test thread: later requests still see the state.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl FakeBackend {
    fn answer_json(&self, request: &RecordedRequest) -> (u16, Value) {
        let Some((route, params)) = route(&request.method, &request.path) else {
            return (501, not_modelled(request).to_json());
        };
        let outcome = Call::new(request, params)
            .and_then(|call| (route.handler)(&mut lock(&self.instance), &call));
        match outcome {
            Ok(body) => (200, body),
            Err(failure) => (failure.status, failure.to_json()),
        }
    }
}

impl Backend for FakeBackend {
    fn operation_of(&self, method: &Method, path: &str) -> Option<&'static str> {
        route(method, path).map(|(route, _)| route.operation_id)
    }

    fn answer(&self, request: &RecordedRequest) -> MockResponse {
        let (status, body) = self.answer_json(request);
        let response = MockResponse::json(status, &body);
        lock(&self.answers).push(FakeAnswer {
            request: request.clone(),
            status,
            body,
        });
        response
    }
}

fn not_modelled(request: &RecordedRequest) -> Failure {
    let operation = request
        .operation_id
        .clone()
        .unwrap_or_else(|| format!("{} {}", request.method, request.path));
    let mut failure = Failure::new(
        501,
        NOT_MODELLED_ERROR_CODE,
        "not modelled",
        format!(
            "The fake Clerk does not model {operation} ({} {}); answer it with a rule (FakeClerk::on_operation).",
            request.method, request.path
        ),
    );
    failure
        .meta
        .insert("operation".into(), Value::String(operation));
    failure
}
