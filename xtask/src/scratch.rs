//! Scratch copies of the `clerk-api` crate, generated from other specs and compiled in
//! a workspace of their own under cargo's target directory: how fixture specs and other Clerk releases
//! are proven to build without touching the real crate.
//!
//! Files are only rewritten when their contents change, so cargo rebuilds only the
//! crates whose spec (or the generator's output for it) changed since the last run.

use codegen::GeneratedFile;
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The dev-dependencies a copy keeps: those its tests use (the fixtures' behaviour tests,
/// the contract harness). The others (criterion, jsonwebtoken, rsa, axum, ...) serve
/// `clerk-api`'s own tests and benches, and building them for every scratch workspace
/// cost more than the copies themselves.
const SCRATCH_DEV_DEPENDENCIES: &[&str] = &["tokio", "wiremock", "futures", "serde_json"];

/// The hand-written files of the contract suite, beside the generated `suite.rs`.
const CONTRACT_HARNESS: &[&str] = &["contract/main.rs", "contract/support.rs"];

/// One crate of a scratch workspace: a copy of `clerk-api` with other generated files,
/// plus integration tests (file name, source) to run against them.
pub struct ScratchCrate {
    pub name: String,
    pub files: Vec<GeneratedFile>,
    /// The tag features of the generation, for the manifest's `[features]`.
    pub features: Vec<String>,
    pub tests: Vec<(String, String)>,
    /// Hand-written features kept in the copy (their module `src/<feature>/` is copied,
    /// and their feature line and optional dependencies stay): the others are dropped.
    pub hand_written: Vec<&'static str>,
}

impl ScratchCrate {
    /// A crate for `output`, with its generated contract suite among the tests (the
    /// suite's hand-written harness is copied beside it, pointed at this crate).
    pub fn new(
        name: impl Into<String>,
        output: codegen::Output,
        mut tests: Vec<(String, String)>,
    ) -> Self {
        let name = name.into();
        for file in &output.contract {
            tests.push((file.path.clone(), file.contents.clone()));
        }
        ScratchCrate {
            name,
            files: output.files,
            features: output.features,
            tests,
            hand_written: Vec::new(),
        }
    }

    /// The same crate keeping the hand-written feature `feature` (for example `webhook`,
    /// whose module the generated webhook events live in; `--all-features` enables it).
    pub fn with_hand_written(mut self, feature: &'static str) -> Self {
        self.hand_written.push(feature);
        self
    }
}

/// A workspace of generated crates, each a copy of `clerk-api` with its own spec's code.
pub struct ScratchWorkspace {
    pub dir: PathBuf,
    members: Vec<String>,
}

impl ScratchWorkspace {
    /// Creates (or refreshes) `dir` as a workspace holding one crate per entry.
    pub fn create(repo: &Path, dir: &Path, crates: &[ScratchCrate]) -> crate::Result<Self> {
        Self::write(repo, dir, crates).map_err(crate::Error::io(dir))
    }

    fn write(repo: &Path, dir: &Path, crates: &[ScratchCrate]) -> io::Result<Self> {
        fs::create_dir_all(dir)?;
        let manifest = fs::read_to_string(repo.join("Cargo.toml"))?;
        let members: Vec<String> = crates.iter().map(|c| c.name.clone()).collect();
        let member_list = members
            .iter()
            .map(|m| format!("{m:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        let manifest: String = manifest
            .lines()
            .map(|line| {
                if line.starts_with("members") {
                    format!("members = [{member_list}]")
                } else if line.starts_with("default-members") {
                    String::new()
                } else {
                    line.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        write_if_changed(&dir.join("Cargo.toml"), &(manifest + "\n"))?;
        if let Ok(lock) = fs::read_to_string(repo.join("Cargo.lock")) {
            write_if_changed(&dir.join("Cargo.lock"), &lock)?;
        }
        let crate_src = repo.join("clerk-api");
        for ScratchCrate {
            name,
            files,
            features,
            tests,
            hand_written,
        } in crates
        {
            let root = dir.join(name);
            let lib = name.replace('-', "_");
            let mut wanted: BTreeMap<PathBuf, String> = BTreeMap::new();
            for (file, source) in tests {
                wanted.insert(PathBuf::from("tests").join(file), source.clone());
            }
            if tests
                .iter()
                .any(|(file, _)| file == codegen::emit::SUITE_FILE)
            {
                for harness in CONTRACT_HARNESS {
                    let source = fs::read_to_string(crate_src.join("tests").join(harness))?
                        .replacen("use clerk_api as api;", &format!("use {lib} as api;"), 1);
                    wanted.insert(PathBuf::from("tests").join(harness), source);
                }
            }
            let cargo = fs::read_to_string(crate_src.join("Cargo.toml"))?.replacen(
                "name = \"clerk-api\"",
                &format!("name = {name:?}"),
                1,
            );
            let cargo = without_hand_written(&scratch_manifest(&cargo), hand_written);
            let cargo = crate::manifest::with_features(&cargo, features, &root)
                .map_err(io::Error::other)?;
            wanted.insert(PathBuf::from("Cargo.toml"), cargo);
            wanted.insert(
                PathBuf::from("src/lib.rs"),
                fs::read_to_string(crate_src.join("src/lib.rs"))?,
            );
            // The runtime only: the hand-written features are left out of copies (see
            // `without_hand_written`), and tested in the crate itself.
            read_dir_into(
                &crate_src.join("src/runtime"),
                Path::new("src/runtime"),
                &mut wanted,
            )?;
            for feature in hand_written {
                read_dir_into(
                    &crate_src.join("src").join(feature),
                    &Path::new("src").join(feature),
                    &mut wanted,
                )?;
            }
            for file in files {
                wanted.insert(
                    PathBuf::from("src/generated").join(&file.path),
                    file.contents.clone(),
                );
            }
            sync_dir(&root, &wanted)?;
        }
        Ok(ScratchWorkspace {
            dir: dir.to_path_buf(),
            members,
        })
    }

    pub fn members(&self) -> &[String] {
        &self.members
    }

    /// `cargo clippy --workspace --all-features --tests -- -D warnings`, with its own
    /// target directory (the outer build may hold the main one's lock). `--tests`, not
    /// `--all-targets`: the copies have no examples or benches, and `--all-targets` would
    /// check each library twice, once more as its (absent) unit tests.
    pub fn clippy(&self, target_dir: &Path) -> io::Result<Output> {
        self.cargo(
            target_dir,
            &[
                "clippy",
                "--workspace",
                "--all-features",
                "--tests",
                "--quiet",
                "--",
                "-D",
                "warnings",
            ],
        )
    }

    /// `cargo test --workspace --all-features --tests`, linted as `clippy` lints (`-D
    /// warnings`) in the same compilation: clippy's driver is the rustc of the workspace's
    /// own crates. One pass instead of `clippy` and then `cargo test`, which compiled each
    /// crate and every dependency twice (checked, then built). The library's own unit
    /// tests are not built (`--tests` honours the copies' `test = false`); the contract
    /// suites are built and return at once without Prism (`CLERK_CONTRACT_URL`).
    pub fn clippy_and_test(&self, target_dir: &Path) -> io::Result<Output> {
        let driver = clippy_driver()?;
        self.command(
            target_dir,
            &[
                "test",
                "--workspace",
                "--all-features",
                "--tests",
                "--quiet",
            ],
        )
        .env("RUSTC_WORKSPACE_WRAPPER", driver)
        // How `cargo clippy` hands its arguments to the driver: each one followed by this
        // separator (clippy's `src/main.rs`).
        .env(
            "CLIPPY_ARGS",
            "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__",
        )
        .output()
    }

    /// Runs cargo in the workspace.
    fn cargo(&self, target_dir: &Path, args: &[&str]) -> io::Result<Output> {
        self.command(target_dir, args).output()
    }

    /// Cargo in the workspace. Debug info is cut to line tables: these builds are
    /// checked, not debugged, and full debug info roughly doubles their link time.
    fn command(&self, target_dir: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(crate::cargo());
        command
            .current_dir(&self.dir)
            .args(args)
            .env("CARGO_TARGET_DIR", target_dir)
            .env("CARGO_PROFILE_DEV_DEBUG", "line-tables-only")
            .env_remove("CARGO_PRIMARY_PACKAGE");
        command
    }
}

/// The `clippy-driver` of the toolchain cargo runs (rustup's proxy picks the same one),
/// or an error saying how to get it.
fn clippy_driver() -> io::Result<PathBuf> {
    let driver = PathBuf::from("clippy-driver");
    match Command::new(&driver).arg("-V").output() {
        Ok(out) if out.status.success() => Ok(driver),
        _ => Err(io::Error::other(
            "clippy-driver did not run: install clippy (`rustup component add clippy`)",
        )),
    }
}

/// The crate manifest for a scratch copy: without its `[[bench]]` targets (a copy has no
/// `benches/`), and without the library's unit tests and doctests, which test the
/// hand-written runtime that `clerk-api`'s own tests already cover.
fn scratch_manifest(manifest: &str) -> String {
    let mut out = String::with_capacity(manifest.len());
    let mut in_bench = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            in_bench = line.trim() == "[[bench]]";
        }
        if !in_bench {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("\n[lib]\ntest = false\ndoctest = false\n");
    out
}

/// The manifest without what a copy lacks: the hand-written features after the generated
/// block (`auth`, ...: their modules are not copied, and they may need tags another spec
/// does not have) except those in `keep`, the optional dependencies no kept feature
/// uses, `[[example]]` targets (no `examples/`) and the dev-dependencies other than
/// [`SCRATCH_DEV_DEPENDENCIES`] (among them the one on the crate itself). Dropped names stay known to `cfg` (never enabled), so
/// `#[cfg(feature = "auth")]` in `lib.rs` is no warning.
fn without_hand_written(manifest: &str, keep: &[&str]) -> String {
    let kept_deps = kept_dependencies(manifest, keep);
    let mut out = String::with_capacity(manifest.len());
    let mut removed_features = Vec::new();
    let (mut table, mut after_generated, mut in_example) = (String::new(), false, false);
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            table = trimmed.to_owned();
            in_example = trimmed == "[[example]]";
            after_generated = false;
        }
        if trimmed == crate::manifest::END {
            after_generated = true;
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let keep = match table.as_str() {
            _ if in_example => false,
            "[features]" if after_generated => match feature_line(trimmed) {
                Some((name, _)) if keep.contains(&name) => true,
                Some((name, _)) => {
                    removed_features.push(format!("{name:?}"));
                    false
                }
                None => false,
            },
            "[dependencies]" => {
                !trimmed.contains("optional = true")
                    || trimmed
                        .split_once('=')
                        .is_some_and(|(dep, _)| kept_deps.contains(&dep.trim()))
            }
            "[dev-dependencies]" => {
                trimmed == table
                    || trimmed.split_once('=').is_some_and(|(dep, _)| {
                        SCRATCH_DEV_DEPENDENCIES
                            .contains(&dep.trim().trim_end_matches(".workspace"))
                    })
            }
            _ => true,
        };
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !removed_features.is_empty() {
        out.push_str(&format!(
            "\n[lints.rust]\nunexpected_cfgs = {{ level = \"warn\", check-cfg = ['cfg(feature, values({}))'] }}\n",
            removed_features.join(", ")
        ));
    }
    out
}

/// `name = [items]` of a `[features]` line, or `None` for a comment or anything else.
fn feature_line(line: &str) -> Option<(&str, &str)> {
    if line.starts_with('#') {
        return None;
    }
    let (name, items) = line.split_once('=')?;
    Some((name.trim(), items.trim()))
}

/// The optional dependencies (`dep:x`) the features in `keep` enable.
fn kept_dependencies<'a>(manifest: &'a str, keep: &[&str]) -> Vec<&'a str> {
    let mut in_features = false;
    let mut deps = Vec::new();
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_features = trimmed == "[features]";
            continue;
        }
        match feature_line(trimmed) {
            Some((name, items)) if in_features && keep.contains(&name) => {
                deps.extend(
                    items
                        .split('"')
                        .filter_map(|item| item.strip_prefix("dep:")),
                );
            }
            _ => {}
        }
    }
    deps
}

/// Reads every file under `from` into `into`, keyed by its path under `prefix`.
fn read_dir_into(
    from: &Path,
    prefix: &Path,
    into: &mut BTreeMap<PathBuf, String>,
) -> io::Result<()> {
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let rel = prefix.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            read_dir_into(&entry.path(), &rel, into)?;
        } else {
            into.insert(rel, fs::read_to_string(entry.path())?);
        }
    }
    Ok(())
}

/// Makes `root` hold exactly `files` (paths relative to it) under the directories this
/// module manages (`src/`, `tests/`, `Cargo.toml`): unchanged files keep their
/// modification time, so cargo sees them as unchanged; files no longer wanted go.
fn sync_dir(root: &Path, files: &BTreeMap<PathBuf, String>) -> io::Result<()> {
    for (rel, contents) in files {
        write_if_changed(&root.join(rel), contents)?;
    }
    for managed in ["src", "tests"] {
        remove_unwanted(root, Path::new(managed), files)?;
    }
    Ok(())
}

/// Writes `contents` unless the file already holds exactly that.
pub(crate) fn write_if_changed(path: &Path, contents: &str) -> io::Result<()> {
    if fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, contents)
}

fn remove_unwanted(root: &Path, rel: &Path, files: &BTreeMap<PathBuf, String>) -> io::Result<()> {
    let dir = root.join(rel);
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in fs::read_dir(&dir)? {
        let entry = entry?;
        let child = rel.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            remove_unwanted(root, &child, files)?;
            if fs::read_dir(entry.path())?.next().is_none() {
                fs::remove_dir(entry.path())?;
            }
        } else if !files.contains_key(&child) {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass build really lints: a clippy warning in a crate or in its test fails
    /// it, a failing test fails it, and the same crate without them passes. The probe
    /// crate has no dependencies, so this builds in seconds.
    #[test]
    fn clippy_and_test_fails_on_a_clippy_warning_and_on_a_failing_test() {
        let root = crate::workspace_root();
        let dir = crate::target_dir(&root)
            .unwrap()
            .join("tmp/scratch-lint-probe");
        let _ = fs::remove_dir_all(&dir);
        let workspace = ScratchWorkspace {
            dir: dir.join("ws"),
            members: vec!["probe".to_owned()],
        };
        let write = |file: &str, text: &str| {
            let path = workspace.dir.join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        write("Cargo.toml", "[workspace]\nmembers = [\"probe\"]\n");
        write(
            "probe/Cargo.toml",
            "[package]\nname = \"probe\"\nedition = \"2021\"\n\n[lib]\ntest = false\n",
        );
        let run = || {
            let out = workspace.clippy_and_test(&dir.join("target")).unwrap();
            let text = String::from_utf8_lossy(&out.stderr).into_owned()
                + &String::from_utf8_lossy(&out.stdout);
            (out.status.success(), text)
        };
        let lib_ok = "pub fn len(v: &[u8]) -> usize { v.len() }\n";
        let test_ok = "#[test]\nfn len() { assert_eq!(probe::len(&[1]), 1); }\n";

        write(
            "probe/src/lib.rs",
            "pub fn len(v: &Vec<u8>) -> usize { v.len() }\n",
        );
        write("probe/tests/behaviour.rs", test_ok);
        let (ok, text) = run();
        assert!(!ok && text.contains("clippy::ptr_arg"), "{text}");

        write("probe/src/lib.rs", lib_ok);
        write(
            "probe/tests/behaviour.rs",
            "fn one() -> usize { return 1; }\n#[test]\nfn len() { assert_eq!(probe::len(&[1]), one()); }\n",
        );
        let (ok, text) = run();
        assert!(!ok && text.contains("clippy::needless_return"), "{text}");

        write(
            "probe/tests/behaviour.rs",
            "#[test]\nfn len() { assert_eq!(probe::len(&[1]), 2); }\n",
        );
        let (ok, text) = run();
        assert!(!ok && text.contains("test result: FAILED"), "{text}");

        write("probe/tests/behaviour.rs", test_ok);
        let (ok, text) = run();
        assert!(ok, "{text}");
    }

    #[test]
    fn hand_written_parts_are_dropped_and_their_features_stay_known_to_cfg() {
        let manifest = format!(
            "[package]\nname = \"x\"\n\n[features]\n{}\ndefault = []\n{}\n# comment\nauth = [\"jwks\", \"dep:b\"]\ntest-util = []\n\n[dependencies]\na = \"1\"\nb = {{ version = \"1\", optional = true }}\n\n[dev-dependencies]\nx = {{ path = \".\", features = [\"auth\"] }}\n# for c\nc = \"1\"\ntokio = \"1\"\nserde_json.workspace = true\n\n[[example]]\nname = \"e\"\nrequired-features = [\"auth\"]\n",
            crate::manifest::BEGIN,
            crate::manifest::END
        );
        let stripped = without_hand_written(&manifest, &[]);
        assert!(
            !stripped.contains("auth = ") && !stripped.contains("test-util = "),
            "{stripped}"
        );
        assert!(
            !stripped.contains("optional") && !stripped.contains("path = "),
            "{stripped}"
        );
        assert!(!stripped.contains("[[example]]"), "{stripped}");
        assert!(stripped.contains("a = \"1\"") && stripped.contains("tokio = \"1\""));
        assert!(
            stripped.contains("\nserde_json.workspace = true\n"),
            "{stripped}"
        );
        assert!(
            !stripped.contains("c = \"1\"") && !stripped.contains("# for c"),
            "only the dev-dependencies the copies' tests use stay: {stripped}"
        );
        assert!(
            stripped.contains(r#"check-cfg = ['cfg(feature, values("auth", "test-util"))']"#),
            "{stripped}"
        );
        assert!(crate::manifest::with_features(&stripped, &["t".into()], Path::new("x")).is_ok());
        let kept = without_hand_written(&manifest, &["auth"]);
        assert!(
            kept.contains("auth = [\"jwks\", \"dep:b\"]") && kept.contains("b = { version"),
            "{kept}"
        );
        assert!(!kept.contains("test-util = "), "{kept}");
        assert!(
            kept.contains(r#"check-cfg = ['cfg(feature, values("test-util"))']"#),
            "{kept}"
        );
    }
}
