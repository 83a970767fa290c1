//! Cross-checks with the official svix package (Python, pinned in
//! `.ci/requirements.txt`): what svix signs, this crate verifies (and refuses once
//! tampered with); what this crate's test signer signs, svix verifies and signs alike.
//! Skips when svix is not installed, unless `CLERK_REQUIRE_TEST_TOOLS` is set.
#![cfg(all(feature = "webhook", feature = "test-util"))]

use crate::common;

use clerk_api::reqwest::header::HeaderValue;
use clerk_api::webhook::testing::{random_secret, Signer};
use clerk_api::webhook::{Event, Verifier};
use common::svix::{self, headers};
use std::time::{Duration, UNIX_EPOCH};

const TIMESTAMP: u64 = 1_716_883_200;

fn body(id: &str, name: &str) -> String {
    serde_json::json!({
        "type": "organization.deleted",
        "object": "event",
        "timestamp": TIMESTAMP,
        "instance_id": "ins_svix",
        "data": {"object": "organization", "id": id, "slug": name, "deleted": true},
    })
    .to_string()
}

fn verifier(secret: &str) -> Verifier {
    Verifier::new(secret)
        .unwrap()
        .clock(|| UNIX_EPOCH + Duration::from_secs(TIMESTAMP))
}

#[test]
fn payloads_signed_by_svix_verify_and_tampered_ones_do_not() {
    let secret = random_secret();
    let bodies = [
        body("org_1", "acme"),
        body("org_2", "ünïcödé-名前"),
        body("org_3", &"long".repeat(2000)),
    ];
    let cases: Vec<(&str, &str, u64, &str)> = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| {
            (
                secret.as_str(),
                ["msg_a", "msg_b", "msg_c"][i],
                TIMESTAMP,
                b.as_str(),
            )
        })
        .collect();
    let Some(signatures) = svix::sign(&cases) else {
        return;
    };
    let checker = verifier(&secret);
    for ((_, id, ts, body), signature) in cases.iter().zip(&signatures) {
        let signed = headers(id, *ts, signature);
        let event = checker
            .verify(&signed, body.as_bytes())
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert!(matches!(event, Event::OrganizationDeleted(_)), "{event:?}");
        let tampered = body.replacen("\"deleted\":true", "\"deleted\":false", 1);
        assert_ne!(&tampered, body);
        for (headers, body) in [
            (signed.clone(), tampered.as_str()),
            (headers("msg_other", *ts, signature), *body),
            (headers(id, ts + 1, signature), *body),
        ] {
            let err = checker.verify(&headers, body.as_bytes()).unwrap_err();
            assert_eq!(err.reason(), "signature", "{id}");
        }
    }
    // svix's signature under another secret.
    let err = verifier(&random_secret())
        .verify(
            &headers("msg_a", TIMESTAMP, &signatures[0]),
            bodies[0].as_bytes(),
        )
        .unwrap_err();
    assert_eq!(err.reason(), "signature");
}

#[test]
fn a_rotation_list_of_svix_signatures_verifies_with_the_new_secret() {
    let (old, new) = (random_secret(), random_secret());
    let body = body("org_r", "rotated");
    let Some(signatures) = svix::sign(&[
        (&old, "msg_r", TIMESTAMP, &body),
        (&new, "msg_r", TIMESTAMP, &body),
    ]) else {
        return;
    };
    let list = signatures.join(" ");
    verifier(&new)
        .verify(&headers("msg_r", TIMESTAMP, &list), body.as_bytes())
        .unwrap();
    verifier(&old)
        .verify(&headers("msg_r", TIMESTAMP, &list), body.as_bytes())
        .unwrap();
    assert_eq!(
        verifier(&random_secret())
            .verify(&headers("msg_r", TIMESTAMP, &list), body.as_bytes())
            .unwrap_err()
            .reason(),
        "signature"
    );
}

#[test]
fn the_test_signer_signs_exactly_as_svix_does() {
    let secrets = [random_secret(), random_secret()];
    let bodies = [
        body("org_s", "plain"),
        body("org_t", "ümlaut"),
        String::new(),
    ];
    let mut cases = Vec::new();
    for secret in &secrets {
        for (i, body) in bodies.iter().enumerate() {
            let id = ["msg_1", "msg_2yZ", "msg_3"][i];
            cases.push((secret.as_str(), id, TIMESTAMP + i as u64, body.as_str()));
        }
    }
    let Some(theirs) = svix::sign(&cases) else {
        return;
    };
    for ((secret, id, ts, body), theirs) in cases.iter().zip(theirs) {
        let ours = Signer::new(secret)
            .unwrap()
            .signature(id, *ts, body.as_bytes());
        assert_eq!(ours, theirs, "{id}");
    }
}

#[test]
fn svix_verifies_what_the_test_signer_signs_now() {
    let secret = random_secret();
    let body = body("org_v", "verified");
    let signed = Signer::new(&secret).unwrap().headers_now(body.as_bytes());
    let mut stale = Signer::new(&secret)
        .unwrap()
        .headers("msg_old", TIMESTAMP, body.as_bytes());
    stale.insert("svix-id", HeaderValue::from_static("msg_old"));
    let other = random_secret();
    let Some(results) = svix::verify(&[
        (&secret, &signed, &body),
        (&other, &signed, &body),
        (&secret, &signed, "{}"),
        (&secret, &stale, &body),
    ]) else {
        return;
    };
    assert_eq!(results[0], "ok");
    // svix itself refuses the wrong secret, a changed body and an old timestamp, so
    // the first answer means something.
    for refused in &results[1..] {
        assert!(refused.starts_with("WebhookVerificationError"), "{refused}");
    }
}
