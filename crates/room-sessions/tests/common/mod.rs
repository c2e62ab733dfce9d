//! What the integration tests share: clients for local servers, the typed data their
//! responses are built from, checks that no secret leaks, and three local servers of the
//! connection's own: a raw TCP server ([`raw_server`]), an HTTPS server ([`https`]) and a
//! recording proxy ([`proxy`]).
//!
//! httpmock answers the client, at the server's root ([`client`]): the typed mocks of
//! `room-sessions-httpmock` serve what the spec allows, built from the client's own types;
//! plain httpmock (a typed mock's `into_inner()`, or a mock of its own) serves what the types
//! cannot express: malformed bodies, values of the wrong JSON type, unknown fields,
//! undocumented statuses, sequences of responses. The raw server sends what no HTTP server
//! library will: bodies cut short or without end, a response to a TLS handshake.

// Each test file uses some of these.
#![allow(dead_code)]

pub mod https;
pub mod proxy;

use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use base64::Engine as _;
use futures::StreamExt;
use futures::stream::BoxStream;
use room_sessions::api::types;
use room_sessions::{Client, ClientBuilder, Error, RetryPolicy, Uuid};
use room_sessions_httpmock::httpmock::MockServer;
use room_sessions_httpmock::values::{self, PROJECT_ID};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A token distinctive enough that finding any four characters of it anywhere is a leak (no
/// word of any language shares four characters with it).
pub const TOKEN: &str = "PT-zq7X-vB31-kW9j-Yh4u-Qm2e";

/// The shortest part of the token whose presence counts as a leak.
pub const LEAK_LEN: usize = 4;
/// The session of the spec's examples, and of [`values::session_current`].
pub const SESSION_ID: Uuid = values::SESSION_ID;
/// The room of the spec's examples.
pub const ROOM_ID: Uuid = values::ROOM_ID;

/// The `Authorization` header the client must send.
pub fn basic_auth() -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{PROJECT_ID}:{TOKEN}"))
    )
}

/// A builder for the API at `base_url`, with the test credentials and fast retries.
pub fn builder_at(base_url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .project_id(PROJECT_ID.to_string())
        .api_token(TOKEN)
        .retry_policy(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(5)),
        )
}

/// A client of the API at the root of `server`, where the typed mocks match their paths.
pub fn client(server: &MockServer) -> Client {
    builder_at(&server.base_url()).build().unwrap()
}

/// The forms the credentials travel in: the token, `project:token`, their base64 (standard
/// and URL-safe, padded or not), and the percent-encoded forms of each.
pub fn credential_forms() -> Vec<String> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let credentials = format!("{PROJECT_ID}:{TOKEN}");
    let mut forms = vec![TOKEN.to_owned(), credentials.clone()];
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
        forms.push(engine.encode(&credentials));
    }
    let encoded: Vec<String> = forms
        .iter()
        .map(|form| {
            percent_encoding::utf8_percent_encode(form, percent_encoding::NON_ALPHANUMERIC)
                .to_string()
        })
        .collect();
    forms.extend(encoded);
    forms
}

/// Fails if the token, or the Basic credentials made from it, show in `text` in any form, or
/// any [`LEAK_LEN`] characters of the token do.
pub fn assert_no_secret(text: &str) {
    for form in credential_forms() {
        assert!(
            !text.contains(&form),
            "the credentials leaked ({form}): {text}"
        );
    }
    assert_no_part_of(TOKEN, text);
}

/// Fails if any [`LEAK_LEN`] characters of `secret` show in `text`.
pub fn assert_no_part_of(secret: &str, text: &str) {
    let chars: Vec<char> = secret.chars().collect();
    for part in chars.windows(LEAK_LEN) {
        let part: String = part.iter().collect();
        assert!(!text.contains(&part), "{part} of {secret} leaked: {text}");
    }
}

/// Checks the `Display`, `Debug` and source chain of an error for secrets.
pub fn assert_error_has_no_secret(error: &Error) {
    assert_no_secret(&error.to_string());
    assert_no_secret(&format!("{error:?}"));
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        assert_no_secret(&cause.to_string());
        source = cause.source();
    }
}

/// An id made from a number, for listings of many items.
pub fn numbered_id(n: u32) -> Uuid {
    Uuid::parse_str(&format!("00000000-0000-4000-8000-{n:012}")).unwrap()
}

/// Session `n` of a listing: the spec's list item ([`values::session_listed`]) with its own id.
pub fn session(n: u32) -> types::RoomSession {
    types::RoomSession {
        id: numbered_id(n),
        ..values::session_listed()
    }
}

/// Sessions `range` of a listing.
pub fn sessions(range: std::ops::Range<u32>) -> Vec<types::RoomSession> {
    range.map(session).collect()
}

/// Member `n` of [`SESSION_ID`]: the spec's example with its own id.
pub fn member(n: u32) -> types::RoomSessionMember {
    types::RoomSessionMember {
        id: numbered_id(n),
        ..values::member()
    }
}

/// Recording `n` of [`SESSION_ID`]: the spec's example with its own id.
pub fn recording(n: u32) -> types::RoomSessionRecording {
    types::RoomSessionRecording {
        id: numbered_id(n),
        ..values::recording()
    }
}

/// The spec's list item with this id, as JSON: for a test that turns it into something the
/// types cannot express (a value of the wrong type, a field the spec does not know).
pub fn session_json(id: Uuid) -> Value {
    serde_json::to_value(types::RoomSession {
        id,
        ..values::session_listed()
    })
    .unwrap()
}

/// Reads a stream to its end, which must be an error after which nothing comes: how many
/// items came before it, and the error.
pub async fn read_until_error<T>(
    mut stream: BoxStream<'static, Result<T, Error>>,
) -> (usize, Error) {
    let mut count = 0;
    loop {
        match stream.next().await {
            Some(Ok(_)) => count += 1,
            Some(Err(error)) => {
                assert!(
                    stream.next().await.is_none(),
                    "the stream goes on after an error"
                );
                return (count, error);
            }
            None => panic!("the stream ended without an error after {count} items"),
        }
    }
}

/// What a [`raw_server`] answers each connection with, once it has read the request's head.
#[derive(Clone, Copy, Debug)]
pub enum RawReply {
    /// These bytes, then the connection is closed: for responses a well-behaved HTTP server
    /// will not send (a body cut short, a response to a TLS handshake).
    Bytes(&'static [u8]),
    /// This head (a status line and headers ending in a blank line, for a chunked body), then
    /// chunks of JSON whitespace without end, until the client goes away.
    EndlessChunked(&'static str),
    /// This head, then `body` in chunks of `size` bytes each, then the last chunk.
    Chunked {
        head: &'static str,
        body: &'static [u8],
        size: usize,
    },
}

/// A server on 127.0.0.1 that answers every connection with a [`RawReply`].
pub struct RawServer {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    connections: Arc<AtomicUsize>,
    body_bytes_sent: Arc<AtomicU64>,
}

impl RawServer {
    /// How many connections it accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// How many bytes of endless body it managed to send.
    pub fn body_bytes_sent(&self) -> u64 {
        self.body_bytes_sent.load(Ordering::SeqCst)
    }
}

pub async fn raw_server(reply: RawReply) -> RawServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let body_bytes_sent = Arc::new(AtomicU64::new(0));
    let (accepted, sent) = (connections.clone(), body_bytes_sent.clone());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            accepted.fetch_add(1, Ordering::SeqCst);
            let sent = sent.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                // A TLS client sends no HTTP head: answer whatever arrives first.
                while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 64 {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                match reply {
                    RawReply::Bytes(bytes) => {
                        let _ = socket.write_all(bytes).await;
                    }
                    RawReply::EndlessChunked(head) => {
                        if socket.write_all(head.as_bytes()).await.is_err() {
                            return;
                        }
                        let chunk = format!("10000\r\n{}\r\n", " ".repeat(0x10000));
                        while socket.write_all(chunk.as_bytes()).await.is_ok() {
                            sent.fetch_add(0x10000, Ordering::SeqCst);
                        }
                    }
                    RawReply::Chunked { head, body, size } => {
                        if socket.write_all(head.as_bytes()).await.is_err() {
                            return;
                        }
                        // Many small chunks to a write, and one buffer for all the writes.
                        let mut batch = Vec::new();
                        for chunks in body.chunks(size * 4096) {
                            batch.clear();
                            for chunk in chunks.chunks(size) {
                                // Into the batch: no allocation per chunk.
                                let _ = write!(batch, "{:x}\r\n", chunk.len());
                                batch.extend_from_slice(chunk);
                                batch.extend_from_slice(b"\r\n");
                            }
                            if socket.write_all(&batch).await.is_err() {
                                return;
                            }
                            sent.fetch_add(chunks.len() as u64, Ordering::SeqCst);
                        }
                        let _ = socket.write_all(b"0\r\n\r\n").await;
                    }
                }
                let _ = socket.shutdown().await;
            });
        }
    });
    RawServer {
        base: format!("http://{address}"),
        connections,
        body_bytes_sent,
    }
}

/// The base URL of a port where nothing listens.
pub async fn refusing_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}

/// A writer into a shared buffer, read back as text: what a log subscriber or a recording
/// wrote.
#[derive(Clone, Default)]
pub struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

impl Captured {
    /// What was written so far.
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
