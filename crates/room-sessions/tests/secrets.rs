//! The token shows nowhere: not in `Debug` of the client or its builder, not in any error, not
//! in the tracing output of successful, failed and retried requests.
//!
//! Plain httpmock mocks serve a body that echoes the token (raw text no type holds); typed
//! mocks serve the rest.

mod common;

use common::*;
use futures::TryStreamExt;
use room_sessions::api::types::{PageLinks, RoomSessionList};
use room_sessions_httpmock::httpmock::MockServer;
use room_sessions_httpmock::{MockServerExt, paging, values};

/// Captures every event and closed span of this thread (of every task of a current-thread
/// runtime) until the guard is dropped.
fn capture_logs() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

#[test]
fn debug_of_the_builder_and_the_client_hides_the_token() {
    let builder = builder_at("http://127.0.0.1:1");
    assert_no_secret(&format!("{builder:?}"));
    assert_no_secret(&format!("{builder:#?}"));
    let client = builder.build().unwrap();
    assert_no_secret(&format!("{client:?}"));
    assert_no_secret(&format!("{client:#?}"));
    // Nor the generated client underneath, which holds the header.
    assert_no_secret(&format!("{:?}", client.api()));
}

#[tokio::test]
async fn tracing_output_has_spans_with_the_details_and_no_secret() {
    let (captured, _guard) = capture_logs();

    // Under a base URL with a path, which `url.path` must show: plain mocks, as the typed ones
    // match from the server's root.
    let server = MockServer::start_async().await;
    let session = format!("/api/video/room_sessions/{SESSION_ID}");
    server.mock(|when, then| {
        when.path(&session);
        then.status(503)
            .body(format!("echo {TOKEN}"))
            .up_to_n_times(1);
    });
    server.mock(|when, then| {
        when.path(&session);
        then.status(200).json_body_obj(&values::session_current());
    });
    server.mock(|when, then| {
        when.path("/api/video/room_sessions");
        then.status(401).json_body_obj(&values::unauthorized());
    });
    let client = builder_at(&server.url("/api/video")).build().unwrap();
    client.room_session(SESSION_ID).await.unwrap();
    let error = client
        .room_sessions()
        .stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(error.is_auth());

    let output = captured.text();
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
    let (captured, _guard) = capture_logs();

    for form in credential_forms() {
        let server = MockServer::start_async().await;
        let next = format!(
            "/room_sessions?{form}=1&page_number={form}&page_token=PA1",
            form = percent_encoding::utf8_percent_encode(&form, percent_encoding::NON_ALPHANUMERIC)
        );
        let mut page = paging::single_page("/room_sessions", sessions(0..1));
        page.links.next = Some(next);
        let first = server.list_room_sessions(|_, then| {
            then.ok(&page);
        });
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
        first.assert_async().await;
    }
    let output = captured.text();
    assert!(output.contains("ignoring an unknown parameter"), "{output}");
    assert_no_secret(&output);
}

/// The `Display`, `Debug` and `{:#}` of an error and of each of its sources.
fn everything_shown(error: &room_sessions::Error) -> String {
    let mut shown = format!("{error}\n{error:?}\n{error:#}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        shown.push_str(&format!("\n{cause}\n{cause:?}\n{cause:#}"));
        source = cause.source();
    }
    shown
}

#[tokio::test]
async fn a_credential_echoed_many_times_leaves_no_part_of_it_at_the_cut() {
    for form in credential_forms() {
        let server = MockServer::start_async().await;
        let echoed = form.repeat(30);
        server.mock(|_, then| {
            then.status(401).body(&echoed);
        });
        let error = client(&server).room_session(SESSION_ID).await.unwrap_err();
        assert!(error.is_auth(), "{error:?}");
        let shown = everything_shown(&error);
        assert_no_secret(&shown);
        assert_no_part_of(&form, &shown);
    }
}

#[tokio::test]
async fn a_token_that_escaping_changes_is_redacted_before_it_is_escaped() {
    // `"` and `\` are escaped by JSON, by `{:?}` and in serde's messages.
    const ODD_TOKEN: &str = r#"PT-q"u\o-7Xv9-Rk2m"#;
    let encoded =
        percent_encoding::utf8_percent_encode(ODD_TOKEN, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    let server = MockServer::start_async().await;
    // A value of the wrong type holding the token: serde's message quotes it.
    let mut session = session_json(SESSION_ID);
    session["max_members"] = ODD_TOKEN.into();
    server.get_room_session(|when, then| {
        when.id(&SESSION_ID);
        then.into_inner().status(200).json_body(session);
    });
    // A page link whose page number is the token: the refusal quotes it.
    let mut page = paging::single_page("/room_sessions", sessions(0..1));
    page.links.next = Some(format!("/room_sessions?page_number={encoded}"));
    server.list_room_sessions(|_, then| {
        then.ok(&page);
    });
    let client = builder_at(&server.base_url())
        .api_token(ODD_TOKEN)
        .build()
        .unwrap();

    let undecodable = client.room_session(SESSION_ID).await.unwrap_err();
    let refused = client
        .room_sessions()
        .stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();

    assert!(
        matches!(undecodable, room_sessions::Error::Undecodable { .. }),
        "{undecodable:?}"
    );
    assert!(
        matches!(refused, room_sessions::Error::RefusedLink { .. }),
        "{refused:?}"
    );
    for error in [undecodable, refused] {
        let shown = everything_shown(&error);
        assert!(shown.contains("***"), "{shown}");
        assert_no_part_of(ODD_TOKEN, &shown);
    }
}

#[tokio::test]
async fn a_transport_error_keeps_no_query_of_the_url_it_failed_on() {
    let server = MockServer::start_async().await;
    server.mock(|_, then| {
        then.status(200).delay(std::time::Duration::from_secs(5));
    });
    let client = builder_at(&server.base_url())
        .timeout(std::time::Duration::from_millis(100))
        .max_attempts(1)
        .build()
        .unwrap();

    let error = client
        .room_sessions()
        .room_name("standup-of-team-okapi")
        .send()
        .await
        .unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    let shown = everything_shown(&error);
    assert!(shown.contains("/room_sessions"), "{shown}");
    assert!(!shown.contains("okapi"), "the query shows: {shown}");
}

#[tokio::test]
async fn debug_of_a_page_shows_its_links_redacted() {
    let server = MockServer::start_async().await;
    let echoing = format!("/room_sessions?page_token={TOKEN}");
    server.list_room_sessions(|_, then| {
        then.ok(&RoomSessionList {
            data: sessions(0..1),
            links: PageLinks {
                self_: Some(echoing.clone()),
                next: Some(echoing.clone()),
                ..PageLinks::default()
            },
        });
    });

    let page = client(&server).room_sessions().send().await.unwrap();

    assert_eq!(page.links().next.as_deref(), Some(echoing.as_str()));
    let debug = format!("{page:?}");
    assert!(debug.contains("page_token=***"), "{debug}");
    assert_no_secret(&debug);
}

/// Set, to the port of the real server, in the environment of the test's own process run
/// under a hosts file that sends `localhost` elsewhere.
const PINNED_CHILD: &str = "ROOM_SESSIONS_TEST_LOCALHOST_PORT";

/// The client's part, in the child process: find the session at `http://localhost:<port>`.
async fn find_at_localhost(port: &str) {
    let client = builder_at(&format!("http://localhost:{port}"))
        .max_attempts(1)
        .build()
        .unwrap();
    client.room_session(SESSION_ID).await.unwrap();
}

#[tokio::test]
async fn http_localhost_is_the_loopback_address_whatever_the_hosts_file_says() {
    if let Ok(port) = std::env::var(PINNED_CHILD) {
        return find_at_localhost(&port).await;
    }
    // The child needs a mount namespace of its own for its hosts file.
    let isolated = std::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "true"])
        .status();
    if !isolated.is_ok_and(|status| status.success()) {
        eprintln!("skipped: `unshare --user --map-root-user --mount` is not allowed here");
        return;
    }
    let server = MockServer::start_async().await;
    let found = server.get_room_session(|when, then| {
        when.id(&SESSION_ID);
        then.ok(&values::session_current());
    });
    let port = server.address().port();
    // Where the hosts file sends `localhost`: another loopback address, same port, which
    // records whether anything connects.
    let elsewhere = std::net::TcpListener::bind(("127.0.0.2", port)).unwrap();
    elsewhere.set_nonblocking(true).unwrap();
    let hosts = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(hosts.path(), "127.0.0.2 localhost\n").unwrap();

    let test = std::env::current_exe().unwrap();
    let output = tokio::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c"])
        .arg(r#"mount --bind "$0" /etc/hosts && exec "$@""#)
        .arg(hosts.path())
        .arg(test)
        .args([
            "--exact",
            "http_localhost_is_the_loopback_address_whatever_the_hosts_file_says",
        ])
        .env(PINNED_CHILD, port.to_string())
        .output()
        .await
        .unwrap();

    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(found.calls_async().await, 1);
    assert!(
        elsewhere.accept().is_err(),
        "the client connected where the hosts file said"
    );
}
