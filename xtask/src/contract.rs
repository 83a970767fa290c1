//! `cargo xtask contract [--spec PATH]`: the generated contract suite against Prism.
//!
//! Prism (npm `@stoplight/prism-cli`, pinned) is installed into `.cache/prism` when
//! missing, started on a free port of 127.0.0.1 with the spec, once in static mode and
//! once in dynamic mode with a fixed seed, and stopped on every exit path (a guard
//! kills it; Ctrl-C reaches it through the shared process group). The suite is the
//! crate's generated `tests/contract.rs`; with `--spec`, the crate is regenerated into
//! a scratch copy under `target/` first and the workspace is left untouched.

use crate::scratch::{ScratchCrate, ScratchWorkspace};
use crate::{DEFAULT_SPEC, GENERATED_DIR};
use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const PRISM_PACKAGE: &str = "@stoplight/prism-cli@5.16.0";
pub const PRISM_DIR: &str = ".cache/prism";
const PRISM_SEED: &str = "20251110";

/// The crate the suite runs in: the workspace's own, or a scratch copy.
struct Target {
    dir: PathBuf,
    package: String,
    target_dir: Option<PathBuf>,
}

pub fn run(root: &Path, args: &[String]) -> i32 {
    match run_inner(root, args) {
        Ok((passed, failed)) => {
            println!("{passed} passed, {failed} failed");
            i32::from(failed > 0)
        }
        Err(e) => {
            eprintln!("error: {e}");
            println!("0 passed, 1 failed");
            1
        }
    }
}

fn run_inner(root: &Path, args: &[String]) -> Result<(usize, usize), String> {
    let mut spec = root.join(DEFAULT_SPEC);
    let mut custom = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--spec" => {
                spec = PathBuf::from(it.next().ok_or("--spec needs a path")?);
                custom = true;
            }
            other => {
                return Err(format!(
                    "unknown argument {other:?}; usage: cargo xtask contract [--spec PATH]"
                ))
            }
        }
    }
    let spec = spec
        .canonicalize()
        .map_err(|e| format!("{}: {e}", spec.display()))?;
    let prism = ensure_prism(root)?;
    let target = if custom {
        scratch_target(root, &spec)?
    } else {
        workspace_target(root, &spec)?
    };

    eprintln!("building the contract suite ...");
    let build = cargo_test(&target, &["--no-run"], None)?;
    if !build.status.success() {
        return Err(format!(
            "the contract suite does not build:\n{}",
            String::from_utf8_lossy(&build.stderr)
        ));
    }
    let mut totals = (0, 0);
    for (mode, extra) in [
        ("static", &[][..]),
        ("dynamic", &["-d", "--seed", PRISM_SEED][..]),
    ] {
        let started = Instant::now();
        let server = PrismServer::start(&prism, &spec, extra, root)?;
        let output = cargo_test(&target, &[], Some(&server.url()))?;
        drop(server);
        let text = String::from_utf8_lossy(&output.stdout);
        let (passed, failed) = count(&text).ok_or_else(|| {
            format!(
                "{mode} mode: no test summary in the output:\n{text}\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        })?;
        if failed > 0 {
            eprintln!("{text}");
        }
        eprintln!(
            "{mode} mode: {passed} passed, {failed} failed in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        totals = (totals.0 + passed, totals.1 + failed);
    }
    Ok(totals)
}

/// The workspace's crate, after checking its generated suite is current.
fn workspace_target(root: &Path, spec: &Path) -> Result<Target, String> {
    let output = crate::gen::generate(root, spec)?;
    let plan = crate::gen::plan_output(&root.join(GENERATED_DIR), &output)?;
    if !plan.is_empty() {
        return Err("clerk-api differs from the spec: run `cargo xtask gen` first".to_owned());
    }
    Ok(Target {
        dir: root.to_path_buf(),
        package: "clerk-api".to_owned(),
        target_dir: None,
    })
}

/// A scratch copy of the crate generated from `spec`.
fn scratch_target(root: &Path, spec: &Path) -> Result<Target, String> {
    let output = crate::gen::generate(root, spec)?;
    let package = "contract-crate".to_owned();
    let crates = [ScratchCrate::new(package.clone(), output, Vec::new())];
    let dir = root.join("target/scratch/contract");
    ScratchWorkspace::create(root, &dir, &crates).map_err(|e| format!("scratch workspace: {e}"))?;
    Ok(Target {
        dir,
        package,
        target_dir: Some(root.join("target/scratch/target")),
    })
}

fn cargo_test(
    target: &Target,
    extra: &[&str],
    url: Option<&str>,
) -> Result<std::process::Output, String> {
    let mut command = Command::new(crate::cargo());
    command
        .current_dir(&target.dir)
        .args([
            "test",
            "--quiet",
            "-p",
            &target.package,
            "--test",
            "contract",
        ])
        .args(extra);
    if let Some(dir) = &target.target_dir {
        command.env("CARGO_TARGET_DIR", dir);
    }
    match url {
        Some(url) => command.env("CLERK_CONTRACT_URL", url),
        None => command.env_remove("CLERK_CONTRACT_URL"),
    };
    command
        .output()
        .map_err(|e| format!("cannot run cargo test: {e}"))
}

/// Sums `test result: ... N passed; M failed` lines.
fn count(output: &str) -> Option<(usize, usize)> {
    let mut found = None;
    for line in output.lines().filter(|l| l.starts_with("test result:")) {
        let number = |word: &str| {
            line.split(';')
                .find(|part| part.trim_end().ends_with(word))
                .and_then(|part| part.split_whitespace().rev().nth(1))
                .and_then(|n| n.parse::<usize>().ok())
        };
        let (passed, failed) = found.unwrap_or((0, 0));
        found = Some((passed + number("passed")?, failed + number("failed")?));
    }
    found
}

/// The Prism entry point, installed with npm into `.cache/prism` when missing.
fn ensure_prism(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join(PRISM_DIR);
    let bin = dir.join("node_modules/@stoplight/prism-cli/dist/index.js");
    let mut npm = Command::new("npm");
    npm.args([
        "install",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        "--prefix",
    ])
    .arg(&dir)
    .arg(PRISM_PACKAGE);
    let marker = dir.join(".installed");
    if !bin.exists() {
        // A marker left by an install whose files have gone does not count.
        let _ = fs::remove_file(&marker);
    }
    let what = format!("{PRISM_PACKAGE} into {PRISM_DIR} (needs Node.js and npm)");
    crate::install_once(&marker, PRISM_PACKAGE, &what, npm)?;
    if !bin.exists() {
        return Err(format!(
            "npm installed {PRISM_PACKAGE} but {} is missing",
            bin.display()
        ));
    }
    Ok(bin)
}

/// A running Prism; dropping it stops the process.
struct PrismServer {
    child: Child,
    port: u16,
}

impl PrismServer {
    fn start(bin: &Path, spec: &Path, extra: &[&str], root: &Path) -> Result<PrismServer, String> {
        let port = free_port()?;
        let log_path = root.join("target/prism.log");
        let log =
            fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
        let log_err = log.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new("node")
            .arg(bin)
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .args(extra)
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(|e| format!("cannot start Prism with node: {e}"))?;
        let mut server = PrismServer { child, port };
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                let log = fs::read_to_string(&log_path).unwrap_or_default();
                return Err(format!("Prism exited ({status}) before listening:\n{log}"));
            }
            let log = fs::read_to_string(&log_path).unwrap_or_default();
            if log.contains("Prism is listening") && TcpStream::connect(("127.0.0.1", port)).is_ok()
            {
                return Ok(server);
            }
            if Instant::now() > deadline {
                return Err(format!("Prism did not start listening within 90 s:\n{log}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for PrismServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn counts_every_summary_line() {
        let output = "running 3 tests\ntest result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.1s\n\
                      test result: FAILED. 5 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out; finished in 1s\n";
        assert_eq!(count(output), Some((8, 2)));
        assert_eq!(count("no summary"), None);
    }
}
