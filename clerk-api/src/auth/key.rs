//! An RSA public key that checks RS256 signatures (graviola: pure Rust and assembly).

use super::der;
use super::error::KeyError;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use graviola::signing::rsa::VerifyingKey;
use std::fmt;
use std::sync::Arc;

/// Standard base64 as PEM bodies use it; padding is optional as some tools drop it.
const PEM_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The public key that verifies an instance's session tokens: an RSA key of 2048 to
/// 8192 bits. Cheap to clone.
///
/// [`JwtKey::from_pem`] reads the key the Clerk Dashboard shows as "JWKS Public Key" /
/// "PEM Public Key" (the `CLERK_JWT_KEY` other Clerk SDKs read): with it, verification
/// needs no network at all.
#[derive(Clone)]
pub struct JwtKey {
    key: Arc<VerifyingKey>,
    modulus_bits: usize,
}

impl JwtKey {
    /// Reads a PEM public key: `-----BEGIN PUBLIC KEY-----` (SubjectPublicKeyInfo, as
    /// Clerk gives it) or `-----BEGIN RSA PUBLIC KEY-----` (PKCS#1). Line breaks may be
    /// real or written as `\n` (as env files often carry them), and the armor lines may
    /// be left out (the base64 body of a SubjectPublicKeyInfo alone).
    pub fn from_pem(pem: &str) -> Result<JwtKey, KeyError> {
        let text = pem.trim().replace("\\n", "\n").replace("\\r", "");
        let (label, body) = match text.strip_prefix("-----BEGIN ") {
            Some(rest) => {
                let (label, rest) = rest
                    .split_once("-----")
                    .ok_or(KeyError("the PEM armor line is not closed"))?;
                let end = rest
                    .find("-----END ")
                    .ok_or(KeyError("the PEM has no END line"))?;
                (label, &rest[..end])
            }
            None => ("PUBLIC KEY", text.as_str()),
        };
        let base64: String = body.split_ascii_whitespace().collect();
        let der = PEM_BASE64
            .decode(base64)
            .map_err(|_| KeyError("the PEM body is not base64"))?;
        match label {
            "PUBLIC KEY" => JwtKey::from_spki_der(&der),
            "RSA PUBLIC KEY" => JwtKey::from_pkcs1_der(&der),
            _ => Err(KeyError(
                "the PEM is not a PUBLIC KEY or RSA PUBLIC KEY (a certificate or private key?)",
            )),
        }
    }

    /// Reads a DER SubjectPublicKeyInfo holding an RSA key.
    pub fn from_spki_der(der: &[u8]) -> Result<JwtKey, KeyError> {
        JwtKey::from_pkcs1_der(der::rsa_key_of_spki(der)?)
    }

    /// Reads a DER PKCS#1 `RSAPublicKey`.
    pub fn from_pkcs1_der(der: &[u8]) -> Result<JwtKey, KeyError> {
        let (n, _) = der::rsa_components(der)?;
        let key = VerifyingKey::from_pkcs1_der(der).map_err(|_| {
            KeyError("not a usable RSA key (the modulus must be 2048 to 8192 bits)")
        })?;
        Ok(JwtKey {
            key: Arc::new(key),
            modulus_bits: n.len() * 8 - n.first().map_or(0, |b| b.leading_zeros() as usize),
        })
    }

    /// A key from a JWK's `n` and `e` (base64url, unpadded).
    pub fn from_rsa_components(n: &str, e: &str) -> Result<JwtKey, KeyError> {
        let decode = |part: &str| {
            URL_SAFE_NO_PAD
                .decode(part)
                .map_err(|_| KeyError("the JWK's n or e is not base64url"))
        };
        JwtKey::from_pkcs1_der(&der::rsa_public_key(&decode(n)?, &decode(e)?))
    }

    /// The size of the modulus in bits (2048 for Clerk's keys).
    pub fn modulus_bits(&self) -> usize {
        self.modulus_bits
    }

    /// Whether `signature` is the RSASSA-PKCS1-v1_5 SHA-256 signature of `message`.
    pub(crate) fn verifies_rs256(&self, message: &[u8], signature: &[u8]) -> bool {
        self.key.verify_pkcs1_sha256(signature, message).is_ok()
    }
}

impl fmt::Debug for JwtKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtKey")
            .field("algorithm", &"RS256")
            .field("modulus_bits", &self.modulus_bits)
            .finish()
    }
}
