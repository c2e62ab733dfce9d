//! A recording mounted on an httpmock server (the `mocks` feature).

use std::path::Path;
use std::sync::Arc;

use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};

use crate::recording::{self, RecordingError, Replies};

/// Mounts the recording at `path` (made with `room-sessions`' `ClientBuilder::record`) on
/// `server`, so that code under test runs on real traffic: each request gets the responses
/// recorded for its method, path and query, in the order they were recorded (the last again
/// once they run out). The API is served at the server's root, and the recorded links in the
/// bodies lead back to the server. A request that was not recorded gets httpmock's 404.
///
/// ```no_run
/// # fn run() -> Result<(), room_sessions_httpmock::recording::RecordingError> {
/// let server = room_sessions_httpmock::httpmock::MockServer::start();
/// room_sessions_httpmock::replay(&server, "tests/traffic.ndjson".as_ref())?;
/// // A client with `base_url(server.base_url())` now gets what was recorded.
/// # Ok(())
/// # }
/// ```
pub fn replay(server: &MockServer, path: &Path) -> Result<(), RecordingError> {
    let replies = Arc::new(Replies::new(recording::read(path)?));
    let base_url = server.base_url();
    server.mock(|when, then| {
        let known = replies.clone();
        when.is_true(move |request: &HttpMockRequest| {
            let uri = request.uri();
            known.recorded(
                request.method().as_str(),
                uri.path(),
                uri.query().unwrap_or_default(),
            )
        });
        then.respond_with(move |request: &HttpMockRequest| {
            let uri = request.uri();
            let query = uri.query().unwrap_or_default();
            let exchange = replies
                .next(request.method().as_str(), uri.path(), query)
                .expect("matched: it was recorded");
            let mut response = HttpMockResponse::builder()
                .status(exchange.status)
                .body(exchange.body_at(&base_url));
            if let Some(content_type) = &exchange.content_type {
                response = response.header("content-type", content_type);
            }
            response.build()
        });
    });
    Ok(())
}
