//! Prints every organization of the instance, one line each (`<id> <name>`), then the
//! total. Pages are fetched lazily; rate limits (429), server errors and dropped
//! connections are retried by the client.
//!
//! ```sh
//! CLERK_SECRET_KEY=sk_test_... cargo run -p clerk-api --example list_organizations
//! ```

use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = clerk_api::Client::from_env()?;
    let mut organizations = client.list_organizations().limit(100).stream();
    let mut total = 0;
    while let Some(organization) = organizations.try_next().await? {
        println!("{} {}", organization.id, organization.name);
        total += 1;
    }
    println!("{total} organizations");
    Ok(())
}
