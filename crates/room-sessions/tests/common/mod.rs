//! What the integration tests share: a client for a local mock server, fixtures, and checks
//! that no secret leaks.

#![allow(dead_code)]

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

/// Fails if the token, or the Basic credentials made from it, show in `text`.
pub fn assert_no_secret(text: &str) {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{PROJECT_ID}:{TOKEN}"));
    assert!(!text.contains(TOKEN), "the token leaked: {text}");
    assert!(!text.contains(&encoded), "the credentials leaked: {text}");
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

/// A server that answers every connection with `response` (raw bytes) and then closes it,
/// for responses a well-behaved HTTP server will not send (a body cut short). Returns its
/// base URL.
pub async fn raw_server(response: &'static [u8]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let _ = socket.write_all(response).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    format!("http://{address}")
}

/// The base URL of a port where nothing listens.
pub async fn refusing_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}
