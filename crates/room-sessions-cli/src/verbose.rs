//! `--verbose`: one line on stderr per request attempt, read from the wrapper's tracing span
//! `room_sessions.request` (method, path, attempt, status, latency_ms) when it closes.

use std::io::Write;

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
pub fn install(base_path: &str) {
    let subscriber =
        tracing_subscriber::registry().with(RequestLog::new(std::io::stderr, base_path));
    // Only fails if a subscriber is already set, and nothing else sets one.
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// A tracing layer that writes a line per closed `room_sessions.request` span:
/// `GET /api/video/room_sessions -> 200 in 12 ms (attempt 1)`.
pub struct RequestLog<W> {
    writer: W,
    /// The path of the base URL, such as `/api/video`: the span's path is below it.
    base_path: String,
}

impl<W> RequestLog<W> {
    pub fn new(writer: W, base_path: &str) -> Self {
        Self {
            writer,
            base_path: base_path.trim_end_matches('/').to_owned(),
        }
    }

    fn line(&self, attempt: &Attempt) -> String {
        let mut line = format!(
            "{} {}{}",
            attempt.method.as_deref().unwrap_or("?"),
            self.base_path,
            attempt.path.as_deref().unwrap_or("?"),
        );
        match attempt.status {
            Some(status) => line.push_str(&format!(" -> {status}")),
            None => line.push_str(" -> no response"),
        }
        if let Some(latency) = attempt.latency_ms {
            line.push_str(&format!(" in {latency} ms"));
        }
        if let Some(number) = attempt.attempt {
            line.push_str(&format!(" (attempt {number})"));
        }
        if let Some(delay) = attempt.retry_in_ms {
            line.push_str(&format!(", retrying in {delay} ms"));
        }
        line.push('\n');
        line
    }
}

/// What the span and its events told about one attempt.
#[derive(Default)]
struct Attempt {
    method: Option<String>,
    /// The request's path below the base URL, such as `/room_sessions/{id}/members`.
    path: Option<String>,
    attempt: Option<u64>,
    status: Option<u64>,
    latency_ms: Option<u64>,
    /// The wait before the next attempt, from the wrapper's "retrying" event.
    retry_in_ms: Option<u64>,
}

impl Visit for Attempt {
    fn record_u64(&mut self, field: &Field, value: u64) {
        match field.name() {
            "attempt" => self.attempt = Some(value),
            "status" => self.status = Some(value),
            "latency_ms" => self.latency_ms = Some(value),
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
            "method" => self.method = Some(value.to_owned()),
            "path" => self.path = Some(value.to_owned()),
            _ => {}
        }
    }

    // Other fields (the error of a failed attempt) are not logged: the command prints the
    // error that ends it, once.
    fn record_debug(&mut self, _field: &Field, _value: &dyn std::fmt::Debug) {}
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
        let mut attempt = Attempt::default();
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
        if let Some(span) = ctx.event_span(event)
            && let Some(attempt) = span.extensions_mut().get_mut::<Attempt>()
        {
            event.record(attempt);
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(attempt) = ctx
            .span(&id)
            .and_then(|span| span.extensions_mut().remove::<Attempt>())
        else {
            return;
        };
        let line = self.line(&attempt);
        let _ = self.writer.make_writer().write_all(line.as_bytes());
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

    /// The span as the wrapper opens it, with the retry event it sends inside it.
    #[test]
    fn a_retried_attempt_says_when_the_next_one_comes() {
        let written = Arc::new(Mutex::new(Vec::new()));
        let sink = written.clone();
        let subscriber = tracing_subscriber::registry().with(RequestLog::new(
            move || Captured(sink.clone()),
            "/api/video/",
        ));
        tracing::subscriber::with_default(subscriber, || {
            let span = tracing::debug_span!(
                target: "room_sessions::client",
                "room_sessions.request",
                operation = "list_room_sessions",
                method = "GET",
                path = tracing::field::Empty,
                attempt = 1u32,
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            span.record("path", "/room_sessions");
            span.record("latency_ms", 7u64);
            span.record("status", 503u16);
            tracing::info!(target: "room_sessions::client", parent: &span, delay_ms = 180u64, "retrying");
            // Not the wrapper's: ignored.
            tracing::debug_span!(target: "hyper", "room_sessions.request", attempt = 9u32);
        });
        let written = String::from_utf8(written.lock().unwrap().clone()).unwrap();
        assert_eq!(
            written,
            "GET /api/video/room_sessions -> 503 in 7 ms (attempt 1), retrying in 180 ms\n"
        );
    }
}
