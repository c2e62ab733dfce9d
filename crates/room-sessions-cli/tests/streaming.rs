//! Listings stream: rows are printed as pages arrive, `--limit` stops the fetching, a closed
//! output ends the run quietly, and no progress shows when stderr is not a terminal.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::num::NonZeroU32;
use std::process::Stdio;
use std::time::Duration;

use common::*;
use room_sessions::Uuid;
use room_sessions::api::types::{RoomSession, RoomSessionList};
use room_sessions_httpmock::httpmock::MockServer;
use room_sessions_httpmock::{MockServerExt, paging, values};

/// `count` sessions: the spec's list item, with the ids 1, 2, ...
fn sessions(count: u128) -> Vec<RoomSession> {
    (1..=count)
        .map(|n| RoomSession {
            id: Uuid::from_u128(n),
            ..values::session_listed()
        })
        .collect()
}

#[test]
fn the_limit_stops_the_fetching() {
    // (arguments, the page size asked for, lines printed, fetches of each page): 30 sessions
    // in pages of 10.
    let cases: [(&[&str], u32, usize, [usize; 3]); 6] = [
        (&["--page-size", "10", "--limit", "15"], 10, 15, [1, 1, 0]),
        (&["--page-size", "10", "--limit", "10"], 10, 10, [1, 0, 0]),
        (&["--page-size", "10", "--limit", "11"], 10, 11, [1, 1, 0]),
        (&["--page-size", "10", "--limit", "100"], 10, 30, [1, 1, 1]),
        (&["--page-size", "10"], 10, 30, [1, 1, 1]),
        // A limit a page can hold is the page size: one request, of that size.
        (&["--limit", "3"], 3, 3, [1, 0, 0]),
    ];
    let listed = sessions(30);
    for (args, page_size, lines, fetches) in cases {
        let server = MockServer::start();
        let pages = paging::mount_room_sessions_with(&server, &listed, 10, |when| {
            when.page_size(NonZeroU32::new(page_size))
        });
        let output = against(&server)
            .args(["list", "-o", "ndjson"])
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        let out = stdout(&output);
        assert_eq!(out.lines().count(), lines, "{args:?}");
        for (line, session) in out.lines().zip(&listed) {
            assert!(line.contains(&session.id.to_string()), "{args:?}: {line}");
        }
        assert_eq!(pages.fetches(), fetches, "{args:?}");
    }
}

#[test]
fn rows_are_printed_as_their_page_arrives() {
    let server = MockServer::start();
    let first = RoomSessionList {
        data: sessions(5),
        links: paging::page_links(&server.url("/room_sessions"), &[], 0, 5, true),
    };
    server.list_room_sessions(|when, then| {
        when.page_token(None);
        then.ok(&first);
    });
    // The second page comes later than the test waits: the first is read while it is awaited.
    server.list_room_sessions(|when, then| {
        when.page_token(paging::PAGE_TOKEN);
        then.into_inner().delay(Duration::from_secs(10));
    });
    let mut child = spawnable(&server)
        .arg("list")
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
    assert!(
        first_page.contains(&Uuid::from_u128(5).to_string()),
        "{first_page}"
    );
    assert!(child.try_wait().unwrap().is_none(), "the listing is over");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_closed_output_ends_the_listing_quietly() {
    // About a megabyte of output, more than a pipe holds: the writes block until the reader
    // goes away, long before the last page is fetched.
    let server = MockServer::start();
    let pages = paging::mount_room_sessions(&server, &sessions(2000), 100);
    // `room-sessions list -o ndjson | head -n 1`
    let mut child = spawnable(&server)
        .args(["list", "-o", "ndjson"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    assert!(first.contains(&Uuid::from_u128(1).to_string()), "{first}");
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
    let fetches = pages.fetches();
    assert_eq!(
        fetches.last(),
        Some(&0),
        "every page was fetched: {fetches:?}"
    );
}

#[test]
fn no_progress_shows_when_stderr_is_not_a_terminal() {
    // Long enough for the progress line to show on a terminal (after a second).
    let server = MockServer::start();
    let page = paging::single_page("/room_sessions", sessions(4));
    server.list_room_sessions(|_, then| {
        then.ok(&page)
            .into_inner()
            .delay(Duration::from_millis(1500));
    });
    let output = against(&server)
        .args(["list", "-o", "ndjson"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output).lines().count(), 4);
    assert_eq!(stderr(&output), "");
}

#[test]
fn verbose_logs_the_request_of_each_page() {
    let server = MockServer::start();
    let pages = paging::mount_room_sessions(&server, &sessions(5), 2);
    let output = against(&server)
        .args(["list", "-o", "ndjson", "--verbose"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(stdout(&output).lines().count(), 5);
    pages.assert_each_fetched_once();
    let err = stderr(&output);
    assert_no_secret(&err);
    assert_eq!(err.lines().count(), pages.len(), "{err}");
    for line in err.lines() {
        let rest = line
            .strip_prefix("GET /room_sessions -> 200 in ")
            .unwrap_or_else(|| panic!("{line}"));
        let (latency, attempt) = rest.split_once(" ms ").unwrap();
        latency.parse::<u64>().unwrap();
        assert_eq!(attempt, "(attempt 1)");
    }
}
