//! The project's tasks, as a library so tests can run them (see `tests/`).
//!
//! `gen` turns a spec into the files of `clerk-api/src/generated`: everything is generated
//! in memory first, so a failing spec leaves the crate untouched; then each changed file
//! is replaced atomically and files the spec no longer produces are removed.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub mod bench;
pub mod cli;
pub mod contract;
pub mod error;
pub mod fuzz;
pub mod gen;
pub mod manifest;
pub mod regen_all;
pub mod report;
pub mod scratch;
pub mod semver_oracle;
pub mod test;

pub use error::{Error, Result};

/// The workspace README's examples, compiled as doctests of this crate (with every
/// hand-written feature of `clerk-api`, a dev-dependency) so they stay true. They are
/// here, not in `clerk-api`, because the README is outside the published package: an
/// `include_str!` of it there would break `cargo test` on the packaged crate.
/// `clerk-api` doctests its own README.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

/// The spec `cargo xtask gen` reads by default, relative to the workspace root.
pub const DEFAULT_SPEC: &str = "spec/clerk-backend-api.yaml";

/// The webhook spec `cargo xtask gen` reads by default: its events module is generated
/// into the same directory, in the same plan.
pub const DEFAULT_WEBHOOK_SPEC: &str = "spec/clerk-webhooks.yaml";

/// The directory the generator owns, relative to the workspace root.
pub const GENERATED_DIR: &str = "clerk-api/src/generated";

/// The cargo to run nested builds with: the one running this (`CARGO`, set by cargo for
/// what it runs), else `cargo` from `PATH`.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Where cargo writes the build output of the workspace at `root`: `CARGO_TARGET_DIR`,
/// a cargo config's `build.target-dir`, or `target/` under the root, as `cargo metadata`
/// resolves them. Everything the tasks write for themselves (scratch workspaces, logs,
/// benchmark results) goes under it, so a checkout with its target directory elsewhere
/// works and keeps its root clean.
pub fn target_dir(root: &Path) -> Result<PathBuf> {
    target_dir_with(root, std::env::var_os("CARGO_TARGET_DIR").as_deref())
}

/// [`target_dir`] as if `CARGO_TARGET_DIR` were `env` (unset when `None`). Cargo resolves
/// a relative one against the current directory, as it does for the build itself.
pub fn target_dir_with(root: &Path, env: Option<&std::ffi::OsStr>) -> Result<PathBuf> {
    let mut metadata = std::process::Command::new(cargo());
    metadata
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"));
    match env {
        Some(dir) => metadata.env("CARGO_TARGET_DIR", dir),
        None => metadata.env_remove("CARGO_TARGET_DIR"),
    };
    let output = metadata.output().map_err(Error::spawn("cargo metadata"))?;
    if !output.status.success() {
        return Err(Error::failed(
            "cargo metadata",
            String::from_utf8_lossy(&output.stderr),
        ));
    }
    let parsed: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| Error::Unexpected(format!("cargo metadata printed no JSON: {e}")))?;
    parsed["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .ok_or_else(|| Error::Unexpected("cargo metadata names no target_directory".to_owned()))
}

/// The root of the checkout this task runs in; see [`find_workspace_root`]. Panics when
/// there is none (for tests, which always run inside a checkout).
pub fn workspace_root() -> PathBuf {
    find_workspace_root().unwrap_or_else(|e| panic!("{e}"))
}

/// The root of the checkout this task runs in, found at run time, never from the path
/// the binary was compiled at: checkouts that share a target directory (a global
/// `CARGO_TARGET_DIR`, git worktrees) share one xtask binary. `cargo run` and `cargo
/// test` set `CARGO_MANIFEST_DIR` to the xtask package of the checkout they run in; a
/// binary started directly looks upwards from the current directory.
pub fn find_workspace_root() -> Result<PathBuf> {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let cwd = std::env::current_dir().ok();
    root_from(manifest_dir.as_deref(), cwd.as_deref()).ok_or(Error::NoCheckout)
}

/// The workspace root from the xtask package directory cargo names, else from the
/// nearest ancestor of `cwd` that is the workspace.
pub fn root_from(manifest_dir: Option<&Path>, cwd: Option<&Path>) -> Option<PathBuf> {
    let is_root =
        |dir: &Path| dir.join("Cargo.toml").is_file() && dir.join("xtask/Cargo.toml").is_file();
    let from_manifest = manifest_dir
        .filter(|dir| dir.file_name().is_some_and(|name| name == "xtask"))
        .and_then(Path::parent)
        .filter(|dir| is_root(dir));
    from_manifest
        .or_else(|| cwd?.ancestors().find(|dir| is_root(dir)))
        .map(Path::to_path_buf)
}

/// Runs `installer` unless `marker` already records `key` as installed, then records it:
/// how tools from package registries (pip, npm) are cached under `.cache/`.
pub fn install_once(
    marker: &Path,
    key: &str,
    what: &str,
    mut installer: std::process::Command,
) -> Result<()> {
    if fs::read_to_string(marker).is_ok_and(|installed| installed == key) {
        return Ok(());
    }
    eprintln!("installing {what} ...");
    if let Some(dir) = marker.parent() {
        fs::create_dir_all(dir).map_err(Error::io(dir))?;
    }
    let program = installer.get_program().to_string_lossy().into_owned();
    let status = installer
        .status()
        .map_err(Error::spawn(format!("{program} to install {what}")))?;
    if !status.success() {
        return Err(Error::failed(
            format!("installing {what}"),
            status.to_string(),
        ));
    }
    fs::write(marker, key).map_err(Error::io(marker))
}

/// `cargo install --locked` of `package` at `version` from crates.io into `dir` (relative
/// to the workspace `root`), once: the binary `bin/<package>` there. `how_long` tells the
/// user what the first install costs. A marker without its binary does not count.
pub fn cargo_install_once(
    root: &Path,
    dir: &str,
    package: &str,
    version: &str,
    how_long: &str,
) -> Result<PathBuf> {
    let install_root = root.join(dir);
    let bin = install_root.join("bin").join(package);
    let marker = install_root.join(".installed");
    if !bin.is_file() {
        let _ = fs::remove_file(&marker);
    }
    let mut install = std::process::Command::new(cargo());
    install
        .args(["install", "--locked", "--quiet", "--root"])
        .arg(&install_root)
        .args([package, "--version", version])
        // The tool's build is not the workspace's: its own target directory, and none
        // of the variables cargo sets for the xtask that runs this.
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_PRIMARY_PACKAGE")
        .env_remove("CARGO_MANIFEST_DIR");
    let key = format!("{package}@{version}");
    let what = format!("{key} from crates.io into {dir} ({how_long})");
    install_once(&marker, &key, &what, install)?;
    if !bin.is_file() {
        return Err(Error::Unexpected(format!(
            "cargo installed {key} but {} is missing",
            bin.display()
        )));
    }
    Ok(bin)
}

/// Writes `contents` to `path` by writing a sibling temporary file and renaming it over,
/// so readers never see half a file.
pub fn write_atomically(path: &Path, contents: &str) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("path has no parent directory"))?;
    fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    fs::write(&tmp, contents)?;
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::{root_from, target_dir_with, workspace_root};
    use std::fs;
    use std::path::Path;

    /// The target directory is the one cargo would build in: `CARGO_TARGET_DIR` when
    /// set (a relative one from the current directory, as cargo reads it).
    #[test]
    fn the_target_directory_is_the_one_cargo_uses() {
        let root = workspace_root();
        let elsewhere = std::env::temp_dir().join("xtask-shared-target");
        assert_eq!(
            target_dir_with(&root, Some(elsewhere.as_os_str())).unwrap(),
            elsewhere
        );
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(
            target_dir_with(&root, Some("relative/target".as_ref())).unwrap(),
            cwd.join("relative/target")
        );
        let default = target_dir_with(&root, None).unwrap();
        assert!(
            std::env::var_os("CARGO_BUILD_TARGET_DIR").is_some() || default == root.join("target"),
            "{}",
            default.display()
        );
        assert!(!Path::new(&elsewhere).exists(), "nothing is created");
    }

    /// Two checkouts, as with a shared target directory: each run finds the checkout
    /// cargo names (or the one the current directory is in), not the other.
    #[test]
    fn the_root_is_the_checkout_the_task_runs_in() {
        let base = std::env::temp_dir().join(format!("xtask-root-{}", std::process::id()));
        let (a, b) = (base.join("a"), base.join("b"));
        for checkout in [&a, &b] {
            fs::create_dir_all(checkout.join("xtask")).unwrap();
            fs::create_dir_all(checkout.join("spec/deep")).unwrap();
            fs::write(checkout.join("Cargo.toml"), "[workspace]\n").unwrap();
            fs::write(checkout.join("xtask/Cargo.toml"), "[package]\n").unwrap();
        }
        assert_eq!(root_from(Some(&b.join("xtask")), Some(&a)), Some(b.clone()));
        assert_eq!(root_from(None, Some(&a.join("spec/deep"))), Some(a.clone()));
        // A manifest directory that is not an xtask package is not trusted.
        assert_eq!(root_from(Some(&b.join("spec")), Some(&a)), Some(a.clone()));
        assert_eq!(root_from(None, Some(&base)), None);
        fs::remove_dir_all(&base).unwrap();
    }
}
