//! The table view of each resource: its columns, and how a value reads to a person.

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use room_sessions::{RoomSession, RoomSessionEvent, RoomSessionMember, RoomSessionRecording};

/// A column of a table: its header, and whether its values line up on the right (numbers).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub right: bool,
}

const fn left(header: &'static str) -> Column {
    Column {
        header,
        right: false,
    }
}

const fn right(header: &'static str) -> Column {
    Column {
        header,
        right: true,
    }
}

/// A resource shown as one row of a table.
///
/// The last column holds the value of unbounded width (a name, a link), so that rows printed
/// as pages arrive stay aligned without knowing the rows to come.
pub trait Row {
    /// The columns, in order.
    const COLUMNS: &'static [Column];
    /// What the rows are, for the progress line ("room sessions").
    const NOUN: &'static str;

    /// One text per column, free of control characters.
    fn cells(&self) -> Vec<String>;
}

impl Row for RoomSession {
    const COLUMNS: &'static [Column] = &[
        left("ID"),
        left("STATUS"),
        left("START"),
        right("DURATION"),
        right("MAX MEMBERS"),
        left("NAME"),
    ];
    const NOUN: &'static str = "room sessions";

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            text(self.status().map(|status| status.as_str())),
            time(self.start_time),
            duration(self.duration()),
            text(self.max_members.map(|max| max.to_string()).as_deref()),
            text(self.name.as_deref()),
        ]
    }
}

impl Row for RoomSessionMember {
    const COLUMNS: &'static [Column] = &[
        left("ID"),
        left("JOINED"),
        left("LEFT"),
        right("DURATION"),
        left("NAME"),
    ];
    const NOUN: &'static str = "members";

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            time(self.join_time),
            time(self.leave_time),
            duration(self.duration()),
            text(self.name.as_deref()),
        ]
    }
}

impl Row for RoomSessionEvent {
    const COLUMNS: &'static [Column] = &[left("ID"), left("TIME"), left("LEVEL"), left("NAME")];
    const NOUN: &'static str = "events";

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            time(Some(self.created_at)),
            text(self.level.as_deref()),
            text(Some(&self.name)),
        ]
    }
}

impl Row for RoomSessionRecording {
    const COLUMNS: &'static [Column] = &[
        left("ID"),
        left("STATUS"),
        left("STARTED"),
        right("DURATION"),
        right("SIZE"),
        left("FORMAT"),
        left("URI"),
    ];
    const NOUN: &'static str = "recordings";

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            text(self.status().map(|status| status.as_str())),
            time(self.started_at),
            duration(self.duration()),
            size(self.size()),
            text(self.format.as_deref()),
            text(self.media_url()),
        ]
    }
}

/// What an empty cell shows.
const NONE: &str = "-";

/// A text as sent, with control characters escaped: a name holding a newline or a terminal
/// escape sequence must neither break the table nor reach the terminal as a command.
fn text(value: Option<&str>) -> String {
    match value {
        Some(value) if !value.is_empty() => value
            .chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
        _ => NONE.to_owned(),
    }
}

/// A timestamp in RFC 3339, UTC, to the second: `2024-07-29T15:51:28Z`.
pub fn time(value: Option<DateTime<Utc>>) -> String {
    value.map_or_else(
        || NONE.to_owned(),
        |time| time.to_rfc3339_opts(SecondsFormat::Secs, true),
    )
}

/// A duration to the minute past an hour (`1h 02m`), else to the second (`17m 05s`, `42s`).
pub fn duration(value: Option<Duration>) -> String {
    let Some(value) = value else {
        return NONE.to_owned();
    };
    let seconds = value.as_secs();
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}h {minutes:02}m")
    } else if minutes > 0 {
        format!("{minutes}m {seconds:02}s")
    } else {
        format!("{seconds}s")
    }
}

/// A size in bytes, in binary units past 1 KiB: `512 B`, `12.3 MiB`.
pub fn size(bytes: Option<u64>) -> String {
    let Some(bytes) = bytes else {
        return NONE.to_owned();
    };
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    // f64 is exact enough for one decimal of a file size.
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_hours_and_minutes_or_minutes_and_seconds() {
        for (seconds, shown) in [
            (0, "0s"),
            (42, "42s"),
            (60, "1m 00s"),
            (1025, "17m 05s"),
            (3600, "1h 00m"),
            (3720, "1h 02m"),
            (3759, "1h 02m"),
            (93_600, "26h 00m"),
        ] {
            assert_eq!(duration(Some(Duration::from_secs(seconds))), shown);
        }
        assert_eq!(duration(None), "-");
    }

    #[test]
    fn timestamps_are_rfc3339_utc_to_the_second() {
        let with_millis: DateTime<Utc> = "2024-07-29T17:51:28.071+02:00".parse().unwrap();
        assert_eq!(time(Some(with_millis)), "2024-07-29T15:51:28Z");
        assert_eq!(time(None), "-");
    }

    #[test]
    fn sizes_use_binary_units() {
        for (bytes, shown) in [
            (0, "0 B"),
            (1023, "1023 B"),
            (1024, "1.0 KiB"),
            (12_897_485, "12.3 MiB"),
            (5 * 1024 * 1024 * 1024, "5.0 GiB"),
            (u64::MAX, "16777216.0 TiB"),
        ] {
            assert_eq!(size(Some(bytes)), shown);
        }
    }

    #[test]
    fn text_escapes_control_characters_and_shows_nothing_as_a_dash() {
        assert_eq!(text(Some("Town hall")), "Town hall");
        assert_eq!(text(Some("a\nb\u{1b}[2J")), "a\\nb\\u{1b}[2J");
        assert_eq!(text(Some("")), "-");
        assert_eq!(text(None), "-");
    }
}
