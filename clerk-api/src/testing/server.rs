//! The loopback HTTP/1.1 server behind [`MockServer`] and
//! [`FakeClerk`](super::FakeClerk): rules first, then the server's [`Backend`].

use super::recorded::RecordedRequest;
use super::response::MockResponse;
use super::rule::{Answer, MockBuilder, Rule};
use crate::runtime::OPERATION_ID_HEADER;
use crate::{Client, ClientBuilder, RetryPolicy};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use reqwest::Method;
use std::convert::Infallible;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

/// The secret key of [`MockServer::client`]: the server accepts any key, and tests can
/// assert that this one was sent.
pub const TEST_SECRET_KEY: &str = "sk_test_mock";

/// The error code of the `404` answer to a request no mock matches.
pub const NO_MOCK_ERROR_CODE: &str = "mock_not_found";

/// A mock Clerk Backend API on 127.0.0.1: see the [module docs](super).
///
/// It runs on the tokio runtime that started it and stops when dropped. Rules are tried
/// in the order they were added; the first that matches (and is not used up by
/// [`MockBuilder::times`]) answers.
pub struct MockServer {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

struct State {
    rules: Mutex<Vec<Arc<Rule>>>,
    requests: Mutex<Vec<RecordedRequest>>,
    backend: Arc<dyn Backend>,
    /// Stripped from request paths before they are recorded and matched (`/v1` for the
    /// fake, whose URL ends in it as Clerk's does); optional in requests.
    path_prefix: &'static str,
}

/// What answers the requests no rule answered.
pub(crate) trait Backend: Send + Sync + 'static {
    /// The operation a request is for, when its client did not name it.
    fn operation_of(&self, _method: &Method, _path: &str) -> Option<&'static str> {
        None
    }

    fn answer(&self, request: &RecordedRequest) -> MockResponse;
}

/// [`MockServer`]'s backend: every request without a rule is a loud `404`.
struct NoMock;

impl Backend for NoMock {
    fn answer(&self, request: &RecordedRequest) -> MockResponse {
        no_mock(request)
    }
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.url())
            .field("rules", &lock(&self.state.rules).len())
            .field("requests", &lock(&self.state.requests).len())
            .finish()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panicking test closure must not hide every later request.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl MockServer {
    /// Starts a server on a free port of 127.0.0.1.
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound, or outside a tokio runtime.
    pub async fn start() -> MockServer {
        Self::start_with(0, Arc::new(NoMock), "")
            .await
            .expect("the mock server binds a port on 127.0.0.1")
    }

    /// A server on `port` of 127.0.0.1 (0: any free one) whose unmatched requests go to
    /// `backend`.
    pub(crate) async fn start_with(
        port: u16,
        backend: Arc<dyn Backend>,
        path_prefix: &'static str,
    ) -> std::io::Result<MockServer> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            rules: Mutex::default(),
            requests: Mutex::default(),
            backend,
            path_prefix,
        });
        let task = tokio::spawn(serve(listener, state.clone()));
        Ok(MockServer { addr, state, task })
    }

    /// The server's base URL (`http://127.0.0.1:PORT`), to which the spec's paths are
    /// appended as they are (no `/v1`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A [`Client`] for this server, with [`TEST_SECRET_KEY`] and retry backoff cut to
    /// milliseconds (a `Retry-After` in an answer is still honoured).
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("the mock client's settings are valid")
    }

    /// The builder behind [`MockServer::client`], to change other settings (a rate
    /// limit, timeouts, another retry policy) before building.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder(TEST_SECRET_KEY)
            .base_url(self.url())
            .retry(
                RetryPolicy::default()
                    .initial_backoff(Duration::from_millis(5))
                    .max_backoff(Duration::from_millis(50)),
            )
            .send_operation_id()
    }

    /// A rule for `method` requests to `path`, where a `{name}` segment matches any
    /// one segment: `server.on(Method::GET, "/users/{user_id}")`.
    pub fn on(&self, method: Method, path: &str) -> MockBuilder<'_> {
        MockBuilder::new(self, Some(method), Some(path), None)
    }

    /// A rule for every call of one operation, by its operationId (`"GetUser"`, as in
    /// the method's docs). Only clients from [`MockServer::client`] or
    /// [`MockServer::client_builder`] name their operation to the server.
    pub fn on_operation(&self, operation_id: &str) -> MockBuilder<'_> {
        MockBuilder::new(self, None, None, Some(operation_id))
    }

    /// A rule for every request (narrow it with [`MockBuilder::matching`]).
    pub fn on_any(&self) -> MockBuilder<'_> {
        MockBuilder::new(self, None, None, None)
    }

    /// Every request received so far, matched or not, in order of arrival.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.requests).clone()
    }

    /// Forgets every rule and recorded request.
    pub fn reset(&self) {
        lock(&self.state.rules).clear();
        lock(&self.state.requests).clear();
    }

    pub(crate) fn add_rule(&self, rule: Arc<Rule>) {
        lock(&self.state.rules).push(rule);
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        // Aborting the accept loop drops its `JoinSet`, which aborts every connection.
        self.task.abort();
    }
}

async fn serve(listener: TcpListener, state: Arc<State>) {
    let mut connections = JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        while connections.try_join_next().is_some() {}
        let state = state.clone();
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let state = state.clone();
                async move { Ok::<_, Infallible>(handle(&state, request).await) }
            });
            // A client that goes away mid-request is not the test's failure.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(state: &State, request: hyper::Request<Incoming>) -> hyper::Response<Full<Bytes>> {
    let received_at = Instant::now();
    let (parts, body) = request.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let mut headers = parts.headers;
    let path = strip_prefix(parts.uri.path(), state.path_prefix).to_owned();
    let operation_id = headers
        .remove(OPERATION_ID_HEADER)
        .and_then(|v| v.to_str().ok().map(str::to_owned))
        .or_else(|| {
            state
                .backend
                .operation_of(&parts.method, &path)
                .map(str::to_owned)
        });
    let query = parts
        .uri
        .query()
        .map(|q| {
            reqwest::Url::parse(&format!("http://mock/?{q}"))
                .map(|url| url.query_pairs().into_owned().collect())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let recorded = RecordedRequest {
        method: parts.method,
        path,
        query,
        headers,
        body,
        operation_id,
        received_at,
    };
    lock(&state.requests).push(recorded.clone());
    let rules: Vec<Arc<Rule>> = lock(&state.rules).clone();
    let response = match rules.iter().find_map(|rule| rule.try_answer(&recorded)) {
        Some(Answer::Respond(response)) => response,
        Some(Answer::PassAfter(delay)) => {
            tokio::time::sleep(delay).await;
            state.backend.answer(&recorded)
        }
        None => state.backend.answer(&recorded),
    };
    if !response.delay.is_zero() {
        tokio::time::sleep(response.delay).await;
    }
    let mut answer = hyper::Response::new(Full::new(response.body));
    *answer.status_mut() = response.status;
    for (name, value) in response.headers {
        answer.headers_mut().append(name, value);
    }
    answer
}

/// `path` without `prefix` when it starts with that segment (`/v1/users` -> `/users`).
fn strip_prefix<'a>(path: &'a str, prefix: &str) -> &'a str {
    match path.strip_prefix(prefix) {
        Some(rest) if !prefix.is_empty() && (rest.is_empty() || rest.starts_with('/')) => {
            if rest.is_empty() {
                "/"
            } else {
                rest
            }
        }
        _ => path,
    }
}

fn no_mock(request: &RecordedRequest) -> MockResponse {
    let operation = request
        .operation_id
        .as_deref()
        .map(|id| format!(" (operation {id})"))
        .unwrap_or_default();
    MockResponse::clerk_error(
        404,
        NO_MOCK_ERROR_CODE,
        &format!(
            "the mock server has no rule for {} {}{operation}",
            request.method, request.path
        ),
    )
}
