//! The peer the compile-time target is measured against: progenitor's crate for the
//! same spec, built alone in the same run.
//!
//! `cargo-progenitor` ([`PROGENITOR_VERSION`]) is installed from crates.io into
//! [`PROGENITOR_DIR`] once. It is given the spec with the edits of [`super::peer_spec`]
//! and writes its crate to `target/bench/progenitor-out/`, which is copied (only the
//! files that changed, so a rerun does not rebuild it needlessly) to
//! `target/bench/progenitor/` with two additions to the manifest: an empty
//! `[workspace]`, so the crate is a workspace of its own (built into
//! `target/bench/progenitor-target/`), and the workspace's `[profile.*]` tables, so it
//! builds with the dev profile the scratch `clerk-api` builds with. Its code is as
//! progenitor writes it: `reqwest` without default features, so it ships without TLS
//! (ours carries rustls with graviola), and none is added.

use super::builds::Subject;
use super::measure::first_error;
use super::peer_spec;
use super::{step, Bench};
use crate::scratch::write_if_changed;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// The `cargo-progenitor` release installed from crates.io.
pub const PROGENITOR_VERSION: &str = "0.15.1";
/// Where it is installed, relative to the workspace root (`bin/cargo-progenitor`).
pub const PROGENITOR_DIR: &str = ".cache/progenitor";
/// The row of the peer: what is built, and that it has no TLS.
pub(super) const PEER_LABEL: &str =
    "progenitor 0.15.1's crate for the same spec (ships without TLS), alone (CPU)";
/// The peer crate's package name (unique in its graph, for `cargo clean -p`).
const PACKAGE: &str = "clerk-progenitor";

impl Bench {
    /// Generates the spec with `cargo-progenitor` into a crate of its own under
    /// `target/bench/`, its dependencies fetched, ready to be built alone. An error
    /// names the step that failed.
    pub(super) fn progenitor(&self, spec: &Path) -> Result<Subject, String> {
        let failed = |name: &str| {
            let name = name.to_owned();
            move |e: String| format!("progenitor peer, step `{name}`: {e}")
        };
        let bin = crate::cargo_install_once(
            &self.root,
            PROGENITOR_DIR,
            "cargo-progenitor",
            PROGENITOR_VERSION,
            "a few minutes",
        )
        .map_err(|e| failed("install")(e.to_string()))?;
        let edited = self.dir.join("progenitor-spec.json");
        self.edit_spec(spec, &edited)
            .map_err(failed("edit the spec"))?;
        let out = self.dir.join("progenitor-out");
        generate(&bin, &edited, &out).map_err(failed("generate"))?;
        let dir = self.dir.join("progenitor");
        self.copy_crate(&out, &dir)
            .map_err(failed("set up the crate"))?;
        let target = self.dir.join("progenitor-target");
        let fetch = self
            .cargo(&dir, &target, &["fetch", "--quiet"])
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))
            .map_err(failed("fetch its dependencies"))?;
        if !fetch.status.success() {
            return Err(failed("fetch its dependencies")(first_error(&fetch)));
        }
        Ok(Subject {
            label: PEER_LABEL.to_owned(),
            dir,
            target,
            package: PACKAGE.to_owned(),
            args: Vec::new(),
        })
    }

    /// The spec with the edits progenitor needs, written as JSON to `to`.
    fn edit_spec(&self, spec: &Path, to: &Path) -> Result<(), String> {
        let text =
            fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
        let (json, notes) = peer_spec::for_progenitor(&text)?;
        for note in notes {
            step(&format!("progenitor's spec: {note}"));
        }
        fs::write(to, json).map_err(|e| format!("{}: {e}", to.display()))
    }

    /// Copies progenitor's crate from `out` to `dir`, with its manifest completed.
    fn copy_crate(&self, out: &Path, dir: &Path) -> Result<(), String> {
        let read = |path: &Path| {
            fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
        };
        let write = |path: &Path, contents: &str| {
            write_if_changed(path, contents).map_err(|e| format!("{}: {e}", path.display()))
        };
        let workspace = read(&self.root.join("Cargo.toml"))?;
        let manifest = read(&out.join("Cargo.toml"))?;
        write(
            &dir.join("Cargo.toml"),
            &peer_manifest(&manifest, &workspace),
        )?;
        let src = out.join("src");
        let entries = fs::read_dir(&src).map_err(|e| format!("{}: {e}", src.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_file() {
                let name = path.file_name().unwrap_or_default();
                write(&dir.join("src").join(name), &read(&path)?)?;
            }
        }
        Ok(())
    }
}

/// Runs `cargo-progenitor` on the edited spec; its output replaces `out`'s files.
fn generate(bin: &Path, spec: &Path, out: &Path) -> Result<(), String> {
    let output = Command::new(bin)
        .arg("progenitor")
        .arg("--input")
        .arg(spec)
        .arg("--output")
        .arg(out)
        .args(["--name", PACKAGE, "--version", "0.0.0"])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(progenitor_error(&output))
    }
}

/// What made progenitor fail: its "gen fail" line, or the panic message.
fn progenitor_error(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if let Some(line) = stdout.lines().find(|l| l.starts_with("gen fail")) {
        return line.trim().to_owned();
    }
    let mut lines = stderr.lines();
    if lines.any(|l| l.contains("panicked at")) {
        if let Some(message) = lines.next() {
            return format!("progenitor panicked: {}", message.trim());
        }
    }
    first_error(output)
}

/// Progenitor's manifest as a workspace of its own with the workspace's profiles.
fn peer_manifest(generated: &str, workspace: &str) -> String {
    let mut manifest = generated.trim_end().to_owned();
    manifest.push_str("\n\n# Added by `cargo xtask bench`: a workspace of its own, built with the profiles of clerk-api's.\n[workspace]\n");
    let mut in_profile = false;
    for line in workspace.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_profile = trimmed.starts_with("[profile.") || trimmed == "[profile]";
        }
        if in_profile {
            manifest.push_str(line);
            manifest.push('\n');
        }
    }
    manifest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peer_manifest_is_its_own_workspace_with_the_workspace_profiles() {
        let generated = "[package]\nname = \"clerk-progenitor\"\n\n[dependencies]\nreqwest = { version = \"0.13\", default-features=false }\n\n";
        let workspace = "[workspace]\nmembers = [\"a\"]\n\n[workspace.dependencies]\nserde = \"1\"\n\n# why\n[profile.dev]\ndebug = 1\n[profile.dev.package.serde]\nopt-level = 3\n\n[patch.crates-io]\nx = { path = \"x\" }\n";
        let manifest = peer_manifest(generated, workspace);
        assert!(manifest.starts_with(generated.trim_end()), "{manifest}");
        assert!(
            manifest.ends_with(
                "[workspace]\n[profile.dev]\ndebug = 1\n[profile.dev.package.serde]\nopt-level = 3\n\n"
            ),
            "{manifest}"
        );
        assert_eq!(manifest.matches("[workspace]").count(), 1, "{manifest}");
        assert!(!manifest.contains("members") && !manifest.contains("patch"));
    }

    #[test]
    fn the_label_names_the_pinned_version() {
        assert!(PEER_LABEL.contains(&format!("progenitor {PROGENITOR_VERSION}'s")));
    }

    #[test]
    fn progenitor_failures_are_read_from_its_output() {
        use std::os::unix::process::ExitStatusExt;
        let output = |stdout: &str, stderr: &str| Output {
            status: std::process::ExitStatus::from_raw(1 << 8),
            stdout: stdout.as_bytes().to_vec(),
            stderr: stderr.as_bytes().to_vec(),
        };
        assert_eq!(
            progenitor_error(&output(
                "gen fail: UnexpectedFormat(\"unexpected content type: multipart/form-data\")\n",
                "Error: generation experienced errors\n"
            )),
            "gen fail: UnexpectedFormat(\"unexpected content type: multipart/form-data\")"
        );
        assert_eq!(
            progenitor_error(&output(
                "",
                "\nthread 'main' (1) panicked at src/method.rs:1220:9:\nassertion failed: response_types.len() <= 1\nstack backtrace:\n"
            )),
            "progenitor panicked: assertion failed: response_types.len() <= 1"
        );
    }
}
