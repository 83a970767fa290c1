//! Timing what the bench runs: CPU and wall time of builds, and which crates a build
//! actually compiled; medians of repeated runs and of criterion's estimates.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// What one build cost.
#[derive(Clone, Copy)]
pub(super) struct BuildTime {
    /// User+sys CPU seconds of cargo and everything it ran.
    pub cpu: f64,
    pub wall: f64,
}

impl std::fmt::Display for BuildTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.1} s ({:.1} s wall)", self.cpu, self.wall)
    }
}

/// Runs a build, measuring the CPU time of the child processes and the wall time. With
/// `only`, the build must have compiled that package and no other (a figure for "the
/// crate alone" that rebuilt a dependency too would measure the wrong thing): cargo
/// names every package it compiles on stderr.
pub(super) fn timed(mut command: Command, only: Option<&str>) -> Result<BuildTime, String> {
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
    if let Some(package) = only {
        let compiled = compiled_packages(&String::from_utf8_lossy(&out.stderr));
        if compiled != [package] {
            return Err(format!(
                "expected cargo to compile only `{package}`, it compiled {compiled:?}"
            ));
        }
    }
    Ok(BuildTime { cpu, wall })
}

/// The packages a cargo build compiled, from its `Compiling <name> v<version>` lines.
pub(super) fn compiled_packages(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("Compiling "))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// The median (by CPU time) of some timed builds.
pub(super) fn median_build(mut times: Vec<BuildTime>) -> Option<BuildTime> {
    if times.is_empty() {
        return None;
    }
    times.sort_by(|a, b| a.cpu.total_cmp(&b.cpu));
    let middle = times.len() / 2;
    Some(times.swap_remove(middle))
}

/// User+sys CPU seconds of every child process waited for so far (cargo waits for its
/// rustc and build-script processes, so their time is included).
pub(super) fn children_cpu_seconds() -> f64 {
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
pub(super) fn median_ns(criterion: &Path, group: &str, function: &str) -> Result<f64, String> {
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

pub(super) fn human_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Runs a command once to warm up, then `runs` times; the median wall time.
pub(super) fn median_of_runs(
    runs: usize,
    command: impl Fn() -> Command,
) -> Result<Duration, String> {
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

pub(super) fn median_duration(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// The first `error` line a failed command printed (or its last line).
pub(super) fn first_error(out: &Output) -> String {
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

/// Today's date (UTC), as YYYY-MM-DD.
pub(super) fn today() -> String {
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
    fn dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
        assert_eq!(civil_date(20_454), "2026-01-01");
    }

    #[test]
    fn compiled_packages_are_read_from_cargo_output() {
        let stderr = "   Compiling clerk-api v0.1.0 (/x)\n       Fresh serde v1.0.0\n   Compiling http v1.2.0\n    Finished `dev` profile\n";
        assert_eq!(compiled_packages(stderr), ["clerk-api", "http"]);
        assert!(compiled_packages("       Fresh serde v1.0.0\n").is_empty());
    }
}
