//! `cargo xtask drift` and `cargo xtask spec apply` on recordings made up here, against temp
//! copies of the real spec (`openapi/room_sessions.yaml`, never changed here): what drift
//! reports and its exit status, the overlay it writes, and the spec that overlay makes.
//!
//! Redocly's CLI is used where `npm ci` installed it; `--redocly` (a hidden option) points at
//! a missing one to test the machine without Node.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{CODEGEN_BOTH, Run, bundled_spec, files, scratch, surface_lines, xtask, xtask_ok};
use serde_json::{Value, json};

const SESSION: &str = "c22d24f6-5a47-4597-9a23-c7d01e696b92";

/// The Redocly CLI that `npm ci` installs, which may be missing.
fn redocly() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../node_modules/.bin/redocly")
}

/// `--redocly` naming a CLI that is not there: drift's own checks alone.
const NO_REDOCLY: [&str; 2] = ["--redocly", "/nonexistent/redocly"];

/// One recorded exchange, as the client's recorder writes it.
fn exchange(url: &str, status: u16, body: Value) -> String {
    let body = match body {
        Value::String(text) => text,
        json => json.to_string(),
    };
    let line = json!({
        "startedAt": "2026-12-02T14:00:00.123Z",
        "request": {"method": "GET", "url": url, "headers": {"accept": "application/json", "api-version": "1.0.0"}},
        "response": {"status": status, "headers": {"content-type": "application/json"}, "body": body},
    });
    format!("{line}\n")
}

/// A session as the API sends it: `overrides` replace or add fields.
fn session(overrides: Value) -> Value {
    let mut session = json!({"id": SESSION, "name": "my_example_room", "status": "completed",
        "remove_after_seconds_elapsed": 3600, "start_time": "2022-01-01T10:00:00Z"});
    for (key, value) in overrides.as_object().unwrap() {
        session[key] = value.clone();
    }
    session
}

/// The recording of the issue: an undocumented property, an undocumented enum value, a number
/// past int32 and an undocumented status, with the three bases a recording may have.
fn drifting() -> String {
    let changed = session(json!({"brand_new_flag": true, "status": "paused",
        "remove_after_seconds_elapsed": 4_000_000_000_u64}));
    let list = json!({"links": {"self": "/api/video/room_sessions"}, "data": [session(json!({}))]});
    [
        exchange(
            &format!("http://127.0.0.1:41234/room_sessions/{SESSION}"),
            200,
            changed,
        ),
        exchange(
            "http://127.0.0.1:41234/api/video/room_sessions?page_size=10",
            200,
            list,
        ),
        exchange(
            &format!("https://example.signalwire.com/api/video/room_sessions/{SESSION}/members"),
            418,
            json!({"error": "I'm a teapot"}),
        ),
    ]
    .concat()
}

/// The four findings of [`drifting`], as drift's report says them.
const FOUR: [&str; 4] = [
    "undocumented property: brand_new_flag (boolean), 1×, e.g. true [t.ndjson:1]",
    "undocumented enum value: status (SessionStatus [in-progress, completed, null]), 1×, \
     e.g. \"paused\"",
    "value outside its format: remove_after_seconds_elapsed (int32), 1×, e.g. 4000000000",
    "undocumented status: 418, 1×, e.g. {\"error\":\"I'm a teapot\"} [t.ndjson:3]",
];

fn drift(dir: &Path, recording: &str, more: &[&str]) -> Run {
    fs::write(dir.join("t.ndjson"), recording).unwrap();
    xtask(
        dir,
        &[&["drift", "t.ndjson", "--spec", "spec.yaml"], more].concat(),
    )
}

/// The report's section of operation `id`: its lines up to the next blank line.
fn section<'a>(report: &'a str, id: &str) -> Vec<&'a str> {
    let header = format!("{id}: ");
    let lines = report.lines().skip_while(|l| !l.starts_with(&header));
    lines.take_while(|l| !l.is_empty()).collect()
}

#[test]
fn own_checks_name_the_four_findings_of_the_issue_and_exit_1_saying_redocly_is_missing() {
    let dir = scratch(&bundled_spec());
    let run = drift(dir.path(), &drifting(), &NO_REDOCLY);
    assert_eq!(run.code, Some(1), "{run:?}");
    for finding in FOUR {
        assert!(run.stdout.contains(finding), "{finding}\n{}", run.stdout);
    }
    let get = section(&run.stdout, "get_room_session");
    assert_eq!(get[0], "get_room_session: 1 exchange(s)");
    let findings = get
        .iter()
        .filter(|l| l.starts_with("  ") && l.ends_with(']'));
    assert_eq!(findings.count(), 3, "{get:?}");
    assert!(section(&run.stdout, "list_room_session_members")[1].contains("418"));
    // The second exchange conforms: its operation has no finding, only what it never had.
    let list = section(&run.stdout, "list_room_sessions");
    assert_eq!(list[1], "  documented, never seen (not drift):", "{list:?}");
    assert!(run.stdout.ends_with(
        "drift: 4 finding(s) in 2 operation(s); 0 of them need a human (no overlay action)\n"
    ));
    let note = "note: Redocly is not installed (/nonexistent/redocly; `npm ci` installs it): own \
                checks only\n";
    assert_eq!(run.stderr, note);
}

#[test]
fn each_kind_of_drift_is_found_by_the_own_checks_alone() {
    let url = format!("http://127.0.0.1:41234/room_sessions/{SESSION}");
    let get = |status, body| exchange(&url, status, body);
    let found = |overrides| get(200, session(overrides));
    let list = "http://127.0.0.1:41234/api/video/room_sessions";
    let listed = |overrides| {
        exchange(
            list,
            200,
            json!({"links": {}, "data": [session(overrides)]}),
        )
    };
    for (recording, expected) in [
        (
            found(json!({"nested": {"a": 1}})),
            "undocumented property: nested (object), 1×, e.g. {\"a\":1}",
        ),
        (
            listed(json!({"brand_new": 1.5})),
            "undocumented property: data[].brand_new (number)",
        ),
        (
            found(json!({"quality": "4k"})),
            "undocumented enum value: quality (VideoQuality [720p, 1080p, null])",
        ),
        (
            found(json!({"fps": 25})),
            "undocumented enum value: fps (FrameRate [20, 30, null]), 1×, e.g. 25",
        ),
        (
            found(json!({"start_time": "yesterday"})),
            "value outside its format: start_time (date-time)",
        ),
        (
            listed(json!({"id": "not-a-uuid"})),
            "value outside its format: data[].id (uuid)",
        ),
        (
            found(json!({"max_members": "many"})),
            "value outside its type: max_members (integer, seen string)",
        ),
        (
            found(json!({"id": null})),
            "value outside its type: id (string, not nullable, seen null)",
        ),
        (
            get(200, json!({"name": "x"})),
            "required property missing: id, 1×",
        ),
        (
            get(503, json!("<html>busy</html>")),
            "undocumented status: 503, 1×, e.g. \"<html>busy</html>\"",
        ),
        (get(200, json!("not json")), "body not JSON: (body), 1×"),
        // The format allows a body that is JSON rather than text, as Redocly reads it.
        (
            json!({"request": {"method": "GET", "url": url},
                "response": {"status": 200, "body": session(json!({"nested": 1}))}})
            .to_string(),
            "undocumented property: nested (integer), 1×",
        ),
        (
            exchange(
                &format!("{list}?brand_new_param=1&brand_new_param=2"),
                200,
                json!({"links": {}, "data": []}),
            ),
            "undocumented query parameter: brand_new_param, 1×, e.g. \"1\"",
        ),
        (
            exchange(
                &format!("http://127.0.0.1:41234/rooms/{SESSION}"),
                200,
                json!({}),
            ) + &exchange("http://127.0.0.1:41234/rooms/42?x=1", 200, json!({})),
            &format!("undocumented endpoint: GET /rooms/{{id}}, 2×, e.g. \"/rooms/{SESSION}\""),
        ),
    ] {
        let dir = scratch(&bundled_spec());
        let run = drift(dir.path(), &recording, &NO_REDOCLY);
        assert_eq!(run.code, Some(1), "{expected}: {run:?}");
        assert!(run.stdout.contains(expected), "{expected}:\n{}", run.stdout);
        let one = "drift: 1 finding(s) in 1 operation(s)";
        assert!(run.stdout.contains(one), "{}", run.stdout);
    }
}

#[test]
fn a_finding_without_a_fix_leaves_its_whole_line_to_a_human() {
    // A null where the spec allows none has a fix (`nullable: true`), a number has none: at
    // one path they are one line of the report, which `nullable` alone would not fix.
    let url = format!("http://127.0.0.1:1/room_sessions/{SESSION}");
    let found = |id| exchange(&url, 200, session(json!({ "id": id })));
    let dir = scratch(&bundled_spec());
    let run = drift(
        dir.path(),
        &(found(json!(null)) + &found(json!(5))),
        &[&["--overlay", "overlay.yaml"][..], &NO_REDOCLY].concat(),
    );
    assert_eq!(run.code, Some(1), "{run:?}");
    let line = "value outside its type: id (string, not nullable, seen integer or null), 2×";
    assert!(run.stdout.contains(line), "{}", run.stdout);
    assert!(
        run.stdout.ends_with(
            "drift: 1 finding(s) in 1 operation(s); 1 of them need a human (no overlay action)\n\
             no overlay written: nothing found can be added to the spec\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_conforming_recording_exits_0_listing_what_it_never_saw_as_no_drift() {
    let dir = scratch(&bundled_spec());
    let recording = [
        exchange(
            &format!("https://example.signalwire.com/api/video/room_sessions/{SESSION}"),
            200,
            session(json!({})),
        ),
        exchange(
            &format!("http://127.0.0.1:1/room_sessions/{SESSION}"),
            404,
            json!({"error": "Not Found"}),
        ),
        exchange(
            "http://127.0.0.1:1/room_sessions?page_size=1&status=completed",
            200,
            json!({"links": {"self": "x", "next": null}, "data": []}),
        ),
    ]
    .concat();
    for redocly in [&NO_REDOCLY[..], &[]] {
        let run = drift(dir.path(), &recording, redocly);
        assert_eq!(run.code, Some(0), "{run:?}");
        assert!(
            run.stdout
                .ends_with("\nno drift: the traffic is what the spec says\n")
        );
        let get = section(&run.stdout, "get_room_session").join("\n");
        assert!(
            get.starts_with(
                "get_room_session: 2 exchange(s)\n  documented, never seen (not drift):\n      "
            ),
            "{get}"
        );
        assert!(
            get.contains("display_name") && !get.contains(" name,"),
            "{get}"
        );
        let list = section(&run.stdout, "list_room_sessions").join("\n");
        assert!(
            list.contains("data[].id")
                && list.contains("links.first")
                && !list.contains("links.next"),
            "{list}"
        );
    }
}

#[test]
fn overlay_then_apply_documents_the_drift_keeps_the_rest_and_codegen_reports_it() {
    let dir = scratch(&bundled_spec());
    let path = |name: &str| dir.path().join(name);
    let original = fs::read_to_string(path("spec.yaml")).unwrap();
    xtask_ok(dir.path(), &CODEGEN_BOTH);

    // Statuses whose body is not the one body type of their class (progenitor allows one):
    // documenting them would make a spec that `spec apply` rejects, so they need a human.
    let url = format!("http://127.0.0.1:1/room_sessions/{SESSION}");
    let unfit = exchange(&url, 503, json!("<html>busy</html>")) + &exchange(&url, 204, json!(""));
    let run = drift(
        dir.path(),
        &(drifting() + &unfit),
        &["--overlay", "overlay.yaml"],
    );
    assert_eq!(run.code, Some(1), "{run:?}");
    for status in ["503", "204"] {
        let line = format!("undocumented status: {status}, 1×");
        assert!(run.stdout.contains(&line), "{line}\n{}", run.stdout);
    }
    assert!(
        run.stdout.contains("; 2 of them need a human"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("overlay written to overlay.yaml\n"),
        "{}",
        run.stdout
    );
    let overlay: Value =
        serde_yaml::from_str(&fs::read_to_string(path("overlay.yaml")).unwrap()).unwrap();
    assert_eq!(overlay["overlay"], "1.0.0");
    let targets: Vec<&str> = overlay["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["target"].as_str().unwrap())
        .collect();
    // Where each thing is defined, not where it is used.
    assert_eq!(
        targets,
        [
            "$.components.schemas.RoomSession.properties",
            "$.components.schemas.SessionStatus.enum",
            "$.components.schemas.RoomSession.properties.remove_after_seconds_elapsed",
            "$.paths['/room_sessions/{id}/members'].get.responses",
        ]
    );
    let actions = &overlay["actions"];
    let flag = &actions[0]["update"]["brand_new_flag"];
    assert_eq!(
        (&flag["type"], &flag["nullable"]),
        (&json!("boolean"), &json!(true))
    );
    assert!(
        flag["description"]
            .as_str()
            .unwrap()
            .contains("Observed in recorded traffic")
    );
    assert_eq!(actions[1]["update"], "paused");
    assert_eq!(actions[2]["update"], json!({"format": "int64"}));
    let teapot = &actions[3]["update"]["418"]["content"]["application/json"]["schema"];
    assert_eq!(
        teapot,
        &json!({"$ref": "#/components/schemas/ErrorResponse"}),
        "the body fits the error schema"
    );

    let applied = xtask_ok(
        dir.path(),
        &["spec", "apply", "overlay.yaml", "--spec", "spec.yaml"],
    );
    let lint = if redocly().exists() {
        "spec checks and redocly lint pass"
    } else {
        "spec checks pass"
    };
    assert!(
        applied.starts_with("applied 4 action(s) of overlay.yaml to "),
        "{applied}"
    );
    assert!(
        applied.contains(lint) && applied.contains("+          format: int64\n"),
        "{applied}"
    );
    let after = fs::read_to_string(path("spec.yaml")).unwrap();
    // Only what the overlay changes changed: every other line, comments included, kept its
    // place and its text.
    let diff = similar::TextDiff::from_lines(&original, &after);
    let changed = |tag| {
        let changes = diff.iter_all_changes().filter(|c| c.tag() == tag);
        changes
            .map(|c| c.value().trim_end().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        changed(similar::ChangeTag::Delete),
        [
            "          format: int32",
            "      enum: [in-progress, completed, null]"
        ]
    );
    let inserted = changed(similar::ChangeTag::Insert);
    assert_eq!(inserted.len(), 12, "{inserted:#?}");
    assert!(inserted.contains(&"      enum: [in-progress, completed, null, paused]".to_owned()));
    assert!(
        inserted.contains(&"        brand_new_flag:".to_owned())
            && inserted.contains(&"        '418':".to_owned())
    );
    assert!(after.contains("\n          # One line: progenitor puts"));

    let run = drift(dir.path(), &drifting(), &[]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stdout
            .ends_with("\nno drift: the traffic is what the spec says\n")
    );
    // Applying again adds nothing: the overlay is already in the spec.
    let again = xtask_ok(
        dir.path(),
        &["spec", "apply", "overlay.yaml", "--spec", "spec.yaml"],
    );
    assert_eq!(again, "spec.yaml already says all that overlay.yaml adds\n");
    assert_eq!(fs::read_to_string(path("spec.yaml")).unwrap(), after);

    let report = xtask_ok(dir.path(), &CODEGEN_BOTH);
    let client = surface_lines(&report, "client.rs");
    assert!(
        client[0].ends_with("(2 breaking, 0 compatible)"),
        "{report}"
    );
    assert!(
        client
            .iter()
            .any(|l| l
                .starts_with("breaking: + type RoomSession field brand_new_flag: Option<bool>")),
        "{report}"
    );
    assert!(
        client.iter().any(|l| l.starts_with(
            "breaking: ~ type RoomSession field remove_after_seconds_elapsed: Option<i64>"
        )),
        "{report}"
    );
    let mocks = surface_lines(&report, "mocks.rs");
    assert!(
        mocks
            .iter()
            .any(|l| l
                .starts_with("compatible: + mock list_room_session_members then im_a_teapot: 418")),
        "{report}"
    );
}

#[test]
fn redocly_drift_is_merged_in_without_duplicates_and_without_security_findings() {
    if !redocly().exists() {
        // `.ci/run` installs the Node tools before the tests, so CI always runs this; a
        // developer without them sees the skip, written past the harness's capture.
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is not installed: run `npm ci`",
            redocly().display()
        );
        let skipped = format!(
            "skipped: {} is not installed (`npm ci`)\n",
            redocly().display()
        );
        std::io::Write::write_all(&mut std::io::stderr(), skipped.as_bytes()).unwrap();
        return;
    }
    let dir = scratch(&bundled_spec());
    // Redocly checks query parameters' values, which drift's own checks do not; it reports
    // the two identical problems once, with their count.
    let too_big = exchange(
        "http://127.0.0.1:1/room_sessions?page_size=5000",
        200,
        json!({"links": {}, "data": []}),
    );
    let recording = drifting() + &too_big + &too_big;
    let run = drift(dir.path(), &recording, &[]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stdout
            .lines()
            .next()
            .unwrap()
            .ends_with("(own checks and redocly drift)"),
        "{}",
        run.stdout
    );
    for finding in FOUR {
        assert!(run.stdout.contains(finding), "{finding}\n{}", run.stdout);
    }
    // Redocly finds the enum value and the int32 too: each is reported once, as drift's own.
    assert_eq!(
        run.stdout.matches("remove_after_seconds_elapsed").count(),
        1,
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stdout.matches("\"paused\"").count(),
        1,
        "{}",
        run.stdout
    );
    let theirs = "request value outside its schema: page_size (redocly: Invalid query parameter";
    let line = run.stdout.lines().find(|l| l.contains(theirs));
    assert!(
        line.is_some_and(|l| l.contains("), 2×, e.g. \"5000\"")),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.to_lowercase().contains("security") && !run.stdout.contains("Authorization"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("drift: 5 finding(s) in 3 operation(s); 1 of them need a human"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stderr.contains("note:") && !run.stderr.contains("warning:"),
        "{}",
        run.stderr
    );
}

#[test]
fn unreadable_input_exits_2_naming_the_file_and_line_and_writes_no_overlay() {
    let good = exchange(
        "http://127.0.0.1:1/room_sessions",
        200,
        json!({"links": {}, "data": []}),
    );
    for (recording, spec, expected) in [
        (
            Some(format!("{good}\n{{\"request\": nope}}\n").into()),
            "spec.yaml",
            "error: t.ndjson:3: not JSON (expected ident at column 14)",
        ),
        (
            Some(format!("{good}{{\"response\": {{\"status\": 200}}}}\n").into()),
            "spec.yaml",
            "error: t.ndjson:2: not a recorded exchange (missing field `request`)",
        ),
        (
            Some(r#"[{"method": "GET", "url": "http://127.0.0.1:1/room_sessions"}, null]"#.into()),
            "spec.yaml",
            "error: t.ndjson:1: not a recorded exchange (the line is not an object)",
        ),
        (
            Some(r#"{"request": ["GET", "http://127.0.0.1:1/room_sessions"]}"#.into()),
            "spec.yaml",
            "error: t.ndjson:1: not a recorded exchange (request is not an object)",
        ),
        (
            Some(r#"{"request": {"method": "GET", "url": "http://["}}"#.into()),
            "spec.yaml",
            "error: t.ndjson:1: request.url \"http://[\" is not a URL",
        ),
        (
            Some([good.as_bytes(), b"{\"request\": \"\xff\"}\n"].concat()),
            "spec.yaml",
            "error: t.ndjson:2: cannot read (stream did not contain valid UTF-8)",
        ),
        (None, "spec.yaml", "error: cannot read t.ndjson: "),
        (
            Some(good.clone().into()),
            "missing.yaml",
            "error: cannot read spec missing.yaml: ",
        ),
        (
            Some(good.clone().into()),
            "t.ndjson",
            "error: cannot tell the format of spec t.ndjson",
        ),
    ] {
        let dir = scratch(&bundled_spec());
        if let Some(recording) = &recording {
            fs::write(dir.path().join("t.ndjson"), recording).unwrap();
        }
        let args = [
            "drift",
            "t.ndjson",
            "--spec",
            spec,
            "--overlay",
            "overlay.yaml",
        ];
        let run = xtask(dir.path(), &[&args[..], &NO_REDOCLY].concat());
        assert_eq!(run.code, Some(2), "{expected}: {run:?}");
        assert!(
            run.stderr.starts_with(expected),
            "{expected}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        assert!(!dir.path().join("overlay.yaml").exists());
    }
}

#[test]
fn a_failed_apply_leaves_the_spec_untouched_and_says_why() {
    let action = |target: &str, update: &str| {
        format!(
            "overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\nactions:\n  - target: {target}\n    update: {update}\n"
        )
    };
    for (overlay, code, expected) in [
        (
            action("$.components.schemas.Nope", "{nullable: true}"),
            2,
            "error: overlay overlay.yaml, action 1: target $.components.schemas.Nope selects nothing in the spec",
        ),
        (
            action("$.components.schemas[", "{}"),
            2,
            "error: overlay overlay.yaml: action 1: target \"$.components.schemas[\": ",
        ),
        (
            action("$.info.title", "{a: 1}"),
            2,
            "error: overlay overlay.yaml, action 1: $['info']['title'] is not an object or an array to update",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n".into(),
            2,
            "error: overlay overlay.yaml: action 1 has neither an update nor `remove: true`",
        ),
        (
            "openapi: 3.0.3\n".into(),
            2,
            "error: overlay overlay.yaml: not an OpenAPI Overlay 1.0 document (`overlay: 1.0.0`)",
        ),
        (
            "overlay: [1.0.0\n".into(),
            2,
            "error: invalid YAML in overlay overlay.yaml at line 2, column 1: ",
        ),
        (
            action(
                "$.components.schemas.RoomSession.properties.layout",
                "{$ref: '#/components/schemas/Nope'}",
            ),
            1,
            "error: with the overlay applied, the spec fails its checks: invalid spec the result: unresolved $ref `#/components/schemas/Nope`",
        ),
    ] {
        let dir = scratch(&bundled_spec());
        let before = fs::read(dir.path().join("spec.yaml")).unwrap();
        fs::write(dir.path().join("overlay.yaml"), &overlay).unwrap();
        let run = xtask(
            dir.path(),
            &["spec", "apply", "overlay.yaml", "--spec", "spec.yaml"],
        );
        assert_eq!(run.code, Some(code), "{expected}: {run:?}");
        assert!(
            run.stderr.starts_with(expected),
            "{expected}:\n{}",
            run.stderr
        );
        assert_eq!(
            fs::read(dir.path().join("spec.yaml")).unwrap(),
            before,
            "{expected}"
        );
        assert_eq!(
            files(dir.path()),
            ["overlay.yaml", "spec.yaml"],
            "no temp files left"
        );
    }
}
