//! Lists the members of a room session, every page.
//!
//! ```text
//! export SIGNALWIRE_SPACE=example SIGNALWIRE_PROJECT_ID=... SIGNALWIRE_API_TOKEN=...
//! cargo run -p room-sessions --example members -- c22d24f6-5a47-4597-9a23-c7d01e696b92
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
    let id = match common::session_id_arg("members") {
        Ok(id) => id,
        Err(code) => return code,
    };

    let result: Result<Vec<_>, _> = client
        .room_session_members(&id)
        .stream()
        .try_collect()
        .await;
    match result {
        Ok(members) => {
            for member in &members {
                println!(
                    "{}  {:<24} joined {:?}  left {:?}  stayed {:?}",
                    member.id,
                    member.name.as_deref().unwrap_or("-"),
                    member.join_time,
                    member.leave_time,
                    member.duration(),
                );
            }
            println!("{} members", members.len());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
