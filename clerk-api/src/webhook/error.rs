//! Why a webhook request was refused.

use std::fmt;
use std::time::Duration;

/// A webhook request that was refused, or a signing secret that cannot be used.
///
/// [`reason`](Self::reason) names the case in one stable lowercase word, for logs,
/// metrics and answers; `Display` says the same in a sentence.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// A required header is absent or empty (`svix-id`, `svix-timestamp` or
    /// `svix-signature`, or their `webhook-*` equivalents). Reason `missing`.
    MissingHeader {
        /// The header's `svix-*` name.
        name: &'static str,
    },
    /// The timestamp header is not a whole number of seconds. Reason `timestamp`.
    InvalidTimestamp,
    /// The timestamp lies further in the past than the tolerance. Reason `expired`.
    TooOld {
        /// How far in the past it lies.
        age: Duration,
        tolerance: Duration,
    },
    /// The timestamp lies further in the future than the tolerance. Reason `future`.
    TooNew {
        /// How far in the future it lies.
        ahead: Duration,
        tolerance: Duration,
    },
    /// No `v1` signature of the signature header matches the request, including when
    /// the header lists only other versions. Reason `signature`.
    NoMatchingSignature,
    /// The signing secret is unusable. Reason `secret`.
    InvalidSecret {
        /// What is wrong with it (never the secret itself).
        problem: &'static str,
    },
    /// The request is authentic but its body is not a webhook event of the documented
    /// shape. Reason `payload`.
    InvalidPayload(serde_json::Error),
}

impl WebhookError {
    /// The case in one stable lowercase word: `missing`, `timestamp`, `expired`,
    /// `future`, `signature`, `secret` or `payload`.
    pub fn reason(&self) -> &'static str {
        match self {
            WebhookError::MissingHeader { .. } => "missing",
            WebhookError::InvalidTimestamp => "timestamp",
            WebhookError::TooOld { .. } => "expired",
            WebhookError::TooNew { .. } => "future",
            WebhookError::NoMatchingSignature => "signature",
            WebhookError::InvalidSecret { .. } => "secret",
            WebhookError::InvalidPayload(_) => "payload",
        }
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingHeader { name } => {
                write!(f, "webhook refused: the {name} header is missing or empty")
            }
            WebhookError::InvalidTimestamp => f.write_str(
                "webhook refused: the timestamp header is not a whole number of seconds",
            ),
            WebhookError::TooOld { age, tolerance } => write!(
                f,
                "webhook refused: signed {} s ago, more than the {} s tolerated",
                age.as_secs(),
                tolerance.as_secs()
            ),
            WebhookError::TooNew { ahead, tolerance } => write!(
                f,
                "webhook refused: signed {} s in the future, more than the {} s tolerated",
                ahead.as_secs(),
                tolerance.as_secs()
            ),
            WebhookError::NoMatchingSignature => {
                f.write_str("webhook refused: no v1 signature matches the request")
            }
            WebhookError::InvalidSecret { problem } => {
                write!(f, "webhook signing secret unusable: {problem}")
            }
            WebhookError::InvalidPayload(e) => {
                write!(f, "webhook refused: the body is not a webhook event: {e}")
            }
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::InvalidPayload(e) => Some(e),
            _ => None,
        }
    }
}
