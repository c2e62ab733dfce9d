//! Every operation: the spec's example, mounted through the typed `then`, comes back from the
//! wrapper unchanged; and every documented error status reaches the wrapper with its status
//! and body.

mod common;

use common::{example, ok_example};
use room_sessions::Page;
use room_sessions_api::types::{
    ErrorResponse, PageLinks, RoomSession, RoomSessionEventList, RoomSessionList,
    RoomSessionMemberList, RoomSessionRecordingList,
};
use room_sessions_httpmock::{MockServerExt, client, client_builder, values};

/// A page's items, unwrapped to the generated structs, and its links.
fn unwrap_page<T, R>(page: Page<T>) -> (Vec<R>, PageLinks)
where
    T: Into<R>,
{
    let links = page.links().clone();
    (
        page.into_items().into_iter().map(Into::into).collect(),
        links,
    )
}

#[tokio::test]
async fn get_room_session_returns_each_example() {
    for name in ["current", "legacy"] {
        let session: RoomSession = example(&ok_example("~1room_sessions~1{id}", Some(name)));
        let server = httpmock::MockServer::start_async().await;
        let mock = server.get_room_session(|when, then| {
            when.id(&session.id);
            then.ok(&session);
        });

        let found = client(&server).room_session(session.id).await.unwrap();

        mock.assert();
        assert_eq!(found.into_inner(), session, "{name}");
    }
}

#[tokio::test]
async fn list_room_sessions_returns_the_example() {
    let list: RoomSessionList = example(&ok_example("~1room_sessions", None));
    let server = httpmock::MockServer::start_async().await;
    let mock = server.list_room_sessions(|when, then| {
        when.page_size(std::num::NonZeroU32::new(50))
            .page_token(None);
        then.ok(&list);
    });

    let page = client(&server)
        .room_sessions()
        .page_size(50)
        .send()
        .await
        .unwrap();

    mock.assert();
    let (data, links): (Vec<RoomSession>, _) = unwrap_page(page);
    assert_eq!(RoomSessionList { data, links }, list);
}

#[tokio::test]
async fn list_room_session_members_returns_the_example() {
    let list: RoomSessionMemberList = example(&ok_example("~1room_sessions~1{id}~1members", None));
    let session = list.data[0].room_session_id;
    let server = httpmock::MockServer::start_async().await;
    let mock = server.list_room_session_members(|when, then| {
        when.id(&session);
        then.ok(&list);
    });

    let page = client(&server)
        .room_session_members(session)
        .send()
        .await
        .unwrap();

    mock.assert();
    let (data, links) = unwrap_page(page);
    assert_eq!(RoomSessionMemberList { data, links }, list);
}

#[tokio::test]
async fn list_room_session_events_returns_the_example() {
    let list: RoomSessionEventList = example(&ok_example("~1room_sessions~1{id}~1events", None));
    let session = list.data[0].room_session_id;
    let server = httpmock::MockServer::start_async().await;
    let mock = server.list_room_session_events(|when, then| {
        when.id(&session);
        then.ok(&list);
    });

    let page = client(&server)
        .room_session_events(session)
        .send()
        .await
        .unwrap();

    mock.assert();
    let (data, links) = unwrap_page(page);
    assert_eq!(RoomSessionEventList { data, links }, list);
}

#[tokio::test]
async fn list_room_session_recordings_returns_the_example() {
    let list: RoomSessionRecordingList =
        example(&ok_example("~1room_sessions~1{id}~1recordings", None));
    let session = list.data[0].room_session_id;
    let server = httpmock::MockServer::start_async().await;
    let mock = server.list_room_session_recordings(|when, then| {
        when.id(&session).media_ttl(600);
        then.ok(&list);
    });

    let page = client(&server)
        .room_session_recordings(session)
        .media_ttl(600)
        .send()
        .await
        .unwrap();

    mock.assert();
    let (data, links) = unwrap_page(page);
    assert_eq!(RoomSessionRecordingList { data, links }, list);
}

#[tokio::test]
async fn every_documented_error_reaches_the_wrapper_with_its_status_and_body() {
    let session = values::SESSION_ID;
    for (status, body) in values::error_bodies() {
        let server = httpmock::MockServer::start_async().await;
        let mock = server.get_room_session(|when, then| {
            when.id(&session);
            let respond: fn(_, &ErrorResponse) -> _ = match status {
                400 => |then: room_sessions_httpmock::operations::GetRoomSessionThen, b| {
                    then.bad_request(b)
                },
                401 => |then, b| then.unauthorized(b),
                403 => |then, b| then.forbidden(b),
                404 => |then, b| then.not_found(b),
                422 => |then, b| then.unprocessable_entity(b),
                429 => |then, b| then.too_many_requests(b),
                500 => |then, b| then.internal_server_error(b),
                other => panic!("no typed response for {other}"),
            };
            respond(then, &body);
        });
        // One attempt: 429 and 500 would otherwise be retried.
        let client = client_builder(&server).max_attempts(1).build().unwrap();

        let error = client.room_session(session).await.unwrap_err();

        mock.assert();
        assert_eq!(
            error.status().map(|s| s.as_u16()),
            Some(status),
            "{error:?}"
        );
        let shown = error.to_string();
        let messages = body.error.iter().cloned();
        let messages = messages.chain(body.errors.iter().flatten().map(|e| e.message.clone()));
        for message in messages {
            assert!(
                shown.contains(&message),
                "{status}: {message:?} not in {shown:?}"
            );
        }
    }
}
