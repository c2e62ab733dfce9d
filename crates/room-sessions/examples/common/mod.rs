//! What the examples that talk to a real space share: a client from the environment, and the
//! room session id from the command line, each with a message that says what to do.

use std::process::ExitCode;

use room_sessions::Client;

/// The client `Client::from_env()` builds, or a message naming the variables to set.
pub fn client_from_env() -> Result<Client, ExitCode> {
    Client::from_env().map_err(|error| {
        eprintln!("{error}");
        eprintln!(
            "\nThis example reads SIGNALWIRE_SPACE (or SIGNALWIRE_BASE_URL), \
             SIGNALWIRE_PROJECT_ID and SIGNALWIRE_API_TOKEN.\nTo try the client without \
             an account: cargo run -p room-sessions-cli --example demo"
        );
        ExitCode::FAILURE
    })
}

/// The first command-line argument, a room session id, or a usage line for `example`.
#[allow(dead_code)] // list_sessions takes no id
pub fn session_id_arg(example: &str) -> Result<String, ExitCode> {
    std::env::args().nth(1).ok_or_else(|| {
        eprintln!("usage: cargo run -p room-sessions --example {example} -- <room-session-id>");
        ExitCode::from(2)
    })
}
