//! The client at work, offline: no account, no network.
//!
//! ```text
//! cargo run -p room-sessions --example demo
//! ```
//!
//! It starts a local mock of the SignalWire Video API (with wiremock) that serves realistic
//! room sessions over three pages, and walks the client through finding a session, listing
//! sessions page by page, listing a session's members, and a session that does not exist.
//! Against the real API only the client's configuration changes: `Client::from_env()` or
//! `.space("your-space")` instead of `.base_url(..)`.

use std::time::Duration;

use futures::TryStreamExt;
use room_sessions::{Client, RoomSession};
use serde_json::{Value, json};
use wiremock::matchers::{basic_auth, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT_ID: &str = "b3877c40-da60-4998-90ad-b792e98472af";
const TOKEN: &str = "PTdemo0000000000000000000000000000";
const ROOM_ID: &str = "a1b2c3d4-5e6f-7890-abcd-ef1234567890";
const MISSING_ID: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

/// One session of the mock data.
struct Sample {
    id: &'static str,
    name: &'static str,
    display_name: &'static str,
    status: &'static str,
    start: &'static str,
    minutes: Option<i64>,
    quality: &'static str,
    fps: u32,
}

/// Seven sessions, newest first.
const SESSIONS: [Sample; 7] = [
    Sample {
        id: "c22d24f6-5a47-4597-9a23-c7d01e696b92",
        name: "my_example_room",
        display_name: "My Room's Name",
        status: "in-progress",
        start: "2024-07-29T15:51:28Z",
        minutes: None,
        quality: "720p",
        fps: 20,
    },
    Sample {
        id: "9b1f6c2e-3d4a-4e8b-a6f7-0c1d2e3f4a5b",
        name: "daily_standup",
        display_name: "Daily stand-up",
        status: "in-progress",
        start: "2024-07-29T15:30:00Z",
        minutes: None,
        quality: "1080p",
        fps: 30,
    },
    Sample {
        id: "5e7a8b9c-0d1e-4f2a-b3c4-d5e6f7a8b9c0",
        name: "daily_standup",
        display_name: "Daily stand-up",
        status: "completed",
        start: "2024-07-28T15:30:00Z",
        minutes: Some(17),
        quality: "1080p",
        fps: 30,
    },
    Sample {
        id: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        name: "customer_call",
        display_name: "Call with ACME",
        status: "completed",
        start: "2024-07-28T10:00:00Z",
        minutes: Some(42),
        quality: "720p",
        fps: 20,
    },
    Sample {
        id: "6f5e4d3c-2b1a-4098-8765-43210fedcba9",
        name: "town_hall",
        display_name: "Town hall (July)",
        status: "completed",
        start: "2024-07-26T17:00:00Z",
        minutes: Some(58),
        quality: "1080p",
        fps: 30,
    },
    Sample {
        id: "0f1e2d3c-4b5a-4697-8877-665544332211",
        name: "my_example_room",
        display_name: "My Room's Name",
        status: "completed",
        start: "2024-07-25T09:15:00Z",
        minutes: Some(2),
        quality: "720p",
        fps: 20,
    },
    Sample {
        id: "abcdef01-2345-4678-9abc-def012345678",
        name: "interview",
        display_name: "Interview: backend role",
        status: "completed",
        start: "2024-07-24T14:00:00Z",
        minutes: Some(51),
        quality: "720p",
        fps: 20,
    },
];

fn session_json(index: usize) -> Value {
    let Sample {
        id,
        name,
        display_name,
        status,
        start,
        minutes,
        quality,
        fps,
    } = SESSIONS[index];
    let start_time: chrono::DateTime<chrono::Utc> = start.parse().unwrap();
    let end_time = minutes.map(|m| (start_time + chrono::Duration::minutes(m)).to_rfc3339());
    json!({
        "id": id,
        "room_id": ROOM_ID,
        "name": name,
        "display_name": display_name,
        "layout": "grid-responsive",
        "max_members": 20,
        "fps": fps,
        "quality": quality,
        "start_time": start,
        "end_time": end_time,
        "duration": minutes.map(|m| m * 60),
        "status": status,
        "record_on_start": index.is_multiple_of(2),
        "enable_room_previews": false,
        "preview_url": null,
        // The server may send either name of this flag; the client reads both.
        "sync_audio_video": if index.is_multiple_of(3) { json!(true) } else { Value::Null },
        "audio_video_sync": if index.is_multiple_of(3) { Value::Null } else { json!(false) },
        "created_at": start,
        "cost_in_dollars": minutes.map(|m| m as f64 * 0.004),
        // A field this version of the client does not know: ignored.
        "region": "us-east",
    })
}

/// Starts the mock API: three pages of sessions (3 + 3 + 1), one session's details and
/// members, and 404 for any other session. Every mock checks the Basic auth header.
async fn start_mock_api() -> MockServer {
    let server = MockServer::start().await;
    let base = format!("{}/api/video", server.uri());
    let list = "/api/video/room_sessions";
    let page = |indexes: std::ops::Range<usize>, self_link: String, next: Option<String>| {
        let mut links =
            json!({ "self": self_link, "first": format!("{list}?page_number=0&page_size=3") });
        if let Some(next) = next {
            links["next"] = json!(next);
        }
        json!({ "links": links, "data": indexes.map(session_json).collect::<Vec<_>>() })
    };
    let auth = || basic_auth(PROJECT_ID, TOKEN);

    // Page 0 links to page 1 with an absolute URL, page 1 to page 2 with a path: SignalWire
    // material shows both, and the client takes either.
    Mock::given(method("GET"))
        .and(path(list))
        .and(auth())
        .and(query_param_is_missing("page_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            0..3,
            format!("{list}?page_number=0&page_size=3"),
            Some(format!(
                "{base}/room_sessions?page_number=1&page_size=3&page_token=PAb3877c40da604998"
            )),
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(list))
        .and(auth())
        .and(query_param("page_number", "1"))
        .and(query_param("page_token", "PAb3877c40da604998"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            3..6,
            format!("{list}?page_number=1&page_size=3&page_token=PAb3877c40da604998"),
            Some(format!(
                "{list}?page_number=2&page_size=3&page_token=PAb3877c40da604998"
            )),
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(list))
        .and(auth())
        .and(query_param("page_number", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            6..7,
            format!("{list}?page_number=2&page_size=3&page_token=PAb3877c40da604998"),
            None,
        )))
        .mount(&server)
        .await;

    let first = SESSIONS[0].id;
    Mock::given(method("GET"))
        .and(path(format!("{list}/{first}")))
        .and(auth())
        .respond_with(ResponseTemplate::new(200).set_body_json(session_json(0)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{list}/{first}/members")))
        .and(auth())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "links": { "self": format!("{list}/{first}/members?page_number=0&page_size=50"),
                       "first": format!("{list}/{first}/members?page_number=0&page_size=50") },
            "data": [
                { "id": "7e4b1d2a-9c3f-4e5a-8b6d-1f2e3d4c5b6a", "room_session_id": first,
                  "name": "Alice", "join_time": "2024-07-29T15:51:30Z",
                  "leave_time": "2024-07-29T16:00:05Z", "duration": 515, "cost_in_dollars": 0.03 },
                { "id": "8f5c2e3b-0d4a-4f6b-9c7e-2a3b4c5d6e7f", "room_session_id": first,
                  "name": "Bob", "join_time": "2024-07-29T15:52:10Z",
                  "leave_time": null, "duration": null, "cost_in_dollars": null }
            ]
        })))
        .mount(&server)
        .await;

    // Anything else: a session that does not exist, or wrong credentials.
    Mock::given(method("GET"))
        .and(auth())
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({ "error": "Not Found" })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "error": "Unauthorized" })))
        .mount(&server)
        .await;
    server
}

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
    let server = start_mock_api().await;
    let base_url = format!("{}/api/video", server.uri());
    println!("room-sessions demo");
    println!("A local mock of SignalWire's Video API runs at {base_url}");
    println!(
        "(no account or network needed: the real API is https://<space>.signalwire.com/api/video)\n"
    );

    let client = Client::builder()
        .base_url(&base_url) // for the real API: .space("example") or Client::from_env()
        .project_id(PROJECT_ID)
        .api_token(TOKEN)
        .build()?;
    println!("The client, as Debug prints it (the token never shows):\n  {client:?}\n");

    println!("1. Find a room session by id");
    println!("   client.room_session(\"{}\").await?", SESSIONS[0].id);
    let session = client.room_session(SESSIONS[0].id).await?;
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

    println!("2. List room sessions, 3 per page, following links.next page after page");
    println!("   client.room_sessions().page_size(3).pages()");
    let mut pages = client.room_sessions().page_size(3).pages();
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

    println!("   Or every item as one stream, here only the live ones:");
    println!("   client.room_sessions().stream().try_filter(|s| ready(s.is_in_progress()))");
    let live: Vec<_> = client
        .room_sessions()
        .stream()
        .try_filter(|s| futures::future::ready(s.is_in_progress()))
        .try_collect()
        .await?;
    for session in &live {
        println!("     {}", describe(session));
    }
    println!();

    println!("3. The members of that session");
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

    println!("4. A session that does not exist");
    println!("   client.room_session(\"{MISSING_ID}\").await");
    match client.room_session(MISSING_ID).await {
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
        .project_id(PROJECT_ID)
        .api_token("PTwrong")
        .build()?;
    if let Err(error) = wrong.room_session(SESSIONS[0].id).await {
        println!("   -> {error}");
    }
    println!(
        "\nNext: read the crate docs (cargo doc -p room-sessions --open), and try the examples"
    );
    println!("find_session, list_sessions, members, events and recordings against your space.");
    Ok(())
}
