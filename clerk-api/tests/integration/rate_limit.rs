//! The client-side rate limiter against a wiremock server on 127.0.0.1 that timestamps
//! every request it receives: the budget holds in every window at the server, across
//! clones of one client, and a `429` pauses the whole client.

use crate::common;

use clerk_api::{Client, RateLimit};
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
    let per_task = calls / tasks;
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in 0..per_task {
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

/// The most arrivals in any window of `window` (arrivals sorted).
fn busiest_window(arrivals: &[Instant], window: Duration) -> usize {
    let mut most = 0;
    let mut start = 0;
    for end in 0..arrivals.len() {
        while arrivals[end] - arrivals[start] >= window {
            start += 1;
        }
        most = most.max(end - start + 1);
    }
    most
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
async fn a_burst_of_1000_calls_from_50_tasks_stays_within_the_budget_at_the_server() {
    const BUDGET: usize = 100;
    const WINDOW: Duration = Duration::from_millis(200);
    let clock = Clock::default();
    let server = server_with(&clock).await;
    let client = builder_for(&server)
        .rate_limit(RateLimit::new(BUDGET as u32, WINDOW))
        .build()
        .unwrap();
    // Open the 50 connections first and let their window pass: connection set-up delays
    // the first arrivals by more than later ones, which would blur the count.
    burst(&client, 50, 50).await;
    tokio::time::sleep(WINDOW).await;
    clock.arrivals.lock().unwrap().clear();
    let started = Instant::now();

    burst(&client, 50, 1000).await;

    let elapsed = started.elapsed();
    let arrivals = clock.sorted_arrivals();
    assert_eq!(arrivals.len(), 1000);
    let counts = per_window(&arrivals, WINDOW);
    // The limiter spaces request starts; on a loaded machine the time from start to
    // arrival varies by tens of milliseconds, so the server-side check allows 80 ms of
    // it: no window of 120 ms holds more than the budget. That still fails a limiter
    // that lets a second budget through early (a fixed-window limiter at a window edge,
    // a token bucket refilling while its burst is in flight, or none).
    let tolerance = Duration::from_millis(80);
    assert!(
        busiest_window(&arrivals, WINDOW - tolerance) <= BUDGET,
        "busiest window {} > {BUDGET}; per window: {counts:?}",
        busiest_window(&arrivals, WINDOW - tolerance)
    );
    // 1000 requests at 100 per 200 ms cannot finish before the 10th window opens...
    assert!(elapsed >= WINDOW * 9, "{elapsed:?}; per window: {counts:?}");
    // ...and the limiter lets whole batches through rather than trickling.
    assert!(elapsed < WINDOW * 30, "{elapsed:?}; per window: {counts:?}");
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
