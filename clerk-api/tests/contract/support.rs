//! How the generated contract tests judge an answer.
//!
//! A call passes on a 2xx answer that decodes into the documented type, with no request
//! violation reported by the server (Prism's `sl-violations` header). Prism's static
//! examples cannot satisfy every schema: when the server reports that its own answer
//! breaks the spec, or the operation's response holds a shape its static examples are
//! known to miss and the answer did not decode, the call is repeated asking for a
//! generated example (`Prefer: dynamic=true`) and judged on that answer.

use super::api;
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Violations {
    request: Vec<String>,
    response: Vec<String>,
}

pub struct Suite {
    pub client: api::Client,
    /// The same client asking the server for generated examples.
    pub dynamic: api::Client,
    violations: Arc<Mutex<Violations>>,
}

impl Suite {
    /// The suite's clients, when `CLERK_CONTRACT_URL` names a server.
    pub fn from_env() -> Option<Suite> {
        let url = std::env::var("CLERK_CONTRACT_URL").ok()?;
        let violations: Arc<Mutex<Violations>> = Arc::default();
        let seen = Arc::clone(&violations);
        let client = api::Client::builder("sk_test_contract_suite")
            .base_url(url)
            .retry(api::RetryPolicy::disabled())
            .on_response(move |meta| {
                // Prism lists what breaks the spec in this header, each entry located
                // in the request or in its own response.
                let Some(report) = meta.headers.get("sl-violations") else {
                    return;
                };
                let entries: Vec<serde_json::Value> =
                    serde_json::from_slice(report.as_bytes()).unwrap_or_default();
                let mut seen = seen.lock().unwrap();
                for entry in entries {
                    let text = entry.to_string();
                    if entry["location"][0] == "response" {
                        seen.response.push(text);
                    } else {
                        seen.request.push(text);
                    }
                }
            })
            .build()
            .expect("contract client");
        let dynamic =
            client.with_options(api::RequestOptions::new().header("Prefer", "dynamic=true"));
        Some(Suite {
            client,
            dynamic,
            violations,
        })
    }

    /// Whether to ask again for a generated example: the server reported that its
    /// answer breaks the spec, or `static_examples_miss` (the response holds a shape
    /// Prism's static examples leave invalid without always saying so) and the answer
    /// did not decode. The server's report is cleared either way.
    pub fn ask_for_a_generated_example<T>(
        &self,
        result: &Result<T, api::Error>,
        static_examples_miss: bool,
    ) -> bool {
        let mut violations = self.violations.lock().unwrap();
        let reported = !std::mem::take(&mut violations.response).is_empty();
        let undecodable = matches!(result, Err(api::Error::Decode(_)));
        reported || (static_examples_miss && undecodable)
    }

    /// A 2xx answer that decoded into the documented type, with no violations.
    pub fn passes<T>(&self, operation: &str, result: Result<T, api::Error>) {
        if let Err(error) = &result {
            panic!("{operation}: {error}");
        }
        let violations = self.violations.lock().unwrap();
        assert!(
            violations.request.is_empty(),
            "{operation}: the server reports that the request breaks the spec: {:?}",
            violations.request
        );
    }

    /// The typed API error with this status and a parsed error body.
    pub fn fails_with<T>(&self, operation: &str, status: u16, result: Result<T, api::Error>) {
        let error = match result {
            Ok(_) => panic!("{operation}: expected HTTP {status}, got a success"),
            Err(error) => error,
        };
        let api_error = error
            .api()
            .unwrap_or_else(|| panic!("{operation}: expected HTTP {status}, got {error}"));
        assert_eq!(api_error.status().as_u16(), status, "{operation}: {error}");
        assert!(
            api_error.body().is_some(),
            "{operation}: the {status} body does not parse as Clerk errors: {}",
            String::from_utf8_lossy(api_error.raw_body())
        );
    }
}
