#![doc = include_str!("../README.md")]

#[cfg(not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")))]
compile_error!(
    "room-sessions has no TLS backend: enable one of its features `rustls` (the default), \
     `rustls-ring` or `native-tls`"
);

mod client;
mod config;
mod error;
mod id;
mod listings;
pub mod models;
mod paginate;
mod record;
mod retry;
mod secret;
mod transport;

pub use client::Client;
pub use config::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT,
    ENV_API_TOKEN, ENV_BASE_URL, ENV_PROJECT_ID, ENV_SPACE,
};
pub use error::{ApiError, Error, LinkRefusal, Result};
pub use id::IntoUuid;
pub use listings::{
    ListRoomSessionEvents, ListRoomSessionMembers, ListRoomSessionRecordings, ListRoomSessions,
};
pub use models::{RoomSession, RoomSessionEvent, RoomSessionMember, RoomSessionRecording};
pub use paginate::{DEFAULT_MAX_PAGES, MAX_EMPTY_PAGES, Page, SEEN_WINDOW};
pub use retry::{LONGEST_THROTTLE, RetryPolicy};
pub use room_sessions_api::tolerant::{
    FrameRate, RecordingStatus, RoomLayout, SessionStatus, VideoQuality,
};
pub use room_sessions_api::types::PageLinks;

/// The generated low-level crate, for its types (`api::types`) and its client
/// ([`Client::api`]).
pub use room_sessions_api as api;

/// `reqwest::Certificate`: a certificate authority to trust, for
/// [`ClientBuilder::add_root_certificate`].
pub use reqwest::Certificate;
/// `reqwest::Proxy`: a proxy to send the requests through, for [`ClientBuilder::proxy`].
pub use reqwest::Proxy;
/// `reqwest::StatusCode`, as returned by [`Error::status`].
pub use reqwest::StatusCode;
/// The UUID type of the ids.
pub use uuid::Uuid;
