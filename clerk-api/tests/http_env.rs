//! `Client::from_env`. Environment variables are process-global, so everything that
//! changes them is in the one test of this binary and restored afterwards.

mod common;

use clerk_api::{Client, Error};
use common::*;
use serde_json::json;
use std::ffi::OsString;
use wiremock::ResponseTemplate;

const VARS: [&str; 2] = ["CLERK_SECRET_KEY", "CLERK_API_URL"];

/// Restores the variables it saved when dropped, even if the test panics.
struct SavedEnv(Vec<(&'static str, Option<OsString>)>);

impl SavedEnv {
    fn save() -> Self {
        SavedEnv(VARS.iter().map(|&v| (v, std::env::var_os(v))).collect())
    }
}

impl Drop for SavedEnv {
    fn drop(&mut self) {
        for (name, value) in &self.0 {
            match value {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
    }
}

#[tokio::test]
async fn from_env_requires_the_secret_and_honours_the_api_url() {
    let _restore = SavedEnv::save();
    let (server, _) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"data": [], "total_count": 0})),
    )
    .await;

    // No key (and a blank one) is a configuration error.
    std::env::remove_var("CLERK_SECRET_KEY");
    std::env::set_var("CLERK_API_URL", server.uri());
    let err = Client::from_env().expect_err("no key");
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(err.to_string().contains("CLERK_SECRET_KEY"), "{err}");
    std::env::set_var("CLERK_SECRET_KEY", "  ");
    assert!(matches!(Client::from_env(), Err(Error::Config(_))));

    // With the key set, requests go to CLERK_API_URL with that key.
    std::env::set_var("CLERK_SECRET_KEY", "sk_test_from_env");
    let client = Client::from_env().expect("configured from env");
    assert_eq!(client.base_url(), server.uri());
    client
        .list_organizations()
        .await
        .expect("request reaches the mock server");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/organizations");
    assert_eq!(header(&request, "authorization"), "Bearer sk_test_from_env");

    // Without CLERK_API_URL the spec's server is used (no request is made).
    std::env::remove_var("CLERK_API_URL");
    let client = Client::from_env().expect("configured from env");
    assert_eq!(client.base_url(), "https://api.clerk.com/v1");
}
