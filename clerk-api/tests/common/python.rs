//! Runs one of the Python tools in `tests/` (the independent implementations the tests
//! check this crate against), with the pinned packages `cargo xtask test` installs into
//! `.cache/python` on `PYTHONPATH`: one JSON request on stdin, one JSON answer on stdout.

use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Whether a missing tool fails the test (`cargo xtask test`, CI) rather than skipping.
pub fn required() -> bool {
    std::env::var_os("CLERK_REQUIRE_TEST_TOOLS").is_some()
}

/// The answer of `tests/<script>` to `request`. `None` (with a printed note) when
/// Python or the tool's package is not installed and not required.
pub fn run_tool(script: &str, request: &Value) -> Option<Value> {
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
        .arg(tests.join(script))
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
        eprintln!(
            "skipped: {script} needs a package that is not installed (run `cargo xtask test`)"
        );
        return None;
    }
    assert!(output.status.success(), "{script} failed:\n{stderr}");
    Some(
        serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{script} answers JSON: {e}")),
    )
}
