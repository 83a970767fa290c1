//! A client-side request budget shared by every handle of one `Client`, counted where
//! the server counts it, and the client-wide pause after a `429`.
//!
//! The server counts a request when it arrives, which the client never sees: between
//! sending and arriving lie a pooled or a new connection, a TLS handshake, the network.
//! What the client does know is that a request has arrived once its answer is back. So
//! a request counts from when it is sent until `per` after its answer (or failure) came
//! back, and in every window while it is in flight. That margin makes "at most
//! `requests` in any window of `per`, as the server sees it" hold whatever the latency
//! (see [`State::wait_at`]), at the price of one round trip per window when the budget
//! binds.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::time::Instant;

/// The longest a `429` pauses the whole client, whatever its `Retry-After` says: a
/// misconfigured proxy must not stall every call for hours.
pub const MAX_RATE_LIMIT_PAUSE: Duration = Duration::from_secs(60);

/// How many requests a [`Client`](crate::Client) may send per window.
///
/// The budget is a sliding window as the server sees it: in *any* span of `per`, at
/// most `requests` requests arrive (every attempt counts, retries included), whichever
/// clone of the client sends them. The client cannot see arrivals, so it counts each
/// request from when it is sent until `per` after its answer came back: connection
/// set-up and network latency never crowd a window past the budget, and a budget that
/// binds gives `requests` per `per` plus one round trip. Calls over budget wait for a
/// free slot, in the order they asked; a call under budget does not wait at all (no
/// timer). When an answer is `429 Too Many Requests` anyway (another process uses the
/// same key, say), the whole client pauses for the answer's `Retry-After` (at most
/// [`MAX_RATE_LIMIT_PAUSE`]), not just the call that got it.
///
/// ```
/// use clerk_api::{Client, RateLimit};
/// use std::time::Duration;
///
/// # fn run() -> Result<(), clerk_api::Error> {
/// let client = Client::builder("sk_live_...")
///     .rate_limit(RateLimit::clerk_production())
///     .build()?;
/// // Or leave room for another process using the same key:
/// let half = RateLimit::new(500, Duration::from_secs(10));
/// # let _ = (client, half);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    requests: u32,
    per: Duration,
}

impl RateLimit {
    /// At most `requests` (at least 1) requests in any window of `per`.
    pub fn new(requests: u32, per: Duration) -> Self {
        RateLimit {
            requests: requests.max(1),
            per,
        }
    }

    /// Clerk's documented Backend API limit for production instances: 1000 requests
    /// per 10 seconds per instance (that is, per secret key), on every endpoint.
    ///
    /// Source: <https://clerk.com/docs/guides/how-clerk-works/system-limits> ("Backend
    /// API requests"); raised to this figure in
    /// <https://clerk.com/changelog/2025-07-03-bapi-rate-limits>.
    pub fn clerk_production() -> Self {
        Self::new(1000, Duration::from_secs(10))
    }

    /// Clerk's documented Backend API limit for development instances: 100 requests
    /// per 10 seconds (same source as [`RateLimit::clerk_production`]).
    pub fn clerk_development() -> Self {
        Self::new(100, Duration::from_secs(10))
    }

    pub fn requests(&self) -> u32 {
        self.requests
    }

    pub fn per(&self) -> Duration {
        self.per
    }
}

/// The deadline passed before a slot was free.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct OverDeadline;

/// The shared state behind one [`RateLimit`].
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: RateLimit,
    state: Mutex<State>,
    /// Callers waiting for a slot, in the order they asked: only the one holding this
    /// waits on the clock or on answers; the others wait for it.
    queue: tokio::sync::Mutex<()>,
    /// Wakes the head of the queue when an answer comes back while it waits for one.
    answered: Notify,
}

#[derive(Debug, Default)]
struct State {
    /// Requests sent whose answer has not come back: each may reach the server at any
    /// moment, so each counts in every window.
    in_flight: usize,
    /// When the answers of recent requests came back, ascending. A request counts until
    /// `per` after its answer; older entries are dropped.
    answered: VecDeque<Instant>,
    /// No request is sent before this (set by a `429`).
    paused_until: Option<Instant>,
    /// Whether the head of the queue waits for an answer (so one must wake it).
    awaiting_answer: bool,
}

/// What the next request must wait for.
#[derive(Debug, PartialEq, Eq)]
enum Wait {
    Until(Instant),
    /// Answers to requests in flight: the whole budget is in flight.
    Answers,
}

impl State {
    /// What one more request must wait for at `now`, if anything.
    ///
    /// Why the window holds at the server: say request `i` is sent at `s_i`, arrives at
    /// `a_i >= s_i` and is answered at `r_i > a_i`. It is sent only when fewer than
    /// `requests` earlier requests are in flight or were answered after `s_i - per`.
    /// Take any window `[w, w + per)` and the request `i` sent last among those that
    /// arrive in it: every other one `j` arrived at `a_j >= w > a_i - per >= s_i - per`,
    /// so at `s_i` it was in flight or answered at `r_j > a_j > s_i - per`: it was
    /// counted. So the window holds at most `requests - 1` others, and `i`.
    fn wait_at(&mut self, now: Instant, limit: RateLimit) -> Option<Wait> {
        while self
            .answered
            .front()
            .is_some_and(|at| *at + limit.per <= now)
        {
            self.answered.pop_front();
        }
        let paused = self.paused_until.filter(|until| *until > now);
        let counted = self.in_flight + self.answered.len();
        let budget = limit.requests as usize;
        if counted < budget {
            return paused.map(Wait::Until);
        }
        // The first `counted - budget + 1` answered requests must leave the window.
        match self.answered.get(counted - budget) {
            Some(answered) => Some(Wait::Until(
                paused.unwrap_or(now).max(*answered + limit.per),
            )),
            None => Some(Wait::Answers),
        }
    }
}

impl RateLimiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        RateLimiter {
            limit,
            state: Mutex::new(State::default()),
            queue: tokio::sync::Mutex::new(()),
            answered: Notify::new(),
        }
    }

    pub(crate) fn limit(&self) -> RateLimit {
        self.limit
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts one request as in flight if the budget has room now; else says what to
    /// wait for (and, when that is an answer, asks to be woken by it).
    fn take(&self) -> Result<Sent<'_>, Wait> {
        let mut state = self.state();
        match state.wait_at(Instant::now(), self.limit) {
            None => {
                state.in_flight += 1;
                Ok(Sent { limiter: self })
            }
            Some(wait) => {
                // Set under the same lock as the check, so no answer slips between.
                state.awaiting_answer |= wait == Wait::Answers;
                Err(wait)
            }
        }
    }

    /// The slot of one request, if it is free now and nobody waits for one: no timer,
    /// no queue. Else [`RateLimiter::acquire`] waits for it.
    pub(crate) fn try_acquire(&self) -> Option<Sent<'_>> {
        let _turn = self.queue.try_lock().ok()?;
        self.take().ok()
    }

    /// Waits until this caller may send one request, and counts it as in flight until
    /// the returned [`Sent`] is dropped (when its answer is back, or the call is
    /// dropped). Fails, taking nothing, when the slot would come after `deadline`: at
    /// once when that is known, else when the deadline passes.
    pub(crate) async fn acquire(
        &self,
        deadline: Option<Instant>,
    ) -> Result<Sent<'_>, OverDeadline> {
        let _turn = self.queue.lock().await;
        loop {
            match self.take() {
                Ok(sent) => return Ok(sent),
                Err(Wait::Until(at)) if deadline.is_some_and(|deadline| at > deadline) => {
                    return Err(OverDeadline)
                }
                Err(Wait::Until(at)) => tokio::time::sleep_until(at).await,
                Err(Wait::Answers) => {
                    // An answer that came back since `take` left its wake-up stored.
                    let answered = self.answered.notified();
                    match deadline {
                        Some(deadline) => {
                            if tokio::time::timeout_at(deadline, answered).await.is_err() {
                                return Err(OverDeadline);
                            }
                        }
                        None => answered.await,
                    }
                }
            }
            // A `429` may have paused the client meanwhile: `take` looks again.
        }
    }

    /// Holds every caller back for `wait` (at most [`MAX_RATE_LIMIT_PAUSE`]) from now;
    /// a longer pause already in force stays.
    pub(crate) fn pause(&self, wait: Duration) {
        let until = Instant::now() + wait.min(MAX_RATE_LIMIT_PAUSE);
        let mut state = self.state();
        state.paused_until = Some(state.paused_until.map_or(until, |p| p.max(until)));
    }
}

/// One request counted as in flight; dropping it records that its answer came back.
#[derive(Debug)]
pub(crate) struct Sent<'a> {
    limiter: &'a RateLimiter,
}

impl Drop for Sent<'_> {
    fn drop(&mut self) {
        let mut state = self.limiter.state();
        state.in_flight -= 1;
        state.answered.push_back(Instant::now());
        if state.awaiting_answer {
            state.awaiting_answer = false;
            drop(state);
            self.limiter.answered.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// The most of `times` (sorted) in any window `[t, t + per)`.
    fn busiest_window(times: &[Instant], per: Duration) -> usize {
        let mut most = 0;
        for (i, start) in times.iter().enumerate() {
            let n = times[i..].iter().take_while(|t| **t < *start + per).count();
            most = most.max(n);
        }
        most
    }

    /// Sends `calls` requests from `tasks` tasks; request `n` takes `latency(n)` to
    /// arrive and as long again to be answered. Returns the arrival times, sorted.
    async fn simulate(
        limiter: Arc<RateLimiter>,
        tasks: usize,
        calls: usize,
        latency: impl Fn(usize) -> Duration + Copy + Send + 'static,
    ) -> Vec<Instant> {
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let next = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..tasks)
            .map(|_| {
                let (limiter, arrivals, next) = (limiter.clone(), arrivals.clone(), next.clone());
                tokio::spawn(async move {
                    loop {
                        let n = next.fetch_add(1, Ordering::SeqCst);
                        if n >= calls {
                            return;
                        }
                        let sent = limiter.acquire(None).await.unwrap();
                        tokio::time::sleep(latency(n)).await;
                        arrivals.lock().unwrap().push(Instant::now());
                        tokio::time::sleep(latency(n)).await;
                        drop(sent);
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.await.unwrap();
        }
        let mut arrivals = arrivals.lock().unwrap().clone();
        arrivals.sort();
        arrivals
    }

    #[tokio::test(start_paused = true)]
    async fn a_budget_with_room_is_taken_without_waiting() {
        let limiter = RateLimiter::new(RateLimit::new(3, ms(100)));
        for _ in 0..3 {
            drop(limiter.try_acquire().expect("room in the budget"));
        }
        assert!(limiter.try_acquire().is_none(), "the budget is spent");
        tokio::time::sleep(ms(100)).await;
        // A caller in the queue keeps later ones from jumping it.
        let queued = limiter.queue.try_lock().unwrap();
        assert!(limiter.try_acquire().is_none(), "someone is waiting");
        drop(queued);
        assert!(limiter.try_acquire().is_some());
    }

    #[tokio::test(start_paused = true)]
    async fn the_window_holds_at_the_server_when_early_requests_are_slow_to_arrive() {
        // The first request of each task waits for a new connection (50 ms); later
        // ones reuse it (1 ms). Counting from when each was sent would let the server
        // see the first window's late arrivals beside the next window's early ones.
        for tasks in [1, 8, 64] {
            let limiter = Arc::new(RateLimiter::new(RateLimit::new(10, ms(100))));
            let started = Instant::now();
            let new_connection_first = move |n: usize| ms(if n < tasks { 50 } else { 1 });
            let arrivals = simulate(limiter, tasks, 60, new_connection_first).await;
            assert_eq!(arrivals.len(), 60);
            let busiest = busiest_window(&arrivals, ms(100));
            assert!(busiest <= 10, "{tasks} tasks: {busiest}");
            // The budget is still used: 10 per window and round trips, not 1 per window.
            assert!(Instant::now() - started < ms(2000), "{tasks} tasks");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_budget_all_in_flight_waits_for_an_answer_then_the_window() {
        let limiter = Arc::new(RateLimiter::new(RateLimit::new(2, ms(100))));
        let started = Instant::now();
        let first = limiter.acquire(None).await.unwrap();
        let second = limiter.acquire(None).await.unwrap();
        let third = {
            let limiter = limiter.clone();
            tokio::spawn(async move {
                let _sent = limiter.acquire(None).await.unwrap();
                Instant::now()
            })
        };
        tokio::time::sleep(ms(30)).await;
        drop(first);
        tokio::time::sleep(ms(500)).await;
        drop(second);
        // Free once the first answer (at 30 ms) has left the window.
        assert_eq!(third.await.unwrap() - started, ms(130));
    }

    #[tokio::test(start_paused = true)]
    async fn a_slot_past_the_deadline_is_refused_without_waiting() {
        let limiter = RateLimiter::new(RateLimit::new(1, ms(1000)));
        drop(limiter.acquire(None).await.unwrap());
        let before = Instant::now();
        let refused = limiter.acquire(Some(before + ms(500))).await;
        assert_eq!(refused.unwrap_err(), OverDeadline);
        assert_eq!(Instant::now(), before, "refused at once");
        // The refusal took nothing: the next slot is still at 1000 ms.
        drop(limiter.acquire(Some(before + ms(1000))).await.unwrap());
        assert_eq!(Instant::now() - before, ms(1000));
    }

    #[tokio::test(start_paused = true)]
    async fn waiting_for_an_answer_gives_up_at_the_deadline() {
        let limiter = RateLimiter::new(RateLimit::new(1, ms(100)));
        let _in_flight = limiter.acquire(None).await.unwrap();
        let before = Instant::now();
        let refused = limiter.acquire(Some(before + ms(300))).await;
        assert_eq!(refused.unwrap_err(), OverDeadline);
        assert_eq!(Instant::now() - before, ms(300));
    }

    #[tokio::test(start_paused = true)]
    async fn callers_over_budget_go_in_the_order_they_asked() {
        let limiter = Arc::new(RateLimiter::new(RateLimit::new(1, ms(100))));
        drop(limiter.acquire(None).await.unwrap());
        let order = Arc::new(Mutex::new(Vec::new()));
        let handles: Vec<_> = (0..5)
            .map(|i| {
                let (limiter, order) = (limiter.clone(), order.clone());
                tokio::spawn(async move {
                    // They ask in the order 0, 1, 2, ...
                    tokio::time::sleep(ms(i)).await;
                    drop(limiter.acquire(None).await.unwrap());
                    order.lock().unwrap().push((i, Instant::now()));
                })
            })
            .collect();
        for handle in handles {
            handle.await.unwrap();
        }
        let order = order.lock().unwrap().clone();
        let asked: Vec<u64> = order.iter().map(|(i, _)| *i).collect();
        assert_eq!(asked, [0, 1, 2, 3, 4]);
        assert!(order.windows(2).all(|w| w[1].1 - w[0].1 >= ms(100)));
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_holds_back_callers_already_waiting_and_new_ones() {
        let limiter = Arc::new(RateLimiter::new(RateLimit::new(2, ms(100))));
        let started = Instant::now();
        drop(limiter.acquire(None).await.unwrap());
        drop(limiter.acquire(None).await.unwrap());
        // This one waits for the window (free at 100 ms) when the pause comes.
        let waiting = {
            let limiter = limiter.clone();
            tokio::spawn(async move {
                drop(limiter.acquire(None).await.unwrap());
                Instant::now()
            })
        };
        tokio::time::sleep(ms(10)).await;
        limiter.pause(ms(500));
        let waited = waiting.await.unwrap();
        assert!(waited - started >= ms(510), "{:?}", waited - started);
        drop(limiter.acquire(None).await.unwrap());
        assert!(Instant::now() - started >= ms(510));
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_is_capped_and_never_shortened() {
        let limiter = RateLimiter::new(RateLimit::new(5, ms(100)));
        let started = Instant::now();
        limiter.pause(Duration::from_secs(3600));
        limiter.pause(ms(1));
        drop(limiter.acquire(None).await.unwrap());
        assert_eq!(Instant::now() - started, MAX_RATE_LIMIT_PAUSE);
    }

    #[test]
    fn clerks_documented_limits() {
        assert_eq!(
            RateLimit::clerk_production(),
            RateLimit::new(1000, Duration::from_secs(10))
        );
        assert_eq!(RateLimit::clerk_development().requests(), 100);
        assert_eq!(RateLimit::new(0, ms(5)).requests(), 1);
    }
}
