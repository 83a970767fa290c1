//! The client: configuration, authentication, and the one `send` every operation uses.

use super::error::{ApiError, Error};
use super::request::{Body, Request};
use super::response::Response;
use super::retry::{parse_retry_after, RetryPolicy};
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER, USER_AGENT,
};
use reqwest::Url;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tracing::Instrument;

/// The `User-Agent` every request carries.
pub const DEFAULT_USER_AGENT: &str = concat!("clerk-api-rust/", env!("CARGO_PKG_VERSION"));

/// The whole-request timeout unless configured otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// A Clerk Backend API client. Cheap to clone: clones share one connection pool.
///
/// Every operation of the API is an async method on this type, e.g.
/// [`Client::list_organizations`](crate::Client::list_organizations).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    options: RequestOptions,
}

struct Inner {
    /// `None` only when no client could be built (then `config_error` says why).
    http: Option<reqwest::Client>,
    base_url: String,
    /// The `Authorization` header, marked sensitive so no log prints it.
    auth: HeaderValue,
    /// Why this client cannot send, if a setting was unusable.
    config_error: Option<String>,
    api_version: HeaderValue,
    user_agent: HeaderValue,
    retry: RetryPolicy,
    timeout: Duration,
    observer: Option<ResponseObserver>,
    /// The JWKS of this secret key and base URL, for `auth` verifiers (one per client).
    #[cfg(feature = "auth")]
    jwks_cache: crate::auth::JwksCache,
}

/// Called with every HTTP answer the client receives (each attempt), for metrics or
/// tests that need what typed results do not carry.
pub type ResponseObserver = Arc<dyn Fn(&ResponseMeta<'_>) + Send + Sync>;

/// What an observer sees of one answer.
#[derive(Debug)]
pub struct ResponseMeta<'a> {
    pub operation_id: &'static str,
    pub method: &'a reqwest::Method,
    pub status: reqwest::StatusCode,
    pub headers: &'a reqwest::header::HeaderMap,
    pub attempt: u32,
}

/// Overrides for the calls made through one [`Client::with_options`] handle.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl RequestOptions {
    pub fn new() -> Self {
        Self::default()
    }

    /// An extra header on every request; it replaces a default header of the same name
    /// (for example a `Prefer` header for a mock server, or another `Authorization`).
    /// A name or value that is not a valid header is ignored.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let (Ok(name), Ok(mut value)) =
            (HeaderName::try_from(name), HeaderValue::try_from(value))
        {
            if name == AUTHORIZATION {
                value.set_sensitive(true);
            }
            self.headers.push((name, value));
        }
        self
    }

    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Timeout of each attempt, from sending the request to the end of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub fn retry_policy(&self) -> Option<&RetryPolicy> {
        self.retry.as_ref()
    }

    pub fn timeout_override(&self) -> Option<Duration> {
        self.timeout
    }
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    secret_key: String,
    base_url: String,
    api_version: String,
    user_agent: String,
    http: Option<reqwest::Client>,
    root_certificates: Vec<Vec<u8>>,
    retry: RetryPolicy,
    timeout: Duration,
    observer: Option<ResponseObserver>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("secret_key", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("api_version", &self.api_version)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("secret_key", &"<redacted>")
            .field("base_url", &self.inner.base_url)
            .field("api_version", &self.inner.api_version)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .field("options", &self.options)
            .finish()
    }
}

impl ClientBuilder {
    fn new(secret_key: String) -> Self {
        ClientBuilder {
            secret_key,
            base_url: crate::DEFAULT_BASE_URL.to_owned(),
            api_version: crate::API_VERSION.to_owned(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            http: None,
            root_certificates: Vec::new(),
            retry: RetryPolicy::default(),
            timeout: DEFAULT_TIMEOUT,
            observer: None,
        }
    }

    /// Where requests go, e.g. a proxy or a test server (default: the spec's server).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The `Clerk-API-Version` header (default: the version the crate was generated from).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = version.into();
        self
    }

    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Also trusts this root certificate (DER), for example a company proxy's CA; the
    /// Mozilla root store is always trusted. Ignored with [`ClientBuilder::http_client`].
    pub fn add_root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(der.into());
        self
    }

    /// Sends through this `reqwest::Client` (its proxy, TLS and pool settings).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Timeout of each attempt (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Calls `observer` with every HTTP answer (status and headers of each attempt).
    pub fn on_response(
        mut self,
        observer: impl Fn(&ResponseMeta<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let inner = self.into_inner();
        if let Some(problem) = &inner.config_error {
            return Err(Error::Config(problem.clone()));
        }
        Ok(Client {
            inner: Arc::new(inner),
            options: RequestOptions::default(),
        })
    }

    /// Never fails: a setting that cannot be used is recorded in `config_error`, which
    /// `build` reports at once and `send` reports on every call.
    fn into_inner(self) -> Inner {
        let mut problems = Vec::new();
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        if !Url::parse(&base_url).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
            problems.push(format!("base URL {base_url:?} is not an http(s) URL"));
        }
        let mut header = |what: &str, value: &str, fallback: &'static str| {
            HeaderValue::from_str(value).unwrap_or_else(|_| {
                problems.push(format!("{what} contains characters a header cannot carry"));
                HeaderValue::from_static(fallback)
            })
        };
        let api_version = header("the API version", &self.api_version, crate::API_VERSION);
        let user_agent = header("the user agent", &self.user_agent, DEFAULT_USER_AGENT);
        let mut auth = header(
            "the secret key",
            &format!("Bearer {}", self.secret_key.trim()),
            "Bearer",
        );
        auth.set_sensitive(true);
        if self.secret_key.trim().is_empty() {
            problems.push("the secret key is empty".to_owned());
        }
        let http = match self.http {
            Some(http) => Some(http),
            None => {
                let (client, root_problems) = super::tls::http_client(&self.root_certificates);
                problems.extend(root_problems);
                client.map_err(|e| problems.push(e)).ok()
            }
        };
        Inner {
            http,
            base_url,
            auth,
            config_error: (!problems.is_empty()).then(|| problems.join("; ")),
            api_version,
            user_agent,
            retry: self.retry,
            timeout: self.timeout,
            observer: self.observer,
            #[cfg(feature = "auth")]
            jwks_cache: Default::default(),
        }
    }
}

/// What one attempt ended with.
enum Attempt {
    Done(Response),
    Status(Box<ApiError>),
    Transport(reqwest::Error),
}

impl Client {
    /// A client for the default server with this secret key (`sk_live_...`/`sk_test_...`).
    ///
    /// A key that cannot be sent (empty, or with control characters) makes every call
    /// fail with [`Error::Config`]; use [`Client::builder`] to check it up front.
    pub fn new(secret_key: impl Into<String>) -> Client {
        let inner = ClientBuilder::new(secret_key.into()).into_inner();
        Client {
            inner: Arc::new(inner),
            options: RequestOptions::default(),
        }
    }

    /// A builder starting from the defaults.
    pub fn builder(secret_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(secret_key.into())
    }

    /// A client from the environment: `CLERK_SECRET_KEY` (required) and `CLERK_API_URL`
    /// (optional, default: the spec's server).
    pub fn from_env() -> Result<Client, Error> {
        let key = std::env::var("CLERK_SECRET_KEY")
            .ok()
            .filter(|k| !k.trim().is_empty())
            .ok_or_else(|| Error::Config("CLERK_SECRET_KEY is not set".to_owned()))?;
        let mut builder = Client::builder(key);
        if let Some(url) = std::env::var("CLERK_API_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
        {
            builder = builder.base_url(url);
        }
        builder.build()
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    #[cfg(feature = "auth")]
    pub(crate) fn jwks_cache(&self) -> &crate::auth::JwksCache {
        &self.inner.jwks_cache
    }

    /// A handle whose calls use these overrides (retries, timeout) on top of this
    /// handle's own; it shares this client's connections.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            options: RequestOptions {
                retry: options.retry.or_else(|| self.options.retry.clone()),
                timeout: options.timeout.or(self.options.timeout),
                headers: self
                    .options
                    .headers
                    .iter()
                    .cloned()
                    .chain(options.headers)
                    .collect(),
            },
        }
    }

    /// The retry policy calls through this handle use.
    pub fn retry_policy(&self) -> &RetryPolicy {
        self.options.retry.as_ref().unwrap_or(&self.inner.retry)
    }

    /// The per-attempt timeout calls through this handle use.
    pub fn timeout(&self) -> Duration {
        self.options.timeout.unwrap_or(self.inner.timeout)
    }

    fn url(&self, request: &Request) -> Result<Url, Error> {
        let mut url =
            Url::parse(&format!("{}{}", self.inner.base_url, request.path)).map_err(|e| {
                Error::invalid_request(
                    request.operation_id,
                    format!("request URL does not parse: {e}"),
                )
            })?;
        if !request.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(request.query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        Ok(url)
    }

    /// Sends a request built by a generated method, retrying as the policy allows.
    #[doc(hidden)]
    pub async fn send(&self, request: Request) -> Result<Response, Error> {
        let span = tracing::info_span!(
            "clerk_api.request",
            operation_id = request.operation_id,
            method = %request.method,
            path = request.path_template,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        self.send_with_retries(request).instrument(span).await
    }

    async fn send_with_retries(&self, request: Request) -> Result<Response, Error> {
        let (Some(http), None) = (&self.inner.http, &self.inner.config_error) else {
            let problem = self.inner.config_error.clone().unwrap_or_default();
            return Err(Error::Config(problem));
        };
        let auth = &self.inner.auth;
        let url = self.url(&request)?;
        let policy = self.retry_policy();
        let timeout = self.timeout();
        let started = Instant::now();
        let span = tracing::Span::current();
        let mut attempt = 0;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let outcome = self
                .attempt(http, &request, &url, auth, timeout, attempt)
                .await;
            let wait = match &outcome {
                Attempt::Done(response) => {
                    span.record("status", response.status.as_u16());
                    span.record("duration_ms", started.elapsed().as_millis() as u64);
                    tracing::debug!("succeeded");
                    return match outcome {
                        Attempt::Done(response) => Ok(response),
                        _ => unreachable!("matched Done above"),
                    };
                }
                Attempt::Status(error) => {
                    span.record("status", error.status.as_u16());
                    policy
                        .retries_status(&request.method, error.status)
                        .then(|| error.retry_after.unwrap_or_else(|| policy.backoff(attempt)))
                }
                Attempt::Transport(error) if error.is_builder() => None,
                Attempt::Transport(error) => {
                    // A connection that never opened carried no request: safe to repeat.
                    (error.is_connect() || policy.is_idempotent(&request.method))
                        .then(|| policy.backoff(attempt))
                }
            };
            // `checked_add`: a server may send an absurd `Retry-After`.
            let within_budget = wait
                .and_then(|w| started.elapsed().checked_add(w))
                .is_some_and(|end| end <= policy.max_elapsed);
            if attempt >= policy.max_attempts || !within_budget {
                span.record("duration_ms", started.elapsed().as_millis() as u64);
                return Err(match outcome {
                    Attempt::Status(error) => {
                        tracing::debug!(status = error.status.as_u16(), "failed");
                        Error::Api(error)
                    }
                    Attempt::Transport(error) if error.is_builder() => {
                        Error::invalid_request(request.operation_id, error.to_string())
                    }
                    Attempt::Transport(error) => {
                        tracing::debug!(error = %error, "failed");
                        Error::transport(request.operation_id, error)
                    }
                    Attempt::Done(_) => unreachable!("returned above"),
                });
            }
            let wait = wait.unwrap_or_default();
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt(
        &self,
        http: &reqwest::Client,
        request: &Request,
        url: &Url,
        auth: &HeaderValue,
        timeout: Duration,
        attempt: u32,
    ) -> Attempt {
        let mut builder = http
            .request(request.method.clone(), url.clone())
            .header(AUTHORIZATION, auth.clone())
            .header("Clerk-API-Version", self.inner.api_version.clone())
            .header(USER_AGENT, self.inner.user_agent.clone())
            .timeout(timeout);
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if !self.options.headers.is_empty() {
            // `headers` replaces same-named defaults rather than adding to them.
            let extra: HeaderMap = self.options.headers.iter().cloned().collect();
            builder = builder.headers(extra);
        }
        builder = match &request.body {
            Body::Empty => builder,
            Body::Bytes {
                content_type,
                bytes,
            } => builder
                .header(CONTENT_TYPE, *content_type)
                .body(bytes.clone()),
            Body::Multipart(form) => match form.to_form() {
                Ok(form) => builder.multipart(form),
                Err(e) => return Attempt::Transport(e),
            },
        };
        let response = match builder.send().await {
            Ok(response) => response,
            Err(e) => return Attempt::Transport(e),
        };
        let status = response.status();
        let headers = response.headers().clone();
        if let Some(observe) = &self.inner.observer {
            observe(&ResponseMeta {
                operation_id: request.operation_id,
                method: &request.method,
                status,
                headers: &headers,
                attempt,
            });
        }
        // The whole body is read here, so a connection dropped mid-body is a transport
        // failure of this attempt (and retried like one), not a decode error later.
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(e) => return Attempt::Transport(e),
        };
        if status.is_success() {
            return Attempt::Done(Response {
                operation_id: request.operation_id,
                status,
                headers,
                body,
            });
        }
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        Attempt::Status(Box::new(ApiError::new(
            request.operation_id,
            status,
            headers,
            body,
            retry_after,
        )))
    }
}
