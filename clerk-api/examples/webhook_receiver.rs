//! Receives Clerk webhooks: listens on 127.0.0.1:$PORT, verifies each POST with the
//! signing secret in `CLERK_WEBHOOK_SIGNING_SECRET`, and for each request prints one
//! line to stdout:
//!
//! - `event <type> <data.id>` (`-` when the data has no id) and answers 204, or
//! - `refused <reason>` (one lowercase word, such as `signature` or `expired`) and
//!   answers 400.
//!
//! ```sh
//! CLERK_WEBHOOK_SIGNING_SECRET=whsec_... PORT=3000 \
//!     cargo run -p clerk-api --features webhook,axum --example webhook_receiver
//! ```
//!
//! `PORT=0` picks a free port; the address is printed to stderr (`listening on ...`).

use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use clerk_api::webhook::{VerifiedEvent, Verifier, WebhookRejection};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    match serve().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let verifier = Verifier::from_env()?;
    let port: u16 = std::env::var("PORT")
        .map_err(|_| "PORT is not set")?
        .parse()
        .map_err(|e| format!("PORT: {e}"))?;
    // Every path: the endpoint URL configured in Clerk's dashboard can be any.
    let app = Router::new()
        .route("/", post(receive))
        .route("/{*path}", post(receive))
        .with_state(verifier);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    eprintln!("listening on {}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

async fn receive(request: Result<VerifiedEvent, WebhookRejection>) -> StatusCode {
    match request {
        Ok(VerifiedEvent(event)) => {
            let id = event.data_id().unwrap_or("-");
            println!("event {} {id}", event.event_type());
            StatusCode::NO_CONTENT
        }
        Err(rejection) => {
            println!("refused {}", rejection.reason());
            StatusCode::BAD_REQUEST
        }
    }
}
