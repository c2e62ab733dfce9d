//! Every operation: the spec's example, mounted through the typed `then`, comes back to a
//! client unchanged, matched by the typed `when`; and every documented error status comes
//! back with its status and body.

mod common;

use common::client;
use common::spec::{example, ok_example};
use room_sessions_api::types::{
    ErrorResponse, RoomSession, RoomSessionEventList, RoomSessionList, RoomSessionMemberList,
    RoomSessionRecordingList,
};
use room_sessions_api::{Error, tolerant::SessionStatus};
use room_sessions_httpmock::operations::GetRoomSessionThen;
use room_sessions_httpmock::{MockServerExt, values};

#[tokio::test]
async fn get_room_session_returns_each_example() {
    for name in ["current", "legacy"] {
        let session: RoomSession = example(&ok_example("~1room_sessions~1{id}", Some(name)));
        let server = httpmock::MockServer::start_async().await;
        let mock = server.get_room_session(|when, then| {
            when.id(&session.id);
            then.ok(&session);
        });

        let found = client(&server)
            .get_room_session()
            .id(session.id)
            .send()
            .await;

        mock.assert();
        assert_eq!(found.unwrap().into_inner(), session, "{name}");
    }
}

#[tokio::test]
async fn the_listings_return_their_examples() {
    let server = httpmock::MockServer::start_async().await;
    let sessions: RoomSessionList = example(&ok_example("~1room_sessions", None));
    let members: RoomSessionMemberList =
        example(&ok_example("~1room_sessions~1{id}~1members", None));
    let events: RoomSessionEventList = example(&ok_example("~1room_sessions~1{id}~1events", None));
    let recordings: RoomSessionRecordingList =
        example(&ok_example("~1room_sessions~1{id}~1recordings", None));
    let id = members.data[0].room_session_id;
    let mocks = [
        server.list_room_sessions(|when, then| {
            when.status(&SessionStatus::Completed)
                .page_size(std::num::NonZeroU32::new(50))
                .page_token(None);
            then.ok(&sessions);
        }),
        server.list_room_session_members(|when, then| {
            when.id(&id);
            then.ok(&members);
        }),
        server.list_room_session_events(|when, then| {
            when.id(&id);
            then.ok(&events);
        }),
        server.list_room_session_recordings(|when, then| {
            when.id(&id).media_ttl(600);
            then.ok(&recordings);
        }),
    ];
    let client = client(&server);

    let listed = client
        .list_room_sessions()
        .status(SessionStatus::Completed)
        .page_size(std::num::NonZeroU32::new(50).unwrap())
        .send();
    assert_eq!(listed.await.unwrap().into_inner(), sessions);
    let listed = client.list_room_session_members().id(id).send();
    assert_eq!(listed.await.unwrap().into_inner(), members);
    let listed = client.list_room_session_events().id(id).send();
    assert_eq!(listed.await.unwrap().into_inner(), events);
    let listed = client
        .list_room_session_recordings()
        .id(id)
        .media_ttl(600)
        .send();
    assert_eq!(listed.await.unwrap().into_inner(), recordings);

    for mock in mocks {
        mock.assert();
    }
}

#[tokio::test]
async fn every_documented_error_comes_back_with_its_status_and_body() {
    let session = values::SESSION_ID;
    for (status, body) in values::error_bodies() {
        let server = httpmock::MockServer::start_async().await;
        let mock = server.get_room_session(|when, then| {
            when.id(&session);
            let respond: fn(GetRoomSessionThen, &ErrorResponse) -> GetRoomSessionThen = match status
            {
                400 => |then, b| then.bad_request(b),
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

        let error = client(&server)
            .get_room_session()
            .id(session)
            .send()
            .await
            .unwrap_err();

        mock.assert();
        let Error::ErrorResponse(response) = error else {
            panic!("{status}: {error:?}");
        };
        assert_eq!(response.status().as_u16(), status);
        assert_eq!(response.into_inner(), body, "{status}");
    }
}
