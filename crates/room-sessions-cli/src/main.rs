//! `room-sessions`: find, list and inspect the room sessions of SignalWire's Video REST API
//! from the command line, through the `room-sessions` client crate.

mod cli;
mod config;
mod error;
mod listing;
mod output;
mod progress;
mod run;
mod table;
mod verbose;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;

use crate::cli::Cli;

fn main() -> ExitCode {
    // Usage errors exit with 2, --help and --version with 0 (clap's own statuses).
    let cli = Cli::parse();
    // One request at a time needs no more than one thread.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: could not start the runtime: {error}"
            );
            return error::Exit::Failure.into();
        }
    };
    match runtime.block_on(run::run(cli)) {
        Ok(()) => error::Exit::Success.into(),
        Err(error) => {
            if let Some(message) = error.message() {
                let _ = writeln!(std::io::stderr(), "error: {message}");
            }
            error.exit().into()
        }
    }
}
