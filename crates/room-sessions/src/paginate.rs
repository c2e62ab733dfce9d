//! Pages of a listing, and following `links.next` safely.
//!
//! A listing starts with the request the caller built. Each page names the next one in
//! `links.next` (an absolute URL or a path), absent on the last page. The client resolves the
//! link against the configured base URL, refuses one that leaves the configured origin or
//! another endpoint, reads the link's query (`page_number`, `page_size`, `page_token` and the
//! filters) and sends it through the generated builder of the same operation: the generated
//! code builds every request. Each page's request is remembered (a 64-bit fingerprint per
//! page, no items), so a link that leads back to a page already fetched ends the listing with
//! an error instead of looping.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use reqwest::Url;
use room_sessions_api::types::{ErrorResponse, PageLinks};
use room_sessions_api::{Client as ApiClient, ResponseValue};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{Error, LinkRefusal};

/// The paging parameters of one page's request.
#[derive(Clone, Debug, Default, Hash, PartialEq, Eq)]
pub(crate) struct PageQuery {
    pub(crate) page_number: Option<i32>,
    pub(crate) page_size: Option<NonZeroU32>,
    pub(crate) page_token: Option<String>,
}

/// The result of a generated builder's `send`.
pub(crate) type ApiResult<T> = Result<ResponseValue<T>, room_sessions_api::Error<ErrorResponse>>;

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
}

impl<T: Clone> Clone for Page<T> {
    fn clone(&self) -> Self {
        Self {
            items: self.items.clone(),
            links: self.links.clone(),
            number: self.number,
            next: self.next.clone(),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Page<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Page")
            .field("number", &self.number)
            .field("items", &self.items)
            .field("links", &self.links)
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
    /// endpoint, is malformed, or leads back to a page already fetched in this listing.
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

/// The fingerprints of the requests of a listing's pages.
type Seen = Arc<Mutex<HashSet<u64>>>;

fn fingerprint<L: Listing>(listing: &L, query: &PageQuery) -> u64 {
    let mut hasher = DefaultHasher::new();
    L::OPERATION.hash(&mut hasher);
    listing.hash(&mut hasher);
    query.hash(&mut hasher);
    hasher.finish()
}

/// The way from a page to the next: the link, and the listing it belongs to.
struct NextLink<L: Listing> {
    client: Client,
    listing: L,
    /// The query of the page whose link this is (its page size carries over).
    query: PageQuery,
    link: String,
    number: usize,
    seen: Seen,
    /// Set once fetched: fetching the same link again (a caller calling `next_page` twice on
    /// a page) is not a loop.
    fetched: AtomicBool,
}

impl<L: Listing> NextLink<L> {
    fn refuse(&self, reason: LinkRefusal) -> Error {
        Error::RefusedLink {
            link: self.client.inner.redactor.redact(&self.link),
            reason,
        }
    }

    /// The listing and query the link asks for.
    fn resolve(&self) -> Result<(L, PageQuery), Error> {
        follow(
            &self.client.inner.base_url,
            &self.listing,
            &self.query,
            &self.link,
        )
        .map_err(|reason| self.refuse(reason))
    }
}

/// The listing and query a link of a listing asks for: the link's parameters, with the page
/// size and the filters of `listing` and `query` where the link does not give them.
fn follow<L: Listing>(
    base: &Url,
    listing: &L,
    query: &PageQuery,
    link: &str,
) -> Result<(L, PageQuery), LinkRefusal> {
    let url = resolve_link(base, link)?;
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
        let malformed =
            |what: &str| LinkRefusal::Malformed(format!("{key}={value:?} is not {what}"));
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
                    parameter = %key,
                    "ignoring an unknown parameter of a page link"
                ),
                Err(what) => return Err(malformed(&what)),
            },
        }
    }
    Ok((listing, query))
}

impl<L: Listing> FetchNext<L::Item> for NextLink<L> {
    fn fetch(&self) -> BoxFuture<'static, Result<Page<L::Item>, Error>> {
        let resolved = self.resolve().and_then(|(listing, query)| {
            let first_time = !self.fetched.swap(true, Ordering::SeqCst);
            if first_time {
                let fresh = self
                    .seen
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .insert(fingerprint(&listing, &query));
                if !fresh {
                    return Err(self.refuse(LinkRefusal::Repeated));
                }
            }
            Ok((listing, query))
        });
        let client = self.client.clone();
        let seen = self.seen.clone();
        let number = self.number;
        Box::pin(async move {
            let (listing, query) = resolved?;
            fetch_page(client, listing, query, seen, number).await
        })
    }
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

/// Fetches one page of `listing` and prepares the way to the next.
async fn fetch_page<L: Listing>(
    client: Client,
    listing: L,
    query: PageQuery,
    seen: Seen,
    number: usize,
) -> Result<Page<L::Item>, Error> {
    let api = &client.inner.api;
    let list = client
        .execute::<L::List, _, _>(L::OPERATION, || listing.clone().send(api, query.clone()))
        .await?;
    let (items, links) = L::split(list);
    // The page's own link counts as fetched too, so that a `next` leading back to it (the
    // first page, typically) is caught at once. A `self` that does not resolve is ignored.
    if let Some(Ok((own_listing, own_query))) = links
        .self_
        .as_deref()
        .map(|own| follow(&client.inner.base_url, &listing, &query, own))
    {
        seen.lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(fingerprint(&own_listing, &own_query));
    }
    let next = links
        .next
        .as_deref()
        .map(str::trim)
        .filter(|link| !link.is_empty())
        .map(|link| {
            Arc::new(NextLink {
                client: client.clone(),
                listing: listing.clone(),
                query: query.clone(),
                link: link.to_owned(),
                number: number + 1,
                seen: seen.clone(),
                fetched: AtomicBool::new(false),
            }) as Arc<dyn FetchNext<L::Item>>
        });
    Ok(Page {
        items,
        links,
        number,
        next,
    })
}

/// A listing's first request: the filters, the page size, or the parameter the caller gave
/// that was refused (reported when the listing is run, before any request).
#[derive(Clone, Debug)]
pub(crate) struct Request<L: Listing> {
    pub(crate) client: Client,
    pub(crate) listing: L,
    pub(crate) page_size: Option<NonZeroU32>,
    pub(crate) invalid: Option<(&'static str, String)>,
}

impl<L: Listing> Request<L> {
    pub(crate) fn new(client: &Client, listing: L) -> Self {
        Self {
            client: client.clone(),
            listing,
            page_size: None,
            invalid: None,
        }
    }

    /// Keeps the first refused parameter.
    pub(crate) fn refuse(&mut self, parameter: &'static str, reason: String) {
        self.invalid.get_or_insert((parameter, reason));
    }

    pub(crate) fn page_size(&mut self, size: u32) {
        match NonZeroU32::new(size).filter(|s| s.get() <= 1000) {
            Some(size) => self.page_size = Some(size),
            None => self.refuse(
                "page_size",
                format!("it must be from 1 to 1000, not {size}"),
            ),
        }
    }

    pub(crate) async fn send(self) -> Result<Page<L::Item>, Error> {
        if let Some((parameter, reason)) = self.invalid {
            return Err(Error::invalid_input(parameter, reason));
        }
        let query = PageQuery {
            page_size: self.page_size,
            ..PageQuery::default()
        };
        let seen: Seen = Arc::default();
        seen.lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(fingerprint(&self.listing, &query));
        fetch_page(self.client, self.listing, query, seen, 0).await
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
                    links: page.links.clone(),
                    number: page.number,
                    next: Some(next.clone()),
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
}
