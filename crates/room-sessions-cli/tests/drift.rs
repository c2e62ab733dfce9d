//! From traffic to the spec: a local server sends what the spec does not say (a property, an
//! enum value, a number past int32, a status); a CLI session against it is recorded;
//! `cargo xtask drift` names all four and exits 1; its overlay, applied to a copy of the spec,
//! leaves no drift; and `cargo xtask codegen` reports the change with its verdict. Every step
//! works on a temporary copy: the workspace's spec and generated code are never touched.

mod common;

use std::path::Path;
use std::process::Output;

use common::*;
use room_sessions::api::types::RoomSessionList;
use room_sessions_httpmock::httpmock::MockServer;
use room_sessions_httpmock::{MockServerExt, paging, values};

/// `cargo xtask ARGS` in the workspace, as a developer runs it.
fn xtask(args: &[&Path]) -> Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::process::Command::new(env!("CARGO"))
        .arg("xtask")
        .args(args)
        .current_dir(root)
        .output()
        .unwrap()
}

#[test]
fn recorded_drift_becomes_a_spec_change_with_its_verdict() {
    let server = MockServer::start();
    // A listing whose session says more than the spec does.
    let listed: RoomSessionList =
        paging::single_page("/room_sessions", vec![values::session_listed()]);
    let mut page = serde_json::to_value(&listed).unwrap();
    let session = &mut page["data"][0];
    session["brand_new_flag"] = true.into();
    session["status"] = "paused".into();
    session["remove_after_seconds_elapsed"] = 4_294_967_296u64.into();
    server.list_room_sessions(|_, then| {
        then.into_inner().status(200).json_body(page);
    });
    // A status the operation does not document.
    server.get_room_session(|_, then| {
        then.into_inner()
            .status(418)
            .json_body(serde_json::json!({ "error": "I'm a teapot" }));
    });
    let dir = tempfile::tempdir().unwrap();
    let traffic = dir.path().join("traffic.ndjson");
    let spec = dir.path().join("room_sessions.yaml");
    let overlay = dir.path().join("overlay.yaml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/room_sessions.yaml"),
        &spec,
    )
    .unwrap();

    // The CLI session, recorded: the client cannot use what it got, so both commands fail
    // (a number past int32 does not decode, 418 is an unexpected status).
    let id = values::SESSION_ID.to_string();
    for args in [&["list"][..], &["find", &id]] {
        let output = against(&server)
            .arg("--record")
            .arg(&traffic)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(1),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    assert_no_secret(&std::fs::read_to_string(&traffic).unwrap());

    let drift = xtask(&[
        "drift".as_ref(),
        &traffic,
        "--spec".as_ref(),
        &spec,
        "--overlay".as_ref(),
        &overlay,
    ]);
    let report = stdout(&drift);
    assert_eq!(drift.status.code(), Some(1), "{report}{}", stderr(&drift));
    for finding in [
        "undocumented property: data[].brand_new_flag",
        "undocumented enum value: data[].status",
        "value outside its format: data[].remove_after_seconds_elapsed (int32)",
        "undocumented status: 418",
    ] {
        assert!(report.contains(finding), "{finding} not in:\n{report}");
    }

    let applied = xtask(&[
        "spec".as_ref(),
        "apply".as_ref(),
        &overlay,
        "--spec".as_ref(),
        &spec,
    ]);
    assert!(
        applied.status.success(),
        "{}{}",
        stdout(&applied),
        stderr(&applied)
    );
    let again = xtask(&["drift".as_ref(), &traffic, "--spec".as_ref(), &spec]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}{}",
        stdout(&again),
        stderr(&again)
    );

    // Generated over copies of today's generated files, so that it says what changed.
    let (client, mocks) = (dir.path().join("client.rs"), dir.path().join("mocks.rs"));
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::copy(crates.join("room-sessions-api/src/generated.rs"), &client).unwrap();
    std::fs::copy(
        crates.join("room-sessions-httpmock/src/generated.rs"),
        &mocks,
    )
    .unwrap();
    let codegen = xtask(&[
        "codegen".as_ref(),
        "--spec".as_ref(),
        &spec,
        "--client-out".as_ref(),
        &client,
        "--httpmock-out".as_ref(),
        &mocks,
    ]);
    let summary = stdout(&codegen);
    assert!(codegen.status.success(), "{summary}{}", stderr(&codegen));
    for change in [
        "breaking: + type RoomSession field brand_new_flag: Option<bool>",
        "breaking: ~ type RoomSession field remove_after_seconds_elapsed: Option<i64>",
    ] {
        assert!(summary.contains(change), "{change} not in:\n{summary}");
    }
}
