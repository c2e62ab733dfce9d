//! Decoding of realistic response bodies (tests/fixtures/*.json) through the generated types.
//!
//! Each fixture is decoded the way the generated client decodes a response body
//! (`serde_json::from_slice` into the operation's type) and snapshotted with `Debug`, which
//! shows what Rust code sees: `None` for null or missing fields, `Fps30` for `30.0`,
//! `Other("archived")` for a value the spec does not list. Any change in how a body decodes
//! (a field renamed or retyped in the spec, a value gaining a variant) shows in review as a
//! snapshot diff. The tests also assert the behaviour the client relies on.

use std::path::PathBuf;

use room_sessions_api::tolerant::{
    FrameRate, RecordingStatus, RoomLayout, SessionStatus, VideoQuality,
};
use room_sessions_api::types::{
    ErrorResponse, RoomSession, RoomSessionEvent, RoomSessionList, RoomSessionMember,
    RoomSessionRecording,
};
use serde::de::DeserializeOwned;
use serde_json::{Number, Value, json};

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read_fixture(name: &str) -> Vec<u8> {
    let path = fixture_path(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Decodes a fixture as the generated client decodes a response body.
fn decode<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_slice(&read_fixture(name)).unwrap_or_else(|e| {
        panic!(
            "{name} does not decode as {}: {e}",
            std::any::type_name::<T>()
        )
    })
}

/// A fixture's check in a table: it decodes as its type.
type Decodes = fn(&str);

/// [`decode`] for a table of fixtures, the value dropped.
fn decodes<T: DeserializeOwned>(name: &str) {
    decode::<T>(name);
}

fn raw(name: &str) -> Value {
    serde_json::from_slice(&read_fixture(name)).unwrap()
}

fn uuid(text: &str) -> uuid::Uuid {
    text.parse().unwrap()
}

fn time(text: &str) -> chrono::DateTime<chrono::Utc> {
    text.parse().unwrap()
}

#[test]
fn seed_page_session_decodes_with_the_old_sync_key() {
    let session: RoomSession = decode("session_seed.json");
    assert_eq!(session.id, uuid("3fa85f64-5717-4562-b3fc-2c963f66afa6"));
    assert_eq!(session.audio_video_sync, Some(true));
    assert_eq!(session.sync_audio_video, None);
    assert_eq!(session.fps, Some(FrameRate::Fps20));
    assert_eq!(session.quality, Some(VideoQuality::P720));
    assert_eq!(session.layout, Some(RoomLayout::GridResponsive));
    assert_eq!(session.status, Some(SessionStatus::Completed));
    // Milliseconds are kept.
    assert_eq!(session.join_from, Some(time("2024-07-29T15:51:28.071Z")));
    assert_eq!(session.remove_after_seconds_elapsed, Some(3600));
    // Fields the seed page does not have are simply absent.
    assert_eq!(session.cost_in_dollars, None);
    assert_eq!(session.created_at, None);
    insta::assert_debug_snapshot!(session);
}

#[test]
fn current_api_session_decodes_with_the_new_sync_key_and_nulls() {
    let session: RoomSession = decode("session_current.json");
    assert_eq!(session.sync_audio_video, Some(false));
    assert_eq!(session.audio_video_sync, None);
    // `fps` typed as a JSON number: 30.0 is the documented 30.
    assert_eq!(session.fps, Some(FrameRate::Fps30));
    assert_eq!(session.status, Some(SessionStatus::InProgress));
    assert_eq!(session.layout, Some(RoomLayout::Highlight1Responsive));
    assert_eq!(session.cost_in_dollars, Some(0.05));
    assert_eq!(
        session.locked_cover.as_deref(),
        Some("https://example.signalwire.com/covers/locked.png")
    );
    assert_eq!(session.locked, Some(true));
    assert_eq!(session.tone_on_entry_and_exit, Some(true));
    assert_eq!(session.user_join_video_off, Some(true));
    // Nulls become None.
    assert_eq!(session.join_from, None);
    assert_eq!(session.end_time, None);
    assert_eq!(session.duration, None);
    assert_eq!(session.prioritize_handraise, None);
    insta::assert_debug_snapshot!(session);
}

#[test]
fn both_sync_keys_decode_independently() {
    let both: RoomSession = serde_json::from_value(json!({
        "id": "c22d24f6-5a47-4597-9a23-c7d01e696b92",
        "audio_video_sync": false,
        "sync_audio_video": true,
    }))
    .unwrap();
    assert_eq!(both.audio_video_sync, Some(false));
    assert_eq!(both.sync_audio_video, Some(true));
}

#[test]
fn first_page_with_absolute_links_decodes() {
    let page: RoomSessionList = decode("session_list_first_page.json");
    assert_eq!(
        page.links.next.as_deref(),
        Some(
            "https://example.signalwire.com/api/video/room_sessions?page_number=1&page_size=2&page_token=PAb3877c40da604998"
        )
    );
    assert_eq!(page.links.prev, None);
    assert_eq!(page.data.len(), 2);
    assert_eq!(page.data[0].cost_in_dollars, Some(0.05));
    // An auto-created session: its room was deleted when it ended.
    assert_eq!(page.data[1].room_id, None);
    assert_eq!(page.data[1].fps, Some(FrameRate::Fps30));
    assert_eq!(page.data[1].cost_in_dollars, Some(0.0));
    insta::assert_debug_snapshot!(page);
}

#[test]
fn last_page_with_relative_links_and_no_next_decodes() {
    let page: RoomSessionList = decode("session_list_last_page.json");
    assert!(
        page.links
            .self_
            .as_deref()
            .unwrap()
            .starts_with("/api/video/room_sessions?")
    );
    assert_eq!(
        page.links.first.as_deref(),
        Some("/api/video/room_sessions?page_number=0&page_size=2")
    );
    assert_eq!(page.links.next, None, "the last page has no next link");
    assert!(page.links.prev.is_some());
    assert_eq!(page.data.len(), 1);
    insta::assert_debug_snapshot!(page);
}

#[test]
fn member_decodes() {
    let member: RoomSessionMember = decode("member.json");
    assert_eq!(member.name.as_deref(), Some("Alice"));
    assert_eq!(member.duration, Some(105));
    assert_eq!(member.cost_in_dollars, Some(0.01));
    insta::assert_debug_snapshot!(member);
}

#[test]
fn member_who_has_not_joined_decodes_with_nulls() {
    let member: RoomSessionMember = decode("member_not_joined.json");
    assert_eq!(member.name, None);
    assert_eq!(member.join_time, None);
    assert_eq!(member.leave_time, None);
    assert_eq!(member.duration, None);
    assert_eq!(member.cost_in_dollars, None);
    insta::assert_debug_snapshot!(member);
}

#[test]
fn recording_decodes() {
    let recording: RoomSessionRecording = decode("recording.json");
    assert_eq!(recording.status, Some(RecordingStatus::Completed));
    assert_eq!(recording.size_in_bytes, Some(7_340_032));
    assert_eq!(recording.format.as_deref(), Some("video/mp4"));
    insta::assert_debug_snapshot!(recording);
}

#[test]
fn recording_with_an_unknown_status_and_field_keeps_the_status() {
    let recording: RoomSessionRecording = decode("recording_unknown_status.json");
    assert_eq!(
        recording.status,
        Some(RecordingStatus::Other("uploading".into()))
    );
    assert_eq!(recording.uri, None);
    assert_eq!(recording.size_in_bytes, None);
    insta::assert_debug_snapshot!(recording);
}

#[test]
fn event_decodes_with_its_nested_payload_kept_verbatim() {
    let event: RoomSessionEvent = decode("event.json");
    assert_eq!(event.name, "room.recording.started");
    assert_eq!(event.level.as_deref(), Some("info"));
    assert_eq!(
        event.room_participant_id,
        Some(uuid("7e4b1d2a-9c3f-4e5a-8b6d-1f2e3d4c5b6a"))
    );
    let payload = Value::Object(event.payload.clone().expect("payload"));
    assert_eq!(payload, raw("event.json")["payload"]);
    insta::assert_debug_snapshot!(event);
}

#[test]
fn single_error_body_decodes() {
    let body: ErrorResponse = decode("error_single.json");
    assert_eq!(body.error.as_deref(), Some("Not Found"));
    assert_eq!(body.errors, None);
    insta::assert_debug_snapshot!(body);
}

#[test]
fn error_list_body_decodes_with_null_and_missing_attribute() {
    let body: ErrorResponse = decode("error_list.json");
    assert_eq!(body.error, None);
    let errors = body.errors.as_ref().expect("errors");
    assert_eq!(errors.len(), 3);
    assert_eq!(errors[0].attribute.as_deref(), Some("name"));
    assert_eq!(errors[0].type_.as_deref(), Some("validation_error"));
    assert_eq!(errors[1].attribute, None, "null attribute");
    assert_eq!(errors[2].attribute, None, "missing attribute");
    assert_eq!(errors[2].url, None);
    assert_eq!(errors[2].message, "Room must be given");
    insta::assert_debug_snapshot!(body);
}

#[test]
fn session_with_every_optional_field_null_decodes_to_none() {
    let session: RoomSession = decode("session_all_null.json");
    let id_only: RoomSession = decode("session_id_only.json");
    // Every field but `id` is None, exactly as if the keys were missing.
    assert_eq!(session, id_only);
    let Value::Object(fields) = raw("session_all_null.json") else {
        panic!("not an object")
    };
    let reencoded = serde_json::to_value(&session).unwrap();
    assert_eq!(
        reencoded,
        json!({ "id": "c22d24f6-5a47-4597-9a23-c7d01e696b92" })
    );
    // The fixture names every field the type has, so the snapshot shows each one as None.
    assert_eq!(fields.len(), 30);
    insta::assert_debug_snapshot!(session);
}

#[test]
fn session_with_only_an_id_decodes() {
    let session: RoomSession = decode("session_id_only.json");
    assert_eq!(session.id, uuid("c22d24f6-5a47-4597-9a23-c7d01e696b92"));
    assert_eq!(session.status, None);
    assert_eq!(session.fps, None);
    insta::assert_debug_snapshot!(session);
}

#[test]
fn session_without_an_id_is_refused() {
    let error = serde_json::from_value::<RoomSession>(json!({ "name": "x" })).unwrap_err();
    assert!(error.to_string().contains("missing field `id`"), "{error}");
}

#[test]
fn unknown_fields_are_ignored_and_unknown_values_kept() {
    let session: RoomSession = decode("session_unknown_fields_and_values.json");
    assert_eq!(
        session.status,
        Some(SessionStatus::Other("archived".into()))
    );
    assert_eq!(session.quality, Some(VideoQuality::Other("4k".into())));
    assert_eq!(
        session.layout,
        Some(RoomLayout::Other("spotlight-7".into()))
    );
    assert_eq!(session.fps, Some(FrameRate::Other(Number::from(25))));
    assert_eq!(session.sync_audio_video, Some(true));
    insta::assert_debug_snapshot!(session);
}

/// Re-encoding writes unknown values back unchanged but drops unknown fields: a client that
/// reads, changes and writes back a session loses what it does not know. The snapshot shows
/// exactly what survives.
#[test]
fn reencoding_keeps_unknown_values_and_drops_unknown_fields() {
    let session: RoomSession = decode("session_unknown_fields_and_values.json");
    let reencoded = serde_json::to_value(&session).unwrap();
    let original = raw("session_unknown_fields_and_values.json");
    for key in ["status", "quality", "layout", "fps"] {
        assert_eq!(reencoded[key], original[key], "{key}");
    }
    for key in ["region", "recording_layout", "tags", "archived_at"] {
        assert!(original.get(key).is_some());
        assert!(reencoded.get(key).is_none(), "{key} is not in the type");
    }
    insta::assert_json_snapshot!(reencoded);
}

#[test]
fn fractional_unknown_frame_rate_is_kept_exactly() {
    let session: RoomSession = decode("session_fractional_fps.json");
    let expected = Number::from_f64(29.97).unwrap();
    assert_eq!(session.fps, Some(FrameRate::Other(expected)));
    assert_eq!(serde_json::to_value(&session).unwrap()["fps"], json!(29.97));
    insta::assert_debug_snapshot!(session);
}

#[test]
fn every_fixture_decodes_as_its_type_and_none_is_left_out() {
    // The type each fixture is a body of: a fixture added without a line here fails below.
    let fixtures: [(&str, Decodes); 15] = [
        ("error_list.json", decodes::<ErrorResponse>),
        ("error_single.json", decodes::<ErrorResponse>),
        ("event.json", decodes::<RoomSessionEvent>),
        ("member.json", decodes::<RoomSessionMember>),
        ("member_not_joined.json", decodes::<RoomSessionMember>),
        ("recording.json", decodes::<RoomSessionRecording>),
        (
            "recording_unknown_status.json",
            decodes::<RoomSessionRecording>,
        ),
        ("session_all_null.json", decodes::<RoomSession>),
        ("session_current.json", decodes::<RoomSession>),
        ("session_fractional_fps.json", decodes::<RoomSession>),
        ("session_id_only.json", decodes::<RoomSession>),
        ("session_list_first_page.json", decodes::<RoomSessionList>),
        ("session_list_last_page.json", decodes::<RoomSessionList>),
        ("session_seed.json", decodes::<RoomSession>),
        (
            "session_unknown_fields_and_values.json",
            decodes::<RoomSession>,
        ),
    ];
    for (name, decodes) in fixtures {
        decodes(name);
    }
    let mut present: Vec<String> = std::fs::read_dir(fixture_path(""))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".json"))
        .collect();
    present.sort();
    let listed: Vec<&str> = fixtures.iter().map(|(name, _)| *name).collect();
    assert_eq!(present, listed);
}
