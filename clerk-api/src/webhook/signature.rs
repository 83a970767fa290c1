//! The Svix signature scheme: HMAC-SHA256 over `"{id}.{timestamp}.{body}"` with the
//! decoded `whsec_` secret, sent base64-encoded as `v1,<signature>`; a header may list
//! several space-separated signatures (one per secret while a secret is rotated).

use super::WebhookError;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine};
use graviola::hashing::hmac::Hmac;
use graviola::hashing::{HashOutput, Sha256};

/// The prefix Clerk (and Svix) put before the base64 of a signing secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// Standard base64 with or without padding, as Svix accepts secrets and signatures.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A signing secret, decoded and keyed into HMAC-SHA256 once.
#[derive(Clone)]
pub(crate) struct SigningKey {
    keyed: Hmac<Sha256>,
}

impl SigningKey {
    /// Reads `whsec_<base64>` (the prefix may be left out, as Svix allows).
    pub fn from_secret(secret: &str) -> Result<Self, WebhookError> {
        let secret = secret.trim();
        let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
        if encoded.is_empty() {
            return Err(WebhookError::InvalidSecret {
                problem: "it is empty",
            });
        }
        let key = LENIENT
            .decode(encoded)
            .map_err(|_| WebhookError::InvalidSecret {
                problem: "it is not `whsec_` followed by base64",
            })?;
        if key.is_empty() {
            return Err(WebhookError::InvalidSecret {
                problem: "it is empty",
            });
        }
        Ok(SigningKey {
            keyed: Hmac::new(key),
        })
    }

    /// HMAC-SHA256 of `"{id}.{timestamp}.{body}"`.
    pub fn sign(&self, id: &str, timestamp: &str, body: &[u8]) -> HashOutput {
        let mut mac = self.keyed.clone();
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.finish()
    }
}

/// `v1,<base64>`: one entry of a signature header.
#[cfg(feature = "test-util")]
pub(crate) fn header_entry(signature: &HashOutput) -> String {
    use base64::engine::general_purpose::STANDARD;
    format!("v1,{}", STANDARD.encode(signature.as_ref()))
}

/// Whether any `v1` entry of a signature header is `expected`. Entries of other
/// versions and entries that are not base64 are skipped; each comparison takes the
/// same time wherever the bytes differ.
pub(crate) fn header_matches(header: &str, expected: &HashOutput) -> bool {
    header
        .split(' ')
        .filter_map(|entry| entry.split_once(','))
        .filter(|(version, _)| *version == "v1")
        .filter_map(|(_, signature)| LENIENT.decode(signature).ok())
        .any(|signature| expected.ct_equal(&signature))
}
