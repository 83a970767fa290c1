//! A client-side request budget shared by every handle of one `Client`, and the
//! client-wide pause after a `429`.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// The longest a `429` pauses the whole client, whatever its `Retry-After` says: a
/// misconfigured proxy must not stall every call for hours.
pub const MAX_RATE_LIMIT_PAUSE: Duration = Duration::from_secs(60);

/// How many requests a [`Client`](crate::Client) may start per window.
///
/// The budget is a sliding window: in *any* span of `per`, at most `requests` requests
/// are sent (every attempt counts, retries included), whichever clone of the client
/// sends them. Calls over budget wait for a free slot, in the order they asked. When
/// an answer is `429 Too Many Requests` anyway (another process uses the same key, say),
/// the whole client pauses for the answer's `Retry-After` (at most
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
}

#[derive(Debug, Default)]
struct State {
    /// Start times of the latest `limit.requests` slots handed out, ascending (some may
    /// lie in the future: slots are reserved, then waited for).
    starts: VecDeque<Instant>,
    /// No slot starts before this (set by a `429`).
    paused_until: Option<Instant>,
}

impl RateLimiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        RateLimiter {
            limit,
            state: Mutex::new(State::default()),
        }
    }

    pub(crate) fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Waits until this caller may send one request. Fails at once, reserving nothing,
    /// when the free slot would start after `deadline`.
    pub(crate) async fn acquire(&self, deadline: Option<Instant>) -> Result<(), OverDeadline> {
        loop {
            let slot = self.reserve(Instant::now(), deadline)?;
            tokio::time::sleep_until(slot).await;
            // A `429` may have paused the client while this caller slept: its slot is
            // given up (the budget only gets stricter) and it queues again.
            if !self.paused_at(Instant::now()) {
                return Ok(());
            }
        }
    }

    /// Reserves the earliest slot at or after `now`. Slots come out in ascending order,
    /// so the window check only needs the `requests`-th latest one.
    fn reserve(&self, now: Instant, deadline: Option<Instant>) -> Result<Instant, OverDeadline> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut slot = now.max(state.paused_until.unwrap_or(now));
        let budget = self.limit.requests as usize;
        if state.starts.len() >= budget {
            let oldest_in_window = state.starts[state.starts.len() - budget];
            slot = slot.max(oldest_in_window + self.limit.per);
        }
        if deadline.is_some_and(|deadline| slot > deadline) {
            return Err(OverDeadline);
        }
        state.starts.push_back(slot);
        if state.starts.len() > budget {
            state.starts.pop_front();
        }
        Ok(slot)
    }

    fn paused_at(&self, now: Instant) -> bool {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.paused_until.is_some_and(|until| until > now)
    }

    /// Holds every caller back for `wait` (at most [`MAX_RATE_LIMIT_PAUSE`]) from now;
    /// a longer pause already in force stays.
    pub(crate) fn pause(&self, wait: Duration) {
        let until = Instant::now() + wait.min(MAX_RATE_LIMIT_PAUSE);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.paused_until = Some(state.paused_until.map_or(until, |p| p.max(until)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// Every window of `per` holds at most `requests` of `times` (sorted).
    fn max_in_any_window(times: &[Instant], per: Duration) -> usize {
        let mut most = 0;
        for (i, start) in times.iter().enumerate() {
            let n = times[i..].iter().take_while(|t| **t < *start + per).count();
            most = most.max(n);
        }
        most
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_is_spread_so_no_window_holds_more_than_the_budget() {
        let limiter = Arc::new(RateLimiter::new(RateLimit::new(10, ms(100))));
        let started = Instant::now();
        let tasks: Vec<_> = (0..35)
            .map(|_| {
                let limiter = limiter.clone();
                tokio::spawn(async move {
                    limiter.acquire(None).await.unwrap();
                    Instant::now()
                })
            })
            .collect();
        let mut times = Vec::new();
        for task in tasks {
            times.push(task.await.unwrap());
        }
        times.sort();
        assert_eq!(max_in_any_window(&times, ms(100)), 10);
        // 35 requests at 10 per 100 ms: the last batch starts at 300 ms, not later.
        assert_eq!(*times.last().unwrap() - started, ms(300));
        assert_eq!(times.iter().filter(|t| **t == started).count(), 10);
    }

    #[tokio::test(start_paused = true)]
    async fn a_slot_past_the_deadline_is_refused_without_waiting() {
        let limiter = RateLimiter::new(RateLimit::new(1, ms(1000)));
        limiter.acquire(None).await.unwrap();
        let before = Instant::now();
        let refused = limiter.acquire(Some(before + ms(500))).await;
        assert_eq!(refused, Err(OverDeadline));
        assert_eq!(Instant::now(), before, "refused at once");
        // The refusal reserved nothing: the next slot is still at 1000 ms.
        limiter.acquire(Some(before + ms(1000))).await.unwrap();
        assert_eq!(Instant::now() - before, ms(1000));
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_holds_back_callers_already_waiting_and_new_ones() {
        let limiter = Arc::new(RateLimiter::new(RateLimit::new(2, ms(100))));
        let started = Instant::now();
        limiter.acquire(None).await.unwrap();
        limiter.acquire(None).await.unwrap();
        // This one has the slot at 100 ms reserved and is asleep when the pause comes.
        let waiting = {
            let limiter = limiter.clone();
            tokio::spawn(async move {
                limiter.acquire(None).await.unwrap();
                Instant::now()
            })
        };
        tokio::time::sleep(ms(10)).await;
        limiter.pause(ms(500));
        let waited = waiting.await.unwrap();
        assert!(waited - started >= ms(510), "{:?}", waited - started);
        limiter.acquire(None).await.unwrap();
        assert!(Instant::now() - started >= ms(510));
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_is_capped_and_never_shortened() {
        let limiter = RateLimiter::new(RateLimit::new(5, ms(100)));
        let started = Instant::now();
        limiter.pause(Duration::from_secs(3600));
        limiter.pause(ms(1));
        limiter.acquire(None).await.unwrap();
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
