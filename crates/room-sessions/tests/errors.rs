//! Every kind of failure ends as the right variant of `room_sessions::Error`, with a useful
//! message and no secret; retries happen where they should and stop where they must.

mod common;

use std::time::{Duration, Instant, SystemTime};

use common::*;
use room_sessions::{Error, RetryPolicy, StatusCode};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Finds the session against a server that always answers `response`, expecting `requests`
/// requests in all.
async fn find_with(response: ResponseTemplate, requests: u64) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(response)
        .expect(requests)
        .mount(&server)
        .await;
    let error = client(&server).room_session(SESSION_ID).await.unwrap_err();
    assert_error_has_no_secret(&error);
    error
}

fn json_error(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

#[tokio::test]
async fn documented_error_statuses_map_to_their_variants_without_retry() {
    let error = find_with(json_error(404, json!({"error": "Not Found"})), 1).await;
    assert!(error.is_not_found());
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(error.to_string(), "not found (HTTP 404): \"Not Found\"");

    let error = find_with(json_error(401, json!({"error": "Unauthorized"})), 1).await;
    assert!(matches!(&error, Error::Unauthorized { message: Some(m) } if m == "Unauthorized"));
    assert!(error.is_auth());
    assert_eq!(
        error.to_string(),
        "unauthorized (HTTP 401): \"Unauthorized\""
    );

    let error = find_with(json_error(403, json!({"error": "Forbidden"})), 1).await;
    assert!(matches!(error, Error::Forbidden { .. }), "{error:?}");
    assert_eq!(error.to_string(), "forbidden (HTTP 403): \"Forbidden\"");

    let error = find_with(json_error(400, json!({"error": "Bad Request"})), 1).await;
    assert!(
        matches!(&error, Error::Validation { status, message: Some(m), errors }
            if *status == StatusCode::BAD_REQUEST && m == "Bad Request" && errors.is_empty()),
        "{error:?}"
    );
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn validation_errors_carry_the_apis_list() {
    let body = json!({"errors": [
        {"type": "validation_error", "code": "invalid_parameter",
         "message": "Name must be present", "attribute": "name", "url": "https://developer.signalwire.com/rest/overview/error-codes/#invalid_parameter"},
        {"type": "validation_error", "code": "invalid_parameter",
         "message": "Page size is too large", "attribute": null}
    ]});
    let error = find_with(json_error(422, body), 1).await;
    let Error::Validation { status, errors, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].attribute.as_deref(), Some("name"));
    assert_eq!(errors[1].attribute, None);
    assert_eq!(error.api_errors().len(), 2);
    let message = error.to_string();
    assert!(
        message.contains("name: Name must be present (invalid_parameter)"),
        "{message}"
    );
    assert!(message.contains("Page size is too large"), "{message}");

    // The other shape on another status: the messages are joined.
    let error = find_with(
        json_error(401, json!({"errors": [{"message": "Token expired"}]})),
        1,
    )
    .await;
    assert!(
        matches!(&error, Error::Unauthorized { message: Some(m) } if m == "Token expired"),
        "{error:?}"
    );
}

#[tokio::test]
async fn empty_and_non_json_error_bodies_keep_their_status() {
    let error = find_with(ResponseTemplate::new(404), 1).await;
    assert!(
        matches!(error, Error::NotFound { message: None }),
        "{error:?}"
    );

    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let error = find_with(
        ResponseTemplate::new(502).set_body_raw(html, "text/html"),
        3,
    )
    .await;
    assert!(
        matches!(&error, Error::Server { status, message: Some(m), .. }
            if *status == StatusCode::BAD_GATEWAY && m.contains("502 Bad Gateway")),
        "{error:?}"
    );
    assert!(error.is_retryable());

    // JSON, but not the documented shape.
    let error = find_with(json_error(422, json!(["odd"])), 1).await;
    assert!(
        matches!(&error, Error::Validation { message: Some(m), errors, .. }
            if m == "[\"odd\"]" && errors.is_empty()),
        "{error:?}"
    );

    // A long body is cut.
    let error = find_with(
        ResponseTemplate::new(500).set_body_string("x".repeat(100_000)),
        3,
    )
    .await;
    let Error::Server {
        message: Some(m), ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert!(m.len() < 600, "{}", m.len());
}

#[tokio::test]
async fn a_json_error_without_error_or_errors_keeps_its_text() {
    let body = json!({"message": "Rate limit exceeded"});
    let text = body.to_string();
    for (status, requests) in [(429, 3), (404, 1), (500, 3), (401, 1)] {
        let error = find_with(json_error(status, body.clone()), requests).await;
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert!(
            error.to_string().contains("Rate limit exceeded"),
            "{status}: {error}"
        );
        let message = match &error {
            Error::RateLimited { message, .. }
            | Error::NotFound { message }
            | Error::Server { message, .. }
            | Error::Unauthorized { message } => message.as_deref(),
            other => panic!("{other:?}"),
        };
        assert_eq!(message, Some(text.as_str()));
    }
}

#[tokio::test]
async fn undocumented_statuses_are_unexpected_and_2xx_other_than_200_undecodable() {
    let error = find_with(json_error(409, json!({"error": "Conflict"})), 1).await;
    assert!(
        matches!(&error, Error::UnexpectedStatus { status, message: Some(m), .. }
            if *status == StatusCode::CONFLICT && m == "Conflict"),
        "{error:?}"
    );
    assert!(!error.is_retryable());

    // Redirects are not followed: the credentials stay where they were sent.
    let error = find_with(
        ResponseTemplate::new(302).insert_header("location", "https://elsewhere.example/"),
        1,
    )
    .await;
    assert_eq!(error.status(), Some(StatusCode::FOUND));

    let error = find_with(ResponseTemplate::new(204), 1).await;
    assert!(
        matches!(&error, Error::Undecodable { status, .. } if *status == StatusCode::NO_CONTENT),
        "{error:?}"
    );
    // 408 is retried.
    let error = find_with(ResponseTemplate::new(408), 3).await;
    assert!(error.is_retryable());
}

#[tokio::test]
async fn malformed_json_says_where_decoding_failed() {
    let error = find_with(
        ResponseTemplate::new(200).set_body_raw(
            r#"{"id": "c22d24f6-5a47-4597-9a23-c7d01e696b92", "name": }"#,
            "application/json",
        ),
        1,
    )
    .await;
    let Error::Undecodable {
        status,
        line,
        column,
        excerpt,
        detail,
        ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(*status, StatusCode::OK);
    assert_eq!(*line, Some(1));
    assert!(column.is_some_and(|c| c > 0));
    assert!(excerpt.contains("\"name\": }"), "{excerpt}");
    assert!(detail.contains("not valid JSON"), "{detail}");

    // Valid JSON of the wrong shape: the path is named.
    let mut session = session_json(SESSION_ID);
    session["start_time"] = json!("yesterday");
    let error = find_with(ResponseTemplate::new(200).set_body_json(session), 1).await;
    assert!(
        matches!(&error, Error::Undecodable { path: Some(p), .. } if p == "start_time"),
        "{error:?}"
    );
    assert!(error.to_string().contains("at `start_time`"), "{error}");

    // A required field that is null.
    let error = find_with(json_error(200, json!({"id": null})), 1).await;
    assert!(
        matches!(&error, Error::Undecodable { path: Some(p), .. } if p == "id"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_list_item_that_does_not_decode_is_named_by_its_index() {
    let server = MockServer::start().await;
    let mut bad = session_json(numbered_id(3));
    bad["start_time"] = json!(12);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(
            vec![
                session_json(numbered_id(0)),
                session_json(numbered_id(1)),
                session_json(numbered_id(2)),
                bad,
            ],
            "/api/video/room_sessions",
            None,
        )))
        .mount(&server)
        .await;
    let error = client(&server).room_sessions().send().await.unwrap_err();
    assert!(
        matches!(&error, Error::Undecodable { path: Some(p), .. } if p == "data[3].start_time"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_truncated_body_is_reported() {
    // The JSON ends early, the HTTP message is complete.
    let error = find_with(
        ResponseTemplate::new(200).set_body_raw(
            r#"{"id": "c22d24f6-5a47-4597-9a23-c7d01e696b92", "na"#,
            "application/json",
        ),
        1,
    )
    .await;
    assert!(
        matches!(&error, Error::Undecodable { detail, .. } if detail.contains("ends before the JSON does")),
        "{error:?}"
    );

    // The connection closes before the announced length: a transport failure, retried.
    let server = raw_server(RawReply::Bytes(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"id\": \"c22d24f6",
    ))
    .await;
    let client = builder_for(&server.base).build().unwrap();
    let error = client.room_session(SESSION_ID).await.unwrap_err();
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(server.connections(), 3, "retried");
    assert_error_has_no_secret(&error);
}

#[tokio::test]
async fn a_wrong_content_type_is_judged_by_the_body() {
    // An HTML page with status 200 (a captive portal, a wrong base URL).
    let error = find_with(
        ResponseTemplate::new(200).set_body_raw("<!doctype html><title>Login</title>", "text/html"),
        1,
    )
    .await;
    assert!(
        matches!(&error, Error::Undecodable { excerpt, .. } if excerpt.starts_with("<!doctype html>")),
        "{error:?}"
    );
    // The right JSON with a wrong content type is accepted.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(session_json(SESSION_ID).to_string(), "text/plain"),
        )
        .mount(&server)
        .await;
    client(&server).room_session(SESSION_ID).await.unwrap();
}

#[tokio::test]
async fn a_slow_server_times_out_and_the_timeout_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(session_json(SESSION_ID))
                .set_delay(Duration::from_secs(5)),
        )
        .expect(2)
        .mount(&server)
        .await;
    let client = builder_for(&server.uri())
        .timeout(Duration::from_millis(200))
        .max_attempts(2)
        .build()
        .unwrap();
    let error = client.room_session(SESSION_ID).await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(error.is_retryable());
    assert!(
        error
            .to_string()
            .starts_with("request timed out (http://127.0.0.1:"),
        "{error}"
    );
    assert_error_has_no_secret(&error);
}

#[tokio::test]
async fn a_refused_connection_is_a_connection_error() {
    let base = refusing_server().await;
    let client = builder_for(&base).build().unwrap();
    let error = client.room_session(SESSION_ID).await.unwrap_err();
    let Error::Connection { what, url, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*what, "could not connect");
    assert!(url.starts_with(&base), "{url}");
    assert!(error.is_retryable());
    assert!(error.status().is_none());
    assert_error_has_no_secret(&error);
}

#[tokio::test]
async fn retry_after_is_honoured_then_the_request_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(json!({"error": "Too Many Requests"})),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session_json(SESSION_ID)))
        .expect(1)
        .mount(&server)
        .await;
    let started = Instant::now();
    client(&server).room_session(SESSION_ID).await.unwrap();
    // The backoff alone is a few milliseconds: the wait is the server's second.
    assert!(started.elapsed() >= Duration::from_millis(990));
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_read() {
    let server = MockServer::start().await;
    // A date in the past: retry at once (after the backoff).
    let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(60));
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", past.as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session_json(SESSION_ID)))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).room_session(SESSION_ID).await.unwrap();

    // A date too far ahead: no retry, the caller learns how long to wait.
    let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    let error = find_with(
        ResponseTemplate::new(503).insert_header("retry-after", later.as_str()),
        1,
    )
    .await;
    let wait = error.retry_after().unwrap();
    assert!(wait > Duration::from_secs(3000), "{wait:?}");
}

#[tokio::test]
async fn retries_are_bounded_and_a_long_retry_after_is_not_waited_for() {
    // Default: 3 attempts in all.
    let error = find_with(json_error(503, json!({"error": "Service Unavailable"})), 3).await;
    assert!(
        matches!(&error, Error::Server { status, .. } if *status == StatusCode::SERVICE_UNAVAILABLE)
    );

    let error = find_with(
        json_error(500, json!({"error": "Internal Server Error"})),
        3,
    )
    .await;
    assert_eq!(
        error.to_string(),
        "server error (HTTP 500): \"Internal Server Error\""
    );

    // More attempts when configured; none when disabled.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(504))
        .expect(5)
        .mount(&server)
        .await;
    let client = builder_for(&server.uri()).max_attempts(5).build().unwrap();
    client.room_session(SESSION_ID).await.unwrap_err();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder_for(&server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.room_session(SESSION_ID).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::RateLimited {
                retry_after: None,
                ..
            }
        ),
        "{error:?}"
    );

    // Retry-After above the cap (60 s by default): one attempt, the delay handed over.
    let error = find_with(
        ResponseTemplate::new(429).insert_header("retry-after", "3600"),
        1,
    )
    .await;
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
    assert!(error.to_string().contains("3600 s"), "{error}");
}

#[tokio::test]
async fn credentials_echoed_by_the_server_are_scrubbed() {
    let echo = format!(
        "{{\"error\": \"bad credentials {PROJECT_ID}:{TOKEN} / {}\"}}",
        basic_auth()
    );
    let error = find_with(
        ResponseTemplate::new(401).set_body_raw(echo, "application/json"),
        1,
    )
    .await;
    assert!(error.to_string().contains("***"), "{error}");

    let error = find_with(
        ResponseTemplate::new(500).set_body_string(format!("debug: token={TOKEN}")),
        3,
    )
    .await;
    assert!(error.to_string().contains("token=***"), "{error}");

    let mut session = session_json(SESSION_ID);
    session["start_time"] = json!(TOKEN);
    let error = find_with(ResponseTemplate::new(200).set_body_json(session), 1).await;
    assert!(matches!(error, Error::Undecodable { .. }), "{error:?}");

    // Every form the credentials travel in, echoed in a message and in a body.
    for form in credential_forms() {
        let error = find_with(json_error(404, json!({ "error": format!("<{form}>") })), 1).await;
        assert!(error.to_string().contains("<***>"), "{form}: {error}");
        let error = find_with(
            ResponseTemplate::new(500).set_body_string(format!("seen [{form}]")),
            3,
        )
        .await;
        assert!(error.to_string().contains("[***]"), "{form}: {error}");
    }
}

#[tokio::test]
async fn a_list_fails_the_same_way() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path(&format!(
            "/room_sessions/{SESSION_ID}/members"
        ))))
        .respond_with(json_error(404, json!({"error": "Not Found"})))
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server)
        .room_session_members(SESSION_ID)
        .send()
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
}
