//! A fake Clerk Backend API on 127.0.0.1 for local development: an in-memory instance
//! (users, organizations, memberships, domains, invitations, `/jwks`) that keeps what
//! it is sent, with no account and no network. It prints its base URL on the first
//! line, then serves until stopped (Ctrl-C).
//!
//! ```sh
//! PORT=4010 cargo run -p clerk-api --features test-util --example fake_clerk
//! # http://127.0.0.1:4010/v1
//! CLERK_API_URL=http://127.0.0.1:4010/v1 CLERK_SECRET_KEY=sk_test_any cargo run -p clerk-api --example list_users
//! curl -X POST http://127.0.0.1:4010/v1/organizations -H 'content-type: application/json' -d '{"name": "Acme"}'
//! ```
//!
//! Any secret key is accepted. Operations the fake does not model answer `501` with a
//! Clerk error naming them.

use clerk_api::testing::FakeClerk;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port = match std::env::var("PORT") {
        Ok(port) if !port.trim().is_empty() => port.trim().parse()?,
        _ => 0,
    };
    let fake = FakeClerk::builder().port(port).start().await?;
    println!("{}", fake.url());
    eprintln!("fake Clerk serving; set CLERK_API_URL to the URL above (any CLERK_SECRET_KEY); Ctrl-C stops it");
    std::future::pending::<()>().await;
    Ok(())
}
