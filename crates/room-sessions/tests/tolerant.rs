//! What the server may send that the spec does not promise: unknown fields and values, nulls,
//! missing fields, either name of the sync flag. All of it decodes through the wrapper.
//!
//! Values the types can hold (an unknown status, either sync key) are built from them and
//! served by typed mocks; what they cannot (a field they do not know, an explicit `null`,
//! `30.0` for a rate) is served as raw JSON, through the typed mock's `into_inner()`.

mod common;
/// The spec, read as every test that checks something against it reads it.
#[path = "../../room-sessions-httpmock/tests/common/spec.rs"]
mod spec;

use std::time::Duration;

use common::*;
use futures::TryStreamExt;
use room_sessions::api::types;
use room_sessions::{FrameRate, RecordingStatus, RoomLayout, SessionStatus, VideoQuality};
use room_sessions_httpmock::httpmock::MockServer;
use room_sessions_httpmock::{MockServerExt, values};
use serde_json::{Value, json};

/// `session`, served by a typed mock and found through the wrapper.
async fn served(session: &types::RoomSession) -> room_sessions::RoomSession {
    let server = MockServer::start_async().await;
    let mock = server.get_room_session(|when, then| {
        when.id(&session.id);
        then.ok(session);
    });
    let found = client(&server).room_session(session.id).await.unwrap();
    mock.assert_async().await;
    found
}

/// [`SESSION_ID`], answered with `body` and found through the wrapper.
async fn served_raw(body: Value) -> room_sessions::RoomSession {
    let server = MockServer::start_async().await;
    let mock = server.get_room_session(|when, then| {
        when.id(&SESSION_ID);
        then.into_inner().status(200).json_body(body);
    });
    let found = client(&server).room_session(SESSION_ID).await.unwrap();
    mock.assert_async().await;
    found
}

/// Every property the spec lists for a room session.
fn session_fields_of_the_spec() -> Vec<String> {
    let spec = spec::spec();
    let properties = spec.pointer("/components/schemas/RoomSession/properties");
    let properties = properties
        .and_then(Value::as_object)
        .expect("RoomSession's properties");
    properties.keys().cloned().collect()
}

#[tokio::test]
async fn unknown_values_are_kept_and_written_back_as_received() {
    let sent = types::RoomSession {
        status: Some(SessionStatus::Other("archived".into())),
        quality: Some(VideoQuality::Other("4k".into())),
        layout: Some(RoomLayout::Other("spotlight-7".into())),
        fps: serde_json::Number::from_f64(29.97).map(FrameRate::Other),
        ..values::session_current()
    };

    let session = served(&sent).await;

    assert_eq!(
        session.status(),
        Some(&SessionStatus::Other("archived".into()))
    );
    assert!(!session.is_completed() && !session.is_in_progress());
    assert_eq!(session.quality(), Some(&VideoQuality::Other("4k".into())));
    assert_eq!(
        session.layout(),
        Some(&RoomLayout::Other("spotlight-7".into()))
    );
    assert_eq!(session.fps().map(FrameRate::as_f64), Some(29.97));
    // Written back as received.
    let written = serde_json::to_value(&session).unwrap();
    assert_eq!(written["status"], "archived");
    assert_eq!(written["layout"], "spotlight-7");
    assert_eq!(session.into_inner(), sent);
}

#[tokio::test]
async fn unknown_fields_are_ignored() {
    let mut body = session_json(SESSION_ID);
    body["brand_new_field"] = json!({"nested": [1, 2, 3]});
    let session = served_raw(body).await;

    let known = types::RoomSession {
        id: SESSION_ID,
        ..values::session_listed()
    };
    assert_eq!(session.into_inner(), known);
}

#[tokio::test]
async fn known_values_get_their_variants() {
    let session = served(&types::RoomSession {
        status: Some(SessionStatus::InProgress),
        fps: Some(FrameRate::Fps30),
        quality: Some(VideoQuality::P1080),
        layout: Some(RoomLayout::L2x2),
        ..values::session_current()
    })
    .await;

    assert!(session.is_in_progress());
    assert_eq!(session.fps(), Some(&FrameRate::Fps30));
    assert_eq!(session.quality(), Some(&VideoQuality::P1080));
    assert_eq!(session.layout(), Some(&RoomLayout::L2x2));
    assert_eq!(session.display_name_or_name(), Some("My Room's Name"));
}

#[tokio::test]
async fn a_frame_rate_is_read_from_any_number() {
    let cases = [
        ("20", json!(20), FrameRate::Fps20),
        ("30", json!(30), FrameRate::Fps30),
        ("30.0", json!(30.0), FrameRate::Fps30),
        ("a string holding 30", json!("30"), FrameRate::Fps30),
        (
            "29.97",
            json!(29.97),
            FrameRate::Other(serde_json::Number::from_f64(29.97).unwrap()),
        ),
    ];
    for (name, fps, expected) in cases {
        let session = served_raw(json!({"id": SESSION_ID, "fps": fps})).await;
        assert_eq!(session.fps(), Some(&expected), "{name}");
    }
}

#[tokio::test]
async fn nulls_and_missing_fields_are_none() {
    // Every field the spec lists null, but the id.
    let mut body = serde_json::Map::new();
    for field in session_fields_of_the_spec() {
        body.insert(field, Value::Null);
    }
    body.insert("id".to_owned(), json!(SESSION_ID));
    let session = served_raw(Value::Object(body)).await;
    assert_eq!(session.status(), None);
    assert_eq!(session.fps(), None);
    assert_eq!(session.duration(), None);
    assert_eq!(session.sync_audio_video(), None);
    assert_eq!(session.room_id, None);

    // Only the id.
    let session = served_raw(json!({"id": SESSION_ID})).await;
    assert_eq!(session.name, None);
    assert_eq!(session.display_name_or_name(), None);
    assert_eq!(session.layout(), None);
}

#[tokio::test]
async fn the_sync_flag_is_read_from_either_key() {
    let cases = [
        (
            "sync_audio_video",
            types::RoomSession {
                sync_audio_video: Some(true),
                audio_video_sync: None,
                ..values::session_current()
            },
            Some(true),
        ),
        (
            "audio_video_sync",
            types::RoomSession {
                sync_audio_video: None,
                audio_video_sync: Some(false),
                ..values::session_current()
            },
            Some(false),
        ),
    ];
    for (key, sent, expected) in cases {
        let session = served(&sent).await;
        assert_eq!(session.sync_audio_video(), expected, "{key}");
    }

    // The seed-era example: the older key, times with milliseconds, and no `duration`.
    let session = served(&types::RoomSession {
        duration: None,
        ..values::session_legacy()
    })
    .await;
    assert_eq!(session.sync_audio_video(), Some(true));
    // Computed from the times.
    assert_eq!(session.duration(), Some(Duration::from_secs(600)));
}

#[tokio::test]
async fn list_items_tolerate_the_same() {
    // Raw JSON: fields the types do not know at every level, and explicit nulls.
    let server = MockServer::start_async().await;
    server.list_room_session_recordings(|when, then| {
        when.id(&SESSION_ID);
        then.into_inner().status(200).json_body(json!({
            "links": {"self": "/x", "first": "/x", "extra": "ignored"},
            "data": [
                {"id": numbered_id(1), "room_session_id": SESSION_ID, "status": "uploading",
                 "uri": null, "duration": null, "size_in_bytes": null, "future": true},
                {"id": numbered_id(2), "room_session_id": SESSION_ID, "status": "processing",
                 "started_at": "2022-01-01T10:00:10Z", "finished_at": "2022-01-01T10:01:40Z"}
            ],
            "meta": {"total": 2}
        }));
    });
    server.list_room_session_members(|when, then| {
        when.id(&SESSION_ID);
        then.into_inner().status(200).json_body(json!({
            "links": {"self": "/x", "first": "/x"},
            "data": [{"id": numbered_id(3), "room_session_id": SESSION_ID, "name": null,
                      "join_time": "2022-01-01T10:00:05Z", "leave_time": null,
                      "duration": null}]
        }));
    });
    let client = client(&server);
    let recordings: Vec<_> = client
        .room_session_recordings(SESSION_ID)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        recordings[0].status(),
        Some(&RecordingStatus::Other("uploading".into()))
    );
    assert_eq!(recordings[0].media_url(), None);
    assert_eq!(recordings[0].size(), None);
    assert_eq!(recordings[1].status(), Some(&RecordingStatus::Processing));
    assert_eq!(recordings[1].duration(), Some(Duration::from_secs(90)));

    let members: Vec<_> = client
        .room_session_members(SESSION_ID)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(members[0].is_present());
    assert_eq!(members[0].duration(), None);
}
