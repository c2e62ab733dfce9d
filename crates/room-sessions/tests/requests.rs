//! The requests the client sends: method, path, query, headers; and the parameters it refuses
//! before sending anything.
//!
//! The typed mocks match what the spec names (each operation's path and parameters); the
//! headers are matched on the mock underneath. The path under a base URL with a path of its
//! own (`/api/video`, as the real API has it) is matched by a plain mock: the typed ones match
//! from the server's root.

mod common;

use std::num::NonZeroU32;
use std::time::Duration;

use common::*;
use futures::TryStreamExt;
use room_sessions::{Error, SessionStatus};
use room_sessions_httpmock::httpmock::MockServer;
use room_sessions_httpmock::{MockServerExt, paging, values};

#[tokio::test]
async fn find_sends_an_authenticated_get_to_the_session_path() {
    let server = MockServer::start_async().await;
    let mock = server.get_room_session(|when, then| {
        when.id(&SESSION_ID)
            .into_inner()
            .header("authorization", basic_auth())
            .header("api-version", "1.0.0")
            .header("accept", "application/json")
            .header_prefix("user-agent", "room-sessions/");
        then.ok(&values::session_current());
    });
    let client = client(&server);

    // A string, a String and a Uuid all work.
    let session = client
        .room_session(SESSION_ID.to_string().as_str())
        .await
        .unwrap();
    assert_eq!(session.id, SESSION_ID);
    client
        .room_session(SESSION_ID.to_string().to_uppercase())
        .await
        .unwrap();
    client.room_session(SESSION_ID).await.unwrap();

    mock.assert_calls_async(3).await;
}

#[tokio::test]
async fn the_base_urls_path_comes_before_the_endpoints_path() {
    // With or without its trailing slash, which must not double the slash before the path
    // (a request no mock matches gets a 404).
    for base in ["/api/video/", "/api/video"] {
        let server = MockServer::start_async().await;
        let mock = server.mock(|when, then| {
            when.method("GET")
                .path(format!("/api/video/room_sessions/{SESSION_ID}"));
            then.status(200).json_body_obj(&values::session_current());
        });
        let client = builder_at(&server.url(base)).build().unwrap();

        client.room_session(SESSION_ID).await.unwrap();

        mock.assert_async().await;
    }
}

#[tokio::test]
async fn invalid_parameters_are_refused_before_any_request() {
    let server = MockServer::start_async().await;
    let any_request = server.mock(|when, then| {
        when.any_request();
        then.status(200);
    });
    let client = client(&server);
    let sessions = || client.room_sessions();
    let recordings = || client.room_session_recordings(SESSION_ID);

    // What was passed, the parameter the error must name and how its reason starts, and what
    // the call gave.
    let cases = [
        (
            "a session id that is not a UUID",
            "room session id",
            "not a UUID",
            client.room_session("not-a-uuid").await.map(drop),
        ),
        (
            "an empty session id of a sub-listing",
            "room session id",
            "not a UUID",
            (client.room_session_members("").stream())
                .try_collect::<Vec<_>>()
                .await
                .map(drop),
        ),
        (
            "a room id that is not a UUID",
            "room_id",
            "not a UUID",
            sessions().room_id("room-1").send().await.map(drop),
        ),
        (
            "page size 0",
            "page_size",
            "it must be from 1 to 1000",
            sessions().page_size(0).send().await.map(drop),
        ),
        (
            "page size 1001",
            "page_size",
            "it must be from 1 to 1000",
            sessions().page_size(1001).send().await.map(drop),
        ),
        (
            "a page limit of 0",
            "max_pages",
            "it must be at least 1",
            sessions().max_pages(0).send().await.map(drop),
        ),
        (
            "page size 0 of the recordings' pages",
            "page_size",
            "it must be from 1 to 1000",
            (recordings().page_size(0).pages())
                .try_collect::<Vec<_>>()
                .await
                .map(drop),
        ),
        (
            "page size 1001 of the recordings' pages",
            "page_size",
            "it must be from 1 to 1000",
            (recordings().page_size(1001).pages())
                .try_collect::<Vec<_>>()
                .await
                .map(drop),
        ),
    ];

    for (name, expected, reason, outcome) in cases {
        let error = outcome.expect_err(name);
        assert!(
            matches!(&error, Error::InvalidInput { parameter, .. } if *parameter == expected),
            "{name}: {error:?}"
        );
        assert!(
            error
                .to_string()
                .starts_with(&format!("invalid {expected}: {reason}")),
            "{name}: {error}"
        );
        assert!(error.status().is_none(), "{name}");
        assert!(!error.is_retryable(), "{name}");
    }
    assert_eq!(any_request.calls_async().await, 0, "nothing was sent");
}

#[tokio::test]
async fn list_sends_every_filter_of_the_spec() {
    let server = MockServer::start_async().await;
    let mock = server.list_room_sessions(|when, then| {
        when.room_id(&ROOM_ID)
            .room_name("my room & co")
            .room_name_matches("room")
            .status(&SessionStatus::InProgress)
            .page_size(NonZeroU32::new(100))
            .page_number(None)
            .page_token(None)
            .into_inner()
            .header("authorization", basic_auth());
        then.ok(&paging::single_page(
            "/room_sessions",
            vec![values::session_listed()],
        ));
    });
    let client = client(&server);

    let sessions: Vec<_> = client
        .room_sessions()
        .room_id(ROOM_ID.to_string())
        .room_name("my room & co")
        .room_name_matches("room")
        .status(SessionStatus::InProgress)
        .page_size(100)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sessions.len(), 1);

    // A state the client does not know can be asked for too.
    let page = client
        .room_sessions()
        .room_id(ROOM_ID)
        .room_name("my room & co")
        .room_name_matches("room")
        .status("in-progress")
        .page_size(100)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items().len(), 1);
    assert!(!page.has_next());

    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn members_events_and_recordings_use_their_paths_and_parameters() {
    let server = MockServer::start_async().await;
    let base = format!("/room_sessions/{SESSION_ID}");
    let members_mock = server.list_room_session_members(|when, then| {
        when.id(&SESSION_ID).page_size(NonZeroU32::new(10));
        then.ok(&paging::single_page(
            &format!("{base}/members"),
            vec![values::member()],
        ));
    });
    let events_mock = server.list_room_session_events(|when, then| {
        when.id(&SESSION_ID).page_size(None);
        then.ok(&paging::single_page(
            &format!("{base}/events"),
            vec![values::event()],
        ));
    });
    let recordings_mock = server.list_room_session_recordings(|when, then| {
        when.id(&SESSION_ID).media_ttl(600);
        then.ok(&paging::single_page(
            &format!("{base}/recordings"),
            vec![values::recording()],
        ));
    });
    let client = client(&server);

    let members: Vec<_> = client
        .room_session_members(SESSION_ID)
        .page_size(10)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(members[0].name.as_deref(), Some("Alice"));
    assert_eq!(members[0].duration(), Some(Duration::from_secs(105)));

    let events: Vec<_> = client
        .room_session_events(SESSION_ID)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(events[0].name, "room.started");
    assert_eq!(
        events[0].payload_field("room_name"),
        Some(&serde_json::json!("my_example_room"))
    );

    let recordings: Vec<_> = client
        .room_session_recordings(SESSION_ID)
        .media_ttl(600)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(recordings[0].is_completed());
    assert_eq!(recordings[0].size(), Some(7_340_032));
    assert!(recordings[0].media_url().unwrap().ends_with("expires=600"));

    members_mock.assert_async().await;
    events_mock.assert_async().await;
    recordings_mock.assert_async().await;
}

#[tokio::test]
async fn a_caller_supplied_reqwest_client_still_sends_the_credentials() {
    let server = MockServer::start_async().await;
    let mock = server.get_room_session(|when, then| {
        when.id(&SESSION_ID)
            .into_inner()
            .header("authorization", basic_auth())
            .header("user-agent", "my-app/2.0");
        then.ok(&values::session_current());
    });
    let client = builder_at(&server.base_url())
        .http_client(reqwest::Client::new())
        .user_agent("my-app/2.0")
        .build()
        .unwrap();

    client.room_session(SESSION_ID).await.unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn clones_share_the_configuration_and_the_client_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>(_: &T) {}
    let server = MockServer::start_async().await;
    let mock = server.get_room_session(|when, then| {
        when.id(&SESSION_ID)
            .into_inner()
            .header("authorization", basic_auth());
        then.ok(&values::session_current());
    });
    let client = client(&server);
    assert_send_sync(&client);
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.room_session(SESSION_ID).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    mock.assert_calls_async(4).await;
}
