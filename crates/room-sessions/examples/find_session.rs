//! Finds one room session by its id and prints what the API says about it.
//!
//! ```text
//! export SIGNALWIRE_SPACE=example            # or SIGNALWIRE_BASE_URL=https://...
//! export SIGNALWIRE_PROJECT_ID=b3877c40-da60-4998-90ad-b792e98472af
//! export SIGNALWIRE_API_TOKEN=PT...
//! cargo run -p room-sessions --example find_session -- c22d24f6-5a47-4597-9a23-c7d01e696b92
//! ```
//!
//! No account at hand? `cargo run -p room-sessions-cli --example demo` runs offline.

mod common;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let client = match common::client_from_env() {
        Ok(client) => client,
        Err(code) => return code,
    };
    let id = match common::session_id_arg("find_session") {
        Ok(id) => id,
        Err(code) => return code,
    };

    match client.room_session(&id).await {
        Ok(session) => {
            println!("id:           {}", session.id);
            println!("name:         {:?}", session.display_name_or_name());
            println!("status:       {:?}", session.status());
            println!("started:      {:?}", session.start_time);
            println!("ended:        {:?}", session.end_time);
            println!("duration:     {:?}", session.duration());
            println!("quality, fps: {:?}, {:?}", session.quality(), session.fps());
            println!("layout:       {:?}", session.layout());
            println!("a/v sync:     {:?}", session.sync_audio_video());
            ExitCode::SUCCESS
        }
        Err(error) if error.is_not_found() => {
            eprintln!("There is no room session {id} in this project.");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
