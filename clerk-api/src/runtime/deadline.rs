//! The time limits of one call, measured from its start: every question about the
//! deadline is answered here.

use std::time::{Duration, Instant};

/// When a call started and when it must be over, if it must.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallClock {
    started: Instant,
    deadline: Option<Instant>,
}

/// The time limit of one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AttemptTimeout {
    pub(crate) timeout: Duration,
    /// The limit is what was left of the deadline: a timeout is the deadline's.
    pub(crate) deadline_bound: bool,
}

impl CallClock {
    /// A call starting now, which may take `deadline` in all (a deadline too far away to
    /// represent is none).
    pub(crate) fn start(deadline: Option<Duration>) -> Self {
        let started = Instant::now();
        CallClock {
            started,
            deadline: deadline.and_then(|d| started.checked_add(d)),
        }
    }

    pub(crate) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// The deadline as the rate limiter takes it.
    pub(crate) fn deadline(&self) -> Option<tokio::time::Instant> {
        self.deadline.map(tokio::time::Instant::from_std)
    }

    /// The limit of an attempt starting now: `timeout`, or what is left of the deadline
    /// if that is shorter. `None` when the deadline has passed.
    pub(crate) fn attempt(&self, timeout: Duration) -> Option<AttemptTimeout> {
        let Some(deadline) = self.deadline else {
            return Some(AttemptTimeout {
                timeout,
                deadline_bound: false,
            });
        };
        let left = deadline.saturating_duration_since(Instant::now());
        (!left.is_zero()).then(|| AttemptTimeout {
            timeout: left.min(timeout),
            deadline_bound: left < timeout,
        })
    }

    /// Whether a wait of `wait` starting now would end at or past the deadline (such a
    /// wait is not started).
    pub(crate) fn overruns(&self, wait: Duration) -> bool {
        self.deadline
            .is_some_and(|at| Instant::now().checked_add(wait).is_none_or(|end| end >= at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn without_a_deadline_every_attempt_gets_the_timeout_and_any_wait_fits() {
        let clock = CallClock::start(None);
        let attempt = clock.attempt(SECOND).unwrap();
        assert_eq!(attempt.timeout, SECOND);
        assert!(!attempt.deadline_bound);
        assert!(!clock.overruns(Duration::MAX));
        assert_eq!(clock.deadline(), None);
    }

    #[test]
    fn an_attempt_gets_what_is_left_of_a_nearer_deadline() {
        let clock = CallClock::start(Some(SECOND));
        let short = clock.attempt(Duration::from_millis(10)).unwrap();
        assert_eq!(short.timeout, Duration::from_millis(10));
        assert!(!short.deadline_bound);
        let long = clock.attempt(60 * SECOND).unwrap();
        assert!(long.timeout <= SECOND && long.timeout > SECOND / 2);
        assert!(long.deadline_bound);
        assert!(clock.overruns(SECOND));
        assert!(clock.overruns(Duration::MAX), "no overflow");
        assert!(!clock.overruns(Duration::from_millis(10)));
    }

    #[test]
    fn a_spent_deadline_leaves_no_attempt_and_an_unrepresentable_one_is_none() {
        let spent = CallClock::start(Some(Duration::ZERO));
        assert_eq!(spent.attempt(SECOND), None);
        assert!(spent.overruns(Duration::ZERO));
        let far = CallClock::start(Some(Duration::MAX));
        assert_eq!(far.deadline(), None);
        assert!(!far.attempt(SECOND).unwrap().deadline_bound);
    }
}
