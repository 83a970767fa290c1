//! Every example, run as a user runs it (its binary, `CLERK_SECRET_KEY` and `CLERK_API_URL`
//! set) against a server on 127.0.0.1: what it sent and what it printed.
//!
//! - `list_organizations` prints every organization exactly once while the server answers
//!   429 with `Retry-After`, answers 503, and drops a connection;
//! - `list_users`, `create_invitation` and `get_session` against a wiremock server.

use crate::common;

use common::fault_server::{Action, FaultServer};
use common::{example_binary, header, organization_json, query_pairs, received, user_json};
use serde_json::{json, Value};
use std::process::{Command, Output};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ORGANIZATIONS: usize = 250;

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
    let binary = example_binary("list_organizations");
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

const KEY: &str = "sk_test_example";

/// Runs an example with `args` against `url`.
async fn run_example(name: &str, args: &[&str], url: String) -> Output {
    let binary = example_binary(name);
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        Command::new(binary)
            .args(args)
            .env("CLERK_SECRET_KEY", KEY)
            .env("CLERK_API_URL", url)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Every request carries the key and the API version of the spec.
fn assert_clerk_headers(request: &Request) {
    assert_eq!(header(request, "authorization"), format!("Bearer {KEY}"));
    assert_eq!(header(request, "clerk-api-version"), "2026-05-12");
}

const USERS: usize = 150;

#[tokio::test(flavor = "multi_thread")]
async fn list_users_pages_through_the_matching_users_and_prints_each() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users"))
        .respond_with(|request: &Request| {
            let pairs = query_pairs(request);
            let number = |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| k == name)
                    .map_or(0, |(_, v)| v.parse::<usize>().unwrap())
            };
            let (limit, offset) = (number("limit"), number("offset"));
            let page: Vec<Value> = (offset..(offset + limit).min(USERS))
                .map(user_json)
                .collect();
            ResponseTemplate::new(200).set_body_json(page)
        })
        .mount(&server)
        .await;

    let output = run_example("list_users", &["ada"], server.uri()).await;
    let stdout = stdout(&output);
    assert!(output.status.success(), "{stdout}\n{}", stderr(&output));
    let mut expected: Vec<String> = (0..USERS)
        .map(|i| match i % 2 {
            0 => format!("user_{i:03} ada{i}@example.com Ada Lovelace {i}"),
            _ => format!("user_{i:03} -"),
        })
        .collect();
    expected.push(format!("{USERS} users"));
    assert_eq!(stdout.lines().collect::<Vec<_>>(), expected);

    // A full page of 100, then a short page of 50 ends the listing.
    let requests = received(&server).await;
    let queries: Vec<Vec<(String, String)>> = requests.iter().map(query_pairs).collect();
    let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    assert_eq!(
        queries,
        [
            vec![
                pair("query", "ada"),
                pair("limit", "100"),
                pair("offset", "0")
            ],
            vec![
                pair("query", "ada"),
                pair("limit", "100"),
                pair("offset", "100")
            ],
        ]
    );
    requests.iter().for_each(assert_clerk_headers);
}

#[tokio::test(flavor = "multi_thread")]
async fn create_invitation_posts_the_invitation_and_prints_its_link() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/invitations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "invitation",
            "id": "inv_123",
            "email_address": "ada@example.com",
            "public_metadata": {},
            "status": "pending",
            "url": "https://accounts.example.com/sign-up?__clerk_ticket=t",
            "expires_at": 1_700_604_800_000_i64,
            "created_at": 1_700_000_000_000_i64,
            "updated_at": 1_700_000_000_000_i64
        })))
        .mount(&server)
        .await;

    let args = ["ada@example.com", "https://example.com/welcome"];
    let output = run_example("create_invitation", &args, server.uri()).await;
    let stdout = stdout(&output);
    assert!(output.status.success(), "{stdout}\n{}", stderr(&output));
    assert_eq!(
        stdout,
        "invited ada@example.com: inv_123 (pending)\n\
         link: https://accounts.example.com/sign-up?__clerk_ticket=t\n"
    );

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_clerk_headers(&requests[0]);
    assert_eq!(header(&requests[0], "content-type"), "application/json");
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        body,
        json!({
            "email_address": "ada@example.com",
            "redirect_url": "https://example.com/welcome",
            "notify": true,
            "expires_in_days": 7
        })
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn create_invitation_without_an_address_prints_usage_and_sends_nothing() {
    let server = MockServer::start().await;
    let output = run_example("create_invitation", &[], server.uri()).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).starts_with("usage: create_invitation EMAIL"));
    assert!(received(&server).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn get_session_prints_the_session_and_reports_an_unknown_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/sessions/sess_123"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "session",
            "id": "sess_123",
            "user_id": "user_001",
            "client_id": "client_9",
            "status": "active",
            "last_active_at": 1_700_000_123_000_i64,
            "latest_activity": {"object": "session_activity", "id": "sess_activity_1",
                                "is_mobile": false, "browser_name": "Firefox",
                                "city": "Lisbon", "country": "PT"},
            "expire_at": 1_700_604_800_000_i64,
            "abandon_at": 1_702_592_000_000_i64,
            "updated_at": 1_700_000_123_000_i64,
            "created_at": 1_700_000_000_000_i64
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/sessions/sess_gone"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "errors": [{"message": "not found", "long_message": "No session was found",
                        "code": "resource_not_found"}]
        })))
        .mount(&server)
        .await;

    let found = run_example("get_session", &["sess_123"], server.uri()).await;
    assert!(found.status.success(), "{}", stderr(&found));
    assert_eq!(
        stdout(&found),
        "sess_123 active: user user_001, client client_9\n\
         last active at 1700000123000 ms with Firefox from Lisbon, PT\n"
    );

    let missing = run_example("get_session", &["sess_gone"], server.uri()).await;
    assert_eq!(missing.status.code(), Some(1), "{}", stderr(&missing));
    assert_eq!(stdout(&missing), "");
    assert_eq!(stderr(&missing), "no session sess_gone\n");

    let requests = received(&server).await;
    let lines: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(lines, ["GET /sessions/sess_123", "GET /sessions/sess_gone"]);
    requests.iter().for_each(assert_clerk_headers);
}
