//! When to retry a call and how long to wait.

use super::error::{Error, TimeoutKind};
use reqwest::{Method, StatusCode};
use std::time::{Duration, SystemTime};

/// How failed calls are retried.
///
/// By default: up to 3 attempts in at most 30 seconds; `429 Too Many Requests` is
/// retried for every method (honouring `Retry-After`), and 5xx answers and broken
/// connections only for idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS), unless
/// [`RetryPolicy::retry_non_idempotent`] opts POST and PATCH in. A connection that could
/// not be opened is retried for every method: the request never left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_elapsed: Duration,
    pub(crate) non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_elapsed: Duration::from_secs(30),
            non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Every call is tried exactly once.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Total attempts, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first backoff; each later one doubles, up to [`RetryPolicy::max_backoff`].
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// No retry starts once this much time has passed since the first attempt, and no
    /// wait (including a server's `Retry-After`) may run past it.
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// Also retry POST and PATCH after 5xx answers and broken connections. Only safe
    /// when the call is idempotent on the server side.
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.non_idempotent = yes;
        self
    }

    pub(crate) fn is_idempotent(&self, method: &Method) -> bool {
        self.non_idempotent
            || matches!(
                *method,
                Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
            )
    }

    /// Whether an answer with this status is worth another attempt.
    pub(crate) fn retries_status(&self, method: &Method, status: StatusCode) -> bool {
        status == StatusCode::TOO_MANY_REQUESTS
            || (matches!(status.as_u16(), 500 | 502 | 503 | 504) && self.is_idempotent(method))
    }

    /// Whether a failed attempt is worth another: the one place that classifies
    /// failures, for calls and for the pages of a stream alike.
    pub(crate) fn retries(&self, method: &Method, error: &Error) -> bool {
        match error {
            Error::Api(error) => self.retries_status(method, error.status),
            Error::Transport(error) => match error.timeout {
                // The call's deadline is spent: nothing is left to retry in.
                Some(TimeoutKind::Deadline) => false,
                // A connection that never opened carried no request: safe to repeat.
                _ if error
                    .source
                    .as_ref()
                    .is_some_and(reqwest::Error::is_connect) =>
                {
                    true
                }
                _ => self.is_idempotent(method),
            },
            Error::Decode(_) | Error::InvalidRequest { .. } | Error::Config(_) => false,
        }
    }

    /// How long to wait before attempt `attempt + 1` after `error`: the server's
    /// `Retry-After` when it sent one, else the backoff.
    pub(crate) fn wait_after(&self, error: &Error, attempt: u32) -> Duration {
        error
            .api()
            .and_then(|e| e.retry_after())
            .unwrap_or_else(|| self.backoff(attempt))
    }

    /// The wait before another attempt, if `error` (of attempt `attempt`, `elapsed`
    /// into the call) gets one: it is retried, attempts are left, and the wait ends
    /// within `max_elapsed`.
    pub(crate) fn next_wait(
        &self,
        method: &Method,
        error: &Error,
        attempt: u32,
        elapsed: Duration,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts || !self.retries(method, error) {
            return None;
        }
        let wait = self.wait_after(error, attempt);
        // `checked_add`: a server may send an absurd `Retry-After`.
        elapsed
            .checked_add(wait)
            .is_some_and(|end| end <= self.max_elapsed)
            .then_some(wait)
    }

    /// Exponential backoff with jitter before attempt `attempt + 1` (`attempt` >= 1):
    /// half the doubled delay is fixed, the other half random, so clients that failed
    /// together do not retry together.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(
                1u32.checked_shl(attempt.saturating_sub(1))
                    .unwrap_or(u32::MAX),
            )
            .min(self.max_backoff);
        let half = exp / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// `Retry-After` as delta-seconds or an HTTP-date.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_both_forms() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:40 GMT", now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn which_answers_are_retried() {
        let p = RetryPolicy::default();
        assert!(p.retries_status(&Method::POST, StatusCode::TOO_MANY_REQUESTS));
        assert!(p.retries_status(&Method::GET, StatusCode::SERVICE_UNAVAILABLE));
        assert!(p.retries_status(&Method::DELETE, StatusCode::BAD_GATEWAY));
        assert!(!p.retries_status(&Method::POST, StatusCode::SERVICE_UNAVAILABLE));
        assert!(!p.retries_status(&Method::PATCH, StatusCode::INTERNAL_SERVER_ERROR));
        assert!(!p.retries_status(&Method::GET, StatusCode::NOT_FOUND));
        assert!(!p.retries_status(&Method::GET, StatusCode::NOT_IMPLEMENTED));
        let opted = RetryPolicy::default().retry_non_idempotent(true);
        assert!(opted.retries_status(&Method::POST, StatusCode::SERVICE_UNAVAILABLE));
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let p = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        for _ in 0..50 {
            let first = p.backoff(1);
            assert!(
                first >= Duration::from_millis(50) && first <= Duration::from_millis(100),
                "{first:?}"
            );
            let second = p.backoff(2);
            assert!(
                second >= Duration::from_millis(100) && second <= Duration::from_millis(200),
                "{second:?}"
            );
            let capped = p.backoff(30);
            assert!(
                capped >= Duration::from_millis(175) && capped <= Duration::from_millis(350),
                "{capped:?}"
            );
        }
    }
}
