//! `cargo xtask test`: the project's test command (the README's, and CI's).
//!
//! Installs the Python tools the tests call (pinned in `.ci/requirements.txt`) into
//! `.cache/python` when they are missing, then runs `cargo test --workspace
//! --all-features` with them on `PYTHONPATH`: all features, so the hand-written
//! `webhook`, `axum` and `test-util` code, its tests and its README examples run too.
//! `CLERK_REQUIRE_TEST_TOOLS=1` makes tests fail, not skip, when a tool is missing.

use crate::cli::{self, Command, Parser, Stop};
use crate::{Error, Result};
use std::ffi::OsString;
use std::path::Path;
use std::process::Command as Process;

/// Where the pinned Python test tools are installed.
pub const PYTHON_CACHE: &str = ".cache/python";

/// `cargo xtask test`'s arguments: all of them go to `cargo test`.
pub struct Args {
    cargo_args: Vec<OsString>,
}

/// Runs `test` with `args` (what follows `test`); returns the exit status.
pub fn run(root: &Path, args: &[String]) -> u8 {
    cli::run::<Args>(root, args)
}

impl Command for Args {
    const USAGE: &'static str = "usage: cargo xtask test [CARGO TEST ARGUMENTS]...
  installs the Python test tools into .cache/python when missing, then runs
  `cargo test --workspace --all-features` with the arguments given
  (for example: cargo xtask test -p clerk-api --test integration auth_)";

    fn parse(_root: &Path, parser: &mut Parser) -> Result<Args, Stop> {
        let raw = parser.raw_args()?;
        // Only a first `-h`/`--help` is this task's: later ones are cargo test's.
        if matches!(raw.peek().and_then(|a| a.to_str()), Some("-h" | "--help")) {
            return Err(Stop::Help);
        }
        Ok(Args {
            cargo_args: raw.collect(),
        })
    }

    fn run(self, root: &Path) -> Result<bool> {
        install_python_tools(root)?;
        let python_path = match std::env::var_os("PYTHONPATH") {
            Some(existing) if !existing.is_empty() => {
                let mut joined = root.join(PYTHON_CACHE).into_os_string();
                joined.push(":");
                joined.push(existing);
                joined
            }
            _ => root.join(PYTHON_CACHE).into_os_string(),
        };
        let status = Process::new(env!("CARGO"))
            .current_dir(root)
            // Every feature: the hand-written ones (`test-util`, ...) are off by default
            // and their tests are gated on them.
            .args(["test", "--workspace", "--all-features"])
            .args(&self.cargo_args)
            .env("PYTHONPATH", python_path)
            .env("CLERK_REQUIRE_TEST_TOOLS", "1")
            .status()
            .map_err(Error::spawn("cargo test"))?;
        Ok(status.success())
    }
}

fn install_python_tools(root: &Path) -> Result<()> {
    let requirements = root.join(".ci/requirements.txt");
    let wanted = std::fs::read_to_string(&requirements).map_err(Error::io(&requirements))?;
    let target = root.join(PYTHON_CACHE);
    let mut pip = Process::new("python3");
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
