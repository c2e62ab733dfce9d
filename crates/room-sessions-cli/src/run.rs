//! Running a parsed command line: the client, then the subcommand.

use std::io::{self, BufWriter, IsTerminal as _, Write};

use clap::CommandFactory as _;
use futures::TryStreamExt as _;
use futures::stream::BoxStream;
use indicatif::ProgressDrawTarget;
use room_sessions::Page;
use room_sessions_httpmock::demo::DemoServer;
use room_sessions_httpmock::recording;
use serde::Serialize;

use crate::cli::{ApiCommand, Cli, Command, Format, Paging};
use crate::config;
use crate::error::CliError;
use crate::listing;
use crate::output;
use crate::progress::Progress;
use crate::table::Row;
use crate::verbose;

/// Runs the command.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let Cli { command, global } = cli;
    let command = match command {
        Command::Api(command) => command,
        Command::Completions { shell } => {
            // clap_complete panics when its writer fails: written to memory first, the
            // script reaches stdout through a write whose closed pipe is a quiet success.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "room-sessions", &mut script);
            let mut out = io::stdout().lock();
            out.write_all(&script)?;
            out.flush()?;
            return Ok(());
        }
    };

    // A local server serves from a task of this runtime for as long as it lives: the whole
    // run.
    let local = match (&global.replay, global.demo) {
        (Some(path), _) => {
            config::local_only(&global, "--replay")?;
            let exchanges = recording::read(path).map_err(|error| CliError::Recording {
                path: path.clone(),
                error,
            })?;
            Some(DemoServer::replaying(exchanges).await)
        }
        (None, true) => {
            config::local_only(&global, "--demo")?;
            Some(DemoServer::start().await)
        }
        (None, false) => None,
    };
    let client = match &local {
        Some(server) => config::local_client(&global, server.base_url())?,
        None => config::client(&global)?,
    };
    if global.verbose {
        verbose::install();
    }
    let printer = Printer {
        format: global.output,
        // With --verbose the request lines tell how it goes; a progress line would break them.
        progress_shown: !global.verbose && io::stderr().is_terminal(),
    };

    match command {
        ApiCommand::Find { id } => printer.one(&client.room_session(id).await?),
        ApiCommand::List(args) => {
            let mut request = client.room_sessions();
            if let Some(status) = args.status {
                request = request.status(status);
            }
            if let Some(room_id) = args.room_id {
                request = request.room_id(room_id);
            }
            if let Some(name) = args.room_name {
                request = request.room_name(name);
            }
            if let Some(text) = args.room_name_matches {
                request = request.room_name_matches(text);
            }
            if let Some(size) = args.paging.effective_page_size() {
                request = request.page_size(size);
            }
            printer.listing(request.pages(), args.paging).await
        }
        ApiCommand::Members { id, paging } => {
            let mut request = client.room_session_members(id);
            if let Some(size) = paging.effective_page_size() {
                request = request.page_size(size);
            }
            printer.listing(request.pages(), paging).await
        }
        ApiCommand::Events { id, paging } => {
            let mut request = client.room_session_events(id);
            if let Some(size) = paging.effective_page_size() {
                request = request.page_size(size);
            }
            printer.listing(request.pages(), paging).await
        }
        ApiCommand::Recordings {
            id,
            media_ttl,
            paging,
        } => {
            let mut request = client.room_session_recordings(id);
            if let Some(seconds) = media_ttl {
                request = request.media_ttl(seconds);
            }
            if let Some(size) = paging.effective_page_size() {
                request = request.page_size(size);
            }
            printer.listing(request.pages(), paging).await
        }
    }
}

/// Prints to stdout in the chosen format, with a progress line on stderr if it is shown.
struct Printer {
    format: Format,
    progress_shown: bool,
}

impl Printer {
    fn one<T: Row + Serialize>(&self, item: &T) -> Result<(), CliError> {
        output::write_one(BufWriter::new(io::stdout()), self.format, item)?;
        Ok(())
    }

    async fn listing<T: Row + Serialize>(
        &self,
        pages: BoxStream<'static, Result<Page<T>, room_sessions::Error>>,
        paging: Paging,
    ) -> Result<(), CliError> {
        let progress = Progress::new(
            self.progress_shown.then(ProgressDrawTarget::stderr),
            T::NOUN,
        );
        let items = pages.map_ok(Page::into_items);
        let out = BufWriter::new(io::stdout());
        listing::print(items, out, self.format, paging.limit, progress).await
    }
}
