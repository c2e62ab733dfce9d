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

#[cfg(feature = "mocks")]
mod mount;

use room_sessions_api::types::{
    PageLinks, RoomSession, RoomSessionEvent, RoomSessionEventList, RoomSessionList,
    RoomSessionMember, RoomSessionMemberList, RoomSessionRecording, RoomSessionRecordingList,
};
use serde::Serialize;

#[cfg(feature = "mocks")]
pub use mount::*;

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
