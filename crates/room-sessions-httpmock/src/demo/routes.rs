//! The demo server's routes: every request the client can send, answered from the dataset as
//! a status and a JSON body. Listings read the query, so every page size and filter works.

use room_sessions_api::types::{ErrorResponse, RoomSessionRecording};
use serde::Serialize;
use uuid::Uuid;

use super::{DEFAULT_PAGE_SIZE, data};
use crate::paging::{ListItem, PAGE_TOKEN, page_links};
use crate::values;

/// The largest page the API serves.
const MAX_PAGE_SIZE: usize = 1000;

/// The answer to a request without the demo's credentials.
pub(super) fn unauthorized() -> (u16, Vec<u8>) {
    json(401, &values::unauthorized())
}

/// The answer to `GET {path}?{query}` on the server at `base_url`.
pub(super) fn respond(base_url: &str, path: &str, query: &str) -> (u16, Vec<u8>) {
    let query = Query::parse(query);
    let Some(rest) = path
        .strip_prefix("/room_sessions")
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
    else {
        return json(404, &values::not_found());
    };
    let mut parts = rest.split('/').skip(1);
    match (parts.next(), parts.next(), parts.next()) {
        (None, ..) => list_sessions(base_url, &query),
        (Some(id), None, _) => find_session(id),
        (Some(id), Some("members"), None) => {
            list_of_session(base_url, path, id, &query, |index, _| {
                Ok(data::members(index))
            })
        }
        (Some(id), Some("events"), None) => {
            list_of_session(base_url, path, id, &query, |index, _| {
                Ok(data::events(index))
            })
        }
        (Some(id), Some("recordings"), None) => {
            list_of_session(base_url, path, id, &query, recordings_with_ttl)
        }
        _ => json(404, &values::not_found()),
    }
}

/// `GET /room_sessions/{id}`: the session as finding it returns it; 404 for any other id.
fn find_session(id: &str) -> (u16, Vec<u8>) {
    match Uuid::parse_str(id).ok().and_then(super::index_of) {
        Some(index) => json(200, &data::found_by_id(index)),
        None => json(404, &values::not_found()),
    }
}

/// The query of a request, as the decoded pairs it holds.
struct Query(Vec<(String, String)>);

impl Query {
    fn parse(query: &str) -> Self {
        Self(
            form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect(),
        )
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
) -> (u16, Vec<u8>) {
    let start = paging.number.saturating_mul(paging.size);
    let has_next = items.len() > start.saturating_add(paging.size);
    let data: Vec<T> = items.into_iter().skip(start).take(paging.size).collect();
    let links = page_links(url, filters, paging.number, paging.size, has_next);
    json(200, &T::page(data, links))
}

fn json(status: u16, body: &impl Serialize) -> (u16, Vec<u8>) {
    let bytes = serde_json::to_vec(body).expect("the generated types serialize to JSON");
    (status, bytes)
}

/// `GET /room_sessions`: the dataset, newest first, filtered by `status`, `room_id`,
/// `room_name` and `room_name_matches`, in pages of `page_size`.
fn list_sessions(base_url: &str, query: &Query) -> (u16, Vec<u8>) {
    let paging = match paging(query) {
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
    path: &str,
    id: &str,
    query: &Query,
    items: impl Fn(usize, &Query) -> Result<Vec<T>, ErrorResponse>,
) -> (u16, Vec<u8>) {
    let Ok(id) = Uuid::parse_str(id) else {
        return json(422, &values::validation_error("id", "ID must be a UUID"));
    };
    let Some(index) = super::index_of(id) else {
        return json(404, &values::not_found());
    };
    let paging = match paging(query) {
        Ok(paging) => paging,
        Err(body) => return json(422, &body),
    };
    let filters: Vec<(&str, String)> = query
        .get("media_ttl")
        .map(|ttl| ("media_ttl", ttl.to_owned()))
        .into_iter()
        .collect();
    match items(index, query) {
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
