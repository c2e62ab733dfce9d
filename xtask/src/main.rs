//! Developer tasks for this workspace, run as `cargo xtask <command>` (see `cargo xtask --help`).
//!
//! `codegen` turns the OpenAPI spec ([`paths::DEFAULT_SPEC`]) into the checked-in Rust files of
//! [`generate::OUTPUTS`] (the client, and typed httpmock mocks of it) with progenitor used as a
//! library, and with `--check` verifies that the checked-in files are current. When a file
//! changes it prints what changed in its public surface, each change classified as breaking or
//! compatible by Rust's rules ([`classify`]). `xtask/tests/committed.rs` runs it in check mode,
//! which makes a plain `cargo test` fail while a generated file is stale.
//!
//! `semver [--base REV]` compares the public surface of each generated crate at its last
//! release (its newest `<crate>-v*` tag, else the root commit; or `REV`) with the working
//! tree's, and fails when the version in the crate's `Cargo.toml` is not bumped enough for the
//! changes (0.x: the minor for a breaking change, the patch for a compatible one). See
//! [`semver`](mod@semver).
//!
//! The codegen pipeline, one module per step, imports flowing one way (`cli` → `codegen` →
//! the rest):
//! 1. [`spec`]: read the spec (YAML or JSON) and validate what progenitor would
//!    otherwise reject late, vaguely or with a panic;
//! 2. [`generate`]: the table of outputs; run progenitor for each, format with
//!    prettyplease, prepend a header;
//! 3. [`write`](mod@write): compare with the file on disk, then write it atomically, or in check
//!    mode report a bounded unified diff.
//!
//! [`codegen`](mod@codegen) runs the steps for every output; [`cli`] parses the command line;
//! [`surface`] reads the public surface of generated code, so a rewrite can say what changed
//! for users, and [`classify`] what each change means for the version; [`semver`](mod@semver)
//! runs the version check (`cli` → `semver` → [`git`], [`manifest`], `classify` → `surface`);
//! [`paths`] says where things are and how paths are shown.
//!
//! `drift FILE... [--overlay OUT]` compares traffic the client recorded (NDJSON, [`traffic`])
//! with the spec, each exchange by [`check`], and reports per operation what the API sends that
//! the spec does not say ([`drift`](mod@drift)), with the findings of Redocly's `drift` merged
//! in when it is installed ([`redocly`]). `--overlay` writes an OpenAPI Overlay that documents
//! them, and `spec apply OVERLAY` writes one into the spec as a lossless YAML edit
//! ([`overlay`]), checked by `spec` and Redocly's lint before anything is written.

mod check;
mod classify;
mod cli;
mod codegen;
mod drift;
mod generate;
mod git;
mod manifest;
mod overlay;
mod paths;
mod redocly;
mod semver;
mod spec;
mod surface;
mod traffic;
mod write;

fn main() -> std::process::ExitCode {
    cli::run(std::env::args_os().skip(1))
}
