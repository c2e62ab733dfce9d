//! The command line, parsed by clap: `cargo xtask codegen [--check] [--spec PATH]
//! [--client-out PATH] [--httpmock-out PATH]`, `cargo xtask semver [--base REV]`, `cargo xtask
//! drift FILE... [--spec PATH] [--overlay OUT]` and `cargo xtask spec apply OVERLAY [--spec PATH]`.
//!
//! Exit status: 0 success; 1 failure (an error, a stale check, a version not bumped enough,
//! drift, an overlay whose result fails the spec's checks); 2 usage error, including input that
//! cannot be read (traffic, a spec, an overlay) and a `semver` comparison that cannot be made as
//! asked (no git, no repository, a bad `--base`, a shallow clone without the base).

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::codegen::{CodegenOptions, codegen};
use crate::drift::{DriftOptions, drift};
use crate::generate::{CLIENT, HTTPMOCK, OUTPUTS};
use crate::git::GitError;
use crate::overlay::{ApplyError, apply};
use crate::paths::{DEFAULT_SPEC, display_path, workspace_root};
use crate::redocly::DEFAULT_CLI;
use crate::semver::{SemverOptions, semver};

/// Developer tasks for this workspace.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate the room-sessions client and its typed httpmock mocks from the OpenAPI spec
    /// (--check: verify only)
    Codegen(CodegenArgs),
    /// Check that the generated crates' versions are bumped enough for the changes of their
    /// surface since the last release
    Semver(SemverArgs),
    /// Compare recorded traffic (NDJSON) with the spec: what the API sends that the spec does
    /// not say
    Drift(DriftArgs),
    /// Change the spec
    #[command(subcommand)]
    Spec(SpecCommand),
}

#[derive(Debug, Subcommand)]
enum SpecCommand {
    /// Write an OpenAPI Overlay 1.0 document into the spec, keeping its comments and order
    Apply(ApplyArgs),
}

/// Generate the room-sessions client and its typed httpmock mocks from the OpenAPI spec
/// with progenitor.
#[derive(Debug, Args)]
#[command(after_help = "\
Without --client-out or --httpmock-out, both files are generated at their default paths
(relative to the workspace root). Naming either generates only the outputs named, so a
trial spec never overwrites the committed files by accident. PATHs given on the command
line are relative to the current directory. A file is written only when its contents
change, atomically.")]
struct CodegenArgs {
    /// Write nothing; exit 1 with a diff if an output is stale or missing
    #[arg(long)]
    check: bool,
    /// OpenAPI 3.0.x spec, .yaml/.yml/.json [default: openapi/room_sessions.yaml]
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
    /// The generated client [default: crates/room-sessions-api/src/generated.rs]
    /// (`--out` is its older name)
    #[arg(long, value_name = "PATH", visible_alias = "out")]
    client_out: Option<PathBuf>,
    /// The typed httpmock mocks [default: crates/room-sessions-httpmock/src/generated.rs]
    #[arg(long, value_name = "PATH")]
    httpmock_out: Option<PathBuf>,
}

impl CodegenArgs {
    fn into_options(self) -> CodegenOptions {
        let named: Vec<_> = [(&CLIENT, self.client_out), (&HTTPMOCK, self.httpmock_out)]
            .into_iter()
            .filter_map(|(output, path)| Some((output, path?)))
            .collect();
        let every_output = || OUTPUTS.iter().map(|o| (*o, workspace_root().join(o.path)));
        CodegenOptions {
            spec: default_spec(self.spec),
            targets: match named.is_empty() {
                true => every_output().collect(),
                false => named,
            },
            check: self.check,
        }
    }
}

/// Check that the versions of the generated crates (room-sessions-api, room-sessions-httpmock)
/// are bumped enough for the changes of their public surface since the last release.
#[derive(Debug, Args)]
#[command(after_help = "\
Each change of a generated file's public surface is breaking or compatible by Rust's rules.
Against 0.x, a breaking change needs the minor version bumped and a compatible one the patch;
from 1.0, the major and the minor. The working tree is read from disk, so uncommitted changes
count. A base where the crate or its generated file does not exist yet passes.

Exit status: 0 bumped enough, 1 not bumped enough (or an error), 2 the comparison cannot be
made (no git, a bad --base, a shallow clone without the base).")]
struct SemverArgs {
    /// The git revision to compare with [default: each crate's newest <crate>-v* tag, else the
    /// root commit]
    #[allow(rustdoc::invalid_html_tags)] // clap prints this text as it is: no HTML
    #[arg(long, value_name = "REV", value_parser = parse_revision)]
    base: Option<String>,
    /// The workspace to check [default: this one] (for tests: a copy of its layout)
    #[arg(long, value_name = "DIR", hide = true)]
    workspace: Option<PathBuf>,
}

impl SemverArgs {
    fn into_options(self) -> SemverOptions {
        SemverOptions {
            workspace: self
                .workspace
                .unwrap_or_else(|| workspace_root().to_path_buf()),
            base: self.base,
        }
    }
}

/// Compare recorded traffic with the spec and report, per operation, what the API sends that
/// the spec does not say.
#[derive(Debug, Args)]
#[command(after_help = "\
Each FILE holds one recorded exchange a line (NDJSON, as the client's recorder writes it and
Redocly's drift reads it). Reported per operation, each with how often and where (FILE:LINE):
undocumented endpoints (an ID in the path reads {id}), statuses, query parameters, response
properties and enum values; values outside their type (a null where the schema is not
nullable) or format; missing required properties; bodies documented as JSON that are not.
Documented properties never seen are listed too, but are not drift. When Redocly's CLI is
installed (`npm ci`), its `drift` runs too and its findings are merged in.

The overlay adds, where the spec defines each thing: new properties (optional, nullable, of
the type seen), new enum values, `nullable: true`, int64 for a value past int32 (no format for
one outside int64, date-time, date or uuid), and new statuses whose body fits the one body type
of their class (progenitor allows no other). Anything else needs a human, and so does a report
line that mixes it with what the overlay adds.

Exit status: 0 no drift, 1 drift, 2 input that cannot be read (a traffic line, a file, the spec).")]
struct DriftArgs {
    /// Recorded traffic, NDJSON
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// OpenAPI 3.0.x spec [default: openapi/room_sessions.yaml]
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
    /// Also write an OpenAPI Overlay 1.0 document that adds what can be added to the spec
    /// (apply it with `cargo xtask spec apply`)
    #[arg(long, value_name = "OUT")]
    overlay: Option<PathBuf>,
    /// The Redocly CLI [default: node_modules/.bin/redocly] (for tests: a missing one)
    #[arg(long, value_name = "PATH", hide = true)]
    redocly: Option<PathBuf>,
}

/// Write an OpenAPI Overlay 1.0 document (e.g. from `cargo xtask drift --overlay`) into the
/// spec as a lossless YAML edit: comments, key order and quoting stay as they were.
#[derive(Debug, Args)]
#[command(after_help = "\
The result must pass the spec's checks (those of `cargo xtask codegen`) and, when Redocly's CLI is
installed, `redocly lint` with the rules of redocly.yaml; otherwise the spec is left untouched.
Then run `cargo xtask codegen` to see the change of the client's surface.

Exit status: 0 applied, 1 the result fails the spec's checks, 2 input that cannot be read or an
action that cannot be applied (the spec is untouched).")]
struct ApplyArgs {
    /// The overlay, YAML or JSON
    #[arg(value_name = "OVERLAY")]
    overlay: PathBuf,
    /// The spec to change, YAML [default: openapi/room_sessions.yaml]
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
    /// The Redocly CLI [default: node_modules/.bin/redocly] (for tests: a missing one)
    #[arg(long, value_name = "PATH", hide = true)]
    redocly: Option<PathBuf>,
}

fn default_spec(spec: Option<PathBuf>) -> PathBuf {
    spec.unwrap_or_else(|| workspace_root().join(DEFAULT_SPEC))
}

fn default_redocly(redocly: Option<PathBuf>) -> PathBuf {
    redocly.unwrap_or_else(|| workspace_root().join(DEFAULT_CLI))
}

/// A revision is given to git as an argument: one that starts with `-` would be an option.
fn parse_revision(text: &str) -> Result<String, String> {
    if text.is_empty() {
        Err("a git revision is required".to_owned())
    } else if text.starts_with('-') {
        Err("a git revision cannot start with '-'".to_owned())
    } else {
        Ok(text.to_owned())
    }
}

/// Runs the command line after the program name (what `cargo xtask` passes on) and returns
/// the process exit status; all output goes to stdout (results, help) and stderr (warnings,
/// errors, stale diffs).
pub(crate) fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let program = std::iter::once(OsString::from("cargo xtask"));
    match Cli::try_parse_from(program.chain(args)) {
        Ok(Cli {
            command: Command::Codegen(args),
        }) => run_codegen(&args.into_options()),
        Ok(Cli {
            command: Command::Semver(args),
        }) => run_semver(&args.into_options()),
        Ok(Cli {
            command: Command::Drift(args),
        }) => run_drift(args),
        Ok(Cli {
            command: Command::Spec(SpecCommand::Apply(args)),
        }) => run_apply(args),
        Err(e) => {
            // Help goes to stdout with status 0, usage errors to stderr with status 2.
            let _ = e.print();
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
        }
    }
}

fn run_codegen(options: &CodegenOptions) -> ExitCode {
    match codegen(options) {
        Ok(report) => {
            for warning in &report.warnings {
                eprintln!("warning: {warning}");
            }
            if report.success {
                println!("{}", report.text);
                ExitCode::SUCCESS
            } else {
                eprintln!("{}", report.text);
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_semver(options: &SemverOptions) -> ExitCode {
    match semver(options) {
        Ok(verdicts) => {
            let reports: Vec<&str> = verdicts.iter().map(|v| v.report.as_str()).collect();
            let report = reports.join("\n");
            if verdicts.iter().all(|verdict| verdict.passes) {
                println!("{}", report.trim_end());
                ExitCode::SUCCESS
            } else {
                eprintln!("{}", report.trim_end());
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            // A comparison that cannot be made as asked is a usage error; git failing for
            // another reason is not.
            match e.downcast_ref::<GitError>() {
                Some(GitError::Failed { .. }) | None => ExitCode::FAILURE,
                Some(_) => ExitCode::from(2),
            }
        }
    }
}

fn run_drift(args: DriftArgs) -> ExitCode {
    let options = DriftOptions {
        files: args.files,
        spec: default_spec(args.spec),
        redocly: default_redocly(args.redocly),
    };
    let result = match drift(&options) {
        Ok(result) => result,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
    for note in &result.notes {
        eprintln!("{note}");
    }
    print!("{}", result.report);
    if let Some(out) = &args.overlay {
        match &result.overlay {
            None => println!("no overlay written: nothing found can be added to the spec"),
            Some(overlay) => match crate::write::write_atomically(out, overlay.as_bytes()) {
                Ok(()) => println!("overlay written to {}", display_path(out)),
                Err(e) => {
                    eprintln!("error: {e:#}");
                    return ExitCode::FAILURE;
                }
            },
        }
    }
    match result.drift {
        true => ExitCode::FAILURE,
        false => ExitCode::SUCCESS,
    }
}

fn run_apply(args: ApplyArgs) -> ExitCode {
    let (spec, redocly) = (default_spec(args.spec), default_redocly(args.redocly));
    match apply(&args.overlay, &spec, &redocly) {
        Ok((report, notes)) => {
            for note in notes {
                eprintln!("{note}");
            }
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            match e {
                ApplyError::Input(_) => ExitCode::from(2),
                ApplyError::Rejected(_) => ExitCode::FAILURE,
            }
        }
    }
}
