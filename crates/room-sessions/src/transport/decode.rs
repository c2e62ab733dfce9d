//! What came back, as an [`Error`]: an error status with its body, a body that does not
//! decode, a body over the limit, or a transport failure. Server text is redacted and bounded
//! here, before any error holds it.

use std::io;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use room_sessions_api::types::{ApiError, ErrorResponse};
use room_sessions_api::{BodyTooLarge, ErrorSummary};
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::secret::Redactor;

/// How many bytes of a body an error keeps as its excerpt or message.
const EXCERPT_LEN: usize = 512;

/// Turns an error of the generated client into this crate's [`Error`]; `T` is the type the
/// operation decodes a success into.
pub(super) async fn error<T: DeserializeOwned>(
    error: room_sessions_api::Error<ErrorResponse>,
    redactor: &Redactor,
) -> Error {
    use room_sessions_api::Error as E;
    match error {
        E::ErrorResponse(response) => {
            let status = response.status();
            let retry_after = parse_retry_after(response.headers(), SystemTime::now());
            let body = ErrorBody::Documented(response.into_inner());
            from_status(status, retry_after, body, redactor)
        }
        E::UnexpectedResponse(response) => {
            let status = response.status();
            let retry_after = parse_retry_after(response.headers(), SystemTime::now());
            // The hooks bound every body: an error body is already in memory, a success body
            // fails past the limit.
            let bytes = match response.bytes().await {
                Ok(bytes) => Some(bytes),
                Err(error) => match BodyTooLarge::find(&error) {
                    Some(too_large) => return too_large_error(too_large),
                    // Broken off: the status still says what happened.
                    None => None,
                },
            };
            let body = ErrorBody::Raw(bytes.as_deref().unwrap_or_default());
            from_status(status, retry_after, body, redactor)
        }
        E::InvalidResponsePayload(body, error) => undecodable::<T>(&body, &error, redactor),
        E::ResponseBodyError(error) => match BodyTooLarge::find(&error) {
            Some(too_large) => too_large_error(too_large),
            None => transport(
                error,
                "connection broke off while reading the response",
                redactor,
            ),
        },
        E::CommunicationError(error) if error.is_builder() => Error::InvalidInput {
            parameter: "request",
            reason: redactor.server_text(&root_cause(&error)),
        },
        E::CommunicationError(error) => transport(error, "request failed", redactor),
        E::InvalidUpgrade(error) => transport(error, "connection upgrade failed", redactor),
        // The generated builders' own checks (a parameter that did not convert): the wrapper
        // validates parameters first, so this means a value it let through.
        E::InvalidRequest(reason) => Error::InvalidInput {
            parameter: "request",
            reason: redactor.server_text(&reason),
        },
        // Only hooks return Custom, and the hooks of room-sessions-api do not.
        E::Custom(reason) => Error::config(format!(
            "the request hooks refused the request: {}",
            redactor.server_text(&reason)
        )),
    }
}

fn too_large_error(too_large: &BodyTooLarge) -> Error {
    Error::ResponseTooLarge {
        status: too_large.status,
        limit: too_large.limit,
    }
}

/// The body of an error response: decoded by the generated code, or bytes.
enum ErrorBody<'a> {
    Documented(ErrorResponse),
    Raw(&'a [u8]),
}

/// What an error body says: the `error` string, the first entries of `errors` and how many
/// more there were, and the message to show (the `error`, the `errors` messages joined, or
/// the start of a body that is not the documented JSON), all redacted and bounded.
struct Said {
    error: Option<String>,
    errors: Vec<ApiError>,
    more_errors: usize,
    message: Option<String>,
}

fn said(body: ErrorBody<'_>, redactor: &Redactor) -> Said {
    let (summary, raw) = match body {
        ErrorBody::Documented(decoded) => (Some(ErrorSummary::from_decoded(decoded)), None),
        ErrorBody::Raw(bytes) => match ErrorSummary::parse(bytes) {
            Some(summary) => (Some(summary), None),
            // Not the documented shape (HTML, text, `{"message": ..}`): keep its start.
            None => (None, Some(bytes)),
        },
    };
    let ErrorSummary {
        error,
        errors,
        more_errors,
    } = summary.unwrap_or_default();
    let text = |value: &str| redactor.bounded(value, EXCERPT_LEN);
    let error = error.filter(|e| !e.trim().is_empty()).map(|e| text(&e));
    let errors: Vec<ApiError> = errors
        .into_iter()
        .map(|e| ApiError {
            attribute: e.attribute.as_deref().map(text),
            code: e.code.as_deref().map(text),
            message: text(&e.message),
            type_: e.type_.as_deref().map(text),
            url: e.url.as_deref().map(text),
        })
        .collect();
    let message = match (&error, raw) {
        (Some(error), _) => Some(error.clone()),
        (None, Some(bytes)) if bytes.iter().all(u8::is_ascii_whitespace) => None,
        (None, Some(bytes)) => Some(redactor.excerpt(bytes, EXCERPT_LEN)),
        (None, None) => {
            let messages: Vec<&str> = errors
                .iter()
                .map(|e| e.message.as_str())
                .filter(|m| !m.is_empty())
                .collect();
            (!messages.is_empty()).then(|| redactor.bounded(&messages.join("; "), EXCERPT_LEN))
        }
    };
    Said {
        error,
        errors,
        more_errors,
        message,
    }
}

/// The error of a response with an error status (or a success other than 200), from its
/// status, `Retry-After` and body.
fn from_status(
    status: StatusCode,
    retry_after: Option<Duration>,
    body: ErrorBody<'_>,
    redactor: &Redactor,
) -> Error {
    if status.is_success() {
        // Every operation answers 200 and nothing else.
        let excerpt = match body {
            ErrorBody::Raw(bytes) => redactor.excerpt(bytes, EXCERPT_LEN),
            ErrorBody::Documented(_) => String::new(),
        };
        return Error::Undecodable {
            status,
            path: None,
            line: None,
            column: None,
            detail: format!("the API answers with 200, not {}", status.as_u16()),
            excerpt,
        };
    }
    let Said {
        error,
        errors,
        more_errors,
        message,
    } = said(body, redactor);
    match status.as_u16() {
        404 => Error::NotFound { message },
        401 => Error::Unauthorized { message },
        403 => Error::Forbidden { message },
        400 | 422 => Error::Validation {
            status,
            // The list says it all when there is one; the message is for the rest.
            message: if errors.is_empty() { message } else { error },
            errors,
            more_errors,
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
        _ => Error::UnexpectedStatus {
            status,
            message,
            retry_after,
        },
    }
}

/// The error of a 200 response whose body does not decode as `T`.
fn undecodable<T: DeserializeOwned>(
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
    // serde's messages quote the values they refused: server text, bounded and redacted.
    let detail = match error.classify() {
        serde_json::error::Category::Eof => "the body ends before the JSON does".to_owned(),
        serde_json::error::Category::Syntax => format!("not valid JSON ({error})"),
        _ => format!("not the documented shape ({error})"),
    };
    let known = |n: usize| (n > 0).then_some(n);
    Error::Undecodable {
        // Only the success branch of the generated code decodes a body into the operation's
        // type, and every operation documents 200 as its one success status.
        status: StatusCode::OK,
        path: path.map(|p| redactor.server_text(&p)),
        line: known(error.line()),
        column: known(error.column()),
        detail: redactor.server_text(&detail),
        excerpt: redactor.excerpt(body, EXCERPT_LEN),
    }
}

/// Parses `Retry-After`: a number of seconds or an HTTP date (then the time left until it,
/// zero if it is past).
fn parse_retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The URL of a transport error, without its query (page tokens and filters are noise in a
/// message, and server text) and without credentials, redacted.
fn url_of(error: &reqwest::Error, redactor: &Redactor) -> String {
    error
        .url()
        .map(|url| {
            let mut url = url.clone();
            url.set_query(None);
            let _ = url.set_password(None);
            let _ = url.set_username("");
            redactor.server_text(url.as_str())
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

/// The error that says how the TLS handshake failed (an untrusted or mismatched certificate,
/// a peer that does not speak TLS), if connecting failed there rather than the connection
/// under it.
///
/// rustls reports its failures as `InvalidData` I/O errors. native-tls reports a
/// `native_tls::Error` (whose text, unlike its innermost cause's, says why a certificate was
/// refused); one that holds an I/O error is the connection failing during the handshake
/// (reset, closed), a connection failure as with rustls.
fn tls_failure(error: &reqwest::Error) -> Option<&(dyn std::error::Error + 'static)> {
    if !error.is_connect() {
        return None;
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = cause {
        cause = error.source();
        #[cfg(feature = "native-tls")]
        if error.is::<native_tls::Error>() {
            let mut inner = error.source();
            while let Some(e) = inner {
                if e.is::<io::Error>() {
                    return None;
                }
                inner = e.source();
            }
            return Some(error);
        }
        if let Some(io) = error.downcast_ref::<io::Error>() {
            if io.kind() == io::ErrorKind::InvalidData {
                return Some(error);
            }
            // An I/O error's `source` skips the error it wraps; look at that one too.
            if let Some(inner) = io.get_ref() {
                cause = Some(inner);
            }
        }
    }
    None
}

fn transport(error: reqwest::Error, what: &'static str, redactor: &Redactor) -> Error {
    let url = url_of(&error, redactor);
    if error.is_timeout() {
        return Error::Timeout {
            url,
            // The error's own `Debug` and `{:#}` would print the whole URL, query included.
            source: error.without_url(),
        };
    }
    if let Some(failure) = tls_failure(&error) {
        return Error::Tls {
            url,
            cause: redactor.server_text(&failure.to_string()),
            source: error.without_url(),
        };
    }
    let cause = redactor.server_text(&root_cause(&error));
    let what = if error.is_connect() {
        "could not connect"
    } else if error.is_body() || error.is_decode() {
        // The hooks read every body, so a body that breaks off fails the request itself.
        "connection broke off while reading the response"
    } else {
        what
    };
    Error::Connection {
        what,
        url,
        cause,
        source: error.without_url(),
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

    fn raw(status: StatusCode, body: &[u8]) -> Error {
        from_status(status, None, ErrorBody::Raw(body), &Redactor::default())
    }

    #[test]
    fn statuses_map_to_variants() {
        assert!(raw(StatusCode::NOT_FOUND, b"").is_not_found());
        assert!(matches!(
            raw(StatusCode::UNAUTHORIZED, b""),
            Error::Unauthorized { message: None }
        ));
        let e = raw(
            StatusCode::UNPROCESSABLE_ENTITY,
            br#"{"errors":[{"type":"validation_error","code":"invalid_parameter","message":"Name must be present","attribute":"name"}]}"#,
        );
        assert_eq!(e.api_errors().len(), 1);
        assert!(e.to_string().contains("name: Name must be present"), "{e}");
        let e = raw(StatusCode::BAD_GATEWAY, b"<html>Bad Gateway</html>");
        assert!(e.is_retryable());
        assert!(e.to_string().contains("Bad Gateway"), "{e}");
        assert!(matches!(
            raw(StatusCode::NO_CONTENT, b""),
            Error::Undecodable { .. }
        ));
        assert!(raw(StatusCode::REQUEST_TIMEOUT, b"").is_retryable());
        let e = raw(StatusCode::CONFLICT, b"");
        assert!(!e.is_retryable());
        assert_eq!(e.status(), Some(StatusCode::CONFLICT));
    }

    #[test]
    fn json_without_error_or_errors_keeps_its_text() {
        let e = raw(
            StatusCode::TOO_MANY_REQUESTS,
            br#"{"message": "Rate limit exceeded"}"#,
        );
        let Error::RateLimited { message, .. } = &e else {
            panic!("{e:?}");
        };
        assert_eq!(
            message.as_deref(),
            Some(r#"{"message": "Rate limit exceeded"}"#)
        );
    }

    #[test]
    fn server_text_is_redacted_and_bounded() {
        let redactor = Redactor::new(["s3cr3t".to_owned()]);
        let long = format!("s3cr3t {}", "x".repeat(4000));
        let body = serde_json::to_vec(&serde_json::json!({ "error": long })).unwrap();
        let e = from_status(
            StatusCode::NOT_FOUND,
            None,
            ErrorBody::Raw(&body),
            &redactor,
        );
        let Error::NotFound {
            message: Some(message),
        } = &e
        else {
            panic!("{e:?}");
        };
        assert!(message.starts_with("*** xxx"), "{message}");
        assert!(
            message.len() <= EXCERPT_LEN + "…".len(),
            "{}",
            message.len()
        );
    }

    #[test]
    fn undecodable_names_the_json_path_redacted() {
        let redactor = Redactor::new(["s3cr3t".to_owned()]);
        let body = br#"{"links":{"self":"/a"},"data":[{"id":"c22d24f6-5a47-4597-9a23-c7d01e696b92"},{"id":"c22d24f6-5a47-4597-9a23-c7d01e696b92","start_time":"s3cr3t"}]}"#;
        let error =
            serde_json::from_slice::<room_sessions_api::types::RoomSessionList>(body).unwrap_err();
        let e = undecodable::<room_sessions_api::types::RoomSessionList>(body, &error, &redactor);
        let Error::Undecodable {
            path,
            line,
            detail,
            excerpt,
            ..
        } = &e
        else {
            panic!("{e:?}");
        };
        assert_eq!(path.as_deref(), Some("data[1].start_time"));
        assert_eq!(*line, Some(1));
        assert!(!detail.contains("s3cr3t"), "{detail}");
        assert!(!excerpt.contains("s3cr3t"), "{excerpt}");
        assert!(e.to_string().contains("data[1].start_time"), "{e}");

        // A map's keys are server text that can reach the path.
        let body = br#"{"s3cr3t": "not a number"}"#;
        type Counts = std::collections::HashMap<String, u8>;
        let error = serde_json::from_slice::<Counts>(body).unwrap_err();
        let e = undecodable::<Counts>(body, &error, &redactor);
        assert!(
            matches!(&e, Error::Undecodable { path: Some(p), .. } if p == "***"),
            "{e:?}"
        );
    }

    #[tokio::test]
    async fn a_request_that_cannot_be_built_is_refused_input_not_retried() {
        let error = reqwest::Client::new()
            .get("http://[::1")
            .build()
            .unwrap_err();
        assert!(error.is_builder());
        let e = super::error::<()>(
            room_sessions_api::Error::CommunicationError(error),
            &Redactor::default(),
        )
        .await;
        assert!(
            matches!(
                e,
                Error::InvalidInput {
                    parameter: "request",
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(!e.is_retryable());
    }
}
