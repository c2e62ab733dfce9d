//! The client and its operations.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use futures::stream::BoxStream;
use reqwest::Url;
use room_sessions_api::tolerant::SessionStatus;
use room_sessions_api::types::{self, PageLinks};
use room_sessions_api::{Client as ApiClient, ResponseValue};
use serde::de::DeserializeOwned;
use tracing::Instrument as _;
use uuid::Uuid;

use crate::config::ClientBuilder;
use crate::error::{self, Error, Redactor};
use crate::models::{RoomSession, RoomSessionEvent, RoomSessionMember, RoomSessionRecording};
use crate::paginate::{ApiResult, Listing, Page, PageQuery, Request};
use crate::retry::RetryPolicy;

/// Sets the paging parameters of a [`PageQuery`] on a generated list builder. The generated
/// builders share the setters by name, not through a trait, hence a macro.
macro_rules! with_page_query {
    ($request:expr, $query:expr) => {{
        let mut request = $request;
        let query: PageQuery = $query;
        if let Some(number) = query.page_number {
            request = request.page_number(number);
        }
        if let Some(size) = query.page_size {
            request = request.page_size(size);
        }
        if let Some(token) = query.page_token {
            request = request.page_token(token);
        }
        request
    }};
}

/// A client of the room-sessions endpoints of SignalWire's Video REST API.
///
/// Build one with [`Client::builder`] or [`Client::from_env`]. It is cheap to clone (the
/// clones share one connection pool and configuration) and can be shared between tasks.
///
/// Every request goes through the generated [`room_sessions_api::Client`], with HTTP Basic
/// auth, the retries of the [`RetryPolicy`], a `tracing` span per attempt, and errors turned
/// into [`Error`].
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) api: ApiClient,
    pub(crate) base_url: Url,
    pub(crate) project_id: String,
    pub(crate) retry: RetryPolicy,
    pub(crate) redactor: Redactor,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("project_id", &self.inner.project_id)
            .field("api_token", &"***")
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// A room session id: a [`Uuid`], or text holding one (such as
/// `"c22d24f6-5a47-4597-9a23-c7d01e696b92"`). Text that is not a UUID is refused before any
/// request is sent.
pub trait IntoUuid {
    /// The UUID, or why the value is not one.
    fn into_uuid(self) -> Result<Uuid, uuid::Error>;
}

impl IntoUuid for Uuid {
    fn into_uuid(self) -> Result<Uuid, uuid::Error> {
        Ok(self)
    }
}

impl IntoUuid for &Uuid {
    fn into_uuid(self) -> Result<Uuid, uuid::Error> {
        Ok(*self)
    }
}

impl IntoUuid for &str {
    fn into_uuid(self) -> Result<Uuid, uuid::Error> {
        Uuid::parse_str(self.trim())
    }
}

impl IntoUuid for String {
    fn into_uuid(self) -> Result<Uuid, uuid::Error> {
        self.as_str().into_uuid()
    }
}

impl IntoUuid for &String {
    fn into_uuid(self) -> Result<Uuid, uuid::Error> {
        self.as_str().into_uuid()
    }
}

/// Parses an id, or says why it is refused (naming the value, cut short).
fn parse_id(id: impl IntoUuid, parameter: &'static str) -> Result<Uuid, (&'static str, String)> {
    id.into_uuid()
        .map_err(|e| (parameter, format!("it is not a UUID ({e})")))
}

impl Client {
    /// A builder to configure a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from the environment: `SIGNALWIRE_SPACE` (or `SIGNALWIRE_BASE_URL`,
    /// which overrides the URL built from the space), `SIGNALWIRE_PROJECT_ID` and
    /// `SIGNALWIRE_API_TOKEN`. Use [`ClientBuilder::from_env`] to change other options too.
    ///
    /// ```no_run
    /// let client = room_sessions::Client::from_env()?;
    /// # Ok::<(), room_sessions::Error>(())
    /// ```
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env().build()
    }

    /// The base URL requests go to, such as `https://example.signalwire.com/api/video`.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The generated client this one wraps, for what this crate does not offer. Its requests
    /// carry the credentials, but get none of this crate's retries, error mapping or checks.
    pub fn api(&self) -> &ApiClient {
        &self.inner.api
    }

    /// Finds one room session by its id: a [`Uuid`] or a string holding one.
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
        let id = parse_id(id, "room session id")
            .map_err(|(parameter, reason)| Error::invalid_input(parameter, reason))?;
        let api = &self.inner.api;
        self.execute::<types::RoomSession, _, _>("get_room_session", || {
            api.get_room_session().id(id).send()
        })
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
        ListRoomSessions(Request::new(self, SessionsListing::default()))
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
        let (listing, invalid) = SessionChild::new(id);
        let mut request = Request::new(self, MembersListing(listing));
        request.invalid = invalid;
        ListRoomSessionMembers(request)
    }

    /// Lists the events of a room session (`room.started`, members joining, ...).
    pub fn room_session_events(&self, id: impl IntoUuid) -> ListRoomSessionEvents {
        let (listing, invalid) = SessionChild::new(id);
        let mut request = Request::new(self, EventsListing(listing));
        request.invalid = invalid;
        ListRoomSessionEvents(request)
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
        let (child, invalid) = SessionChild::new(id);
        let mut request = Request::new(
            self,
            RecordingsListing {
                session: child,
                media_ttl: None,
            },
        );
        request.invalid = invalid;
        ListRoomSessionRecordings(request)
    }

    /// Sends a request with the retry policy, in a `tracing` span per attempt, and turns the
    /// generated client's errors into [`Error`]s. `send` makes the request anew each time.
    pub(crate) async fn execute<T, F, Fut>(
        &self,
        operation: &'static str,
        send: F,
    ) -> Result<T, Error>
    where
        T: DeserializeOwned,
        F: Fn() -> Fut,
        Fut: Future<Output = ApiResult<T>>,
    {
        let policy = &self.inner.retry;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let span = tracing::debug_span!(
                "room_sessions.request",
                operation,
                attempt,
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let started = Instant::now();
            let result: Result<ResponseValue<T>, Error> = async {
                match send().await {
                    Ok(response) => Ok(response),
                    Err(e) => Err(error::from_api::<T>(e, &self.inner.redactor).await),
                }
            }
            .instrument(span.clone())
            .await;
            let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            span.record("latency_ms", latency_ms);
            let error = match result {
                Ok(response) => {
                    span.record("status", response.status().as_u16());
                    tracing::debug!(parent: &span, "request succeeded");
                    return Ok(response.into_inner());
                }
                Err(error) => error,
            };
            if let Some(status) = error.status() {
                span.record("status", status.as_u16());
            }
            let delay = if error.is_retryable() {
                policy.delay_after(attempt, error.retry_after(), fastrand::f64())
            } else {
                None
            };
            let Some(delay) = delay else {
                tracing::debug!(parent: &span, error = %error, "request failed");
                return Err(error);
            };
            tracing::info!(
                parent: &span,
                error = %error,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "request failed, retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }
}

/// The filters of the room sessions listing.
#[derive(Clone, Debug, Default, Hash)]
pub(crate) struct SessionsListing {
    room_id: Option<Uuid>,
    room_name: Option<String>,
    room_name_matches: Option<String>,
    status: Option<SessionStatus>,
}

impl Listing for SessionsListing {
    type Item = RoomSession;
    type List = types::RoomSessionList;
    const OPERATION: &'static str = "list_room_sessions";

    fn endpoint(&self) -> String {
        "/room_sessions".to_owned()
    }

    fn set_from_link(&mut self, key: &str, value: &str) -> Result<bool, String> {
        match key {
            "room_id" => {
                self.room_id = Some(Uuid::parse_str(value).map_err(|_| "a UUID".to_owned())?);
            }
            "room_name" => self.room_name = Some(value.to_owned()),
            "room_name_matches" => self.room_name_matches = Some(value.to_owned()),
            "status" => self.status = Some(SessionStatus::from(value)),
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn send(
        self,
        api: &ApiClient,
        query: PageQuery,
    ) -> impl Future<Output = ApiResult<Self::List>> + Send + '_ {
        let mut request = api.list_room_sessions();
        if let Some(room_id) = self.room_id {
            request = request.room_id(room_id);
        }
        if let Some(room_name) = self.room_name {
            request = request.room_name(room_name);
        }
        if let Some(matches) = self.room_name_matches {
            request = request.room_name_matches(matches);
        }
        if let Some(status) = self.status {
            request = request.status(status);
        }
        with_page_query!(request, query).send()
    }

    fn split(list: Self::List) -> (Vec<RoomSession>, PageLinks) {
        (list.data.into_iter().map(Into::into).collect(), list.links)
    }
}

/// The session whose members, events or recordings are listed.
#[derive(Clone, Debug, Hash)]
pub(crate) struct SessionChild {
    id: Uuid,
}

impl SessionChild {
    fn new(id: impl IntoUuid) -> (Self, Option<(&'static str, String)>) {
        match parse_id(id, "room session id") {
            Ok(id) => (Self { id }, None),
            Err(invalid) => (Self { id: Uuid::nil() }, Some(invalid)),
        }
    }
}

/// Declares the listing of a session's children (members, events) that has only paging
/// parameters.
macro_rules! child_listing {
    ($name:ident, $item:ty, $list:ty, $operation:literal, $method:ident, $segment:literal) => {
        #[derive(Clone, Debug, Hash)]
        pub(crate) struct $name(SessionChild);

        impl Listing for $name {
            type Item = $item;
            type List = $list;
            const OPERATION: &'static str = $operation;

            fn endpoint(&self) -> String {
                format!("/room_sessions/{}/{}", self.0.id, $segment)
            }

            fn set_from_link(&mut self, _key: &str, _value: &str) -> Result<bool, String> {
                Ok(false)
            }

            fn send(
                self,
                api: &ApiClient,
                query: PageQuery,
            ) -> impl Future<Output = ApiResult<Self::List>> + Send + '_ {
                with_page_query!(api.$method().id(self.0.id), query).send()
            }

            fn split(list: Self::List) -> (Vec<$item>, PageLinks) {
                (list.data.into_iter().map(Into::into).collect(), list.links)
            }
        }
    };
}

child_listing!(
    MembersListing,
    RoomSessionMember,
    types::RoomSessionMemberList,
    "list_room_session_members",
    list_room_session_members,
    "members"
);
child_listing!(
    EventsListing,
    RoomSessionEvent,
    types::RoomSessionEventList,
    "list_room_session_events",
    list_room_session_events,
    "events"
);

/// The recordings listing: the session, and how long media links stay valid.
#[derive(Clone, Debug, Hash)]
pub(crate) struct RecordingsListing {
    session: SessionChild,
    media_ttl: Option<i32>,
}

impl Listing for RecordingsListing {
    type Item = RoomSessionRecording;
    type List = types::RoomSessionRecordingList;
    const OPERATION: &'static str = "list_room_session_recordings";

    fn endpoint(&self) -> String {
        format!("/room_sessions/{}/recordings", self.session.id)
    }

    fn set_from_link(&mut self, key: &str, value: &str) -> Result<bool, String> {
        if key != "media_ttl" {
            return Ok(false);
        }
        self.media_ttl = Some(
            value
                .parse::<i32>()
                .ok()
                .filter(|seconds| *seconds >= 0)
                .ok_or_else(|| "a number of seconds".to_owned())?,
        );
        Ok(true)
    }

    fn send(
        self,
        api: &ApiClient,
        query: PageQuery,
    ) -> impl Future<Output = ApiResult<Self::List>> + Send + '_ {
        let mut request = api.list_room_session_recordings().id(self.session.id);
        if let Some(ttl) = self.media_ttl {
            request = request.media_ttl(ttl);
        }
        with_page_query!(request, query).send()
    }

    fn split(list: Self::List) -> (Vec<RoomSessionRecording>, PageLinks) {
        (list.data.into_iter().map(Into::into).collect(), list.links)
    }
}

/// Adds `page_size` and the three ways to read a listing to a listing builder.
macro_rules! listing_methods {
    ($builder:ident, $item:ty) => {
        impl $builder {
            /// How many items each page holds, from 1 to 1000 (the server's default is 50).
            /// Another value fails the listing with [`Error::InvalidInput`] before any
            /// request.
            pub fn page_size(mut self, size: u32) -> Self {
                self.0.page_size(size);
                self
            }

            /// Every item of every page, page after page, following `links.next` until it is
            /// absent. One page is in memory at a time; the next is fetched when this one's
            /// items are consumed. The first error ends the stream.
            pub fn stream(self) -> BoxStream<'static, Result<$item, Error>> {
                self.0.stream()
            }

            /// Every page, one after the other (see [`Page`]); the first error ends the
            /// stream.
            pub fn pages(self) -> BoxStream<'static, Result<Page<$item>, Error>> {
                self.0.pages()
            }

            /// The first page; [`Page::next_page`] fetches the following ones.
            pub async fn send(self) -> Result<Page<$item>, Error> {
                self.0.send().await
            }
        }
    };
}

/// A listing of room sessions, from [`Client::room_sessions`]: filters, then
/// [`stream`](Self::stream), [`pages`](Self::pages) or [`send`](Self::send).
#[derive(Clone, Debug)]
#[must_use = "a listing sends nothing until it is read with .stream(), .pages() or .send()"]
pub struct ListRoomSessions(Request<SessionsListing>);

listing_methods!(ListRoomSessions, RoomSession);

impl ListRoomSessions {
    /// Only the sessions of the room with this id (a [`Uuid`] or a string holding one).
    pub fn room_id(mut self, room_id: impl IntoUuid) -> Self {
        match parse_id(room_id, "room_id") {
            Ok(id) => self.0.listing.room_id = Some(id),
            Err((parameter, reason)) => self.0.refuse(parameter, reason),
        }
        self
    }

    /// Only the sessions of the room with exactly this name.
    pub fn room_name(mut self, name: impl Into<String>) -> Self {
        self.0.listing.room_name = Some(name.into());
        self
    }

    /// Only the sessions of rooms whose name contains this text.
    pub fn room_name_matches(mut self, text: impl Into<String>) -> Self {
        self.0.listing.room_name_matches = Some(text.into());
        self
    }

    /// Only the sessions in this state; a state this client does not know can be given as
    /// `SessionStatus::Other(..)` or a string.
    pub fn status(mut self, status: impl Into<SessionStatus>) -> Self {
        self.0.listing.status = Some(status.into());
        self
    }
}

/// A listing of a room session's members, from [`Client::room_session_members`].
#[derive(Clone, Debug)]
#[must_use = "a listing sends nothing until it is read with .stream(), .pages() or .send()"]
pub struct ListRoomSessionMembers(Request<MembersListing>);

listing_methods!(ListRoomSessionMembers, RoomSessionMember);

/// A listing of a room session's events, from [`Client::room_session_events`].
#[derive(Clone, Debug)]
#[must_use = "a listing sends nothing until it is read with .stream(), .pages() or .send()"]
pub struct ListRoomSessionEvents(Request<EventsListing>);

listing_methods!(ListRoomSessionEvents, RoomSessionEvent);

/// A listing of a room session's recordings, from [`Client::room_session_recordings`].
#[derive(Clone, Debug)]
#[must_use = "a listing sends nothing until it is read with .stream(), .pages() or .send()"]
pub struct ListRoomSessionRecordings(Request<RecordingsListing>);

listing_methods!(ListRoomSessionRecordings, RoomSessionRecording);

impl ListRoomSessionRecordings {
    /// How many seconds the recordings' media links (`uri`) stay valid (the server's default
    /// is 900).
    ///
    /// The API takes at most `i32::MAX` seconds (about 68 years); a larger value fails the
    /// listing with [`Error::InvalidInput`] before any request.
    pub fn media_ttl(mut self, seconds: u64) -> Self {
        match i32::try_from(seconds) {
            Ok(seconds) => self.0.listing.media_ttl = Some(seconds),
            Err(_) => self.0.refuse(
                "media_ttl",
                format!("it must be at most {} seconds, not {seconds}", i32::MAX),
            ),
        }
        self
    }
}
