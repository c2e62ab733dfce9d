//! Request hooks of the generated [`Client`]: headers added to every request, and error
//! responses whose body the generated code could not decode kept with their status.
//!
//! The generated client carries a [`RequestHeaders`] (progenitor's "inner type") because a
//! caller may bring a `reqwest::Client` of their own, whose default headers cannot be changed
//! afterwards: credentials travel with the generated client instead, added by the `pre` hook.
//!
//! Left alone, the generated code decodes a documented error status (404, 422, ...) into
//! [`types::ErrorResponse`], and when the body is not that JSON (an HTML page from a proxy, an
//! empty body) it returns `Error::InvalidResponsePayload`, which has the bytes but has lost the
//! status and headers. The hooks buffer every error body before the generated code sees it;
//! when it does not decode as [`types::ErrorResponse`], the request ends as
//! `Error::UnexpectedResponse` instead, which carries status, headers and body intact. Success
//! responses pass through untouched and unbuffered.

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::HeaderMap;

use crate::{Client, types};

/// Headers the generated [`Client`] adds to every request it sends, replacing any header of
/// the same name set by the `reqwest::Client`.
///
/// Mark secret values sensitive (`HeaderValue::set_sensitive`): `Debug` then hides them.
///
/// ```
/// use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
/// use room_sessions_api::{Client, RequestHeaders};
///
/// let mut auth = HeaderValue::from_static("Basic dXNlcjpwYXNz");
/// auth.set_sensitive(true);
/// let mut headers = HeaderMap::new();
/// headers.insert(AUTHORIZATION, auth);
/// let client = Client::new("https://example.signalwire.com/api/video", RequestHeaders::new(headers));
/// assert!(!format!("{client:?}").contains("dXNlcjpwYXNz"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct RequestHeaders {
    headers: HeaderMap,
}

impl RequestHeaders {
    /// Headers to add to every request.
    pub fn new(headers: HeaderMap) -> Self {
        Self { headers }
    }

    /// The headers added to every request.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}

/// How much of an error response's body is kept. Documented error bodies are a few hundred
/// bytes; a misbehaving server or proxy must not make the client hold an unbounded one.
/// A body cut at this size is kept as an undecodable body (its first bytes), never decoded.
pub const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// Reads at most `limit` bytes of the body; `false` when the body was longer and was cut.
async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
) -> reqwest::Result<(bytes::Bytes, bool)> {
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body.freeze(), false));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body.freeze(), true))
}

/// The buffered body of an error response that does not decode as [`types::ErrorResponse`].
#[derive(Clone)]
struct UndecodableErrorBody(bytes::Bytes);

impl ClientHooks<RequestHeaders> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        for (name, value) in &self.inner().headers {
            request.headers_mut().insert(name, value.clone());
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let response = self.client().execute(request).await?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status();
        let version = response.version();
        let headers = response.headers().clone();
        let (body, complete) = read_capped(response, MAX_ERROR_BODY_BYTES).await?;
        let mut buffered = http::Response::new(body.clone());
        *buffered.status_mut() = status;
        *buffered.version_mut() = version;
        *buffered.headers_mut() = headers;
        if !complete || serde_json::from_slice::<types::ErrorResponse>(&body).is_err() {
            buffered.extensions_mut().insert(UndecodableErrorBody(body));
        }
        Ok(buffered.into())
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let Ok(response) = result else {
            return Ok(());
        };
        let Some(UndecodableErrorBody(body)) = response.extensions().get::<UndecodableErrorBody>()
        else {
            return Ok(());
        };
        let mut unexpected = http::Response::new(body.clone());
        *unexpected.status_mut() = response.status();
        *unexpected.version_mut() = response.version();
        *unexpected.headers_mut() = response.headers().clone();
        Err(Error::UnexpectedResponse(unexpected.into()))
    }
}
