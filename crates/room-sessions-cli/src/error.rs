//! What can end a run, the exit status of each, and the one line that says it.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

/// The exit statuses, as `--help` documents them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    Success = 0,
    Failure = 1,
    Usage = 2,
    NotFound = 3,
    Auth = 4,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

/// Everything that ends a run before it is done. None of the variants holds the API token:
/// the token file's errors name the file, never its content.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The API, the wrapper's checks, or the client's configuration.
    #[error(transparent)]
    Api(#[from] room_sessions::Error),

    /// Settings with no flag and no environment variable: how to give each.
    #[error("missing configuration: set {}; or try --demo", .0.join(", "))]
    MissingConfig(Vec<&'static str>),

    /// The token file could not be read, or does not hold a token.
    #[error("the API token file {}: {reason}", path.display())]
    TokenFile { path: PathBuf, reason: String },

    /// `--demo` or `--replay` with a setting of a real space, or with each other.
    #[error("{0} runs against a local server: it takes no {1}")]
    LocalWith(&'static str, &'static str),

    /// The recording given to `--replay` cannot be read.
    #[error("the recording {}: {error}", path.display())]
    Recording {
        path: PathBuf,
        error: room_sessions_httpmock::recording::RecordingError,
    },

    /// `--api-token` was given.
    #[error(
        "--api-token is refused: a token on the command line shows in `ps` and the shell's \
         history; set SIGNALWIRE_API_TOKEN or use --api-token-file PATH"
    )]
    TokenFlag,

    /// Writing the output failed (other than its reader going away).
    #[error("could not write the output: {0}")]
    Output(io::Error),

    /// The reader of the output went away (`| head -n 1`): not an error, the run just stops.
    #[error("the output was closed")]
    OutputClosed,
}

impl From<io::Error> for CliError {
    fn from(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::BrokenPipe {
            CliError::OutputClosed
        } else {
            CliError::Output(error)
        }
    }
}

impl CliError {
    /// The exit status this error ends the run with.
    pub fn exit(&self) -> Exit {
        match self {
            CliError::Api(error) if error.is_not_found() => Exit::NotFound,
            CliError::Api(error) if error.is_auth() => Exit::Auth,
            // Nothing was sent: the invocation or its configuration is wrong.
            CliError::Api(room_sessions::Error::Config { .. })
            | CliError::Api(room_sessions::Error::InvalidInput { .. })
            | CliError::MissingConfig(_)
            | CliError::TokenFile { .. }
            | CliError::Recording { .. }
            | CliError::LocalWith(..)
            | CliError::TokenFlag => Exit::Usage,
            CliError::OutputClosed => Exit::Success,
            CliError::Api(_) | CliError::Output(_) => Exit::Failure,
        }
    }

    /// The message to print, if any: one line (a server's text with a line break in it
    /// included), without the `error:` prefix.
    pub fn message(&self) -> Option<String> {
        if matches!(self, CliError::OutputClosed) {
            return None;
        }
        Some(
            self.to_string()
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_output_is_a_quiet_success() {
        let closed = CliError::from(io::Error::from(io::ErrorKind::BrokenPipe));
        assert_eq!(closed.exit(), Exit::Success);
        assert_eq!(closed.message(), None);
        let full = CliError::from(io::Error::from(io::ErrorKind::StorageFull));
        assert_eq!(full.exit(), Exit::Failure);
        assert!(
            full.message()
                .unwrap()
                .starts_with("could not write the output")
        );
    }

    #[test]
    fn messages_are_one_line() {
        let error = CliError::TokenFile {
            path: PathBuf::from("token"),
            reason: "first\nsecond\r\tthird".to_owned(),
        };
        assert_eq!(
            error.message().unwrap(),
            "the API token file token: first second  third"
        );
    }

    #[test]
    fn missing_configuration_names_each_setting() {
        let error = CliError::MissingConfig(vec!["A (or --a)", "B (or --b)"]);
        assert_eq!(
            error.message().unwrap(),
            "missing configuration: set A (or --a), B (or --b); or try --demo"
        );
        assert_eq!(error.exit(), Exit::Usage);
    }
}
