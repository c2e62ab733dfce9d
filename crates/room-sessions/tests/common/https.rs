//! An HTTPS server on 127.0.0.1 whose certificate a certificate authority made for the run
//! signed: the client trusts it only when told to. It answers every request with the spec's
//! room session ([`values::session_current`]), and records what it accepted.

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use room_sessions_httpmock::values;

/// A request the server answered.
#[derive(Clone, Debug)]
pub struct Served {
    pub method: String,
    pub path: String,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
}

pub struct HttpsServer {
    /// `https://127.0.0.1:<port>`.
    pub base: String,
    /// `127.0.0.1:<port>`, as a proxy's `CONNECT` names it.
    pub authority: String,
    /// The PEM certificate of the authority that signed the server's certificate.
    pub authority_pem: String,
    connections: Arc<AtomicUsize>,
    served: Arc<Mutex<Vec<Served>>>,
}

impl HttpsServer {
    /// How many TCP connections it accepted, whether their handshake succeeded or not.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// The requests it answered (after a successful handshake).
    pub fn served(&self) -> Vec<Served> {
        self.served.lock().unwrap().clone()
    }
}

/// Starts a server whose certificate is valid for `names` (host names or IP addresses).
pub async fn https_server(names: &[&str]) -> HttpsServer {
    let authority_key = KeyPair::generate().unwrap();
    let mut authority = CertificateParams::new(Vec::<String>::new()).unwrap();
    authority.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    authority
        .distinguished_name
        .push(DnType::CommonName, "room-sessions test authority");
    let authority_cert = authority.self_signed(&authority_key).unwrap();
    let issuer = Issuer::new(authority, authority_key);

    let server_key = KeyPair::generate().unwrap();
    let names: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
    let server_cert = CertificateParams::new(names)
        .unwrap()
        .signed_by(&server_key, &issuer)
        .unwrap();

    // ring, whatever the client uses: the server is not under test.
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![
                server_cert.der().clone(),
                CertificateDer::from(authority_cert.der().to_vec()),
            ],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
        )
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let served = Arc::new(Mutex::new(Vec::new()));
    let (accepted, record) = (connections.clone(), served.clone());
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            accepted.fetch_add(1, Ordering::SeqCst);
            let (acceptor, record) = (acceptor.clone(), record.clone());
            tokio::spawn(async move {
                // A client that does not trust the certificate ends the handshake here.
                let Ok(tls) = acceptor.accept(socket).await else {
                    return;
                };
                let service = service_fn(move |request: Request<Incoming>| {
                    let record = record.clone();
                    async move {
                        record.lock().unwrap().push(Served {
                            method: request.method().to_string(),
                            path: request.uri().path().to_owned(),
                            authorization: request
                                .headers()
                                .get(hyper::header::AUTHORIZATION)
                                .map(|value| String::from_utf8_lossy(value.as_bytes()).into()),
                        });
                        let body = serde_json::to_vec(&values::session_current()).unwrap();
                        let response = Response::builder()
                            .header(hyper::header::CONTENT_TYPE, "application/json")
                            .body(Full::new(Bytes::from(body)))
                            .unwrap();
                        Ok::<_, Infallible>(response)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    HttpsServer {
        base: format!("https://{address}"),
        authority: address.to_string(),
        authority_pem: authority_cert.pem(),
        connections,
        served,
    }
}
