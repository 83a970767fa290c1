//! One API call described as data: what generated methods build and `Client::send` sends.

use super::error::Error;
use super::multipart::Multipart;
use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::Method;
use std::borrow::Cow;

/// Everything but RFC 3986's unreserved characters is encoded in a path parameter, so
/// a value containing `/`, `?`, `#` or `%` stays inside its own segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A value that can be written into a path, query string, header or form field.
pub trait ParamValue {
    fn to_param(&self) -> Cow<'_, str>;
}

impl ParamValue for str {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for String {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn to_param(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}
display_param!(bool, i32, i64, u32, u64, f32, f64);

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param(&self) -> Cow<'_, str> {
        (**self).to_param()
    }
}

/// How an array query parameter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayStyle {
    /// `name=a&name=b` (`style: form`, `explode: true`).
    Repeat,
    /// `name=a<sep>b` (`form` unexploded: `,`; `spaceDelimited`: ` `; `pipeDelimited`: `|`).
    Joined(char),
}

/// How an object query parameter is written (OpenAPI `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectStyle {
    /// One key per property: `a=1&b=2` (`style: form`, `explode: true`).
    Explode,
    /// `name=a<sep>1<sep>b<sep>2` (`form` unexploded: `,`; `spaceDelimited`: ` `;
    /// `pipeDelimited`: `|`).
    Joined(char),
    /// `name[a]=1&name[b]=2`; nested objects nest the brackets (`name[a][c]=3`) and
    /// arrays repeat the key (`style: deepObject`).
    DeepObject,
}

#[derive(Debug, Clone)]
pub(crate) enum Body {
    Empty,
    Bytes {
        content_type: &'static str,
        bytes: Bytes,
    },
    Multipart(Multipart),
}

/// A request under construction. Generated code fills it; [`crate::Client`] sends it.
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) operation_id: &'static str,
    pub(crate) method: Method,
    /// The spec's path template (a caller's own for [`crate::Client::raw`]).
    pub(crate) path_template: Cow<'static, str>,
    pub(crate) path: String,
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Body,
}

impl Request {
    pub fn new(operation_id: &'static str, method: Method, path_template: &'static str) -> Self {
        Self::with_template(operation_id, method, Cow::Borrowed(path_template))
    }

    pub(crate) fn with_template(
        operation_id: &'static str,
        method: Method,
        path_template: Cow<'static, str>,
    ) -> Self {
        Request {
            operation_id,
            method,
            path: String::with_capacity(path_template.len() + 16),
            path_template,
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
        }
    }

    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The path built so far (percent-encoded).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query pairs so far, unencoded.
    pub fn query_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query.iter().map(|(k, v)| (k.as_ref(), v.as_str()))
    }

    /// Appends a literal piece of the path template.
    pub fn push_path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends one path parameter, percent-encoded. Values that would change which
    /// resource the path names (empty, `.` or `..`) are refused.
    pub fn path_param<V: ParamValue + ?Sized>(
        &mut self,
        name: &'static str,
        value: &V,
    ) -> Result<(), Error> {
        self.push_path_value(name, &value.to_param())
    }

    pub(crate) fn push_path_value(&mut self, name: &str, value: &str) -> Result<(), Error> {
        if value.is_empty() || value == "." || value == ".." {
            return Err(Error::invalid_request(
                self.operation_id,
                format!("path parameter `{name}` must not be empty, `.` or `..` (got {value:?})"),
            ));
        }
        self.path.extend(utf8_percent_encode(value, PATH_SEGMENT));
        Ok(())
    }

    /// An array path parameter, comma-joined (`style: simple`).
    pub fn path_param_array<V: ParamValue>(
        &mut self,
        name: &'static str,
        values: &[V],
    ) -> Result<(), Error> {
        let joined = join(values, ',');
        self.push_path_value(name, &joined)
    }

    pub fn query<V: ParamValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        self.query
            .push((name.into(), value.to_param().into_owned()));
    }

    /// An array query parameter; an empty array is not sent.
    pub fn query_array<V: ParamValue>(
        &mut self,
        name: &'static str,
        values: &[V],
        style: ArrayStyle,
    ) {
        if values.is_empty() {
            return;
        }
        match style {
            ArrayStyle::Repeat => self.query.extend(
                values
                    .iter()
                    .map(|v| (name.into(), v.to_param().into_owned())),
            ),
            ArrayStyle::Joined(sep) => self.query.push((name.into(), join(values, sep))),
        }
    }

    /// An object query parameter. Absent and `null` properties are not sent; property
    /// values that are arrays repeat their key, other nested values are sent as JSON
    /// text (except under [`ObjectStyle::DeepObject`], which nests brackets).
    pub fn query_object<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: ObjectStyle,
    ) -> Result<(), Error> {
        let value = serde_json::to_value(value).map_err(|e| {
            Error::invalid_request(
                self.operation_id,
                format!("query parameter `{name}` does not serialize: {e}"),
            )
        })?;
        let serde_json::Value::Object(fields) = value else {
            return Err(Error::invalid_request(
                self.operation_id,
                format!("query parameter `{name}` is not an object"),
            ));
        };
        self.push_object(name, fields, style);
        Ok(())
    }

    /// The non-generic part of [`Request::query_object`].
    fn push_object(
        &mut self,
        name: &'static str,
        fields: serde_json::Map<String, serde_json::Value>,
        style: ObjectStyle,
    ) {
        match style {
            ObjectStyle::Explode => {
                for (key, value) in fields {
                    for text in scalar_texts(value) {
                        self.query_owned(key.clone(), text);
                    }
                }
            }
            ObjectStyle::Joined(sep) => {
                let mut joined = String::new();
                for (key, value) in fields {
                    for text in scalar_texts(value) {
                        if !joined.is_empty() {
                            joined.push(sep);
                        }
                        joined.push_str(&key);
                        joined.push(sep);
                        joined.push_str(&text);
                    }
                }
                if !joined.is_empty() {
                    self.query.push((name.into(), joined));
                }
            }
            ObjectStyle::DeepObject => {
                for (key, value) in fields {
                    self.push_deep(format!("{name}[{key}]"), value);
                }
            }
        }
    }

    fn push_deep(&mut self, key: String, value: serde_json::Value) {
        match value {
            serde_json::Value::Object(fields) => {
                for (inner, value) in fields {
                    self.push_deep(format!("{key}[{inner}]"), value);
                }
            }
            other => {
                for text in scalar_texts(other) {
                    self.query_owned(key.clone(), text);
                }
            }
        }
    }

    /// A query pair whose name is not a literal (object parameters', the escape hatch's).
    pub(crate) fn query_owned(&mut self, key: String, value: String) {
        self.query.push((key.into(), value));
    }

    /// Whether a header of this name (any case) was set, e.g. an `Accept` parameter.
    pub(crate) fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }

    pub fn header<V: ParamValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        self.headers.push((name, value.to_param().into_owned()));
    }

    pub fn header_array<V: ParamValue>(&mut self, name: &'static str, values: &[V]) {
        if !values.is_empty() {
            self.headers.push((name, join(values, ',')));
        }
    }

    /// A JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let encoded = serde_json::to_vec(body);
        self.set_json(encoded)
    }

    /// The non-generic half of [`Request::json`].
    fn set_json(&mut self, encoded: serde_json::Result<Vec<u8>>) -> Result<(), Error> {
        let bytes = encoded.map_err(|e| {
            Error::invalid_request(self.operation_id, format!("body does not serialize: {e}"))
        })?;
        self.body = Body::Bytes {
            content_type: "application/json",
            bytes: bytes.into(),
        };
        Ok(())
    }

    /// An `application/x-www-form-urlencoded` body: arrays as repeated keys
    /// (`scopes=a&scopes=b`), nested objects as JSON text, `null` and absent fields left out.
    pub fn form<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let invalid = |e: String| {
            Error::invalid_request(
                self.operation_id,
                format!("form body does not serialize: {e}"),
            )
        };
        // Through JSON text and back into a list, so fields keep their declared order.
        let json = serde_json::to_vec(body).map_err(|e| invalid(e.to_string()))?;
        let OrderedFields(fields) =
            serde_json::from_slice(&json).map_err(|_| invalid("expected an object".to_owned()))?;
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (name, value) in fields {
            let values = match value {
                serde_json::Value::Array(items) => items,
                single => vec![single],
            };
            for value in values {
                let text = match value {
                    serde_json::Value::Null => continue,
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                pairs.push((name.clone(), text));
            }
        }
        let text = serde_urlencoded::to_string(&pairs).map_err(|e| invalid(e.to_string()))?;
        self.body = Body::Bytes {
            content_type: "application/x-www-form-urlencoded",
            bytes: text.into(),
        };
        Ok(())
    }

    /// A multipart body; a part that could not be built fails the call here.
    pub fn multipart(&mut self, form: Multipart) -> Result<(), Error> {
        if let Some(problem) = form.problem() {
            return Err(Error::invalid_request(
                self.operation_id,
                format!("multipart body: {problem}"),
            ));
        }
        self.body = Body::Multipart(form);
        Ok(())
    }

    /// A raw `application/octet-stream` body.
    pub fn bytes(&mut self, bytes: Bytes) {
        self.body = Body::Bytes {
            content_type: "application/octet-stream",
            bytes,
        };
    }
}

/// A JSON object's fields in document order (`serde_json::Map` may sort them).
struct OrderedFields(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for OrderedFields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;
        impl<'de> serde::de::Visitor<'de> for FieldsVisitor {
            type Value = OrderedFields;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<OrderedFields, A::Error> {
                let mut fields = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    fields.push(entry);
                }
                Ok(OrderedFields(fields))
            }
        }
        deserializer.deserialize_map(FieldsVisitor)
    }
}

/// The texts a JSON value is sent as in a query: nothing for `null`, one text per item
/// for an array, a string as itself, anything else as JSON.
fn scalar_texts(value: serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::Null => Vec::new(),
        serde_json::Value::Array(items) => items.into_iter().flat_map(scalar_texts).collect(),
        serde_json::Value::String(s) => vec![s],
        other => vec![other.to_string()],
    }
}

fn join<V: ParamValue>(values: &[V], sep: char) -> String {
    let mut out = String::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(sep);
        }
        out.push_str(&v.to_param());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Request {
        Request::new("Op", Method::GET, "/x/{id}")
    }

    #[test]
    fn path_params_cannot_escape_their_segment() {
        let table = [
            ("org_123", "/x/org_123"),
            ("a/b", "/x/a%2Fb"),
            ("a?b=c", "/x/a%3Fb%3Dc"),
            ("a#frag", "/x/a%23frag"),
            ("../admin", "/x/..%2Fadmin"),
            ("a b%", "/x/a%20b%25"),
            ("ünï", "/x/%C3%BCn%C3%AF"),
        ];
        for (value, want) in table {
            let mut r = request();
            r.push_path("/x/");
            r.path_param("id", value).expect("valid value");
            assert_eq!(r.path(), want, "value {value:?}");
        }
    }

    #[test]
    fn path_params_that_name_another_resource_are_refused() {
        for value in ["", ".", ".."] {
            let mut r = request();
            let err = r.path_param("id", value).expect_err("must refuse");
            assert!(err.to_string().contains("path parameter `id`"), "{err}");
        }
    }

    #[test]
    fn query_arrays_follow_their_style() {
        let mut r = request();
        r.query_array("user_id", &["a", "b"], ArrayStyle::Repeat);
        r.query_array("mode", &["x", "y"], ArrayStyle::Joined(','));
        r.query_array("empty", &[] as &[&str], ArrayStyle::Repeat);
        r.query("limit", &10i64);
        let pairs: Vec<(&str, &str)> = r.query_pairs().collect();
        assert_eq!(
            pairs,
            [
                ("user_id", "a"),
                ("user_id", "b"),
                ("mode", "x,y"),
                ("limit", "10")
            ]
        );
    }

    #[test]
    fn object_query_params_follow_their_style() {
        // Keys in sorted order, so the result is the same whether or not serde_json
        // keeps insertion order.
        let filter = serde_json::json!({
            "ids": ["a", "b"],
            "range": {"from": 1, "to": 2},
            "role": "admin",
            "skip": null,
        });
        let pairs = |style| {
            let mut r = request();
            r.query_object("filter", &filter, style).expect("an object");
            r.query_pairs()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            pairs(ObjectStyle::Explode),
            [
                "ids=a",
                "ids=b",
                "range={\"from\":1,\"to\":2}",
                "role=admin"
            ]
        );
        assert_eq!(
            pairs(ObjectStyle::Joined(',')),
            ["filter=ids,a,ids,b,range,{\"from\":1,\"to\":2},role,admin"]
        );
        assert_eq!(
            pairs(ObjectStyle::DeepObject),
            [
                "filter[ids]=a",
                "filter[ids]=b",
                "filter[range][from]=1",
                "filter[range][to]=2",
                "filter[role]=admin"
            ]
        );
        let mut r = request();
        let err = r
            .query_object("filter", &[1, 2], ObjectStyle::Explode)
            .expect_err("not an object");
        assert!(
            err.to_string().contains("`filter` is not an object"),
            "{err}"
        );
    }
}
