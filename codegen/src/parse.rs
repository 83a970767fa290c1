//! Stage 1: spec text -> `openapiv3::OpenAPI`.
//!
//! The text goes through a `serde_json::Value` first so that (a) errors can be located
//! with a JSON pointer and (b) `$ref`s with sibling keywords survive: openapiv3 would
//! read `{$ref, nullable: true}` as a bare reference and drop the `nullable`, so such
//! nodes are rewritten to the equivalent `{allOf: [{$ref}], nullable: true}`.

use crate::error::{Error, Result};
use crate::pointer::Pointer;
use openapiv3::OpenAPI;
use serde_json::{Map, Value};

/// A parsed spec: the typed document plus the raw tree, which resolves `$ref`s that
/// point somewhere other than a components map.
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
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(" (line {}, column {})", l.line(), l.column()))
            .unwrap_or_default();
        Error::new("#", format!("not valid YAML or JSON{at}: {e}"))
    })?;
    let mut raw = yaml_to_json(yaml, &Pointer::root())?;
    check_version(&raw)?;
    wrap_ref_siblings(&mut raw);
    let api: OpenAPI = serde_path_to_error::deserialize(&raw).map_err(|e| {
        locate_error(&raw).unwrap_or_else(|| {
            let pointer = path_to_pointer(Pointer::root(), e.path());
            Error::new(
                pointer,
                format!("not a valid OpenAPI 3.0 node: {}", e.inner()),
            )
        })
    })?;
    Ok(Document { api, raw })
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
    for (path, item) in raw.get("paths")?.as_object()?.iter() {
        let item_at = paths_at.join(path);
        for (key, node) in item.as_object()?.iter() {
            let at = item_at.join(key);
            let found = if METHODS.contains(&key.as_str()) {
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
    let components = raw.get("components")?.as_object()?;
    let components_at = Pointer::root().join("components");
    for (section, entries) in components {
        for (name, node) in entries.as_object().into_iter().flatten() {
            let at = components_at.join(section).join(name);
            let found = match section.as_str() {
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

/// YAML allows non-string keys and values JSON has no form for; the spec must not.
fn yaml_to_json(value: serde_yaml::Value, at: &Pointer) -> Result<Value> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| Error::new(at.to_string(), "number has no JSON form"))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &at.join(i)))
                .collect::<Result<_>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err(Error::new(
                            at.to_string(),
                            format!("mapping key {other:?} is not a string"),
                        ))
                    }
                };
                let child = at.join(&key);
                out.insert(key, yaml_to_json(v, &child)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, at)?,
    })
}

fn wrap_ref_siblings(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for child in map.values_mut() {
                wrap_ref_siblings(child);
            }
            let has_sibling = map.contains_key("$ref")
                && map.keys().any(|k| SCHEMA_SIBLINGS.contains(&k.as_str()));
            if has_sibling {
                let reference = map.remove("$ref").expect("checked above");
                let mut target = Map::new();
                target.insert("$ref".to_owned(), reference);
                let mut parts = vec![Value::Object(target)];
                if let Some(Value::Array(existing)) = map.remove("allOf") {
                    parts.extend(existing);
                }
                map.insert("allOf".to_owned(), Value::Array(parts));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(wrap_ref_siblings),
        _ => {}
    }
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
        Value::Object(map) => map.get(&token),
        Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
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

    #[test]
    fn type_errors_carry_a_pointer() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let err = parse(text).err().expect("must fail");
        assert_eq!(err.pointer(), "#/paths/~1a/get/responses", "{err}");
    }

    #[test]
    fn ref_with_siblings_becomes_all_of() {
        let mut v = serde_json::json!({"$ref": "#/x", "nullable": true, "description": "d"});
        wrap_ref_siblings(&mut v);
        assert_eq!(
            v,
            serde_json::json!({"allOf": [{"$ref": "#/x"}], "nullable": true, "description": "d"})
        );
        let mut plain = serde_json::json!({"$ref": "#/x", "description": "d"});
        wrap_ref_siblings(&mut plain);
        assert_eq!(
            plain,
            serde_json::json!({"$ref": "#/x", "description": "d"})
        );
    }
}
