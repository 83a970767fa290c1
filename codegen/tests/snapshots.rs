//! Snapshot tests: every fixture spec's generated files are pinned under
//! `tests/snapshots/`, so any generator change shows up as a reviewable diff
//! (`cargo insta review`). The fixtures are compiled with clippy by
//! `xtask/tests/fixtures_compile.rs`.

use codegen::{generate, Options};
use std::fs;
use std::path::{Path, PathBuf};

pub fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut specs: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("fixtures directory")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    specs
}

#[test]
fn every_fixture_matches_its_snapshots() {
    let specs = fixtures();
    assert!(specs.len() >= 2, "fixtures missing: {specs:?}");
    for spec in specs {
        let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&spec).unwrap();
        let options = Options {
            spec_label: format!("codegen/tests/fixtures/{stem}.yaml"),
        };
        let output = generate(&text, &options).unwrap_or_else(|e| panic!("{stem}: {e}"));
        for file in &output.files {
            let name = format!("{stem}__{}", file.path.trim_end_matches(".rs"));
            insta::assert_snapshot!(name, file.contents);
        }
        let suite = output
            .contract
            .iter()
            .find(|f| f.path.ends_with("suite.rs"))
            .unwrap();
        insta::assert_snapshot!(format!("{stem}__contract"), suite.contents);
        let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
        insta::assert_snapshot!(format!("{stem}__warnings"), warnings.join("\n"));
    }
}

#[test]
fn generation_is_deterministic() {
    for spec in fixtures() {
        let text = fs::read_to_string(&spec).unwrap();
        let options = Options {
            spec_label: "x.yaml".into(),
        };
        let first = generate(&text, &options).unwrap().files;
        let second = generate(&text, &options).unwrap().files;
        assert_eq!(first, second, "{}", spec.display());
    }
}

#[test]
fn the_module_index_names_each_operation_as_generated() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic.yaml");
    let text = fs::read_to_string(spec).unwrap();
    let options = Options {
        spec_label: "x.yaml".into(),
    };
    let output = generate(&text, &options).unwrap();
    let index: Vec<String> = output
        .modules
        .iter()
        .flat_map(|m| {
            m.operations.iter().map(move |op| {
                format!(
                    "{} ({}): {} {} {} paginated={} {:?}{}",
                    m.name,
                    m.tag,
                    op.fn_name,
                    op.method,
                    op.path,
                    op.paginated,
                    op.summary,
                    if op.deprecated { " deprecated" } else { "" }
                )
            })
        })
        .collect();
    insta::assert_snapshot!("basic__module_index", index.join("\n"));
    let names: Vec<&str> = output.modules.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, output.features);
    for module in &output.modules {
        for op in &module.operations {
            let file = output
                .files
                .iter()
                .find(|f| f.path == format!("{}.rs", module.name))
                .unwrap();
            let declared = |after: &str| format!("pub fn {}{after}", op.fn_name);
            assert!(
                file.contents.contains(&declared("("))
                    || file.contents.contains(&declared("<'a>(")),
                "{} is not declared",
                op.fn_name
            );
        }
    }
}
