//! The client: configuration, authentication, and the one `send` every operation uses.

use super::error::{ApiError, Error};
use super::rate_limit::{RateLimit, RateLimiter};
use super::request::{Body, Request};
use super::response::Response;
use super::retry::{parse_retry_after, RetryPolicy};
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER,
    USER_AGENT,
};
use reqwest::Url;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tracing::Instrument;

/// The `User-Agent` every request carries.
pub const DEFAULT_USER_AGENT: &str = concat!("clerk-api-rust/", env!("CARGO_PKG_VERSION"));

/// The per-attempt timeout unless configured otherwise: from sending a request to the
/// end of its answer's body, connecting included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The connect timeout unless configured otherwise: opening the TCP connection and the
/// TLS handshake.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The header a [`crate::testing::MockServer`] client names each call's operation in, so
/// canned answers can be keyed by operation id. Never sent by other clients.
#[cfg(feature = "test-util")]
pub(crate) const OPERATION_ID_HEADER: &str = "x-clerk-api-operation-id";

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
    connect_timeout: Duration,
    deadline: Option<Duration>,
    /// Shared by every clone and `with_options` handle of this client.
    limiter: Option<RateLimiter>,
    observer: Option<ResponseObserver>,
    #[cfg(feature = "test-util")]
    send_operation_id: bool,
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
    deadline: Option<Duration>,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// Settings that could not be used: every call through these options fails with
    /// [`Error::InvalidRequest`] naming them, rather than going out without them.
    problems: Vec<String>,
}

impl RequestOptions {
    pub fn new() -> Self {
        Self::default()
    }

    /// An extra header on every request; it replaces a default header of the same name
    /// (for example a `Prefer` header for a mock server, or another `Authorization`).
    /// A name or value that is not a valid header makes every call through these
    /// options fail with [`Error::InvalidRequest`]; it is never silently dropped.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            (Ok(name), Ok(mut value)) => {
                if name == AUTHORIZATION {
                    value.set_sensitive(true);
                }
                self.headers.push((name, value));
            }
            (Err(_), _) => self
                .problems
                .push(format!("{name:?} is not a valid header name")),
            // The value is not shown: it may be a credential.
            (Ok(_), Err(_)) => self.problems.push(format!(
                "the value of header `{name}` contains characters a header cannot carry"
            )),
        }
        self
    }

    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Timeout of each attempt, from sending the request to the end of the body.
    ///
    /// The connect timeout has no per-call setting (reqwest opens connections for the
    /// whole pool): it is the client's [`ClientBuilder::connect_timeout`]. A call can
    /// still bound its connecting with this timeout or [`RequestOptions::deadline`],
    /// both of which cover connecting; [`Error::timeout_kind`] then reports
    /// [`Attempt`](crate::TimeoutKind::Attempt) or
    /// [`Deadline`](crate::TimeoutKind::Deadline).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The most a call may take in all: every attempt, the backoff between them and
    /// any wait for the rate limiter. See [`ClientBuilder::deadline`].
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    pub fn retry_policy(&self) -> Option<&RetryPolicy> {
        self.retry.as_ref()
    }

    pub fn timeout_override(&self) -> Option<Duration> {
        self.timeout
    }

    pub fn deadline_override(&self) -> Option<Duration> {
        self.deadline
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
    connect_timeout: Duration,
    deadline: Option<Duration>,
    rate_limit: Option<RateLimit>,
    compression: bool,
    observer: Option<ResponseObserver>,
    #[cfg(feature = "test-util")]
    send_operation_id: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("secret_key", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("api_version", &self.api_version)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("deadline", &self.deadline)
            .field("rate_limit", &self.rate_limit)
            .field("compression", &self.compression)
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
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("deadline", &self.inner.deadline)
            .field(
                "rate_limit",
                &self.inner.limiter.as_ref().map(|l| l.limit()),
            )
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
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            deadline: None,
            rate_limit: None,
            compression: true,
            observer: None,
            #[cfg(feature = "test-util")]
            send_operation_id: false,
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

    /// Timeout of each attempt (default [`DEFAULT_TIMEOUT`], 60 s): from sending the
    /// request to the end of the answer's body, connecting included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long opening a connection (TCP and TLS) may take (default
    /// [`DEFAULT_CONNECT_TIMEOUT`], 10 s), reported as
    /// [`TimeoutKind::Connect`](crate::TimeoutKind::Connect). A connection that never
    /// opened carried no request, so it is retried for every method.
    ///
    /// This is a property of the connection pool, so it is set here only, not per call;
    /// it does not apply with [`ClientBuilder::http_client`] (configure that client's
    /// `connect_timeout` instead).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The most one call may take in all, every attempt, the backoff between them and
    /// any rate-limit wait included (default: none; a call is then bounded by the retry
    /// policy: `max_attempts` attempts of at most [`ClientBuilder::timeout`] each, and no
    /// retry starting after `max_elapsed`). When it runs out, the call ends with
    /// [`TimeoutKind::Deadline`](crate::TimeoutKind::Deadline); a wait that could not
    /// finish in time is not started. For a stream, it applies to each page.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Keeps every handle of this client within `limit` (default: no limit), and pauses
    /// them all when an answer is `429`; see [`RateLimit`].
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Whether to ask for compressed answers (`Accept-Encoding: gzip, br`) and decode
    /// them (default: yes). Does not apply with [`ClientBuilder::http_client`], whose
    /// own settings decide.
    pub fn compression(mut self, enabled: bool) -> Self {
        self.compression = enabled;
        self
    }

    /// Names each call's operation in a header only [`crate::testing::MockServer`]
    /// reads.
    #[cfg(feature = "test-util")]
    pub(crate) fn send_operation_id(mut self) -> Self {
        self.send_operation_id = true;
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
                let mut builder = reqwest::Client::builder().connect_timeout(self.connect_timeout);
                if !self.compression {
                    builder = builder.no_gzip().no_brotli();
                }
                let (client, root_problems) =
                    super::tls::http_client(builder, &self.root_certificates);
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
            connect_timeout: self.connect_timeout,
            deadline: self.deadline,
            limiter: self.rate_limit.map(RateLimiter::new),
            observer: self.observer,
            #[cfg(feature = "test-util")]
            send_operation_id: self.send_operation_id,
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

impl Attempt {
    /// The error a failed attempt is reported as.
    fn into_error(self, operation_id: &'static str, deadline_bound: bool) -> Error {
        match self {
            Attempt::Status(error) => Error::Api(error),
            Attempt::Transport(error) if error.is_builder() => {
                Error::invalid_request(operation_id, error.to_string())
            }
            Attempt::Transport(error) => Error::transport(operation_id, error, deadline_bound),
            Attempt::Done(_) => unreachable!("a success is no error"),
        }
    }
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
                deadline: options.deadline.or(self.options.deadline),
                headers: self
                    .options
                    .headers
                    .iter()
                    .cloned()
                    .chain(options.headers)
                    .collect(),
                problems: self
                    .options
                    .problems
                    .iter()
                    .cloned()
                    .chain(options.problems)
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

    /// The deadline of each call through this handle, if it has one.
    pub fn deadline(&self) -> Option<Duration> {
        self.options.deadline.or(self.inner.deadline)
    }

    /// The client's connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.inner.connect_timeout
    }

    /// The client's rate limit, if it has one.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.inner.limiter.as_ref().map(|l| l.limit())
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
            url.query_pairs_mut().extend_pairs(request.query_pairs());
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
            path = request.path_template.as_ref(),
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
        if !self.options.problems.is_empty() {
            let problems = self.options.problems.join("; ");
            return Err(Error::invalid_request(
                request.operation_id,
                format!("request options: {problems}"),
            ));
        }
        let auth = &self.inner.auth;
        let url = self.url(&request)?;
        let policy = self.retry_policy();
        let timeout = self.timeout();
        let started = Instant::now();
        let deadline = self.deadline().map(|d| started.checked_add(d));
        // A deadline too far away to represent is no deadline.
        let deadline = deadline.flatten();
        let span = tracing::Span::current();
        let finish = |result: Result<Response, Error>| {
            span.record("duration_ms", started.elapsed().as_millis() as u64);
            match &result {
                Ok(_) => tracing::debug!("succeeded"),
                Err(error) => tracing::debug!(error = %error, "failed"),
            }
            result
        };
        let mut attempt = 0;
        // How the previous attempt failed, for a deadline that ends the call before the
        // next one.
        let mut last_error = None;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            if let Some(limiter) = &self.inner.limiter {
                let until = deadline.map(tokio::time::Instant::from_std);
                if limiter.acquire(until).await.is_err() {
                    return finish(Err(Error::deadline(request.operation_id, last_error)));
                }
            }
            // The attempt may use what is left of the deadline, if that is shorter.
            let (attempt_timeout, deadline_bound) = match deadline {
                Some(at) => {
                    let left = at.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return finish(Err(Error::deadline(request.operation_id, last_error)));
                    }
                    (left.min(timeout), left < timeout)
                }
                None => (timeout, false),
            };
            let outcome = self
                .attempt(http, &request, &url, auth, attempt_timeout, attempt)
                .await;
            let wait = match &outcome {
                Attempt::Done(response) => {
                    span.record("status", response.status.as_u16());
                    return finish(match outcome {
                        Attempt::Done(response) => Ok(response),
                        _ => unreachable!("matched Done above"),
                    });
                }
                Attempt::Status(error) => {
                    span.record("status", error.status.as_u16());
                    let wait = error.retry_after.unwrap_or_else(|| policy.backoff(attempt));
                    if error.status == reqwest::StatusCode::TOO_MANY_REQUESTS {
                        if let Some(limiter) = &self.inner.limiter {
                            // The budget is the server's, not this call's: everyone waits.
                            limiter.pause(wait);
                        }
                    }
                    policy
                        .retries_status(&request.method, error.status)
                        .then_some(wait)
                }
                Attempt::Transport(error) if error.is_builder() => None,
                // The deadline is spent: nothing is left to retry in.
                Attempt::Transport(error)
                    if deadline_bound && error.is_timeout() && !error.is_connect() =>
                {
                    None
                }
                Attempt::Transport(error) => {
                    // A connection that never opened carried no request: safe to repeat.
                    (error.is_connect() || policy.is_idempotent(&request.method))
                        .then(|| policy.backoff(attempt))
                }
            };
            let error = outcome.into_error(request.operation_id, deadline_bound);
            // `checked_add`: a server may send an absurd `Retry-After`.
            let within_budget = wait
                .and_then(|w| started.elapsed().checked_add(w))
                .is_some_and(|end| end <= policy.max_elapsed);
            let Some(wait) = wait.filter(|_| attempt < policy.max_attempts && within_budget) else {
                return finish(Err(error));
            };
            // A wait that would end past the deadline is not started.
            if deadline
                .is_some_and(|at| Instant::now().checked_add(wait).is_none_or(|end| end >= at))
            {
                return finish(Err(Error::deadline(request.operation_id, Some(error))));
            }
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, error = %error, "retrying");
            last_error = Some(error);
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
        // Every operation of Clerk's API answers JSON (errors too); a request that names
        // its own `Accept` (a header parameter, or a per-call header) keeps it.
        if !request.has_header("accept") {
            builder = builder.header(ACCEPT, HeaderValue::from_static("application/json"));
        }
        #[cfg(feature = "test-util")]
        if self.inner.send_operation_id {
            builder = builder.header(OPERATION_ID_HEADER, request.operation_id);
        }
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
