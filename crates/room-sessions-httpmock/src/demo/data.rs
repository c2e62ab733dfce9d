//! The demo dataset: a pure function of the session's position, so it is the same on every
//! run and every machine (no clock, no randomness).

use chrono::{DateTime, TimeDelta, Utc};
use room_sessions_api::tolerant::{
    FrameRate, RecordingStatus, RoomLayout, SessionStatus, VideoQuality,
};
use room_sessions_api::types::{
    RoomSession, RoomSessionEvent, RoomSessionMember, RoomSessionRecording,
};
use serde_json::json;
use uuid::Uuid;

use crate::values::{self, utc};

/// How many sessions the dataset holds.
pub(super) const SESSION_COUNT: usize = 36;

/// How many of the newest sessions are still in progress.
pub(super) const LIVE_COUNT: usize = 3;

/// The moment the dataset describes.
pub(super) const NOW: &str = "2024-07-29T16:00:00Z";

/// The rooms the sessions belong to: name, display name.
const ROOMS: [(&str, &str); 6] = [
    ("my_example_room", "My Room's Name"),
    ("daily_standup", "Daily stand-up"),
    ("customer_call", "Call with ACME"),
    ("town_hall", "Town hall"),
    ("interview", "Interview: backend role"),
    ("design_review", "Design review"),
];

const MEMBER_NAMES: [&str; 8] = [
    "Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi",
];

/// What an id is of; it keeps the ids of different things apart.
#[derive(Clone, Copy)]
enum IdKind {
    Session = 1,
    Room = 2,
    Member = 3,
    Event = 4,
    Recording = 5,
}

/// A version-4-shaped UUID that is a fixed function of its inputs (splitmix64), so the
/// dataset looks like real ids and never changes.
const fn demo_uuid(kind: IdKind, a: usize, b: usize) -> Uuid {
    const fn mix(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    let seed = ((kind as u64) << 48) ^ ((a as u64) << 24) ^ (b as u64);
    let high = mix(seed);
    let low = mix(high ^ 0x5151_5151_5151_5151);
    let bits = ((high as u128) << 64) | low as u128;
    uuid::Builder::from_random_bytes(bits.to_be_bytes()).into_uuid()
}

/// The id of the session at `index` (0 is the newest).
pub(super) const fn session_id(index: usize) -> Uuid {
    demo_uuid(IdKind::Session, index, 0)
}

/// Whether the session at `index` comes in the older generation of fields.
pub(super) fn is_legacy(index: usize) -> bool {
    index % 3 == 2
}

fn room_id(room: usize) -> Uuid {
    if room == 0 {
        values::ROOM_ID
    } else {
        demo_uuid(IdKind::Room, room, 0)
    }
}

fn start_time(index: usize) -> DateTime<Utc> {
    let now = utc(NOW);
    match index {
        0 => now - TimeDelta::seconds(8 * 60 + 32),
        1 => now - TimeDelta::minutes(90),
        2 => now - TimeDelta::hours(4),
        // Completed sessions, one every 5 h 17 min before 10:00 that morning.
        _ => utc("2024-07-29T10:00:00Z") - TimeDelta::minutes(317 * (index as i64 - 3)),
    }
}

/// How long the completed session at `index` lasted, in seconds.
fn duration_seconds(index: usize) -> i64 {
    let minutes = 7 + (index as i64 * 13) % 55;
    minutes * 60 + (index as i64 * 7) % 60
}

fn end_time(index: usize) -> Option<DateTime<Utc>> {
    (index >= LIVE_COUNT).then(|| start_time(index) + TimeDelta::seconds(duration_seconds(index)))
}

fn layout(index: usize) -> RoomLayout {
    match index % 7 {
        0 | 3 => RoomLayout::GridResponsive,
        1 => RoomLayout::Highlight1Responsive,
        2 => RoomLayout::L2x2,
        4 => RoomLayout::GridResponsiveMobile,
        5 => RoomLayout::L5up,
        // A layout this version of the client does not know: kept as sent.
        _ => RoomLayout::Other("12x12".to_owned()),
    }
}

fn records(index: usize) -> bool {
    index == 0 || index % 4 == 1
}

fn cents(dollars: f64) -> f64 {
    (dollars * 10_000.0).round() / 10_000.0
}

/// The session at `index` (0 is the newest) as a listing sends it.
pub(super) fn session(index: usize) -> RoomSession {
    let (name, display_name) = ROOMS[index % ROOMS.len()];
    let legacy = is_legacy(index);
    // The older API sent times with milliseconds.
    let millis = TimeDelta::milliseconds(if legacy { 71 } else { 0 });
    let start = start_time(index) + millis;
    let end = end_time(index).map(|end| end + millis);
    let live = end.is_none();
    let duration = end.map(|end| (end - start).num_seconds());
    let previews = index.is_multiple_of(5);
    RoomSession {
        id: session_id(index),
        room_id: Some(room_id(index % ROOMS.len())),
        name: Some(name.to_owned()),
        display_name: Some(display_name.to_owned()),
        join_from: legacy.then_some(start),
        join_until: legacy.then(|| start + TimeDelta::hours(2)),
        remove_at: legacy.then(|| start + TimeDelta::hours(2) + TimeDelta::minutes(10)),
        remove_after_seconds_elapsed: legacy.then_some(3600),
        layout: Some(layout(index)),
        max_members: Some(if index.is_multiple_of(2) { 20 } else { 50 }),
        fps: Some(if index.is_multiple_of(3) {
            FrameRate::Fps30
        } else {
            FrameRate::Fps20
        }),
        quality: Some(if index.is_multiple_of(3) {
            VideoQuality::P1080
        } else {
            VideoQuality::P720
        }),
        start_time: Some(start),
        end_time: end,
        duration,
        status: Some(if live {
            SessionStatus::InProgress
        } else {
            SessionStatus::Completed
        }),
        record_on_start: Some(records(index)),
        enable_room_previews: Some(previews),
        preview_url: (previews && live).then(|| {
            format!(
                "https://example.signalwire.com/preview/{}",
                session_id(index)
            )
        }),
        audio_video_sync: legacy.then_some(index % 2 == 1),
        sync_audio_video: (!legacy).then_some(index.is_multiple_of(2)),
        tone_on_entry_and_exit: (!legacy).then_some(true),
        room_join_video_off: (!legacy).then_some(false),
        user_join_video_off: (!legacy).then_some(index.is_multiple_of(4)),
        locked: (!legacy).then_some(false),
        prioritize_handraise: (!legacy).then_some(index.is_multiple_of(6)),
        created_at: (!legacy).then(|| start - TimeDelta::seconds(2)),
        updated_at: (!legacy).then(|| end.unwrap_or(start) + TimeDelta::seconds(1)),
        cost_in_dollars: (!legacy)
            .then_some(duration)
            .flatten()
            .map(|seconds| cents(seconds as f64 / 60.0 * 0.004 * member_count(index) as f64)),
        locked_cover: None,
    }
}

/// The session at `index` as finding it by id returns it: in the current generation of
/// fields, without the fields the API sends in listings only.
pub(super) fn found_by_id(index: usize) -> RoomSession {
    let listed = session(index);
    if is_legacy(index) {
        return listed;
    }
    RoomSession {
        enable_room_previews: None,
        cost_in_dollars: None,
        locked_cover: None,
        ..listed
    }
}

fn member_count(index: usize) -> usize {
    if index == 0 { 5 } else { 1 + index % 4 }
}

/// The members of the session at `index`, in the order they joined.
pub(super) fn members(index: usize) -> Vec<RoomSessionMember> {
    let start = start_time(index);
    let end = end_time(index);
    let count = member_count(index);
    (0..count)
        .map(|n| {
            let join = start + TimeDelta::seconds(2 + 37 * n as i64);
            // In a live session the first of several members has left; the others are there.
            let leave = match end {
                Some(end) => Some(end - TimeDelta::seconds(11 * n as i64)),
                None if n == 0 && count > 1 => Some(join + TimeDelta::minutes(5)),
                None => None,
            };
            let duration = leave.map(|leave| (leave - join).num_seconds());
            RoomSessionMember {
                id: demo_uuid(IdKind::Member, index, n),
                room_session_id: session_id(index),
                name: Some(MEMBER_NAMES[(index + n) % MEMBER_NAMES.len()].to_owned()),
                join_time: Some(join),
                leave_time: leave,
                duration,
                cost_in_dollars: duration.map(|seconds| cents(seconds as f64 / 60.0 * 0.004)),
            }
        })
        .collect()
}

/// The recordings of the session at `index`: one if it recorded, none otherwise.
pub(super) fn recordings(index: usize) -> Vec<RoomSessionRecording> {
    if !records(index) {
        return Vec::new();
    }
    let id = demo_uuid(IdKind::Recording, index, 0);
    let started = start_time(index) + TimeDelta::seconds(10);
    let finished = end_time(index).map(|end| end - TimeDelta::seconds(5));
    let duration = finished.map(|finished| (finished - started).num_seconds());
    // The newest completed recording is still being processed.
    let processing = index == LIVE_COUNT + 2;
    let status = match (finished, processing) {
        (None, _) => RecordingStatus::Recording,
        (Some(_), true) => RecordingStatus::Processing,
        (Some(_), false) => RecordingStatus::Completed,
    };
    let ready = status == RecordingStatus::Completed;
    vec![RoomSessionRecording {
        id,
        room_session_id: session_id(index),
        status: Some(status),
        started_at: Some(started),
        finished_at: finished,
        duration,
        size_in_bytes: duration.filter(|_| ready).map(|seconds| seconds * 61_440),
        format: Some("video/mp4".to_owned()),
        uri: ready
            .then(|| format!("https://example.signalwire.com/recordings/{id}.mp4?expires=900")),
        cost_in_dollars: duration
            .filter(|_| ready)
            .map(|seconds| cents(seconds as f64 / 60.0 * 0.002)),
        created_at: Some(started),
        updated_at: Some(finished.unwrap_or(started) + TimeDelta::seconds(1)),
    }]
}

/// One event before it gets its ids: when, what, about whom or which recording.
struct Happening {
    at: DateTime<Utc>,
    name: &'static str,
    member: Option<Uuid>,
    recording: Option<Uuid>,
    payload: serde_json::Value,
}

impl Happening {
    fn new(at: DateTime<Utc>, name: &'static str, payload: serde_json::Value) -> Self {
        Self {
            at,
            name,
            member: None,
            recording: None,
            payload,
        }
    }
}

/// What happened in the session at `index`, oldest first.
pub(super) fn events(index: usize) -> Vec<RoomSessionEvent> {
    let session = session(index);
    let (room_name, _) = ROOMS[index % ROOMS.len()];
    let mut happenings = vec![Happening::new(
        start_time(index),
        "room.started",
        json!({ "room_name": room_name }),
    )];
    for member in members(index) {
        let payload = json!({ "member_name": member.name });
        let times = [
            ("member.joined", member.join_time),
            ("member.left", member.leave_time),
        ];
        for (name, at) in times {
            if let Some(at) = at {
                happenings.push(Happening {
                    member: Some(member.id),
                    ..Happening::new(at, name, payload.clone())
                });
            }
        }
    }
    for recording in recordings(index) {
        let times = [
            (
                "recording.started",
                recording.started_at,
                json!({ "format": recording.format }),
            ),
            (
                "recording.ended",
                recording.finished_at,
                json!({ "duration": recording.duration }),
            ),
        ];
        for (name, at, payload) in times {
            if let Some(at) = at {
                happenings.push(Happening {
                    recording: Some(recording.id),
                    ..Happening::new(at, name, payload)
                });
            }
        }
    }
    if let Some(end) = end_time(index) {
        let payload = json!({ "duration": session.duration });
        happenings.push(Happening::new(end, "room.ended", payload));
    }
    // Stable: two things at the same second keep the order they were listed in.
    happenings.sort_by_key(|happening| happening.at);
    happenings
        .into_iter()
        .enumerate()
        .map(|(n, happening)| RoomSessionEvent {
            id: demo_uuid(IdKind::Event, index, n),
            project_id: Some(values::PROJECT_ID),
            room_id: session.room_id,
            room_session_id: session.id,
            room_recording_id: happening.recording,
            room_participant_id: happening.member,
            level: Some("info".to_owned()),
            name: happening.name.to_owned(),
            payload: match happening.payload {
                serde_json::Value::Object(map) => Some(map),
                _ => None,
            },
            created_at: happening.at,
        })
        .collect()
}
