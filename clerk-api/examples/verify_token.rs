//! Verifies Clerk session tokens read from standard input, one per line, and prints one
//! line per token: `ok <sub>` or `rejected <reason>` (the reason words are those of
//! `clerk_api::auth::VerifyError::reason`: expired, not_yet_valid, bad_signature, ...).
//!
//! Keys: `CLERK_JWT_KEY` (the instance's PEM public key) verifies without any network
//! call; without it, the instance's JWKS is fetched with `CLERK_SECRET_KEY` (and
//! `CLERK_API_URL`, when set). `CLERK_AUTHORIZED_PARTIES` is a comma-separated list of
//! origins a token's `azp` must be one of.
//!
//! ```sh
//! echo "$TOKEN" | CLERK_SECRET_KEY=sk_test_... cargo run -p clerk-api --features auth --example verify_token
//! ```

use clerk_api::auth::{JwtKey, Verifier};
use clerk_api::Client;
use std::io::{BufRead, Write};
use std::process::ExitCode;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn verifier() -> Result<Verifier, Box<dyn std::error::Error>> {
    let builder = match env("CLERK_JWT_KEY") {
        Some(pem) => Verifier::with_key(JwtKey::from_pem(&pem)?),
        None => Verifier::with_jwks(Client::from_env()?),
    };
    let parties = env("CLERK_AUTHORIZED_PARTIES").unwrap_or_default();
    Ok(builder
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
        let verdict = match verifier.verify(token).await {
            Ok(claims) => format!("ok {}", claims.sub),
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
