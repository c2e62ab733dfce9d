//! Whatever status and body the server sends, the client never panics: it gives a value or a
//! typed error that matches the status, with no secret in it, even when the body echoes the
//! credentials in any of the forms they travel in.

mod common;

use std::sync::{Mutex, OnceLock};

use common::*;
use proptest::prelude::*;
use room_sessions::{Client, Error, RetryPolicy, StatusCode};
use room_sessions_httpmock::httpmock::MockServer;
use serde_json::Value;
use tokio::runtime::Runtime;

/// One runtime, server and client for all cases (starting a server per case is slow).
fn fixture() -> &'static (Runtime, MockServer, Client) {
    static FIXTURE: OnceLock<(Runtime, MockServer, Client)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(MockServer::start_async());
        let client = builder_at(&server.base_url())
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        (runtime, server, client)
    })
}

/// Any JSON value, nested a few levels.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[a-z0-9:. -]{0,12}".prop_map(Value::String),
        Just(Value::String(SESSION_ID.to_string())),
        Just(Value::String("2022-01-01T10:00:00Z".to_owned())),
        echoed_secret().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("id".to_owned()),
                    Just("data".to_owned()),
                    Just("links".to_owned()),
                    Just("error".to_owned()),
                    Just("errors".to_owned()),
                    Just("message".to_owned()),
                    Just("status".to_owned()),
                    Just("fps".to_owned()),
                    Just("next".to_owned()),
                    "[a-z_]{1,8}",
                ],
                inner,
                0..5
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Text echoing one form of the credentials, with text around it.
fn echoed_secret() -> impl Strategy<Value = String> {
    (
        "[a-z ]{0,8}",
        prop::sample::select(credential_forms()),
        "[a-z ]{0,8}",
    )
        .prop_map(|(before, form, after)| format!("{before}{form}{after}"))
}

/// A body: JSON, a realistic session with one field replaced, arbitrary bytes, or text or
/// JSON echoing the credentials.
fn any_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        echoed_secret().prop_map(String::into_bytes),
        echoed_secret().prop_map(|echo| serde_json::json!({ "error": echo })
            .to_string()
            .into_bytes()),
        echoed_secret().prop_map(|echo| {
            serde_json::json!({ "errors": [{ "message": echo, "attribute": echo }] })
                .to_string()
                .into_bytes()
        }),
        any_json().prop_map(|v| v.to_string().into_bytes()),
        (
            prop::sample::select(vec![
                "id",
                "status",
                "fps",
                "quality",
                "layout",
                "duration",
                "start_time",
                "sync_audio_video",
                "room_id",
            ]),
            any_json()
        )
            .prop_map(|(key, value)| {
                let mut session = session_json(SESSION_ID);
                session[key] = value;
                session.to_string().into_bytes()
            }),
        prop::collection::vec(any::<u8>(), 0..64),
    ]
}

fn check(status: u16, body: Vec<u8>, content_type: &str, list: bool) {
    // The tests run in parallel but share the server: one case at a time.
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (runtime, server, client) = fixture();
    let result = runtime.block_on(async {
        server.reset_async().await;
        server
            .mock_async(|when, then| {
                when.any_request();
                then.status(status)
                    .header("content-type", content_type)
                    .body(body);
            })
            .await;
        if list {
            client.room_sessions().send().await.map(|_| ())
        } else {
            client.room_session(SESSION_ID).await.map(|_| ())
        }
    });
    let status = StatusCode::from_u16(status).unwrap();
    match result {
        Ok(()) => assert_eq!(status, StatusCode::OK),
        Err(error) => {
            assert_error_has_no_secret(&error);
            assert!(!error.to_string().is_empty());
            // Every error of a response names its status.
            assert_eq!(error.status(), Some(status), "{error:?}");
            if status == StatusCode::OK {
                assert!(matches!(error, Error::Undecodable { .. }), "{error:?}");
            }
            if status == StatusCode::NOT_FOUND {
                assert!(error.is_not_found());
            }
        }
    }
}

proptest! {
    // Failures are saved to, and replayed first from, properties.proptest-regressions beside
    // this file: commit it.
    #![proptest_config(ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_status_and_body_gives_a_value_or_a_typed_error(
        status in prop_oneof![Just(200u16), Just(404u16), Just(422u16), 200u16..600],
        body in any_body(),
        content_type in prop::sample::select(vec!["application/json", "text/html", "text/plain"]),
        list in any::<bool>(),
    ) {
        check(status, body, content_type, list);
    }

    #[test]
    fn any_body_of_a_success_decodes_or_is_undecodable(body in any_body(), list in any::<bool>()) {
        check(200, body, "application/json", list);
    }
}
