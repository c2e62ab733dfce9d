//! The paging helpers: N items over pages of M, each page linked to the next as the API links
//! them, and answering the request a client sends for that link.

mod common;

use common::walk_pages;
use room_sessions_api::tolerant::SessionStatus;
use room_sessions_api::types::{
    RoomSession, RoomSessionEvent, RoomSessionMember, RoomSessionRecording,
};
use room_sessions_httpmock::paging::{self, PAGE_TOKEN};
use room_sessions_httpmock::values;
use serde::de::DeserializeOwned;
use uuid::Uuid;

fn numbered<T>(count: u128, item: impl Fn(Uuid) -> T) -> Vec<T> {
    (1..=count).map(|n| item(Uuid::from_u128(n))).collect()
}

fn sessions(count: u128) -> Vec<RoomSession> {
    numbered(count, |id| RoomSession {
        id,
        ..values::session_listed()
    })
}

/// Every page from `url` on: the pages' items, and the `next` link of each page.
async fn walk<T: DeserializeOwned>(url: String) -> (Vec<T>, Vec<Option<String>>) {
    let (items, pages) = walk_pages(&reqwest::Client::new(), url, "").await;
    let nexts = pages
        .iter()
        .map(|page| page["links"]["next"].as_str().map(str::to_owned));
    (items, nexts.collect())
}

#[tokio::test]
async fn pages_link_to_the_next_with_an_absolute_url_and_the_token() {
    let server = httpmock::MockServer::start_async().await;
    let all = sessions(7);
    let pages = paging::mount_room_sessions(&server, &all, 3);

    let (walked, nexts) = walk::<RoomSession>(server.url("/room_sessions")).await;

    pages.assert_each_fetched_once_async().await;
    let base = server.base_url();
    let link =
        |n| format!("{base}/room_sessions?page_number={n}&page_size=3&page_token={PAGE_TOKEN}");
    assert_eq!(nexts, [Some(link(1)), Some(link(2)), None]);
    assert_eq!(walked, all);
}

#[tokio::test]
async fn any_count_over_any_page_size_serves_every_item_once() {
    for (count, page_size, page_count) in [(0, 5, 1), (1, 5, 1), (5, 5, 1), (6, 5, 2), (11, 5, 3)] {
        let server = httpmock::MockServer::start_async().await;
        let all = sessions(count);
        let pages = paging::mount_room_sessions(&server, &all, page_size);

        let (walked, _) = walk::<RoomSession>(server.url("/room_sessions")).await;

        pages.assert_each_fetched_once_async().await;
        assert_eq!(pages.len(), page_count, "{count} over pages of {page_size}");
        assert_eq!(walked, all, "{count} over pages of {page_size}");
    }
}

#[tokio::test]
async fn a_narrowed_listing_answers_only_requests_with_the_filter() {
    let server = httpmock::MockServer::start_async().await;
    let pages = paging::mount_room_sessions_with(&server, &sessions(4), 2, |when| {
        when.status(&SessionStatus::Completed)
    });

    let unfiltered = reqwest::get(server.url("/room_sessions")).await.unwrap();
    assert_eq!(unfiltered.status(), 404);
    assert_eq!(pages.fetches(), [0, 0]);

    let first = server.url("/room_sessions?status=completed");
    let (walked, _) =
        walk_pages::<RoomSession>(&reqwest::Client::new(), first, "&status=completed").await;
    pages.assert_each_fetched_once_async().await;
    assert_eq!(walked.len(), 4);
}

#[tokio::test]
async fn a_sessions_members_events_and_recordings_page_the_same_way() {
    let server = httpmock::MockServer::start_async().await;
    let session = values::SESSION_ID;
    let members = numbered(5, |id| RoomSessionMember {
        id,
        ..values::member()
    });
    let events = numbered(3, |id| RoomSessionEvent {
        id,
        ..values::event()
    });
    let recordings = numbered(2, |id| RoomSessionRecording {
        id,
        ..values::recording()
    });
    let member_pages = paging::mount_members(&server, session, &members, 2);
    let event_pages = paging::mount_events(&server, session, &events, 2);
    let recording_pages =
        paging::mount_recordings_with(&server, session, &recordings, 1, |when| when.media_ttl(600));
    let url = |rest: &str| server.url(format!("/room_sessions/{session}/{rest}"));

    let walked: Vec<RoomSessionMember> = walk(url("members")).await.0;
    assert_eq!(walked, members);
    let walked: Vec<RoomSessionEvent> = walk(url("events")).await.0;
    assert_eq!(walked, events);
    let recordings_url = url("recordings?media_ttl=600");
    let walked: Vec<RoomSessionRecording> =
        walk_pages(&reqwest::Client::new(), recordings_url, "&media_ttl=600")
            .await
            .0;
    assert_eq!(walked, recordings);

    for pages in [&member_pages, &event_pages, &recording_pages] {
        pages.assert_each_fetched_once_async().await;
    }
    let counts = (member_pages.len(), event_pages.len(), recording_pages.len());
    assert_eq!(counts, (3, 2, 2));
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

#[tokio::test]
async fn a_listing_that_stops_early_fails_the_pages_assert() {
    let server = httpmock::MockServer::start_async().await;
    let pages = paging::mount_room_sessions(&server, &sessions(5), 2);

    let first = reqwest::get(server.url("/room_sessions")).await.unwrap();

    assert_eq!(first.status(), 200);
    assert_eq!(pages.fetches(), [1, 0, 0]);
    let stopped = std::panic::AssertUnwindSafe(|| pages.assert_each_fetched_once());
    assert!(
        std::panic::catch_unwind(stopped).is_err(),
        "pages 1 and 2 were never fetched"
    );
}
