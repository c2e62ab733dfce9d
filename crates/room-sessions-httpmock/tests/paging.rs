//! The paging helpers: N items over pages of M, linked as the API links them, followed by the
//! wrapper's streams.

use futures::TryStreamExt;
use room_sessions::SessionStatus;
use room_sessions_api::types::{
    RoomSession, RoomSessionEvent, RoomSessionMember, RoomSessionRecording,
};
use room_sessions_httpmock::paging::{self, PAGE_TOKEN};
use room_sessions_httpmock::{client, values};
use uuid::Uuid;

fn sessions(count: u128) -> Vec<RoomSession> {
    (1..=count)
        .map(|n| RoomSession {
            id: Uuid::from_u128(n),
            ..values::session_listed()
        })
        .collect()
}

#[tokio::test]
async fn pages_link_to_the_next_with_an_absolute_url_and_the_token() {
    let server = httpmock::MockServer::start_async().await;
    let all = sessions(7);
    let pages = paging::mount_room_sessions(&server, &all, 3);
    assert_eq!(pages.len(), 3);

    let fetched: Vec<_> = client(&server)
        .room_sessions()
        .pages()
        .try_collect()
        .await
        .unwrap();

    pages.assert_each_fetched_once();
    let base = server.base_url();
    let nexts: Vec<_> = fetched.iter().map(|p| p.links().next.clone()).collect();
    assert_eq!(
        nexts,
        [
            Some(format!(
                "{base}/room_sessions?page_number=1&page_size=3&page_token={PAGE_TOKEN}"
            )),
            Some(format!(
                "{base}/room_sessions?page_number=2&page_size=3&page_token={PAGE_TOKEN}"
            )),
            None,
        ]
    );
    let sizes: Vec<_> = fetched.iter().map(|p| p.items().len()).collect();
    assert_eq!(sizes, [3, 3, 1]);
    let ids: Vec<_> = fetched
        .iter()
        .flat_map(|p| p.items())
        .map(|s| s.id)
        .collect();
    let expected: Vec<_> = all.iter().map(|s| s.id).collect();
    assert_eq!(ids, expected);
}

#[tokio::test]
async fn any_count_over_any_page_size_streams_every_item_once() {
    for (count, page_size, page_count) in [(0, 5, 1), (1, 5, 1), (5, 5, 1), (6, 5, 2), (11, 5, 3)] {
        let server = httpmock::MockServer::start_async().await;
        let all = sessions(count);
        let pages = paging::mount_room_sessions(&server, &all, page_size);

        let streamed: Vec<_> = client(&server)
            .room_sessions()
            .stream()
            .try_collect()
            .await
            .unwrap();

        pages.assert_each_fetched_once();
        assert_eq!(pages.len(), page_count, "{count} over pages of {page_size}");
        let streamed: Vec<RoomSession> = streamed.into_iter().map(|s| s.into_inner()).collect();
        assert_eq!(streamed, all, "{count} over pages of {page_size}");
    }
}

#[tokio::test]
async fn a_narrowed_listing_answers_only_requests_with_the_filter() {
    let server = httpmock::MockServer::start_async().await;
    let all = sessions(4);
    let pages = paging::mount_room_sessions_with(&server, &all, 2, |when| {
        when.status(&SessionStatus::Completed)
    });
    let client = client(&server);

    let unfiltered = client.room_sessions().send().await.unwrap_err();
    assert!(unfiltered.is_not_found(), "{unfiltered:?}");
    assert_eq!(pages.fetches(), [0, 0]);

    let filtered: Vec<_> = client
        .room_sessions()
        .status(SessionStatus::Completed)
        .stream()
        .try_collect()
        .await
        .unwrap();
    pages.assert_each_fetched_once();
    assert_eq!(filtered.len(), 4);
}

#[tokio::test]
async fn a_sessions_members_events_and_recordings_page_the_same_way() {
    let server = httpmock::MockServer::start_async().await;
    let session = values::SESSION_ID;
    let members: Vec<RoomSessionMember> = (1..=5u128)
        .map(|n| RoomSessionMember {
            id: Uuid::from_u128(n),
            ..values::member()
        })
        .collect();
    let events: Vec<RoomSessionEvent> = (1..=3u128)
        .map(|n| RoomSessionEvent {
            id: Uuid::from_u128(n),
            ..values::event()
        })
        .collect();
    let recordings: Vec<RoomSessionRecording> = (1..=2u128)
        .map(|n| RoomSessionRecording {
            id: Uuid::from_u128(n),
            ..values::recording()
        })
        .collect();
    let member_pages = paging::mount_members(&server, session, &members, 2);
    let event_pages = paging::mount_events(&server, session, &events, 2);
    let recording_pages =
        paging::mount_recordings_with(&server, session, &recordings, 1, |when| when.media_ttl(600));
    let client = client(&server);

    let got_members: Vec<_> = client
        .room_session_members(session)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let got_events: Vec<_> = client
        .room_session_events(session)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let got_recordings: Vec<_> = client
        .room_session_recordings(session)
        .media_ttl(600)
        .stream()
        .try_collect()
        .await
        .unwrap();

    for pages in [&member_pages, &event_pages, &recording_pages] {
        pages.assert_each_fetched_once();
    }
    assert_eq!(
        (member_pages.len(), event_pages.len(), recording_pages.len()),
        (3, 2, 2)
    );
    let inner = |items: Vec<room_sessions::RoomSessionMember>| -> Vec<RoomSessionMember> {
        items.into_iter().map(|m| m.into_inner()).collect()
    };
    assert_eq!(inner(got_members), members);
    let got_events: Vec<RoomSessionEvent> =
        got_events.into_iter().map(|e| e.into_inner()).collect();
    assert_eq!(got_events, events);
    let got_recordings: Vec<RoomSessionRecording> =
        got_recordings.into_iter().map(|r| r.into_inner()).collect();
    assert_eq!(got_recordings, recordings);
}

#[test]
fn a_single_page_links_to_itself_and_no_further() {
    let page = paging::single_page("/room_sessions", vec![values::session_listed()]);
    assert_eq!(
        page.links.self_.as_deref(),
        Some("/room_sessions?page_number=0&page_size=1")
    );
    assert_eq!(page.links.first, page.links.self_);
    assert_eq!((page.links.next, page.links.prev), (None, None));
}
