//! Real TLS on 127.0.0.1: the client's rustls + graviola stack (no C toolchain) shakes
//! hands with a TLS server, trusts an added root, and refuses an unknown one.
//! `tests/tls/` holds a test CA and a `127.0.0.1` certificate it signed (DER).

use crate::common;

use clerk_api::{Client, Error, RetryPolicy};
use common::organization_json;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const CA: &[u8] = include_bytes!("../tls/ca.der");
const LEAF: &[u8] = include_bytes!("../tls/leaf.der");
const LEAF_KEY: &[u8] = include_bytes!("../tls/leaf.key.der");

/// An HTTPS server answering every request with one organization; returns its URL.
async fn https_server() -> String {
    let provider = Arc::new(rustls_graviola::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(LEAF.to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(LEAF_KEY.to_vec())),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://127.0.0.1:{}",
        listener.local_addr().unwrap().port()
    );
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                let mut buf = vec![0u8; 8192];
                let Ok(n) = tls.read(&mut buf).await else {
                    return;
                };
                if n == 0 {
                    return;
                }
                let body = organization_json("org_tls", "Over TLS").to_string();
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    url
}

async fn get(client: &Client) -> Result<clerk_api::models::Organization, Error> {
    client.get_organization("org_tls").await
}

#[tokio::test]
async fn https_works_with_an_added_root() {
    let url = https_server().await;
    let client = Client::builder("sk_test_tls")
        .base_url(url)
        .add_root_certificate(CA)
        .build()
        .unwrap();
    let org = get(&client).await.unwrap();
    assert_eq!(org.name, "Over TLS");
}

#[tokio::test]
async fn an_unknown_issuer_is_refused() {
    let url = https_server().await;
    let client = Client::builder("sk_test_tls")
        .base_url(url)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = get(&client).await.unwrap_err();
    assert!(err.is_transport(), "{err:?}");
    let chain = format!("{:?}", std::error::Error::source(&err));
    assert!(
        chain.contains("UnknownIssuer") || chain.contains("invalid peer certificate"),
        "{chain}"
    );
}

#[tokio::test]
async fn a_root_that_is_not_a_certificate_is_a_config_error() {
    let result = Client::builder("sk_test_tls")
        .add_root_certificate(b"not DER".to_vec())
        .build();
    let Err(Error::Config(message)) = result else {
        panic!("{result:?}")
    };
    assert!(message.contains("root certificate 0"), "{message}");
}
