//! The one error type of the crate and its queries.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

pub use room_sessions_api::types::ApiError;

/// The `Result` of this crate's operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when talking to the room-sessions API.
///
/// Each variant's message (`Display`) says what went wrong in a clause or two; its
/// documentation says what to do about it. None of them ever holds or prints the API token:
/// text the server sends back is scrubbed of the credentials, in every form they travel in,
/// and cut to a bounded length before it is kept.
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
    ///
    /// Check the id, and that it belongs to the configured project and space. Beware that a
    /// base URL pointing at another service also answers 404.
    #[error("not found (HTTP 404){}", said(message))]
    NotFound {
        /// What the server said, if anything (`"Not Found"`).
        message: Option<String>,
    },

    /// HTTP 401: the API refused the credentials.
    ///
    /// Check the project id and the API token (`SIGNALWIRE_PROJECT_ID`,
    /// `SIGNALWIRE_API_TOKEN`), that the token has the Video scope, and that both belong to
    /// the configured space.
    #[error("unauthorized (HTTP 401){}", said(message))]
    Unauthorized {
        /// What the server said, if anything.
        message: Option<String>,
    },

    /// HTTP 403: the credentials are valid but may not do this.
    ///
    /// Give the API token the Video scope in the SignalWire dashboard.
    #[error("forbidden (HTTP 403){}", said(message))]
    Forbidden {
        /// What the server said, if anything.
        message: Option<String>,
    },

    /// HTTP 400 or 422: the API refused the request's parameters.
    ///
    /// Fix the parameters it names ([`Error::api_errors`]) and send it again. The current API
    /// also answers an unknown session id on a member, event or recording listing with 422.
    #[error(
        "request refused (HTTP {}){}{}",
        status.as_u16(),
        said(message),
        list_errors(errors, *more_errors)
    )]
    Validation {
        /// 400 (bad request) or 422 (unprocessable entity).
        status: StatusCode,
        /// The `error` of the body, or the start of a body that is not the documented JSON.
        message: Option<String>,
        /// The `errors` of the body: one entry per problem, empty if the server sent none; at
        /// most the first [`MAX_API_ERRORS`](crate::api::MAX_API_ERRORS) (50) of them.
        errors: Vec<ApiError>,
        /// How many more entries the body listed than `errors` keeps.
        more_errors: usize,
    },

    /// HTTP 429: too many requests, still refused after the retries the
    /// [`RetryPolicy`](crate::RetryPolicy) allows.
    ///
    /// Also returned without sending anything while the client's shared throttle (set by an
    /// earlier 429 or 503 with `Retry-After`) holds requests back for longer than
    /// `max_retry_after`: then `message` is `None` and `retry_after` is the time left.
    ///
    /// Wait [`retry_after`](Error::retry_after) if the server said how long, then try again;
    /// or raise `RetryPolicy::max_retry_after` to let the client wait that long itself.
    #[error("rate limited (HTTP 429){}{}", said(message), wait(retry_after))]
    RateLimited {
        /// What the server said, if anything.
        message: Option<String>,
        /// How long the server asked to wait (`Retry-After`), if it said.
        retry_after: Option<Duration>,
    },

    /// HTTP 5xx: the server failed.
    ///
    /// 500, 502, 503 and 504 are retried as the [`RetryPolicy`](crate::RetryPolicy) allows
    /// before this is returned; other 5xx statuses are not. This is usually temporary: try
    /// again later.
    #[error("server error (HTTP {}){}", status.as_u16(), said(message))]
    Server {
        /// The status, 500 to 599.
        status: StatusCode,
        /// What the server said: its `error` message, or the start of a body that is not JSON.
        message: Option<String>,
        /// How long the server asked to wait (`Retry-After`), if it said.
        retry_after: Option<Duration>,
    },

    /// A status the API does not document for this request (such as 405, 408, 409 or a
    /// redirect).
    ///
    /// Check the base URL: a proxy or another service may be answering.
    #[error("unexpected status (HTTP {}){}", status.as_u16(), said(message))]
    UnexpectedStatus {
        /// The status.
        status: StatusCode,
        /// What the server said: its `error` message, or the start of a body that is not JSON.
        message: Option<String>,
        /// How long the server asked to wait (`Retry-After`), if it said.
        retry_after: Option<Duration>,
    },

    /// The request or the response took longer than the configured timeout.
    ///
    /// Try again, or raise the timeout (`ClientBuilder::timeout`,
    /// `ClientBuilder::connect_timeout`).
    #[error("request timed out ({url})")]
    Timeout {
        /// The URL requested, without its query (it never holds credentials).
        url: String,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },

    /// The connection could not be made, or broke off before the response was read in full.
    ///
    /// Check the base URL or space, and the network. Retried as the
    /// [`RetryPolicy`](crate::RetryPolicy) allows before this is returned.
    #[error("{what} ({url}): {cause}")]
    Connection {
        /// What failed: connecting, sending the request, or reading the response.
        what: &'static str,
        /// The URL requested, without its query (it never holds credentials).
        url: String,
        /// The innermost cause, as text (such as "Connection refused (os error 111)").
        cause: String,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },

    /// The TLS handshake failed: the server's certificate is not trusted or not valid for its
    /// name, or the server does not speak TLS. Not retried: the same handshake would fail the
    /// same way.
    ///
    /// Check the base URL (its scheme, host and port); for a server whose certificate a
    /// private authority signed, have the client trust that authority
    /// ([`ClientBuilder::add_root_certificate`](crate::ClientBuilder::add_root_certificate)).
    #[error("TLS handshake failed ({url}): {cause}")]
    Tls {
        /// The URL requested, without its query.
        url: String,
        /// What the TLS library says failed, as text (such as "invalid peer certificate:
        /// UnknownIssuer" from rustls, or "certificate verify failed:.. (IP address mismatch)"
        /// from OpenSSL).
        cause: String,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },

    /// The response could not be decoded: its body is not the JSON the API documents, or its
    /// status is a success other than the 200 the API answers with.
    ///
    /// Check the base URL; if it is right, the API sent something this client does not
    /// understand: report it with this error's message and excerpt.
    #[error(
        "undecodable response (HTTP {}){}: {detail}",
        status.as_u16(),
        location(path.as_deref(), *line, *column)
    )]
    Undecodable {
        /// The status of the response.
        status: StatusCode,
        /// Where in the JSON decoding failed, such as `data[3].start_time`, if it got that far.
        path: Option<String>,
        /// The line of the body where decoding failed (from 1), if known.
        line: Option<usize>,
        /// The column of the body where decoding failed (from 1), if known.
        column: Option<usize>,
        /// What was wrong.
        detail: String,
        /// The start of the body (at most 512 bytes, cut at a character boundary).
        excerpt: String,
    },

    /// The response body is longer than the client accepts. Not retried.
    ///
    /// The bound keeps a misbehaving server or proxy from making the client read without
    /// end. If the API really sends bodies this large, raise it with
    /// `ClientBuilder::max_response_bytes` (the default is 32 MiB; a page of 1000 room
    /// sessions is about 1 MiB).
    #[error("response body over the limit of {limit} bytes (HTTP {})", status.as_u16())]
    ResponseTooLarge {
        /// The status of the response.
        status: StatusCode,
        /// The limit, in bytes.
        limit: usize,
    },

    /// A parameter was refused before any request was sent.
    #[error("invalid {parameter}: {reason}")]
    InvalidInput {
        /// The parameter, such as `page_size` or `room session id`.
        parameter: &'static str,
        /// Why it was refused.
        reason: String,
    },

    /// The client's configuration is incomplete or wrong; [`build`](crate::ClientBuilder::build)
    /// and [`from_env`](crate::Client::from_env) return this. The message names what to set;
    /// [`missing_settings`](Error::missing_settings) lists the settings not given, for a
    /// program that asks for them in its own words (flags, a prompt).
    #[error("invalid configuration: {message}")]
    Config {
        /// What is wrong and how to fix it.
        message: String,
        /// The required settings that were not given (or were blank), by the environment
        /// variable that gives each: [`ENV_SPACE`](crate::ENV_SPACE) (which stands for a space
        /// or a base URL), [`ENV_PROJECT_ID`](crate::ENV_PROJECT_ID),
        /// [`ENV_API_TOKEN`](crate::ENV_API_TOKEN). Empty when the problem is another.
        missing: Vec<&'static str>,
    },

    /// A pagination link (`links.next`) that the client will not follow; the items read
    /// before it are complete up to the page that carried it.
    #[error("refused to follow the pagination link {link:?}: {reason}")]
    RefusedLink {
        /// The link as the server sent it (redacted, and cut to a bounded length).
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
    /// Credentials are sent to the configured origin only: check the base URL, or the
    /// server's links.
    CrossOrigin {
        /// The configured origin, such as `https://example.signalwire.com`.
        expected: String,
    },
    /// The link leads to a page already fetched in this listing: the server's pagination
    /// loops.
    Repeated,
    /// The link leads to another endpoint than the listing's.
    WrongEndpoint {
        /// The path the listing's links must end with.
        expected: String,
    },
    /// The link is not a URL, or one of its parameters is not valid.
    Malformed(String),
    /// Several pages in a row had no items but still named a next page: the server pages
    /// without making progress.
    EmptyPages {
        /// How many empty pages in a row were fetched.
        count: usize,
    },
    /// The listing fetched as many pages as its `max_pages` allows. Raise it on the listing
    /// if the listing is really that long, or read fewer items (`stream().take(n)`).
    PageLimit {
        /// The limit, in pages.
        limit: usize,
    },
}

impl fmt::Display for LinkRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkRefusal::CrossOrigin { expected } => {
                write!(f, "it leaves the configured origin {expected}")
            }
            LinkRefusal::Repeated => f.write_str("it leads to a page already fetched"),
            LinkRefusal::WrongEndpoint { expected } => {
                write!(f, "it leads to another endpoint than {expected}")
            }
            LinkRefusal::Malformed(why) => write!(f, "it is malformed: {why}"),
            LinkRefusal::EmptyPages { count } => {
                write!(f, "{count} empty pages in a row still named a next page")
            }
            LinkRefusal::PageLimit { limit } => write!(f, "the limit of {limit} pages is reached"),
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
            | Error::Undecodable { status, .. }
            | Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::Timeout { .. }
            | Error::Connection { .. }
            | Error::Tls { .. }
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

    /// Whether a response body was over the client's limit.
    pub fn is_too_large(&self) -> bool {
        matches!(self, Error::ResponseTooLarge { .. })
    }

    /// Whether sending the same request again may succeed: connection failures, timeouts, and
    /// HTTP 408, 429, 500, 502, 503 and 504. Not TLS failures, refused arguments, bodies over
    /// the limit or any other status.
    ///
    /// The client already retries these (see [`RetryPolicy`](crate::RetryPolicy)); an error
    /// that reaches you retryable means the attempts ran out or the server asked to wait
    /// longer than the policy allows.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout { .. } | Error::Connection { .. } | Error::RateLimited { .. } => true,
            Error::Server { status, .. } | Error::UnexpectedStatus { status, .. } => {
                matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
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

    /// The required settings that were not given, when the configuration is incomplete
    /// (see [`Error::Config`]); empty for any other error.
    ///
    /// ```
    /// use room_sessions::{Client, ENV_API_TOKEN, ENV_PROJECT_ID};
    ///
    /// let error = Client::builder().space("example").build().unwrap_err();
    /// assert_eq!(error.missing_settings(), [ENV_PROJECT_ID, ENV_API_TOKEN]);
    /// ```
    pub fn missing_settings(&self) -> &[&'static str] {
        match self {
            Error::Config { missing, .. } => missing,
            _ => &[],
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
            missing: Vec::new(),
        }
    }
}

/// An argument refused before any request: kept by a listing until it is read, then returned
/// as [`Error::InvalidInput`]. (A listing is `Clone`, which `Error` cannot be.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InvalidInput {
    pub(crate) parameter: &'static str,
    pub(crate) reason: String,
}

impl InvalidInput {
    pub(crate) fn new(parameter: &'static str, reason: impl Into<String>) -> Self {
        Self {
            parameter,
            reason: reason.into(),
        }
    }
}

impl From<InvalidInput> for Error {
    fn from(invalid: InvalidInput) -> Self {
        Error::InvalidInput {
            parameter: invalid.parameter,
            reason: invalid.reason,
        }
    }
}

fn said(message: &Option<String>) -> String {
    match message {
        Some(message) if !message.is_empty() => format!(": {message:?}"),
        _ => String::new(),
    }
}

fn wait(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(delay) if delay.subsec_millis() == 0 => {
            format!(", retry after {} s", delay.as_secs())
        }
        Some(delay) => format!(", retry after {:.1} s", delay.as_secs_f64()),
        None => String::new(),
    }
}

/// The longest list of problems a message shows, in bytes; the rest is in
/// [`Error::api_errors`].
const LISTED_TEXT_MAX: usize = 2048;

fn list_errors(errors: &[ApiError], more_errors: usize) -> String {
    let mut text = String::new();
    let mut shown = 0;
    for error in errors {
        if text.len() >= LISTED_TEXT_MAX {
            break;
        }
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
        shown += 1;
    }
    let more = errors.len() - shown + more_errors;
    if more > 0 {
        text.push_str(&format!("; and {more} more"));
    }
    text
}

fn location(path: Option<&str>, line: Option<usize>, column: Option<usize>) -> String {
    let mut text = String::new();
    if let Some(path) = path {
        text.push_str(" at `");
        text.push_str(path);
        text.push('`');
    }
    match (line, column) {
        (Some(line), Some(column)) => text.push_str(&format!(" (line {line}, column {column})")),
        (Some(line), None) => text.push_str(&format!(" (line {line})")),
        _ => {}
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_short_and_name_the_status() {
        let cases: Vec<(Error, &str)> = vec![
            (Error::NotFound { message: None }, "not found (HTTP 404)"),
            (
                Error::Unauthorized {
                    message: Some("Unauthorized".into()),
                },
                "unauthorized (HTTP 401): \"Unauthorized\"",
            ),
            (
                Error::RateLimited {
                    message: None,
                    retry_after: Some(Duration::from_secs(30)),
                },
                "rate limited (HTTP 429), retry after 30 s",
            ),
            (
                Error::Server {
                    status: StatusCode::NOT_IMPLEMENTED,
                    message: None,
                    retry_after: None,
                },
                "server error (HTTP 501)",
            ),
            (
                Error::ResponseTooLarge {
                    status: StatusCode::OK,
                    limit: 1024,
                },
                "response body over the limit of 1024 bytes (HTTP 200)",
            ),
            (
                Error::Undecodable {
                    status: StatusCode::OK,
                    path: Some("data[1].start_time".into()),
                    line: Some(1),
                    column: Some(42),
                    detail: "not a date".into(),
                    excerpt: String::new(),
                },
                "undecodable response (HTTP 200) at `data[1].start_time` (line 1, column 42): \
                 not a date",
            ),
            (
                Error::RefusedLink {
                    link: "/x".into(),
                    reason: LinkRefusal::EmptyPages { count: 3 },
                },
                "refused to follow the pagination link \"/x\": 3 empty pages in a row still \
                 named a next page",
            ),
        ];
        for (error, expected) in cases {
            assert_eq!(error.to_string(), expected);
        }
    }

    #[test]
    fn retryable_statuses_and_kinds() {
        let server = |code: u16| Error::Server {
            status: StatusCode::from_u16(code).unwrap(),
            message: None,
            retry_after: None,
        };
        assert!(server(503).is_retryable());
        assert!(!server(501).is_retryable());
        assert!(
            !Error::ResponseTooLarge {
                status: StatusCode::OK,
                limit: 1
            }
            .is_retryable()
        );
        assert!(!Error::from(InvalidInput::new("page_size", "0")).is_retryable());
    }
}
