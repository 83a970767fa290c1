//! Verifies Clerk tokens read from standard input, one per line, and prints one line
//! per token: `ok <subject> <kind>` or `rejected <reason>` (the reason words are those
//! of `clerk_api::auth::VerifyError::reason`: expired, wrong_token_type, ...).
//!
//! Which kinds are accepted: session tokens only, as the library's default, unless
//! `CLERK_ACCEPTS_TOKEN` lists others (comma-separated: `session_token`, `api_key`,
//! `m2m_token`, `oauth_token`, or `any`).
//!
//! Keys: `CLERK_JWT_KEY` (the instance's PEM public key) verifies JWTs without any
//! network call; without it, the instance's JWKS is fetched with `CLERK_SECRET_KEY` (and
//! `CLERK_API_URL`, when set). Opaque machine tokens (`ak_`, `mt_`, `oat_`) are checked
//! through the Backend API with `CLERK_SECRET_KEY`. `CLERK_AUTHORIZED_PARTIES` is a
//! comma-separated list of origins a session token's `azp` must be one of.
//!
//! ```sh
//! echo "$TOKEN" | CLERK_SECRET_KEY=sk_test_... cargo run -p clerk-api --features auth --example verify_token
//! ```

use clerk_api::auth::{Accepts, JwtKey, Verifier};
use clerk_api::Client;
use std::io::{BufRead, Write};
use std::process::ExitCode;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn verifier() -> Result<Verifier, Box<dyn std::error::Error>> {
    let accepts: Accepts = match env("CLERK_ACCEPTS_TOKEN") {
        Some(list) => list.parse()?,
        None => Accepts::default(),
    };
    let mut builder = match env("CLERK_JWT_KEY") {
        Some(pem) => Verifier::with_key(JwtKey::from_pem(&pem)?),
        None => Verifier::with_jwks(Client::from_env()?),
    };
    // Opaque machine tokens need the Backend API even with a PEM key.
    if accepts.any_machine() && env("CLERK_SECRET_KEY").is_some() {
        builder = builder.client(Client::from_env()?);
    }
    let parties = env("CLERK_AUTHORIZED_PARTIES").unwrap_or_default();
    Ok(builder
        .accepts(accepts)
        .authorized_parties(parties.split(',').map(str::trim).filter(|p| !p.is_empty()))
        .build())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let verifier = match verifier() {
        Ok(verifier) => verifier,
        Err(e) => {
            eprintln!("verify_token: {e}");
            return ExitCode::from(2);
        }
    };
    let mut out = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let token = line.trim();
        if token.is_empty() {
            continue;
        }
        let verdict = match verifier.verify_caller(token).await {
            Ok(caller) => format!("ok {} {}", caller.subject(), caller.kind()),
            Err(e) => format!("rejected {}", e.reason()),
        };
        if writeln!(out, "{verdict}")
            .and_then(|()| out.flush())
            .is_err()
        {
            break;
        }
    }
    ExitCode::SUCCESS
}
