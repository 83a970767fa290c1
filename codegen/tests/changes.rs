//! The change report on fixture pairs: `tests/fixtures/changes/<case>/before.yaml` and
//! `after.yaml` differ by one kind of change, which the directory names. Each pair's
//! report is pinned as a snapshot, and its verdict (breaking or not) is checked against
//! the one the semver policy gives; `cargo xtask semver-oracle` checks the same verdicts
//! against cargo-semver-checks run on the two generated crates.

use codegen::api_changes::report::Report;
use codegen::api_changes::surface::Surface;
use codegen::{generate, Options};
use std::fs;
use std::path::{Path, PathBuf};

/// Every case and whether its change breaks users of the crate.
const VERDICTS: &[(&str, bool)] = &[
    ("argument-renamed", false),
    ("arguments-swapped", true),
    ("body-field-optional-added", false),
    ("body-field-required-added", true),
    ("body-now-required", true),
    ("body-optional-added", false),
    ("enum-value-added", false),
    ("enum-value-removed", true),
    ("feature-added", false),
    ("feature-removed", true),
    ("field-retyped", true),
    ("model-added", false),
    ("model-gate-narrowed", true),
    ("operation-added", false),
    ("operation-deprecated", false),
    ("operation-removed", true),
    ("operation-renamed", true),
    ("param-now-required", true),
    ("param-optional-added", false),
    ("param-optional-retyped", true),
    ("param-required-added", true),
    ("param-retyped", true),
    ("response-field-added", false),
    ("response-field-removed", true),
    ("response-required-field-added", false),
    ("response-retyped", true),
    ("unchanged", false),
    ("union-variant-added", false),
    ("union-variant-removed", true),
];

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/changes")
}

fn surface(path: &Path) -> Surface {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let options = Options {
        spec_label: "fixture.yaml".into(),
    };
    generate(&text, &options)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .surface
}

fn report(case: &str) -> Report {
    let dir = cases_dir().join(case);
    Report::between(
        &surface(&dir.join("before.yaml")),
        &surface(&dir.join("after.yaml")),
    )
}

#[test]
fn every_case_has_a_verdict() {
    let mut cases: Vec<String> = fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    let listed: Vec<&str> = VERDICTS.iter().map(|(c, _)| *c).collect();
    assert_eq!(cases, listed);
}

#[test]
fn each_case_reports_its_change_with_the_policy_verdict() {
    for (case, breaking) in VERDICTS {
        let report = report(case);
        insta::assert_snapshot!(*case, report.markdown(case));
        assert_eq!(
            report.breaking() > 0,
            *breaking,
            "{case}: the report's verdict\n{report}"
        );
        assert_eq!(report.is_empty(), *case == "unchanged", "{case}\n{report}");
    }
}

/// Reporting is symmetric in what it finds: undoing a change reports it again, and
/// undoing an addition is a removal, which breaks.
#[test]
fn undoing_an_addition_breaks() {
    for (case, breaking) in VERDICTS {
        if !case.ends_with("-added") || *breaking {
            continue;
        }
        let dir = cases_dir().join(case);
        let undone = Report::between(
            &surface(&dir.join("after.yaml")),
            &surface(&dir.join("before.yaml")),
        );
        assert!(undone.breaking() > 0, "{case} undone:\n{undone}");
    }
}

/// The committed form reads back as the same surface, for the real spec too.
#[test]
fn the_surface_file_round_trips() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/clerk-backend-api.yaml");
    for path in [spec, cases_dir().join("feature-added/after.yaml")] {
        let surface = surface(&path);
        let json = surface.to_json();
        assert_eq!(
            Surface::from_json(&json).unwrap(),
            surface,
            "{}",
            path.display()
        );
        assert!(json.lines().count() < surface.operations.len() + surface.models.len() + 12);
    }
    assert!(Surface::from_json("{\"format\": 0}")
        .unwrap_err()
        .contains("format 0"));
}

/// The terminal summary: the counts, every breaking change first, then compatible ones
/// up to the limit, and how many more there are.
#[test]
fn the_summary_lists_breaking_changes_first_and_counts_the_rest() {
    let old = surface(&cases_dir().join("unchanged/before.yaml"));
    let mut new = old.clone();
    new.operations.remove("get_user");
    for name in ["models::Extra1", "models::Extra2", "models::Extra3"] {
        new.models
            .insert(name.to_owned(), old.models["models::Domain"].clone());
    }
    let text = Report::between(&old, &new).text(2);
    assert_eq!(
        text,
        "API changes: 1 breaking, 3 compatible\n  \
         breaking: 1 operation removed\n  \
         compatible: 3 models added\n\
         breaking:\n  \
         - operation removed: `Client::get_user`: `GET /users/{user_id}`\n\
         compatible:\n  \
         - model added: `models::Extra1`: new struct\n  \
         - model added: `models::Extra2`: new struct\n  \
         ... and 1 more compatible (`cargo xtask gen --report FILE` lists every change)\n"
    );
}
