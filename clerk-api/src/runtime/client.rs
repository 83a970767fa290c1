//! The client: configuration, authentication, and the one `send` every operation uses.

use super::deadline::{AttemptTimeout, CallClock};
use super::error::{ApiError, Error};
use super::rate_limit::{RateLimit, RateLimiter, Sent};
use super::request::{Body, Request};
use super::response::Response;
use super::retry::{parse_retry_after, RetryPolicy};
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER,
    USER_AGENT,
};
use reqwest::{StatusCode, Url};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tracing::{Instrument, Span};

/// The `User-Agent` every request carries.
pub const DEFAULT_USER_AGENT: &str = concat!("clerk-api-rust/", env!("CARGO_PKG_VERSION"));

/// The per-attempt timeout unless configured otherwise: from sending a request to the
/// end of its answer's body, connecting included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The connect timeout unless configured otherwise: opening the TCP connection and the
/// TLS handshake.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The API version header every request carries, parsed once.
static CLERK_API_VERSION: HeaderName = HeaderName::from_static("clerk-api-version");

/// The `Accept` every request carries unless it names its own: every operation of
/// Clerk's API answers JSON, errors too.
static JSON: HeaderValue = HeaderValue::from_static("application/json");

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
    /// finish in time is not started. For a stream, it applies to each fetch of a page.
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
        let clock = CallClock::start(self.deadline());
        let result = self
            .send_with_retries(&request, &clock, &span)
            .instrument(span.clone())
            .await;
        if !span.is_disabled() {
            span.record("duration_ms", clock.elapsed().as_millis() as u64);
            let _entered = span.enter();
            match &result {
                Ok(_) => tracing::debug!("succeeded"),
                Err(error) => tracing::debug!(error = %error, "failed"),
            }
        }
        result
    }

    /// The HTTP client to send with, unless a setting of this client or handle is
    /// unusable.
    fn ready(&self, operation_id: &'static str) -> Result<&reqwest::Client, Error> {
        let (Some(http), None) = (&self.inner.http, &self.inner.config_error) else {
            let problem = self.inner.config_error.clone().unwrap_or_default();
            return Err(Error::Config(problem));
        };
        if !self.options.problems.is_empty() {
            let problems = self.options.problems.join("; ");
            return Err(Error::invalid_request(
                operation_id,
                format!("request options: {problems}"),
            ));
        }
        Ok(http)
    }

    /// Attempts until one succeeds, or the retry policy or the deadline says stop.
    /// Whether a failure is retried, and after how long, is
    /// [`RetryPolicy::next_wait`]'s decision alone.
    async fn send_with_retries(
        &self,
        request: &Request,
        clock: &CallClock,
        span: &Span,
    ) -> Result<Response, Error> {
        let operation_id = request.operation_id;
        let http = self.ready(operation_id)?;
        let url = self.url(request)?;
        let policy = self.retry_policy();
        let timeout = self.timeout();
        let mut attempt = 0;
        // How the previous attempt failed, for a deadline that ends the call before the
        // next one.
        let mut last_error = None;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let sent = match &self.inner.limiter {
                None => None,
                Some(limiter) => match limiter.try_acquire() {
                    Some(sent) => Some(sent),
                    // The rare, larger future is boxed: calls that never wait for the
                    // limiter do not carry it.
                    None => match Box::pin(limiter.acquire(clock.deadline())).await {
                        Ok(sent) => Some(sent),
                        Err(_) => return Err(Error::deadline(operation_id, last_error)),
                    },
                },
            };
            let Some(limit) = clock.attempt(timeout) else {
                return Err(Error::deadline(operation_id, last_error));
            };
            let error = match self
                .attempt(http, request, &url, limit, attempt, sent)
                .await
            {
                Ok(response) => {
                    span.record("status", response.status.as_u16());
                    return Ok(response);
                }
                Err(error) => error,
            };
            if let Some(status) = error.status() {
                span.record("status", status.as_u16());
            }
            if error.status() == Some(StatusCode::TOO_MANY_REQUESTS) {
                if let Some(limiter) = &self.inner.limiter {
                    // The budget is the server's, not this call's: everyone waits.
                    limiter.pause(policy.wait_after(&error, attempt));
                }
            }
            let Some(wait) = policy.next_wait(&request.method, &error, attempt, clock.elapsed())
            else {
                return Err(error);
            };
            if clock.overruns(wait) {
                return Err(Error::deadline(operation_id, Some(error)));
            }
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, error = %error, "retrying");
            last_error = Some(error);
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt: the request on the wire and the whole answer read into memory (so a
    /// connection dropped mid-body fails this attempt, and is retried like one, rather
    /// than failing a decode later). `sent` is the rate limiter's count of this request,
    /// released once the answer's head is back: the server has counted it by then.
    async fn attempt(
        &self,
        http: &reqwest::Client,
        request: &Request,
        url: &Url,
        limit: AttemptTimeout,
        attempt: u32,
        sent: Option<Sent<'_>>,
    ) -> Result<Response, Error> {
        let operation_id = request.operation_id;
        let failed = |error: reqwest::Error| {
            if error.is_builder() {
                Error::invalid_request(operation_id, error.to_string())
            } else {
                Error::transport(operation_id, error, limit.deadline_bound)
            }
        };
        let builder = self
            .request_builder(http, request, url, limit.timeout)
            .map_err(failed)?;
        let response = builder.send().await;
        drop(sent);
        let mut response = response.map_err(failed)?;
        let status = response.status();
        // Moved, not cloned: the body is read without them.
        let headers = std::mem::take(response.headers_mut());
        if let Some(observe) = &self.inner.observer {
            observe(&ResponseMeta {
                operation_id,
                method: &request.method,
                status,
                headers: &headers,
                attempt,
            });
        }
        let body = response.bytes().await.map_err(failed)?;
        if status.is_success() {
            return Ok(Response {
                operation_id,
                status,
                headers,
                body,
            });
        }
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        Err(Error::Api(Box::new(ApiError::new(
            operation_id,
            status,
            headers,
            body,
            retry_after,
        ))))
    }

    /// The request of one attempt: method, URL, the client's headers, the request's own,
    /// the handle's extra ones, the body.
    fn request_builder(
        &self,
        http: &reqwest::Client,
        request: &Request,
        url: &Url,
        timeout: Duration,
    ) -> Result<reqwest::RequestBuilder, reqwest::Error> {
        let mut builder = http
            .request(request.method.clone(), url.clone())
            .header(AUTHORIZATION, self.inner.auth.clone())
            .header(CLERK_API_VERSION.clone(), self.inner.api_version.clone())
            .header(USER_AGENT, self.inner.user_agent.clone())
            .timeout(timeout);
        // A request that names its own `Accept` (a header parameter, or a per-call
        // header) keeps it.
        if !request.has_header("accept") {
            builder = builder.header(ACCEPT, JSON.clone());
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
        Ok(match &request.body {
            Body::Empty => builder,
            Body::Bytes {
                content_type,
                bytes,
            } => builder
                .header(CONTENT_TYPE, *content_type)
                .body(bytes.clone()),
            Body::Multipart(form) => builder.multipart(form.to_form()?),
        })
    }
}
