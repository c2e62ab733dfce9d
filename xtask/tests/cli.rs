//! The `xtask` command line: argument parsing, exit statuses and what is
//! printed, running the real binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use xtask::cli::{self, Command as Parsed};
use xtask::{CodegenOptions, STALE_HINT};

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
    assert!(
        defaults
            .out
            .ends_with("crates/room-sessions-api/src/generated.rs")
    );
    assert!(defaults.spec.is_absolute() && defaults.out.is_absolute());

    assert_eq!(
        cli::parse_args(["codegen"]),
        Ok(Parsed::Codegen(defaults.clone()))
    );
    assert_eq!(
        cli::parse_args(["codegen", "--check", "--spec", "a.json", "--out=b.rs"]),
        Ok(Parsed::Codegen(CodegenOptions {
            spec: "a.json".into(),
            out: "b.rs".into(),
            check: true,
        }))
    );
    assert_eq!(cli::parse_args(["--help"]), Ok(Parsed::Help));
    assert_eq!(cli::parse_args(["help"]), Ok(Parsed::Help));
    assert_eq!(
        cli::parse_args(["help", "codegen"]),
        Ok(Parsed::CodegenHelp)
    );
    assert_eq!(cli::parse_args(["codegen", "-h"]), Ok(Parsed::CodegenHelp));
}

#[test]
fn parse_rejects_bad_command_lines() {
    let message = |args: &[&str]| cli::parse_args(args.iter().copied()).unwrap_err().message;
    assert_eq!(message(&[]), "no command given");
    assert_eq!(message(&["build"]), "unknown command `build`");
    assert_eq!(
        message(&["codegen", "--force"]),
        "unknown option `--force` for `cargo xtask codegen`"
    );
    assert_eq!(
        message(&["codegen", "--chek=1"]),
        "unknown option `--chek` for `cargo xtask codegen`"
    );
    assert_eq!(message(&["codegen", "--spec"]), "`--spec` needs a PATH");
    assert!(message(&["codegen", "--out", "--check"]).starts_with("`--out` needs a PATH"));
    assert_eq!(
        message(&["codegen", "--check", "--check"]),
        "`--check` given twice"
    );
    assert_eq!(
        message(&["codegen", "--spec=a", "--spec=b"]),
        "`--spec` given twice"
    );
    assert_eq!(
        message(&["codegen", "extra"]),
        "unexpected argument `extra` for `cargo xtask codegen`"
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
        "--spec PATH",
        "--out PATH",
        "openapi/room_sessions.yaml",
    ] {
        assert!(stdout.contains(option), "{option} missing from:\n{stdout}");
    }
}

#[test]
fn usage_errors_exit_2_with_the_usage() {
    let dir = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (
            &["codegen", "--frobnicate"][..],
            "error: unknown option `--frobnicate`",
        ),
        (&["frobnicate"][..], "error: unknown command `frobnicate`"),
        (&[][..], "error: no command given"),
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
fn progenitor_panic_prints_one_error_line_and_no_panic_output() {
    let broken = FIXTURE.replacen(
        "        4XX:\n          $ref: '#/components/responses/Error'\n  /room_sessions/{id}:",
        "        default:\n          $ref: '#/components/responses/Error'\n  /room_sessions/{id}:",
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
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: progenitor panicked while generating from "),
        "{stderr}"
    );
    assert!(stderr.contains("response_types.len() <= 1"), "{stderr}");
    assert!(!stderr.contains("thread '"), "{stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "{stderr}");
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
