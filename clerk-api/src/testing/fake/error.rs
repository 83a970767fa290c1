//! Clerk-shaped failures: `{"errors": [{code, message, long_message, meta}],
//! "clerk_trace_id"}`, with the status and code Clerk's error index gives each case.

use super::ids::trace_id;
use serde_json::{json, Map, Value};

/// One failed request, before it becomes an answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    pub long_message: String,
    pub meta: Map<String, Value>,
}

pub(crate) type Outcome<T> = Result<T, Failure>;

impl Failure {
    pub fn new(status: u16, code: &'static str, message: &str, long_message: String) -> Self {
        Failure {
            status,
            code,
            message: message.to_owned(),
            long_message,
            meta: Map::new(),
        }
    }

    /// Names the request parameter at fault, as Clerk does in `meta.param_name`.
    pub fn param(mut self, name: &str) -> Self {
        self.meta.insert("param_name".into(), name.into());
        self
    }

    /// 404 `resource_not_found`: no `kind` with this id (or slug).
    pub fn not_found(kind: &str, id: &str) -> Self {
        Self::new(
            404,
            "resource_not_found",
            "not found",
            format!("No {kind} was found with id {id}."),
        )
    }

    /// 422 `form_param_missing`: a required parameter is absent or empty.
    pub fn missing(param: &str) -> Self {
        Self::new(
            422,
            "form_param_missing",
            "is missing",
            format!("{param} is required but was not given."),
        )
        .param(param)
    }

    /// 422 `form_param_type_invalid`: a parameter of the wrong JSON type.
    pub fn wrong_type(param: &str, expected: &str) -> Self {
        Self::new(
            422,
            "form_param_type_invalid",
            "is invalid",
            format!("{param} has to be {expected}."),
        )
        .param(param)
    }

    /// 422 `form_param_value_invalid`: a value outside what the parameter allows.
    pub fn invalid_value(param: &str, why: String) -> Self {
        Self::new(422, "form_param_value_invalid", "is invalid", why).param(param)
    }

    /// 422 `form_param_format_invalid`: an email address, slug or domain that is not one.
    pub fn bad_format(param: &str, why: String) -> Self {
        Self::new(422, "form_param_format_invalid", "is invalid", why).param(param)
    }

    /// 422 `form_identifier_exists`: a value that has to be unique is taken.
    pub fn taken(param: &str, value: &str) -> Self {
        Self::new(
            422,
            "form_identifier_exists",
            "is taken",
            format!("{value} is already in use; {param} has to be unique."),
        )
        .param(param)
    }

    /// 400 `request_body_invalid`: a body that is not a JSON object.
    pub fn body_invalid() -> Self {
        Self::new(
            400,
            "request_body_invalid",
            "Request body invalid",
            "The body has to be a JSON object.".to_owned(),
        )
    }

    /// 400 `invalid_query_parameter_value`: a query value of the wrong type.
    pub fn query_invalid(param: &str, value: &str) -> Self {
        Self::new(
            400,
            "invalid_query_parameter_value",
            "is invalid",
            format!("{value} is not a valid value for the query parameter {param}."),
        )
        .param(param)
    }

    pub fn to_json(&self) -> Value {
        json!({
            "errors": [{
                "code": self.code,
                "message": self.message,
                "long_message": self.long_message,
                "meta": self.meta,
            }],
            "clerk_trace_id": trace_id(),
        })
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.long_message)
    }
}
