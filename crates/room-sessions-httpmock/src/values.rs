//! Realistic values to start a mock from: the spec's own examples, written as the client's
//! types.
//!
//! Every value is a struct literal that names every field, so a spec change that adds,
//! removes or retypes a field breaks this file at compile time rather than a test at run
//! time; `tests/values.rs` checks that each value still equals the spec's example. Change
//! what a test needs with struct update syntax:
//!
//! ```
//! use room_sessions_api::tolerant::SessionStatus;
//! use room_sessions_api::types::RoomSession;
//! use room_sessions_httpmock::values;
//!
//! let live = RoomSession {
//!     status: Some(SessionStatus::InProgress),
//!     end_time: None,
//!     duration: None,
//!     ..values::session_current()
//! };
//! assert_eq!(live.id, values::session_current().id);
//! ```

use chrono::{DateTime, Utc};
use room_sessions_api::tolerant::{
    FrameRate, RecordingStatus, RoomLayout, SessionStatus, VideoQuality,
};
use room_sessions_api::types::{
    ApiError, ErrorResponse, RoomSession, RoomSessionEvent, RoomSessionMember, RoomSessionRecording,
};
use uuid::Uuid;

/// The id of [`session_current`], the session of every example of the spec.
pub const SESSION_ID: Uuid = Uuid::from_u128(0xc22d24f6_5a47_4597_9a23_c7d01e696b92);
/// The id of [`session_legacy`].
pub const LEGACY_SESSION_ID: Uuid = Uuid::from_u128(0x3fa85f64_5717_4562_b3fc_2c963f66afa6);
/// The room of both sessions.
pub const ROOM_ID: Uuid = Uuid::from_u128(0xa1b2c3d4_5e6f_7890_abcd_ef1234567890);
/// The project of [`event`]: the project id a test's client sends, and the one the demo
/// server accepts.
pub const PROJECT_ID: Uuid = Uuid::from_u128(0xb3877c40_da60_4998_90ad_b792e98472af);

/// A UTC timestamp from RFC 3339 text; the values below are constants, so a typo panics in
/// every test that uses them.
pub(crate) fn utc(text: &str) -> DateTime<Utc> {
    text.parse()
        .unwrap_or_else(|e| panic!("{text:?} is not an RFC 3339 timestamp: {e}"))
}

/// A completed session in the current generation of fields (`sync_audio_video`, the newer
/// booleans and timestamps, none of the fields sent in list items only): the spec's
/// `current` example of `get_room_session`.
pub fn session_current() -> RoomSession {
    RoomSession {
        id: SESSION_ID,
        room_id: Some(ROOM_ID),
        name: Some("my_example_room".to_owned()),
        display_name: Some("My Room's Name".to_owned()),
        join_from: None,
        join_until: None,
        remove_at: None,
        remove_after_seconds_elapsed: None,
        layout: Some(RoomLayout::GridResponsive),
        max_members: Some(20),
        fps: Some(FrameRate::Fps20),
        quality: Some(VideoQuality::P720),
        start_time: Some(utc("2022-01-01T10:00:00Z")),
        end_time: Some(utc("2022-01-01T10:02:00Z")),
        duration: Some(120),
        status: Some(SessionStatus::Completed),
        record_on_start: Some(false),
        enable_room_previews: None,
        preview_url: None,
        audio_video_sync: None,
        sync_audio_video: Some(true),
        tone_on_entry_and_exit: Some(true),
        room_join_video_off: Some(false),
        user_join_video_off: Some(false),
        locked: Some(false),
        prioritize_handraise: Some(false),
        created_at: Some(utc("2022-01-01T09:59:58Z")),
        updated_at: Some(utc("2022-01-01T10:02:01Z")),
        cost_in_dollars: None,
        locked_cover: None,
    }
}

/// [`session_current`] while it runs: `in-progress`, started at 10:00, no end or duration yet.
pub fn session_live() -> RoomSession {
    RoomSession {
        status: Some(SessionStatus::InProgress),
        end_time: None,
        duration: None,
        updated_at: Some(utc("2022-01-01T10:00:01Z")),
        ..session_current()
    }
}

/// [`session_current`] as a list item carries it: with `cost_in_dollars`,
/// `enable_room_previews` and `locked_cover`, which the current API sends in listings only.
/// The item of the spec's `list_room_sessions` example.
pub fn session_listed() -> RoomSession {
    RoomSession {
        enable_room_previews: Some(false),
        cost_in_dollars: Some(0.05),
        locked_cover: None,
        ..session_current()
    }
}

/// A completed session in the older generation of fields (`audio_video_sync`,
/// `enable_room_previews`, times with milliseconds, none of the newer fields): the spec's
/// `legacy` example of `get_room_session`.
pub fn session_legacy() -> RoomSession {
    RoomSession {
        id: LEGACY_SESSION_ID,
        room_id: Some(ROOM_ID),
        name: Some("my_example_room".to_owned()),
        display_name: Some("My Room's Name".to_owned()),
        join_from: Some(utc("2024-07-29T15:51:28.071Z")),
        join_until: Some(utc("2024-07-29T17:51:28.071Z")),
        remove_at: Some(utc("2024-07-29T18:00:00.000Z")),
        remove_after_seconds_elapsed: Some(3600),
        layout: Some(RoomLayout::GridResponsive),
        max_members: Some(20),
        fps: Some(FrameRate::Fps30),
        quality: Some(VideoQuality::P1080),
        start_time: Some(utc("2024-07-29T15:51:28.071Z")),
        end_time: Some(utc("2024-07-29T16:01:28.071Z")),
        duration: Some(600),
        status: Some(SessionStatus::Completed),
        record_on_start: Some(true),
        enable_room_previews: Some(true),
        preview_url: Some("https://example.signalwire.com/preview/abc123".to_owned()),
        audio_video_sync: Some(true),
        sync_audio_video: None,
        tone_on_entry_and_exit: None,
        room_join_video_off: None,
        user_join_video_off: None,
        locked: None,
        prioritize_handraise: None,
        created_at: None,
        updated_at: None,
        cost_in_dollars: None,
        locked_cover: None,
    }
}

/// A member of [`session_current`] who joined and left: the spec's `list_room_session_members`
/// example.
pub fn member() -> RoomSessionMember {
    RoomSessionMember {
        id: Uuid::from_u128(0x7e4b1d2a_9c3f_4e5a_8b6d_1f2e3d4c5b6a),
        room_session_id: SESSION_ID,
        name: Some("Alice".to_owned()),
        join_time: Some(utc("2022-01-01T10:00:05Z")),
        leave_time: Some(utc("2022-01-01T10:01:50Z")),
        duration: Some(105),
        cost_in_dollars: Some(0.01),
    }
}

/// The `room.started` event of [`session_current`]: the spec's `list_room_session_events`
/// example.
pub fn event() -> RoomSessionEvent {
    let mut payload = serde_json::Map::new();
    payload.insert("room_name".to_owned(), "my_example_room".into());
    RoomSessionEvent {
        id: Uuid::from_u128(0x0b6a2f3e_4d5c_4b7a_9e8f_1a2b3c4d5e6f),
        project_id: Some(PROJECT_ID),
        room_id: Some(ROOM_ID),
        room_session_id: SESSION_ID,
        room_recording_id: None,
        room_participant_id: None,
        level: Some("info".to_owned()),
        name: "room.started".to_owned(),
        payload: Some(payload),
        created_at: utc("2022-01-01T10:00:00Z"),
    }
}

/// A finished recording of [`session_current`]: the spec's `list_room_session_recordings`
/// example.
pub fn recording() -> RoomSessionRecording {
    RoomSessionRecording {
        id: Uuid::from_u128(0x5d4c3b2a_1f0e_4d9c_8b7a_6f5e4d3c2b1a),
        room_session_id: SESSION_ID,
        status: Some(RecordingStatus::Completed),
        started_at: Some(utc("2022-01-01T10:00:10Z")),
        finished_at: Some(utc("2022-01-01T10:01:40Z")),
        duration: Some(90),
        size_in_bytes: Some(7_340_032),
        format: Some("video/mp4".to_owned()),
        uri: Some("https://example.signalwire.com/recordings/5d4c3b2a.mp4?expires=600".to_owned()),
        cost_in_dollars: Some(0.02),
        created_at: Some(utc("2022-01-01T10:00:10Z")),
        updated_at: Some(utc("2022-01-01T10:01:45Z")),
    }
}

fn error(message: &str) -> ErrorResponse {
    ErrorResponse {
        error: Some(message.to_owned()),
        errors: None,
    }
}

/// 400: `{"error": "Bad Request"}`.
pub fn bad_request() -> ErrorResponse {
    error("Bad Request")
}

/// 401: `{"error": "Unauthorized"}`.
pub fn unauthorized() -> ErrorResponse {
    error("Unauthorized")
}

/// 403: `{"error": "Forbidden"}`.
pub fn forbidden() -> ErrorResponse {
    error("Forbidden")
}

/// 404: `{"error": "Not Found"}`.
pub fn not_found() -> ErrorResponse {
    error("Not Found")
}

/// 422: the other shape, one entry per problem (here a page size out of range).
pub fn unprocessable_entity() -> ErrorResponse {
    validation_error("page_size", "Page size must be between 1 and 1000")
}

/// 422 for `attribute`, with `message`: what the API answers for a parameter that fails
/// validation.
pub fn validation_error(attribute: &str, message: &str) -> ErrorResponse {
    ErrorResponse {
        error: None,
        errors: Some(vec![ApiError {
            type_: Some("validation_error".to_owned()),
            code: Some("invalid_parameter".to_owned()),
            message: message.to_owned(),
            attribute: Some(attribute.to_owned()),
            url: Some(
                "https://developer.signalwire.com/rest/overview/error-codes#invalid_parameter"
                    .to_owned(),
            ),
        }]),
    }
}

/// 429: `{"error": "Too Many Requests"}`.
pub fn too_many_requests() -> ErrorResponse {
    error("Too Many Requests")
}

/// 500: `{"error": "Internal Server Error"}`.
pub fn internal_server_error() -> ErrorResponse {
    error("Internal Server Error")
}

/// The statuses the spec documents for errors, each with its body: the spec's examples.
pub fn error_bodies() -> [(u16, ErrorResponse); 7] {
    [
        (400, bad_request()),
        (401, unauthorized()),
        (403, forbidden()),
        (404, not_found()),
        (422, unprocessable_entity()),
        (429, too_many_requests()),
        (500, internal_server_error()),
    ]
}
