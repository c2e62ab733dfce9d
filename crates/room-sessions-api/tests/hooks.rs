//! The hand-written request hooks (src/hooks.rs) against a local HTTP server (wiremock on
//! 127.0.0.1): headers and a timeout set on every request, response bodies bounded, and error
//! responses kept with their status and body whether or not the body is the documented JSON.

use std::str::FromStr;

use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use room_sessions_api::types::ErrorResponse;
use room_sessions_api::{Client, ClientOptions, Error};
use serde_json::json;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

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

fn client(server: &MockServer) -> Client {
    Client::new(&format!("{}/api/video", server.uri()), our_headers())
}

/// A mock that answers `GET /api/video/room_sessions/{id}` with `response`.
async fn get_session_answers(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(session_path()))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

async fn get_session(client: &Client) -> Result<(), Error<ErrorResponse>> {
    client
        .get_room_session()
        .id(session_id())
        .send()
        .await
        .map(|_| ())
}

/// The status, a header and the body of an `UnexpectedResponse`, read in full.
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
    let server = MockServer::start().await;
    let base = format!("/api/video/room_sessions/{SESSION_ID}");
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
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
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
    let client = Client::new_with_client(
        &format!("{}/api/video", server.uri()),
        reqwest_client,
        our_headers(),
    );

    client.list_room_sessions().send().await.unwrap();
    client
        .get_room_session()
        .id(session_id())
        .send()
        .await
        .unwrap();
    client
        .list_room_session_members()
        .id(session_id())
        .send()
        .await
        .unwrap();
    client
        .list_room_session_events()
        .id(session_id())
        .send()
        .await
        .unwrap();
    client
        .list_room_session_recordings()
        .id(session_id())
        .send()
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 5);
    for request in &requests {
        let auth: Vec<_> = request.headers.get_all(AUTHORIZATION).iter().collect();
        assert_eq!(auth, [OUR_AUTH], "{} {}", request.method, request.url);
        assert_eq!(
            request.headers.get("x-test-client").unwrap(),
            "room-sessions-api-tests"
        );
        // The caller's other defaults still go out, and so does the generated api-version.
        assert_eq!(request.headers.get("x-caller").unwrap(), "kept");
        assert_eq!(request.headers.get("api-version").unwrap(), "1.0.0");
    }
}

#[tokio::test]
async fn documented_error_with_the_documented_body_is_a_typed_error_response() {
    let server = MockServer::start().await;
    get_session_answers(
        &server,
        ResponseTemplate::new(404).set_body_json(json!({ "error": "Not Found" })),
    )
    .await;

    let error = get_session(&client(&server)).await.unwrap_err();
    let Error::ErrorResponse(response) = error else {
        panic!("expected ErrorResponse, got {error:?}");
    };
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        response.into_inner(),
        ErrorResponse {
            error: Some("Not Found".into()),
            errors: None,
        }
    );
}

#[tokio::test]
async fn validation_error_list_is_a_typed_error_response_with_its_entries() {
    let server = MockServer::start().await;
    get_session_answers(
        &server,
        ResponseTemplate::new(422).set_body_json(json!({ "errors": [
            { "type": "validation_error", "code": "invalid_parameter",
              "message": "Name must be present", "attribute": null },
            { "message": "Page size must be between 1 and 1000" },
        ]})),
    )
    .await;

    let error = get_session(&client(&server)).await.unwrap_err();
    let Error::ErrorResponse(response) = error else {
        panic!("expected ErrorResponse, got {error:?}");
    };
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let errors = response.into_inner().errors.unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].attribute, None);
    assert_eq!(errors[1].message, "Page size must be between 1 and 1000");
}

#[tokio::test]
async fn typed_error_response_keeps_its_headers() {
    // What a retrying wrapper needs: the headers of a 429 (Retry-After).
    let server = MockServer::start().await;
    get_session_answers(
        &server,
        ResponseTemplate::new(429)
            .insert_header("retry-after", "7")
            .set_body_json(json!({ "error": "Too Many Requests" })),
    )
    .await;

    let error = get_session(&client(&server)).await.unwrap_err();
    assert!(error.is_retryable());
    let Error::ErrorResponse(response) = error else {
        panic!("expected ErrorResponse, got {error:?}");
    };
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers().get("retry-after").unwrap(), "7");
}

#[tokio::test]
async fn documented_error_with_an_empty_body_is_unexpected_response_with_status_kept() {
    let server = MockServer::start().await;
    get_session_answers(&server, ResponseTemplate::new(404)).await;

    let error = get_session(&client(&server)).await.unwrap_err();
    let (status, _, body) = unexpected(error).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, "");
}

#[tokio::test]
async fn documented_error_with_an_html_body_is_unexpected_response_with_body_intact() {
    let html = "<html><head><title>500 Internal Server Error</title></head>\
                <body><h1>Internal Server Error</h1></body></html>";
    let server = MockServer::start().await;
    get_session_answers(
        &server,
        ResponseTemplate::new(500).set_body_raw(html, "text/html; charset=utf-8"),
    )
    .await;

    let error = get_session(&client(&server)).await.unwrap_err();
    let (status, content_type, body) = unexpected(error).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert_eq!(body, html);
}

/// A client whose response bodies are bounded by `limit` bytes.
fn bounded_client(server: &MockServer, limit: usize) -> Client {
    Client::new(
        &format!("{}/api/video", server.uri()),
        our_headers().max_response_bytes(limit),
    )
}

#[tokio::test]
async fn an_oversized_error_body_is_cut_at_the_limit_and_never_decoded() {
    // Valid ErrorResponse JSON, padded past the limit: a cut body must not be decoded.
    let padding = " ".repeat(4096);
    let body = format!("{{\"error\": \"Internal Server Error\"{padding}}}");
    let server = MockServer::start().await;
    get_session_answers(
        &server,
        ResponseTemplate::new(500).set_body_raw(body.clone(), "application/json"),
    )
    .await;

    let error = get_session(&bounded_client(&server, 1024))
        .await
        .unwrap_err();
    let (status, _, kept) = unexpected(error).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(kept, body[..1024]);
}

#[tokio::test]
async fn a_success_body_declared_over_the_limit_fails_with_body_too_large() {
    let server = MockServer::start().await;
    let body = serde_json::to_vec(&valid_session()).unwrap();
    Mock::given(method("GET"))
        .and(path(session_path()))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
        .expect(2)
        .mount(&server)
        .await;

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
    bounded_client(&server, body.len())
        .get_room_session()
        .id(session_id())
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn the_timeout_of_the_options_applies_to_any_reqwest_client() {
    let server = MockServer::start().await;
    get_session_answers(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(valid_session())
            .set_delay(std::time::Duration::from_secs(5)),
    )
    .await;
    // A reqwest::Client without a timeout of its own.
    let client = Client::new_with_client(
        &format!("{}/api/video", server.uri()),
        reqwest::Client::new(),
        our_headers().timeout(std::time::Duration::from_millis(100)),
    );
    let started = std::time::Instant::now();
    let error = get_session(&client).await.unwrap_err();
    let Error::CommunicationError(error) = error else {
        panic!("expected CommunicationError, got {error:?}");
    };
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(4));
}

#[tokio::test]
async fn documented_error_with_malformed_json_is_unexpected_response_with_body_intact() {
    let malformed = r#"{"errors": [{"message": "Name must be present""#;
    let server = MockServer::start().await;
    get_session_answers(
        &server,
        ResponseTemplate::new(422).set_body_raw(malformed, "application/json"),
    )
    .await;

    let error = get_session(&client(&server)).await.unwrap_err();
    let (status, content_type, body) = unexpected(error).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(content_type.as_deref(), Some("application/json"));
    assert_eq!(body, malformed);
}

#[tokio::test]
async fn documented_error_with_json_of_another_shape_is_unexpected_response() {
    // `error` must be a string: a number is not the documented body.
    let server = MockServer::start().await;
    get_session_answers(
        &server,
        ResponseTemplate::new(401).set_body_json(json!({ "error": 401 })),
    )
    .await;

    let error = get_session(&client(&server)).await.unwrap_err();
    let (status, _, body) = unexpected(error).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, r#"{"error":401}"#);
}

#[tokio::test]
async fn json_with_neither_error_nor_errors_is_unexpected_response_with_body_intact() {
    // ErrorResponse has only optional fields, so `{"message": ..}` would decode into a value
    // with nothing in it and lose its text: it is kept as bytes instead.
    let server = MockServer::start().await;
    for body in [
        json!({ "message": "Rate limit exceeded" }),
        json!({ "error": null, "errors": [] }),
        json!({ "error": "  " }),
    ] {
        server.reset().await;
        get_session_answers(&server, ResponseTemplate::new(403).set_body_json(&body)).await;
        let error = get_session(&client(&server)).await.unwrap_err();
        let (status, _, kept) = unexpected(error).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(kept, body.to_string());
    }
}

#[tokio::test]
async fn undocumented_status_is_unexpected_response_with_body_intact() {
    let server = MockServer::start().await;
    get_session_answers(
        &server,
        ResponseTemplate::new(503)
            .insert_header("retry-after", "30")
            .set_body_json(json!({ "error": "Service Unavailable" })),
    )
    .await;

    let error = get_session(&client(&server)).await.unwrap_err();
    assert!(error.is_retryable());
    let Error::UnexpectedResponse(response) = error else {
        panic!("expected UnexpectedResponse, got {error:?}");
    };
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers().get("retry-after").unwrap(), "30");
    assert_eq!(
        response.text().await.unwrap(),
        r#"{"error":"Service Unavailable"}"#
    );
}

#[tokio::test]
async fn success_with_a_valid_session_is_ok() {
    let server = MockServer::start().await;
    get_session_answers(
        &server,
        ResponseTemplate::new(200)
            .insert_header("x-request-id", "abc")
            .set_body_json(valid_session()),
    )
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
    let server = MockServer::start().await;
    get_session_answers(
        &server,
        ResponseTemplate::new(200).set_body_raw(malformed, "application/json"),
    )
    .await;

    let error = get_session(&client(&server)).await.unwrap_err();
    let Error::InvalidResponsePayload(bytes, json_error) = error else {
        panic!("expected InvalidResponsePayload, got {error:?}");
    };
    assert_eq!(bytes, malformed.as_bytes());
    assert!(json_error.is_eof(), "{json_error}");
}

#[tokio::test]
async fn no_request_headers_means_no_authorization_is_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(valid_session()))
        .expect(1)
        .mount(&server)
        .await;

    Client::new(
        &format!("{}/api/video", server.uri()),
        ClientOptions::default(),
    )
    .get_room_session()
    .id(session_id())
    .send()
    .await
    .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].headers.get(AUTHORIZATION).is_none());
}
