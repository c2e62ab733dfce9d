//! The hand-written request hooks (src/hooks.rs) against a local httpmock server: headers and
//! a timeout set on every request, response bodies bounded, and error responses kept with
//! their status and body whether or not the body is the documented JSON.

use std::str::FromStr;
use std::time::{Duration, Instant};

use httpmock::{Mock, MockServer, Then};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use room_sessions_api::types::ErrorResponse;
use room_sessions_api::{Client, ClientOptions, Error};
use serde_json::json;

const SESSION_ID: &str = "c22d24f6-5a47-4597-9a23-c7d01e696b92";
const OUR_AUTH: &str = "Basic cHJvamVjdDp0b2tlbg==";

fn session_id() -> uuid::Uuid {
    uuid::Uuid::from_str(SESSION_ID).unwrap()
}

fn session_path() -> String {
    format!("/api/video/room_sessions/{SESSION_ID}")
}

fn our_headers() -> ClientOptions {
    let mut auth = HeaderValue::from_static(OUR_AUTH);
    auth.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, auth);
    headers.insert(
        HeaderName::from_static("x-test-client"),
        HeaderValue::from_static("room-sessions-api-tests"),
    );
    ClientOptions::new(headers)
}

fn client_with(server: &MockServer, options: ClientOptions) -> Client {
    Client::new(&server.url("/api/video"), options)
}

fn client(server: &MockServer) -> Client {
    client_with(server, our_headers())
}

/// A mock that answers `GET /api/video/room_sessions/{id}` as `respond` says.
async fn get_session_answers(server: &MockServer, respond: impl FnOnce(Then) -> Then) -> Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method("GET").path(session_path());
            respond(then);
        })
        .await
}

async fn get_session(client: &Client) -> Result<(), Error<ErrorResponse>> {
    client
        .get_room_session()
        .id(session_id())
        .send()
        .await
        .map(|_| ())
}

/// The status, content type and body of an `UnexpectedResponse`, read in full.
async fn unexpected(error: Error<ErrorResponse>) -> (StatusCode, Option<String>, String) {
    let Error::UnexpectedResponse(response) = error else {
        panic!("expected UnexpectedResponse, got {error:?}");
    };
    let status = response.status();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .map(|value| value.to_str().unwrap().to_owned());
    let body = response.text().await.expect("the body is readable");
    (status, content_type, body)
}

fn valid_session() -> serde_json::Value {
    json!({
        "id": SESSION_ID,
        "name": "my_example_room",
        "fps": 30.0,
        "status": "completed",
        "sync_audio_video": true,
    })
}

fn page(data: serde_json::Value) -> serde_json::Value {
    json!({
        "links": {
            "self": "/api/video/room_sessions?page_number=0&page_size=50",
            "first": "/api/video/room_sessions?page_number=0&page_size=50",
        },
        "data": data,
    })
}

#[tokio::test]
async fn request_headers_reach_the_server_on_every_operation_and_win_over_the_clients_own() {
    let server = MockServer::start_async().await;
    let base = session_path();
    let mut mocks = Vec::new();
    for (route, body) in [
        (
            "/api/video/room_sessions".to_owned(),
            page(json!([valid_session()])),
        ),
        (base.clone(), valid_session()),
        (format!("{base}/members"), page(json!([]))),
        (format!("{base}/events"), page(json!([]))),
        (format!("{base}/recordings"), page(json!([]))),
    ] {
        let mock = server
            .mock_async(|when, then| {
                // Ours, once; the caller's other defaults still go out, and so does the
                // generated api-version.
                when.method("GET")
                    .path(route)
                    .header("authorization", OUR_AUTH)
                    .header_count("^authorization$", ".*", 1)
                    .header("x-test-client", "room-sessions-api-tests")
                    .header("x-caller", "kept")
                    .header("api-version", "1.0.0");
                then.status(200).json_body(body);
            })
            .await;
        mocks.push(mock);
    }

    // A caller's reqwest::Client with default headers of its own, one of them Authorization.
    let mut defaults = HeaderMap::new();
    defaults.insert(
        AUTHORIZATION,
        HeaderValue::from_static("Basic dGhlaXJzOnRoZWlycw=="),
    );
    defaults.insert(
        HeaderName::from_static("x-caller"),
        HeaderValue::from_static("kept"),
    );
    let reqwest_client = reqwest::Client::builder()
        .default_headers(defaults)
        .build()
        .unwrap();
    let client = Client::new_with_client(&server.url("/api/video"), reqwest_client, our_headers());

    client.list_room_sessions().send().await.unwrap();
    let id = session_id();
    client.get_room_session().id(id).send().await.unwrap();
    let members = client.list_room_session_members().id(id).send();
    members.await.unwrap();
    client
        .list_room_session_events()
        .id(id)
        .send()
        .await
        .unwrap();
    let recordings = client.list_room_session_recordings().id(id).send();
    recordings.await.unwrap();

    for mock in mocks {
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn no_request_headers_means_no_authorization_is_sent() {
    let server = MockServer::start_async().await;
    let without = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(session_path())
                .header_missing("authorization");
            then.status(200).json_body(valid_session());
        })
        .await;

    get_session(&client_with(&server, ClientOptions::default()))
        .await
        .unwrap();
    without.assert_async().await;
}

#[tokio::test]
async fn a_documented_error_body_is_a_typed_error_response_with_its_headers() {
    let errors_body = json!({ "errors": [
        { "type": "validation_error", "code": "invalid_parameter",
          "message": "Name must be present", "attribute": null },
        { "message": "Page size must be between 1 and 1000" },
    ]});
    let expected_errors = serde_json::from_value(errors_body["errors"].clone()).unwrap();
    for (status, body, retry_after, expected) in [
        (
            404,
            json!({ "error": "Not Found" }),
            None,
            ErrorResponse {
                error: Some("Not Found".into()),
                errors: None,
            },
        ),
        (
            422,
            errors_body,
            None,
            ErrorResponse {
                error: None,
                errors: Some(expected_errors),
            },
        ),
        // What a retrying wrapper needs: the headers of a 429 (Retry-After).
        (
            429,
            json!({ "error": "Too Many Requests" }),
            Some("7"),
            ErrorResponse {
                error: Some("Too Many Requests".into()),
                errors: None,
            },
        ),
    ] {
        let server = MockServer::start_async().await;
        get_session_answers(&server, |then| {
            let then = then.status(status).json_body(body);
            match retry_after {
                Some(seconds) => then.header("retry-after", seconds),
                None => then,
            }
        })
        .await;

        let error = get_session(&client(&server)).await.unwrap_err();
        let Error::ErrorResponse(response) = error else {
            panic!("{status}: expected ErrorResponse, got {error:?}");
        };
        assert_eq!(response.status().as_u16(), status);
        assert_eq!(
            response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap()),
            retry_after
        );
        assert_eq!(response.into_inner(), expected, "{status}");
    }
}

#[tokio::test]
async fn an_error_body_that_is_not_the_documented_json_is_kept_intact_with_its_status() {
    let html = "<html><head><title>500 Internal Server Error</title></head>\
                <body><h1>Internal Server Error</h1></body></html>";
    let long_list = json!({ "errors": vec![json!({ "message": "again" }); 51] }).to_string();
    for (what, status, content_type, body) in [
        ("an empty body", 404, None, String::new()),
        (
            "HTML",
            500,
            Some("text/html; charset=utf-8"),
            html.to_owned(),
        ),
        (
            "malformed JSON",
            422,
            Some("application/json"),
            r#"{"errors": [{"message": "Name must be present""#.to_owned(),
        ),
        // `error` must be a string.
        ("another shape", 401, None, r#"{"error":401}"#.to_owned()),
        // ErrorResponse has only optional fields, so these would decode into a value with
        // nothing in it and lose their text.
        (
            "neither error nor errors",
            403,
            None,
            r#"{"message":"Rate limit exceeded"}"#.to_owned(),
        ),
        (
            "null and empty",
            403,
            None,
            r#"{"error":null,"errors":[]}"#.to_owned(),
        ),
        ("a blank error", 403, None, r#"{"error":"  "}"#.to_owned()),
        // Decoded whole, the list could hold millions of entries.
        ("a list longer than MAX_API_ERRORS", 422, None, long_list),
        // Documented JSON, but a status the operation does not document.
        (
            "an undocumented status",
            503,
            None,
            r#"{"error":"Service Unavailable"}"#.to_owned(),
        ),
    ] {
        let server = MockServer::start_async().await;
        get_session_answers(&server, |then| {
            let then = then.status(status).body(&body).header("retry-after", "30");
            match content_type {
                Some(content_type) => then.header("content-type", content_type),
                None => then,
            }
        })
        .await;

        let error = get_session(&client(&server)).await.unwrap_err();
        let Error::UnexpectedResponse(response) = &error else {
            panic!("{what}: expected UnexpectedResponse, got {error:?}");
        };
        assert_eq!(
            response.headers().get("retry-after").unwrap(),
            "30",
            "{what}"
        );
        let (kept_status, kept_type, kept) = unexpected(error).await;
        assert_eq!(kept_status.as_u16(), status, "{what}");
        if content_type.is_some() {
            assert_eq!(kept_type.as_deref(), content_type, "{what}");
        }
        assert_eq!(kept, body, "{what}");
    }
}

/// A client whose response bodies are bounded by `limit` bytes.
fn bounded_client(server: &MockServer, limit: usize) -> Client {
    client_with(server, our_headers().max_response_bytes(limit))
}

#[tokio::test]
async fn an_oversized_error_body_is_cut_at_the_limit_and_never_decoded() {
    // Valid ErrorResponse JSON, padded past the limit: a cut body must not be decoded.
    let padding = " ".repeat(4096);
    let body = format!("{{\"error\": \"Internal Server Error\"{padding}}}");
    let server = MockServer::start_async().await;
    get_session_answers(&server, |then| then.status(500).body(&body)).await;

    let error = get_session(&bounded_client(&server, 1024))
        .await
        .unwrap_err();
    let (status, _, kept) = unexpected(error).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(kept, body[..1024]);
}

#[tokio::test]
async fn a_success_body_declared_over_the_limit_fails_with_body_too_large() {
    let server = MockServer::start_async().await;
    let body = serde_json::to_vec(&valid_session()).unwrap();
    let mock = get_session_answers(&server, |then| then.status(200).body(&body)).await;

    let error = get_session(&bounded_client(&server, body.len() - 1))
        .await
        .unwrap_err();
    let Error::ResponseBodyError(error) = error else {
        panic!("expected ResponseBodyError, got {error:?}");
    };
    let too_large = room_sessions_api::BodyTooLarge::find(&error).expect("a BodyTooLarge");
    assert_eq!(too_large.limit, body.len() - 1);
    assert_eq!(too_large.status, StatusCode::OK);
    assert_eq!(too_large.declared, Some(body.len() as u64));

    // At the limit exactly, it decodes.
    get_session(&bounded_client(&server, body.len()))
        .await
        .unwrap();
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn the_timeout_of_the_options_applies_to_any_reqwest_client() {
    let server = MockServer::start_async().await;
    get_session_answers(&server, |then| {
        then.status(200)
            .json_body(valid_session())
            .delay(Duration::from_secs(5))
    })
    .await;
    // A reqwest::Client without a timeout of its own.
    let client = Client::new_with_client(
        &server.url("/api/video"),
        reqwest::Client::new(),
        our_headers().timeout(Duration::from_millis(100)),
    );
    let started = Instant::now();
    let error = get_session(&client).await.unwrap_err();
    let Error::CommunicationError(error) = error else {
        panic!("expected CommunicationError, got {error:?}");
    };
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn success_with_a_valid_session_is_ok_with_its_headers() {
    let server = MockServer::start_async().await;
    get_session_answers(&server, |then| {
        then.status(200)
            .header("x-request-id", "abc")
            .json_body(valid_session())
    })
    .await;

    let response = client(&server)
        .get_room_session()
        .id(session_id())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get("x-request-id").unwrap(), "abc");
    let session = response.into_inner();
    assert_eq!(session.id, session_id());
    assert_eq!(session.sync_audio_video, Some(true));
}

#[tokio::test]
async fn success_with_malformed_json_is_invalid_response_payload_with_the_bytes() {
    let malformed = r#"{"id": "c22d24f6-5a47-4597-9a23-c7d01e696b92", "name": "#;
    let server = MockServer::start_async().await;
    get_session_answers(&server, |then| then.status(200).body(malformed)).await;

    let error = get_session(&client(&server)).await.unwrap_err();
    let Error::InvalidResponsePayload(bytes, json_error) = error else {
        panic!("expected InvalidResponsePayload, got {error:?}");
    };
    assert_eq!(bytes, malformed.as_bytes());
    assert!(json_error.is_eof(), "{json_error}");
}
