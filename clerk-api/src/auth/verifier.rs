//! [`Verifier`]: checks a session token's signature and claims.

use super::claims::Claims;
use super::error::VerifyError;
use super::jwks::CachePolicy;
use super::jwt::{self, Parts, INLINE_PAYLOAD_LEN, MAX_HEADER_LEN, MAX_SIGNATURE_LEN};
use super::key::JwtKey;
use crate::Client;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How far `exp`, `nbf` and `iat` may be off unless configured otherwise: clocks of
/// Clerk's servers and of yours differ a little, and a token issued "in the future" by
/// a second is still good.
pub const DEFAULT_CLOCK_SKEW: Duration = Duration::from_secs(5);

/// How long a fetched JWKS is used before it is fetched again (never extended by use).
pub const DEFAULT_JWKS_TTL: Duration = Duration::from_secs(5 * 60);

/// The least time between two fetches caused by an unknown `kid`.
pub const DEFAULT_JWKS_REFRESH_INTERVAL: Duration = Duration::from_secs(30);

/// Verifies Clerk session tokens (RS256 JWTs). Cheap to clone; build one per instance
/// and share it.
///
/// ```no_run
/// # async fn run(token: &str) -> Result<(), Box<dyn std::error::Error>> {
/// use clerk_api::auth::{JwtKey, Verifier};
///
/// // Networkless, with the instance's PEM public key:
/// let verifier = Verifier::with_key(JwtKey::from_pem(&std::env::var("CLERK_JWT_KEY")?)?)
///     .authorized_parties(["https://app.example.com"])
///     .build();
/// // Or with the instance's JWKS, fetched through the client and cached in it:
/// let verifier = Verifier::with_jwks(clerk_api::Client::from_env()?).build();
///
/// let claims = verifier.verify(token).await?;
/// println!("signed in as {}", claims.sub);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Verifier {
    settings: Arc<Settings>,
}

#[derive(Debug)]
struct Settings {
    keys: Keys,
    clock_skew: Duration,
    authorized_parties: Vec<String>,
    issuer: Option<String>,
    cache: CachePolicy,
}

enum Keys {
    /// One key for every token, whatever its `kid`: no network.
    Fixed(JwtKey),
    /// The instance's JWKS, cached in the client.
    Jwks(Client),
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Keys::Fixed(key) => f.debug_tuple("Fixed").field(key).finish(),
            Keys::Jwks(client) => f.debug_tuple("Jwks").field(&client.base_url()).finish(),
        }
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.settings, f)
    }
}

/// Configures a [`Verifier`].
#[derive(Debug)]
#[must_use]
pub struct VerifierBuilder {
    settings: Settings,
}

impl Verifier {
    /// Verifies with this one key, making no network call (the `kid` of a token is not
    /// looked at).
    pub fn with_key(key: JwtKey) -> VerifierBuilder {
        VerifierBuilder::new(Keys::Fixed(key))
    }

    /// Verifies with the instance's keys, fetched from `GET /jwks` through `client` and
    /// cached in it (see [the module docs](super#the-jwks-cache)).
    pub fn with_jwks(client: Client) -> VerifierBuilder {
        VerifierBuilder::new(Keys::Jwks(client))
    }

    /// Checks `token` (without a `Bearer ` prefix) and returns its claims.
    pub async fn verify(&self, token: &str) -> Result<Claims, VerifyError> {
        let settings = &*self.settings;
        let parts = jwt::split(token)?;
        let mut header_buffer = [0u8; MAX_HEADER_LEN];
        let header = jwt::decode_into(
            parts.header,
            &mut header_buffer,
            "the header is not base64url of at most 1 KiB",
        )?;
        let header = jwt::parse_header(header)?;
        if header.alg.0 != "RS256" {
            return Err(VerifyError::BadAlgorithm);
        }
        match &settings.keys {
            Keys::Fixed(key) => settings.check(&parts, key),
            Keys::Jwks(client) => {
                let kid = header.kid.as_ref().ok_or(VerifyError::UnknownKey)?;
                let kid: &str = &kid.0;
                let found = client.jwks_cache().key(client, kid, settings.cache).await?;
                settings.check(&parts, found.key())
            }
        }
    }
}

impl Settings {
    /// Everything after the key is known: every part decodes, the signature verifies,
    /// then the claims it covers are read and checked.
    fn check(&self, parts: &Parts<'_>, key: &JwtKey) -> Result<Claims, VerifyError> {
        let mut signature = [0u8; MAX_SIGNATURE_LEN];
        let signature = jwt::decode_into(
            parts.signature,
            &mut signature,
            "the signature is not base64url of at most 1 KiB",
        )?;
        let mut inline = [0u8; INLINE_PAYLOAD_LEN];
        let mut heap = Vec::new();
        let estimate = base64::decoded_len_estimate(parts.payload.len());
        let buffer: &mut [u8] = if estimate <= inline.len() {
            &mut inline
        } else {
            heap.resize(estimate, 0);
            &mut heap
        };
        let payload = jwt::decode_into(parts.payload, buffer, "the payload is not base64url")?;
        if !key.verifies_rs256(parts.signing_input, signature) {
            return Err(VerifyError::BadSignature);
        }
        let claims: Claims = serde_json::from_slice(payload).map_err(|_| {
            VerifyError::Malformed(
                "the payload is not a JSON object with string `sub` and numeric `exp`",
            )
        })?;
        self.check_claims(&claims, SystemTime::now())?;
        Ok(claims)
    }

    fn check_claims(&self, claims: &Claims, now: SystemTime) -> Result<(), VerifyError> {
        // Milliseconds, so the skew is exact however the clock sits within a second.
        let now_ms = match now.duration_since(UNIX_EPOCH) {
            Ok(since) => i128::try_from(since.as_millis()).unwrap_or(i128::MAX),
            Err(before) => -i128::try_from(before.duration().as_millis()).unwrap_or(i128::MAX),
        };
        let skew_ms = i128::try_from(self.clock_skew.as_millis()).unwrap_or(i128::MAX);
        let ms = |seconds: i64| i128::from(seconds) * 1000;
        if ms(claims.exp) + skew_ms <= now_ms {
            return Err(VerifyError::Expired);
        }
        if claims.nbf.is_some_and(|nbf| ms(nbf) > now_ms + skew_ms) {
            return Err(VerifyError::NotYetValid);
        }
        if claims.iat.is_some_and(|iat| ms(iat) > now_ms + skew_ms) {
            return Err(VerifyError::IssuedInFuture);
        }
        if let Some(issuer) = &self.issuer {
            if claims.iss.as_deref() != Some(issuer.as_str()) {
                return Err(VerifyError::WrongIssuer);
            }
        }
        if let Some(azp) = &claims.azp {
            if !self.authorized_parties.is_empty()
                && !self.authorized_parties.iter().any(|party| party == azp)
            {
                return Err(VerifyError::UnauthorizedParty);
            }
        }
        Ok(())
    }
}

impl VerifierBuilder {
    fn new(keys: Keys) -> VerifierBuilder {
        VerifierBuilder {
            settings: Settings {
                keys,
                clock_skew: DEFAULT_CLOCK_SKEW,
                authorized_parties: Vec::new(),
                issuer: None,
                cache: CachePolicy {
                    ttl: DEFAULT_JWKS_TTL,
                    refresh_interval: DEFAULT_JWKS_REFRESH_INTERVAL,
                },
            },
        }
    }

    /// How far `exp`, `nbf` and `iat` may be off (default [`DEFAULT_CLOCK_SKEW`]).
    pub fn clock_skew(mut self, skew: Duration) -> Self {
        self.settings.clock_skew = skew;
        self
    }

    /// The origins a token's `azp` must be one of, e.g. `https://app.example.com`. A
    /// token without `azp` is accepted, as Clerk's SDKs do; with no parties configured,
    /// any `azp` is.
    pub fn authorized_parties<I, S>(mut self, parties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.settings.authorized_parties = parties.into_iter().map(Into::into).collect();
        self
    }

    /// The `iss` every token must carry: the instance's Frontend API URL, e.g.
    /// `https://clerk.example.com` (default: not checked).
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.settings.issuer = Some(issuer.into());
        self
    }

    /// How long a fetched JWKS is used (default [`DEFAULT_JWKS_TTL`]).
    pub fn jwks_ttl(mut self, ttl: Duration) -> Self {
        self.settings.cache.ttl = ttl;
        self
    }

    /// The least time between two JWKS fetches caused by an unknown `kid` (default
    /// [`DEFAULT_JWKS_REFRESH_INTERVAL`]).
    pub fn jwks_refresh_interval(mut self, interval: Duration) -> Self {
        self.settings.cache.refresh_interval = interval;
        self
    }

    pub fn build(self) -> Verifier {
        Verifier {
            settings: Arc::new(self.settings),
        }
    }
}
