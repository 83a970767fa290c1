//! `cargo xtask test`: the project's test command (the README's, and CI's).
//!
//! Installs the Python tools the tests call (pinned in `.ci/requirements.txt`) into
//! `.cache/python` when they are missing, then runs `cargo test --workspace
//! --all-features` with them on `PYTHONPATH`: all features, so the hand-written
//! `webhook`, `axum` and `test-util` code, its tests and its README examples run too.
//! `CLERK_REQUIRE_TEST_TOOLS=1` makes tests fail, not skip, when a tool is missing.

use std::path::Path;
use std::process::Command;

/// Where the pinned Python test tools are installed.
pub const PYTHON_CACHE: &str = ".cache/python";

pub fn run(root: &Path, args: &[String]) -> i32 {
    if let Err(e) = install_python_tools(root) {
        eprintln!("error: {e}");
        return 1;
    }
    let python_path = match std::env::var_os("PYTHONPATH") {
        Some(existing) if !existing.is_empty() => {
            let mut joined = root.join(PYTHON_CACHE).into_os_string();
            joined.push(":");
            joined.push(existing);
            joined
        }
        _ => root.join(PYTHON_CACHE).into_os_string(),
    };
    let status = Command::new(env!("CARGO"))
        .current_dir(root)
        // Every feature: the hand-written ones (`test-util`, ...) are off by default and
        // their tests are gated on them.
        .args(["test", "--workspace", "--all-features"])
        .args(args)
        .env("PYTHONPATH", python_path)
        .env("CLERK_REQUIRE_TEST_TOOLS", "1")
        .status();
    match status {
        Ok(status) => status.code().unwrap_or(1),
        Err(e) => {
            eprintln!("error: cannot run cargo test: {e}");
            1
        }
    }
}

fn install_python_tools(root: &Path) -> Result<(), String> {
    let requirements = root.join(".ci/requirements.txt");
    let wanted = std::fs::read_to_string(&requirements)
        .map_err(|e| format!("cannot read {}: {e}", requirements.display()))?;
    let target = root.join(PYTHON_CACHE);
    let mut pip = Command::new("python3");
    pip.args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--upgrade",
        "--target",
    ])
    .arg(&target)
    .arg("-r")
    .arg(&requirements);
    let what = format!("the Python test tools into {PYTHON_CACHE}");
    crate::install_once(&target.join(".requirements.txt"), &wanted, &what, pip)
}
