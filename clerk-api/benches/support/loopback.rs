//! A canned HTTP/1.1 keep-alive server on 127.0.0.1 for the request benches: a thread
//! per connection, answering each request head it reads with bytes picked by the bench.
//! Traffic stays on loopback; the threads end with the process.

// Each bench uses its own subset of these helpers.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;

/// A canned organization, as `GET /organizations/{id}` answers.
pub const ORGANIZATION: &str = r#"{"object":"organization","id":"org_2xAcmeCorporation0000000001","name":"Acme Corporation","slug":"acme-corporation","image_url":"https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCIsImlpZCI6Imluc18yeCJ9","has_image":true,"members_count":42,"missing_member_with_elevated_permissions":false,"pending_invitations_count":3,"max_allowed_memberships":500,"admin_delete_enabled":true,"public_metadata":{"plan":"enterprise","region":"eu-west-1"},"private_metadata":{"crm_id":"0015g00000XyZabAAA","seats":500},"created_by":"user_2xFounder00000000000000001","created_at":1690000000000,"updated_at":1735000000000,"last_active_at":1760000000000,"role_set_key":null}"#;

pub const ORG_ID: &str = "org_2xAcmeCorporation0000000001";
pub const SECRET_KEY: &str = "sk_test_benchmark0000000000000000000000000000";

/// The `User-Agent` `Client` sends, for the bare-reqwest side of a comparison.
pub const USER_AGENT: &str = concat!("clerk-api-rust/", env!("CARGO_PKG_VERSION"));

/// A complete `200` answer with a JSON body (`gzip`: the body is gzip-encoded).
pub fn json_response(body: &[u8], gzip: bool) -> Vec<u8> {
    let encoding = if gzip {
        "content-encoding: gzip\r\n"
    } else {
        ""
    };
    let mut response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{encoding}content-length: {}\r\nx-clerk-trace-id: bench\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    response
}

/// Picks the answer to one request from its head.
pub type Answer = Arc<dyn Fn(&[u8]) -> Arc<Vec<u8>> + Send + Sync>;

/// Starts a canned responder on an ephemeral loopback port: a thread per connection,
/// each answering every request head it reads with `answer(head)`.
pub fn start_server(answer: Answer) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let answer = answer.clone();
            std::thread::Builder::new()
                .stack_size(64 * 1024)
                .spawn(move || serve(stream, &*answer))
                .expect("a server thread starts");
        }
    });
    addr
}

/// Answers requests on one connection until the client closes it. Requests are GETs
/// without a body, so a request ends at the blank line after its head.
fn serve(mut stream: TcpStream, answer: &(dyn Fn(&[u8]) -> Arc<Vec<u8>> + Send + Sync)) {
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let response = answer(&buf[..end + 4]);
            buf.drain(..end + 4);
            if stream.write_all(&response).is_err() {
                return;
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}
