//! What the client hands a recorder: each exchange as it was sent and received.

use std::time::SystemTime;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode, Url};

/// Receives every exchange of a client whose [`ClientOptions`](crate::ClientOptions) have it
/// ([`ClientOptions::recorder`](crate::ClientOptions::recorder)), retries included, once the
/// response body has been read. A request that got no response (a timeout, a refused
/// connection) makes no exchange.
///
/// The request's headers are those sent, **credentials included**: a recorder must drop or
/// redact them before it keeps anything (the `room-sessions` client's recorder does).
pub trait Recorder: Send + Sync {
    /// Takes one exchange; called from the task that sent the request, before its response
    /// is decoded.
    fn record(&self, exchange: &Exchange<'_>);
}

/// One request and its response, as a [`Recorder`] gets it.
#[derive(Debug)]
#[non_exhaustive]
pub struct Exchange<'a> {
    /// When the request was sent.
    pub started: SystemTime,
    /// The request's method.
    pub method: &'a Method,
    /// The request's URL, query included.
    pub url: &'a Url,
    /// The request's headers as sent, credentials included.
    pub request_headers: &'a HeaderMap,
    /// The response's status.
    pub status: StatusCode,
    /// The response's headers.
    pub response_headers: &'a HeaderMap,
    /// The response's body as read: whole, or its first bytes up to the bound on bodies
    /// (empty for a success body refused for its length).
    pub body: &'a [u8],
}
