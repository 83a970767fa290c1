//! The MSRV is declared once (`rust-version` of the workspace manifest, inherited by every
//! crate), clippy lints against the same version (`clippy.toml`), and no locked
//! dependency declares a newer `rust-version`. Only one toolchain (newer than the MSRV)
//! exists on the project machine, so these checks and clippy's `incompatible_msrv` lint
//! are how the MSRV is kept; see the README's Set-up section.

use std::fs;
use std::process::Command;

/// `"1.89"` as `(1, 89, 0)`.
fn version(text: &str) -> (u32, u32, u32) {
    let mut parts = text.split('.').map(|p| p.parse::<u32>().unwrap());
    let major = parts.next().unwrap();
    (major, parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

/// The quoted value of the first `key = "..."` line of `toml`.
fn value<'a>(toml: &'a str, key: &str) -> Option<&'a str> {
    toml.lines().find_map(|line| {
        let rest = line
            .trim()
            .strip_prefix(key)?
            .trim_start()
            .strip_prefix('=')?;
        rest.trim().strip_prefix('"')?.split('"').next()
    })
}

fn metadata() -> serde_json::Value {
    let output = Command::new(xtask::cargo())
        .current_dir(xtask::workspace_root())
        .args([
            "metadata",
            "--format-version",
            "1",
            "--all-features",
            "--locked",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo metadata failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn workspace_msrv() -> String {
    let manifest = fs::read_to_string(xtask::workspace_root().join("Cargo.toml")).unwrap();
    let section = manifest
        .split("[workspace.package]")
        .nth(1)
        .expect("[workspace.package] in Cargo.toml");
    let section = section.split("\n[").next().unwrap();
    value(section, "rust-version")
        .expect("rust-version in [workspace.package]")
        .to_owned()
}

#[test]
fn the_msrv_is_declared_once_and_clippy_uses_it() {
    let root = xtask::workspace_root();
    let msrv = workspace_msrv();
    let clippy = fs::read_to_string(root.join("clippy.toml")).unwrap();
    assert_eq!(
        value(&clippy, "msrv"),
        Some(msrv.as_str()),
        "clippy.toml msrv"
    );
    for member in ["clerk-api", "codegen", "xtask"] {
        let manifest = fs::read_to_string(root.join(member).join("Cargo.toml")).unwrap();
        assert!(
            manifest
                .lines()
                .any(|l| l.trim() == "rust-version.workspace = true"),
            "{member}/Cargo.toml must inherit rust-version from the workspace"
        );
    }
    let metadata = metadata();
    let members = metadata["workspace_members"].as_array().unwrap();
    for package in metadata["packages"].as_array().unwrap() {
        if members.contains(&package["id"]) {
            assert_eq!(
                package["rust_version"].as_str(),
                Some(msrv.as_str()),
                "{}",
                package["name"]
            );
        }
    }
}

#[test]
fn no_locked_dependency_needs_a_newer_rust() {
    let msrv = version(&workspace_msrv());
    let metadata = metadata();
    let resolved: Vec<&serde_json::Value> = metadata["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| &node["id"])
        .collect();
    let mut declared = 0;
    let mut newer = Vec::new();
    for package in metadata["packages"].as_array().unwrap() {
        if !resolved.contains(&&package["id"]) {
            continue;
        }
        // Many crates declare none; nothing can be checked for them here.
        let Some(needs) = package["rust_version"].as_str() else {
            continue;
        };
        declared += 1;
        if version(needs) > msrv {
            newer.push(format!(
                "{} {} needs {needs}",
                package["name"], package["version"]
            ));
        }
    }
    assert!(
        declared > 50,
        "only {declared} packages declare a rust-version"
    );
    assert!(
        newer.is_empty(),
        "locked dependencies newer than the MSRV:\n{}",
        newer.join("\n")
    );
}
