//! Census of `spec/clerk-backend-api.yaml` against Clerk's published Backend API release
//! (`../shared/specs/clerk-bapi-2026-05-12.yml`; skipped when `../shared/specs` is absent).
//!
//! Operation by operation and component by component, every fact of the release must be in
//! `spec/` unchanged, and `spec/` may carry nothing the release lacks, apart from the
//! deviations in [`DEVIATIONS`]: the one list of them, each with its reason, applied to the
//! release before comparing. Prose (`description`, `summary`, `title`, `example(s)`) and
//! vendor extensions (`x-*`) are not facts; a property that happens to be called
//! `description` is.
//!
//! `cargo test -p xtask --test census -- --nocapture` prints the figures.

mod published;

use published::{load_yaml, shared_dir};
use serde_json::{json, Map, Value};
use std::fmt;
use xtask::{workspace_root, DEFAULT_SPEC};

/// The release `spec/` follows, in `../shared/specs`.
const RELEASE: &str = "clerk-bapi-2026-05-12.yml";

/// A deliberate difference from the published release.
struct Deviation {
    /// RFC 6901 pointer into the release.
    pointer: &'static str,
    change: Change,
    reason: &'static str,
}

enum Change {
    /// `spec/` has a member the release lacks, with this value (JSON, facts only).
    Add(&'static str),
    /// `spec/` drops this item (JSON) from the array the release has at `pointer`.
    RemoveItem(&'static str),
}

/// Every deviation of `spec/` from the published release.
const DEVIATIONS: &[Deviation] = &[
    Deviation {
        pointer: "/paths/~1organizations/post/requestBody/required",
        change: Change::Add("true"),
        reason: "Seed 002 (Organizations capability) marks the body required; the operation \
                 cannot work without `name`, so the client takes the body as an argument.",
    },
    Deviation {
        pointer: "/paths/~1organizations~1{organization_id}~1logo/put/requestBody/required",
        change: Change::Add("true"),
        reason: "Seed 002 marks the body required; an upload without the `file` part has \
                 nothing to upload.",
    },
    Deviation {
        pointer: "/paths/~1organizations~1{organization_id}~1memberships~1{user_id}~1metadata\
                  /patch/requestBody/required",
        change: Change::Add("true"),
        reason: "Seed 003 (Organization Memberships capability) marks the body required, as \
                 for every other body of its operations.",
    },
    Deviation {
        pointer: "/paths/~1beta_features~1instance_settings/patch/requestBody/content\
                  /application~1json/schema/properties/session_token_template",
        change: Change::Add(r#"{"type": "string", "nullable": true, "deprecated": true}"#),
        reason: "Seed 004 (the rendered reference page) lists this field for the endpoint and \
                 the release does not; kept for callers of that reference, deprecated so \
                 using it warns.",
    },
    Deviation {
        pointer: "/paths/~1beta_features~1instance_settings/patch/requestBody/content\
                  /application~1json/schema/properties/enhanced_email_deliverability",
        change: Change::Add(r#"{"type": "boolean", "nullable": true, "deprecated": true}"#),
        reason: "Seed 004 lists this field for the endpoint and the release does not (it keeps \
                 it, deprecated, only in the response); kept, deprecated.",
    },
    Deviation {
        pointer: "/paths/~1instance/patch/requestBody/content/application~1json/schema\
                  /properties/enhanced_email_deliverability",
        change: Change::Add(r#"{"type": "boolean", "nullable": true, "deprecated": true}"#),
        reason: "Seed 004 lists this field for the endpoint and the release does not; kept, \
                 deprecated.",
    },
    Deviation {
        pointer: "/components/schemas/SAMLConnection/required",
        change: Change::RemoveItem(r#""authenticatable""#),
        reason: "The release requires this member but never declares it, so no field could \
                 hold it; dropped from `required`.",
    },
    Deviation {
        pointer: "/components/schemas/SAMLConnection/required",
        change: Change::RemoveItem(r#""disable_jit_provisioning""#),
        reason: "The release requires this member but never declares it, so no field could \
                 hold it; dropped from `required`.",
    },
];

/// Keys that carry prose or samples, not facts.
const PROSE: &[&str] = &["description", "summary", "title", "example", "examples"];
/// Keys whose values are data, kept whole.
const DATA: &[&str] = &["enum", "default"];
/// Keys whose values map names (properties, media types, status codes...) to nodes.
const NAME_MAPS: &[&str] = &[
    "properties",
    "content",
    "responses",
    "headers",
    "encoding",
    "mapping",
    "links",
    "callbacks",
    "variables",
];
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The facts of a node: a copy without prose and `x-*` extensions. `names` says the node
/// maps names to nodes, so all its keys stay, whatever they are called.
fn facts(node: &Value, names: bool) -> Value {
    match node {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter_map(|(key, value)| {
                    let key_str = key.as_str();
                    if names {
                        return Some((key.clone(), facts(value, false)));
                    }
                    if PROSE.contains(&key_str) || key_str.starts_with("x-") {
                        return None;
                    }
                    if DATA.contains(&key_str) {
                        return Some((key.clone(), value.clone()));
                    }
                    Some((key.clone(), facts(value, NAME_MAPS.contains(&key_str))))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| facts(v, false)).collect()),
        other => other.clone(),
    }
}

fn join(at: &str, token: &str) -> String {
    format!("{at}/{}", token.replace('~', "~0").replace('/', "~1"))
}

fn brief(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

/// Every place where `ours` and `theirs` differ, as `#/pointer: what`.
fn differences(ours: &Value, theirs: &Value, at: &str, out: &mut Vec<String>) {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in b {
                let here = join(at, key);
                match a.get(key) {
                    Some(mine) => differences(mine, value, &here, out),
                    None => out.push(format!("#{here}: missing (release: {})", brief(value))),
                }
            }
            for (key, value) in a {
                if !b.contains_key(key) {
                    let here = join(at, key);
                    out.push(format!("#{here}: not in the release ({})", brief(value)));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (mine, value)) in a.iter().zip(b).enumerate() {
                differences(mine, value, &join(at, &i.to_string()), out);
            }
        }
        _ if ours == theirs => {}
        _ => out.push(format!(
            "#{at}: {} here, {} in the release",
            brief(ours),
            brief(theirs)
        )),
    }
}

/// Applies the deviations to (the facts of) the release.
fn apply(release: &mut Value, deviations: &[Deviation]) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    for deviation in deviations {
        let pointer = deviation.pointer;
        let result = match &deviation.change {
            Change::Add(value) => {
                let (parent, key) = pointer.rsplit_once('/').expect("pointer has a parent");
                let key = key.replace("~1", "/").replace("~0", "~");
                match release.pointer_mut(parent).and_then(Value::as_object_mut) {
                    None => Err("no such object in the release"),
                    Some(object) if object.contains_key(&key) => {
                        Err("the release has it now: drop the deviation")
                    }
                    Some(object) => {
                        object.insert(key, serde_json::from_str(value).expect("deviation JSON"));
                        Ok(())
                    }
                }
            }
            Change::RemoveItem(item) => {
                let item: Value = serde_json::from_str(item).expect("deviation JSON");
                match release.pointer_mut(pointer).and_then(Value::as_array_mut) {
                    None => Err("no such array in the release"),
                    Some(array) => match array.iter().position(|v| *v == item) {
                        None => Err("the release no longer lists it: drop the deviation"),
                        Some(i) => {
                            array.remove(i);
                            Ok(())
                        }
                    },
                }
            }
        };
        if let Err(why) = result {
            errors.push(format!("deviation #{pointer}: {why}"));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[derive(Debug, Default, PartialEq)]
struct Tally {
    identical: usize,
    published: usize,
}

/// The figures of a census without differences.
#[derive(Debug, Default)]
struct Census {
    operations: Tally,
    components: Vec<(String, Tally)>,
    deviations: usize,
}

impl fmt::Display for Census {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tally = |t: &Tally| format!("{}/{}", t.identical, t.published);
        write!(f, "{} operations", tally(&self.operations))?;
        for (kind, t) in &self.components {
            write!(f, ", {} {kind}", tally(t))?;
        }
        write!(
            f,
            " identical; {} listed deviations applied",
            self.deviations
        )
    }
}

/// The units compared one by one, each with the facts it carries: the document-wide facts,
/// each operation, each path item's own keys (when it has any) and each component.
fn units(doc: &Value) -> Vec<(String, Value)> {
    let mut out = vec![(
        String::new(),
        json!({
            "openapi": doc["openapi"],
            "info": {"version": doc["info"]["version"]},
            "servers": doc["servers"],
            "security": doc["security"],
        }),
    )];
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            let at = join("/paths", path);
            let mut own = Map::new();
            for (key, value) in item.as_object().into_iter().flatten() {
                if METHODS.contains(&key.as_str()) {
                    out.push((join(&at, key), facts(value, false)));
                } else {
                    own.insert(key.clone(), value.clone());
                }
            }
            let own = facts(&Value::Object(own), false);
            if own.as_object().is_some_and(|own| !own.is_empty()) {
                out.push((format!("{at}#item"), own));
            }
        }
    }
    if let Some(components) = doc["components"].as_object() {
        for (kind, members) in components {
            for (name, value) in members.as_object().into_iter().flatten() {
                out.push((join(&join("/components", kind), name), facts(value, false)));
            }
        }
    }
    out
}

/// Compares `ours` with the published `release` after applying `deviations`.
fn census(ours: &Value, release: &Value, deviations: &[Deviation]) -> Result<Census, Vec<String>> {
    let mut release = release.clone();
    apply(&mut release, deviations)?;
    let ours_units: Map<String, Value> = units(ours).into_iter().collect();
    let release_units = units(&release);
    let mut out = Vec::new();
    let mut result = Census {
        deviations: deviations.len(),
        ..Census::default()
    };
    for (at, theirs) in &release_units {
        let before = out.len();
        match ours_units.get(at) {
            Some(mine) => {
                let base = at.trim_end_matches("#item");
                differences(mine, theirs, base, &mut out)
            }
            None => out.push(format!("#{at}: missing")),
        }
        let same = out.len() == before;
        let tally = if at.starts_with("/paths/") && !at.ends_with("#item") {
            Some(&mut result.operations)
        } else if let Some(rest) = at.strip_prefix("/components/") {
            let kind = rest.split('/').next().unwrap_or_default().to_owned();
            let position = match result.components.iter().position(|(k, _)| *k == kind) {
                Some(p) => p,
                None => {
                    result.components.push((kind, Tally::default()));
                    result.components.len() - 1
                }
            };
            Some(&mut result.components[position].1)
        } else {
            None
        };
        if let Some(tally) = tally {
            tally.published += 1;
            tally.identical += usize::from(same);
        }
    }
    let release_keys: std::collections::BTreeSet<&str> =
        release_units.iter().map(|(at, _)| at.as_str()).collect();
    for at in ours_units.keys() {
        if !release_keys.contains(at.as_str()) {
            out.push(format!("#{at}: not in the release"));
        }
    }
    if out.is_empty() {
        Ok(result)
    } else {
        Err(out)
    }
}

#[test]
fn spec_has_the_facts_of_the_published_release_apart_from_listed_deviations() {
    let Some(specs) = shared_dir("specs") else {
        eprintln!("skipped: ../shared/specs does not exist");
        return;
    };
    let release = load_yaml(&specs.join(RELEASE));
    let ours = load_yaml(&workspace_root().join(DEFAULT_SPEC));
    let result = census(&ours, &release, DEVIATIONS).unwrap_or_else(|differences| {
        panic!(
            "spec/ differs from {RELEASE} in {} places not listed in DEVIATIONS:\n{}",
            differences.len(),
            differences.join("\n")
        )
    });
    println!("census against {RELEASE}: {result}");
    assert_eq!(result.operations.published, 249);
    let kinds: Vec<(&str, usize)> = result
        .components
        .iter()
        .map(|(kind, t)| (kind.as_str(), t.published))
        .collect();
    for expected in [
        ("schemas", 167),
        ("responses", 114),
        ("parameters", 3),
        ("securitySchemes", 1),
    ] {
        assert!(kinds.contains(&expected), "{expected:?} in {kinds:?}");
    }
}

#[test]
fn a_changed_fact_in_the_real_spec_fails_the_census() {
    let Some(specs) = shared_dir("specs") else {
        eprintln!("skipped: ../shared/specs does not exist");
        return;
    };
    let release = load_yaml(&specs.join(RELEASE));
    let mut ours = load_yaml(&workspace_root().join(DEFAULT_SPEC));
    let at = "/paths/~1users/get/operationId";
    *ours.pointer_mut(at).unwrap() = json!("ListUsers");
    let differences = census(&ours, &release, DEVIATIONS).unwrap_err();
    assert_eq!(
        differences,
        [format!(
            "#{at}: \"ListUsers\" here, \"GetUserList\" in the release"
        )]
    );
}

/// A small release: one operation, one schema with a property named `description`.
fn tiny_release() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1", "description": "Their words."},
        "paths": {"/things/{id}": {"get": {
            "operationId": "GetThing",
            "summary": "Their summary.",
            "parameters": [{"name": "id", "in": "path", "required": true,
                            "schema": {"type": "string"}, "description": "Their id."}],
            "responses": {"200": {"description": "OK", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Thing"}}}}},
        }}},
        "components": {"schemas": {"Thing": {
            "type": "object",
            "x-vendor": 1,
            "properties": {
                "description": {"type": "string", "example": "a thing"},
                "kind": {"type": "string", "enum": ["a", "b"]},
            },
            "required": ["description", "kind", "ghost"],
        }}},
    })
}

#[test]
fn prose_examples_and_extensions_are_not_facts() {
    let release = tiny_release();
    let mut ours = release.clone();
    ours["info"]["description"] = json!("Our words.");
    ours["paths"]["/things/{id}"]["get"]["summary"] = json!("Get a thing");
    ours["paths"]["/things/{id}"]["get"]["parameters"][0]["description"] = json!("Which thing.");
    let thing = &mut ours["components"]["schemas"]["Thing"];
    thing.as_object_mut().unwrap().remove("x-vendor");
    thing["properties"]["description"]
        .as_object_mut()
        .unwrap()
        .remove("example");
    let result = census(&ours, &release, &[]).unwrap();
    assert_eq!(
        result.to_string(),
        "1/1 operations, 1/1 schemas identical; 0 listed deviations applied"
    );
}

#[test]
fn every_changed_fact_is_named_by_its_pointer() {
    let release = tiny_release();
    let mut ours = release.clone();
    ours["paths"]["/things/{id}"]["get"]["parameters"][0]["required"] = json!(false);
    let thing = &mut ours["components"]["schemas"]["Thing"];
    thing["properties"]["kind"]["enum"] = json!(["a"]);
    // A property called `description` is a fact like any other.
    thing["properties"]
        .as_object_mut()
        .unwrap()
        .remove("description");
    thing["properties"]["extra"] = json!({"type": "integer"});
    ours["paths"]["/extra"] = json!({"post": {"operationId": "Extra", "responses": {}}});
    let differences = census(&ours, &release, &[]).unwrap_err();
    assert_eq!(
        differences,
        [
            "#/paths/~1things~1{id}/get/parameters/0/required: false here, true in the release",
            "#/components/schemas/Thing/properties/description: missing (release: {\"type\":\"string\"})",
            "#/components/schemas/Thing/properties/kind/enum: [\"a\"] here, [\"a\",\"b\"] in the release",
            "#/components/schemas/Thing/properties/extra: not in the release ({\"type\":\"integer\"})",
            "#/paths/~1extra/post: not in the release",
        ]
    );
}

#[test]
fn listed_deviations_are_applied_and_stale_ones_fail() {
    const REQUIRED_BODY: &[Deviation] = &[
        Deviation {
            pointer: "/paths/~1things~1{id}/get/deprecated",
            change: Change::Add("true"),
            reason: "test",
        },
        Deviation {
            pointer: "/components/schemas/Thing/required",
            change: Change::RemoveItem(r#""ghost""#),
            reason: "test",
        },
    ];
    let release = tiny_release();
    let mut ours = release.clone();
    ours["paths"]["/things/{id}"]["get"]["deprecated"] = json!(true);
    ours["components"]["schemas"]["Thing"]["required"] = json!(["description", "kind"]);
    let result = census(&ours, &release, REQUIRED_BODY).unwrap();
    assert_eq!(result.deviations, 2);
    assert_eq!(
        result.operations,
        Tally {
            identical: 1,
            published: 1
        }
    );

    // Without the table, both deviations are differences.
    assert_eq!(census(&ours, &release, &[]).unwrap_err().len(), 2);

    // A release that caught up makes the deviation stale.
    let mut caught_up = release.clone();
    caught_up["paths"]["/things/{id}"]["get"]["deprecated"] = json!(true);
    caught_up["components"]["schemas"]["Thing"]["required"] = json!(["description", "kind"]);
    assert_eq!(
        census(&ours, &caught_up, REQUIRED_BODY).unwrap_err(),
        [
            "deviation #/paths/~1things~1{id}/get/deprecated: the release has it now: drop the deviation",
            "deviation #/components/schemas/Thing/required: the release no longer lists it: drop the deviation",
        ]
    );
}

#[test]
fn every_listed_deviation_has_a_reason_and_parses() {
    assert!(!DEVIATIONS.is_empty());
    for deviation in DEVIATIONS {
        assert!(deviation.pointer.starts_with('/'), "{}", deviation.pointer);
        assert!(!deviation.pointer.contains(' '), "{}", deviation.pointer);
        assert!(deviation.reason.len() > 20, "{}", deviation.pointer);
        let (Change::Add(value) | Change::RemoveItem(value)) = &deviation.change;
        serde_json::from_str::<Value>(value).unwrap();
    }
}
