//! Realistic response bodies: room sessions with every field, and pages of them.
//!
//! Every session is made from its index, deterministically, with the variety of real data:
//! completed and in-progress sessions, `null`s where the API sends them, fractional and whole
//! timestamps, `fps` as an integer or a float, and now and then a layout this version of the
//! client does not know (kept as `Other`, as the server may send one).

use std::fmt::Write as _;

use bytes::Bytes;
use chrono::{DateTime, SecondsFormat, Utc};
use uuid::Uuid;

/// The layouts the spec lists, and one it does not (every 50th session).
const LAYOUTS: &[&str] = &[
    "grid-responsive",
    "grid-responsive-mobile",
    "highlight-1-responsive",
    "1x1",
    "2x1",
    "2x2",
    "5up",
    "3x3",
    "4x4",
    "5x5",
    "6x6",
    "8x8",
    "10x10",
];

/// The first session's start: 2024-07-29T15:51:28.071Z.
const EPOCH_MILLIS: i64 = 1_722_268_288_071;

/// A reproducible 64-bit mix of `n` (splitmix64).
fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A random-looking (version 4) UUID made from `n`.
pub fn uuid(n: u64) -> Uuid {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&mix(n).to_le_bytes());
    bytes[8..].copy_from_slice(&mix(n ^ 0x5555_5555_5555_5555).to_le_bytes());
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// A timestamp as the API writes it (RFC 3339, UTC, `Z`); whole seconds when `whole`.
fn timestamp(millis: i64, whole: bool) -> String {
    let time = DateTime::<Utc>::from_timestamp_millis(millis).expect("a valid timestamp");
    let format = if whole {
        SecondsFormat::Secs
    } else {
        SecondsFormat::Millis
    };
    time.to_rfc3339_opts(format, true)
}

/// Writes `"key": value` for an optional JSON value written by `value`.
fn field(out: &mut String, key: &str, value: Option<impl std::fmt::Display>) {
    match value {
        Some(value) => write!(out, "\"{key}\":{value},"),
        None => write!(out, "\"{key}\":null,"),
    }
    .expect("writing to a String never fails");
}

/// A JSON string literal for text that needs no escaping beyond `'` (none here).
fn quoted(text: &str) -> String {
    format!("\"{text}\"")
}

/// Appends room session number `n` as the API sends it, every field present.
pub fn write_session(out: &mut String, n: u64) {
    let r = mix(n.wrapping_mul(31).wrapping_add(7));
    let completed = !r.is_multiple_of(5);
    let whole_seconds = r.is_multiple_of(3);
    let start = EPOCH_MILLIS + (n as i64) * 37_013;
    let duration = 60 + (r >> 8) % 7_200;
    let room = if r.is_multiple_of(10) {
        None
    } else {
        Some(uuid(1_000_000 + n % 250))
    };
    let layout = if n % 50 == 49 {
        "spotlight-7"
    } else {
        LAYOUTS[(r >> 16) as usize % LAYOUTS.len()]
    };
    let scheduled = r.is_multiple_of(7);
    let room_number = n % 97;

    out.push('{');
    field(out, "id", Some(quoted(&uuid(n).to_string())));
    field(out, "room_id", room.map(|id| quoted(&id.to_string())));
    field(out, "name", Some(quoted(&format!("room_{room_number}"))));
    field(
        out,
        "display_name",
        Some(quoted(&format!("Team sync #{room_number} (Room's name)"))),
    );
    field(out, "max_members", Some(5 + (r >> 24) % 96));
    field(
        out,
        "quality",
        Some(quoted(if r & 1 == 0 { "720p" } else { "1080p" })),
    );
    field(out, "fps", Some(if r & 2 == 0 { "20" } else { "30.0" }));
    field(
        out,
        "join_from",
        scheduled.then(|| quoted(&timestamp(start - 600_000, whole_seconds))),
    );
    field(
        out,
        "join_until",
        scheduled.then(|| quoted(&timestamp(start + 7_200_000, whole_seconds))),
    );
    field(
        out,
        "remove_at",
        scheduled.then(|| quoted(&timestamp(start + 7_800_000, whole_seconds))),
    );
    field(
        out,
        "remove_after_seconds_elapsed",
        scheduled.then_some(3600),
    );
    field(out, "layout", Some(quoted(layout)));
    field(
        out,
        "start_time",
        Some(quoted(&timestamp(start, whole_seconds))),
    );
    field(
        out,
        "end_time",
        completed.then(|| quoted(&timestamp(start + duration as i64 * 1000, whole_seconds))),
    );
    field(out, "duration", completed.then_some(duration));
    field(
        out,
        "status",
        Some(quoted(if completed {
            "completed"
        } else {
            "in-progress"
        })),
    );
    field(out, "record_on_start", Some(r & 4 == 0));
    field(out, "enable_room_previews", Some(r & 8 == 0));
    field(
        out,
        "preview_url",
        (r & 8 == 0).then(|| {
            quoted(&format!(
                "https://example.signalwire.com/preview/{}",
                uuid(n + 7)
            ))
        }),
    );
    field(
        out,
        "sync_audio_video",
        (r & 16 == 0).then_some(r & 32 == 0),
    );
    field(out, "tone_on_entry_and_exit", Some(r & 64 == 0));
    field(out, "room_join_video_off", Some(r & 128 == 0));
    field(out, "user_join_video_off", Some(r & 256 == 0));
    field(out, "locked", Some(r & 512 == 0));
    field(
        out,
        "prioritize_handraise",
        (r & 1024 == 0).then_some(r & 2048 == 0),
    );
    field(
        out,
        "created_at",
        Some(quoted(&timestamp(start - 2_000, whole_seconds))),
    );
    field(
        out,
        "updated_at",
        Some(quoted(&timestamp(
            start
                + if completed {
                    duration as i64 * 1000 + 1000
                } else {
                    1000
                },
            whole_seconds,
        ))),
    );
    field(
        out,
        "cost_in_dollars",
        Some(format!("{:.2}", duration as f64 / 60.0 * 0.004)),
    );
    let cover = (r & 512 == 0).then(|| quoted("https://example.signalwire.com/covers/locked.png"));
    match cover {
        Some(cover) => write!(out, "\"locked_cover\":{cover}}}"),
        None => write!(out, "\"locked_cover\":null}}"),
    }
    .expect("writing to a String never fails");
}

/// Room session number `n` as a JSON body.
pub fn session_body(n: u64) -> Bytes {
    let mut out = String::with_capacity(1200);
    write_session(&mut out, n);
    Bytes::from(out)
}

/// The link to page `number` of the room sessions listing at `base` (such as
/// `http://127.0.0.1:4000/api/video`).
pub fn page_link(base: &str, number: usize, page_size: Option<u32>) -> String {
    let mut link = format!("{base}/room_sessions?page_number={number}");
    if let Some(size) = page_size {
        write!(link, "&page_size={size}").expect("writing to a String never fails");
    }
    if number > 0 {
        write!(link, "&page_token=PA{:016x}", mix(number as u64))
            .expect("writing to a String never fails");
    }
    link
}

/// Page `number` (from 0) of a listing of `pages` pages of `size` sessions each: the sessions
/// `number * size ..`, and `links` whose `next` is absent on the last page only.
///
/// `base` is where the links point (the API's base URL); `page_size` is the page size the
/// links carry (the one the client asked for, if any).
pub fn page_body(
    base: &str,
    number: usize,
    pages: usize,
    size: usize,
    page_size: Option<u32>,
) -> Bytes {
    let mut out = String::with_capacity(256 + size * 1200);
    out.push_str("{\"links\":{");
    write!(
        out,
        "\"self\":\"{}\",\"first\":\"{}\"",
        page_link(base, number, page_size),
        page_link(base, 0, page_size)
    )
    .expect("writing to a String never fails");
    if number + 1 < pages {
        write!(
            out,
            ",\"next\":\"{}\"",
            page_link(base, number + 1, page_size)
        )
        .expect("writing to a String never fails");
    }
    if number > 0 {
        write!(
            out,
            ",\"prev\":\"{}\"",
            page_link(base, number - 1, page_size)
        )
        .expect("writing to a String never fails");
    }
    out.push_str("},\"data\":[");
    let first = (number * size) as u64;
    for n in first..first + size as u64 {
        if n > first {
            out.push(',');
        }
        write_session(&mut out, n);
    }
    out.push_str("]}");
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use room_sessions_api::types;

    #[test]
    fn sessions_are_valid_json_with_every_field_and_varied_values() {
        let mut statuses = std::collections::HashSet::new();
        let mut unknown_layouts = 0;
        for n in 0..200 {
            let body = session_body(n);
            let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(value.as_object().unwrap().len(), 29, "{value}");
            let session: types::RoomSession = serde_json::from_slice(&body).unwrap();
            assert_eq!(session.id, uuid(n));
            statuses.insert(session.status.unwrap().to_string());
            if !session.layout.unwrap().is_known() {
                unknown_layouts += 1;
            }
        }
        assert_eq!(statuses.len(), 2);
        assert_eq!(unknown_layouts, 4);
    }

    #[test]
    fn pages_link_to_the_next_one_until_the_last() {
        let base = "http://127.0.0.1:1/api/video";
        let first: types::RoomSessionList =
            serde_json::from_slice(&page_body(base, 0, 3, 10, Some(10))).unwrap();
        assert_eq!(first.data.len(), 10);
        assert_eq!(
            first.links.next.as_deref(),
            Some(page_link(base, 1, Some(10)).as_str())
        );
        assert!(first.links.prev.is_none());
        let last: types::RoomSessionList =
            serde_json::from_slice(&page_body(base, 2, 3, 10, None)).unwrap();
        assert!(last.links.next.is_none());
        assert_eq!(last.data[0].id, uuid(20));
    }
}
