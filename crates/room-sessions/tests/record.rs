//! Recording: every exchange the client makes, retries included, one line of JSON each as it
//! completes, and never a credential, wherever the server echoes it.

mod common;

use common::*;
use proptest::prelude::*;
use room_sessions::RetryPolicy;
use room_sessions_httpmock::httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use room_sessions_httpmock::{MockServerExt, paging, values};
use serde_json::Value;

/// The lines of a recording, decoded.
fn lines(recorded: &Captured) -> Vec<Value> {
    let text = recorded.text();
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[tokio::test]
async fn every_exchange_is_a_line_retries_included() {
    let server = MockServer::start_async().await;
    server.get_room_session(|when, then| {
        when.id(&SESSION_ID);
        then.into_inner()
            .status(503)
            .header("retry-after", "0")
            .up_to_n_times(1);
    });
    server.get_room_session(|when, then| {
        when.id(&SESSION_ID);
        then.ok(&values::session_current());
    });
    let pages = paging::mount_room_sessions(&server, &sessions(0..3), 2);
    let recorded = Captured::default();
    let client = builder_at(&server.base_url())
        .record_to(recorded.clone())
        .build()
        .unwrap();

    client.room_session(SESSION_ID).await.unwrap();
    let listed = client.room_sessions().stream();
    assert_eq!(
        futures::TryStreamExt::try_collect::<Vec<_>>(listed)
            .await
            .unwrap()
            .len(),
        3
    );

    pages.assert_each_fetched_once_async().await;
    let lines = lines(&recorded);
    let statuses: Vec<_> = lines
        .iter()
        .map(|l| l["response"]["status"].clone())
        .collect();
    assert_eq!(statuses, [503, 200, 200, 200]);
    let base = server.base_url();
    let urls: Vec<_> = lines
        .iter()
        .map(|l| l["request"]["url"].as_str().unwrap())
        .collect();
    assert_eq!(urls[0], format!("{base}/room_sessions/{SESSION_ID}"));
    assert_eq!(urls[0], urls[1], "the retry is recorded as sent");
    assert!(urls[3].contains("page_number=1"), "{}", urls[3]);
    for line in &lines {
        assert_eq!(line["request"]["method"], "GET");
        assert!(
            line["request"]["headers"].get("authorization").is_none(),
            "{line}"
        );
        assert!(line["startedAt"].as_str().unwrap().ends_with('Z'), "{line}");
    }
    let body: Value = serde_json::from_str(lines[1]["response"]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["id"], SESSION_ID.to_string());
}

#[tokio::test]
async fn a_file_is_appended_to_as_each_exchange_completes() {
    let server = MockServer::start_async().await;
    server.get_room_session(|when, then| {
        when.id(&SESSION_ID);
        then.ok(&values::session_current());
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("traffic.ndjson");
    std::fs::write(&path, "{\"earlier\":true}\n").unwrap();
    let client = builder_at(&server.base_url())
        .record(&path)
        .build()
        .unwrap();

    for expected_lines in [2, 3] {
        client.room_session(SESSION_ID).await.unwrap();
        // On disk already, with the client still alive.
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), expected_lines, "{text}");
        assert!(text.starts_with("{\"earlier\":true}\n"));
    }

    let missing = builder_at(&server.base_url())
        .record(dir.path().join("no/such/dir/traffic.ndjson"))
        .build()
        .unwrap_err();
    assert!(
        missing.to_string().contains("cannot open the recording"),
        "{missing}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The token echoed by the server in the request's URL (a filter), a response header and
    /// the body, in the forms it travels in: the recording holds none of it.
    #[test]
    fn no_credential_form_reaches_a_recording(
        token in r#"PT[A-Za-z0-9]{6,10}([-+/~"\\ ][A-Za-z0-9]{5,8}){1,3}"#,
        form in 0usize..6,
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let server = MockServer::start_async().await;
            let echo_token = token.clone();
            server.mock_async(|_, then| {
                then.respond_with(move |request: &HttpMockRequest| {
                    let auth = request.headers().get("authorization").unwrap().to_str().unwrap().to_owned();
                    let base64 = auth.trim_start_matches("Basic ").to_owned();
                    let echoed = [echo_token.clone(), format!("{}:{echo_token}", values::PROJECT_ID), base64.clone(), auth.clone(),
                        percent_encoding::utf8_percent_encode(&echo_token, percent_encoding::NON_ALPHANUMERIC).to_string(),
                        serde_json::to_string(&echo_token).unwrap()][form].clone();
                    HttpMockResponse::builder()
                        .status(401)
                        .header("x-echo", echoed.replace(['\r', '\n'], " "))
                        .header("www-authenticate", format!("Basic realm={echoed:?}"))
                        .body(format!("{{\"error\":{}}}", serde_json::to_string(&format!("bad {echoed} for {}", request.uri())).unwrap()))
                        .build()
                });
            }).await;
            let recorded = Captured::default();
            let client = builder_at(&server.base_url())
                .api_token(token.clone())
                .retry_policy(RetryPolicy::none())
                .record_to(recorded.clone())
                .build()
                .unwrap();

            let listed = client.room_sessions().room_name(token.clone()).send().await;

            prop_assert!(listed.is_err());
            let recording = recorded.text();
            prop_assert!(recording.contains("***"), "{}", recording);
            assert_no_part_of(&token, &recording);
            let basic = base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                format!("{}:{token}", values::PROJECT_ID),
            );
            prop_assert!(!recording.contains(&basic), "{}", recording);
            Ok(())
        })?;
    }
}
