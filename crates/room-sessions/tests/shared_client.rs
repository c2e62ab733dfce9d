//! One `Client` shared by many tasks in a failing world: an outage draws a bounded share of
//! retries (the retry budget), a throttle of the server holds back every request of the client
//! (the shared throttle), and the budget refills as requests succeed.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::*;
use futures::future::join_all;
use room_sessions::{Client, Error, RetryPolicy};
use room_sessions_httpmock::httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use room_sessions_httpmock::values;

/// The test client's retry policy (fast backoff) with `change` applied.
fn client(server: &MockServer, change: fn(RetryPolicy) -> RetryPolicy) -> Client {
    let fast = RetryPolicy::default()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5));
    builder_at(&server.base_url())
        .retry_policy(change(fast))
        .build()
        .unwrap()
}

fn session_found() -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&values::session_current()).unwrap())
        .build()
}

fn unavailable() -> HttpMockResponse {
    HttpMockResponse::builder().status(503).build()
}

/// `calls` lookups of the session, spread over `tasks` tasks sharing `client`.
async fn find_from_tasks(client: &Client, tasks: usize, calls: usize) -> Vec<Result<(), Error>> {
    let per_task = calls / tasks;
    let handles = (0..tasks).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            let mut results = Vec::new();
            for _ in 0..per_task {
                results.push(client.room_session(SESSION_ID).await.map(drop));
            }
            results
        })
    });
    join_all(handles)
        .await
        .into_iter()
        .flat_map(Result::unwrap)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_draws_the_retry_budget_and_no_more() {
    const CALLS: usize = 256;
    for (policy, expected_requests) in [
        // The default budget: a burst of 10 retries, refilled only by successes.
        ((|p| p) as fn(RetryPolicy) -> RetryPolicy, CALLS + 10),
        (|p| p.retry_budget(0, 10), CALLS),
        // Without a budget, every call tries three times: the outage is tripled.
        (|p| p.no_retry_budget(), 3 * CALLS),
    ] {
        let server = MockServer::start_async().await;
        let failing = server
            .mock_async(|_, then| {
                then.status(503);
            })
            .await;
        let client = client(&server, policy);

        let results = find_from_tasks(&client, 64, CALLS).await;

        assert_eq!(results.len(), CALLS);
        for result in &results {
            let error = result.as_ref().unwrap_err();
            assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error}");
        }
        let requests = failing.calls_async().await;
        assert_eq!(requests, expected_requests, "{client:?}");
        eprintln!(
            "{requests} requests for {CALLS} calls: {:.2} a call",
            requests as f64 / CALLS as f64
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_healthy_client_retries_each_of_its_few_failures() {
    let server = MockServer::start_async().await;
    let (requests, failures) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (counted, failed) = (requests.clone(), failures.clone());
    // One request in twenty fails: half the rate the budget refills at.
    server
        .mock_async(|_, then| {
            then.respond_with(move |_: &HttpMockRequest| {
                if counted.fetch_add(1, Ordering::SeqCst) % 20 == 19 {
                    failed.fetch_add(1, Ordering::SeqCst);
                    unavailable()
                } else {
                    session_found()
                }
            });
        })
        .await;
    let client = client(&server, |p| p);

    let results = find_from_tasks(&client, 8, 400).await;

    assert!(
        results.iter().all(Result::is_ok),
        "every failure was retried"
    );
    let failures = failures.load(Ordering::SeqCst);
    assert!(failures >= 20, "{failures} failures");
    assert_eq!(requests.load(Ordering::SeqCst), 400 + failures);
}

#[tokio::test]
async fn the_budget_refills_as_requests_succeed() {
    let server = MockServer::start_async().await;
    // Requests fail while `failing` is above zero, counting it down.
    let failing = Arc::new(AtomicUsize::new(usize::MAX));
    let left = failing.clone();
    let all = server
        .mock_async(|_, then| {
            then.respond_with(move |_: &HttpMockRequest| {
                let fails = left
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
                if fails {
                    unavailable()
                } else {
                    session_found()
                }
            });
        })
        .await;
    // Two retries, and one more for every two successes.
    let client = client(&server, |p| p.retry_budget(2, 50));
    let find = || client.room_session(SESSION_ID);

    // An outage spends the budget: two calls retry once each, the third cannot.
    for _ in 0..3 {
        find().await.unwrap_err();
    }
    assert_eq!(all.calls_async().await, 3 * 2 - 1);
    // One failure now is not retried.
    failing.store(1, Ordering::SeqCst);
    find().await.unwrap_err();
    assert_eq!(all.calls_async().await, 6);

    // Two successes refill one retry: a failure is retried again, and the call succeeds.
    find().await.unwrap();
    find().await.unwrap();
    failing.store(1, Ordering::SeqCst);
    find().await.unwrap();
    assert_eq!(all.calls_async().await, 10);
}

/// A server that throttles everything for `window` from its first request: 429 with
/// `Retry-After` in whole seconds, then 200. It counts the requests inside the window.
struct Throttling {
    server: MockServer,
    inside: Arc<AtomicUsize>,
    all: Arc<AtomicUsize>,
}

async fn throttling(window: Duration) -> Throttling {
    let server = MockServer::start_async().await;
    let inside = Arc::new(AtomicUsize::new(0));
    let all = Arc::new(AtomicUsize::new(0));
    let (counted_inside, counted_all) = (inside.clone(), all.clone());
    let first = Arc::new(std::sync::OnceLock::new());
    server
        .mock_async(|_, then| {
            then.respond_with(move |_: &HttpMockRequest| {
                counted_all.fetch_add(1, Ordering::SeqCst);
                let since_first = first.get_or_init(Instant::now).elapsed();
                if since_first >= window {
                    return session_found();
                }
                counted_inside.fetch_add(1, Ordering::SeqCst);
                HttpMockResponse::builder()
                    .status(429)
                    .header("retry-after", window.as_secs().to_string())
                    .build()
            });
        })
        .await;
    Throttling {
        server,
        inside,
        all,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttle_holds_back_every_task_of_the_client() {
    const TASKS: usize = 16;
    for (policy, most_inside) in [
        ((|p| p) as fn(RetryPolicy) -> RetryPolicy, 2),
        // Each call on its own learns of the throttle by running into it (and retries it, so
        // many that only without a budget do they all succeed).
        (|p| p.shared_throttle(false).no_retry_budget(), TASKS),
    ] {
        let throttling = throttling(Duration::from_secs(2)).await;
        let client = client(&throttling.server, policy);

        let tasks = (0..TASKS).map(|n| {
            let client = client.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(100) * n as u32).await;
                client.room_session(SESSION_ID).await.map(drop)
            })
        });
        let results = join_all(tasks).await;

        for result in results {
            result.unwrap().unwrap();
        }
        let inside = throttling.inside.load(Ordering::SeqCst);
        let all = throttling.all.load(Ordering::SeqCst);
        eprintln!("{inside} requests inside the window, {all} in all");
        if most_inside == TASKS {
            assert_eq!(inside, TASKS, "{client:?}");
        } else {
            assert!(inside <= most_inside, "{inside} requests inside the window");
        }
    }
}

#[tokio::test]
async fn a_throttle_longer_than_the_client_waits_fails_calls_at_once_without_sending() {
    let throttling = throttling(Duration::from_secs(120)).await;
    let client = client(&throttling.server, |p| p);

    let first = client.room_session(SESSION_ID).await.unwrap_err();
    let started = Instant::now();
    let second = client.room_session(SESSION_ID).await.unwrap_err();

    assert!(started.elapsed() < Duration::from_secs(1), "not waited for");
    assert_eq!(throttling.all.load(Ordering::SeqCst), 1, "one request sent");
    assert_eq!(first.retry_after(), Some(Duration::from_secs(120)));
    let Error::RateLimited {
        retry_after: Some(left),
        ..
    } = second
    else {
        panic!("{second:?}");
    };
    assert!(left <= Duration::from_secs(120) && left > Duration::from_secs(118));
}
