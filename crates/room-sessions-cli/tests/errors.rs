//! Every exit status, the one-line error each prints, missing configuration, and the token,
//! which no output shows, with `--verbose` or without.

mod common;

use std::ffi::OsString;

use common::*;
use predicates::prelude::*;
use room_sessions::api::types::ErrorResponse;
use room_sessions_httpmock::MockServerExt;
use room_sessions_httpmock::httpmock::MockServer;
use room_sessions_httpmock::operations::GetRoomSessionThen;
use room_sessions_httpmock::values::{self, SESSION_ID};

/// A body that echoes the token, as a careless proxy might: it must not reach the output.
fn echoes_token() -> ErrorResponse {
    ErrorResponse {
        error: Some(format!("token {TOKEN} is not valid for this space")),
        errors: None,
    }
}

#[test]
fn each_answer_gives_its_exit_status_and_one_line() {
    // (the HTTP status, the exit status, what the error says, the server's answer to `find`)
    type Answer = fn(GetRoomSessionThen) -> GetRoomSessionThen;
    let answers: [(u16, i32, &str, Answer); 7] = [
        (200, 0, "", |then| then.ok(&values::session_current())),
        (404, 3, "(HTTP 404)", |then| {
            then.not_found(&values::not_found())
        }),
        (401, 4, "token *** is not valid", |then| {
            then.unauthorized(&echoes_token())
        }),
        (403, 4, "(HTTP 403)", |then| {
            then.forbidden(&values::forbidden())
        }),
        (422, 1, "(HTTP 422)", |then| {
            then.unprocessable_entity(&values::validation_error("id", "is not valid"))
        }),
        (500, 1, "(HTTP 500)", |then| {
            then.internal_server_error(&echoes_token())
        }),
        // Not the API's answer: a captive portal's page, which the types cannot express.
        (200, 1, "(HTTP 200)", |then| {
            GetRoomSessionThen::new(then.into_inner().body("<html>a captive portal</html>"))
        }),
    ];
    for (status, exit, says, answer) in answers {
        let server = MockServer::start();
        server.get_room_session(|when, then| {
            when.id(&SESSION_ID);
            answer(then);
        });
        for verbose in [false, true] {
            let output = against(&server)
                .args(["find", &SESSION_ID.to_string()])
                .args(verbose.then_some("--verbose"))
                .output()
                .unwrap();
            let (out, err) = (stdout(&output), stderr(&output));
            let case = format!("HTTP {status} (exit {exit}, verbose: {verbose})");
            assert_eq!(output.status.code(), Some(exit), "{case}: {err}");
            assert_no_secret(&out);
            // With --verbose, a line per request comes first; the error is the last line.
            let (requests, error) = err.split_at(err.rfind("error: ").unwrap_or(err.len()));
            if exit == 0 {
                assert_eq!(error, "", "{case}");
                assert!(out.contains(&SESSION_ID.to_string()), "{case}: {out}");
            } else {
                assert_one_error_line(error);
                assert!(error.contains(says), "{case}: {error}");
                assert_eq!(out, "", "{case}");
            }
            assert_no_secret(requests);
            assert_eq!(requests.is_empty(), !verbose, "{case}: {err}");
            let logged = format!("GET /room_sessions/{SESSION_ID} -> {status} in ");
            for line in requests.lines() {
                assert!(line.starts_with(&logged), "{case}: {line}");
                assert!(line.contains(" ms (attempt "), "{case}: {line}");
            }
        }
    }
}

/// Missing configuration: exit 2, one line naming each variable to set and its flag; once
/// configured, a server that is not there: exit 1.
#[test]
fn missing_configuration_names_what_to_set() {
    let all_missing = "error: missing configuration: set SIGNALWIRE_SPACE (or --space; or \
                       SIGNALWIRE_BASE_URL, --base-url), SIGNALWIRE_PROJECT_ID (or --project-id), \
                       SIGNALWIRE_API_TOKEN (or --api-token-file PATH); or try --demo\n";
    let no_project_id = "error: missing configuration: set SIGNALWIRE_PROJECT_ID (or \
                         --project-id); or try --demo\n";
    let space = ("SIGNALWIRE_SPACE", "example");
    let token = ("SIGNALWIRE_API_TOKEN", TOKEN);
    let blank_id = ("SIGNALWIRE_PROJECT_ID", "  ");
    let nowhere = refusing_address();
    type Variables<'a> = &'a [(&'a str, &'a str)];
    // (variables, flags, the error; none when the run is configured and tries the request)
    let cases: [(Variables, &[&str], Option<&str>); 5] = [
        (&[], &[], Some(all_missing)),
        // Only what is missing is named; a blank variable or flag is missing.
        (&[space, token], &[], Some(no_project_id)),
        (&[space, token, blank_id], &[], Some(no_project_id)),
        (&[space, token], &["--project-id", ""], Some(no_project_id)),
        // A flag stands for its variable.
        (
            &[token],
            &["--base-url", &nowhere, "--project-id", PROJECT_ID, "-v"],
            None,
        ),
    ];
    for (env, args, says) in cases {
        let output = room_sessions()
            .envs(env.iter().copied())
            .args(args)
            .arg("list")
            .output()
            .unwrap();
        let err = stderr(&output);
        match says {
            Some(says) => {
                assert_eq!(output.status.code(), Some(2), "{env:?} {args:?}: {err}");
                assert_eq!(err, says, "{env:?} {args:?}");
            }
            // Configured: the request was sent, and found no server there.
            None => {
                assert_eq!(output.status.code(), Some(1), "{env:?} {args:?}: {err}");
                assert!(err.contains("-> no response in "), "{err}");
                assert!(err.contains("error: could not connect"), "{err}");
            }
        }
        assert_no_secret(&err);
    }
}

/// A variable that is not valid Unicode is named.
#[cfg(unix)]
#[test]
fn a_variable_that_is_not_unicode_is_named() {
    use std::os::unix::ffi::OsStringExt as _;
    let output = room_sessions()
        .env("SIGNALWIRE_SPACE", OsString::from_vec(vec![b'f', 0xff]))
        .env("SIGNALWIRE_PROJECT_ID", PROJECT_ID)
        .env("SIGNALWIRE_API_TOKEN", TOKEN)
        .arg("list")
        .output()
        .unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert_one_error_line(&err);
    assert!(
        err.contains("SIGNALWIRE_SPACE is not valid Unicode"),
        "{err}"
    );
}

/// Arguments that are refused before any request: each exits with 2 and says what is wrong.
#[test]
fn usage_errors_are_exit_2_and_send_nothing() {
    let server = MockServer::start();
    let any_request = server.mock(|_, _| {});
    let token_file = tempfile::NamedTempFile::new().unwrap();
    let empty_file = token_file.path().to_str().unwrap();
    let token_flag = format!("--api-token={TOKEN}");
    let session = SESSION_ID.to_string();
    let cases: [(&[&str], &str); 11] = [
        (&["find", "not-an-id"], "not an id"),
        (&["list", "--page-size", "0"], "--page-size"),
        (&["list", "--status", "live"], "in-progress"),
        (&["list", "--limit", "0"], "--limit"),
        (
            &["recordings", &session, "--media-ttl", "2147483648"],
            "--media-ttl",
        ),
        (&["list", "--timeout", "0"], "above zero"),
        (&["list", "--api-token", TOKEN], "--api-token-file PATH"),
        (&["list", &token_flag], "--api-token-file PATH"),
        (&["list", "--api-token-file", empty_file], "is empty"),
        (
            &["list", "--api-token-file", "/nonexistent/token"],
            "cannot be opened",
        ),
        (
            &["list", "--base-url", "http://example.com/api/video"],
            "plain http",
        ),
    ];
    for (args, says) in cases {
        let output = against(&server).args(args).output().unwrap();
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert_no_secret(&err);
        assert_eq!(stdout(&output), "", "{args:?}");
    }
    any_request.assert_calls(0);
}

/// The token file: a byte order mark and line ends are not part of the token, and a file
/// that others may read is used with a warning (as ssh warns of a private key), which never
/// shows the token.
#[cfg(unix)]
#[test]
fn the_token_file_is_an_alternative_to_the_environment() {
    use std::os::unix::fs::PermissionsExt as _;
    let server = MockServer::start();
    let found = server.get_room_session(|when, then| {
        let basic = format!("Basic {}", credentials());
        when.id(&SESSION_ID)
            .into_inner()
            .header("authorization", basic);
        then.ok(&values::session_current());
    });
    let printed = serde_json::to_string(&values::session_current()).unwrap() + "\n";
    let cases = [
        (format!("{TOKEN}\n"), 0o600, None),
        (format!("\u{feff}{TOKEN}\r\n"), 0o600, None),
        (format!("{TOKEN}\n"), 0o644, Some("0644")),
        (format!("{TOKEN}\n"), 0o640, Some("0640")),
    ];
    for (content, mode, warns) in &cases {
        let token_file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(token_file.path(), content).unwrap();
        std::fs::set_permissions(token_file.path(), std::fs::Permissions::from_mode(*mode))
            .unwrap();
        let warning = warns.map_or_else(String::new, |mode| {
            format!(
                "warning: the API token file {} is readable by others (mode {mode}); chmod 600 \
                 it\n",
                token_file.path().display()
            )
        });
        room_sessions()
            .env("SIGNALWIRE_BASE_URL", server.base_url())
            .args(["--project-id", PROJECT_ID, "--api-token-file"])
            .arg(token_file.path())
            .args(["find", &SESSION_ID.to_string(), "-o", "ndjson"])
            .assert()
            .success()
            .stdout(printed.clone())
            .stderr(warning);
    }
    found.assert_calls(cases.len());
}

/// What is not a regular file is refused before it is opened: opening a FIFO with no writer
/// would wait forever, and a device is no place for a token.
#[cfg(unix)]
#[test]
fn a_token_file_that_is_not_a_regular_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for (path, kind) in [
        (dir.path(), "a directory"),
        (fifo.as_path(), "a FIFO"),
        (std::path::Path::new("/dev/null"), "a device"),
    ] {
        // Nothing listens there, should a token ever be read.
        let output = room_sessions()
            .env("SIGNALWIRE_BASE_URL", refusing_address())
            .env("SIGNALWIRE_PROJECT_ID", PROJECT_ID)
            .arg("--api-token-file")
            .arg(path)
            .arg("list")
            // Before the check, the FIFO blocked: fail then, rather than hang.
            .timeout(std::time::Duration::from_secs(10))
            .output()
            .unwrap();
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{kind}: {err}");
        assert_eq!(
            err,
            format!(
                "error: the API token file {}: is {kind}, not a regular file\n",
                path.display()
            )
        );
    }
}

#[test]
fn the_help_documents_the_exit_statuses_and_the_variables() {
    let output = room_sessions().arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = stdout(&output);
    for line in [
        "0  success",
        "1  any other error",
        "2  usage",
        "3  not found (HTTP 404)",
        "4  authentication or permission refused (HTTP 401 or 403)",
        "SIGNALWIRE_SPACE",
        "SIGNALWIRE_BASE_URL",
        "SIGNALWIRE_PROJECT_ID",
        "SIGNALWIRE_API_TOKEN",
        "--api-token-file",
        "room-sessions --demo list",
    ] {
        assert!(help.contains(line), "{line:?} not in:\n{help}");
    }
    assert!(!help.contains("--api-token <"), "{help}");
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        room_sessions()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("room-sessions"))
            .stdout(predicate::str::contains("recordings"))
            .stdout(predicate::str::contains("media-ttl"));
    }
}

#[test]
fn completions_into_a_closed_pipe_end_quietly() {
    // `room-sessions completions bash | true`, with the reader gone before the first write.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = command()
        .args(["completions", "bash"])
        .stdout(writer)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?}: {err}", output.status);
    assert_eq!(err, "", "a closed pipe is not an error");
}
