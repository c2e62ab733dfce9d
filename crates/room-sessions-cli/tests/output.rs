//! Each subcommand's output in each format, against a local server with realistic data:
//! tables as snapshots, and JSON, also snapshots, that holds every field the wrapper's types
//! know, exactly as they serialize, and parses back into them.

mod common;

use std::fmt::Debug;

use chrono::{DateTime, Utc};
use common::*;
use room_sessions::api::types;
use room_sessions::{
    FrameRate, RecordingStatus, RoomSession, RoomSessionEvent, RoomSessionMember,
    RoomSessionRecording, Uuid,
};
use room_sessions_httpmock::httpmock::MockServer;
use room_sessions_httpmock::values::{self, SESSION_ID};
use room_sessions_httpmock::{MockServerExt, paging};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The member who left, and joined in the second event.
const ALICE: Uuid = Uuid::from_u128(0x7d1e2f3a_4b5c_4d6e_8f70_8192a3b4c5d6);

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// Room sessions as the two generations of the API send them: a live one, completed ones of
/// several lengths, a state this client does not know, missing fields, and a name with a
/// terminal escape in it.
fn sessions() -> Vec<types::RoomSession> {
    let bare = |id| types::RoomSession::builder().id(id).try_into().unwrap();
    let live = types::RoomSession {
        start_time: Some(utc("2024-07-29T15:51:28.071Z")),
        created_at: Some(utc("2024-07-29T15:51:27Z")),
        updated_at: Some(utc("2024-07-29T15:51:28Z")),
        enable_room_previews: Some(false),
        record_on_start: None,
        tone_on_entry_and_exit: None,
        room_join_video_off: None,
        user_join_video_off: None,
        prioritize_handraise: None,
        ..values::session_live()
    };
    let legacy = types::RoomSession {
        room_id: Some(values::ROOM_ID),
        name: Some("town_hall".into()),
        display_name: Some("Town hall (July)".into()),
        status: Some("completed".into()),
        start_time: Some(utc("2024-07-26T17:00:00Z")),
        end_time: Some(utc("2024-07-26T18:02:30Z")),
        duration: Some(3750),
        max_members: Some(200),
        fps: Some(FrameRate::Fps30),
        quality: Some("1080p".into()),
        layout: Some("spotlight-7".into()),
        audio_video_sync: Some(false),
        record_on_start: Some(true),
        cost_in_dollars: Some(1.25),
        ..bare(Uuid::from_u128(0x5e7a8b9c_0d1e_4f2a_b3c4_d5e6f7a8b9c0))
    };
    let call = types::RoomSession {
        name: Some("customer_call".into()),
        status: Some("completed".into()),
        start_time: Some(utc("2024-07-28T10:00:00Z")),
        end_time: Some(utc("2024-07-28T10:17:05Z")),
        max_members: Some(2),
        quality: Some("4k".into()),
        ..bare(Uuid::from_u128(0x1a2b3c4d_5e6f_4a7b_8c9d_0e1f2a3b4c5d))
    };
    let archived = types::RoomSession {
        name: Some("ops\u{1b}[31m_red".into()),
        status: Some("archived".into()),
        start_time: Some(utc("2024-07-24T14:00:00Z")),
        duration: Some(42),
        ..bare(Uuid::from_u128(0xabcdef01_2345_4678_9abc_def012345678))
    };
    let empty = bare(Uuid::from_u128(0x0f1e2d3c_4b5a_4697_8877_665544332211));
    vec![live, legacy, call, archived, empty]
}

/// A member who left, one still there, and one the server knows nothing about.
fn members() -> Vec<types::RoomSessionMember> {
    let unknown: types::RoomSessionMember = types::RoomSessionMember::builder()
        .id(Uuid::from_u128(0x9f3a4b5c_6d7e_4f80_a192_a3b4c5d6e7f8))
        .room_session_id(SESSION_ID)
        .try_into()
        .unwrap();
    let left = types::RoomSessionMember {
        id: ALICE,
        join_time: Some(utc("2024-07-29T15:51:28Z")),
        leave_time: Some(utc("2024-07-29T16:53:40Z")),
        duration: Some(3732),
        cost_in_dollars: Some(0.03),
        ..values::member()
    };
    let there = types::RoomSessionMember {
        id: Uuid::from_u128(0x8e2f3a4b_5c6d_4e7f_9081_92a3b4c5d6e7),
        name: Some("Bob (mobile)".into()),
        join_time: Some(utc("2024-07-29T15:52:00Z")),
        ..unknown.clone()
    };
    vec![left, there, unknown]
}

/// Events with a payload, a nested one, and none.
fn events() -> Vec<types::RoomSessionEvent> {
    let started = types::RoomSessionEvent {
        id: Uuid::from_u128(0xe1000000_0000_4000_8000_000000000001),
        created_at: utc("2024-07-29T15:51:28Z"),
        ..values::event()
    };
    let payload = serde_json::json!({ "member": { "name": "Alice", "audio_muted": false } });
    let joined = types::RoomSessionEvent {
        id: Uuid::from_u128(0xe1000000_0000_4000_8000_000000000002),
        name: "member.joined".into(),
        room_participant_id: Some(ALICE),
        payload: payload.as_object().cloned(),
        created_at: utc("2024-07-29T15:51:29.5Z"),
        ..started.clone()
    };
    let failed = types::RoomSessionEvent {
        id: Uuid::from_u128(0xe1000000_0000_4000_8000_000000000003),
        project_id: None,
        room_id: None,
        level: Some("error".into()),
        name: "recording.failed".into(),
        payload: None,
        created_at: utc("2024-07-29T16:00:00Z"),
        ..started.clone()
    };
    vec![started, joined, failed]
}

/// A finished recording, and one in a state this client does not know, without its media.
fn recordings() -> Vec<types::RoomSessionRecording> {
    let finished = types::RoomSessionRecording {
        id: Uuid::from_u128(0x5d4c3b2a_1908_4f7e_8d6c_5b4a39281706),
        started_at: Some(utc("2024-07-29T15:52:00Z")),
        finished_at: Some(utc("2024-07-29T16:40:10Z")),
        duration: Some(2890),
        size_in_bytes: Some(734_003_200),
        cost_in_dollars: Some(0.2),
        created_at: Some(utc("2024-07-29T15:52:00Z")),
        updated_at: Some(utc("2024-07-29T16:40:15Z")),
        ..values::recording()
    };
    let uploading = types::RoomSessionRecording::builder()
        .id(Uuid::from_u128(0x6e5d4c3b_2a19_4f8e_9d7c_6b5a4a392817))
        .room_session_id(SESSION_ID)
        .status(RecordingStatus::from("uploading"))
        .started_at(utc("2024-07-29T16:41:00Z"))
        .size_in_bytes(512)
        .try_into()
        .unwrap();
    vec![finished, uploading]
}

/// Runs `args` against `server` in `format`: a success, with nothing on stderr and no secret
/// in the output, which is the snapshot `{name}_{format}`.
fn output(name: &str, server: &MockServer, args: &[&str], format: &str) -> String {
    let output = against(server)
        .args(args)
        .args(["--output", format])
        .output()
        .unwrap();
    let (out, err) = (stdout(&output), stderr(&output));
    assert!(output.status.success(), "{name} -o {format}: {err}");
    assert_eq!(err, "", "{name} -o {format}");
    assert_no_secret(&out);
    insta::assert_snapshot!(format!("{name}_{format}"), out);
    out
}

/// A listing in each format: its JSON is what `T` encodes of what was `sent`, and parses back
/// into it; its JSON lines are the same items, a line each.
fn check_listing<Raw: Clone, T>(name: &str, server: &MockServer, args: &[&str], sent: &[Raw])
where
    T: From<Raw> + DeserializeOwned + Serialize + PartialEq + Debug,
{
    let sent: Vec<T> = sent.iter().cloned().map(T::from).collect();
    output(name, server, args, "table");
    let json = output(name, server, args, "json");
    assert_eq!(json, serde_json::to_string_pretty(&sent).unwrap() + "\n");
    assert_eq!(serde_json::from_str::<Vec<T>>(&json).unwrap(), sent);
    let lines: String = sent
        .iter()
        .map(|item| serde_json::to_string(item).unwrap() + "\n")
        .collect();
    assert_eq!(output(name, server, args, "ndjson"), lines);
}

#[test]
fn each_subcommand_in_each_format() {
    let server = MockServer::start();
    let live = sessions().remove(0);
    server.get_room_session(|when, then| {
        when.id(&SESSION_ID);
        then.ok(&live);
    });
    // Pages of two: the table's columns must stay aligned across pages.
    paging::mount_room_sessions(&server, &sessions(), 2);
    paging::mount_members(&server, SESSION_ID, &members(), 2);
    paging::mount_events(&server, SESSION_ID, &events(), 2);
    paging::mount_recordings(&server, SESSION_ID, &recordings(), 2);
    let id = SESSION_ID.to_string();

    let find = ["find", &id];
    let live = RoomSession::from(live);
    output("find", &server, &find, "table");
    let json = output("find", &server, &find, "json");
    assert_eq!(json, serde_json::to_string_pretty(&live).unwrap() + "\n");
    assert_eq!(serde_json::from_str::<RoomSession>(&json).unwrap(), live);
    let ndjson = output("find", &server, &find, "ndjson");
    assert_eq!(ndjson, serde_json::to_string(&live).unwrap() + "\n");

    check_listing::<_, RoomSession>("list", &server, &["list"], &sessions());
    check_listing::<_, RoomSessionMember>("members", &server, &["members", &id], &members());
    check_listing::<_, RoomSessionEvent>("events", &server, &["events", &id], &events());
    let recordings_of = ["recordings", &id];
    check_listing::<_, RoomSessionRecording>("recordings", &server, &recordings_of, &recordings());
}

#[test]
fn an_empty_listing_is_a_header_an_empty_array_or_nothing() {
    let server = MockServer::start();
    paging::mount_room_sessions(&server, &[], 50);
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
