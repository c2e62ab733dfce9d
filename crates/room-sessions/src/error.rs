//! The one error type of the crate, and how the generated client's errors become it.

use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use room_sessions_api::types::ErrorResponse;
use serde::de::DeserializeOwned;

pub use room_sessions_api::types::ApiError;

/// The `Result` of this crate's operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when talking to the room-sessions API.
///
/// Each variant says what happened; its message (`Display`) also says what to do about it.
/// None of them ever holds or prints the API token: bodies and messages the server sends back
/// are scrubbed of the credentials before they are kept.
///
/// Match on the variants, or use the queries ([`is_not_found`](Error::is_not_found),
/// [`is_retryable`](Error::is_retryable), [`status`](Error::status), ...):
///
/// ```no_run
/// # async fn run(client: room_sessions::Client) -> Result<(), room_sessions::Error> {
/// match client.room_session("c22d24f6-5a47-4597-9a23-c7d01e696b92").await {
///     Ok(session) => println!("found {}", session.id),
///     Err(e) if e.is_not_found() => println!("no such session"),
///     Err(e) => return Err(e),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// HTTP 404: the resource does not exist, or not in this project and space.
    #[error(
        "not found (HTTP 404{}): check the id, and that it belongs to the configured project and space",
        said(message)
    )]
    NotFound {
        /// What the server said, if anything (`"Not Found"`).
        message: Option<String>,
    },

    /// HTTP 401: the credentials were refused.
    #[error(
        "unauthorized (HTTP 401{}): the API refused the credentials; check the project id and \
         the API token (SIGNALWIRE_PROJECT_ID, SIGNALWIRE_API_TOKEN) and that they belong to \
         the configured space",
        said(message)
    )]
    Unauthorized {
        /// What the server said, if anything.
        message: Option<String>,
    },

    /// HTTP 403: the credentials are valid but may not do this.
    #[error(
        "forbidden (HTTP 403{}): the API token may not read room sessions; give it the Video \
         scope in the SignalWire dashboard",
        said(message)
    )]
    Forbidden {
        /// What the server said, if anything.
        message: Option<String>,
    },

    /// HTTP 400 or 422: the API refused the request's parameters.
    #[error(
        "the API refused the request (HTTP {}{}{}): fix the parameters it names and send it again",
        status.as_u16(),
        said(message),
        list_errors(errors)
    )]
    Validation {
        /// 400 (bad request) or 422 (unprocessable entity).
        status: StatusCode,
        /// The `error` of the body, if the server sent one.
        message: Option<String>,
        /// The `errors` of the body: one entry per problem, empty if the server sent none.
        errors: Vec<ApiError>,
    },

    /// HTTP 429: too many requests, still refused after the retries.
    #[error(
        "rate limited (HTTP 429{}): {}",
        said(message),
        match retry_after {
            Some(delay) => format!(
                "the server asks to wait {} before trying again; wait, or raise \
                 RetryPolicy::max_retry_after to let the client wait that long",
                seconds(*delay)
            ),
            None => "slow down and try again later".to_owned(),
        }
    )]
    RateLimited {
        /// What the server said, if anything.
        message: Option<String>,
        /// How long the server asked to wait (`Retry-After`), if it said.
        retry_after: Option<Duration>,
    },

    /// HTTP 5xx: the server failed (after the retries, for 500, 502, 503 and 504).
    #[error(
        "server error (HTTP {}{}): the service failed; this is usually temporary, try again \
         later (GET requests were already retried)",
        status.as_u16(),
        said(message)
    )]
    Server {
        /// The status, 500 to 599.
        status: StatusCode,
        /// What the server said: its `error` message, or the start of a body that is not JSON.
        message: Option<String>,
        /// How long the server asked to wait (`Retry-After`), if it said.
        retry_after: Option<Duration>,
    },

    /// A status the API does not document for this request (such as 405, 408, 409 or a
    /// redirect), or a documented one (400, 422, ...) sent for another reason.
    #[error(
        "unexpected response (HTTP {}{}): the API does not answer this request with this \
         status; check the base URL (is a proxy or another service answering?)",
        status.as_u16(),
        said(message)
    )]
    UnexpectedStatus {
        /// The status.
        status: StatusCode,
        /// What the server said: its `error` message, or the start of a body that is not JSON.
        message: Option<String>,
        /// How long the server asked to wait (`Retry-After`), if it said.
        retry_after: Option<Duration>,
    },

    /// The request or the response took longer than the configured timeout.
    #[error(
        "the request timed out ({url}): the server did not answer in time; try again, or raise \
         the timeout (ClientBuilder::timeout, ClientBuilder::connect_timeout)"
    )]
    Timeout {
        /// The URL requested (it never holds credentials).
        url: String,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },

    /// The connection could not be made, or broke off before the response was read in full.
    #[error("{what} ({url}): {cause}; check the base URL or space, and the network")]
    Connection {
        /// What failed: connecting, sending the request, or reading the response.
        what: &'static str,
        /// The URL requested (it never holds credentials).
        url: String,
        /// The innermost cause, as text (such as "Connection refused (os error 111)").
        cause: String,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },

    /// The response could not be decoded: its body is not the JSON the API documents, or its
    /// status is not the one the operation answers with.
    #[error(
        "could not decode the response (HTTP {}){}: {detail}; the body starts with {excerpt:?}. \
         Check the base URL; if it is right, the API sent something this client does not \
         understand: report it with this message",
        status.as_u16(),
        location(path.as_deref(), *line, *column)
    )]
    Undecodable {
        /// The status of the response.
        status: StatusCode,
        /// Where in the JSON decoding failed, such as `data[3].start_time`, if it got that far.
        path: Option<String>,
        /// The line of the body where decoding failed (from 1), or 0 if unknown.
        line: usize,
        /// The column of the body where decoding failed (from 1), or 0 if unknown.
        column: usize,
        /// What was wrong.
        detail: String,
        /// The start of the body (at most 512 bytes, cut at a character boundary).
        excerpt: String,
    },

    /// A parameter was refused before any request was sent.
    #[error("invalid {parameter}: {reason}; nothing was sent")]
    InvalidInput {
        /// The parameter, such as `page_size` or `room session id`.
        parameter: &'static str,
        /// Why it was refused.
        reason: String,
    },

    /// The client's configuration is incomplete or wrong; [`build`](crate::ClientBuilder::build)
    /// and [`from_env`](crate::Client::from_env) return this.
    #[error("invalid configuration: {message}")]
    Config {
        /// What is wrong and how to fix it.
        message: String,
    },

    /// A pagination link (`links.next`) that the client will not follow.
    #[error("refused to follow the pagination link {link:?}: {reason}")]
    RefusedLink {
        /// The link as the server sent it.
        link: String,
        /// Why it was refused.
        reason: LinkRefusal,
    },
}

/// Why a pagination link was refused; see [`Error::RefusedLink`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LinkRefusal {
    /// The link points at another scheme, host or port than the configured base URL.
    /// Credentials are sent to the configured origin only.
    CrossOrigin {
        /// The configured origin, such as `https://example.signalwire.com`.
        expected: String,
    },
    /// The link leads to a page already fetched in this listing: the pagination loops.
    Repeated,
    /// The link leads to another endpoint than the listing's.
    WrongEndpoint {
        /// The path the listing's links must end with.
        expected: String,
    },
    /// The link is not a URL, or one of its parameters is not valid.
    Malformed(String),
}

impl fmt::Display for LinkRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkRefusal::CrossOrigin { expected } => write!(
                f,
                "it points at another origin than the configured base URL ({expected}), and \
                 credentials are only sent there; check the base URL, or the server's links"
            ),
            LinkRefusal::Repeated => f.write_str(
                "it leads to a page already fetched in this listing, so the server's pagination \
                 loops; the items read so far are complete up to that page",
            ),
            LinkRefusal::WrongEndpoint { expected } => write!(
                f,
                "it leads to another endpoint than this listing's (a path ending in {expected})"
            ),
            LinkRefusal::Malformed(why) => write!(f, "it is malformed: {why}"),
        }
    }
}

impl Error {
    /// The HTTP status of the response that caused the error, if there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::NotFound { .. } => Some(StatusCode::NOT_FOUND),
            Error::Unauthorized { .. } => Some(StatusCode::UNAUTHORIZED),
            Error::Forbidden { .. } => Some(StatusCode::FORBIDDEN),
            Error::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            Error::Validation { status, .. }
            | Error::Server { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Undecodable { status, .. } => Some(*status),
            Error::Timeout { .. }
            | Error::Connection { .. }
            | Error::InvalidInput { .. }
            | Error::Config { .. }
            | Error::RefusedLink { .. } => None,
        }
    }

    /// Whether the resource was not found (HTTP 404).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound { .. })
    }

    /// Whether the credentials were refused (HTTP 401) or lack a permission (HTTP 403).
    pub fn is_auth(&self) -> bool {
        matches!(self, Error::Unauthorized { .. } | Error::Forbidden { .. })
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Whether sending the same request again may succeed: connection failures, timeouts, and
    /// HTTP 408, 429, 500, 502, 503 and 504.
    ///
    /// The client already retries these (see [`RetryPolicy`](crate::RetryPolicy)); an error
    /// that reaches you retryable means the attempts ran out or the server asked to wait
    /// longer than the policy allows.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout { .. } | Error::Connection { .. } | Error::RateLimited { .. } => true,
            Error::Server { status, .. } | Error::UnexpectedStatus { status, .. } => {
                is_retryable_status(*status)
            }
            _ => false,
        }
    }

    /// How long the server asked to wait before trying again (`Retry-After`), if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. }
            | Error::Server { retry_after, .. }
            | Error::UnexpectedStatus { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The problems the API listed (the `errors` of a validation error), or nothing.
    pub fn api_errors(&self) -> &[ApiError] {
        match self {
            Error::Validation { errors, .. } => errors,
            _ => &[],
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    pub(crate) fn invalid_input(parameter: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            parameter,
            reason: reason.into(),
        }
    }
}

/// The statuses that are worth a retry.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

fn said(message: &Option<String>) -> String {
    match message {
        Some(message) if !message.is_empty() => format!(": {message:?}"),
        _ => String::new(),
    }
}

fn list_errors(errors: &[ApiError]) -> String {
    let mut text = String::new();
    for error in errors {
        text.push_str(if text.is_empty() { ": " } else { "; " });
        if let Some(attribute) = error.attribute.as_deref().filter(|a| !a.is_empty()) {
            text.push_str(attribute);
            text.push_str(": ");
        }
        text.push_str(&error.message);
        if let Some(code) = error.code.as_deref().filter(|c| !c.is_empty()) {
            text.push_str(" (");
            text.push_str(code);
            text.push(')');
        }
    }
    text
}

fn seconds(delay: Duration) -> String {
    if delay.subsec_millis() == 0 {
        format!("{} s", delay.as_secs())
    } else {
        format!("{:.1} s", delay.as_secs_f64())
    }
}

fn location(path: Option<&str>, line: usize, column: usize) -> String {
    let mut text = String::new();
    if let Some(path) = path {
        text.push_str(" at `");
        text.push_str(path);
        text.push('`');
    }
    if line > 0 {
        text.push_str(&format!(" (line {line}, column {column})"));
    }
    text
}

/// Removes the credentials from text the server sent back (an error body, a link), in case
/// the server or a proxy echoes them.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    secrets: Vec<String>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Redactor(***)")
    }
}

impl Redactor {
    /// Redacts each of `secrets` (empty ones are ignored).
    pub(crate) fn new(secrets: impl IntoIterator<Item = String>) -> Self {
        let mut secrets: Vec<String> = secrets.into_iter().filter(|s| !s.is_empty()).collect();
        // Longest first, so that a secret containing another is replaced whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Self { secrets }
    }

    pub(crate) fn redact(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for secret in &self.secrets {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), "***");
            }
        }
        text
    }
}

/// How many bytes of a body an error keeps.
pub(crate) const EXCERPT_LEN: usize = 512;
/// How many bytes of an unexpected body are read at most (the rest is left unread).
pub(crate) const BODY_READ_LIMIT: usize = 64 * 1024;

/// The start of `body` as text: at most [`EXCERPT_LEN`] bytes, cut at a character boundary,
/// with the credentials removed, and `…` when cut.
pub(crate) fn excerpt(body: &[u8], redactor: &Redactor) -> String {
    // Redact before cutting, so that a cut never leaves the start of a secret behind.
    let text = redactor.redact(&String::from_utf8_lossy(body));
    if text.len() <= EXCERPT_LEN {
        return text;
    }
    let mut end = EXCERPT_LEN;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// Parses `Retry-After`: a number of seconds or an HTTP date (then the time left until it,
/// zero if it is past).
pub(crate) fn parse_retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// What the server said in an error body: the `error` string, the `errors` messages joined,
/// or (for a body that is not the documented JSON) its start as text.
fn message_of(body: &ErrorResponse) -> Option<String> {
    if let Some(error) = body.error.as_deref().filter(|e| !e.trim().is_empty()) {
        return Some(error.to_owned());
    }
    let messages: Vec<&str> = body
        .errors
        .iter()
        .flatten()
        .map(|e| e.message.as_str())
        .filter(|m| !m.is_empty())
        .collect();
    (!messages.is_empty()).then(|| messages.join("; "))
}

fn redact_api_error(error: ApiError, redactor: &Redactor) -> ApiError {
    let redact_opt = |value: Option<String>| value.map(|v| redactor.redact(&v));
    ApiError {
        attribute: redact_opt(error.attribute),
        code: redact_opt(error.code),
        message: redactor.redact(&error.message),
        type_: redact_opt(error.type_),
        url: redact_opt(error.url),
    }
}

/// The error of a response with an error status (or one the operation does not answer with),
/// from its status, headers and body (documented JSON, other JSON, text or nothing).
pub(crate) fn from_status(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    redactor: &Redactor,
) -> Error {
    let decoded = serde_json::from_slice::<ErrorResponse>(body).ok();
    let message = match &decoded {
        Some(decoded) => message_of(decoded).map(|m| redactor.redact(&m)),
        None if body.iter().all(u8::is_ascii_whitespace) => None,
        None => Some(excerpt(body, redactor)),
    };
    let retry_after = parse_retry_after(headers, SystemTime::now());
    match status.as_u16() {
        404 => Error::NotFound { message },
        401 => Error::Unauthorized { message },
        403 => Error::Forbidden { message },
        400 | 422 => Error::Validation {
            status,
            message: decoded
                .as_ref()
                .and_then(|d| d.error.as_deref())
                .filter(|e| !e.trim().is_empty())
                .map(|e| redactor.redact(e))
                .or_else(|| decoded.is_none().then_some(message).flatten()),
            errors: decoded
                .and_then(|d| d.errors)
                .unwrap_or_default()
                .into_iter()
                .map(|e| redact_api_error(e, redactor))
                .collect(),
        },
        429 => Error::RateLimited {
            message,
            retry_after,
        },
        500..=599 => Error::Server {
            status,
            message,
            retry_after,
        },
        // A success status other than 200 (every operation answers 200 and nothing else).
        200..=299 => Error::Undecodable {
            status,
            path: None,
            line: 0,
            column: 0,
            detail: format!(
                "the API answers this request with status 200 and a JSON body, not {}",
                status.as_u16()
            ),
            excerpt: excerpt(body, redactor),
        },
        _ => Error::UnexpectedStatus {
            status,
            message,
            retry_after,
        },
    }
}

/// Reads at most [`BODY_READ_LIMIT`] bytes of a response's body. A body that breaks off is
/// kept as far as it was read: the status decides the error.
async fn read_bounded(mut response: reqwest::Response) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < BODY_READ_LIMIT {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    body.truncate(BODY_READ_LIMIT);
    body
}

/// The error of a successful (200) response whose body does not decode as `T`.
pub(crate) fn undecodable<T: DeserializeOwned>(
    body: &[u8],
    error: &serde_json::Error,
    redactor: &Redactor,
) -> Error {
    // Decode again, on this failure path only, to learn where in the JSON it failed.
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let (path, inner) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(e) => {
            let path = e.path().to_string();
            ((path != ".").then_some(path), Some(e.into_inner()))
        }
        Ok(_) => (None, None),
    };
    let error = inner.as_ref().unwrap_or(error);
    let detail = match error.classify() {
        serde_json::error::Category::Eof => {
            "the body ends before the JSON does (was it cut off?)".to_owned()
        }
        serde_json::error::Category::Syntax => format!("the body is not valid JSON ({error})"),
        _ => format!("the JSON does not have the documented shape ({error})"),
    };
    Error::Undecodable {
        // Only the success branch of the generated code decodes a body into the operation's
        // type, and every operation documents 200 as its one success status.
        status: StatusCode::OK,
        path,
        line: error.line(),
        column: error.column(),
        detail: redactor.redact(&detail),
        excerpt: excerpt(body, redactor),
    }
}

/// The URL of a transport error, without its query (page tokens are noise in a message).
fn url_of(error: &reqwest::Error) -> String {
    error
        .url()
        .map(|url| {
            let mut url = url.clone();
            url.set_query(None);
            let _ = url.set_password(None);
            let _ = url.set_username("");
            url.to_string()
        })
        .unwrap_or_else(|| "the API".to_owned())
}

fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

fn transport(error: reqwest::Error, what: &'static str, redactor: &Redactor) -> Error {
    if error.is_timeout() {
        return Error::Timeout {
            url: url_of(&error),
            source: error,
        };
    }
    let what = if error.is_connect() {
        "could not connect to the API"
    } else {
        what
    };
    Error::Connection {
        what,
        url: url_of(&error),
        cause: redactor.redact(&root_cause(&error)),
        source: error,
    }
}

/// Turns an error of the generated client into this crate's [`Error`]; `T` is the type the
/// operation decodes a success into.
pub(crate) async fn from_api<T: DeserializeOwned>(
    error: room_sessions_api::Error<ErrorResponse>,
    redactor: &Redactor,
) -> Error {
    use room_sessions_api::Error as E;
    match error {
        E::ErrorResponse(response) => {
            let status = response.status();
            let headers = response.headers().clone();
            let body = serde_json::to_vec(&response.into_inner()).unwrap_or_default();
            from_status(status, &headers, &body, redactor)
        }
        E::UnexpectedResponse(response) => {
            let status = response.status();
            let headers = response.headers().clone();
            let body = read_bounded(response).await;
            from_status(status, &headers, &body, redactor)
        }
        E::InvalidResponsePayload(body, error) => undecodable::<T>(&body, &error, redactor),
        E::CommunicationError(error) => transport(error, "the request failed", redactor),
        E::ResponseBodyError(error) => transport(
            error,
            "the connection broke off while reading the response",
            redactor,
        ),
        E::InvalidUpgrade(error) => transport(error, "the connection failed", redactor),
        // The generated builders' own checks (a parameter that did not convert): the wrapper
        // validates parameters first, so this means a value it let through.
        E::InvalidRequest(reason) => Error::invalid_input("request", redactor.redact(&reason)),
        // Only hooks return Custom, and the hooks of room-sessions-api do not.
        E::Custom(reason) => Error::config(format!(
            "the request hooks refused the request: {}",
            redactor.redact(&reason)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers_with_retry_after(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            parse_retry_after(&headers_with_retry_after("30"), now),
            Some(Duration::from_secs(30))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(90));
        assert_eq!(
            parse_retry_after(&headers_with_retry_after(&later), now),
            Some(Duration::from_secs(90))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(90));
        assert_eq!(
            parse_retry_after(&headers_with_retry_after(&past), now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after(&headers_with_retry_after("soon"), now),
            None
        );
        assert_eq!(parse_retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn excerpts_are_bounded_cut_at_a_character_and_redacted() {
        let redactor = Redactor::new(["s3cr3t".to_owned()]);
        let body = "é".repeat(600);
        let text = excerpt(body.as_bytes(), &redactor);
        assert!(text.len() <= EXCERPT_LEN + "…".len());
        assert!(text.ends_with('…'));
        assert!(text.trim_end_matches('…').chars().all(|c| c == 'é'));
        let text = excerpt(b"token=s3cr3t!", &redactor);
        assert_eq!(text, "token=***!");
        assert_eq!(excerpt(&[0xff, b'a'], &redactor), "\u{fffd}a");
    }

    #[test]
    fn statuses_map_to_variants() {
        let r = Redactor::default();
        let h = HeaderMap::new();
        assert!(from_status(StatusCode::NOT_FOUND, &h, b"", &r).is_not_found());
        assert!(matches!(
            from_status(StatusCode::UNAUTHORIZED, &h, b"", &r),
            Error::Unauthorized { message: None }
        ));
        let e = from_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &h,
            br#"{"errors":[{"type":"validation_error","code":"invalid_parameter","message":"Name must be present","attribute":"name"}]}"#,
            &r,
        );
        assert_eq!(e.api_errors().len(), 1);
        assert!(e.to_string().contains("name: Name must be present"), "{e}");
        let e = from_status(StatusCode::BAD_GATEWAY, &h, b"<html>Bad Gateway</html>", &r);
        assert!(e.is_retryable());
        assert!(e.to_string().contains("Bad Gateway"), "{e}");
        let e = from_status(StatusCode::NO_CONTENT, &h, b"", &r);
        assert!(matches!(e, Error::Undecodable { .. }), "{e:?}");
        let e = from_status(StatusCode::REQUEST_TIMEOUT, &h, b"", &r);
        assert!(e.is_retryable());
        let e = from_status(StatusCode::CONFLICT, &h, b"", &r);
        assert!(!e.is_retryable());
        assert_eq!(e.status(), Some(StatusCode::CONFLICT));
    }

    #[test]
    fn undecodable_names_the_json_path() {
        let body = br#"{"links":{"self":"/a","first":"/a"},"data":[{"id":"c22d24f6-5a47-4597-9a23-c7d01e696b92"},{"id":"c22d24f6-5a47-4597-9a23-c7d01e696b92","start_time":"yesterday"}]}"#;
        let error =
            serde_json::from_slice::<room_sessions_api::types::RoomSessionList>(body).unwrap_err();
        let e = undecodable::<room_sessions_api::types::RoomSessionList>(
            body,
            &error,
            &Redactor::default(),
        );
        match &e {
            Error::Undecodable { path, line, .. } => {
                assert_eq!(path.as_deref(), Some("data[1].start_time"));
                assert_eq!(*line, 1);
            }
            other => panic!("{other:?}"),
        }
        assert!(e.to_string().contains("data[1].start_time"), "{e}");
    }
}
