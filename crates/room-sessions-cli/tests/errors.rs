//! Every exit status, the one-line error each prints, missing configuration, and the token,
//! which no output shows, with `--verbose` or without.

mod common;

use std::ffi::OsString;

use common::*;
use predicates::prelude::*;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server's answer to `find`, the exit status it gives, and what the error says.
struct Answer {
    status: u16,
    body: &'static str,
    exit: i32,
    says: &'static str,
}

/// A body that echoes the token, as a careless proxy might: it must not reach the output.
const ECHOES_TOKEN: &str =
    r#"{"error":"token PT-cli-okapi-9431-leakcheck is not valid for this space"}"#;

const ANSWERS: [Answer; 7] = [
    Answer {
        status: 200,
        body: "",
        exit: 0,
        says: "",
    },
    Answer {
        status: 404,
        body: r#"{"error":"Not Found"}"#,
        exit: 3,
        says: "(HTTP 404)",
    },
    Answer {
        status: 401,
        body: ECHOES_TOKEN,
        exit: 4,
        says: "token *** is not valid for this space",
    },
    Answer {
        status: 403,
        body: r#"{"error":"Forbidden"}"#,
        exit: 4,
        says: "(HTTP 403)",
    },
    Answer {
        status: 422,
        body: r#"{"errors":[{"type":"validation_error","code":"invalid_parameter","message":"is not valid","attribute":"id"}]}"#,
        exit: 1,
        says: "(HTTP 422)",
    },
    Answer {
        status: 500,
        body: ECHOES_TOKEN,
        exit: 1,
        says: "(HTTP 500)",
    },
    Answer {
        status: 200,
        body: "<html>a captive portal</html>",
        exit: 1,
        says: "(HTTP 200)",
    },
];

#[tokio::test]
async fn each_answer_gives_its_exit_status_and_one_line() {
    for answer in ANSWERS {
        let server = MockServer::start().await;
        let response = if answer.exit == 0 {
            ResponseTemplate::new(200).set_body_json(&sessions()[0])
        } else {
            ResponseTemplate::new(answer.status).set_body_string(answer.body)
        };
        Mock::given(method("GET"))
            .and(path(api_path(&format!("/room_sessions/{SESSION_ID}"))))
            .respond_with(response)
            .mount(&server)
            .await;
        for verbose in [false, true] {
            let mut command = against(&server);
            command.args(["find", SESSION_ID]);
            if verbose {
                command.arg("--verbose");
            }
            let output = command.output().unwrap();
            let (out, err) = (stdout(&output), stderr(&output));
            let case = format!(
                "HTTP {} {} (verbose: {verbose})",
                answer.status, answer.body
            );
            assert_eq!(output.status.code(), Some(answer.exit), "{case}: {err}");
            assert_no_secret(&out);
            assert_no_secret(&err);
            // With --verbose, a line per request comes first; the error is the last line.
            let (requests, error) = match err.rsplit_once("error: ") {
                Some((requests, error)) => (requests, format!("error: {error}")),
                None => (err.as_str(), String::new()),
            };
            if answer.exit == 0 {
                assert!(error.is_empty(), "{case}: {err}");
                assert!(out.contains(SESSION_ID), "{case}: {out}");
            } else {
                assert_one_error_line(&error);
                assert!(error.contains(answer.says), "{case}: {error}");
                assert_eq!(out, "", "{case}");
            }
            if verbose {
                assert!(!requests.is_empty(), "{case}: no request logged");
                for line in requests.lines() {
                    assert!(
                        line.starts_with(&format!(
                            "GET /api/video/room_sessions/{SESSION_ID} -> {} in ",
                            answer.status
                        )) && line.contains(" ms (attempt "),
                        "{case}: {line}"
                    );
                }
            } else {
                assert_eq!(requests, "", "{case}");
            }
        }
    }
}

#[test]
fn a_server_that_is_not_there_is_exit_1() {
    room_sessions()
        .env(
            "SIGNALWIRE_BASE_URL",
            format!("{}/api/video", refusing_address()),
        )
        .env("SIGNALWIRE_PROJECT_ID", PROJECT_ID)
        .env("SIGNALWIRE_API_TOKEN", TOKEN)
        .args(["list", "--verbose"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("-> no response in "))
        .stderr(predicate::str::contains("error: could not connect"))
        .stderr(predicate::str::contains("okapi").not());
}

/// Missing configuration: exit 2, one line naming each variable to set and its flag.
#[test]
fn missing_configuration_names_what_to_set() {
    let all_missing = "error: missing configuration: set SIGNALWIRE_SPACE (or --space; or \
                       SIGNALWIRE_BASE_URL, --base-url), SIGNALWIRE_PROJECT_ID (or --project-id), \
                       SIGNALWIRE_API_TOKEN (or --api-token-file PATH); or try --demo\n";
    let project_id_missing = "error: missing configuration: set SIGNALWIRE_PROJECT_ID (or \
                              --project-id); or try --demo\n";
    let space = ("SIGNALWIRE_SPACE", "example");
    let token = ("SIGNALWIRE_API_TOKEN", TOKEN);
    let blank_project_id = ("SIGNALWIRE_PROJECT_ID", "  ");
    let nowhere = refusing_address();
    type Variables<'a> = &'a [(&'a str, &'a str)];
    // (variables, flags, the error; none when the run is configured and tries the request)
    let cases: [(Variables, &[&str], Option<&str>); 5] = [
        (&[], &[], Some(all_missing)),
        // Only what is missing is named; a blank variable or flag is missing.
        (&[space, token], &[], Some(project_id_missing)),
        (
            &[space, token, blank_project_id],
            &[],
            Some(project_id_missing),
        ),
        (
            &[space, token],
            &["--project-id", ""],
            Some(project_id_missing),
        ),
        // A flag stands for its variable.
        (
            &[token],
            &["--base-url", &nowhere, "--project-id", PROJECT_ID],
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
            // Configured: the request was sent, and found no server.
            None => assert_eq!(output.status.code(), Some(1), "{env:?} {args:?}: {err}"),
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
#[tokio::test]
async fn usage_errors_are_exit_2_and_send_nothing() {
    let server = MockServer::start().await;
    let token_file = tempfile::NamedTempFile::new().unwrap();
    let token_path = token_file.path().to_str().unwrap().to_owned();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["find".into(), "not-an-id".into()], "not an id"),
        (
            vec!["list".into(), "--page-size".into(), "0".into()],
            "--page-size",
        ),
        (
            vec!["list".into(), "--status".into(), "live".into()],
            "in-progress",
        ),
        (vec!["list".into(), "--limit".into(), "0".into()], "--limit"),
        (
            vec![
                "recordings".into(),
                SESSION_ID.into(),
                "--media-ttl".into(),
                "2147483648".into(),
            ],
            "--media-ttl",
        ),
        (
            vec!["list".into(), "--timeout".into(), "0".into()],
            "above zero",
        ),
        (
            vec!["list".into(), "--demo".into(), "--space".into(), "x".into()],
            "--space",
        ),
        (
            vec!["list".into(), "--api-token".into(), TOKEN.into()],
            "--api-token-file PATH",
        ),
        (
            vec!["list".into(), format!("--api-token={TOKEN}")],
            "--api-token-file PATH",
        ),
        (
            vec!["list".into(), "--api-token-file".into(), token_path.clone()],
            "is empty",
        ),
        (
            vec![
                "list".into(),
                "--api-token-file".into(),
                "/nonexistent/token".into(),
            ],
            "cannot be opened",
        ),
        (
            vec![
                "list".into(),
                "--base-url".into(),
                "http://example.com/api/video".into(),
            ],
            "plain http",
        ),
        (
            vec![
                "list".into(),
                "--base-url".into(),
                "http://127.0.0.1:1/api/video".into(),
                "--space".into(),
                "x".into(),
                "--project-id".into(),
                "".into(),
            ],
            "SIGNALWIRE_PROJECT_ID",
        ),
        (vec!["nonsense".into()], "unrecognized subcommand"),
    ];
    for (args, says) in cases {
        let output = against(&server).args(&args).output().unwrap();
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert_no_secret(&err);
        assert_eq!(stdout(&output), "", "{args:?}");
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

/// The token file: a byte order mark and line ends are not part of the token, and a file
/// that others may read is used with a warning (as ssh warns of a private key), which never
/// shows the token.
#[cfg(unix)]
#[tokio::test]
async fn the_token_file_is_an_alternative_to_the_environment() {
    use std::os::unix::fs::PermissionsExt as _;
    let cases = [
        (format!("{TOKEN}\n"), 0o600, None),
        (format!("\u{feff}{TOKEN}\r\n"), 0o600, None),
        (format!("{TOKEN}\n"), 0o644, Some("0644")),
        (format!("{TOKEN}\n"), 0o640, Some("0640")),
    ];
    for (content, mode, warns) in cases {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(api_path(&format!("/room_sessions/{SESSION_ID}"))))
            .and(wiremock::matchers::basic_auth(PROJECT_ID, TOKEN))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": SESSION_ID })))
            .expect(1)
            .mount(&server)
            .await;
        let token_file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(token_file.path(), &content).unwrap();
        std::fs::set_permissions(token_file.path(), std::fs::Permissions::from_mode(mode)).unwrap();
        let warning = warns.map_or_else(String::new, |mode| {
            format!(
                "warning: the API token file {} is readable by others (mode {mode}); chmod 600 \
                 it\n",
                token_file.path().display()
            )
        });
        room_sessions()
            .env("SIGNALWIRE_BASE_URL", base_url(&server))
            .args(["--project-id", PROJECT_ID, "--api-token-file"])
            .arg(token_file.path())
            .args(["find", SESSION_ID, "-o", "ndjson"])
            .assert()
            .success()
            .stdout(format!("{{\"id\":\"{SESSION_ID}\"}}\n"))
            .stderr(warning);
    }
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
        assert_one_error_line(&err);
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
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_room-sessions"))
        .args(["completions", "bash"])
        .env("RUST_BACKTRACE", "1")
        .stdout(writer)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?}: {err}", output.status);
    assert_eq!(err, "", "a closed pipe is not an error");
}
