//! The spec's own response examples decode into the generated types.
//!
//! For every operation in openapi/room_sessions.yaml, its 200 example and the example of every
//! error response are decoded into the Rust type named by the response schema's `$ref`, and
//! snapshotted. An operation without an example, or a response schema this test has no type
//! for, fails the test, so a new operation or schema cannot slip by unchecked.

use std::collections::BTreeSet;
use std::fmt::Debug;

use room_sessions_api::types::{
    ErrorResponse, RoomSession, RoomSessionEventList, RoomSessionList, RoomSessionMemberList,
    RoomSessionRecordingList,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

mod common;

use common::spec::{resolve, spec};

const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The component name a response's `$ref`, if it has one (`BadRequest`), else None.
fn response_component(node: &Value) -> Option<&str> {
    node.get("$ref")?
        .as_str()?
        .strip_prefix("#/components/responses/")
}

/// One example of one response of the spec.
struct Example {
    /// Where it is, for messages: `get_room_session 404 (#/components/responses/NotFound)`.
    place: String,
    /// The snapshot's name.
    snapshot: String,
    /// The snapshot's description: what the example is, independent of which operation
    /// happened to be walked first.
    description: String,
    schema: String,
    value: Value,
}

/// Every example of every response of every operation; panics where one is missing.
fn examples(spec: &Value) -> Vec<Example> {
    let mut found = Vec::new();
    let mut seen_components = BTreeSet::new();
    let paths = spec["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for method in HTTP_METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let operation_id = operation["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            let responses = operation["responses"].as_object().expect("responses");
            assert!(
                responses.contains_key("200"),
                "{operation_id} has no 200 response"
            );
            for (status, response) in responses {
                let component = response_component(response);
                let place = match component {
                    Some(name) => {
                        format!("{operation_id} {status} (#/components/responses/{name})")
                    }
                    None => format!("{operation_id} {status}"),
                };
                // An error response shared through components is checked once.
                if let Some(name) = component
                    && !seen_components.insert(name.to_owned())
                {
                    continue;
                }
                let media = resolve(spec, response)
                    .pointer("/content/application~1json")
                    .unwrap_or_else(|| panic!("{place} has no application/json content"));
                let schema = media["schema"]["$ref"]
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    .unwrap_or_else(|| panic!("{place}: schema is not a $ref to a component"))
                    .to_owned();
                let stem = match component {
                    Some(name) => format!("response_{name}"),
                    None => format!("{operation_id}_{status}"),
                };
                let description = match component {
                    Some(name) => format!("#/components/responses/{name} ({schema})"),
                    None => format!("{operation_id} {status} ({schema})"),
                };
                let mut values = Vec::new();
                if let Some(value) = media.get("example") {
                    values.push((stem.clone(), value.clone()));
                }
                if let Some(named) = media.get("examples").and_then(Value::as_object) {
                    for (name, example) in named {
                        let value = resolve(spec, example)
                            .get("value")
                            .unwrap_or_else(|| panic!("{place}: example {name} has no value"));
                        values.push((format!("{stem}_{name}"), value.clone()));
                    }
                }
                assert!(!values.is_empty(), "{place} has no example");
                for (snapshot, value) in values {
                    found.push(Example {
                        place: place.clone(),
                        snapshot,
                        description: description.clone(),
                        schema: schema.clone(),
                        value,
                    });
                }
            }
        }
    }
    found
}

/// The key paths of every non-null value (`data[].links.self`), to compare an example with the
/// re-encoding of its decoded value: re-encoding drops nulls and fields the type lacks.
fn non_null_paths(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            // A free-form object (an event's payload) is re-encoded whole, nulls included.
            if map.is_empty() {
                out.insert(prefix.to_owned());
            }
            for (key, child) in map {
                non_null_paths(child, &format!("{prefix}.{key}"), out);
            }
        }
        Value::Array(items) => {
            out.insert(format!("{prefix}[]"));
            for item in items {
                non_null_paths(item, &format!("{prefix}[]"), out);
            }
        }
        _ => {
            out.insert(prefix.to_owned());
        }
    }
}

/// Decodes the example as the client decodes a body, checks nothing but nulls is lost, and
/// returns the `Debug` view for the snapshot.
fn check<T: DeserializeOwned + Serialize + Debug>(example: &Example) -> String {
    let body = serde_json::to_vec(&example.value).unwrap();
    let decoded: T = serde_json::from_slice(&body).unwrap_or_else(|e| {
        panic!(
            "{}: the example does not decode as {}: {e}",
            example.place, example.schema
        )
    });
    let mut expected = BTreeSet::new();
    non_null_paths(&example.value, "", &mut expected);
    let mut actual = BTreeSet::new();
    non_null_paths(&serde_json::to_value(&decoded).unwrap(), "", &mut actual);
    assert_eq!(
        expected, actual,
        "{}: re-encoding the decoded example loses or adds fields",
        example.place
    );
    format!("{decoded:#?}")
}

#[test]
fn every_response_example_decodes_into_its_generated_type() {
    let spec = spec();
    let examples = examples(&spec);
    for example in &examples {
        let view = match example.schema.as_str() {
            "RoomSession" => check::<RoomSession>(example),
            "RoomSessionList" => check::<RoomSessionList>(example),
            "RoomSessionMemberList" => check::<RoomSessionMemberList>(example),
            "RoomSessionEventList" => check::<RoomSessionEventList>(example),
            "RoomSessionRecordingList" => check::<RoomSessionRecordingList>(example),
            "ErrorResponse" => check::<ErrorResponse>(example),
            other => panic!(
                "{}: no Rust type mapped for schema {other}; add it to this test",
                example.place
            ),
        };
        insta::with_settings!({ description => example.description.as_str(), omit_expression => true }, {
            insta::assert_snapshot!(example.snapshot.as_str(), view);
        });
    }
    // The walk over the spec found what it must (an empty walk would check nothing).
    let snapshots: BTreeSet<&str> = examples.iter().map(|e| e.snapshot.as_str()).collect();
    for expected in [
        "list_room_sessions_200",
        // Both generations of a room session's fields.
        "get_room_session_200_current",
        "get_room_session_200_legacy",
        "list_room_session_members_200",
        "list_room_session_events_200",
        "list_room_session_recordings_200",
        "response_BadRequest",
        "response_Unauthorized",
        "response_Forbidden",
        "response_NotFound",
        "response_UnprocessableEntity",
        "response_TooManyRequests",
        "response_InternalServerError",
    ] {
        assert!(
            snapshots.contains(expected),
            "no example found for {expected}"
        );
    }
}
