//! Signing webhook requests as Clerk does, for your own tests (feature `test-util`).
//!
//! ```
//! use clerk_api::webhook::testing::{random_secret, Signer};
//! use clerk_api::webhook::{Event, Verifier};
//!
//! let secret = random_secret();
//! let body = br#"{"type":"user.deleted","object":"event","timestamp":1716883200,
//!     "instance_id":"ins_1","data":{"object":"user","id":"user_1","deleted":true}}"#;
//! let headers = Signer::new(&secret).unwrap().headers_now(body);
//! // What your handler does with the request:
//! let event = Verifier::new(&secret).unwrap().verify(&headers, body).unwrap();
//! assert_eq!(event.data_id(), Some("user_1"));
//! # assert!(matches!(event, Event::UserDeleted(_)));
//! ```

use super::signature::{self, SigningKey, SECRET_PREFIX};
use super::WebhookError;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use http::{HeaderMap, HeaderValue};
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// Signs request bodies with a signing secret, as Clerk (through Svix) signs webhooks.
#[derive(Clone)]
pub struct Signer {
    key: SigningKey,
}

impl Signer {
    /// A signer for `whsec_<base64>` (as [`Verifier::new`](super::Verifier::new) reads it).
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        Ok(Signer {
            key: SigningKey::from_secret(secret)?,
        })
    }

    /// The `svix-signature` value for a message id, a timestamp (Unix seconds) and a body:
    /// `v1,<base64 of HMAC-SHA256("{id}.{timestamp}.{body}")>`.
    pub fn signature(&self, id: &str, timestamp: u64, body: &[u8]) -> String {
        signature::header_entry(&self.key.sign(id, &timestamp.to_string(), body))
    }

    /// The three `svix-*` headers of a request with this id and timestamp.
    pub fn headers(&self, id: &str, timestamp: u64, body: &[u8]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let value = |s: &str| HeaderValue::from_str(s).expect("ids and signatures are header-safe");
        headers.insert("svix-id", value(id));
        headers.insert("svix-timestamp", HeaderValue::from(timestamp));
        headers.insert(
            "svix-signature",
            value(&self.signature(id, timestamp, body)),
        );
        headers
    }

    /// The headers of a request signed now, with a fresh message id.
    pub fn headers_now(&self, body: &[u8]) -> HeaderMap {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let id = format!("msg_{}", hex(&random_bytes::<12>()));
        self.headers(&id, now, body)
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// A fresh random signing secret, `whsec_` followed by the base64 of 24 random bytes
/// (the form Clerk's dashboard shows).
pub fn random_secret() -> String {
    format!("{SECRET_PREFIX}{}", STANDARD.encode(random_bytes::<24>()))
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0; N];
    graviola::random::fill(&mut bytes).expect("the system random source works");
    bytes
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
