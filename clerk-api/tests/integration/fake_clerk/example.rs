//! `cargo run -p clerk-api --features test-util --example fake_clerk`, run as a developer
//! runs it: the base URL on its first line (on `PORT` when set), then a fake Clerk that
//! any client drives until the process is stopped.

use crate::common::example_binary;
use clerk_api::Client;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test(flavor = "multi_thread")]
async fn the_example_prints_its_url_first_and_serves_until_stopped() {
    let binary = example_binary("fake_clerk");
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let mut child = Command::new(binary)
        .env("PORT", port.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let first = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    let url = first.trim_end().to_owned();

    let outcome = async {
        assert_eq!(url, format!("http://127.0.0.1:{port}/v1"));
        let client = Client::builder("sk_test_any")
            .base_url(&url)
            .build()
            .unwrap();
        let org = super::ops::create_organization(&client, "Acme", None, None, None).await?;
        let fetched = super::ops::get_organization(&client, &org.slug).await?;
        assert_eq!(fetched.id, org.id);
        Ok::<_, clerk_api::Error>(())
    }
    .await;
    let still_running = child.try_wait().unwrap().is_none();
    child.kill().unwrap();
    child.wait().unwrap();
    outcome.unwrap();
    assert!(still_running, "the example serves until stopped");
}
