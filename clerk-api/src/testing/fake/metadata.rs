//! Metadata updates: the `PATCH .../metadata` endpoints deep-merge, where a key set to
//! `null` is removed; the `PUT` ones replace a whole metadata object.

use serde_json::{Map, Value};

/// Merges `patch` into `target`: objects merge key by key at every depth, `null`
/// removes the key, anything else replaces it.
pub(crate) fn deep_merge(target: &mut Map<String, Value>, patch: Map<String, Value>) {
    for (key, value) in patch {
        match value {
            Value::Null => {
                target.remove(&key);
            }
            Value::Object(inner) => match target.get_mut(&key) {
                Some(Value::Object(existing)) => deep_merge(existing, inner),
                _ => {
                    let mut fresh = Map::new();
                    deep_merge(&mut fresh, inner);
                    target.insert(key, Value::Object(fresh));
                }
            },
            other => {
                target.insert(key, other);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(fields) => fields,
            _ => unreachable!(),
        }
    }

    #[test]
    fn merging_keeps_siblings_replaces_leaves_and_removes_nulls() {
        let mut target = object(json!({
            "plan": "free", "limits": {"seats": 3, "projects": 1}, "beta": true
        }));
        deep_merge(
            &mut target,
            object(
                json!({"limits": {"seats": 10, "gone": null}, "beta": null, "new": {"a": null, "b": 1}}),
            ),
        );
        assert_eq!(
            Value::Object(target),
            json!({"plan": "free", "limits": {"seats": 10, "projects": 1}, "new": {"b": 1}})
        );
    }
}
