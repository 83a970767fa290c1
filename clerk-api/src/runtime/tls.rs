//! TLS without a C toolchain: rustls with the graviola crypto provider (pure Rust and
//! assembly), trusting the Mozilla root store plus any roots the caller adds.

use std::sync::Arc;

/// `builder` (the client's other settings) finished with TLS through rustls + graviola.
/// Invalid extra roots are reported, and the client is built without them.
pub(crate) fn http_client(
    builder: reqwest::ClientBuilder,
    extra_roots: &[Vec<u8>],
) -> (Result<reqwest::Client, String>, Vec<String>) {
    let mut problems = Vec::new();
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for (i, der) in extra_roots.iter().enumerate() {
        if let Err(e) = roots.add(rustls::pki_types::CertificateDer::from(der.clone())) {
            problems.push(format!(
                "root certificate {i} is not a usable DER certificate: {e}"
            ));
        }
    }
    let provider = Arc::new(rustls_graviola::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map(|builder| {
            let mut config = builder.with_root_certificates(roots).with_no_client_auth();
            // A preconfigured config is used as is: offer HTTP/2 and HTTP/1.1 ourselves.
            config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
            config
        })
        .map_err(|e| format!("TLS configuration: {e}"));
    let client = config.and_then(|config| {
        builder
            .tls_backend_preconfigured(config)
            .build()
            .map_err(|e| format!("HTTP client: {e}"))
    });
    (client, problems)
}
