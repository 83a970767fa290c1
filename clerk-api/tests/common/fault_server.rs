//! A scripted HTTP/1.1 server on 127.0.0.1 for faults wiremock cannot produce: a
//! connection closed with no answer, a body cut short of its `Content-Length`. Each
//! connection serves one request (`Connection: close`), so every fault is per request.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Action {
    /// A complete answer.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Close the connection without answering.
    Close,
    /// Leave this request to the fallback.
    Pass,
    /// Send the status, headers and a `Content-Length` of `declared`, then only `body`,
    /// then close.
    Truncate {
        status: u16,
        declared: usize,
        body: Vec<u8>,
    },
}

impl Action {
    pub fn json(status: u16, body: &serde_json::Value) -> Action {
        Action::Respond {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    pub fn raw(status: u16, content_type: &str, body: &str) -> Action {
        Action::Respond {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Action {
        if let Action::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

/// The request line of one received request (`GET /path?query`).
pub type Seen = Arc<Mutex<Vec<String>>>;

pub struct FaultServer {
    pub addr: SocketAddr,
    pub seen: Seen,
}

impl FaultServer {
    /// Serves scripted actions in order; once the script is used up, `fallback` decides
    /// from the request target (path and query).
    pub async fn start(
        script: Vec<Action>,
        fallback: impl Fn(&str) -> Action + Send + Sync + 'static,
    ) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen: Seen = Arc::default();
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let fallback = Arc::new(fallback);
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let script = script.clone();
                let fallback = fallback.clone();
                let log = log.clone();
                tokio::spawn(async move {
                    let Some(target) = read_request(&mut socket).await else {
                        return;
                    };
                    log.lock().unwrap().push(target.clone());
                    let scripted = script.lock().unwrap().pop_front();
                    let action = match scripted {
                        Some(Action::Pass) | None => fallback(&target),
                        Some(action) => action,
                    };
                    let _ = write_action(&mut socket, action).await;
                });
            }
        });
        FaultServer { addr, seen }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

/// Reads one request (head and `Content-Length` body); returns its target.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<String> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(pos) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
    }
    let request_line = head.lines().next()?;
    let mut parts = request_line.split(' ');
    let method = parts.next()?;
    let target = parts.next()?;
    Some(format!("{method} {target}"))
}

async fn write_action(socket: &mut tokio::net::TcpStream, action: Action) -> std::io::Result<()> {
    let (status, headers, body, declared) = match action {
        Action::Close | Action::Pass => return socket.shutdown().await,
        Action::Respond {
            status,
            headers,
            body,
        } => {
            let len = body.len();
            (status, headers, body, len)
        }
        Action::Truncate {
            status,
            declared,
            body,
        } => (status, Vec::new(), body, declared),
    };
    let mut head =
        format!("HTTP/1.1 {status} X\r\nContent-Length: {declared}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    socket.write_all(head.as_bytes()).await?;
    socket.write_all(&body).await?;
    socket.flush().await?;
    socket.shutdown().await
}
