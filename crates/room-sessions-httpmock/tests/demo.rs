//! The demo dataset and the demo server: what the command-line tool's `--demo` and its
//! example show, checked with the generated client and plain requests.

mod common;

use std::collections::HashSet;

use common::walk_pages;
use room_sessions_api::tolerant::SessionStatus;
use room_sessions_api::types::{RoomSession, RoomSessionEvent, RoomSessionMember};
use room_sessions_api::{Client, ClientOptions};
use room_sessions_httpmock::demo::{self, DemoServer};
use serde::de::DeserializeOwned;
use serde_json::Value;
use uuid::Uuid;

/// The generated client of `server`, with the demo's credentials.
fn client(server: &DemoServer) -> Client {
    Client::new(&server.base_url(), demo::client_options())
}

/// Every page of the listing at `path_and_query` on `server`, with the demo's credentials:
/// the items of each page, and the pages.
async fn walk<T: DeserializeOwned>(
    server: &DemoServer,
    path_and_query: &str,
) -> (Vec<T>, Vec<Value>) {
    let http = reqwest::Client::builder()
        .default_headers(demo::client_options().headers().clone())
        .build()
        .unwrap();
    walk_pages(&http, format!("{}{path_and_query}", server.base_url()), "").await
}

#[test]
fn the_dataset_is_a_few_dozen_sessions_newest_first_over_several_pages() {
    let sessions = demo::sessions();
    assert_eq!(sessions.len(), demo::SESSION_COUNT);
    assert!((24..=60).contains(&sessions.len()));
    assert!(sessions.len().div_ceil(demo::DEFAULT_PAGE_SIZE) >= 3);
    assert_eq!(sessions, demo::sessions(), "the dataset is fixed");

    let starts: Vec<_> = sessions.iter().map(|s| s.start_time.unwrap()).collect();
    assert!(starts.windows(2).all(|w| w[0] > w[1]), "newest first");
    assert!(starts.iter().all(|t| *t < demo::now()));

    let ids: HashSet<Uuid> = sessions.iter().map(|s| s.id).collect();
    assert_eq!(ids.len(), sessions.len(), "ids are unique");
    assert!(!ids.contains(&Uuid::parse_str(demo::MISSING_SESSION_ID).unwrap()));
    assert_eq!(sessions[0].id, demo::LIVE_SESSION_ID);

    let json = serde_json::to_string(&sessions).unwrap();
    assert!(
        !json.contains("+00:00"),
        "timestamps are written in UTC with Z"
    );
}

#[test]
fn live_and_completed_sessions_in_both_generations_of_fields() {
    let sessions = demo::sessions();
    for (index, session) in sessions.iter().enumerate() {
        let live = index < demo::LIVE_COUNT;
        let status = session.status.as_ref().unwrap();
        assert_eq!(status == &SessionStatus::InProgress, live, "{}", session.id);
        assert_eq!(session.end_time.is_none(), live);
        if let (Some(start), Some(end), Some(duration)) =
            (session.start_time, session.end_time, session.duration)
        {
            assert_eq!((end - start).num_seconds(), duration);
        }
        let legacy = demo::is_legacy(session.id);
        assert_eq!(session.audio_video_sync.is_some(), legacy, "{}", session.id);
        assert_eq!(
            session.sync_audio_video.is_some(),
            !legacy,
            "{}",
            session.id
        );
        assert_eq!(session.tone_on_entry_and_exit.is_some(), !legacy);
    }
    let legacy = sessions.iter().filter(|s| demo::is_legacy(s.id)).count();
    assert!(legacy >= 3 && legacy <= sessions.len() - 3, "{legacy}");
    let live_legacy = sessions[..demo::LIVE_COUNT]
        .iter()
        .any(|s| demo::is_legacy(s.id));
    assert!(live_legacy, "a live session in the older generation too");

    // Found by id, current sessions lack the fields of list items only.
    let current = sessions.iter().find(|s| !demo::is_legacy(s.id)).unwrap();
    let found = demo::session(current.id).unwrap();
    assert_eq!(
        (found.cost_in_dollars, found.enable_room_previews),
        (None, None)
    );
    assert!(current.enable_room_previews.is_some());
    let old = sessions.iter().find(|s| demo::is_legacy(s.id)).unwrap();
    assert_eq!(demo::session(old.id).as_ref(), Some(old));
}

#[test]
fn every_session_has_members_and_events_and_some_have_recordings() {
    let mut recorded = 0;
    for session in demo::sessions() {
        let members = demo::members(session.id);
        let events = demo::events(session.id);
        assert!(!members.is_empty(), "{}", session.id);
        assert!(members.iter().all(|m| m.room_session_id == session.id));
        assert!(events.iter().all(|e| e.room_session_id == session.id));
        assert!(
            events
                .windows(2)
                .all(|w| w[0].created_at <= w[1].created_at)
        );
        assert_eq!(events[0].name, "room.started");
        let joined = events.iter().filter(|e| e.name == "member.joined").count();
        assert_eq!(joined, members.len());
        let recordings = demo::recordings(session.id);
        recorded += usize::from(!recordings.is_empty());
        assert!(recordings.iter().all(|r| r.room_session_id == session.id));
    }
    assert!(recorded >= 3, "{recorded}");
    let live = demo::members(demo::LIVE_SESSION_ID);
    assert!(
        live.iter().any(|m| m.leave_time.is_none()),
        "someone is still there"
    );
    let missing = Uuid::parse_str(demo::MISSING_SESSION_ID).unwrap();
    assert!(demo::members(missing).is_empty() && demo::session(missing).is_none());
}

#[tokio::test]
async fn the_server_lists_every_session_over_pages_linked_as_the_api_links_them() {
    let server = DemoServer::start().await;

    let (listed, pages) = walk::<RoomSession>(&server, "/room_sessions").await;

    let sizes: Vec<_> = pages
        .iter()
        .map(|p| p["data"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [10, 10, 10, 6]);
    let base = server.base_url();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert_eq!(
        pages[0]["links"]["next"],
        format!("{base}/room_sessions?page_number=1&page_size=10&page_token=PAb3877c40da604998")
    );
    assert_eq!(listed, demo::sessions());
}

#[tokio::test]
async fn the_listing_honours_the_filters_and_the_page_size() {
    let server = DemoServer::start().await;
    let all = demo::sessions();
    let room_id = all[1].room_id.unwrap();
    let expect = |keep: &dyn Fn(&RoomSession) -> bool| -> Vec<RoomSession> {
        all.iter().filter(|s| keep(s)).cloned().collect()
    };
    let cases = [
        (
            "status=in-progress".to_owned(),
            expect(&|s| s.status == Some(SessionStatus::InProgress)),
        ),
        (
            "status=completed&page_size=7".to_owned(),
            expect(&|s| s.status == Some(SessionStatus::Completed)),
        ),
        (
            format!("room_id={room_id}"),
            expect(&|s| s.room_id == Some(room_id)),
        ),
        (
            "room_name=daily_standup".to_owned(),
            expect(&|s| s.name.as_deref() == Some("daily_standup")),
        ),
        (
            "room_name_matches=_ro".to_owned(),
            expect(&|s| s.name.as_deref().is_some_and(|n| n.contains("_ro"))),
        ),
        ("room_name=no_such_room".to_owned(), Vec::new()),
    ];
    for (query, expected) in cases {
        let (got, _) = walk::<RoomSession>(&server, &format!("/room_sessions?{query}")).await;
        assert!(!expected.is_empty() || query.contains("no_such"), "{query}");
        assert_eq!(got, expected, "{query}");
    }

    let (_, pages) = walk::<RoomSession>(&server, "/room_sessions?page_size=5").await;
    assert_eq!(pages.len(), demo::SESSION_COUNT.div_ceil(5));
}

#[tokio::test]
async fn the_server_finds_sessions_and_their_members_events_and_recordings() {
    let server = DemoServer::start().await;
    let client = client(&server);
    for session in demo::sessions().into_iter().step_by(5) {
        let id = session.id;
        let found = client.get_room_session().id(id).send().await.unwrap();
        assert_eq!(Some(found.into_inner()), demo::session(id));
        let path = format!("/room_sessions/{id}");
        let members = format!("{path}/members?page_size=2");
        let members = walk::<RoomSessionMember>(&server, &members).await;
        assert_eq!(members.0, demo::members(id));
        let events = walk::<RoomSessionEvent>(&server, &format!("{path}/events")).await;
        assert_eq!(events.0, demo::events(id));
        let (recordings, _) = walk::<room_sessions_api::types::RoomSessionRecording>(
            &server,
            &format!("{path}/recordings?media_ttl=600"),
        )
        .await;
        let uris: Vec<_> = recordings.into_iter().filter_map(|r| r.uri).collect();
        let expected: Vec<_> = demo::recordings(id)
            .into_iter()
            .filter_map(|r| r.uri)
            .map(|uri| uri.replace("expires=900", "expires=600"))
            .collect();
        assert_eq!(uris, expected);
    }
}

#[tokio::test]
async fn a_missing_session_is_not_found_and_wrong_credentials_unauthorized() {
    let server = DemoServer::start().await;
    let client = client(&server);
    let missing: Uuid = demo::MISSING_SESSION_ID.parse().unwrap();

    let found = client.get_room_session().id(missing).send().await;
    let members = client.list_room_session_members().id(missing).send().await;
    let intruder = Client::new(&server.base_url(), ClientOptions::default());
    let refused = intruder
        .get_room_session()
        .id(demo::LIVE_SESSION_ID)
        .send()
        .await;

    for (case, status, result) in [
        ("find", 404, found.map(drop)),
        ("members", 404, members.map(drop)),
        ("no credentials", 401, refused.map(drop)),
    ] {
        let error = result.expect_err(case);
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{case}");
        let room_sessions_api::Error::ErrorResponse(body) = error else {
            panic!("{case}: {error:?}");
        };
        assert!(body.into_inner().error.is_some(), "{case}");
    }
}

#[tokio::test]
async fn requests_the_api_would_reject_get_its_422() {
    let server = DemoServer::start().await;
    let api = client(&server);
    let past_the_first_without_token = api.list_room_sessions().page_number(1).send().await;
    let large_page = api
        .list_room_sessions()
        .page_size(std::num::NonZeroU32::new(1001).unwrap())
        .send()
        .await;
    for (case, result) in [
        ("page_token", past_the_first_without_token),
        ("page_size", large_page),
    ] {
        let error = result.expect_err(case);
        assert_eq!(error.status().map(|s| s.as_u16()), Some(422), "{case}");
        let room_sessions_api::Error::ErrorResponse(body) = error else {
            panic!("{case}: {error:?}");
        };
        let errors = body.into_inner().errors.unwrap();
        assert_eq!(errors[0].attribute.as_deref(), Some(case));
    }
}
