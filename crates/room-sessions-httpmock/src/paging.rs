//! Listings over several pages, as the API serves them: a test of code that streams mounts
//! N items over pages of M in one call.
//!
//! Each page is its own typed mock. The first page answers a request without a
//! `page_token`; page `k` after it answers `page_number=k&page_token=`[`PAGE_TOKEN`]. Every
//! page but the last names the next in `links.next` the way the API writes it: an absolute
//! URL with `page_number`, `page_size` and `page_token`, here on the mock server. The items
//! are served in pages of M whatever `page_size` the first request asks for; narrow the
//! first request with the `_with` variants' typed matcher.
//!
//! A request no page matches gets httpmock's 404, which the client reports as
//! `NotFound`: call [`Pages::assert_each_fetched_once`] at the end of a test, so a listing
//! that stopped early or asked for the wrong page fails with httpmock's diff instead.

use httpmock::{Mock, MockServer};
use room_sessions_api::types::{
    PageLinks, RoomSession, RoomSessionEvent, RoomSessionEventList, RoomSessionList,
    RoomSessionMember, RoomSessionMemberList, RoomSessionRecording, RoomSessionRecordingList,
};
use serde::Serialize;
use uuid::Uuid;

use crate::generated::MockServerExt;
use crate::generated::operations::{
    ListRoomSessionEventsWhen, ListRoomSessionMembersWhen, ListRoomSessionRecordingsWhen,
    ListRoomSessionsWhen,
};

/// The `page_token` of the pages after the first: the API's documented example token.
pub const PAGE_TOKEN: &str = "PAb3877c40da604998";

/// An item of a listing, and the page type that carries it.
pub trait ListItem: Clone + Serialize {
    /// The generated page type (`RoomSessionList`, ...).
    type List: Serialize;

    /// A page of `data` with `links`.
    fn page(data: Vec<Self>, links: PageLinks) -> Self::List;
}

macro_rules! list_item {
    ($item:ty => $list:ident) => {
        impl ListItem for $item {
            type List = $list;

            fn page(data: Vec<Self>, links: PageLinks) -> $list {
                $list { data, links }
            }
        }
    };
}

list_item!(RoomSession => RoomSessionList);
list_item!(RoomSessionMember => RoomSessionMemberList);
list_item!(RoomSessionEvent => RoomSessionEventList);
list_item!(RoomSessionRecording => RoomSessionRecordingList);

/// One page holding every item, with `self` and `first` links and no `next`: the answer of a
/// listing that fits in a page. `path` is the listing's path, such as `/room_sessions`.
///
/// ```
/// use room_sessions_httpmock::{paging, values};
///
/// let page = paging::single_page("/room_sessions", vec![values::session_listed()]);
/// assert_eq!(page.data.len(), 1);
/// assert_eq!(page.links.next, None);
/// ```
pub fn single_page<T: ListItem>(path: &str, items: Vec<T>) -> T::List {
    let size = items.len().max(1);
    T::page(items, page_links(path, &[], 0, size, false))
}

/// The links of page `number` (from 0) of a listing at `path` (`base` plus the listing's
/// path, such as `http://127.0.0.1:1234/room_sessions`, or a path alone) with pages of
/// `page_size`; `filters` are repeated in every link. Pages after the first carry
/// [`PAGE_TOKEN`]; `next` is there only if `has_next`.
pub fn page_links(
    path: &str,
    filters: &[(&str, String)],
    number: usize,
    page_size: usize,
    has_next: bool,
) -> PageLinks {
    let link = |number: usize| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("page_number", &number.to_string());
        query.append_pair("page_size", &page_size.to_string());
        if number > 0 {
            query.append_pair("page_token", PAGE_TOKEN);
        }
        for (key, value) in filters {
            query.append_pair(key, value);
        }
        format!("{path}?{}", query.finish())
    };
    PageLinks {
        self_: Some(link(number)),
        first: Some(link(0)),
        next: has_next.then(|| link(number + 1)),
        prev: number.checked_sub(1).map(link),
    }
}

/// Where a page sits in its listing: what its request must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PageRequest {
    /// The page's number, from 0.
    number: usize,
}

impl PageRequest {
    /// The `page_number` a request for this page carries: none for the first page (a
    /// listing starts without one), the number after it.
    fn page_number(self) -> Option<i32> {
        (self.number > 0).then(|| i32::try_from(self.number).expect("fewer than 2^31 pages"))
    }

    /// The `page_token` a request for this page carries: none for the first page,
    /// [`PAGE_TOKEN`] after it.
    fn page_token(self) -> Option<&'static str> {
        (self.number > 0).then_some(PAGE_TOKEN)
    }
}

/// The mocks of a paged listing, one per page, in order.
pub struct Pages<'a> {
    mocks: Vec<Mock<'a>>,
}

impl std::fmt::Debug for Pages<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("fetches", &self.fetches())
            .finish()
    }
}

impl<'a> Pages<'a> {
    /// The page mocks, first page first.
    pub fn mocks(&self) -> &[Mock<'a>] {
        &self.mocks
    }

    /// How many pages the listing has.
    pub fn len(&self) -> usize {
        self.mocks.len()
    }

    /// Always `false`: an empty listing is still one page (with no items).
    pub fn is_empty(&self) -> bool {
        self.mocks.is_empty()
    }

    /// How many times each page was fetched, first page first.
    pub fn fetches(&self) -> Vec<usize> {
        self.mocks.iter().map(Mock::calls).collect()
    }

    /// Panics, with httpmock's diff against the closest request it received, unless every
    /// page was fetched exactly once: a listing that stopped early, fetched a page twice or
    /// asked for a page the mocks do not serve (which the client sees as `NotFound`).
    pub fn assert_each_fetched_once(&self) {
        for mock in &self.mocks {
            mock.assert();
        }
    }

    /// [`assert_each_fetched_once`](Self::assert_each_fetched_once) for async tests.
    pub async fn assert_each_fetched_once_async(&self) {
        for mock in &self.mocks {
            mock.assert_async().await;
        }
    }
}

/// Splits `items` into pages of `page_size` (at least one page, possibly empty) and mounts
/// each with `mount`, which gets the page's request and body.
fn mount_pages<'a, T: ListItem>(
    server: &'a MockServer,
    path: &str,
    items: &[T],
    page_size: usize,
    mut mount: impl FnMut(PageRequest, T::List) -> Mock<'a>,
) -> Pages<'a> {
    assert!(page_size > 0, "a page holds at least one item");
    let url = server.url(path);
    let chunks: Vec<&[T]> = if items.is_empty() {
        vec![&[]]
    } else {
        items.chunks(page_size).collect()
    };
    let last = chunks.len() - 1;
    let mocks = chunks
        .into_iter()
        .enumerate()
        .map(|(number, chunk)| {
            let links = page_links(&url, &[], number, page_size, number < last);
            mount(PageRequest { number }, T::page(chunk.to_vec(), links))
        })
        .collect();
    Pages { mocks }
}

/// Mounts `sessions` as the room sessions listing, in pages of `page_size`.
///
/// ```
/// # async fn run() {
/// use futures::TryStreamExt;
/// use room_sessions_api::types::RoomSession;
/// use room_sessions_httpmock::{client, paging, values};
///
/// let server = httpmock::MockServer::start_async().await;
/// let sessions: Vec<RoomSession> = (0..5u128)
///     .map(|n| RoomSession { id: uuid::Uuid::from_u128(n + 1), ..values::session_listed() })
///     .collect();
/// let pages = paging::mount_room_sessions(&server, &sessions, 2);
///
/// let all: Vec<_> = client(&server).room_sessions().stream().try_collect().await.unwrap();
///
/// pages.assert_each_fetched_once();
/// assert_eq!(pages.len(), 3);
/// assert_eq!(all.len(), 5);
/// # }
/// # tokio::runtime::Runtime::new().unwrap().block_on(run());
/// ```
pub fn mount_room_sessions<'a>(
    server: &'a MockServer,
    sessions: &[RoomSession],
    page_size: usize,
) -> Pages<'a> {
    mount_room_sessions_with(server, sessions, page_size, |when| when)
}

/// [`mount_room_sessions`], with every page's matcher narrowed by `when` (a filter the
/// listing must send, such as `|when| when.status(&SessionStatus::InProgress)`).
pub fn mount_room_sessions_with<'a>(
    server: &'a MockServer,
    sessions: &[RoomSession],
    page_size: usize,
    when: impl Fn(ListRoomSessionsWhen) -> ListRoomSessionsWhen,
) -> Pages<'a> {
    mount_pages(
        server,
        "/room_sessions",
        sessions,
        page_size,
        |page, body| {
            server.list_room_sessions(|matcher, then| {
                let matcher = when(matcher).page_token(page.page_token());
                if let Some(number) = page.page_number() {
                    matcher.page_number(number);
                }
                then.ok(&body);
            })
        },
    )
}

/// Mounts `members` as the members listing of session `session`, in pages of `page_size`.
pub fn mount_members<'a>(
    server: &'a MockServer,
    session: Uuid,
    members: &[RoomSessionMember],
    page_size: usize,
) -> Pages<'a> {
    mount_members_with(server, session, members, page_size, |when| when)
}

/// [`mount_members`], with every page's matcher narrowed by `when`.
pub fn mount_members_with<'a>(
    server: &'a MockServer,
    session: Uuid,
    members: &[RoomSessionMember],
    page_size: usize,
    when: impl Fn(ListRoomSessionMembersWhen) -> ListRoomSessionMembersWhen,
) -> Pages<'a> {
    let path = format!("/room_sessions/{session}/members");
    mount_pages(server, &path, members, page_size, |page, body| {
        server.list_room_session_members(|matcher, then| {
            let matcher = when(matcher.id(&session)).page_token(page.page_token());
            if let Some(number) = page.page_number() {
                matcher.page_number(number);
            }
            then.ok(&body);
        })
    })
}

/// Mounts `events` as the events listing of session `session`, in pages of `page_size`.
pub fn mount_events<'a>(
    server: &'a MockServer,
    session: Uuid,
    events: &[RoomSessionEvent],
    page_size: usize,
) -> Pages<'a> {
    mount_events_with(server, session, events, page_size, |when| when)
}

/// [`mount_events`], with every page's matcher narrowed by `when`.
pub fn mount_events_with<'a>(
    server: &'a MockServer,
    session: Uuid,
    events: &[RoomSessionEvent],
    page_size: usize,
    when: impl Fn(ListRoomSessionEventsWhen) -> ListRoomSessionEventsWhen,
) -> Pages<'a> {
    let path = format!("/room_sessions/{session}/events");
    mount_pages(server, &path, events, page_size, |page, body| {
        server.list_room_session_events(|matcher, then| {
            let matcher = when(matcher.id(&session)).page_token(page.page_token());
            if let Some(number) = page.page_number() {
                matcher.page_number(number);
            }
            then.ok(&body);
        })
    })
}

/// Mounts `recordings` as the recordings listing of session `session`, in pages of
/// `page_size`.
pub fn mount_recordings<'a>(
    server: &'a MockServer,
    session: Uuid,
    recordings: &[RoomSessionRecording],
    page_size: usize,
) -> Pages<'a> {
    mount_recordings_with(server, session, recordings, page_size, |when| when)
}

/// [`mount_recordings`], with every page's matcher narrowed by `when` (such as
/// `|when| when.media_ttl(600)`).
pub fn mount_recordings_with<'a>(
    server: &'a MockServer,
    session: Uuid,
    recordings: &[RoomSessionRecording],
    page_size: usize,
    when: impl Fn(ListRoomSessionRecordingsWhen) -> ListRoomSessionRecordingsWhen,
) -> Pages<'a> {
    let path = format!("/room_sessions/{session}/recordings");
    mount_pages(server, &path, recordings, page_size, |page, body| {
        server.list_room_session_recordings(|matcher, then| {
            let matcher = when(matcher.id(&session)).page_token(page.page_token());
            if let Some(number) = page.page_number() {
                matcher.page_number(number);
            }
            then.ok(&body);
        })
    })
}
