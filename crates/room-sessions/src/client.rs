//! The client and its operations.

use std::fmt;
use std::sync::Arc;

use reqwest::Url;
use room_sessions_api::Client as ApiClient;
use room_sessions_api::types;

use crate::error::Error;
use crate::id::{IntoUuid, parse_id};
use crate::listings::{
    ListRoomSessionEvents, ListRoomSessionMembers, ListRoomSessionRecordings, ListRoomSessions,
};
use crate::models::RoomSession;
use crate::transport::Transport;

/// A client of the room-sessions endpoints of SignalWire's Video REST API.
///
/// Build one with [`Client::builder`] or [`Client::from_env`]. It is cheap to clone (the
/// clones share one connection pool and configuration) and can be shared between tasks.
///
/// Every request goes through the generated [`room_sessions_api::Client`], with HTTP Basic
/// auth, a timeout, a bound on the response body, the retries of the
/// [`RetryPolicy`](crate::RetryPolicy), a `tracing` span per attempt, and errors turned into
/// [`Error`].
#[derive(Clone)]
pub struct Client {
    transport: Arc<Transport>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.transport, f)
    }
}

impl Client {
    pub(crate) fn new(transport: Transport) -> Self {
        Self {
            transport: Arc::new(transport),
        }
    }

    /// The base URL requests go to, such as `https://example.signalwire.com/api/video`.
    pub fn base_url(&self) -> &Url {
        &self.transport.base_url
    }

    /// The generated client this one wraps, for what this crate does not offer. Its requests
    /// carry the credentials and the timeout, and its bodies are bounded, but they get none
    /// of this crate's retries, retry budget, throttle or checks; and its errors are neither
    /// mapped nor redacted: an error body or URL that echoes the credentials shows them.
    pub fn api(&self) -> &ApiClient {
        &self.transport.api
    }

    /// Finds one room session by its id: a [`Uuid`](crate::Uuid) or a string holding one.
    ///
    /// Fails with [`Error::InvalidInput`] (nothing sent) if the string is not a UUID, and with
    /// [`Error::NotFound`] if there is no such session in the project.
    ///
    /// ```no_run
    /// # async fn run(client: room_sessions::Client) -> Result<(), room_sessions::Error> {
    /// let session = client.room_session("c22d24f6-5a47-4597-9a23-c7d01e696b92").await?;
    /// println!("{} {:?} {:?}", session.id, session.status(), session.duration());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn room_session(&self, id: impl IntoUuid) -> Result<RoomSession, Error> {
        let id = parse_id(id, "room session id")?;
        let api = &self.transport.api;
        self.transport
            .send::<types::RoomSession, _, _>(
                "get_room_session",
                || format!("/room_sessions/{id}"),
                || api.get_room_session().id(id).send(),
            )
            .await
            .map(RoomSession::from)
    }

    /// Lists the project's room sessions, newest first; add filters, then read them with
    /// [`stream`](ListRoomSessions::stream), [`pages`](ListRoomSessions::pages) or
    /// [`send`](ListRoomSessions::send).
    ///
    /// ```no_run
    /// # async fn run(client: room_sessions::Client) -> Result<(), room_sessions::Error> {
    /// use futures::TryStreamExt;
    /// use room_sessions::SessionStatus;
    ///
    /// let live: Vec<_> = client
    ///     .room_sessions()
    ///     .status(SessionStatus::InProgress)
    ///     .page_size(100)
    ///     .stream()
    ///     .try_collect()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn room_sessions(&self) -> ListRoomSessions {
        ListRoomSessions::new(&self.transport)
    }

    /// Lists the members of a room session.
    ///
    /// ```no_run
    /// # async fn run(client: room_sessions::Client) -> Result<(), room_sessions::Error> {
    /// use futures::TryStreamExt;
    ///
    /// let mut members = client
    ///     .room_session_members("c22d24f6-5a47-4597-9a23-c7d01e696b92")
    ///     .stream();
    /// while let Some(member) = members.try_next().await? {
    ///     println!("{:?} stayed {:?}", member.name, member.duration());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn room_session_members(&self, id: impl IntoUuid) -> ListRoomSessionMembers {
        ListRoomSessionMembers::new(&self.transport, id)
    }

    /// Lists the events of a room session (`room.started`, members joining, ...).
    pub fn room_session_events(&self, id: impl IntoUuid) -> ListRoomSessionEvents {
        ListRoomSessionEvents::new(&self.transport, id)
    }

    /// Lists the recordings of a room session.
    ///
    /// ```no_run
    /// # async fn run(client: room_sessions::Client) -> Result<(), room_sessions::Error> {
    /// use futures::TryStreamExt;
    ///
    /// let recordings: Vec<_> = client
    ///     .room_session_recordings("c22d24f6-5a47-4597-9a23-c7d01e696b92")
    ///     .media_ttl(600)
    ///     .stream()
    ///     .try_collect()
    ///     .await?;
    /// for recording in &recordings {
    ///     println!("{:?} {:?}", recording.status(), recording.media_url());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn room_session_recordings(&self, id: impl IntoUuid) -> ListRoomSessionRecordings {
        ListRoomSessionRecordings::new(&self.transport, id)
    }
}
