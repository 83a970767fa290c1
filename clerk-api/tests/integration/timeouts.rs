//! The three time limits (connect timeout, per-attempt timeout, call deadline) and which
//! one `Error::timeout_kind` reports, against servers on 127.0.0.1.

use crate::common;

use clerk_api::{Client, Error, RateLimit, RequestOptions, RetryPolicy, TimeoutKind};
use common::*;
use serde_json::json;
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};
use wiremock::ResponseTemplate;

async fn list(client: &Client) -> Result<clerk_api::models::Organizations, Error> {
    client.list_organizations().await
}

fn empty_page() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"data": [], "total_count": 0}))
}

/// A loopback listener that never accepts, with its accept queue filled: the kernel
/// drops further SYNs, so a new connection neither opens nor fails, it hangs. Returns
/// the address and the connections that fill the queue (kept open).
fn listener_with_full_backlog() -> (SocketAddr, std::net::TcpListener, Vec<TcpStream>) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap().into_std().unwrap();
    let addr = listener.local_addr().unwrap();
    let mut filling = Vec::new();
    for _ in 0..64 {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            Ok(stream) => filling.push(stream),
            Err(_) => return (addr, listener, filling),
        }
    }
    panic!("the accept queue of a backlog-0 listener never filled");
}

#[tokio::test]
async fn connect_timeout_fires_against_a_listener_that_never_accepts() {
    let (addr, _listener, _filling) = listener_with_full_backlog();
    let client = Client::builder(SECRET)
        .base_url(format!("http://{addr}"))
        .retry(RetryPolicy::disabled())
        .connect_timeout(Duration::from_millis(300))
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let started = Instant::now();

    let err = list(&client).await.expect_err("cannot connect");

    let elapsed = started.elapsed();
    assert_eq!(err.timeout_kind(), Some(TimeoutKind::Connect), "{err:?}");
    assert!(err.is_timeout() && err.is_transport(), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("ListOrganizations: connect timed out"),
        "{err}"
    );
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(
        elapsed < Duration::from_secs(5),
        "not the 20 s attempt timeout: {elapsed:?}"
    );
}

#[tokio::test]
async fn a_connect_timeout_is_retried_even_for_post() {
    // No connection opened, so nothing was sent: safe to repeat for any method.
    let (addr, _listener, _filling) = listener_with_full_backlog();
    let client = Client::builder(SECRET)
        .base_url(format!("http://{addr}"))
        .retry(fast_retry().max_attempts(2))
        .connect_timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let started = Instant::now();

    let body = clerk_api::models::CreateOrganizationRequest::new("Acme".to_owned());
    let err = client
        .create_organization(&body)
        .await
        .expect_err("cannot connect");

    assert_eq!(err.timeout_kind(), Some(TimeoutKind::Connect), "{err:?}");
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "two attempts of 100 ms"
    );
}

#[tokio::test]
async fn a_slow_answer_is_an_attempt_timeout() {
    let (server, client) = server_and_client_with_retry(RetryPolicy::disabled()).await;
    respond_to_any(&server, empty_page().set_delay(Duration::from_secs(5))).await;

    let err = list(&client.with_options(RequestOptions::new().timeout(Duration::from_millis(150))))
        .await
        .expect_err("times out");

    assert_eq!(err.timeout_kind(), Some(TimeoutKind::Attempt), "{err:?}");
    assert!(err.to_string().contains("attempt timed out"), "{err}");
}

#[tokio::test]
async fn the_deadline_cuts_a_retry_loop_short() {
    // Without a deadline this policy would make 10 attempts over several seconds.
    let policy = RetryPolicy::default()
        .max_attempts(10)
        .initial_backoff(Duration::from_millis(100))
        .max_elapsed(Duration::from_secs(60));
    let server = wiremock::MockServer::start().await;
    respond_to_any(&server, ResponseTemplate::new(503)).await;
    let client = builder_for(&server)
        .retry(policy)
        .deadline(Duration::from_millis(400))
        .build()
        .unwrap();
    let started = Instant::now();

    let err = list(&client).await.expect_err("never succeeds");

    let elapsed = started.elapsed();
    assert_eq!(err.timeout_kind(), Some(TimeoutKind::Deadline), "{err:?}");
    // The wait that would have run past the deadline was not started.
    assert!(elapsed < Duration::from_millis(400), "{elapsed:?}");
    let attempts = received(&server).await.len();
    assert!((2..10).contains(&attempts), "{attempts} attempts");
    let Error::Transport(transport) = &err else {
        panic!("{err:?}")
    };
    let last = transport.last_error().expect("the last attempt's error");
    assert_eq!(last.status().map(|s| s.as_u16()), Some(503));
    assert!(
        err.to_string().starts_with(
            "ListOrganizations: deadline exceeded (last attempt: ListOrganizations: HTTP 503"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn the_deadline_ends_an_attempt_in_flight() {
    let server = wiremock::MockServer::start().await;
    respond_to_any(&server, empty_page().set_delay(Duration::from_secs(5))).await;
    let client = builder_for(&server)
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    // Per call: the handle's deadline, on a client without one.
    assert_eq!(client.deadline(), None);
    let hurried = client.with_options(RequestOptions::new().deadline(Duration::from_millis(250)));
    assert_eq!(hurried.deadline(), Some(Duration::from_millis(250)));
    let started = Instant::now();

    let err = list(&hurried).await.expect_err("runs out of time");

    let elapsed = started.elapsed();
    assert_eq!(err.timeout_kind(), Some(TimeoutKind::Deadline), "{err:?}");
    assert!(elapsed >= Duration::from_millis(250), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    assert_eq!(
        received(&server).await.len(),
        1,
        "no retry after the deadline"
    );
}

#[tokio::test]
async fn a_call_that_would_wait_past_its_deadline_for_the_rate_limiter_fails_at_once() {
    let server = wiremock::MockServer::start().await;
    respond_to_any(&server, empty_page()).await;
    let client = builder_for(&server)
        .rate_limit(RateLimit::new(1, Duration::from_secs(30)))
        .build()
        .unwrap();
    list(&client).await.expect("the first call has the slot");
    let started = Instant::now();

    let err =
        list(&client.with_options(RequestOptions::new().deadline(Duration::from_millis(500))))
            .await
            .expect_err("the next slot is 30 s away");

    assert_eq!(err.timeout_kind(), Some(TimeoutKind::Deadline), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "did not wait"
    );
    assert_eq!(received(&server).await.len(), 1, "nothing was sent");
}

#[tokio::test]
async fn other_errors_are_no_timeout() {
    let (server, client) = server_and_client_with_retry(RetryPolicy::disabled()).await;
    respond_to_any(&server, ResponseTemplate::new(404)).await;

    let err = list(&client).await.expect_err("404");

    assert_eq!(err.timeout_kind(), None);
    assert!(!err.is_timeout());
}

#[test]
fn defaults_are_documented_values() {
    let client = Client::new("sk_test_x");
    assert_eq!(client.connect_timeout(), clerk_api::DEFAULT_CONNECT_TIMEOUT);
    assert_eq!(clerk_api::DEFAULT_CONNECT_TIMEOUT, Duration::from_secs(10));
    assert_eq!(client.timeout(), clerk_api::DEFAULT_TIMEOUT);
    assert_eq!(clerk_api::DEFAULT_TIMEOUT, Duration::from_secs(60));
    assert_eq!(client.deadline(), None);
    assert_eq!(client.rate_limit(), None);
}
