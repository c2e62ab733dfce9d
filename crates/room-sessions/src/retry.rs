//! When and how long to wait before sending a failed request again.

use std::time::Duration;

use crate::error::Error;

/// How the client retries a request that failed for a reason that may pass.
///
/// Every operation of this API is a `GET`, so sending it again is safe. The client retries
/// what [`Error::is_retryable`] calls transient: connection failures, timeouts and HTTP 408,
/// 429, 500, 502, 503 and 504; never another status, a TLS failure or a body over the limit
/// (the same request would fail the same way).
///
/// Between attempts it waits an exponential backoff with "full jitter": before retry `n`
/// (from 1), a random time between zero and `base_delay × 2ⁿ⁻¹`, capped at `max_delay`.
/// Spreading the whole interval, rather than its upper half, is what AWS's analysis of
/// backoff under contention found to finish soonest with the fewest calls when many clients
/// retry at once. When the server sends `Retry-After` (seconds or an HTTP date) the client
/// waits at least that long, unless it is longer than `max_retry_after`: then it stops at once
/// and returns the error, whose [`retry_after`](crate::Error::retry_after) tells the caller
/// how long to wait.
///
/// The defaults: 3 attempts in all, `base_delay` 200 ms, `max_delay` 5 s,
/// `max_retry_after` 60 s.
///
/// ```
/// use std::time::Duration;
/// use room_sessions::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .base_delay(Duration::from_millis(100))
///     .max_retry_after(Duration::from_secs(10));
/// assert_eq!(policy.attempts(), 5);
/// assert_eq!(RetryPolicy::none().attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries: one attempt per request.
    pub fn none() -> Self {
        Self::default().max_attempts(1)
    }

    /// How many attempts a request gets in all, the first included (at least 1; the client
    /// builder refuses 0).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// The longest wait before the first retry, doubled for each further one (the wait itself
    /// is random, from zero to that).
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The cap of the backoff between two attempts (a `Retry-After` may ask for more).
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest `Retry-After` the client waits for; a longer one ends the retries.
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// How many attempts a request gets in all.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff before retry `retry` (from 1), before jitter.
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }

    /// How long to wait after attempt `attempt` (from 1) failed with `error`, or `None` to
    /// stop: the error is not transient, the attempts are used up, or the server asks for a
    /// longer wait than `max_retry_after`. `jitter` is a number in `[0, 1]`.
    pub(crate) fn delay_after(&self, attempt: u32, error: &Error, jitter: f64) -> Option<Duration> {
        if !error.is_retryable() {
            return None;
        }
        self.backoff_after(attempt, error.retry_after(), jitter)
    }

    /// [`delay_after`](Self::delay_after) for a transient error that asked for `retry_after`.
    fn backoff_after(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        jitter: f64,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let jittered = self.backoff(attempt).mul_f64(jitter.clamp(0.0, 1.0));
        match retry_after {
            Some(asked) if asked > self.max_retry_after => None,
            Some(asked) => Some(asked.max(jittered)),
            None => Some(jittered),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_full_jitter() {
        let policy = RetryPolicy::default()
            .max_attempts(10)
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(500));
        assert_eq!(
            policy.backoff_after(1, None, 1.0),
            Some(Duration::from_millis(100))
        );
        // Full jitter: anywhere from zero.
        assert_eq!(policy.backoff_after(1, None, 0.0), Some(Duration::ZERO));
        assert_eq!(
            policy.backoff_after(2, None, 0.5),
            Some(Duration::from_millis(100))
        );
        assert_eq!(
            policy.backoff_after(2, None, 1.0),
            Some(Duration::from_millis(200))
        );
        assert_eq!(
            policy.backoff_after(3, None, 1.0),
            Some(Duration::from_millis(400))
        );
        assert_eq!(
            policy.backoff_after(4, None, 1.0),
            Some(Duration::from_millis(500))
        );
        // No overflow however many retries.
        assert_eq!(
            policy.backoff_after(9, None, 1.0),
            Some(Duration::from_millis(500))
        );
    }

    #[test]
    fn attempts_are_bounded() {
        let policy = RetryPolicy::default();
        assert!(policy.backoff_after(1, None, 0.5).is_some());
        assert!(policy.backoff_after(2, None, 0.5).is_some());
        assert_eq!(policy.backoff_after(3, None, 0.5), None);
        assert_eq!(RetryPolicy::none().backoff_after(1, None, 0.5), None);
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.backoff_after(1, Some(Duration::from_secs(7)), 1.0),
            Some(Duration::from_secs(7))
        );
        // A zero Retry-After still gets the backoff.
        assert_eq!(
            policy.backoff_after(1, Some(Duration::ZERO), 1.0),
            Some(Duration::from_millis(200))
        );
        // A Retry-After shorter than the drawn backoff leaves the backoff.
        assert_eq!(
            policy.backoff_after(2, Some(Duration::from_millis(100)), 1.0),
            Some(Duration::from_millis(400))
        );
        assert_eq!(
            policy.backoff_after(1, Some(Duration::from_secs(61)), 1.0),
            None
        );
    }

    #[test]
    fn only_transient_errors_are_retried() {
        let policy = RetryPolicy::default();
        let unavailable = Error::Server {
            status: reqwest::StatusCode::SERVICE_UNAVAILABLE,
            message: None,
            retry_after: None,
        };
        assert!(policy.delay_after(1, &unavailable, 0.5).is_some());
        let not_implemented = Error::Server {
            status: reqwest::StatusCode::NOT_IMPLEMENTED,
            message: None,
            retry_after: None,
        };
        assert_eq!(policy.delay_after(1, &not_implemented, 0.5), None);
        let too_large = Error::ResponseTooLarge {
            status: reqwest::StatusCode::OK,
            limit: 1,
        };
        assert_eq!(policy.delay_after(1, &too_large, 0.5), None);
        let limited = Error::RateLimited {
            message: None,
            retry_after: Some(Duration::from_secs(2)),
        };
        assert_eq!(
            policy.delay_after(1, &limited, 0.0),
            Some(Duration::from_secs(2))
        );
    }
}
