//! One request as the fake's handlers read it: its path parameters, its query and its
//! JSON body, each read with the Clerk failure its misuse earns.

use super::error::{Failure, Outcome};
use super::list::Page;
use super::time::parse_rfc3339;
use crate::testing::RecordedRequest;
use serde_json::{Map, Value};

/// A request routed to a handler.
pub(crate) struct Call<'a> {
    request: &'a RecordedRequest,
    params: Vec<String>,
    body: Map<String, Value>,
}

impl<'a> Call<'a> {
    /// 400 `request_body_invalid` when the body is neither empty nor a JSON object.
    pub fn new(request: &'a RecordedRequest, params: Vec<String>) -> Outcome<Self> {
        let body = if request.body.iter().all(u8::is_ascii_whitespace) {
            Map::new()
        } else {
            match serde_json::from_slice(&request.body) {
                Ok(Value::Object(fields)) => fields,
                _ => return Err(Failure::body_invalid()),
            }
        };
        Ok(Call {
            request,
            params,
            body,
        })
    }

    /// The `index`th `{placeholder}` of the route's path, decoded.
    pub fn param(&self, index: usize) -> &str {
        &self.params[index]
    }

    pub fn body(&self) -> Body<'_> {
        Body::new(&self.body)
    }

    /// Every value of a query parameter (`name=a&name=b`, or `name[]=a`).
    pub fn query_all(&self, name: &str) -> Vec<&'a str> {
        let bracketed = format!("{name}[]");
        self.request
            .query
            .iter()
            .filter(|(n, _)| *n == name || *n == bracketed)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn query(&self, name: &str) -> Option<&'a str> {
        self.query_all(name).into_iter().next()
    }

    pub fn query_bool(&self, name: &str) -> Outcome<Option<bool>> {
        match self.query(name) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(Failure::query_invalid(name, other)),
        }
    }

    pub fn query_int(&self, name: &str) -> Outcome<Option<i64>> {
        self.query(name)
            .map(|v| v.parse().map_err(|_| Failure::query_invalid(name, v)))
            .transpose()
    }

    /// `limit` (1 to 500, default 10) and `offset` (default 0).
    pub fn page(&self) -> Outcome<Page> {
        let limit = self.query_int("limit")?.unwrap_or(10);
        if !(1..=500).contains(&limit) {
            return Err(Failure::invalid_value(
                "limit",
                format!("limit has to be between 1 and 500, not {limit}."),
            ));
        }
        let offset = self.query_int("offset")?.unwrap_or(0);
        if offset < 0 {
            return Err(Failure::invalid_value(
                "offset",
                format!("offset cannot be negative ({offset})."),
            ));
        }
        Ok(Page {
            limit: limit as usize,
            offset: offset as usize,
        })
    }
}

/// A JSON object body (of a request, or of a seed).
#[derive(Clone, Copy)]
pub(crate) struct Body<'a> {
    fields: &'a Map<String, Value>,
}

impl<'a> Body<'a> {
    pub fn new(fields: &'a Map<String, Value>) -> Self {
        Body { fields }
    }

    pub fn fields(&self) -> &'a Map<String, Value> {
        self.fields
    }

    /// Present, even as `null`.
    pub fn has(&self, name: &str) -> bool {
        self.fields.contains_key(name)
    }

    fn value(&self, name: &str) -> Option<&'a Value> {
        self.fields.get(name).filter(|v| !v.is_null())
    }

    pub fn string(&self, name: &str) -> Outcome<Option<String>> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Failure::wrong_type(name, "a string")),
        }
    }

    /// 422 `form_param_missing` when absent, `null` or blank.
    pub fn required_string(&self, name: &str) -> Outcome<String> {
        match self.string(name)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(Failure::missing(name)),
        }
    }

    /// For updates: `None` when absent, `Some(None)` when `null` (a removal).
    pub fn nullable_string(&self, name: &str) -> Outcome<Option<Option<String>>> {
        if self.has(name) {
            self.string(name).map(Some)
        } else {
            Ok(None)
        }
    }

    pub fn bool(&self, name: &str) -> Outcome<Option<bool>> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(Failure::wrong_type(name, "a boolean")),
        }
    }

    pub fn integer(&self, name: &str) -> Outcome<Option<i64>> {
        match self.value(name) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| Failure::wrong_type(name, "an integer")),
        }
    }

    pub fn object(&self, name: &str) -> Outcome<Option<Map<String, Value>>> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::Object(fields)) => Ok(Some(fields.clone())),
            Some(_) => Err(Failure::wrong_type(name, "an object")),
        }
    }

    pub fn strings(&self, name: &str) -> Outcome<Vec<String>> {
        match self.value(name) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| {
                    item.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| Failure::wrong_type(name, "an array of strings"))
                })
                .collect(),
            Some(_) => Err(Failure::wrong_type(name, "an array of strings")),
        }
    }

    /// An RFC 3339 time as Unix milliseconds; a seed may give the milliseconds as they are.
    pub fn time(&self, name: &str) -> Outcome<Option<i64>> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::String(s)) => parse_rfc3339(name, s).map(Some),
            Some(Value::Number(n)) if n.is_i64() => Ok(n.as_i64()),
            Some(_) => Err(Failure::wrong_type(name, "an RFC 3339 time")),
        }
    }
}
