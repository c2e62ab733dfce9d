//! Lists the recordings of a room session, with media links valid for ten minutes.
//!
//! ```text
//! export SIGNALWIRE_SPACE=example SIGNALWIRE_PROJECT_ID=... SIGNALWIRE_API_TOKEN=...
//! cargo run -p room-sessions --example recordings -- c22d24f6-5a47-4597-9a23-c7d01e696b92
//! ```
//!
//! No account at hand? `cargo run -p room-sessions-cli --example demo` runs offline.

mod common;

use std::process::ExitCode;

use futures::TryStreamExt;

#[tokio::main]
async fn main() -> ExitCode {
    let client = match common::client_from_env() {
        Ok(client) => client,
        Err(code) => return code,
    };
    let id = match common::session_id_arg("recordings") {
        Ok(id) => id,
        Err(code) => return code,
    };

    let result: Result<Vec<_>, _> = client
        .room_session_recordings(&id)
        .media_ttl(600)
        .stream()
        .try_collect()
        .await;
    match result {
        Ok(recordings) => {
            for recording in &recordings {
                println!(
                    "{}  {:<10} {:?}  {} bytes  {}",
                    recording.id,
                    recording.status().map(|s| s.as_str()).unwrap_or("-"),
                    recording.duration(),
                    recording
                        .size()
                        .map(|s| s.to_string())
                        .unwrap_or("?".into()),
                    recording.media_url().unwrap_or("(no media link yet)"),
                );
            }
            println!("{} recordings", recordings.len());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
