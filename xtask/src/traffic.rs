//! Recorded traffic: the NDJSON files the client's recorder writes, one exchange a line. Redocly's
//! `drift` reads them too, as its generic NDJSON format, which also accepts other names for the
//! fields (`req`, `uri`, `statusCode`...); drift reads only the recorder's: `request.method`,
//! `request.url`, `response.status` and `response.body`.
//!
//! Only what drift compares is kept: the method, the URL's path and query, the status and the
//! body. Headers are not compared (the recorder drops `Authorization`, and the rest are the
//! transport's), so they are not read. The files are read a line at a time and each exchange
//! is handed on as it is read, so that drift's memory does not grow with the traffic.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::{Context, Result, anyhow};
use serde::Deserialize;
use serde_json::Value;

/// One recorded request and its response.
#[derive(Debug)]
pub(crate) struct Exchange {
    /// Where it was read, `FILE:LINE`, for messages.
    pub(crate) source: String,
    /// The request method, upper-case.
    pub(crate) method: String,
    /// The URL's path split at `/`, empty segments dropped, still percent-encoded.
    pub(crate) segments: Vec<String>,
    /// The URL's query, decoded, in order.
    pub(crate) query: Vec<(String, String)>,
    /// The URL's query as it was sent.
    raw_query: Option<String>,
    /// `None` when the recorder saw no response (a connection that failed).
    pub(crate) response: Option<Response>,
    /// The line as read: Redocly is given it with only the URL changed.
    pub(crate) line: Value,
}

impl Exchange {
    /// The URL's path from segment `base` on, with its query, as sent: `/room_sessions?x=1`.
    pub(crate) fn url(&self, base: usize) -> String {
        let (path, query) = (self.segments[base..].join("/"), self.raw_query.as_ref());
        format!(
            "/{path}{}",
            query.map(|q| format!("?{q}")).unwrap_or_default()
        )
    }
}

/// A recorded response: its status and body.
#[derive(Debug, Deserialize)]
pub(crate) struct Response {
    pub(crate) status: u16,
    /// The body as text: the recorder writes a string, the format allows any JSON value (an
    /// object, say), which is taken as its JSON text; absent or `null` for no body.
    #[serde(default, deserialize_with = "text")]
    pub(crate) body: Option<String>,
}

fn text<'de, D: serde::Deserializer<'de>>(body: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(body)? {
        Some(Value::String(text)) => Some(text),
        other => other.map(|json| json.to_string()),
    })
}

/// The fields of a line that drift reads; the recorder writes more.
#[derive(Deserialize)]
struct Line {
    request: Request,
    response: Option<Response>,
}

#[derive(Deserialize)]
struct Request {
    method: String,
    url: String,
}

/// Reads every exchange of every file, in order, and hands each to `each`. The first
/// unreadable line stops the reading, named by file and line.
pub(crate) fn read(
    files: &[impl AsRef<Path>],
    mut each: impl FnMut(Exchange) -> Result<()>,
) -> Result<()> {
    for file in files {
        let file = file.as_ref();
        let opened = File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
        for (index, line) in BufReader::new(opened).lines().enumerate() {
            let source = format!("{}:{}", file.display(), index + 1);
            // Decoded a line at a time: a line that is not UTF-8 is named like any other.
            let line = line.map_err(|e| anyhow!("{source}: cannot read ({e})"))?;
            if !line.trim().is_empty() {
                each(parse(&line, source.clone()).map_err(|e| anyhow!("{source}: {e}"))?)?;
            }
        }
    }
    Ok(())
}

fn parse(text: &str, source: String) -> Result<Exchange, String> {
    let line: Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON ({})", brief(&e)))?;
    // serde reads a struct from an array too; but the format's exchanges are objects, and
    // Redocly is given the line with its `request.url` replaced.
    let response = line.get("response").filter(|r| !r.is_null());
    let parts = [
        ("the line", Some(&line)),
        ("request", line.get("request")),
        ("response", response),
    ];
    let other = parts
        .iter()
        .find(|(_, p)| p.is_some_and(|p| !p.is_object()));
    if let Some((name, _)) = other {
        return Err(format!("not a recorded exchange ({name} is not an object)"));
    }
    let Line { request, response } =
        Line::deserialize(&line).map_err(|e| format!("not a recorded exchange ({})", brief(&e)))?;
    // A path alone is taken as relative to some server: only the part after the server counts.
    let url = url::Url::parse(&request.url)
        .or_else(|_| url::Url::parse("http://recorded.invalid").and_then(|b| b.join(&request.url)))
        .map_err(|e| format!("request.url {:?} is not a URL ({e})", request.url))?;
    let segments = url.path().split('/').filter(|s| !s.is_empty());
    Ok(Exchange {
        source,
        method: request.method.to_ascii_uppercase(),
        segments: segments.map(str::to_owned).collect(),
        query: url
            .query_pairs()
            .map(|(k, v)| (k.into(), v.into()))
            .collect(),
        raw_query: url.query().map(str::to_owned),
        response,
        line,
    })
}

/// serde_json's message without its location: a line is one line, so only the column counts.
fn brief(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let at = format!(" at line {} column {}", error.line(), error.column());
    match message.find(&at) {
        Some(start) => format!("{} at column {}", &message[..start], error.column()),
        None => message,
    }
}
