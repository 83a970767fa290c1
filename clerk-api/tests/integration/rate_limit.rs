//! The client-side rate limiter against servers on 127.0.0.1 that timestamp every
//! request they receive: the budget holds in every window at the server, across clones
//! of one client, at any concurrency, even when new connections delay requests, and a
//! `429` pauses the whole client.

use crate::common;

use clerk_api::{Client, RateLimit};
use common::arrival_server::{busiest_window, ArrivalServer};
use common::*;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Records when each request arrived; answers the `fail_at`-th (0-based) with a 429 and
/// `Retry-After: 1`, every other with an empty page.
#[derive(Clone, Default)]
struct Clock {
    arrivals: Arc<Mutex<Vec<Instant>>>,
    count: Arc<AtomicUsize>,
    fail_at: Option<usize>,
    failed_at: Arc<Mutex<Option<Instant>>>,
}

impl Respond for Clock {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let now = Instant::now();
        self.arrivals.lock().unwrap().push(now);
        let n = self.count.fetch_add(1, Ordering::SeqCst);
        if Some(n) == self.fail_at {
            *self.failed_at.lock().unwrap() = Some(now);
            return ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(clerk_errors_json(
                    "too_many_requests",
                    "slow down",
                    "slow down",
                    "t",
                ));
        }
        ResponseTemplate::new(200).set_body_json(json!({"data": [], "total_count": 0}))
    }
}

impl Clock {
    fn sorted_arrivals(&self) -> Vec<Instant> {
        let mut arrivals = self.arrivals.lock().unwrap().clone();
        arrivals.sort();
        arrivals
    }
}

async fn server_with(clock: &Clock) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(clock.clone())
        .mount(&server)
        .await;
    server
}

/// Runs `calls` list calls spread over `tasks` tasks, each on its own clone of `client`.
async fn burst(client: &Client, tasks: usize, calls: usize) {
    let issued = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let client = client.clone();
            let issued = issued.clone();
            tokio::spawn(async move {
                while issued.fetch_add(1, Ordering::SeqCst) < calls {
                    client
                        .list_organizations()
                        .await
                        .expect("every call succeeds, after a retry if it was refused");
                }
            })
        })
        .collect();
    for handle in handles {
        handle.await.unwrap();
    }
}

/// Requests per consecutive window from the first arrival, for failure messages.
fn per_window(arrivals: &[Instant], window: Duration) -> Vec<usize> {
    let first = arrivals[0];
    let mut counts = Vec::new();
    for t in arrivals {
        let i = ((*t - first).as_nanos() / window.as_nanos()) as usize;
        if counts.len() <= i {
            counts.resize(i + 1, 0);
        }
        counts[i] += 1;
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_window_at_the_server_holds_more_than_the_budget_when_new_connections_are_slow() {
    const BUDGET: usize = 10;
    const WINDOW: Duration = Duration::from_millis(150);
    const CALLS: usize = 45;
    // A new connection's first request arrives 40 ms after it was sent (a handshake); a
    // pooled connection's at once. Counting a request from when it was sent lets the
    // first window's late arrivals share a window with the next one's early ones.
    for tasks in [1, 8, 64] {
        let server = ArrivalServer::start(Duration::from_millis(40)).await;
        let client = Client::builder(SECRET)
            .base_url(server.url())
            .rate_limit(RateLimit::new(BUDGET as u32, WINDOW))
            .build()
            .unwrap();
        let started = Instant::now();

        burst(&client, tasks, CALLS).await;

        let elapsed = started.elapsed();
        let arrivals = server.arrivals();
        assert_eq!(arrivals.len(), CALLS);
        let counts = per_window(&arrivals, WINDOW);
        let busiest = busiest_window(&arrivals, WINDOW);
        // Exact: the server saw each request before the client had its answer.
        assert!(
            busiest <= BUDGET,
            "{tasks} tasks: {busiest} arrivals in one window of {WINDOW:?}; per window: {counts:?}"
        );
        // The budget is used: 45 calls need 4 windows and some round trips, not 12.
        assert!(
            elapsed < WINDOW * 12,
            "{tasks} tasks: {elapsed:?}; per window: {counts:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_1000_calls_from_50_tasks_stays_within_the_budget_at_the_server() {
    const BUDGET: usize = 100;
    const WINDOW: Duration = Duration::from_millis(200);
    let clock = Clock::default();
    let server = server_with(&clock).await;
    let client = builder_for(&server)
        .rate_limit(RateLimit::new(BUDGET as u32, WINDOW))
        .build()
        .unwrap();
    let started = Instant::now();

    burst(&client, 50, 1000).await;

    let elapsed = started.elapsed();
    let arrivals = clock.sorted_arrivals();
    assert_eq!(arrivals.len(), 1000);
    let counts = per_window(&arrivals, WINDOW);
    // Exact, with no allowance for latency: a request counts until its answer is back,
    // by which time the server has seen it. The first 50 calls open connections, whose
    // set-up delays them more than the later ones.
    assert!(
        busiest_window(&arrivals, WINDOW) <= BUDGET,
        "busiest window {} > {BUDGET}; per window: {counts:?}",
        busiest_window(&arrivals, WINDOW)
    );
    // 1000 requests at 100 per 200 ms cannot finish before the 10th window opens...
    assert!(elapsed >= WINDOW * 9, "{elapsed:?}; per window: {counts:?}");
    // ...and the limiter lets whole batches through rather than trickling.
    assert!(elapsed < WINDOW * 30, "{elapsed:?}; per window: {counts:?}");
    let tolerance = Duration::from_millis(80);
    assert!(
        busiest_window(&arrivals, WINDOW + tolerance) >= BUDGET,
        "the budget was used in full in some window: {counts:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_429_the_whole_client_waits_for_retry_after() {
    let clock = Clock {
        fail_at: Some(60),
        ..Clock::default()
    };
    let server = server_with(&clock).await;
    let client = builder_for(&server)
        .retry(fast_retry())
        .rate_limit(RateLimit::new(20, Duration::from_millis(100)))
        .build()
        .unwrap();

    burst(&client, 10, 200).await;

    let arrivals = clock.sorted_arrivals();
    assert_eq!(arrivals.len(), 201, "200 calls and one retry");
    let refused = clock
        .failed_at
        .lock()
        .unwrap()
        .expect("one call was refused");
    // Requests already on their way when the 429 was sent may still arrive just after
    // it; then nothing, from any task, until `Retry-After` (1 s) has passed.
    let quiet = arrivals
        .iter()
        .filter(|t| **t > refused + Duration::from_millis(100))
        .filter(|t| **t < refused + Duration::from_millis(950))
        .count();
    assert_eq!(
        quiet,
        0,
        "per 100 ms: {:?}",
        per_window(&arrivals, Duration::from_millis(100))
    );
    let after = arrivals
        .iter()
        .filter(|t| **t >= refused + Duration::from_millis(950))
        .count();
    assert!(after >= 100, "the calls went on after the pause: {after}");
}

#[tokio::test]
async fn without_a_limiter_a_429_holds_back_only_its_own_call() {
    let clock = Clock {
        fail_at: Some(0),
        ..Clock::default()
    };
    let server = server_with(&clock).await;
    let client = builder_for(&server).retry(fast_retry()).build().unwrap();
    let refused = tokio::spawn({
        let client = client.clone();
        async move { client.list_organizations().await }
    });
    // Wait until the first call has its 429, then call again on another clone.
    while clock.failed_at.lock().unwrap().is_none() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let started = Instant::now();
    client.list_organizations().await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(500), "not paused");
    refused.await.unwrap().expect("retried after Retry-After");
}
