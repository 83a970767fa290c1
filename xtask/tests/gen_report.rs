//! The API change report of `cargo xtask gen`: against the surface committed in the
//! output directory, on `--check` drift, and against `--baseline FILE`.

mod common;

use codegen::api_changes::surface::SURFACE_FILE;
use common::{args, scratch_dir, snapshot};
use std::fs;
use std::path::PathBuf;
use xtask::{gen, workspace_root};

fn case(name: &str, side: &str) -> String {
    let path: PathBuf = workspace_root()
        .join("codegen/tests/fixtures/changes")
        .join(name)
        .join(format!("{side}.yaml"));
    path.to_str().unwrap().to_owned()
}

const REMOVED: &str = "enum value removed: `models::UserStatus::Locked`";

#[test]
fn gen_reports_the_changes_against_the_committed_surface() {
    let root = workspace_root();
    let dir = scratch_dir("report-gen");
    let out = dir.join("src/generated");
    let (out_arg, report) = (out.to_str().unwrap(), dir.join("changes.md"));
    let report_arg = report.to_str().unwrap();
    let before = case("enum-value-removed", "before");
    let after = case("enum-value-removed", "after");

    assert_eq!(
        gen::run(&root, &args(&["--spec", &before, "--out", out_arg])),
        0
    );
    let first = fs::read_to_string(out.join(SURFACE_FILE)).unwrap();
    assert_eq!(
        gen::run(
            &root,
            &args(&["--spec", &after, "--out", out_arg, "--report", report_arg])
        ),
        0
    );
    let markdown = fs::read_to_string(&report).unwrap();
    assert!(
        markdown.starts_with("## API changes: 1 breaking, 0 compatible\n"),
        "{markdown}"
    );
    assert!(markdown.contains(REMOVED), "{markdown}");
    let second = fs::read_to_string(out.join(SURFACE_FILE)).unwrap();
    assert_ne!(first, second, "the surface follows the generation");

    // The next generation compares with the surface just written.
    assert_eq!(
        gen::run(
            &root,
            &args(&["--spec", &after, "--out", out_arg, "--report", report_arg])
        ),
        0
    );
    let markdown = fs::read_to_string(&report).unwrap();
    assert!(
        markdown.starts_with("## API changes: no API changes\n"),
        "{markdown}"
    );
}

#[test]
fn check_reports_the_changes_of_a_drifted_crate_and_writes_nothing() {
    let root = workspace_root();
    let dir = scratch_dir("report-check");
    let out = dir.join("src/generated");
    let (out_arg, report) = (out.to_str().unwrap(), dir.join("changes.md"));
    let before = case("enum-value-removed", "before");
    let after = case("enum-value-removed", "after");
    assert_eq!(
        gen::run(&root, &args(&["--spec", &before, "--out", out_arg])),
        0
    );
    let files = snapshot(&out);
    let check = [
        "--check",
        "--spec",
        &after,
        "--out",
        out_arg,
        "--report",
        report.to_str().unwrap(),
    ];
    assert_eq!(gen::run(&root, &args(&check)), 1);
    assert_eq!(snapshot(&out), files, "--check must not write");
    assert!(fs::read_to_string(&report).unwrap().contains(REMOVED));
}

#[test]
fn baseline_compares_with_another_surface_and_a_fresh_directory_has_none() {
    let root = workspace_root();
    let dir = scratch_dir("report-baseline");
    let (old, new) = (dir.join("old"), dir.join("new"));
    let report = dir.join("changes.md");
    let before = case("operation-renamed", "before");
    let after = case("operation-renamed", "after");
    assert_eq!(
        gen::run(
            &root,
            &args(&["--spec", &before, "--out", old.to_str().unwrap()])
        ),
        0
    );
    let baseline = old.join(SURFACE_FILE);
    let run = |extra: &[&str]| {
        let mut list = vec!["--spec", &after, "--out", new.to_str().unwrap()];
        list.extend(["--report", report.to_str().unwrap()]);
        list.extend(extra);
        gen::run(&root, &args(&list))
    };
    assert_eq!(run(&[]), 0);
    let markdown = fs::read_to_string(&report).unwrap();
    assert!(
        markdown.contains("not compared, no surface at"),
        "{markdown}"
    );

    fs::remove_dir_all(&new).unwrap();
    assert_eq!(run(&["--baseline", baseline.to_str().unwrap()]), 0);
    let markdown = fs::read_to_string(&report).unwrap();
    assert!(
        markdown.contains("operation renamed: `Client::fetch_user`: was `Client::get_user`"),
        "{markdown}"
    );

    fs::write(&baseline, "{\"format\": 999}").unwrap();
    assert_eq!(run(&["--baseline", baseline.to_str().unwrap()]), 0);
    let markdown = fs::read_to_string(&report).unwrap();
    assert!(
        markdown.contains("cannot be read: surface format 999"),
        "{markdown}"
    );
}
