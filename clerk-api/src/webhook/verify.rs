//! [`Verifier`]: from headers and the raw body to a typed, authentic event.

use super::headers::{self, WebhookHeaders};
use super::signature::{self, SigningKey};
use super::{Event, WebhookError};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The environment variable [`Verifier::from_env`] reads the signing secret from.
pub const SECRET_ENV: &str = "CLERK_WEBHOOK_SIGNING_SECRET";

type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Checks that a webhook request comes from Clerk and decodes its event.
///
/// Holds the endpoint's signing secret (`whsec_...`, from the Clerk dashboard), the
/// timestamp tolerance and the clock. Cheap to clone; share one per endpoint.
///
/// ```
/// # fn run(headers: &http::HeaderMap, body: &[u8]) -> Result<(), clerk_api::webhook::WebhookError> {
/// use clerk_api::webhook::{Event, Verifier};
///
/// let verifier = Verifier::from_env()?; // CLERK_WEBHOOK_SIGNING_SECRET
/// match verifier.verify(headers, body)? {
///     Event::UserCreated(event) => println!("new user {}", event.data.id),
///     other => println!("{} ignored", other.event_type()),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Verifier {
    key: SigningKey,
    tolerance: Duration,
    clock: Clock,
}

impl Verifier {
    /// How far a request's timestamp may be from the clock, either way, by default.
    pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

    /// A verifier for this signing secret: `whsec_` followed by base64 (the prefix may
    /// be left out). An empty secret, or one that is not base64, is refused.
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        Ok(Verifier {
            key: SigningKey::from_secret(secret)?,
            tolerance: Self::DEFAULT_TOLERANCE,
            clock: Arc::new(SystemTime::now),
        })
    }

    /// A verifier for the secret in `CLERK_WEBHOOK_SIGNING_SECRET`.
    pub fn from_env() -> Result<Self, WebhookError> {
        let secret = std::env::var(SECRET_ENV).map_err(|_| WebhookError::InvalidSecret {
            problem: "CLERK_WEBHOOK_SIGNING_SECRET is not set",
        })?;
        Self::new(&secret)
    }

    /// How far a request's timestamp may lie in the past or the future (whole seconds;
    /// default five minutes). Older requests are refused so that a captured request
    /// cannot be replayed later.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// The clock timestamps are compared with (default [`SystemTime::now`]); for tests.
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Verifies the request and decodes its body into an [`Event`].
    ///
    /// `body` must be the raw bytes as received: the signature covers them exactly, so
    /// a body parsed and serialized again no longer matches. An event type this version
    /// does not know decodes to [`Event::Unknown`].
    pub fn verify<H: WebhookHeaders + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<Event, WebhookError> {
        self.verify_signature(headers, body)?;
        serde_json::from_slice(body).map_err(WebhookError::InvalidPayload)
    }

    /// Verifies the request without decoding the body: for handlers that read the JSON
    /// themselves.
    pub fn verify_signature<H: WebhookHeaders + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<(), WebhookError> {
        let read = |name: headers::HeaderName| {
            headers::read(headers, name).ok_or(WebhookError::MissingHeader { name: name.svix })
        };
        let id = read(headers::ID)?;
        let timestamp = read(headers::TIMESTAMP)?;
        let signatures = read(headers::SIGNATURE)?;
        self.check_timestamp(timestamp)?;
        let expected = self.key.sign(id, timestamp, body);
        if signature::header_matches(signatures, &expected) {
            Ok(())
        } else {
            Err(WebhookError::NoMatchingSignature)
        }
    }

    fn check_timestamp(&self, header: &str) -> Result<(), WebhookError> {
        if header.is_empty() || !header.bytes().all(|b| b.is_ascii_digit()) {
            return Err(WebhookError::InvalidTimestamp);
        }
        let signed: i128 = header
            .parse::<u64>()
            .map_err(|_| WebhookError::InvalidTimestamp)?
            .into();
        let now: i128 = match (self.clock)().duration_since(UNIX_EPOCH) {
            Ok(since) => since.as_secs().into(),
            Err(before) => -i128::from(before.duration().as_secs()),
        };
        let tolerance = self.tolerance;
        let seconds = |s: i128| Duration::from_secs(u64::try_from(s).unwrap_or(u64::MAX));
        let limit = i128::from(tolerance.as_secs());
        if now - signed > limit {
            Err(WebhookError::TooOld {
                age: seconds(now - signed),
                tolerance,
            })
        } else if signed - now > limit {
            Err(WebhookError::TooNew {
                ahead: seconds(signed - now),
                tolerance,
            })
        } else {
            Ok(())
        }
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secret", &"<redacted>")
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}
