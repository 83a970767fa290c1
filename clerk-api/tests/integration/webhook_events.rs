//! The generated webhook events: every example payload of Clerk's published webhook
//! spec (`../shared/specs/webhooks/`, when present) decodes into the variant of its
//! type; unknown event types and unknown fields never fail to decode.
#![cfg(feature = "webhook")]

use clerk_api::webhook::events::User;
use clerk_api::webhook::{Envelope, Event};
use serde_json::{json, Value};
use std::path::PathBuf;

const PUBLISHED: &str = "../shared/specs/webhooks/clerk-webhooks-2025-04-15.yml";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn yaml(path: &PathBuf) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// The event types a spec declares under `x-webhooks`, sorted.
fn event_types(spec: &Value) -> Vec<String> {
    spec["x-webhooks"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

/// `Event::KNOWN_TYPES`, sorted.
fn known_types() -> Vec<String> {
    let mut known: Vec<String> = Event::KNOWN_TYPES.iter().map(|t| t.to_string()).collect();
    known.sort();
    known
}

/// Every example body of one webhook: `example`, or each of `examples` (inline
/// `value` or a `$ref` into `components/examples`).
fn examples(spec: &Value, event_type: &str) -> Vec<Value> {
    let media =
        &spec["x-webhooks"][event_type]["post"]["requestBody"]["content"]["application/json"];
    let mut found: Vec<Value> = media.get("example").cloned().into_iter().collect();
    for example in media["examples"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
    {
        let example = match example["$ref"].as_str() {
            Some(reference) => {
                let name = reference.trim_start_matches("#/components/examples/");
                &spec["components"]["examples"][name]
            }
            None => example,
        };
        found.push(example["value"].clone());
    }
    found
}

#[test]
fn the_enum_knows_every_event_type_of_the_spec() {
    let ours = event_types(&yaml(&repo().join("spec/clerk-webhooks.yaml")));
    assert_eq!(ours.len(), 45);
    assert_eq!(known_types(), ours);
}

#[test]
fn every_published_example_decodes_into_its_typed_variant() {
    let path = repo().join(PUBLISHED);
    if !path.exists() {
        eprintln!("skipped: {PUBLISHED} does not exist");
        return;
    }
    let spec = yaml(&path);
    let types = event_types(&spec);
    assert_eq!(
        types,
        known_types(),
        "the published spec lists other event types"
    );
    let mut decoded = 0;
    for event_type in &types {
        let bodies = examples(&spec, event_type);
        assert!(!bodies.is_empty(), "{event_type}: no example");
        for body in bodies {
            assert_eq!(
                body["type"],
                json!(event_type),
                "{event_type}: example of another type"
            );
            // From the bytes, as a request body arrives.
            let text = serde_json::to_vec(&body).unwrap();
            let event: Event =
                serde_json::from_slice(&text).unwrap_or_else(|e| panic!("{event_type}: {e}"));
            assert!(
                !matches!(event, Event::Unknown(_)),
                "{event_type} decoded as Unknown"
            );
            assert_eq!(event.event_type(), event_type);
            assert_eq!(
                event.data_id(),
                body["data"]["id"].as_str(),
                "{event_type}: data.id"
            );
            decoded += 1;
        }
    }
    assert_eq!(decoded, 45);
}

fn user_created(data: Value) -> Value {
    json!({
        "object": "event",
        "type": "user.created",
        "timestamp": 1716883200,
        "instance_id": "ins_1",
        "event_attributes": {"http_request": {"client_ip": "127.0.0.1", "user_agent": "test"}},
        "data": data,
    })
}

fn minimal_user(id: &str) -> Value {
    json!({
        "id": id,
        "object": "user",
        "username": null,
        "first_name": "Ada",
        "last_name": null,
        "image_url": "https://img.test/a.png",
        "has_image": false,
        "primary_email_address_id": null,
        "primary_phone_number_id": null,
        "primary_web3_wallet_id": null,
        "password_enabled": false,
        "two_factor_enabled": false,
        "totp_enabled": false,
        "backup_code_enabled": false,
        "email_addresses": [],
        "phone_numbers": [],
        "web3_wallets": [],
        "passkeys": [],
        "external_accounts": [],
        "saml_accounts": [],
        "enterprise_accounts": [],
        "public_metadata": {},
        "external_id": null,
        "last_sign_in_at": null,
        "banned": false,
        "locked": false,
        "lockout_expires_in_seconds": null,
        "verification_attempts_remaining": null,
        "updated_at": 1,
        "created_at": 1,
        "delete_self_enabled": true,
        "create_organization_enabled": true,
        "last_active_at": null,
        "mfa_enabled_at": null,
        "mfa_disabled_at": null,
        "legal_accepted_at": null,
    })
}

#[test]
fn a_typed_event_exposes_envelope_and_data() {
    let event: Event = serde_json::from_value(user_created(minimal_user("user_1"))).unwrap();
    let Event::UserCreated(created) = &event else {
        panic!("{event:?}");
    };
    let Envelope {
        object,
        timestamp,
        instance_id,
        event_attributes,
        data,
        ..
    } = &**created;
    assert_eq!(
        (object.as_str(), *timestamp, instance_id.as_str()),
        ("event", 1716883200, "ins_1")
    );
    let request = event_attributes
        .as_ref()
        .unwrap()
        .http_request
        .as_ref()
        .unwrap();
    assert_eq!(request.client_ip.as_deref(), Some("127.0.0.1"));
    let user: &User = data;
    assert_eq!(
        (user.id.as_str(), user.first_name.as_deref()),
        ("user_1", Some("Ada"))
    );
    assert_eq!(event.data_id(), Some("user_1"));
}

#[test]
fn an_unknown_event_type_decodes_to_unknown_with_the_raw_json() {
    let raw = json!({
        "object": "event",
        "type": "billing.somethingNew",
        "timestamp": 1716883200,
        "instance_id": "ins_1",
        "data": {"id": "thing_1", "shape": ["never", "seen"]},
    });
    let event: Event = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(event, Event::Unknown(raw));
    assert_eq!(event.event_type(), "billing.somethingNew");
    assert_eq!(event.data_id(), Some("thing_1"));
    // Even without the usual envelope, a string `type` is enough.
    let bare: Event = serde_json::from_value(json!({"type": "x.y"})).unwrap();
    assert_eq!((bare.event_type(), bare.data_id()), ("x.y", None));
}

#[test]
fn unknown_fields_are_ignored_in_envelope_and_data() {
    let mut user = minimal_user("user_2");
    user["a_field_from_the_future"] = json!({"nested": [1, 2, 3]});
    let mut body = user_created(user);
    body["delivery_attempt"] = json!(3);
    let event: Event = serde_json::from_value(body).unwrap();
    assert!(matches!(event, Event::UserCreated(_)), "{event:?}");
    assert_eq!(event.data_id(), Some("user_2"));

    let deleted: Event = serde_json::from_value(json!({
        "object": "event", "type": "user.deleted", "timestamp": 1, "instance_id": "i",
        "data": {"object": "user", "id": "user_3", "deleted": true, "extra": true},
    }))
    .unwrap();
    let Event::UserDeleted(envelope) = deleted else {
        panic!();
    };
    // Models are `#[non_exhaustive]`: compared by what they serialize to.
    assert_eq!(
        serde_json::to_value(&envelope.data).unwrap(),
        json!({"object": "user", "id": "user_3", "deleted": true})
    );
}

#[test]
fn a_body_without_a_string_type_is_not_an_event() {
    for body in [
        json!({"data": {}}),
        json!({"type": 7}),
        json!([]),
        json!("user.created"),
    ] {
        assert!(
            serde_json::from_value::<Event>(body.clone()).is_err(),
            "{body}"
        );
    }
}
