//! `cargo xtask bench [--spec PATH] [--quick]`: the performance figures of the issue
//! "compile time, generation speed and runtime cost", each printed beside its target in
//! one table.
//!
//! - Generation: `xtask gen` on the spec, as a release binary (built first), wall clock,
//!   median of several runs after a warm-up; plus the in-process generator for reference.
//! - Build times: the spec is generated into a scratch copy of `clerk-api` (a workspace
//!   under `target/bench/`, with target directories of its own); each row is `cargo clean`
//!   (`-p` for the crate alone) then `cargo build`, timed as the user+sys CPU seconds of
//!   the child processes (`getrusage(RUSAGE_CHILDREN)` deltas). A crate that depends on
//!   `reqwest` alone (with `clerk-api`'s `reqwest` features) is built cold beside it.
//! - C compiler: `cargo tree -e normal,build` of the scratch crate, looking for `cc` and
//!   `cmake`, with the dependency chain that pulls them in.
//! - Runtime: the criterion benches of `clerk-api` (`benches/deserialize.rs` and
//!   `benches/request.rs`), read back from `criterion/**/new/estimates.json` (medians).
//!
//! Nothing here is a test: machine speed decides the figures, not `cargo test`.

use crate::gen;
use crate::scratch::{ScratchCrate, ScratchWorkspace};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The spec measured by default, relative to the workspace root: the one the crate is
/// generated from.
pub const BENCH_SPEC: &str = crate::DEFAULT_SPEC;

/// Where everything this task builds lives, relative to the workspace root.
pub const BENCH_DIR: &str = "target/bench";

pub const USAGE: &str = "usage: cargo xtask bench [--spec PATH] [--quick]
  --spec PATH  the spec to generate and build (default: spec/clerk-backend-api.yaml)
  --quick      a fast smoke run: short criterion runs, fewer repetitions (figures are rough)";

/// Targets of the issue.
const GEN_TARGET_MS: f64 = 300.0;
const ALL_FEATURES_TARGET_S: f64 = 15.0;
const ONE_TAG_TARGET_S: f64 = 5.0;
const DESERIALIZE_TARGET: f64 = 1.2;
const REQUEST_TARGET: f64 = 1.1;

/// The tag feature the "one tag only" row builds.
const ONE_TAG: &str = "organizations";

/// Criterion groups and functions, as the benches name them.
const DESERIALIZE_GROUP: &str = "deserialize_500_memberships";
const REQUEST_GROUP: &str = "get_organization";

struct Args {
    spec: PathBuf,
    quick: bool,
}

fn parse_args(root: &Path, args: &[String]) -> Result<Args, String> {
    let mut parsed = Args {
        spec: root.join(BENCH_SPEC),
        quick: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--quick" => parsed.quick = true,
            "--spec" => parsed.spec = PathBuf::from(it.next().ok_or("--spec needs a path")?),
            other => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
        }
    }
    Ok(parsed)
}

/// Whether a figure meets its target.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Met,
    Missed,
    /// For comparison only: the figure has no target of its own.
    Info,
    /// The figure could not be measured (the reason is in the measured column).
    NotMeasured,
}

impl Verdict {
    fn of(met: bool) -> Verdict {
        if met {
            Verdict::Met
        } else {
            Verdict::Missed
        }
    }

    fn label(self) -> &'static str {
        match self {
            Verdict::Met => "yes",
            Verdict::Missed => "**no**",
            Verdict::Info => "(info)",
            Verdict::NotMeasured => "not measured",
        }
    }
}

struct Row {
    figure: String,
    measured: String,
    target: String,
    verdict: Verdict,
}

impl Row {
    fn new(figure: &str, measured: String, target: &str, verdict: Verdict) -> Row {
        Row {
            figure: figure.to_owned(),
            measured,
            target: target.to_owned(),
            verdict,
        }
    }

    fn not_measured(figure: &str, target: &str, why: String) -> Row {
        Row::new(figure, why, target, Verdict::NotMeasured)
    }
}

/// Runs `bench`; returns the process exit code (0 when every figure was measured,
/// whether or not it meets its target).
pub fn run(root: &Path, args: &[String]) -> i32 {
    let args = match parse_args(root, args) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    let bench = Bench::new(root, args.quick);
    if let Err(e) = fs::create_dir_all(&bench.dir) {
        eprintln!("error: cannot create {}: {e}", bench.dir.display());
        return 1;
    }
    let mut rows = Vec::new();
    step(&format!("generating from {}", args.spec.display()));
    let output = match gen::generate(root, &args.spec) {
        Ok(output) => output,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    rows.extend(bench.generation(&args.spec));
    rows.extend(bench.builds(output));
    rows.extend(bench.runtime());
    rows.push(bench.compression_row());
    rows.extend(bench.session_tokens());

    let table = render(&rows);
    println!();
    println!("{}", bench.heading(&args.spec));
    println!();
    print!("{table}");
    if let Err(e) = fs::write(bench.dir.join("results.md"), &table) {
        eprintln!("warning: cannot write results.md: {e}");
    }
    eprintln!(
        "\n(table also in {}; build and bench logs in {})",
        bench.dir.join("results.md").display(),
        bench.dir.display()
    );
    if rows.iter().any(|r| r.verdict == Verdict::NotMeasured) {
        1
    } else {
        0
    }
}

fn step(what: &str) {
    eprintln!("==> {what}");
}

struct Bench {
    root: PathBuf,
    dir: PathBuf,
    cargo: String,
    quick: bool,
}

impl Bench {
    fn new(root: &Path, quick: bool) -> Bench {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        Bench {
            dir: root.join(BENCH_DIR),
            root,
            cargo: std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()),
            quick,
        }
    }

    /// `cargo` in `dir` with its own target directory, without the variables `cargo run`
    /// set for this process.
    fn cargo(&self, dir: &Path, target_dir: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(&self.cargo);
        command
            .current_dir(dir)
            .args(args)
            .env("CARGO_TARGET_DIR", target_dir)
            .env_remove("CARGO_PRIMARY_PACKAGE")
            .env_remove("CARGO_MANIFEST_DIR")
            .stdin(Stdio::null());
        command
    }

    /// The release build of the workspace's own crates (xtask, clerk-api's benches).
    fn main_target(&self) -> PathBuf {
        self.dir.join("target")
    }

    fn heading(&self, spec: &Path) -> String {
        let cpu = fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|info| {
                info.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split_once(':'))
                    .map(|(_, m)| m.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown CPU".to_owned());
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        let rustc = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned()))
            .arg("--version")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default();
        format!(
            "`cargo xtask bench{}` on {}: {cores} cores ({cpu}), {rustc}, spec {}",
            if self.quick { " --quick" } else { "" },
            today(),
            gen::spec_label(&self.root, spec),
        )
    }

    /// Generation time: `cargo xtask gen` as the alias runs it (a debug build, through
    /// cargo's up-to-date check), the release binary, and the generator in-process.
    fn generation(&self, spec: &Path) -> Vec<Row> {
        const ALIAS: &str =
            "`cargo xtask gen` on the spec (as aliased: debug xtask via cargo; wall, median)";
        const RELEASE: &str = "`xtask gen` on the spec (release binary; wall, median)";
        let target = format!("< {GEN_TARGET_MS:.0} ms");
        let runs = if self.quick { 3 } else { 15 };
        let mut rows = Vec::new();
        let gen_args = [
            "gen".to_owned(),
            "--spec".to_owned(),
            spec.to_string_lossy().into_owned(),
            "--out".to_owned(),
            self.dir.join("gen-out").to_string_lossy().into_owned(),
        ];
        let row = |figure: &str, timing: Result<Duration, String>| match timing {
            Ok(median) => {
                let ms = median.as_secs_f64() * 1000.0;
                Row::new(
                    figure,
                    format!("{ms:.0} ms"),
                    &target,
                    Verdict::of(ms < GEN_TARGET_MS),
                )
            }
            Err(e) => Row::not_measured(figure, &target, e),
        };

        // The alias, with the workspace's own target directory, as a developer runs it
        // (the first run builds xtask if needed and is not counted).
        step(&format!(
            "timing `cargo xtask gen`: 1 warm-up + {runs} runs"
        ));
        let timing = median_of_runs(runs, || {
            let mut command = Command::new(&self.cargo);
            command
                .current_dir(&self.root)
                .arg("xtask")
                .args(&gen_args)
                .env_remove("CARGO_PRIMARY_PACKAGE")
                .env_remove("CARGO_MANIFEST_DIR")
                .stdin(Stdio::null());
            command
        });
        rows.push(row(ALIAS, timing));

        step("building xtask (release)");
        let build = self
            .cargo(
                &self.root,
                &self.main_target(),
                &["build", "--release", "--quiet", "-p", "xtask"],
            )
            .output();
        let binary = self.main_target().join("release/xtask");
        rows.push(match build {
            Ok(out) if out.status.success() => {
                step(&format!(
                    "timing the release `xtask gen`: 1 warm-up + {runs} runs"
                ));
                let timing = median_of_runs(runs, || {
                    let mut command = Command::new(&binary);
                    command
                        .current_dir(&self.root)
                        .args(&gen_args)
                        .stdin(Stdio::null());
                    command
                });
                row(RELEASE, timing)
            }
            Ok(out) => Row::not_measured(RELEASE, &target, first_error(&out)),
            Err(e) => Row::not_measured(RELEASE, &target, e.to_string()),
        });

        let profile = if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        };
        step(&format!(
            "timing the generator in-process ({profile}): 1 warm-up + {runs} runs"
        ));
        let mut timings = Vec::new();
        for i in 0..=runs {
            let started = Instant::now();
            if let Err(e) = gen::generate(&self.root, spec) {
                rows.push(Row::not_measured("generator in-process", "", e));
                return rows;
            }
            if i > 0 {
                timings.push(started.elapsed());
            }
        }
        let ms = median_duration(&mut timings).as_secs_f64() * 1000.0;
        rows.push(Row::new(
            &format!(
                "generator in-process (`xtask::gen::generate`, {profile} build of this xtask)"
            ),
            format!("{ms:.0} ms"),
            "",
            Verdict::Info,
        ));
        rows
    }

    /// Build times, and whether the dependency tree needs a C compiler.
    fn builds(&self, output: codegen::Output) -> Vec<Row> {
        const COLD: &str = "`clerk-api` cold incl. dependencies, all features (CPU)";
        const ALL: &str = "`clerk-api` alone, cold, all features (CPU)";
        const REQWEST: &str = "crate depending on `reqwest` alone, cold incl. dependencies (CPU)";
        const C_COMPILER: &str = "C compiler needed by the default dependency tree";
        let one_tag =
            format!("`clerk-api` alone, cold, `--no-default-features --features {ONE_TAG}` (CPU)");
        let all_target = format!("<= {ALL_FEATURES_TARGET_S:.0} s");
        let one_target = format!("<= {ONE_TAG_TARGET_S:.0} s");
        let reps = if self.quick { 1 } else { 3 };
        let mut rows = Vec::new();

        let has_feature = output.features.iter().any(|f| f == ONE_TAG);
        let ws_dir = self.dir.join("ws");
        let ws_target = self.dir.join("ws-target");
        let workspace = ScratchWorkspace::create(
            &self.root,
            &ws_dir,
            &[ScratchCrate::new("clerk-api", output, Vec::new())],
        );
        if let Err(e) = workspace {
            let why = format!("cannot create the scratch workspace: {e}");
            rows.push(Row::not_measured(COLD, "(comparison)", why.clone()));
            rows.push(Row::not_measured(ALL, &all_target, why.clone()));
            rows.push(Row::not_measured(&one_tag, &one_target, why));
        } else {
            step("fetching the scratch crate's dependencies");
            let _ = self
                .cargo(&ws_dir, &ws_target, &["fetch", "--quiet"])
                .status();

            step("cold build of the scratch `clerk-api` with its dependencies");
            let _ = self
                .cargo(&ws_dir, &ws_target, &["clean", "--quiet"])
                .status();
            let cold = self.timed(self.cargo(
                &ws_dir,
                &ws_target,
                &["build", "-p", "clerk-api", "--all-features"],
            ));
            let cold_ok = cold.is_ok();
            rows.push(match cold {
                Ok(t) => Row::new(COLD, t.to_string(), "(comparison)", Verdict::Info),
                Err(e) => Row::not_measured(COLD, "(comparison)", e),
            });

            if cold_ok {
                step(&format!(
                    "`clerk-api` alone, all features: {reps}x clean -p + build"
                ));
                let all = self.clerk_api_alone(reps, &ws_dir, &ws_target, &["--all-features"]);
                rows.push(match all {
                    Ok(t) => Row::new(
                        ALL,
                        t.to_string(),
                        &all_target,
                        Verdict::of(t.cpu <= ALL_FEATURES_TARGET_S),
                    ),
                    Err(e) => Row::not_measured(ALL, &all_target, e),
                });

                if has_feature {
                    step(&format!(
                        "`clerk-api` alone, only `{ONE_TAG}`: {reps}x clean -p + build"
                    ));
                    let one = self.clerk_api_alone(
                        reps,
                        &ws_dir,
                        &ws_target,
                        &["--no-default-features", "--features", ONE_TAG],
                    );
                    rows.push(match one {
                        Ok(t) => Row::new(
                            &one_tag,
                            t.to_string(),
                            &one_target,
                            Verdict::of(t.cpu <= ONE_TAG_TARGET_S),
                        ),
                        Err(e) => Row::not_measured(&one_tag, &one_target, e),
                    });
                } else {
                    rows.push(Row::not_measured(
                        &one_tag,
                        &one_target,
                        format!("this spec generates no `{ONE_TAG}` feature"),
                    ));
                }
            } else {
                let why = "the cold build failed".to_owned();
                rows.push(Row::not_measured(ALL, &all_target, why.clone()));
                rows.push(Row::not_measured(&one_tag, &one_target, why));
            }

            step("looking for a C compiler in the dependency tree (cargo tree -e normal,build)");
            rows.push(match self.c_compiler(&ws_dir, &ws_target) {
                Ok(None) => Row::new(C_COMPILER, "none".to_owned(), "none", Verdict::Met),
                Ok(Some(chains)) => Row::new(C_COMPILER, chains, "none", Verdict::Missed),
                Err(e) => Row::not_measured(C_COMPILER, "none", e),
            });
        }

        step("cold build of a crate depending on `reqwest` alone");
        rows.push(match self.reqwest_only() {
            Ok(t) => Row::new(REQWEST, t.to_string(), "(comparison)", Verdict::Info),
            Err(e) => Row::not_measured(REQWEST, "(comparison)", e),
        });
        // Keep the comparison rows together: clerk-api cold next to reqwest cold.
        if let Some(cold) = rows.iter().position(|r| r.figure == COLD) {
            let reqwest = rows.pop().expect("just pushed");
            rows.insert(cold + 1, reqwest);
        }
        rows
    }

    /// `cargo clean -p clerk-api` then `cargo build -p clerk-api <features>`, dependencies
    /// already built: the median of `reps` runs.
    fn clerk_api_alone(
        &self,
        reps: usize,
        ws_dir: &Path,
        ws_target: &Path,
        features: &[&str],
    ) -> Result<BuildTime, String> {
        self.repeat(reps, || {
            let _ = self
                .cargo(ws_dir, ws_target, &["clean", "--quiet", "-p", "clerk-api"])
                .status();
            let mut args = vec!["build", "-p", "clerk-api"];
            args.extend_from_slice(features);
            self.timed(self.cargo(ws_dir, ws_target, &args))
        })
    }

    /// The median (by CPU time) of `reps` timed runs.
    fn repeat(
        &self,
        reps: usize,
        mut run: impl FnMut() -> Result<BuildTime, String>,
    ) -> Result<BuildTime, String> {
        let mut times = (0..reps).map(|_| run()).collect::<Result<Vec<_>, _>>()?;
        times.sort_by(|a, b| a.cpu.total_cmp(&b.cpu));
        Ok(times.swap_remove(times.len() / 2))
    }

    /// Runs a build, measuring the CPU time of the child processes and the wall time.
    fn timed(&self, mut command: Command) -> Result<BuildTime, String> {
        let before = children_cpu_seconds();
        let started = Instant::now();
        let out = command
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let wall = started.elapsed().as_secs_f64();
        let cpu = children_cpu_seconds() - before;
        if !out.status.success() {
            return Err(first_error(&out));
        }
        Ok(BuildTime { cpu, wall })
    }

    /// `None` when neither `cc` nor `cmake` is a (build-)dependency, else each of them
    /// with the chain of crates that pulls it in.
    fn c_compiler(&self, ws_dir: &Path, ws_target: &Path) -> Result<Option<String>, String> {
        let mut found = Vec::new();
        for tool in ["cc", "cmake"] {
            let out = self
                .cargo(
                    ws_dir,
                    ws_target,
                    &[
                        "tree",
                        "-p",
                        "clerk-api",
                        "-e",
                        "normal,build",
                        "--prefix",
                        "depth",
                        "-i",
                        tool,
                    ],
                )
                .output()
                .map_err(|e| format!("cannot run cargo tree: {e}"))?;
            let text = String::from_utf8_lossy(&out.stdout);
            if !out.status.success() || text.trim().is_empty() {
                // `-i` fails when the package is not in the graph: what we hope for.
                let stderr = String::from_utf8_lossy(&out.stderr);
                if stderr.contains("did not match any packages") || text.trim().is_empty() {
                    continue;
                }
                return Err(first_error(&out));
            }
            found.push(inverse_chain(&text));
        }
        Ok((!found.is_empty()).then(|| format!("yes: {}", found.join("; "))))
    }

    /// A crate with only `clerk-api`'s `reqwest` dependency line, built cold.
    fn reqwest_only(&self) -> Result<BuildTime, String> {
        let manifest = fs::read_to_string(self.root.join("clerk-api/Cargo.toml"))
            .map_err(|e| format!("cannot read clerk-api/Cargo.toml: {e}"))?;
        let line = dependency_line(&manifest, "reqwest")
            .ok_or("clerk-api/Cargo.toml has no `reqwest = ...` line under [dependencies]")?;
        let dir = self.dir.join("reqwest-only");
        let target = self.dir.join("reqwest-only-target");
        fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
        let manifest = format!(
            "[package]\n\
             name = \"reqwest-only\"\n\
             version = \"0.0.0\"\n\
             edition = \"2021\"\n\
             publish = false\n\n\
             [dependencies]\n\
             {line}\n\n\
             [workspace]\n"
        );
        fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
        fs::write(dir.join("src/lib.rs"), "pub use reqwest;\n").map_err(|e| e.to_string())?;
        // The same versions as the workspace resolves (cargo drops the unused entries).
        if let Ok(lock) = fs::read(self.root.join("Cargo.lock")) {
            fs::write(dir.join("Cargo.lock"), lock).map_err(|e| e.to_string())?;
        }
        let _ = self.cargo(&dir, &target, &["fetch", "--quiet"]).status();
        let _ = self.cargo(&dir, &target, &["clean", "--quiet"]).status();
        self.timed(self.cargo(&dir, &target, &["build"]))
    }

    /// The criterion benches of `clerk-api`, and the two ratios.
    fn runtime(&self) -> Vec<Row> {
        const DESERIALIZE: &str = "deserialize 500 `OrganizationMembership`s as `Client` does: generated models / plain serde structs";
        const REQUEST: &str = "one GET to loopback: `Client::get_organization` / bare `reqwest`";
        let deserialize_target = format!("<= {DESERIALIZE_TARGET:.1}x");
        let request_target = format!("<= {REQUEST_TARGET:.1}x");

        let criterion = self.main_target().join("criterion");
        for group in [DESERIALIZE_GROUP, REQUEST_GROUP] {
            let _ = fs::remove_dir_all(criterion.join(group));
        }
        let mut args = vec![
            "bench",
            "-p",
            "clerk-api",
            "--bench",
            "deserialize",
            "--bench",
            "request",
            "--",
        ];
        if self.quick {
            args.extend([
                "--warm-up-time",
                "0.5",
                "--measurement-time",
                "1",
                "--sample-size",
                "10",
            ]);
        }
        let log = self.dir.join("criterion.log");
        step(&format!(
            "cargo bench -p clerk-api (criterion{}; output in {})",
            if self.quick { ", quick" } else { "" },
            log.display()
        ));
        let out = self.cargo(&self.root, &self.main_target(), &args).output();
        let failure = match out {
            Ok(out) => {
                let mut text = out.stdout.clone();
                text.extend_from_slice(&out.stderr);
                let _ = fs::write(&log, text);
                (!out.status.success()).then(|| first_error(&out))
            }
            Err(e) => Some(format!("cannot run cargo bench: {e}")),
        };
        let ratio_row =
            |figure: &str, target: &str, limit: Option<f64>, group: &str, a: &str, b: &str| {
                let ratio = median_ns(&criterion, group, a)
                    .and_then(|x| median_ns(&criterion, group, b).map(|y| (x, y)));
                match (ratio, &failure) {
                    (Ok((x, y)), _) => Row::new(
                        figure,
                        format!("{} / {} = {:.2}x", human_ns(x), human_ns(y), x / y),
                        target,
                        limit.map_or(Verdict::Info, |limit| Verdict::of(x / y <= limit)),
                    ),
                    (Err(_), Some(failure)) => Row::not_measured(figure, target, failure.clone()),
                    (Err(e), None) => Row::not_measured(figure, target, e),
                }
            };
        vec![
            ratio_row(
                DESERIALIZE,
                &deserialize_target,
                Some(DESERIALIZE_TARGET),
                DESERIALIZE_GROUP,
                "generated",
                "plain",
            ),
            ratio_row(
                REQUEST,
                &request_target,
                Some(REQUEST_TARGET),
                REQUEST_GROUP,
                "clerk_api_client",
                "bare_reqwest",
            ),
        ]
    }
}

impl Bench {
    /// The 500-membership page of `benches/request.rs` (run by [`Bench::runtime`]),
    /// gzip-encoded and not: bytes on the wire, from the line the bench prints into
    /// `criterion.log`, and the criterion medians.
    fn compression_row(&self) -> Row {
        const FIGURE: &str = "500-membership page over loopback, gzip / uncompressed: bytes on the wire; time per page (`Client::list_organization_memberships`)";
        const GROUP: &str = "page_500_memberships";
        let log = fs::read_to_string(self.dir.join("criterion.log")).unwrap_or_default();
        let bytes = wire_bytes(&log);
        let criterion = self.main_target().join("criterion");
        let times = median_ns(&criterion, GROUP, "gzip")
            .and_then(|gzip| median_ns(&criterion, GROUP, "identity").map(|id| (gzip, id)));
        match (bytes, times) {
            (Some((identity, gzip)), Ok((gzip_ns, identity_ns))) => Row::new(
                FIGURE,
                format!(
                    "{:.1} kB / {:.1} kB ({:.1}%); {} / {} = {:.2}x",
                    gzip / 1000.0,
                    identity / 1000.0,
                    100.0 * gzip / identity,
                    human_ns(gzip_ns),
                    human_ns(identity_ns),
                    gzip_ns / identity_ns
                ),
                "",
                Verdict::Info,
            ),
            (None, _) => Row::not_measured(
                FIGURE,
                "",
                "no `page_500_memberships wire bytes` line in criterion.log".to_owned(),
            ),
            (_, Err(e)) => Row::not_measured(FIGURE, "", e),
        }
    }
}

/// `(identity, gzip)` from the `page_500_memberships wire bytes: identity=N gzip=M` line
/// `benches/request.rs` prints.
fn wire_bytes(log: &str) -> Option<(f64, f64)> {
    log.lines().find_map(|line| {
        let rest = line.strip_prefix("page_500_memberships wire bytes: identity=")?;
        let (identity, gzip) = rest.split_once(" gzip=")?;
        Some((identity.trim().parse().ok()?, gzip.trim().parse().ok()?))
    })
}

/// The session-token rows (feature `auth`): `clerk-api/benches/verify_token.rs`.
impl Bench {
    fn session_tokens(&self) -> Vec<Row> {
        const GROUP: &str = "verify_token";
        const TARGET: f64 = 1.3;
        let criterion = self.main_target().join("criterion");
        let _ = fs::remove_dir_all(criterion.join(GROUP));
        let mut args = vec![
            "bench",
            "-p",
            "clerk-api",
            "--features",
            "auth,test-util",
            "--bench",
            GROUP,
            "--",
        ];
        if self.quick {
            args.extend([
                "--warm-up-time",
                "0.5",
                "--measurement-time",
                "1",
                "--sample-size",
                "10",
            ]);
        }
        let log = self.dir.join("criterion-verify_token.log");
        step(&format!(
            "cargo bench -p clerk-api --bench {GROUP} (output in {})",
            log.display()
        ));
        let failure = match self.cargo(&self.root, &self.main_target(), &args).output() {
            Ok(out) => {
                let _ = fs::write(&log, [out.stdout.as_slice(), &out.stderr].concat());
                (!out.status.success()).then(|| first_error(&out))
            }
            Err(e) => Some(format!("cannot run cargo bench: {e}")),
        };
        let row = |figure: &str, target: &str, limit: Option<f64>, a: &str, b: &str| {
            let medians = median_ns(&criterion, GROUP, a)
                .and_then(|x| median_ns(&criterion, GROUP, b).map(|y| (x, y)));
            match (medians, &failure) {
                (Ok((x, y)), _) => Row::new(
                    figure,
                    format!("{} / {} = {:.2}x", human_ns(x), human_ns(y), x / y),
                    target,
                    limit.map_or(Verdict::Info, |limit| Verdict::of(x / y <= limit)),
                ),
                (Err(_), Some(failure)) => Row::not_measured(figure, target, failure.clone()),
                (Err(e), None) => Row::not_measured(figure, target, e),
            }
        };
        vec![
            row(
                "verify one session token, key cached from the JWKS: `auth::Verifier::verify` / bare RSA check (graviola)",
                &format!("<= {TARGET:.1}x"),
                Some(TARGET),
                "clerk_api_cached_jwks",
                "bare_rsa_graviola",
            ),
            row(
                "verify one session token: `auth::Verifier::verify` (cached key) / `jsonwebtoken::decode` (RustCrypto)",
                "(comparison)",
                None,
                "clerk_api_cached_jwks",
                "jsonwebtoken",
            ),
            row(
                "RSA PKCS#1 v1.5 SHA-256 check (2048-bit): graviola / RustCrypto `rsa`",
                "(comparison)",
                None,
                "bare_rsa_graviola",
                "bare_rsa_rustcrypto",
            ),
        ]
    }
}

struct BuildTime {
    cpu: f64,
    wall: f64,
}

impl std::fmt::Display for BuildTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.1} s ({:.1} s wall)", self.cpu, self.wall)
    }
}

/// User+sys CPU seconds of every child process waited for so far (cargo waits for its
/// rustc and build-script processes, so their time is included).
fn children_cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// The median point estimate, in nanoseconds, of one criterion benchmark.
fn median_ns(criterion: &Path, group: &str, function: &str) -> Result<f64, String> {
    let path = criterion
        .join(group)
        .join(function)
        .join("new/estimates.json");
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    json["median"]["point_estimate"]
        .as_f64()
        .ok_or_else(|| format!("{}: no median.point_estimate", path.display()))
}

fn human_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Runs a command once to warm up, then `runs` times; the median wall time.
fn median_of_runs(runs: usize, command: impl Fn() -> Command) -> Result<Duration, String> {
    let mut timings = Vec::with_capacity(runs);
    for i in 0..=runs {
        let started = Instant::now();
        let out = command()
            .output()
            .map_err(|e| format!("cannot run the command: {e}"))?;
        let elapsed = started.elapsed();
        if !out.status.success() {
            return Err(first_error(&out));
        }
        if i > 0 {
            timings.push(elapsed);
        }
    }
    Ok(median_duration(&mut timings))
}

fn median_duration(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// The first `error` line a failed command printed (or its last line).
fn first_error(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    stderr
        .lines()
        .chain(stdout.lines())
        .find(|l| l.trim_start().starts_with("error"))
        .or_else(|| stderr.lines().rev().find(|l| !l.trim().is_empty()))
        .map(|l| l.trim().to_owned())
        .unwrap_or_else(|| format!("failed with {}", out.status))
}

/// `dep = ...` from the `[dependencies]` table of a manifest.
fn dependency_line(manifest: &str, dep: &str) -> Option<String> {
    let mut section = "";
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed;
        } else if section == "[dependencies]"
            && trimmed.strip_prefix(dep).is_some_and(|rest| {
                rest.trim_start().starts_with('=') || rest.starts_with(".workspace")
            })
        {
            return Some(trimmed.to_owned());
        }
    }
    None
}

/// From `cargo tree -i X --prefix depth` output, the packages that depend on X directly
/// and the first chain from X up to the root: "cc (build-dep of ring) <- ring <- ...".
fn inverse_chain(tree: &str) -> String {
    let parsed: Vec<(usize, String)> = tree
        .lines()
        .filter_map(|line| {
            let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
            let depth = line[..digits].parse().ok()?;
            let name = line[digits..].split_whitespace().next()?.to_owned();
            Some((depth, name))
        })
        .collect();
    let mut chain: Vec<&str> = Vec::new();
    for (depth, name) in &parsed {
        if *depth == chain.len() {
            chain.push(name);
        }
    }
    let mut direct: Vec<&str> = parsed
        .iter()
        .filter(|(d, _)| *d == 1)
        .map(|(_, n)| n.as_str())
        .collect();
    direct.sort();
    direct.dedup();
    let mut out = chain.join(" <- ");
    if direct.len() > 1 {
        let _ = write!(
            out,
            " (`{}` is a dependency of: {})",
            chain[0],
            direct.join(", ")
        );
    }
    out
}

/// The table, as Markdown.
fn render(rows: &[Row]) -> String {
    let mut out = String::from("| figure | measured | target | ok? |\n| --- | --- | --- | --- |\n");
    for row in rows {
        let target = if row.target.is_empty() {
            "-"
        } else {
            &row.target
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            row.figure.replace('|', "\\|"),
            row.measured.replace('|', "\\|"),
            target,
            row.verdict.label()
        );
    }
    out
}

/// Today's date (UTC), as YYYY-MM-DD.
fn today() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    civil_date(days as i64)
}

/// Days since 1970-01-01 to a date (Howard Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_follows_the_first_path_up_the_inverted_tree() {
        let tree = "0cc v1.2.3\n1ring v0.17.14\n2rustls v0.23.1\n3reqwest v0.12.28\n4clerk-api v0.1.0 (/x)\n2rustls-webpki v0.103.0\n1other v1.0.0\n";
        assert_eq!(
            inverse_chain(tree),
            "cc <- ring <- rustls <- reqwest <- clerk-api (`cc` is a dependency of: other, ring)"
        );
    }

    #[test]
    fn finds_the_dependency_line() {
        let manifest = "[package]\nname = \"x\"\n\n[dependencies]\nreqwest-middleware = \"1\"\nreqwest = { version = \"0.12\" }\n\n[dev-dependencies]\nreqwest = \"0.11\"\n";
        assert_eq!(
            dependency_line(manifest, "reqwest").as_deref(),
            Some("reqwest = { version = \"0.12\" }")
        );
    }

    #[test]
    fn reads_the_wire_bytes_the_request_bench_prints() {
        let log =
            "Benchmarking x\npage_500_memberships wire bytes: identity=722961 gzip=28080\nmore\n";
        assert_eq!(wire_bytes(log), Some((722_961.0, 28_080.0)));
        assert_eq!(
            wire_bytes("page_500_memberships wire bytes: identity=x gzip=1"),
            None
        );
        assert_eq!(wire_bytes(""), None);
    }

    #[test]
    fn dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
        assert_eq!(civil_date(20_454), "2026-01-01");
    }
}
