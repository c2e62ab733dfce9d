//! What the tests share: the spec ([`spec`]), a client of a mock server, and a walk over
//! linked pages.

// Each test file uses some of these.
#![allow(dead_code)]

pub mod spec;

use httpmock::MockServer;
use room_sessions_api::{Client, ClientOptions};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The generated client of `server` (the mocks anchor their paths at its root): it sends what
/// the spec says, and nothing of a wrapper's (retries, checks) comes between.
pub fn client(server: &MockServer) -> Client {
    Client::new(&server.base_url(), ClientOptions::default())
}

/// Every page from `url` on, fetched with `http` and following `links.next` as it is written
/// (with `filters` added, as a client carries a listing's filters to every page): the items of
/// every page, and the pages.
pub async fn walk_pages<T: DeserializeOwned>(
    http: &reqwest::Client,
    url: String,
    filters: &str,
) -> (Vec<T>, Vec<Value>) {
    let (mut items, mut pages) = (Vec::new(), Vec::new());
    let mut url = Some(url);
    while let Some(next) = url {
        let response = http.get(&next).send().await.unwrap();
        assert_eq!(response.status(), 200, "{next}");
        let page: Value = response.json().await.unwrap();
        let data = serde_json::from_value::<Vec<T>>(page["data"].clone());
        items.extend(data.unwrap_or_else(|e| panic!("{next}: {e}: {page}")));
        url = page["links"]["next"]
            .as_str()
            .map(|link| format!("{link}{filters}"));
        pages.push(page);
    }
    (items, pages)
}
