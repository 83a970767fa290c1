//! The client under load, over loopback (`support/loopback.rs`, a keep-alive HTTP/1.1
//! server answering every `GET` with a canned organization). Run by `cargo xtask bench`,
//! or `cargo bench -p clerk-api --bench load`.
//!
//! - `concurrent_get_c{1,64,512}`: `GET /organizations/{id}` from that many tasks at
//!   once, through `Client::get_organization` (`clerk_api_client`) and with bare
//!   `reqwest` (`bare_reqwest`: same headers and timeout, body decoded into the same
//!   model). The client runs on one current-thread runtime, so every bit of its work is
//!   on the bench thread, and criterion is given that thread's CPU time
//!   (`CLOCK_THREAD_CPUTIME_ID`; the server runs on threads of its own): its medians are
//!   client CPU per request. The wall-clock throughput of the same runs is printed as one
//!   line per group, `concurrent_get c=N req/s: clerk_api_client=X bare_reqwest=Y`.
//! - `rate_limit_not_binding`: one call at a time with a `RateLimit` far above the rate
//!   loopback allows (`with_limit`) and without one (`without_limit`), wall time per call.
//! - rate limit binding: 2,000 calls from 64 tasks under `RateLimit::new(100, 100 ms)`,
//!   the server recording when each request arrives. Printed as one line,
//!   `rate_limit binding: requests=N budget=B window_ms=W busiest=M elapsed_ms=E minimum_ms=F`:
//!   the most arrivals the server saw in any window, and the time taken beside the least
//!   the budget allows.

use clerk_api::{models::Organization, Client, RateLimit};
use criterion::{criterion_group, criterion_main, Criterion};
use loopback::{json_response, start_server, ORGANIZATION, ORG_ID, SECRET_KEY, USER_AGENT};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "support/loopback.rs"]
mod loopback;

/// CPU time the calling thread has used.
fn thread_cpu() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec; the clock id is a constant Linux and
    // the BSDs define.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "the thread CPU clock is readable");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// One side of a comparison: the crate's client or the same request with bare reqwest.
#[derive(Clone)]
enum Side {
    Client(Client),
    Bare {
        http: reqwest::Client,
        base: Arc<str>,
        auth: Arc<str>,
        timeout: Duration,
    },
}

impl Side {
    async fn get(&self) -> Organization {
        match self {
            Side::Client(client) => client
                .get_organization(ORG_ID)
                .await
                .expect("the client request succeeds"),
            Side::Bare {
                http,
                base,
                auth,
                timeout,
            } => {
                let response = http
                    .get(format!("{base}/organizations/{ORG_ID}"))
                    .header(reqwest::header::AUTHORIZATION, &**auth)
                    .header("Clerk-API-Version", clerk_api::API_VERSION)
                    .header(reqwest::header::USER_AGENT, USER_AGENT)
                    .header(reqwest::header::ACCEPT, "application/json")
                    .timeout(*timeout)
                    .send()
                    .await
                    .expect("the bare request succeeds");
                assert!(response.status().is_success());
                let body = response.bytes().await.expect("the body arrives");
                serde_json::from_slice(&body).expect("the body decodes")
            }
        }
    }
}

/// `requests` calls on `side` from `concurrency` tasks at once.
async fn drive(side: &Side, concurrency: u64, requests: u64) {
    let issued = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = (0..concurrency.min(requests))
        .map(|_| {
            let side = side.clone();
            let issued = issued.clone();
            tokio::spawn(async move {
                while issued.fetch_add(1, Ordering::Relaxed) < requests {
                    side.get().await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("no task panics");
    }
}

fn current_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn sides(base: &str) -> (Side, Side) {
    let client = Client::builder(SECRET_KEY).base_url(base).build().unwrap();
    // Both sides use the same TLS stack: `Client` builds rustls with the graviola
    // provider itself; bare reqwest (built with no provider of its own) takes it as the
    // process default. The requests here are plain HTTP either way.
    let _ = rustls::crypto::CryptoProvider::install_default(rustls_graviola::default_provider());
    let bare = Side::Bare {
        http: reqwest::Client::builder().build().unwrap(),
        base: base.into(),
        auth: format!("Bearer {SECRET_KEY}").into(),
        timeout: client.timeout(),
    };
    (Side::Client(client), bare)
}

fn concurrent_get(c: &mut Criterion) {
    let organization = Arc::new(json_response(ORGANIZATION.as_bytes(), false));
    let addr = start_server(Arc::new(move |_| organization.clone()));
    let (ours, bare) = sides(&format!("http://{addr}"));
    let runtime = current_thread_runtime();
    for concurrency in [1u64, 64, 512] {
        // Every connection is open before measuring.
        runtime.block_on(async {
            drive(&ours, concurrency, concurrency).await;
            drive(&bare, concurrency, concurrency).await;
        });
        let mut group = c.benchmark_group(format!("concurrent_get_c{concurrency}"));
        let mut rates = Vec::new();
        for (name, side) in [("clerk_api_client", &ours), ("bare_reqwest", &bare)] {
            let (requests, wall) = (Cell::new(0u64), Cell::new(Duration::ZERO));
            group.bench_function(name, |b| {
                b.iter_custom(|iters| {
                    let (cpu, started) = (thread_cpu(), Instant::now());
                    runtime.block_on(drive(side, concurrency, iters));
                    requests.set(requests.get() + iters);
                    wall.set(wall.get() + started.elapsed());
                    thread_cpu() - cpu
                })
            });
            rates.push(format!(
                "{name}={:.0}",
                requests.get() as f64 / wall.get().as_secs_f64()
            ));
        }
        group.finish();
        println!("concurrent_get c={concurrency} req/s: {}", rates.join(" "));
    }
}

fn rate_limit_not_binding(c: &mut Criterion) {
    let organization = Arc::new(json_response(ORGANIZATION.as_bytes(), false));
    let addr = start_server(Arc::new(move |_| organization.clone()));
    let base = format!("http://{addr}");
    let runtime = current_thread_runtime();
    let without = Side::Client(Client::builder(SECRET_KEY).base_url(&base).build().unwrap());
    // Loopback allows some 10,000 calls a second one at a time: this never binds.
    let with = Side::Client(
        Client::builder(SECRET_KEY)
            .base_url(&base)
            .rate_limit(RateLimit::new(100_000, Duration::from_secs(1)))
            .build()
            .unwrap(),
    );
    runtime.block_on(async {
        with.get().await;
        without.get().await;
    });
    let mut group = c.benchmark_group("rate_limit_not_binding");
    group.bench_function("with_limit", |b| b.to_async(&runtime).iter(|| with.get()));
    group.bench_function("without_limit", |b| {
        b.to_async(&runtime).iter(|| without.get())
    });
    group.finish();
}

/// Not a criterion measurement: one run, whose figures are the server's arrival times.
fn rate_limit_binding() {
    const REQUESTS: u64 = 2000;
    const TASKS: u64 = 64;
    const BUDGET: u32 = 100;
    const WINDOW: Duration = Duration::from_millis(100);
    let arrivals = Arc::new(Mutex::new(Vec::with_capacity(REQUESTS as usize + 64)));
    let organization = Arc::new(json_response(ORGANIZATION.as_bytes(), false));
    let addr = {
        let arrivals = arrivals.clone();
        start_server(Arc::new(move |_| {
            arrivals.lock().unwrap().push(Instant::now());
            organization.clone()
        }))
    };
    let client = Side::Client(
        Client::builder(SECRET_KEY)
            .base_url(format!("http://{addr}"))
            .rate_limit(RateLimit::new(BUDGET, WINDOW))
            .build()
            .unwrap(),
    );
    let runtime = current_thread_runtime();
    // Open the connections and let their window pass, so the run starts from a full
    // budget with every connection pooled.
    runtime.block_on(async {
        drive(&client, TASKS, TASKS).await;
        tokio::time::sleep(WINDOW * 2).await;
    });
    arrivals.lock().unwrap().clear();
    let started = Instant::now();
    runtime.block_on(drive(&client, TASKS, REQUESTS));
    let elapsed = started.elapsed();
    let mut arrivals = arrivals.lock().unwrap().clone();
    arrivals.sort();
    let mut busiest = 0;
    let mut first = 0;
    for (last, at) in arrivals.iter().enumerate() {
        while *at - arrivals[first] >= WINDOW {
            first += 1;
        }
        busiest = busiest.max(last - first + 1);
    }
    // A full budget at once, then one more budget per window.
    let minimum = WINDOW * ((REQUESTS - 1) / u64::from(BUDGET)) as u32;
    println!(
        "rate_limit binding: requests={REQUESTS} budget={BUDGET} window_ms={} tasks={TASKS} busiest={busiest} elapsed_ms={:.1} minimum_ms={}",
        WINDOW.as_millis(),
        elapsed.as_secs_f64() * 1000.0,
        minimum.as_millis()
    );
}

fn bench(c: &mut Criterion) {
    concurrent_get(c);
    rate_limit_not_binding(c);
    rate_limit_binding();
}

criterion_group!(benches, bench);
criterion_main!(benches);
