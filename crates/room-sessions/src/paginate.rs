//! Pages of a listing, and following `links.next` safely.
//!
//! A listing starts with the request the caller built. Each page names the next one in
//! `links.next` (an absolute URL or a path), absent on the last page. The client resolves the
//! link against the configured base URL, refuses one that leaves the configured origin or
//! the listing's endpoint, reads the link's query (`page_number`, `page_size`, `page_token` and
//! the filters) and sends it through the generated builder of the same operation: the
//! generated code builds every request.
//!
//! Three guards keep a misbehaving server from paging forever:
//! - a link that leads back to a page already fetched ends the listing
//!   ([`LinkRefusal::Repeated`]). The listing remembers a 64-bit fingerprint of each page's
//!   request, the most recent [`SEEN_WINDOW`] of them, so that its memory stays bounded however
//!   long the listing;
//! - [`MAX_EMPTY_PAGES`] pages in a row without items that still name a next page end it
//!   ([`LinkRefusal::EmptyPages`]);
//! - a listing fetches at most `max_pages` pages ([`LinkRefusal::PageLimit`]; default
//!   [`DEFAULT_MAX_PAGES`]).
//!
//! A link refused once stays refused: asking its page for the next one again gives the same
//! error, not a second chance.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::hash::{BuildHasher, Hash, RandomState};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use reqwest::Url;
use room_sessions_api::Client as ApiClient;
use room_sessions_api::types::PageLinks;
use serde::de::DeserializeOwned;

use crate::error::{Error, InvalidInput, LinkRefusal};
use crate::transport::{ApiResult, Transport};

/// How many pages in a row may come without items while still naming a next page before the
/// listing ends with [`LinkRefusal::EmptyPages`].
pub const MAX_EMPTY_PAGES: usize = 3;

/// The most pages a listing fetches unless its `max_pages` says otherwise: 100,000 pages, 5
/// million items at the server's default page size of 50.
pub const DEFAULT_MAX_PAGES: usize = 100_000;

/// How many of a listing's most recent page requests are remembered to catch a link that
/// loops back (a loop longer than this ends at the page limit instead).
pub const SEEN_WINDOW: usize = 4096;

/// The paging parameters of one page's request.
#[derive(Clone, Debug, Default, Hash, PartialEq, Eq)]
pub(crate) struct PageQuery {
    pub(crate) page_number: Option<i32>,
    pub(crate) page_size: Option<NonZeroU32>,
    pub(crate) page_token: Option<String>,
}

/// One list operation: its filters, and how to send a page's request with the generated
/// builder.
pub(crate) trait Listing: Clone + Hash + fmt::Debug + Send + Sync + 'static {
    /// The wrapped item.
    type Item: Send + Sync + 'static;
    /// The generated page type.
    type List: DeserializeOwned + Send + 'static;
    /// The generated operation's name.
    const OPERATION: &'static str;

    /// The path of the endpoint below the base URL, such as `/room_sessions`.
    fn endpoint(&self) -> String;

    /// Takes a filter from a `links.next` query: `Ok(true)` if `key` is one of the listing's
    /// filters, `Ok(false)` if it is unknown (ignored), `Err` if its value is invalid.
    fn set_from_link(&mut self, key: &str, value: &str) -> Result<bool, String>;

    /// Sends a page's request through the generated builder.
    fn send(
        self,
        api: &ApiClient,
        query: PageQuery,
    ) -> impl Future<Output = ApiResult<Self::List>> + Send + '_;

    /// The items and links of a page.
    fn split(list: Self::List) -> (Vec<Self::Item>, PageLinks);
}

/// One page of a listing: its items and links, and the way to the next page.
///
/// Get the first page with a listing's `send()`, the following ones with
/// [`next_page`](Self::next_page); or all of them with the listing's `pages()` stream.
///
/// ```no_run
/// # async fn run(client: room_sessions::Client) -> Result<(), room_sessions::Error> {
/// let mut page = client.room_sessions().page_size(100).send().await?;
/// loop {
///     for session in page.items() {
///         println!("{}", session.id);
///     }
///     match page.next_page().await? {
///         Some(next) => page = next,
///         None => break,
///     }
/// }
/// # Ok(())
/// # }
/// ```
pub struct Page<T> {
    items: Vec<T>,
    links: PageLinks,
    number: usize,
    next: Option<Arc<dyn FetchNext<T>>>,
    /// For `Debug`, which shows the links as errors show server text: redacted.
    transport: Arc<Transport>,
}

impl<T: Clone> Clone for Page<T> {
    fn clone(&self) -> Self {
        Self {
            items: self.items.clone(),
            links: self.links.clone(),
            number: self.number,
            next: self.next.clone(),
            transport: self.transport.clone(),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Page<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let link = |link: &Option<String>| {
            link.as_deref()
                .map(|l| self.transport.redactor.server_text(l))
        };
        let PageLinks {
            first,
            next,
            prev,
            self_,
        } = &self.links;
        f.debug_struct("Page")
            .field("number", &self.number)
            .field("items", &self.items)
            .field(
                "links",
                &PageLinks {
                    first: link(first),
                    next: link(next),
                    prev: link(prev),
                    self_: link(self_),
                },
            )
            .finish()
    }
}

impl<T> Page<T> {
    /// The items of this page.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The items of this page, owned.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// The page's links as the server sent them (`self`, `first`, `next`, `prev`).
    pub fn links(&self) -> &PageLinks {
        &self.links
    }

    /// The page's position in this listing: 0 for the first page fetched, then 1, 2, ...
    pub fn number(&self) -> usize {
        self.number
    }

    /// Whether the server names a next page (`links.next`).
    pub fn has_next(&self) -> bool {
        self.next.is_some()
    }

    /// Fetches the next page, or `None` after the last one.
    ///
    /// Fails with [`Error::RefusedLink`] when `links.next` points at another origin or
    /// endpoint, is malformed, leads back to a page already fetched in this listing, follows
    /// too many empty pages, or passes the listing's page limit; and with the error of the
    /// request when fetching fails. A refusal sticks: calling this again refuses again. A
    /// failed request may be tried again by calling this again.
    pub async fn next_page(&self) -> Result<Option<Page<T>>, Error> {
        match &self.next {
            Some(next) => next.fetch().await.map(Some),
            None => Ok(None),
        }
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Page<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// Fetches the page a `links.next` leads to.
trait FetchNext<T>: Send + Sync {
    fn fetch(&self) -> BoxFuture<'static, Result<Page<T>, Error>>;
}

/// The fingerprints of a listing's most recent page requests: a window of bounded size.
struct Seen {
    hasher: RandomState,
    order: VecDeque<u64>,
    set: HashSet<u64>,
}

/// What the pages of one listing share: the pages already asked for.
struct LoopGuard {
    seen: Mutex<Seen>,
}

impl LoopGuard {
    fn new() -> Self {
        Self {
            seen: Mutex::new(Seen {
                hasher: RandomState::new(),
                order: VecDeque::new(),
                set: HashSet::new(),
            }),
        }
    }

    fn seen(&self) -> MutexGuard<'_, Seen> {
        self.seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Remembers a page's request; `false` if it is among the recent ones already.
    fn insert<L: Listing>(&self, listing: &L, query: &PageQuery) -> bool {
        let mut seen = self.seen();
        let fingerprint = seen.hasher.hash_one((L::OPERATION, listing, query));
        if !seen.set.insert(fingerprint) {
            return false;
        }
        seen.order.push_back(fingerprint);
        if seen.order.len() > SEEN_WINDOW
            && let Some(oldest) = seen.order.pop_front()
        {
            seen.set.remove(&oldest);
        }
        true
    }
}

/// The way from a page to the next: the link, and the listing it belongs to.
struct NextLink<L: Listing> {
    transport: Arc<Transport>,
    guard: Arc<LoopGuard>,
    listing: L,
    /// The query of the page whose link this is (its page size carries over).
    query: PageQuery,
    link: String,
    /// The number of the page the link leads to.
    number: usize,
    /// How many pages in a row, up to the one that carries this link, had no items.
    empty_run: usize,
    max_pages: usize,
    /// Whether the link may be followed (the listing and query it leads to), or why not:
    /// decided on the first fetch, and kept.
    decided: OnceLock<Result<(L, PageQuery), LinkRefusal>>,
}

impl<L: Listing> NextLink<L> {
    fn refuse(&self, reason: LinkRefusal) -> Error {
        Error::RefusedLink {
            link: self.transport.redactor.server_text(&self.link),
            reason,
        }
    }

    /// The listing and query of the next page, or why the link is not followed.
    fn check(&self) -> Result<(L, PageQuery), LinkRefusal> {
        if self.number >= self.max_pages {
            return Err(LinkRefusal::PageLimit {
                limit: self.max_pages,
            });
        }
        if self.empty_run >= MAX_EMPTY_PAGES {
            return Err(LinkRefusal::EmptyPages {
                count: self.empty_run,
            });
        }
        let (listing, query) = follow(&self.transport, &self.listing, &self.query, &self.link)?;
        if !self.guard.insert(&listing, &query) {
            return Err(LinkRefusal::Repeated);
        }
        Ok((listing, query))
    }

    /// The listing and query of the next page; checked once, and the answer kept.
    fn admit(&self) -> Result<(L, PageQuery), Error> {
        match self.decided.get_or_init(|| self.check()) {
            Ok((listing, query)) => Ok((listing.clone(), query.clone())),
            Err(reason) => Err(self.refuse(reason.clone())),
        }
    }
}

impl<L: Listing> FetchNext<L::Item> for NextLink<L> {
    fn fetch(&self) -> BoxFuture<'static, Result<Page<L::Item>, Error>> {
        let admitted = self.admit();
        let transport = self.transport.clone();
        let guard = self.guard.clone();
        let (number, empty_run, max_pages) = (self.number, self.empty_run, self.max_pages);
        Box::pin(async move {
            let (listing, query) = admitted?;
            let position = Position {
                number,
                empty_run,
                max_pages,
            };
            fetch_page(transport, guard, listing, query, position).await
        })
    }
}

/// The listing and query a link of a listing asks for: the link's parameters, with the page
/// size and the filters of `listing` and `query` where the link does not give them.
fn follow<L: Listing>(
    transport: &Transport,
    listing: &L,
    query: &PageQuery,
    link: &str,
) -> Result<(L, PageQuery), LinkRefusal> {
    let url = resolve_link(&transport.base_url, link)?;
    let endpoint = listing.endpoint();
    if !url.path().trim_end_matches('/').ends_with(&endpoint) {
        return Err(LinkRefusal::WrongEndpoint { expected: endpoint });
    }
    let mut listing = listing.clone();
    let mut query = PageQuery {
        page_size: query.page_size,
        ..PageQuery::default()
    };
    for (key, value) in url.query_pairs() {
        // Redacted before `{:?}` escapes it, which would hide a secret from the redactor.
        let malformed = |what: &str| {
            let (key, value) = (
                transport.redactor.server_text(&key),
                transport.redactor.server_text(&value),
            );
            LinkRefusal::Malformed(format!("{key}={value:?} is not {what}"))
        };
        match &*key {
            "page_number" => {
                query.page_number = Some(
                    value
                        .parse::<i32>()
                        .ok()
                        .filter(|n| *n >= 0)
                        .ok_or_else(|| malformed("a page number"))?,
                );
            }
            "page_size" => {
                query.page_size = Some(value.parse().map_err(|_| malformed("a page size"))?);
            }
            "page_token" => query.page_token = Some(value.into_owned()),
            _ => match listing.set_from_link(&key, &value) {
                Ok(true) => {}
                Ok(false) => tracing::debug!(
                    operation = L::OPERATION,
                    parameter = %transport.redactor.server_text(&key),
                    "ignoring an unknown parameter of a page link"
                ),
                Err(what) => return Err(malformed(&what)),
            },
        }
    }
    Ok((listing, query))
}

/// Resolves `link` against the base URL and checks that it stays on the base URL's origin.
///
/// A path from the server's root (`/api/video/room_sessions?..`) and an absolute URL both
/// work; a relative path without a leading slash is taken relative to the base URL.
pub(crate) fn resolve_link(base: &Url, link: &str) -> Result<Url, LinkRefusal> {
    let mut directory = base.clone();
    let path = format!("{}/", base.path().trim_end_matches('/'));
    directory.set_path(&path);
    let url = directory
        .join(link.trim())
        .map_err(|e| LinkRefusal::Malformed(format!("not a URL or a path ({e})")))?;
    let same_origin = url.scheme() == base.scheme()
        && url.host_str() == base.host_str()
        && url.port_or_known_default() == base.port_or_known_default();
    if !same_origin {
        return Err(LinkRefusal::CrossOrigin {
            expected: base.origin().ascii_serialization(),
        });
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(LinkRefusal::Malformed("it holds credentials".to_owned()));
    }
    Ok(url)
}

/// Where a page stands in its listing.
#[derive(Clone, Copy)]
struct Position {
    /// The page's number, from 0.
    number: usize,
    /// How many pages in a row before this one had no items.
    empty_run: usize,
    max_pages: usize,
}

/// Fetches one page of `listing` and prepares the way to the next.
async fn fetch_page<L: Listing>(
    transport: Arc<Transport>,
    guard: Arc<LoopGuard>,
    listing: L,
    query: PageQuery,
    position: Position,
) -> Result<Page<L::Item>, Error> {
    let api = &transport.api;
    let list = transport
        .send(
            L::OPERATION,
            || listing.endpoint(),
            || listing.clone().send(api, query.clone()),
        )
        .await?;
    let (items, links) = L::split(list);
    // The page's own link counts as fetched too, so that a `next` leading back to it (the
    // first page, typically) is caught at once. A `self` that does not resolve is ignored.
    if let Some(Ok((own_listing, own_query))) = links
        .self_
        .as_deref()
        .map(|own| follow(&transport, &listing, &query, own))
    {
        guard.insert(&own_listing, &own_query);
    }
    let empty_run = if items.is_empty() {
        position.empty_run + 1
    } else {
        0
    };
    let next = links
        .next
        .as_deref()
        .map(str::trim)
        .filter(|link| !link.is_empty())
        .map(|link| {
            Arc::new(NextLink {
                transport: transport.clone(),
                guard: guard.clone(),
                listing: listing.clone(),
                query: query.clone(),
                link: link.to_owned(),
                number: position.number + 1,
                empty_run,
                max_pages: position.max_pages,
                decided: OnceLock::new(),
            }) as Arc<dyn FetchNext<L::Item>>
        });
    Ok(Page {
        items,
        links,
        number: position.number,
        next,
        transport,
    })
}

/// A listing's first request: the filters, the page size and limit, or the argument the
/// caller gave that was refused (returned when the listing is read, before any request).
#[derive(Clone, Debug)]
pub(crate) struct Request<L: Listing> {
    transport: Arc<Transport>,
    listing: Result<L, InvalidInput>,
    page_size: Option<NonZeroU32>,
    max_pages: usize,
}

impl<L: Listing> Request<L> {
    pub(crate) fn new(transport: &Arc<Transport>, listing: Result<L, InvalidInput>) -> Self {
        Self {
            transport: transport.clone(),
            listing,
            page_size: None,
            max_pages: DEFAULT_MAX_PAGES,
        }
    }

    /// The listing's filters, unless an argument was refused.
    pub(crate) fn listing_mut(&mut self) -> Option<&mut L> {
        self.listing.as_mut().ok()
    }

    /// Refuses an argument; the first refusal is the one reported.
    pub(crate) fn refuse(&mut self, invalid: InvalidInput) {
        if self.listing.is_ok() {
            self.listing = Err(invalid);
        }
    }

    pub(crate) fn page_size(&mut self, size: u32) {
        match NonZeroU32::new(size).filter(|s| s.get() <= 1000) {
            Some(size) => self.page_size = Some(size),
            None => self.refuse(InvalidInput::new(
                "page_size",
                format!("it must be from 1 to 1000, not {size}"),
            )),
        }
    }

    pub(crate) fn max_pages(&mut self, limit: usize) {
        if limit == 0 {
            self.refuse(InvalidInput::new("max_pages", "it must be at least 1"));
        } else {
            self.max_pages = limit;
        }
    }

    pub(crate) async fn send(self) -> Result<Page<L::Item>, Error> {
        let listing = self.listing?;
        let query = PageQuery {
            page_size: self.page_size,
            ..PageQuery::default()
        };
        let guard = Arc::new(LoopGuard::new());
        guard.insert(&listing, &query);
        let position = Position {
            number: 0,
            empty_run: 0,
            max_pages: self.max_pages,
        };
        fetch_page(self.transport, guard, listing, query, position).await
    }

    pub(crate) fn pages(self) -> BoxStream<'static, Result<Page<L::Item>, Error>> {
        enum Step<T> {
            First(BoxFuture<'static, Result<Page<T>, Error>>),
            Next(Page<T>),
            Done,
        }
        let first = Step::First(Box::pin(self.send()));
        stream::try_unfold(first, |step| async move {
            let page = match step {
                Step::First(first) => first.await?,
                Step::Next(previous) => match previous.next_page().await? {
                    Some(page) => page,
                    None => return Ok(None),
                },
                Step::Done => return Ok(None),
            };
            // Keep only the way to the next page, not the items handed out.
            let next = match &page.next {
                Some(next) => Step::Next(Page {
                    items: Vec::new(),
                    links: PageLinks {
                        first: None,
                        next: None,
                        prev: None,
                        self_: None,
                    },
                    number: page.number,
                    next: Some(next.clone()),
                    transport: page.transport.clone(),
                }),
                None => Step::Done,
            };
            Ok(Some((page, next)))
        })
        .boxed()
    }

    pub(crate) fn stream(self) -> BoxStream<'static, Result<L::Item, Error>> {
        self.pages()
            .map_ok(|page| stream::iter(page.into_items().into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://example.signalwire.com/api/video").unwrap()
    }

    #[test]
    fn links_resolve_as_absolute_urls_root_paths_and_relative_paths() {
        for link in [
            "https://example.signalwire.com/api/video/room_sessions?page_number=1",
            "https://EXAMPLE.signalwire.com:443/api/video/room_sessions?page_number=1",
            "/api/video/room_sessions?page_number=1",
            "room_sessions?page_number=1",
        ] {
            let url = resolve_link(&base(), link).unwrap();
            assert_eq!(
                url.as_str(),
                "https://example.signalwire.com/api/video/room_sessions?page_number=1",
                "{link}"
            );
        }
    }

    #[test]
    fn links_to_other_origins_are_refused() {
        for link in [
            "https://evil.example.com/api/video/room_sessions",
            "http://example.signalwire.com/api/video/room_sessions",
            "https://example.signalwire.com:8443/api/video/room_sessions",
            "//evil.example.com/api/video/room_sessions",
            "https://example.signalwire.com.evil.com/api/video/room_sessions",
        ] {
            assert!(
                matches!(
                    resolve_link(&base(), link),
                    Err(LinkRefusal::CrossOrigin { .. })
                ),
                "{link}"
            );
        }
        assert!(matches!(
            resolve_link(
                &base(),
                "https://user:pw@example.signalwire.com/api/video/room_sessions"
            ),
            Err(LinkRefusal::Malformed(_))
        ));
    }

    #[derive(Clone, Debug, Hash)]
    struct Numbered;

    impl Listing for Numbered {
        type Item = ();
        type List = room_sessions_api::types::RoomSessionList;
        const OPERATION: &'static str = "numbered";

        fn endpoint(&self) -> String {
            "/numbered".to_owned()
        }

        fn set_from_link(&mut self, _key: &str, _value: &str) -> Result<bool, String> {
            Ok(false)
        }

        #[allow(clippy::manual_async_fn)]
        fn send(
            self,
            _api: &ApiClient,
            _query: PageQuery,
        ) -> impl Future<Output = ApiResult<Self::List>> + Send + '_ {
            async { unreachable!("the guard is tested without requests") }
        }

        fn split(_list: Self::List) -> (Vec<()>, PageLinks) {
            unreachable!("the guard is tested without requests")
        }
    }

    #[test]
    fn the_loop_guard_forgets_beyond_its_window_and_stays_bounded() {
        let guard = LoopGuard::new();
        let page = |n: i32| PageQuery {
            page_number: Some(n),
            ..PageQuery::default()
        };
        for n in 0..1_000_000 {
            assert!(guard.insert(&Numbered, &page(n)), "page {n} is new");
        }
        let seen = guard.seen();
        assert_eq!(seen.order.len(), SEEN_WINDOW);
        assert_eq!(seen.set.len(), SEEN_WINDOW);
        drop(seen);
        // A recent page is caught; one beyond the window is not.
        assert!(!guard.insert(&Numbered, &page(999_999)));
        assert!(guard.insert(&Numbered, &page(0)));
    }
}
