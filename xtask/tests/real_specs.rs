//! Every Clerk spec in `../shared/specs` (when that folder exists) regenerates into a
//! scratch copy of the crate that builds clippy-clean with every operation present.
//! Nothing generated from those files is written inside the repository's sources: the
//! scratch workspace lives under `target/`.

use std::fs;
use std::path::PathBuf;
use xtask::scratch::{ScratchCrate, ScratchWorkspace};

fn shared_specs() -> Option<Vec<PathBuf>> {
    let dir = xtask::workspace_root().parent()?.join("shared/specs");
    let mut specs: Vec<PathBuf> = fs::read_dir(dir)
        .ok()?
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yml" || e == "yaml" || e == "json")
        })
        .collect();
    specs.sort();
    Some(specs)
}

#[test]
fn published_clerk_specs_generate_crates_that_build_clippy_clean() {
    let Some(specs) = shared_specs() else {
        eprintln!("skipped: ../shared/specs does not exist");
        return;
    };
    let root = xtask::workspace_root();
    let mut crates = Vec::new();
    for spec in &specs {
        let output = xtask::gen::generate(&root, spec).unwrap_or_else(|e| panic!("{e}"));
        for warning in &output.warnings {
            eprintln!("{}: {warning}", spec.display());
        }
        let all_code: String = output.files.iter().map(|f| f.contents.as_str()).collect();
        let raw = fs::read_to_string(spec).unwrap();
        let declared = raw.matches("operationId:").count();
        assert_eq!(
            output.operation_ids.len(),
            declared,
            "{}: operations lost",
            spec.display()
        );
        for id in &output.operation_ids {
            assert!(
                all_code.contains(&format!("\"{id}\"")),
                "{}: {id} missing",
                spec.display()
            );
        }
        let stem = spec
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .replace('.', "-");
        crates.push(ScratchCrate::new(
            format!("spec-{stem}"),
            output,
            Vec::new(),
        ));
    }
    let scratch = xtask::target_dir(&root).unwrap().join("scratch");
    let workspace = ScratchWorkspace::create(&root, &scratch.join("specs"), &crates).unwrap();
    let output = workspace.clippy(&scratch.join("target")).unwrap();
    assert!(
        output.status.success(),
        "clippy failed on the generated crates:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
