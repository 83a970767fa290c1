//! [`Verifier`]: tells a token's kind and checks it: signature and claims for JWTs,
//! Clerk's verdict for opaque machine tokens.

use super::backend_api;
use super::caller::{Caller, MachineAuth};
use super::claims::{Claims, SessionStatus};
use super::cookie::suffixed_session_cookie;
use super::error::VerifyError;
use super::jwks::CachePolicy;
use super::jwt::{self, Parts, INLINE_PAYLOAD_LEN, MAX_HEADER_LEN, MAX_SIGNATURE_LEN};
use super::key::JwtKey;
use super::machine;
use super::opaque_cache::{OpaqueCache, DEFAULT_MACHINE_TOKEN_CACHE_TTL};
use super::token_kind::{category, jwt_kind, opaque_kind, Accepts, TokenKind, OAUTH_JWT_TYPES};
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

/// Verifies the tokens of Clerk requests: session tokens (RS256 JWTs) by default, and
/// machine tokens (API keys, M2M and OAuth tokens) when [accepted](VerifierBuilder::accepts).
/// Cheap to clone; build one per instance and share it.
///
/// ```no_run
/// # async fn run(token: &str) -> Result<(), Box<dyn std::error::Error>> {
/// use clerk_api::auth::{Accepts, Caller, JwtKey, TokenKind, Verifier};
///
/// // Networkless, with the instance's PEM public key:
/// let verifier = Verifier::with_key(JwtKey::from_pem(&std::env::var("CLERK_JWT_KEY")?)?)
///     .authorized_parties(["https://app.example.com"])
///     .build();
/// let claims = verifier.verify(token).await?;
/// println!("signed in as {}", claims.sub);
///
/// // With the instance's JWKS, fetched through the client and cached in it; API keys
/// // are checked through the same client:
/// let verifier = Verifier::with_jwks(clerk_api::Client::from_env()?)
///     .accepts([TokenKind::SessionToken, TokenKind::ApiKey])
///     .build();
/// match verifier.verify_caller(token).await? {
///     Caller::Session(claims) => println!("user {}", claims.sub),
///     Caller::Machine(machine) => println!("API key {} of {}", machine.id, machine.subject),
/// }
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
    /// Sends the verify calls of opaque machine tokens.
    api: Option<Client>,
    clock_skew: Duration,
    authorized_parties: Vec<String>,
    issuer: Option<String>,
    cache: CachePolicy,
    accepts: Accepts,
    pending_signed_out: bool,
    /// `__session_<suffix>`, when a publishable key is configured.
    suffixed_cookie: Option<String>,
    opaque_cache: OpaqueCache,
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
    keys: Keys,
    api: Option<Client>,
    clock_skew: Duration,
    authorized_parties: Vec<String>,
    issuer: Option<String>,
    cache: CachePolicy,
    accepts: Accepts,
    pending_signed_out: bool,
    suffixed_cookie: Option<String>,
    machine_cache_ttl: Duration,
}

impl Verifier {
    /// Verifies JWTs with this one key, making no network call (the `kid` of a token is
    /// not looked at). Opaque machine tokens also need [`VerifierBuilder::client`].
    pub fn with_key(key: JwtKey) -> VerifierBuilder {
        VerifierBuilder::new(Keys::Fixed(key), None)
    }

    /// Verifies JWTs with the instance's keys, fetched from `GET /jwks` through
    /// `client` and cached in it (see [the module docs](super#the-jwks-cache)); opaque
    /// machine tokens are checked through the same client.
    pub fn with_jwks(client: Client) -> VerifierBuilder {
        VerifierBuilder::new(Keys::Jwks(client.clone()), Some(client))
    }

    /// Checks a session token (without a `Bearer ` prefix) and returns its claims. Any
    /// other kind of token is refused (`wrong_token_type`), whatever the verifier
    /// [accepts](VerifierBuilder::accepts): use [`Verifier::verify_caller`] for those.
    pub async fn verify(&self, token: &str) -> Result<Claims, VerifyError> {
        match self.verify_as(token, Accepts::session_token()).await? {
            Caller::Session(claims) => Ok(claims),
            Caller::Machine(_) => unreachable!("only session tokens were accepted"),
        }
    }

    /// Checks a token of any kind the verifier [accepts](VerifierBuilder::accepts) and
    /// says who is calling.
    pub async fn verify_caller(&self, token: &str) -> Result<Caller, VerifyError> {
        self.verify_as(token, self.settings.accepts).await
    }

    pub(super) fn accepts(&self) -> Accepts {
        self.settings.accepts
    }

    /// `__session_<suffix>`, read before `__session`, when a publishable key is set.
    pub(super) fn suffixed_cookie(&self) -> Option<&str> {
        self.settings.suffixed_cookie.as_deref()
    }

    pub(super) async fn verify_as(
        &self,
        token: &str,
        accepts: Accepts,
    ) -> Result<Caller, VerifyError> {
        if let Some(kind) = opaque_kind(token) {
            if !accepts.contains(kind) {
                return Err(VerifyError::WrongTokenType(not_accepted(kind)));
            }
            // What no JWT may exceed is not sent to Clerk either.
            if token.len() > jwt::MAX_TOKEN_LEN {
                return Err(VerifyError::Malformed("the token is larger than 16 KiB"));
            }
            return self.verify_opaque(kind, token).await.map(Caller::Machine);
        }
        self.verify_jwt(token, accepts).await
    }

    /// An opaque machine token: from the cache, or Clerk's verdict.
    async fn verify_opaque(
        &self,
        kind: TokenKind,
        token: &str,
    ) -> Result<MachineAuth, VerifyError> {
        let settings = &*self.settings;
        if let Some(auth) = settings.opaque_cache.get(token) {
            return Ok(auth);
        }
        let Some(api) = &settings.api else {
            return Err(VerifyError::ApiUnavailable(Arc::new(crate::Error::Config(
                "opaque machine tokens are verified through the Backend API: give the verifier a client"
                    .to_owned(),
            ))));
        };
        let answer = backend_api::verify_opaque(api, kind, token)
            .await
            .map_err(machine::from_verify_error)?;
        let skew_ms = i64::try_from(settings.clock_skew.as_millis()).unwrap_or(i64::MAX);
        let auth = machine::from_verify_answer(kind, answer, unix_ms(SystemTime::now()), skew_ms)?;
        settings.opaque_cache.insert(token, &auth);
        Ok(auth)
    }

    /// A JWT of any kind: its kind is told from the header and subject first, so a
    /// kind that is not accepted costs no key lookup; then the class checks of its
    /// kind, the signature, and the claims.
    async fn verify_jwt(&self, token: &str, accepts: Accepts) -> Result<Caller, VerifyError> {
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
        // The session claims are read once, here, and their `sub` tells the kind; the
        // subject alone is read when they do not parse or the type says OAuth.
        let oauth_type = header
            .typ()
            .is_some_and(|typ| OAUTH_JWT_TYPES.contains(&typ));
        let session_claims = (!oauth_type).then(|| serde_json::from_slice::<Claims>(payload));
        let kind = match &session_claims {
            Some(Ok(claims)) => jwt_kind(header.typ(), Some(&claims.sub)),
            _ => {
                let subject = jwt::peek_subject(payload)?;
                jwt_kind(header.typ(), subject.as_ref().map(|s| &*s.0))
            }
        };
        if !accepts.contains(kind) {
            return Err(VerifyError::WrongTokenType(not_accepted(kind)));
        }
        check_class(kind, header.cat(), header.typ())?;
        match &settings.keys {
            Keys::Fixed(key) => settings.check_signature(&parts, key)?,
            Keys::Jwks(client) => {
                let kid = header.kid.as_ref().ok_or(VerifyError::UnknownKey)?;
                let kid: &str = &kid.0;
                let found = client.jwks_cache().key(client, kid, settings.cache).await?;
                settings.check_signature(&parts, found.key())?;
            }
        }
        let now = SystemTime::now();
        if let (TokenKind::SessionToken, Some(parsed)) = (kind, session_claims) {
            let claims = parsed.map_err(|_| {
                VerifyError::Malformed(
                    "the payload is not a JSON object of Clerk's session claims (string `sub`, numeric `exp`)",
                )
            })?;
            settings.check_session_claims(&claims, now)?;
            return Ok(Caller::Session(claims));
        }
        let claims: MachineClaims = serde_json::from_slice(payload).map_err(|_| {
            VerifyError::Malformed(
                "the payload is not a JSON object with string `sub` and numeric `exp`",
            )
        })?;
        settings.check_times(claims.exp, claims.nbf, claims.iat, now)?;
        let other = claims.other;
        Ok(Caller::Machine(match kind {
            TokenKind::M2mToken => machine::from_m2m_claims(other, claims.sub, claims.exp),
            _ => machine::from_oauth_claims(other, claims.sub, claims.exp),
        }))
    }
}

/// The refusal of a kind the verifier does not take.
fn not_accepted(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::SessionToken => "a session token, which this verifier does not accept",
        TokenKind::ApiKey => "an API key, which this verifier does not accept",
        TokenKind::M2mToken => "an M2M token, which this verifier does not accept",
        TokenKind::OAuthToken => "an OAuth access token, which this verifier does not accept",
    }
}

/// The header checks of each JWT kind: that `cat` and `typ` are those of its class.
fn check_class(kind: TokenKind, cat: Option<&str>, typ: Option<&str>) -> Result<(), VerifyError> {
    let plain_jwt = typ.is_none_or(|typ| typ == "JWT");
    match kind {
        TokenKind::SessionToken if !category::allows(cat, category::SESSION_TOKEN) => {
            Err(VerifyError::WrongTokenType(
                "the header's `cat` names another class of token than a session token",
            ))
        }
        TokenKind::SessionToken if !plain_jwt => Err(VerifyError::WrongTokenType(
            "the header's `typ` is not `JWT`",
        )),
        TokenKind::M2mToken if !category::allows(cat, category::M2M_TOKEN) => {
            Err(VerifyError::WrongTokenType(
                "the header's `cat` names another class of token than an M2M token",
            ))
        }
        TokenKind::M2mToken if !plain_jwt => Err(VerifyError::WrongTokenType(
            "the header's `typ` is not `JWT`",
        )),
        TokenKind::OAuthToken if category::is_a_class(cat) => Err(VerifyError::WrongTokenType(
            "the header's `cat` names a class of token an OAuth access token is not",
        )),
        _ => Ok(()),
    }
}

/// The claims of a machine JWT: the times checked, the rest kept as JSON.
#[derive(serde::Deserialize)]
struct MachineClaims {
    sub: String,
    exp: i64,
    #[serde(default)]
    nbf: Option<i64>,
    #[serde(default)]
    iat: Option<i64>,
    #[serde(flatten)]
    other: serde_json::Map<String, serde_json::Value>,
}

fn unix_ms(now: SystemTime) -> i64 {
    match now.duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_millis()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

impl Settings {
    /// The signature over the token's first two parts, with `key`.
    fn check_signature(&self, parts: &Parts<'_>, key: &JwtKey) -> Result<(), VerifyError> {
        let mut signature = [0u8; MAX_SIGNATURE_LEN];
        let signature = jwt::decode_into(
            parts.signature,
            &mut signature,
            "the signature is not base64url of at most 1 KiB",
        )?;
        if !key.verifies_rs256(parts.signing_input, signature) {
            return Err(VerifyError::BadSignature);
        }
        Ok(())
    }

    /// `exp`, `nbf` and `iat` against the clock, with the skew either way.
    fn check_times(
        &self,
        exp: i64,
        nbf: Option<i64>,
        iat: Option<i64>,
        now: SystemTime,
    ) -> Result<(), VerifyError> {
        // Milliseconds, so the skew is exact however the clock sits within a second.
        let now_ms = i128::from(unix_ms(now));
        let skew_ms = i128::try_from(self.clock_skew.as_millis()).unwrap_or(i128::MAX);
        let ms = |seconds: i64| i128::from(seconds) * 1000;
        if ms(exp) + skew_ms <= now_ms {
            return Err(VerifyError::Expired);
        }
        if nbf.is_some_and(|nbf| ms(nbf) > now_ms + skew_ms) {
            return Err(VerifyError::NotYetValid);
        }
        if iat.is_some_and(|iat| ms(iat) > now_ms + skew_ms) {
            return Err(VerifyError::IssuedInFuture);
        }
        Ok(())
    }

    fn check_session_claims(&self, claims: &Claims, now: SystemTime) -> Result<(), VerifyError> {
        self.check_times(claims.exp, claims.nbf, claims.iat, now)?;
        if let Some(issuer) = &self.issuer {
            if claims.iss.as_deref() != Some(issuer.as_str()) {
                return Err(VerifyError::WrongIssuer);
            }
        }
        // Once parties are configured, a token must name one: leaving `azp` out must
        // not be a way around the check.
        if !self.authorized_parties.is_empty()
            && !claims
                .azp
                .as_ref()
                .is_some_and(|azp| self.authorized_parties.iter().any(|party| party == azp))
        {
            return Err(VerifyError::UnauthorizedParty);
        }
        if self.pending_signed_out && claims.session_status == Some(SessionStatus::Pending) {
            return Err(VerifyError::PendingSession);
        }
        Ok(())
    }
}

impl VerifierBuilder {
    fn new(keys: Keys, api: Option<Client>) -> VerifierBuilder {
        VerifierBuilder {
            keys,
            api,
            clock_skew: DEFAULT_CLOCK_SKEW,
            authorized_parties: Vec::new(),
            issuer: None,
            cache: CachePolicy {
                ttl: DEFAULT_JWKS_TTL,
                refresh_interval: DEFAULT_JWKS_REFRESH_INTERVAL,
            },
            accepts: Accepts::default(),
            pending_signed_out: true,
            suffixed_cookie: None,
            machine_cache_ttl: DEFAULT_MACHINE_TOKEN_CACHE_TTL,
        }
    }

    /// How far `exp`, `nbf` and `iat` may be off (default [`DEFAULT_CLOCK_SKEW`]).
    pub fn clock_skew(mut self, skew: Duration) -> Self {
        self.clock_skew = skew;
        self
    }

    /// The origins a session token's `azp` must be one of, e.g.
    /// `https://app.example.com`. Once any is configured, a token without `azp` is
    /// refused too (`unauthorized_party`), as Clerk's SDKs now do; with none, any
    /// `azp` or none passes. Machine tokens are not issued to browser origins and are
    /// not checked against these.
    pub fn authorized_parties<I, S>(mut self, parties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.authorized_parties = parties.into_iter().map(Into::into).collect();
        self
    }

    /// The `iss` every session token must carry: the instance's Frontend API URL, e.g.
    /// `https://clerk.example.com` (default: not checked).
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// How long a fetched JWKS is used (default [`DEFAULT_JWKS_TTL`]).
    pub fn jwks_ttl(mut self, ttl: Duration) -> Self {
        self.cache.ttl = ttl;
        self
    }

    /// The least time between two JWKS fetches caused by an unknown `kid` (default
    /// [`DEFAULT_JWKS_REFRESH_INTERVAL`]).
    pub fn jwks_refresh_interval(mut self, interval: Duration) -> Self {
        self.cache.refresh_interval = interval;
        self
    }

    /// The kinds of token [`Verifier::verify_caller`] and the request layers accept
    /// (default: session tokens only): one [`TokenKind`], a list of them, or
    /// [`Accepts::any`].
    pub fn accepts(mut self, kinds: impl Into<Accepts>) -> Self {
        self.accepts = kinds.into();
        self
    }

    /// Whether a pending session (`sts: pending`: signed in, with a task such as
    /// choosing an organization left) is refused as signed out (`session_pending`),
    /// which is the default as in Clerk's SDKs; `false` lets it in, for the pages that
    /// help the user finish the task (check [`Claims::session_status`] there).
    pub fn treat_pending_as_signed_out(mut self, signed_out: bool) -> Self {
        self.pending_signed_out = signed_out;
        self
    }

    /// The instance's publishable key (`pk_...`): requests are then read for the
    /// instance's own session cookie, `__session_<suffix>` (see
    /// [`cookie_suffix`](super::cookie_suffix)), before `__session`.
    pub fn publishable_key(mut self, publishable_key: &str) -> Self {
        self.suffixed_cookie = Some(suffixed_session_cookie(publishable_key));
        self
    }

    /// The client opaque machine tokens are verified through (set already by
    /// [`Verifier::with_jwks`]). Its retries (also for these POSTs, which only read),
    /// timeouts, deadline and rate limit apply; give it a
    /// [deadline](crate::RequestOptions::deadline) to bound how long a request waits
    /// for Clerk.
    pub fn client(mut self, client: Client) -> Self {
        self.api = Some(client);
        self
    }

    /// How long a verified opaque machine token is used without asking Clerk again
    /// (default [`DEFAULT_MACHINE_TOKEN_CACHE_TTL`]; zero turns the cache off): a
    /// token revoked in Clerk keeps working here for at most this long.
    pub fn machine_token_cache_ttl(mut self, ttl: Duration) -> Self {
        self.machine_cache_ttl = ttl;
        self
    }

    pub fn build(self) -> Verifier {
        // The verify calls only read, so they are retried as a GET would be.
        let api = self.api.map(|client| {
            let policy = client.retry_policy().clone().retry_non_idempotent(true);
            client.with_options(crate::RequestOptions::new().retry(policy))
        });
        Verifier {
            settings: Arc::new(Settings {
                keys: self.keys,
                api,
                clock_skew: self.clock_skew,
                authorized_parties: self.authorized_parties,
                issuer: self.issuer,
                cache: self.cache,
                accepts: self.accepts,
                pending_signed_out: self.pending_signed_out,
                suffixed_cookie: self.suffixed_cookie,
                opaque_cache: OpaqueCache::new(self.machine_cache_ttl),
            }),
        }
    }
}
