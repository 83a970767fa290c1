//! Compressed answers and the `Accept` headers, against a wiremock server on 127.0.0.1
//! that gzips its answer (with flate2's encoder) only when the request asks for gzip.

use crate::common;

use clerk_api::Client;
use common::*;
use flate2::write::GzEncoder;
use std::io::Write;
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// Answers with an organization: gzip-encoded when `Accept-Encoding` lists gzip.
struct GzipWhenAsked;

impl Respond for GzipWhenAsked {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body = serde_json::to_vec(&organization_json("org_1", "Acme")).unwrap();
        let asks_gzip = request
            .headers
            .get("accept-encoding")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|c| c.trim() == "gzip"));
        if asks_gzip {
            ResponseTemplate::new(200)
                .insert_header("Content-Encoding", "gzip")
                .set_body_raw(gzip(&body), "application/json")
        } else {
            ResponseTemplate::new(200).set_body_raw(body, "application/json")
        }
    }
}

async fn gzip_server() -> MockServer {
    let server = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(GzipWhenAsked)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_gzip_encoded_answer_is_decoded_into_the_model() {
    let server = gzip_server().await;
    let client = builder_for(&server).build().unwrap();

    let org = client
        .get_organization("org_1")
        .await
        .expect("the gzip answer decodes");

    assert_eq!(org.id, "org_1");
    assert_eq!(org.name, "Acme");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "accept-encoding"), "gzip");
    assert_eq!(header(&request, "accept"), "application/json");
}

#[tokio::test]
async fn the_gzip_test_server_really_compresses() {
    // Guards the test above: the bytes on the wire are gzip, not JSON.
    let server = gzip_server().await;
    let raw = reqwest_without_decoding()
        .get(format!("{}/organizations/org_1", server.uri()))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.headers()["content-encoding"], "gzip");
    let bytes = raw.bytes().await.unwrap();
    assert_eq!(&bytes[..2], &[0x1f, 0x8b], "gzip magic");
}

/// A bare reqwest client that leaves bodies as they came.
fn reqwest_without_decoding() -> clerk_api::reqwest::Client {
    let _ = rustls::crypto::CryptoProvider::install_default(rustls_graviola::default_provider());
    clerk_api::reqwest::Client::builder()
        .no_gzip()
        .build()
        .unwrap()
}

#[tokio::test]
async fn compression_can_be_turned_off() {
    let server = gzip_server().await;
    let client = builder_for(&server).compression(false).build().unwrap();

    let org = client
        .get_organization("org_1")
        .await
        .expect("the plain answer decodes");

    assert_eq!(org.id, "org_1");
    let request = only_request(&server).await;
    assert!(
        request.headers.get("accept-encoding").is_none(),
        "{request:?}"
    );
}

#[tokio::test]
async fn a_per_call_accept_header_replaces_the_default() {
    let (server, client) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(200).set_body_json(organization_json("org_1", "Acme")),
    )
    .await;
    let client: Client = client
        .with_options(clerk_api::RequestOptions::new().header("Accept", "application/json; v=2"));

    client.get_organization("org_1").await.unwrap();

    let request = only_request(&server).await;
    let accepts: Vec<_> = request.headers.get_all("accept").iter().collect();
    assert_eq!(accepts, ["application/json; v=2"]);
}
