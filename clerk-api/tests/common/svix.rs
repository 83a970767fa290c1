//! The official `svix` package (PyPI, pinned in `.ci/requirements.txt`, installed by
//! `cargo xtask test` into `.cache/python`), run through `tests/svix_tool.py`: the
//! independent signer and verifier the webhook tests check this crate against.

use clerk_api::reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{json, Value};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The three `svix-*` headers of a signed delivery.
pub fn headers(id: &str, timestamp: u64, signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("svix-id", HeaderValue::from_str(id).unwrap());
    headers.insert("svix-timestamp", HeaderValue::from(timestamp));
    headers.insert("svix-signature", HeaderValue::from_str(signature).unwrap());
    headers
}

/// Whether a missing tool fails the test (`cargo xtask test`, CI) rather than skipping.
fn required() -> bool {
    std::env::var_os("CLERK_REQUIRE_TEST_TOOLS").is_some()
}

/// Runs one request through svix. `None` (with a printed note) when Python or svix is
/// not installed and not required.
pub fn run(request: &Value) -> Option<Value> {
    let tests = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests");
    // Where `cargo xtask test` installs the tools, so a plain `cargo test` finds them too.
    let cache = tests.join("../../.cache/python");
    let python_path = match std::env::var_os("PYTHONPATH") {
        Some(existing) if !existing.is_empty() => {
            let mut joined = cache.into_os_string();
            joined.push(":");
            joined.push(existing);
            joined
        }
        _ => cache.into_os_string(),
    };
    let child = Command::new("python3")
        .arg(tests.join("svix_tool.py"))
        .env("PYTHONPATH", python_path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) if !required() => {
            eprintln!("skipped: python3 is not available: {e}");
            return None;
        }
        Err(e) => panic!("python3: {e}"),
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(request.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("No module named") && !required() {
        eprintln!("skipped: the svix package is not installed (run `cargo xtask test`)");
        return None;
    }
    assert!(output.status.success(), "svix_tool.py failed:\n{stderr}");
    Some(serde_json::from_slice(&output.stdout).expect("svix_tool.py answers JSON"))
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
