//! The four listings: their builders (filters, paging options, and the three ways to read
//! them), and how each sends a page's request through the generated builder.

use std::future::Future;
use std::sync::Arc;

use futures::stream::BoxStream;
use room_sessions_api::Client as ApiClient;
use room_sessions_api::tolerant::SessionStatus;
use room_sessions_api::types::{self, PageLinks};
use uuid::Uuid;

use crate::error::{Error, InvalidInput};
use crate::id::{IntoUuid, parse_id};
use crate::models::{RoomSession, RoomSessionEvent, RoomSessionMember, RoomSessionRecording};
use crate::paginate::{Listing, Page, PageQuery, Request};
use crate::transport::{ApiResult, Transport};

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

/// Declares the listing of a session's children (members, events) that has only paging
/// parameters: the id of the session.
macro_rules! child_listing {
    ($name:ident, $item:ty, $list:ty, $operation:literal, $method:ident, $segment:literal) => {
        #[derive(Clone, Debug, Hash)]
        pub(crate) struct $name {
            session: Uuid,
        }

        impl Listing for $name {
            type Item = $item;
            type List = $list;
            const OPERATION: &'static str = $operation;

            fn endpoint(&self) -> String {
                format!("/room_sessions/{}/{}", self.session, $segment)
            }

            fn set_from_link(&mut self, _key: &str, _value: &str) -> Result<bool, String> {
                Ok(false)
            }

            fn send(
                self,
                api: &ApiClient,
                query: PageQuery,
            ) -> impl Future<Output = ApiResult<Self::List>> + Send + '_ {
                with_page_query!(api.$method().id(self.session), query).send()
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
    session: Uuid,
    media_ttl: Option<i32>,
}

impl Listing for RecordingsListing {
    type Item = RoomSessionRecording;
    type List = types::RoomSessionRecordingList;
    const OPERATION: &'static str = "list_room_session_recordings";

    fn endpoint(&self) -> String {
        format!("/room_sessions/{}/recordings", self.session)
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
        let mut request = api.list_room_session_recordings().id(self.session);
        if let Some(ttl) = self.media_ttl {
            request = request.media_ttl(ttl);
        }
        with_page_query!(request, query).send()
    }

    fn split(list: Self::List) -> (Vec<RoomSessionRecording>, PageLinks) {
        (list.data.into_iter().map(Into::into).collect(), list.links)
    }
}

/// Adds the paging options and the three ways to read a listing to a listing builder.
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

            /// The most pages the listing fetches (at least 1; default
            /// [`DEFAULT_MAX_PAGES`](crate::DEFAULT_MAX_PAGES)). A server that names a page
            /// past it ends the listing with [`Error::RefusedLink`]
            /// ([`LinkRefusal::PageLimit`](crate::LinkRefusal::PageLimit)): it is a safety
            /// bound, not a way to read the first pages (take from the stream for that).
            pub fn max_pages(mut self, limit: usize) -> Self {
                self.0.max_pages(limit);
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

/// A listing of room sessions, from [`Client::room_sessions`](crate::Client::room_sessions):
/// filters, then [`stream`](Self::stream), [`pages`](Self::pages) or [`send`](Self::send).
#[derive(Clone, Debug)]
#[must_use = "a listing sends nothing until it is read with .stream(), .pages() or .send()"]
pub struct ListRoomSessions(Request<SessionsListing>);

listing_methods!(ListRoomSessions, RoomSession);

impl ListRoomSessions {
    pub(crate) fn new(transport: &Arc<Transport>) -> Self {
        Self(Request::new(transport, Ok(SessionsListing::default())))
    }

    /// Only the sessions of the room with this id (a [`Uuid`] or a string holding one).
    pub fn room_id(mut self, room_id: impl IntoUuid) -> Self {
        match parse_id(room_id, "room_id") {
            Ok(id) => {
                if let Some(listing) = self.0.listing_mut() {
                    listing.room_id = Some(id);
                }
            }
            Err(invalid) => self.0.refuse(invalid),
        }
        self
    }

    /// Only the sessions of the room with exactly this name.
    pub fn room_name(mut self, name: impl Into<String>) -> Self {
        if let Some(listing) = self.0.listing_mut() {
            listing.room_name = Some(name.into());
        }
        self
    }

    /// Only the sessions of rooms whose name contains this text.
    pub fn room_name_matches(mut self, text: impl Into<String>) -> Self {
        if let Some(listing) = self.0.listing_mut() {
            listing.room_name_matches = Some(text.into());
        }
        self
    }

    /// Only the sessions in this state; a state this client does not know can be given as
    /// `SessionStatus::Other(..)` or a string.
    pub fn status(mut self, status: impl Into<SessionStatus>) -> Self {
        if let Some(listing) = self.0.listing_mut() {
            listing.status = Some(status.into());
        }
        self
    }
}

/// A listing of a room session's members, from
/// [`Client::room_session_members`](crate::Client::room_session_members).
#[derive(Clone, Debug)]
#[must_use = "a listing sends nothing until it is read with .stream(), .pages() or .send()"]
pub struct ListRoomSessionMembers(Request<MembersListing>);

listing_methods!(ListRoomSessionMembers, RoomSessionMember);

impl ListRoomSessionMembers {
    pub(crate) fn new(transport: &Arc<Transport>, id: impl IntoUuid) -> Self {
        let listing = parse_id(id, "room session id").map(|session| MembersListing { session });
        Self(Request::new(transport, listing))
    }
}

/// A listing of a room session's events, from
/// [`Client::room_session_events`](crate::Client::room_session_events).
#[derive(Clone, Debug)]
#[must_use = "a listing sends nothing until it is read with .stream(), .pages() or .send()"]
pub struct ListRoomSessionEvents(Request<EventsListing>);

listing_methods!(ListRoomSessionEvents, RoomSessionEvent);

impl ListRoomSessionEvents {
    pub(crate) fn new(transport: &Arc<Transport>, id: impl IntoUuid) -> Self {
        let listing = parse_id(id, "room session id").map(|session| EventsListing { session });
        Self(Request::new(transport, listing))
    }
}

/// A listing of a room session's recordings, from
/// [`Client::room_session_recordings`](crate::Client::room_session_recordings).
#[derive(Clone, Debug)]
#[must_use = "a listing sends nothing until it is read with .stream(), .pages() or .send()"]
pub struct ListRoomSessionRecordings(Request<RecordingsListing>);

listing_methods!(ListRoomSessionRecordings, RoomSessionRecording);

impl ListRoomSessionRecordings {
    pub(crate) fn new(transport: &Arc<Transport>, id: impl IntoUuid) -> Self {
        let listing = parse_id(id, "room session id").map(|session| RecordingsListing {
            session,
            media_ttl: None,
        });
        Self(Request::new(transport, listing))
    }

    /// How many seconds the recordings' media links (`uri`) stay valid (the server's default
    /// is 900).
    ///
    /// The API takes at most `i32::MAX` seconds (about 68 years); a larger value fails the
    /// listing with [`Error::InvalidInput`] before any request.
    pub fn media_ttl(mut self, seconds: u64) -> Self {
        match i32::try_from(seconds) {
            Ok(seconds) => {
                if let Some(listing) = self.0.listing_mut() {
                    listing.media_ttl = Some(seconds);
                }
            }
            Err(_) => self.0.refuse(InvalidInput::new(
                "media_ttl",
                format!("it must be at most {} seconds, not {seconds}", i32::MAX),
            )),
        }
        self
    }
}
