//! What the tests of the binary share: the command with a clean environment, aimed at a local
//! mock server, and the checks that an error is one line and that no secret shows.
//!
//! The server is httpmock, with the API at its root: the typed mocks, values and paging of
//! `room-sessions-httpmock` serve what the spec allows; plain httpmock what it cannot express.

// Each test file uses some of these.
#![allow(dead_code)]

use std::process::{Command, Output};
use std::time::Duration;

use base64::Engine as _;
use room_sessions_httpmock::httpmock::MockServer;

pub const PROJECT_ID: &str = "b3877c40-da60-4998-90ad-b792e98472af";
/// A token distinctive enough that finding any of it in an output is a leak.
pub const TOKEN: &str = "PT-cli-okapi-9431-leakcheck";

/// The environment variables the tool reads, removed from every test's command so that the
/// developer's own never leak in.
const VARIABLES: [&str; 4] = [
    "SIGNALWIRE_SPACE",
    "SIGNALWIRE_PROJECT_ID",
    "SIGNALWIRE_API_TOKEN",
    "SIGNALWIRE_BASE_URL",
];

/// `room-sessions` with none of the tool's variables set, and with backtraces asked for, so
/// that a test sees one if any error path printed it; for tests that read the output as it
/// comes.
pub fn command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_room-sessions"));
    for variable in VARIABLES {
        command.env_remove(variable);
    }
    command.env("RUST_BACKTRACE", "1");
    command
}

/// [`command`] configured for `server` through the environment, token included.
pub fn spawnable(server: &MockServer) -> Command {
    let mut command = command();
    command
        .env("SIGNALWIRE_BASE_URL", server.base_url())
        .env("SIGNALWIRE_PROJECT_ID", PROJECT_ID)
        .env("SIGNALWIRE_API_TOKEN", TOKEN);
    command
}

/// [`command`], to be run to its end: a hung run fails the test rather than blocking it.
pub fn room_sessions() -> assert_cmd::Command {
    limited(command())
}

/// [`spawnable`], to be run to its end.
pub fn against(server: &MockServer) -> assert_cmd::Command {
    limited(spawnable(server))
}

fn limited(command: Command) -> assert_cmd::Command {
    let mut command = assert_cmd::Command::from_std(command);
    command.timeout(Duration::from_secs(60));
    command
}

/// The base URL of a port where nothing listens (a dropped httpmock server would not do:
/// httpmock keeps it listening, for reuse).
pub fn refusing_address() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The test credentials as Basic authentication sends them: `PROJECT_ID:TOKEN` in base64.
pub fn credentials() -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{PROJECT_ID}:{TOKEN}"))
}

/// Fails if the token, any part of it, or the Basic credentials made from it show in `text`.
pub fn assert_no_secret(text: &str) {
    assert!(!text.contains(TOKEN), "the token leaked: {text}");
    assert!(
        !text.contains(&credentials()),
        "the credentials leaked: {text}"
    );
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
