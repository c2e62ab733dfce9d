//! Request hooks of the generated [`Client`]: what it adds to every request (headers, a
//! timeout), and the bound on every response body.
//!
//! The generated client carries a [`ClientOptions`] (progenitor's "inner type") because a
//! caller may bring a `reqwest::Client` of their own, whose default headers and timeout cannot
//! be changed afterwards: credentials and the timeout travel with the generated client
//! instead, set on each request by the `pre` hook.
//!
//! Every response body is read by the `exec` hook into one buffer, as its frames arrive, and
//! bounded by [`ClientOptions::max_response_bytes`], whatever the status and whatever the
//! framing (a `Content-Length`, chunks, a body sent one byte at a time):
//!
//! - a success body whose `Content-Length` is over the bound fails at once, before a byte of
//!   it is read; one that passes the bound as it arrives fails there. Either way reading it
//!   fails with a `reqwest::Error` whose source is a [`BodyTooLarge`]. Left to reqwest's
//!   `bytes()`, which the generated code calls, a body would be held as one buffer entry per
//!   frame: a 1 MiB body in one-byte chunks took about 40 MiB that way.
//! - an error body is kept up to the bound: its first bytes when it is longer, and what
//!   arrived when the connection breaks off, so that the status is never lost to a body.
//!   Left alone, the generated code would decode a documented error status (404, 422, ...)
//!   into [`ErrorResponse`](crate::types::ErrorResponse) and, when the body is not that JSON (an HTML page from a
//!   proxy, an empty or truncated body), return `Error::InvalidResponsePayload`, which has
//!   lost the status and headers. When the body is not the documented JSON that says what
//!   went wrong ([`ErrorSummary::parse`]), or lists more than [`MAX_API_ERRORS`](crate::MAX_API_ERRORS) errors (which
//!   the generated code would all decode), the `post` hook ends the request as
//!   `Error::UnexpectedResponse` instead, which carries status, headers and body intact.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{ResponseBuilderExt as _, StatusCode};

use crate::Client;
use crate::error_body::ErrorSummary;
use crate::record::{Exchange, Recorder};

/// The default of [`ClientOptions::max_response_bytes`]: 32 MiB. A page of 1000 room sessions
/// is about 1 MiB, and a session with a field of a few MiB still fits.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// What the generated [`Client`] applies to every request it sends: headers (replacing any of
/// the same name set by the `reqwest::Client`), a timeout, and the bound on response bodies.
///
/// Mark secret header values sensitive (`HeaderValue::set_sensitive`): `Debug` then hides them.
///
/// ```
/// use std::time::Duration;
/// use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
/// use room_sessions_api::{Client, ClientOptions};
///
/// let mut auth = HeaderValue::from_static("Basic dXNlcjpwYXNz");
/// auth.set_sensitive(true);
/// let mut headers = HeaderMap::new();
/// headers.insert(AUTHORIZATION, auth);
/// let options = ClientOptions::new(headers)
///     .timeout(Duration::from_secs(10))
///     .max_response_bytes(8 * 1024 * 1024);
/// let client = Client::new("https://example.signalwire.com/api/video", options);
/// assert!(!format!("{client:?}").contains("dXNlcjpwYXNz"));
/// ```
#[derive(Clone)]
pub struct ClientOptions {
    headers: HeaderMap,
    timeout: Option<Duration>,
    max_response_bytes: usize,
    recorder: Option<Arc<dyn Recorder>>,
}

impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("headers", &self.headers)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("recorder", &self.recorder.as_ref().map(|_| ".."))
            .finish()
    }
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self::new(HeaderMap::new())
    }
}

impl ClientOptions {
    /// Options that add `headers` to every request, with no timeout of their own (the
    /// `reqwest::Client`'s applies) and bodies bounded by [`DEFAULT_MAX_RESPONSE_BYTES`].
    ///
    /// It also readies the TLS backend ([`tls::init`](crate::tls::init)): every generated
    /// client takes options, and [`Client::new`] builds its `reqwest::Client` after them.
    pub fn new(headers: HeaderMap) -> Self {
        crate::tls::init();
        Self {
            headers,
            timeout: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            recorder: None,
        }
    }

    /// Adds a header to every request (replacing one of the same name).
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// The timeout of each whole request, from sending it to reading the last byte of the
    /// response. It replaces the `reqwest::Client`'s own, whichever client sends the request.
    /// (reqwest keeps a per-request timeout in the request's extensions, which costs a few
    /// allocations a request: a client of your own can take its timeout at build time
    /// instead.)
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The most bytes a response body may have; a longer body fails the request.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Hands every exchange to `recorder` once its response body is read (see [`Recorder`]).
    /// Without one, nothing of the request is kept or copied.
    pub fn recorder(mut self, recorder: Arc<dyn Recorder>) -> Self {
        self.recorder = Some(recorder);
        self
    }

    /// The headers added to every request.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The timeout of each request, if these options set one.
    pub fn request_timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The most bytes a response body may have.
    pub fn response_limit(&self) -> usize {
        self.max_response_bytes
    }
}

/// A response body longer than [`ClientOptions::max_response_bytes`]: the source of the
/// `reqwest::Error` that reading such a body ends with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyTooLarge {
    /// The bound, in bytes.
    pub limit: usize,
    /// The status of the response.
    pub status: StatusCode,
    /// The length the response declared (`Content-Length`), if it did.
    pub declared: Option<u64>,
}

impl std::fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "response body over the limit of {} bytes", self.limit)
    }
}

impl std::error::Error for BodyTooLarge {}

impl BodyTooLarge {
    /// The `BodyTooLarge` in the source chain of `error`, if reading a body ended there.
    pub fn find<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a BodyTooLarge> {
        let mut cause = Some(error);
        while let Some(error) = cause {
            if let Some(found) = error.downcast_ref::<BodyTooLarge>() {
                return Some(found);
            }
            cause = error.source();
        }
        None
    }
}

/// The buffered body of an error response that the generated code is not to decode: not the
/// documented [`ErrorResponse`](crate::types::ErrorResponse), or one listing more than [`MAX_API_ERRORS`](crate::MAX_API_ERRORS) errors.
#[derive(Clone)]
struct UndocumentedErrorBody(bytes::Bytes);

/// Whether the generated code may decode an error body: the documented JSON, saying what went
/// wrong, with a list short enough to hold whole.
fn is_documented_error(body: &[u8]) -> bool {
    ErrorSummary::parse(body).is_some_and(|summary| summary.more_errors == 0)
}

/// A response with `body` in place of the original's, keeping status, version, headers and URL.
fn with_body(
    url: reqwest::Url,
    parts: http::response::Parts,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    let mut builder = http::Response::builder()
        .status(parts.status)
        .version(parts.version)
        .url(url);
    if let Some(headers) = builder.headers_mut() {
        *headers = parts.headers;
    }
    if let Some(extensions) = builder.extensions_mut() {
        extensions.extend(parts.extensions);
    }
    builder
        .body(body.into())
        .expect("the parts of a valid response make a valid response")
        .into()
}

/// A response whose body fails with `too_large` when read (dropping the original body closes
/// the connection rather than draining it).
fn too_large(response: reqwest::Response, too_large: BodyTooLarge) -> reqwest::Response {
    let url = response.url().clone();
    let (parts, _) = http::Response::from(response).into_parts();
    let failing = futures::stream::once(futures::future::ready(Err::<bytes::Bytes, _>(too_large)));
    with_body(url, parts, reqwest::Body::wrap_stream(failing))
}

/// A body as its frames arrive: the first frame as it is (a body in one frame, the common
/// case, is never copied), then one buffer that every later frame is copied into, so that
/// memory follows the body's length and not its number of frames.
#[derive(Default)]
struct Collected {
    first: bytes::Bytes,
    rest: Option<bytes::BytesMut>,
}

impl Collected {
    fn len(&self) -> usize {
        self.rest
            .as_ref()
            .map_or(self.first.len(), bytes::BytesMut::len)
    }

    fn push(&mut self, chunk: bytes::Bytes, expected: usize) {
        match &mut self.rest {
            Some(rest) => rest.extend_from_slice(&chunk),
            None if self.first.is_empty() => self.first = chunk,
            None => {
                let mut rest =
                    bytes::BytesMut::with_capacity(expected.max(self.first.len() + chunk.len()));
                rest.extend_from_slice(&self.first);
                rest.extend_from_slice(&chunk);
                self.first = bytes::Bytes::new();
                self.rest = Some(rest);
            }
        }
    }

    fn into_bytes(self) -> bytes::Bytes {
        self.rest.map_or(self.first, bytes::BytesMut::freeze)
    }
}

/// A success response with its body read into one buffer, or failing with [`BodyTooLarge`]
/// when it is longer than `limit`; and the body (empty when it was refused).
async fn collect_success(
    mut response: reqwest::Response,
    limit: usize,
) -> reqwest::Result<(reqwest::Response, bytes::Bytes)> {
    let declared = response.content_length();
    let over = |status| BodyTooLarge {
        limit,
        status,
        declared,
    };
    if declared.is_some_and(|length| length > limit as u64) {
        let status = response.status();
        return Ok((too_large(response, over(status)), bytes::Bytes::new()));
    }
    // Within the limit: a declared length is what the HTTP layer reads, no more.
    let expected = declared.map_or(0, |length| length as usize);
    let mut body = Collected::default();
    while let Some(chunk) = response.chunk().await? {
        if chunk.len() > limit - body.len() {
            let status = response.status();
            return Ok((too_large(response, over(status)), bytes::Bytes::new()));
        }
        body.push(chunk, expected);
    }
    let url = response.url().clone();
    let (parts, _) = http::Response::from(response).into_parts();
    let body = body.into_bytes();
    Ok((with_body(url, parts, body.clone()), body))
}

/// Reads at most `limit` bytes of the body, keeping what arrived if the connection breaks off.
async fn read_capped(mut response: reqwest::Response, limit: usize) -> bytes::Bytes {
    let mut body = Collected::default();
    // A body that breaks off is kept as far as it arrived: the status decides the error.
    while let Ok(Some(mut chunk)) = response.chunk().await {
        let room = limit - body.len();
        if chunk.len() >= room {
            body.push(chunk.split_to(room), 0);
            break;
        }
        body.push(chunk, 0);
    }
    body.into_bytes()
}

/// A copy of the status, version and headers of `response`, for a response rebuilt around a
/// body read already.
fn head_of(response: &reqwest::Response) -> http::response::Parts {
    let mut head = http::Response::new(());
    *head.status_mut() = response.status();
    *head.version_mut() = response.version();
    *head.headers_mut() = response.headers().clone();
    head.into_parts().0
}

/// A request as it was sent, kept for the recorder until its response is read.
struct Sent {
    recorder: Arc<dyn Recorder>,
    started: SystemTime,
    method: reqwest::Method,
    url: reqwest::Url,
    headers: HeaderMap,
}

impl ClientHooks<ClientOptions> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let options = self.inner();
        for (name, value) in &options.headers {
            request.headers_mut().insert(name, value.clone());
        }
        if let Some(timeout) = options.timeout {
            *request.timeout_mut() = Some(timeout);
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let options = self.inner();
        // Only a recording copies anything of the request; boxed, so that without one the
        // future of every request stays as small as it was.
        let sent = options.recorder.as_ref().map(|recorder| {
            Box::new(Sent {
                recorder: recorder.clone(),
                started: SystemTime::now(),
                method: request.method().clone(),
                url: request.url().clone(),
                headers: request.headers().clone(),
            })
        });
        let response = self.client().execute(request).await?;
        let limit = options.max_response_bytes;
        let (response, body) = if response.status().is_success() {
            collect_success(response, limit).await?
        } else {
            let url = response.url().clone();
            let mut parts = head_of(&response);
            let body = read_capped(response, limit).await;
            if !is_documented_error(&body) {
                parts.extensions.insert(UndocumentedErrorBody(body.clone()));
            }
            (with_body(url, parts, body.clone()), body)
        };
        if let Some(sent) = sent {
            sent.recorder.record(&Exchange {
                started: sent.started,
                method: &sent.method,
                url: &sent.url,
                request_headers: &sent.headers,
                status: response.status(),
                response_headers: response.headers(),
                body: &body,
            });
        }
        Ok(response)
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let Ok(response) = result else {
            return Ok(());
        };
        let Some(UndocumentedErrorBody(body)) =
            response.extensions().get::<UndocumentedErrorBody>()
        else {
            return Ok(());
        };
        Err(Error::UnexpectedResponse(with_body(
            response.url().clone(),
            head_of(response),
            body.clone(),
        )))
    }
}
