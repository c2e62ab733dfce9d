//! Following `links.next`: absolute URLs and paths, one page at a time, never to another
//! origin, never in circles.
//!
//! Paging itself (when pages are fetched, what each request carries) runs against the typed
//! mocks and their paged listings. The links a test writes by hand (relative ones, ones to
//! refuse) are served by wiremock under `/api/video`, as the real API is: a path relative to
//! the base URL only means something below a base URL with a path.

mod common;

use std::num::NonZeroU32;

use common::*;
use futures::{StreamExt, TryStreamExt};
use room_sessions::api::types::RoomSessionList;
use room_sessions::{Error, LinkRefusal, SessionStatus, StatusCode, Uuid};
use room_sessions_httpmock::httpmock::MockServer as TypedServer;
use room_sessions_httpmock::{MockServerExt, paging, values};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The link to page `n` of the sessions listing in pages of 2, as [`mount_page`] serves it.
fn sessions_page(n: u32) -> String {
    format!("/api/video/room_sessions?page_number={n}&page_size=2&page_token=PA{n}")
}

fn ids(items: &[room_sessions::RoomSession]) -> Vec<Uuid> {
    items.iter().map(|s| s.id).collect()
}

fn session_ids(range: std::ops::Range<u32>) -> Vec<Uuid> {
    range.map(numbered_id).collect()
}

#[tokio::test]
async fn each_form_of_next_link_is_followed_to_the_last_page() {
    let server = MockServer::start().await;
    let absolute = format!("{}{}", server.uri(), sessions_page(1));
    let cases = [
        ("an absolute URL", absolute.as_str()),
        ("a path from the server's root", &sessions_page(1)),
        (
            "a path relative to the base URL",
            "room_sessions?page_number=1&page_size=2&page_token=PA1",
        ),
    ];
    for (name, link) in cases {
        server.reset().await;
        mount_page(&server, "/room_sessions", 0, sessions(0..2), Some(link)).await;
        mount_page(&server, "/room_sessions", 1, sessions(2..3), None).await;

        let all: Vec<_> = client(&server)
            .room_sessions()
            .page_size(2)
            .stream()
            .try_collect()
            .await
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));

        assert_eq!(ids(&all), session_ids(0..3), "{name}");
        // Each page once; `reset` drops the mocks' own expectations unchecked.
        assert_eq!(server.received_requests().await.unwrap().len(), 2, "{name}");
    }
}

#[tokio::test]
async fn a_sub_listing_follows_a_path_from_the_servers_root() {
    let server = MockServer::start().await;
    let members = format!("/room_sessions/{SESSION_ID}/members");
    let next = api_path(&format!(
        "{members}?page_number=1&page_size=50&page_token=PA1"
    ));
    mount_page(&server, &members, 0, vec![member(1)], Some(&next)).await;
    mount_page(&server, &members, 1, vec![member(2)], None).await;

    let all: Vec<_> = client(&server)
        .room_session_members(SESSION_ID)
        .stream()
        .try_collect()
        .await
        .unwrap();

    let got: Vec<_> = all.iter().map(|m| m.id).collect();
    assert_eq!(got, [numbered_id(1), numbered_id(2)]);
}

#[tokio::test]
async fn the_stream_fetches_a_page_only_when_its_items_are_wanted() {
    let server = TypedServer::start_async().await;
    let pages = paging::mount_room_sessions_with(&server, &sessions(0..4), 2, |when| {
        when.page_size(NonZeroU32::new(2))
    });
    let client = typed_client(&server);

    let mut stream = client.room_sessions().page_size(2).stream();
    stream.next().await.unwrap().unwrap();
    stream.next().await.unwrap().unwrap();
    assert_eq!(pages.fetches(), [1, 0], "the first page's items");
    stream.next().await.unwrap().unwrap();
    assert_eq!(pages.fetches(), [1, 1], "the second page's first item");
}

#[tokio::test]
async fn send_and_next_page_go_page_by_page() {
    let server = TypedServer::start_async().await;
    let pages = paging::mount_room_sessions_with(&server, &sessions(0..3), 2, |when| {
        when.page_size(NonZeroU32::new(2))
    });
    let client = typed_client(&server);

    let first = client.room_sessions().page_size(2).send().await.unwrap();
    assert_eq!(first.number(), 0);
    assert!(first.has_next());
    assert_eq!(first.items().len(), 2);
    let second = first.next_page().await.unwrap().unwrap();
    assert_eq!(second.number(), 1);
    assert!(!second.has_next());
    assert_eq!(second.links().next, None);
    assert!(second.next_page().await.unwrap().is_none());

    pages.assert_each_fetched_once_async().await;
}

#[tokio::test]
async fn the_pages_stream_yields_each_page() {
    let server = TypedServer::start_async().await;
    let listed = paging::mount_room_sessions(&server, &sessions(0..3), 2);

    let pages: Vec<_> = typed_client(&server)
        .room_sessions()
        .page_size(2)
        .pages()
        .try_collect()
        .await
        .unwrap();

    listed.assert_each_fetched_once_async().await;
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[1].items().len(), 1);
    assert_eq!(
        pages.iter().map(|p| p.number()).collect::<Vec<_>>(),
        vec![0, 1]
    );
}

#[tokio::test]
async fn filters_and_page_size_carry_over_when_the_link_leaves_them_out() {
    let server = TypedServer::start_async().await;
    let first = server.list_room_sessions(|when, then| {
        when.status(&SessionStatus::Completed)
            .page_size(NonZeroU32::new(1))
            .page_token(None);
        then.ok(&page(
            sessions(0..1),
            "/room_sessions?status=completed&page_size=1",
            Some("/room_sessions?page_number=1&page_token=PA1"),
        ));
    });
    let second = server.list_room_sessions(|when, then| {
        when.status(&SessionStatus::Completed)
            .page_size(NonZeroU32::new(1))
            .page_number(1)
            .page_token("PA1");
        then.ok(&page(
            sessions(1..2),
            "/room_sessions?page_number=1&page_token=PA1",
            None,
        ));
    });

    let all: Vec<_> = typed_client(&server)
        .room_sessions()
        .status("completed")
        .page_size(1)
        .stream()
        .try_collect()
        .await
        .unwrap();

    first.assert_async().await;
    second.assert_async().await;
    assert_eq!(ids(&all), session_ids(0..2));
}

#[tokio::test]
async fn recordings_keep_media_ttl_on_every_page() {
    let server = TypedServer::start_async().await;
    let recordings = [recording(1), recording(2)];
    // The links name no media_ttl: every page must carry the caller's.
    let pages = paging::mount_recordings_with(&server, SESSION_ID, &recordings, 1, |when| {
        when.media_ttl(600)
    });

    let all: Vec<_> = typed_client(&server)
        .room_session_recordings(SESSION_ID)
        .media_ttl(600)
        .stream()
        .try_collect()
        .await
        .unwrap();

    pages.assert_each_fetched_once_async().await;
    let got: Vec<_> = all.iter().map(|r| r.id).collect();
    assert_eq!(got, [numbered_id(1), numbered_id(2)]);
}

#[tokio::test]
async fn a_link_to_another_origin_is_refused_and_nothing_is_sent_there() {
    // Two ways a refused link could still be followed, each caught by a count below: the
    // wrapper sends a link's query to its own base URL, so without the origin check the
    // configured server would get a second request; a client that followed the link as
    // written would reach `elsewhere`, which answers with a valid last page (so only its
    // count can tell).
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(sessions(9..10), "/x", None)))
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    let port = server.address().port();
    let cases = [
        (
            "another server",
            format!("{}/api/video/room_sessions?page_number=1", elsewhere.uri()),
        ),
        (
            "the same port under another host name",
            format!("http://localhost:{port}/api/video/room_sessions?page_number=1"),
        ),
        (
            "https on the same host and port",
            format!("https://127.0.0.1:{port}/api/video/room_sessions?page_number=1"),
        ),
    ];
    for (name, link) in cases {
        server.reset().await;
        mount_page(&server, "/room_sessions", 0, sessions(0..2), Some(&link)).await;

        let (count, error) = read_until_error(client(&server).room_sessions().stream()).await;

        assert_eq!(
            count, 2,
            "{name}: the first page's items come before the error"
        );
        let Error::RefusedLink {
            link: refused,
            reason,
        } = &error
        else {
            panic!("{name}: {error:?}");
        };
        assert_eq!(refused, &link, "{name}");
        assert!(
            matches!(reason, LinkRefusal::CrossOrigin { expected } if *expected == server.uri()),
            "{name}: {reason:?}"
        );
        assert!(
            error
                .to_string()
                .contains("it leaves the configured origin"),
            "{name}: {error}"
        );
        assert_error_has_no_secret(&error);
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            1,
            "{name}: the first page only"
        );
        assert_eq!(
            elsewhere.received_requests().await.unwrap().len(),
            0,
            "{name}: {link}"
        );
    }
}

#[tokio::test]
async fn a_refused_link_stays_refused() {
    let server = MockServer::start().await;
    // The first page's next link leads back to itself.
    mount_page(
        &server,
        "/room_sessions",
        0,
        sessions(0..2),
        Some("/api/video/room_sessions?page_number=0&page_size=2"),
    )
    .await;
    let first = client(&server)
        .room_sessions()
        .page_size(2)
        .send()
        .await
        .unwrap();
    for attempt in 1..=3 {
        let error = first.next_page().await.unwrap_err();
        assert!(
            matches!(
                &error,
                Error::RefusedLink {
                    reason: LinkRefusal::Repeated,
                    ..
                }
            ),
            "attempt {attempt}: {error:?}"
        );
    }
    // Only the first page was ever requested.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_link_back_to_a_page_already_fetched_ends_the_listing_with_an_error() {
    // Each page of a case: its number, its items and its next link.
    let cases = [
        (
            "a page that links to itself, its query reordered",
            vec![
                (0, 0..2, sessions_page(1)),
                (
                    1,
                    2..4,
                    "/api/video/room_sessions?page_size=2&page_token=PA1&page_number=1".to_owned(),
                ),
            ],
        ),
        (
            "page 2 leading back to page 1",
            vec![
                (0, 0..2, sessions_page(1)),
                (1, 2..4, sessions_page(2)),
                (2, 4..6, sessions_page(1)),
            ],
        ),
        (
            "the first page naming its own `self` link",
            vec![(
                0,
                0..2,
                "/api/video/room_sessions?page_number=0&page_size=2".to_owned(),
            )],
        ),
    ];
    for (name, pages) in cases {
        let server = MockServer::start().await;
        let items = pages.iter().map(|(_, range, _)| range.len()).sum::<usize>();
        for (number, range, next) in &pages {
            mount_page(
                &server,
                "/room_sessions",
                *number,
                sessions(range.clone()),
                Some(next),
            )
            .await;
        }

        let (count, error) =
            read_until_error(client(&server).room_sessions().page_size(2).stream()).await;

        assert_eq!(count, items, "{name}: every page's items come first");
        assert!(
            matches!(
                &error,
                Error::RefusedLink {
                    reason: LinkRefusal::Repeated,
                    ..
                }
            ),
            "{name}: {error:?}"
        );
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            pages.len(),
            "{name}: each page once, the repeated one never"
        );
    }
}

#[tokio::test]
async fn a_link_to_another_endpoint_or_a_malformed_one_is_refused() {
    let members = format!("/room_sessions/{SESSION_ID}/members");
    type IsExpected = fn(&LinkRefusal) -> bool;
    let cases: [(&str, String, IsExpected); 3] = [
        (
            "the members of another session",
            api_path(&format!(
                "/room_sessions/{}/members?page_number=1",
                numbered_id(9)
            )),
            |reason| matches!(reason, LinkRefusal::WrongEndpoint { .. }),
        ),
        (
            "a page number that is not a number",
            api_path(&format!("{members}?page_number=one")),
            |reason| matches!(reason, LinkRefusal::Malformed(_)),
        ),
        (
            "a page size of 0",
            api_path(&format!("{members}?page_size=0")),
            |reason| matches!(reason, LinkRefusal::Malformed(_)),
        ),
    ];
    for (name, link, expected) in cases {
        let server = MockServer::start().await;
        mount_page(&server, &members, 0, vec![member(1)], Some(&link)).await;

        let (count, error) =
            read_until_error(client(&server).room_session_members(SESSION_ID).stream()).await;

        assert_eq!(count, 1, "{name}");
        assert!(
            matches!(&error, Error::RefusedLink { reason, .. } if expected(reason)),
            "{name}: {link}: {error:?}"
        );
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            1,
            "{name}: nothing sent to the refused link"
        );
    }
}

#[tokio::test]
async fn an_error_on_a_later_page_ends_the_stream_after_the_earlier_items() {
    let server = TypedServer::start_async().await;
    let first = server.list_room_sessions(|when, then| {
        when.page_token(None);
        then.ok(&RoomSessionList {
            data: sessions(0..2),
            links: paging::page_links(&server.url("/room_sessions"), &[], 0, 2, true),
        });
    });
    let second = server.list_room_sessions(|when, then| {
        when.page_number(1).page_token(paging::PAGE_TOKEN);
        then.internal_server_error(&values::internal_server_error());
    });

    let (count, error) = read_until_error(typed_client(&server).room_sessions().stream()).await;

    assert_eq!(count, 2);
    assert!(
        matches!(&error, Error::Server { status, .. } if *status == StatusCode::INTERNAL_SERVER_ERROR),
        "{error:?}"
    );
    first.assert_async().await;
    // A 500 is retried: three attempts in all by default.
    second.assert_calls_async(3).await;
}

#[tokio::test]
async fn an_empty_or_null_next_ends_the_listing() {
    // Raw JSON: the types write no `null`, and leave out a link they do not have.
    let cases = [
        (
            "a null next",
            json!({
                "links": {"self": "/x", "first": "/x", "next": null, "prev": null},
                "data": [session_json(numbered_id(0))]
            }),
        ),
        (
            "an empty next",
            json!({
                "links": {"self": "/x", "first": "/x", "next": ""},
                "data": []
            }),
        ),
    ];
    for (name, body) in cases {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;

        let pages: Vec<_> = client(&server)
            .room_sessions()
            .pages()
            .try_collect()
            .await
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));

        assert_eq!(pages.len(), 1, "{name}");
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "{name}");
    }
}
