//! Writing resources to the output as a table, one JSON document, or JSON lines, a page at a
//! time: nothing waits for the end of a listing, and nothing but the current page is held.

use std::borrow::Cow;
use std::io::{self, Write};
use std::marker::PhantomData;

use serde::Serialize;

use crate::cli::Format;
use crate::table::Row;

/// The gap between two columns of a table.
const GAP: &str = "  ";
/// The widest a padded column gets (the last column is not padded): a longer value is cut to
/// it, so that one huge value does not pad every later row to its width. Ids (36
/// characters) and timestamps fit.
const MAX_WIDTH: usize = 40;

/// Writes one resource (`find`): a one-row table, a JSON object, or one JSON line.
pub fn write_one<T: Row + Serialize>(
    mut out: impl Write,
    format: Format,
    item: &T,
) -> io::Result<()> {
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut out, item)?;
        out.write_all(b"\n")?;
        return out.flush();
    }
    let mut writer = ListingWriter::new(out, format);
    writer.page(std::slice::from_ref(item))?;
    writer.finish()
}

/// Writes a listing page by page. For `json` it writes one array, which stays open (and so
/// is not valid JSON) if the listing fails before [`finish`](Self::finish).
pub struct ListingWriter<W: Write, T> {
    out: W,
    format: Format,
    /// The header or the opening `[` is written.
    started: bool,
    /// Items written so far.
    written: u64,
    /// The widths of the table's columns (all but the last), set by the first page.
    widths: Vec<usize>,
    item: PhantomData<fn(&T)>,
}

impl<W: Write, T: Row + Serialize> ListingWriter<W, T> {
    pub fn new(out: W, format: Format) -> Self {
        Self {
            out,
            format,
            started: false,
            written: 0,
            widths: Vec::new(),
            item: PhantomData,
        }
    }

    /// Writes a page's items and flushes them, so that they show before the next page is
    /// fetched.
    pub fn page(&mut self, items: &[T]) -> io::Result<()> {
        match self.format {
            Format::Table => {
                let rows: Vec<Vec<String>> = items.iter().map(Row::cells).collect();
                if !self.started {
                    self.start_table(&rows)?;
                }
                for row in &rows {
                    self.write_row(row)?;
                }
            }
            Format::Json => {
                if !self.started {
                    self.out.write_all(b"[")?;
                    self.started = true;
                }
                for item in items {
                    // The bytes of `serde_json::to_string_pretty` of the whole array: each
                    // item pretty-printed, indented one level (a JSON string holds no raw
                    // newline, so indenting after each newline is safe).
                    let pretty = serde_json::to_string_pretty(item)?;
                    self.out
                        .write_all(if self.written == 0 { b"\n  " } else { b",\n  " })?;
                    self.out
                        .write_all(pretty.replace('\n', "\n  ").as_bytes())?;
                    self.written += 1;
                }
            }
            Format::Ndjson => {
                for item in items {
                    serde_json::to_writer(&mut self.out, item)?;
                    self.out.write_all(b"\n")?;
                    self.written += 1;
                }
            }
        }
        self.out.flush()
    }

    /// Ends the listing: the table's header if no page came, the closing `]`.
    pub fn finish(mut self) -> io::Result<()> {
        match self.format {
            Format::Table if !self.started => self.start_table(&[])?,
            Format::Json if !self.started => self.out.write_all(b"[]\n")?,
            Format::Json if self.written == 0 => self.out.write_all(b"]\n")?,
            Format::Json => self.out.write_all(b"\n]\n")?,
            Format::Table | Format::Ndjson => {}
        }
        self.out.flush()
    }

    /// Sets the column widths from the header and the first page's rows, up to
    /// [`MAX_WIDTH`], and writes the header. Later rows with a longer value push that row's
    /// next columns to the right; the columns of known width (ids, times, states) rarely do.
    fn start_table(&mut self, rows: &[Vec<String>]) -> io::Result<()> {
        let columns = T::COLUMNS;
        self.widths = columns[..columns.len() - 1]
            .iter()
            .enumerate()
            .map(|(i, column)| {
                rows.iter()
                    .map(|row| width(&row[i]))
                    .chain([column.header.len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        self.started = true;
        let header: Vec<String> = columns.iter().map(|c| c.header.to_owned()).collect();
        self.write_row(&header)
    }

    fn write_row(&mut self, cells: &[String]) -> io::Result<()> {
        let mut line = String::new();
        let last = cells.len() - 1;
        for (i, (cell, column)) in cells.iter().zip(T::COLUMNS).enumerate() {
            if i > 0 {
                line.push_str(GAP);
            }
            if i == last {
                line.push_str(cell);
                break;
            }
            let cell = cut(cell);
            let pad = self.widths[i].saturating_sub(width(&cell));
            if column.right {
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(&cell);
            } else {
                line.push_str(&cell);
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        line.push('\n');
        self.written += 1;
        self.out.write_all(line.as_bytes())
    }
}

/// The width of a padded cell, in characters, counted no further than [`MAX_WIDTH`].
fn width(cell: &str) -> usize {
    cell.chars().take(MAX_WIDTH).count()
}

/// `cell`, or its first `MAX_WIDTH - 1` characters and `…` when it is longer than
/// [`MAX_WIDTH`]. Cut at a character boundary: never inside a UTF-8 sequence.
fn cut(cell: &str) -> Cow<'_, str> {
    match cell.char_indices().nth(MAX_WIDTH) {
        None => Cow::Borrowed(cell),
        Some(_) => {
            let end = cell.char_indices().nth(MAX_WIDTH - 1).map_or(0, |(i, _)| i);
            Cow::Owned(format!("{}…", &cell[..end]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use room_sessions::RoomSession;

    fn session(id: &str, name: &str, status: &str) -> RoomSession {
        serde_json::from_value(serde_json::json!({
            "id": id, "name": name, "status": status,
            "start_time": "2024-07-29T15:51:28Z", "duration": 3720, "max_members": 20,
        }))
        .unwrap()
    }

    fn written(format: Format, pages: &[Vec<RoomSession>]) -> String {
        let mut out = Vec::new();
        let mut writer = ListingWriter::new(&mut out, format);
        for page in pages {
            writer.page(page).unwrap();
        }
        writer.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    fn pages() -> Vec<Vec<RoomSession>> {
        vec![
            vec![
                session(
                    "c22d24f6-5a47-4597-9a23-c7d01e696b92",
                    "town_hall",
                    "completed",
                ),
                session(
                    "9b1f6c2e-3d4a-4e8b-a6f7-0c1d2e3f4a5b",
                    "standup",
                    "in-progress",
                ),
            ],
            vec![session(
                "5e7a8b9c-0d1e-4f2a-b3c4-d5e6f7a8b9c0",
                "x",
                "archived",
            )],
        ]
    }

    #[test]
    fn json_streamed_page_by_page_is_the_pretty_array() {
        let all: Vec<RoomSession> = pages().into_iter().flatten().collect();
        assert_eq!(
            written(Format::Json, &pages()),
            serde_json::to_string_pretty(&all).unwrap() + "\n"
        );
        assert_eq!(written(Format::Json, &[]), "[]\n");
        assert_eq!(written(Format::Json, &[vec![]]), "[]\n");
    }

    #[test]
    fn ndjson_is_one_compact_object_per_line() {
        let text = written(Format::Ndjson, &pages());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        let all: Vec<RoomSession> = pages().into_iter().flatten().collect();
        for (line, session) in lines.iter().zip(&all) {
            assert_eq!(*line, serde_json::to_string(session).unwrap());
        }
        assert_eq!(written(Format::Ndjson, &[]), "");
    }

    #[test]
    fn table_columns_stay_aligned_across_pages() {
        // The widths come from the first page; names, last, need none; unknown states show
        // as sent; durations and counts line up on the right.
        assert_eq!(
            written(Format::Table, &pages()),
            "\
ID                                    STATUS       START                 DURATION  MAX MEMBERS  NAME
c22d24f6-5a47-4597-9a23-c7d01e696b92  completed    2024-07-29T15:51:28Z    1h 02m           20  town_hall
9b1f6c2e-3d4a-4e8b-a6f7-0c1d2e3f4a5b  in-progress  2024-07-29T15:51:28Z    1h 02m           20  standup
5e7a8b9c-0d1e-4f2a-b3c4-d5e6f7a8b9c0  archived     2024-07-29T15:51:28Z    1h 02m           20  x
"
        );
        // No page at all still prints the header.
        assert_eq!(
            written(Format::Table, &[]),
            "ID  STATUS  START  DURATION  MAX MEMBERS  NAME\n"
        );
    }

    #[test]
    fn an_overlong_cell_is_cut_and_pads_no_later_row() {
        // The first page sets the widths: one huge state must neither widen the column past
        // its cap nor be printed whole; the cut falls between characters, never inside one.
        for (status, shown) in [
            (
                "x".repeat(1 << 20),
                format!("{}…", "x".repeat(MAX_WIDTH - 1)),
            ),
            ("é".repeat(100), format!("{}…", "é".repeat(MAX_WIDTH - 1))),
            ("ü".repeat(MAX_WIDTH), "ü".repeat(MAX_WIDTH)),
        ] {
            let mut pages = pages();
            pages[0][0] = session("c22d24f6-5a47-4597-9a23-c7d01e696b92", "town_hall", &status);
            let text = written(Format::Table, &pages);
            let lines: Vec<&str> = text.lines().collect();
            let status_column = |line: &str| line.split("  ").nth(1).unwrap().to_owned();
            // At most a few characters past the cap, so that a failure prints no megabyte.
            let cell: String = status_column(lines[1])
                .chars()
                .take(MAX_WIDTH + 5)
                .collect();
            assert_eq!(cell, shown);
            // A later row is padded to the capped width, not to the huge value.
            let padded = lines[3]
                .strip_prefix("5e7a8b9c-0d1e-4f2a-b3c4-d5e6f7a8b9c0  archived")
                .unwrap();
            assert_eq!(
                padded.len() - padded.trim_start().len(),
                shown.chars().count() - "archived".len() + GAP.len(),
                "{status:.20}"
            );
            assert!(lines[3].ends_with("  x"));
        }
    }

    #[test]
    fn one_resource_is_an_object_a_line_or_a_one_row_table() {
        let item = &pages()[0][0];
        let mut out = Vec::new();
        write_one(&mut out, Format::Json, item).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string_pretty(item).unwrap() + "\n"
        );
        let mut out = Vec::new();
        write_one(&mut out, Format::Ndjson, item).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string(item).unwrap() + "\n"
        );
        let mut out = Vec::new();
        write_one(&mut out, Format::Table, item).unwrap();
        assert_eq!(String::from_utf8(out).unwrap().lines().count(), 2);
    }
}
