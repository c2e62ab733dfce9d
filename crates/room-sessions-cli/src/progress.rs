//! The progress line of a listing on a terminal: items and pages so far, on stderr, drawn over
//! itself and wiped before any output row.

use std::io::Write;
use std::time::Duration;

/// How long a listing runs before its progress shows: a quick listing shows none.
pub const MOMENT: Duration = Duration::from_secs(1);
/// How often the line is drawn again once shown.
pub const REDRAW: Duration = Duration::from_millis(250);

/// Moves to the start of the line and erases it.
const WIPE: &[u8] = b"\r\x1b[2K";

/// Counts a listing's items and pages, and draws them when asked to.
pub struct Progress<W: Write> {
    /// Where to draw, or `None` when progress is not shown (stderr is not a terminal).
    out: Option<W>,
    noun: &'static str,
    items: u64,
    pages: u64,
    drawn: bool,
}

impl<W: Write> Progress<W> {
    /// Progress drawn on `out`, or none at all for `None`.
    pub fn new(out: Option<W>, noun: &'static str) -> Self {
        Self {
            out,
            noun,
            items: 0,
            pages: 0,
            drawn: false,
        }
    }

    /// Whether anything is ever drawn.
    pub fn is_shown(&self) -> bool {
        self.out.is_some()
    }

    /// Counts a page of `items` items.
    pub fn page(&mut self, items: usize) {
        self.pages += 1;
        self.items += items as u64;
    }

    /// Draws the line: `120 room sessions so far, 3 pages (4 s)`.
    pub fn draw(&mut self, elapsed: Duration) {
        let Some(out) = &mut self.out else {
            return;
        };
        let pages = if self.pages == 1 { "page" } else { "pages" };
        let line = format!(
            "{} {} so far, {} {pages} ({} s)",
            self.items,
            self.noun,
            self.pages,
            elapsed.as_secs()
        );
        // A terminal that went away is no reason to stop the listing.
        let _ = out
            .write_all(WIPE)
            .and_then(|()| out.write_all(line.as_bytes()))
            .and_then(|()| out.flush());
        self.drawn = true;
    }

    /// Wipes the line, if drawn, so that the output or an error starts on a clean line.
    pub fn clear(&mut self) {
        if let (true, Some(out)) = (self.drawn, &mut self.out) {
            let _ = out.write_all(WIPE).and_then(|()| out.flush());
            self.drawn = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_counts_items_and_pages_and_is_wiped() {
        let mut progress = Progress::new(Some(Vec::new()), "room sessions");
        progress.clear();
        progress.draw(Duration::from_millis(1500));
        progress.page(50);
        progress.page(20);
        progress.draw(Duration::from_secs(2));
        progress.clear();
        progress.clear();
        let drawn = String::from_utf8(progress.out.take().unwrap()).unwrap();
        assert_eq!(
            drawn,
            "\r\x1b[2K0 room sessions so far, 0 pages (1 s)\
             \r\x1b[2K70 room sessions so far, 2 pages (2 s)\
             \r\x1b[2K"
        );
    }

    #[test]
    fn nothing_is_drawn_without_a_terminal() {
        let mut progress = Progress::<Vec<u8>>::new(None, "members");
        assert!(!progress.is_shown());
        progress.page(3);
        progress.draw(Duration::from_secs(5));
        progress.clear();
        assert!(progress.out.is_none());
    }
}
