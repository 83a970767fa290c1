//! The escape hatch: a call to an endpoint the spec does not describe (yet), sent
//! through the same `Client::send` as every generated operation.

use super::client::{Client, RequestOptions};
use super::error::Error;
use super::request::Request;
use super::response::Response;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Method;
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::fmt;

/// The operation id raw calls report in errors and traces unless given another.
pub const RAW_OPERATION_ID: &str = "raw";

/// A call built by hand: see [`Client::raw`].
///
/// It goes through everything a generated method does: the `Authorization`,
/// `Clerk-API-Version`, `User-Agent` and `Accept` headers, per-call options, the rate
/// limiter, retries, timeouts and deadline, the `clerk_api.request` tracing span, and
/// [`Error`] (a non-2xx answer is [`Error::Api`] with Clerk's error body parsed).
#[must_use = "a raw request does nothing until it is sent"]
pub struct RawRequest {
    client: Client,
    request: Request,
    path_params: Vec<(String, String)>,
    /// The first problem met while building; reported by `send`.
    error: Option<Error>,
}

impl fmt::Debug for RawRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawRequest")
            .field("operation_id", &self.request.operation_id)
            .field("method", &self.request.method)
            .field("path", &self.request.path_template)
            .field("query", &self.request.query)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A call to `method path` built by hand, for an endpoint this crate has no method
    /// for. `path` is relative to the base URL (like the spec's paths: `/users/{user_id}`,
    /// not `/v1/users/...`); each `{name}` in it is filled by [`RawRequest::path_param`],
    /// percent-encoded exactly as generated methods encode path parameters.
    ///
    /// ```no_run
    /// # async fn run(client: clerk_api::Client) -> Result<(), clerk_api::Error> {
    /// use clerk_api::reqwest::Method;
    /// use serde_json::{json, Value};
    ///
    /// // Any JSON out:
    /// let page: Value = client
    ///     .raw(Method::GET, "/organizations/{organization_id}/invitations")
    ///     .path_param("organization_id", "org_123")
    ///     .query("limit", 10)
    ///     .send()
    ///     .await?;
    ///
    /// // Or a type of your own:
    /// #[derive(serde::Deserialize)]
    /// struct Created { id: String }
    /// let created: Created = client
    ///     .raw(Method::POST, "/some_new_resources")
    ///     .json(&json!({ "name": "Acme" }))?
    ///     .send()
    ///     .await?;
    /// # let _ = (page, created.id);
    /// # Ok(())
    /// # }
    /// ```
    pub fn raw(&self, method: Method, path: &str) -> RawRequest {
        RawRequest {
            client: self.clone(),
            request: Request::with_template(RAW_OPERATION_ID, method, Cow::Owned(path.to_owned())),
            path_params: Vec::new(),
            error: None,
        }
    }
}

impl RawRequest {
    /// The name errors, traces and observers give this call (default
    /// [`RAW_OPERATION_ID`]), e.g. the operationId a future spec will use.
    pub fn operation_id(mut self, operation_id: &'static str) -> Self {
        self.request.operation_id = operation_id;
        self
    }

    /// Fills `{name}` in the path with `value`, percent-encoded; empty, `.` and `..` are
    /// refused, as for generated calls.
    pub fn path_param(mut self, name: &str, value: impl fmt::Display) -> Self {
        self.path_params.push((name.to_owned(), value.to_string()));
        self
    }

    /// Appends a query pair (encoded when sent); repeat a name for an array.
    pub fn query(mut self, name: &str, value: impl fmt::Display) -> Self {
        self.request.query_owned(name.to_owned(), value.to_string());
        self
    }

    /// An extra header; it replaces a default header of the same name.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let valid = HeaderName::try_from(name).is_ok() && HeaderValue::try_from(value).is_ok();
        if valid {
            self.client = self
                .client
                .with_options(RequestOptions::new().header(name, value));
        } else {
            self.fail(format!("header `{name}` is not a valid HTTP header"));
        }
        self
    }

    /// Per-call overrides (retries, timeout, deadline, headers), layered on the
    /// client's as by [`Client::with_options`].
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.client = self.client.with_options(options);
        self
    }

    /// A JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(mut self, body: &T) -> Result<Self, Error> {
        self.request.json(body)?;
        Ok(self)
    }

    /// Sends the call and decodes a success body as `T` (`serde_json::Value` for any
    /// JSON; a mismatch is [`Error::Decode`] with the JSON path of the failing field).
    pub async fn send<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.send_response().await?.json()
    }

    /// Sends the call; the success answer's status, headers and body as they came.
    pub async fn send_response(self) -> Result<Response, Error> {
        let RawRequest {
            client,
            mut request,
            path_params,
            error,
        } = self;
        if let Some(error) = error {
            return Err(error);
        }
        fill_path(&mut request, &path_params)?;
        client.send(request).await
    }

    fn fail(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(Error::invalid_request(self.request.operation_id, message));
        }
    }
}

/// Writes the path template into `request`, each `{name}` replaced by its parameter.
fn fill_path(request: &mut Request, params: &[(String, String)]) -> Result<(), Error> {
    let operation_id = request.operation_id;
    let invalid = |message: String| Error::invalid_request(operation_id, message);
    let template = request.path_template.clone();
    if !template.starts_with('/') {
        return Err(invalid(format!("path {template:?} must start with `/`")));
    }
    if template.contains(['?', '#']) {
        return Err(invalid(format!(
            "path {template:?} must not hold a query or fragment: use `.query(..)`"
        )));
    }
    let mut used = vec![false; params.len()];
    let mut rest: &str = &template;
    while !rest.is_empty() {
        let literal_end = rest.find(['{', '}']).unwrap_or(rest.len());
        request.push_path(&rest[..literal_end]);
        rest = &rest[literal_end..];
        if rest.is_empty() {
            break;
        }
        let close = match (rest.starts_with('{'), rest.find('}')) {
            (true, Some(close)) => close,
            _ => return Err(invalid(format!("path {template:?} has an unmatched brace"))),
        };
        let name = &rest[1..close];
        let Some(index) = params.iter().position(|(n, _)| n == name) else {
            return Err(invalid(format!(
                "path parameter `{name}` has no value: call `.path_param({name:?}, ..)`"
            )));
        };
        used[index] = true;
        request.push_path_value(name, &params[index].1)?;
        rest = &rest[close + 1..];
    }
    if let Some(unused) = used.iter().position(|u| !u) {
        return Err(invalid(format!(
            "path parameter `{}` is not in the path {template:?}",
            params[unused].0
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(template: &str, params: &[(&str, &str)]) -> Result<String, String> {
        let mut request =
            Request::with_template("raw", Method::GET, Cow::Owned(template.to_owned()));
        let params: Vec<(String, String)> = params
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        fill_path(&mut request, &params)
            .map(|()| request.path().to_owned())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn placeholders_are_filled_and_encoded_like_generated_path_params() {
        assert_eq!(
            filled(
                "/users/{user_id}/x/{n}",
                &[("n", "a/b?c"), ("user_id", "user_1")]
            )
            .unwrap(),
            "/users/user_1/x/a%2Fb%3Fc"
        );
        assert_eq!(filled("/plain/path", &[]).unwrap(), "/plain/path");
        // The same encoding as `Request::path_param`.
        let mut generated = Request::new("Op", Method::GET, "/x/{id}");
        generated.push_path("/x/");
        generated.path_param("id", "ünï #%").unwrap();
        assert_eq!(
            filled("/x/{id}", &[("id", "ünï #%")]).unwrap(),
            generated.path()
        );
    }

    #[test]
    fn bad_templates_and_parameters_are_refused() {
        type Params = &'static [(&'static str, &'static str)];
        let cases: [(&str, Params, &str); 7] = [
            ("users", &[], "must start with `/`"),
            ("/users?limit=1", &[], "use `.query(..)`"),
            ("/users/{user_id", &[("user_id", "u")], "unmatched brace"),
            ("/users/user_id}", &[], "unmatched brace"),
            ("/users/{user_id}", &[], "`user_id` has no value"),
            (
                "/users",
                &[("user_id", "u")],
                "`user_id` is not in the path",
            ),
            (
                "/users/{user_id}",
                &[("user_id", "..")],
                "must not be empty, `.` or `..`",
            ),
        ];
        for (template, params, want) in cases {
            let err = filled(template, params).expect_err(template);
            assert!(err.contains(want), "{template}: {err}");
            assert!(err.starts_with("raw: invalid request"), "{err}");
        }
    }
}
