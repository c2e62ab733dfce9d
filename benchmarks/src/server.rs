//! The local HTTP server of the request and paging benchmarks: HTTP/1.1 on 127.0.0.1, on a
//! runtime (and threads) of its own, answering from bytes serialized in advance so that it
//! costs as little as it can. The same server answers the wrapper and raw `reqwest`.
//!
//! - `GET /api/video/room_sessions/{id}`: one realistic room session (the same bytes every
//!   time).
//! - `GET /api/video/room_sessions?page_number=N[&page_size=S]`: page `N` of a listing of
//!   [`ServerConfig::pages`] pages of [`ServerConfig::page_size`] sessions, whatever page size
//!   the client asks for; `links.next` names page `N + 1` (an absolute URL carrying the
//!   requested page size, as SignalWire's do) until the last page.
//!
//! It counts the connections it accepts, so that a client opening a connection per request
//! shows, and the requests it answers. In an outage ([`ServerConfig::outage`]) it answers
//! every request with `503 Service Unavailable`, so that the requests a client sends per call
//! show how much its retries amplify the outage.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

use crate::fixtures;

/// What the server serves and how many threads it gets.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The number of pages of the room sessions listing.
    pub pages: usize,
    /// The number of sessions on each page.
    pub page_size: usize,
    /// Keep each page once serialized (fast answers, memory in this process) rather than
    /// serialize it each time it is asked for (for listings too large to hold).
    pub cache_pages: bool,
    /// Worker threads of the server's own runtime; 0 runs the server on the runtime the
    /// caller is in instead (`Server::start` must then be called inside it), sharing its
    /// threads with the client.
    pub threads: usize,
    /// Answer every request with `503 Service Unavailable` (without `Retry-After`): a server
    /// in an outage, whose only answer is the transient failure clients retry.
    pub outage: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            pages: 1,
            page_size: 1000,
            cache_pages: true,
            threads: 1,
            outage: false,
        }
    }
}

/// A running local server; it stops when dropped.
pub struct Server {
    addr: SocketAddr,
    counters: Arc<Counters>,
    runtime: Option<tokio::runtime::Runtime>,
    accept: tokio::task::JoinHandle<()>,
}

#[derive(Default)]
struct Counters {
    connections: AtomicU64,
    requests: AtomicU64,
}

struct Routes {
    base: String,
    session: Bytes,
    config: ServerConfig,
    /// Pages already serialized, by number and the page size their links carry.
    cache: Mutex<HashMap<(usize, Option<u32>), Bytes>>,
}

impl Routes {
    fn page(&self, number: usize, page_size: Option<u32>) -> Option<Bytes> {
        if number >= self.config.pages {
            return None;
        }
        let key = (number, page_size);
        if self.config.cache_pages
            && let Some(page) = self.cache.lock().expect("the page cache").get(&key)
        {
            return Some(page.clone());
        }
        let page = fixtures::page_body(
            &self.base,
            number,
            self.config.pages,
            self.config.page_size,
            page_size,
        );
        if self.config.cache_pages {
            self.cache
                .lock()
                .expect("the page cache")
                .insert(key, page.clone());
        }
        Some(page)
    }
}

impl Server {
    /// Starts a server on 127.0.0.1 with an OS-chosen port.
    pub fn start(config: ServerConfig) -> Server {
        let runtime = (config.threads > 0).then(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(config.threads)
                .thread_name("bench-server")
                .enable_all()
                .build()
                .expect("the server's runtime starts")
        });
        let handle = match &runtime {
            Some(runtime) => runtime.handle().clone(),
            None => tokio::runtime::Handle::try_current()
                .expect("Server::start with threads: 0 inside a runtime"),
        };
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let addr = listener.local_addr().expect("the bound address");
        let base = format!("http://{addr}/api/video");
        let routes = Arc::new(Routes {
            base,
            session: fixtures::session_body(0),
            config,
            cache: Mutex::default(),
        });
        let counters = Arc::new(Counters::default());
        let listener = {
            let _entered = handle.enter();
            tokio::net::TcpListener::from_std(listener).expect("a tokio listener")
        };
        let accept = handle.spawn(accept(listener, routes, counters.clone()));
        Server {
            addr,
            counters,
            runtime,
            accept,
        }
    }

    /// The API's base URL on this server, such as `http://127.0.0.1:4000/api/video`.
    pub fn base_url(&self) -> String {
        format!("http://{}/api/video", self.addr)
    }

    /// The connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.counters.connections.load(Ordering::Relaxed)
    }

    /// The requests answered so far.
    pub fn requests(&self) -> u64 {
        self.counters.requests.load(Ordering::Relaxed)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.accept.abort();
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

async fn accept(listener: tokio::net::TcpListener, routes: Arc<Routes>, counters: Arc<Counters>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        counters.connections.fetch_add(1, Ordering::Relaxed);
        let routes = routes.clone();
        let counters = counters.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request: Request<Incoming>| {
                counters.requests.fetch_add(1, Ordering::Relaxed);
                let response = answer(&routes, &request);
                async move { Ok::<_, Infallible>(response) }
            });
            // A client closing its connection ends this; nothing to report.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The value of `key` in a query string.
fn query_value<'q>(query: &'q str, key: &str) -> Option<&'q str> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

fn answer(routes: &Routes, request: &Request<Incoming>) -> Response<Full<Bytes>> {
    if routes.config.outage {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            br#"{"error":"Service Unavailable"}"#,
        );
    }
    let path = request.uri().path();
    let body = if path == "/api/video/room_sessions" {
        let query = request.uri().query().unwrap_or("");
        let number = query_value(query, "page_number")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let page_size = query_value(query, "page_size").and_then(|s| s.parse().ok());
        routes.page(number, page_size)
    } else if path.starts_with("/api/video/room_sessions/") {
        Some(routes.session.clone())
    } else {
        None
    };
    match body {
        Some(body) => {
            let mut response = Response::new(Full::new(body));
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        None => error(StatusCode::NOT_FOUND, br#"{"error":"Not Found"}"#),
    }
}

/// A response of `status` with a short JSON `body`.
fn error(status: StatusCode, body: &'static [u8]) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(body)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
