//! A client for the room sessions of SignalWire's Video REST API: find a session, list
//! sessions, and a session's members, events and recordings.
//!
//! It wraps the generated crate `room-sessions-api` (every request is built by its code) and
//! adds what a program needs: configuration from code or the environment, HTTP Basic auth,
//! streams that follow the pages, retries with backoff, resources with handy accessors, and
//! one [`Error`] type that says what went wrong and what to do.
//!
//! # Quick start
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use room_sessions::{Client, SessionStatus};
//!
//! # async fn run() -> Result<(), room_sessions::Error> {
//! # let token = String::new();
//! let client = Client::builder()
//!     .space("example") // https://example.signalwire.com/api/video
//!     .project_id("b3877c40-da60-4998-90ad-b792e98472af")
//!     .api_token(token)
//!     .build()?;
//! // or: Client::from_env()? with SIGNALWIRE_SPACE, SIGNALWIRE_PROJECT_ID,
//! //     SIGNALWIRE_API_TOKEN (and SIGNALWIRE_BASE_URL to override the URL)
//!
//! let session = client.room_session("c22d24f6-5a47-4597-9a23-c7d01e696b92").await?;
//! println!("{} {:?} {:?}", session.id, session.status(), session.duration());
//!
//! let live: Vec<_> = client
//!     .room_sessions()
//!     .status(SessionStatus::InProgress)
//!     .page_size(100)
//!     .stream() // every item, page after page
//!     .try_collect()
//!     .await?;
//!
//! let members: Vec<_> = client.room_session_members(session.id).stream().try_collect().await?;
//! let recordings = client.room_session_recordings(session.id).media_ttl(600).stream();
//! let events = client.room_session_events(session.id).stream();
//!
//! match client.room_session("3fa85f64-5717-4562-b3fc-2c963f66afa6").await {
//!     Err(e) if e.is_not_found() => println!("no such session"),
//!     other => println!("{:?}", other.map(|s| s.id)),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! To see it work without an account, run the offline demo, which starts a local mock server:
//! `cargo run -p room-sessions --example demo`.
//!
//! # What the client does for you
//!
//! - **Auth**: HTTP Basic with the project id and the API token on every request, in a header
//!   marked sensitive. The token appears in no `Debug`, `Display`, log or error.
//! - **Pages**: each listing's [`stream`](ListRoomSessions::stream) follows `links.next` (an
//!   absolute URL or a path) until it is absent, one page in memory at a time; a link to
//!   another origin, to another endpoint, or back to a page already fetched ends it with
//!   [`Error::RefusedLink`]. [`pages`](ListRoomSessions::pages) and
//!   [`send`](ListRoomSessions::send) + [`Page::next_page`] go page by page.
//! - **Retries**: connection failures, timeouts and HTTP 408, 429, 500, 502, 503 and 504 are
//!   retried with exponential backoff and jitter, honouring `Retry-After`; see
//!   [`RetryPolicy`].
//! - **Tolerance**: unknown fields are ignored; `status`, `quality`, `layout`, `fps` and a
//!   recording's `status` keep values this version does not know (`Other(..)`); almost every
//!   field may be missing or `null`.
//! - **Tracing**: a `tracing` span `room_sessions.request` per attempt, with the operation,
//!   the attempt, the status and the latency.
//!
//! # The resources
//!
//! [`RoomSession`], [`RoomSessionMember`], [`RoomSessionRecording`] and [`RoomSessionEvent`]
//! hold the generated structs and `Deref` to them, so their fields read as `session.id`; the
//! accessors (`status()`, `duration()`, `sync_audio_video()`, ...) are methods of the
//! newtypes. [`models`] explains why.

mod client;
mod config;
mod error;
pub mod models;
mod paginate;
mod retry;

pub use client::{
    Client, IntoUuid, ListRoomSessionEvents, ListRoomSessionMembers, ListRoomSessionRecordings,
    ListRoomSessions,
};
pub use config::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, ENV_API_TOKEN, ENV_BASE_URL,
    ENV_PROJECT_ID, ENV_SPACE,
};
pub use error::{ApiError, Error, LinkRefusal, Result};
pub use models::{RoomSession, RoomSessionEvent, RoomSessionMember, RoomSessionRecording};
pub use paginate::Page;
pub use retry::RetryPolicy;
pub use room_sessions_api::tolerant::{
    FrameRate, RecordingStatus, RoomLayout, SessionStatus, VideoQuality,
};
pub use room_sessions_api::types::PageLinks;

/// The generated low-level crate, for its types (`api::types`) and its client
/// ([`Client::api`]).
pub use room_sessions_api as api;

/// `reqwest::StatusCode`, as returned by [`Error::status`].
pub use reqwest::StatusCode;
/// The UUID type of the ids.
pub use uuid::Uuid;
