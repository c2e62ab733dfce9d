//! Lists the events of a room session (`room.started`, members joining, ...), every page.
//!
//! ```text
//! export SIGNALWIRE_SPACE=example SIGNALWIRE_PROJECT_ID=... SIGNALWIRE_API_TOKEN=...
//! cargo run -p room-sessions --example events -- c22d24f6-5a47-4597-9a23-c7d01e696b92
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
    let id = match common::session_id_arg("events") {
        Ok(id) => id,
        Err(code) => return code,
    };

    // Printed as they arrive: the next page is fetched when this one is used up.
    let mut events = client.room_session_events(&id).stream();
    loop {
        match events.try_next().await {
            Ok(Some(event)) => println!(
                "{}  {:<6} {:<28} {}",
                event.created_at,
                event.level.as_deref().unwrap_or("-"),
                event.name,
                event
                    .payload
                    .as_ref()
                    .map(|p| serde_json::Value::Object(p.clone()).to_string())
                    .unwrap_or_default(),
            ),
            Ok(None) => return ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("{error}");
                return ExitCode::FAILURE;
            }
        }
    }
}
