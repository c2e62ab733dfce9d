//! The requests the client sends: method, path, query, headers; and the parameters it refuses
//! before sending anything.

mod common;

use common::*;
use futures::TryStreamExt;
use room_sessions::{Error, SessionStatus};
use room_sessions_httpmock::values;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn find_sends_an_authenticated_get_to_the_session_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path(&format!("/room_sessions/{SESSION_ID}"))))
        .and(header("authorization", basic_auth().as_str()))
        .and(header("api-version", "1.0.0"))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session_json(SESSION_ID)))
        .expect(3)
        .mount(&server)
        .await;
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

    let requests = server.received_requests().await.unwrap();
    let user_agent = requests[0].headers.get("user-agent").unwrap();
    assert!(user_agent.to_str().unwrap().starts_with("room-sessions/"));
    // The trailing slash of the base URL does not double the slash of the path.
    assert_eq!(
        requests[0].url.path(),
        format!("/api/video/room_sessions/{SESSION_ID}")
    );
}

#[tokio::test]
async fn an_id_that_is_not_a_uuid_is_refused_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);

    let error = client.room_session("not-a-uuid").await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidInput {
                parameter: "room session id",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("invalid room session id: not a UUID"),
        "{error}"
    );
    assert!(error.status().is_none());
    assert!(!error.is_retryable());

    let error = client
        .room_session_members("")
        .stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
    let error = client
        .room_sessions()
        .room_id("room-1")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidInput {
                parameter: "room_id",
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn page_size_outside_1_to_1000_is_refused_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);
    for size in [0, 1001] {
        let error = client
            .room_sessions()
            .page_size(size)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidInput {
                    parameter: "page_size",
                    ..
                }
            ),
            "{error:?}"
        );
        assert!(error.to_string().contains("page_size"), "{error}");
        let error = client
            .room_session_recordings(SESSION_ID)
            .page_size(size)
            .pages()
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
    }
}

#[tokio::test]
async fn list_sends_every_filter_of_the_spec() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path("/room_sessions")))
        .and(header("authorization", basic_auth().as_str()))
        .and(query_param("room_id", ROOM_ID.to_string()))
        .and(query_param("room_name", "my room & co"))
        .and(query_param("room_name_matches", "room"))
        .and(query_param("status", "in-progress"))
        .and(query_param("page_size", "100"))
        .and(query_param_is_missing("page_number"))
        .and(query_param_is_missing("page_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(
            vec![session_json(SESSION_ID)],
            "/api/video/room_sessions",
            None,
        )))
        .expect(2)
        .mount(&server)
        .await;
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
}

#[tokio::test]
async fn members_events_and_recordings_use_their_paths_and_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path(&format!(
            "/room_sessions/{SESSION_ID}/members"
        ))))
        .and(query_param("page_size", "10"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(
            vec![member_json(values::member().id)],
            "/x",
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(api_path(&format!(
            "/room_sessions/{SESSION_ID}/events"
        ))))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(
            vec![event_json(values::event().id)],
            "/x",
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(api_path(&format!(
            "/room_sessions/{SESSION_ID}/recordings"
        ))))
        .and(query_param("media_ttl", "600"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(
            vec![recording_json(values::recording().id)],
            "/x",
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    let members: Vec<_> = client
        .room_session_members(SESSION_ID)
        .page_size(10)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(members[0].name.as_deref(), Some("Alice"));
    assert_eq!(
        members[0].duration(),
        Some(std::time::Duration::from_secs(105))
    );

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
}

#[tokio::test]
async fn a_caller_supplied_reqwest_client_still_sends_the_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", basic_auth().as_str()))
        .and(header("user-agent", "my-app/2.0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session_json(SESSION_ID)))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder_for(&server.uri())
        .http_client(reqwest::Client::new())
        .user_agent("my-app/2.0")
        .build()
        .unwrap();
    client.room_session(SESSION_ID).await.unwrap();
}

#[tokio::test]
async fn clones_share_the_configuration_and_the_client_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>(_: &T) {}
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session_json(SESSION_ID)))
        .expect(4)
        .mount(&server)
        .await;
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
}
