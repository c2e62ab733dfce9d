//! The client's configuration: each setting from its flag, else from the environment variable
//! the wrapper reads; the token from the environment or a file, never from a flag value.

use std::ffi::OsString;
use std::io::{Read, Write as _};
use std::path::Path;
use std::time::Duration;

use room_sessions::{Client, ENV_API_TOKEN, ENV_BASE_URL, ENV_PROJECT_ID, ENV_SPACE};
use room_sessions_httpmock::demo;

use crate::cli::GlobalArgs;
use crate::error::CliError;

/// The largest token file read: a token is a few dozen bytes, so a larger file is not one.
const MAX_TOKEN_FILE_BYTES: u64 = 4096;

/// Where the API is and who asks: what the client is built from.
pub struct Settings {
    pub space: Option<String>,
    pub base_url: Option<String>,
    pub project_id: Option<String>,
    /// Kept out of `Debug` (this struct has none) and out of every message.
    pub api_token: Option<String>,
    pub timeout: Option<Duration>,
}

impl Settings {
    /// The settings from the flags and, for what they leave out, the environment as `lookup`
    /// reads it. An unset or blank variable counts as missing, as in the wrapper.
    pub fn resolve(
        args: &GlobalArgs,
        lookup: impl Fn(&str) -> Option<OsString>,
    ) -> Result<Settings, CliError> {
        if args.api_token.is_some() {
            return Err(CliError::TokenFlag);
        }
        let env = |name: &'static str| -> Result<Option<String>, CliError> {
            match lookup(name) {
                None => Ok(None),
                Some(value) => value
                    .into_string()
                    .map(|value| Some(value).filter(|v| !v.trim().is_empty()))
                    .map_err(|_| CliError::NotUnicode(name)),
            }
        };
        let api_token = match &args.api_token_file {
            Some(path) => Some(read_token_file(path)?),
            None => env(ENV_API_TOKEN)?,
        };
        let flag_or_env = |flag: &Option<String>, name| match flag {
            Some(value) => Ok(Some(value.clone())),
            None => env(name),
        };
        Ok(Settings {
            space: flag_or_env(&args.space, ENV_SPACE)?,
            base_url: flag_or_env(&args.base_url, ENV_BASE_URL)?,
            project_id: flag_or_env(&args.project_id, ENV_PROJECT_ID)?,
            api_token,
            timeout: args.timeout,
        })
    }

    /// The settings of the demo server at `base_url`: its credentials, and the flags' timeout.
    /// The environment is not read: `--demo` never talks to a real space.
    pub fn demo(args: &GlobalArgs, base_url: String) -> Result<Settings, CliError> {
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
        ] {
            if given {
                return Err(CliError::DemoWith(flag));
            }
        }
        Ok(Settings {
            space: None,
            base_url: Some(base_url),
            project_id: Some(demo::PROJECT_ID.to_owned()),
            api_token: Some(demo::API_TOKEN.to_owned()),
            timeout: args.timeout,
        })
    }

    /// The client, or every setting that is missing and how to give it.
    pub fn client(self) -> Result<Client, CliError> {
        let mut missing = Vec::new();
        if self.space.is_none() && self.base_url.is_none() {
            missing.push("SIGNALWIRE_SPACE (or --space; or SIGNALWIRE_BASE_URL, --base-url)");
        }
        if self.project_id.is_none() {
            missing.push("SIGNALWIRE_PROJECT_ID (or --project-id)");
        }
        if self.api_token.is_none() {
            missing.push("SIGNALWIRE_API_TOKEN (or --api-token-file PATH)");
        }
        if !missing.is_empty() {
            return Err(CliError::MissingConfig(missing));
        }
        let mut builder =
            Client::builder().user_agent(concat!("room-sessions-cli/", env!("CARGO_PKG_VERSION")));
        if let Some(space) = self.space {
            builder = builder.space(space);
        }
        if let Some(base_url) = self.base_url {
            builder = builder.base_url(base_url);
        }
        if let Some(project_id) = self.project_id {
            builder = builder.project_id(project_id);
        }
        if let Some(token) = self.api_token {
            builder = builder.api_token(token);
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        Ok(builder.build()?)
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
    use crate::cli::Cli;
    use clap::Parser;

    const TOKEN: &str = "PT-config-unit-7c1e";

    fn args(line: &[&str]) -> GlobalArgs {
        let mut full = vec!["room-sessions"];
        full.extend_from_slice(line);
        full.push("list");
        Cli::try_parse_from(full).unwrap().global
    }

    fn no_env(_: &str) -> Option<OsString> {
        None
    }

    fn full_env(name: &str) -> Option<OsString> {
        match name {
            ENV_SPACE => Some("example".into()),
            ENV_PROJECT_ID => Some("p-env".into()),
            ENV_API_TOKEN => Some(TOKEN.into()),
            _ => None,
        }
    }

    #[test]
    fn flags_win_over_the_environment() {
        let settings = Settings::resolve(
            &args(&["--space", "flagged", "--project-id", "p-flag"]),
            full_env,
        )
        .unwrap();
        assert_eq!(settings.space.as_deref(), Some("flagged"));
        assert_eq!(settings.project_id.as_deref(), Some("p-flag"));
        assert_eq!(settings.api_token.as_deref(), Some(TOKEN));
        let client = settings.client().unwrap();
        assert_eq!(
            client.base_url().as_str(),
            "https://flagged.signalwire.com/api/video"
        );
    }

    #[test]
    fn missing_settings_are_named_together() {
        let error = Settings::resolve(&args(&[]), no_env)
            .unwrap()
            .client()
            .unwrap_err();
        let message = error.to_string();
        for name in [ENV_SPACE, ENV_PROJECT_ID, ENV_API_TOKEN, "--api-token-file"] {
            assert!(message.contains(name), "{message}");
        }
        let blank = |name: &str| (name == ENV_PROJECT_ID).then(|| OsString::from("  "));
        let message = Settings::resolve(&args(&["--space", "x"]), blank)
            .unwrap()
            .client()
            .unwrap_err()
            .to_string();
        assert!(message.contains(ENV_PROJECT_ID), "{message}");
        assert!(!message.contains(ENV_SPACE), "{message}");
    }

    #[cfg(unix)]
    #[test]
    fn a_variable_that_is_not_unicode_is_named() {
        use std::os::unix::ffi::OsStringExt;
        let bad = |name: &str| (name == ENV_SPACE).then(|| OsString::from_vec(vec![0x66, 0xff]));
        let error = Settings::resolve(&args(&[]), bad).err().unwrap();
        assert_eq!(
            error.to_string(),
            "the environment variable SIGNALWIRE_SPACE is not valid Unicode"
        );
    }

    #[test]
    fn the_token_file_is_read_trimmed_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        let path_text = path.to_str().unwrap();

        std::fs::write(&path, format!("{TOKEN}\n")).unwrap();
        let settings = Settings::resolve(&args(&["--api-token-file", path_text]), no_env).unwrap();
        assert_eq!(settings.api_token.as_deref(), Some(TOKEN));

        for (content, reason) in [
            (b"  \n".to_vec(), "is empty"),
            (vec![b'P'; 5000], "larger than 4096 bytes"),
            (vec![0xff, 0xfe], "not UTF-8"),
        ] {
            std::fs::write(&path, &content).unwrap();
            let message = Settings::resolve(&args(&["--api-token-file", path_text]), no_env)
                .err()
                .unwrap()
                .to_string();
            assert!(message.contains(reason), "{message}");
            assert!(message.contains(path_text), "{message}");
            assert!(!message.contains("PPPP"), "{message}");
        }
        drop(dir);

        let message = Settings::resolve(&args(&["--api-token-file", path_text]), no_env)
            .err()
            .unwrap()
            .to_string();
        assert!(message.contains("cannot be opened"), "{message}");
    }

    #[test]
    fn a_token_flag_is_refused_without_echoing_it() {
        for line in [
            &["--api-token", TOKEN][..],
            &[&format!("--api-token={TOKEN}")],
        ] {
            let error = Settings::resolve(&args(line), full_env).err().unwrap();
            let message = error.to_string();
            assert!(message.contains("SIGNALWIRE_API_TOKEN"), "{message}");
            assert!(!message.contains(TOKEN), "{message}");
        }
    }
}
