//! `--demo`: every subcommand against the demo server, in every format. The tables are
//! snapshots; the JSON is a snapshot too, parses back into the wrapper's types, and holds the
//! demo dataset exactly as the types serialize it.

mod common;

use common::*;
use room_sessions::{RoomSession, RoomSessionEvent, RoomSessionMember, RoomSessionRecording};
use room_sessions_httpmock::demo;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Runs `room-sessions --demo ARGS -o FORMAT` and returns its output, which must be a success
/// with nothing on stderr.
fn demo_output(args: &[&str], format: &str) -> String {
    let output = room_sessions()
        .arg("--demo")
        .args(args)
        .args(["--output", format])
        .output()
        .unwrap();
    let err = stderr(&output);
    assert!(output.status.success(), "{args:?} -o {format}: {err}");
    assert_eq!(err, "", "{args:?} -o {format}");
    stdout(&output)
}

/// The items of a JSON or JSON-lines output, decoded into `T`, after checking that encoding
/// them again gives the same bytes.
fn parse_back<T: DeserializeOwned + Serialize>(format: &str, output: &str) -> Vec<T> {
    match format {
        "json" => {
            let items: Vec<T> = serde_json::from_str(output).unwrap();
            assert_eq!(output, serde_json::to_string_pretty(&items).unwrap() + "\n");
            items
        }
        "ndjson" => output
            .lines()
            .map(|line| {
                let item: T = serde_json::from_str(line).unwrap();
                assert_eq!(line, serde_json::to_string(&item).unwrap());
                item
            })
            .collect(),
        other => panic!("not a listing format: {other}"),
    }
}

fn to_values<T: Serialize>(items: &[T]) -> Value {
    serde_json::to_value(items).unwrap()
}

/// A subcommand's snapshots in the three formats, and its JSON checked against the dataset.
fn check_listing<T: DeserializeOwned + Serialize, D: Serialize>(
    name: &str,
    args: &[&str],
    dataset: &[D],
) {
    insta::assert_snapshot!(format!("{name}_table"), demo_output(args, "table"));
    for format in ["json", "ndjson"] {
        let output = demo_output(args, format);
        let items = parse_back::<T>(format, &output);
        assert_eq!(to_values(&items), to_values(dataset), "{name} -o {format}");
        insta::assert_snapshot!(format!("{name}_{format}"), output);
    }
}

#[test]
fn list() {
    check_listing::<RoomSession, _>("list", &["list"], &demo::sessions());
}

#[test]
fn members() {
    let id = demo::LIVE_SESSION_ID.to_string();
    check_listing::<RoomSessionMember, _>(
        "members",
        &["members", &id],
        &demo::members(demo::LIVE_SESSION_ID),
    );
}

#[test]
fn events() {
    let id = demo::LIVE_SESSION_ID.to_string();
    check_listing::<RoomSessionEvent, _>(
        "events",
        &["events", &id],
        &demo::events(demo::LIVE_SESSION_ID),
    );
}

/// The first session whose recordings are ready, with their media links.
fn session_with_media() -> room_sessions::Uuid {
    demo::sessions()
        .into_iter()
        .map(|session| session.id)
        .find(|id| demo::recordings(*id).iter().any(|r| r.uri.is_some()))
        .unwrap()
}

#[test]
fn recordings() {
    let id = session_with_media();
    check_listing::<RoomSessionRecording, _>(
        "recordings",
        &["recordings", &id.to_string()],
        &demo::recordings(id),
    );
}

/// `find` of a session of each generation of field names.
#[test]
fn find() {
    let legacy = demo::sessions()
        .into_iter()
        .map(|session| session.id)
        .find(|id| demo::is_legacy(*id))
        .unwrap();
    for (name, id) in [("find", demo::LIVE_SESSION_ID), ("find_legacy", legacy)] {
        let id_text = id.to_string();
        let args = ["find", id_text.as_str()];
        let expected = serde_json::to_value(demo::session(id).unwrap()).unwrap();
        insta::assert_snapshot!(format!("{name}_table"), demo_output(&args, "table"));

        let json = demo_output(&args, "json");
        let session: RoomSession = serde_json::from_str(&json).unwrap();
        assert_eq!(json, serde_json::to_string_pretty(&session).unwrap() + "\n");
        assert_eq!(serde_json::to_value(&session).unwrap(), expected);
        insta::assert_snapshot!(format!("{name}_json"), json);

        let ndjson = demo_output(&args, "ndjson");
        let session: RoomSession = serde_json::from_str(ndjson.trim_end()).unwrap();
        assert_eq!(ndjson, serde_json::to_string(&session).unwrap() + "\n");
        assert_eq!(serde_json::to_value(&session).unwrap(), expected);
        insta::assert_snapshot!(format!("{name}_ndjson"), ndjson);
    }
}

#[test]
fn filters_and_options_reach_the_demo_server() {
    let live = demo_output(&["list", "--status", "in-progress"], "ndjson");
    assert_eq!(live.lines().count(), demo::LIVE_COUNT);
    let first = demo_output(&["list", "--limit", "1"], "ndjson");
    assert_eq!(
        first,
        serde_json::to_string(&demo::sessions()[0]).unwrap() + "\n"
    );
    let id = session_with_media().to_string();
    let recordings = demo_output(&["recordings", &id, "--media-ttl", "60"], "ndjson");
    assert!(recordings.contains("expires=60"), "{recordings}");
    assert!(!recordings.contains("expires=900"), "{recordings}");
}

#[test]
fn the_missing_session_is_not_found() {
    let output = room_sessions()
        .args(["--demo", "find", demo::MISSING_SESSION_ID])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert_one_error_line(&stderr(&output));
    assert!(stderr(&output).contains("(HTTP 404)"));
}

#[test]
fn the_demo_ignores_the_environment_and_refuses_real_settings() {
    // A real configuration in the environment does not turn the demo into real requests.
    room_sessions()
        .env("SIGNALWIRE_SPACE", "example")
        .env("SIGNALWIRE_PROJECT_ID", PROJECT_ID)
        .env("SIGNALWIRE_API_TOKEN", TOKEN)
        .args(["--demo", "list", "--limit", "2", "-o", "ndjson"])
        .assert()
        .success();
    for flag in ["--space", "--base-url", "--project-id", "--api-token-file"] {
        for args in [["--demo", "list", flag, "x"], [flag, "x", "--demo", "list"]] {
            room_sessions()
                .args(args)
                .assert()
                .code(2)
                .stdout("")
                .stderr(format!(
                    "error: --demo runs against a local server: it takes no {flag}\n"
                ));
        }
    }
}

#[test]
fn a_recorded_run_replays_to_the_same_output() {
    let dir = tempfile::tempdir().unwrap();
    let traffic = dir.path().join("traffic.ndjson");
    let traffic = traffic.to_str().unwrap();
    let live = demo::LIVE_SESSION_ID.to_string();
    for args in [
        &["list", "--page-size", "7"][..],
        &["members", &live, "-o", "ndjson"],
        &["find", demo::MISSING_SESSION_ID],
    ] {
        let recorded = room_sessions()
            .args(["--demo", "--record", traffic])
            .args(args)
            .output()
            .unwrap();
        let replayed = room_sessions()
            .args(["--replay", traffic])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(stdout(&replayed), stdout(&recorded), "{args:?}");
        assert_eq!(stderr(&replayed), stderr(&recorded), "{args:?}");
        assert_eq!(replayed.status.code(), recorded.status.code(), "{args:?}");
    }
    let recording = std::fs::read_to_string(traffic).unwrap();
    assert_eq!(
        recording.lines().count(),
        6 + 1 + 1,
        "six pages, a page, a 404"
    );
    assert!(!recording.contains(demo::API_TOKEN), "{recording}");

    // A request that was not recorded is not found; a recording that cannot be read is named.
    room_sessions()
        .args(["--replay", traffic, "find", &live])
        .assert()
        .code(3);
    std::fs::write(traffic, "{\"request\": 1}\n").unwrap();
    room_sessions()
        .args(["--replay", traffic, "list"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(format!(
            "the recording {traffic}: line 1: not an exchange"
        )));
    room_sessions()
        .args(["--replay", traffic, "--demo", "list"])
        .assert()
        .code(2)
        .stderr("error: --replay runs against a local server: it takes no --demo\n");
}
