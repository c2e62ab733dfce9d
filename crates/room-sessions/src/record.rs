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
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};
use reqwest::header::{
    AUTHORIZATION, COOKIE, HeaderMap, HeaderName, PROXY_AUTHORIZATION, SET_COOKIE,
};
use reqwest::{Method, StatusCode, Url};
use room_sessions_api::{Exchange, Recorder};

use crate::secret::Redactor;

/// Headers never written, whatever they hold.
const CREDENTIAL_HEADERS: [HeaderName; 4] =
    [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE, SET_COOKIE];

/// An [`Exchange`]'s fields, which this crate's tests can make (only the generated crate
/// makes an `Exchange`).
struct Parts<'a> {
    started: SystemTime,
    method: &'a Method,
    url: &'a Url,
    request_headers: &'a HeaderMap,
    status: StatusCode,
    response_headers: &'a HeaderMap,
    body: &'a [u8],
}

/// Where the exchanges go.
pub(crate) struct Recording {
    out: Mutex<Box<dyn Write + Send>>,
    redactor: Redactor,
    /// Whether a write failed: said once, in the log, and the client goes on without
    /// recording.
    failed: AtomicBool,
    /// The buffers of the last exchange written, for the next: each is a kilobyte or more,
    /// which the allocator serves by a slower path than small blocks, a few hundred
    /// instructions an exchange. Empty while an exchange has them: one recorded at the same
    /// time makes buffers of its own.
    spare: Mutex<Buffers>,
}

/// What [`Recording::line`] writes into.
#[derive(Default)]
struct Buffers {
    /// The line.
    line: Vec<u8>,
    /// The text to look at for the credentials, together.
    text: String,
}

/// The largest buffer [`Recording`] keeps for the next exchange (a long body's is given
/// back), and the longest body looked at together with the rest of the text (a longer one is
/// looked at alone, not copied).
const SPARE_MAX: usize = 64 * 1024;

impl Recording {
    pub(crate) fn new(out: Box<dyn Write + Send>, redactor: Redactor) -> Self {
        Self {
            out: Mutex::new(out),
            redactor,
            failed: AtomicBool::new(false),
            spare: Mutex::new(Buffers::default()),
        }
    }

    /// The exchange as one line of JSON, newline included, redacted.
    ///
    /// Written by hand rather than by serde_json, for what it costs on every request:
    /// serde_json's escaping of a 868-byte session took about 12,000 instructions, a tenth of
    /// all a request takes, client and server (see `BENCHMARKS.md`). The bytes are those
    /// serde_json wrote of the same object, `{startedAt, request {method, url, headers},
    /// response {status, headers, body}}` with the headers as maps by name: the unit tests
    /// compare the two.
    fn line(&self, exchange: &Parts<'_>, buffers: &mut Buffers) {
        let mut url = Cow::Borrowed(exchange.url.as_str());
        let mut body = lossy(exchange.body);
        let mut request_headers = headers(exchange.request_headers);
        let mut response_headers = headers(exchange.response_headers);
        // All the text to write, looked at once for the credentials: most texts are too short
        // for the look to cost more than setting it up (the URL, the header values), and the
        // rare exchange where a secret shows is then redacted text by text. A secret in one
        // of them is in this text; one that spans two of them only costs that redaction,
        // which then leaves them as they are.
        let text = &mut buffers.text;
        text.clear();
        text.push_str(&url);
        for (_, value) in request_headers.iter().chain(&response_headers) {
            text.push('\n');
            text.push_str(value);
        }
        let long_body = body.len() > SPARE_MAX;
        if !long_body {
            text.push('\n');
            text.push_str(&body);
        }
        if self.redactor.holds_secret(text) || long_body && self.redactor.holds_secret(&body) {
            let redact = |text: &mut Cow<'_, str>| {
                if let Cow::Owned(redacted) = self.redactor.redacted(text) {
                    *text = Cow::Owned(redacted);
                }
            };
            redact(&mut url);
            redact(&mut body);
            for (_, value) in request_headers.iter_mut().chain(&mut response_headers) {
                redact(value);
            }
        }
        let line = &mut buffers.line;
        // Room for the line as it usually is (a JSON body escapes about a tenth of its bytes)
        // and for the room `push_string_contents` makes past it, so that it is seldom
        // reallocated.
        let headers: usize = (request_headers.iter().chain(&response_headers))
            .map(|(name, value)| name.len() + value.len() + 8)
            .sum();
        line.clear();
        line.reserve(192 + url.len() + headers + body.len() * 9 / 8 + MOST);
        line.extend_from_slice(b"{\"startedAt\":\"");
        push_timestamp(line, exchange.started);
        // A method is an HTTP token, which JSON does not escape.
        line.extend_from_slice(b"\",\"request\":{\"method\":\"");
        line.extend_from_slice(exchange.method.as_str().as_bytes());
        line.extend_from_slice(b"\",\"url\":");
        push_string(line, &url);
        line.extend_from_slice(b",\"headers\":");
        push_headers(line, &request_headers);
        // A `StatusCode` is three digits, which `as_str` gives without formatting.
        line.extend_from_slice(b"},\"response\":{\"status\":");
        line.extend_from_slice(exchange.status.as_str().as_bytes());
        line.extend_from_slice(b",\"headers\":");
        push_headers(line, &response_headers);
        line.extend_from_slice(b",\"body\":");
        push_string(line, &body);
        line.extend_from_slice(b"}}\n");
    }
}

/// The headers to write, credentials left out, by name (as serde_json writes a `BTreeMap`),
/// the values of a name in the order received.
fn headers(headers: &HeaderMap) -> Vec<(&str, Cow<'_, str>)> {
    let mut kept: Vec<(&str, Cow<str>)> = headers
        .iter()
        .filter(|(name, _)| !CREDENTIAL_HEADERS.contains(name))
        .map(|(name, value)| (name.as_str(), lossy(value.as_bytes())))
        .collect();
    // Stable: the values of a name stay in their order.
    kept.sort_by_key(|(name, _)| *name);
    kept
}

/// `bytes` as text, invalid UTF-8 replaced by U+FFFD. `str::from_utf8` first: it checks
/// ASCII a word at a time, where `String::from_utf8_lossy` takes a byte at a time (about 8
/// instructions a byte of body).
fn lossy(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Appends `started` as chrono's `to_rfc3339_opts(SecondsFormat::Millis, true)` writes it
/// (`2024-07-29T15:51:28.071Z`), without its formatting machinery and `String` (about 700
/// instructions); by chrono itself where it writes otherwise: a year before 0 or after 9999,
/// or a leap second (which a `SystemTime` never is).
fn push_timestamp(line: &mut Vec<u8>, started: SystemTime) {
    let time = DateTime::<Utc>::from(started);
    let (year, millis) = (time.year(), time.nanosecond() / 1_000_000);
    let (Ok(year @ 0..=9999), 0..=999) = (u32::try_from(year), millis) else {
        let text = time.to_rfc3339_opts(SecondsFormat::Millis, true);
        line.extend_from_slice(text.as_bytes());
        return;
    };
    let digits = |value: u32, count: u32| {
        (0..count)
            .rev()
            .map(move |place| b'0' + (value / 10u32.pow(place) % 10) as u8)
    };
    line.extend(digits(year, 4));
    line.push(b'-');
    line.extend(digits(time.month(), 2));
    line.push(b'-');
    line.extend(digits(time.day(), 2));
    line.push(b'T');
    line.extend(digits(time.hour(), 2));
    line.push(b':');
    line.extend(digits(time.minute(), 2));
    line.push(b':');
    line.extend(digits(time.second(), 2));
    line.push(b'.');
    line.extend(digits(millis, 3));
    line.push(b'Z');
}

/// Appends `headers` (sorted by name) as a JSON object, the values of a repeated name joined
/// with `, `.
fn push_headers(line: &mut Vec<u8>, headers: &[(&str, Cow<'_, str>)]) {
    line.push(b'{');
    let mut previous: Option<&str> = None;
    for (name, value) in headers {
        if previous == Some(*name) {
            // Within the string still open: the separator needs no escaping.
            line.extend_from_slice(b", ");
        } else {
            if previous.is_some() {
                line.extend_from_slice(b"\",");
            }
            // A header name is an HTTP token, which JSON does not escape.
            line.push(b'"');
            line.extend_from_slice(name.as_bytes());
            line.extend_from_slice(b"\":\"");
            previous = Some(name);
        }
        push_string_contents(line, value);
    }
    if previous.is_some() {
        line.push(b'"');
    }
    line.push(b'}');
}

/// Appends `text` as a JSON string.
fn push_string(line: &mut Vec<u8>, text: &str) {
    line.push(b'"');
    push_string_contents(line, text);
    line.push(b'"');
}

/// How serde_json writes each byte in a string: as itself (0), as `\` and this byte, or as
/// `\u00XX` (`u`).
static ESCAPES: [u8; 256] = {
    let mut escapes = [0; 256];
    let mut byte = 0;
    while byte < 0x20 {
        escapes[byte] = b'u';
        byte += 1;
    }
    escapes[0x08] = b'b';
    escapes[0x09] = b't';
    escapes[0x0a] = b'n';
    escapes[0x0c] = b'f';
    escapes[0x0d] = b'r';
    escapes[b'"' as usize] = b'"';
    escapes[b'\\' as usize] = b'\\';
    escapes
};

/// The bytes of text [`push_string_contents`] looks at together.
const BLOCK: usize = 64;
/// What [`push_string_contents`] copies at once.
const COPY: usize = 16;
/// The most [`push_string_contents`] writes of a block: each byte as `\u00XX`, and then a
/// copy's worth that the next block (or the end) overwrites.
const MOST: usize = 6 * BLOCK + COPY;

/// Appends `text` escaped as serde_json escapes a string (`"`, `\` and the control
/// characters; nothing else), without the quotes.
///
/// A JSON body escapes about one byte in ten (its quotes), and serde_json spends some 90
/// instructions on each: calls to copy the run before it and to write the escape. Here a
/// block's bytes to escape are found at once, as a bit mask (element-wise comparisons that
/// compile to vector instructions, then a multiplication gathers a bit of each byte), and
/// the runs are copied 16 bytes at a time into room made beforehand (what is copied past a
/// run is overwritten next), without a call or a check of the capacity: about 2
/// instructions a byte and 30 an escape, where serde_json took 5 and 90.
fn push_string_contents(line: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    // Where the next byte goes: `line` is longer, its end zeros to write over, cut at the end.
    let mut end = line.len();
    let mut at = 0;
    // Blocks while the bytes a copy reads past one are in the text.
    while let Some(window) = bytes.get(at..at + BLOCK + COPY) {
        let window: &[u8; BLOCK + COPY] = window.try_into().expect("a window's bytes");
        if line.len() < end + MOST {
            // Room for the rest with an escape in eight bytes; more, a block at a time.
            let rest = bytes.len() - at;
            line.resize(end + MOST + rest + rest / 8, 0);
        }
        let out: &mut [u8; MOST] = (&mut line[end..end + MOST]).try_into().expect("MOST bytes");
        let mut escapes = to_escape(window[..BLOCK].try_into().expect("a block"));
        // The first byte of the block not yet written, and where it goes in `out`.
        let (mut from, mut to) = (0, 0);
        while escapes != 0 {
            let next = escapes.trailing_zeros() as usize;
            escapes &= escapes - 1;
            copy_run(out, to, window, from, next);
            to += next - from;
            let byte = window[next];
            let escape = ESCAPES[usize::from(byte)];
            out[to] = b'\\';
            out[to + 1] = escape;
            to += 2;
            if escape == b'u' {
                to += write_hex(&mut out[to..], byte);
            }
            from = next + 1;
        }
        copy_run(out, to, window, from, BLOCK);
        to += BLOCK - from;
        end += to;
        at += BLOCK;
    }
    line.truncate(end);
    // The rest (a short text, a header value, whole) eight bytes at a time, the last from a
    // copy padded with spaces (which are not escaped): for so few, cheaper than a block's
    // set-up, and than a byte at a time (about 8 instructions a byte).
    let mut copied = at;
    while at < bytes.len() {
        let word = match bytes.get(at..at + 8) {
            Some(word) => word.try_into().expect("8 bytes"),
            None => {
                let mut padded = [b' '; 8];
                padded[..bytes.len() - at].copy_from_slice(&bytes[at..]);
                padded
            }
        };
        let mut escapes = to_escape_in_word(u64::from_le_bytes(word));
        while escapes != 0 {
            let index = at + escapes.trailing_zeros() as usize / 8;
            escapes &= escapes - 1;
            line.extend_from_slice(&bytes[copied..index]);
            let mut escape = [0; 6];
            let length = write_escape(&mut escape, bytes[index]);
            line.extend_from_slice(&escape[..length]);
            copied = index + 1;
        }
        at += 8;
    }
    line.extend_from_slice(&bytes[copied..]);
}

/// The bytes of `word` that a JSON string escapes (`"`, `\`, below 0x20), as 0x80 in each
/// and 0 in the others.
fn to_escape_in_word(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // 0x80 in each zero byte of `x`, exactly: adding 0x7f to a byte's low seven bits sets its
    // top bit unless they are all zero, and never carries into the next byte.
    let zeros = |x: u64| !(((x & !HIGH) + !HIGH) | x) & HIGH;
    zeros(word ^ (ONES * u64::from(b'"')))
        | zeros(word ^ (ONES * u64::from(b'\\')))
        | zeros(word & (ONES * 0xe0))
}

/// Copies `window[from..to]` to `out` from `at`, `COPY` bytes at a time: one copy for the
/// usual run between two escapes; what is copied past its end is written over next.
fn copy_run(
    out: &mut [u8; MOST],
    at: usize,
    window: &[u8; BLOCK + COPY],
    mut from: usize,
    to: usize,
) {
    let mut at = at;
    loop {
        out[at..at + COPY].copy_from_slice(&window[from..from + COPY]);
        from += COPY;
        at += COPY;
        if from >= to {
            return;
        }
    }
}

/// Writes the `00XX` of a `\u00XX` escape of `byte` at the start of `out`; its length.
fn write_hex(out: &mut [u8], byte: u8) -> usize {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out[..4].copy_from_slice(&[
        b'0',
        b'0',
        HEX[usize::from(byte >> 4)],
        HEX[usize::from(byte & 0xf)],
    ]);
    4
}

/// Writes `byte` escaped (one [`ESCAPES`] escapes) at the start of `out`; its length.
fn write_escape(out: &mut [u8], byte: u8) -> usize {
    let escape = ESCAPES[usize::from(byte)];
    out[0] = b'\\';
    out[1] = escape;
    if escape != b'u' {
        return 2;
    }
    2 + write_hex(&mut out[2..], byte)
}

/// Bit `i` set if byte `i` of `block` is one a JSON string escapes (`"`, `\`, below 0x20).
fn to_escape(block: &[u8; BLOCK]) -> u64 {
    // Two loops, not one: the first, element-wise over fixed-size arrays, becomes vector
    // comparisons (16 bytes each with x86-64's SSE2); fused with the second, it did not.
    let mut flags = [0u8; BLOCK];
    for (flag, &byte) in flags.iter_mut().zip(block) {
        *flag = u8::from((byte < 0x20) | (byte == b'"') | (byte == b'\\'));
    }
    // Eight flags of 0 or 1 in a word, times this, make the eight bits of its top byte: the
    // flag of byte `k` lands on bit 56 + k, and the other products on no bit from 56 to 63.
    const GATHER: u64 = 0x0102_0408_1020_4080;
    let mut mask = 0;
    for (index, word) in flags.chunks_exact(8).enumerate() {
        let word = u64::from_le_bytes(word.try_into().expect("8 flags"));
        mask |= (word.wrapping_mul(GATHER) >> 56) << (8 * index);
    }
    mask
}

impl Recorder for Recording {
    fn record(&self, exchange: &Exchange<'_>) {
        if self.failed.load(Ordering::Relaxed) {
            return;
        }
        let mut buffers = std::mem::take(
            &mut *self
                .spare
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        );
        self.line(
            &Parts {
                started: exchange.started,
                method: exchange.method,
                url: exchange.url,
                request_headers: exchange.request_headers,
                status: exchange.status,
                response_headers: exchange.response_headers,
                body: exchange.body,
            },
            &mut buffers,
        );
        let written = {
            let mut out = self
                .out
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            out.write_all(&buffers.line).and_then(|()| out.flush())
        };
        if buffers.line.capacity().max(buffers.text.capacity()) <= SPARE_MAX {
            *self
                .spare
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = buffers;
        }
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::time::{Duration, UNIX_EPOCH};

    use proptest::prelude::*;
    use reqwest::header::{HeaderName, HeaderValue};
    use serde::Serialize;

    use super::*;

    const PROJECT: &str = "b3877c40-da60-4998-90ad-b792e98472af";

    /// The line as the recorder first wrote it, with serde_json: what the hand-written line
    /// must equal, byte for byte.
    fn serde_line(redactor: &Redactor, exchange: &Parts<'_>) -> Vec<u8> {
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
        fn headers<'a>(
            redactor: &Redactor,
            headers: &'a HeaderMap,
        ) -> BTreeMap<&'a str, Cow<'a, str>> {
            let mut kept: BTreeMap<&str, Cow<str>> = BTreeMap::new();
            for (name, value) in headers {
                if CREDENTIAL_HEADERS.contains(name) {
                    continue;
                }
                let value = String::from_utf8_lossy(value.as_bytes());
                let value = match value {
                    Cow::Borrowed(text) => redactor.redacted(text),
                    Cow::Owned(text) => Cow::Owned(redactor.redact(&text)),
                };
                kept.entry(name.as_str())
                    .and_modify(|joined| *joined = Cow::Owned(format!("{joined}, {value}")))
                    .or_insert(value);
            }
            kept
        }
        let body = String::from_utf8_lossy(exchange.body);
        let line = Line {
            started_at: DateTime::<Utc>::from(exchange.started)
                .to_rfc3339_opts(SecondsFormat::Millis, true),
            request: Request {
                method: exchange.method.as_str(),
                url: redactor.redacted(exchange.url.as_str()),
                headers: headers(redactor, exchange.request_headers),
            },
            response: Response {
                status: exchange.status.as_u16(),
                headers: headers(redactor, exchange.response_headers),
                body: redactor.redacted(&body),
            },
        };
        let mut bytes = serde_json::to_vec(&line).unwrap();
        bytes.push(b'\n');
        bytes
    }

    /// Text with what JSON escapes, in runs long and short, and the token now and then.
    fn text(token: &str) -> impl Strategy<Value = String> {
        let token = token.to_owned();
        prop::collection::vec(
            prop_oneof![
                4 => r#"[a-z0-9 {}:,]{0,20}"#,
                2 => r#"["\\\\/]{1,3}"#,
                2 => "[\u{0}-\u{1f}\u{7f}]{1,3}",
                1 => "[é€😀\u{fffd}]{1,2}",
                1 => Just(token),
            ],
            0..12,
        )
        .prop_map(|parts| parts.concat())
    }

    /// Headers with a name repeated, credentials among them, and values that are not UTF-8.
    fn headers(token: &str) -> impl Strategy<Value = HeaderMap> {
        let names = prop::sample::select(vec![
            "authorization",
            "cookie",
            "set-cookie",
            "proxy-authorization",
            "content-type",
            "x-echo",
            "x-b",
            "api-version",
        ]);
        let value = prop_oneof![
            text(token).prop_map(String::into_bytes),
            prop::collection::vec(any::<u8>(), 0..12),
        ];
        prop::collection::vec((names, value), 0..8).prop_map(|pairs| {
            let mut headers = HeaderMap::new();
            for (name, value) in pairs {
                if let Ok(value) = HeaderValue::from_bytes(&value) {
                    headers.append(HeaderName::from_static(name), value);
                }
            }
            headers
        })
    }

    /// Long text, all of it escaped, and the longest escapes: room is made as it is written.
    #[test]
    fn text_that_escapes_throughout_is_written_whole() {
        for text in [
            "\u{1}".repeat(1000),
            "\"".repeat(1000),
            format!("{}\u{1f}", "a\"b\\c\n".repeat(2000)),
        ] {
            let mut line = b"{".to_vec();
            push_string(&mut line, &text);
            let mut expected = b"{".to_vec();
            expected.extend(serde_json::to_vec(&text).unwrap());
            assert_eq!(line, expected);
        }
    }

    /// Many header names, repeated, and a credential among them: by name, each once.
    #[test]
    fn many_headers_are_written_by_name() {
        let redactor = Redactor::for_credentials(PROJECT, "PT-many-headers-token");
        let recording = Recording::new(Box::new(std::io::sink()), redactor.clone());
        let url = Url::parse("http://127.0.0.1:1/api/video/room_sessions").unwrap();
        let mut headers = HeaderMap::new();
        for index in (0..40).rev() {
            let name = HeaderName::try_from(format!("x-h{:02}", index % 20)).unwrap();
            headers.append(name, HeaderValue::from_str(&format!("v\"{index}")).unwrap());
        }
        headers.append(AUTHORIZATION, HeaderValue::from_static("Basic c2VjcmV0"));
        let exchange = Parts {
            started: UNIX_EPOCH,
            method: &Method::GET,
            url: &url,
            request_headers: &headers,
            status: StatusCode::OK,
            response_headers: &headers,
            body: b"{}",
        };
        let mut buffers = Buffers::default();
        recording.line(&exchange, &mut buffers);
        assert_eq!(buffers.line, serde_line(&redactor, &exchange));
    }

    /// A body too long to be looked at with the rest is looked at alone: redacted all the same.
    #[test]
    fn a_long_body_is_redacted_on_its_own() {
        let token = "PT-long-body-token";
        let redactor = Redactor::for_credentials(PROJECT, token);
        let recording = Recording::new(Box::new(std::io::sink()), redactor.clone());
        let url = Url::parse("http://127.0.0.1:1/api/video/room_sessions").unwrap();
        for body in [
            format!("{{\"echo\":\"{}{token}\"}}", "a\"".repeat(SPARE_MAX)),
            "a\"".repeat(SPARE_MAX),
        ] {
            let exchange = Parts {
                started: UNIX_EPOCH,
                method: &Method::GET,
                url: &url,
                request_headers: &HeaderMap::new(),
                status: StatusCode::OK,
                response_headers: &HeaderMap::new(),
                body: body.as_bytes(),
            };
            let mut buffers = Buffers::default();
            recording.line(&exchange, &mut buffers);
            let line = String::from_utf8(buffers.line).unwrap();
            assert!(!line.contains(token));
            assert_eq!(line.contains("***"), body.contains(token));
            assert_eq!(line.into_bytes(), serde_line(&redactor, &exchange));
        }
    }

    proptest! {
        /// Any string is written as serde_json writes it.
        #[test]
        fn strings_are_escaped_as_serde_json_escapes_them(text in any::<String>()) {
            let mut line = Vec::new();
            push_string(&mut line, &text);
            prop_assert_eq!(line, serde_json::to_vec(&text).unwrap());
        }

        /// The same for text full of what JSON escapes, in every position of the words.
        #[test]
        fn escapes_are_written_wherever_they_are(text in text("PT-x")) {
            let mut line = Vec::new();
            push_string(&mut line, &text);
            prop_assert_eq!(line, serde_json::to_vec(&text).unwrap());
        }

        /// A line is what serde_json made of the exchange, redactions included.
        #[test]
        fn a_line_is_what_serde_json_wrote(
            token in "PT-[a-z0-9]{4,8}-[A-Za-z0-9]{4,8}",
            // From 1970 back to before year 0 (chrono then writes the time), and on to 9999.
            before_1970 in any::<bool>(),
            millis in 0u64..253_402_300_799_999,
            method in prop::sample::select(vec!["GET", "POST", "DELETE", "PURGE"]),
            query in text("PT-x"),
            request_headers in headers("PT-x"),
            status in 100u16..1000,
            response_headers in headers("PT-x"),
            body in prop_oneof![
                text("PT-x").prop_map(String::into_bytes),
                prop::collection::vec(any::<u8>(), 0..64),
            ],
        ) {
            // The generators' stand-in token becomes the run's.
            let swap = |text: &str| text.replace("PT-x", &token);
            let redactor = Redactor::for_credentials(PROJECT, &token);
            let mut url = Url::parse("http://127.0.0.1:1/api/video/room_sessions").unwrap();
            url.query_pairs_mut().append_pair("room_name", &swap(&query));
            let with_token = |headers: &HeaderMap| {
                let mut swapped = HeaderMap::new();
                for (name, value) in headers {
                    let value = match value.to_str() {
                        Ok(text) => HeaderValue::from_str(&swap(text)).unwrap(),
                        Err(_) => value.clone(),
                    };
                    swapped.append(name, value);
                }
                swapped
            };
            let body = match String::from_utf8(body) {
                Ok(text) => swap(&text).into_bytes(),
                Err(error) => error.into_bytes(),
            };
            let exchange = Parts {
                started: if before_1970 {
                    UNIX_EPOCH - Duration::from_millis(millis)
                } else {
                    UNIX_EPOCH + Duration::from_millis(millis)
                },
                method: &Method::from_bytes(method.as_bytes()).unwrap(),
                url: &url,
                request_headers: &with_token(&request_headers),
                status: StatusCode::from_u16(status).unwrap(),
                response_headers: &with_token(&response_headers),
                body: &body,
            };
            let recording = Recording::new(Box::new(std::io::sink()), redactor.clone());
            // Into buffers that held a longer exchange before.
            let mut buffers = Buffers { line: vec![b'x'; 4096], text: "y".repeat(4096) };
            recording.line(&exchange, &mut buffers);
            let line = buffers.line;
            prop_assert_eq!(
                String::from_utf8(line).unwrap(),
                String::from_utf8(serde_line(&redactor, &exchange)).unwrap()
            );
        }
    }
}
