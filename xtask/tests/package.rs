//! What `cargo package -p clerk-api` uploads: the library's sources, its README and the
//! licence texts, nothing else; and the licence texts in the crate are exact copies of
//! the workspace's (cargo packages only files inside the crate's directory).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

const LICENCES: [&str; 2] = ["LICENSE-MIT", "LICENSE-APACHE"];
const COPYRIGHT: &str = "Copyright (c) 2026 the clerk-api authors";

#[test]
fn the_crates_licence_texts_are_copies_of_the_workspaces() {
    let root = xtask::workspace_root();
    for name in LICENCES {
        let workspace = fs::read_to_string(root.join(name)).unwrap();
        let in_crate = fs::read_to_string(root.join("clerk-api").join(name)).unwrap();
        assert!(
            workspace == in_crate,
            "clerk-api/{name} differs from {name}: copy it over (cp {name} clerk-api/)"
        );
        assert!(workspace.contains(COPYRIGHT), "{name} lacks `{COPYRIGHT}`");
    }
}

/// Paths relative to `base` of every `.rs` file under `dir`.
fn rust_sources(base: &Path, dir: &Path, out: &mut BTreeSet<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_sources(base, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(base).unwrap();
            out.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn the_package_holds_the_sources_the_readme_and_the_licences_only() {
    let root = xtask::workspace_root();
    // `--allow-dirty`: the list is what matters here, and a working tree under edit is dirty.
    let output = Command::new(xtask::cargo())
        .current_dir(&root)
        .args(["package", "-p", "clerk-api", "--list", "--allow-dirty"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo package --list failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let listed: BTreeSet<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        // Written by cargo when the checkout is a git repository.
        .filter(|line| *line != ".cargo_vcs_info.json")
        .map(str::to_owned)
        .collect();

    let crate_dir = root.join("clerk-api");
    let mut expected = BTreeSet::new();
    rust_sources(&crate_dir, &crate_dir.join("src"), &mut expected);
    assert!(expected.contains("src/lib.rs") && expected.contains("src/generated/models.rs"));
    for file in ["Cargo.toml", "Cargo.toml.orig", "Cargo.lock", "README.md"]
        .into_iter()
        .chain(LICENCES)
    {
        expected.insert(file.to_owned());
    }
    let extra: Vec<_> = listed.difference(&expected).collect();
    let missing: Vec<_> = expected.difference(&listed).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "the package of clerk-api differs from its sources + README + licences \
         (see `include` in clerk-api/Cargo.toml)\nextra: {extra:?}\nmissing: {missing:?}"
    );
}
