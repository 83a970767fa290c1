//! The JSON path (`data[3].created_at`) at the position where serde_json stopped, found
//! by scanning the body once. Only failed decodes pay for it, and it is not generic:
//! decoding itself stays plain `serde_json` for every response type.

enum Segment {
    /// Inside an object; the key of the value being read, once seen.
    Key(Option<String>),
    /// Inside an array, at this element.
    Index(usize),
}

/// The path of the value at 1-based `line` and `column` of `body`. An error that is
/// about a whole object (`missing field`) is reported at its closing brace, after its
/// last key: `whole_object` drops that key.
pub(crate) fn path_at(body: &[u8], line: usize, column: usize, whole_object: bool) -> String {
    let offset = byte_offset(body, line, column);
    let mut stack: Vec<Segment> = Vec::new();
    let mut i = 0;
    while i < offset.min(body.len()) {
        match body[i] {
            b'{' => stack.push(Segment::Key(None)),
            b'[' => stack.push(Segment::Index(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Segment::Index(n)) => *n += 1,
                Some(Segment::Key(key)) => *key = None,
                None => {}
            },
            b'"' => {
                let (text, end) = read_string(body, i);
                i = end;
                // A string right after `{` or `,` in an object, followed by `:`, is a key.
                if let Some(Segment::Key(key @ None)) = stack.last_mut() {
                    let next = body[end.min(body.len())..]
                        .iter()
                        .find(|b| !b.is_ascii_whitespace());
                    if next == Some(&b':') {
                        *key = Some(text);
                    }
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if whole_object {
        if let Some(Segment::Key(key)) = stack.last_mut() {
            *key = None;
        }
    }
    let mut path = String::new();
    for segment in &stack {
        match segment {
            Segment::Key(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Segment::Key(None) => {}
            Segment::Index(n) => path.push_str(&format!("[{n}]")),
        }
    }
    if path.is_empty() {
        ".".to_owned()
    } else {
        path
    }
}

/// The byte offset of a 1-based line and column (serde_json counts columns in bytes).
fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match body[offset..].iter().position(|&b| b == b'\n') {
            Some(p) => offset += p + 1,
            None => return body.len(),
        }
    }
    offset + column.saturating_sub(1)
}

/// The string starting at the quote at `start`, and the index just after its closing
/// quote.
fn read_string(body: &[u8], start: usize) -> (String, usize) {
    let mut i = start + 1;
    while i < body.len() {
        match body[i] {
            b'\\' => i += 2,
            b'"' => break,
            _ => i += 1,
        }
    }
    let end = i.min(body.len());
    let raw = &body[start + 1..end];
    let text = serde_json::from_slice::<String>(&body[start..(end + 1).min(body.len())])
        .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned());
    (text, end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Page {
        data: Vec<Item>,
        total_count: i64,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        created_at: i64,
        #[serde(default)]
        tags: Vec<String>,
        owner: Option<Owner>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Owner {
        id: String,
    }

    /// The path this module finds for serde_json's error on `json`.
    fn path_of(json: &str) -> String {
        let err = serde_json::from_str::<Page>(json).expect_err("must fail");
        let whole = err.to_string().starts_with("missing field");
        path_at(json.as_bytes(), err.line(), err.column(), whole)
    }

    #[test]
    fn paths_name_the_failing_value() {
        let table = [
            (
                r#"{"data":[{"id":"a","created_at":"soon"}],"total_count":1}"#,
                "data[0].created_at",
            ),
            (
                r#"{"data":[{"id":"a","created_at":1},{"id":"b","created_at":true}],"total_count":2}"#,
                "data[1].created_at",
            ),
            (
                r#"{"data":[{"id":"a","created_at":1,"tags":["x",7]}],"total_count":1}"#,
                "data[0].tags[1]",
            ),
            (
                r#"{"data":[{"id":"a","created_at":1,"owner":{}}],"total_count":1}"#,
                "data[0].owner",
            ),
            (
                r#"{"data":[{"id":"a","created_at":1,"owner":{"id":"o"}},{"created_at":2}],"total_count":2}"#,
                "data[1]",
            ),
            (
                "{\n  \"data\": [],\n  \"total_count\": \"many\"\n}",
                "total_count",
            ),
            (
                r#"{"data":[{"id":"a\"b","created_at":1,"tags":[]},{"id":"c","created_at":"x"}],"total_count":1}"#,
                "data[1].created_at",
            ),
            (r#"{"data":[]}"#, "."),
        ];
        for (json, want) in table {
            assert_eq!(path_of(json), want, "{json}");
        }
    }
}
