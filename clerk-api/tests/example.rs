//! `examples/list_organizations.rs` prints every organization exactly once while the
//! server answers 429 with `Retry-After`, answers 503, and drops a connection.

mod common;

use common::fault_server::{Action, FaultServer};
use common::organization_json;
use serde_json::json;
use std::path::PathBuf;
use std::process::Command;

const ORGANIZATIONS: usize = 250;

/// The example as `cargo test` builds it (next to this test's binary), or built on
/// demand when only this test target was compiled.
fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let built = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples/list_organizations");
    if built.exists() {
        return built;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = root.join("target/scratch/example");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&root)
        .args([
            "build",
            "--quiet",
            "-p",
            "clerk-api",
            "--example",
            "list_organizations",
        ])
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .unwrap();
    assert!(status.success());
    target.join("debug/examples/list_organizations")
}

/// A page of the fixed data set, for the query's `limit` and `offset`.
fn page(target: &str) -> Action {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .and_then(|v| v.parse::<usize>().ok())
    };
    let (limit, offset) = (param("limit").unwrap_or(10), param("offset").unwrap_or(0));
    let data: Vec<_> = (offset..(offset + limit).min(ORGANIZATIONS))
        .map(|i| organization_json(&format!("org_{i:03}"), &format!("Org {i}")))
        .collect();
    Action::json(200, &json!({"data": data, "total_count": ORGANIZATIONS}))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_example_prints_every_organization_once_through_faults() {
    let binary = example_binary();
    let script = vec![
        Action::json(
            429,
            &json!({"errors": [{"message": "slow down", "code": "too_many_requests"}]}),
        )
        .with_header("Retry-After", "1"),
        Action::Pass,
        Action::json(503, &json!({"errors": []})),
        Action::Pass,
        Action::Close,
        Action::Pass,
    ];
    let server = FaultServer::start(script, page).await;
    let url = server.url();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(binary)
            .env("CLERK_SECRET_KEY", "sk_test_example")
            .env("CLERK_API_URL", url)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let lines: Vec<&str> = stdout.lines().collect();
    let expected: Vec<String> = (0..ORGANIZATIONS)
        .map(|i| format!("org_{i:03} Org {i}"))
        .collect();
    assert_eq!(lines.len(), ORGANIZATIONS + 1, "{stdout}");
    assert_eq!(
        &lines[..ORGANIZATIONS],
        expected.as_slice(),
        "each organization once, in order"
    );
    assert_eq!(
        lines[ORGANIZATIONS],
        format!("{ORGANIZATIONS} organizations")
    );

    let requests = server.requests();
    assert_eq!(
        requests.len(),
        6,
        "3 pages, each retried once: {requests:?}"
    );
    assert!(
        requests
            .iter()
            .all(|r| r.starts_with("GET /organizations?")),
        "{requests:?}"
    );
}
