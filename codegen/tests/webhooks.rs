//! The webhook events generator: the fixture's module is pinned as a snapshot
//! (`tests/snapshots/webhooks__events.snap`), and specs it cannot read stop with an error
//! that names the node. `xtask/tests/fixtures_compile.rs` compiles the fixture's module
//! and runs `fixtures/webhooks/events.rs` against it.

use codegen::{generate_webhooks, Options};
use std::fs;
use std::path::Path;

fn fixture() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/webhooks/events.yaml");
    fs::read_to_string(path).unwrap()
}

fn options() -> Options {
    Options {
        spec_label: "codegen/tests/fixtures/webhooks/events.yaml".into(),
    }
}

#[test]
fn events_fixture_matches_its_snapshot() {
    let output = generate_webhooks(&fixture(), &options()).unwrap();
    assert_eq!(output.file.path, "webhook_events.rs");
    assert_eq!(
        output.event_types,
        [
            "widget.created",
            "widget.updated",
            "widget.deleted",
            "gadgetInvite.sent",
            "gadget_invite.sent",
            "counter.ticked"
        ]
    );
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    insta::assert_snapshot!("events", output.file.contents);
}

#[test]
fn generation_is_deterministic() {
    let first = generate_webhooks(&fixture(), &options()).unwrap().file;
    let second = generate_webhooks(&fixture(), &options()).unwrap().file;
    assert_eq!(first, second);
}

/// The fixture with one replacement, which must happen.
fn edited(from: &str, to: &str) -> String {
    let text = fixture();
    assert!(text.contains(from), "{from:?} not in the fixture");
    text.replacen(from, to, 1)
}

fn error_of(text: &str) -> codegen::Error {
    generate_webhooks(text, &options()).expect_err("must fail")
}

#[test]
fn a_body_that_is_not_envelope_plus_data_is_an_error_at_its_schema() {
    let text = edited(
        "              allOf:\n              - $ref: '#/components/schemas/Payload'\n              - properties:\n                  data:\n                    $ref: '#/components/schemas/Widget'\n                required:\n                - data\n  widget.updated:",
        "              $ref: '#/components/schemas/Widget'\n  widget.updated:",
    );
    let err = error_of(&text);
    assert_eq!(err.pointer(), "#/components/schemas/Widget", "{err}");
    assert!(err.message().contains("allOf"), "{err}");
}

#[test]
fn events_with_different_envelopes_are_an_error() {
    let text = edited(
        "              - $ref: '#/components/schemas/Payload'\n              - properties:\n                  data:\n                    $ref: '#/components/schemas/Deleted'",
        "              - $ref: '#/components/schemas/Widget'\n              - properties:\n                  data:\n                    $ref: '#/components/schemas/Deleted'",
    );
    let err = error_of(&text);
    assert_eq!(err.pointer(), "#/x-webhooks/widget.deleted/post", "{err}");
    assert!(err.message().contains("one envelope"), "{err}");
}

#[test]
fn an_envelope_without_a_string_type_is_an_error() {
    let text = edited(
        "        type:\n          type: string\n        timestamp:",
        "        kind:\n          type: string\n        timestamp:",
    );
    let err = error_of(&text);
    assert_eq!(err.pointer(), "#/components/schemas/Payload", "{err}");
}

#[test]
fn a_spec_without_webhooks_is_an_error() {
    let err = error_of("openapi: 3.0.3\ninfo: {title: t, version: v}\npaths: {}\n");
    assert_eq!(err.pointer(), "#/x-webhooks", "{err}");
}

#[test]
fn optional_data_is_read_as_required_with_a_warning() {
    let text = edited(
        "                  data:\n                    $ref: '#/components/schemas/Widget'\n              required:\n              - data\n",
        "                  data:\n                    $ref: '#/components/schemas/Widget'\n",
    );
    let output = generate_webhooks(&text, &options()).unwrap();
    let warnings: Vec<String> = output.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        ["warning: #/x-webhooks/widget.updated/post/requestBody/content/application~1json/schema/allOf/1/properties/data: `data` is not required: it is read as required (an event without data is refused)"]
    );
}

/// Tags of a Backend API spec never take the names of the events file or of the
/// hand-written `webhook` module and feature; `Webhooks` (Svix endpoints) keeps its own.
#[test]
fn tag_modules_do_not_collide_with_the_webhook_names() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths:\n".to_owned()
        + &["Webhook Events", "Webhook", "Webhooks"]
            .iter()
            .enumerate()
            .map(|(i, tag)| {
                format!("  /p{i}:\n    get:\n      operationId: Op{i}\n      tags: [{tag}]\n      responses:\n        '204': {{description: none}}\n")
            })
            .collect::<String>();
    let output = codegen::generate(&spec, &options()).unwrap();
    let mut paths: Vec<&str> = output.files.iter().map(|f| f.path.as_str()).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "mod.rs",
            "models.rs",
            "webhook_2.rs",
            "webhook_events_2.rs",
            "webhooks.rs"
        ]
    );
    assert_eq!(
        output.features,
        ["webhook_2", "webhook_events_2", "webhooks"]
    );
}
