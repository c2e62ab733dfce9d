//! Helpers shared by the tests of the surface classification: specs edited from the fixture,
//! generated into strings.

use std::fs;

use xtask::generate::Output;
use xtask::render;

/// The small spec the xtask tests generate from.
pub const FIXTURE: &str = include_str!("../fixtures/mini.yaml");

/// One edit of a spec's text: `from` (which must occur) replaced by `to`, once.
pub type Edit = (&'static str, &'static str);

/// The fixture with `edits` applied in order.
pub fn spec_with(edits: &[Edit]) -> String {
    let mut spec = FIXTURE.to_owned();
    for (from, to) in edits {
        assert!(spec.contains(from), "the spec does not contain {from:?}");
        spec = spec.replacen(from, to, 1);
    }
    spec
}

/// The file `output` generates from `spec_text` (written to a temp file first).
pub fn generate(spec_text: &str, output: &Output) -> String {
    let dir = tempfile::tempdir().expect("create temp dir");
    let spec = dir.path().join("spec.yaml");
    fs::write(&spec, spec_text).expect("write spec");
    render(&spec, output)
        .unwrap_or_else(|e| panic!("cannot generate the {}: {e:#}", output.name))
        .code
}
