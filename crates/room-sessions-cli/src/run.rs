//! Running a parsed command line: the client, then the subcommand.

use std::io::{self, BufWriter, IsTerminal as _, Write};

use clap::CommandFactory as _;
use futures::TryStreamExt as _;
use futures::stream::BoxStream;
use room_sessions::{Client, Page};
use serde::Serialize;

use crate::cli::{ApiCommand, Cli, Command, GlobalArgs, Paging};
use crate::config::Settings;
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
            let mut out = io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "room-sessions", &mut out);
            out.flush()?;
            return Ok(());
        }
    };

    let client = connect(&global)?;
    if global.verbose {
        verbose::install(client.base_url().path(), command.session());
    }
    let out = BufWriter::new(io::stdout());
    let format = global.output;
    // With --verbose the request lines tell how it goes; a progress line would break them.
    let progress_shown = !global.verbose && io::stderr().is_terminal();

    match command {
        ApiCommand::Find { id } => {
            let session = client.room_session(id).await?;
            output::write_one(out, format, &session)?;
            Ok(())
        }
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
            print_listing(request.pages(), out, &global, args.paging, progress_shown).await
        }
        ApiCommand::Members { id, paging } => {
            let mut request = client.room_session_members(id);
            if let Some(size) = paging.effective_page_size() {
                request = request.page_size(size);
            }
            print_listing(request.pages(), out, &global, paging, progress_shown).await
        }
        ApiCommand::Events { id, paging } => {
            let mut request = client.room_session_events(id);
            if let Some(size) = paging.effective_page_size() {
                request = request.page_size(size);
            }
            print_listing(request.pages(), out, &global, paging, progress_shown).await
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
            print_listing(request.pages(), out, &global, paging, progress_shown).await
        }
    }
}

/// The client the configuration describes.
fn connect(global: &GlobalArgs) -> Result<Client, CliError> {
    Settings::resolve(global, |name| std::env::var_os(name))?.client()
}

async fn print_listing<T: Row + Serialize>(
    pages: BoxStream<'static, Result<Page<T>, room_sessions::Error>>,
    out: impl Write,
    global: &GlobalArgs,
    paging: Paging,
    progress_shown: bool,
) -> Result<(), CliError> {
    let progress = Progress::new(progress_shown.then(io::stderr), T::NOUN);
    let items = pages.map_ok(Page::into_items);
    listing::print(items, out, global.output, paging.limit, progress).await
}
