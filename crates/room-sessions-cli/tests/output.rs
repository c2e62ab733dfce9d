//! Each subcommand's output in each format, against a local server with realistic data:
//! tables as snapshots, and JSON that holds every field the wrapper's types know, exactly as
//! they serialize, and parses back into them.

mod common;

use std::time::Duration;

use common::*;
use room_sessions::{RoomSession, RoomSessionEvent, RoomSessionMember, RoomSessionRecording};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A subcommand, the endpoint it reads, and what the server holds there.
struct Case {
    name: &'static str,
    args: Vec<String>,
    endpoint: String,
    items: Vec<Value>,
    /// A single resource (`find`) rather than a listing.
    single: bool,
    /// Parses an output in a format back into the wrapper's type and checks it.
    check: fn(&str, &str, &[Value], bool),
}

fn cases() -> Vec<Case> {
    let session = |rest: &str| format!("/room_sessions/{SESSION_ID}{rest}");
    vec![
        Case {
            name: "find",
            args: vec!["find".into(), SESSION_ID.into()],
            endpoint: session(""),
            items: vec![sessions()[0].clone()],
            single: true,
            check: parses_back::<RoomSession>,
        },
        Case {
            name: "list",
            args: vec!["list".into()],
            endpoint: "/room_sessions".into(),
            items: sessions(),
            single: false,
            check: parses_back::<RoomSession>,
        },
        Case {
            name: "members",
            args: vec!["members".into(), SESSION_ID.into()],
            endpoint: session("/members"),
            items: members(),
            single: false,
            check: parses_back::<RoomSessionMember>,
        },
        Case {
            name: "events",
            args: vec!["events".into(), SESSION_ID.into()],
            endpoint: session("/events"),
            items: events(),
            single: false,
            check: parses_back::<RoomSessionEvent>,
        },
        Case {
            name: "recordings",
            args: vec!["recordings".into(), SESSION_ID.into()],
            endpoint: session("/recordings"),
            items: recordings(),
            single: false,
            check: parses_back::<RoomSessionRecording>,
        },
    ]
}

/// What each `sent` item becomes once decoded into `T` and encoded again: every field `T`
/// knows, as `T` serializes it.
fn as_the_wrapper_serializes<T: DeserializeOwned + Serialize>(sent: &[Value]) -> Vec<Value> {
    sent.iter()
        .map(|item| {
            let decoded: T = serde_json::from_value(item.clone()).unwrap();
            serde_json::to_value(decoded).unwrap()
        })
        .collect()
}

fn parses_back<T: DeserializeOwned + Serialize>(
    format: &str,
    output: &str,
    sent: &[Value],
    single: bool,
) {
    let expected = as_the_wrapper_serializes::<T>(sent);
    match format {
        "json" if single => {
            let item: T = serde_json::from_str(output).unwrap();
            assert_eq!(output, serde_json::to_string_pretty(&item).unwrap() + "\n");
            assert_eq!(vec![serde_json::to_value(&item).unwrap()], expected);
        }
        "json" => {
            let items: Vec<T> = serde_json::from_str(output).unwrap();
            assert_eq!(output, serde_json::to_string_pretty(&items).unwrap() + "\n");
            assert_eq!(serde_json::to_value(&items).unwrap(), Value::from(expected));
        }
        "ndjson" => {
            let mut decoded = Vec::new();
            for line in output.lines() {
                let item: T = serde_json::from_str(line).unwrap();
                assert_eq!(line, serde_json::to_string(&item).unwrap());
                decoded.push(serde_json::to_value(&item).unwrap());
            }
            assert_eq!(decoded, expected);
        }
        other => panic!("not a JSON format: {other}"),
    }
}

#[tokio::test]
async fn each_subcommand_in_each_format() {
    for case in cases() {
        let server = MockServer::start().await;
        if case.single {
            Mock::given(method("GET"))
                .and(path(api_path(&case.endpoint)))
                .respond_with(ResponseTemplate::new(200).set_body_json(&case.items[0]))
                .mount(&server)
                .await;
        } else {
            // Pages of two: the table's columns must stay aligned across pages.
            mount_pages(
                &server,
                &case.endpoint,
                case.items.clone(),
                2,
                Duration::ZERO,
            )
            .await;
        }
        for format in ["table", "json", "ndjson"] {
            let output = against(&server)
                .args(&case.args)
                .args(["--output", format])
                .output()
                .unwrap();
            let (out, err) = (stdout(&output), stderr(&output));
            assert!(output.status.success(), "{} -o {format}: {err}", case.name);
            assert_eq!(err, "", "{} -o {format}", case.name);
            assert_no_secret(&out);
            if format == "table" {
                insta::assert_snapshot!(format!("{}_table", case.name), out);
            } else {
                insta::assert_snapshot!(format!("{}_{format}", case.name), out);
                (case.check)(format, &out, &case.items, case.single);
            }
        }
    }
}

#[tokio::test]
async fn an_empty_listing_is_a_header_an_empty_array_or_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path("/room_sessions")))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "links": { "self": "/api/video/room_sessions", "first": "/api/video/room_sessions" },
            "data": []
        })))
        .mount(&server)
        .await;
    for (format, expected) in [
        ("table", "ID  STATUS  START  DURATION  MAX MEMBERS  NAME\n"),
        ("json", "[]\n"),
        ("ndjson", ""),
    ] {
        against(&server)
            .args(["list", "-o", format])
            .assert()
            .success()
            .stdout(expected)
            .stderr("");
    }
}
