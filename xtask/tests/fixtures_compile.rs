//! Every fixture spec of `codegen/tests/fixtures` generates a crate that builds
//! clippy-clean (`-D warnings`) and passes the behaviour tests that sit beside the
//! fixture (`<name>.rs`, run as an integration test of the generated crate). The webhook
//! events fixture (`webhooks/events.yaml`) is generated beside `basic.yaml` into one more
//! crate and runs `webhooks/events.rs`.

use std::fs;
use std::path::PathBuf;
use xtask::scratch::{ScratchCrate, ScratchWorkspace};

fn fixtures() -> Vec<PathBuf> {
    let dir = xtask::workspace_root().join("codegen/tests/fixtures");
    let mut specs: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    specs
}

fn show(output: &std::process::Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn fixture_crates_build_clippy_clean_and_pass_their_tests() {
    let root = xtask::workspace_root();
    let mut crates = Vec::new();
    for spec in fixtures() {
        let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let output = xtask::gen::generate(&root, &spec).unwrap_or_else(|e| panic!("{e}"));
        let behaviour = spec.with_extension("rs");
        let tests = match fs::read_to_string(&behaviour) {
            Ok(source) => vec![("behaviour.rs".to_owned(), source)],
            Err(_) => Vec::new(),
        };
        crates.push(ScratchCrate::new(format!("fixture-{stem}"), output, tests));
    }
    assert!(crates.len() >= 2);
    let dir = root.join("codegen/tests/fixtures");
    let webhooks = dir.join("webhooks/events.yaml");
    let (output, _) = xtask::gen::generate_with_webhooks(&root, &dir.join("basic.yaml"), &webhooks)
        .unwrap_or_else(|e| panic!("{e}"));
    let behaviour = fs::read_to_string(webhooks.with_extension("rs")).unwrap();
    crates.push(
        ScratchCrate::new(
            "fixture-webhooks",
            output,
            vec![("behaviour.rs".to_owned(), behaviour)],
        )
        .with_hand_written("webhook"),
    );
    let scratch = xtask::target_dir(&root).unwrap().join("scratch");
    let workspace = ScratchWorkspace::create(&root, &scratch.join("fixtures"), &crates).unwrap();
    let test = workspace.clippy_and_test(&scratch.join("target")).unwrap();
    assert!(
        test.status.success(),
        "fixture crates failed clippy or their tests:\n{}",
        show(&test)
    );
}
