//! Opaque machine tokens Clerk has verified recently, so a burst of requests with one
//! API key costs one Backend API call, not one each.
//!
//! The bound on revocation: an entry is used for at most the verifier's
//! `machine_token_cache_ttl` (default [`DEFAULT_MACHINE_TOKEN_CACHE_TTL`]), counted
//! from the verification and never extended by use, and never past the token's own
//! expiry; so a token revoked in Clerk stops working here within that time. Refusals
//! are not cached (the next request asks Clerk again). Entries are keyed by the
//! SHA-256 of the token, so the cache keeps no token text; it holds at most
//! [`MAX_ENTRIES`] tokens, and once full, new ones are verified but not kept until
//! older ones expire.

use super::caller::MachineAuth;
use graviola::hashing::{Hash as _, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long a verified opaque token is used without asking Clerk again, unless the
/// verifier says otherwise: the most a revoked token keeps working.
pub const DEFAULT_MACHINE_TOKEN_CACHE_TTL: Duration = Duration::from_secs(10);

/// The most tokens one verifier keeps.
pub(super) const MAX_ENTRIES: usize = 10_000;

type Digest = [u8; 32];

#[derive(Debug)]
struct Entry {
    auth: MachineAuth,
    until: Instant,
}

#[derive(Debug)]
pub(super) struct OpaqueCache {
    ttl: Duration,
    entries: Mutex<HashMap<Digest, Entry>>,
}

fn digest(token: &str) -> Digest {
    let mut out = [0u8; 32];
    out.copy_from_slice(Sha256::hash(token.as_bytes()).as_ref());
    out
}

impl OpaqueCache {
    /// A cache that keeps tokens for `ttl` (zero: keeps none).
    pub fn new(ttl: Duration) -> OpaqueCache {
        OpaqueCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Digest, Entry>> {
        // Each change is one insert or remove: a panic elsewhere leaves it whole.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn get(&self, token: &str) -> Option<MachineAuth> {
        if self.ttl.is_zero() {
            return None;
        }
        let key = digest(token);
        let mut entries = self.lock();
        match entries.get(&key) {
            Some(entry) if entry.until > Instant::now() => Some(entry.auth.clone()),
            Some(_) => {
                entries.remove(&key);
                None
            }
            None => None,
        }
    }

    pub fn insert(&self, token: &str, auth: &MachineAuth) {
        if self.ttl.is_zero() {
            return;
        }
        let now = Instant::now();
        let mut until = now + self.ttl;
        if let Some(expires_at_ms) = auth.expires_at_ms {
            let now_ms = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
            let left = u64::try_from(expires_at_ms.saturating_sub(now_ms)).unwrap_or(0);
            until = until.min(now + Duration::from_millis(left));
        }
        let mut entries = self.lock();
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, entry| entry.until > now);
            if entries.len() >= MAX_ENTRIES {
                return;
            }
        }
        entries.insert(
            digest(token),
            Entry {
                auth: auth.clone(),
                until,
            },
        );
    }
}
