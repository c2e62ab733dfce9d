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
use room_sessions::Uuid;
use room_sessions_httpmock::httpmock::MockServer;
use room_sessions_httpmock::values;

/// `values::PROJECT_ID`, the project id of the mock crate, as the text the environment and
/// the flags take: a `&str` like any other setting, so written at compile time.
pub const PROJECT_ID: &str = match std::str::from_utf8(&PROJECT_ID_TEXT) {
    Ok(text) => text,
    Err(_) => panic!("hex digits and hyphens are UTF-8"),
};

const PROJECT_ID_TEXT: [u8; 36] = hyphenated(values::PROJECT_ID);

/// A UUID as `Display` writes it (lowercase, hyphenated), which a `const` cannot call.
const fn hyphenated(id: Uuid) -> [u8; 36] {
    let (bytes, digits) = (id.as_bytes(), b"0123456789abcdef");
    let mut text = [b'-'; 36];
    let (mut byte, mut at) = (0, 0);
    while byte < 16 {
        if matches!(at, 8 | 13 | 18 | 23) {
            at += 1;
        }
        text[at] = digits[(bytes[byte] >> 4) as usize];
        text[at + 1] = digits[(bytes[byte] & 0xf) as usize];
        (byte, at) = (byte + 1, at + 2);
    }
    text
}

/// A token of no words, so that finding any [`LEAK_LEN`] characters of it in a row in an
/// output is a leak, whatever else the output says.
pub const TOKEN: &str = "PT-hV4q-Zx82-Jm5w-Rc7t-Nb3y";

/// The shortest part of the token whose presence counts as a leak.
pub const LEAK_LEN: usize = 4;

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

/// Fails if the Basic credentials, or any [`LEAK_LEN`] characters of the token, show in
/// `text`.
pub fn assert_no_secret(text: &str) {
    assert!(
        !text.contains(&credentials()),
        "the credentials leaked: {text}"
    );
    for part in TOKEN.as_bytes().windows(LEAK_LEN) {
        let part = std::str::from_utf8(part).unwrap();
        assert!(
            !text.contains(part),
            "part of the token leaked ({part}): {text}"
        );
    }
}

/// Fails unless `stderr` is one line, `error: ...`, with no panic, backtrace or secret.
pub fn assert_one_error_line(stderr: &str) {
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("backtrace"), "{stderr}");
    assert_no_secret(stderr);
}
