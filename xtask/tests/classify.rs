//! Each kind of spec change, made to a temp copy of the fixture spec, gets the right class in
//! both generated files: the client (`room-sessions-api`) and its typed mocks
//! (`room-sessions-httpmock`), as `cargo xtask codegen` reports it when it rewrites them. Rust's
//! rules decide, not OpenAPI's: a property added to a schema is harmless to the API's clients
//! but breaks Rust code that builds the struct with a literal. Each rule of `src/classify.rs`
//! is reached by a case, on code progenitor really generates.

mod common;

use std::fs;

use common::{CODEGEN_BOTH, Edit, scratch, spec_with, surface_lines, xtask_ok};

/// One spec change: the spec before it (the fixture with `base` applied) and after it (with
/// `change` applied as well), and the surface summary and classified changes that regenerating
/// each file reports (none when the file is up to date).
struct Case {
    name: &'static str,
    base: &'static [Edit],
    change: &'static [Edit],
    client: &'static [&'static str],
    mocks: &'static [&'static str],
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
            "surface: 1 added, 0 removed, 0 changed (0 breaking, 1 compatible)",
            "compatible: + operation list_room_sessions param room_name: String, optional: a new optional builder setter",
        ],
        mocks: &[
            "surface: 1 added, 0 removed, 0 changed (0 breaking, 1 compatible)",
            "compatible: + mock list_room_sessions when room_name: &str, optional: a new matcher",
        ],
    },
    Case {
        name: "a required query parameter added",
        base: &[],
        change: &[(PAGE_SIZE, ROOM_NAME_REQUIRED)],
        client: &[
            "surface: 1 added, 0 removed, 0 changed (1 breaking, 0 compatible)",
            "breaking: + operation list_room_sessions param room_name: String, required: a new required parameter: calls that do not set it fail at send()",
        ],
        mocks: &[
            "surface: 1 added, 0 removed, 0 changed (0 breaking, 1 compatible)",
            "compatible: + mock list_room_sessions when room_name: &str, required: a new matcher",
        ],
    },
    Case {
        name: "an optional query parameter made required",
        base: &[],
        change: &[(
            "          in: query\n          schema:\n            type: integer\n",
            "          in: query\n          required: true\n          schema:\n            type: integer\n",
        )],
        client: &[
            "surface: 0 added, 0 removed, 1 changed (1 breaking, 0 compatible)",
            "breaking: ~ operation list_room_sessions param page_size: NonZeroU32, required (was NonZeroU32, optional): now required: calls that do not set it fail at send()",
        ],
        mocks: &[
            "surface: 0 added, 0 removed, 1 changed (1 breaking, 0 compatible)",
            "breaking: ~ mock list_room_sessions when page_size: NonZeroU32, required (was NonZeroU32, optional): a matcher's parameter type changed",
        ],
    },
    Case {
        name: "a required query parameter made optional",
        base: &[(PAGE_SIZE, ROOM_NAME_REQUIRED)],
        change: &[(ROOM_NAME_REQUIRED, ROOM_NAME)],
        client: &[
            "surface: 0 added, 0 removed, 1 changed (0 breaking, 1 compatible)",
            "compatible: ~ operation list_room_sessions param room_name: String, optional (was String, required): no longer required",
        ],
        mocks: &[
            "surface: 0 added, 0 removed, 1 changed (1 breaking, 0 compatible)",
            "breaking: ~ mock list_room_sessions when room_name: &str, optional (was &str, required): a matcher's parameter type changed",
        ],
    },
    Case {
        name: "a query parameter removed",
        base: &[],
        change: &[(STATUS_PARAM, "")],
        client: &[
            "surface: 0 added, 1 removed, 0 changed (1 breaking, 0 compatible)",
            "breaking: - operation list_room_sessions param status: SessionStatus, optional: a builder setter removed",
        ],
        mocks: &[
            "surface: 0 added, 1 removed, 0 changed (1 breaking, 0 compatible)",
            "breaking: - mock list_room_sessions when status: &SessionStatus, optional: a matcher removed",
        ],
    },
    Case {
        name: "a path parameter's type changed",
        base: &[],
        change: &[(
            "        type: string\n        format: uuid\n",
            "        type: string\n",
        )],
        client: &[
            "surface: 0 added, 0 removed, 2 changed (2 breaking, 0 compatible)",
            "breaking: ~ operation get_room_session param id: String, required (was Uuid, required): a builder setter's parameter type changed",
            "breaking: ~ operation list_room_session_recordings param id: String, required (was Uuid, required): a builder setter's parameter type changed",
        ],
        mocks: &[
            "surface: 0 added, 0 removed, 2 changed (2 breaking, 0 compatible)",
            "breaking: ~ mock get_room_session when id: &str, required (was &Uuid, required): a matcher's parameter type changed",
            "breaking: ~ mock list_room_session_recordings when id: &str, required (was &Uuid, required): a matcher's parameter type changed",
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
            "surface: 1 added, 0 removed, 0 changed (1 breaking, 0 compatible)",
            "breaking: + type RoomSession field cost_in_dollars: Option<f64>, json \"cost_in_dollars\": a field added to a struct users can build with a struct literal",
        ],
        mocks: &[],
    },
    Case {
        name: "a property removed",
        base: &[],
        change: &[(SESSION_NAME, "")],
        client: &[
            "surface: 0 added, 1 removed, 0 changed (1 breaking, 0 compatible)",
            "breaking: - type RoomSession field name: Option<String>, json \"name\": a pub field removed",
        ],
        mocks: &[],
    },
    Case {
        name: "a property's type changed",
        base: &[],
        change: &[(SESSION_NAME, "        name:\n          type: integer\n")],
        client: &[
            "surface: 0 added, 0 removed, 1 changed (1 breaking, 0 compatible)",
            "breaking: ~ type RoomSession field name: Option<i64>, json \"name\" (was Option<String>, json \"name\"): a field's type changed",
        ],
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
            "surface: 0 added, 0 removed, 2 changed (2 breaking, 0 compatible)",
            "breaking: ~ type Error: struct, exhaustive, pub fields; impl Clone, Debug, Deserialize, PartialEq, Serialize (was struct, exhaustive, pub fields; impl Clone, Debug, Default, Deserialize, PartialEq, Serialize): no longer implements Default",
            "breaking: ~ type Error field error: String, json \"error\" (was Option<String>, json \"error\"): a field's type changed",
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
            "surface: 3 added, 0 removed, 0 changed (0 breaking, 3 compatible)",
            "compatible: + type Note: struct, exhaustive, pub fields; impl Clone, Debug, Default, Deserialize, PartialEq, Serialize: a new type",
            "compatible: + type Note field text: Option<String>, json \"text\": a field of a new type",
            "compatible: + type Note fn builder: fn() -> builder::Note: a method of a new type",
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
            "surface: 1 added, 0 removed, 0 changed (1 breaking, 0 compatible)",
            "breaking: + enum Kind variant Stream: json \"stream\": a variant added to an exhaustive enum: matches on it no longer cover it",
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
        client: &[
            "surface: 0 added, 1 removed, 0 changed (1 breaking, 0 compatible)",
            "breaking: - enum Kind variant Call: json \"call\": a variant removed",
        ],
        mocks: &[],
    },
    Case {
        name: "an operation added",
        base: &[],
        change: &[(RECORDINGS_PATH, MEMBERS_OPERATION)],
        client: &[
            "surface: 2 added, 0 removed, 0 changed (0 breaking, 2 compatible)",
            "compatible: + operation list_room_session_members: GET /room_sessions/{id}/members -> RecordingList, error Error: a new operation (method of Client)",
            "compatible: + operation list_room_session_members param id: Uuid, required: a parameter of a new operation",
        ],
        mocks: &[
            "surface: 4 added, 0 removed, 0 changed (1 breaking, 3 compatible)",
            "breaking: + mock list_room_session_members: GET ^/room_sessions/[^/]*/members$; MockServerExt method without a default body: a method without a default body added to MockServerExt, which users may implement",
            "compatible: + mock list_room_session_members then client_error: 4XX, &Error: part of a new mock",
            "compatible: + mock list_room_session_members then ok: 200, &RecordingList: part of a new mock",
            "compatible: + mock list_room_session_members when id: &Uuid, required: part of a new mock",
        ],
    },
    Case {
        name: "an operation removed",
        base: &[],
        change: &[(RECORDINGS_OPERATION, "")],
        client: &[
            "surface: 0 added, 2 removed, 0 changed (2 breaking, 0 compatible)",
            "breaking: - operation list_room_session_recordings: GET /room_sessions/{id}/recordings -> RecordingList, error Error: an operation (method of Client) removed",
            "breaking: - operation list_room_session_recordings param id: Uuid, required: a builder setter removed",
        ],
        mocks: &[
            "surface: 0 added, 4 removed, 0 changed (4 breaking, 0 compatible)",
            "breaking: - mock list_room_session_recordings: GET ^/room_sessions/[^/]*/recordings$; MockServerExt method without a default body: a MockServerExt method removed",
            "breaking: - mock list_room_session_recordings then client_error: 4XX, &Error: a response removed",
            "breaking: - mock list_room_session_recordings then ok: 200, &RecordingList: a response removed",
            "breaking: - mock list_room_session_recordings when id: &Uuid, required: a matcher removed",
        ],
    },
    Case {
        name: "an operation's success type changed",
        base: &[],
        change: &[(
            GET_SESSION_RESPONSE,
            "          description: The room session.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Recording'\n",
        )],
        client: &[
            "surface: 0 added, 0 removed, 1 changed (1 breaking, 0 compatible)",
            "breaking: ~ operation get_room_session: GET /room_sessions/{id} -> Recording, error Error (was GET /room_sessions/{id} -> RoomSession, error Error): what send() returns changed",
        ],
        mocks: &[
            "surface: 0 added, 0 removed, 1 changed (1 breaking, 0 compatible)",
            "breaking: ~ mock get_room_session then ok: 200, &Recording (was 200, &RoomSession): a response's body type changed",
        ],
    },
    Case {
        name: "an operation's path changed",
        base: &[],
        change: &[(RECORDINGS_PATH, "  /room_sessions/{id}/recording_list:\n")],
        client: &[
            "surface: 0 added, 0 removed, 1 changed (0 breaking, 1 compatible)",
            "compatible: ~ operation list_room_session_recordings: GET /room_sessions/{id}/recording_list -> RecordingList, error Error (was GET /room_sessions/{id}/recordings -> RecordingList, error Error): it sends another request; its Rust signature is the same",
        ],
        mocks: &[
            "surface: 0 added, 0 removed, 1 changed (0 breaking, 1 compatible)",
            "compatible: ~ mock list_room_session_recordings: GET ^/room_sessions/[^/]*/recording_list$; MockServerExt method without a default body (was GET ^/room_sessions/[^/]*/recordings$; MockServerExt method without a default body): it matches another request; its Rust signature is the same",
        ],
    },
    Case {
        name: "a response status added",
        base: &[],
        change: &[(
            "                $ref: '#/components/schemas/RoomSession'\n        4XX:\n",
            "                $ref: '#/components/schemas/RoomSession'\n        '404':\n          $ref: '#/components/responses/Error'\n        4XX:\n",
        )],
        client: &["surface: unchanged"],
        mocks: &[
            "surface: 1 added, 0 removed, 0 changed (0 breaking, 1 compatible)",
            "compatible: + mock get_room_session then not_found: 404, &Error: a new response",
        ],
    },
    Case {
        name: "an array schema's items retyped (a newtype's inner type)",
        base: &[(
            SCHEMAS,
            "  schemas:\n    Tags:\n      type: array\n      items:\n        type: string\n",
        )],
        change: &[(
            "        type: string\n    RoomSession:",
            "        type: integer\n    RoomSession:",
        )],
        client: &[
            "surface: 0 added, 0 removed, 1 changed (1 breaking, 0 compatible)",
            "breaking: ~ type Tags: newtype of Vec<i64>, exhaustive, pub fields; impl Clone, Debug, Deref, Deserialize, From<Tags> for Vec<i64>, From<Vec<i64>>, PartialEq, Serialize (was newtype of Vec<String>, exhaustive, pub fields; impl Clone, Debug, Deref, Deserialize, From<Tags> for Vec<String>, From<Vec<String>>, PartialEq, Serialize): a newtype's inner type changed; no longer implements From<Tags> for Vec<String>, From<Vec<String>>; now implements From<Tags> for Vec<i64>, From<Vec<i64>>",
        ],
        mocks: &[],
    },
    Case {
        name: "a pattern added to a string schema (its newtype's field becomes private)",
        base: &[(SCHEMAS, "  schemas:\n    Label:\n      type: string\n")],
        change: &[(
            "    Label:\n      type: string\n",
            "    Label:\n      type: string\n      pattern: '^[a-z]+$'\n",
        )],
        client: &[
            "surface: 0 added, 0 removed, 1 changed (1 breaking, 0 compatible)",
            "breaking: ~ type Label: newtype of String, private fields; impl Clone, Debug, Deref, Deserialize, Eq, From<Label> for String, FromStr, Hash, Ord, PartialEq, PartialOrd, Serialize, TryFrom<&str>, TryFrom<String> (was newtype of String, exhaustive, pub fields; impl Clone, Debug, Deref, Deserialize, Display, Eq, From<Label> for String, From<String>, FromStr, Hash, Ord, PartialEq, PartialOrd, Serialize): a private field: users can no longer build it with a literal; no longer implements Display, From<String>; now implements TryFrom<&str>, TryFrom<String>",
        ],
        mocks: &[],
    },
    Case {
        name: "a pattern removed from a string schema (its newtype's field becomes pub)",
        base: &[(
            SCHEMAS,
            "  schemas:\n    Label:\n      type: string\n      pattern: '^[a-z]+$'\n",
        )],
        change: &[("      pattern: '^[a-z]+$'\n", "")],
        client: &[
            "surface: 0 added, 0 removed, 1 changed (1 breaking, 0 compatible)",
            "breaking: ~ type Label: newtype of String, exhaustive, pub fields; impl Clone, Debug, Deref, Deserialize, Display, Eq, From<Label> for String, From<String>, FromStr, Hash, Ord, PartialEq, PartialOrd, Serialize (was newtype of String, private fields; impl Clone, Debug, Deref, Deserialize, Eq, From<Label> for String, FromStr, Hash, Ord, PartialEq, PartialOrd, Serialize, TryFrom<&str>, TryFrom<String>): users can now build it with a literal; no longer implements TryFrom<&str>, TryFrom<String>; now implements Display, From<String>",
        ],
        mocks: &[],
    },
    Case {
        name: "an object schema made a string (a struct becomes a newtype)",
        base: &[(
            SCHEMAS,
            "  schemas:\n    Note:\n      type: object\n      properties:\n        text:\n          type: string\n",
        )],
        change: &[(
            "    Note:\n      type: object\n      properties:\n        text:\n          type: string\n",
            "    Note:\n      type: string\n",
        )],
        client: &[
            "surface: 0 added, 2 removed, 1 changed (3 breaking, 0 compatible)",
            "breaking: ~ type Note: newtype of String, exhaustive, pub fields; impl Clone, Debug, Deref, Deserialize, Display, Eq, From<Note> for String, From<String>, FromStr, Hash, Ord, PartialEq, PartialOrd, Serialize (was struct, exhaustive, pub fields; impl Clone, Debug, Default, Deserialize, PartialEq, Serialize): the kind of type changed (struct, newtype); no longer implements Default; now implements Deref, Display, Eq, From<Note> for String, From<String>, FromStr, Hash, Ord, PartialOrd",
            "breaking: - type Note field text: Option<String>, json \"text\": a pub field removed",
            "breaking: - type Note fn builder: fn() -> builder::Note: a method removed",
        ],
        mocks: &[],
    },
    Case {
        name: "a string schema made an object (a newtype becomes a struct)",
        base: &[(SCHEMAS, "  schemas:\n    Note:\n      type: string\n")],
        change: &[(
            "    Note:\n      type: string\n",
            "    Note:\n      type: object\n      properties:\n        text:\n          type: string\n",
        )],
        client: &[
            "surface: 2 added, 0 removed, 1 changed (1 breaking, 2 compatible)",
            "breaking: ~ type Note: struct, exhaustive, pub fields; impl Clone, Debug, Default, Deserialize, PartialEq, Serialize (was newtype of String, exhaustive, pub fields; impl Clone, Debug, Deref, Deserialize, Display, Eq, From<Note> for String, From<String>, FromStr, Hash, Ord, PartialEq, PartialOrd, Serialize): the kind of type changed (struct, newtype); no longer implements Deref, Display, Eq, From<Note> for String, From<String>, FromStr, Hash, Ord, PartialOrd; now implements Default",
            "compatible: + type Note field text: Option<String>, json \"text\": a field of a type that was not a struct",
            "compatible: + type Note fn builder: fn() -> builder::Note: a new method",
        ],
        mocks: &[],
    },
    Case {
        name: "an object schema made a string enum (a struct becomes an enum)",
        base: &[(
            SCHEMAS,
            "  schemas:\n    Note:\n      type: object\n      properties:\n        text:\n          type: string\n",
        )],
        change: &[(
            "    Note:\n      type: object\n      properties:\n        text:\n          type: string\n",
            "    Note:\n      type: string\n      enum: [short, long]\n",
        )],
        client: &[
            "surface: 3 added, 3 removed, 0 changed (3 breaking, 3 compatible)",
            "breaking: - type Note: struct, exhaustive, pub fields; impl Clone, Debug, Default, Deserialize, PartialEq, Serialize: a type removed",
            "breaking: - type Note field text: Option<String>, json \"text\": a pub field removed",
            "breaking: - type Note fn builder: fn() -> builder::Note: a method removed",
            "compatible: + enum Note: enum, exhaustive; impl Clone, Copy, Debug, Deserialize, Display, Eq, FromStr, Hash, Ord, PartialEq, PartialOrd, Serialize, TryFrom<&str>, TryFrom<String>: a new type",
            "compatible: + enum Note variant Long: json \"long\": a variant of a new enum",
            "compatible: + enum Note variant Short: json \"short\": a variant of a new enum",
        ],
        mocks: &[],
    },
    Case {
        name: "a property of a tagged oneOf alternative retyped (a variant's fields)",
        base: &[(
            SCHEMAS,
            "  schemas:\n    Shape:\n      oneOf:\n        - type: object\n          required: [kind]\n          properties:\n            kind: {type: string, enum: [circle]}\n            radius: {type: integer}\n        - type: object\n          required: [kind]\n          properties:\n            kind: {type: string, enum: [square]}\n            side: {type: integer}\n",
        )],
        change: &[("radius: {type: integer}", "radius: {type: number}")],
        client: &[
            "surface: 0 added, 0 removed, 1 changed (1 breaking, 0 compatible)",
            "breaking: ~ enum Shape variant Circle: { radius: Option<f64> } json \"circle\" (was { radius: Option<i64> } json \"circle\"): a variant's fields changed",
        ],
        mocks: &[],
    },
    Case {
        name: "a string enum value respelled (a variant's JSON name)",
        base: &[(SCHEMAS, KIND_SCHEMA)],
        change: &[("enum: [room, call]", "enum: [room, Call]")],
        client: &[
            "surface: 0 added, 0 removed, 1 changed (0 breaking, 1 compatible)",
            "compatible: ~ enum Kind variant Call: json \"Call\" (was json \"call\"): only its JSON name changed; the Rust variant is the same",
        ],
        mocks: &[],
    },
    Case {
        name: "a property respelled (a field's JSON name)",
        base: &[(
            START_TIME,
            "        x-tag:\n          type: string\n        start_time:\n",
        )],
        change: &[("        x-tag:\n", "        x_tag:\n")],
        client: &[
            "surface: 0 added, 0 removed, 1 changed (0 breaking, 1 compatible)",
            "compatible: ~ type RoomSession field x_tag: Option<String>, json \"x_tag\" (was Option<String>, json \"x-tag\"): only its JSON name changed; the Rust field is the same",
        ],
        mocks: &[],
    },
    Case {
        name: "an untagged oneOf schema added (tuple variants)",
        base: &[],
        change: &[(
            SCHEMAS,
            "  schemas:\n    Either:\n      oneOf:\n        - type: string\n        - type: integer\n",
        )],
        client: &[
            "surface: 3 added, 0 removed, 0 changed (0 breaking, 3 compatible)",
            "compatible: + enum Either: enum, exhaustive; impl Clone, Debug, Deserialize, Display, From<i64>, PartialEq, Serialize: a new type",
            "compatible: + enum Either variant Integer: (i64) json \"Integer\": a variant of a new enum",
            "compatible: + enum Either variant String: (String) json \"String\": a variant of a new enum",
        ],
        mocks: &[],
    },
    Case {
        name: "an operation's success made a 204 without a body",
        base: &[],
        change: &[(
            "        '200':\n          description: The session's recordings.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/RecordingList'\n",
            "        '204':\n          description: No recordings.\n",
        )],
        client: &[
            "surface: 0 added, 0 removed, 1 changed (1 breaking, 0 compatible)",
            "breaking: ~ operation list_room_session_recordings: GET /room_sessions/{id}/recordings -> (), error Error (was GET /room_sessions/{id}/recordings -> RecordingList, error Error): what send() returns changed",
        ],
        mocks: &[
            "surface: 1 added, 1 removed, 0 changed (1 breaking, 1 compatible)",
            "breaking: - mock list_room_session_recordings then ok: 200, &RecordingList: a response removed",
            "compatible: + mock list_room_session_recordings then no_content: 204, no body: a new response",
        ],
    },
    Case {
        name: "a default response added beside a 2XX",
        base: &[(
            "        '200':\n          description: A page",
            "        2XX:\n          description: A page",
        )],
        change: &[(
            "        4XX:\n          $ref: '#/components/responses/Error'\n  /room_sessions/{id}:\n",
            "        4XX:\n          $ref: '#/components/responses/Error'\n        default:\n          $ref: '#/components/responses/Error'\n  /room_sessions/{id}:\n",
        )],
        client: &["surface: unchanged"],
        mocks: &[
            "surface: 1 added, 0 removed, 0 changed (0 breaking, 1 compatible)",
            "compatible: + mock list_room_sessions then default_response: any, &Error: a new response",
        ],
    },
];

#[test]
fn each_kind_of_spec_change_gets_its_class_in_both_generated_files() {
    let mut failures = Vec::new();
    for case in CASES {
        let dir = scratch(&spec_with(case.base));
        xtask_ok(dir.path(), &CODEGEN_BOTH);
        fs::write(
            dir.path().join("spec.yaml"),
            spec_with(&[case.base, case.change].concat()),
        )
        .unwrap();
        let report = xtask_ok(dir.path(), &CODEGEN_BOTH);
        for (file, expected) in [("client.rs", case.client), ("mocks.rs", case.mocks)] {
            let lines = surface_lines(&report, file);
            if lines != expected {
                failures.push(format!(
                    "{} ({file}):\n  expected {expected:#?}\n  got {lines:#?}",
                    case.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
