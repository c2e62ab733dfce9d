//! Recorded traffic, as `room-sessions` records it (`ClientBuilder::record`): one JSON object
//! per line (the NDJSON traffic format of Redocly's `drift`), read back to be served again.
//!
//! A recording is served at the root of a local server, as the mocks are: whatever came before
//! the API's paths in the recorded URLs (the space's `https://example.signalwire.com/api/video`)
//! is taken off the paths and, in the bodies, replaced by the local server's base URL, so that
//! the pages' `links.next` lead back to it. Each request gets the responses recorded for its
//! method, path and query, in the order they were recorded (a retried request got several),
//! the last one again once they run out.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use serde::Deserialize;

/// Where the API's own paths start in a recorded URL.
const API_PATHS: &str = "/room_sessions";

/// One recorded exchange, as it is served again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// The request's method, such as `GET`.
    pub method: String,
    /// The request's path from the API's own paths on, such as `/room_sessions/{id}`.
    pub path: String,
    /// The request's query, decoded, sorted.
    pub query: Vec<(String, String)>,
    /// The scheme, host and port of the recorded URL, such as
    /// `https://example.signalwire.com`.
    pub origin: String,
    /// What the recorded URL's path had before `path`, such as `/api/video` (or nothing).
    pub prefix: String,
    /// The response's status.
    pub status: u16,
    /// The response's `content-type`, if it had one.
    pub content_type: Option<String>,
    /// The response's body.
    pub body: String,
}

impl Exchange {
    /// The body with the recorded base of the API's links (absolute, or from the server's
    /// root) replaced by `base_url`'s.
    pub fn body_at(&self, base_url: &str) -> String {
        let recorded = format!("{}{}{API_PATHS}", self.origin, self.prefix);
        let local = format!("{}{API_PATHS}", base_url.trim_end_matches('/'));
        let body = self.body.replace(&recorded, &local);
        if self.prefix.is_empty() {
            return body;
        }
        body.replace(
            &format!("\"{}{API_PATHS}", self.prefix),
            &format!("\"{API_PATHS}"),
        )
    }
}

/// A recording that cannot be read: the file, the line, and what is wrong.
#[derive(Debug)]
pub struct RecordingError {
    /// The line (from 1), or 0 when the file itself could not be read.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

impl std::fmt::Display for RecordingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            0 => f.write_str(&self.reason),
            line => write!(f, "line {line}: {}", self.reason),
        }
    }
}

impl std::error::Error for RecordingError {}

/// Reads the recording at `path`.
pub fn read(path: &Path) -> Result<Vec<Exchange>, RecordingError> {
    let text = std::fs::read_to_string(path).map_err(|e| RecordingError {
        line: 0,
        reason: format!("cannot read {}: {e}", path.display()),
    })?;
    parse(&text)
}

/// Reads a recording's text; blank lines are skipped.
pub fn parse(text: &str) -> Result<Vec<Exchange>, RecordingError> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            let failed = |reason: String| RecordingError {
                line: index + 1,
                reason,
            };
            let line: Line =
                serde_json::from_str(line).map_err(|e| failed(format!("not an exchange ({e})")))?;
            let url = url::Url::parse(&line.request.url)
                .map_err(|e| failed(format!("the URL is not one ({e})")))?;
            let at = url
                .path()
                .find(API_PATHS)
                .ok_or_else(|| failed(format!("{} is not a path of the API", url.path())))?;
            let mut query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
            query.sort();
            Ok(Exchange {
                method: line.request.method,
                path: url.path()[at..].to_owned(),
                query,
                origin: url.origin().ascii_serialization(),
                prefix: url.path()[..at].to_owned(),
                status: line.response.status,
                content_type: line.response.headers.get("content-type").cloned(),
                body: line.response.body,
            })
        })
        .collect()
}

#[derive(Deserialize)]
struct Line {
    request: RequestLine,
    response: ResponseLine,
}

#[derive(Deserialize)]
struct RequestLine {
    method: String,
    url: String,
}

#[derive(Deserialize)]
struct ResponseLine {
    status: u16,
    #[serde(default)]
    headers: HashMap<String, String>,
    #[serde(default)]
    body: String,
}

/// The responses of a recording for each request, in order, served one after the other.
#[derive(Debug)]
pub struct Replies {
    by_request: HashMap<Request, (Vec<Exchange>, Mutex<usize>)>,
}

impl Replies {
    /// The replies of `exchanges`.
    pub fn new(exchanges: Vec<Exchange>) -> Self {
        let mut by_request: HashMap<_, (Vec<Exchange>, Mutex<usize>)> = HashMap::new();
        for exchange in exchanges {
            let key = (
                exchange.method.clone(),
                exchange.path.clone(),
                exchange.query.clone(),
            );
            by_request.entry(key).or_default().0.push(exchange);
        }
        Self { by_request }
    }

    /// Whether this request was recorded.
    pub fn recorded(&self, method: &str, path: &str, query: &str) -> bool {
        self.by_request.contains_key(&key(method, path, query))
    }

    /// The next response recorded for this request, if it was recorded: the last one again
    /// once they run out.
    pub fn next(&self, method: &str, path: &str, query: &str) -> Option<&Exchange> {
        let (responses, served) = self.by_request.get(&key(method, path, query))?;
        let mut served = served.lock().unwrap_or_else(|e| e.into_inner());
        let exchange = &responses[(*served).min(responses.len() - 1)];
        *served += 1;
        Some(exchange)
    }
}

/// A request as the recording knows it: method, path, and the query decoded and sorted.
type Request = (String, String, Vec<(String, String)>);

fn key(method: &str, path: &str, query: &str) -> Request {
    let mut query: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    query.sort();
    (method.to_owned(), path.to_owned(), query)
}
