//! The runtime figures: the criterion benches of `clerk-api`, read back from criterion's
//! medians (`criterion/<group>/<function>/new/estimates.json`).

use super::measure::{first_error, human_ns, median_ns};
use super::{step, Bench, Row, Verdict};
use std::fs;
use std::path::Path;

const DESERIALIZE_TARGET: f64 = 1.2;
const REQUEST_TARGET: f64 = 1.1;
const VERIFY_TARGET: f64 = 1.3;
/// Client CPU per request under concurrency, ours / bare reqwest.
const CONCURRENT_CPU_TARGET: f64 = 1.05;
/// A rate limiter that never binds costs no measurable time: within what criterion's
/// wall-clock medians of one loopback call vary between runs.
const LIMITER_IDLE_TARGET: f64 = 1.1;

/// Criterion groups, as the benches name them.
const DESERIALIZE_GROUP: &str = "deserialize_500_memberships";
const REQUEST_GROUP: &str = "get_organization";
const PAGE_GROUP: &str = "page_500_memberships";
const VERIFY_GROUP: &str = "verify_token";
/// `benches/load.rs`: one group per concurrency, `concurrent_get_c<N>`.
const CONCURRENCIES: &[u32] = &[1, 64, 512];
const LIMITER_IDLE_GROUP: &str = "rate_limit_not_binding";
const LOAD_LOG: &str = "criterion-load.log";

/// A row comparing two criterion medians: `a / b`, within `limit` when there is one.
/// `failure` is why the bench run failed, if it did.
fn ratio_row(
    criterion: &Path,
    failure: &Option<String>,
    figure: &str,
    limit: Option<f64>,
    (group, a, b): (&str, &str, &str),
) -> Row {
    let target = limit.map_or_else(|| "(comparison)".to_owned(), |l| format!("<= {l:.1}x"));
    let medians =
        median_ns(criterion, group, a).and_then(|x| median_ns(criterion, group, b).map(|y| (x, y)));
    match (medians, failure) {
        (Ok((x, y)), _) => Row::new(
            figure,
            format!("{} / {} = {:.2}x", human_ns(x), human_ns(y), x / y),
            &target,
            limit.map_or(Verdict::Info, |limit| Verdict::of(x / y <= limit)),
        ),
        (Err(_), Some(failure)) => Row::not_measured(figure, &target, failure.clone()),
        (Err(e), None) => Row::not_measured(figure, &target, e),
    }
}

impl Bench {
    /// Every runtime row.
    pub(super) fn runtime(&self) -> Vec<Row> {
        let mut rows = self.client_benches();
        rows.push(self.compression_row());
        rows.extend(self.load_benches());
        rows.extend(self.session_tokens());
        rows
    }

    /// Runs `cargo bench -p clerk-api <args>`, logging to `log`; the failure, if any.
    fn criterion(&self, args: &[&str], groups: &[&str], log: &str) -> Option<String> {
        let criterion = self.main_target().join("criterion");
        for group in groups {
            let _ = fs::remove_dir_all(criterion.join(group));
        }
        let mut args: Vec<&str> = [&["bench", "-p", "clerk-api"], args, &["--"]].concat();
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
        let log = self.dir.join(log);
        step(&format!(
            "cargo bench -p clerk-api {} (criterion{}; output in {})",
            groups.join(", "),
            if self.quick { ", quick" } else { "" },
            log.display()
        ));
        match self.cargo(&self.root, &self.main_target(), &args).output() {
            Ok(out) => {
                let _ = fs::write(&log, [out.stdout.as_slice(), &out.stderr].concat());
                (!out.status.success()).then(|| first_error(&out))
            }
            Err(e) => Some(format!("cannot run cargo bench: {e}")),
        }
    }

    /// Decoding and one request (`benches/deserialize.rs`, `benches/request.rs`).
    fn client_benches(&self) -> Vec<Row> {
        let failure = self.criterion(
            &["--bench", "deserialize", "--bench", "request"],
            &[DESERIALIZE_GROUP, REQUEST_GROUP, PAGE_GROUP],
            "criterion.log",
        );
        let criterion = self.main_target().join("criterion");
        vec![
            ratio_row(
                &criterion,
                &failure,
                "deserialize 500 `OrganizationMembership`s as `Client` does: generated models / plain serde structs",
                Some(DESERIALIZE_TARGET),
                (DESERIALIZE_GROUP, "generated", "plain"),
            ),
            ratio_row(
                &criterion,
                &failure,
                "one GET to loopback: `Client::get_organization` / bare `reqwest`",
                Some(REQUEST_TARGET),
                (REQUEST_GROUP, "clerk_api_client", "bare_reqwest"),
            ),
        ]
    }

    /// The 500-membership page of `benches/request.rs` (run by [`Bench::runtime`]),
    /// gzip-encoded and not: bytes on the wire, from the line the bench prints into
    /// `criterion.log`, and the criterion medians.
    fn compression_row(&self) -> Row {
        const FIGURE: &str = "500-membership page over loopback, gzip / uncompressed: bytes on the wire; time per page (`Client::list_organization_memberships`)";
        let log = fs::read_to_string(self.dir.join("criterion.log")).unwrap_or_default();
        let bytes = wire_bytes(&log);
        let criterion = self.main_target().join("criterion");
        let times = median_ns(&criterion, PAGE_GROUP, "gzip")
            .and_then(|gzip| median_ns(&criterion, PAGE_GROUP, "identity").map(|id| (gzip, id)));
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

    /// The client under load (`benches/load.rs`): client CPU and throughput at several
    /// concurrencies beside bare reqwest, and the rate limiter binding and not.
    fn load_benches(&self) -> Vec<Row> {
        let groups: Vec<String> = CONCURRENCIES
            .iter()
            .map(|c| format!("concurrent_get_c{c}"))
            .chain([LIMITER_IDLE_GROUP.to_owned()])
            .collect();
        let group_names: Vec<&str> = groups.iter().map(String::as_str).collect();
        let failure = self.criterion(&["--bench", "load"], &group_names, LOAD_LOG);
        let criterion = self.main_target().join("criterion");
        let log = fs::read_to_string(self.dir.join(LOAD_LOG)).unwrap_or_default();
        let mut rows: Vec<Row> = CONCURRENCIES
            .iter()
            .map(|&c| concurrent_row(&criterion, &failure, &log, c))
            .collect();
        rows.push(ratio_row(
            &criterion,
            &failure,
            "a `RateLimit` that never binds, one GET at a time to loopback: with / without (wall per call)",
            Some(LIMITER_IDLE_TARGET),
            (LIMITER_IDLE_GROUP, "with_limit", "without_limit"),
        ));
        rows.push(limiter_binding_row(&log, &failure));
        rows
    }

    /// The session-token rows (feature `auth`): `benches/verify_token.rs`.
    fn session_tokens(&self) -> Vec<Row> {
        let failure = self.criterion(
            &["--features", "auth,test-util", "--bench", VERIFY_GROUP],
            &[VERIFY_GROUP],
            "criterion-verify_token.log",
        );
        let criterion = self.main_target().join("criterion");
        vec![
            ratio_row(
                &criterion,
                &failure,
                "verify one session token, key cached from the JWKS: `auth::Verifier::verify` / bare RSA check (graviola)",
                Some(VERIFY_TARGET),
                (VERIFY_GROUP, "clerk_api_cached_jwks", "bare_rsa_graviola"),
            ),
            ratio_row(
                &criterion,
                &failure,
                "verify one session token: `auth::Verifier::verify` (cached key) / `jsonwebtoken::decode` (RustCrypto)",
                None,
                (VERIFY_GROUP, "clerk_api_cached_jwks", "jsonwebtoken"),
            ),
            ratio_row(
                &criterion,
                &failure,
                "RSA PKCS#1 v1.5 SHA-256 check (2048-bit): graviola / RustCrypto `rsa`",
                None,
                (VERIFY_GROUP, "bare_rsa_graviola", "bare_rsa_rustcrypto"),
            ),
        ]
    }
}

/// Client CPU per request (criterion medians) and wall throughput (the line the bench
/// prints) of `concurrency` GETs at once: ours / bare reqwest.
fn concurrent_row(criterion: &Path, failure: &Option<String>, log: &str, concurrency: u32) -> Row {
    let figure = format!(
        "{concurrency} concurrent GETs to loopback, one client thread: client CPU per request and throughput, `Client::get_organization` / bare `reqwest`"
    );
    let target = format!("CPU <= {CONCURRENT_CPU_TARGET:.2}x");
    let group = format!("concurrent_get_c{concurrency}");
    let cpu = median_ns(criterion, &group, "clerk_api_client")
        .and_then(|x| median_ns(criterion, &group, "bare_reqwest").map(|y| (x, y)));
    match (cpu, failure) {
        (Ok((ours, bare)), _) => {
            let rates = match throughput(log, concurrency) {
                Some((a, b)) => format!("; {a:.0} / {b:.0} req/s = {:.2}x", a / b),
                None => "; throughput: no line in the log".to_owned(),
            };
            Row::new(
                &figure,
                format!(
                    "CPU {} / {} = {:.2}x{rates}",
                    human_ns(ours),
                    human_ns(bare),
                    ours / bare
                ),
                &target,
                Verdict::of(ours / bare <= CONCURRENT_CPU_TARGET),
            )
        }
        (Err(_), Some(failure)) => Row::not_measured(&figure, &target, failure.clone()),
        (Err(e), None) => Row::not_measured(&figure, &target, e),
    }
}

/// `(ours, bare)` requests per second from the `concurrent_get c=N req/s:
/// clerk_api_client=X bare_reqwest=Y` line `benches/load.rs` prints.
fn throughput(log: &str, concurrency: u32) -> Option<(f64, f64)> {
    let prefix = format!("concurrent_get c={concurrency} req/s: clerk_api_client=");
    log.lines().find_map(|line| {
        let rest = line.strip_prefix(&prefix)?;
        let (ours, bare) = rest.split_once(" bare_reqwest=")?;
        Some((ours.trim().parse().ok()?, bare.trim().parse().ok()?))
    })
}

/// The `key=value` fields of the `rate_limit binding: ...` line `benches/load.rs` prints.
fn limiter_binding(log: &str) -> Option<Vec<(&str, f64)>> {
    let line = log
        .lines()
        .find_map(|l| l.strip_prefix("rate_limit binding: "))?;
    line.split_whitespace()
        .map(|field| {
            let (key, value) = field.split_once('=')?;
            Some((key, value.parse().ok()?))
        })
        .collect()
}

/// The most arrivals the server saw in one window under a binding limiter, and the time
/// the calls took beside the least the budget allows.
fn limiter_binding_row(log: &str, failure: &Option<String>) -> Row {
    const FIGURE: &str = "a `RateLimit` that binds (`RateLimit::new(100, 100 ms)`, 2,000 GETs from 64 tasks): most arrivals the server saw in any window; time / least the budget allows";
    const TARGET: &str = "<= budget; time <= 1.1x";
    let fields = limiter_binding(log);
    let get = |key: &str| {
        fields
            .as_ref()
            .and_then(|f| f.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
    };
    match (
        get("busiest"),
        get("budget"),
        get("elapsed_ms"),
        get("minimum_ms"),
    ) {
        (Some(busiest), Some(budget), Some(elapsed), Some(minimum)) => Row::new(
            FIGURE,
            format!(
                "{busiest:.0} of {budget:.0}; {:.2} s / {:.2} s = {:.2}x",
                elapsed / 1000.0,
                minimum / 1000.0,
                elapsed / minimum
            ),
            TARGET,
            Verdict::of(busiest <= budget && elapsed / minimum <= 1.1),
        ),
        _ => Row::not_measured(
            FIGURE,
            TARGET,
            failure
                .clone()
                .unwrap_or_else(|| format!("no `rate_limit binding:` line in {LOAD_LOG}")),
        ),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_wire_bytes_the_request_bench_prints() {
        let log = "noise\npage_500_memberships wire bytes: identity=722961 gzip=28080\nmore";
        assert_eq!(wire_bytes(log), Some((722_961.0, 28_080.0)));
        assert_eq!(wire_bytes("nothing"), None);
    }

    #[test]
    fn reads_the_lines_the_load_bench_prints() {
        let log = "x\nconcurrent_get c=64 req/s: clerk_api_client=9000 bare_reqwest=10000\n\
                   rate_limit binding: requests=2000 budget=100 window_ms=100 tasks=64 busiest=100 elapsed_ms=1931.5 minimum_ms=1900\n";
        assert_eq!(throughput(log, 64), Some((9000.0, 10000.0)));
        assert_eq!(throughput(log, 512), None);
        let row = limiter_binding_row(log, &None);
        assert_eq!(row.measured, "100 of 100; 1.93 s / 1.90 s = 1.02x");
        assert!(row.verdict == Verdict::Met);
        let over = log.replace("busiest=100", "busiest=101");
        assert!(limiter_binding_row(&over, &None).verdict == Verdict::Missed);
        assert!(limiter_binding_row("", &None).verdict == Verdict::NotMeasured);
    }
}
