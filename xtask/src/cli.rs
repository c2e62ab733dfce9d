//! The command line: `cargo xtask codegen [--check] [--spec PATH] [--client-out PATH]
//! [--httpmock-out PATH]`, parsed by clap.
//!
//! Exit status: 0 success, 1 failure (error or stale check), 2 usage error.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::codegen::{CodegenOptions, Target, codegen};
use crate::generate::{CLIENT, HTTPMOCK};

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
        let defaults = CodegenOptions::default();
        let named: Vec<Target> = [(&CLIENT, self.client_out), (&HTTPMOCK, self.httpmock_out)]
            .into_iter()
            .filter_map(|(output, path)| path.map(|path| Target { output, path }))
            .collect();
        CodegenOptions {
            spec: self.spec.unwrap_or(defaults.spec),
            targets: if named.is_empty() {
                defaults.targets
            } else {
                named
            },
            check: self.check,
        }
    }
}

/// Parses the arguments after the program name (what `cargo xtask` passes on) into the
/// options of `codegen`. `--help` is an `Err` too, of kind `DisplayHelp`: print it with
/// [`clap::Error::print`] and exit with [`clap::Error::exit_code`].
pub fn parse_args<I>(args: I) -> Result<CodegenOptions, clap::Error>
where
    I: IntoIterator,
    I::Item: Into<OsString> + Clone,
{
    let program = std::iter::once(OsString::from("cargo xtask"));
    let cli = Cli::try_parse_from(program.chain(args.into_iter().map(Into::into)))?;
    match cli.command {
        Command::Codegen(args) => Ok(args.into_options()),
    }
}

/// Runs a command line and returns the process exit status; all output goes
/// to stdout (results, help) and stderr (warnings, errors, stale diffs).
pub fn run<I>(args: I) -> ExitCode
where
    I: IntoIterator,
    I::Item: Into<OsString> + Clone,
{
    let options = match parse_args(args) {
        Ok(options) => options,
        Err(e) => {
            // Help goes to stdout with status 0, usage errors to stderr with status 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match codegen(&options) {
        Ok(report) => {
            for warning in &report.warnings {
                eprintln!("warning: {warning}");
            }
            if !report.is_success() {
                eprintln!("{report}");
                return ExitCode::FAILURE;
            }
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
