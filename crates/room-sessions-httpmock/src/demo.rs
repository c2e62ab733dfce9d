//! The demo: one realistic dataset and a local server that serves it, for the wrapper's
//! `demo` example, the command-line tool's `--demo` flag, and tests.
//!
//! The dataset is fixed (no clock, no randomness; timestamps in UTC around [`now`]):
//! [`SESSION_COUNT`] room sessions, newest first, [`LIVE_COUNT`] of them `in-progress` and
//! the rest `completed`, in both generations of field names (every third session in the
//! older one: `audio_video_sync`, `enable_room_previews` in every response, times with
//! milliseconds; the others `sync_audio_video` and the newer booleans and timestamps), each
//! with members, events and recordings, and one layout this version of the client does not
//! know (`12x12`). [`MISSING_SESSION_ID`] is in no listing and answers 404 with the
//! documented `{"error":"Not Found"}`.
//!
//! The server answers like the API, at the root of its base URL:
//! - `GET /room_sessions`: the sessions, filtered by `status`, `room_id`, `room_name` (exact)
//!   and `room_name_matches` (a substring of the name, case-sensitive), in pages of
//!   `page_size` ([`DEFAULT_PAGE_SIZE`] when not given, so a plain listing has
//!   4 pages); each page but the last links to the next with an absolute URL carrying
//!   `page_number`, `page_size`, `page_token` and the filters. A page size outside 1..=1000,
//!   a room id that is not a UUID, or a page past the first without the listing's
//!   `page_token` gets 422 with the documented `errors` body;
//! - `GET /room_sessions/{id}`: the session, as finding it by id returns it (current-generation
//!   sessions without the fields the API sends in listings only); 404 for any other id;
//! - `GET /room_sessions/{id}/members`, `/events`, `/recordings` (honouring `media_ttl` in
//!   the media links): paged the same way; 404 for a session not in the dataset;
//! - any request without HTTP Basic credentials [`PROJECT_ID`]:[`API_TOKEN`]: 401.
//!
//! ```
//! # async fn run() -> Result<(), room_sessions::Error> {
//! use futures::TryStreamExt;
//! use room_sessions::SessionStatus;
//! use room_sessions_httpmock::demo::{self, DemoServer};
//!
//! let server = DemoServer::start().await;
//! let client = server.client(); // or Client::builder().base_url(server.base_url())...
//!
//! let live: Vec<_> = client
//!     .room_sessions()
//!     .status(SessionStatus::InProgress)
//!     .stream()
//!     .try_collect()
//!     .await?;
//! assert_eq!(live.len(), demo::LIVE_COUNT);
//!
//! let missing = client.room_session(demo::MISSING_SESSION_ID).await;
//! assert!(missing.is_err_and(|e| e.is_not_found()));
//! # Ok(())
//! # }
//! # tokio::runtime::Runtime::new().unwrap().block_on(run()).unwrap();
//! ```

mod data;
mod routes;

use chrono::{DateTime, Utc};
use httpmock::MockServer;
use room_sessions::Client;
use room_sessions_api::types::{
    RoomSession, RoomSessionEvent, RoomSessionMember, RoomSessionRecording,
};
use uuid::Uuid;

pub use crate::client::{API_TOKEN, PROJECT_ID};

/// A session id that is in no listing: finding it answers 404 with `{"error":"Not Found"}`.
pub const MISSING_SESSION_ID: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

/// How many room sessions the dataset holds.
pub const SESSION_COUNT: usize = data::SESSION_COUNT;

/// How many of them (the newest) are `in-progress`.
pub const LIVE_COUNT: usize = data::LIVE_COUNT;

/// The page size of a listing that does not ask for one. The API's is 50; the demo's is
/// small so that the whole listing takes several pages.
pub const DEFAULT_PAGE_SIZE: usize = 10;

/// The newest session: in progress, recording, with five members (one of whom has left).
pub const LIVE_SESSION_ID: Uuid = data::session_id(0);

/// The moment the dataset describes (2024-07-29T16:00:00Z): live sessions started before it
/// and have not ended.
pub fn now() -> DateTime<Utc> {
    crate::values::utc(data::NOW)
}

/// The dataset's room sessions as the listing serves them, newest first.
pub fn sessions() -> Vec<RoomSession> {
    (0..SESSION_COUNT).map(data::session).collect()
}

/// The session with this id as finding it by id returns it, if it is in the dataset.
pub fn session(id: Uuid) -> Option<RoomSession> {
    index_of(id).map(data::found_by_id)
}

/// The members of a session, in the order they joined (empty for an id not in the dataset).
pub fn members(id: Uuid) -> Vec<RoomSessionMember> {
    index_of(id).map(data::members).unwrap_or_default()
}

/// The events of a session, oldest first (empty for an id not in the dataset).
pub fn events(id: Uuid) -> Vec<RoomSessionEvent> {
    index_of(id).map(data::events).unwrap_or_default()
}

/// The recordings of a session, with media links valid for 900 seconds (empty for an id not
/// in the dataset, or a session that did not record).
pub fn recordings(id: Uuid) -> Vec<RoomSessionRecording> {
    index_of(id).map(data::recordings).unwrap_or_default()
}

/// Whether the session comes in the older generation of field names (`audio_video_sync`).
pub fn is_legacy(id: Uuid) -> bool {
    index_of(id).is_some_and(data::is_legacy)
}

fn index_of(id: Uuid) -> Option<usize> {
    (0..SESSION_COUNT).find(|&index| data::session_id(index) == id)
}

/// A local server of the demo API on 127.0.0.1, for as long as it lives.
///
/// Start it from any async code (a `#[tokio::main]` binary, a test); it serves from
/// httpmock's own threads, so it keeps answering while the caller awaits other things.
pub struct DemoServer {
    server: MockServer,
}

impl std::fmt::Debug for DemoServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoServer")
            .field("base_url", &self.base_url())
            .finish()
    }
}

impl DemoServer {
    /// Starts a server and mounts the whole dataset on it.
    pub async fn start() -> DemoServer {
        let server = MockServer::start_async().await;
        routes::mount(&server);
        DemoServer { server }
    }

    /// The base URL to give `ClientBuilder::base_url`, such as `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// A client already pointed at this server, with [`PROJECT_ID`] and [`API_TOKEN`].
    pub fn client(&self) -> Client {
        crate::client::build(crate::client::base_url_builder(&self.base_url()))
    }

    /// The underlying mock server. httpmock answers with the first mock added that matches,
    /// so a mock added here answers only requests the demo's routes do not take.
    pub fn mock_server(&self) -> &MockServer {
        &self.server
    }
}
