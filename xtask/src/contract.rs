//! `cargo xtask contract [--spec PATH]`: the generated contract suite against Prism.
//!
//! Prism (npm `@stoplight/prism-cli`, pinned) is installed into `.cache/prism` when
//! missing, started on a free port of 127.0.0.1 with the spec, once in static mode and
//! once in dynamic mode with a fixed seed, and stopped on every exit path (a guard
//! kills it; Ctrl-C reaches it through the shared process group). The suite is the
//! crate's generated `tests/contract.rs`; with `--spec`, the crate is regenerated into
//! a scratch copy under cargo's target directory first and the workspace is left
//! untouched. Prism's log is `prism.log` there.

use crate::cli::{self, Command, Long, Parser, Stop};
use crate::scratch::{ScratchCrate, ScratchWorkspace};
use crate::{Error, Result, DEFAULT_SPEC, GENERATED_DIR};
use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

pub const PRISM_PACKAGE: &str = "@stoplight/prism-cli@5.16.0";
pub const PRISM_DIR: &str = ".cache/prism";
const PRISM_SEED: &str = "20251110";

/// The crate the suite runs in: the workspace's own, or a scratch copy.
struct Target {
    dir: PathBuf,
    package: String,
    /// The cargo target directory of its build.
    target_dir: PathBuf,
}

/// `cargo xtask contract`'s arguments.
pub struct Args {
    /// The spec given with `--spec`; the workspace's own crate is tested without one.
    spec: Option<PathBuf>,
}

/// Runs `contract` with `args` (what follows `contract`); returns the exit status.
pub fn run(root: &Path, args: &[String]) -> u8 {
    cli::run::<Args>(root, args)
}

impl Command for Args {
    const USAGE: &'static str = "usage: cargo xtask contract [--spec PATH]
  runs the generated contract suite against Prism, in static and then in dynamic mode
  --spec PATH  generate this spec into a scratch copy of the crate and test that
               (default: the workspace's crate, generated from spec/clerk-backend-api.yaml)";

    fn parse(_root: &Path, parser: &mut Parser) -> Result<Args, Stop> {
        let mut spec = None;
        while let Some(arg) = parser.next()? {
            match arg {
                Long("spec") => spec = Some(parser.value()?.into()),
                arg => return Err(cli::other(arg)),
            }
        }
        Ok(Args { spec })
    }

    /// Ends with `N passed, M failed` on stdout, also when the suite could not run.
    fn run(self, root: &Path) -> Result<bool> {
        match contract(root, self.spec) {
            Ok((passed, failed)) => {
                println!("{passed} passed, {failed} failed");
                Ok(failed == 0)
            }
            Err(e) => {
                eprintln!("error: {e}");
                println!("0 passed, 1 failed");
                Ok(false)
            }
        }
    }
}

/// Runs the suite; returns how many calls passed and failed.
fn contract(root: &Path, custom: Option<PathBuf>) -> Result<(usize, usize)> {
    let spec = custom.clone().unwrap_or_else(|| root.join(DEFAULT_SPEC));
    let spec = spec.canonicalize().map_err(Error::io(&spec))?;
    let prism = ensure_prism(root)?;
    let target_dir = crate::target_dir(root)?;
    let target = if custom.is_some() {
        scratch_target(root, &spec, &target_dir)?
    } else {
        workspace_target(root, &spec, &target_dir)?
    };
    let log = target_dir.join("prism.log");

    eprintln!("building the contract suite ...");
    let build = cargo_test(&target, &["--no-run"], None)?;
    if !build.status.success() {
        return Err(Error::failed(
            "building the contract suite",
            String::from_utf8_lossy(&build.stderr),
        ));
    }
    let mut totals = (0, 0);
    for (mode, extra) in [
        ("static", &[][..]),
        ("dynamic", &["-d", "--seed", PRISM_SEED][..]),
    ] {
        let started = Instant::now();
        let server = PrismServer::start(&prism, &spec, extra, &log)?;
        let output = cargo_test(&target, &[], Some(&server.url()))?;
        drop(server);
        let text = String::from_utf8_lossy(&output.stdout);
        let (passed, failed) = count(&text).ok_or_else(|| {
            Error::Unexpected(format!(
                "{mode} mode: no test summary in the output:\n{text}\n{}",
                String::from_utf8_lossy(&output.stderr)
            ))
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
fn workspace_target(root: &Path, spec: &Path, target_dir: &Path) -> Result<Target> {
    let output = crate::gen::generate(root, spec)?;
    let plan = crate::gen::plan_output(&root.join(GENERATED_DIR), &output)?;
    if !plan.is_empty() {
        return Err(Error::Unexpected(
            "clerk-api differs from the spec: run `cargo xtask gen` first".to_owned(),
        ));
    }
    Ok(Target {
        dir: root.to_path_buf(),
        package: "clerk-api".to_owned(),
        // The one cargo resolved (a relative `CARGO_TARGET_DIR` is relative to where
        // `cargo xtask` ran, not to the root the suite builds in).
        target_dir: target_dir.to_path_buf(),
    })
}

/// A scratch copy of the crate generated from `spec`.
fn scratch_target(root: &Path, spec: &Path, target_dir: &Path) -> Result<Target> {
    let output = crate::gen::generate(root, spec)?;
    let package = "contract-crate".to_owned();
    let crates = [ScratchCrate::new(package.clone(), output, Vec::new())];
    let dir = target_dir.join("scratch/contract");
    ScratchWorkspace::create(root, &dir, &crates)?;
    Ok(Target {
        dir,
        package,
        target_dir: target_dir.join("scratch/target"),
    })
}

fn cargo_test(target: &Target, extra: &[&str], url: Option<&str>) -> Result<std::process::Output> {
    let mut command = Process::new(crate::cargo());
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
    command.env("CARGO_TARGET_DIR", &target.target_dir);
    match url {
        Some(url) => command.env("CLERK_CONTRACT_URL", url),
        None => command.env_remove("CLERK_CONTRACT_URL"),
    };
    command.output().map_err(Error::spawn("cargo test"))
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
fn ensure_prism(root: &Path) -> Result<PathBuf> {
    let dir = root.join(PRISM_DIR);
    let bin = dir.join("node_modules/@stoplight/prism-cli/dist/index.js");
    let mut npm = Process::new("npm");
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
        return Err(Error::Unexpected(format!(
            "npm installed {PRISM_PACKAGE} but {} is missing",
            bin.display()
        )));
    }
    Ok(bin)
}

/// A running Prism; dropping it stops the process.
struct PrismServer {
    child: Child,
    port: u16,
}

impl PrismServer {
    /// Starts Prism on `spec`, logging to `log_path` (its directory is created).
    fn start(bin: &Path, spec: &Path, extra: &[&str], log_path: &Path) -> Result<PrismServer> {
        let port = free_port()?;
        if let Some(dir) = log_path.parent() {
            fs::create_dir_all(dir).map_err(Error::io(dir))?;
        }
        let log = fs::File::create(log_path).map_err(Error::io(log_path))?;
        let log_err = log.try_clone().map_err(Error::io(log_path))?;
        let child = Process::new("node")
            .arg(bin)
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .args(extra)
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(Error::spawn("node (Prism)"))?;
        let mut server = PrismServer { child, port };
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                let log = fs::read_to_string(log_path).unwrap_or_default();
                return Err(Error::failed(
                    format!("Prism (exited {status} before listening)"),
                    log,
                ));
            }
            let log = fs::read_to_string(log_path).unwrap_or_default();
            if log.contains("Prism is listening") && TcpStream::connect(("127.0.0.1", port)).is_ok()
            {
                return Ok(server);
            }
            if Instant::now() > deadline {
                return Err(Error::failed(
                    "Prism (did not start listening within 90 s)",
                    log,
                ));
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

fn free_port() -> Result<u16> {
    let no_port = |e| Error::Unexpected(format!("no free port on 127.0.0.1: {e}"));
    let listener = TcpListener::bind("127.0.0.1:0").map_err(no_port)?;
    listener.local_addr().map(|a| a.port()).map_err(no_port)
}

#[cfg(test)]
mod tests {
    use super::{count, PrismServer, Process};
    use std::fs;
    use std::io::Read as _;

    /// A stand-in for Prism's entry point: listens where Prism would, answers every
    /// connection with a fixed line, and logs what Prism logs when it is ready.
    const STAND_IN: &str = r#"
const port = Number(process.argv[process.argv.indexOf("-p") + 1]);
require("net").createServer((s) => s.end("stand-in\n")).listen(port, "127.0.0.1", () => {
  console.log("[CLI] ...  info      Prism is listening on http://127.0.0.1:" + port);
});
"#;

    /// With a target directory elsewhere (as `CARGO_TARGET_DIR` makes it) that does
    /// not exist yet, the server starts and its log is written there, not under the
    /// workspace's `target/` (the failure this guards: `No such file or directory`).
    #[test]
    fn prism_logs_into_a_target_directory_that_does_not_exist_yet() {
        if Process::new("node").arg("--version").output().is_err() {
            eprintln!("skipped: no node");
            return;
        }
        let root = crate::workspace_root();
        let base = crate::target_dir(&root)
            .unwrap()
            .join("tmp/prism-log-probe");
        let _ = fs::remove_dir_all(&base);
        fs::create_dir_all(&base).unwrap();
        let bin = base.join("stand-in.js");
        fs::write(&bin, STAND_IN).unwrap();
        let elsewhere = base.join("shared-target");
        let log = elsewhere.join("prism.log");
        let server = PrismServer::start(&bin, &base.join("spec.yaml"), &[], &log).unwrap();
        let mut answer = String::new();
        std::net::TcpStream::connect(("127.0.0.1", server.port))
            .unwrap()
            .read_to_string(&mut answer)
            .unwrap();
        assert_eq!(answer, "stand-in\n");
        drop(server);
        assert!(fs::read_to_string(&log)
            .unwrap()
            .contains("Prism is listening"));
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn counts_every_summary_line() {
        let output = "running 3 tests\ntest result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.1s\n\
                      test result: FAILED. 5 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out; finished in 1s\n";
        assert_eq!(count(output), Some((8, 2)));
        assert_eq!(count("no summary"), None);
    }
}
