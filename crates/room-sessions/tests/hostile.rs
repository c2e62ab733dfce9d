//! Servers that misbehave the way real servers, proxies and attackers do: bodies without end,
//! pages without end, error bodies cut short, values of the wrong type, links missing, and a
//! server that does not speak TLS. The client must neither hang nor run out of memory nor
//! lose what the response said, and must not retry what cannot succeed.
//!
//! Most of it is bytes the types cannot express, served by the raw server or by plain httpmock
//! mocks; a session with a very long field, a page without `self` and `first` and pages that
//! never end are values of the types, served by typed mocks.

mod common;

use std::time::Duration;

use common::*;
use futures::TryStreamExt;
use room_sessions::api::types::{self, PageLinks, RoomSessionList};
use room_sessions::{
    Error, FrameRate, LinkRefusal, MAX_EMPTY_PAGES, RoomLayout, StatusCode, VideoQuality,
};
use room_sessions_httpmock::httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use room_sessions_httpmock::{MockServerExt, paging, values};
use serde_json::json;

const LIMIT: usize = 256 * 1024;

#[tokio::test]
async fn a_success_body_over_the_limit_is_not_read_past_it_nor_retried() {
    let endless = raw_server(RawReply::EndlessChunked(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
    ))
    .await;
    // Refused before it is read.
    let declared = raw_server(RawReply::Bytes(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1073741824\r\n\r\n{\"id\": ",
    ))
    .await;
    for (name, server, listing) in [
        ("a session without end", &endless, false),
        ("a listing without end", &endless, true),
        ("a session declared longer", &declared, false),
    ] {
        let client = builder_at(&server.base)
            .max_response_bytes(LIMIT)
            .build()
            .unwrap();
        let before = server.connections();
        let error = if listing {
            client.room_sessions().send().await.map(drop)
        } else {
            client.room_session(SESSION_ID).await.map(drop)
        }
        .expect_err(name);
        assert!(
            matches!(error, Error::ResponseTooLarge { status: StatusCode::OK, limit } if limit == LIMIT),
            "{name}: {error:?}"
        );
        assert!(error.is_too_large(), "{name}");
        assert!(!error.is_retryable(), "{name}");
        assert_eq!(
            error.to_string(),
            format!("response body over the limit of {LIMIT} bytes (HTTP 200)"),
            "{name}"
        );
        assert_eq!(server.connections() - before, 1, "{name}: sent once");
    }
    // The client stopped reading near the limit: what the server got out is bounded by the
    // socket buffers, not by its will.
    let sent = endless.body_bytes_sent();
    assert!(sent < 64 * 1024 * 1024, "{sent} bytes sent");
}

#[tokio::test]
async fn a_session_with_a_field_of_several_mebibytes_still_decodes_by_default() {
    let server = MockServer::start_async().await;
    let long = types::RoomSession {
        display_name: Some("x".repeat(4 * 1024 * 1024)),
        ..values::session_current()
    };
    let mock = server.get_room_session(|when, then| {
        when.id(&long.id);
        then.ok(&long);
    });
    let session = client(&server).room_session(long.id).await.unwrap();
    mock.assert_async().await;
    assert_eq!(session.display_name.as_deref().map(str::len), Some(4 << 20));
}

#[tokio::test]
async fn pages_that_never_end_stop_after_a_few_empty_ones_or_at_the_page_limit() {
    // (items a page, the listing's page limit, the pages fetched, why the next is refused)
    let empty = LinkRefusal::EmptyPages {
        count: MAX_EMPTY_PAGES,
    };
    let cases = [
        (0, 100, MAX_EMPTY_PAGES, empty),
        (2, 5, 5, LinkRefusal::PageLimit { limit: 5 }),
    ];
    for (items, max_pages, pages, refusal) in cases {
        let server = MockServer::start_async().await;
        // Every page links to one never seen before.
        let endless = server.list_room_sessions(|_, then| {
            then.into_inner()
                .respond_with(move |request: &HttpMockRequest| {
                    let number = (request.query_params().into_iter())
                        .find(|(key, _)| key == "page_number")
                        .map_or(0, |(_, value)| value.parse().unwrap());
                    let first = number as u32 * 1000;
                    let page = RoomSessionList {
                        data: sessions(first..first + items),
                        links: paging::page_links("/room_sessions", &[], number, 2, true),
                    };
                    HttpMockResponse::builder()
                        .status(200)
                        .body(serde_json::to_vec(&page).unwrap())
                        .build()
                });
        });
        let listing = client(&server).room_sessions().max_pages(max_pages);

        let (count, error) = read_until_error(listing.stream()).await;

        assert_eq!(count, pages * items as usize, "every item comes first");
        assert!(
            matches!(&error, Error::RefusedLink { reason, .. } if *reason == refusal),
            "{error:?}"
        );
        endless.assert_calls_async(pages).await;
    }
}

/// Error responses whose body breaks off before its announced length: the status decides,
/// what arrived is kept, and a 4xx is sent once.
#[tokio::test]
async fn an_error_body_cut_off_keeps_its_status_and_a_4xx_is_not_retried() {
    struct Case {
        name: &'static str,
        response: &'static [u8],
        connections: usize,
        check: fn(&Error) -> bool,
    }
    let cases = [
        Case {
            name: "a 401 with half its JSON",
            response: b"HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"error\": \"Unau",
            connections: 1,
            check: |e| {
                matches!(e, Error::Unauthorized { message: Some(m) } if m == "{\"error\": \"Unau")
            },
        },
        Case {
            name: "a 404 with none of its body",
            response: b"HTTP/1.1 404 Not Found\r\ncontent-length: 100\r\n\r\n",
            connections: 1,
            check: |e| matches!(e, Error::NotFound { message: None }),
        },
        Case {
            name: "a 422 with the start of its JSON",
            response: b"HTTP/1.1 422 Unprocessable Entity\r\ncontent-length: 100\r\n\r\n{\"errors\": [",
            connections: 1,
            check: |e| e.status() == Some(StatusCode::UNPROCESSABLE_ENTITY),
        },
        // A 503 is retried for its status, not for its body.
        Case {
            name: "a 503 with the start of its HTML",
            response: b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 100\r\n\r\n<html>",
            connections: 3,
            check: |e| {
                matches!(e, Error::Server { status, message: Some(m), .. }
                    if *status == StatusCode::SERVICE_UNAVAILABLE && m == "<html>")
            },
        },
    ];
    for case in cases {
        let name = case.name;
        let server = raw_server(RawReply::Bytes(case.response)).await;
        let client = builder_at(&server.base).build().unwrap();
        let error = client.room_session(SESSION_ID).await.expect_err(name);
        assert!((case.check)(&error), "{name}: {error:?}");
        assert_eq!(server.connections(), case.connections, "{name}: {error:?}");
        assert_error_has_no_secret(&error);
    }
}

#[tokio::test]
async fn values_of_the_wrong_json_type_are_kept_not_fatal() {
    let server = MockServer::start_async().await;
    let mut odd = session_json(SESSION_ID);
    odd["quality"] = json!(720);
    odd["layout"] = json!(5);
    odd["fps"] = json!("30fps");
    odd["status"] = json!(true);
    let found = server.get_room_session(|when, then| {
        when.id(&SESSION_ID);
        then.into_inner().status(200).json_body(odd.clone());
    });
    // A page of 1000 sessions, one of them odd.
    let mut listing =
        serde_json::to_value(paging::single_page("/room_sessions", sessions(0..999))).unwrap();
    listing["data"].as_array_mut().unwrap().insert(500, odd);
    let listed = server.list_room_sessions(|_, then| {
        then.into_inner().status(200).json_body(listing);
    });

    let client = client(&server);
    let session = client.room_session(SESSION_ID).await.unwrap();
    assert_eq!(session.quality(), Some(&VideoQuality::Other("720".into())));
    assert_eq!(session.layout(), Some(&RoomLayout::Other("5".into())));
    assert_eq!(session.fps(), Some(&FrameRate::Text("30fps".into())));
    assert_eq!(session.status().map(|s| s.as_str()), Some("true"));

    let sessions: Vec<_> = client.room_sessions().stream().try_collect().await.unwrap();
    assert_eq!(sessions.len(), 1000);
    assert_eq!(sessions[500].fps(), Some(&FrameRate::Text("30fps".into())));
    found.assert_async().await;
    listed.assert_async().await;
}

#[tokio::test]
async fn a_page_whose_links_lack_self_and_first_yields_its_items() {
    let server = MockServer::start_async().await;
    let first = server.list_room_sessions(|when, then| {
        when.page_token(None);
        then.ok(&RoomSessionList {
            data: vec![session(1)],
            links: PageLinks {
                next: Some("/room_sessions?page_number=1&page_token=PA1".to_owned()),
                ..PageLinks::default()
            },
        });
    });
    let last = server.list_room_sessions(|when, then| {
        when.page_number(1).page_token("PA1");
        then.ok(&RoomSessionList {
            data: vec![session(2)],
            links: PageLinks::default(),
        });
    });

    let sessions: Vec<_> = client(&server)
        .room_sessions()
        .stream()
        .try_collect()
        .await
        .unwrap();

    first.assert_async().await;
    last.assert_async().await;
    let ids: Vec<_> = sessions.iter().map(|s| s.id).collect();
    assert_eq!(ids, [numbered_id(1), numbered_id(2)]);
}

#[tokio::test]
async fn a_tls_failure_is_not_retried() {
    // A plain HTTP server behind an https URL: the handshake cannot succeed, however often.
    let server = raw_server(RawReply::Bytes(
        b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n",
    ))
    .await;
    let base = server.base.replace("http://", "https://");
    let client = builder_at(&base)
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
