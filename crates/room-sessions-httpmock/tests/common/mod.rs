//! What the tests share: the spec ([`spec`]), and a client of a mock server.

// Each test file uses some of these.
#![allow(dead_code)]

pub mod spec;

use httpmock::MockServer;
use room_sessions_api::{Client, ClientOptions};

/// The generated client of `server` (the mocks anchor their paths at its root): it sends what
/// the spec says, and nothing of a wrapper's (retries, checks) comes between.
pub fn client(server: &MockServer) -> Client {
    Client::new(&server.base_url(), ClientOptions::default())
}
