//! Every kind of failure ends as the right variant of `room_sessions::Error`, with a useful
//! message and no secret; retries happen where they should and stop where they must.
//!
//! The error bodies the spec documents are built from its types and served by typed mocks.
//! Everything else goes through the typed mock's `into_inner()`, or comes from a raw server:
//! bodies that are empty, not JSON, cut off or of another shape, statuses the spec does not
//! list, and the headers and sequences of responses that drive retries.

mod common;

use std::time::{Duration, Instant, SystemTime};

use common::*;
use room_sessions::api::types::{ApiError, ErrorResponse};
use room_sessions::{ClientBuilder, Error, RetryPolicy, StatusCode};
use room_sessions_httpmock::httpmock::{MockServer, Then};
use room_sessions_httpmock::operations::GetRoomSessionThen;
use room_sessions_httpmock::{MockServerExt, paging, values};
use serde_json::{Value, json};

/// A change to the test client's configuration.
type Configure = fn(ClientBuilder) -> ClientBuilder;
/// Whether an error is what the client must make of a response.
type Check = fn(&Error) -> bool;

/// The test client as it is.
fn defaults(builder: ClientBuilder) -> ClientBuilder {
    builder
}

/// Finds the session with a client `configure`d, against a server that answers every request
/// for it as `respond` says; expects `requests` requests in all. `what` names the case.
async fn find_with<T>(
    what: &str,
    configure: Configure,
    requests: usize,
    respond: impl FnOnce(GetRoomSessionThen) -> T,
) -> Error {
    let server = MockServer::start_async().await;
    let mock = server.get_room_session(|when, then| {
        when.id(&SESSION_ID);
        respond(then);
    });
    let client = configure(builder_at(&server.base_url())).build().unwrap();
    let error = client.room_session(SESSION_ID).await.expect_err(what);
    assert_eq!(mock.calls_async().await, requests, "{what}: requests sent");
    assert_error_has_no_secret(&error);
    error
}

/// A response, the requests the client sends for it (the first and its retries), and what the
/// client must make of it.
type Answer = (&'static str, fn(Then) -> Then, usize, Check);

/// Finds the session against a server that always gives each answer in turn, and checks what
/// became of it.
async fn check_answers(answers: &[Answer]) {
    for &(name, respond, requests, check) in answers {
        let error = find_with(name, defaults, requests, |then| respond(then.into_inner())).await;
        assert!(check(&error), "{name}: {error:?}");
    }
}

#[tokio::test]
async fn documented_error_statuses_map_to_their_variants() {
    type Respond = fn(GetRoomSessionThen) -> GetRoomSessionThen;
    // (the status, its answer, the requests sent, the variant, the message)
    let cases: [(&str, Respond, usize, Check, &str); 7] = [
        (
            "400",
            |then| then.bad_request(&values::bad_request()),
            1,
            |e| {
                matches!(e, Error::Validation { message: Some(m), errors, more_errors: 0, .. }
                    if m == "Bad Request" && errors.is_empty())
            },
            "request refused (HTTP 400): \"Bad Request\"",
        ),
        (
            "401",
            |then| then.unauthorized(&values::unauthorized()),
            1,
            |e| {
                e.is_auth()
                    && matches!(e, Error::Unauthorized { message: Some(m) } if m == "Unauthorized")
            },
            "unauthorized (HTTP 401): \"Unauthorized\"",
        ),
        (
            "403",
            |then| then.forbidden(&values::forbidden()),
            1,
            |e| matches!(e, Error::Forbidden { .. }),
            "forbidden (HTTP 403): \"Forbidden\"",
        ),
        (
            "404",
            |then| then.not_found(&values::not_found()),
            1,
            Error::is_not_found,
            "not found (HTTP 404): \"Not Found\"",
        ),
        (
            "422",
            |then| then.unprocessable_entity(&values::unprocessable_entity()),
            1,
            |e| matches!(e, Error::Validation { errors, .. } if errors.len() == 1),
            "request refused (HTTP 422): page_size: Page size must be between 1 and 1000 \
             (invalid_parameter)",
        ),
        // Retried: three attempts in all by default.
        (
            "429",
            |then| then.too_many_requests(&values::too_many_requests()),
            3,
            |e| {
                matches!(
                    e,
                    Error::RateLimited {
                        retry_after: None,
                        ..
                    }
                )
            },
            "rate limited (HTTP 429): \"Too Many Requests\"",
        ),
        (
            "500",
            |then| then.internal_server_error(&values::internal_server_error()),
            3,
            |e| matches!(e, Error::Server { .. }),
            "server error (HTTP 500): \"Internal Server Error\"",
        ),
    ];
    for (name, respond, requests, check, shown) in cases {
        let error = find_with(name, defaults, requests, respond).await;
        assert!(check(&error), "{name}: {error:?}");
        assert_eq!(error.status().unwrap().as_str(), name);
        assert_eq!(error.to_string(), shown, "{name}");
        assert_eq!(error.is_retryable(), requests > 1, "{name}");
    }
}

#[tokio::test]
async fn validation_errors_carry_the_apis_list() {
    let mut body = values::validation_error("name", "Name must be present");
    let errors = body.errors.as_mut().unwrap();
    errors.push(ApiError {
        message: "Page size is too large".to_owned(),
        attribute: None,
        url: None,
        ..errors[0].clone()
    });
    let error = find_with("422", defaults, 1, |then| then.unprocessable_entity(&body)).await;
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
    let error = find_with("401", defaults, 1, |then| then.unauthorized(&body)).await;
    assert!(
        matches!(&error, Error::Unauthorized { message: Some(m) } if m == "Token expired"),
        "{error:?}"
    );
}

/// Whether `error` kept [`UNDOCUMENTED`] as the server's message.
fn kept_the_body(error: &Error) -> bool {
    let message = match error {
        Error::RateLimited { message, .. }
        | Error::NotFound { message }
        | Error::Server { message, .. }
        | Error::Unauthorized { message } => message.as_deref(),
        _ => return false,
    };
    message == Some(UNDOCUMENTED) && error.to_string().contains("Rate limit exceeded")
}

/// JSON with neither `error` nor `errors`.
const UNDOCUMENTED: &str = r#"{"message":"Rate limit exceeded"}"#;

#[tokio::test]
async fn undocumented_statuses_and_bodies_keep_their_status_and_text() {
    check_answers(&[
        (
            "an empty 404",
            |then| then.status(404),
            1,
            |e| matches!(e, Error::NotFound { message: None }),
        ),
        (
            "an HTML 502",
            |then| {
                then.status(502)
                    .header("content-type", "text/html")
                    .body("<html><body><h1>502 Bad Gateway</h1></body></html>")
            },
            3,
            |e| {
                e.is_retryable()
                    && matches!(e, Error::Server { status, message: Some(m), .. }
                        if *status == StatusCode::BAD_GATEWAY && m.contains("502 Bad Gateway"))
            },
        ),
        (
            "JSON, but not the documented shape",
            |then| then.status(422).json_body(json!(["odd"])),
            1,
            |e| {
                matches!(e, Error::Validation { message: Some(m), errors, .. }
                    if m == "[\"odd\"]" && errors.is_empty())
            },
        ),
        (
            "a long body, cut",
            |then| then.status(500).body("x".repeat(100_000)),
            3,
            |e| matches!(e, Error::Server { message: Some(m), .. } if m.len() < 600),
        ),
        (
            "429 of another JSON",
            |then| then.status(429).body(UNDOCUMENTED),
            3,
            |e| e.status() == Some(StatusCode::TOO_MANY_REQUESTS) && kept_the_body(e),
        ),
        (
            "404 of another JSON",
            |then| then.status(404).body(UNDOCUMENTED),
            1,
            |e| e.status() == Some(StatusCode::NOT_FOUND) && kept_the_body(e),
        ),
        (
            "500 of another JSON",
            |then| then.status(500).body(UNDOCUMENTED),
            3,
            |e| e.status() == Some(StatusCode::INTERNAL_SERVER_ERROR) && kept_the_body(e),
        ),
        (
            "401 of another JSON",
            |then| then.status(401).body(UNDOCUMENTED),
            1,
            |e| e.status() == Some(StatusCode::UNAUTHORIZED) && kept_the_body(e),
        ),
        (
            "409",
            |then| then.status(409).json_body(json!({"error": "Conflict"})),
            1,
            |e| {
                !e.is_retryable()
                    && matches!(e, Error::UnexpectedStatus { status, message: Some(m), .. }
                        if *status == StatusCode::CONFLICT && m == "Conflict")
            },
        ),
        // Redirects are not followed: the credentials stay where they were sent.
        (
            "a redirect",
            |then| {
                then.status(302)
                    .header("location", "https://elsewhere.example/")
            },
            1,
            |e| e.status() == Some(StatusCode::FOUND),
        ),
        (
            "204",
            |then| then.status(204),
            1,
            |e| matches!(e, Error::Undecodable { status, .. } if *status == StatusCode::NO_CONTENT),
        ),
        (
            "408, retried",
            |then| then.status(408),
            3,
            Error::is_retryable,
        ),
        (
            "503",
            |then| {
                then.status(503)
                    .json_body(json!({"error": "Service Unavailable"}))
            },
            3,
            |e| e.status() == Some(StatusCode::SERVICE_UNAVAILABLE) && e.is_retryable(),
        ),
        // Retry-After above the cap (60 s by default): one attempt, the delay handed over.
        (
            "a Retry-After above the cap",
            |then| then.status(429).header("retry-after", "3600"),
            1,
            |e| {
                e.retry_after() == Some(Duration::from_secs(3600))
                    && e.to_string().contains("3600 s")
            },
        ),
    ])
    .await;
}

/// The session as JSON, with `field` set to `value`.
fn session_with(field: &str, value: Value) -> Value {
    let mut session = session_json(SESSION_ID);
    session[field] = value;
    session
}

#[tokio::test]
async fn a_success_that_does_not_decode_says_where_decoding_failed() {
    check_answers(&[
        (
            "malformed JSON",
            |then| {
                then.status(200)
                    .body(format!(r#"{{"id": "{SESSION_ID}", "name": }}"#))
            },
            1,
            |e| {
                matches!(e, Error::Undecodable {
                    status: StatusCode::OK, line: Some(1), column: Some(1..), excerpt, detail, ..
                } if excerpt.contains("\"name\": }") && detail.contains("not valid JSON"))
            },
        ),
        (
            "valid JSON of the wrong shape: the path is named",
            |then| {
                then.status(200)
                    .json_body(session_with("start_time", json!("yesterday")))
            },
            1,
            |e| {
                matches!(e, Error::Undecodable { path: Some(p), .. } if p == "start_time")
                    && e.to_string().contains("at `start_time`")
            },
        ),
        (
            "a required field that is null",
            |then| then.status(200).json_body(json!({"id": null})),
            1,
            |e| matches!(e, Error::Undecodable { path: Some(p), .. } if p == "id"),
        ),
        (
            "JSON that ends early in a complete HTTP message",
            |then| {
                then.status(200)
                    .body(format!(r#"{{"id": "{SESSION_ID}", "na"#))
            },
            1,
            |e| {
                matches!(e, Error::Undecodable { detail, .. }
                    if detail.contains("ends before the JSON does"))
            },
        ),
        // A captive portal, a wrong base URL.
        (
            "an HTML page with status 200",
            |then| {
                then.status(200)
                    .header("content-type", "text/html")
                    .body("<!doctype html><title>Login</title>")
            },
            1,
            |e| {
                matches!(e, Error::Undecodable { excerpt, .. }
                    if excerpt.starts_with("<!doctype html>"))
            },
        ),
    ])
    .await;

    // The right JSON with a wrong content type is accepted.
    let server = MockServer::start_async().await;
    let mock = server.get_room_session(|when, then| {
        when.id(&SESSION_ID);
        (then.ok(&values::session_current()).into_inner()).header("content-type", "text/plain");
    });
    client(&server).room_session(SESSION_ID).await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn a_list_item_that_does_not_decode_is_named_by_its_index() {
    let server = MockServer::start_async().await;
    let mut body =
        serde_json::to_value(paging::single_page("/room_sessions", sessions(0..3))).unwrap();
    let mut bad = session_json(numbered_id(3));
    bad["start_time"] = json!(12);
    body["data"].as_array_mut().unwrap().push(bad);
    let mock = server.list_room_sessions(|_, then| {
        then.into_inner().status(200).json_body(body);
    });
    let error = client(&server).room_sessions().send().await.unwrap_err();
    mock.assert_async().await;
    assert!(
        matches!(&error, Error::Undecodable { path: Some(p), .. } if p == "data[3].start_time"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_connection_that_closes_before_the_announced_length_is_retried() {
    let server = raw_server(RawReply::Bytes(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"id\": \"c22d24f6",
    ))
    .await;
    let client = builder_at(&server.base).build().unwrap();
    let error = client.room_session(SESSION_ID).await.unwrap_err();
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(server.connections(), 3, "retried");
    assert_error_has_no_secret(&error);
}

#[tokio::test]
async fn a_slow_server_times_out_and_the_timeout_is_retried() {
    let error = find_with(
        "slow",
        |builder| builder.timeout(Duration::from_millis(200)).max_attempts(2),
        2,
        |then| (then.ok(&values::session_current()).into_inner()).delay(Duration::from_secs(5)),
    )
    .await;
    assert!(error.is_timeout(), "{error:?}");
    assert!(error.is_retryable());
    assert!(
        error
            .to_string()
            .starts_with("request timed out (http://127.0.0.1:"),
        "{error}"
    );
}

#[tokio::test]
async fn a_refused_connection_is_a_connection_error() {
    let base = refusing_server().await;
    let client = builder_at(&base).build().unwrap();
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
    let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(60));
    // (the first answer's status and Retry-After, how long the client waits)
    let cases = [
        // The backoff alone is a few milliseconds: the wait is the server's second.
        (
            429,
            "1".to_owned(),
            Duration::from_millis(990)..Duration::from_secs(5),
        ),
        // A date in the past: retry at once (after the backoff).
        (503, past, Duration::ZERO..Duration::from_millis(900)),
    ];
    for (status, retry_after, wait) in cases {
        let server = MockServer::start_async().await;
        let refused = server.get_room_session(|when, then| {
            when.id(&SESSION_ID);
            (then.into_inner().status(status))
                .header("retry-after", &retry_after)
                .up_to_n_times(1);
        });
        let found = server.get_room_session(|when, then| {
            when.id(&SESSION_ID);
            then.ok(&values::session_current());
        });
        let started = Instant::now();

        client(&server).room_session(SESSION_ID).await.unwrap();

        let waited = started.elapsed();
        assert!(wait.contains(&waited), "{retry_after}: {waited:?}");
        refused.assert_async().await;
        found.assert_async().await;
    }

    // A date too far ahead: no retry, the caller learns how long to wait.
    let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    let error = find_with("an hour ahead", defaults, 1, |then| {
        then.into_inner().status(503).header("retry-after", later)
    })
    .await;
    let wait = error.retry_after().unwrap();
    assert!(wait > Duration::from_secs(3000), "{wait:?}");
}

#[tokio::test]
async fn retries_are_as_many_as_configured() {
    // (what, the client, the status it gets, the requests sent)
    let cases: [(&str, Configure, u16, usize); 2] = [
        ("more attempts", |builder| builder.max_attempts(5), 504, 5),
        (
            "none",
            |builder| builder.retry_policy(RetryPolicy::none()),
            429,
            1,
        ),
    ];
    for (name, configure, status, requests) in cases {
        let error = find_with(name, configure, requests, |then| {
            then.into_inner().status(status)
        })
        .await;
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{name}");
    }
}

#[tokio::test]
async fn credentials_echoed_by_the_server_are_scrubbed() {
    let credentials = format!("{}:{TOKEN} / {}", values::PROJECT_ID, basic_auth());
    let error = find_with("401", defaults, 1, |then| {
        then.unauthorized(&ErrorResponse {
            error: Some(format!("bad credentials {credentials}")),
            errors: None,
        })
    })
    .await;
    assert!(error.to_string().contains("***"), "{error}");

    let error = find_with("an undecodable 200", defaults, 1, |then| {
        (then.into_inner().status(200)).json_body(session_with("start_time", json!(TOKEN)))
    })
    .await;
    assert!(matches!(error, Error::Undecodable { .. }), "{error:?}");

    // Every form the credentials travel in, echoed in a message and in a body.
    for form in credential_forms() {
        let error = find_with(&form, defaults, 1, |then| {
            then.not_found(&ErrorResponse {
                error: Some(format!("<{form}>")),
                errors: None,
            })
        })
        .await;
        assert!(error.to_string().contains("<***>"), "{form}: {error}");
        let error = find_with(&form, defaults, 3, |then| {
            (then.into_inner().status(500)).body(format!("debug: token=[{form}]"))
        })
        .await;
        assert!(error.to_string().contains("token=[***]"), "{form}: {error}");
    }
}

#[tokio::test]
async fn a_list_fails_the_same_way() {
    let server = MockServer::start_async().await;
    let mock = server.list_room_session_members(|when, then| {
        when.id(&SESSION_ID);
        then.not_found(&values::not_found());
    });
    let error = client(&server)
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

    let error = find_with("endless 422", defaults, 1, |then| {
        then.into_inner().status(422).body(&body)
    })
    .await;

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
