//! Listings stream: rows are printed as pages arrive, `--limit` stops the fetching, a closed
//! output ends the run quietly, and no progress shows when stderr is not a terminal.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;
use std::time::Duration;

use common::*;
use serde_json::json;
use wiremock::MockServer;

/// `count` sessions with numbered ids.
fn numbered_sessions(count: usize) -> Vec<serde_json::Value> {
    (0..count)
        .map(
            |n| json!({ "id": numbered_id(n), "name": format!("room_{n}"), "status": "completed" }),
        )
        .collect()
}

#[tokio::test]
async fn the_limit_stops_the_fetching() {
    // (arguments, lines printed, requests sent): 30 sessions in pages of 10.
    let cases: [(&[&str], usize, usize); 5] = [
        (&["--limit", "15"], 15, 2),
        (&["--limit", "10"], 10, 1),
        (&["--limit", "11"], 11, 2),
        (&["--limit", "100"], 30, 3),
        (&[], 30, 3),
    ];
    for (args, lines, requests) in cases {
        let server = MockServer::start().await;
        mount_pages(
            &server,
            "/room_sessions",
            numbered_sessions(30),
            10,
            Duration::ZERO,
        )
        .await;
        let output = against(&server)
            .args(["list", "-o", "ndjson", "--page-size", "10"])
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        let out = stdout(&output);
        assert_eq!(out.lines().count(), lines, "{args:?}");
        for (n, line) in out.lines().enumerate() {
            assert!(line.contains(&numbered_id(n)), "{args:?}: {line}");
        }
        assert_eq!(
            requests_to(&server, "/room_sessions").await,
            requests,
            "{args:?}"
        );
    }
}

#[tokio::test]
async fn a_small_limit_asks_for_a_page_of_that_size() {
    let server = MockServer::start().await;
    mount_pages(
        &server,
        "/room_sessions",
        numbered_sessions(30),
        10,
        Duration::ZERO,
    )
    .await;
    against(&server)
        .args(["list", "--limit", "3", "-o", "ndjson"])
        .assert()
        .success();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.query(), Some("page_size=3"));
}

/// A listing of 10 pages of 5 sessions, each page after the first arriving after `delay`.
async fn slow_listing(delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    mount_pages(&server, "/room_sessions", numbered_sessions(50), 5, delay).await;
    server
}

#[tokio::test]
async fn rows_are_printed_as_their_page_arrives() {
    let server = slow_listing(Duration::from_secs(3)).await;
    let mut child = spawnable(&server)
        .args(["list", "--page-size", "5"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first_page = String::new();
    for _ in 0..6 {
        out.read_line(&mut first_page).unwrap();
    }
    // The header and the first page's five rows are out while the second page is awaited.
    assert!(first_page.starts_with("ID "), "{first_page}");
    assert!(first_page.contains(&numbered_id(4)), "{first_page}");
    assert!(
        child.try_wait().unwrap().is_none(),
        "the listing is already over"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn a_closed_output_ends_the_listing_quietly() {
    let server = slow_listing(Duration::from_millis(300)).await;
    // `room-sessions list -o ndjson | head -n 1`
    let mut child = spawnable(&server)
        .args(["list", "-o", "ndjson", "--page-size", "5"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    assert!(first.contains(&numbered_id(0)), "{first}");
    drop(out);

    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(status.success(), "{status:?}: {err}");
    assert_eq!(err, "", "a closed pipe is not an error");
    // The next write failed, and the fetching stopped with it.
    let requests = requests_to(&server, "/room_sessions").await;
    assert!(requests < 10, "all {requests} pages were fetched");
}

#[tokio::test]
async fn no_progress_shows_when_stderr_is_not_a_terminal() {
    // Long enough for the progress line to show on a terminal (after a second).
    let server = MockServer::start().await;
    mount_pages(
        &server,
        "/room_sessions",
        numbered_sessions(4),
        2,
        Duration::from_millis(1500),
    )
    .await;
    let output = against(&server)
        .args(["list", "-o", "ndjson"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(stdout(&output).lines().count(), 4);
    assert_eq!(stderr(&output), "");
}

#[tokio::test]
async fn verbose_logs_the_request_of_each_page() {
    let server = MockServer::start().await;
    mount_pages(
        &server,
        "/room_sessions",
        numbered_sessions(5),
        2,
        Duration::ZERO,
    )
    .await;
    let output = against(&server)
        .args(["list", "-o", "ndjson", "--verbose"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(stdout(&output).lines().count(), 5);
    let err = stderr(&output);
    assert_no_secret(&err);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    for line in lines {
        let rest = line
            .strip_prefix("GET /api/video/room_sessions -> 200 in ")
            .unwrap_or_else(|| panic!("{line}"));
        let (latency, attempt) = rest.split_once(" ms ").unwrap();
        latency.parse::<u64>().unwrap();
        assert_eq!(attempt, "(attempt 1)");
    }
}
