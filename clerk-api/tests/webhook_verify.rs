//! `clerk_api::webhook::Verifier`: every refusal the issue names, and the accepted
//! cases, on requests with a fixed clock. Signatures come from a known answer computed
//! by the official svix package (Python) and from the crate's test signer, which
//! `webhook_svix.rs` checks against svix.
#![cfg(all(feature = "webhook", feature = "test-util"))]

use clerk_api::reqwest::header::{HeaderMap, HeaderValue};
use clerk_api::webhook::testing::{random_secret, Signer};
use clerk_api::webhook::{Event, Verifier, WebhookError, SECRET_ENV};
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The known answer: `Webhook(SECRET).sign(ID, 1716883200, BODY)` from svix 2.9.1.
const SECRET: &str = "whsec_Y2xlcmstYXBpIGtub3duIGFuc3dlciB0ZXN0IGtleSE=";
const ID: &str = "msg_kat_1";
const TIMESTAMP: u64 = 1_716_883_200;
const BODY: &str = r#"{"type":"user.deleted","object":"event","timestamp":1716883200,"instance_id":"ins_kat","data":{"object":"user","id":"user_kat","deleted":true}}"#;
const SIGNATURE: &str = "v1,rc1qHCzIa+eHzTYyBWexHdSrkxMbAACFmrwubdb34Ok=";

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

/// A verifier for [`SECRET`] whose clock reads `now`.
fn verifier_at(now: u64) -> Verifier {
    Verifier::new(SECRET).unwrap().clock(move || at(now))
}

fn headers(id: &str, timestamp: &str, signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("svix-id", HeaderValue::from_str(id).unwrap());
    headers.insert("svix-timestamp", HeaderValue::from_str(timestamp).unwrap());
    headers.insert("svix-signature", HeaderValue::from_str(signature).unwrap());
    headers
}

fn known_answer() -> HeaderMap {
    headers(ID, &TIMESTAMP.to_string(), SIGNATURE)
}

fn refusal(result: Result<Event, WebhookError>) -> WebhookError {
    result.expect_err("the request must be refused")
}

#[test]
fn the_svix_known_answer_verifies_and_decodes() {
    let event = verifier_at(TIMESTAMP)
        .verify(&known_answer(), BODY.as_bytes())
        .unwrap();
    let Event::UserDeleted(deleted) = &event else {
        panic!("{event:?}");
    };
    assert_eq!(deleted.data.id.as_deref(), Some("user_kat"));
    assert_eq!(deleted.instance_id, "ins_kat");
    assert_eq!(event.event_type(), "user.deleted");
}

#[test]
fn the_test_signer_reproduces_the_svix_known_answer() {
    let signer = Signer::new(SECRET).unwrap();
    assert_eq!(signer.signature(ID, TIMESTAMP, BODY.as_bytes()), SIGNATURE);
    assert_eq!(
        signer.headers(ID, TIMESTAMP, BODY.as_bytes()),
        known_answer()
    );
}

#[test]
fn a_tampered_body_is_refused() {
    let tampered = BODY.replace("user_kat", "user_kaT");
    let err = refusal(verifier_at(TIMESTAMP).verify(&known_answer(), tampered.as_bytes()));
    assert!(matches!(err, WebhookError::NoMatchingSignature), "{err}");
    assert_eq!(err.reason(), "signature");
    // One byte more (trailing whitespace) is tampering too: the raw bytes are signed.
    let padded = format!("{BODY}\n");
    let err = refusal(verifier_at(TIMESTAMP).verify(&known_answer(), padded.as_bytes()));
    assert_eq!(err.reason(), "signature");
}

#[test]
fn a_tampered_id_or_timestamp_is_refused() {
    let other_id = headers("msg_kat_2", &TIMESTAMP.to_string(), SIGNATURE);
    let err = refusal(verifier_at(TIMESTAMP).verify(&other_id, BODY.as_bytes()));
    assert_eq!(err.reason(), "signature");
    let other_time = headers(ID, &(TIMESTAMP + 1).to_string(), SIGNATURE);
    let err = refusal(verifier_at(TIMESTAMP).verify(&other_time, BODY.as_bytes()));
    assert_eq!(err.reason(), "signature");
}

#[test]
fn a_signature_made_with_another_secret_is_refused() {
    let other = Signer::new(&random_secret()).unwrap();
    let signed = other.headers(ID, TIMESTAMP, BODY.as_bytes());
    let err = refusal(verifier_at(TIMESTAMP).verify(&signed, BODY.as_bytes()));
    assert_eq!(err.reason(), "signature");
}

#[test]
fn outside_the_tolerance_is_refused_on_both_sides() {
    let five_minutes = 300;
    // Exactly at the edge is accepted, either way.
    for now in [TIMESTAMP + five_minutes, TIMESTAMP - five_minutes] {
        verifier_at(now)
            .verify(&known_answer(), BODY.as_bytes())
            .unwrap();
    }
    let err =
        refusal(verifier_at(TIMESTAMP + five_minutes + 1).verify(&known_answer(), BODY.as_bytes()));
    assert!(
        matches!(err, WebhookError::TooOld { age, tolerance }
            if age == Duration::from_secs(301) && tolerance == Duration::from_secs(300)),
        "{err:?}"
    );
    assert_eq!(err.reason(), "expired");
    let err =
        refusal(verifier_at(TIMESTAMP - five_minutes - 1).verify(&known_answer(), BODY.as_bytes()));
    assert!(
        matches!(err, WebhookError::TooNew { ahead, .. } if ahead == Duration::from_secs(301)),
        "{err:?}"
    );
    assert_eq!(err.reason(), "future");
}

#[test]
fn the_tolerance_is_configurable() {
    let strict = verifier_at(TIMESTAMP + 11).tolerance(Duration::from_secs(10));
    assert_eq!(
        refusal(strict.verify(&known_answer(), BODY.as_bytes())).reason(),
        "expired"
    );
    let lenient = verifier_at(TIMESTAMP + 3600).tolerance(Duration::from_secs(3600));
    lenient.verify(&known_answer(), BODY.as_bytes()).unwrap();
}

#[test]
fn a_stale_request_is_refused_even_with_a_valid_signature() {
    // The replay case: the real signature of a request captured an hour ago.
    let err = refusal(verifier_at(TIMESTAMP + 3600).verify(&known_answer(), BODY.as_bytes()));
    assert_eq!(err.reason(), "expired");
}

#[test]
fn a_header_with_only_unknown_versions_is_refused() {
    let signature = SIGNATURE.trim_start_matches("v1,");
    for list in [
        format!("v2,{signature}"),
        format!("v1a,{signature} v0,{signature}"),
        signature.to_owned(),
        format!("V1,{signature}"),
    ] {
        let err = refusal(
            verifier_at(TIMESTAMP)
                .verify(&headers(ID, &TIMESTAMP.to_string(), &list), BODY.as_bytes()),
        );
        assert_eq!(err.reason(), "signature", "{list}");
    }
}

#[test]
fn a_list_whose_second_entry_matches_is_accepted() {
    let stale = Signer::new(&random_secret())
        .unwrap()
        .signature(ID, TIMESTAMP, BODY.as_bytes());
    for list in [
        format!("{stale} {SIGNATURE}"),
        format!("v2,abc {SIGNATURE}"),
        format!("v1,not*base64 {SIGNATURE}"),
    ] {
        let event = verifier_at(TIMESTAMP)
            .verify(&headers(ID, &TIMESTAMP.to_string(), &list), BODY.as_bytes())
            .unwrap_or_else(|e| panic!("{list}: {e}"));
        assert_eq!(event.data_id(), Some("user_kat"));
    }
}

#[test]
fn empty_or_non_base64_secrets_are_refused() {
    for secret in [
        "",
        "whsec_",
        "   ",
        "whsec_not base64!",
        "whsec_%%%%",
        "whsec_====",
    ] {
        let err = Verifier::new(secret).expect_err(secret);
        assert!(
            matches!(err, WebhookError::InvalidSecret { .. }),
            "{secret:?}: {err:?}"
        );
        assert_eq!(err.reason(), "secret");
        assert!(Signer::new(secret).is_err(), "{secret:?}");
    }
    // The prefix may be left out, and padding may be dropped, as svix allows.
    let bare = SECRET.trim_start_matches("whsec_");
    let unpadded = SECRET.trim_end_matches('=');
    for secret in [bare, unpadded] {
        Verifier::new(secret)
            .unwrap()
            .clock(|| at(TIMESTAMP))
            .verify(&known_answer(), BODY.as_bytes())
            .unwrap_or_else(|e| panic!("{secret}: {e}"));
    }
}

#[test]
fn missing_or_empty_headers_are_refused_by_name() {
    for (dropped, name) in [
        ("svix-id", "svix-id"),
        ("svix-timestamp", "svix-timestamp"),
        ("svix-signature", "svix-signature"),
    ] {
        let mut missing = known_answer();
        missing.remove(dropped);
        let err = refusal(verifier_at(TIMESTAMP).verify(&missing, BODY.as_bytes()));
        assert!(
            matches!(err, WebhookError::MissingHeader { name: got } if got == name),
            "{err:?}"
        );
        assert_eq!(err.reason(), "missing");
        let mut empty = known_answer();
        empty.insert(dropped, HeaderValue::from_static(""));
        let err = refusal(verifier_at(TIMESTAMP).verify(&empty, BODY.as_bytes()));
        assert_eq!(err.reason(), "missing");
    }
}

#[test]
fn a_timestamp_that_is_not_whole_seconds_is_refused() {
    for bad in [
        "soon",
        "1716883200.5",
        "-1716883200",
        "1e9",
        "99999999999999999999999",
    ] {
        let err =
            refusal(verifier_at(TIMESTAMP).verify(&headers(ID, bad, SIGNATURE), BODY.as_bytes()));
        assert!(
            matches!(err, WebhookError::InvalidTimestamp),
            "{bad}: {err:?}"
        );
        assert_eq!(err.reason(), "timestamp");
    }
}

#[test]
fn an_authentic_body_that_is_not_an_event_is_refused_as_payload() {
    let signer = Signer::new(SECRET).unwrap();
    for body in [
        "not json",
        "[1, 2]",
        r#"{"object":"event","data":{}}"#,
        // A known type whose data does not have the documented shape.
        r#"{"type":"user.deleted","object":"event","timestamp":1,"instance_id":"i","data":{"deleted":"yes"}}"#,
    ] {
        let headers = signer.headers(ID, TIMESTAMP, body.as_bytes());
        let err = refusal(verifier_at(TIMESTAMP).verify(&headers, body.as_bytes()));
        assert!(
            matches!(err, WebhookError::InvalidPayload(_)),
            "{body}: {err:?}"
        );
        assert_eq!(err.reason(), "payload");
        assert!(std::error::Error::source(&err).is_some());
        // The signature alone is fine.
        verifier_at(TIMESTAMP)
            .verify_signature(&headers, body.as_bytes())
            .unwrap();
    }
}

#[test]
fn unbranded_webhook_headers_are_accepted_and_svix_names_win() {
    let mut unbranded = HeaderMap::new();
    for (name, value) in known_answer().iter() {
        let name = name.as_str().replace("svix-", "webhook-");
        unbranded.insert(
            clerk_api::reqwest::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.clone(),
        );
    }
    verifier_at(TIMESTAMP)
        .verify(&unbranded, BODY.as_bytes())
        .unwrap();
    // Both spellings: the svix- value is the one checked.
    let mut both = unbranded.clone();
    both.insert("svix-signature", HeaderValue::from_static("v1,AAAA"));
    let err = refusal(verifier_at(TIMESTAMP).verify(&both, BODY.as_bytes()));
    assert_eq!(err.reason(), "signature");
}

#[test]
fn headers_from_any_framework_are_read_without_regard_to_case() {
    let ts = TIMESTAMP.to_string();
    let pairs = [
        ("Svix-Id", ID),
        ("SVIX-TIMESTAMP", ts.as_str()),
        ("svix-signature", SIGNATURE),
    ];
    let verifier = verifier_at(TIMESTAMP);
    verifier.verify(&pairs, BODY.as_bytes()).unwrap();
    verifier.verify(pairs.as_slice(), BODY.as_bytes()).unwrap();
    verifier.verify(&pairs.to_vec(), BODY.as_bytes()).unwrap();
    let owned: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    verifier.verify(&owned, BODY.as_bytes()).unwrap();
    let sorted: BTreeMap<&str, &str> = pairs.into_iter().collect();
    verifier.verify(&sorted, BODY.as_bytes()).unwrap();
}

#[test]
fn from_env_reads_the_signing_secret() {
    // The only test of this binary that touches the variable.
    std::env::set_var(SECRET_ENV, format!("{SECRET}\n"));
    let verifier = Verifier::from_env().unwrap().clock(|| at(TIMESTAMP));
    verifier.verify(&known_answer(), BODY.as_bytes()).unwrap();
    std::env::remove_var(SECRET_ENV);
    let err = Verifier::from_env().unwrap_err();
    assert_eq!(err.reason(), "secret");
    assert!(err.to_string().contains(SECRET_ENV), "{err}");
}

#[test]
fn the_secret_appears_in_no_debug_or_error_output() {
    let key = SECRET.trim_start_matches("whsec_");
    let verifier = verifier_at(TIMESTAMP);
    let signer = Signer::new(SECRET).unwrap();
    let mut texts = vec![format!("{verifier:?}"), format!("{signer:?}")];
    let err = refusal(verifier.verify(&headers(ID, "x", SIGNATURE), BODY.as_bytes()));
    texts.push(format!("{err:?} {err}"));
    for text in texts {
        assert!(!text.contains(key) && !text.contains(SECRET), "{text}");
    }
}

#[test]
fn refusals_say_why_in_one_line() {
    let errors = [
        WebhookError::MissingHeader { name: "svix-id" },
        WebhookError::InvalidTimestamp,
        WebhookError::TooOld {
            age: Duration::from_secs(400),
            tolerance: Duration::from_secs(300),
        },
        WebhookError::TooNew {
            ahead: Duration::from_secs(400),
            tolerance: Duration::from_secs(300),
        },
        WebhookError::NoMatchingSignature,
        WebhookError::InvalidSecret {
            problem: "it is empty",
        },
    ];
    let reasons: Vec<&str> = errors.iter().map(WebhookError::reason).collect();
    assert_eq!(
        reasons,
        [
            "missing",
            "timestamp",
            "expired",
            "future",
            "signature",
            "secret"
        ]
    );
    for err in &errors {
        let text = err.to_string();
        assert!(!text.contains('\n') && text.len() > 20, "{text}");
    }
    assert!(errors[2].to_string().contains("400 s ago"));
}

#[test]
fn headers_now_are_accepted_by_a_verifier_on_the_real_clock() {
    let secret = random_secret();
    assert!(secret.starts_with("whsec_"));
    assert_ne!(secret, random_secret());
    let headers = Signer::new(&secret).unwrap().headers_now(BODY.as_bytes());
    assert!(headers["svix-id"].to_str().unwrap().starts_with("msg_"));
    Verifier::new(&secret)
        .unwrap()
        .verify(&headers, BODY.as_bytes())
        .unwrap();
}
