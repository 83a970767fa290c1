//! Valid example values for scalar schemas: what the generated contract suite sends.
//!
//! A value comes from the schema itself when it offers one (`enum`, `example`,
//! `default`), else is synthesized to satisfy `format`, `pattern`, length and range
//! constraints. Objects are not sampled here: the contract emitter builds them field by
//! field from the IR, using these leaf values.

use super::refs::AsNode;
use super::schema::{SchemaType, View};
use super::Lowerer;
use crate::error::Result;
use crate::pointer::Pointer;
use openapiv3::Schema;
use serde_json::Value;

/// Samples look this many schemas deep (through `allOf`, `oneOf` and array items), so
/// a schema that contains itself ends the search instead of the stack.
const MAX_SAMPLE_DEPTH: usize = 8;

impl Lowerer<'_> {
    /// A value valid for `schema` when it is a scalar or an array of scalars.
    pub(super) fn sample(
        &self,
        schema: &impl AsNode<Schema>,
        at: &Pointer,
    ) -> Result<Option<Value>> {
        self.sample_at_depth(schema, at, 0)
    }

    fn sample_at_depth(
        &self,
        schema: &impl AsNode<Schema>,
        at: &Pointer,
        depth: usize,
    ) -> Result<Option<Value>> {
        if depth > MAX_SAMPLE_DEPTH {
            return Ok(None);
        }
        let (schema, at) = self.resolve_schema(schema, at)?;
        self.sample_schema(&schema, &at, depth)
    }

    fn sample_schema(&self, schema: &Schema, at: &Pointer, depth: usize) -> Result<Option<Value>> {
        let view = View::of(schema);
        if let Some(first) = view.enum_values.iter().find(|v| !v.is_null()) {
            return Ok(Some(first.clone()));
        }
        let data = &schema.schema_data;
        let scalar = |v: &Value| !v.is_object() && !v.is_null();
        if let Some(example) = data.example.as_ref().filter(|v| scalar(v)) {
            return Ok(Some(example.clone()));
        }
        if let Some(default) = data.default.as_ref().filter(|v| scalar(v)) {
            return Ok(Some(default.clone()));
        }
        if let [only] = view.all_of {
            return self.sample_at_depth(only, &at.join("allOf").join(0), depth + 1);
        }
        if let Some(first) = view.one_of.first() {
            return self.sample_at_depth(first, &at.join("oneOf").join(0), depth + 1);
        }
        if let Some(first) = view.any_of.first() {
            return self.sample_at_depth(first, &at.join("anyOf").join(0), depth + 1);
        }
        let bounds = view.bounds;
        Ok(match view.ty {
            Some(SchemaType::String) => Some(Value::String(string_sample(
                view.format.as_deref(),
                view.pattern.as_deref(),
                bounds.min_length,
                bounds.max_length,
            ))),
            Some(SchemaType::Integer) => {
                let low = bounds.minimum.map_or(1, |m| m.ceil() as i64);
                let value = bounds
                    .maximum
                    .map_or(low.max(1), |m| low.max(1).min(m.floor() as i64));
                Some(Value::from(value.max(low)))
            }
            Some(SchemaType::Number) => {
                let low = bounds.minimum.unwrap_or(1.0);
                let value = bounds.maximum.map_or(low.max(1.0), |m| low.max(1.0).min(m));
                Some(Value::from(value.max(low)))
            }
            Some(SchemaType::Boolean) => Some(Value::Bool(true)),
            Some(SchemaType::Array) => {
                let Some(items) = view.items else {
                    return Ok(None);
                };
                self.sample_at_depth(items, &at.join("items"), depth + 1)?
                    .map(|item| Value::Array(vec![item; bounds.min_items.max(1)]))
            }
            _ => None,
        })
    }
}

/// A string that satisfies the format, pattern and length constraints it is given.
pub fn string_sample(
    format: Option<&str>,
    pattern: Option<&str>,
    min: Option<usize>,
    max: Option<usize>,
) -> String {
    if let Some(text) = pattern.and_then(pattern_sample) {
        return text;
    }
    let text = match format {
        Some("date-time") => "2024-01-01T00:00:00Z",
        Some("date") => "2024-01-01",
        Some("email") => "user@example.com",
        Some("uri" | "url") => "https://example.com",
        Some("uuid") => "00000000-0000-4000-8000-000000000000",
        Some("byte" | "base64") => "ZXhhbXBsZQ==",
        Some("ipv4") => "127.0.0.1",
        _ => "example",
    };
    let mut text = text.to_owned();
    while min.is_some_and(|m| text.chars().count() < m) {
        text.push('x');
    }
    if let Some(max) = max {
        text = text.chars().take(max.max(1)).collect();
    }
    text
}

/// A string matching a regular expression, for the subset real specs use: literals,
/// anchors, groups with alternation (first branch), classes (`\w`, `\d`, `[a-z0-9]`),
/// and quantifiers (`{n}`, `{n,m}`, `+`, `*`, `?`: the least allowed count, at least
/// one for `+`). Anything else gives `None`.
pub fn pattern_sample(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let (text, end) = sequence(&chars, 0)?;
    (end == chars.len()).then_some(text)
}

/// Parses alternatives until `)` or the end; returns the first alternative's sample.
fn sequence(chars: &[char], mut i: usize) -> Option<(String, usize)> {
    let mut first: Option<String> = None;
    let mut current = String::new();
    while i < chars.len() {
        let (atom, next) = match chars[i] {
            '^' | '$' => {
                i += 1;
                continue;
            }
            ')' => break,
            '|' => {
                first.get_or_insert(std::mem::take(&mut current));
                i += 1;
                continue;
            }
            '(' => {
                let mut start = i + 1;
                if chars.get(start) == Some(&'?') {
                    // Only non-capturing groups: `(?:...)`.
                    if chars.get(start + 1) != Some(&':') {
                        return None;
                    }
                    start += 2;
                }
                let (inner, close) = sequence(chars, start)?;
                if chars.get(close) != Some(&')') {
                    return None;
                }
                (inner, close + 1)
            }
            '[' => {
                let close = i + 1 + chars[i + 1..].iter().position(|&c| c == ']')?;
                let class = &chars[i + 1..close];
                if class.first() == Some(&'^') {
                    return None;
                }
                let c = match class {
                    ['\\', 'w', ..] | ['\\', 'd', ..] => '0',
                    [c, ..] => *c,
                    [] => return None,
                };
                (c.to_string(), close + 1)
            }
            '\\' => {
                let c = match chars.get(i + 1)? {
                    'w' | 'd' => '0',
                    's' => ' ',
                    other if !other.is_ascii_alphanumeric() => *other,
                    _ => return None,
                };
                (c.to_string(), i + 2)
            }
            '.' => ("a".to_owned(), i + 1),
            '*' | '+' | '?' | '{' => return None,
            c => (c.to_string(), i + 1),
        };
        let (count, after) = quantifier(chars, next)?;
        current.push_str(&atom.repeat(count));
        i = after;
    }
    Some((first.unwrap_or(current), i))
}

/// The least repetition count a quantifier at `i` allows (1 when there is none).
fn quantifier(chars: &[char], i: usize) -> Option<(usize, usize)> {
    match chars.get(i) {
        Some('*') | Some('?') => Some((0, i + 1)),
        Some('+') => Some((1, i + 1)),
        Some('{') => {
            let close = i + chars[i..].iter().position(|&c| c == '}')?;
            let body: String = chars[i + 1..close].iter().collect();
            let min = body.split(',').next()?.trim().parse().ok()?;
            Some((min, close + 1))
        }
        _ => Some((1, i)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_from_real_specs() {
        let table = [
            (r"^user_\w{27}$", Some("user_000000000000000000000000000")),
            (
                r"^(user|org|mch)_\w{27}$",
                Some("user_000000000000000000000000000"),
            ),
            (
                r"^(ak|api_key)_[0-9A-Fa-f]{32}$",
                Some("ak_00000000000000000000000000000000"),
            ),
            (r"^oauth_[a-z]+$", Some("oauth_a")),
            (
                r"^from_oauth_(?:(?:token_)|(?:custom_))?[a-z]+$",
                Some("from_oauth_a"),
            ),
            (r"^\+?[1-9]\d{1,14}$", Some("10")),
            (r"^a.b$", Some("aab")),
            (r"^[^a]$", None),
            (r"^(?=x)$", None),
            (r"(unclosed", None),
        ];
        for (pattern, want) in table {
            assert_eq!(pattern_sample(pattern).as_deref(), want, "{pattern}");
        }
    }

    #[test]
    fn samples_honour_format_and_length() {
        assert_eq!(
            string_sample(Some("date-time"), None, None, None),
            "2024-01-01T00:00:00Z"
        );
        assert_eq!(string_sample(None, None, Some(10), None), "examplexxx");
        assert_eq!(string_sample(None, None, None, Some(3)), "exa");
        assert_eq!(
            string_sample(Some("email"), Some(r"^org_\w{3}$"), None, None),
            "org_000"
        );
    }
}
