//! The official `svix` package (PyPI, pinned in `.ci/requirements.txt`, installed by
//! `cargo xtask test` into `.cache/python`), run through `tests/svix_tool.py`: the
//! independent signer and verifier the webhook tests check this crate against.

use clerk_api::reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{json, Value};

/// The three `svix-*` headers of a signed delivery.
pub fn headers(id: &str, timestamp: u64, signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("svix-id", HeaderValue::from_str(id).unwrap());
    headers.insert("svix-timestamp", HeaderValue::from(timestamp));
    headers.insert("svix-signature", HeaderValue::from_str(signature).unwrap());
    headers
}

/// Runs one request through svix. `None` (with a printed note) when Python or svix is
/// not installed and not required.
pub fn run(request: &Value) -> Option<Value> {
    super::python::run_tool("svix_tool.py", request)
}

/// svix's `v1,<signature>` for each (secret, id, timestamp, body).
pub fn sign(cases: &[(&str, &str, u64, &str)]) -> Option<Vec<String>> {
    let cases: Vec<Value> = cases
        .iter()
        .map(|(secret, id, timestamp, body)| {
            json!({"secret": secret, "id": id, "timestamp": timestamp, "body": body})
        })
        .collect();
    let answer = run(&json!({ "sign": cases }))?;
    Some(
        answer["signatures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect(),
    )
}

/// What svix's `Webhook.verify` says of each (secret, headers, body): `ok` or its error.
pub fn verify(
    cases: &[(&str, &clerk_api::reqwest::header::HeaderMap, &str)],
) -> Option<Vec<String>> {
    let cases: Vec<Value> = cases
        .iter()
        .map(|(secret, headers, body)| {
            let headers: serde_json::Map<String, Value> = headers
                .iter()
                .map(|(k, v)| (k.to_string(), json!(v.to_str().unwrap())))
                .collect();
            json!({"secret": secret, "headers": headers, "body": body})
        })
        .collect();
    let answer = run(&json!({ "verify": cases }))?;
    Some(
        answer["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect(),
    )
}
