//! Printing a listing as its pages arrive: one page in memory, no page fetched beyond
//! `--limit`, and a progress line while it takes a while.

use std::io::Write;

use futures::{Stream, StreamExt as _};
use serde::Serialize;
use tokio::time::Instant;

use crate::cli::Format;
use crate::error::CliError;
use crate::output::ListingWriter;
use crate::progress::{MOMENT, Progress, REDRAW};
use crate::table::Row;

/// Prints every item of `pages` (each page's items; at most `limit` in all) to `out`, page by
/// page.
///
/// The next page is fetched only when this one is printed, and not at all once `limit`
/// items are out. A closed output ends the listing at the next write, and fetches nothing
/// more.
pub async fn print<T, W, P>(
    pages: impl Stream<Item = Result<Vec<T>, room_sessions::Error>>,
    out: W,
    format: Format,
    limit: Option<u64>,
    mut progress: Progress<P>,
) -> Result<(), CliError>
where
    T: Row + Serialize,
    W: Write,
    P: Write,
{
    let mut pages = std::pin::pin!(pages);
    let mut writer = ListingWriter::new(out, format);
    let started = Instant::now();
    let mut next_draw = started + MOMENT;
    let mut printed = 0u64;
    loop {
        let next = if progress.is_shown() {
            tokio::select! {
                next = pages.next() => next,
                // Dropping the `next()` future loses nothing: the request in flight lives in
                // the stream, and the next call resumes it.
                () = tokio::time::sleep_until(next_draw) => {
                    progress.draw(started.elapsed());
                    next_draw += REDRAW;
                    continue;
                }
            }
        } else {
            pages.next().await
        };
        progress.clear();
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
        writer.page(&items[..wanted])?;
        progress.page(wanted);
        printed += wanted as u64;
        if limit.is_some_and(|limit| printed >= limit) {
            break;
        }
    }
    writer.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::time::Duration;

    use futures::stream;
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

    /// One buffer for the output and the progress line, to see how they interleave.
    #[derive(Clone, Default)]
    struct Transcript(Rc<RefCell<Vec<u8>>>);

    impl Write for Transcript {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Transcript {
        fn text(&self) -> String {
            String::from_utf8(self.0.borrow().clone()).unwrap()
        }
    }

    // The clock is paused: timers fire in order, at once, at their exact times.
    #[tokio::test(start_paused = true)]
    async fn a_slow_listing_shows_progress_and_wipes_it_before_each_page() {
        let fetched = Cell::new(0);
        let transcript = Transcript::default();
        print(
            slow_pages(3, 1, Duration::from_millis(700), &fetched),
            transcript.clone(),
            Format::Ndjson,
            None,
            Progress::new(Some(transcript.clone()), "members"),
        )
        .await
        .unwrap();
        let line = |n: u32| serde_json::to_string(&member(n)).unwrap() + "\n";
        // Pages at 0.7, 1.4 and 2.1 s; the line from 1 s on, every 0.25 s.
        let wipe = "\r\x1b[2K";
        let expected = [
            line(0),
            format!("{wipe}1 members so far, 1 page (1 s)"),
            format!("{wipe}1 members so far, 1 page (1 s)"),
            wipe.to_owned(),
            line(1),
            format!("{wipe}2 members so far, 2 pages (1 s)"),
            format!("{wipe}2 members so far, 2 pages (1 s)"),
            format!("{wipe}2 members so far, 2 pages (2 s)"),
            wipe.to_owned(),
            line(2),
        ]
        .concat();
        assert_eq!(transcript.text(), expected);
        assert_eq!(fetched.get(), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn a_quick_listing_or_one_without_a_terminal_shows_no_progress() {
        for (delay, terminal) in [
            (Duration::from_millis(300), true),
            (Duration::from_secs(2), false),
        ] {
            let fetched = Cell::new(0);
            let transcript = Transcript::default();
            print(
                slow_pages(3, 2, delay, &fetched),
                transcript.clone(),
                Format::Ndjson,
                None,
                Progress::new(terminal.then(|| transcript.clone()), "members"),
            )
            .await
            .unwrap();
            assert!(
                !transcript.text().contains("so far"),
                "{}",
                transcript.text()
            );
            assert_eq!(transcript.text().lines().count(), 6);
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
                Progress::<Vec<u8>>::new(None, "members"),
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
