//! The public surface of the generated files, guarded by snapshots: a spec change that adds,
//! removes, renames or retypes an operation, parameter, field or enum value changes
//! `snapshots/surface__generated_surface.snap` (the client) and
//! `snapshots/surface__httpmock_surface.snap` (the typed mocks), and `cargo test` fails until
//! the change is reviewed (`cargo insta review`) and accepted.

use std::fs;

use xtask::generate::{CLIENT, HTTPMOCK, Output};
use xtask::surface::Surface;
use xtask::{CodegenOptions, render, workspace_root};

fn committed_surface_of(output: &Output) -> Surface {
    let path = workspace_root().join(output.path);
    let source =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    Surface::from_source(&source).expect("the generated file parses as Rust")
}

fn committed_surface() -> Surface {
    committed_surface_of(&CLIENT)
}

#[test]
fn generated_surface() {
    insta::assert_snapshot!(committed_surface().to_string());
}

#[test]
fn httpmock_surface() {
    insta::assert_snapshot!(committed_surface_of(&HTTPMOCK).to_string());
}

#[test]
fn a_field_added_to_the_spec_shows_as_exactly_that_addition() {
    let spec_text = fs::read_to_string(CodegenOptions::default().spec).unwrap();
    let anchor = "        locked_cover:\n";
    assert!(
        spec_text.contains(anchor),
        "the spec no longer has {anchor:?}"
    );
    let changed_spec = spec_text.replacen(
        anchor,
        "        moderator_count:\n          type: integer\n          format: int32\n          nullable: true\n          description: How many moderators are in the session.\n        locked_cover:\n",
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let spec_path = dir.path().join("room_sessions.yaml");
    fs::write(&spec_path, changed_spec).unwrap();

    let generated = render(&spec_path, &CLIENT).unwrap().code;
    let changes = Surface::from_source(&generated)
        .unwrap()
        .changes_since(&committed_surface());

    let added: Vec<String> = changes.added.iter().map(ToString::to_string).collect();
    assert_eq!(
        added,
        ["type RoomSession field moderator_count: Option<i32>, json \"moderator_count\""]
    );
    assert!(changes.removed.is_empty(), "{changes:?}");
    assert!(changes.changed.is_empty(), "{changes:?}");
}

#[test]
fn a_retyped_parameter_and_a_removed_operation_show_as_changed_and_removed() {
    let spec_text = fs::read_to_string(CodegenOptions::default().spec).unwrap();
    let mut spec: serde_json::Value = serde_yaml::from_str(&spec_text).unwrap();
    let paths = spec["paths"].as_object_mut().unwrap();
    paths.remove("/room_sessions/{id}/events").unwrap();
    spec["components"]["parameters"]["PageNumber"]["schema"]["format"] = "int64".into();
    let dir = tempfile::tempdir().unwrap();
    let spec_path = dir.path().join("room_sessions.json");
    fs::write(&spec_path, serde_json::to_string_pretty(&spec).unwrap()).unwrap();

    let generated = render(&spec_path, &CLIENT).unwrap().code;
    let changes = Surface::from_source(&generated)
        .unwrap()
        .changes_since(&committed_surface());

    assert!(
        changes.removed.iter().any(|item| item
            .to_string()
            .starts_with("operation list_room_session_events: GET")),
        "{changes:?}"
    );
    assert!(
        changes.changed.iter().any(|(old, new)| {
            old.to_string() == "operation list_room_sessions param page_number: i32, optional"
                && new.to_string()
                    == "operation list_room_sessions param page_number: i64, optional"
        }),
        "{changes:?}"
    );
    assert!(changes.added.is_empty(), "{changes:?}");
}
