//! The client at work, offline: no account, no network.
//!
//! ```text
//! cargo run -p room-sessions-cli --example demo
//! ```
//!
//! It starts the demo server that `room-sessions --demo` answers from (a local stand-in for
//! the SignalWire Video API serving a fixed dataset of room sessions, 10 to a page) and walks
//! the `room-sessions` client
//! through finding a session, listing sessions page by page, listing a session's members,
//! and a session that does not exist. Against the real API only the client's configuration
//! changes: `Client::from_env()` or `.space("your-space")` instead of `.base_url(..)`.

use std::time::Duration;

use futures::TryStreamExt;
use room_sessions::{Client, RoomSession};
use room_sessions_httpmock::demo::{self, DemoServer};
use room_sessions_httpmock::values;

fn minutes(duration: Option<Duration>) -> String {
    match duration {
        Some(d) => format!("{}m{:02}s", d.as_secs() / 60, d.as_secs() % 60),
        None => "running".to_owned(),
    }
}

fn describe(session: &RoomSession) -> String {
    format!(
        "{}  {:<24} {:<11} {:>8}",
        session.id,
        session.display_name_or_name().unwrap_or("-"),
        session.status().map(|s| s.as_str()).unwrap_or("-"),
        minutes(session.duration()),
    )
}

#[tokio::main]
async fn main() -> Result<(), room_sessions::Error> {
    let server = DemoServer::start().await;
    let base_url = server.base_url();
    println!("room-sessions demo");
    println!("A local mock of SignalWire's Video API runs at {base_url}");
    println!(
        "(no account or network needed: the real API is https://<space>.signalwire.com/api/video)\n"
    );

    let client = Client::builder()
        .base_url(&base_url) // for the real API: .space("example") or Client::from_env()
        .project_id(values::PROJECT_ID.to_string())
        .api_token(demo::API_TOKEN)
        .build()?;
    println!("The client, as Debug prints it (the token never shows):\n  {client:?}\n");

    let live_id = demo::LIVE_SESSION_ID;
    println!("1. Find a room session by id");
    println!("   client.room_session(\"{live_id}\").await?");
    let session = client.room_session(live_id).await?;
    println!("   name:      {:?}", session.display_name_or_name());
    println!("   status:    {:?}", session.status());
    println!(
        "   quality:   {:?} at {:?} fps",
        session.quality(),
        session.fps().map(|f| f.as_f64())
    );
    println!("   layout:    {:?}", session.layout());
    println!("   a/v sync:  {:?}", session.sync_audio_video());
    println!(
        "   duration:  {:?} (none yet: it is in progress)\n",
        session.duration()
    );

    println!("2. List room sessions, 10 per page, following links.next page after page");
    println!("   client.room_sessions().page_size(10).pages()");
    let mut pages = client.room_sessions().page_size(10).pages();
    let mut total = 0;
    while let Some(page) = pages.try_next().await? {
        let next = match page.links().next.as_deref() {
            Some(link) if link.starts_with("http") => "next: an absolute URL",
            Some(_) => "next: a path",
            None => "the last page",
        };
        let count = page.items().len();
        let noun = if count == 1 { "session" } else { "sessions" };
        println!("   page {} ({count} {noun}, {next})", page.number());
        for session in page.items() {
            println!("     {}", describe(session));
        }
        total += page.items().len();
    }
    println!("   {total} sessions in all\n");

    println!("   Or every item as one stream, here only the live ones (the server filters):");
    println!("   client.room_sessions().status(SessionStatus::InProgress).stream()");
    let live: Vec<_> = client
        .room_sessions()
        .status(room_sessions::SessionStatus::InProgress)
        .stream()
        .try_collect()
        .await?;
    for session in &live {
        println!("     {}", describe(session));
    }
    println!();

    println!("3. The members of the first session");
    println!("   client.room_session_members(session.id).stream()");
    let members: Vec<_> = client
        .room_session_members(session.id)
        .stream()
        .try_collect()
        .await?;
    for member in &members {
        println!(
            "     {:<6} joined {}  {}",
            member.name.as_deref().unwrap_or("-"),
            member
                .join_time
                .map(|t| t.format("%H:%M:%S").to_string())
                .unwrap_or_default(),
            if member.is_present() {
                "still there".to_owned()
            } else {
                format!("stayed {}", minutes(member.duration()))
            },
        );
    }
    println!();

    let missing = demo::MISSING_SESSION_ID;
    println!("4. A session that does not exist");
    println!("   client.room_session(\"{missing}\").await");
    match client.room_session(missing).await {
        Err(error) if error.is_not_found() => {
            println!("   -> Err, and error.is_not_found() is true. The message:");
            println!("      {error}");
        }
        other => println!("   -> unexpected: {other:?}"),
    }
    println!();

    println!("5. An id that is not a UUID is refused before anything is sent");
    match client.room_session("room-42").await {
        Err(error) => println!("   -> {error}"),
        Ok(session) => println!("   -> unexpected: {session:?}"),
    }
    println!();

    println!("6. Wrong credentials");
    let wrong = Client::builder()
        .base_url(&base_url)
        .project_id(values::PROJECT_ID.to_string())
        .api_token("PTwrong")
        .build()?;
    if let Err(error) = wrong.room_session(live_id).await {
        println!("   -> {error}");
    }
    println!(
        "\nNext: read the crate docs (cargo doc -p room-sessions --open), and try the examples"
    );
    println!("find_session, list_sessions, members, events and recordings against your space.");
    Ok(())
}
