//! A keep-alive HTTP/1.1 server on 127.0.0.1 that records when each request arrives
//! (its head fully read) and answers every one with an empty list page. The first
//! request of each new connection is read only after `handshake` has passed, as a TLS
//! handshake or a far-away server would delay it: requests on new connections arrive
//! later after being sent than requests on pooled ones, which is what a client-side rate
//! limiter must allow for.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const EMPTY_PAGE: &str = r#"{"data":[],"total_count":0}"#;

pub struct ArrivalServer {
    pub addr: std::net::SocketAddr,
    arrivals: Arc<Mutex<Vec<Instant>>>,
}

impl ArrivalServer {
    pub async fn start(handshake: Duration) -> ArrivalServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let arrivals: Arc<Mutex<Vec<Instant>>> = Arc::default();
        let log = arrivals.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let log = log.clone();
                tokio::spawn(async move {
                    let _ = socket.set_nodelay(true);
                    tokio::time::sleep(handshake).await;
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    loop {
                        while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            // GETs without a body: the head is the whole request.
                            buf.drain(..end + 4);
                            log.lock().unwrap().push(Instant::now());
                            let answer = format!(
                                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{EMPTY_PAGE}",
                                EMPTY_PAGE.len()
                            );
                            if socket.write_all(answer.as_bytes()).await.is_err() {
                                return;
                            }
                        }
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                });
            }
        });
        ArrivalServer { addr, arrivals }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every arrival so far, sorted.
    pub fn arrivals(&self) -> Vec<Instant> {
        let mut arrivals = self.arrivals.lock().unwrap().clone();
        arrivals.sort();
        arrivals
    }
}

/// The most of `arrivals` (sorted) in any window `[t, t + window)`.
pub fn busiest_window(arrivals: &[Instant], window: Duration) -> usize {
    let mut most = 0;
    let mut first = 0;
    for (last, at) in arrivals.iter().enumerate() {
        while *at - arrivals[first] >= window {
            first += 1;
        }
        most = most.max(last - first + 1);
    }
    most
}
