//! The "stale generated code" test (rust-analyzer style): a plain `cargo test`
//! fails while any generated file (the client, the httpmock mocks) differs from
//! what `cargo xtask codegen` generates from `openapi/room_sessions.yaml`, and
//! the failure says to run `cargo xtask codegen`.

use xtask::{CodegenOptions, DEFAULT_SPEC, OUTPUTS, codegen, render, workspace_root};

#[test]
fn generated_code_is_up_to_date() {
    let options = CodegenOptions {
        check: true,
        ..CodegenOptions::default()
    };
    assert_eq!(
        options.targets.len(),
        OUTPUTS.len(),
        "every output is checked"
    );
    match codegen(&options) {
        Ok(report) if report.is_success() => {}
        Ok(report) => panic!("\n{report}\n"),
        Err(error) => panic!(
            "\ncannot check the generated files against {DEFAULT_SPEC} (in {}): {error:#}\n\
             fix the spec, then run `cargo xtask codegen` and commit the result\n",
            workspace_root().display()
        ),
    }
}

#[test]
fn spec_has_every_replaced_schema_and_renders_deterministically() {
    let spec = CodegenOptions::default().spec;
    for output in OUTPUTS {
        let first = render(&spec, output).unwrap_or_else(|e| panic!("{e:#}"));
        // A renamed schema would silently lose its tolerant replacement.
        assert_eq!(
            first.warnings,
            Vec::<String>::new(),
            "xtask::generate::REPLACEMENTS and {DEFAULT_SPEC} disagree"
        );
        let second = render(&spec, output).unwrap();
        assert_eq!(
            first.code, second.code,
            "generating the {} must be deterministic",
            output.name
        );
        assert!(
            first
                .code
                .contains("from openapi/room_sessions.yaml\n// with progenitor "),
            "the header names the spec relative to the workspace root"
        );
    }
}
