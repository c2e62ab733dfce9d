//! Contract test: the client against a Prism mock server of openapi/room_sessions.yaml.
//!
//! Prism validates every request against the spec (and says what is wrong in an
//! `sl-violations` response header) and answers with the spec's examples, with the documented
//! error of a status chosen by `Prefer: code=NNN`, or with random data valid against the
//! schemas (`Prefer: dynamic=true`). So this checks that what the client sends is what the spec
//! allows, and that whatever the spec allows the server to send, the client decodes.
//!
//! Needs Prism, so every test is ignored by a plain `cargo test`. Run it with
//! `bash scripts/contract-test.sh`, which starts Prism and runs
//! `PRISM_URL=http://127.0.0.1:PORT cargo test -p room-sessions-api --test contract -- --ignored`.
//! To run it against Prism serving another spec file, set `PRISM_SPEC` to that file.

use std::path::PathBuf;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;
use subject::{Error, ErrorResponse};

/// The client under test, and how it is built. The test body only calls operations and reads
/// `Reply`s, so moving the test onto another client (the `room-sessions` wrapper crate) means
/// changing this module and `call`, nothing else.
mod subject {
    use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
    pub use room_sessions_api::Error;
    pub use room_sessions_api::types::ErrorResponse;
    use room_sessions_api::{Client, RequestHeaders};

    /// Basic credentials: a project id and an API token (Prism only checks the scheme).
    const BASIC_AUTH: &str =
        "Basic YjM4NzdjNDAtZGE2MC00OTk4LTkwYWQtYjc5MmU5ODQ3MmFmOlBUMTIzNDU2Nzg5MGFiY2RlZg==";

    /// What the client sends besides the request itself.
    #[derive(Clone, Debug, Default)]
    pub struct Setup {
        /// Send the Basic Authorization header.
        pub auth: bool,
        /// A `Prefer` header for Prism: `code=404`, `dynamic=true`, ...
        pub prefer: Option<String>,
    }

    pub fn client(base_url: &str, setup: &Setup) -> Client {
        let mut headers = HeaderMap::new();
        if setup.auth {
            let mut auth = HeaderValue::from_static(BASIC_AUTH);
            auth.set_sensitive(true);
            headers.insert(AUTHORIZATION, auth);
        }
        if let Some(prefer) = &setup.prefer {
            headers.insert(
                HeaderName::from_static("prefer"),
                HeaderValue::from_str(prefer).expect("a valid Prefer header"),
            );
        }
        let http = reqwest::Client::builder()
            .timeout(super::TIMEOUT)
            .build()
            .expect("a reqwest client");
        Client::new_with_client(base_url, http, RequestHeaders::new(headers))
    }
}

use subject::Setup;

const TIMEOUT: Duration = Duration::from_secs(10);
/// Rounds of `Prefer: dynamic=true` per operation (and per documented error status).
const DYNAMIC_ROUNDS: usize = 20;
const ERROR_DYNAMIC_ROUNDS: usize = 3;

const SESSION_ID: &str = "c22d24f6-5a47-4597-9a23-c7d01e696b92";
const ROOM_ID: &str = "a1b2c3d4-5e6f-7890-abcd-ef1234567890";
const PAGE_TOKEN: &str = "PAb3877c40da604998";

/// Credentials, and a `Prefer` header if given.
fn setup(prefer: Option<String>) -> Setup {
    Setup { auth: true, prefer }
}

fn prism_url() -> String {
    std::env::var("PRISM_URL").expect(
        "PRISM_URL is not set: run `bash scripts/contract-test.sh`, which starts Prism and sets it",
    )
}

/// Which parameters a call sets.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Params {
    /// Only the required ones.
    Required,
    /// Every parameter, each with a valid value.
    All,
    /// Every parameter, with `page_number` below its documented minimum of 0.
    NegativePageNumber,
}

/// What a call returned, whatever the operation.
#[derive(Debug)]
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    /// The decoded body, re-encoded.
    body: Value,
}

fn reply<T: serde::Serialize>(response: room_sessions_api::ResponseValue<T>) -> Reply {
    Reply {
        status: response.status(),
        headers: response.headers().clone(),
        body: serde_json::to_value(response.into_inner()).unwrap(),
    }
}

/// Calls the operation `operation_id` and returns its decoded reply.
async fn call(
    setup: &Setup,
    operation_id: &str,
    params: Params,
) -> Result<Reply, Error<ErrorResponse>> {
    let client = subject::client(&prism_url(), setup);
    let id: uuid::Uuid = SESSION_ID.parse().unwrap();
    let all = params != Params::Required;
    let page_number = if params == Params::NegativePageNumber {
        -1
    } else {
        1
    };
    // Each builder takes the optional parameters one by one; this sets all of them or none.
    macro_rules! paged {
        ($builder:expr) => {{
            let builder = $builder;
            if all {
                builder
                    .page_number(page_number)
                    .page_size(100u32)
                    .page_token(PAGE_TOKEN)
            } else {
                builder
            }
        }};
    }
    match operation_id {
        "list_room_sessions" => {
            let mut builder = paged!(client.list_room_sessions());
            if all {
                builder = builder
                    .room_id(ROOM_ID.parse::<uuid::Uuid>().unwrap())
                    .room_name("my_example_room")
                    .room_name_matches("example")
                    .status(room_sessions_api::tolerant::SessionStatus::Completed);
            }
            builder.send().await.map(reply)
        }
        "get_room_session" => client.get_room_session().id(id).send().await.map(reply),
        "list_room_session_members" => paged!(client.list_room_session_members().id(id))
            .send()
            .await
            .map(reply),
        "list_room_session_events" => paged!(client.list_room_session_events().id(id))
            .send()
            .await
            .map(reply),
        "list_room_session_recordings" => {
            let mut builder = paged!(client.list_room_session_recordings().id(id));
            if all {
                builder = builder.media_ttl(600u64);
            }
            builder.send().await.map(reply)
        }
        other => panic!(
            "the spec has an operation {other} that this test does not call: add it to `call`"
        ),
    }
}

/// An operation of the spec: its id, its 200 example, and its documented error statuses.
struct Operation {
    id: String,
    example: Value,
    error_statuses: Vec<u16>,
    /// Whether Prism 5.14.2 skips validating this operation's query: it does, silently, for
    /// the whole query when one query parameter's schema has an `enum` listing `null` (as
    /// `list_room_sessions`' `status` does through the nullable `SessionStatus`).
    prism_skips_query_validation: bool,
}

/// Follows a local `$ref` if `node` is one.
fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').expect("a local $ref");
            resolve(spec, spec.pointer(pointer).expect("a resolvable $ref"))
        }
        None => node,
    }
}

/// The operations of the spec Prism serves: `PRISM_SPEC` if set, else the workspace's spec.
fn operations() -> Vec<Operation> {
    let path = std::env::var_os("PRISM_SPEC").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../openapi/room_sessions.yaml"),
        PathBuf::from,
    );
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let spec = serde_json::to_value(yaml).unwrap();
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
                .map(|parameter| resolve(&spec, parameter));
            let prism_skips_query_validation = parameters
                .filter(|parameter| parameter["in"] == "query")
                .filter_map(|parameter| resolve(&spec, &parameter["schema"])["enum"].as_array())
                .any(|values| values.contains(&Value::Null));
            let responses = operation["responses"].as_object().unwrap();
            operations.push(Operation {
                id: operation["operationId"].as_str().unwrap().to_owned(),
                example: responses["200"]["content"]["application/json"]["example"].clone(),
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

/// Prism's list of what is wrong with a request or its response, if anything.
fn violations(headers: &HeaderMap) -> Option<String> {
    headers
        .get("sl-violations")
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// Fails unless the call succeeded with a 200 and Prism saw nothing wrong.
fn expect_ok(what: &str, result: Result<Reply, Error<ErrorResponse>>) -> Reply {
    let reply = result.unwrap_or_else(|error| panic!("{what}: {error:?}"));
    assert_eq!(reply.status, StatusCode::OK, "{what}");
    assert_eq!(
        violations(&reply.headers),
        None,
        "{what}: Prism found violations"
    );
    reply
}

/// Fails unless the call ended as the typed error response of `status`.
fn expect_error_response(
    what: &str,
    status: u16,
    result: Result<Reply, Error<ErrorResponse>>,
) -> (ErrorResponse, HeaderMap) {
    match result {
        Err(Error::ErrorResponse(response)) => {
            assert_eq!(response.status().as_u16(), status, "{what}");
            let headers = response.headers().clone();
            (response.into_inner(), headers)
        }
        other => panic!("{what}: expected the typed error response {status}, got {other:?}"),
    }
}

#[tokio::test]
#[ignore = "needs a Prism mock server: run scripts/contract-test.sh"]
async fn every_operation_accepts_valid_parameters_and_decodes_the_example() {
    for operation in operations() {
        for params in [Params::Required, Params::All] {
            let what = format!("{} with {params:?} parameters", operation.id);
            let reply = expect_ok(&what, call(&setup(None), &operation.id, params).await);
            // Prism answers with the spec's example; the client decodes all of it.
            let expected = decode_like_reply(&operation.id, &operation.example);
            assert_eq!(reply.body, expected, "{what}");
        }
    }
}

/// The spec's example decoded into the operation's type and re-encoded, like `Reply::body`.
fn decode_like_reply(operation_id: &str, example: &Value) -> Value {
    use room_sessions_api::types::*;
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
async fn every_documented_error_status_is_a_typed_error_response() {
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
            let setup = setup(Some(prefer));
            let (body, headers) = expect_error_response(
                &what,
                status,
                call(&setup, &operation.id, Params::All).await,
            );
            assert_eq!(violations(&headers), None, "{what}: Prism found violations");
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
    let dynamic = setup(Some("dynamic=true".to_owned()));
    for operation in operations() {
        for round in 0..DYNAMIC_ROUNDS {
            let what = format!("{} dynamic round {round}", operation.id);
            expect_ok(&what, call(&dynamic, &operation.id, Params::All).await);
        }
    }
}

#[tokio::test]
#[ignore = "needs a Prism mock server: run scripts/contract-test.sh"]
async fn random_valid_error_bodies_all_decode() {
    for operation in operations() {
        for &status in &operation.error_statuses {
            let setup = setup(Some(format!("code={status}, dynamic=true")));
            for round in 0..ERROR_DYNAMIC_ROUNDS {
                let what = format!("{} with {setup:?}, round {round}", operation.id);
                expect_error_response(
                    &what,
                    status,
                    call(&setup, &operation.id, Params::All).await,
                );
            }
        }
    }
}

#[tokio::test]
#[ignore = "needs a Prism mock server: run scripts/contract-test.sh"]
async fn prism_refuses_a_request_without_credentials() {
    // Proves Prism validates requests: without Basic auth every operation gets its 401.
    let no_auth = Setup::default();
    for operation in operations() {
        let what = format!("{} without credentials", operation.id);
        let (body, headers) =
            expect_error_response(&what, 401, call(&no_auth, &operation.id, Params::All).await);
        assert_eq!(body.error.as_deref(), Some("Unauthorized"), "{what}");
        let violations = violations(&headers).unwrap_or_else(|| panic!("{what}: no sl-violations"));
        assert!(violations.contains("security"), "{what}: {violations}");
    }
}

#[tokio::test]
#[ignore = "needs a Prism mock server: run scripts/contract-test.sh"]
async fn prism_validates_query_parameters() {
    // page_number below its minimum of 0: Prism answers the documented 422 and names it.
    for operation in operations() {
        if operation.id == "get_room_session" {
            continue; // No query parameters; its only parameter, a Uuid, cannot be invalid.
        }
        let what = format!("{} with page_number=-1", operation.id);
        let result = call(&setup(None), &operation.id, Params::NegativePageNumber).await;
        if operation.prism_skips_query_validation {
            // Pins the known gap, so that this test learns of any change in it.
            assert!(
                matches!(&result, Ok(reply) if reply.status == StatusCode::OK),
                "{what}: Prism validated a query it was expected to skip ({result:?})"
            );
            continue;
        }
        let (_, headers) = expect_error_response(&what, 422, result);
        let violations = violations(&headers).unwrap_or_else(|| panic!("{what}: no sl-violations"));
        assert!(violations.contains("page_number"), "{what}: {violations}");
    }
}
