//! Stage 1: spec text -> `openapiv3::OpenAPI`.
//!
//! The text goes through a `serde_json::Value` first so that (a) errors can be located
//! with a JSON pointer and (b) `$ref`s with sibling keywords survive: openapiv3 would
//! read `{$ref, nullable: true}` as a bare reference and drop the `nullable`, so such
//! nodes are rewritten to the equivalent `{allOf: [{$ref}], nullable: true}`.

use crate::error::{Error, Result};
use crate::pointer::Pointer;
use openapiv3::OpenAPI;
use serde::Deserialize;
use serde_yaml::{Mapping, Value};

/// A parsed spec: the typed document plus the raw tree (in document order), which
/// resolves `$ref`s that point somewhere other than a components map.
pub struct Document {
    pub api: OpenAPI,
    pub raw: Value,
}

/// Keywords that change a schema's meaning; a `$ref` beside any of them is wrapped.
const SCHEMA_SIBLINGS: &[&str] = &[
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "default",
    "type",
    "properties",
    "required",
    "enum",
    "allOf",
    "oneOf",
    "anyOf",
    "items",
    "additionalProperties",
    "format",
];

pub fn parse(text: &str) -> Result<Document> {
    parse_with(text, false)
}

/// [`parse`] for a webhook spec, whose operations are its `x-webhooks`: a document
/// without `paths` (Clerk publishes its webhook release so, though OpenAPI 3.0 asks for
/// the field) is read as one with no paths.
pub fn parse_webhooks(text: &str) -> Result<Document> {
    parse_with(text, true)
}

fn parse_with(text: &str, paths_optional: bool) -> Result<Document> {
    let mut raw: Value = serde_yaml::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(" (line {}, column {})", l.line(), l.column()))
            .unwrap_or_default();
        Error::new("#", format!("not valid YAML or JSON{at}: {e}"))
    })?;
    normalize(&mut raw, &Pointer::root())?;
    check_version(&raw)?;
    if paths_optional {
        if let Value::Mapping(document) = &mut raw {
            let paths = Value::from("paths");
            if !document.contains_key(&paths) {
                document.insert(paths, Value::Mapping(Default::default()));
            }
        }
    }
    wrap_ref_siblings(&mut raw);
    // The plain read is the fast path; only a document that fails it is read again,
    // tracking paths, to say where.
    let api = match OpenAPI::deserialize(&raw) {
        Ok(api) => api,
        Err(_) => {
            let error = serde_path_to_error::deserialize::<_, OpenAPI>(&raw).err();
            return Err(locate_error(&raw).unwrap_or_else(|| match error {
                Some(e) => Error::new(
                    path_to_pointer(Pointer::root(), e.path()),
                    format!("not a valid OpenAPI 3.0 node: {}", e.inner()),
                ),
                None => Error::new("#", "not a valid OpenAPI 3.0 document"),
            }));
        }
    };
    Ok(Document { api, raw })
}

fn check_version(raw: &Value) -> Result<()> {
    match raw.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") || v == "3.0" => Ok(()),
        Some(v) => Err(Error::new(
            "#/openapi",
            format!("unsupported OpenAPI version {v:?}: the generator reads OpenAPI 3.0.x"),
        )),
        None if raw.get("swagger").is_some() => Err(Error::new(
            "#/swagger",
            "Swagger 2.0 documents are not supported: convert to OpenAPI 3.0 first",
        )),
        None => Err(Error::new("#/openapi", "missing `openapi` version field")),
    }
}

/// Makes every mapping key a string (YAML reads `200:` as a number) and drops YAML
/// tags, which JSON-shaped OpenAPI has no use for. `at` is only turned into a pointer
/// for an error: building one per node would cost more than the walk.
fn normalize(value: &mut Value, at: &Pointer) -> Result<()> {
    let mut path = Vec::new();
    normalize_at(value, &mut path).map_err(|(tokens, message)| {
        let pointer = tokens.iter().fold(at.clone(), |p, t| p.join(t));
        Error::new(pointer.to_string(), message)
    })
}

type NormalizeError = (Vec<String>, String);

fn normalize_at(value: &mut Value, path: &mut Vec<String>) -> Result<(), NormalizeError> {
    match value {
        Value::Tagged(tagged) => {
            let inner = std::mem::replace(&mut tagged.value, Value::Null);
            *value = inner;
            normalize_at(value, path)
        }
        Value::Sequence(items) => items.iter_mut().enumerate().try_for_each(|(i, v)| {
            path.push(i.to_string());
            normalize_at(v, path)?;
            path.pop();
            Ok(())
        }),
        Value::Mapping(map) if map.keys().all(Value::is_string) => {
            for (key, child) in map.iter_mut() {
                path.push(key.as_str().unwrap_or_default().to_owned());
                normalize_at(child, path)?;
                path.pop();
            }
            Ok(())
        }
        Value::Mapping(map) => {
            let mut out = Mapping::with_capacity(map.len());
            for (key, mut child) in std::mem::take(map) {
                let key = match key {
                    Value::String(s) => s,
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    other => {
                        return Err((
                            path.clone(),
                            format!("mapping key {other:?} is not a string"),
                        ))
                    }
                };
                path.push(key.clone());
                normalize_at(&mut child, path)?;
                path.pop();
                out.insert(Value::String(key), child);
            }
            *map = out;
            Ok(())
        }
        _ => Ok(()),
    }
}

fn wrap_ref_siblings(value: &mut Value) {
    match value {
        Value::Mapping(map) => {
            for (_, child) in map.iter_mut() {
                wrap_ref_siblings(child);
            }
            let has_sibling = map.contains_key("$ref")
                && map
                    .keys()
                    .any(|k| k.as_str().is_some_and(|k| SCHEMA_SIBLINGS.contains(&k)));
            if has_sibling {
                let reference = map.remove("$ref").expect("checked above");
                let mut target = Mapping::new();
                target.insert(Value::from("$ref"), reference);
                let mut parts = vec![Value::Mapping(target)];
                if let Some(Value::Sequence(existing)) = map.remove("allOf") {
                    parts.extend(existing);
                }
                map.insert(Value::from("allOf"), Value::Sequence(parts));
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(wrap_ref_siblings),
        _ => {}
    }
}

/// openapiv3's untagged and flattened types lose the error path at the first such
/// node, so a whole-document error often just says `#/paths`. Deserializing each
/// operation and component on its own pins the error to the node that is wrong.
fn locate_error(raw: &Value) -> Option<Error> {
    use openapiv3::{Operation, Parameter, ReferenceOr, RequestBody, Response, Schema};
    fn check<T: serde::de::DeserializeOwned>(node: &Value, at: Pointer) -> Option<Error> {
        serde_path_to_error::deserialize::<_, T>(node)
            .err()
            .map(|e| {
                let pointer = path_to_pointer(at, e.path());
                Error::new(
                    pointer,
                    format!("not a valid OpenAPI 3.0 node: {}", e.inner()),
                )
            })
    }
    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let paths_at = Pointer::root().join("paths");
    for (path, item) in raw.get("paths")?.as_mapping()? {
        let item_at = paths_at.join(path.as_str()?);
        for (key, node) in item.as_mapping()? {
            let key = key.as_str()?;
            let at = item_at.join(key);
            let found = if METHODS.contains(&key) {
                check::<Operation>(node, at)
            } else if key == "parameters" {
                check::<Vec<ReferenceOr<Parameter>>>(node, at)
            } else {
                None
            };
            if found.is_some() {
                return found;
            }
        }
    }
    let components_at = Pointer::root().join("components");
    for (section, entries) in raw.get("components")?.as_mapping()? {
        let section = section.as_str()?;
        for (name, node) in entries.as_mapping().into_iter().flatten() {
            let at = components_at.join(section).join(name.as_str()?);
            let found = match section {
                "schemas" => check::<ReferenceOr<Schema>>(node, at),
                "parameters" => check::<ReferenceOr<Parameter>>(node, at),
                "responses" => check::<ReferenceOr<Response>>(node, at),
                "requestBodies" => check::<ReferenceOr<RequestBody>>(node, at),
                _ => None,
            };
            if found.is_some() {
                return found;
            }
        }
    }
    None
}

fn path_to_pointer(base: Pointer, path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .fold(base, |p, segment| match segment {
            Segment::Seq { index } => p.join(index),
            Segment::Map { key } => p.join(key),
            Segment::Enum { variant } => p.join(variant),
            Segment::Unknown => p,
        })
        .into()
}

/// Resolves a local JSON pointer against the raw tree.
pub fn lookup<'a>(raw: &'a Value, pointer: &Pointer) -> Option<&'a Value> {
    pointer.tokens().try_fold(raw, |node, token| match node {
        Value::Mapping(map) => map.get(token.as_str()),
        Value::Sequence(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_yaml_is_an_error_with_a_line() {
        let err = parse("openapi: 3.0.3\npaths: [unclosed")
            .err()
            .expect("must fail");
        assert_eq!(err.pointer(), "#");
        assert!(err.message().contains("line"), "{err}");
    }

    #[test]
    fn wrong_version_is_named() {
        let err = parse("openapi: 3.1.0\ninfo: {title: t, version: v}\npaths: {}")
            .err()
            .expect("must fail");
        assert_eq!(err.pointer(), "#/openapi");
    }

    /// A webhook spec may leave `paths` out; an API spec may not.
    #[test]
    fn only_a_webhook_spec_may_lack_paths() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: v}\nx-webhooks: {}\n";
        let err = parse(text).err().expect("must fail");
        assert!(err.message().contains("paths"), "{err}");
        let doc = parse_webhooks(text).unwrap();
        assert!(doc.api.paths.paths.is_empty());
        assert!(doc.raw.get("x-webhooks").is_some());
    }

    #[test]
    fn type_errors_carry_a_pointer() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let err = parse(text).err().expect("must fail");
        assert_eq!(err.pointer(), "#/paths/~1a/get/responses", "{err}");
    }

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn ref_with_siblings_becomes_all_of() {
        let mut v = yaml("{$ref: '#/x', nullable: true, description: d}");
        wrap_ref_siblings(&mut v);
        assert_eq!(
            v,
            yaml("{nullable: true, description: d, allOf: [{$ref: '#/x'}]}")
        );
        let mut plain = yaml("{$ref: '#/x', description: d}");
        wrap_ref_siblings(&mut plain);
        assert_eq!(plain, yaml("{$ref: '#/x', description: d}"));
    }

    #[test]
    fn numeric_keys_become_strings_and_order_is_kept() {
        let mut v = yaml("{z: 1, 200: {b: 1, a: 2}, true: x}");
        normalize(&mut v, &Pointer::root()).unwrap();
        let keys = |v: &Value| -> Vec<String> {
            v.as_mapping()
                .unwrap()
                .keys()
                .map(|k| k.as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(keys(&v), ["z", "200", "true"]);
        assert_eq!(keys(&v["200"]), ["b", "a"]);
    }
}
