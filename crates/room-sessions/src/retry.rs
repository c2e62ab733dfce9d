//! When and how long to wait before sending a failed request again, and what the requests of
//! one client share to keep their retries in proportion: the retry budget and the throttle.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

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
/// Two things are shared by all the requests of one [`Client`](crate::Client) and its clones,
/// so that many tasks in a failing world do not multiply the failure:
///
/// - **A retry budget.** Retries draw on a budget of [`retry_budget`](Self::retry_budget)'s
///   `burst` retries (default 10), refilled by `percent` of a retry (default 10%) for each
///   response that succeeds. A client that is mostly healthy retries each of its few
///   failures; in an outage, once the burst is spent, each call sends its request once, and
///   the retries stay within 10% of the successes: the retry quota of the AWS SDKs, with the
///   ratio of the retry budget in Google's SRE book. A call whose retry the spent budget
///   refuses returns the error it got.
/// - **One throttle.** A 429 or 503 with `Retry-After` holds back every request of the
///   client until that time, not only the call that got it: a call that would send sooner
///   waits (up to `max_retry_after`), or fails at once with [`Error::RateLimited`] and the
///   time left as its `retry_after` when the wait is longer. The calls that waited do not
///   all send at the same instant: each adds a random part of `base_delay`. Whatever a
///   server asks, the throttle holds for at most [`LONGEST_THROTTLE`] (an hour), so that a
///   wrong `Retry-After` cannot stop a long-running client for good.
///
/// Both log at `info` (target `room_sessions`) when they hold a request back: the budget
/// when it is spent and when it refills, the throttle with each wait (a call it refuses logs
/// at `debug`, since its error says the same). Turn them off with
/// [`no_retry_budget`](Self::no_retry_budget) and
/// [`shared_throttle(false)`](Self::shared_throttle).
///
/// The defaults: 3 attempts in all, `base_delay` 200 ms, `max_delay` 5 s,
/// `max_retry_after` 60 s, a budget of 10 retries refilled by 10% of the successes, and the
/// shared throttle on.
///
/// ```
/// use std::time::Duration;
/// use room_sessions::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .base_delay(Duration::from_millis(100))
///     .max_retry_after(Duration::from_secs(10))
///     .retry_budget(20, 5);
/// assert_eq!(policy.attempts(), 5);
/// assert_eq!(RetryPolicy::none().attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
    /// `(burst, percent)`, or `None` for no budget.
    budget: Option<(u32, u32)>,
    shared_throttle: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
            budget: Some((10, 10)),
            shared_throttle: true,
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

    /// The client's retry budget: at most `burst` retries before a success refills it, and
    /// `percent` of a retry more for each success (up to `burst` again). The default is 10
    /// retries and 10%. A `burst` of 0 allows no retries at all; a `percent` over 100 is
    /// taken as 100.
    pub fn retry_budget(mut self, burst: u32, percent: u32) -> Self {
        self.budget = Some((burst, percent.min(100)));
        self
    }

    /// No retry budget: every request gets all its attempts, however many fail at once.
    pub fn no_retry_budget(mut self) -> Self {
        self.budget = None;
        self
    }

    /// Whether a `Retry-After` on a 429 or 503 holds back every request of the client (the
    /// default) or only the call that got it.
    pub fn shared_throttle(mut self, shared: bool) -> Self {
        self.shared_throttle = shared;
        self
    }

    /// How many attempts a request gets in all.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The longest `Retry-After` the client waits for.
    pub(crate) fn longest_wait(&self) -> Duration {
        self.max_retry_after
    }

    /// The state this policy needs shared by the requests of one client.
    pub(crate) fn shared_state(&self) -> RetryState {
        RetryState {
            budget: self
                .budget
                .map(|(burst, percent)| Budget::new(burst, percent)),
            throttle: self.shared_throttle.then(Throttle::new),
        }
    }

    /// How much later than the throttle's end a call that waited for it sends, for a `jitter`
    /// drawn in `[0, 1)`: a part of `base_delay`, so that the waiting calls do not all send in
    /// the same instant.
    pub(crate) fn throttle_spread(&self, jitter: f64) -> Duration {
        self.base_delay.mul_f64(jitter.clamp(0.0, 1.0))
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

/// What the requests of one client share under its [`RetryPolicy`]: the retry budget and the
/// throttle, each absent when the policy turns it off.
#[derive(Debug)]
pub(crate) struct RetryState {
    budget: Option<Budget>,
    throttle: Option<Throttle>,
}

impl RetryState {
    /// Takes one retry from the budget; `false` if it is spent.
    pub(crate) fn take_retry(&self) -> bool {
        self.budget.as_ref().is_none_or(Budget::take)
    }

    /// Refills the budget after a success.
    pub(crate) fn succeeded(&self) {
        if let Some(budget) = &self.budget {
            budget.refill();
        }
    }

    /// Holds back every request until `retry_after` from now, after a 429 or 503 that asked
    /// for it.
    pub(crate) fn throttled(&self, error: &Error) {
        let (Some(throttle), Some(retry_after)) = (&self.throttle, error.retry_after()) else {
            return;
        };
        if matches!(error.status().map(|s| s.as_u16()), Some(429 | 503)) {
            throttle.hold_for(retry_after);
        }
    }

    /// How long requests are held back from now, if they are.
    pub(crate) fn held_back(&self) -> Option<Duration> {
        self.throttle.as_ref().and_then(Throttle::remaining)
    }
}

/// The longest the shared throttle holds a client's requests back, whatever `Retry-After` a
/// server sends: after it, requests go out again and a server still throttling says so anew.
pub const LONGEST_THROTTLE: Duration = Duration::from_secs(60 * 60);

/// One retry, in the budget's unit: a thousandth of a retry is the smallest refill.
const RETRY: u32 = 1000;

/// The retry budget: a bucket of retries, `RETRY` units each.
#[derive(Debug)]
struct Budget {
    units: AtomicU32,
    capacity: u32,
    refill: u32,
    /// Whether the budget was found spent and has not refilled since, to log each once.
    spent: AtomicBool,
}

impl Budget {
    fn new(burst: u32, percent: u32) -> Self {
        let capacity = burst.saturating_mul(RETRY);
        Self {
            units: AtomicU32::new(capacity),
            capacity,
            refill: percent * RETRY / 100,
            spent: AtomicBool::new(false),
        }
    }

    fn take(&self) -> bool {
        let taken = self
            .units
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |units| {
                units.checked_sub(RETRY)
            })
            .is_ok();
        if !taken && !self.spent.swap(true, Ordering::Relaxed) {
            tracing::info!(
                target: "room_sessions",
                "retry budget spent: failed requests are not retried until requests succeed"
            );
        }
        taken
    }

    fn refill(&self) {
        // The usual case, a full budget, costs one load.
        if self.units.load(Ordering::Relaxed) >= self.capacity {
            return;
        }
        let Ok(before) = self
            .units
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |units| {
                (units < self.capacity)
                    .then(|| units.saturating_add(self.refill).min(self.capacity))
            })
        else {
            return;
        };
        if before.saturating_add(self.refill) >= RETRY && self.spent.swap(false, Ordering::Relaxed)
        {
            tracing::info!(target: "room_sessions", "retry budget refilled: retrying again");
        }
    }
}

/// The client-wide "not before" of a server's `Retry-After`.
#[derive(Debug)]
struct Throttle {
    /// Where `until` counts from.
    start: Instant,
    /// Milliseconds from `start` until which requests wait, or 0 when none do.
    until: AtomicU64,
}

impl Throttle {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            until: AtomicU64::new(0),
        }
    }

    fn millis_since_start(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn hold_for(&self, wait: Duration) {
        let wait = u64::try_from(wait.min(LONGEST_THROTTLE).as_millis()).unwrap_or(u64::MAX);
        let until = self.millis_since_start().saturating_add(wait).max(1);
        self.until.fetch_max(until, Ordering::Relaxed);
    }

    fn remaining(&self) -> Option<Duration> {
        // The usual case, no throttle, costs one load.
        let until = self.until.load(Ordering::Relaxed);
        if until == 0 {
            return None;
        }
        let now = self.millis_since_start();
        if now >= until {
            // Over: back to the one-load case, unless a newer throttle came meanwhile.
            let _ = self
                .until
                .compare_exchange(until, 0, Ordering::Relaxed, Ordering::Relaxed);
            return None;
        }
        Some(Duration::from_millis(until - now))
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

    #[test]
    fn the_budget_allows_its_burst_then_a_share_of_the_successes() {
        let state = RetryPolicy::default().retry_budget(3, 50).shared_state();
        assert!((0..3).all(|_| state.take_retry()));
        assert!(!state.take_retry(), "the burst is spent");
        state.succeeded();
        assert!(!state.take_retry(), "half a retry is not a retry");
        state.succeeded();
        assert!(state.take_retry(), "two successes at 50% make one retry");
        assert!(!state.take_retry());
        // Refills stop at the burst.
        (0..100).for_each(|_| state.succeeded());
        assert_eq!((0..10).filter(|_| state.take_retry()).count(), 3);

        let unlimited = RetryPolicy::default().no_retry_budget().shared_state();
        assert!((0..10_000).all(|_| unlimited.take_retry()));
        let none = RetryPolicy::default().retry_budget(0, 10).shared_state();
        assert!(!none.take_retry());
    }

    #[test]
    fn the_throttle_holds_requests_after_a_429_or_503_with_retry_after() {
        let state = RetryPolicy::default().shared_state();
        assert_eq!(state.held_back(), None);
        let with = |status: u16, retry_after| Error::UnexpectedStatus {
            status: reqwest::StatusCode::from_u16(status).unwrap(),
            message: None,
            retry_after,
        };
        // Another status, or no Retry-After, holds nothing back.
        state.throttled(&with(500, Some(Duration::from_secs(5))));
        state.throttled(&Error::RateLimited {
            message: None,
            retry_after: None,
        });
        assert_eq!(state.held_back(), None);
        state.throttled(&Error::RateLimited {
            message: None,
            retry_after: Some(Duration::from_secs(30)),
        });
        let held = state.held_back().unwrap();
        assert!(held > Duration::from_secs(29) && held <= Duration::from_secs(30));
        // A shorter one does not shorten it.
        state.throttled(&with(503, Some(Duration::from_secs(1))));
        assert!(state.held_back().unwrap() > Duration::from_secs(29));

        let own = RetryPolicy::default().shared_throttle(false).shared_state();
        own.throttled(&with(503, Some(Duration::from_secs(30))));
        assert_eq!(own.held_back(), None);
    }

    #[test]
    fn the_throttle_holds_for_an_hour_at_most() {
        let state = RetryPolicy::default().shared_state();
        state.throttled(&Error::RateLimited {
            message: None,
            retry_after: Some(Duration::from_secs(99_999_999)),
        });
        let held = state.held_back().unwrap();
        assert!(held > LONGEST_THROTTLE - Duration::from_secs(1) && held <= LONGEST_THROTTLE);
    }

    #[test]
    fn the_budget_refills_without_overflow_at_the_largest_burst() {
        let state = RetryPolicy::default()
            .retry_budget(u32::MAX, 100)
            .shared_state();
        assert!(state.take_retry());
        (0..3).for_each(|_| state.succeeded());
        assert!(state.take_retry(), "a refill near u32::MAX saturates");
    }

    #[test]
    fn a_past_throttle_holds_nothing_back() {
        let state = RetryPolicy::default().shared_state();
        state.throttled(&Error::RateLimited {
            message: None,
            retry_after: Some(Duration::ZERO),
        });
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(state.held_back(), None);
    }
}
