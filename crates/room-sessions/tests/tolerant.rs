//! What the server may send that the spec does not promise: unknown fields and values, nulls,
//! missing fields, either name of the sync flag. All of it decodes through the wrapper.

mod common;

use std::time::Duration;

use common::*;
use futures::TryStreamExt;
use room_sessions::{FrameRate, RecordingStatus, RoomLayout, SessionStatus, VideoQuality};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn serve(body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn unknown_fields_and_values_are_kept_or_ignored() {
    let mut body = session_json(SESSION_ID);
    body["status"] = json!("archived");
    body["quality"] = json!("4k");
    body["layout"] = json!("spotlight-7");
    body["fps"] = json!(29.97);
    body["brand_new_field"] = json!({"nested": [1, 2, 3]});
    let server = serve(body).await;
    let session = client(&server).room_session(SESSION_ID).await.unwrap();
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
}

#[tokio::test]
async fn known_values_get_their_variants() {
    let mut body = session_json(SESSION_ID);
    body["status"] = json!("in-progress");
    body["fps"] = json!(30.0);
    body["quality"] = json!("1080p");
    body["layout"] = json!("2x2");
    let server = serve(body).await;
    let session = client(&server).room_session(SESSION_ID).await.unwrap();
    assert!(session.is_in_progress());
    assert_eq!(session.fps(), Some(&FrameRate::Fps30));
    assert_eq!(session.quality(), Some(&VideoQuality::P1080));
    assert_eq!(session.layout(), Some(&RoomLayout::L2x2));
    assert_eq!(session.display_name_or_name(), Some("My Room's Name"));
}

#[tokio::test]
async fn nulls_and_missing_fields_are_none() {
    // Every nullable field null.
    let mut body = session_json(SESSION_ID);
    for (key, value) in body.as_object_mut().unwrap() {
        if key != "id" {
            *value = serde_json::Value::Null;
        }
    }
    let server = serve(body).await;
    let session = client(&server).room_session(SESSION_ID).await.unwrap();
    assert_eq!(session.status(), None);
    assert_eq!(session.fps(), None);
    assert_eq!(session.duration(), None);
    assert_eq!(session.sync_audio_video(), None);
    assert_eq!(session.room_id, None);

    // Only the id.
    let server = serve(json!({"id": SESSION_ID})).await;
    let session = client(&server).room_session(SESSION_ID).await.unwrap();
    assert_eq!(session.name, None);
    assert_eq!(session.display_name_or_name(), None);
    assert_eq!(session.layout(), None);
}

#[tokio::test]
async fn the_sync_flag_is_read_from_either_key() {
    for (key, value) in [("sync_audio_video", true), ("audio_video_sync", false)] {
        let server = serve(json!({"id": SESSION_ID, key: value})).await;
        let session = client(&server).room_session(SESSION_ID).await.unwrap();
        assert_eq!(session.sync_audio_video(), Some(value), "{key}");
    }
    // The seed-era example: the older key, times with milliseconds.
    let server = serve(json!({
        "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "start_time": "2024-07-29T15:51:28.071Z",
        "end_time": "2024-07-29T16:01:28.071Z",
        "fps": 30,
        "audio_video_sync": true
    }))
    .await;
    let session = client(&server)
        .room_session("3fa85f64-5717-4562-b3fc-2c963f66afa6")
        .await
        .unwrap();
    assert_eq!(session.sync_audio_video(), Some(true));
    // No `duration`: computed from the times.
    assert_eq!(session.duration(), Some(Duration::from_secs(600)));
}

#[tokio::test]
async fn list_items_tolerate_the_same() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path(&format!(
            "/room_sessions/{SESSION_ID}/recordings"
        ))))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "links": {"self": "/x", "first": "/x", "extra": "ignored"},
            "data": [
                {"id": numbered_id(1), "room_session_id": SESSION_ID, "status": "uploading",
                 "uri": null, "duration": null, "size_in_bytes": null, "future": true},
                {"id": numbered_id(2), "room_session_id": SESSION_ID, "status": "processing",
                 "started_at": "2022-01-01T10:00:10Z", "finished_at": "2022-01-01T10:01:40Z"}
            ],
            "meta": {"total": 2}
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(api_path(&format!(
            "/room_sessions/{SESSION_ID}/members"
        ))))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "links": {"self": "/x", "first": "/x"},
            "data": [{"id": numbered_id(3), "room_session_id": SESSION_ID, "name": null,
                      "join_time": "2022-01-01T10:00:05Z", "leave_time": null,
                      "duration": null}]
        })))
        .mount(&server)
        .await;
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
