//! `cargo xtask codegen` against the small fixture spec `tests/fixtures/mini.yaml` and broken
//! variants of it, in temp dirs: writing, checking, determinism, both outputs from one spec,
//! and one specific error per kind of bad input, after which every output file must be
//! byte-identical.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::{CODEGEN_BOTH, FIXTURE, Run, STALE_HINT, files, scratch, spec_with, xtask, xtask_ok};

/// Contents of the pre-existing output files in the bad-input tests.
const SENTINEL: &str = "// a previously generated file that must survive bad input\n";

/// Sets an old mtime on `path` and returns it.
fn set_old_mtime(path: &Path) -> SystemTime {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let file = fs::File::options().write(true).open(path).unwrap();
    file.set_modified(old).unwrap();
    old
}

fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn write_creates_then_a_second_run_and_a_check_find_it_up_to_date_and_leave_it_alone() {
    let dir = scratch(FIXTURE);
    let out = dir.path().join("out.rs");
    // Relative paths are taken from the current directory; `--out` is `--client-out`.
    let stdout = xtask_ok(
        dir.path(),
        &["codegen", "--spec", "spec.yaml", "--out", "out.rs"],
    );
    let lines = fs::read_to_string(&out).unwrap().lines().count();
    assert_eq!(
        stdout,
        format!("created {} ({lines} lines)\n", out.display())
    );

    let old = set_old_mtime(&out);
    let before = fs::read(&out).unwrap();
    for args in [
        &["codegen", "--spec", "spec.yaml", "--out", "out.rs"][..],
        &["codegen", "--check", "--spec=spec.yaml", "--out=out.rs"],
    ] {
        let stdout = xtask_ok(dir.path(), args);
        assert_eq!(stdout, format!("{} is up to date\n", out.display()));
    }
    assert_eq!(fs::read(&out).unwrap(), before);
    assert_eq!(mtime(&out), old, "an up-to-date file must not be rewritten");
    assert_eq!(
        files(dir.path()),
        ["out.rs", "spec.yaml"],
        "no temp files left"
    );
}

#[test]
fn write_replaces_a_different_file_and_reports_line_counts_and_surface_changes() {
    let dir = scratch(FIXTURE);
    fs::write(dir.path().join("client.rs"), "// old\n// contents\n").unwrap();
    let stdout = xtask_ok(dir.path(), &CODEGEN_BOTH[..5]);
    let lines = fs::read_to_string(dir.path().join("client.rs"))
        .unwrap()
        .lines()
        .count();
    assert!(
        stdout
            .lines()
            .next()
            .unwrap()
            .ends_with(&format!("client.rs ({lines} lines, was 2)")),
        "{stdout}"
    );
    // The old file had no items, so every item is added, and new items are compatible.
    let surface = common::surface_lines(&stdout, "client.rs");
    let added = surface[0]
        .strip_prefix("surface: ")
        .and_then(|rest| rest.split_once(" added, 0 removed, 0 changed (0 breaking, "))
        .map(|(added, rest)| (added, rest.strip_suffix(" compatible)")));
    assert!(
        matches!(added, Some((added, Some(compatible))) if added == compatible),
        "{stdout}"
    );
    assert!(
        surface.contains(
            &"compatible: + operation list_room_sessions: GET /room_sessions -> RoomSessionList, \
          error Error: a new operation (method of Client)"
                .to_owned()
        )
    );
    assert_eq!(
        files(dir.path()),
        ["client.rs", "spec.yaml"],
        "no temp files left"
    );
}

#[test]
fn check_reports_a_missing_output_and_creates_nothing() {
    let dir = scratch(FIXTURE);
    let run = xtask(
        dir.path(),
        &[
            "codegen",
            "--check",
            "--spec",
            "spec.yaml",
            "--out",
            "out.rs",
        ],
    );
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("out.rs does not exist; it is generated from "),
        "{run:?}"
    );
    assert_eq!(run.stderr.lines().last(), Some(STALE_HINT));
    assert_eq!(files(dir.path()), ["spec.yaml"]);
}

#[test]
fn a_stale_check_exits_1_with_a_diff_of_the_change_and_the_fix_and_writes_nothing() {
    let dir = scratch(FIXTURE);
    let out = dir.path().join("client.rs");
    xtask_ok(dir.path(), &CODEGEN_BOTH[..5]);
    let before = fs::read(&out).unwrap();
    let old = set_old_mtime(&out);
    let changed = spec_with(&[(
        "        start_time:\n",
        "        cost_in_dollars:\n          type: number\n          format: double\n        start_time:\n",
    )]);
    fs::write(dir.path().join("spec.yaml"), changed).unwrap();

    let run = xtask(dir.path(), &[&CODEGEN_BOTH[..5], &["--check"]].concat());
    assert_eq!(run.code, Some(1));
    assert!(run.stdout.is_empty());
    let stderr = &run.stderr;
    assert!(stderr.contains("client.rs is stale: it differs from what `cargo xtask codegen`"));
    let diff: Vec<&str> = stderr.lines().skip_while(|l| !is_diff_header(l)).collect();
    assert!(!diff.is_empty(), "{stderr}");
    assert!(
        diff.iter()
            .any(|l| l.starts_with('+') && l.contains("pub cost_in_dollars"))
    );
    assert!(
        !diff
            .iter()
            .any(|l| l.starts_with('-') && l.contains("cost_in_dollars"))
    );
    assert_eq!(diff.last(), Some(&STALE_HINT));
    assert_eq!(fs::read(&out).unwrap(), before, "check must not write");
    assert_eq!(mtime(&out), old, "check must not write");
    assert_eq!(files(dir.path()), ["client.rs", "spec.yaml"]);
}

#[test]
fn a_stale_diff_is_cut_to_200_lines() {
    let dir = scratch(FIXTURE);
    xtask_ok(dir.path(), &CODEGEN_BOTH[..5]);
    let lines = fs::read_to_string(dir.path().join("client.rs"))
        .unwrap()
        .lines()
        .count();
    fs::write(dir.path().join("client.rs"), "// stale\n").unwrap();
    let run = xtask(dir.path(), &[&CODEGEN_BOTH[..5], &["--check"]].concat());
    assert_eq!(run.code, Some(1));
    let diff: Vec<&str> = run
        .stderr
        .lines()
        .skip_while(|l| !is_diff_header(l))
        .collect();
    // 2 header lines, a hunk header, the old line and every new one, cut after 200.
    assert!(
        is_diff_header(diff[0]) && diff[1].starts_with("+++ /") && diff[1].ends_with("client.rs"),
        "{diff:?}"
    );
    assert!(
        diff[2].starts_with("@@ -1 +1,") && diff[3] == "-// stale",
        "{diff:?}"
    );
    assert_eq!(diff.len(), 202, "200 lines, the cut, the hint");
    assert_eq!(diff[200], format!("... {} more lines", lines + 4 - 200));
    assert_eq!(
        fs::read_to_string(dir.path().join("client.rs")).unwrap(),
        "// stale\n"
    );
}

#[test]
fn one_run_writes_both_outputs_and_a_second_finds_both_up_to_date() {
    let dir = scratch(FIXTURE);
    let stdout = xtask_ok(dir.path(), &CODEGEN_BOTH);
    let created: Vec<bool> = stdout.lines().map(|l| l.starts_with("created ")).collect();
    assert_eq!(created, [true, true], "{stdout}");
    assert!(
        stdout.contains("client.rs (") && stdout.contains("mocks.rs ("),
        "{stdout}"
    );
    let mocks = fs::read_to_string(dir.path().join("mocks.rs")).unwrap();
    assert!(mocks.starts_with("// This file is generated. Do not edit it by hand.\n"));
    assert!(mocks.contains("progenitor's httpmock generator"));
    assert!(mocks.contains("pub trait MockServerExt"));
    assert_eq!(files(dir.path()), ["client.rs", "mocks.rs", "spec.yaml"]);

    let old = set_old_mtime(&dir.path().join("mocks.rs"));
    for check in [&[][..], &["--check"]] {
        let stdout = xtask_ok(dir.path(), &[&CODEGEN_BOTH[..], check].concat());
        assert_eq!(stdout.matches(" is up to date\n").count(), 2, "{stdout}");
    }
    assert_eq!(mtime(&dir.path().join("mocks.rs")), old);
}

#[test]
fn one_stale_output_fails_the_check_and_names_only_that_file() {
    let dir = scratch(FIXTURE);
    xtask_ok(dir.path(), &CODEGEN_BOTH);
    let client_before = fs::read(dir.path().join("client.rs")).unwrap();
    let mocks = fs::read_to_string(dir.path().join("mocks.rs")).unwrap();
    let stale = mocks.replacen("pub fn page_size", "pub fn page_size_renamed", 1);
    assert_ne!(stale, mocks);
    fs::write(dir.path().join("mocks.rs"), &stale).unwrap();

    let run = xtask(dir.path(), &[&CODEGEN_BOTH[..], &["--check"]].concat());
    assert_eq!(run.code, Some(1));
    // Passed outputs first, so the report ends with what to do.
    assert!(
        run.stderr
            .lines()
            .next()
            .unwrap()
            .ends_with("client.rs is up to date")
    );
    assert!(run.stderr.contains("mocks.rs is stale"), "{}", run.stderr);
    // The surface summary names the matcher that differs.
    assert!(
        common::surface_lines(&run.stderr, "mocks.rs").contains(
            &"compatible: + mock list_room_sessions when page_size: NonZeroU32, optional: a new \
          matcher"
                .to_owned()
        )
    );
    assert_eq!(run.stderr.lines().last(), Some(STALE_HINT));
    assert_eq!(
        fs::read_to_string(dir.path().join("mocks.rs")).unwrap(),
        stale
    );
    assert_eq!(
        fs::read(dir.path().join("client.rs")).unwrap(),
        client_before
    );
}

#[test]
fn naming_an_output_generates_only_the_outputs_named() {
    for (args, expected) in [
        (&["--out=b.rs"][..], &["b.rs"][..]),
        (&["--client-out", "b.rs"], &["b.rs"]),
        (&["--httpmock-out", "m.rs"], &["m.rs"]),
        (&["--httpmock-out=m.rs", "--out", "b.rs"], &["b.rs", "m.rs"]),
    ] {
        let dir = scratch(FIXTURE);
        xtask_ok(
            dir.path(),
            &[&["codegen", "--spec", "spec.yaml"], args].concat(),
        );
        let written: Vec<String> = files(dir.path())
            .into_iter()
            .filter(|f| f != "spec.yaml")
            .collect();
        assert_eq!(written, expected, "{args:?}");
        for file in expected {
            let code = fs::read_to_string(dir.path().join(file)).unwrap();
            let mocks = code.contains("pub trait MockServerExt");
            assert_eq!(mocks, *file == "m.rs", "{args:?}: {file}");
        }
    }
}

#[test]
fn two_outputs_to_one_file_are_refused_before_anything_is_written() {
    let dir = scratch(FIXTURE);
    fs::write(dir.path().join("x.rs"), SENTINEL).unwrap();
    let args = [
        "codegen",
        "--spec",
        "spec.yaml",
        "--client-out",
        "x.rs",
        "--httpmock-out",
        "x.rs",
    ];
    let run = xtask(dir.path(), &args);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .starts_with("error: the client and httpmock outputs both go to ")
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("x.rs")).unwrap(),
        SENTINEL
    );
}

#[test]
fn regenerating_gives_identical_bytes_and_a_json_spec_the_same_code_as_yaml() {
    let yaml = scratch(FIXTURE);
    xtask_ok(yaml.path(), &CODEGEN_BOTH);
    let again = [
        "codegen",
        "--spec",
        "spec.yaml",
        "--client-out",
        "c2.rs",
        "--httpmock-out",
        "m2.rs",
    ];
    xtask_ok(yaml.path(), &again);
    let read = |dir: &Path, file: &str| fs::read_to_string(dir.join(file)).unwrap();
    assert_eq!(read(yaml.path(), "client.rs"), read(yaml.path(), "c2.rs"));
    assert_eq!(read(yaml.path(), "mocks.rs"), read(yaml.path(), "m2.rs"));

    let json = tempfile::tempdir().unwrap();
    let value: serde_json::Value = serde_yaml::from_str(FIXTURE).unwrap();
    fs::write(
        json.path().join("spec.json"),
        serde_json::to_string_pretty(&value).unwrap(),
    )
    .unwrap();
    let args = [
        "codegen",
        "--spec",
        "spec.json",
        "--client-out",
        "client.rs",
        "--httpmock-out",
        "mocks.rs",
    ];
    xtask_ok(json.path(), &args);
    let after_header = |code: String| code.split_once("// @generated\n").unwrap().1.to_owned();
    for file in ["client.rs", "mocks.rs"] {
        assert_eq!(
            after_header(read(json.path(), file)),
            after_header(read(yaml.path(), file))
        );
    }
}

#[test]
fn the_header_names_spec_command_and_progenitor_without_absolute_paths() {
    let dir = tempfile::tempdir().unwrap();
    // A spec inside the workspace is named relative to the root, with `/`.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini.yaml");
    let fixture = fixture.to_str().unwrap();
    xtask_ok(
        dir.path(),
        &["codegen", "--spec", fixture, "--out", "out.rs"],
    );
    let code = fs::read_to_string(dir.path().join("out.rs")).unwrap();
    let header: Vec<&str> = code.lines().take_while(|l| l.starts_with("//")).collect();
    let header = header.join("\n");
    for expected in [
        "This file is generated. Do not edit it by hand.",
        "Generated by `cargo xtask codegen` from xtask/tests/fixtures/mini.yaml\n// with progenitor 0.15.",
        "`cargo xtask codegen --check` and `cargo test -p xtask` fail while it is stale.",
        "@generated",
    ] {
        assert!(
            header.contains(expected),
            "{expected:?} missing from:\n{header}"
        );
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    assert!(
        !code.contains(root.to_str().unwrap()),
        "the file names the workspace root"
    );
    syn::parse_file(&code).expect("the generated code parses");

    // A spec outside the workspace is named by its file name only.
    let dir = scratch(FIXTURE);
    xtask_ok(dir.path(), &CODEGEN_BOTH);
    for file in ["client.rs", "mocks.rs"] {
        let code = fs::read_to_string(dir.path().join(file)).unwrap();
        assert!(
            code.contains("from spec.yaml (outside the workspace)"),
            "{file}"
        );
        assert!(
            !code.contains(dir.path().to_str().unwrap()),
            "{file} names the temp dir"
        );
    }
}

#[test]
fn replaced_schemas_become_the_tolerant_types_in_the_client_and_its_mocks() {
    let dir = scratch(FIXTURE);
    let run = xtask(dir.path(), &CODEGEN_BOTH);
    assert_eq!((run.code, run.stderr.as_str()), (Some(0), ""), "no warning");
    let client = fs::read_to_string(dir.path().join("client.rs")).unwrap();
    let mocks = fs::read_to_string(dir.path().join("mocks.rs")).unwrap();
    for (schema, tolerant) in [
        ("SessionStatus", "SessionStatus"),
        ("SessionStatusFilter", "SessionStatus"),
        ("VideoQuality", "VideoQuality"),
        ("RoomLayout", "RoomLayout"),
        ("FrameRate", "FrameRate"),
        ("RecordingStatus", "RecordingStatus"),
    ] {
        assert!(
            client.contains(&format!("crate::tolerant::{tolerant}")),
            "{tolerant}"
        );
        for own in [
            format!("pub enum {schema} "),
            format!("pub struct {schema}("),
        ] {
            assert!(!client.contains(&own), "{schema} should not be generated");
        }
    }
    // HooksMode::Expected: no default hooks impl for `&Client`; the crate's own impl for
    // `Client` is asserted instead. The inner type carries the request headers.
    assert!(!client.contains("for &Client"));
    assert!(client.contains("fn assert_client_hooks()"));
    assert!(client.contains("Client: ClientHooks<crate::hooks::ClientOptions>,"));
    assert!(client.contains("pub(crate) inner: crate::hooks::ClientOptions,"));
    // The mocks take the client crate's types, tolerant ones included, and name nothing of
    // their own crate.
    assert!(mocks.contains("use room_sessions_api::*;"));
    assert!(mocks.contains("value: &types::RoomSession"));
    assert!(mocks.contains("T: Into<Option<&'a room_sessions_api::tolerant::SessionStatus>>"));
    assert!(
        !mocks.contains("crate::"),
        "the mocks name no item of their own crate"
    );
}

#[test]
fn a_replacement_without_a_schema_is_a_warning() {
    let renamed = spec_with(&[("    VideoQuality:\n", "    VideoQualityRenamed:\n")])
        .replace("schemas/VideoQuality'", "schemas/VideoQualityRenamed'");
    let dir = scratch(&renamed);
    let run = xtask(dir.path(), &CODEGEN_BOTH[..5]);
    assert_eq!(run.code, Some(0));
    assert_eq!(
        run.stderr,
        "warning: replacement VideoQuality -> crate::tolerant::VideoQuality matches no schema in \
         #/components/schemas\n"
    );
    let code = fs::read_to_string(dir.path().join("client.rs")).unwrap();
    assert!(code.contains("pub enum VideoQualityRenamed"));
}

/// A spec that codegen must refuse: its file name and text, and fragments of the error.
struct Rejected {
    file: &'static str,
    spec: String,
    expected: Vec<String>,
}

fn rejected(file: &'static str, spec: String, expected: &[&str]) -> Rejected {
    let expected = expected.iter().map(|s| (*s).to_owned()).collect();
    Rejected {
        file,
        spec,
        expected,
    }
}

fn bad_specs() -> Vec<Rejected> {
    let with = |from: &'static str, to: &'static str| spec_with(&[(from, to)]);
    let yaml_line = FIXTURE
        .lines()
        .position(|l| l.contains("operationId: get_room_session"))
        .unwrap()
        + 1;
    let mut refs: serde_json::Value = serde_yaml::from_str(FIXTURE).unwrap();
    let get = &mut refs["paths"]["/room_sessions/{id}"]["get"];
    get["parameters"][0]["$ref"] = "#/components/parameters/Nope".into();
    get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] =
        "other.yaml#/RoomSession".into();
    // Free-form data is not searched.
    refs["components"]["schemas"]["RoomLayout"]["example"] =
        serde_json::json!({"$ref": "#/not/checked"});
    vec![
        rejected(
            "spec.txt",
            FIXTURE.to_owned(),
            &["spec.txt", "expected a .yaml, .yml or .json extension"],
        ),
        // The unclosed flow sequence is noticed at the start of the next line.
        rejected(
            "spec.yaml",
            with(
                "operationId: get_room_session",
                "operationId: [get_room_session",
            ),
            &[
                "invalid YAML in spec",
                &format!("spec.yaml at line {}, column ", yaml_line + 1),
                "flow sequence",
            ],
        ),
        rejected(
            "spec.json",
            "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {,}\n}\n".to_owned(),
            &["invalid JSON in spec", "spec.json at line 3, column 12"],
        ),
        rejected(
            "spec.yaml",
            with("  title: Mini Room Sessions\n", ""),
            &[
                "is not a valid OpenAPI 3.0 document at line 6, column 3",
                "missing field `title`",
            ],
        ),
        rejected(
            "spec.yaml",
            with("openapi: 3.0.3", "openapi: 3.1.0"),
            &[
                "error: invalid spec ",
                "spec.yaml: unsupported OpenAPI version \"3.1.0\"",
                "3.0.x",
            ],
        ),
        rejected(
            "spec.yaml",
            with("openapi: 3.0.3", "openapi: 3.0"),
            &["found the number 3.0", "quote it"],
        ),
        rejected(
            "spec.yaml",
            with("openapi: 3.0.3", "swagger: '2.0'"),
            &["swagger: 2.0", "not supported"],
        ),
        rejected(
            "spec.yaml",
            with(
                "          $ref: '#/components/schemas/Links'\n        data:",
                "          $ref: '#/components/schemas/Linkz'\n        data:",
            ),
            &[
                "invalid spec",
                "unresolved $ref `#/components/schemas/Linkz` at #/components/schemas/RoomSessionList/properties/links/$ref\n",
            ],
        ),
        rejected(
            "spec.json",
            serde_json::to_string_pretty(&refs).unwrap(),
            &[
                "2 $ref problems:",
                "unresolved $ref `#/components/parameters/Nope` at #/paths/~1room_sessions~1{id}/get/parameters/0/$ref",
                "external $ref `other.yaml#/RoomSession`",
                "at #/paths/~1room_sessions~1{id}/get/responses/200/content/application~1json/schema/$ref",
            ],
        ),
        rejected(
            "spec.yaml",
            with(
                "operationId: list_room_session_recordings",
                "operationId: list_room_sessions",
            ),
            &[
                "invalid spec",
                "duplicate operationId `list_room_sessions`: used by GET /room_sessions and by GET /room_sessions/{id}/recordings",
            ],
        ),
        rejected(
            "spec.yaml",
            with("      operationId: get_room_session\n", ""),
            &["invalid spec", "GET /room_sessions/{id} has no operationId"],
        ),
        // `200: X` + `default: Error`: `default` counts as a success response too, so the
        // operation has two success types, which progenitor 0.15.1 asserts against.
        rejected(
            "spec.yaml",
            with(
                "        4XX:\n          $ref: '#/components/responses/Error'\n  /room_sessions/{id}:",
                "        default:\n          $ref: '#/components/responses/Error'\n  /room_sessions/{id}:",
            ),
            &[
                "invalid spec",
                "GET /room_sessions has success responses of 2 body types (default: `#/components/schemas/Error`, 200: `#/components/schemas/RoomSessionList`); progenitor supports one",
            ],
        ),
        // JSON without a schema: progenitor 0.15.1 reaches a `todo!`, which Rust reports.
        rejected(
            "spec.yaml",
            with(
                "            application/json:\n              schema:\n                $ref: '#/components/schemas/RecordingList'",
                "            application/json: {}",
            ),
            &[
                "not yet implemented",
                "error: progenitor panicked while generating the client from ",
                "spec.yaml (its message is above)\n",
            ],
        ),
        rejected(
            "spec.yaml",
            with(
                "        - name: status\n          in: query\n",
                "        - name: status\n          in: query\n          style: deepObject\n",
            ),
            &[
                "error: progenitor failed to generate the client from ",
                "unsupported style of query parameter DeepObject",
            ],
        ),
    ]
}

#[test]
fn bad_input_exits_1_naming_what_and_where_and_leaves_every_output_as_it_was() {
    for Rejected {
        file,
        spec,
        expected,
    } in bad_specs()
    {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(file), &spec).unwrap();
        for out in ["client.rs", "mocks.rs"] {
            fs::write(dir.path().join(out), SENTINEL).unwrap();
        }
        let both = [
            "codegen",
            "--spec",
            file,
            "--client-out",
            "client.rs",
            "--httpmock-out",
            "mocks.rs",
        ];
        for check in [&[][..], &["--check"]] {
            let Run {
                code,
                stdout,
                stderr,
            } = xtask(dir.path(), &[&both[..], check].concat());
            assert_eq!(code, Some(1), "{file}: {stderr}");
            assert!(stdout.is_empty(), "{stdout}");
            for fragment in &expected {
                assert!(
                    stderr.contains(fragment.as_str()),
                    "{fragment:?} missing from:\n{stderr}"
                );
            }
            for out in ["client.rs", "mocks.rs"] {
                assert_eq!(fs::read_to_string(dir.path().join(out)).unwrap(), SENTINEL);
            }
            let mut expected_files = vec![
                "client.rs".to_owned(),
                "mocks.rs".to_owned(),
                file.to_owned(),
            ];
            expected_files.sort();
            assert_eq!(files(dir.path()), expected_files, "no temp files left");
        }
    }

    // A spec that does not exist is named.
    let dir = tempfile::tempdir().unwrap();
    let run = xtask(
        dir.path(),
        &["codegen", "--spec", "nope.yaml", "--out", "out.rs"],
    );
    assert_eq!(run.code, Some(1));
    let missing: PathBuf = dir.path().join("nope.yaml");
    assert!(
        run.stderr
            .starts_with(&format!("error: cannot read spec {}: ", missing.display())),
        "{}",
        run.stderr
    );
    assert_eq!(files(dir.path()), Vec::<String>::new());
}

/// The first line of the diff of `client.rs`: outside the workspace its path is absolute, so it
/// has no git-style `a/` prefix.
fn is_diff_header(line: &str) -> bool {
    line.starts_with("--- /") && line.ends_with("/client.rs")
}
