//! The demo dataset and the demo server: what the wrapper's example and the command-line tool
//! show, checked through the wrapper.

use std::collections::HashSet;

use futures::TryStreamExt;
use room_sessions::{Client, SessionStatus};
use room_sessions_api::types::RoomSession;
use room_sessions_httpmock::demo::{self, DemoServer};
use uuid::Uuid;

fn inner(sessions: Vec<room_sessions::RoomSession>) -> Vec<RoomSession> {
    sessions.into_iter().map(|s| s.into_inner()).collect()
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
    let pages: Vec<_> = server
        .client()
        .room_sessions()
        .pages()
        .try_collect()
        .await
        .unwrap();

    let sizes: Vec<_> = pages.iter().map(|p| p.items().len()).collect();
    assert_eq!(sizes, [10, 10, 10, 6]);
    let base = server.base_url();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert_eq!(
        pages[0].links().next.as_deref(),
        Some(&*format!(
            "{base}/room_sessions?page_number=1&page_size=10&page_token=PAb3877c40da604998"
        ))
    );
    assert_eq!(pages[3].links().next, None);
    let listed: Vec<RoomSession> = pages
        .into_iter()
        .flat_map(|p| inner(p.into_items()))
        .collect();
    assert_eq!(listed, demo::sessions());
}

#[tokio::test]
async fn the_listing_honours_the_filters_and_the_page_size() {
    let server = DemoServer::start().await;
    let client = server.client();
    let all = demo::sessions();
    let room_id = all[1].room_id.unwrap();
    let expect = |keep: &dyn Fn(&RoomSession) -> bool| -> Vec<RoomSession> {
        all.iter().filter(|s| keep(s)).cloned().collect()
    };
    let cases: Vec<(&str, room_sessions::ListRoomSessions, Vec<RoomSession>)> = vec![
        (
            "status in-progress",
            client.room_sessions().status(SessionStatus::InProgress),
            expect(&|s| s.status == Some(SessionStatus::InProgress)),
        ),
        (
            "status completed, 7 a page",
            client
                .room_sessions()
                .status(SessionStatus::Completed)
                .page_size(7),
            expect(&|s| s.status == Some(SessionStatus::Completed)),
        ),
        (
            "room_id",
            client.room_sessions().room_id(room_id),
            expect(&|s| s.room_id == Some(room_id)),
        ),
        (
            "room_name",
            client.room_sessions().room_name("daily_standup"),
            expect(&|s| s.name.as_deref() == Some("daily_standup")),
        ),
        (
            "room_name_matches",
            client.room_sessions().room_name_matches("_ro"),
            expect(&|s| s.name.as_deref().is_some_and(|n| n.contains("_ro"))),
        ),
        (
            "no match",
            client.room_sessions().room_name("no_such_room"),
            Vec::new(),
        ),
    ];
    for (case, listing, expected) in cases {
        let got = inner(listing.stream().try_collect().await.unwrap());
        assert!(!expected.is_empty() || case == "no match", "{case}");
        assert_eq!(got, expected, "{case}");
    }

    let pages: Vec<_> = client
        .room_sessions()
        .page_size(5)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), demo::SESSION_COUNT.div_ceil(5));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_server_finds_sessions_and_their_members_events_and_recordings() {
    let server = DemoServer::start().await;
    let client = server.client();
    for session in demo::sessions().into_iter().step_by(5) {
        let id = session.id;
        let found = client.room_session(id).await.unwrap().into_inner();
        assert_eq!(Some(found), demo::session(id));
        let members: Vec<_> = client
            .room_session_members(id)
            .page_size(2)
            .stream()
            .try_collect()
            .await
            .unwrap();
        let members: Vec<_> = members.into_iter().map(|m| m.into_inner()).collect();
        assert_eq!(members, demo::members(id));
        let events: Vec<_> = client
            .room_session_events(id)
            .stream()
            .try_collect()
            .await
            .unwrap();
        let events: Vec<_> = events.into_iter().map(|e| e.into_inner()).collect();
        assert_eq!(events, demo::events(id));
        let recordings: Vec<_> = client
            .room_session_recordings(id)
            .media_ttl(600)
            .stream()
            .try_collect()
            .await
            .unwrap();
        let uris: Vec<_> = recordings.iter().filter_map(|r| r.uri.clone()).collect();
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
    let client = server.client();

    let missing = client
        .room_session(demo::MISSING_SESSION_ID)
        .await
        .unwrap_err();
    assert!(missing.is_not_found(), "{missing:?}");
    assert!(missing.to_string().contains("Not Found"), "{missing}");
    let members = client
        .room_session_members(demo::MISSING_SESSION_ID)
        .send()
        .await
        .unwrap_err();
    assert!(members.is_not_found(), "{members:?}");

    let intruder = Client::builder()
        .base_url(server.base_url())
        .project_id(demo::PROJECT_ID)
        .api_token("PTwrong")
        .build()
        .unwrap();
    let refused = intruder
        .room_session(demo::LIVE_SESSION_ID)
        .await
        .unwrap_err();
    assert!(refused.is_auth(), "{refused:?}");
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(401));
}

#[tokio::test]
async fn requests_the_api_would_reject_get_its_422() {
    let server = DemoServer::start().await;
    let api = server.client();
    let api = api.api();
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
