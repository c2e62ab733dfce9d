//! Each kind of spec change, made to a temp copy of the fixture spec, gets the right class in
//! both generated files: the client (`room-sessions-api`) and its typed mocks
//! (`room-sessions-httpmock`). Rust's rules decide, not OpenAPI's: a property added to a schema
//! is harmless to the API's clients but breaks Rust code that builds the struct with a literal.

mod common;

use common::{Edit, generate, spec_with};
use xtask::classify::{Classified, Edit as Change};
use xtask::generate::{CLIENT, HTTPMOCK, Output};
use xtask::surface::Surface;

/// One spec change: the spec before it (the fixture with `base` applied) and after it (with
/// `change` applied as well), and what each generated file's surface shows, as
/// `CLASS: SIGN KEY: REASON` (see [`summary`]).
struct Case {
    name: &'static str,
    base: &'static [Edit],
    change: &'static [Edit],
    client: &'static [&'static str],
    mocks: &'static [&'static str],
}

/// The classified changes of `output` between two specs: `CLASS: SIGN KEY: REASON`, without
/// the items' descriptions (the surface tests check those).
fn summary(old_spec: &str, new_spec: &str, output: &Output) -> (Vec<String>, Classified) {
    let old = Surface::from_source(&generate(old_spec, output)).unwrap();
    let new = Surface::from_source(&generate(new_spec, output)).unwrap();
    let classified = Classified::between(&old, &new);
    let lines = classified
        .classified
        .iter()
        .map(|change| {
            let (sign, item) = match &change.edit {
                Change::Added(item) => ('+', item),
                Change::Removed(item) => ('-', item),
                Change::Changed(_, item) => ('~', item),
            };
            format!("{}: {sign} {}: {}", change.class, item.key(), change.reason)
        })
        .collect();
    (lines, classified)
}

const PAGE_SIZE: &str = "        - name: page_size\n          in: query\n";
const ROOM_NAME: &str = "        - name: room_name\n          in: query\n          schema:\n            type: string\n        - name: page_size\n          in: query\n";
const ROOM_NAME_REQUIRED: &str = "        - name: room_name\n          in: query\n          required: true\n          schema:\n            type: string\n        - name: page_size\n          in: query\n";
const STATUS_PARAM: &str = "        - name: status\n          in: query\n          schema:\n            $ref: '#/components/schemas/SessionStatusFilter'\n";
const START_TIME: &str = "        start_time:\n";
const SESSION_NAME: &str = "        name:\n          type: string\n";
const ERROR_SCHEMA: &str = "    Error:\n      type: object\n      properties:\n";
const SCHEMAS: &str = "  schemas:\n";
const KIND_SCHEMA: &str = "  schemas:\n    Kind:\n      type: string\n      enum: [room, call]\n";
const KIND_FIELD: &str = "        start_time:\n";
const RECORDINGS_PATH: &str = "  /room_sessions/{id}/recordings:\n";
const MEMBERS_OPERATION: &str = "  /room_sessions/{id}/members:\n    get:\n      operationId: list_room_session_members\n      parameters:\n        - $ref: '#/components/parameters/Id'\n      responses:\n        '200':\n          description: The session's members.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/RecordingList'\n        4XX:\n          $ref: '#/components/responses/Error'\n  /room_sessions/{id}/recordings:\n";
const RECORDINGS_OPERATION: &str = "  /room_sessions/{id}/recordings:\n    get:\n      operationId: list_room_session_recordings\n      parameters:\n        - $ref: '#/components/parameters/Id'\n      responses:\n        '200':\n          description: The session's recordings.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/RecordingList'\n        4XX:\n          $ref: '#/components/responses/Error'\n";
const GET_SESSION_RESPONSE: &str = "          description: The room session.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/RoomSession'\n";

const CASES: &[Case] = &[
    Case {
        name: "an optional query parameter added",
        base: &[],
        change: &[(PAGE_SIZE, ROOM_NAME)],
        client: &[
            "compatible: + operation list_room_sessions param room_name: a new optional builder setter",
        ],
        mocks: &["compatible: + mock list_room_sessions when room_name: a new matcher"],
    },
    Case {
        name: "a required query parameter added",
        base: &[],
        change: &[(PAGE_SIZE, ROOM_NAME_REQUIRED)],
        client: &[
            "breaking: + operation list_room_sessions param room_name: a new required parameter: calls that do not set it fail at send()",
        ],
        mocks: &["compatible: + mock list_room_sessions when room_name: a new matcher"],
    },
    Case {
        name: "an optional query parameter made required",
        base: &[],
        change: &[(
            "          in: query\n          schema:\n            type: integer\n",
            "          in: query\n          required: true\n          schema:\n            type: integer\n",
        )],
        client: &[
            "breaking: ~ operation list_room_sessions param page_size: now required: calls that do not set it fail at send()",
        ],
        mocks: &[
            "breaking: ~ mock list_room_sessions when page_size: a matcher's parameter type changed",
        ],
    },
    Case {
        name: "a required query parameter made optional",
        base: &[(PAGE_SIZE, ROOM_NAME_REQUIRED)],
        change: &[(ROOM_NAME_REQUIRED, ROOM_NAME)],
        client: &["compatible: ~ operation list_room_sessions param room_name: no longer required"],
        mocks: &[
            "breaking: ~ mock list_room_sessions when room_name: a matcher's parameter type changed",
        ],
    },
    Case {
        name: "a query parameter removed",
        base: &[],
        change: &[(STATUS_PARAM, "")],
        client: &[
            "breaking: - operation list_room_sessions param status: a builder setter removed",
        ],
        mocks: &["breaking: - mock list_room_sessions when status: a matcher removed"],
    },
    Case {
        name: "a path parameter's type changed",
        base: &[],
        change: &[(
            "        type: string\n        format: uuid\n",
            "        type: string\n",
        )],
        client: &[
            "breaking: ~ operation get_room_session param id: a builder setter's parameter type changed",
            "breaking: ~ operation list_room_session_recordings param id: a builder setter's parameter type changed",
        ],
        mocks: &[
            "breaking: ~ mock get_room_session when id: a matcher's parameter type changed",
            "breaking: ~ mock list_room_session_recordings when id: a matcher's parameter type changed",
        ],
    },
    Case {
        name: "an optional property added to a schema",
        base: &[],
        change: &[(
            START_TIME,
            "        cost_in_dollars:\n          type: number\n          format: double\n        start_time:\n",
        )],
        client: &[
            "breaking: + type RoomSession field cost_in_dollars: a field added to a struct users can build with a struct literal",
        ],
        mocks: &[],
    },
    Case {
        name: "a property removed",
        base: &[],
        change: &[(SESSION_NAME, "")],
        client: &["breaking: - type RoomSession field name: a pub field removed"],
        mocks: &[],
    },
    Case {
        name: "a property's type changed",
        base: &[],
        change: &[(SESSION_NAME, "        name:\n          type: integer\n")],
        client: &["breaking: ~ type RoomSession field name: a field's type changed"],
        mocks: &[],
    },
    Case {
        name: "a property made required (the struct loses Default)",
        base: &[],
        change: &[(
            ERROR_SCHEMA,
            "    Error:\n      type: object\n      required: [error]\n      properties:\n",
        )],
        client: &[
            "breaking: ~ type Error: no longer implements Default",
            "breaking: ~ type Error field error: a field's type changed",
        ],
        mocks: &[],
    },
    Case {
        name: "a schema added",
        base: &[],
        change: &[(
            SCHEMAS,
            "  schemas:\n    Note:\n      type: object\n      properties:\n        text:\n          type: string\n",
        )],
        client: &[
            "compatible: + type Note: a new type",
            "compatible: + type Note field text: a field of a new type",
            "compatible: + type Note fn builder: a method of a new type",
        ],
        mocks: &[],
    },
    Case {
        name: "a value added to a string enum",
        base: &[
            (SCHEMAS, KIND_SCHEMA),
            (
                KIND_FIELD,
                "        kind:\n          $ref: '#/components/schemas/Kind'\n        start_time:\n",
            ),
        ],
        change: &[("enum: [room, call]", "enum: [room, call, stream]")],
        client: &[
            "breaking: + enum Kind variant Stream: a variant added to an exhaustive enum: matches on it no longer cover it",
        ],
        mocks: &[],
    },
    Case {
        name: "a value removed from a string enum",
        base: &[
            (SCHEMAS, KIND_SCHEMA),
            (
                KIND_FIELD,
                "        kind:\n          $ref: '#/components/schemas/Kind'\n        start_time:\n",
            ),
        ],
        change: &[("enum: [room, call]", "enum: [room]")],
        client: &["breaking: - enum Kind variant Call: a variant removed"],
        mocks: &[],
    },
    Case {
        name: "an operation added",
        base: &[],
        change: &[(RECORDINGS_PATH, MEMBERS_OPERATION)],
        client: &[
            "compatible: + operation list_room_session_members: a new operation (method of Client)",
            "compatible: + operation list_room_session_members param id: a parameter of a new operation",
        ],
        mocks: &[
            "breaking: + mock list_room_session_members: a method without a default body added to MockServerExt, which users may implement",
            "compatible: + mock list_room_session_members then client_error: part of a new mock",
            "compatible: + mock list_room_session_members then ok: part of a new mock",
            "compatible: + mock list_room_session_members when id: part of a new mock",
        ],
    },
    Case {
        name: "an operation removed",
        base: &[],
        change: &[(RECORDINGS_OPERATION, "")],
        client: &[
            "breaking: - operation list_room_session_recordings: an operation (method of Client) removed",
            "breaking: - operation list_room_session_recordings param id: a builder setter removed",
        ],
        mocks: &[
            "breaking: - mock list_room_session_recordings: a MockServerExt method removed",
            "breaking: - mock list_room_session_recordings then client_error: a response removed",
            "breaking: - mock list_room_session_recordings then ok: a response removed",
            "breaking: - mock list_room_session_recordings when id: a matcher removed",
        ],
    },
    Case {
        name: "an operation's success type changed",
        base: &[],
        change: &[(
            GET_SESSION_RESPONSE,
            "          description: The room session.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Recording'\n",
        )],
        client: &["breaking: ~ operation get_room_session: what send() returns changed"],
        mocks: &["breaking: ~ mock get_room_session then ok: a response's body type changed"],
    },
    Case {
        name: "an operation's path changed",
        base: &[],
        change: &[(RECORDINGS_PATH, "  /room_sessions/{id}/recording_list:\n")],
        client: &[
            "compatible: ~ operation list_room_session_recordings: it sends another request; its Rust signature is the same",
        ],
        mocks: &[
            "compatible: ~ mock list_room_session_recordings: it matches another request; its Rust signature is the same",
        ],
    },
    Case {
        name: "a response status added",
        base: &[],
        change: &[(
            "                $ref: '#/components/schemas/RoomSession'\n        4XX:\n",
            "                $ref: '#/components/schemas/RoomSession'\n        '404':\n          $ref: '#/components/responses/Error'\n        4XX:\n",
        )],
        client: &[],
        mocks: &["compatible: + mock get_room_session then not_found: a new response"],
    },
];

#[test]
fn each_kind_of_spec_change_gets_its_class_in_both_generated_files() {
    let mut failures = Vec::new();
    for case in CASES {
        let old_spec = spec_with(case.base);
        let new_spec = spec_with(&[case.base, case.change].concat());
        for (output, expected) in [(&CLIENT, case.client), (&HTTPMOCK, case.mocks)] {
            let (lines, classified) = summary(&old_spec, &new_spec, output);
            if lines != expected {
                failures.push(format!(
                    "{} ({}):\n  expected {expected:#?}\n  got {lines:#?}\n{classified}",
                    case.name, output.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_summary_names_each_change_with_its_class_and_reason() {
    let old_spec = spec_with(&[]);
    let new_spec = spec_with(&[
        (SESSION_NAME, "        name:\n          type: integer\n"),
        (PAGE_SIZE, ROOM_NAME),
    ]);
    let (_, classified) = summary(&old_spec, &new_spec, &CLIENT);
    assert_eq!(
        classified.to_string(),
        "surface: 1 added, 0 removed, 1 changed (1 breaking, 1 compatible)\n\
         \x20 breaking: ~ type RoomSession field name: Option<i64>, json \"name\" \
         (was Option<String>, json \"name\"): a field's type changed\n\
         \x20 compatible: + operation list_room_sessions param room_name: String, optional: \
         a new optional builder setter\n"
    );
}
