//! A request the mocks do not expect fails the test with httpmock's diff; it does not pass
//! silently as the `NotFound` the client makes of httpmock's 404.

use std::panic::{AssertUnwindSafe, catch_unwind};

use room_sessions::SessionStatus;
use room_sessions_httpmock::{MockServerExt, client, paging, values};

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .unwrap_or_default(),
    }
}

#[tokio::test]
async fn a_wrong_query_parameter_is_a_not_found_and_a_failed_assert_with_the_diff() {
    let server = httpmock::MockServer::start_async().await;
    let mock = server.list_room_sessions(|when, then| {
        when.status(&SessionStatus::Completed);
        then.ok(&paging::single_page(
            "/room_sessions",
            vec![values::session_listed()],
        ));
    });

    let result = client(&server)
        .room_sessions()
        .status(SessionStatus::InProgress)
        .send()
        .await;

    let error = result.expect_err("no mock matches status=in-progress");
    assert!(error.is_not_found(), "{error:?}");
    let failed = catch_unwind(AssertUnwindSafe(|| mock.assert()));
    let message = panic_message(failed.expect_err("the mock was never matched"));
    for fragment in [
        "0 of 1 expected requests matched the mock specification",
        "Query Parameter Mismatch",
        "value  [equals]  completed",
        "status=in-progress",
    ] {
        assert!(
            message.contains(fragment),
            "{fragment:?} not in:\n{message}"
        );
    }
}

#[tokio::test]
async fn a_listing_that_stops_early_fails_the_pages_assert() {
    let server = httpmock::MockServer::start_async().await;
    let sessions: Vec<_> = (1..=5u128)
        .map(|n| room_sessions_api::types::RoomSession {
            id: uuid::Uuid::from_u128(n),
            ..values::session_listed()
        })
        .collect();
    let pages = paging::mount_room_sessions(&server, &sessions, 2);

    let first = client(&server).room_sessions().send().await.unwrap();
    assert_eq!(first.items().len(), 2);
    assert_eq!(pages.fetches(), [1, 0, 0]);

    let failed = catch_unwind(AssertUnwindSafe(|| pages.assert_each_fetched_once()));
    let message = panic_message(failed.expect_err("pages 1 and 2 were never fetched"));
    assert!(
        message.contains("0 of 1 expected requests matched the mock specification"),
        "{message}"
    );
}
