//! A recording HTTP proxy on 127.0.0.1: it tunnels `CONNECT` requests to their target (as a
//! proxy does for `https`), refuses to forward anything else, and records every request it
//! received, headers included, so that a test can tell what went through it and what the
//! proxy could see.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use http_body_util::Empty;
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};

/// A request the proxy received.
#[derive(Clone, Debug)]
pub struct Proxied {
    pub method: String,
    /// The request target: `host:port` for `CONNECT`, an absolute URL for a forwarded request.
    pub target: String,
    /// Every header, as `name: value` lines.
    pub headers: String,
}

pub struct RecordingProxy {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    received: Arc<Mutex<Vec<Proxied>>>,
}

impl RecordingProxy {
    /// The requests it received so far.
    pub fn received(&self) -> Vec<Proxied> {
        self.received.lock().unwrap().clone()
    }
}

pub async fn recording_proxy() -> RecordingProxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let received = Arc::new(Mutex::new(Vec::new()));
    let record = received.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let record = record.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: Request<Incoming>| {
                    let record = record.clone();
                    async move { Ok::<_, Infallible>(proxy(request, &record)) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(socket), service)
                    .with_upgrades()
                    .await;
            });
        }
    });
    RecordingProxy {
        url: format!("http://{address}"),
        received,
    }
}

fn proxy(request: Request<Incoming>, record: &Mutex<Vec<Proxied>>) -> Response<Empty<Bytes>> {
    let headers = request
        .headers()
        .iter()
        .map(|(name, value)| format!("{name}: {}\n", String::from_utf8_lossy(value.as_bytes())))
        .collect();
    record.lock().unwrap().push(Proxied {
        method: request.method().to_string(),
        target: request.uri().to_string(),
        headers,
    });
    let status = match request.uri().authority() {
        Some(authority) if request.method() == Method::CONNECT => {
            let authority = authority.to_string();
            tokio::spawn(async move {
                let (Ok(upgraded), Ok(mut target)) = (
                    hyper::upgrade::on(request).await,
                    TcpStream::connect(authority).await,
                ) else {
                    return;
                };
                let _ =
                    tokio::io::copy_bidirectional(&mut TokioIo::new(upgraded), &mut target).await;
            });
            StatusCode::OK
        }
        // Plain-http requests must never come here: the client reaches those directly.
        _ => StatusCode::BAD_GATEWAY,
    };
    let mut response = Response::new(Empty::new());
    *response.status_mut() = status;
    response
}
