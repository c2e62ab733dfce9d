//! The `xtask` command line: argument parsing, exit statuses and what is
//! printed, running the real binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use clap::error::ErrorKind;
use xtask::cli::{self, Task};
use xtask::generate::{CLIENT, HTTPMOCK};
use xtask::{CodegenOptions, STALE_HINT, SemverOptions, Target};

const FIXTURE: &str = include_str!("fixtures/mini.yaml");

fn xtask(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run xtask")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn scratch(spec_text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("spec.yaml"), spec_text).unwrap();
    let out = dir.path().join("out.rs");
    (dir, out)
}

#[test]
fn parse_defaults_and_options() {
    let defaults = CodegenOptions::default();
    assert!(defaults.spec.ends_with("openapi/room_sessions.yaml"));
    let paths: Vec<_> = defaults.targets.iter().map(|t| &t.path).collect();
    assert_eq!(paths.len(), 2);
    assert!(paths[0].ends_with("crates/room-sessions-api/src/generated.rs"));
    assert!(paths[1].ends_with("crates/room-sessions-httpmock/src/generated.rs"));
    assert!(defaults.spec.is_absolute() && paths.iter().all(|p| p.is_absolute()));

    assert_eq!(
        cli::parse_args(["codegen"]).unwrap(),
        Task::Codegen(defaults)
    );
    let client = |path: &str| Target {
        output: &CLIENT,
        path: path.into(),
    };
    let mocks = |path: &str| Target {
        output: &HTTPMOCK,
        path: path.into(),
    };
    // Naming outputs generates only those; `--out` is the older name of `--client-out`.
    for (args, targets) in [
        (&["--out=b.rs"][..], vec![client("b.rs")]),
        (&["--client-out", "b.rs"][..], vec![client("b.rs")]),
        (&["--httpmock-out", "m.rs"][..], vec![mocks("m.rs")]),
        (
            &["--httpmock-out=m.rs", "--out", "b.rs"][..],
            vec![client("b.rs"), mocks("m.rs")],
        ),
    ] {
        let command_line = ["codegen", "--check", "--spec", "a.json"]
            .iter()
            .chain(args)
            .copied();
        assert_eq!(
            cli::parse_args(command_line).unwrap(),
            Task::Codegen(CodegenOptions {
                spec: "a.json".into(),
                targets,
                check: true,
            }),
            "{args:?}"
        );
    }
    assert_eq!(
        cli::parse_args(["semver"]).unwrap(),
        Task::Semver(SemverOptions::default())
    );
    assert_eq!(
        cli::parse_args(["semver", "--base", "room-sessions-api-v0.1.0"]).unwrap(),
        Task::Semver(SemverOptions {
            base: Some("room-sessions-api-v0.1.0".to_owned()),
            ..SemverOptions::default()
        })
    );
    for help in [
        &["--help"][..],
        &["help"],
        &["help", "codegen"],
        &["codegen", "-h"],
        &["semver", "--help"],
    ] {
        let error = cli::parse_args(help.iter().copied()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::DisplayHelp, "{help:?}");
        assert_eq!(error.exit_code(), 0);
    }
}

#[test]
fn parse_rejects_bad_command_lines() {
    let message = |args: &[&str]| {
        let error = cli::parse_args(args.iter().copied()).unwrap_err();
        assert_eq!(error.exit_code(), 2, "{args:?}");
        error.to_string()
    };
    let starts = |args: &[&str], expected: &str| {
        let text = message(args);
        assert!(text.starts_with(expected), "{args:?}: {text}");
    };
    // No command at all: the help, as a usage error.
    starts(
        &[],
        "Developer tasks for this workspace\n\nUsage: cargo xtask <COMMAND>",
    );
    starts(&["build"], "error: unrecognized subcommand 'build'");
    starts(
        &["codegen", "--force"],
        "error: unexpected argument '--force' found",
    );
    starts(
        &["codegen", "--chek=1"],
        "error: unexpected argument '--chek' found",
    );
    starts(
        &["codegen", "--spec"],
        "error: a value is required for '--spec <PATH>'",
    );
    starts(
        &["codegen", "--spec="],
        "error: a value is required for '--spec <PATH>'",
    );
    starts(
        &["codegen", "--out", "--check"],
        "error: a value is required for '--client-out <PATH>'",
    );
    starts(
        &["codegen", "--check", "--check"],
        "error: the argument '--check' cannot be used multiple times",
    );
    starts(
        &["codegen", "--spec=a", "--spec=b"],
        "error: the argument '--spec <PATH>' cannot be used multiple times",
    );
    starts(
        &["codegen", "--out=a", "--client-out=b"],
        "error: the argument '--client-out <PATH>' cannot be used multiple times",
    );
    starts(
        &["codegen", "extra"],
        "error: unexpected argument 'extra' found",
    );
    starts(
        &["codegen", "--check=yes"],
        "error: unexpected value 'yes' for '--check' found",
    );
    starts(
        &["semver", "--base"],
        "error: a value is required for '--base <REV>'",
    );
    starts(
        &["semver", "--check"],
        "error: unexpected argument '--check' found",
    );
    starts(
        &["semver", "--base=a", "--base=b"],
        "error: the argument '--base <REV>' cannot be used multiple times",
    );
}

#[test]
fn help_lists_codegen_and_its_options() {
    let dir = tempfile::tempdir().unwrap();
    let output = xtask(&["--help"], dir.path());
    assert!(output.status.success());
    let stdout = text(&output.stdout);
    assert!(stdout.contains("Usage: cargo xtask <COMMAND>"), "{stdout}");
    assert!(stdout.contains("  codegen "), "{stdout}");

    let output = xtask(&["codegen", "--help"], dir.path());
    assert!(output.status.success());
    let stdout = text(&output.stdout);
    for option in [
        "--check",
        "--spec <PATH>",
        "--client-out <PATH>",
        "[alias: --out]",
        "--httpmock-out <PATH>",
        "openapi/room_sessions.yaml",
        "crates/room-sessions-api/src/generated.rs",
        "crates/room-sessions-httpmock/src/generated.rs",
        "Naming either generates only the outputs named",
    ] {
        assert!(stdout.contains(option), "{option} missing from:\n{stdout}");
    }
}

#[test]
fn help_lists_semver_and_its_rules() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = text(&xtask(&["--help"], dir.path()).stdout);
    assert!(stdout.contains("  semver "), "{stdout}");

    let output = xtask(&["semver", "--help"], dir.path());
    assert!(output.status.success());
    // Help is wrapped to the terminal when clap's `wrap_help` is on (the CLI crate turns it
    // on in a workspace build): compare words, not lines.
    let stdout = text(&output.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for text in [
        "--base <REV>",
        "newest <crate>-v* tag, else the",
        "a breaking change needs the minor version bumped",
        "uncommitted changes",
        "2 the comparison cannot be",
    ] {
        assert!(stdout.contains(text), "{text} missing from:\n{stdout}");
    }
    assert!(
        !stdout.contains("--workspace"),
        "a test hook, hidden: {stdout}"
    );
}

#[test]
fn usage_errors_exit_2_with_the_usage() {
    let dir = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (
            &["codegen", "--frobnicate"][..],
            "error: unexpected argument '--frobnicate' found",
        ),
        (
            &["frobnicate"][..],
            "error: unrecognized subcommand 'frobnicate'",
        ),
        (
            &[][..],
            "Developer tasks for this workspace\n\nUsage: cargo xtask <COMMAND>",
        ),
    ] {
        let output = xtask(args, dir.path());
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = text(&output.stderr);
        assert!(stderr.starts_with(expected), "{args:?}: {stderr}");
        assert!(stderr.contains("Usage: cargo xtask"), "{stderr}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn write_then_check_through_the_binary() {
    let (dir, out) = scratch(FIXTURE);
    // Relative paths are taken from the current directory.
    let args = ["codegen", "--spec", "spec.yaml", "--out", "out.rs"];
    let output = xtask(&args, dir.path());
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.starts_with("created "), "{stdout}");
    assert!(stdout.contains("out.rs ("), "{stdout}");
    assert!(out.exists());

    let output = xtask(
        &["codegen", "--check", "--spec=spec.yaml", "--out=out.rs"],
        dir.path(),
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout)
            .trim_end()
            .ends_with("out.rs is up to date")
    );
}

#[test]
fn stale_check_exits_1_with_a_diff_and_the_fix() {
    let (dir, out) = scratch(FIXTURE);
    fs::write(&out, "// stale\n").unwrap();
    let output = xtask(
        &[
            "codegen",
            "--check",
            "--spec",
            "spec.yaml",
            "--out",
            "out.rs",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("out.rs is stale"), "{stderr}");
    assert!(stderr.contains("\n-// stale\n"), "{stderr}");
    assert!(
        stderr.contains("more lines"),
        "the diff should be cut: {stderr}"
    );
    assert_eq!(stderr.lines().last(), Some(STALE_HINT));
    assert_eq!(fs::read_to_string(&out).unwrap(), "// stale\n");
}

#[test]
fn progenitor_panic_exits_1_with_a_last_line_that_says_so() {
    let broken = FIXTURE.replacen(
        "            application/json:\n              schema:\n                $ref: '#/components/schemas/RecordingList'",
        "            application/json: {}",
        1,
    );
    assert_ne!(broken, FIXTURE);
    let (dir, out) = scratch(&broken);
    fs::write(&out, "// keep\n").unwrap();
    let output = xtask(
        &["codegen", "--spec", "spec.yaml", "--out", "out.rs"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("not yet implemented"), "{stderr}");
    let last = stderr.lines().last().unwrap();
    assert!(
        last.starts_with("error: progenitor panicked while generating the client from ")
            && last.ends_with("spec.yaml (its message is above)"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&out).unwrap(), "// keep\n");
}

#[test]
fn bad_spec_exits_1_with_error_prefix() {
    let (dir, out) = scratch(&FIXTURE.replacen("openapi: 3.0.3", "openapi: 3.1.0", 1));
    fs::write(&out, "// keep\n").unwrap();
    let output = xtask(
        &["codegen", "--spec", "spec.yaml", "--out", "out.rs"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.starts_with("error: invalid spec "), "{stderr}");
    assert!(
        stderr.contains("spec.yaml: unsupported OpenAPI version \"3.1.0\""),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&out).unwrap(), "// keep\n");
}

#[test]
fn a_query_parameter_added_to_a_copy_of_the_spec_reaches_both_files() {
    let spec_text = fs::read_to_string(CodegenOptions::default().spec).unwrap();
    let (dir, _) = scratch(&spec_text);
    let args = [
        "codegen",
        "--spec",
        "spec.yaml",
        "--client-out",
        "client.rs",
        "--httpmock-out",
        "mocks.rs",
    ];
    let output = xtask(&args, dir.path());
    assert!(output.status.success(), "{}", text(&output.stderr));
    let mocks_before = fs::read_to_string(dir.path().join("mocks.rs")).unwrap();
    assert!(!mocks_before.contains("min_duration"));

    // A new optional filter of list_room_sessions, before its room_name parameter.
    let anchor = "        - name: room_name\n          in: query\n";
    assert_eq!(spec_text.matches(anchor).count(), 1, "the spec changed");
    let min_duration = "        - name: min_duration\n          in: query\n          description: Only sessions that lasted at least this many seconds.\n          required: false\n          schema:\n            type: integer\n            format: int64\n            minimum: 0\n";
    let changed = spec_text.replacen(anchor, &format!("{min_duration}{anchor}"), 1);
    fs::write(dir.path().join("spec.yaml"), changed).unwrap();

    // The committed files are stale against it...
    let check = xtask(&[&args[..], &["--check"]].concat(), dir.path());
    assert_eq!(check.status.code(), Some(1));
    let stderr = text(&check.stderr);
    assert!(stderr.contains("client.rs is stale"), "{stderr}");
    assert!(stderr.contains("mocks.rs is stale"), "{stderr}");

    // ... and one run regenerates both, and says what each gained.
    let output = xtask(&args, dir.path());
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    for file in ["client.rs (", "mocks.rs ("] {
        let updated = |line: &str| line.starts_with("updated ") && line.contains(file);
        assert!(stdout.lines().any(updated), "{stdout}");
    }
    // A new optional parameter is a compatible change of both crates.
    assert!(
        stdout.contains(
            "\n  compatible: + operation list_room_sessions param min_duration: i64, optional: \
             a new optional builder setter\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "\n  compatible: + mock list_room_sessions when min_duration: i64, optional: \
             a new matcher\n"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("breaking:"), "{stdout}");
    let mocks = fs::read_to_string(dir.path().join("mocks.rs")).unwrap();
    assert!(
        mocks.contains(
            "pub fn min_duration<T>(self, value: T) -> Self\n        where\n            T: Into<Option<i64>>,"
        ),
        "{mocks}"
    );
    assert!(mocks.contains("query_param(\"min_duration\", value.to_string())"));
    assert!(mocks.contains("query_param_missing(\"min_duration\")"));
    let client = fs::read_to_string(dir.path().join("client.rs")).unwrap();
    assert!(
        client.contains("pub fn min_duration<V>(mut self, value: V) -> Self"),
        "{client}"
    );
}
