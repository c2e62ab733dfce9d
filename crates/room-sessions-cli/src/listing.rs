//! Printing a listing as its pages arrive: one page in memory, no page fetched beyond
//! `--limit`, and a progress line while it takes a while.

use std::io::Write;

use futures::{Stream, StreamExt as _};
use serde::Serialize;

use crate::cli::Format;
use crate::error::CliError;
use crate::output::ListingWriter;
use crate::progress::{MOMENT, Progress};
use crate::table::Row;

/// Prints every item of `pages` (each page's items; at most `limit` in all) to `out`, page by
/// page.
///
/// The next page is fetched only when this one is printed, and not at all once `limit`
/// items are out. A closed output ends the listing at the next write, and fetches nothing
/// more.
pub async fn print<T, W>(
    pages: impl Stream<Item = Result<Vec<T>, room_sessions::Error>>,
    out: W,
    format: Format,
    limit: Option<u64>,
    mut progress: Progress,
) -> Result<(), CliError>
where
    T: Row + Serialize,
    W: Write,
{
    let mut pages = std::pin::pin!(pages);
    let mut writer = ListingWriter::new(out, format);
    // The timer that shows the progress line, until it does; none if the line never shows.
    let moment = std::pin::pin!(tokio::time::sleep(MOMENT));
    let mut moment = progress.is_pending().then_some(moment);
    let mut printed = 0u64;
    loop {
        let next = match &mut moment {
            Some(timer) => tokio::select! {
                next = pages.next() => next,
                // Dropping the `next()` future loses nothing: the request in flight lives in
                // the stream, and the next call resumes it.
                () = timer => {
                    progress.show();
                    moment = None;
                    continue;
                }
            },
            None => pages.next().await,
        };
        let Some(page) = next else {
            break;
        };
        let items = page?;
        let wanted = match limit {
            Some(limit) => items
                .len()
                .min(usize::try_from(limit - printed).unwrap_or(usize::MAX)),
            None => items.len(),
        };
        progress.page(wanted, || writer.page(&items[..wanted]))?;
        printed += wanted as u64;
        if limit.is_some_and(|limit| printed >= limit) {
            break;
        }
    }
    // The line is cleared before the end of the output (the closing `]`).
    drop(progress);
    writer.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use futures::stream;
    use indicatif::{ProgressDrawTarget, TermLike};
    use room_sessions::RoomSessionMember;

    use super::*;

    fn member(n: u32) -> RoomSessionMember {
        serde_json::from_value(serde_json::json!({
            "id": format!("00000000-0000-4000-8000-{n:012}"),
            "room_session_id": "c22d24f6-5a47-4597-9a23-c7d01e696b92",
            "name": format!("member {n}"),
        }))
        .unwrap()
    }

    /// Pages of `size` members, each `delay` after the previous one, counting the pages
    /// fetched.
    fn slow_pages(
        pages: u32,
        size: u32,
        delay: Duration,
        fetched: &Cell<u32>,
    ) -> impl Stream<Item = Result<Vec<RoomSessionMember>, room_sessions::Error>> + '_ {
        stream::iter(0..pages).then(move |page| async move {
            tokio::time::sleep(delay).await;
            fetched.set(fetched.get() + 1);
            Ok((0..size).map(|i| member(page * size + i)).collect())
        })
    }

    /// A terminal shared by the output and the progress line: it records the lines drawn, and
    /// any row written while the progress line is on screen.
    #[derive(Clone, Debug, Default)]
    struct Screen(Arc<Mutex<ScreenState>>);

    #[derive(Debug, Default)]
    struct ScreenState {
        /// The progress line is drawn and not cleared since.
        line_shown: bool,
        /// The texts of the progress line, as drawn.
        drawn: Vec<String>,
        /// The output rows, and how many were written over the progress line.
        rows: usize,
        rows_over_the_line: usize,
    }

    impl Screen {
        fn state(&self) -> std::sync::MutexGuard<'_, ScreenState> {
            self.0.lock().unwrap()
        }
    }

    impl Write for Screen {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            let mut state = self.state();
            let rows = bytes.iter().filter(|b| **b == b'\n').count();
            state.rows += rows;
            if state.line_shown {
                state.rows_over_the_line += rows;
            }
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            80
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, text: &str) -> std::io::Result<()> {
            self.write_str(text)
        }
        fn write_str(&self, text: &str) -> std::io::Result<()> {
            // indicatif writes `\r`, the line, then spaces to the end of the screen's line.
            let text = text.trim_matches(['\r', ' ']);
            if !text.is_empty() {
                let mut state = self.state();
                state.line_shown = true;
                state.drawn.push(text.to_owned());
            }
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            self.state().line_shown = false;
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Prints `pages` pages of 1 member, each `delay` after the previous one, to a screen
    /// that shows the progress line too if `terminal`.
    async fn print_to_screen(pages: u32, delay: Duration, terminal: bool) -> ScreenState {
        let screen = Screen::default();
        let target = ProgressDrawTarget::term_like(Box::new(screen.clone()));
        let fetched = Cell::new(0);
        print(
            slow_pages(pages, 1, delay, &fetched),
            screen.clone(),
            Format::Ndjson,
            None,
            Progress::new(terminal.then_some(target), "members"),
        )
        .await
        .unwrap();
        assert_eq!(fetched.get(), pages);
        std::mem::take(&mut *screen.state())
    }

    // The clock is paused: timers fire in order, at once, at their exact times. indicatif's
    // redraws on its own clock may add lines drawn, never take any away.
    #[tokio::test(start_paused = true)]
    async fn a_slow_listing_shows_progress_and_clears_it_before_each_page() {
        // Pages at 0.7, 1.4 and 2.1 s; the line from 1 s on.
        let screen = print_to_screen(3, Duration::from_millis(700), true).await;
        assert_eq!(screen.rows, 3);
        assert_eq!(screen.rows_over_the_line, 0, "rows printed over the line");
        assert!(!screen.line_shown, "the line is left on the screen");
        for counts in [
            "1 members so far, 1 page (",
            "2 members so far, 2 pages (",
            "3 members so far, 3 pages (",
        ] {
            assert!(
                screen.drawn.iter().any(|line| line.starts_with(counts)),
                "{counts:?} not in {:?}",
                screen.drawn
            );
        }
        // Nothing was drawn before the moment, when the first page was counted.
        assert!(
            screen.drawn[0].starts_with("1 members"),
            "{:?}",
            screen.drawn
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_quick_listing_or_one_without_a_terminal_shows_no_progress() {
        for (delay, terminal) in [
            (Duration::from_millis(300), true),
            (Duration::from_secs(2), false),
        ] {
            let screen = print_to_screen(3, delay, terminal).await;
            assert_eq!(screen.rows, 3);
            assert_eq!(screen.drawn, Vec::<String>::new(), "{delay:?}, {terminal}");
        }
    }

    #[tokio::test]
    async fn the_limit_stops_the_fetching() {
        for (limit, pages_fetched, printed) in [(15, 2, 15), (10, 1, 10), (1, 1, 1), (60, 5, 50)] {
            let fetched = Cell::new(0);
            let mut out = Vec::new();
            print(
                slow_pages(5, 10, Duration::ZERO, &fetched),
                &mut out,
                Format::Ndjson,
                Some(limit),
                Progress::new(None, "members"),
            )
            .await
            .unwrap();
            assert_eq!(fetched.get(), pages_fetched, "--limit {limit}");
            assert_eq!(
                out.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count(),
                printed
            );
        }
    }
}
