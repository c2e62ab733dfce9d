//! The token shows nowhere: not in `Debug` of the client or its builder, not in any error, not
//! in the tracing output of successful, failed and retried requests.
//!
//! wiremock serves the responses: a body that echoes the token is raw text no type holds.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use futures::TryStreamExt;
use room_sessions_httpmock::values;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A writer into a shared buffer, for the fmt subscriber.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn debug_of_the_builder_and_the_client_hides_the_token() {
    let builder = builder_for("http://127.0.0.1:1");
    assert_no_secret(&format!("{builder:?}"));
    assert_no_secret(&format!("{builder:#?}"));
    let client = builder.build().unwrap();
    assert_no_secret(&format!("{client:?}"));
    assert_no_secret(&format!("{client:#?}"));
    // Nor the generated client underneath, which holds the header.
    assert_no_secret(&format!("{:?}", client.api()));
}

// A current-thread runtime: the subscriber set for this thread sees every task of the test.
#[tokio::test]
async fn tracing_output_has_spans_with_the_details_and_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string(format!("echo {TOKEN}")))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(values::session_current()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(values::unauthorized()))
        .mount(&server)
        .await;
    let client = client(&server);
    client.room_session(SESSION_ID).await.unwrap();
    let error = client
        .room_sessions()
        .stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(error.is_auth());

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert_no_secret(&output);
    assert!(output.contains("room_sessions.request"), "{output}");
    // OpenTelemetry's HTTP client conventions, one span per attempt.
    for field in [
        "otel.name=\"get_room_session\"",
        "otel.name=\"list_room_sessions\"",
        "otel.kind=\"client\"",
        "http.request.method=\"GET\"",
        "server.address=\"127.0.0.1\"",
        "server.port=",
        &format!("url.path=\"/api/video/room_sessions/{SESSION_ID}\""),
        "url.path=\"/api/video/room_sessions\"",
        "http.request.resend_count=1",
        "http.response.status_code=503 error.type=\"503\"",
        "http.response.status_code=200",
        "http.response.status_code=401 error.type=\"401\"",
        "otel.status_code=\"ERROR\"",
    ] {
        assert!(output.contains(field), "{field}: {output}");
    }
    assert!(output.contains("retrying"), "{output}");
}

/// A page whose `next` link carries the credentials in the places server text reaches an
/// error or a log line: an unknown parameter's name (logged) and a malformed page number
/// (the refusal's reason).
#[tokio::test]
async fn server_text_in_links_reaches_no_log_and_no_error_with_a_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    for form in credential_forms() {
        let server = MockServer::start().await;
        let next = format!(
            "/api/video/room_sessions?{form}=1&page_number={form}&page_token=PA1",
            form = percent_encoding::utf8_percent_encode(&form, percent_encoding::NON_ALPHANUMERIC)
        );
        mount_page(&server, "/room_sessions", 0, sessions(0..1), Some(&next)).await;
        let error = client(&server)
            .room_sessions()
            .stream()
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        let room_sessions::Error::RefusedLink { reason, .. } = &error else {
            panic!("{error:?}");
        };
        assert!(
            matches!(reason, room_sessions::LinkRefusal::Malformed(why) if why.contains("***")),
            "{form}: {reason:?}"
        );
        assert_error_has_no_secret(&error);
    }
    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(output.contains("ignoring an unknown parameter"), "{output}");
    assert_no_secret(&output);
}
