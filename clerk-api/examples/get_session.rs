//! Looks up a session by ID and prints its status, user and client, and when and from
//! where it was last active. An unknown session is reported on stderr with exit status 1.
//!
//! ```sh
//! CLERK_SECRET_KEY=sk_test_... cargo run -p clerk-api --example get_session -- sess_...
//! ```

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(session_id) = std::env::args().nth(1) else {
        eprintln!("usage: get_session SESSION_ID");
        std::process::exit(2);
    };
    let client = clerk_api::Client::from_env()?;
    let session = match client.get_session(&session_id).await {
        Ok(session) => session,
        Err(clerk_api::Error::Api(e)) if e.status().as_u16() == 404 => {
            eprintln!("no session {session_id}");
            std::process::exit(1);
        }
        Err(e) => return Err(e.into()),
    };
    println!(
        "{} {}: user {}, client {}",
        session.id, session.status, session.user_id, session.client_id
    );
    // Clerk's times are Unix epoch milliseconds.
    print!("last active at {} ms", session.last_active_at);
    if let Some(activity) = &session.latest_activity {
        let place = [activity.city.as_deref(), activity.country.as_deref()];
        let place: Vec<&str> = place.into_iter().flatten().collect();
        if let Some(browser) = &activity.browser_name {
            print!(" with {browser}");
        }
        if !place.is_empty() {
            print!(" from {}", place.join(", "));
        }
    }
    println!();
    Ok(())
}
