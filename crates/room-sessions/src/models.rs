//! The API's resources, with accessors that read them the way a program wants to.
//!
//! # Why newtypes
//!
//! The structs are generated in `room-sessions-api`, so this crate cannot add inherent methods
//! to them. An extension trait would work, but each user would then have to import it (a
//! prelude) before `session.status()` compiles, and a method of a trait in scope silently
//! competes with the struct's fields of the same name. Instead each resource is a thin
//! newtype of this crate that holds the generated struct, `Deref`s to it (so `session.id`,
//! `session.name`, ... read the fields as before) and adds the accessors as inherent methods:
//! `use room_sessions::Client` is all it takes. The newtypes are `#[serde(transparent)]`:
//! they serialize exactly like the generated structs, and
//! [`into_inner`](RoomSession::into_inner) gives the generated struct back.
//!
//! Every field but the ids may be missing or `null`, and the server may send values this
//! version of the client does not know: the accessors return `Option`s, and the enums keep
//! unknown values as `Other(..)`.

use std::ops::{Deref, DerefMut};
use std::time::Duration;

use chrono::{DateTime, Utc};
use room_sessions_api::tolerant::{
    FrameRate, RecordingStatus, RoomLayout, SessionStatus, VideoQuality,
};
use room_sessions_api::types;
use serde::{Deserialize, Serialize};

/// Declares a newtype of a generated struct with `Deref`, conversions and serde transparency.
macro_rules! resource {
    ($(#[$meta:meta])* $name:ident => $raw:ident) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(types::$raw);

        impl $name {
            #[doc = concat!("The generated [`room_sessions_api::types::", stringify!($raw), "`] this wraps.")]
            pub fn into_inner(self) -> types::$raw {
                self.0
            }
        }

        impl Deref for $name {
            type Target = types::$raw;

            fn deref(&self) -> &types::$raw {
                &self.0
            }
        }

        impl DerefMut for $name {
            fn deref_mut(&mut self) -> &mut types::$raw {
                &mut self.0
            }
        }

        impl AsRef<types::$raw> for $name {
            fn as_ref(&self) -> &types::$raw {
                &self.0
            }
        }

        impl From<types::$raw> for $name {
            fn from(raw: types::$raw) -> Self {
                Self(raw)
            }
        }

        impl From<$name> for types::$raw {
            fn from(wrapped: $name) -> Self {
                wrapped.0
            }
        }
    };
}

/// Seconds as a `Duration`; `None` for a negative count.
fn seconds(value: Option<i64>) -> Option<Duration> {
    value
        .and_then(|s| u64::try_from(s).ok())
        .map(Duration::from_secs)
}

/// The time from `start` to `end`; `None` if either is missing or `end` is before `start`.
fn between(start: Option<DateTime<Utc>>, end: Option<DateTime<Utc>>) -> Option<Duration> {
    (end? - start?).to_std().ok()
}

resource! {
    /// A room session: one period of activity of a video room, from its first member joining
    /// to its end.
    ///
    /// The fields are those of [`room_sessions_api::types::RoomSession`], read through
    /// `Deref` (`session.id`, `session.name`, `session.start_time`, ...).
    ///
    /// ```
    /// use room_sessions::{RoomSession, SessionStatus, VideoQuality};
    ///
    /// let session: RoomSession = serde_json::from_str(r#"{
    ///     "id": "c22d24f6-5a47-4597-9a23-c7d01e696b92",
    ///     "status": "completed", "quality": "720p", "fps": 20.0,
    ///     "duration": 120, "audio_video_sync": true, "brand_new_field": 1
    /// }"#)?;
    /// assert_eq!(session.id.to_string(), "c22d24f6-5a47-4597-9a23-c7d01e696b92");
    /// assert_eq!(session.status(), Some(&SessionStatus::Completed));
    /// assert_eq!(session.quality(), Some(&VideoQuality::P720));
    /// assert_eq!(session.fps().map(|f| f.as_f64()), Some(20.0));
    /// assert_eq!(session.duration(), Some(std::time::Duration::from_secs(120)));
    /// assert_eq!(session.sync_audio_video(), Some(true));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    RoomSession => RoomSession
}

impl RoomSession {
    /// The session's state (`in-progress`, `completed`, or a state this client does not know).
    pub fn status(&self) -> Option<&SessionStatus> {
        self.0.status.as_ref()
    }

    /// Whether the session is running.
    pub fn is_in_progress(&self) -> bool {
        self.status() == Some(&SessionStatus::InProgress)
    }

    /// Whether the session has ended.
    pub fn is_completed(&self) -> bool {
        self.status() == Some(&SessionStatus::Completed)
    }

    /// The resolution (`720p`, `1080p`, or another).
    pub fn quality(&self) -> Option<&VideoQuality> {
        self.0.quality.as_ref()
    }

    /// The initial layout (`grid-responsive`, ..., or a layout this client does not know).
    pub fn layout(&self) -> Option<&RoomLayout> {
        self.0.layout.as_ref()
    }

    /// The frames per second (20, 30, or another number).
    pub fn fps(&self) -> Option<&FrameRate> {
        self.0.fps.as_ref()
    }

    /// Whether the jitter buffer keeps audio and video in sync, from whichever key the server
    /// sent: `sync_audio_video` (the current name) or `audio_video_sync` (the older one).
    pub fn sync_audio_video(&self) -> Option<bool> {
        self.0.sync_audio_video.or(self.0.audio_video_sync)
    }

    /// How long the session lasted: the `duration` the server sent, or else the time from
    /// `start_time` to `end_time`. `None` while it runs, or when neither is known.
    pub fn duration(&self) -> Option<Duration> {
        seconds(self.0.duration).or_else(|| between(self.0.start_time, self.0.end_time))
    }

    /// How long members may stay before they are removed (`remove_after_seconds_elapsed`).
    pub fn remove_after(&self) -> Option<Duration> {
        seconds(self.0.remove_after_seconds_elapsed.map(i64::from))
    }

    /// The name to show: `display_name`, or else `name`.
    pub fn display_name_or_name(&self) -> Option<&str> {
        self.0
            .display_name
            .as_deref()
            .filter(|n| !n.is_empty())
            .or(self.0.name.as_deref())
    }
}

resource! {
    /// A member who joined a room session.
    ///
    /// The fields are those of [`room_sessions_api::types::RoomSessionMember`], read through
    /// `Deref` (`member.id`, `member.name`, `member.join_time`, ...).
    RoomSessionMember => RoomSessionMember
}

impl RoomSessionMember {
    /// How long the member stayed: the `duration` the server sent, or else the time from
    /// `join_time` to `leave_time`. `None` if the member has not joined or is still there.
    pub fn duration(&self) -> Option<Duration> {
        seconds(self.0.duration).or_else(|| between(self.0.join_time, self.0.leave_time))
    }

    /// Whether the member is in the session now: joined and not left.
    pub fn is_present(&self) -> bool {
        self.0.join_time.is_some() && self.0.leave_time.is_none()
    }
}

resource! {
    /// A recording made during a room session.
    ///
    /// The fields are those of [`room_sessions_api::types::RoomSessionRecording`], read
    /// through `Deref` (`recording.id`, `recording.uri`, `recording.format`, ...).
    RoomSessionRecording => RoomSessionRecording
}

impl RoomSessionRecording {
    /// The recording's state (`recording`, `paused`, `processing`, `completed`, or another).
    pub fn status(&self) -> Option<&RecordingStatus> {
        self.0.status.as_ref()
    }

    /// Whether the media file is ready.
    pub fn is_completed(&self) -> bool {
        self.status() == Some(&RecordingStatus::Completed)
    }

    /// The recording's length: the `duration` the server sent, or else the time from
    /// `started_at` to `finished_at`.
    pub fn duration(&self) -> Option<Duration> {
        seconds(self.0.duration).or_else(|| between(self.0.started_at, self.0.finished_at))
    }

    /// The size of the media file in bytes (`None` if unknown or negative).
    pub fn size(&self) -> Option<u64> {
        self.0.size_in_bytes.and_then(|s| u64::try_from(s).ok())
    }

    /// The temporary link to the media (`uri`); it stays valid for the `media_ttl` of the
    /// request.
    pub fn media_url(&self) -> Option<&str> {
        self.0.uri.as_deref()
    }
}

resource! {
    /// Something that happened in a room session, such as `room.started`.
    ///
    /// The fields are those of [`room_sessions_api::types::RoomSessionEvent`], read through
    /// `Deref` (`event.name`, `event.created_at`, `event.payload`, ...).
    RoomSessionEvent => RoomSessionEvent
}

impl RoomSessionEvent {
    /// One entry of the event's `payload`, whose shape depends on the event's name.
    pub fn payload_field(&self, key: &str) -> Option<&serde_json::Value> {
        self.0.payload.as_ref()?.get(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(json: &str) -> RoomSession {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn sync_reads_either_key_preferring_the_current_one() {
        let id = r#""id":"c22d24f6-5a47-4597-9a23-c7d01e696b92""#;
        assert_eq!(
            session(&format!(r#"{{{id},"sync_audio_video":true}}"#)).sync_audio_video(),
            Some(true)
        );
        assert_eq!(
            session(&format!(r#"{{{id},"audio_video_sync":false}}"#)).sync_audio_video(),
            Some(false)
        );
        assert_eq!(
            session(&format!(
                r#"{{{id},"audio_video_sync":false,"sync_audio_video":true}}"#
            ))
            .sync_audio_video(),
            Some(true)
        );
        assert_eq!(
            session(&format!(r#"{{{id},"sync_audio_video":null}}"#)).sync_audio_video(),
            None
        );
    }

    #[test]
    fn duration_falls_back_to_the_times_and_refuses_negatives() {
        let id = r#""id":"c22d24f6-5a47-4597-9a23-c7d01e696b92""#;
        let s = session(&format!(
            r#"{{{id},"start_time":"2022-01-01T10:00:00Z","end_time":"2022-01-01T10:02:00Z"}}"#
        ));
        assert_eq!(s.duration(), Some(Duration::from_secs(120)));
        let s = session(&format!(r#"{{{id},"duration":-5}}"#));
        assert_eq!(s.duration(), None);
        let s = session(&format!(r#"{{{id},"start_time":"2022-01-01T10:00:00Z"}}"#));
        assert_eq!(s.duration(), None);
    }

    #[test]
    fn newtypes_serialize_like_the_generated_structs() {
        let json = r#"{"id":"c22d24f6-5a47-4597-9a23-c7d01e696b92","layout":"spotlight-7"}"#;
        let s = session(json);
        assert_eq!(s.layout(), Some(&RoomLayout::Other("spotlight-7".into())));
        assert_eq!(serde_json::to_string(&s).unwrap(), json);
        let raw: types::RoomSession = s.clone().into_inner();
        assert_eq!(RoomSession::from(raw), s);
    }
}
