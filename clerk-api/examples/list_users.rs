//! Prints the users of the instance, one line each (`<id> <primary email> <name>`), then
//! how many there were. An optional argument keeps only the users it matches (part of an
//! email address, phone number, username, name or ID). Pages are fetched lazily.
//!
//! ```sh
//! CLERK_SECRET_KEY=sk_test_... cargo run -p clerk-api --example list_users -- ada
//! ```

use clerk_api::models::User;
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = clerk_api::Client::from_env()?;
    let mut list = client.get_user_list().limit(100);
    if let Some(query) = std::env::args().nth(1) {
        list = list.query(query);
    }
    let mut users = list.stream();
    let mut count = 0;
    while let Some(user) = users.try_next().await? {
        let line = format!("{} {} {}", user.id, primary_email(&user), full_name(&user));
        println!("{}", line.trim_end());
        count += 1;
    }
    println!("{count} users");
    Ok(())
}

/// The address `primary_email_address_id` points at, or `-`.
fn primary_email(user: &User) -> &str {
    let primary = user.primary_email_address_id.as_deref();
    user.email_addresses
        .iter()
        .find(|address| primary.is_some() && address.id.as_deref() == primary)
        .map_or("-", |address| address.email_address.as_str())
}

fn full_name(user: &User) -> String {
    [user.first_name.as_deref(), user.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}
