//! Generation time: `cargo xtask gen` as the alias runs it (a dev build, through cargo's
//! up-to-date check), the release binary, and the generator in-process.

use super::measure::{first_error, median_duration, median_of_runs};
use super::{step, Bench, Row, Verdict};
use crate::gen;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Target of every generation row.
const GEN_TARGET_MS: f64 = 200.0;

impl Bench {
    /// Generation time: `cargo xtask gen` as the alias runs it (a debug build, through
    /// cargo's up-to-date check), the release binary, and the generator in-process.
    pub(super) fn generation(&self, spec: &Path) -> Vec<Row> {
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

        rows.push(self.in_process(spec, runs));
        rows
    }

    /// `xtask::gen::generate` called inside this process: the generator without process
    /// start-up or writing.
    fn in_process(&self, spec: &Path, runs: usize) -> Row {
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
                return Row::not_measured("generator in-process", "", e.to_string());
            }
            if i > 0 {
                timings.push(started.elapsed());
            }
        }
        let ms = median_duration(&mut timings).as_secs_f64() * 1000.0;
        Row::new(
            &format!(
                "generator in-process (`xtask::gen::generate`, {profile} build of this xtask)"
            ),
            format!("{ms:.0} ms"),
            "",
            Verdict::Info,
        )
    }
}
