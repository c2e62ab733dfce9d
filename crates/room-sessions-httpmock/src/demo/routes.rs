//! The demo server's routes: every request the client can send, answered from the dataset.
//!
//! httpmock answers with the first mock, in the order they were added, whose matchers all
//! match; so the credentials check comes first and the catch-all "not found" after the
//! sessions it stands behind. Listings are answered by a responder that reads the query, so
//! every page size and filter works, not only the combinations mounted in advance.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use room_sessions_api::types::{ErrorResponse, RoomSessionRecording};
use serde::Serialize;
use uuid::Uuid;

use super::{DEFAULT_PAGE_SIZE, data};
use crate::client::{API_TOKEN, PROJECT_ID};
use crate::generated::MockServerExt;
use crate::paging::{ListItem, PAGE_TOKEN, page_links};
use crate::values;

/// The largest page the API serves.
const MAX_PAGE_SIZE: usize = 1000;

/// Mounts every route of the demo API on `server`.
pub(super) fn mount(server: &MockServer) {
    let base_url = server.base_url();
    let expected = format!(
        "Basic {}",
        BASE64.encode(format!("{PROJECT_ID}:{API_TOKEN}"))
    );
    server.mock(|when, then| {
        when.is_false(move |request| authorization(request).as_deref() == Some(&*expected));
        then.status(401u16)
            .header("content-type", "application/json")
            .json_body_obj(&values::unauthorized());
    });

    let base = base_url.clone();
    server.list_room_sessions(|_, then| {
        then.into_inner()
            .respond_with(move |request| list_sessions(&base, request));
    });

    for index in 0..data::SESSION_COUNT {
        server.get_room_session(|when, then| {
            when.id(&data::session_id(index));
            then.ok(&data::found_by_id(index));
        });
    }
    // Any other session, including MISSING_SESSION_ID.
    server.get_room_session(|_, then| {
        then.not_found(&values::not_found());
    });

    let base = base_url.clone();
    server.list_room_session_members(|_, then| {
        then.into_inner().respond_with(move |request| {
            list_of_session(&base, request, "members", |index, _| {
                Ok(data::members(index))
            })
        });
    });
    let base = base_url.clone();
    server.list_room_session_events(|_, then| {
        then.into_inner().respond_with(move |request| {
            list_of_session(&base, request, "events", |index, _| Ok(data::events(index)))
        });
    });
    let base = base_url;
    server.list_room_session_recordings(|_, then| {
        then.into_inner().respond_with(move |request| {
            list_of_session(&base, request, "recordings", |index, query| {
                recordings_with_ttl(index, query)
            })
        });
    });
}

fn authorization(request: &HttpMockRequest) -> Option<String> {
    let headers = request.headers();
    let value = headers.get("authorization")?;
    value.to_str().ok().map(str::to_owned)
}

/// The query of a request, as the decoded pairs it holds.
struct Query(Vec<(String, String)>);

impl Query {
    fn of(request: &HttpMockRequest) -> Self {
        Self(request.query_params())
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The parameter as a number in `range`, `default` if absent; a 422 body otherwise.
    fn number(
        &self,
        key: &str,
        range: std::ops::RangeInclusive<usize>,
        default: usize,
        problem: &str,
    ) -> Result<usize, ErrorResponse> {
        match self.get(key) {
            None => Ok(default),
            Some(text) => text
                .parse()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| values::validation_error(key, problem)),
        }
    }
}

/// Where a request is in its listing.
struct Paging {
    number: usize,
    size: usize,
}

fn paging(query: &Query) -> Result<Paging, ErrorResponse> {
    let size = query.number(
        "page_size",
        1..=MAX_PAGE_SIZE,
        DEFAULT_PAGE_SIZE,
        "Page size must be between 1 and 1000",
    )?;
    let number = query.number(
        "page_number",
        0..=i32::MAX as usize,
        0,
        "Page number must be 0 or more",
    )?;
    if number > 0 && query.get("page_token") != Some(PAGE_TOKEN) {
        return Err(values::validation_error(
            "page_token",
            "Page token is missing or does not match the listing",
        ));
    }
    Ok(Paging { number, size })
}

/// One page of `items` as the API answers it, with links on the demo server that repeat
/// `filters`.
fn page<T: ListItem>(
    url: &str,
    filters: &[(&str, String)],
    paging: &Paging,
    items: Vec<T>,
) -> HttpMockResponse {
    let start = paging.number.saturating_mul(paging.size);
    let has_next = items.len() > start.saturating_add(paging.size);
    let data: Vec<T> = items.into_iter().skip(start).take(paging.size).collect();
    let links = page_links(url, filters, paging.number, paging.size, has_next);
    json(200, &T::page(data, links))
}

fn json(status: u16, body: &impl Serialize) -> HttpMockResponse {
    let bytes = serde_json::to_vec(body).expect("the generated types serialize to JSON");
    HttpMockResponse::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(bytes)
        .build()
}

/// `GET /room_sessions`: the dataset, newest first, filtered by `status`, `room_id`,
/// `room_name` and `room_name_matches`, in pages of `page_size`.
fn list_sessions(base_url: &str, request: &HttpMockRequest) -> HttpMockResponse {
    let query = Query::of(request);
    let paging = match paging(&query) {
        Ok(paging) => paging,
        Err(body) => return json(422, &body),
    };
    let room_id = match query.get("room_id").map(Uuid::parse_str).transpose() {
        Ok(room_id) => room_id,
        Err(_) => {
            return json(
                422,
                &values::validation_error("room_id", "Room ID must be a UUID"),
            );
        }
    };
    let status = query.get("status");
    let room_name = query.get("room_name");
    let room_name_matches = query.get("room_name_matches");
    let sessions: Vec<_> = super::sessions()
        .into_iter()
        .filter(|s| {
            status.is_none_or(|want| s.status.as_ref().is_some_and(|st| st.as_str() == want))
        })
        .filter(|s| room_id.is_none_or(|want| s.room_id == Some(want)))
        .filter(|s| room_name.is_none_or(|want| s.name.as_deref() == Some(want)))
        .filter(|s| {
            room_name_matches
                .is_none_or(|part| s.name.as_deref().is_some_and(|name| name.contains(part)))
        })
        .collect();
    let filters: Vec<(&str, String)> = ["room_id", "room_name", "room_name_matches", "status"]
        .into_iter()
        .filter_map(|key| query.get(key).map(|value| (key, value.to_owned())))
        .collect();
    page(
        &format!("{base_url}/room_sessions"),
        &filters,
        &paging,
        sessions,
    )
}

/// `GET /room_sessions/{id}/<what>`: the items `items` gives for the session (or the 422
/// body it returns for the query), in pages; 404 for a session that is not in the dataset.
fn list_of_session<T: ListItem>(
    base_url: &str,
    request: &HttpMockRequest,
    what: &str,
    items: impl Fn(usize, &Query) -> Result<Vec<T>, ErrorResponse>,
) -> HttpMockResponse {
    let query = Query::of(request);
    let path = request.uri().path().to_owned();
    let id = path
        .strip_prefix("/room_sessions/")
        .and_then(|rest| rest.strip_suffix(&format!("/{what}")))
        .unwrap_or_default();
    let Ok(id) = Uuid::parse_str(id) else {
        return json(422, &values::validation_error("id", "ID must be a UUID"));
    };
    let Some(index) = super::index_of(id) else {
        return json(404, &values::not_found());
    };
    let paging = match paging(&query) {
        Ok(paging) => paging,
        Err(body) => return json(422, &body),
    };
    let filters: Vec<(&str, String)> = query
        .get("media_ttl")
        .map(|ttl| ("media_ttl", ttl.to_owned()))
        .into_iter()
        .collect();
    match items(index, &query) {
        Ok(items) => page(&format!("{base_url}{path}"), &filters, &paging, items),
        Err(body) => json(422, &body),
    }
}

/// The recordings of the session at `index`, their media links valid for the request's
/// `media_ttl` (900 seconds by default, as the API documents).
fn recordings_with_ttl(
    index: usize,
    query: &Query,
) -> Result<Vec<RoomSessionRecording>, ErrorResponse> {
    let ttl = query.number(
        "media_ttl",
        0..=i32::MAX as usize,
        900,
        "Media TTL must be 0 or more seconds",
    )?;
    Ok(data::recordings(index)
        .into_iter()
        .map(|mut recording| {
            recording.uri = recording
                .uri
                .map(|uri| uri.replace("expires=900", &format!("expires={ttl}")));
            recording
        })
        .collect())
}
