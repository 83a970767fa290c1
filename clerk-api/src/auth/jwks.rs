//! The JWKS cache of one [`Client`]: the instance's keys, fetched through `GetJWKS`.
//!
//! - A fetched set is used for a fixed time to live, counted from the fetch; hits never
//!   extend it, so a key Clerk has withdrawn stops verifying once the TTL is over.
//! - A `kid` the fresh set does not have triggers one refresh, at most one per refresh
//!   interval (counted from the last fetch of any kind), so tokens with made-up `kid`s
//!   cannot make the server hammer Clerk.
//! - Verifications that miss at the same time share one fetch and its outcome, failure
//!   included: a failed fetch is [`VerifyError::KeyUnavailable`], never a fallback to
//!   an expired set.
//! - The cache lives in the client (one per secret key and base URL), never in a
//!   process-wide static, so one instance's keys never verify another's tokens.

use super::error::VerifyError;
use super::key::JwtKey;
use crate::models::{Jwks, JwksKeysItem, JwksRsaPublicKeyKty};
use crate::Client;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;

/// The keys of one fetch.
#[derive(Debug)]
pub(crate) struct KeySet {
    fetched_at: Instant,
    keys: Vec<CachedKey>,
}

#[derive(Debug)]
struct CachedKey {
    kid: Box<str>,
    /// `None`: the set has this `kid`, but not as an RS256 signing key.
    key: Option<JwtKey>,
}

impl KeySet {
    fn from_jwks(jwks: Jwks, fetched_at: Instant) -> KeySet {
        let keys = jwks
            .keys
            .unwrap_or_default()
            .into_iter()
            .filter_map(|item| {
                let (kid, key) = match item {
                    JwksKeysItem::JwksRsaPublicKey(k) => {
                        let signs_rs256 = k.kty == JwksRsaPublicKeyKty::Rsa
                            && k.alg == "RS256"
                            && k.r#use == "sig";
                        let key = signs_rs256
                            .then(|| JwtKey::from_rsa_components(&k.n, &k.e).ok())
                            .flatten();
                        (k.kid, key)
                    }
                    JwksKeysItem::JwksRsaPrivateKey(k) => (k.kid, None),
                    JwksKeysItem::JwksEcdsaPrivateKey(k) => (k.kid, None),
                    JwksKeysItem::JwksEcdsaPublicKey(k) => (k.kid, None),
                    JwksKeysItem::JwksEd25519PrivateKey(k) => (k.kid, None),
                    JwksKeysItem::JwksEd25519PublicKey(k) => (k.kid, None),
                    JwksKeysItem::JwksSymmetricKey(k) => (k.kid, None),
                    JwksKeysItem::Unknown(value) => (value.get("kid")?.as_str()?.to_owned(), None),
                };
                Some(CachedKey {
                    kid: kid.into_boxed_str(),
                    key,
                })
            })
            .collect();
        KeySet { fetched_at, keys }
    }
}

/// How long keys live and how often an unknown `kid` may refresh them; per verifier,
/// applied to the client's shared state.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CachePolicy {
    pub ttl: Duration,
    pub refresh_interval: Duration,
}

type FetchOutcome = Result<Arc<KeySet>, Arc<crate::Error>>;

/// One fetch that every verification arriving while it runs waits for.
type Flight = Arc<OnceCell<FetchOutcome>>;

#[derive(Debug, Default)]
struct State {
    current: Option<Arc<KeySet>>,
    in_flight: Option<Flight>,
    last_fetch: Option<Instant>,
}

/// The JWKS cache a [`Client`] carries (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct JwksCache {
    state: Mutex<State>,
}

/// A key found in a set; holds the set so the key outlives a concurrent refresh.
pub(crate) struct FoundKey {
    set: Arc<KeySet>,
    index: usize,
}

impl FoundKey {
    pub(crate) fn key(&self) -> &JwtKey {
        self.set.keys[self.index]
            .key
            .as_ref()
            .expect("FoundKey is only made for usable keys")
    }

    /// The key for `kid` in `set`: `Ok(None)` when the set does not have it.
    fn in_set(set: &Arc<KeySet>, kid: &str) -> Result<Option<FoundKey>, VerifyError> {
        match set.keys.iter().position(|k| &*k.kid == kid) {
            None => Ok(None),
            Some(index) if set.keys[index].key.is_some() => Ok(Some(FoundKey {
                set: Arc::clone(set),
                index,
            })),
            Some(_) => Err(VerifyError::BadAlgorithm),
        }
    }
}

impl JwksCache {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Every update is a single store, so a panic elsewhere cannot leave it half done.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The key for `kid`, fetching the set when it is missing or expired, or once (rate
    /// limited) when a fresh set lacks `kid`.
    pub(crate) async fn key(
        &self,
        client: &Client,
        kid: &str,
        policy: CachePolicy,
    ) -> Result<FoundKey, VerifyError> {
        let flight = {
            let mut guard = self.lock();
            let state = &mut *guard;
            let now = Instant::now();
            let fresh = state
                .current
                .as_ref()
                .filter(|set| now.duration_since(set.fetched_at) < policy.ttl);
            if let Some(set) = fresh {
                if let Some(found) = FoundKey::in_set(set, kid)? {
                    return Ok(found);
                }
            }
            if let Some(flight) = &state.in_flight {
                Arc::clone(flight)
            } else {
                let refresh_allowed = state
                    .last_fetch
                    .is_none_or(|at| now.duration_since(at) >= policy.refresh_interval);
                // A missing or expired set is always fetched; a fresh one that lacks
                // `kid` only once per refresh interval.
                if fresh.is_some() && !refresh_allowed {
                    return Err(VerifyError::UnknownKey);
                }
                let flight = Flight::default();
                state.in_flight = Some(Arc::clone(&flight));
                state.last_fetch = Some(now);
                flight
            }
        };
        let outcome = flight.get_or_init(|| self.fetch(client)).await.clone();
        {
            let mut state = self.lock();
            if state
                .in_flight
                .as_ref()
                .is_some_and(|f| Arc::ptr_eq(f, &flight))
            {
                state.in_flight = None;
            }
        }
        match outcome {
            Ok(set) => FoundKey::in_set(&set, kid)?.ok_or(VerifyError::UnknownKey),
            Err(e) => Err(VerifyError::KeyUnavailable(e)),
        }
    }

    async fn fetch(&self, client: &Client) -> FetchOutcome {
        let jwks = client.get_jwks().await.map_err(Arc::new)?;
        let set = Arc::new(KeySet::from_jwks(jwks, Instant::now()));
        self.lock().current = Some(Arc::clone(&set));
        Ok(set)
    }
}
