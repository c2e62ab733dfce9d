//! Mounting a listing's pages as typed mocks (the `mocks` feature).

use httpmock::{Mock, MockServer};
use room_sessions_api::types::{
    RoomSession, RoomSessionEvent, RoomSessionMember, RoomSessionRecording,
};
use uuid::Uuid;

use super::{ListItem, PAGE_TOKEN, page_links};
use crate::generated::MockServerExt;
use crate::generated::operations::{
    ListRoomSessionEventsWhen, ListRoomSessionMembersWhen, ListRoomSessionRecordingsWhen,
    ListRoomSessionsWhen,
};

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
/// use room_sessions_api::types::{RoomSession, RoomSessionList};
/// use room_sessions_httpmock::{paging, values};
///
/// let server = httpmock::MockServer::start_async().await;
/// let sessions: Vec<RoomSession> = (0..5u128)
///     .map(|n| RoomSession { id: uuid::Uuid::from_u128(n + 1), ..values::session_listed() })
///     .collect();
/// let pages = paging::mount_room_sessions(&server, &sessions, 2);
///
/// let first: RoomSessionList =
///     reqwest::get(server.url("/room_sessions")).await.unwrap().json().await.unwrap();
/// let second: RoomSessionList =
///     reqwest::get(first.links.next.unwrap()).await.unwrap().json().await.unwrap();
///
/// assert_eq!(pages.len(), 3);
/// assert_eq!(pages.fetches(), [1, 1, 0]);
/// assert_eq!(second.data, sessions[2..4]);
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
