//! Verifying one Clerk session token (a realistic version 2 token, RS256, 2048-bit key),
//! in group `verify_token`:
//!
//! - `clerk_api_cached_jwks`: `Verifier::verify` with the key already in the client's
//!   JWKS cache (the steady state of a server);
//! - `clerk_api_pem_key`: the same with a PEM key (`Verifier::with_key`);
//! - `bare_rsa_graviola`: only the RSA PKCS#1 v1.5 SHA-256 check of the same token with
//!   graviola, the library `clerk_api::auth` uses (signature already decoded): the floor
//!   for the two above;
//! - `jsonwebtoken`: `jsonwebtoken::decode` of the same token (RustCrypto backend, the
//!   pure-Rust one) with exp/nbf checks, into a JSON map;
//! - `bare_rsa_rustcrypto`: the RSA check alone with RustCrypto's `rsa` crate, the
//!   alternative to graviola;
//! - `clerk_api_cached_opaque`: `Verifier::verify_caller` of an opaque API key already
//!   in the verifier's cache of verified machine tokens (the steady state for a key
//!   that calls often);
//! - `clerk_api_opaque_loopback`: the same with the cache off: one `POST
//!   /api_keys/verify` through the client to a server on 127.0.0.1 (wiremock) per
//!   verification, the floor of what a real call to Clerk costs.
//!
//! Run by `cargo xtask bench`, or `cargo bench -p clerk-api --bench verify_token`. The JWKS
//! is served once from 127.0.0.1 by `clerk_api::auth::testing::JwksServer`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use clerk_api::auth::testing::{JwksServer, TestKey};
use clerk_api::auth::{Accepts, JwtKey, Verifier};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;
use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

const GROUP: &str = "verify_token";

/// Polls a future that must not wait (a cache hit): the verification alone is timed,
/// not an executor.
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the verification waited: the key was not cached"),
    }
}

fn bench(c: &mut Criterion) {
    let key = TestKey::generate("ins_2xBenchmarkKey0000000001");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    // The claims of a real version 2 session token with an active organization.
    let claims = json!({
        "azp": "https://app.example.com", "exp": now + 3600, "fea": "o:dashboard,o:teams",
        "fva": [12, -1], "iat": now, "iss": "https://clerk.example.com", "nbf": now - 5,
        "o": {"fpm": "3,2", "id": "org_2xAcmeCorporation0000000001", "per": "manage,read",
              "rol": "admin", "slg": "acme-corporation"},
        "pla": "o:pro", "sid": "sess_2xSessionIdentifier00000001", "sts": "active",
        "sub": "user_2xUserIdentifier0000000001", "v": 2,
    });
    let token = key.sign(&claims);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(JwksServer::start(&[&key])).unwrap();
    let cached = Verifier::with_jwks(server.client())
        .authorized_parties(["https://app.example.com"])
        .build();
    runtime
        .block_on(cached.verify(&token))
        .expect("the first verification fetches the key");
    let pem = Verifier::with_key(JwtKey::from_pem(key.public_key_pem()).unwrap())
        .authorized_parties(["https://app.example.com"])
        .build();

    let (signing_input, signature) = token.rsplit_once('.').unwrap();
    let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
    let mut spki = Vec::new();
    for line in key
        .public_key_pem()
        .lines()
        .filter(|l| !l.starts_with("-----"))
    {
        spki.extend(
            base64::engine::general_purpose::STANDARD
                .decode(line)
                .unwrap(),
        );
    }
    let graviola_key = {
        // SubjectPublicKeyInfo = SEQUENCE { algorithm (15 bytes), BIT STRING { 0, key } }.
        let pkcs1 = &spki[24..];
        graviola::signing::rsa::VerifyingKey::from_pkcs1_der(pkcs1).unwrap()
    };
    assert!(graviola_key
        .verify_pkcs1_sha256(&signature, signing_input.as_bytes())
        .is_ok());

    let jwk = key.jwk();
    let decoding = jsonwebtoken::DecodingKey::from_rsa_components(
        jwk["n"].as_str().unwrap(),
        jwk["e"].as_str().unwrap(),
    )
    .unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.validate_nbf = true;
    validation.leeway = 5;
    type Map = serde_json::Map<String, serde_json::Value>;
    jsonwebtoken::decode::<Map>(&token, &decoding, &validation).unwrap();

    let rustcrypto_key = {
        use rsa::pkcs8::DecodePublicKey as _;
        rsa::pkcs1v15::VerifyingKey::<rsa::sha2::Sha256>::new(
            rsa::PublicKey::from_public_key_der(&spki).unwrap(),
        )
    };
    let rustcrypto_signature = rsa::pkcs1v15::Signature::try_from(signature.as_slice()).unwrap();
    {
        use rsa::signature::Verifier as _;
        rustcrypto_key
            .verify(signing_input.as_bytes(), &rustcrypto_signature)
            .unwrap();
    }

    // An API key, verified once through a loopback Backend API, then from the cache.
    const API_KEY: &str = "ak_0123456789abcdef0123456789abcdef";
    let api = runtime.block_on(wiremock::MockServer::start());
    runtime.block_on(
        wiremock::Mock::given(wiremock::matchers::path("/api_keys/verify"))
            .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(json!({
                "object": "api_key", "id": "ak_1", "type": "api_key", "subject": "user_1",
                "name": "bench", "claims": null, "scopes": ["read"], "revoked": false,
                "revocation_reason": null, "expired": false, "expiration": null,
                "created_by": null, "last_used_at": null, "created_at": 1, "updated_at": 1,
            })))
            .mount(&api),
    );
    let api_client = clerk_api::Client::builder("sk_test_bench")
        .base_url(api.uri())
        .build()
        .unwrap();
    // A cache that outlives the measurement, so every timed verification is a hit.
    let opaque_cached = Verifier::with_jwks(api_client.clone())
        .accepts(Accepts::any())
        .machine_token_cache_ttl(std::time::Duration::from_secs(3600))
        .build();
    runtime
        .block_on(opaque_cached.verify_caller(API_KEY))
        .expect("the first verification asks the API");
    let opaque_uncached = Verifier::with_jwks(api_client)
        .accepts(Accepts::any())
        .machine_token_cache_ttl(std::time::Duration::ZERO)
        .build();

    let mut group = c.benchmark_group(GROUP);
    group.bench_function("clerk_api_cached_opaque", |b| {
        b.iter(|| ready(opaque_cached.verify_caller(black_box(API_KEY))).unwrap())
    });
    group.bench_function("clerk_api_opaque_loopback", |b| {
        b.iter(|| {
            runtime
                .block_on(opaque_uncached.verify_caller(black_box(API_KEY)))
                .unwrap()
        })
    });
    group.bench_function("clerk_api_cached_jwks", |b| {
        b.iter(|| ready(cached.verify(black_box(&token))).unwrap())
    });
    group.bench_function("clerk_api_pem_key", |b| {
        b.iter(|| ready(pem.verify(black_box(&token))).unwrap())
    });
    group.bench_function("bare_rsa_graviola", |b| {
        b.iter(|| {
            graviola_key
                .verify_pkcs1_sha256(black_box(&signature), black_box(signing_input.as_bytes()))
                .unwrap()
        })
    });
    group.bench_function("jsonwebtoken", |b| {
        b.iter(|| jsonwebtoken::decode::<Map>(black_box(&token), &decoding, &validation).unwrap())
    });
    group.bench_function("bare_rsa_rustcrypto", |b| {
        use rsa::signature::Verifier as _;
        b.iter(|| {
            rustcrypto_key
                .verify(black_box(signing_input.as_bytes()), &rustcrypto_signature)
                .unwrap()
        })
    });
    group.finish();
    assert_eq!(
        server.requests(),
        1,
        "every timed verification hit the cache"
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
