//! A JWKS endpoint on 127.0.0.1: answers `GET <any prefix>/jwks` with the keys it was
//! given and counts those requests; anything else is a 404.

use super::{jwks, TestKey};
use crate::Client;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Serves a JWKS for [`Verifier::with_jwks`](crate::auth::Verifier::with_jwks); stops
/// when dropped. Needs a tokio runtime.
#[derive(Debug)]
pub struct JwksServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

#[derive(Debug)]
struct Shared {
    body: Mutex<Arc<str>>,
    requests: AtomicUsize,
}

impl JwksServer {
    /// Listens on a free port of 127.0.0.1 and serves `keys`.
    pub async fn start(keys: &[&TestKey]) -> std::io::Result<JwksServer> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            body: Mutex::new(jwks(keys).to_string().into()),
            requests: AtomicUsize::new(0),
        });
        let serving = Arc::clone(&shared);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(answer(stream, Arc::clone(&serving)));
            }
        });
        Ok(JwksServer { addr, shared, task })
    }

    /// The base URL to give a client (`http://127.0.0.1:<port>`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A client whose base URL is this server.
    pub fn client(&self) -> Client {
        Client::builder("sk_test_jwks_server")
            .base_url(self.url())
            .build()
            .expect("a loopback URL is a valid base URL")
    }

    /// Serves `keys` from now on (a key rotation).
    pub fn set_keys(&self, keys: &[&TestKey]) {
        *self.shared.body.lock().unwrap_or_else(|e| e.into_inner()) = jwks(keys).to_string().into();
    }

    /// How many JWKS requests it has answered.
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }
}

impl Drop for JwksServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One request per connection (`Connection: close`): read the head, answer, close.
async fn answer(mut stream: TcpStream, shared: Arc<Shared>) {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) if head.len() + n <= 16 * 1024 => head.extend_from_slice(&chunk[..n]),
            Ok(_) => return,
        }
    }
    let line = head.split(|&b| b == b'\r').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let mut words = line.split(' ');
    let (method, path) = (
        words.next(),
        words.next().map(|p| p.split('?').next().unwrap_or(p)),
    );
    let response = if method == Some("GET") && path.is_some_and(|p| p.ends_with("/jwks")) {
        shared.requests.fetch_add(1, Ordering::SeqCst);
        let body = Arc::clone(&*shared.body.lock().unwrap_or_else(|e| e.into_inner()));
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    } else {
        "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_owned()
    };
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}
