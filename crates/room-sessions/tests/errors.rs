//! Every kind of failure ends as the right variant of `room_sessions::Error`, with a useful
//! message and no secret; retries happen where they should and stop where they must.
//!
//! The error bodies the spec documents are built from its types and served by typed mocks.
//! Everything else is served by wiremock or a raw server: bodies that are empty, not JSON, cut
//! off or of another shape, statuses the spec does not list, and the headers and sequences
//! of responses that drive retries.

mod common;

use std::time::{Duration, Instant, SystemTime};

use common::*;
use room_sessions::api::types::{ApiError, ErrorResponse};
use room_sessions::{ClientBuilder, Error, RetryPolicy, StatusCode};
use room_sessions_httpmock::httpmock::MockServer as TypedServer;
use room_sessions_httpmock::operations::GetRoomSessionThen;
use room_sessions_httpmock::{MockServerExt, values};
use serde_json::json;
use wiremock::matchers::method;
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

/// Finds the session against a typed mock that answers with `respond`, expecting `requests`
/// requests in all; `what` names the case in a failure.
async fn find_typed(
    what: &str,
    respond: impl FnOnce(GetRoomSessionThen) -> GetRoomSessionThen,
    requests: usize,
) -> Error {
    let server = TypedServer::start_async().await;
    let mock = server.get_room_session(|when, then| {
        when.id(&SESSION_ID);
        respond(then);
    });
    let error = typed_client(&server)
        .room_session(SESSION_ID)
        .await
        .expect_err(what);
    assert_eq!(mock.calls_async().await, requests, "{what}: requests sent");
    assert_error_has_no_secret(&error);
    error
}

fn json_error(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

#[tokio::test]
async fn documented_error_statuses_map_to_their_variants_without_retry() {
    struct Case {
        status: StatusCode,
        respond: fn(GetRoomSessionThen) -> GetRoomSessionThen,
        check: fn(&Error) -> bool,
        shown: &'static str,
    }
    let cases = [
        Case {
            status: StatusCode::NOT_FOUND,
            respond: |then| then.not_found(&values::not_found()),
            check: |e| e.is_not_found(),
            shown: "not found (HTTP 404): \"Not Found\"",
        },
        Case {
            status: StatusCode::UNAUTHORIZED,
            respond: |then| then.unauthorized(&values::unauthorized()),
            check: |e| {
                e.is_auth()
                    && matches!(e, Error::Unauthorized { message: Some(m) } if m == "Unauthorized")
            },
            shown: "unauthorized (HTTP 401): \"Unauthorized\"",
        },
        Case {
            status: StatusCode::FORBIDDEN,
            respond: |then| then.forbidden(&values::forbidden()),
            check: |e| matches!(e, Error::Forbidden { .. }),
            shown: "forbidden (HTTP 403): \"Forbidden\"",
        },
        Case {
            status: StatusCode::BAD_REQUEST,
            respond: |then| then.bad_request(&values::bad_request()),
            check: |e| {
                matches!(e, Error::Validation { status, message: Some(m), errors, more_errors: 0 }
                    if *status == StatusCode::BAD_REQUEST && m == "Bad Request" && errors.is_empty())
            },
            shown: "request refused (HTTP 400): \"Bad Request\"",
        },
    ];
    for case in cases {
        let name = case.status.to_string();
        let error = find_typed(&name, case.respond, 1).await;
        assert!((case.check)(&error), "{name}: {error:?}");
        assert_eq!(error.status(), Some(case.status), "{name}");
        assert_eq!(error.to_string(), case.shown, "{name}");
        assert!(!error.is_retryable(), "{name}");
    }
}

#[tokio::test]
async fn validation_errors_carry_the_apis_list() {
    let body = ErrorResponse {
        error: None,
        errors: Some(vec![
            ApiError {
                type_: Some("validation_error".to_owned()),
                code: Some("invalid_parameter".to_owned()),
                message: "Name must be present".to_owned(),
                attribute: Some("name".to_owned()),
                url: Some(
                    "https://developer.signalwire.com/rest/overview/error-codes/#invalid_parameter"
                        .to_owned(),
                ),
            },
            ApiError {
                type_: Some("validation_error".to_owned()),
                code: Some("invalid_parameter".to_owned()),
                message: "Page size is too large".to_owned(),
                attribute: None,
                url: None,
            },
        ]),
    };
    let error = find_typed("422", |then| then.unprocessable_entity(&body), 1).await;
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
    let body = ErrorResponse {
        error: None,
        errors: Some(vec![ApiError {
            message: "Token expired".to_owned(),
            type_: None,
            code: None,
            attribute: None,
            url: None,
        }]),
    };
    let error = find_typed("401", |then| then.unauthorized(&body), 1).await;
    assert!(
        matches!(&error, Error::Unauthorized { message: Some(m) } if m == "Token expired"),
        "{error:?}"
    );
}

/// A response, the client that gets it, and what the client must make of it.
struct Answer {
    name: &'static str,
    response: ResponseTemplate,
    configure: fn(ClientBuilder) -> ClientBuilder,
    /// Requests sent in all: the first and its retries.
    requests: usize,
    check: fn(&Error) -> bool,
}

/// The test client as it is.
fn defaults(builder: ClientBuilder) -> ClientBuilder {
    builder
}

/// Finds the session against a server that always gives each answer in turn, and checks
/// what became of it.
async fn check_answers(answers: impl IntoIterator<Item = Answer>) {
    for answer in answers {
        let name = answer.name;
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(answer.response)
            .mount(&server)
            .await;
        let client = (answer.configure)(builder_for(&server.uri()))
            .build()
            .unwrap();

        let error = client.room_session(SESSION_ID).await.expect_err(name);

        assert!((answer.check)(&error), "{name}: {error:?}");
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            answer.requests,
            "{name}: requests sent"
        );
        assert_error_has_no_secret(&error);
    }
}

#[tokio::test]
async fn empty_and_non_json_error_bodies_keep_their_status() {
    check_answers([
        Answer {
            name: "an empty 404",
            response: ResponseTemplate::new(404),
            configure: defaults,
            requests: 1,
            check: |e| matches!(e, Error::NotFound { message: None }),
        },
        Answer {
            name: "an HTML 502",
            response: ResponseTemplate::new(502).set_body_raw(
                "<html><body><h1>502 Bad Gateway</h1></body></html>",
                "text/html",
            ),
            configure: defaults,
            requests: 3,
            check: |e| {
                e.is_retryable()
                    && matches!(e, Error::Server { status, message: Some(m), .. }
                        if *status == StatusCode::BAD_GATEWAY && m.contains("502 Bad Gateway"))
            },
        },
        Answer {
            name: "JSON, but not the documented shape",
            response: json_error(422, json!(["odd"])),
            configure: defaults,
            requests: 1,
            check: |e| {
                matches!(e, Error::Validation { message: Some(m), errors, .. }
                    if m == "[\"odd\"]" && errors.is_empty())
            },
        },
        Answer {
            name: "a long body, cut",
            response: ResponseTemplate::new(500).set_body_string("x".repeat(100_000)),
            configure: defaults,
            requests: 3,
            check: |e| matches!(e, Error::Server { message: Some(m), .. } if m.len() < 600),
        },
    ])
    .await;
}

#[tokio::test]
async fn a_json_error_without_error_or_errors_keeps_its_text() {
    const BODY: &str = r#"{"message":"Rate limit exceeded"}"#;
    fn kept(error: &Error) -> bool {
        let message = match error {
            Error::RateLimited { message, .. }
            | Error::NotFound { message }
            | Error::Server { message, .. }
            | Error::Unauthorized { message } => message.as_deref(),
            _ => return false,
        };
        message == Some(BODY) && error.to_string().contains("Rate limit exceeded")
    }
    let json = |status| ResponseTemplate::new(status).set_body_raw(BODY, "application/json");
    check_answers([
        Answer {
            name: "429",
            response: json(429),
            configure: defaults,
            requests: 3,
            check: |e| e.status() == Some(StatusCode::TOO_MANY_REQUESTS) && kept(e),
        },
        Answer {
            name: "404",
            response: json(404),
            configure: defaults,
            requests: 1,
            check: |e| e.status() == Some(StatusCode::NOT_FOUND) && kept(e),
        },
        Answer {
            name: "500",
            response: json(500),
            configure: defaults,
            requests: 3,
            check: |e| e.status() == Some(StatusCode::INTERNAL_SERVER_ERROR) && kept(e),
        },
        Answer {
            name: "401",
            response: json(401),
            configure: defaults,
            requests: 1,
            check: |e| e.status() == Some(StatusCode::UNAUTHORIZED) && kept(e),
        },
    ])
    .await;
}

#[tokio::test]
async fn undocumented_statuses_are_unexpected_and_2xx_other_than_200_undecodable() {
    check_answers([
        Answer {
            name: "409",
            response: json_error(409, json!({"error": "Conflict"})),
            configure: defaults,
            requests: 1,
            check: |e| {
                !e.is_retryable()
                    && matches!(e, Error::UnexpectedStatus { status, message: Some(m), .. }
                        if *status == StatusCode::CONFLICT && m == "Conflict")
            },
        },
        // Redirects are not followed: the credentials stay where they were sent.
        Answer {
            name: "a redirect",
            response: ResponseTemplate::new(302)
                .insert_header("location", "https://elsewhere.example/"),
            configure: defaults,
            requests: 1,
            check: |e| e.status() == Some(StatusCode::FOUND),
        },
        Answer {
            name: "204",
            response: ResponseTemplate::new(204),
            configure: defaults,
            requests: 1,
            check: |e| {
                matches!(e, Error::Undecodable { status, .. } if *status == StatusCode::NO_CONTENT)
            },
        },
        Answer {
            name: "408, retried",
            response: ResponseTemplate::new(408),
            configure: defaults,
            requests: 3,
            check: Error::is_retryable,
        },
    ])
    .await;
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
    let mut body =
        serde_json::to_value(page(sessions(0..3), "/api/video/room_sessions", None)).unwrap();
    body["data"].as_array_mut().unwrap().push(bad);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
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
        .expect(1)
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
                .set_body_json(values::session_current())
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
                .set_body_json(values::too_many_requests()),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(values::session_current()))
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
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(values::session_current()))
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
    check_answers([
        Answer {
            name: "a 503, three attempts by default",
            response: json_error(503, json!({"error": "Service Unavailable"})),
            configure: defaults,
            requests: 3,
            check: |e| matches!(e, Error::Server { status, .. } if *status == StatusCode::SERVICE_UNAVAILABLE),
        },
        Answer {
            name: "a 500, three attempts by default",
            response: json_error(500, json!({"error": "Internal Server Error"})),
            configure: defaults,
            requests: 3,
            check: |e| e.to_string() == "server error (HTTP 500): \"Internal Server Error\"",
        },
        Answer {
            name: "more attempts when configured",
            response: ResponseTemplate::new(504),
            configure: |builder| builder.max_attempts(5),
            requests: 5,
            check: |e| e.status() == Some(StatusCode::GATEWAY_TIMEOUT),
        },
        Answer {
            name: "none when disabled",
            response: ResponseTemplate::new(429),
            configure: |builder| builder.retry_policy(RetryPolicy::none()),
            requests: 1,
            check: |e| {
                matches!(
                    e,
                    Error::RateLimited {
                        retry_after: None,
                        ..
                    }
                )
            },
        },
        // Retry-After above the cap (60 s by default): one attempt, the delay handed over.
        Answer {
            name: "a Retry-After above the cap",
            response: ResponseTemplate::new(429).insert_header("retry-after", "3600"),
            configure: defaults,
            requests: 1,
            check: |e| {
                e.retry_after() == Some(Duration::from_secs(3600))
                    && e.to_string().contains("3600 s")
            },
        },
    ])
    .await;
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
    let server = TypedServer::start_async().await;
    let mock = server.list_room_session_members(|when, then| {
        when.id(&SESSION_ID);
        then.not_found(&values::not_found());
    });
    let error = typed_client(&server)
        .room_session_members(SESSION_ID)
        .send()
        .await
        .unwrap_err();
    mock.assert_async().await;
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(error.to_string(), "not found (HTTP 404): \"Not Found\"");
}

#[tokio::test]
async fn a_list_of_errors_without_end_keeps_its_first_entries_and_counts_the_rest() {
    const LISTED: usize = 200_000;
    let entry = r#"{"attribute":"page_size","message":"Page size is too large"}"#;
    let body = format!(r#"{{"errors":[{}]}}"#, vec![entry; LISTED].join(","));
    let server = TypedServer::start_async().await;
    server
        .mock_async(|_, then| {
            then.status(422).body(&body);
        })
        .await;

    let error = typed_client(&server)
        .room_session(SESSION_ID)
        .await
        .unwrap_err();

    let Error::Validation {
        errors,
        more_errors,
        ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(errors.len(), room_sessions::api::MAX_API_ERRORS);
    assert_eq!(*more_errors, LISTED - errors.len());
    let message = error.to_string();
    assert!(message.len() < 4096, "a message of {} bytes", message.len());
    let shown = message.matches("Page size is too large").count();
    assert!(
        message.ends_with(&format!("; and {} more", LISTED - shown)),
        "{message}"
    );
}
