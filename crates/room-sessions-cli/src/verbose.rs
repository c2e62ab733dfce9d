//! `--verbose`: one line on stderr per request attempt, read from the wrapper's tracing span
//! `room_sessions.request` when it closes (the OpenTelemetry fields it carries:
//! `http.request.method`, `url.path`, `http.response.status_code`,
//! `http.request.resend_count`), and one per wait or refusal of the client's retry budget and
//! throttle.

use std::io::Write;
use std::time::Instant;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;

/// The span the wrapper opens around each attempt of a request.
const REQUEST_SPAN: &str = "room_sessions.request";

/// Logs each request attempt of the wrapper to stderr from now on.
pub fn install() {
    let subscriber = tracing_subscriber::registry().with(RequestLog::new(std::io::stderr));
    // Only fails if a subscriber is already set, and nothing else sets one.
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// A tracing layer that writes a line per closed `room_sessions.request` span,
/// `GET /api/video/room_sessions -> 200 in 12 ms (attempt 1)`, and a line per event of the
/// wrapper outside such a span (`waiting for the client's throttle (wait_ms=2000)`).
pub struct RequestLog<W> {
    writer: W,
}

impl<W> RequestLog<W> {
    pub fn new(writer: W) -> Self {
        Self { writer }
    }
}

impl Attempt {
    fn line(&self) -> String {
        let mut line = format!(
            "{} {}",
            self.method.as_deref().unwrap_or("?"),
            self.path.as_deref().unwrap_or("?"),
        );
        match self.status {
            Some(status) => line.push_str(&format!(" -> {status}")),
            None => line.push_str(" -> no response"),
        }
        line.push_str(&format!(
            " in {} ms (attempt {})",
            self.started.elapsed().as_millis(),
            self.resend_count + 1
        ));
        if let Some(delay) = self.retry_in_ms {
            line.push_str(&format!(", retrying in {delay} ms"));
        }
        line.push('\n');
        line
    }
}

/// What the span and its events told about one attempt.
struct Attempt {
    started: Instant,
    method: Option<String>,
    /// The request's path, such as `/api/video/room_sessions/{id}/members`.
    path: Option<String>,
    /// How many times the request was sent before this attempt.
    resend_count: u64,
    status: Option<u64>,
    /// The wait before the next attempt, from the wrapper's "retrying" event.
    retry_in_ms: Option<u64>,
}

impl Visit for Attempt {
    fn record_u64(&mut self, field: &Field, value: u64) {
        match field.name() {
            "http.request.resend_count" => self.resend_count = value,
            "http.response.status_code" => self.status = Some(value),
            "delay_ms" => self.retry_in_ms = Some(value),
            _ => {}
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        if let Ok(value) = u64::try_from(value) {
            self.record_u64(field, value);
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "http.request.method" => self.method = Some(value.to_owned()),
            "url.path" => self.path = Some(value.to_owned()),
            _ => {}
        }
    }

    // Other fields (the error of a failed attempt) are not logged: the command prints the
    // error that ends it, once.
    fn record_debug(&mut self, _field: &Field, _value: &dyn std::fmt::Debug) {}
}

/// An event of the wrapper outside a request's span (the retry budget, the throttle), as a
/// line: its message, then its numbers.
#[derive(Default)]
struct Notice {
    message: String,
    numbers: Vec<String>,
}

impl Visit for Notice {
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.numbers.push(format!("{}={value}", field.name()));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        }
    }
}

/// Whether a callsite is the wrapper's: the rest (reqwest, hyper) stays off, and costs nothing.
fn is_wrapper(metadata: &Metadata<'_>) -> bool {
    let target = metadata.target();
    target == "room_sessions" || target.starts_with("room_sessions::")
}

impl<S, W> Layer<S> for RequestLog<W>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + 'static,
{
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        if is_wrapper(metadata) {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, metadata: &Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        is_wrapper(metadata)
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != REQUEST_SPAN {
            return;
        }
        let mut attempt = Attempt {
            started: Instant::now(),
            method: None,
            path: None,
            resend_count: 0,
            status: None,
            retry_in_ms: None,
        };
        attrs.record(&mut attempt);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(attempt);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(attempt) = span.extensions_mut().get_mut::<Attempt>()
        {
            values.record(attempt);
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        match ctx.event_span(event) {
            Some(span) => {
                if let Some(attempt) = span.extensions_mut().get_mut::<Attempt>() {
                    event.record(attempt);
                }
            }
            None if *event.metadata().level() <= tracing::Level::INFO => {
                let mut notice = Notice::default();
                event.record(&mut notice);
                let mut line = notice.message;
                if !notice.numbers.is_empty() {
                    line.push_str(&format!(" ({})", notice.numbers.join(", ")));
                }
                line.push('\n');
                let _ = self.writer.make_writer().write_all(line.as_bytes());
            }
            None => {}
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(attempt) = ctx
            .span(&id)
            .and_then(|span| span.extensions_mut().remove::<Attempt>())
        else {
            return;
        };
        let _ = self
            .writer
            .make_writer()
            .write_all(attempt.line().as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A writer into a buffer the test reads afterwards.
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// What the layer writes of the spans and events the wrapper sends.
    fn written(send: impl FnOnce()) -> String {
        let written = Arc::new(Mutex::new(Vec::new()));
        let sink = written.clone();
        let subscriber =
            tracing_subscriber::registry().with(RequestLog::new(move || Captured(sink.clone())));
        tracing::subscriber::with_default(subscriber, send);
        String::from_utf8(written.lock().unwrap().clone()).unwrap()
    }

    /// The span as the wrapper opens it, with the retry event it sends inside it.
    #[test]
    fn a_retried_attempt_says_when_the_next_one_comes() {
        let written = written(|| {
            let span = tracing::debug_span!(
                target: "room_sessions::transport",
                "room_sessions.request",
                otel.name = "list_room_sessions",
                http.request.method = "GET",
                url.path = tracing::field::Empty,
                http.request.resend_count = tracing::field::Empty,
                http.response.status_code = tracing::field::Empty,
            );
            span.record("url.path", "/api/video/room_sessions");
            span.record("http.request.resend_count", 1u32);
            span.record("http.response.status_code", 503u16);
            tracing::info!(target: "room_sessions::transport", parent: &span, delay_ms = 180u64, "retrying");
            // Not the wrapper's: ignored.
            tracing::debug_span!(target: "hyper", "room_sessions.request", attempt = 9u32);
        });
        let (start, end) = written.split_once(" in ").unwrap();
        assert_eq!(start, "GET /api/video/room_sessions -> 503");
        assert!(
            end.ends_with(" ms (attempt 2), retrying in 180 ms\n"),
            "{written}"
        );
    }

    #[test]
    fn waits_of_the_throttle_and_the_budget_are_lines_of_their_own() {
        let written = written(|| {
            tracing::info!(target: "room_sessions", operation = "list_room_sessions", wait_ms = 2000u64, "waiting for the client's throttle");
            tracing::info!(target: "room_sessions", "retry budget spent");
            // Below info, or not the wrapper's: not shown.
            tracing::debug!(target: "room_sessions", "request failed");
            tracing::info!(target: "hyper", "connecting");
        });
        assert_eq!(
            written,
            "waiting for the client's throttle (wait_ms=2000)\nretry budget spent\n"
        );
    }
}
