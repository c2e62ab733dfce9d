//! The command line itself: help on stdout with status 0, usage errors on stderr with status 2.
//! (What clap says in them is clap's; what is checked here is what this tool promises.)

mod common;

use common::xtask;

#[test]
fn help_names_each_command_its_options_and_their_defaults() {
    let dir = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (
            &["--help"][..],
            &[
                "Usage: cargo xtask <COMMAND>",
                "  codegen ",
                "  semver ",
                "  drift ",
                "  spec ",
            ][..],
        ),
        (
            &["codegen", "--help"],
            &[
                "--check",
                "--spec <PATH>",
                "--client-out <PATH>",
                "[alias: --out]",
                "--httpmock-out <PATH>",
                "openapi/room_sessions.yaml",
                "crates/room-sessions-api/src/generated.rs",
                "crates/room-sessions-httpmock/src/generated.rs",
                "Naming either generates only the outputs named",
            ],
        ),
        (
            &["semver", "--help"],
            &[
                "--base <REV>",
                "newest <crate>-v* tag, else the",
                "a breaking change needs the minor version bumped",
                "uncommitted changes",
                "2 the comparison cannot be",
            ],
        ),
        (
            &["drift", "--help"],
            &[
                "<FILE>...",
                "--spec <PATH>",
                "--overlay <OUT>",
                "openapi/room_sessions.yaml",
                "When Redocly's CLI is installed (`npm ci`), its `drift` runs too",
                "missing required properties",
                "`nullable: true`",
                "Exit status: 0 no drift, 1 drift, 2 input that cannot be read",
            ],
        ),
        (
            &["spec", "apply", "--help"],
            &[
                "<OVERLAY>",
                "--spec <PATH>",
                "keeping its comments and order",
                "`redocly lint` with the rules of redocly.yaml",
                "otherwise the spec is left untouched",
            ],
        ),
    ] {
        let run = xtask(dir.path(), args);
        assert_eq!(run.code, Some(0), "{args:?}");
        // Help is wrapped to the terminal when clap's `wrap_help` is on (the CLI crate turns it
        // on in a workspace build): compare words, not lines.
        let words = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
        for text in expected {
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                words.contains(&text),
                "{text} missing from {args:?}:\n{}",
                run.stdout
            );
        }
        for hook in ["--workspace", "--redocly"] {
            assert!(!words.contains(hook), "a test hook, hidden: {args:?}");
        }
    }
}

#[test]
fn a_bad_command_line_exits_2_with_an_error_or_the_usage_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &[][..],
        &["build"],
        &["codegen", "--force"],
        &["codegen", "--spec"],
        &["codegen", "--spec="],
        &["codegen", "--out", "--check"],
        &["codegen", "--check", "--check"],
        &["codegen", "--out=a", "--client-out=b"],
        &["codegen", "extra"],
        &["codegen", "--check=yes"],
        &["semver", "--base"],
        &["semver", "--check"],
        &["semver", "--base=a", "--base=b"],
        &["drift"],
        &["drift", "t.ndjson", "--overlay"],
        &["spec"],
        &["spec", "apply"],
        &["spec", "apply", "a.yaml", "b.yaml"],
    ] {
        let run = xtask(dir.path(), args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        let usage = run.stderr.starts_with("error: ") || run.stderr.contains("Usage: cargo xtask");
        assert!(usage, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}");
    }
}
