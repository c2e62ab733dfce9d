//! The values of `room_sessions_httpmock::values` are the spec's examples: a test that starts
//! from them starts from what the spec documents.

mod common;

use common::spec::{error_example, example, ok_example};
use room_sessions_api::types::{
    ErrorResponse, RoomSession, RoomSessionEventList, RoomSessionList, RoomSessionMemberList,
    RoomSessionRecordingList,
};
use room_sessions_httpmock::values;

#[test]
fn the_sessions_are_the_examples_of_both_generations() {
    let find = "~1room_sessions~1{id}";
    let current: RoomSession = example(&ok_example(find, Some("current")));
    let legacy: RoomSession = example(&ok_example(find, Some("legacy")));
    assert_eq!(values::session_current(), current);
    assert_eq!(values::session_legacy(), legacy);
    // The older generation uses the older names, the current one the newer.
    assert!(legacy.audio_video_sync.is_some() && legacy.sync_audio_video.is_none());
    assert!(current.sync_audio_video.is_some() && current.audio_video_sync.is_none());

    let listed: RoomSessionList = example(&ok_example("~1room_sessions", None));
    assert_eq!(listed.data, [values::session_listed()]);
}

#[test]
fn the_member_event_and_recording_are_the_examples() {
    let members: RoomSessionMemberList =
        example(&ok_example("~1room_sessions~1{id}~1members", None));
    let events: RoomSessionEventList = example(&ok_example("~1room_sessions~1{id}~1events", None));
    let recordings: RoomSessionRecordingList =
        example(&ok_example("~1room_sessions~1{id}~1recordings", None));
    assert_eq!(members.data, [values::member()]);
    assert_eq!(events.data, [values::event()]);
    assert_eq!(recordings.data, [values::recording()]);
}

#[test]
fn every_documented_error_status_has_the_specs_body() {
    let names = [
        (400, "BadRequest"),
        (401, "Unauthorized"),
        (403, "Forbidden"),
        (404, "NotFound"),
        (422, "UnprocessableEntity"),
        (429, "TooManyRequests"),
        (500, "InternalServerError"),
    ];
    let bodies = values::error_bodies();
    assert_eq!(bodies.len(), names.len());
    for ((status, body), (documented, name)) in bodies.into_iter().zip(names) {
        assert_eq!(status, documented);
        let expected: ErrorResponse = example(&error_example(name));
        assert_eq!(body, expected, "{status} {name}");
    }
}

#[test]
fn the_live_session_is_the_current_one_running() {
    let live = values::session_live();
    assert!(live.end_time.is_none() && live.duration.is_none());
    assert_eq!(
        live.status,
        Some(room_sessions_api::tolerant::SessionStatus::InProgress)
    );
    assert_eq!(live.id, values::SESSION_ID);
}
