//! Writing resources to the output as a table, one JSON document, or JSON lines, a page at a
//! time: nothing waits for the end of a listing, and nothing but the current page is held.

use std::io::{self, Write};
use std::marker::PhantomData;

use serde::Serialize;

use crate::cli::Format;
use crate::table::Row;

/// The gap between two columns of a table.
const GAP: &str = "  ";

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

    /// Sets the column widths from the header and the first page's rows, and writes the
    /// header. Later rows with a longer value push that row's next columns to the right; the
    /// columns of known width (ids, times, states) rarely do.
    fn start_table(&mut self, rows: &[Vec<String>]) -> io::Result<()> {
        let columns = T::COLUMNS;
        self.widths = columns[..columns.len() - 1]
            .iter()
            .enumerate()
            .map(|(i, column)| {
                rows.iter()
                    .map(|row| row[i].chars().count())
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
            let pad = self.widths[i].saturating_sub(cell.chars().count());
            if column.right {
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        line.push('\n');
        self.written += 1;
        self.out.write_all(line.as_bytes())
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
