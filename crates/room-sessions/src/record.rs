//! Recording the client's exchanges, as the generated client's `exec` hook hands them over:
//! one line of JSON each, appended as it completes, in the generic NDJSON traffic format that
//! Redocly's `drift` reads (and `cargo xtask drift`, and the mock crate's replay).
//!
//! NDJSON rather than HAR: a HAR file is one JSON document, which must be rewritten whole to
//! add an exchange, so a long listing would hold it in memory and a crash would lose it all.
//! A line per exchange streams: a crash loses at most the exchange in flight.
//!
//! Credentials are never written: no `Authorization` (nor `Proxy-Authorization` or cookie)
//! header, and the token in every form the redactor knows is masked in the URL, the other
//! headers and the body. Bodies are as the client read them, so bounded by its
//! `max_response_bytes`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::header::HeaderMap;
use room_sessions_api::{Exchange, Recorder};
use serde::Serialize;

use crate::secret::Redactor;

/// Headers never written, whatever they hold.
const CREDENTIAL_HEADERS: [&str; 4] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

/// Where the exchanges go.
pub(crate) struct Recording {
    out: Mutex<Box<dyn Write + Send>>,
    redactor: Redactor,
    /// Whether a write failed: said once, in the log, and the client goes on without
    /// recording.
    failed: AtomicBool,
}

impl Recording {
    pub(crate) fn new(out: Box<dyn Write + Send>, redactor: Redactor) -> Self {
        Self {
            out: Mutex::new(out),
            redactor,
            failed: AtomicBool::new(false),
        }
    }

    /// The exchange as one line of JSON, newline included, redacted.
    fn line(&self, exchange: &Exchange<'_>) -> Vec<u8> {
        let body = String::from_utf8_lossy(exchange.body);
        let line = Line {
            started_at: DateTime::<Utc>::from(exchange.started)
                .to_rfc3339_opts(SecondsFormat::Millis, true),
            request: Request {
                method: exchange.method.as_str(),
                url: self.redactor.redacted(exchange.url.as_str()),
                headers: self.headers(exchange.request_headers),
            },
            response: Response {
                status: exchange.status.as_u16(),
                headers: self.headers(exchange.response_headers),
                body: self.redactor.redacted(&body),
            },
        };
        let mut bytes = serde_json::to_vec(&line).expect("strings and numbers serialize");
        bytes.push(b'\n');
        bytes
    }

    fn headers<'a>(&self, headers: &'a HeaderMap) -> BTreeMap<&'a str, Cow<'a, str>> {
        let mut kept: BTreeMap<&str, Cow<str>> = BTreeMap::new();
        for (name, value) in headers {
            if CREDENTIAL_HEADERS.contains(&name.as_str()) {
                continue;
            }
            let value = String::from_utf8_lossy(value.as_bytes());
            let value = match value {
                Cow::Borrowed(text) => self.redactor.redacted(text),
                Cow::Owned(text) => Cow::Owned(self.redactor.redact(&text)),
            };
            kept.entry(name.as_str())
                .and_modify(|joined| *joined = Cow::Owned(format!("{joined}, {value}")))
                .or_insert(value);
        }
        kept
    }
}

impl Recorder for Recording {
    fn record(&self, exchange: &Exchange<'_>) {
        if self.failed.load(Ordering::Relaxed) {
            return;
        }
        let line = self.line(exchange);
        let mut out = self
            .out
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let written = out.write_all(&line).and_then(|()| out.flush());
        if let Err(error) = written
            && !self.failed.swap(true, Ordering::Relaxed)
        {
            tracing::warn!(
                target: "room_sessions",
                error = %error,
                "cannot write the recording: exchanges are no longer recorded"
            );
        }
    }
}

#[derive(Serialize)]
struct Line<'a> {
    #[serde(rename = "startedAt")]
    started_at: String,
    request: Request<'a>,
    response: Response<'a>,
}

#[derive(Serialize)]
struct Request<'a> {
    method: &'a str,
    url: Cow<'a, str>,
    headers: BTreeMap<&'a str, Cow<'a, str>>,
}

#[derive(Serialize)]
struct Response<'a> {
    status: u16,
    headers: BTreeMap<&'a str, Cow<'a, str>>,
    body: Cow<'a, str>,
}
