//! The command line: subcommands, options, and the help text that documents them.

use std::path::PathBuf;
use std::time::Duration;

use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;
use room_sessions::{SessionStatus, Uuid};

/// What `--help` shows after the options: where the configuration comes from, and what the
/// exit status means.
const AFTER_HELP: &str = "\
Configuration (a flag wins over its variable):
  SIGNALWIRE_SPACE        the space, as in https://SPACE.signalwire.com   (--space)
  SIGNALWIRE_BASE_URL     the API's URL instead of the space's            (--base-url)
  SIGNALWIRE_PROJECT_ID   the project id                                  (--project-id)
  SIGNALWIRE_API_TOKEN    an API token with the Video scope               (--api-token-file PATH)
  The token is never taken as a flag value, which `ps` and shell history would show.

Exit status:
  0  success (also when the reader of the output goes away, as with `| head`)
  1  any other error: the network, the server, an answer that does not decode
  2  usage: a bad argument, or configuration missing or invalid (nothing was sent)
  3  not found (HTTP 404)
  4  authentication or permission refused (HTTP 401 or 403)

Try it without an account: room-sessions --demo list";

/// Find and list the room sessions of SignalWire's Video REST API, and a session's members,
/// events and recordings.
#[derive(Debug, Parser)]
#[command(name = "room-sessions", version, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    #[command(flatten)]
    pub global: GlobalArgs,
}

/// The options every subcommand takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The output format
    #[arg(short, long, value_enum, default_value_t = Format::Table, global = true)]
    pub output: Format,

    /// Log each request (method, path, status, latency, attempt) to stderr
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Run against a local demo server with realistic data: no account, no network
    #[arg(long, global = true)]
    pub demo: bool,

    /// Record every exchange to this file (NDJSON, appended), credentials left out
    #[arg(long, value_name = "FILE", global = true)]
    pub record: Option<PathBuf>,

    /// Answer from a recording (made with --record) instead of the API: no network
    #[arg(long, value_name = "FILE", global = true)]
    pub replay: Option<PathBuf>,

    /// The SignalWire space: `example` for example.signalwire.com [env: SIGNALWIRE_SPACE]
    #[arg(long, value_name = "NAME", global = true)]
    pub space: Option<String>,

    /// The API's base URL, instead of the space's [env: SIGNALWIRE_BASE_URL]
    #[arg(long, value_name = "URL", global = true)]
    pub base_url: Option<String>,

    /// The project id [env: SIGNALWIRE_PROJECT_ID]
    #[arg(long, value_name = "ID", global = true)]
    pub project_id: Option<String>,

    /// Read the API token from this file instead of SIGNALWIRE_API_TOKEN
    #[arg(long, value_name = "PATH", global = true)]
    pub api_token_file: Option<PathBuf>,

    /// The longest a request may take, in seconds [default: 30]
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout, global = true)]
    pub timeout: Option<Duration>,

    /// Refused: a token given on the command line shows in `ps` and in the shell's history.
    /// Kept (hidden) to say so and what to do instead, without echoing the value.
    #[arg(long, hide = true, value_name = "TOKEN", global = true)]
    pub api_token: Option<String>,
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for people
    Table,
    /// One JSON document: an object for `find`, an array for a listing
    Json,
    /// One JSON object per line
    Ndjson,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(flatten)]
    Api(ApiCommand),
    /// Print a shell completion script
    ///
    /// For example: room-sessions completions bash >
    /// ~/.local/share/bash-completion/completions/room-sessions
    Completions {
        /// The shell
        shell: Shell,
    },
}

/// The subcommands that ask the API.
#[derive(Debug, Subcommand)]
pub enum ApiCommand {
    /// Find one room session by its id
    Find {
        /// The room session's id (a UUID)
        #[arg(value_parser = parse_id)]
        id: Uuid,
    },
    /// List room sessions, newest first
    List(ListArgs),
    /// List the members of a room session
    Members {
        /// The room session's id (a UUID)
        #[arg(value_parser = parse_id)]
        id: Uuid,
        #[command(flatten)]
        paging: Paging,
    },
    /// List the events of a room session
    Events {
        /// The room session's id (a UUID)
        #[arg(value_parser = parse_id)]
        id: Uuid,
        #[command(flatten)]
        paging: Paging,
    },
    /// List the recordings of a room session
    Recordings {
        /// The room session's id (a UUID)
        #[arg(value_parser = parse_id)]
        id: Uuid,
        /// How long the recordings' media links stay valid, in seconds [server's default: 900]
        #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(0..=i32::MAX as u64))]
        media_ttl: Option<u64>,
        #[command(flatten)]
        paging: Paging,
    },
}

/// The filters of `list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only the sessions in this state
    #[arg(long, value_parser = status_values())]
    pub status: Option<String>,

    /// Only the sessions of the room with this id
    #[arg(long, value_name = "ID", value_parser = parse_id)]
    pub room_id: Option<Uuid>,

    /// Only the sessions of the room with exactly this name
    #[arg(long, value_name = "NAME")]
    pub room_name: Option<String>,

    /// Only the sessions of rooms whose name contains this text
    #[arg(long, value_name = "TEXT")]
    pub room_name_matches: Option<String>,

    #[command(flatten)]
    pub paging: Paging,
}

/// How much of a listing to fetch, and in what pages.
#[derive(Debug, Clone, Copy, Args)]
pub struct Paging {
    /// Print at most N items, and fetch no page beyond them
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,

    /// Items per page, 1 to 1000 [default: --limit when it is smaller than 1000, else the
    /// server's 50]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub page_size: Option<u32>,
}

impl Paging {
    /// The page size to ask for: the one given, or else `--limit` when a page can hold it
    /// (one request instead of a page of 50 for `--limit 5`, fewer pages for `--limit 200`).
    pub fn effective_page_size(&self) -> Option<u32> {
        self.page_size.or_else(|| {
            self.limit
                .and_then(|limit| u32::try_from(limit).ok())
                .filter(|limit| *limit <= 1000)
        })
    }
}

/// The session states `--status` accepts: those the wrapper knows, so that it follows the
/// wrapper when a state is added.
fn status_values() -> PossibleValuesParser {
    PossibleValuesParser::new(SessionStatus::KNOWN.iter().map(SessionStatus::as_str))
}

fn parse_id(text: &str) -> Result<Uuid, String> {
    Uuid::parse_str(text.trim()).map_err(|e| {
        format!("not an id: ids are UUIDs, such as c22d24f6-5a47-4597-9a23-c7d01e696b92 ({e})")
    })
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if seconds.is_nan() || seconds <= 0.0 {
        return Err("the timeout must be above zero".to_owned());
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| format!("{text:?} seconds is too long"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn the_documented_timeout_is_the_wrapper_s() {
        let help = Cli::command().render_long_help().to_string();
        let seconds = room_sessions::DEFAULT_TIMEOUT.as_secs();
        assert!(
            help.contains(&format!("in seconds [default: {seconds}]")),
            "{help}"
        );
    }

    #[test]
    fn a_limit_that_fits_in_a_page_becomes_the_page_size() {
        let paging = |limit, page_size| Paging { limit, page_size };
        assert_eq!(paging(Some(5), None).effective_page_size(), Some(5));
        assert_eq!(paging(Some(1000), None).effective_page_size(), Some(1000));
        assert_eq!(paging(Some(1001), None).effective_page_size(), None);
        assert_eq!(paging(Some(5), Some(20)).effective_page_size(), Some(20));
        assert_eq!(paging(None, None).effective_page_size(), None);
    }

    #[test]
    fn timeouts_are_positive_seconds() {
        assert_eq!(parse_timeout("2.5"), Ok(Duration::from_millis(2500)));
        assert_eq!(parse_timeout("30"), Ok(Duration::from_secs(30)));
        for bad in ["0", "-1", "NaN", "soon", "1e300"] {
            assert!(parse_timeout(bad).is_err(), "{bad}");
        }
    }
}
