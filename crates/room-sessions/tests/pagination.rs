//! Following `links.next`: absolute URLs and paths, one page at a time, never to another
//! origin, never in circles.

mod common;

use common::*;
use futures::{StreamExt, TryStreamExt};
use room_sessions::{Error, LinkRefusal};
use serde_json::Value;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn sessions(range: std::ops::Range<u32>) -> Vec<Value> {
    range.map(|n| session_json(numbered_id(n))).collect()
}

/// Mounts page `number` of the sessions listing (matched by `page_number`, absent for the
/// first page), with `items` and a `next` link.
async fn mount_page(
    server: &MockServer,
    number: Option<u32>,
    items: Vec<Value>,
    next: Option<&str>,
) {
    let self_link = match number {
        Some(n) => format!("/api/video/room_sessions?page_number={n}&page_size=2&page_token=PA{n}"),
        None => "/api/video/room_sessions?page_number=0&page_size=2".to_owned(),
    };
    let mock = Mock::given(method("GET")).and(path(api_path("/room_sessions")));
    let mock = match number {
        Some(n) => mock
            .and(query_param("page_number", n.to_string()))
            .and(query_param("page_token", format!("PA{n}"))),
        None => mock.and(query_param_is_missing("page_number")),
    };
    mock.respond_with(ResponseTemplate::new(200).set_body_json(page_json(items, &self_link, next)))
        .expect(1)
        .mount(server)
        .await;
}

fn ids(items: &[room_sessions::RoomSession]) -> Vec<room_sessions::Uuid> {
    items.iter().map(|s| s.id).collect()
}

#[tokio::test]
async fn the_stream_follows_absolute_and_relative_links_to_the_last_page() {
    let server = MockServer::start().await;
    let absolute = format!(
        "{}/api/video/room_sessions?page_number=1&page_size=2&page_token=PA1",
        server.uri()
    );
    mount_page(&server, None, sessions(0..2), Some(&absolute)).await;
    mount_page(
        &server,
        Some(1),
        sessions(2..4),
        Some("/api/video/room_sessions?page_number=2&page_size=2&page_token=PA2"),
    )
    .await;
    // A path relative to the base URL works too.
    mount_page(
        &server,
        Some(2),
        sessions(4..6),
        Some("room_sessions?page_number=3&page_size=2&page_token=PA3"),
    )
    .await;
    mount_page(&server, Some(3), sessions(6..7), None).await;

    let all: Vec<_> = client(&server)
        .room_sessions()
        .page_size(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&all), (0..7).map(numbered_id).collect::<Vec<_>>());
}

#[tokio::test]
async fn pages_come_one_at_a_time() {
    let server = MockServer::start().await;
    mount_page(
        &server,
        None,
        sessions(0..2),
        Some("/api/video/room_sessions?page_number=1&page_size=2&page_token=PA1"),
    )
    .await;
    Mock::given(method("GET"))
        .and(query_param("page_number", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(
            sessions(2..4),
            "/x",
            None,
        )))
        .expect(1)
        .named("second page")
        .mount(&server)
        .await;
    let client = client(&server);

    // Reading the first page's items does not fetch the second.
    let mut stream = client.room_sessions().page_size(2).stream();
    stream.next().await.unwrap().unwrap();
    stream.next().await.unwrap().unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    stream.next().await.unwrap().unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    drop(stream);

    // Page by page with `send` and `next_page`.
    server.reset().await;
    mount_page(
        &server,
        None,
        sessions(0..2),
        Some("/api/video/room_sessions?page_number=1&page_size=2&page_token=PA1"),
    )
    .await;
    mount_page(&server, Some(1), sessions(2..3), None).await;
    let first = client.room_sessions().page_size(2).send().await.unwrap();
    assert_eq!(first.number(), 0);
    assert!(first.has_next());
    assert_eq!(first.items().len(), 2);
    let second = first.next_page().await.unwrap().unwrap();
    assert_eq!(second.number(), 1);
    assert!(!second.has_next());
    assert_eq!(second.links().next, None);
    assert!(second.next_page().await.unwrap().is_none());
}

#[tokio::test]
async fn the_pages_stream_yields_each_page() {
    let server = MockServer::start().await;
    mount_page(
        &server,
        None,
        sessions(0..2),
        Some("/api/video/room_sessions?page_number=1&page_size=2&page_token=PA1"),
    )
    .await;
    mount_page(&server, Some(1), sessions(2..3), None).await;
    let pages: Vec<_> = client(&server)
        .room_sessions()
        .page_size(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[1].items().len(), 1);
    assert_eq!(
        pages.iter().map(|p| p.number()).collect::<Vec<_>>(),
        vec![0, 1]
    );
}

#[tokio::test]
async fn filters_and_page_size_carry_over_when_the_link_leaves_them_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param_is_missing("page_token"))
        .and(query_param("status", "completed"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(
            sessions(0..1),
            "/api/video/room_sessions?status=completed&page_size=1",
            Some("/api/video/room_sessions?page_number=1&page_token=PA1"),
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("page_token", "PA1"))
        .and(query_param("page_number", "1"))
        .and(query_param("status", "completed"))
        .and(query_param("page_size", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(
            sessions(1..2),
            "/x",
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    let all: Vec<_> = client(&server)
        .room_sessions()
        .status("completed")
        .page_size(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
}

#[tokio::test]
async fn recordings_keep_media_ttl_and_members_follow_relative_links() {
    let server = MockServer::start().await;
    let recordings = api_path(&format!("/room_sessions/{SESSION_ID}/recordings"));
    Mock::given(method("GET"))
        .and(path(recordings.clone()))
        .and(query_param_is_missing("page_token"))
        .and(query_param("media_ttl", "600"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(
            vec![recording_json(numbered_id(1))],
            "/x",
            Some(&format!(
                "{recordings}?page_number=1&page_token=PAr&media_ttl=600"
            )),
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(recordings.clone()))
        .and(query_param("page_token", "PAr"))
        .and(query_param("media_ttl", "600"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(
            vec![recording_json(numbered_id(2))],
            "/x",
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    let members = api_path(&format!("/room_sessions/{SESSION_ID}/members"));
    Mock::given(method("GET"))
        .and(path(members.clone()))
        .and(query_param_is_missing("page_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(
            vec![member_json(numbered_id(1))],
            "/x",
            Some(&format!(
                "{members}?page_number=1&page_size=50&page_token=PAm"
            )),
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(members))
        .and(query_param("page_token", "PAm"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(
            vec![member_json(numbered_id(2))],
            "/x",
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let recordings: Vec<_> = client
        .room_session_recordings(SESSION_ID)
        .media_ttl(600)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(recordings.len(), 2);
    let members: Vec<_> = client
        .room_session_members(SESSION_ID)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(members.len(), 2);
}

/// Reads the stream to its end: the items before the error, and the error.
async fn read_until_error<T>(
    mut stream: futures::stream::BoxStream<'static, Result<T, Error>>,
) -> (usize, Error) {
    let mut count = 0;
    loop {
        match stream.next().await {
            Some(Ok(_)) => count += 1,
            Some(Err(error)) => {
                assert!(
                    stream.next().await.is_none(),
                    "the stream goes on after an error"
                );
                return (count, error);
            }
            None => panic!("the stream ended without an error after {count} items"),
        }
    }
}

#[tokio::test]
async fn a_link_to_another_origin_is_refused_and_nothing_is_sent_there() {
    let server = MockServer::start().await;
    // Were a request sent there, it would get a valid last page: only the count below can
    // tell that it was sent.
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(
            sessions(9..10),
            "/x",
            None,
        )))
        .mount(&elsewhere)
        .await;
    let port = server.address().port();
    for link in [
        format!("{}/api/video/room_sessions?page_number=1", elsewhere.uri()),
        // Same port, another host name.
        format!("http://localhost:{port}/api/video/room_sessions?page_number=1"),
        format!("https://127.0.0.1:{port}/api/video/room_sessions?page_number=1"),
    ] {
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page_json(
                sessions(0..2),
                "/api/video/room_sessions",
                Some(&link),
            )))
            .expect(1)
            .mount(&server)
            .await;
        let (count, error) = read_until_error(client(&server).room_sessions().stream()).await;
        assert_eq!(count, 2, "the first page's items come before the error");
        let Error::RefusedLink {
            link: refused,
            reason,
        } = &error
        else {
            panic!("{error:?}");
        };
        assert_eq!(refused, &link);
        assert!(
            matches!(reason, LinkRefusal::CrossOrigin { expected } if *expected == server.uri()),
            "{reason:?}"
        );
        assert!(
            error
                .to_string()
                .contains("it leaves the configured origin"),
            "{error}"
        );
        assert_error_has_no_secret(&error);
        assert_eq!(
            elsewhere.received_requests().await.unwrap().len(),
            0,
            "{link}"
        );
    }
}

#[tokio::test]
async fn a_refused_link_stays_refused() {
    let server = MockServer::start().await;
    // The first page's next link leads back to itself.
    mount_page(
        &server,
        None,
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
    // Only the first page was ever requested (mount_page expects exactly one request).
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_repeating_link_ends_the_listing_with_an_error() {
    let server = MockServer::start().await;
    // Page 1 points back at itself.
    mount_page(
        &server,
        None,
        sessions(0..2),
        Some("/api/video/room_sessions?page_number=1&page_size=2&page_token=PA1"),
    )
    .await;
    mount_page(
        &server,
        Some(1),
        sessions(2..4),
        Some("/api/video/room_sessions?page_size=2&page_token=PA1&page_number=1"),
    )
    .await;
    let (count, error) =
        read_until_error(client(&server).room_sessions().page_size(2).stream()).await;
    assert_eq!(count, 4);
    assert!(
        matches!(
            &error,
            Error::RefusedLink {
                reason: LinkRefusal::Repeated,
                ..
            }
        ),
        "{error:?}"
    );

    // A longer loop: page 2 leads back to page 1.
    server.reset().await;
    mount_page(
        &server,
        None,
        sessions(0..2),
        Some("/api/video/room_sessions?page_number=1&page_size=2&page_token=PA1"),
    )
    .await;
    mount_page(
        &server,
        Some(1),
        sessions(2..4),
        Some("/api/video/room_sessions?page_number=2&page_size=2&page_token=PA2"),
    )
    .await;
    mount_page(
        &server,
        Some(2),
        sessions(4..6),
        Some("/api/video/room_sessions?page_number=1&page_size=2&page_token=PA1"),
    )
    .await;
    let (count, error) =
        read_until_error(client(&server).room_sessions().page_size(2).stream()).await;
    assert_eq!(count, 6);
    assert!(
        matches!(
            &error,
            Error::RefusedLink {
                reason: LinkRefusal::Repeated,
                ..
            }
        ),
        "{error:?}"
    );

    // Back to the first page (its own `self` link).
    server.reset().await;
    mount_page(
        &server,
        None,
        sessions(0..2),
        Some("/api/video/room_sessions?page_number=0&page_size=2"),
    )
    .await;
    let (_, error) = read_until_error(client(&server).room_sessions().page_size(2).stream()).await;
    assert!(
        matches!(
            &error,
            Error::RefusedLink {
                reason: LinkRefusal::Repeated,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_link_to_another_endpoint_or_a_malformed_one_is_refused() {
    let server = MockServer::start().await;
    let other_session = numbered_id(9);
    for (link, expect_endpoint) in [
        (
            format!("/api/video/room_sessions/{other_session}/members?page_number=1"),
            true,
        ),
        (
            format!("/api/video/room_sessions/{SESSION_ID}/members?page_number=one"),
            false,
        ),
        (
            format!("/api/video/room_sessions/{SESSION_ID}/members?page_size=0"),
            false,
        ),
    ] {
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page_json(
                vec![member_json(numbered_id(1))],
                "/x",
                Some(&link),
            )))
            .expect(1)
            .mount(&server)
            .await;
        let (count, error) =
            read_until_error(client(&server).room_session_members(SESSION_ID).stream()).await;
        assert_eq!(count, 1);
        match (&error, expect_endpoint) {
            (
                Error::RefusedLink {
                    reason: LinkRefusal::WrongEndpoint { .. },
                    ..
                },
                true,
            ) => {}
            (
                Error::RefusedLink {
                    reason: LinkRefusal::Malformed(_),
                    ..
                },
                false,
            ) => {}
            _ => panic!("{link}: {error:?}"),
        }
    }
}

#[tokio::test]
async fn an_error_on_a_later_page_ends_the_stream_after_the_earlier_items() {
    let server = MockServer::start().await;
    mount_page(
        &server,
        None,
        sessions(0..2),
        Some("/api/video/room_sessions?page_number=1&page_size=2&page_token=PA1"),
    )
    .await;
    Mock::given(method("GET"))
        .and(query_param("page_number", "1"))
        .respond_with(ResponseTemplate::new(500))
        .expect(3)
        .mount(&server)
        .await;
    let (count, error) = read_until_error(client(&server).room_sessions().stream()).await;
    assert_eq!(count, 2);
    assert!(matches!(error, Error::Server { .. }), "{error:?}");
}

#[tokio::test]
async fn an_empty_or_null_next_ends_the_listing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("room_name", "a"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "links": {"self": "/x", "first": "/x", "next": null, "prev": null},
            "data": sessions(0..1)
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("room_name", "b"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "links": {"self": "/x", "first": "/x", "next": ""},
            "data": []
        })))
        .mount(&server)
        .await;
    let client = client(&server);
    for name in ["a", "b"] {
        let pages: Vec<_> = client
            .room_sessions()
            .room_name(name)
            .pages()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(pages.len(), 1);
    }
}
