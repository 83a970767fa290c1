//! The spec as progenitor is given it: the bench's spec, read as YAML (or JSON) into
//! memory, with the few edits progenitor needs before it generates a crate that builds,
//! written back as JSON. Nothing else changes.
//!
//! The edits, each made only where the spec needs it:
//!
//! 1. [`UNSUPPORTED_BODY`]: operations whose request body progenitor cannot generate are
//!    dropped (and path items left without an operation). It takes exactly one media
//!    type among JSON, octet-stream, form-urlencoded and plain text, and stops at the
//!    first other one ("unexpected content type"); Clerk's image uploads are
//!    `multipart/form-data`.
//! 2. [`MIXED_ERROR_BODIES`]: when some error responses (4xx, 5xx) of an operation have a
//!    JSON body and others none, the ones without are dropped. Progenitor gives an
//!    operation one error type and panics on a second ("assertion failed:
//!    response_types.len() <= 1"); Clerk's password and TOTP checks answer 400/404/422
//!    without a body and 500 with `ClerkErrors`. The dropped statuses reach the caller
//!    as progenitor's "unexpected response" error instead.
//! 3. [`COLLIDING_PARAMETERS`]: parameters of one operation whose names differ only in
//!    case or separators (`frontendApi`, `frontend_api`) become the same snake_case
//!    argument in progenitor's method, which does not compile (E0415); the deprecated one
//!    is dropped (the later one when neither is).
//!
//! A spec whose shape these edits do not expect fails with the edit's name; one that
//! needs an edit not listed here fails in progenitor's generation or in the build.

use serde_yaml::{Mapping, Value};

pub(super) const UNSUPPORTED_BODY: &str =
    "drop operations with a request body progenitor cannot generate";
pub(super) const MIXED_ERROR_BODIES: &str =
    "drop body-less error responses beside ones with a JSON body";
pub(super) const COLLIDING_PARAMETERS: &str =
    "drop parameters whose snake_case name another one has";

/// The request body media types progenitor generates (without parameters).
const PROGENITOR_BODIES: &[&str] = &[
    "application/json",
    "application/octet-stream",
    "application/x-www-form-urlencoded",
    "text/plain",
    "text/x-markdown",
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One edit: what it changed, one note per place.
type Edit = fn(&mut Value) -> Result<Vec<String>, String>;

/// The spec text (YAML or JSON) with the edits made, as JSON, and one line per edit that
/// changed something, saying what.
pub(super) fn for_progenitor(text: &str) -> Result<(String, Vec<String>), String> {
    let mut spec: Value =
        serde_yaml::from_str(text).map_err(|e| format!("the spec is not YAML or JSON: {e}"))?;
    spec.apply_merge()
        .map_err(|e| format!("the spec's YAML merge keys: {e}"))?;
    let mut notes = Vec::new();
    let edits: [(&str, Edit); 3] = [
        (UNSUPPORTED_BODY, drop_unsupported_bodies),
        (MIXED_ERROR_BODIES, drop_mixed_error_bodies),
        (COLLIDING_PARAMETERS, drop_colliding_parameters),
    ];
    for (name, edit) in edits {
        let changed = edit(&mut spec).map_err(|e| format!("edit `{name}`: {e}"))?;
        if !changed.is_empty() {
            notes.push(format!("{name}: {}", changed.join(", ")));
        }
    }
    // Integer keys (`200:` unquoted) become strings, as JSON needs.
    let json = serde_json::to_string(&spec).map_err(|e| format!("writing JSON: {e}"))?;
    Ok((json, notes))
}

/// Edit 1: see the module documentation.
fn drop_unsupported_bodies(spec: &mut Value) -> Result<Vec<String>, String> {
    let mut dropped = Vec::new();
    for (path, method, operation) in operations(spec)? {
        let Some(body) = operation.get("requestBody") else {
            continue;
        };
        let types: Vec<&str> = resolve(spec, body)?
            .get("content")
            .and_then(Value::as_mapping)
            .map(|content| content.keys().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let supported = |media: &&str| {
            let base = media.split(';').next().unwrap_or_default().trim();
            PROGENITOR_BODIES.contains(&base)
        };
        if types.len() > 1 || !types.iter().all(supported) {
            dropped.push((path, method, types.join(" + ")));
        }
    }
    let notes = dropped
        .iter()
        .map(|(path, method, types)| format!("{} {path} ({types})", method.to_uppercase()))
        .collect();
    let paths = paths_mut(spec)?;
    for (path, method, _) in dropped {
        if let Some(item) = paths.get_mut(&path).and_then(Value::as_mapping_mut) {
            item.shift_remove(&method);
            if !METHODS.iter().any(|m| item.contains_key(*m)) {
                paths.shift_remove(&path);
            }
        }
    }
    Ok(notes)
}

/// Edit 2: see the module documentation.
fn drop_mixed_error_bodies(spec: &mut Value) -> Result<Vec<String>, String> {
    let mut dropped: Vec<(String, String, Vec<Value>)> = Vec::new();
    for (path, method, operation) in operations(spec)? {
        let Some(responses) = operation.get("responses").and_then(Value::as_mapping) else {
            continue;
        };
        let mut with_json = false;
        let mut without = Vec::new();
        for (status, response) in responses {
            if !is_error_status(status) {
                continue;
            }
            let json = resolve(spec, response)?
                .get("content")
                .and_then(Value::as_mapping)
                .is_some_and(|content| {
                    content.keys().filter_map(Value::as_str).any(|media| {
                        media == "application/json" || media.starts_with("application/json;")
                    })
                });
            if json {
                with_json = true;
            } else {
                without.push(status.clone());
            }
        }
        if with_json && !without.is_empty() {
            dropped.push((path, method, without));
        }
    }
    let mut notes = Vec::new();
    let paths = paths_mut(spec)?;
    for (path, method, statuses) in dropped {
        let responses = paths
            .get_mut(&path)
            .and_then(|item| item.get_mut(&method))
            .and_then(|operation| operation.get_mut("responses"))
            .and_then(Value::as_mapping_mut);
        if let Some(responses) = responses {
            for status in &statuses {
                responses.shift_remove(status);
            }
        }
        let statuses: Vec<String> = statuses.iter().map(status_text).collect();
        notes.push(format!(
            "{} {path} ({})",
            method.to_uppercase(),
            statuses.join(", ")
        ));
    }
    Ok(notes)
}

/// Edit 3: see the module documentation.
fn drop_colliding_parameters(spec: &mut Value) -> Result<Vec<String>, String> {
    let mut dropped: Vec<(String, String, Vec<usize>, Vec<String>)> = Vec::new();
    for (path, method, operation) in operations(spec)? {
        let Some(parameters) = operation.get("parameters").and_then(Value::as_sequence) else {
            continue;
        };
        let mut named = Vec::new();
        for parameter in parameters {
            let parameter = resolve(spec, parameter)?;
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or("");
            let deprecated = parameter
                .get("deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            named.push((name, deprecated));
        }
        let mut drop = Vec::new();
        for (i, (name, deprecated)) in named.iter().enumerate() {
            let rivals: Vec<usize> = (0..named.len())
                .filter(|&j| j != i && !drop.contains(&j))
                .filter(|&j| argument_key(named[j].0) == argument_key(name))
                .collect();
            // This one goes when it is deprecated and a rival is not, or when neither
            // side is preferred and a rival comes first.
            let loses = rivals.iter().any(|&j| {
                let rival_deprecated = named[j].1;
                (*deprecated && !rival_deprecated) || (*deprecated == rival_deprecated && j < i)
            });
            if loses {
                drop.push(i);
            }
        }
        if !drop.is_empty() {
            let names = drop.iter().map(|&i| format!("`{}`", named[i].0)).collect();
            dropped.push((path, method, drop, names));
        }
    }
    let mut notes = Vec::new();
    let paths = paths_mut(spec)?;
    for (path, method, drop, names) in dropped {
        let parameters = paths
            .get_mut(&path)
            .and_then(|item| item.get_mut(&method))
            .and_then(|operation| operation.get_mut("parameters"))
            .and_then(Value::as_sequence_mut);
        if let Some(parameters) = parameters {
            let mut index = 0;
            parameters.retain(|_| {
                index += 1;
                !drop.contains(&(index - 1))
            });
        }
        notes.push(format!(
            "{} {path} ({})",
            method.to_uppercase(),
            names.join(", ")
        ));
    }
    Ok(notes)
}

/// The name a parameter's argument gets, up to case and separators: snake_case only
/// changes those, so equal keys mean equal Rust names.
fn argument_key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn is_error_status(status: &Value) -> bool {
    let text = status_text(status);
    text.starts_with('4') || text.starts_with('5')
}

fn status_text(status: &Value) -> String {
    match status {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}

/// Every operation: (path, method, operation), in the spec's order.
fn operations(spec: &Value) -> Result<Vec<(String, String, &Value)>, String> {
    let paths = spec
        .get("paths")
        .and_then(Value::as_mapping)
        .ok_or("the spec has no `paths` mapping")?;
    let mut found = Vec::new();
    for (path, item) in paths {
        let path = path.as_str().ok_or("a key of `paths` is not a string")?;
        let item = resolve(spec, item)?;
        for method in METHODS {
            if let Some(operation) = item.get(*method) {
                found.push((path.to_owned(), (*method).to_owned(), operation));
            }
        }
    }
    Ok(found)
}

fn paths_mut(spec: &mut Value) -> Result<&mut Mapping, String> {
    spec.get_mut("paths")
        .and_then(Value::as_mapping_mut)
        .ok_or_else(|| "the spec has no `paths` mapping".to_owned())
}

/// The node a local `$ref` (`#/components/...`) points to, or the node itself.
fn resolve<'a>(spec: &'a Value, node: &'a Value) -> Result<&'a Value, String> {
    let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
        return Ok(node);
    };
    let pointer = reference
        .strip_prefix("#/")
        .ok_or_else(|| format!("`$ref: {reference}` is not a local reference"))?;
    pointer.split('/').try_fold(spec, |at, segment| {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        at.get(segment.as_str())
            .ok_or_else(|| format!("`$ref: {reference}` points to nothing"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spec needing each edit once, beside operations that need none.
    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /upload:
    post:
      operationId: Upload
      requestBody:
        content:
          multipart/form-data:
            schema: {type: object}
      responses:
        200: {description: ok}
  /things:
    get:
      operationId: ListThings
      parameters:
      - {name: frontendApi, in: query, deprecated: true, schema: {type: string}}
      - {name: frontend_api, in: query, schema: {type: string}}
      - {name: limit, in: query, schema: {type: integer}}
      - {name: pageToken, in: query, schema: {type: string}}
      - $ref: '#/components/parameters/PageToken'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
    post:
      operationId: CreateThing
      requestBody:
        $ref: '#/components/requestBodies/Thing'
      responses:
        '200': {description: ok}
        '400': {description: bad}
        '404': {$ref: '#/components/responses/NotFound'}
        '422': {description: invalid}
        '500':
          description: failed
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Errors'}
    put:
      operationId: ReplaceThing
      requestBody:
        content:
          application/json; charset=utf-8:
            schema: {type: object}
      responses:
        '204': {description: done}
        '400': {description: bad}
        '404': {description: missing}
components:
  schemas:
    Errors: {type: object}
  parameters:
    PageToken: {name: page_token, in: query, schema: {type: string}}
  requestBodies:
    Thing:
      content:
        application/json:
          schema: {type: object}
  responses:
    NotFound: {description: missing}
"##;

    fn edited() -> (serde_json::Value, Vec<String>) {
        let (json, notes) = for_progenitor(SPEC).unwrap();
        (serde_json::from_str(&json).unwrap(), notes)
    }

    #[test]
    fn operations_with_a_body_progenitor_cannot_generate_are_dropped() {
        let (spec, notes) = edited();
        // The path item held only the multipart operation: it goes with it.
        assert!(spec["paths"].get("/upload").is_none(), "{spec:#}");
        let things = &spec["paths"]["/things"];
        // A JSON body behind a `$ref`, and one with a charset parameter, stay.
        assert_eq!(things["post"]["operationId"], "CreateThing");
        assert_eq!(things["put"]["operationId"], "ReplaceThing");
        assert!(notes.contains(&format!(
            "{UNSUPPORTED_BODY}: POST /upload (multipart/form-data)"
        )));
    }

    #[test]
    fn body_less_error_responses_go_only_beside_json_ones() {
        let (spec, notes) = edited();
        let create = &spec["paths"]["/things"]["post"]["responses"];
        let statuses: Vec<&str> = create
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        // Success responses are never touched; integer YAML keys became strings.
        assert_eq!(statuses, ["200", "500"], "{create:#}");
        // Errors that all lack a body are one type already: kept.
        let replace = &spec["paths"]["/things"]["put"]["responses"];
        assert_eq!(replace.as_object().unwrap().len(), 3, "{replace:#}");
        assert!(notes.contains(&format!(
            "{MIXED_ERROR_BODIES}: POST /things (400, 404, 422)"
        )));
    }

    #[test]
    fn parameters_with_one_rust_name_keep_the_preferred_one() {
        let (spec, notes) = edited();
        let names: Vec<String> = spec["paths"]["/things"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap_or("$ref").to_owned())
            .collect();
        // `frontendApi` is deprecated: it goes. `pageToken` and the `$ref`'d
        // `page_token` are equal: the later one goes.
        assert_eq!(names, ["frontend_api", "limit", "pageToken"]);
        assert!(notes.contains(&format!(
            "{COLLIDING_PARAMETERS}: GET /things (`frontendApi`, `page_token`)"
        )));
    }

    #[test]
    fn the_spec_s_order_survives() {
        let (json, _) = for_progenitor(SPEC).unwrap();
        let at = |needle: &str| json.find(needle).unwrap();
        assert!(at("\"openapi\"") < at("\"paths\"") && at("\"paths\"") < at("\"components\""));
        assert!(at("ListThings") < at("CreateThing") && at("CreateThing") < at("ReplaceThing"));
    }

    #[test]
    fn a_spec_the_edits_do_not_expect_names_the_edit() {
        let err = for_progenitor("openapi: 3.0.3\ninfo: {title: t, version: '1'}\n").unwrap_err();
        assert_eq!(
            err,
            format!("edit `{UNSUPPORTED_BODY}`: the spec has no `paths` mapping")
        );
        let dangling = "paths:\n  /a:\n    get:\n      parameters:\n      - $ref: '#/components/parameters/Gone'\n";
        let err = for_progenitor(dangling).unwrap_err();
        assert!(
            err.starts_with(&format!("edit `{COLLIDING_PARAMETERS}`")),
            "{err}"
        );
        assert!(err.contains("points to nothing"), "{err}");
    }
}
