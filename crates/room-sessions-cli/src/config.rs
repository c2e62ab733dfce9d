//! The client's configuration: the wrapper reads the environment, and each flag given goes
//! over its variable; the token comes from the environment or a file, never from a flag value.

use std::io::{Read, Write as _};
use std::path::Path;

use room_sessions::{Client, ClientBuilder, ENV_API_TOKEN, ENV_PROJECT_ID, ENV_SPACE};
use room_sessions_httpmock::{demo, values};

use crate::cli::GlobalArgs;
use crate::error::CliError;

/// The largest token file read: a token is a few dozen bytes, so a larger file is not one.
const MAX_TOKEN_FILE_BYTES: u64 = 4096;

/// The client of a real space: the settings of the environment (the wrapper's
/// `SIGNALWIRE_*` variables), each flag given over its variable.
pub fn client(args: &GlobalArgs) -> Result<Client, CliError> {
    if args.api_token.is_some() {
        return Err(CliError::TokenFlag);
    }
    let mut builder = ClientBuilder::from_env();
    if let Some(space) = &args.space {
        builder = builder.space(space);
    }
    if let Some(base_url) = &args.base_url {
        builder = builder.base_url(base_url);
    }
    if let Some(project_id) = &args.project_id {
        builder = builder.project_id(project_id);
    }
    if let Some(path) = &args.api_token_file {
        builder = builder.api_token(read_token_file(path)?);
    }
    build(builder, args)
}

/// Refuses what a run against a local server (`mode`: `--demo` or `--replay`) cannot take:
/// the settings of a real space, and the other local mode.
pub fn local_only(args: &GlobalArgs, mode: &'static str) -> Result<(), CliError> {
    if args.api_token.is_some() {
        return Err(CliError::TokenFlag);
    }
    // Checked here rather than by clap, which does not check conflicts of global flags
    // given after the subcommand.
    for (flag, given) in [
        ("--space", args.space.is_some()),
        ("--base-url", args.base_url.is_some()),
        ("--project-id", args.project_id.is_some()),
        ("--api-token-file", args.api_token_file.is_some()),
        ("--demo", mode != "--demo" && args.demo),
    ] {
        if given {
            return Err(CliError::LocalWith(mode, flag));
        }
    }
    Ok(())
}

/// The client of a local server at `base_url`, with the demo's credentials. The environment
/// is not read: it never talks to a real space.
pub fn local_client(args: &GlobalArgs, base_url: String) -> Result<Client, CliError> {
    let builder = Client::builder()
        .base_url(base_url)
        .project_id(values::PROJECT_ID.to_string())
        .api_token(demo::API_TOKEN);
    build(builder, args)
}

/// The client with the options every run shares; the settings the wrapper finds missing are
/// named together, each by its variable and its flag.
fn build(builder: ClientBuilder, args: &GlobalArgs) -> Result<Client, CliError> {
    let mut builder = builder.user_agent(concat!("room-sessions-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(timeout) = args.timeout {
        builder = builder.timeout(timeout);
    }
    if let Some(path) = &args.record {
        builder = builder.record(path);
    }
    builder
        .build()
        .map_err(|error| match error.missing_settings() {
            [] => CliError::Api(error),
            missing => {
                CliError::MissingConfig(missing.iter().map(|name| how_to_set(name)).collect())
            }
        })
}

/// A missing setting's variable, and the flag that stands for it.
fn how_to_set(variable: &'static str) -> &'static str {
    match variable {
        ENV_SPACE => "SIGNALWIRE_SPACE (or --space; or SIGNALWIRE_BASE_URL, --base-url)",
        ENV_PROJECT_ID => "SIGNALWIRE_PROJECT_ID (or --project-id)",
        ENV_API_TOKEN => "SIGNALWIRE_API_TOKEN (or --api-token-file PATH)",
        other => other,
    }
}

/// The token in `path`: its text without a leading byte order mark (which some Windows
/// editors write) and the surrounding white space (a trailing newline).
///
/// What is not a regular file is refused before it is opened: opening a FIFO that has no
/// writer would wait forever. A file that others may read is used, with a warning.
fn read_token_file(path: &Path) -> Result<String, CliError> {
    let fail = |reason: String| CliError::TokenFile {
        path: path.to_owned(),
        reason,
    };
    // Follows symbolic links, as opening does: a link to the token (a mounted secret) is fine.
    let metadata = std::fs::metadata(path).map_err(|e| fail(format!("cannot be opened ({e})")))?;
    if !metadata.is_file() {
        return Err(fail(format!(
            "is {}, not a regular file",
            file_kind(&metadata.file_type())
        )));
    }
    warn_if_readable_by_others(path, &metadata);
    let file = std::fs::File::open(path).map_err(|e| fail(format!("cannot be opened ({e})")))?;
    let mut bytes = Vec::new();
    file.take(MAX_TOKEN_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(format!("cannot be read ({e})")))?;
    if bytes.len() as u64 > MAX_TOKEN_FILE_BYTES {
        return Err(fail(format!(
            "is larger than {MAX_TOKEN_FILE_BYTES} bytes: it does not hold just a token"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| fail("is not UTF-8 text".to_owned()))?;
    let token = text.strip_prefix('\u{feff}').unwrap_or(&text).trim();
    if token.is_empty() {
        return Err(fail("is empty".to_owned()));
    }
    Ok(token.to_owned())
}

/// What a file that is not a regular file is, for the message that refuses it.
fn file_kind(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a directory"
    } else {
        "something else"
    }
}

/// Warns on stderr, as ssh does of a private key, when the group or others may read the token
/// file. The warning names the file and its mode, never its content.
fn warn_if_readable_by_others(path: &Path, metadata: &std::fs::Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o044 != 0 {
            // A path is printed as the errors are: no control character reaches the terminal.
            let path = path.display().to_string().replace(char::is_control, " ");
            let _ = writeln!(
                std::io::stderr(),
                "warning: the API token file {path} is readable by others (mode {mode:04o}); \
                 chmod 600 it"
            );
        }
    }
    #[cfg(not(unix))]
    let _ = (path, metadata);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_file_is_read_trimmed_and_bounded() {
        // Made private (0600), as a token file should be: no warning among the tests' output.
        let file = tempfile::NamedTempFile::new().unwrap();
        let path = file.path();
        for (content, read) in [
            (b"PT-unit-7c1e\n".to_vec(), Ok("PT-unit-7c1e")),
            (b"\xef\xbb\xbfPT-unit-7c1e\r\n".to_vec(), Ok("PT-unit-7c1e")),
            (b"  \n".to_vec(), Err("is empty")),
            (vec![b'P'; 5000], Err("is larger than 4096 bytes")),
            (vec![0xff, 0xfe], Err("is not UTF-8")),
        ] {
            std::fs::write(path, &content).unwrap();
            match (read_token_file(path), read) {
                (Ok(token), Ok(expected)) => assert_eq!(token, expected),
                (Err(error), Err(reason)) => {
                    let message = error.to_string();
                    assert!(message.contains(reason), "{message}");
                    assert!(message.contains(path.to_str().unwrap()), "{message}");
                    assert!(!message.contains("PPPP"), "{message}");
                }
                (got, _) => panic!("{content:?}: {:?}", got.map_err(|e| e.to_string())),
            }
        }
        let absent = path.with_file_name("absent-token");
        let message = read_token_file(&absent).unwrap_err().to_string();
        assert!(message.contains("cannot be opened"), "{message}");
    }
}
