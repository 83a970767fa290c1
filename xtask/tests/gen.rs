//! `cargo xtask gen`: drift against the committed crate, `--check`, atomicity.

mod common;

use common::{args, scratch_dir, snapshot};
use std::fs;
use xtask::{gen, workspace_root, DEFAULT_SPEC, GENERATED_DIR};

/// The drift test: the committed crate is exactly what `spec/` generates.
#[test]
fn committed_crate_matches_the_spec() {
    let root = workspace_root();
    let output = gen::generate(&root, &root.join(DEFAULT_SPEC)).unwrap();
    let plan = gen::plan_output(&root.join(GENERATED_DIR), &output).unwrap();
    assert!(
        plan.is_empty(),
        "{GENERATED_DIR} has drifted from {DEFAULT_SPEC}; run `cargo xtask gen`.\n{}",
        plan.diff(&root)
    );
}

#[test]
fn a_changed_operation_id_is_drift() {
    let root = workspace_root();
    let text = fs::read_to_string(root.join(DEFAULT_SPEC)).unwrap();
    assert!(text.contains("operationId: ListOrganizations\n"));
    let changed = text.replace(
        "operationId: ListOrganizations\n",
        "operationId: ListOrgs\n",
    );
    let options = codegen::Options {
        spec_label: DEFAULT_SPEC.to_owned(),
    };
    let output = codegen::generate(&changed, &options).unwrap();
    let plan = gen::plan(&root.join(GENERATED_DIR), &output.files).unwrap();
    assert!(!plan.is_empty());
    let diff = plan.diff(&root);
    assert!(diff.contains("+    pub fn list_orgs("), "{diff}");
    assert!(diff.contains("-    pub fn list_organizations("), "{diff}");
    assert!(diff.contains("+        \"ListOrgs\","), "{diff}");
}

#[test]
fn check_exits_non_zero_on_drift_and_writes_nothing() {
    let root = workspace_root();
    let out = scratch_dir("check-drift");
    let out_arg = out.to_str().unwrap();
    assert_eq!(gen::run(&root, &args(&["--out", out_arg])), 0);
    assert_eq!(gen::run(&root, &args(&["--check", "--out", out_arg])), 0);

    let models = out.join("models.rs");
    fs::write(
        &models,
        fs::read_to_string(&models).unwrap() + "// hand edit\n",
    )
    .unwrap();
    fs::write(out.join("stale.rs"), "// no longer generated\n").unwrap();
    fs::remove_file(out.join("users.rs")).unwrap();
    let before = snapshot(&out);
    assert_eq!(gen::run(&root, &args(&["--check", "--out", out_arg])), 1);
    assert_eq!(snapshot(&out), before, "--check must not write");

    assert_eq!(gen::run(&root, &args(&["--out", out_arg])), 0);
    assert!(
        !out.join("stale.rs").exists(),
        "files the spec no longer produces are removed"
    );
    assert!(out.join("users.rs").exists());
    assert_eq!(gen::run(&root, &args(&["--check", "--out", out_arg])), 0);
}

#[test]
fn a_second_run_rewrites_nothing() {
    let root = workspace_root();
    let out = scratch_dir("second-run");
    let out_arg = out.to_str().unwrap();
    assert_eq!(gen::run(&root, &args(&["--out", out_arg])), 0);
    let first = snapshot(&out);
    let mtimes: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().modified().unwrap())
        .collect();
    assert_eq!(gen::run(&root, &args(&["--out", out_arg])), 0);
    assert_eq!(snapshot(&out), first);
    let again: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().modified().unwrap())
        .collect();
    assert_eq!(mtimes, again, "unchanged files must not be rewritten");
}

#[test]
fn a_failing_spec_leaves_the_output_untouched() {
    let root = workspace_root();
    let dir = scratch_dir("failing-spec");
    let out = dir.join("generated");
    let out_arg = out.to_str().unwrap();
    assert_eq!(gen::run(&root, &args(&["--out", out_arg])), 0);
    let before = snapshot(&out);

    let text = fs::read_to_string(root.join(DEFAULT_SPEC)).unwrap();
    // A late operation of the spec points at a response that does not exist: by then
    // most files would already have been written by a streaming generator.
    let broken = text.replace(
        "#/components/responses/DirectoryGroupRoleMapping.Deleted",
        "#/components/responses/Missing",
    );
    assert_ne!(broken, text);
    let spec = dir.join("broken.yaml");
    fs::write(&spec, broken).unwrap();
    assert_eq!(
        gen::run(
            &root,
            &args(&["--spec", spec.to_str().unwrap(), "--out", out_arg])
        ),
        1
    );
    assert_eq!(snapshot(&out), before);
}

#[test]
fn spec_labels_do_not_depend_on_the_checkout_location() {
    let root = workspace_root();
    assert_eq!(
        gen::spec_label(&root, &root.join(DEFAULT_SPEC)),
        DEFAULT_SPEC
    );
    let outside = std::env::temp_dir().join("clerk-release.yml");
    assert_eq!(gen::spec_label(&root, &outside), "clerk-release.yml");
}
