//! The runtime figures: the criterion benches of `clerk-api`, read back from criterion's
//! medians (`criterion/<group>/<function>/new/estimates.json`).

use super::measure::{first_error, human_ns, median_ns};
use super::{step, Bench, Row, Verdict};
use std::fs;
use std::path::Path;

const DESERIALIZE_TARGET: f64 = 1.2;
const REQUEST_TARGET: f64 = 1.1;
const VERIFY_TARGET: f64 = 1.3;

/// Criterion groups, as the benches name them.
const DESERIALIZE_GROUP: &str = "deserialize_500_memberships";
const REQUEST_GROUP: &str = "get_organization";
const PAGE_GROUP: &str = "page_500_memberships";
const VERIFY_GROUP: &str = "verify_token";

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

/// `(identity, gzip)` from the `page_500_memberships wire bytes: identity=N gzip=M` line
/// `benches/request.rs` prints.
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
}
