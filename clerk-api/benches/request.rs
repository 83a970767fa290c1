//! Requests over loopback, to HTTP/1.1 keep-alive servers (`support/loopback.rs`) that
//! answer every request with a canned response. Run by `cargo xtask bench`, or
//! `cargo bench -p clerk-api --bench request`.
//!
//! - `get_organization`: one `GET /organizations/{id}` through
//!   `clerk_api::Client::get_organization` against the same request made with bare
//!   `reqwest` (same headers, same timeout, same decoding into the generated
//!   `Organization`).
//! - `page_500_memberships`: a 500-item page of memberships through
//!   `Client::list_organization_memberships`, gzip-encoded (the client's default) and
//!   uncompressed (`ClientBuilder::compression(false)`); the server gzips only when the
//!   request asks. The bytes each answer takes on the wire are printed as one line,
//!   `page_500_memberships wire bytes: identity=N gzip=M`, which `cargo xtask bench` reads.
//!
//! Concurrent throughput and the rate limiter are in `benches/load.rs`.

use criterion::{criterion_group, criterion_main, Criterion};
use loopback::{json_response, start_server, ORGANIZATION, ORG_ID, SECRET_KEY, USER_AGENT};
use std::io::Write;
use std::sync::Arc;

#[path = "support/loopback.rs"]
mod loopback;
#[path = "support/memberships.rs"]
mod memberships;

fn gzip(body: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(body).unwrap();
    encoder.finish().unwrap()
}

/// Whether a request head asks for gzip in its `Accept-Encoding`.
fn accepts_gzip(head: &[u8]) -> bool {
    String::from_utf8_lossy(head).lines().any(|line| {
        line.split_once(':').is_some_and(|(name, value)| {
            name.eq_ignore_ascii_case("accept-encoding")
                && value.split(',').any(|coding| coding.trim() == "gzip")
        })
    })
}

fn bench(c: &mut Criterion) {
    get_organization(c);
    page_500_memberships(c);
}

fn get_organization(c: &mut Criterion) {
    let organization = Arc::new(json_response(ORGANIZATION.as_bytes(), false));
    let addr = start_server(Arc::new(move |_| organization.clone()));
    let base = format!("http://{addr}");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    // Both sides use the same TLS stack: `Client` builds rustls with the graviola
    // provider itself; bare reqwest (built with no provider of its own) takes it as the
    // process default. The requests here are plain HTTP either way.
    let client = clerk_api::Client::builder(SECRET_KEY)
        .base_url(&base)
        .build()
        .unwrap();
    let _ = rustls::crypto::CryptoProvider::install_default(rustls_graviola::default_provider());
    let http = reqwest::Client::builder().build().unwrap();
    let auth = format!("Bearer {SECRET_KEY}");
    let timeout = client.timeout();

    let via_client = || async {
        client
            .get_organization(ORG_ID)
            .await
            .expect("the client request succeeds")
    };
    let via_reqwest = || async {
        let response = http
            .get(format!("{base}/organizations/{ORG_ID}"))
            .header(reqwest::header::AUTHORIZATION, &auth)
            .header("Clerk-API-Version", clerk_api::API_VERSION)
            .header(reqwest::header::USER_AGENT, USER_AGENT)
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(timeout)
            .send()
            .await
            .expect("the bare request succeeds");
        assert!(response.status().is_success());
        let body = response.bytes().await.expect("the body arrives");
        serde_json::from_slice::<clerk_api::models::Organization>(&body).expect("the body decodes")
    };

    // Both answer the same, and the connections are open before measuring.
    let (a, b) = runtime.block_on(async { (via_client().await, via_reqwest().await) });
    assert_eq!(a, b);

    let mut group = c.benchmark_group("get_organization");
    group.bench_function("clerk_api_client", |b| {
        b.to_async(&runtime).iter(via_client)
    });
    group.bench_function("bare_reqwest", |b| b.to_async(&runtime).iter(via_reqwest));
    group.finish();
}

/// The same 500-item page fetched gzip-encoded and uncompressed.
fn page_500_memberships(c: &mut Criterion) {
    let page = memberships::page();
    let identity = Arc::new(json_response(&page, false));
    let gzipped = Arc::new(json_response(&gzip(&page), true));
    println!(
        "page_500_memberships wire bytes: identity={} gzip={}",
        identity.len(),
        gzipped.len()
    );
    let addr = start_server(Arc::new(move |head| {
        if accepts_gzip(head) {
            gzipped.clone()
        } else {
            identity.clone()
        }
    }));
    let base = format!("http://{addr}");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = |compression: bool| {
        clerk_api::Client::builder(SECRET_KEY)
            .base_url(&base)
            .compression(compression)
            .build()
            .unwrap()
    };
    let (gzip_client, identity_client) = (client(true), client(false));
    let fetch = |client: &clerk_api::Client| {
        let client = client.clone();
        async move {
            let page = client
                .list_organization_memberships(ORG_ID)
                .limit(memberships::ITEMS as i64)
                .await
                .expect("the page arrives and decodes");
            assert_eq!(page.data.len(), memberships::ITEMS);
            page
        }
    };
    // Both decode to the same page, and the connections are open before measuring.
    let (a, b) =
        runtime.block_on(async { (fetch(&gzip_client).await, fetch(&identity_client).await) });
    assert_eq!(a, b);

    let mut group = c.benchmark_group("page_500_memberships");
    group.bench_function("gzip", |b| {
        b.to_async(&runtime).iter(|| fetch(&gzip_client))
    });
    group.bench_function("identity", |b| {
        b.to_async(&runtime).iter(|| fetch(&identity_client))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
