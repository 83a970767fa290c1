//! `examples/webhook_receiver.rs` as a user runs it: the binary listens on 127.0.0.1,
//! requests signed by the official svix package (Python) are posted to it, and it must
//! answer 204 and print `event <type> <data.id or ->` for each authentic event, and
//! answer 400 and print `refused <reason>` for everything else.
#![cfg(all(feature = "webhook", feature = "axum", feature = "test-util"))]

use crate::common;

use clerk_api::reqwest::header::{HeaderMap, HeaderValue};
use clerk_api::webhook::testing::{random_secret, Signer};
use common::svix::{self, headers};
use common::{example_binary, raw_http};
use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

/// Starts the example with `secret` on a free port; returns it and its address.
fn start(secret: &str) -> (Child, SocketAddr) {
    let mut child = Command::new(example_binary("webhook_receiver"))
        .env("CLERK_WEBHOOK_SIGNING_SECRET", secret)
        .env("PORT", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .parse()
        .unwrap();
    (child, addr)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn role_created(id: &str) -> String {
    serde_json::json!({
        "type": "role.created", "object": "event", "timestamp": now(), "instance_id": "ins_1",
        "data": {
            "object": "role", "id": id, "name": "Editor", "key": "org:editor",
            "description": null, "is_creator_eligible": false, "permissions": [],
            "created_at": 1, "updated_at": 1,
        },
    })
    .to_string()
}

/// svix's signatures for the cases, or (when svix is not installed and not required)
/// the crate's own test signer's, which `webhook_svix.rs` checks against svix.
fn signatures(cases: &[(&str, &str, u64, &str)]) -> Vec<String> {
    svix::sign(cases).unwrap_or_else(|| {
        eprintln!("note: signing with the crate's test signer instead of svix");
        cases
            .iter()
            .map(|(secret, id, ts, body)| {
                Signer::new(secret)
                    .unwrap()
                    .signature(id, *ts, body.as_bytes())
            })
            .collect()
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn the_receiver_answers_and_prints_each_request() {
    let secret = random_secret();
    let (mut child, addr) = start(&secret);
    let t = now();
    let role = role_created("role_1");
    let deleted = r#"{"type":"user.deleted","object":"event","timestamp":1,"instance_id":"ins_1","data":{"object":"user","id":"user_9","deleted":true}}"#;
    let unknown = r#"{"type":"agent.invented","object":"event","timestamp":1,"instance_id":"ins_1","data":{"kind":"new"}}"#;
    let not_event = r#"{"hello":"world"}"#;
    let other_secret = random_secret();
    let cases = [
        (secret.as_str(), "msg_1", t, role.as_str()),
        (secret.as_str(), "msg_2", t, deleted),
        (secret.as_str(), "msg_3", t, unknown),
        (secret.as_str(), "msg_4", t, not_event),
        (other_secret.as_str(), "msg_5", t, deleted),
        (secret.as_str(), "msg_6", t - 600, deleted),
        (secret.as_str(), "msg_7", t + 600, deleted),
    ];
    let sigs = signatures(&cases);
    let signed: Vec<HeaderMap> = cases
        .iter()
        .zip(&sigs)
        .map(|((_, id, ts, _), sig)| headers(id, *ts, sig))
        .collect();
    let mut missing = signed[1].clone();
    missing.remove("svix-id");
    let mut bad_time = signed[1].clone();
    bad_time.insert("svix-timestamp", HeaderValue::from_static("yesterday"));
    let tampered = deleted.replace("user_9", "user_0");
    let requests: Vec<(&HeaderMap, &str, u16, &str)> = vec![
        (&signed[0], &role, 204, "event role.created role_1"),
        (&signed[1], deleted, 204, "event user.deleted user_9"),
        (&signed[2], unknown, 204, "event agent.invented -"),
        (&signed[1], &tampered, 400, "refused signature"),
        (&signed[4], deleted, 400, "refused signature"),
        (&signed[5], deleted, 400, "refused expired"),
        (&signed[6], deleted, 400, "refused future"),
        (&missing, deleted, 400, "refused missing"),
        (&bad_time, deleted, 400, "refused timestamp"),
        (&signed[3], not_event, 400, "refused payload"),
    ];
    for (i, (headers, body, status, _)) in requests.iter().enumerate() {
        let path = ["/", "/webhooks/clerk"][i % 2];
        let (got, _) = raw_http::post(addr, path, headers, body.as_bytes()).await;
        assert_eq!(got, *status, "request {i}: {body}");
    }
    child.kill().unwrap();
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    child.wait().unwrap();
    let want: Vec<&str> = requests.iter().map(|(_, _, _, line)| *line).collect();
    assert_eq!(stdout.lines().collect::<Vec<_>>(), want);
}

#[test]
fn without_a_usable_secret_the_receiver_does_not_start() {
    for secret in ["", "whsec_***"] {
        let output = Command::new(example_binary("webhook_receiver"))
            .env("CLERK_WEBHOOK_SIGNING_SECRET", secret)
            .env("PORT", "0")
            .output()
            .unwrap();
        assert!(!output.status.success(), "{secret:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("signing secret unusable"), "{stderr}");
    }
}
