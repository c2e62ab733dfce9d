//! The "stale generated code" test (rust-analyzer style): a plain `cargo test`
//! fails while `crates/room-sessions-api/src/generated.rs` differs from what
//! `cargo xtask codegen` generates from `openapi/room_sessions.yaml`, and the
//! failure says to run `cargo xtask codegen`.

use xtask::{CodegenOptions, DEFAULT_OUT, DEFAULT_SPEC, codegen, workspace_root};

#[test]
fn generated_code_is_up_to_date() {
    let options = CodegenOptions {
        check: true,
        ..CodegenOptions::default()
    };
    if !options.spec.exists() && !options.out.exists() {
        // Before the spec and the generated crate exist there is nothing to
        // keep in step; once either exists, both must, and they must match.
        eprintln!("skipped: neither {DEFAULT_SPEC} nor {DEFAULT_OUT} exists yet");
        return;
    }
    match codegen(&options) {
        Ok(outcome) if outcome.is_success() => {}
        Ok(outcome) => panic!("\n{outcome}\n"),
        Err(error) => panic!(
            "\ncannot check {DEFAULT_OUT} against {DEFAULT_SPEC} (in {}): {error:#}\n\
             fix the spec, then run `cargo xtask codegen` and commit the result\n",
            workspace_root().display()
        ),
    }
}

#[test]
fn spec_has_every_replaced_schema_and_renders_deterministically() {
    let spec = CodegenOptions::default().spec;
    if !spec.exists() {
        eprintln!("skipped: {DEFAULT_SPEC} does not exist yet");
        return;
    }
    let first = xtask::render(&spec).unwrap_or_else(|e| panic!("{e:#}"));
    // A renamed schema would silently lose its tolerant replacement.
    assert_eq!(
        first.warnings,
        Vec::<String>::new(),
        "xtask::generate::REPLACEMENTS and {DEFAULT_SPEC} disagree"
    );
    let second = xtask::render(&spec).unwrap();
    assert_eq!(first.code, second.code, "generation must be deterministic");
    assert!(
        first
            .code
            .contains("from openapi/room_sessions.yaml\n// with progenitor "),
        "the header names the spec relative to the workspace root"
    );
}
