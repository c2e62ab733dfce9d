//! A `room_sessions::Client` pointed at a mock server.

use httpmock::MockServer;
use room_sessions::{Client, ClientBuilder};

/// The project id the helpers' clients send (and the demo server accepts).
pub const PROJECT_ID: &str = "b3877c40-da60-4998-90ad-b792e98472af";

/// The API token the helpers' clients send (and the demo server accepts). Not a secret: it
/// opens nothing but a local mock.
pub const API_TOKEN: &str = "PTdemo0a1b2c3d4e5f60718293a4b5c6d7e8f9";

/// A builder already pointed at `server` (its base URL; the generated mocks match paths
/// from the server's root) with [`PROJECT_ID`] and [`API_TOKEN`]: set timeouts or retries,
/// then `build()`. Loopback `http` is allowed by the client.
pub fn client_builder(server: &MockServer) -> ClientBuilder {
    base_url_builder(&server.base_url())
}

/// A client of `server` with the defaults of a real one (retries, timeouts).
///
/// A request no mock matches gets httpmock's 404, which this client reports as
/// `NotFound`, just as for a session that does not exist: assert the mocks a test relies on
/// (`mock.assert()`, [`Pages::assert_each_fetched_once`](crate::paging::Pages)), so a
/// wrong matcher fails with httpmock's diff instead of passing as "not found".
pub fn client(server: &MockServer) -> Client {
    build(client_builder(server))
}

/// A builder for the server at `base_url` (such as the demo server's) with the helpers'
/// credentials.
pub(crate) fn base_url_builder(base_url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .project_id(PROJECT_ID)
        .api_token(API_TOKEN)
}

/// Builds a client of a mock; the configuration is fixed and valid, so failing is a bug.
pub(crate) fn build(builder: ClientBuilder) -> Client {
    builder
        .build()
        .unwrap_or_else(|e| panic!("a client of a local mock server: {e}"))
}
