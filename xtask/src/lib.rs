//! The project's tasks, as a library so tests can run them (see `tests/`).
//!
//! `gen` turns a spec into the files of `clerk-api/src/generated`: everything is generated
//! in memory first, so a failing spec leaves the crate untouched; then each changed file
//! is replaced atomically and files the spec no longer produces are removed.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub mod bench;
pub mod contract;
pub mod gen;
pub mod manifest;
pub mod scratch;
pub mod test;

/// The spec `cargo xtask gen` reads by default, relative to the workspace root.
pub const DEFAULT_SPEC: &str = "spec/clerk-backend-api.yaml";

/// The webhook spec `cargo xtask gen` reads by default: its events module is generated
/// into the same directory, in the same plan.
pub const DEFAULT_WEBHOOK_SPEC: &str = "spec/clerk-webhooks.yaml";

/// The directory the generator owns, relative to the workspace root.
pub const GENERATED_DIR: &str = "clerk-api/src/generated";

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Runs `installer` unless `marker` already records `key` as installed, then records it:
/// how tools from package registries (pip, npm) are cached under `.cache/`.
pub fn install_once(
    marker: &Path,
    key: &str,
    what: &str,
    mut installer: std::process::Command,
) -> Result<(), String> {
    if fs::read_to_string(marker).is_ok_and(|installed| installed == key) {
        return Ok(());
    }
    eprintln!("installing {what} ...");
    if let Some(dir) = marker.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let program = installer.get_program().to_string_lossy().into_owned();
    let status = installer
        .status()
        .map_err(|e| format!("cannot run {program} to install {what}: {e}"))?;
    if !status.success() {
        return Err(format!("installing {what} failed ({status})"));
    }
    fs::write(marker, key).map_err(|e| format!("{}: {e}", marker.display()))
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
