//! The "stale generated code" test (rust-analyzer style): a plain `cargo test` fails while any
//! generated file (the client, the httpmock mocks) differs from what `cargo xtask codegen`
//! generates from `openapi/room_sessions.yaml`, and the failure says to run `cargo xtask
//! codegen`.

mod common;

#[test]
fn generated_code_is_up_to_date() {
    // `--check` with the default spec and outputs, whatever the current directory.
    let run = common::xtask(&std::env::temp_dir(), &["codegen", "--check"]);
    assert_eq!(
        run.code,
        Some(0),
        "\n{}\nif the spec is broken, fix it; then run `cargo xtask codegen` and commit the result\n",
        run.stderr
    );
    // A renamed schema would silently lose its tolerant replacement.
    assert!(
        !run.stderr.contains("warning:"),
        "REPLACEMENTS (xtask/src/generate.rs) and the spec disagree:\n{}",
        run.stderr
    );
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.stdout);
    assert!(
        run.stdout
            .lines()
            .all(|line| line.ends_with("generated.rs is up to date")),
        "{}",
        run.stdout
    );
}
