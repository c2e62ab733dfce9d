//! The client's configuration: where the API is, the credentials, timeouts, limits,
//! retries, and the connection's TLS roots and proxies, checked by [`ClientBuilder::build`].

use std::fmt;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{Certificate, Proxy, Url};
use room_sessions_api::ClientOptions;

use crate::client::Client;
use crate::error::Error;
use crate::record::Recording;
use crate::retry::RetryPolicy;
use crate::secret::{Redactor, Secret};
use crate::transport::Transport;

/// The environment variable that names the SignalWire space.
pub const ENV_SPACE: &str = "SIGNALWIRE_SPACE";
/// The environment variable that holds the project id.
pub const ENV_PROJECT_ID: &str = "SIGNALWIRE_PROJECT_ID";
/// The environment variable that holds the API token.
pub const ENV_API_TOKEN: &str = "SIGNALWIRE_API_TOKEN";
/// The environment variable that overrides the base URL built from the space.
pub const ENV_BASE_URL: &str = "SIGNALWIRE_BASE_URL";

/// The default timeout of a whole request, response body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default timeout of making a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default bound on a response body: 32 MiB (a page of 1000 room sessions is about 1 MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = room_sessions_api::DEFAULT_MAX_RESPONSE_BYTES;

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
}

/// Configures and builds a [`Client`]; start with [`Client::builder`] or
/// [`ClientBuilder::from_env`].
///
/// It needs where the API is (a [`space`](Self::space) or a [`base_url`](Self::base_url)), a
/// [`project_id`](Self::project_id) and an [`api_token`](Self::api_token); the rest has
/// defaults. [`build`](Self::build) checks it all and says what is missing or wrong.
///
/// ```
/// use std::time::Duration;
/// use room_sessions::Client;
///
/// let client = Client::builder()
///     .space("example")
///     .project_id("b3877c40-da60-4998-90ad-b792e98472af")
///     .api_token("PT-not-a-real-token")
///     .timeout(Duration::from_secs(10))
///     .max_attempts(5)
///     .build()?;
/// assert_eq!(client.base_url().as_str(), "https://example.signalwire.com/api/video");
/// // The token shows nowhere.
/// assert!(!format!("{client:?}").contains("PT-not-a-real-token"));
/// # Ok::<(), room_sessions::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct ClientBuilder {
    space: Option<String>,
    base_url: Option<String>,
    project_id: Option<String>,
    api_token: Option<Secret>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_response_bytes: Option<usize>,
    retry: RetryPolicy,
    user_agent: Option<String>,
    root_certificates: Vec<Certificate>,
    proxies: Vec<Proxy>,
    http_client: Option<reqwest::Client>,
    recording: Option<RecordTo>,
    /// Problems found while reading the environment, reported by `build`.
    env_problems: Vec<String>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("space", &self.space)
            .field("base_url", &self.base_url.as_deref().map(without_userinfo))
            .field("project_id", &self.project_id)
            .field("api_token", &self.api_token.as_ref().map(|_| "***"))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("root_certificates", &self.root_certificates.len())
            // A proxy's URL can hold its credentials.
            .field("proxies", &self.proxies.len())
            .field("http_client", &self.http_client.as_ref().map(|_| ".."))
            .field("recording", &self.recording)
            .finish()
    }
}

impl ClientBuilder {
    /// An empty builder (the same as [`Client::builder`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder filled from the environment: `SIGNALWIRE_SPACE`, `SIGNALWIRE_PROJECT_ID`,
    /// `SIGNALWIRE_API_TOKEN`, and `SIGNALWIRE_BASE_URL`, which overrides the URL built from
    /// the space. Unset or empty variables leave the option unset; further calls can change
    /// any option before [`build`](Self::build).
    pub fn from_env() -> Self {
        Self::from_lookup(|name| match std::env::var(name) {
            Ok(value) => Ok(Some(value)),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(()),
        })
    }

    /// [`from_env`](Self::from_env) with the variables read by `lookup` (`Err` for a value
    /// that is not Unicode).
    pub(crate) fn from_lookup(lookup: impl Fn(&str) -> Result<Option<String>, ()>) -> Self {
        let mut builder = Self::default();
        let mut read = |name: &str| match lookup(name) {
            Ok(value) => value.filter(|v| !v.trim().is_empty()),
            Err(()) => {
                builder
                    .env_problems
                    .push(format!("{name} is not valid Unicode"));
                None
            }
        };
        let space = read(ENV_SPACE);
        let base_url = read(ENV_BASE_URL);
        let project_id = read(ENV_PROJECT_ID);
        let api_token = read(ENV_API_TOKEN);
        builder.space = space;
        builder.base_url = base_url;
        builder.project_id = project_id;
        builder.api_token = api_token.map(Secret::new);
        builder
    }

    /// The SignalWire space: the subdomain of your space's URL, such as `example` for
    /// `https://example.signalwire.com`. The client then talks to
    /// `https://example.signalwire.com/api/video`.
    pub fn space(mut self, space: impl Into<String>) -> Self {
        self.space = Some(space.into());
        self
    }

    /// The API's base URL, such as `https://example.signalwire.com/api/video` (a trailing slash
    /// is fine); it overrides [`space`](Self::space), which is then ignored. Use it for tests
    /// and proxies.
    ///
    /// It must be `https`, except on a loopback address (`localhost`, `127.0.0.1`, `[::1]`),
    /// where plain `http` is allowed for local mock servers; `localhost` is then pinned to
    /// `127.0.0.1` and `[::1]`, so that a hosts file cannot send the credentials, in clear,
    /// elsewhere. It may not hold credentials, a query or a fragment.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The project id (the Basic auth user name), such as
    /// `b3877c40-da60-4998-90ad-b792e98472af`.
    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// The API token (the Basic auth password); it needs the Video scope. It is kept out of
    /// every `Debug` and `Display`, log and error.
    pub fn api_token(mut self, token: impl Into<String>) -> Self {
        self.api_token = Some(Secret::new(token.into()));
        self
    }

    /// The timeout of each whole request, from sending it to reading the last byte of the
    /// response (default 30 s). It applies to every attempt, with the client this builder
    /// makes or with one given to [`http_client`](Self::http_client).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The timeout of making a connection (default 10 s). Not with
    /// [`http_client`](Self::http_client), whose own connect timeout applies.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The most bytes a response body may have (default [`DEFAULT_MAX_RESPONSE_BYTES`],
    /// 32 MiB). A longer body, success or error, is not read past the limit: a success fails
    /// with [`Error::ResponseTooLarge`] (not retried), an error keeps its status and the
    /// start of its body.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// How many attempts each request gets in all, the first included (default 3; at least
    /// 1). The same as changing [`RetryPolicy::max_attempts`] of the
    /// [`retry_policy`](Self::retry_policy).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.retry = self.retry.max_attempts(attempts);
        self
    }

    /// The whole retry policy: attempts, backoff, and the longest `Retry-After` honoured.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header (default `room-sessions/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Trusts this certificate authority too, besides the system's: for an API behind a proxy
    /// or gateway whose certificate a private authority signed. Call it once per certificate.
    ///
    /// A [`Certificate`] is read from PEM or DER ([`Certificate::from_pem`],
    /// [`Certificate::from_der`], [`Certificate::from_pem_bundle`]); a file that does not hold
    /// one fails there. Not with [`http_client`](Self::http_client), which has its own roots.
    ///
    /// ```no_run
    /// use room_sessions::{Certificate, Client};
    ///
    /// let pem = std::fs::read("internal-ca.pem")?;
    /// let client = Client::builder()
    ///     .base_url("https://video-gateway.internal/api/video")
    ///     .project_id("b3877c40-da60-4998-90ad-b792e98472af")
    ///     .api_token("PT-not-a-real-token")
    ///     .add_root_certificate(Certificate::from_pem(&pem)?)
    ///     .build()?;
    /// # drop(client);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_root_certificate(mut self, certificate: Certificate) -> Self {
        self.root_certificates.push(certificate);
        self
    }

    /// Sends the requests through this proxy, instead of those that `HTTPS_PROXY`,
    /// `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` name (which apply when no proxy is given
    /// here, as reqwest reads them). Call it again to add another; the first that matches a
    /// URL is used. Not with [`http_client`](Self::http_client), which has its own.
    ///
    /// An `https` API is reached through the proxy's `CONNECT` tunnel: the proxy sees the
    /// host and port, never the credentials, which travel inside TLS. A plain-`http` base URL
    /// (allowed on loopback only) is always reached directly, whatever this or the
    /// environment say, so that credentials sent in clear never leave the machine.
    ///
    /// ```
    /// use room_sessions::{Client, Proxy};
    ///
    /// let client = Client::builder()
    ///     .space("example")
    ///     .project_id("b3877c40-da60-4998-90ad-b792e98472af")
    ///     .api_token("PT-not-a-real-token")
    ///     .proxy(Proxy::https("http://proxy.internal:3128")?.basic_auth("me", "proxy-password"))
    ///     .build()?;
    /// # drop(client);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn proxy(mut self, proxy: Proxy) -> Self {
        self.proxies.push(proxy);
        self
    }

    /// Sends the requests with this `reqwest::Client`, to share its connection pool or its
    /// settings.
    ///
    /// Its own connect timeout, TLS roots, proxies and redirect policy apply: `build` refuses
    /// [`connect_timeout`](Self::connect_timeout),
    /// [`add_root_certificate`](Self::add_root_certificate) and [`proxy`](Self::proxy) with
    /// it. The credentials, the [`timeout`](Self::timeout) and the body bound are set on each
    /// request, not on the client, so they work with any `reqwest::Client`. Beware that a
    /// client which follows redirects could carry the credentials to another path of the same
    /// origin; the client this builder makes by default follows none. Beware too that such a
    /// client sends a plain-`http` base URL through its proxies, if it has any.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Records every exchange of the client, retries included, to the file at `path`
    /// (created, or appended to): one line of JSON per exchange, in the NDJSON traffic format
    /// that Redocly's `drift`, `cargo xtask drift` and the mock crate's replay read. No
    /// credential is ever written (no `Authorization` header; the token masked as `***` in
    /// every form, in URLs, headers and bodies), bodies are bounded by
    /// [`max_response_bytes`](Self::max_response_bytes), and each exchange is written as it
    /// completes. A request that gets no response is not recorded. `build` fails with
    /// [`Error::Config`] if the file cannot be opened; a write that fails later is logged
    /// once and ends the recording, not the requests.
    ///
    /// Recording is for capturing traffic, not for a service's hot path: each line is written
    /// and flushed while the request's task holds the recording's lock, so that a crash loses
    /// at most the exchange in flight; tasks that finish at the same moment take turns, and a
    /// slow disk slows them.
    ///
    /// ```no_run
    /// let client = room_sessions::ClientBuilder::from_env()
    ///     .record("traffic.ndjson")
    ///     .build()?;
    /// # drop(client);
    /// # Ok::<(), room_sessions::Error>(())
    /// ```
    pub fn record(mut self, path: impl Into<PathBuf>) -> Self {
        self.recording = Some(RecordTo::File(path.into()));
        self
    }

    /// [`record`](Self::record) to `writer` instead of a file: each exchange is one
    /// `write_all` of a whole line, then a `flush`.
    pub fn record_to(mut self, writer: impl Write + Send + 'static) -> Self {
        self.recording = Some(RecordTo::Writer(Arc::new(Mutex::new(Some(Box::new(
            writer,
        ))))));
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// Fails with [`Error::Config`], naming what to set, when the project id or the token is
    /// missing or empty, the space is not a valid name, the base URL is not `https` (or
    /// `http` on a loopback address), no space or base URL is given, a count or duration
    /// is zero, or an option is given that a client from [`http_client`](Self::http_client)
    /// cannot take.
    pub fn build(self) -> Result<Client, Error> {
        if let Some(problem) = self.env_problems.first() {
            return Err(Error::config(problem.clone()));
        }
        self.check_complete()?;
        let project_id = check_project_id(self.project_id.as_deref().unwrap_or_default())?;
        let token = check_token(self.api_token.as_ref().map_or("", Secret::expose))?;
        let redactor = Redactor::for_credentials(project_id, token);
        let base_url = match (&self.base_url, &self.space) {
            // The base URL overrides the space, which is then not used at all (so that
            // SIGNALWIRE_BASE_URL works whatever SIGNALWIRE_SPACE holds).
            (Some(url), _) => check_base_url(url, &redactor)?,
            (_, space) => space_url(space.as_deref().unwrap_or_default())?,
        };
        if self.retry.attempts() == 0 {
            return Err(Error::config("max_attempts is 0: give at least 1"));
        }
        for (name, value) in [
            ("timeout", self.timeout),
            ("connect_timeout", self.connect_timeout),
        ] {
            if value == Some(Duration::ZERO) {
                return Err(Error::config(format!("{name} is zero")));
            }
        }
        if self.max_response_bytes == Some(0) {
            return Err(Error::config("max_response_bytes is 0"));
        }

        let credentials = format!("{project_id}:{token}");
        let encoded = base64::engine::general_purpose::STANDARD.encode(&credentials);
        let mut authorization = HeaderValue::from_str(&format!("Basic {encoded}"))
            .map_err(|_| Error::config("the credentials do not make a valid header"))?;
        authorization.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, authorization);

        let user_agent = match &self.user_agent {
            Some(agent) => Some(HeaderValue::from_str(agent).map_err(|_| {
                Error::config(format!("user agent {agent:?} is not a valid header value"))
            })?),
            None => None,
        };

        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let recording = match self.recording {
            None => None,
            Some(target) => Some(Recording::new(target.open()?, redactor.clone())),
        };
        let mut options = ClientOptions::new(headers).max_response_bytes(
            self.max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
        );
        if let Some(recording) = recording {
            options = options.recorder(Arc::new(recording));
        }
        let http = match self.http_client {
            Some(http) => {
                for (option, given) in [
                    ("connect_timeout", self.connect_timeout.is_some()),
                    ("add_root_certificate", !self.root_certificates.is_empty()),
                    ("proxy", !self.proxies.is_empty()),
                ] {
                    if given {
                        return Err(Error::config(format!(
                            "{option} cannot change a client given with .http_client(..)"
                        )));
                    }
                }
                // Set on each request (a reqwest::Client cannot be changed once built): it
                // costs a few allocations a request, which a client of our own avoids.
                options = options.timeout(timeout);
                if let Some(agent) = user_agent {
                    options = options.header(USER_AGENT, agent);
                }
                if base_url.scheme() == "http" && base_url.host_str() == Some(LOCALHOST) {
                    return Err(Error::config(
                        "base URL http://localhost with .http_client(..): use http://127.0.0.1",
                    ));
                }
                http
            }
            None => {
                // `ClientOptions::new` above has readied the TLS backend this builder needs.
                let mut http = reqwest::Client::builder()
                    .timeout(timeout)
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .user_agent(user_agent.unwrap_or_else(|| {
                        HeaderValue::from_static(concat!(
                            "room-sessions/",
                            env!("CARGO_PKG_VERSION")
                        ))
                    }))
                    // The API does not redirect; following one could carry the credentials
                    // elsewhere. A redirect ends as Error::UnexpectedStatus.
                    .redirect(reqwest::redirect::Policy::none())
                    // Trusted besides the system's roots, not instead of them.
                    .tls_certs_merge(self.root_certificates);
                if base_url.scheme() == "http" {
                    // Loopback only (check_base_url): the credentials go in clear, so never
                    // through a proxy, which could be on another machine; and `localhost` is
                    // the loopback address whatever a hosts file or resolver says.
                    http = http
                        .no_proxy()
                        .resolve_to_addrs(LOCALHOST, &LOOPBACK.map(|ip| SocketAddr::new(ip, 0)));
                } else {
                    // None given: reqwest reads the proxy variables of the environment.
                    for proxy in self.proxies {
                        http = http.proxy(proxy);
                    }
                }
                http.build()
                    .map_err(|e| Error::config(format!("could not set up the HTTP client: {e}")))?
            }
        };

        let api = room_sessions_api::Client::new_with_client(
            base_url.as_str().trim_end_matches('/'),
            http,
            options,
        );
        Ok(Client::new(Transport {
            api,
            base_url,
            project_id: project_id.to_owned(),
            retry_state: self.retry.shared_state(),
            retry: self.retry,
            redactor,
        }))
    }
}

impl ClientBuilder {
    /// Fails with every required setting that is not given, or blank, named together.
    fn check_complete(&self) -> Result<(), Error> {
        let blank = |value: Option<&str>| value.is_none_or(|v| v.trim().is_empty());
        let mut missing = Vec::new();
        let mut calls = Vec::new();
        if self.base_url.is_none() && self.space.is_none() {
            missing.push(ENV_SPACE);
            calls.push(".space(..)");
        }
        if blank(self.project_id.as_deref()) {
            missing.push(ENV_PROJECT_ID);
            calls.push(".project_id(..)");
        }
        if blank(self.api_token.as_ref().map(Secret::expose)) {
            missing.push(ENV_API_TOKEN);
            calls.push(".api_token(..)");
        }
        if missing.is_empty() {
            return Ok(());
        }
        Err(Error::Config {
            message: format!(
                "missing {}: set {} or call {}",
                missing.join(", "),
                if missing.len() == 1 { "it" } else { "them" },
                calls.join(", ")
            ),
            missing,
        })
    }
}

/// Where [`ClientBuilder::record`] and [`ClientBuilder::record_to`] send the exchanges.
#[derive(Clone)]
enum RecordTo {
    File(PathBuf),
    /// Taken by the first client built: a writer is not shared by two recordings.
    Writer(Arc<Mutex<Option<Box<dyn Write + Send>>>>),
}

impl fmt::Debug for RecordTo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordTo::File(path) => f.debug_tuple("File").field(path).finish(),
            RecordTo::Writer(_) => f.write_str("Writer(..)"),
        }
    }
}

impl RecordTo {
    fn open(self) -> Result<Box<dyn Write + Send>, Error> {
        match self {
            RecordTo::File(path) => std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .map(|file| Box::new(file) as Box<dyn Write + Send>)
                .map_err(|e| {
                    Error::config(format!("cannot open the recording {}: {e}", path.display()))
                }),
            RecordTo::Writer(writer) => writer
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .take()
                .ok_or_else(|| {
                    Error::config("the recording's writer went to a client built before")
                }),
        }
    }
}

fn check_project_id(project_id: &str) -> Result<&str, Error> {
    let project_id = project_id.trim();
    if project_id.contains(':') || project_id.chars().any(char::is_control) {
        return Err(Error::config(
            "project id holds a ':' or a control character",
        ));
    }
    Ok(project_id)
}

fn check_token(token: &str) -> Result<&str, Error> {
    let token = token.trim();
    if token.chars().any(char::is_control) {
        return Err(Error::config("API token holds a control character"));
    }
    Ok(token)
}

/// `https://{space}.signalwire.com/api/video`, for a valid space name.
fn space_url(space: &str) -> Result<Url, Error> {
    let name = space.trim().to_ascii_lowercase();
    let valid = !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if !valid {
        return Err(Error::config(format!(
            "invalid space name {space:?}: give the subdomain of your SignalWire URL \
             (letters, digits and '-')"
        )));
    }
    Url::parse(&format!("https://{name}.signalwire.com/api/video"))
        .map_err(|e| Error::config(format!("invalid space name {space:?}: {e}")))
}

/// The one host name allowed with plain http, and the addresses it is pinned to.
const LOCALHOST: &str = "localhost";
const LOOPBACK: [IpAddr; 2] = [
    IpAddr::V4(Ipv4Addr::LOCALHOST),
    IpAddr::V6(Ipv6Addr::LOCALHOST),
];

/// Whether the URL's host is a loopback address, where plain http is allowed.
fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    // IPv6 hosts come in brackets.
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case(LOCALHOST),
    }
}

/// A base URL as given, for messages and `Debug`: whatever precedes an `@` after the scheme
/// (`user:password@`) is masked, even in text that does not parse as a URL.
fn without_userinfo(text: &str) -> String {
    let text = text.trim();
    let (scheme, rest) = match text.find("://") {
        Some(at) => text.split_at(at + 3),
        None => ("", text),
    };
    match rest.rfind('@') {
        Some(at) => format!("{scheme}***@{}", &rest[at + 1..]),
        None => text.to_owned(),
    }
}

fn check_base_url(text: &str, redactor: &Redactor) -> Result<Url, Error> {
    // The URL as messages show it: no userinfo, no credentials in any other place either.
    let shown = redactor.redact(&without_userinfo(text));
    let mut url = Url::parse(text.trim())
        .map_err(|e| Error::config(format!("base URL {shown:?} is not a URL ({e})")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(format!(
            "base URL {shown:?} holds credentials: use .project_id(..) and .api_token(..)"
        )));
    }
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(Error::config(format!("base URL {shown:?} has no host")));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::config(format!(
                "base URL {shown:?} is plain http: use https (http only on loopback)"
            )));
        }
        other => {
            return Err(Error::config(format!(
                "base URL {shown:?} has the scheme {other:?}: use https"
            )));
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "base URL {shown:?} has a query or a fragment"
        )));
    }
    let path = url.path().trim_end_matches('/').to_owned();
    url.set_path(&path);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder() -> ClientBuilder {
        Client::builder()
            .project_id("b3877c40-da60-4998-90ad-b792e98472af")
            .api_token("PTsecret-token-123")
    }

    fn config_message(result: Result<Client, Error>) -> String {
        match result {
            Err(Error::Config { message, .. }) => message,
            Err(other) => panic!("not a config error: {other:?}"),
            Ok(client) => panic!("built: {client:?}"),
        }
    }

    #[test]
    fn space_makes_the_signalwire_url() {
        let client = builder().space("Example").build().unwrap();
        assert_eq!(
            client.base_url().as_str(),
            "https://example.signalwire.com/api/video"
        );
        for bad in [
            "",
            "example.signalwire.com",
            "-x",
            "a/b",
            "ex ample",
            &"a".repeat(64),
        ] {
            let message = config_message(builder().space(bad).build());
            assert!(message.contains("space"), "{message}");
        }
    }

    #[test]
    fn base_url_accepts_https_and_loopback_http_and_drops_a_trailing_slash() {
        for (given, kept) in [
            (
                "https://example.signalwire.com/api/video/",
                "https://example.signalwire.com/api/video",
            ),
            (
                "http://127.0.0.1:8080/api/video",
                "http://127.0.0.1:8080/api/video",
            ),
            (
                "http://localhost:1/api/video//",
                "http://localhost:1/api/video",
            ),
            ("http://[::1]:9/api/video", "http://[::1]:9/api/video"),
            ("https://proxy.internal", "https://proxy.internal/"),
        ] {
            let client = builder().base_url(given).build().unwrap();
            assert_eq!(client.base_url().as_str(), kept, "{given}");
        }
        // The base URL wins over the space.
        let client = builder()
            .space("not a space name")
            .base_url("http://127.0.0.1:1/api/video")
            .build()
            .unwrap();
        assert_eq!(client.base_url().host_str(), Some("127.0.0.1"));
    }

    #[test]
    fn base_url_refuses_clear_text_bad_schemes_credentials_and_queries() {
        for (bad, expected) in [
            ("http://example.signalwire.com/api/video", "plain http"),
            ("http://10.0.0.1/api/video", "plain http"),
            ("ftp://example.com/", "scheme"),
            ("not a url", "not a URL"),
            ("https://u:pw@example.com/api/video", "credentials"),
            ("https://example.com/api/video?x=1", "query"),
            ("mailto:a@b.c", "no host"),
        ] {
            let message = config_message(builder().base_url(bad).build());
            assert!(message.contains(expected), "{bad}: {message}");
            assert!(!message.contains(":pw@"), "{message}");
        }
    }

    #[test]
    fn a_base_url_with_credentials_is_never_echoed() {
        for bad in [
            // Does not parse (the port is out of range): the text itself is shown, masked.
            "https://user:hunter2-pw@example.com:99999/api/video",
            "https://user:hunter2-pw@example.com/api/video",
            "http://user:hunter2-pw@10.0.0.1/api/video",
            "user:hunter2-pw@example.com",
            // The token itself in another place of the URL.
            "https://example.com:99999/api/PTsecret-token-123",
        ] {
            let builder = builder().base_url(bad);
            let debug = format!("{builder:?}");
            assert!(!debug.contains("hunter2"), "{debug}");
            let message = config_message(builder.build());
            assert!(!message.contains("hunter2"), "{bad}: {message}");
            assert!(!message.contains("PTsecret"), "{bad}: {message}");
        }
    }

    #[test]
    fn missing_settings_are_named_together() {
        for (builder, missing) in [
            (
                Client::builder(),
                vec![ENV_SPACE, ENV_PROJECT_ID, ENV_API_TOKEN],
            ),
            (
                Client::builder().space("example").api_token("t"),
                vec![ENV_PROJECT_ID],
            ),
            (
                builder().project_id("  ").space("example"),
                vec![ENV_PROJECT_ID],
            ),
            (
                Client::builder().space("example").project_id("p"),
                vec![ENV_API_TOKEN],
            ),
            (
                builder().api_token("").space("example"),
                vec![ENV_API_TOKEN],
            ),
            (builder(), vec![ENV_SPACE]),
        ] {
            let error = builder.build().unwrap_err();
            assert_eq!(error.missing_settings(), missing);
            let message = error.to_string();
            for name in &missing {
                assert!(message.contains(name), "{message}");
            }
        }
        let message = config_message(Client::builder().space("example").build());
        assert!(
            message.ends_with(
                "missing SIGNALWIRE_PROJECT_ID, SIGNALWIRE_API_TOKEN: set them or call \
                 .project_id(..), .api_token(..)"
            ),
            "{message}"
        );
        let error = builder()
            .api_token("a\nb")
            .space("example")
            .build()
            .unwrap_err();
        assert!(error.to_string().contains("control character"), "{error}");
        assert!(error.missing_settings().is_empty());
    }

    #[test]
    fn other_options_are_checked() {
        let message = config_message(builder().space("example").max_attempts(0).build());
        assert!(message.contains("max_attempts"), "{message}");
        let message = config_message(builder().space("example").timeout(Duration::ZERO).build());
        assert!(message.contains("timeout is zero"), "{message}");
        let message = config_message(
            builder()
                .space("example")
                .http_client(reqwest::Client::new())
                .connect_timeout(Duration::from_secs(1))
                .build(),
        );
        assert!(message.contains("http_client"), "{message}");
        // The timeout is set on each request, so it works with any client.
        builder()
            .space("example")
            .http_client(reqwest::Client::new())
            .timeout(Duration::from_secs(1))
            .build()
            .unwrap();
        // A client of the caller's has its own roots and proxies: the builder cannot add any.
        let proxy = Proxy::all("http://127.0.0.1:3128").unwrap();
        for (option, builder) in [
            (
                "add_root_certificate",
                builder().add_root_certificate(authority()),
            ),
            ("proxy", builder().proxy(proxy)),
        ] {
            let builder = builder.space("example").http_client(reqwest::Client::new());
            let message = config_message(builder.build());
            assert!(message.starts_with(option), "{message}");
            assert!(message.contains("http_client"), "{message}");
        }
        let message = config_message(builder().space("example").max_response_bytes(0).build());
        assert!(message.contains("max_response_bytes"), "{message}");
        let message = config_message(builder().space("example").user_agent("a\nb").build());
        assert!(message.contains("user agent"), "{message}");
        builder()
            .space("example")
            .http_client(reqwest::Client::new())
            .user_agent("mine/1.0")
            .build()
            .unwrap();
    }

    #[test]
    fn from_env_reads_the_four_variables() {
        let vars = |name: &str| {
            Ok(match name {
                ENV_SPACE => Some("example".to_owned()),
                ENV_PROJECT_ID => Some("p-1".to_owned()),
                ENV_API_TOKEN => Some("PTsecret-token-123".to_owned()),
                _ => None,
            })
        };
        let client = ClientBuilder::from_lookup(vars).build().unwrap();
        assert_eq!(
            client.base_url().as_str(),
            "https://example.signalwire.com/api/video"
        );
        let with_url = |name: &str| {
            Ok(match name {
                ENV_BASE_URL => Some("http://127.0.0.1:9/api/video/".to_owned()),
                other => vars(other)?,
            })
        };
        let client = ClientBuilder::from_lookup(with_url).build().unwrap();
        assert_eq!(client.base_url().as_str(), "http://127.0.0.1:9/api/video");

        let message = config_message(ClientBuilder::from_lookup(|_| Ok(None)).build());
        assert!(message.contains(ENV_PROJECT_ID), "{message}");
        let empty_token = |name: &str| {
            Ok(match name {
                ENV_API_TOKEN => Some(String::new()),
                other => vars(other)?,
            })
        };
        let message = config_message(ClientBuilder::from_lookup(empty_token).build());
        assert!(message.contains(ENV_API_TOKEN), "{message}");
        let not_unicode = |name: &str| {
            if name == ENV_SPACE {
                Err(())
            } else {
                vars(name)
            }
        };
        let message = config_message(ClientBuilder::from_lookup(not_unicode).build());
        assert!(message.contains("not valid Unicode"), "{message}");
    }

    /// A certificate to trust, made for the test.
    fn authority() -> Certificate {
        let made = rcgen::generate_simple_self_signed(vec!["sessions.example".to_owned()]).unwrap();
        Certificate::from_pem(made.cert.pem().as_bytes()).unwrap()
    }

    #[test]
    fn roots_and_proxies_show_in_debug_only_as_counts() {
        let proxy = Proxy::all("http://proxy-user:proxy-secret@127.0.0.1:3128").unwrap();
        let builder = builder()
            .space("example")
            .add_root_certificate(authority())
            .proxy(proxy);
        let debug = format!("{builder:?}");
        assert!(debug.contains("root_certificates: 1"), "{debug}");
        assert!(debug.contains("proxies: 1"), "{debug}");
        assert!(!debug.contains("proxy-secret"), "{debug}");
        builder.build().unwrap();
    }

    #[test]
    fn debug_never_shows_the_token() {
        let builder = builder().space("example");
        let debug = format!("{builder:?}");
        assert!(!debug.contains("PTsecret-token-123"), "{debug}");
        assert!(debug.contains("***"), "{debug}");
        let client = builder.build().unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("PTsecret-token-123"), "{debug}");
        let encoded = base64::engine::general_purpose::STANDARD
            .encode("b3877c40-da60-4998-90ad-b792e98472af:PTsecret-token-123");
        assert!(!debug.contains(&encoded), "{debug}");
        // A base URL that is valid but carries the token in its path.
        let client = super::tests::builder()
            .base_url("https://example.com/api/PTsecret-token-123")
            .build()
            .unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("PTsecret"), "{debug}");
    }
}
