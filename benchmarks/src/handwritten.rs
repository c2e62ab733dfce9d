//! The yardstick of the decoding benchmark: a plain `#[derive(Deserialize)]` struct with the
//! same fields and field types as the generated `room_sessions_api::types::RoomSession`, the
//! open enums as `String` (and `fps` as `f64`), as one would write by hand without a generator.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

/// A room session, written by hand: the 30 fields of the generated type.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct HandRoomSession {
    /// The older name of `sync_audio_video`.
    pub audio_video_sync: Option<bool>,
    /// What the session cost, in US dollars.
    pub cost_in_dollars: Option<f64>,
    /// When the record was created.
    pub created_at: Option<DateTime<Utc>>,
    /// Display name of the room.
    pub display_name: Option<String>,
    /// How long the session lasted, in seconds.
    pub duration: Option<i64>,
    /// Whether previews are generated.
    pub enable_room_previews: Option<bool>,
    /// When the session ended.
    pub end_time: Option<DateTime<Utc>>,
    /// Frames per second.
    pub fps: Option<f64>,
    /// Unique ID of the session.
    pub id: Uuid,
    /// No new members before this time.
    pub join_from: Option<DateTime<Utc>>,
    /// No new members after this time.
    pub join_until: Option<DateTime<Utc>>,
    /// The video layout.
    pub layout: Option<String>,
    /// Whether the session is locked.
    pub locked: Option<bool>,
    /// Image shown while locked.
    pub locked_cover: Option<String>,
    /// Maximum number of members.
    pub max_members: Option<i64>,
    /// Name of the session.
    pub name: Option<String>,
    /// URL of the preview video.
    pub preview_url: Option<String>,
    /// Whether raised hands move to the front.
    pub prioritize_handraise: Option<bool>,
    /// Video resolution.
    pub quality: Option<String>,
    /// Whether recording started with the session.
    pub record_on_start: Option<bool>,
    /// Members are removed after this many seconds.
    pub remove_after_seconds_elapsed: Option<i32>,
    /// Members are removed at this time.
    pub remove_at: Option<DateTime<Utc>>,
    /// Unique ID of the room.
    pub room_id: Option<Uuid>,
    /// Whether members join with video off.
    pub room_join_video_off: Option<bool>,
    /// When the session started.
    pub start_time: Option<DateTime<Utc>>,
    /// The session's state.
    pub status: Option<String>,
    /// Whether audio and video are kept in sync.
    pub sync_audio_video: Option<bool>,
    /// Whether a tone plays on entry and exit.
    pub tone_on_entry_and_exit: Option<bool>,
    /// When the record was last changed.
    pub updated_at: Option<DateTime<Utc>>,
    /// Whether users join with video off.
    pub user_join_video_off: Option<bool>,
}

/// A page's links, written by hand.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct HandPageLinks {
    /// The first page.
    pub first: String,
    /// The next page; absent on the last.
    pub next: Option<String>,
    /// The previous page; absent on the first.
    pub prev: Option<String>,
    /// This page.
    #[serde(rename = "self")]
    pub self_: String,
}

/// A page of room sessions, written by hand.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct HandRoomSessionList {
    /// The sessions of the page.
    pub data: Vec<HandRoomSession>,
    /// Links to other pages.
    pub links: HandPageLinks,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;
    use room_sessions_api::types;

    /// The comparison is fair only if both decode the same data to the same values.
    #[test]
    fn decodes_the_same_values_as_the_generated_type() {
        let body = fixtures::page_body("http://127.0.0.1:1/api/video", 0, 2, 100, None);
        let hand: HandRoomSessionList = serde_json::from_slice(&body).unwrap();
        let generated: types::RoomSessionList = serde_json::from_slice(&body).unwrap();
        assert_eq!(hand.data.len(), generated.data.len());
        for (h, g) in hand.data.iter().zip(&generated.data) {
            assert_eq!(h.id, g.id);
            assert_eq!(h.room_id, g.room_id);
            assert_eq!(h.start_time, g.start_time);
            assert_eq!(h.end_time, g.end_time);
            assert_eq!(h.duration, g.duration);
            assert_eq!(h.status.as_deref(), g.status.as_ref().map(|s| s.as_str()));
            assert_eq!(h.layout.as_deref(), g.layout.as_ref().map(|l| l.as_str()));
            assert_eq!(h.fps, g.fps.as_ref().map(|f| f.as_f64()));
            assert_eq!(h.cost_in_dollars, g.cost_in_dollars);
            assert_eq!(h.locked_cover, g.locked_cover);
        }
        assert_eq!(hand.links.next, generated.links.next);
    }
}
