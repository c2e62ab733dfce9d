//! What the integration tests share: a client for a local mock server, fixtures, checks
//! that no secret leaks, and local servers: raw ones that misbehave (here), an HTTPS server
//! ([`https`]) and a recording proxy ([`proxy`]).

#![allow(dead_code)]

pub mod https;
pub mod proxy;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use base64::Engine as _;
use room_sessions::{Client, ClientBuilder, RetryPolicy};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::MockServer;

pub const PROJECT_ID: &str = "b3877c40-da60-4998-90ad-b792e98472af";
/// A token distinctive enough that finding it anywhere is a leak.
pub const TOKEN: &str = "PT-zebra-quartz-7731-leakcheck";
pub const SESSION_ID: &str = "c22d24f6-5a47-4597-9a23-c7d01e696b92";
pub const ROOM_ID: &str = "a1b2c3d4-5e6f-7890-abcd-ef1234567890";

/// The `Authorization` header the client must send.
pub fn basic_auth() -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{PROJECT_ID}:{TOKEN}"))
    )
}

/// A builder for the API under `{base}/api/video`, with fast retries.
pub fn builder_for(base: &str) -> ClientBuilder {
    Client::builder()
        .base_url(format!("{base}/api/video/"))
        .project_id(PROJECT_ID)
        .api_token(TOKEN)
        .retry_policy(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(5)),
        )
}

pub fn client(server: &MockServer) -> Client {
    builder_for(&server.uri()).build().unwrap()
}

/// The path of an endpoint below the mock server's base URL.
pub fn api_path(rest: &str) -> String {
    format!("/api/video{rest}")
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

/// Fails if the token, or the Basic credentials made from it, show in `text` in any form.
pub fn assert_no_secret(text: &str) {
    for form in credential_forms() {
        assert!(
            !text.contains(&form),
            "the credentials leaked ({form}): {text}"
        );
    }
    assert!(
        !text.contains("zebra-quartz"),
        "part of the token leaked: {text}"
    );
}

/// Checks the `Display`, `Debug` and source chain of an error for secrets.
pub fn assert_error_has_no_secret(error: &room_sessions::Error) {
    assert_no_secret(&error.to_string());
    assert_no_secret(&format!("{error:?}"));
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        assert_no_secret(&cause.to_string());
        source = cause.source();
    }
}

/// A realistic room session as the current API sends it.
pub fn session_json(id: &str) -> Value {
    json!({
        "id": id,
        "room_id": ROOM_ID,
        "name": "my_example_room",
        "display_name": "My Room's Name",
        "join_from": null,
        "join_until": null,
        "remove_at": null,
        "remove_after_seconds_elapsed": null,
        "layout": "grid-responsive",
        "max_members": 20,
        "fps": 20,
        "quality": "720p",
        "start_time": "2022-01-01T10:00:00Z",
        "end_time": "2022-01-01T10:02:00Z",
        "duration": 120,
        "status": "completed",
        "record_on_start": false,
        "enable_room_previews": false,
        "preview_url": null,
        "sync_audio_video": true,
        "tone_on_entry_and_exit": true,
        "room_join_video_off": false,
        "user_join_video_off": false,
        "locked": false,
        "prioritize_handraise": false,
        "created_at": "2022-01-01T09:59:58Z",
        "updated_at": "2022-01-01T10:02:01Z",
        "cost_in_dollars": 0.05,
        "locked_cover": null
    })
}

/// A session id made from a number, for pages of many sessions.
pub fn numbered_id(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// A list page with these items and links.
pub fn page_json(items: Vec<Value>, self_link: &str, next: Option<&str>) -> Value {
    let mut links = json!({ "self": self_link, "first": self_link });
    if let Some(next) = next {
        links["next"] = json!(next);
    }
    json!({ "links": links, "data": items })
}

pub fn member_json(id: &str) -> Value {
    json!({
        "id": id,
        "room_session_id": SESSION_ID,
        "name": "Alice",
        "join_time": "2022-01-01T10:00:05Z",
        "leave_time": "2022-01-01T10:01:50Z",
        "duration": 105,
        "cost_in_dollars": 0.01
    })
}

pub fn recording_json(id: &str) -> Value {
    json!({
        "id": id,
        "room_session_id": SESSION_ID,
        "status": "completed",
        "started_at": "2022-01-01T10:00:10Z",
        "finished_at": "2022-01-01T10:01:40Z",
        "duration": 90,
        "size_in_bytes": 7340032,
        "format": "video/mp4",
        "uri": "https://example.signalwire.com/recordings/5d4c3b2a.mp4?expires=600",
        "cost_in_dollars": 0.02,
        "created_at": "2022-01-01T10:00:10Z",
        "updated_at": "2022-01-01T10:01:45Z"
    })
}

pub fn event_json(id: &str, name: &str) -> Value {
    json!({
        "id": id,
        "project_id": PROJECT_ID,
        "room_id": ROOM_ID,
        "room_session_id": SESSION_ID,
        "level": "info",
        "name": name,
        "payload": { "room_name": "my_example_room" },
        "created_at": "2022-01-01T10:00:00Z"
    })
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
