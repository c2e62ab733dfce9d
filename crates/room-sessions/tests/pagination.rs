//! Following `links.next`: absolute URLs and paths, one page at a time, never to another
//! origin, never in circles.
//!
//! Paging itself (when pages are fetched, what each request carries) runs against the typed
//! mocks and the mock crate's paged listings. A page whose links a test writes itself (in
//! another form than the listings', or one to refuse) is a typed mock of its own.

mod common;

use std::num::NonZeroU32;

use common::*;
use futures::{StreamExt, TryStreamExt};
use room_sessions::api::types::{PageLinks, RoomSessionList, RoomSessionMemberList};
use room_sessions::{Error, LinkRefusal, SessionStatus, StatusCode};
use room_sessions_httpmock::httpmock::{Mock, MockServer};
use room_sessions_httpmock::{MockServerExt, paging, values};
use serde_json::json;

/// The link to page `number` of the sessions listing in pages of 2: a path from the server's
/// root, as [`paging::page_links`] writes it.
fn link_to(number: usize) -> String {
    let links = paging::page_links("/room_sessions", &[], number, 2, false);
    links.self_.unwrap()
}

/// Mounts page `number` of the sessions listing in pages of 2, matched as the paging mounters
/// match theirs, with `items` and `next` as its next link.
fn mount_page<'a>(
    server: &'a MockServer,
    number: usize,
    items: Vec<room_sessions::api::types::RoomSession>,
    next: Option<&str>,
) -> Mock<'a> {
    let links = PageLinks {
        next: next.map(str::to_owned),
        ..paging::page_links("/room_sessions", &[], number, 2, false)
    };
    let later = number > 0;
    server.list_room_sessions(|when, then| {
        when.page_number(later.then(|| i32::try_from(number).unwrap()))
            .page_token(later.then_some(paging::PAGE_TOKEN));
        then.ok(&RoomSessionList { data: items, links });
    })
}

#[tokio::test]
async fn each_form_of_next_link_is_followed_to_the_last_page() {
    let server = MockServer::start_async().await;
    // A sub-listing: its path holds the session's id, which the link must keep.
    let members = format!("/room_sessions/{SESSION_ID}/members");
    let from_root = paging::page_links(&members, &[], 0, 1, true).next.unwrap();
    let absolute = server.url(&from_root);
    let cases = [
        ("an absolute URL", absolute.as_str()),
        ("a path from the server's root", &from_root),
        ("a path relative to the base URL", &from_root[1..]),
    ];
    for (name, link) in cases {
        server.reset_async().await;
        let first = server.list_room_session_members(|when, then| {
            when.id(&SESSION_ID).page_token(None);
            then.ok(&RoomSessionMemberList {
                data: vec![member(1)],
                links: PageLinks {
                    next: Some(link.to_owned()),
                    ..paging::page_links(&members, &[], 0, 1, false)
                },
            });
        });
        let last = server.list_room_session_members(|when, then| {
            (when.id(&SESSION_ID).page_number(1)).page_token(paging::PAGE_TOKEN);
            then.ok(&RoomSessionMemberList {
                data: vec![member(2)],
                links: paging::page_links(&members, &[], 1, 1, false),
            });
        });

        let all: Vec<_> = client(&server)
            .room_session_members(SESSION_ID)
            .stream()
            .try_collect()
            .await
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));

        let got: Vec<_> = all.iter().map(|m| m.id).collect();
        assert_eq!(got, [numbered_id(1), numbered_id(2)], "{name}");
        first.assert_async().await;
        last.assert_async().await;
    }
}

#[tokio::test]
async fn the_stream_fetches_a_page_only_when_its_items_are_wanted() {
    let server = MockServer::start_async().await;
    let pages = paging::mount_room_sessions_with(&server, &sessions(0..4), 2, |when| {
        when.page_size(NonZeroU32::new(2))
    });
    let client = client(&server);

    let mut stream = client.room_sessions().page_size(2).stream();
    stream.next().await.unwrap().unwrap();
    stream.next().await.unwrap().unwrap();
    assert_eq!(pages.fetches(), [1, 0], "the first page's items");
    stream.next().await.unwrap().unwrap();
    assert_eq!(pages.fetches(), [1, 1], "the second page's first item");
}

#[tokio::test]
async fn send_and_next_page_and_the_pages_stream_go_page_by_page() {
    let server = MockServer::start_async().await;
    let listed = paging::mount_room_sessions_with(&server, &sessions(0..3), 2, |when| {
        when.page_size(NonZeroU32::new(2))
    });
    let client = client(&server);

    let first = client.room_sessions().page_size(2).send().await.unwrap();
    assert_eq!(first.number(), 0);
    assert!(first.has_next());
    assert_eq!(first.items().len(), 2);
    let second = first.next_page().await.unwrap().unwrap();
    assert_eq!(second.number(), 1);
    assert!(!second.has_next());
    assert_eq!(second.links().next, None);
    assert!(second.next_page().await.unwrap().is_none());
    assert_eq!(listed.fetches(), [1, 1]);

    let pages: Vec<_> = (client.room_sessions().page_size(2).pages())
        .try_collect()
        .await
        .unwrap();
    let shape: Vec<_> = pages
        .iter()
        .map(|p| (p.number(), p.items().len()))
        .collect();
    assert_eq!(shape, [(0, 2), (1, 1)]);
    assert_eq!(listed.fetches(), [2, 2]);
}

#[tokio::test]
async fn filters_and_page_size_carry_over_when_the_link_leaves_them_out() {
    let server = MockServer::start_async().await;
    let first = server.list_room_sessions(|when, then| {
        when.status(&SessionStatus::Completed)
            .page_size(NonZeroU32::new(1))
            .page_token(None);
        then.ok(&RoomSessionList {
            data: sessions(0..1),
            links: PageLinks {
                next: Some("/room_sessions?page_number=1&page_token=PA1".to_owned()),
                ..PageLinks::default()
            },
        });
    });
    let second = server.list_room_sessions(|when, then| {
        when.status(&SessionStatus::Completed)
            .page_size(NonZeroU32::new(1))
            .page_number(1)
            .page_token("PA1");
        then.ok(&RoomSessionList {
            data: sessions(1..2),
            links: PageLinks::default(),
        });
    });

    let all: Vec<_> = client(&server)
        .room_sessions()
        .status("completed")
        .page_size(1)
        .stream()
        .try_collect()
        .await
        .unwrap();

    first.assert_async().await;
    second.assert_async().await;
    let got: Vec<_> = all.iter().map(|s| s.id).collect();
    assert_eq!(got, [numbered_id(0), numbered_id(1)]);
}

#[tokio::test]
async fn recordings_keep_media_ttl_on_every_page() {
    let server = MockServer::start_async().await;
    let recordings = [recording(1), recording(2)];
    // The links name no media_ttl: every page must carry the caller's.
    let pages = paging::mount_recordings_with(&server, SESSION_ID, &recordings, 1, |when| {
        when.media_ttl(600)
    });

    let all: Vec<_> = client(&server)
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
async fn a_link_off_the_listing_is_refused_and_nothing_is_sent_for_it() {
    // Two ways a refused link could still be followed, each caught by a count below: the
    // wrapper sends a link's query to its own base URL and the listing's path, where the page
    // answers any request; a client that followed the link as written would reach
    // `elsewhere`, which answers anything with a valid last page (so only its count can tell).
    let elsewhere = MockServer::start_async().await;
    let reached = elsewhere.mock(|when, then| {
        when.any_request();
        then.status(200)
            .json_body_obj(&paging::single_page("/room_sessions", sessions(9..10)));
    });
    let server = MockServer::start_async().await;
    let (origin, port) = (server.base_url(), server.port());
    let members = format!("/room_sessions/{SESSION_ID}/members");
    type IsExpected = fn(&LinkRefusal, &str) -> bool;
    let cross_origin: IsExpected = |reason, origin| {
        let expected = origin.to_owned();
        *reason == LinkRefusal::CrossOrigin { expected }
            && reason
                .to_string()
                .starts_with("it leaves the configured origin")
    };
    let malformed: IsExpected = |reason, _| matches!(reason, LinkRefusal::Malformed(_));
    let cases: [(&str, String, IsExpected); 6] = [
        (
            "another server",
            elsewhere.url(format!("{members}?page_number=1")),
            cross_origin,
        ),
        (
            "the same port under another host name",
            format!("http://localhost:{port}{members}?page_number=1"),
            cross_origin,
        ),
        (
            "https on the same host and port",
            format!("https://127.0.0.1:{port}{members}?page_number=1"),
            cross_origin,
        ),
        (
            "the members of another session",
            format!("/room_sessions/{}/members?page_number=1", numbered_id(9)),
            |reason, _| matches!(reason, LinkRefusal::WrongEndpoint { .. }),
        ),
        (
            "a page number that is not a number",
            format!("{members}?page_number=one"),
            malformed,
        ),
        (
            "a page size of 0",
            format!("{members}?page_size=0"),
            malformed,
        ),
    ];
    for (name, link, expected) in cases {
        server.reset_async().await;
        let mut page = paging::single_page(&members, vec![member(1)]);
        page.links.next = Some(link.clone());
        let listing = server.list_room_session_members(|when, then| {
            when.id(&SESSION_ID);
            then.ok(&page);
        });

        let (count, error) =
            read_until_error(client(&server).room_session_members(SESSION_ID).stream()).await;

        assert_eq!(
            count, 1,
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
        assert!(expected(reason, &origin), "{name}: {reason:?}");
        assert!(error.to_string().contains(&reason.to_string()), "{name}");
        assert_error_has_no_secret(&error);
        assert_eq!(
            listing.calls_async().await,
            1,
            "{name}: the first page only"
        );
        assert_eq!(reached.calls_async().await, 0, "{name}: {link}");
    }
}

#[tokio::test]
async fn a_refused_link_stays_refused() {
    let server = MockServer::start_async().await;
    // The first page's next link leads back to itself.
    let listing = mount_page(&server, 0, sessions(0..2), Some(&link_to(0)));
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
    listing.assert_async().await;
}

#[tokio::test]
async fn a_link_back_to_a_page_already_fetched_ends_the_listing_with_an_error() {
    // Each page of a case: its number, its items and its next link.
    let reordered = format!(
        "/room_sessions?page_size=2&page_token={}&page_number=1",
        paging::PAGE_TOKEN
    );
    let cases = [
        (
            "a page that links to itself, its query reordered",
            vec![(0, 0..2, link_to(1)), (1, 2..4, reordered)],
        ),
        (
            "page 2 leading back to page 1",
            vec![
                (0, 0..2, link_to(1)),
                (1, 2..4, link_to(2)),
                (2, 4..6, link_to(1)),
            ],
        ),
        (
            "the first page naming its own `self` link",
            vec![(0, 0..2, link_to(0))],
        ),
    ];
    for (name, pages) in cases {
        let server = MockServer::start_async().await;
        let items = pages.iter().map(|(_, range, _)| range.len()).sum::<usize>();
        let mocks: Vec<_> = (pages.into_iter())
            .map(|(number, range, next)| mount_page(&server, number, sessions(range), Some(&next)))
            .collect();

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
        // Each page once, the repeated one never again.
        for mock in &mocks {
            mock.assert_async().await;
        }
    }
}

#[tokio::test]
async fn an_error_on_a_later_page_ends_the_stream_after_the_earlier_items() {
    let server = MockServer::start_async().await;
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

    let (count, error) = read_until_error(client(&server).room_sessions().stream()).await;

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
        let server = MockServer::start_async().await;
        let listing = server.list_room_sessions(|_, then| {
            then.into_inner().status(200).json_body(body);
        });

        let pages: Vec<_> = client(&server)
            .room_sessions()
            .pages()
            .try_collect()
            .await
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));

        assert_eq!(pages.len(), 1, "{name}");
        listing.assert_async().await;
    }
}
