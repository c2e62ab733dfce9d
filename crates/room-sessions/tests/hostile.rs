//! Servers that misbehave the way real servers, proxies and attackers do: bodies without end,
//! pages without end, error bodies cut short, values of the wrong type, links missing, and a
//! server that does not speak TLS. The client must neither hang nor run out of memory nor
//! lose what the response said, and must not retry what cannot succeed.

mod common;

use std::time::Duration;

use common::*;
use futures::{StreamExt, TryStreamExt};
use room_sessions::{
    Error, FrameRate, LinkRefusal, MAX_EMPTY_PAGES, RoomLayout, StatusCode, VideoQuality,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const LIMIT: usize = 256 * 1024;

#[tokio::test]
async fn a_success_body_that_never_ends_stops_at_the_limit_and_is_not_retried() {
    let server = raw_server(RawReply::EndlessChunked(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
    ))
    .await;
    let client = builder_for(&server.base)
        .max_response_bytes(LIMIT)
        .build()
        .unwrap();
    for listing in [false, true] {
        let before = server.connections();
        let error = if listing {
            client.room_sessions().send().await.map(|_| ()).unwrap_err()
        } else {
            client
                .room_session(SESSION_ID)
                .await
                .map(|_| ())
                .unwrap_err()
        };
        assert!(
            matches!(error, Error::ResponseTooLarge { status: StatusCode::OK, limit } if limit == LIMIT),
            "{error:?}"
        );
        assert!(error.is_too_large());
        assert!(!error.is_retryable());
        assert_eq!(
            error.to_string(),
            format!("response body over the limit of {LIMIT} bytes (HTTP 200)")
        );
        assert_eq!(server.connections() - before, 1, "sent once");
    }
    // The client stopped reading near the limit: what the server got out is bounded by the
    // socket buffers, not by its will.
    assert!(
        server.body_bytes_sent() < 64 * 1024 * 1024,
        "{} bytes sent",
        server.body_bytes_sent()
    );
}

#[tokio::test]
async fn a_body_declared_longer_than_the_limit_is_refused_before_it_is_read() {
    let server = raw_server(RawReply::Bytes(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1073741824\r\n\r\n{\"id\": ",
    ))
    .await;
    let client = builder_for(&server.base)
        .max_response_bytes(LIMIT)
        .build()
        .unwrap();
    let error = client.room_session(SESSION_ID).await.unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { limit, .. } if limit == LIMIT),
        "{error:?}"
    );
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_session_with_a_field_of_several_mebibytes_still_decodes_by_default() {
    let server = MockServer::start().await;
    let mut session = session_json(SESSION_ID);
    session["display_name"] = json!("x".repeat(4 * 1024 * 1024));
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session))
        .mount(&server)
        .await;
    let session = client(&server).room_session(SESSION_ID).await.unwrap();
    assert_eq!(session.display_name.as_deref().map(str::len), Some(4 << 20));
}

/// Answers every page of the sessions listing with `items` sessions and a `next` link to a
/// page never seen before.
struct EndlessPages {
    items: u32,
}

impl Respond for EndlessPages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let number: u64 = request
            .url
            .query_pairs()
            .find(|(key, _)| key == "page_number")
            .map_or(0, |(_, value)| value.parse().unwrap());
        let next = format!(
            "/api/video/room_sessions?page_number={}&page_token=PA{}",
            number + 1,
            number + 1
        );
        let items: Vec<Value> = (0..self.items)
            .map(|n| session_json(numbered_id(number as u32 * 1000 + n)))
            .collect();
        ResponseTemplate::new(200).set_body_json(page_json(items, "/x", Some(&next)))
    }
}

#[tokio::test]
async fn pages_without_items_that_never_end_stop_after_a_few() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(EndlessPages { items: 0 })
        .mount(&server)
        .await;
    let result: Result<Vec<_>, Error> =
        client(&server).room_sessions().stream().try_collect().await;
    let error = result.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::RefusedLink { reason: LinkRefusal::EmptyPages { count }, .. } if *count == MAX_EMPTY_PAGES
        ),
        "{error:?}"
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        MAX_EMPTY_PAGES
    );
}

#[tokio::test]
async fn pages_with_items_that_never_end_stop_at_the_page_limit() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(EndlessPages { items: 2 })
        .mount(&server)
        .await;
    let mut stream = client(&server).room_sessions().max_pages(5).stream();
    let mut items = 0;
    let error = loop {
        match stream.next().await {
            Some(Ok(_)) => items += 1,
            Some(Err(error)) => break error,
            None => panic!("the listing ended after {items} items"),
        }
    };
    assert_eq!(items, 10, "every item of the five pages comes first");
    assert!(
        matches!(
            &error,
            Error::RefusedLink {
                reason: LinkRefusal::PageLimit { limit: 5 },
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 5);

    let error = client(&server)
        .room_sessions()
        .max_pages(0)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidInput {
                parameter: "max_pages",
                ..
            }
        ),
        "{error:?}"
    );
}

/// Error responses whose body breaks off before its announced length: the status decides,
/// what arrived is kept, and a 4xx is sent once.
#[tokio::test]
async fn an_error_body_cut_off_keeps_its_status_and_a_4xx_is_not_retried() {
    struct Case {
        response: &'static [u8],
        connections: usize,
        check: fn(&Error) -> bool,
    }
    let cases = [
        Case {
            response: b"HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"error\": \"Unau",
            connections: 1,
            check: |e| {
                matches!(e, Error::Unauthorized { message: Some(m) } if m == "{\"error\": \"Unau")
            },
        },
        Case {
            response: b"HTTP/1.1 404 Not Found\r\ncontent-length: 100\r\n\r\n",
            connections: 1,
            check: |e| matches!(e, Error::NotFound { message: None }),
        },
        Case {
            response: b"HTTP/1.1 422 Unprocessable Entity\r\ncontent-length: 100\r\n\r\n{\"errors\": [",
            connections: 1,
            check: |e| e.status() == Some(StatusCode::UNPROCESSABLE_ENTITY),
        },
        // A 503 is retried for its status, not for its body.
        Case {
            response: b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 100\r\n\r\n<html>",
            connections: 3,
            check: |e| {
                matches!(e, Error::Server { status, message: Some(m), .. }
                    if *status == StatusCode::SERVICE_UNAVAILABLE && m == "<html>")
            },
        },
    ];
    for case in cases {
        let server = raw_server(RawReply::Bytes(case.response)).await;
        let client = builder_for(&server.base).build().unwrap();
        let error = client.room_session(SESSION_ID).await.unwrap_err();
        assert!((case.check)(&error), "{error:?}");
        assert_eq!(server.connections(), case.connections, "{error:?}");
        assert_error_has_no_secret(&error);
    }
}

#[tokio::test]
async fn values_of_the_wrong_json_type_are_kept_not_fatal() {
    let server = MockServer::start().await;
    let mut odd = session_json(SESSION_ID);
    odd["quality"] = json!(720);
    odd["layout"] = json!(5);
    odd["fps"] = json!("30fps");
    odd["status"] = json!(true);
    Mock::given(method("GET"))
        .and(path(api_path(&format!("/room_sessions/{SESSION_ID}"))))
        .respond_with(ResponseTemplate::new(200).set_body_json(&odd))
        .mount(&server)
        .await;
    // A page of 1000 sessions, one of them odd.
    let mut page: Vec<Value> = (0..999).map(|n| session_json(numbered_id(n))).collect();
    page.insert(500, odd);
    Mock::given(method("GET"))
        .and(path(api_path("/room_sessions")))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(page, "/x", None)))
        .mount(&server)
        .await;

    let client = client(&server);
    let session = client.room_session(SESSION_ID).await.unwrap();
    assert_eq!(session.quality(), Some(&VideoQuality::Other("720".into())));
    assert_eq!(session.layout(), Some(&RoomLayout::Other("5".into())));
    assert_eq!(session.fps(), Some(&FrameRate::Text("30fps".into())));
    assert_eq!(session.status().map(|s| s.as_str()), Some("true"));

    let sessions: Vec<_> = client.room_sessions().stream().try_collect().await.unwrap();
    assert_eq!(sessions.len(), 1000);
    assert_eq!(sessions[500].fps(), Some(&FrameRate::Text("30fps".into())));
}

#[tokio::test]
async fn a_page_whose_links_lack_self_and_first_yields_its_items() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("page_number", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "links": {},
            "data": [session_json(numbered_id(2))]
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "links": { "next": "/api/video/room_sessions?page_number=1&page_token=PA1" },
            "data": [session_json(numbered_id(1))]
        })))
        .mount(&server)
        .await;
    let sessions: Vec<_> = client(&server)
        .room_sessions()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sessions.len(), 2);
}

#[tokio::test]
async fn a_tls_failure_is_not_retried() {
    // A plain HTTP server behind an https URL: the handshake cannot succeed, however often.
    let server = raw_server(RawReply::Bytes(
        b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n",
    ))
    .await;
    let base = server.base.replace("http://", "https://");
    let client = builder_for(&base)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let error = client.room_session(SESSION_ID).await.unwrap_err();
    assert!(matches!(error, Error::Tls { .. }), "{error:?}");
    assert!(!error.is_retryable());
    assert!(
        error
            .to_string()
            .starts_with("TLS handshake failed (https://127.0.0.1:"),
        "{error}"
    );
    assert_eq!(server.connections(), 1);
    assert_error_has_no_secret(&error);
}
