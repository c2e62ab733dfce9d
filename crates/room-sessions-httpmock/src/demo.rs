//! The demo: one realistic dataset and a local server that serves it, for the command-line
//! tool's `--demo` flag and its `demo` example, and tests. The server is a few lines of hyper
//! (the `demo` feature), not httpmock, so that a program serving it carries no test library.
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
//! - any request without HTTP Basic credentials [`PROJECT_ID`](crate::values::PROJECT_ID):
//!   [`API_TOKEN`]: 401.
//!
//! ```
//! # async fn run() {
//! use room_sessions_api::tolerant::SessionStatus;
//! use room_sessions_httpmock::demo::{self, DemoServer};
//!
//! let server = DemoServer::start().await;
//! // Any HTTP client will do; this one is the generated room-sessions-api client.
//! let client = room_sessions_api::Client::new(&server.base_url(), demo::client_options());
//!
//! let live = client
//!     .list_room_sessions()
//!     .status(SessionStatus::InProgress)
//!     .send()
//!     .await
//!     .unwrap();
//! assert_eq!(live.data.len(), demo::LIVE_COUNT);
//!
//! let id: uuid::Uuid = demo::MISSING_SESSION_ID.parse().unwrap();
//! let missing = client.get_room_session().id(id).send().await.unwrap_err();
//! assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
//! # }
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(run());
//! ```

mod data;
mod routes;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use base64::Engine as _;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use http::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use room_sessions_api::ClientOptions;
use room_sessions_api::types::{
    RoomSession, RoomSessionEvent, RoomSessionMember, RoomSessionRecording,
};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::recording::{self, Replies};

/// The API token the demo server accepts, with [`values::PROJECT_ID`](crate::values::PROJECT_ID).
/// Not a secret: it opens nothing but a local demo.
pub const API_TOKEN: &str = "PTdemo0a1b2c3d4e5f60718293a4b5c6d7e8f9";

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

/// The `Authorization` header of the demo's credentials.
fn authorization() -> String {
    let credentials = format!("{}:{API_TOKEN}", crate::values::PROJECT_ID);
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(credentials)
    )
}

/// Options of a generated client that sends the demo's credentials.
pub fn client_options() -> ClientOptions {
    let mut value = HeaderValue::from_str(&authorization()).expect("base64 is a valid header");
    value.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, value);
    ClientOptions::new(headers)
}

/// A local server of the demo API on 127.0.0.1, for as long as it lives.
///
/// Start it from async code (a `#[tokio::main]` binary, a test): it serves from a task of
/// that runtime, so it answers while the caller awaits (a caller that blocks its thread on a
/// current-thread runtime would wait for itself).
#[derive(Debug)]
pub struct DemoServer {
    address: SocketAddr,
    serving: JoinHandle<()>,
}

impl DemoServer {
    /// Starts a server of the demo dataset on a port of 127.0.0.1 that the system picks.
    pub async fn start() -> DemoServer {
        Self::serve(Source::Demo).await
    }

    /// Starts a server of a recording instead (see [`recording`]): any
    /// credentials are accepted, and a request that was not recorded gets a 404.
    pub async fn replaying(exchanges: Vec<recording::Exchange>) -> DemoServer {
        Self::serve(Source::Recording(Replies::new(exchanges))).await
    }

    async fn serve(source: Source) -> DemoServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port of 127.0.0.1");
        let address = listener.local_addr().expect("a bound address");
        let base_url = format!("http://{address}");
        let source = Arc::new(source);
        let expected = Arc::new(authorization());
        let serving = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    // Out of file descriptors, say: wait for some to close rather than spin.
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                };
                let (source, base_url, expected) =
                    (source.clone(), base_url.clone(), expected.clone());
                let answer = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    let (status, content_type, body) =
                        source.answer(&request, &base_url, &expected);
                    let mut response = hyper::Response::builder().status(status);
                    if let Some(content_type) = content_type {
                        response = response.header("content-type", content_type);
                    }
                    let response = response.body(Full::new(Bytes::from(body)));
                    std::future::ready(Ok::<_, Infallible>(
                        response.expect("a status and a header make a response"),
                    ))
                });
                tokio::spawn(
                    hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), answer),
                );
            }
        });
        DemoServer { address, serving }
    }

    /// The base URL to give `ClientBuilder::base_url`, such as `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }
}

/// What a [`DemoServer`] answers from.
enum Source {
    Demo,
    Recording(Replies),
}

impl Source {
    /// The status, content type and body answering `request`.
    fn answer<B>(
        &self,
        request: &hyper::Request<B>,
        base_url: &str,
        expected: &str,
    ) -> (u16, Option<String>, Vec<u8>) {
        let uri = request.uri();
        let (path, query) = (uri.path(), uri.query().unwrap_or_default());
        match self {
            Source::Demo => {
                let given = request.headers().get(AUTHORIZATION);
                let (status, body) = if given.is_some_and(|given| given == expected) {
                    routes::respond(base_url, path, query)
                } else {
                    routes::unauthorized()
                };
                (status, Some("application/json".to_owned()), body)
            }
            Source::Recording(replies) => {
                match replies.next(request.method().as_str(), path, query) {
                    Some(exchange) => (
                        exchange.status,
                        exchange.content_type.clone(),
                        exchange.body_at(base_url).into_bytes(),
                    ),
                    None => (
                        404,
                        Some("application/json".to_owned()),
                        br#"{"error":"Not in the recording"}"#.to_vec(),
                    ),
                }
            }
        }
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        self.serving.abort();
    }
}
