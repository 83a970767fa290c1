//! Invites an email address to sign up. Clerk emails the invitation, valid for 7 days; its
//! link leads to the redirect URL when one is given. Prints the invitation's ID, status
//! and link.
//!
//! ```sh
//! CLERK_SECRET_KEY=sk_test_... cargo run -p clerk-api --example create_invitation -- \
//!     ada@example.com https://example.com/welcome
//! ```

use clerk_api::models::CreateInvitationRequest;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let Some(email_address) = args.next() else {
        eprintln!("usage: create_invitation EMAIL [REDIRECT_URL]");
        std::process::exit(2);
    };
    let client = clerk_api::Client::from_env()?;
    // Request models are `#[non_exhaustive]`: `new` takes the required fields, and
    // each optional one has a setter (so a field Clerk adds later breaks no code).
    let mut request = CreateInvitationRequest::new(email_address)
        .notify(true)
        .expires_in_days(7);
    request.redirect_url = args.next();
    let invitation = client.create_invitation().body(&request).await?;
    println!(
        "invited {}: {} ({})",
        invitation.email_address, invitation.id, invitation.status
    );
    if let Some(url) = &invitation.url {
        println!("link: {url}");
    }
    Ok(())
}
