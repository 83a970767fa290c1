//! `cargo xtask semver-oracle [--case NAME]...`: the change report's verdicts checked
//! against cargo-semver-checks, an independent judge of the generated code.
//!
//! For every fixture pair under `codegen/tests/fixtures/changes/<case>/` the two specs
//! are generated into scratch copies of the crate (`scratch/semver/{before,after}` in
//! cargo's target directory,
//! one crate per case, named alike on both sides), cargo-semver-checks (crates.io,
//! pinned, installed into `.cache/cargo-semver-checks` on first use: about 16 minutes
//! of building on 2 cores) compares each pair as a minor release, once with its default
//! feature heuristic (every tag feature on) and once with no features, and its verdict
//! is set beside the report's. A disagreement is explained in the table from what the
//! report found, when it is a known blind spot of cargo-semver-checks; an unexplained
//! one fails the command. Too slow for `cargo test`, so it is a command of its own.

use crate::cli::{self, Long, Parser, Stop, ValueExt as _};
use crate::scratch::{ScratchCrate, ScratchWorkspace};
use crate::{Error, Result};
use codegen::api_changes::report::{Action, Change, Report, Severity, Subject};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

pub const SEMVER_CHECKS_PACKAGE: &str = "cargo-semver-checks";
pub const SEMVER_CHECKS_VERSION: &str = "0.51.0";
pub const SEMVER_CHECKS_DIR: &str = ".cache/cargo-semver-checks";
pub const CASES_DIR: &str = "codegen/tests/fixtures/changes";
/// Where the agreement table is written, besides the terminal: relative to cargo's
/// target directory.
pub const TABLE_FILE: &str = "scratch/semver/agreement.md";

/// The feature sets cargo-semver-checks judges each pair with.
const FEATURE_SETS: &[(&str, &[&str])] = &[
    ("all features", &[]),
    ("no features", &["--only-explicit-features"]),
];

/// `cargo xtask semver-oracle`'s arguments.
pub struct Args {
    /// The cases to judge (`--case`, repeatable); all when empty.
    only: Vec<String>,
}

/// Runs `semver-oracle` with `args` (what follows its name); returns the exit status.
pub fn run(root: &Path, args: &[String]) -> u8 {
    cli::run::<Args>(root, args)
}

impl cli::Command for Args {
    const USAGE: &'static str = "usage: cargo xtask semver-oracle [--case NAME]...
  judges every pair of codegen/tests/fixtures/changes with the change report and with
  cargo-semver-checks (installed into .cache/cargo-semver-checks on first use)
  --case NAME  judge only this pair (repeatable)";

    fn parse(_root: &Path, parser: &mut Parser) -> Result<Args, Stop> {
        let mut only = Vec::new();
        while let Some(arg) = parser.next()? {
            match arg {
                Long("case") => only.push(parser.value()?.string()?),
                arg => return Err(cli::other(arg)),
            }
        }
        Ok(Args { only })
    }

    fn run(self, root: &Path) -> Result<bool> {
        judge(root, &self.only)
    }
}

/// One pair and what each judge said.
struct Row {
    case: String,
    report: Report,
    /// Per feature set: breaking, the failed lints, seconds.
    oracle: Vec<(bool, Vec<String>, f64)>,
}

impl Row {
    fn report_breaking(&self) -> bool {
        self.report.breaking() > 0
    }

    fn oracle_breaking(&self) -> bool {
        self.oracle.iter().any(|(breaking, _, _)| *breaking)
    }

    fn agrees(&self) -> bool {
        self.report_breaking() == self.oracle_breaking()
    }
}

/// Judges the cases (those in `only`, or all); returns whether the judges agree.
fn judge(root: &Path, only: &[String]) -> Result<bool> {
    let started = Instant::now();
    let bin = crate::cargo_install_once(
        root,
        SEMVER_CHECKS_DIR,
        SEMVER_CHECKS_PACKAGE,
        SEMVER_CHECKS_VERSION,
        "a long build: about 16 minutes on 2 cores",
    )?;
    let installed = started.elapsed().as_secs_f64();

    let mut cases = cases(&root.join(CASES_DIR))?;
    if !only.is_empty() {
        cases.retain(|c| only.contains(c));
    }
    let (mut before, mut after, mut reports) = (Vec::new(), Vec::new(), Vec::new());
    for case in &cases {
        let dir = root.join(CASES_DIR).join(case);
        let old = crate::gen::generate(root, &dir.join("before.yaml"))?;
        let new = crate::gen::generate(root, &dir.join("after.yaml"))?;
        reports.push(Report::between(&old.surface, &new.surface));
        let name = format!("case-{case}");
        before.push(ScratchCrate::new(name.clone(), old, Vec::new()));
        after.push(ScratchCrate::new(name, new, Vec::new()));
    }
    let target_root = crate::target_dir(root)?;
    let scratch = target_root.join("scratch/semver");
    let workspace = |side: &str, crates: &[ScratchCrate]| {
        ScratchWorkspace::create(root, &scratch.join(side), crates)
    };
    let (before_ws, after_ws) = (workspace("before", &before)?, workspace("after", &after)?);
    let target_dir = scratch.join("target");

    let mut rows = Vec::new();
    for (case, report) in cases.iter().zip(reports) {
        let mut oracle = Vec::new();
        for (label, flags) in FEATURE_SETS {
            let at = Instant::now();
            let (breaking, lints) =
                semver_checks(&bin, &before_ws, &after_ws, case, flags, &target_dir)?;
            let seconds = at.elapsed().as_secs_f64();
            eprintln!(
                "{case} ({label}): {} in {seconds:.1} s{}",
                if breaking { "breaking" } else { "compatible" },
                if lints.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", lints.join(", "))
                }
            );
            oracle.push((breaking, lints, seconds));
        }
        rows.push(Row {
            case: case.clone(),
            report,
            oracle,
        });
    }
    let total = started.elapsed().as_secs_f64();
    let (table, ok) = table(&rows, installed, total);
    print!("{table}");
    let path = target_root.join(TABLE_FILE);
    crate::write_atomically(&path, &table).map_err(Error::io(&path))?;
    eprintln!("the table is also in {}", path.display());
    Ok(ok)
}

/// The case directories, sorted.
fn cases(dir: &Path) -> Result<Vec<String>> {
    let mut cases: Vec<String> = fs::read_dir(dir)
        .map_err(Error::io(dir))?
        .filter_map(Result::ok)
        .filter(|e| e.path().join("before.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    Ok(cases)
}

/// Runs cargo-semver-checks on one pair as a minor release; returns whether it found a
/// breaking change, and the lints that failed.
fn semver_checks(
    bin: &Path,
    before: &ScratchWorkspace,
    after: &ScratchWorkspace,
    case: &str,
    flags: &[&str],
    target_dir: &Path,
) -> Result<(bool, Vec<String>)> {
    let package = format!("case-{case}");
    let output = Command::new(bin)
        .args(["semver-checks", "check-release", "--color", "never"])
        .arg("--manifest-path")
        .arg(after.dir.join("Cargo.toml"))
        .args(["--package", &package, "--baseline-root"])
        .arg(before.dir.join(&package))
        .args(["--release-type", "minor"])
        .args(flags)
        // One target directory for every run: by default each of its placeholder crates
        // gets its own and rebuilds every dependency (about 70 s a run on 2 cores,
        // against 8 s sharing one).
        .env("CARGO_TARGET_DIR", target_dir)
        .output()
        .map_err(Error::spawn(bin.display()))?;
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let lints = failed_lints(&text);
    match (output.status.success(), lints.is_empty()) {
        (true, _) => Ok((false, lints)),
        (false, false) => Ok((true, lints)),
        (false, true) => Err(Error::failed(
            format!(
                "cargo-semver-checks on {case} ({}, without a verdict)",
                output.status
            ),
            text,
        )),
    }
}

/// The lints of `--- failure <lint>: ...` lines.
fn failed_lints(output: &str) -> Vec<String> {
    let mut lints: Vec<String> = output
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--- failure "))
        .filter_map(|rest| rest.split(':').next())
        .map(str::to_owned)
        .collect();
    lints.sort();
    lints.dedup();
    lints
}

/// cargo-semver-checks compares items, not types: a field, argument or return value
/// of another type is not among its lints.
const TYPES_NOT_COMPARED: &str =
    "cargo-semver-checks does not compare the types of fields, arguments or return values";

/// A model whose `cfg` gate narrows is there with every tag feature before and after, and
/// with no feature it is compiled on one side only, so no one feature set shows it gone.
const GATE_NOT_SEEN: &str = "a narrower `cfg` gate shows only in a feature set that is neither all nor none (`users` without `sessions`, say), which cargo-semver-checks does not try";

/// The known blind spot of cargo-semver-checks that a breaking change falls in, if any.
fn blind_spot(change: &Change) -> Option<&'static str> {
    let retyped = matches!(
        change.subject,
        Subject::Field | Subject::Parameter | Subject::Argument | Subject::Body | Subject::Response
    ) && change.action == Action::Changed;
    if retyped {
        Some(TYPES_NOT_COMPARED)
    } else if change.subject == Subject::Model && change.detail.contains("needs feature") {
        Some(GATE_NOT_SEEN)
    } else {
        None
    }
}

/// Why cargo-semver-checks passes what the report calls breaking: every breaking change
/// must fall in a known blind spot, else it is unexplained (`None`).
fn explanation(report: &Report) -> Option<String> {
    let mut reasons: Vec<&str> = Vec::new();
    for change in report
        .changes
        .iter()
        .filter(|c| c.severity == Severity::Breaking)
    {
        let reason = blind_spot(change)?;
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    (!reasons.is_empty()).then(|| reasons.join("; "))
}

/// The agreement table (Markdown) and whether every disagreement is explained.
fn table(rows: &[Row], installed: f64, total: f64) -> (String, bool) {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| case | report | cargo-semver-checks (all features) | (no features) | agree | note |"
    );
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- |");
    let mut ok = true;
    let verdict = |breaking: bool| if breaking { "breaking" } else { "compatible" };
    for row in rows {
        let judged = |(breaking, lints, seconds): &(bool, Vec<String>, f64)| {
            let lints = if lints.is_empty() {
                String::new()
            } else {
                format!(" ({})", lints.join(", "))
            };
            format!("{}{lints}, {seconds:.0} s", verdict(*breaking))
        };
        let note = if row.agrees() {
            String::new()
        } else if row.report_breaking() {
            match explanation(&row.report) {
                Some(reason) => reason,
                None => {
                    ok = false;
                    "UNEXPLAINED".to_owned()
                }
            }
        } else {
            ok = false;
            "UNEXPLAINED: the report calls it compatible".to_owned()
        };
        let _ = writeln!(
            out,
            "| {} | {} ({}) | {} | {} | {} | {note} |",
            row.case,
            verdict(row.report_breaking()),
            row.report.headline(),
            judged(&row.oracle[0]),
            judged(&row.oracle[1]),
            if row.agrees() { "yes" } else { "no" },
        );
    }
    let agreed = rows.iter().filter(|r| r.agrees()).count();
    let _ = writeln!(
        out,
        "\n{agreed} of {} cases agree; cargo-semver-checks {SEMVER_CHECKS_VERSION}; {installed:.0} s to install (0 when cached), {total:.0} s in all.",
        rows.len()
    );
    (out, ok)
}
