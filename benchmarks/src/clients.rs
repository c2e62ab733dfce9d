//! The clients compared, configured alike: the wrapper (`room_sessions::Client`) as a user
//! builds it, the generated low-level client, and raw `reqwest` + `serde_json` on a
//! `reqwest::Client` built with the wrapper's defaults (timeouts, user agent, no redirects,
//! no proxy for a loopback http URL, default pool, HTTP/1.1 over plain http), decoding into the generated types (raw) or into a
//! plain hand-written struct (user-written, the client a user would write instead of ours).

use base64::Engine as _;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue};
use room_sessions_api::types;
use uuid::Uuid;

use crate::handwritten::HandRoomSession;

/// The project id the clients send (the server does not check it).
pub const PROJECT_ID: &str = "b3877c40-da60-4998-90ad-b792e98472af";
/// The API token the clients send.
pub const TOKEN: &str = "PT-benchmark-token-0123456789abcdef";
/// The id asked for by the single-session requests.
pub const SESSION_ID: &str = "c22d24f6-5a47-4597-9a23-c7d01e696b92";

/// The wrapper, built the way its documentation shows, for the API at `base_url`.
pub fn wrapper(base_url: &str) -> room_sessions::Client {
    wrapper_builder(base_url)
        .build()
        .expect("a valid configuration")
}

/// The builder of [`wrapper`], for a benchmark that changes one setting (the body limit, the
/// retry policy) and keeps the rest as a user has them.
pub fn wrapper_builder(base_url: &str) -> room_sessions::ClientBuilder {
    room_sessions::Client::builder()
        .base_url(base_url)
        .project_id(PROJECT_ID)
        .api_token(TOKEN)
}

/// A `reqwest::Client` configured as the wrapper configures its own by default.
pub fn reqwest_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(room_sessions::DEFAULT_TIMEOUT)
        .connect_timeout(room_sessions::DEFAULT_CONNECT_TIMEOUT)
        .user_agent(concat!(
            "room-sessions-benchmarks/",
            env!("CARGO_PKG_VERSION")
        ))
        .redirect(reqwest::redirect::Policy::none())
        // As the wrapper's own for a plain-http (loopback) base URL, like the benchmarks'
        // server's: no proxy lookup per request (about 1,800 to 2,000 instructions).
        .no_proxy()
        .build()
        .expect("a reqwest client")
}

/// The `Authorization` header value of the benchmark's credentials, marked sensitive.
pub fn authorization() -> HeaderValue {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{PROJECT_ID}:{TOKEN}"));
    let mut value = HeaderValue::from_str(&format!("Basic {encoded}")).expect("a header value");
    value.set_sensitive(true);
    value
}

/// The generated client alone (no retries, no error mapping), on an equally configured
/// `reqwest::Client`, with the same credentials.
pub fn generated(base_url: &str) -> room_sessions_api::Client {
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, authorization());
    room_sessions_api::Client::new_with_client(
        base_url,
        reqwest_client(),
        room_sessions_api::ClientOptions::new(headers),
    )
}

/// Raw `reqwest` + `serde_json`, as one would write it without a client library.
#[derive(Clone)]
pub struct Raw {
    http: reqwest::Client,
    base_url: String,
    authorization: HeaderValue,
}

/// What can fail in a raw request.
pub type RawError = Box<dyn std::error::Error + Send + Sync>;

impl Raw {
    /// Raw requests to the API at `base_url`.
    pub fn new(base_url: &str) -> Raw {
        Raw {
            http: reqwest_client(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            authorization: authorization(),
        }
    }

    /// `GET {url}` with the credentials, decoded as `T` from the whole body.
    pub async fn get<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, RawError> {
        let response = self
            .http
            .get(url)
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .send()
            .await?
            .error_for_status()?;
        let body = response.bytes().await?;
        Ok(serde_json::from_slice(&body)?)
    }

    /// One room session, decoded into the generated type (the type the wrapper returns, so
    /// that only the request machinery differs).
    pub async fn room_session(&self, id: Uuid) -> Result<types::RoomSession, RawError> {
        self.get(&format!("{}/room_sessions/{id}", self.base_url))
            .await
    }

    /// One room session decoded into a plain hand-written struct ([`HandRoomSession`]): what a
    /// user who writes their own client instead of taking this crate would get.
    pub async fn hand_room_session(&self, id: Uuid) -> Result<HandRoomSession, RawError> {
        self.get(&format!("{}/room_sessions/{id}", self.base_url))
            .await
    }

    /// The first page of room sessions of `page_size`.
    pub fn first_page_url(&self, page_size: u32) -> String {
        format!("{}/room_sessions?page_size={page_size}", self.base_url)
    }

    /// Every session of every page, following `links.next` (absolute URLs from this
    /// server), calling `each` on every session; the number of sessions.
    pub async fn each_session(
        &self,
        page_size: u32,
        mut each: impl FnMut(types::RoomSession),
    ) -> Result<u64, RawError> {
        let mut url = Some(self.first_page_url(page_size));
        let mut count = 0;
        while let Some(next) = url {
            let page: types::RoomSessionList = self.get(&next).await?;
            url = page.links.next;
            for session in page.data {
                count += 1;
                each(session);
            }
        }
        Ok(count)
    }
}
