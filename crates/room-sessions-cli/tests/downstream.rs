//! The test the typed mocks' README opens with: application code that reads room sessions
//! through room-sessions, tested against typed mocks, as a downstream crate (such as this one)
//! tests it. The README shows this file from its `use` lines on, verbatim
//! (`tests/mocks_readme.rs` checks it).

use chrono::{DateTime, TimeDelta, Utc};
use futures::TryStreamExt;
use room_sessions::{Client, Result, RoomSession, SessionStatus};

/// Application code: the live sessions that have run for more than an hour.
async fn overrunning(client: &Client, now: DateTime<Utc>) -> Result<Vec<RoomSession>> {
    let overran =
        move |s: &RoomSession| s.start_time.is_some_and(|t| now - t > TimeDelta::hours(1));
    let live = client
        .room_sessions()
        .status(SessionStatus::InProgress)
        .stream();
    live.try_filter(|s| std::future::ready(overran(s)))
        .try_collect()
        .await
}

#[tokio::test]
async fn finds_the_live_sessions_that_overran() {
    use room_sessions_httpmock::{httpmock::MockServer, paging, values};

    let server = MockServer::start_async().await;
    let now = "2024-07-29T16:00:00Z".parse().unwrap();
    let started = |id, minutes| room_sessions::api::types::RoomSession {
        id: room_sessions::Uuid::from_u128(id),
        start_time: Some(now - TimeDelta::minutes(minutes)),
        ..values::session_live()
    };
    let live = [started(1, 90), started(2, 5), started(3, 61)];
    let pages = paging::mount_room_sessions_with(&server, &live, 2, |when| {
        when.status(&SessionStatus::InProgress)
    });

    let client = Client::builder()
        .base_url(server.base_url()) // the mocks serve the API at the server's root
        .project_id(values::PROJECT_ID.to_string())
        .api_token("PT-not-a-real-token")
        .build()
        .unwrap();

    let found = overrunning(&client, now).await.unwrap();

    pages.assert_each_fetched_once(); // a request no mock matched would be a 404, NotFound
    let ids: Vec<_> = found.iter().map(|s| s.id).collect();
    assert_eq!(ids, [live[0].id, live[2].id]);
}

#[tokio::test]
async fn finds_the_same_sessions_in_recorded_traffic() {
    use room_sessions_httpmock::{demo, httpmock::MockServer, replay, values};

    // Traffic recorded once (against your space: `room-sessions --record traffic.ndjson list
    // --status in-progress`, or `ClientBuilder::record`); here against the demo server.
    let dir = tempfile::tempdir().unwrap();
    let traffic = dir.path().join("traffic.ndjson");
    let live_server = demo::DemoServer::start().await;
    let recording = Client::builder()
        .base_url(live_server.base_url())
        .project_id(values::PROJECT_ID.to_string())
        .api_token(demo::API_TOKEN)
        .record(&traffic)
        .build()
        .unwrap();
    let recorded = overrunning(&recording, demo::now()).await.unwrap();

    // The same code, on the recorded traffic replayed by a mock server.
    let server = MockServer::start_async().await;
    replay(&server, &traffic).unwrap();
    let client = Client::builder()
        .base_url(server.base_url())
        .project_id(values::PROJECT_ID.to_string())
        .api_token("PT-not-a-real-token")
        .build()
        .unwrap();

    let replayed = overrunning(&client, demo::now()).await.unwrap();

    assert!(!recorded.is_empty());
    assert_eq!(replayed, recorded);
}
