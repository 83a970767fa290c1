//! Every request is a `clerk_api.request` span with the operation, method, path
//! template, status, attempt and duration; the secret key is never in the output.

use crate::common;

use common::{fast_retry, organization_json};
use std::io::Write;
use std::sync::{Arc, Mutex};
use tracing_subscriber::fmt::format::FmtSpan;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "sk_test_TRACING_SECRET_value";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// Runs `f` with every span and event (all levels) written to a buffer.
async fn capture<F: std::future::Future>(f: F) -> String {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    f.await;
    captured.text()
}

#[tokio::test]
async fn a_request_span_names_operation_method_path_status_and_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(organization_json("org_1", "Acme")))
        .mount(&server)
        .await;
    let client = clerk_api::Client::builder(SECRET)
        .base_url(server.uri())
        .retry(fast_retry())
        .build()
        .unwrap();
    let output = capture(async {
        client.get_organization("org_1").await.unwrap();
    })
    .await;
    let close = output
        .lines()
        .find(|l| l.contains("close"))
        .unwrap_or_else(|| panic!("no span close:\n{output}"));
    for field in [
        "clerk_api.request",
        "operation_id=\"GetOrganization\"",
        "method=GET",
        "path=\"/organizations/{organization_id}\"",
        "status=200",
        "attempt=2",
        "duration_ms=",
    ] {
        assert!(
            close.contains(field),
            "{field} missing from span: {close}\n{output}"
        );
    }
    assert!(
        output.contains("retrying"),
        "the retry is logged:\n{output}"
    );
    assert!(
        !output.contains(SECRET),
        "secret leaked into tracing output:\n{output}"
    );
    assert!(
        !output.contains("TRACING_SECRET"),
        "part of the secret leaked:\n{output}"
    );
}

#[tokio::test]
async fn failures_are_traced_without_the_secret() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "errors": [{"message": "bad key", "code": "authentication_invalid"}]
        })))
        .mount(&server)
        .await;
    let client = clerk_api::Client::builder(SECRET)
        .base_url(server.uri())
        .build()
        .unwrap();
    let output = capture(async {
        let err = client.get_organization("org_1").await.unwrap_err();
        tracing::error!(error = %err, debug = ?err, "call failed");
    })
    .await;
    assert!(output.contains("status=401"), "{output}");
    assert!(output.contains("authentication_invalid"), "{output}");
    assert!(
        !output.contains("TRACING_SECRET"),
        "secret leaked:\n{output}"
    );
}
