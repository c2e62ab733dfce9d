//! Lists the project's room sessions, every page, optionally only those in one state.
//!
//! ```text
//! export SIGNALWIRE_SPACE=example SIGNALWIRE_PROJECT_ID=... SIGNALWIRE_API_TOKEN=...
//! cargo run -p room-sessions --example list_sessions                 # all of them
//! cargo run -p room-sessions --example list_sessions -- in-progress  # only the live ones
//! ```
//!
//! No account at hand? `cargo run -p room-sessions-cli --example demo` runs offline.

mod common;

use std::process::ExitCode;

use futures::TryStreamExt;
use room_sessions::SessionStatus;

#[tokio::main]
async fn main() -> ExitCode {
    let client = match common::client_from_env() {
        Ok(client) => client,
        Err(code) => return code,
    };

    let mut listing = client.room_sessions().page_size(100);
    if let Some(status) = std::env::args().nth(1) {
        listing = listing.status(SessionStatus::from(status.as_str()));
    }

    let mut sessions = listing.stream();
    let mut count = 0;
    loop {
        match sessions.try_next().await {
            Ok(Some(session)) => {
                count += 1;
                println!(
                    "{}  {:<30} {:<12} {:?}",
                    session.id,
                    session.display_name_or_name().unwrap_or("-"),
                    session.status().map(|s| s.as_str()).unwrap_or("-"),
                    session.duration(),
                );
            }
            Ok(None) => break,
            Err(error) => {
                eprintln!("{error}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{count} room sessions");
    ExitCode::SUCCESS
}
