//! Sending: the state every request shares, the retry loop (with the client's retry budget
//! and throttle), the tracing span of each attempt, and turning what comes back into a value
//! or an [`Error`] ([`decode`]).
//!
//! Every request is built and sent by the generated client (`room_sessions_api`), whose hooks
//! add the credentials to each request (and the timeout, with a caller's own `http_client`)
//! and bound each response body; this module decides what to do with the outcome.

mod decode;

use std::fmt;
use std::future::Future;

use reqwest::Url;
use room_sessions_api::types::ErrorResponse;
use room_sessions_api::{Client as ApiClient, ResponseValue};
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use crate::error::Error;
use crate::retry::{RetryPolicy, RetryState};
use crate::secret::Redactor;

/// The result of a generated builder's `send`.
pub(crate) type ApiResult<T> = Result<ResponseValue<T>, room_sessions_api::Error<ErrorResponse>>;

/// What every request of a client shares: the generated client (with the credentials and the
/// body bound in its hooks), where the API is, the retry policy and the state
/// it keeps across requests, and the redactor of the credentials.
pub(crate) struct Transport {
    pub(crate) api: ApiClient,
    pub(crate) base_url: Url,
    pub(crate) project_id: String,
    pub(crate) retry: RetryPolicy,
    pub(crate) retry_state: RetryState,
    pub(crate) redactor: Redactor,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field(
                "base_url",
                &self.redactor.server_text(self.base_url.as_str()),
            )
            .field("project_id", &self.project_id)
            .field("api_token", &"***")
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// Sends a request with the retry policy, in a `tracing` span per attempt, and turns the
    /// generated client's errors into [`Error`]s. `send` makes the request anew each time;
    /// `path` is its path below the base URL (only called when the span is enabled).
    ///
    /// The span follows OpenTelemetry's conventions for HTTP clients, so that it exports
    /// without mapping: named by the operation (`otel.name`), with `http.request.method`,
    /// `server.address`, `server.port`, `url.path` (redacted), `http.response.status_code`,
    /// `http.request.resend_count` (on retries) and `error.type` (on failures).
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
            if let Some(wait) = self.retry_state.held_back() {
                if wait > self.retry.longest_wait() {
                    tracing::debug!(
                        target: "room_sessions",
                        operation,
                        wait_ms = millis(wait),
                        "the client's throttle holds requests back longer than max_retry_after"
                    );
                    return Err(Error::RateLimited {
                        message: None,
                        retry_after: Some(wait),
                    });
                }
                tracing::info!(
                    target: "room_sessions",
                    operation,
                    wait_ms = millis(wait),
                    "waiting for the client's throttle"
                );
                tokio::time::sleep(wait + self.retry.throttle_spread(fastrand::f64())).await;
            }
            let span = tracing::debug_span!(
                "room_sessions.request",
                otel.name = operation,
                otel.kind = "client",
                otel.status_code = tracing::field::Empty,
                http.request.method = "GET",
                server.address = tracing::field::Empty,
                server.port = tracing::field::Empty,
                url.path = tracing::field::Empty,
                http.request.resend_count = tracing::field::Empty,
                http.response.status_code = tracing::field::Empty,
                error.type = tracing::field::Empty,
            );
            if !span.is_disabled() {
                self.describe(&span, &path(), attempt);
            }
            // Awaited as it is, not in a block of its own: the value is large, and every
            // layer around it would copy it once more.
            let error = match send().instrument(span.clone()).await {
                Ok(response) => {
                    span.record("http.response.status_code", response.status().as_u16());
                    self.retry_state.succeeded();
                    return Ok(response.into_inner());
                }
                Err(error) => {
                    decode::error::<T>(error, &self.redactor)
                        .instrument(span.clone())
                        .await
                }
            };
            record_failure(&span, &error);
            self.retry_state.throttled(&error);
            let delay = self.retry.delay_after(attempt, &error, fastrand::f64());
            let Some(delay) = delay.filter(|_| self.retry_state.take_retry()) else {
                tracing::debug!(parent: &span, error = %error, "request failed");
                return Err(error);
            };
            tracing::info!(
                parent: &span,
                error = %error,
                delay_ms = millis(delay),
                "request failed, retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// Records where an attempt goes on its span.
    fn describe(&self, span: &tracing::Span, path: &str, attempt: u32) {
        let base = &self.base_url;
        span.record("server.address", base.host_str().unwrap_or_default());
        if let Some(port) = base.port_or_known_default() {
            span.record("server.port", port);
        }
        let full = format!("{}{path}", base.path().trim_end_matches('/'));
        span.record("url.path", self.redactor.server_text(&full));
        if attempt > 1 {
            span.record("http.request.resend_count", attempt - 1);
        }
    }
}

fn millis(duration: std::time::Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Records a failed attempt on its span: the status, if there was a response, and
/// `error.type`, which OpenTelemetry's HTTP conventions make the status code when there is
/// one, else what failed, in a word or two of snake case.
fn record_failure(span: &tracing::Span, error: &Error) {
    span.record("otel.status_code", "ERROR");
    if let Some(status) = error.status() {
        span.record("http.response.status_code", status.as_u16());
        span.record("error.type", status.as_str());
        return;
    }
    span.record(
        "error.type",
        match error {
            Error::Timeout { .. } => "timeout",
            Error::Connection { .. } => "connection",
            Error::Tls { .. } => "tls",
            Error::InvalidInput { .. } => "invalid_input",
            _ => "_OTHER",
        },
    );
}
