//! The command line: `cargo xtask codegen [--check] [--spec PATH] [--out PATH]`.
//!
//! Parsed by hand: two flags with values do not justify clap's compile time.
//! Exit status: 0 success, 1 failure (error or stale check), 2 usage error.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::{CodegenOptions, DEFAULT_OUT, DEFAULT_SPEC, codegen};

/// `cargo xtask --help`.
pub const USAGE: &str = "\
Developer tasks for this workspace.

Usage: cargo xtask <COMMAND> [OPTIONS]

Commands:
  codegen  Generate the room-sessions client from its OpenAPI spec (--check: verify only)
  help     Print this help, or a command's help (`cargo xtask help codegen`)

Run `cargo xtask <COMMAND> --help` for a command's options.
";

/// `cargo xtask codegen --help`.
pub fn codegen_usage() -> String {
    format!(
        "\
Generate the room-sessions client from its OpenAPI spec with progenitor.

Usage: cargo xtask codegen [--check] [--spec PATH] [--out PATH]

Options:
      --check      Write nothing; exit 1 with a diff if the output is stale or missing
      --spec PATH  OpenAPI 3.0.x spec, .yaml/.yml/.json [default: {DEFAULT_SPEC}]
      --out PATH   Generated Rust file [default: {DEFAULT_OUT}]
  -h, --help       Print this help

The defaults are relative to the workspace root; PATHs given on the command line
are relative to the current directory. The output is written only when its
contents change, atomically.
"
    )
}

/// A parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Print [`USAGE`].
    Help,
    /// Print [`codegen_usage`].
    CodegenHelp,
    /// Run [`codegen`] with these options.
    Codegen(CodegenOptions),
}

/// A command line that could not be parsed (exit status 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError {
    /// What was wrong.
    pub message: String,
    /// The usage text to show with it.
    pub usage: String,
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UsageError {}

fn usage_error(message: String, usage: impl Into<String>) -> UsageError {
    UsageError {
        message,
        usage: usage.into(),
    }
}

/// Parses the arguments after the program name (what `cargo xtask` passes on).
pub fn parse_args<I>(args: I) -> Result<Command, UsageError>
where
    I: IntoIterator,
    I::Item: Into<OsString>,
{
    let mut args = args.into_iter().map(Into::into);
    let Some(command) = args.next() else {
        return Err(usage_error("no command given".to_owned(), USAGE));
    };
    match command.to_str() {
        Some("-h" | "--help") => Ok(Command::Help),
        Some("help") => match args.next() {
            None => Ok(Command::Help),
            Some(topic) if topic == "codegen" => Ok(Command::CodegenHelp),
            Some(topic) => Err(usage_error(
                format!("unknown command `{}`", topic.to_string_lossy()),
                USAGE,
            )),
        },
        Some("codegen") => parse_codegen(args),
        _ => Err(usage_error(
            format!("unknown command `{}`", command.to_string_lossy()),
            USAGE,
        )),
    }
}

fn parse_codegen(mut args: impl Iterator<Item = OsString>) -> Result<Command, UsageError> {
    let mut check = false;
    let mut spec: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let err = |message: String| Err(usage_error(message, codegen_usage()));

    while let Some(arg) = args.next() {
        let Some(text) = arg.to_str() else {
            return err(format!(
                "unexpected argument `{}` for `cargo xtask codegen`",
                arg.to_string_lossy()
            ));
        };
        let (flag, inline_value) = match text.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value)),
            _ => (text, None),
        };
        match flag {
            "-h" | "--help" => return Ok(Command::CodegenHelp),
            "--check" => {
                if inline_value.is_some() {
                    return err("`--check` takes no value".to_owned());
                }
                if check {
                    return err("`--check` given twice".to_owned());
                }
                check = true;
            }
            "--spec" | "--out" => {
                let slot = if flag == "--spec" {
                    &mut spec
                } else {
                    &mut out
                };
                if slot.is_some() {
                    return err(format!("`{flag}` given twice"));
                }
                let value = match inline_value {
                    Some(value) => OsString::from(value),
                    None => match args.next() {
                        Some(value) if !value.to_string_lossy().starts_with('-') => value,
                        Some(value) => {
                            return err(format!(
                                "`{flag}` needs a PATH, found `{}` (write `{flag}=PATH` for a \
                                 path that starts with `-`)",
                                value.to_string_lossy()
                            ));
                        }
                        None => return err(format!("`{flag}` needs a PATH")),
                    },
                };
                if value.is_empty() {
                    return err(format!("`{flag}` needs a non-empty PATH"));
                }
                *slot = Some(PathBuf::from(value));
            }
            _ if flag.starts_with('-') => {
                return err(format!("unknown option `{flag}` for `cargo xtask codegen`"));
            }
            _ => {
                return err(format!(
                    "unexpected argument `{text}` for `cargo xtask codegen`"
                ));
            }
        }
    }

    let defaults = CodegenOptions::default();
    Ok(Command::Codegen(CodegenOptions {
        spec: spec.unwrap_or(defaults.spec),
        out: out.unwrap_or(defaults.out),
        check,
    }))
}

/// Runs a command line and returns the process exit status; all output goes
/// to stdout (results) and stderr (warnings, errors, stale diffs).
pub fn run<I>(args: I) -> ExitCode
where
    I: IntoIterator,
    I::Item: Into<OsString>,
{
    let command = match parse_args(args) {
        Ok(command) => command,
        Err(e) => {
            eprintln!("error: {e}\n\n{}", e.usage);
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Help => print!("{USAGE}"),
        Command::CodegenHelp => print!("{}", codegen_usage()),
        Command::Codegen(opts) => match codegen(&opts) {
            Ok(outcome) => {
                for warning in &outcome.warnings {
                    eprintln!("warning: {warning}");
                }
                if !outcome.is_success() {
                    eprintln!("{outcome}");
                    return ExitCode::FAILURE;
                }
                println!("{outcome}");
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                return ExitCode::FAILURE;
            }
        },
    }
    ExitCode::SUCCESS
}
