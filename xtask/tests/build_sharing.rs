//! `cargo xtask test` first builds the xtask binary alone (`cargo run -p xtask`), then the
//! whole workspace with every feature (`cargo test --workspace --all-features`). Cargo
//! builds a dependency again whenever the features turned on in it differ between the
//! two, and then everything above it too: codegen, at `opt-level = 3`, is the costly
//! part. xtask's manifest turns on what the workspace build adds; this test fails when a
//! dependency update makes the two differ again.

use std::collections::BTreeSet;
use std::process::Command;

/// Every package of the graph `args` selects, as `name version [features]` lines (host
/// and target builds of one package apart, as cargo builds them apart).
fn packages_with_features(args: &[&str]) -> BTreeSet<String> {
    let output = Command::new(xtask::cargo())
        .current_dir(xtask::workspace_root())
        .arg("tree")
        .args(args)
        .args(["--locked", "--prefix", "none", "--format", "{p} [{f}]"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo tree failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| line.trim_end_matches(" (*)").to_owned())
        .filter(|line| !line.is_empty())
        .collect()
}

#[test]
fn the_xtask_binary_shares_every_dependency_build_with_the_workspace_test_build() {
    let binary = packages_with_features(&["-p", "xtask", "-e", "normal,build"]);
    let workspace =
        packages_with_features(&["--workspace", "--all-features", "-e", "normal,build,dev"]);
    assert!(
        binary.iter().any(|p| p.starts_with("codegen ")),
        "{binary:?}"
    );
    let apart: Vec<&String> = binary.difference(&workspace).collect();
    assert!(
        apart.is_empty(),
        "these builds of the xtask binary differ from the workspace test build, so a fresh \
         `cargo xtask test` compiles them (and all above them) twice; turn on the missing \
         features in xtask/Cargo.toml:\n{apart:#?}\nworkspace builds of the same packages:\n{:#?}",
        workspace
            .iter()
            .filter(|w| apart
                .iter()
                .any(|a| a.split(' ').next() == w.split(' ').next()))
            .collect::<Vec<_>>()
    );
}
