//! Receiving Clerk webhooks: verify that a request comes from Clerk, then decode it into
//! a typed [`Event`] (feature `webhook`).
//!
//! Clerk delivers webhooks through Svix. Each request carries `svix-id`,
//! `svix-timestamp` and `svix-signature` (or the unbranded `webhook-*` names); the
//! signature is HMAC-SHA256 over `"{id}.{timestamp}.{raw body}"` keyed with the
//! endpoint's signing secret (`whsec_...`). [`Verifier::verify`] checks the headers,
//! the timestamp (five minutes either way by default), every `v1` signature listed (one
//! per secret while a secret is rotated, compared in constant time) and decodes the
//! body; any refusal is a [`WebhookError`] whose [`reason`](WebhookError::reason) is one
//! stable word.
//!
//! ```
//! # fn handle(headers: &http::HeaderMap, body: &[u8]) -> u16 {
//! use clerk_api::webhook::{Event, Verifier};
//!
//! let verifier = Verifier::from_env().expect("CLERK_WEBHOOK_SIGNING_SECRET"); // once, at start-up
//! match verifier.verify(headers, body) {
//!     Ok(Event::UserCreated(event)) => println!("welcome {}", event.data.id),
//!     Ok(Event::UserDeleted(event)) => println!("goodbye {:?}", event.data.id),
//!     Ok(other) => println!("{} ({:?})", other.event_type(), other.data_id()),
//!     Err(refused) => {
//!         eprintln!("refused {}: {refused}", refused.reason());
//!         return 400;
//!     }
//! }
//! 204
//! # }
//! ```
//!
//! With the `axum` or `actix` feature, [`VerifiedEvent`] does the same as a handler
//! argument. With
//! `test-util`, [`testing`] signs requests for your own tests.
//!
//! Events are generated from `spec/clerk-webhooks.yaml` into [`events`]: one variant
//! of [`Event`] per event type, each holding an [`Envelope`] with the typed `data`, and
//! [`Event::Unknown`] (the raw JSON) for event types newer than this crate.

#[cfg(feature = "actix")]
mod actix;
mod error;
#[cfg(any(feature = "axum", feature = "actix"))]
mod extract;
mod headers;
mod signature;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod testing;
mod verify;

/// The event types and their payloads, generated from `spec/clerk-webhooks.yaml`.
// prettyplease formats the generated file; rustfmt leaves it alone.
#[rustfmt::skip]
#[path = "../generated/webhook_events.rs"]
pub mod events;

pub use error::WebhookError;
pub use events::{Envelope, Event};
#[cfg(any(feature = "axum", feature = "actix"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "axum", feature = "actix"))))]
pub use extract::VerifiedEvent;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use extract::WebhookRejection;
pub use headers::WebhookHeaders;
pub use signature::SECRET_PREFIX;
pub use verify::{Verifier, SECRET_ENV};
