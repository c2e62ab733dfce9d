//! Contract test: the `room_sessions` client against a Prism mock server of
//! openapi/room_sessions.yaml.
//!
//! Prism validates every request against the spec (and says what is wrong in an
//! `sl-violations` response header) and answers with the spec's examples, with the documented
//! error of a status chosen by `Prefer: code=NNN`, or with random data valid against the
//! schemas (`Prefer: dynamic=true`). So this checks that what the client sends is what the spec
//! allows, and that whatever the spec allows the server to send, the client decodes and turns
//! into the right value or the right [`Error`] variant.
//!
//! # How the test reads Prism's verdict on each request
//!
//! The wrapper hands back decoded values and [`Error`]s, not response headers. So each client
//! here records its exchanges with the client's own recording (`ClientBuilder::record_to`,
//! made at the generated client's `exec` hook, so it holds every request the wrapper really
//! sent, as sent), and the test reads each recorded exchange back: the URL, Prism's status,
//! its `sl-violations` header and its body. The tests assert on every exchange of a call, so
//! "Prism found no violation" holds for each request the wrapper sent, not for a copy of it;
//! and a call must show the exchanges expected (exactly one here: clients make one attempt).
//! The exchanges also show that the wrapper sent exactly the parameters it was given.
//!
//! The escape hatch is used where the wrapper cannot send the request at all:
//! `page_number` and `page_token` (the wrapper sends them only when it follows a
//! `links.next`, through the same generated builders, and the links of the spec's examples
//! point at example.signalwire.com or are absent), `page_number=-1` (the wrapper has no way to
//! send it), and a request without credentials (the wrapper always sends them).
//!
//! Needs Prism, so every test is ignored by a plain `cargo test`. Run it with
//! `bash scripts/contract-test.sh`, which starts Prism and runs
//! `PRISM_URL=http://127.0.0.1:PORT cargo test -p room-sessions --test contract -- --ignored`.
//! To run it against Prism serving another spec file, set `PRISM_SPEC` to that file.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use futures::TryStreamExt;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use room_sessions::api::types::ErrorResponse;
use room_sessions::{Error, Page, SessionStatus};
use serde_json::{Value, json};

use recorder::{Exchange, Recorder};

/// The spec, read as every test that checks something against it reads it.
#[path = "../../room-sessions-httpmock/tests/common/spec.rs"]
mod spec;

const TIMEOUT: Duration = Duration::from_secs(10);
/// Rounds of `Prefer: dynamic=true` per operation (and per documented error status).
const DYNAMIC_ROUNDS: usize = 20;
const ERROR_DYNAMIC_ROUNDS: usize = 3;

/// Credentials: a project id and an API token (Prism only checks the Basic scheme).
const PROJECT_ID: &str = "b3877c40-da60-4998-90ad-b792e98472af";
const API_TOKEN: &str = "PT1234567890abcdef";

const SESSION_ID: &str = "c22d24f6-5a47-4597-9a23-c7d01e696b92";
const ROOM_ID: &str = "a1b2c3d4-5e6f-7890-abcd-ef1234567890";
const PAGE_TOKEN: &str = "PAb3877c40da604998";
const PAGE_SIZE: u32 = 100;
const MEDIA_TTL: u64 = 600;

fn prism_url() -> String {
    std::env::var("PRISM_URL").expect(
        "PRISM_URL is not set: run `bash scripts/contract-test.sh`, which starts Prism and sets it",
    )
}

/// The client under test, and how it is built: the wrapper, its `reqwest::Client` (which
/// carries Prism's `Prefer` header), and the recording of its exchanges.
struct Subject {
    client: room_sessions::Client,
    http: reqwest::Client,
    recorder: Recorder,
}

impl Subject {
    /// A client of Prism with the credentials, one attempt per request (no retries: a 429 or
    /// a 500 is the answer asked for, and each call is exactly one exchange), and a `Prefer`
    /// header for Prism if given (`code=404`, `dynamic=true`, ...).
    async fn start(prefer: Option<&str>) -> Subject {
        let recorder = Recorder::default();
        let mut headers = HeaderMap::new();
        if let Some(prefer) = prefer {
            headers.insert(
                HeaderName::from_static("prefer"),
                HeaderValue::from_str(prefer).expect("a valid Prefer header"),
            );
        }
        // With `http_client`, the wrapper's own timeouts do not apply (and `build` refuses
        // them): they are set here, as is the wrapper's default of following no redirect.
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a reqwest client");
        let client = room_sessions::Client::builder()
            .base_url(prism_url())
            .project_id(PROJECT_ID)
            .api_token(API_TOKEN)
            .max_attempts(1)
            .http_client(http.clone())
            .record_to(recorder.clone())
            .build()
            .expect("a room_sessions client");
        Subject {
            client,
            http,
            recorder,
        }
    }
}

/// Which parameters a call sets.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Params {
    /// Only the required ones.
    Required,
    /// Every parameter the wrapper takes, each with a valid value.
    All,
}

/// What a call returned, and every request it sent with what Prism answered.
#[derive(Debug)]
struct Outcome {
    /// The decoded value re-encoded: a resource, or a page as `{"data": .., "links": ..}`.
    result: Result<Value, Error>,
    exchanges: Vec<Exchange>,
}

/// A page as the operation's generated list type encodes: its items and links.
fn page_json<T: serde::Serialize>(page: &Page<T>) -> Value {
    json!({ "data": page.items(), "links": page.links() })
}

/// Calls the operation `operation_id` through the wrapper, the first page for a listing.
async fn call(prefer: Option<&str>, operation_id: &str, params: Params) -> Outcome {
    let subject = Subject::start(prefer).await;
    let client = &subject.client;
    let all = params == Params::All;
    // Each listing takes its optional parameters one by one; this sets all of them or none.
    macro_rules! sized {
        ($listing:expr) => {{
            let listing = $listing;
            if all {
                listing.page_size(PAGE_SIZE)
            } else {
                listing
            }
        }};
    }
    let result = match operation_id {
        "list_room_sessions" => {
            let mut listing = sized!(client.room_sessions());
            if all {
                listing = listing
                    .room_id(ROOM_ID)
                    .room_name("my_example_room")
                    .room_name_matches("example")
                    .status(SessionStatus::Completed);
            }
            listing.send().await.map(|page| page_json(&page))
        }
        "get_room_session" => client
            .room_session(SESSION_ID)
            .await
            .map(|session| serde_json::to_value(&session).unwrap()),
        "list_room_session_members" => sized!(client.room_session_members(SESSION_ID))
            .send()
            .await
            .map(|page| page_json(&page)),
        "list_room_session_events" => sized!(client.room_session_events(SESSION_ID))
            .send()
            .await
            .map(|page| page_json(&page)),
        "list_room_session_recordings" => {
            let mut listing = sized!(client.room_session_recordings(SESSION_ID));
            if all {
                listing = listing.media_ttl(MEDIA_TTL);
            }
            listing.send().await.map(|page| page_json(&page))
        }
        other => panic!(
            "the spec has an operation {other} that this test does not call: add it to `call`"
        ),
    };
    Outcome {
        result,
        exchanges: subject.recorder.take(),
    }
}

/// The path and query parameters the wrapper must send for `call(.., operation_id, params)`.
fn expected_request(operation_id: &str, params: Params) -> (String, BTreeSet<(String, String)>) {
    let path = match operation_id {
        "list_room_sessions" => "/room_sessions".to_owned(),
        "get_room_session" => format!("/room_sessions/{SESSION_ID}"),
        "list_room_session_members" => format!("/room_sessions/{SESSION_ID}/members"),
        "list_room_session_events" => format!("/room_sessions/{SESSION_ID}/events"),
        "list_room_session_recordings" => format!("/room_sessions/{SESSION_ID}/recordings"),
        other => panic!("no request for {other}"),
    };
    let mut query: Vec<(&str, String)> = Vec::new();
    if params == Params::All && operation_id != "get_room_session" {
        query.push(("page_size", PAGE_SIZE.to_string()));
        match operation_id {
            "list_room_sessions" => query.extend([
                ("room_id", ROOM_ID.to_owned()),
                ("room_name", "my_example_room".to_owned()),
                ("room_name_matches", "example".to_owned()),
                ("status", "completed".to_owned()),
            ]),
            "list_room_session_recordings" => query.push(("media_ttl", MEDIA_TTL.to_string())),
            _ => {}
        }
    }
    let query = query
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect();
    (path, query)
}

/// Sends `operation_id` with every parameter, `page_number` included, through the generated
/// builders (the escape hatch `Client::api`, or a generated client without credentials).
async fn call_generated(
    api: &room_sessions::api::Client,
    operation_id: &str,
    page_number: i32,
) -> Result<StatusCode, room_sessions::api::Error<ErrorResponse>> {
    let id: room_sessions::Uuid = SESSION_ID.parse().unwrap();
    macro_rules! paged {
        ($builder:expr) => {
            $builder
                .page_number(page_number)
                .page_size(PAGE_SIZE)
                .page_token(PAGE_TOKEN)
        };
    }
    match operation_id {
        "list_room_sessions" => paged!(api.list_room_sessions())
            .room_id(ROOM_ID.parse::<room_sessions::Uuid>().unwrap())
            .room_name("my_example_room")
            .room_name_matches("example")
            .status(SessionStatus::Completed)
            .send()
            .await
            .map(|r| r.status()),
        "get_room_session" => api
            .get_room_session()
            .id(id)
            .send()
            .await
            .map(|r| r.status()),
        "list_room_session_members" => paged!(api.list_room_session_members().id(id))
            .send()
            .await
            .map(|r| r.status()),
        "list_room_session_events" => paged!(api.list_room_session_events().id(id))
            .send()
            .await
            .map(|r| r.status()),
        "list_room_session_recordings" => paged!(api.list_room_session_recordings().id(id))
            .media_ttl(MEDIA_TTL)
            .send()
            .await
            .map(|r| r.status()),
        other => panic!(
            "the spec has an operation {other} that this test does not call: add it to \
             `call_generated`"
        ),
    }
}

/// An operation of the spec: its id, its 200 example, and its documented error statuses.
struct Operation {
    id: String,
    example: Value,
    error_statuses: Vec<u16>,
    /// Whether Prism 5.14.2 skips validating this operation's query: it does, silently, for
    /// the whole query when one query parameter's schema has an `enum` listing `null`.
    prism_skips_query_validation: bool,
}

impl Operation {
    fn is_listing(&self) -> bool {
        self.id != "get_room_session"
    }
}

/// The operations of the spec Prism serves: `PRISM_SPEC` if set, else the workspace's spec.
fn operations() -> Vec<Operation> {
    let path = std::env::var_os("PRISM_SPEC").map_or_else(spec::spec_path, PathBuf::from);
    let spec = spec::spec_at(&path);
    let mut operations = Vec::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for (method, operation) in item.as_object().unwrap() {
            if method == "parameters" {
                continue;
            }
            let parameters = [&item["parameters"], &operation["parameters"]]
                .into_iter()
                .filter_map(Value::as_array)
                .flatten()
                .map(|parameter| spec::resolve(&spec, parameter));
            let prism_skips_query_validation = parameters
                .filter(|parameter| parameter["in"] == "query")
                .filter_map(|parameter| {
                    spec::resolve(&spec, &parameter["schema"])["enum"].as_array()
                })
                .any(|values| values.contains(&Value::Null));
            let responses = operation["responses"].as_object().unwrap();
            operations.push(Operation {
                id: operation["operationId"].as_str().unwrap().to_owned(),
                example: first_example(&responses["200"]["content"]["application/json"]),
                error_statuses: responses
                    .keys()
                    .filter(|status| *status != "200")
                    .map(|status| status.parse().expect("a numeric status"))
                    .collect(),
                prism_skips_query_validation,
            });
        }
    }
    let ids: Vec<&str> = operations.iter().map(|o| o.id.as_str()).collect();
    for known in [
        "list_room_sessions",
        "get_room_session",
        "list_room_session_members",
        "list_room_session_events",
        "list_room_session_recordings",
    ] {
        assert!(ids.contains(&known), "{known} is not in the spec: {ids:?}");
    }
    operations
}

/// The example Prism answers with by default: `example`, or else the first of `examples` (the
/// keys are sorted here, and the spec lists `current` first, so both pick the same one).
fn first_example(media: &Value) -> Value {
    match media.get("example") {
        Some(example) => example.clone(),
        None => media["examples"]
            .as_object()
            .and_then(|named| named.values().next())
            .map(|example| example["value"].clone())
            .expect("a 200 response with an example"),
    }
}

/// The one exchange of a call, checked: the status expected, and no violation found by Prism.
fn only_exchange<'a>(what: &str, exchanges: &'a [Exchange], status: u16) -> &'a Exchange {
    let [exchange] = exchanges else {
        panic!("{what}: expected one request through the recorder, got {exchanges:#?}");
    };
    assert_eq!(exchange.status, status, "{what}: {exchange:?}");
    assert_eq!(
        exchange.violations, None,
        "{what}: Prism found violations in {exchange:?}"
    );
    assert!(
        exchange.url.starts_with(&prism_url()),
        "{what}: not sent to PRISM_URL: {exchange:?}"
    );
    exchange
}

/// Fails unless the call succeeded, with one request that Prism answered 200 and found
/// nothing wrong with; returns the decoded value.
fn expect_ok(what: &str, outcome: Outcome) -> Value {
    let value = outcome
        .result
        .unwrap_or_else(|error| panic!("{what}: {error:?}\n{:#?}", outcome.exchanges));
    only_exchange(what, &outcome.exchanges, 200);
    value
}

/// The variant of `room_sessions::Error` a documented error status must become.
fn is_expected_variant(status: u16, error: &Error) -> bool {
    match status {
        400 | 422 => matches!(error, Error::Validation { .. }),
        401 => matches!(error, Error::Unauthorized { .. }),
        403 => matches!(error, Error::Forbidden { .. }),
        404 => matches!(error, Error::NotFound { .. }),
        429 => matches!(error, Error::RateLimited { .. }),
        500..=599 => matches!(error, Error::Server { .. }),
        other => panic!("the spec documents the status {other}: say which Error it becomes"),
    }
}

/// What the server said, as the error keeps it.
fn message_of(error: &Error) -> Option<&str> {
    match error {
        Error::NotFound { message }
        | Error::Unauthorized { message }
        | Error::Forbidden { message }
        | Error::Validation { message, .. }
        | Error::RateLimited { message, .. }
        | Error::Server { message, .. }
        | Error::UnexpectedStatus { message, .. } => message.as_deref(),
        _ => None,
    }
}

/// Fails unless the call ended as the error variant of `status`, with one request that
/// Prism answered `status` and found nothing wrong with, whose body decodes as the spec's
/// `ErrorResponse` and is what the error reports. Returns that body.
fn expect_error(what: &str, status: u16, outcome: Outcome) -> ErrorResponse {
    let exchange = only_exchange(what, &outcome.exchanges, status);
    let error = match outcome.result {
        Err(error) => error,
        Ok(value) => panic!("{what}: expected the error of HTTP {status}, got {value}"),
    };
    assert!(
        is_expected_variant(status, &error),
        "{what}: HTTP {status} became {error:?}"
    );
    assert_eq!(
        error.status().map(|s| s.as_u16()),
        Some(status),
        "{what}: {error:?}"
    );
    let body: ErrorResponse = serde_json::from_slice(&exchange.body)
        .unwrap_or_else(|e| panic!("{what}: the body is not an ErrorResponse ({e}): {exchange:?}"));
    // The error reports what the body says: its `error`, else its `errors`' messages; a
    // validation error keeps the `errors` themselves.
    let said = message_of(&error).unwrap_or_default();
    match body.error.as_deref().filter(|e| !e.trim().is_empty()) {
        Some(message) => assert_eq!(said, message, "{what}: {error:?}"),
        None if !matches!(error, Error::Validation { .. }) => {
            for problem in body.errors.iter().flatten() {
                assert!(said.contains(&problem.message), "{what}: {error:?}");
            }
        }
        None => {}
    }
    if matches!(error, Error::Validation { .. }) {
        assert_eq!(
            error.api_errors(),
            body.errors.as_deref().unwrap_or_default(),
            "{what}: {error:?}"
        );
    }
    body
}

#[tokio::test]
#[ignore = "needs a Prism mock server: run scripts/contract-test.sh"]
async fn every_operation_accepts_valid_parameters_and_decodes_the_example() {
    for operation in operations() {
        for params in [Params::Required, Params::All] {
            let what = format!("{} with {params:?} parameters", operation.id);
            let outcome = call(None, &operation.id, params).await;
            // The wrapper sent exactly the request it was asked for.
            let (path, query) = expected_request(&operation.id, params);
            let sent = &only_exchange(&what, &outcome.exchanges, 200).url;
            let url = reqwest::Url::parse(sent).unwrap();
            let sent: BTreeSet<(String, String)> = url
                .query_pairs()
                .map(|(key, value)| (key.into_owned(), value.into_owned()))
                .collect();
            assert_eq!(url.path(), path, "{what}");
            assert_eq!(sent, query, "{what}");
            // Prism answers with the spec's example; the wrapper decodes all of it.
            let value = expect_ok(&what, outcome);
            let expected = decode_like_reply(&operation.id, &operation.example);
            assert_eq!(value, expected, "{what}");
        }
    }
}

/// The spec's example decoded into the operation's generated type and re-encoded, like the
/// values `call` returns.
fn decode_like_reply(operation_id: &str, example: &Value) -> Value {
    use room_sessions::api::types::*;
    fn via<T: serde::de::DeserializeOwned + serde::Serialize>(example: &Value) -> Value {
        serde_json::to_value(serde_json::from_value::<T>(example.clone()).unwrap()).unwrap()
    }
    match operation_id {
        "list_room_sessions" => via::<RoomSessionList>(example),
        "get_room_session" => via::<RoomSession>(example),
        "list_room_session_members" => via::<RoomSessionMemberList>(example),
        "list_room_session_events" => via::<RoomSessionEventList>(example),
        "list_room_session_recordings" => via::<RoomSessionRecordingList>(example),
        other => panic!("no response type for {other}"),
    }
}

#[tokio::test]
#[ignore = "needs a Prism mock server: run scripts/contract-test.sh"]
async fn the_paging_parameters_of_followed_links_are_valid() {
    // `page_number` and `page_token` are sent only when a listing follows `links.next`, by
    // the generated builder of the operation; the generated client the wrapper holds sends
    // them here, with every other parameter.
    let subject = Subject::start(None).await;
    for operation in operations().iter().filter(|o| o.is_listing()) {
        let what = format!("{} with page_number and page_token", operation.id);
        let result = call_generated(subject.client.api(), &operation.id, 1).await;
        let exchanges = subject.recorder.take();
        assert_eq!(
            result.as_ref().ok(),
            Some(&StatusCode::OK),
            "{what}: {result:?}"
        );
        let exchange = only_exchange(&what, &exchanges, 200);
        assert!(
            exchange.url.contains("page_number=1") && exchange.url.contains("page_token="),
            "{what}: {exchange:?}"
        );
    }
}

#[tokio::test]
#[ignore = "needs a Prism mock server: run scripts/contract-test.sh"]
async fn a_stream_walks_the_example_pages_to_the_end() {
    // The members example has no `links.next` (and a `self` that is a path from the server's
    // root): the stream reads that one page, and ends.
    let operation = operations()
        .into_iter()
        .find(|o| o.id == "list_room_session_members")
        .unwrap();
    let next = &operation.example["links"]["next"];
    assert!(
        next.is_null(),
        "the members example now has a next link ({next}): pick another example"
    );
    let subject = Subject::start(None).await;
    let members: Vec<_> = subject
        .client
        .room_session_members(SESSION_ID)
        .page_size(PAGE_SIZE)
        .stream()
        .try_collect()
        .await
        .unwrap_or_else(|error| panic!("{error:?}\n{:#?}", subject.recorder.take()));
    only_exchange("the members stream", &subject.recorder.take(), 200);
    let expected = decode_like_reply(&operation.id, &operation.example);
    assert_eq!(serde_json::to_value(&members).unwrap(), expected["data"]);
    assert!(!members.is_empty(), "the example lists no member");
}

#[tokio::test]
#[ignore = "needs a Prism mock server: run scripts/contract-test.sh"]
async fn every_documented_error_status_is_the_right_error() {
    for operation in operations() {
        // What SignalWire documents: 400, 401, 403, 422, 429 and 500 everywhere, and 404 where
        // an id names a session.
        let mut documented = vec![400, 401, 403, 422, 429, 500];
        if operation.id != "list_room_sessions" {
            documented.push(404);
        }
        for status in documented {
            assert!(
                operation.error_statuses.contains(&status),
                "{} does not document {status}",
                operation.id
            );
        }
        for &status in &operation.error_statuses {
            let prefer = format!("code={status}");
            let what = format!("{} with Prefer: {prefer}", operation.id);
            let outcome = call(Some(&prefer), &operation.id, Params::All).await;
            let body = expect_error(&what, status, outcome);
            assert!(
                body.error.is_some() || body.errors.is_some(),
                "{what}: the example body has error or errors: {body:?}"
            );
        }
    }
}

#[tokio::test]
#[ignore = "needs a Prism mock server: run scripts/contract-test.sh"]
async fn random_valid_responses_all_decode() {
    for operation in operations() {
        for round in 0..DYNAMIC_ROUNDS {
            let what = format!("{} dynamic round {round}", operation.id);
            // A listing's first page only: the random `links.next` leads nowhere.
            let outcome = call(Some("dynamic=true"), &operation.id, Params::All).await;
            expect_ok(&what, outcome);
        }
    }
}

#[tokio::test]
#[ignore = "needs a Prism mock server: run scripts/contract-test.sh"]
async fn random_valid_error_bodies_all_decode() {
    for operation in operations() {
        for &status in &operation.error_statuses {
            let prefer = format!("code={status}, dynamic=true");
            for round in 0..ERROR_DYNAMIC_ROUNDS {
                let what = format!("{} with Prefer: {prefer}, round {round}", operation.id);
                let outcome = call(Some(&prefer), &operation.id, Params::All).await;
                expect_error(&what, status, outcome);
            }
        }
    }
}

#[tokio::test]
#[ignore = "needs a Prism mock server: run scripts/contract-test.sh"]
async fn prism_refuses_a_request_without_credentials() {
    // Proves Prism checks the credentials the wrapper sends: without Basic auth every
    // operation gets its 401. The wrapper always sends them, so a generated client without
    // the credentials' header sends these requests.
    let subject = Subject::start(None).await;
    let no_auth = room_sessions::api::Client::new_with_client(
        &prism_url(),
        subject.http.clone(),
        room_sessions::api::ClientOptions::default()
            .recorder(std::sync::Arc::new(subject.recorder.clone())),
    );
    for operation in operations() {
        let what = format!("{} without credentials", operation.id);
        let result = call_generated(&no_auth, &operation.id, 1).await;
        let exchanges = subject.recorder.take();
        assert!(
            matches!(&result, Err(room_sessions::api::Error::ErrorResponse(r)) if r.status() == 401),
            "{what}: {result:?}"
        );
        let [exchange] = &exchanges[..] else {
            panic!("{what}: expected one request, got {exchanges:#?}");
        };
        assert_eq!(exchange.status, 401, "{what}: {exchange:?}");
        let body: ErrorResponse = serde_json::from_slice(&exchange.body).unwrap();
        assert_eq!(body.error.as_deref(), Some("Unauthorized"), "{what}");
        let violations = exchange
            .violations
            .as_deref()
            .unwrap_or_else(|| panic!("{what}: no sl-violations"));
        assert!(violations.contains("security"), "{what}: {violations}");
    }
}

#[tokio::test]
#[ignore = "needs a Prism mock server: run scripts/contract-test.sh"]
async fn prism_validates_query_parameters() {
    // page_number below its minimum of 0: Prism answers the documented 422 and names it. The
    // wrapper has no way to send a page number (it sends only those of `links.next`, and
    // refuses a negative one there), so the generated client it holds sends it.
    let subject = Subject::start(None).await;
    for operation in operations().iter().filter(|o| o.is_listing()) {
        let what = format!("{} with page_number=-1", operation.id);
        let result = call_generated(subject.client.api(), &operation.id, -1).await;
        let exchanges = subject.recorder.take();
        let [exchange] = &exchanges[..] else {
            panic!("{what}: expected one request, got {exchanges:#?}");
        };
        if operation.prism_skips_query_validation {
            // Pins the known gap, so that this test learns of any change in it.
            assert!(
                matches!(&result, Ok(status) if *status == StatusCode::OK),
                "{what}: Prism validated a query it was expected to skip ({result:?})"
            );
            continue;
        }
        assert!(
            matches!(&result, Err(room_sessions::api::Error::ErrorResponse(r)) if r.status() == 422),
            "{what}: {result:?}"
        );
        assert_eq!(exchange.status, 422, "{what}: {exchange:?}");
        let violations = exchange
            .violations
            .as_deref()
            .unwrap_or_else(|| panic!("{what}: no sl-violations"));
        assert!(violations.contains("page_number"), "{what}: {violations}");
    }
    // What the wrapper can send out of range, it refuses itself, sending nothing.
    let refused = subject
        .client
        .room_session_members(SESSION_ID)
        .page_size(0)
        .send()
        .await;
    assert!(
        matches!(
            &refused,
            Err(Error::InvalidInput {
                parameter: "page_size",
                ..
            })
        ),
        "{refused:?}"
    );
    assert!(subject.recorder.take().is_empty());
}

/// The exchanges of a client, as its recording holds them.
mod recorder {
    use std::fmt;
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use serde_json::Value;

    /// One recorded exchange.
    pub struct Exchange {
        /// The method and the URL the client sent.
        pub method: String,
        pub url: String,
        /// The status of the answer.
        pub status: u16,
        /// Prism's `sl-violations` header, if it sent one.
        pub violations: Option<String>,
        pub body: Vec<u8>,
    }

    impl fmt::Debug for Exchange {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{} {} -> {}", self.method, self.url, self.status)?;
            if let Some(violations) = &self.violations {
                write!(f, ", sl-violations: {violations}")?;
            }
            write!(f, ", body: {}", String::from_utf8_lossy(&self.body))
        }
    }

    /// The lines of a recording: what the wrapper's `record_to` writes, and what a generated
    /// client without the wrapper hands the same hook (in the same format).
    #[derive(Clone, Default)]
    pub struct Recorder(Arc<Mutex<Vec<u8>>>);

    impl Write for Recorder {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl room_sessions::api::Recorder for Recorder {
        fn record(&self, exchange: &room_sessions::api::Exchange<'_>) {
            let headers: serde_json::Map<String, Value> = exchange
                .response_headers
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or("").into()))
                .collect();
            let line = serde_json::json!({
                "request": { "method": exchange.method.as_str(), "url": exchange.url.as_str() },
                "response": {
                    "status": exchange.status.as_u16(),
                    "headers": headers,
                    "body": String::from_utf8_lossy(exchange.body),
                },
            });
            let mut recorded = self.0.lock().unwrap();
            serde_json::to_writer(&mut *recorded, &line).unwrap();
            recorded.push(b'\n');
        }
    }

    impl Recorder {
        /// The exchanges recorded since the last call, in order.
        pub fn take(&self) -> Vec<Exchange> {
            let text = String::from_utf8(std::mem::take(&mut *self.0.lock().unwrap())).unwrap();
            text.lines()
                .map(|line| {
                    let line: Value = serde_json::from_str(line).unwrap();
                    let response = &line["response"];
                    Exchange {
                        method: line["request"]["method"].as_str().unwrap().to_owned(),
                        url: line["request"]["url"].as_str().unwrap().to_owned(),
                        status: response["status"].as_u64().unwrap() as u16,
                        violations: response["headers"]["sl-violations"]
                            .as_str()
                            .map(str::to_owned),
                        body: response["body"].as_str().unwrap().as_bytes().to_vec(),
                    }
                })
                .collect()
        }
    }
}
