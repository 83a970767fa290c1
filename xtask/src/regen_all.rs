//! `cargo xtask regen-all`: the path a user walks with another spec, for every spec at
//! hand. A copy of the workspace (the files git tracks or would track: the checkout with
//! its uncommitted changes, without `target/` or `.cache/`) is regenerated in place with
//! `cargo xtask gen --spec FILE`, and the whole workspace must then pass `cargo clippy
//! --workspace --all-features -- -D warnings`: every hand-written feature compiles,
//! whatever the spec. Each spec starts from the pristine copy. The specs: every fixture
//! (`codegen/tests/fixtures/*.yaml`), every Backend API release in `../shared/specs`, and
//! the webhook releases in `../shared/specs/webhooks` through `--webhooks` (they are not
//! Backend API specs); the shared folder is skipped when absent. One target directory
//! serves every spec, so dependencies build once. Too slow for `cargo test`, so CI runs
//! it as a step of its own (`.ci/run`).

use crate::cli::{self, Long, Parser, Stop, ValueExt as _};
use crate::{Error, Result};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output};
use std::time::Instant;

/// Where the copy and its target directory live, in cargo's target directory.
pub const REGEN_DIR: &str = "regen-all";

/// The published specs, relative to the workspace root.
pub const SHARED_SPECS: &str = "../shared/specs";

/// The fixtures, relative to the workspace root.
pub const FIXTURES: &str = "codegen/tests/fixtures";

/// `cargo xtask regen-all`'s arguments.
pub struct Args {
    /// Only the specs whose file name contains one of these (`--only`, repeatable).
    only: Vec<String>,
    /// The folder of published specs.
    shared: PathBuf,
}

/// Runs `regen-all` with `args` (what follows its name); returns the exit status.
pub fn run(root: &Path, args: &[String]) -> u8 {
    cli::run::<Args>(root, args)
}

impl cli::Command for Args {
    const USAGE: &'static str = "usage: cargo xtask regen-all [--only TEXT]... [--shared DIR]
  in a copy of the workspace (under cargo's target directory), for every fixture spec and
  every published spec: `cargo xtask gen --spec FILE` (a webhook release: `--webhooks
  FILE`), then `cargo clippy --workspace --all-features -- -D warnings`
  --only TEXT   only the specs whose path contains TEXT (repeatable)
  --shared DIR  the published specs, webhook releases in DIR/webhooks (default:
                ../shared/specs; skipped when absent)";

    fn parse(root: &Path, parser: &mut Parser) -> Result<Args, Stop> {
        let mut parsed = Args {
            only: Vec::new(),
            shared: root.join(SHARED_SPECS),
        };
        while let Some(arg) = parser.next()? {
            match arg {
                Long("only") => parsed.only.push(parser.value()?.string()?),
                Long("shared") => parsed.shared = parser.value()?.into(),
                arg => return Err(cli::other(arg)),
            }
        }
        Ok(parsed)
    }

    fn run(self, root: &Path) -> Result<bool> {
        let mut specs = specs(root, &self.shared)?;
        if !self.only.is_empty() {
            specs.retain(|s| self.only.iter().any(|o| s.label().contains(o.as_str())));
        }
        let dir = crate::target_dir(root)?.join(REGEN_DIR);
        let copy = WorkspaceCopy::new(root, &dir.join("workspace"))?;
        let target_dir = dir.join("target");
        let started = Instant::now();
        let mut failures = Vec::new();
        for spec in &specs {
            let at = Instant::now();
            eprint!("{} ... ", spec.label());
            let outcome = copy.check(spec, &target_dir)?;
            eprintln!(
                "{} ({:.0} s)",
                outcome.as_ref().err().map_or("ok", |(step, _)| step),
                at.elapsed().as_secs_f64()
            );
            if let Err((step, output)) = outcome {
                // Said at once: a run takes long, and the first failure is often all
                // one needs.
                eprintln!("\n=== {}: `{step}` failed\n{output}", spec.label());
                failures.push((spec.label(), step));
            }
        }
        copy.reset()?;
        eprintln!(
            "\n{} specs regenerated in place in {:.0} s: {} passed, {} failed{}",
            specs.len(),
            started.elapsed().as_secs_f64(),
            specs.len() - failures.len(),
            failures.len(),
            failures
                .iter()
                .map(|(spec, step)| format!("\n  {spec} ({step})"))
                .collect::<String>()
        );
        Ok(failures.is_empty())
    }
}

/// A spec to regenerate the crate from, and how it is given to `cargo xtask gen`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spec {
    /// `--spec FILE`: a Backend API spec (with the default webhook spec).
    Api(PathBuf),
    /// `--webhooks FILE`: a webhook spec (with the default Backend API spec).
    Webhooks(PathBuf),
}

impl Spec {
    pub fn label(&self) -> String {
        match self {
            Spec::Api(path) => format!("--spec {}", path.display()),
            Spec::Webhooks(path) => format!("--webhooks {}", path.display()),
        }
    }

    /// The arguments of `cargo xtask gen` for this spec.
    fn gen_args(&self) -> [&std::ffi::OsStr; 2] {
        match self {
            Spec::Api(path) => ["--spec".as_ref(), path.as_os_str()],
            Spec::Webhooks(path) => ["--webhooks".as_ref(), path.as_os_str()],
        }
    }
}

/// Every spec the command walks, in order: the fixtures, then the published Backend API
/// specs in `shared` and the webhook specs in `shared/webhooks`, when `shared` exists.
/// Paths are absolute.
pub fn specs(root: &Path, shared: &Path) -> Result<Vec<Spec>> {
    let mut specs: Vec<Spec> = spec_files(&root.join(FIXTURES), &["yaml"])?
        .into_iter()
        .map(Spec::Api)
        .collect();
    if shared.is_dir() {
        let extensions = ["yml", "yaml", "json"];
        specs.extend(spec_files(shared, &extensions)?.into_iter().map(Spec::Api));
        let webhooks = shared.join("webhooks");
        if webhooks.is_dir() {
            specs.extend(
                spec_files(&webhooks, &extensions)?
                    .into_iter()
                    .map(Spec::Webhooks),
            );
        }
    } else {
        eprintln!(
            "{} is not there: only the fixture specs are regenerated",
            shared.display()
        );
    }
    Ok(specs)
}

/// The files of `dir` (not its subdirectories) with one of `extensions`, sorted, absolute.
fn spec_files(dir: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>> {
    let dir = dir.canonicalize().map_err(Error::io(dir))?;
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map_err(Error::io(&dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// A copy of the workspace's files, kept in step with the checkout.
pub struct WorkspaceCopy {
    root: PathBuf,
    pub dir: PathBuf,
    files: BTreeSet<PathBuf>,
}

impl WorkspaceCopy {
    /// Copies the files git lists for `root` (tracked, and untracked but not ignored:
    /// the checkout as it is, uncommitted changes included) into `dir`.
    pub fn new(root: &Path, dir: &Path) -> Result<WorkspaceCopy> {
        let copy = WorkspaceCopy {
            root: root.to_path_buf(),
            dir: dir.to_path_buf(),
            files: workspace_files(root)?,
        };
        copy.reset()?;
        Ok(copy)
    }

    /// Makes the copy hold exactly the checkout's files again: changed ones rewritten,
    /// new ones removed. Unchanged files keep their modification time, so cargo does not
    /// rebuild what a spec did not touch.
    pub fn reset(&self) -> Result<()> {
        for rel in &self.files {
            let from = self.root.join(rel);
            let bytes = fs::read(&from).map_err(Error::io(&from))?;
            let to = self.dir.join(rel);
            if fs::read(&to).is_ok_and(|old| old == bytes) {
                continue;
            }
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(Error::io(parent))?;
            }
            fs::write(&to, &bytes).map_err(Error::io(&to))?;
        }
        self.remove_others(Path::new(""))
    }

    fn remove_others(&self, rel: &Path) -> Result<()> {
        let dir = self.dir.join(rel);
        for entry in fs::read_dir(&dir).map_err(Error::io(&dir))? {
            let entry = entry.map_err(Error::io(&dir))?;
            let child = rel.join(entry.file_name());
            if entry.path().is_dir() {
                self.remove_others(&child)?;
                if fs::read_dir(entry.path()).is_ok_and(|mut d| d.next().is_none()) {
                    fs::remove_dir(entry.path()).map_err(Error::io(entry.path()))?;
                }
            } else if !self.files.contains(&child) {
                fs::remove_file(entry.path()).map_err(Error::io(entry.path()))?;
            }
        }
        Ok(())
    }

    /// From the pristine copy: `cargo xtask gen` with the spec, then clippy on the
    /// whole workspace with every feature. `Err` names the step that failed and holds
    /// what it printed.
    pub fn check(
        &self,
        spec: &Spec,
        target_dir: &Path,
    ) -> Result<std::result::Result<(), (&'static str, String)>> {
        self.reset()?;
        let gen = self
            .cargo(target_dir)
            .args(["xtask", "gen"])
            .args(spec.gen_args())
            .output()
            .map_err(Error::spawn("cargo xtask gen"))?;
        if !gen.status.success() {
            return Ok(Err(("cargo xtask gen", said(&gen))));
        }
        let clippy = self
            .cargo(target_dir)
            .args(["clippy", "--workspace", "--all-features", "--quiet"])
            .args(["--", "-D", "warnings"])
            .output()
            .map_err(Error::spawn("cargo clippy"))?;
        if !clippy.status.success() {
            return Ok(Err(("cargo clippy", said(&clippy))));
        }
        Ok(Ok(()))
    }

    /// Cargo in the copy, as a user runs it there: none of the variables the cargo
    /// running this task set, and the shared target directory. Without incremental
    /// caches: each spec's crate is a build of its own (other features), whose caches
    /// would only fill the disk.
    fn cargo(&self, target_dir: &Path) -> Process {
        let mut command = Process::new(crate::cargo());
        command
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", target_dir)
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("CARGO_MANIFEST_DIR")
            .env_remove("CARGO_PRIMARY_PACKAGE")
            .env_remove("RUSTC_WORKSPACE_WRAPPER");
        command
    }
}

/// What a command printed, stderr first (cargo's diagnostics).
fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    )
}

/// The files of the checkout at `root`, relative to it: what git tracks, and what it
/// would (untracked files its ignore rules do not exclude). Files deleted in the work
/// tree are not listed.
pub fn workspace_files(root: &Path) -> Result<BTreeSet<PathBuf>> {
    let output = Process::new("git")
        .current_dir(root)
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .output()
        .map_err(Error::spawn("git ls-files"))?;
    if !output.status.success() {
        return Err(Error::failed("git ls-files", said(&output)));
    }
    let listed = String::from_utf8(output.stdout)
        .map_err(|e| Error::Unexpected(format!("git ls-files printed a non-UTF-8 path: {e}")))?;
    Ok(listed
        .split('\0')
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .filter(|p| root.join(p).is_file())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The copy holds the checkout as it is (an uncommitted file too, not what git
    /// ignores), and a reset undoes what a generation wrote or added.
    #[test]
    fn the_copy_is_the_checkout_and_a_reset_restores_it() {
        let root = crate::workspace_root();
        let files = workspace_files(&root).unwrap();
        assert!(files.contains(Path::new("Cargo.toml")));
        assert!(files.contains(Path::new("xtask/src/regen_all.rs")));
        assert!(
            !files
                .iter()
                .any(|f| f.starts_with("target") || f.starts_with(".cache")),
            "build output and tools are not copied"
        );

        let base = crate::target_dir(&root).unwrap().join("tmp/regen-all-copy");
        let _ = fs::remove_dir_all(&base);
        let checkout = base.join("checkout");
        let run = |args: &[&str]| {
            let ok = Process::new("git")
                .current_dir(&checkout)
                .args(args)
                .output()
                .unwrap()
                .status
                .success();
            assert!(ok, "git {args:?}");
        };
        fs::create_dir_all(checkout.join("src")).unwrap();
        run(&["init", "--quiet"]);
        fs::write(checkout.join(".gitignore"), "/target\n").unwrap();
        fs::write(checkout.join("src/lib.rs"), "// committed\n").unwrap();
        run(&["add", "."]);
        run(&[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "--quiet",
            "-m",
            "t",
        ]);
        fs::write(checkout.join("src/lib.rs"), "// changed\n").unwrap();
        fs::write(checkout.join("src/new.rs"), "// new\n").unwrap();
        fs::create_dir_all(checkout.join("target")).unwrap();
        fs::write(checkout.join("target/out"), "").unwrap();

        let copy = WorkspaceCopy::new(&checkout, &base.join("copy")).unwrap();
        let read = |rel: &str| fs::read_to_string(copy.dir.join(rel)).ok();
        assert_eq!(read("src/lib.rs").as_deref(), Some("// changed\n"));
        assert_eq!(read("src/new.rs").as_deref(), Some("// new\n"));
        assert_eq!(read("target/out"), None);

        fs::write(copy.dir.join("src/lib.rs"), "// generated\n").unwrap();
        fs::create_dir_all(copy.dir.join("src/generated")).unwrap();
        fs::write(copy.dir.join("src/generated/x.rs"), "").unwrap();
        copy.reset().unwrap();
        assert_eq!(read("src/lib.rs").as_deref(), Some("// changed\n"));
        assert!(!copy.dir.join("src/generated").exists());
        fs::remove_dir_all(&base).unwrap();
    }

    /// Every fixture is among the specs, as `--spec`; the shared folder's Backend API
    /// specs are `--spec` and its webhook releases `--webhooks`, when it is there.
    #[test]
    fn the_specs_are_the_fixtures_and_the_shared_releases() {
        let root = crate::workspace_root();
        let shared = root.join(SHARED_SPECS);
        let specs = specs(&root, &shared).unwrap();
        let fixtures = fs::read_dir(root.join(FIXTURES))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "yaml")
            })
            .count();
        let api = |name: &str| {
            specs
                .iter()
                .any(|s| matches!(s, Spec::Api(p) if p.ends_with(name)))
        };
        assert!(fixtures > 20);
        assert!(api("basic.yaml") && api("contract-edge.yaml"));
        if !shared.is_dir() {
            assert_eq!(specs.len(), fixtures);
            return;
        }
        let published = fs::read_dir(&shared)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().is_file())
            .filter(|e| {
                let path = e.as_ref().unwrap().path();
                path.extension().is_some_and(|x| x == "yml" || x == "yaml")
            })
            .count();
        let webhooks = specs
            .iter()
            .filter(|s| matches!(s, Spec::Webhooks(_)))
            .count();
        assert_eq!(specs.len(), fixtures + published + webhooks);
        assert!(
            !specs.iter().any(
                |s| matches!(s, Spec::Api(p) if p.parent().is_some_and(|d| d.ends_with("webhooks")))
            ),
            "a webhook release is not a Backend API spec: {specs:?}"
        );
    }
}
