//! What the tests of the binary share: the command with a clean environment, aimed at a local
//! mock server; realistic resources; paged listings; and the check that no secret shows.

#![allow(dead_code)]

use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};
use wiremock::MockServer;

/// A local server of the API: wiremock's serves it at `/api/video`; httpmock's at its root,
/// where the typed mocks of `room-sessions-httpmock` match their paths.
pub trait ApiServer {
    fn api_url(&self) -> String;
}

impl ApiServer for MockServer {
    fn api_url(&self) -> String {
        base_url(self)
    }
}

impl ApiServer for room_sessions_httpmock::httpmock::MockServer {
    fn api_url(&self) -> String {
        self.base_url()
    }
}

pub const PROJECT_ID: &str = "b3877c40-da60-4998-90ad-b792e98472af";
/// A token distinctive enough that finding any of it in an output is a leak.
pub const TOKEN: &str = "PT-cli-okapi-9431-leakcheck";
pub const SESSION_ID: &str = "c22d24f6-5a47-4597-9a23-c7d01e696b92";
pub const ROOM_ID: &str = "a1b2c3d4-5e6f-7890-abcd-ef1234567890";

/// The environment variables the tool reads, removed from every test's command so that the
/// developer's own never leak in.
const VARIABLES: [&str; 4] = [
    "SIGNALWIRE_SPACE",
    "SIGNALWIRE_PROJECT_ID",
    "SIGNALWIRE_API_TOKEN",
    "SIGNALWIRE_BASE_URL",
];

/// `room-sessions` with none of the tool's variables set, and with backtraces asked for, so
/// that a test sees one if any error path printed it.
pub fn room_sessions() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::new(env!("CARGO_BIN_EXE_room-sessions"));
    for variable in VARIABLES {
        command.env_remove(variable);
    }
    command
        .env("RUST_BACKTRACE", "1")
        .timeout(Duration::from_secs(60));
    command
}

/// `room-sessions` configured for `server` through the environment, token included.
pub fn against(server: &impl ApiServer) -> assert_cmd::Command {
    let mut command = room_sessions();
    command
        .env("SIGNALWIRE_BASE_URL", server.api_url())
        .env("SIGNALWIRE_PROJECT_ID", PROJECT_ID)
        .env("SIGNALWIRE_API_TOKEN", TOKEN);
    command
}

/// The same as [`against`], as a `std::process::Command` for tests that read the output as
/// it comes.
pub fn spawnable(server: &impl ApiServer) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_room-sessions"));
    for variable in VARIABLES {
        command.env_remove(variable);
    }
    command
        .env("SIGNALWIRE_BASE_URL", server.api_url())
        .env("SIGNALWIRE_PROJECT_ID", PROJECT_ID)
        .env("SIGNALWIRE_API_TOKEN", TOKEN);
    command
}

pub fn base_url(server: &MockServer) -> String {
    format!("{}/api/video", server.uri())
}

/// The base URL of a port where nothing listens (a dropped wiremock server would not do:
/// wiremock keeps it listening, for reuse).
pub fn refusing_address() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}

/// The path of an endpoint on the mock server.
pub fn api_path(rest: &str) -> String {
    format!("/api/video{rest}")
}

pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Fails if the token, any part of it, or the Basic credentials made from it show in `text`.
pub fn assert_no_secret(text: &str) {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{PROJECT_ID}:{TOKEN}"));
    assert!(!text.contains(TOKEN), "the token leaked: {text}");
    assert!(!text.contains(&encoded), "the credentials leaked: {text}");
    assert!(
        !text.contains("okapi-9431"),
        "part of the token leaked: {text}"
    );
}

/// Fails unless `stderr` is one line, `error: ...`, with no panic, backtrace or secret.
pub fn assert_one_error_line(stderr: &str) {
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("backtrace"), "{stderr}");
    assert_no_secret(stderr);
}

/// Room sessions as the two generations of the API send them: a live one, completed ones of
/// several lengths, a state this client does not know, missing fields, and a name with a
/// terminal escape in it.
pub fn sessions() -> Vec<Value> {
    vec![
        json!({
            "id": SESSION_ID, "room_id": ROOM_ID, "name": "my_example_room",
            "display_name": "My Room's Name", "status": "in-progress",
            "start_time": "2024-07-29T15:51:28.071Z", "end_time": null, "duration": null,
            "max_members": 20, "fps": 20.0, "quality": "720p", "layout": "grid-responsive",
            "sync_audio_video": true, "locked": false, "created_at": "2024-07-29T15:51:27Z",
            "updated_at": "2024-07-29T15:51:28Z", "cost_in_dollars": null,
            "enable_room_previews": false
        }),
        json!({
            "id": "5e7a8b9c-0d1e-4f2a-b3c4-d5e6f7a8b9c0", "room_id": ROOM_ID,
            "name": "town_hall", "display_name": "Town hall (July)", "status": "completed",
            "start_time": "2024-07-26T17:00:00Z", "end_time": "2024-07-26T18:02:30Z",
            "duration": 3750, "max_members": 200, "fps": 30, "quality": "1080p",
            "layout": "spotlight-7", "audio_video_sync": false, "record_on_start": true,
            "cost_in_dollars": 1.25
        }),
        json!({
            "id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "name": "customer_call",
            "status": "completed", "start_time": "2024-07-28T10:00:00Z",
            "end_time": "2024-07-28T10:17:05Z", "max_members": 2, "quality": "4k"
        }),
        json!({
            "id": "abcdef01-2345-4678-9abc-def012345678", "name": "ops\u{1b}[31m_red",
            "status": "archived", "start_time": "2024-07-24T14:00:00Z", "duration": 42
        }),
        json!({ "id": "0f1e2d3c-4b5a-4697-8877-665544332211" }),
    ]
}
