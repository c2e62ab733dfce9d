//! Sending: the state every request shares, the retry loop, the tracing span of each attempt,
//! the bound on response bodies, and turning what comes back into a value or an [`Error`]
//! ([`decode`]).
//!
//! Every request is built and sent by the generated client (`room_sessions_api`), whose hooks
//! add the credentials and the timeout to each request and bound each response body; this
//! module decides what to do with the outcome.

mod decode;

use std::fmt;
use std::future::Future;
use std::time::Instant;

use reqwest::Url;
use room_sessions_api::types::ErrorResponse;
use room_sessions_api::{Client as ApiClient, ResponseValue};
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::secret::Redactor;

/// The result of a generated builder's `send`.
pub(crate) type ApiResult<T> = Result<ResponseValue<T>, room_sessions_api::Error<ErrorResponse>>;

/// The longest piece of server text (a link, a JSON path, a parameter name, a message) that
/// an error or a log line keeps, in bytes.
pub(crate) const SERVER_TEXT_MAX: usize = 256;

/// What every request of a client shares: the generated client (with the credentials, the
/// timeout and the body bound in its hooks), where the API is, the retry policy, and the
/// redactor of the credentials.
pub(crate) struct Transport {
    pub(crate) api: ApiClient,
    pub(crate) base_url: Url,
    pub(crate) project_id: String,
    pub(crate) retry: RetryPolicy,
    pub(crate) redactor: Redactor,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url.as_str())
            .field("project_id", &self.project_id)
            .field("api_token", &"***")
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// Sends a request with the retry policy, in a `tracing` span per attempt, and turns the
    /// generated client's errors into [`Error`]s. `send` makes the request anew each time;
    /// `path` names it in the span (only called when the span is enabled).
    pub(crate) async fn send<T, F, Fut>(
        &self,
        operation: &'static str,
        path: impl Fn() -> String,
        send: F,
    ) -> Result<T, Error>
    where
        T: DeserializeOwned,
        F: Fn() -> Fut,
        Fut: Future<Output = ApiResult<T>>,
    {
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let span = tracing::debug_span!(
                "room_sessions.request",
                operation,
                method = "GET",
                path = tracing::field::Empty,
                attempt,
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            if !span.is_disabled() {
                span.record("path", self.redactor.bounded(&path(), SERVER_TEXT_MAX));
            }
            let started = (!span.is_disabled()).then(Instant::now);
            let result = async {
                match send().await {
                    Ok(response) => Ok(response),
                    Err(e) => Err(decode::error::<T>(e, &self.redactor).await),
                }
            }
            .instrument(span.clone())
            .await;
            if let Some(started) = started {
                let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
                span.record("latency_ms", latency_ms);
            }
            let error = match result {
                Ok(response) => {
                    span.record("status", response.status().as_u16());
                    tracing::debug!(parent: &span, "request succeeded");
                    return Ok(response.into_inner());
                }
                Err(error) => error,
            };
            if let Some(status) = error.status() {
                span.record("status", status.as_u16());
            }
            let Some(delay) = self.retry.delay_after(attempt, &error, fastrand::f64()) else {
                tracing::debug!(parent: &span, error = %error, "request failed");
                return Err(error);
            };
            tracing::info!(
                parent: &span,
                error = %error,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "request failed, retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// Server text for an error or a log line: redacted and cut to [`SERVER_TEXT_MAX`].
    pub(crate) fn server_text(&self, text: &str) -> String {
        self.redactor.bounded(text, SERVER_TEXT_MAX)
    }
}
