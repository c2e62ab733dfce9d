//! Edits of a copy of the bundled spec show in `cargo xtask codegen`'s report as exactly those
//! changes of each committed file's public surface (the surfaces themselves are the snapshots
//! under `tests/snapshots`, checked by the unit tests of `src/surface.rs`).

mod common;

use std::fs;
use std::path::Path;

use common::{CODEGEN_BOTH, bundled_spec, surface_lines, xtask, xtask_ok};

/// One edit of the bundled spec (as JSON) and the surface lines each regenerated file reports.
struct Case {
    name: &'static str,
    edit: fn(&mut serde_json::Value),
    client: &'static [&'static str],
    mocks: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "a nullable property added",
        edit: |spec| {
            spec["components"]["schemas"]["RoomSession"]["properties"]["moderator_count"] =
                serde_json::json!({"type": "integer", "format": "int32", "nullable": true});
        },
        client: &[
            "surface: 1 added, 0 removed, 0 changed (1 breaking, 0 compatible)",
            "breaking: + type RoomSession field moderator_count: Option<i32>, json \"moderator_count\": a field added to a struct users can build with a struct literal",
        ],
        mocks: &["surface: unchanged"],
    },
    Case {
        name: "an operation removed and a parameter retyped",
        edit: |spec| {
            spec["paths"]
                .as_object_mut()
                .unwrap()
                .remove("/room_sessions/{id}/events");
            spec["components"]["parameters"]["PageNumber"]["schema"]["format"] = "int64".into();
        },
        client: &[
            "surface: 0 added, 5 removed, 3 changed (8 breaking, 0 compatible)",
            "breaking: - operation list_room_session_events: GET /room_sessions/{id}/events -> RoomSessionEventList, error ErrorResponse: an operation (method of Client) removed",
            "breaking: - operation list_room_session_events param id: Uuid, required: a builder setter removed",
            "breaking: - operation list_room_session_events param page_number: i32, optional: a builder setter removed",
            "breaking: - operation list_room_session_events param page_size: NonZeroU32, optional: a builder setter removed",
            "breaking: - operation list_room_session_events param page_token: String, optional: a builder setter removed",
            "breaking: ~ operation list_room_session_members param page_number: i64, optional (was i32, optional): a builder setter's parameter type changed",
            "breaking: ~ operation list_room_session_recordings param page_number: i64, optional (was i32, optional): a builder setter's parameter type changed",
            "breaking: ~ operation list_room_sessions param page_number: i64, optional (was i32, optional): a builder setter's parameter type changed",
        ],
        mocks: &[
            "surface: 0 added, 13 removed, 3 changed (16 breaking, 0 compatible)",
            "breaking: - mock list_room_session_events: GET ^/room_sessions/[^/]*/events$; MockServerExt method without a default body: a MockServerExt method removed",
            "breaking: - mock list_room_session_events then bad_request: 400, &ErrorResponse: a response removed",
            "breaking: - mock list_room_session_events then forbidden: 403, &ErrorResponse: a response removed",
            "breaking: - mock list_room_session_events then internal_server_error: 500, &ErrorResponse: a response removed",
            "breaking: - mock list_room_session_events then not_found: 404, &ErrorResponse: a response removed",
            "breaking: - mock list_room_session_events then ok: 200, &RoomSessionEventList: a response removed",
            "breaking: - mock list_room_session_events then too_many_requests: 429, &ErrorResponse: a response removed",
            "breaking: - mock list_room_session_events then unauthorized: 401, &ErrorResponse: a response removed",
            "breaking: - mock list_room_session_events then unprocessable_entity: 422, &ErrorResponse: a response removed",
            "breaking: - mock list_room_session_events when id: &Uuid, required: a matcher removed",
            "breaking: - mock list_room_session_events when page_number: i32, optional: a matcher removed",
            "breaking: - mock list_room_session_events when page_size: NonZeroU32, optional: a matcher removed",
            "breaking: - mock list_room_session_events when page_token: &str, optional: a matcher removed",
            "breaking: ~ mock list_room_session_members when page_number: i64, optional (was i32, optional): a matcher's parameter type changed",
            "breaking: ~ mock list_room_session_recordings when page_number: i64, optional (was i32, optional): a matcher's parameter type changed",
            "breaking: ~ mock list_room_sessions when page_number: i64, optional (was i32, optional): a matcher's parameter type changed",
        ],
    },
    Case {
        name: "an optional query parameter added",
        edit: |spec| {
            let parameters = &mut spec["paths"]["/room_sessions"]["get"]["parameters"];
            parameters.as_array_mut().unwrap().push(serde_json::json!({
                "name": "min_duration",
                "in": "query",
                "description": "Only sessions that lasted at least this many seconds.",
                "schema": {"type": "integer", "format": "int64", "minimum": 0},
            }));
        },
        client: &[
            "surface: 1 added, 0 removed, 0 changed (0 breaking, 1 compatible)",
            "compatible: + operation list_room_sessions param min_duration: i64, optional: a new optional builder setter",
        ],
        mocks: &[
            "surface: 1 added, 0 removed, 0 changed (0 breaking, 1 compatible)",
            "compatible: + mock list_room_sessions when min_duration: i64, optional: a new matcher",
        ],
    },
];

#[test]
fn an_edit_of_the_spec_shows_as_exactly_its_changes_of_each_files_surface() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let bundled = bundled_spec();
    for case in CASES {
        let dir = tempfile::tempdir().unwrap();
        for (committed, copy) in [
            ("crates/room-sessions-api/src/generated.rs", "client.rs"),
            ("crates/room-sessions-httpmock/src/generated.rs", "mocks.rs"),
        ] {
            fs::copy(root.join(committed), dir.path().join(copy)).unwrap();
        }
        let mut spec: serde_json::Value = serde_yaml::from_str(&bundled).unwrap();
        (case.edit)(&mut spec);
        fs::write(
            dir.path().join("spec.yaml"),
            serde_yaml::to_string(&spec).unwrap(),
        )
        .unwrap();

        // The committed files are stale against it, the check says how, and one run
        // regenerates both and says what each gained or lost.
        let check = xtask(dir.path(), &[&CODEGEN_BOTH[..], &["--check"]].concat());
        assert_eq!(check.code, Some(1), "{}", case.name);
        let report = xtask_ok(dir.path(), &CODEGEN_BOTH);
        for (file, expected) in [("client.rs", case.client), ("mocks.rs", case.mocks)] {
            assert_eq!(
                surface_lines(&check.stderr, file),
                expected,
                "{}: {file}",
                case.name
            );
            assert_eq!(
                surface_lines(&report, file),
                expected,
                "{}: {file}",
                case.name
            );
        }
    }
}
