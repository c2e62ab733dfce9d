//! The progress line of a listing on a terminal: items and pages so far, on stderr, drawn by
//! indicatif once the listing has taken a moment, and cleared before any output row.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a listing runs before its progress shows: a quick listing shows none.
pub const MOMENT: Duration = Duration::from_secs(1);
/// How often the line is drawn again once shown, so that its clock moves between pages.
const REDRAW: Duration = Duration::from_millis(250);

/// `120 room sessions so far, 3 pages (4s)`.
const TEMPLATE: &str = "{human_pos} {prefix} so far, {msg} ({elapsed})";

/// Counts a listing's items and pages, and shows them once [`show`](Self::show) is called.
pub struct Progress {
    /// Drawn nowhere until shown.
    bar: ProgressBar,
    /// Where to draw once shown; `None` when progress is never shown (stderr is not a
    /// terminal, or `--verbose` writes there) or already is.
    target: Option<ProgressDrawTarget>,
    pages: u64,
}

impl Progress {
    /// Progress of a listing of `noun` ("room sessions"), to be drawn on `target` once shown,
    /// or never for `None`.
    pub fn new(target: Option<ProgressDrawTarget>, noun: &'static str) -> Self {
        let style = ProgressStyle::with_template(TEMPLATE).expect("the template is valid");
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
            .with_style(style)
            .with_prefix(noun)
            .with_message("0 pages");
        Self {
            bar,
            target,
            pages: 0,
        }
    }

    /// Whether [`show`](Self::show) would draw anything.
    pub fn is_pending(&self) -> bool {
        self.target.is_some()
    }

    /// Starts drawing the line, and redrawing it while the listing waits for a page.
    pub fn show(&mut self) {
        if let Some(target) = self.target.take() {
            self.bar.set_draw_target(target);
            // A thread of indicatif's redraws the line from now on; the first draw is now.
            self.bar.enable_steady_tick(REDRAW);
            self.bar.force_draw();
        }
    }

    /// Counts a page of `items` items, and runs `print` (which prints them) with the line
    /// cleared, so that the rows start on a clean line.
    pub fn page<R>(&mut self, items: usize, print: impl FnOnce() -> R) -> R {
        self.pages += 1;
        self.bar.inc(items as u64);
        let s = if self.pages == 1 { "" } else { "s" };
        self.bar.set_message(format!("{} page{s}", self.pages));
        self.bar.suspend(print)
    }
}

impl Drop for Progress {
    /// Clears the line, so that the end of the output or an error starts on a clean line.
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
