//! `xtask::codegen` against the small fixture spec `tests/fixtures/mini.yaml`
//! and broken variants of it built in temp dirs: writing, checking,
//! determinism, both outputs from one spec, and one specific error per kind of
//! bad input, after which every output file must be byte-identical.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use tempfile::TempDir;
use xtask::generate::{CLIENT, HTTPMOCK, PROGENITOR_VERSION, REPLACEMENTS};
use xtask::{
    CodegenOptions, Outcome, Report, STALE_HINT, Status, Target, codegen, render, workspace_root,
};

const FIXTURE: &str = include_str!("fixtures/mini.yaml");

/// Contents of the pre-existing output file in the bad-input tests.
const SENTINEL: &str = "// a previously generated file that must survive bad input\n";

fn fixture_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini.yaml")
}

/// A temp dir holding a spec file (and later an output file).
struct Scratch {
    dir: TempDir,
    spec: PathBuf,
}

impl Scratch {
    fn new(file_name: &str, spec_text: &str) -> Self {
        let dir = tempfile::tempdir().expect("create temp dir");
        let spec = dir.path().join(file_name);
        fs::write(&spec, spec_text).expect("write spec");
        Self { dir, spec }
    }

    fn fixture() -> Self {
        Self::new("spec.yaml", FIXTURE)
    }

    /// Where the client goes.
    fn out(&self) -> PathBuf {
        self.dir.path().join("generated.rs")
    }

    /// Where the httpmock mocks go.
    fn mock_out(&self) -> PathBuf {
        self.dir.path().join("mocks.rs")
    }

    /// The client alone.
    fn options(&self, check: bool) -> CodegenOptions {
        CodegenOptions {
            spec: self.spec.clone(),
            targets: vec![Target {
                output: &CLIENT,
                path: self.out(),
            }],
            check,
        }
    }

    /// The client and the httpmock mocks.
    fn both(&self, check: bool) -> CodegenOptions {
        let mut options = self.options(check);
        options.targets.push(Target {
            output: &HTTPMOCK,
            path: self.mock_out(),
        });
        options
    }

    fn report(&self, options: &CodegenOptions) -> Report {
        codegen(options).unwrap_or_else(|e| panic!("codegen failed: {e:#}"))
    }

    /// The client's outcome.
    fn run(&self, check: bool) -> Outcome {
        let report = self.report(&self.options(check));
        assert_eq!(report.outcomes.len(), 1, "{report:?}");
        report.outcomes.into_iter().next().unwrap()
    }

    fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.dir.path())
            .expect("list temp dir")
            .map(|e| {
                e.expect("dir entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }
}

/// The fixture with `from` replaced by `to` (which must occur).
fn fixture_with(from: &str, to: &str) -> String {
    assert!(FIXTURE.contains(from), "fixture does not contain {from:?}");
    FIXTURE.replacen(from, to, 1)
}

fn set_old_mtime(path: &Path) -> SystemTime {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(old))
        .expect("set mtime");
    old
}

fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("mtime")
}

#[test]
fn write_creates_then_second_run_is_up_to_date_and_leaves_file_alone() {
    let scratch = Scratch::fixture();
    let out = scratch.out();

    let first = scratch.run(false);
    let written = fs::read_to_string(&out).expect("output written");
    assert_eq!(
        first.status,
        Status::Created {
            lines: written.lines().count()
        }
    );
    assert!(first.is_success());
    assert!(first.to_string().starts_with("created "), "{first}");
    assert!(first.to_string().contains(" lines)"), "{first}");

    let old = set_old_mtime(&out);
    let second = scratch.run(false);
    assert_eq!(second.status, Status::UpToDate);
    assert!(second.to_string().ends_with("is up to date"), "{second}");
    assert_eq!(fs::read_to_string(&out).unwrap(), written);
    assert_eq!(mtime(&out), old, "an up-to-date file must not be rewritten");
    assert_eq!(
        scratch.files(),
        ["generated.rs", "spec.yaml"],
        "no temp files left"
    );
}

#[test]
fn write_replaces_a_different_file_and_reports_line_counts() {
    let scratch = Scratch::fixture();
    fs::write(scratch.out(), "// old\n// contents\n").unwrap();
    let outcome = scratch.run(false);
    let written = fs::read_to_string(scratch.out()).unwrap();
    let lines = written.lines().count();
    assert_eq!(
        outcome.status,
        Status::Updated {
            lines,
            previous_lines: 2
        }
    );
    let report = outcome.to_string();
    let mut report_lines = report.lines();
    assert!(
        report_lines
            .next()
            .unwrap()
            .ends_with(&format!("({lines} lines, was 2)")),
        "{outcome}"
    );
    // The old file had no items, so the surface summary lists every item as added: new items
    // are compatible.
    let summary = report_lines.next().unwrap();
    let added = summary
        .strip_prefix("surface: ")
        .and_then(|rest| rest.split_once(" added, 0 removed, 0 changed (0 breaking, "))
        .map(|(added, rest)| (added, rest.strip_suffix(" compatible)")));
    assert!(
        matches!(added, Some((added, Some(compatible))) if added == compatible),
        "{outcome}"
    );
    assert!(
        report.contains(
            "\n  compatible: + operation list_room_sessions: GET /room_sessions -> RoomSessionList, \
             error Error: a new operation (method of Client)\n"
        ),
        "{outcome}"
    );
    assert_eq!(
        scratch.files(),
        ["generated.rs", "spec.yaml"],
        "no temp files left"
    );
}

#[test]
fn check_passes_on_a_freshly_written_file() {
    let scratch = Scratch::fixture();
    scratch.run(false);
    let before = fs::read(scratch.out()).unwrap();
    let old = set_old_mtime(&scratch.out());
    let outcome = scratch.run(true);
    assert_eq!(outcome.status, Status::UpToDate);
    assert!(outcome.is_success());
    assert_eq!(fs::read(scratch.out()).unwrap(), before);
    assert_eq!(mtime(&scratch.out()), old);
}

#[test]
fn check_reports_a_missing_output_and_creates_nothing() {
    let scratch = Scratch::fixture();
    let outcome = scratch.run(true);
    assert_eq!(outcome.status, Status::Missing);
    assert!(!outcome.is_success());
    let message = outcome.to_string();
    assert!(message.contains("does not exist"), "{message}");
    assert_eq!(message.lines().last(), Some(STALE_HINT));
    assert_eq!(scratch.files(), ["spec.yaml"]);
}

#[test]
fn changed_spec_makes_check_fail_with_a_diff_of_the_change_and_writes_nothing() {
    let scratch = Scratch::fixture();
    scratch.run(false);
    let before = fs::read(scratch.out()).unwrap();
    let old = set_old_mtime(&scratch.out());

    // Add a property to RoomSession.
    let changed = fixture_with(
        "        start_time:\n",
        "        cost_in_dollars:\n          type: number\n          format: double\n        start_time:\n",
    );
    fs::write(&scratch.spec, changed).unwrap();

    let outcome = scratch.run(true);
    let Status::Stale { diff } = &outcome.status else {
        panic!("expected a stale check, got {outcome:?}");
    };
    assert!(!outcome.is_success());
    assert!(diff.starts_with("--- a/"), "{diff}");
    assert!(
        diff.lines()
            .any(|l| l.starts_with('+') && l.contains("pub cost_in_dollars")),
        "the diff should add the new field:\n{diff}"
    );
    assert!(
        !diff
            .lines()
            .any(|l| l.starts_with('-') && l.contains("cost_in_dollars")),
        "{diff}"
    );
    let message = outcome.to_string();
    assert!(message.contains("is stale"), "{message}");
    assert_eq!(message.lines().last(), Some(STALE_HINT));

    assert_eq!(
        fs::read(scratch.out()).unwrap(),
        before,
        "check must not write"
    );
    assert_eq!(mtime(&scratch.out()), old, "check must not write");
    assert_eq!(scratch.files(), ["generated.rs", "spec.yaml"]);
}

#[test]
fn stale_diff_is_cut_to_max_lines() {
    let old: String = (0..1000).map(|i| format!("old {i}\n")).collect();
    let new: String = (0..1000).map(|i| format!("new {i}\n")).collect();
    let diff = xtask::write::unified_diff(&old, &new, "a/x", "b/x", 200);
    let lines: Vec<&str> = diff.lines().collect();
    assert_eq!(lines.len(), 201);
    assert_eq!(lines[0], "--- a/x");
    // 2 header lines + 1 hunk header + 1000 removed + 1000 added = 2003 lines.
    assert_eq!(lines[200], "... 1803 more lines");

    let short = xtask::write::unified_diff("a\nb\n", "a\nc\n", "a/x", "b/x", 200);
    assert!(!short.contains("more lines"), "{short}");
    assert!(short.contains("-b\n+c\n"), "{short}");
}

#[test]
fn regenerating_gives_identical_bytes() {
    let scratch = Scratch::fixture();
    for output in [&CLIENT, &HTTPMOCK] {
        let first = render(&scratch.spec, output).unwrap().code;
        let second = render(&scratch.spec, output).unwrap().code;
        assert_eq!(first, second, "{}", output.name);
    }

    // Through codegen too, into two files.
    scratch.run(false);
    let other = scratch.dir.path().join("again.rs");
    codegen(&CodegenOptions {
        targets: vec![Target {
            output: &CLIENT,
            path: other.clone(),
        }],
        ..scratch.options(false)
    })
    .unwrap();
    assert_eq!(fs::read(scratch.out()).unwrap(), fs::read(&other).unwrap());
    assert_eq!(
        fs::read_to_string(&other).unwrap(),
        render(&scratch.spec, &CLIENT).unwrap().code
    );
}

#[test]
fn json_spec_generates_the_same_code_as_yaml() {
    let value: serde_json::Value = serde_yaml::from_str(FIXTURE).unwrap();
    let json = Scratch::new("spec.json", &serde_json::to_string_pretty(&value).unwrap());
    let yaml = Scratch::fixture();
    let strip_header = |code: String| code.split_once("// @generated\n").unwrap().1.to_owned();
    for output in [&CLIENT, &HTTPMOCK] {
        assert_eq!(
            strip_header(render(&json.spec, output).unwrap().code),
            strip_header(render(&yaml.spec, output).unwrap().code)
        );
    }
}

#[test]
fn header_names_spec_command_and_progenitor_without_absolute_paths() {
    // A spec inside the workspace is named relative to the root, with `/`.
    let code = render(&fixture_path(), &CLIENT).unwrap().code;
    let header: Vec<&str> = code.lines().take_while(|l| l.starts_with("//")).collect();
    let header = header.join("\n");
    assert!(header.contains("generated"), "{header}");
    assert!(header.contains("Do not edit it by hand"), "{header}");
    assert!(header.contains("`cargo xtask codegen`"), "{header}");
    assert!(
        header.contains("from xtask/tests/fixtures/mini.yaml"),
        "{header}"
    );
    assert!(
        header.contains(&format!("progenitor {PROGENITOR_VERSION}")),
        "{header}"
    );
    assert!(
        PROGENITOR_VERSION.starts_with("0.15."),
        "{PROGENITOR_VERSION}"
    );
    let root = workspace_root().to_string_lossy().into_owned();
    assert!(!code.contains(&root), "the file must not contain {root}");

    // A spec outside the workspace is named by its file name only.
    let scratch = Scratch::fixture();
    let code = render(&scratch.spec, &CLIENT).unwrap().code;
    assert!(code.contains("from spec.yaml (outside the workspace)"));
    let temp = scratch.dir.path().to_string_lossy().into_owned();
    assert!(!code.contains(&temp), "the file must not contain {temp}");

    // The code after the header parses as Rust.
    syn::parse_file(&code).expect("generated code parses");
}

#[test]
fn replacements_map_schemas_to_tolerant_types() {
    let rendered = render(&fixture_path(), &CLIENT).unwrap();
    assert_eq!(rendered.warnings, Vec::<String>::new());
    for replacement in REPLACEMENTS {
        assert!(
            rendered.code.contains(replacement.rust_type),
            "{} should be used",
            replacement.rust_type
        );
        let own = format!("pub enum {} ", replacement.schema);
        let own_struct = format!("pub struct {}(", replacement.schema);
        assert!(
            !rendered.code.contains(&own) && !rendered.code.contains(&own_struct),
            "{} should not be generated",
            replacement.schema
        );
    }
    // HooksMode::Expected: no default hooks impl for `&Client`; the crate's
    // own impl for `Client` is asserted instead.
    assert!(!rendered.code.contains("for &Client"));
    assert!(rendered.code.contains("fn assert_client_hooks()"));
    assert!(
        rendered
            .code
            .contains("Client: ClientHooks<crate::hooks::ClientOptions>,")
    );
    // The inner type carries the request headers.
    assert!(
        rendered
            .code
            .contains("pub(crate) inner: crate::hooks::ClientOptions,")
    );
}

#[test]
fn replacement_without_a_schema_is_a_warning() {
    let scratch = Scratch::new(
        "spec.yaml",
        &fixture_with("    VideoQuality:\n", "    VideoQualityRenamed:\n")
            .replace("schemas/VideoQuality'", "schemas/VideoQualityRenamed'"),
    );
    let report = scratch.report(&scratch.options(false));
    assert_eq!(
        report.warnings,
        [
            "replacement VideoQuality -> crate::tolerant::VideoQuality matches no schema in \
          #/components/schemas"
        ]
    );
    let code = fs::read_to_string(scratch.out()).unwrap();
    assert!(code.contains("pub enum VideoQualityRenamed"));
}

/// Runs codegen (write mode and check mode, both outputs) on a broken spec next
/// to existing output files; both must fail, mention every `expected` fragment,
/// and leave the outputs byte-identical with no temp files.
fn assert_rejected(file_name: &str, spec_text: &str, expected: &[&str]) -> String {
    let scratch = Scratch::new(file_name, spec_text);
    fs::write(scratch.out(), SENTINEL).unwrap();
    fs::write(scratch.mock_out(), SENTINEL).unwrap();
    let mut message = String::new();
    for check in [false, true] {
        let error = codegen(&scratch.both(check)).expect_err("bad spec must fail");
        message = format!("{error:#}");
        for fragment in expected {
            assert!(
                message.contains(fragment),
                "error should mention {fragment:?}:\n{message}"
            );
        }
        assert!(!message.contains("RUST_BACKTRACE"), "{message}");
        assert_eq!(fs::read_to_string(scratch.out()).unwrap(), SENTINEL);
        assert_eq!(fs::read_to_string(scratch.mock_out()).unwrap(), SENTINEL);
        let mut expected_files = vec!["generated.rs".to_owned(), "mocks.rs".to_owned()];
        if scratch.spec.exists() {
            expected_files.push(file_name.to_owned());
        }
        expected_files.sort();
        assert_eq!(scratch.files(), expected_files);
    }
    message
}

#[test]
fn missing_spec_names_the_path() {
    let scratch = Scratch::fixture();
    fs::write(scratch.out(), SENTINEL).unwrap();
    let missing = scratch.dir.path().join("nope.yaml");
    let error = codegen(&CodegenOptions {
        spec: missing.clone(),
        ..scratch.options(false)
    })
    .unwrap_err();
    let message = format!("{error:#}");
    assert!(message.contains("cannot read spec"), "{message}");
    assert!(
        message.contains(&missing.display().to_string()),
        "{message}"
    );
    assert_eq!(fs::read_to_string(scratch.out()).unwrap(), SENTINEL);
}

#[test]
fn unknown_extension_is_rejected() {
    assert_rejected(
        "spec.txt",
        FIXTURE,
        &["spec.txt", "expected a .yaml, .yml or .json extension"],
    );
}

#[test]
fn invalid_yaml_names_line_and_column() {
    let line = FIXTURE
        .lines()
        .position(|l| l.contains("operationId: get_room_session"))
        .unwrap()
        + 1;
    let broken = fixture_with(
        "operationId: get_room_session",
        "operationId: [get_room_session",
    );
    // The unclosed flow sequence is noticed at the start of the next line.
    assert_rejected(
        "spec.yaml",
        &broken,
        &[
            "invalid YAML in spec",
            "spec.yaml",
            &format!("at line {}, column ", line + 1),
            "flow sequence",
        ],
    );
}

#[test]
fn invalid_json_names_line_and_column() {
    assert_rejected(
        "spec.json",
        "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {,}\n}\n",
        &["invalid JSON in spec", "spec.json", "at line 3, column 12"],
    );
}

#[test]
fn yaml_that_is_not_an_openapi_document_names_the_field() {
    assert_rejected(
        "spec.yaml",
        &fixture_with("  title: Mini Room Sessions\n", ""),
        &[
            "is not a valid OpenAPI 3.0 document",
            "at line 6, column 3",
            "missing field `title`",
        ],
    );
}

#[test]
fn openapi_3_1_is_rejected_with_the_version_found() {
    assert_rejected(
        "spec.yaml",
        &fixture_with("openapi: 3.0.3", "openapi: 3.1.0"),
        &[
            "invalid spec",
            "spec.yaml",
            "unsupported OpenAPI version \"3.1.0\"",
            "3.0.x",
        ],
    );
}

#[test]
fn unquoted_or_missing_version_is_rejected() {
    assert_rejected(
        "spec.yaml",
        &fixture_with("openapi: 3.0.3", "openapi: 3.0"),
        &["found the number 3.0", "quote it"],
    );
    assert_rejected(
        "spec.yaml",
        &fixture_with("openapi: 3.0.3", "swagger: '2.0'"),
        &["swagger: 2.0", "not supported"],
    );
}

#[test]
fn unresolved_ref_names_the_ref_and_where_it_is() {
    let message = assert_rejected(
        "spec.yaml",
        &fixture_with(
            "        links:\n          $ref: '#/components/schemas/Links'\n        data:\n          type: array\n          items:\n            $ref: '#/components/schemas/RoomSession'",
            "        links:\n          $ref: '#/components/schemas/Linkz'\n        data:\n          type: array\n          items:\n            $ref: '#/components/schemas/RoomSession'",
        ),
        &[
            "invalid spec",
            "unresolved $ref `#/components/schemas/Linkz`",
            "at #/components/schemas/RoomSessionList/properties/links/$ref",
        ],
    );
    assert_eq!(message.lines().count(), 1, "{message}");
}

#[test]
fn ref_problems_are_all_listed_with_json_pointer_locations() {
    let mut value: serde_json::Value = serde_yaml::from_str(FIXTURE).unwrap();
    let get = &mut value["paths"]["/room_sessions/{id}"]["get"];
    get["parameters"][0]["$ref"] = "#/components/parameters/Nope".into();
    get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] =
        "other.yaml#/RoomSession".into();
    // Free-form data is not searched.
    value["components"]["schemas"]["RoomLayout"]["example"] =
        serde_json::json!({"$ref": "#/not/checked"});
    let message = assert_rejected(
        "spec.json",
        &serde_json::to_string_pretty(&value).unwrap(),
        &[
            "2 $ref problems:",
            "unresolved $ref `#/components/parameters/Nope` at \
             #/paths/~1room_sessions~1{id}/get/parameters/0/$ref",
            "external $ref `other.yaml#/RoomSession`",
            "at #/paths/~1room_sessions~1{id}/get/responses/200/content/application~1json/schema/$ref",
        ],
    );
    assert!(!message.contains("#/not/checked"), "{message}");
}

#[test]
fn duplicate_operation_id_names_both_places() {
    assert_rejected(
        "spec.yaml",
        &fixture_with(
            "operationId: list_room_session_recordings",
            "operationId: list_room_sessions",
        ),
        &[
            "invalid spec",
            "duplicate operationId `list_room_sessions`",
            "GET /room_sessions and by GET /room_sessions/{id}/recordings",
        ],
    );
}

#[test]
fn missing_operation_id_names_method_and_path() {
    assert_rejected(
        "spec.yaml",
        &fixture_with("      operationId: get_room_session\n", ""),
        &["invalid spec", "GET /room_sessions/{id} has no operationId"],
    );
}

#[test]
fn responses_of_two_body_types_are_rejected_before_progenitor_asserts() {
    // `200: X` + `default: Error`: `default` counts as a success response too, so the
    // operation has two success types, which progenitor 0.15.1 asserts against.
    let broken = fixture_with(
        "        4XX:\n          $ref: '#/components/responses/Error'\n  /room_sessions/{id}:",
        "        default:\n          $ref: '#/components/responses/Error'\n  /room_sessions/{id}:",
    );
    assert_rejected(
        "spec.yaml",
        &broken,
        &[
            "invalid spec",
            "GET /room_sessions has success responses of 2 body types (default: \
             `#/components/schemas/Error`, 200: `#/components/schemas/RoomSessionList`)",
        ],
    );
}

#[test]
fn progenitor_panic_is_reported_as_an_error() {
    // JSON without a schema: progenitor 0.15.1 reaches a `todo!`.
    let broken = fixture_with(
        "            application/json:\n              schema:\n                $ref: '#/components/schemas/RecordingList'",
        "            application/json: {}",
    );
    assert_rejected(
        "spec.yaml",
        &broken,
        &[
            "progenitor panicked while generating the client from",
            "spec.yaml (its message is above)",
        ],
    );
}

#[test]
fn progenitor_error_is_reported() {
    let broken = fixture_with(
        "        - name: status\n          in: query\n",
        "        - name: status\n          in: query\n          style: deepObject\n",
    );
    assert_rejected(
        "spec.yaml",
        &broken,
        &[
            "progenitor failed to generate the client from",
            "unsupported style of query parameter DeepObject",
        ],
    );
}

#[test]
fn one_run_writes_both_outputs_and_a_second_finds_both_up_to_date() {
    let scratch = Scratch::fixture();
    let report = scratch.report(&scratch.both(false));
    assert!(report.is_success());
    let names: Vec<_> = report.outcomes.iter().map(|o| o.output.name).collect();
    assert_eq!(names, ["client", "httpmock"]);
    for outcome in &report.outcomes {
        assert!(
            matches!(outcome.status, Status::Created { .. }),
            "{outcome:?}"
        );
    }
    let mocks = fs::read_to_string(scratch.mock_out()).unwrap();
    assert!(mocks.starts_with("// This file is generated. Do not edit it by hand.\n"));
    assert!(mocks.contains("progenitor's httpmock generator"), "{mocks}");
    assert!(mocks.contains("pub trait MockServerExt"));
    assert_eq!(
        scratch.files(),
        ["generated.rs", "mocks.rs", "spec.yaml"],
        "no temp files left"
    );

    let old = set_old_mtime(&scratch.mock_out());
    for check in [false, true] {
        let report = scratch.report(&scratch.both(check));
        assert!(report.is_success(), "{report}");
        assert!(
            report.outcomes.iter().all(|o| o.status == Status::UpToDate),
            "{report}"
        );
    }
    assert_eq!(mtime(&scratch.mock_out()), old);
}

#[test]
fn one_stale_output_fails_the_check_and_names_only_that_file() {
    let scratch = Scratch::fixture();
    scratch.report(&scratch.both(false));
    let client_before = fs::read(scratch.out()).unwrap();
    let mocks = fs::read_to_string(scratch.mock_out()).unwrap();
    let stale = mocks.replacen("pub fn page_size", "pub fn page_size_renamed", 1);
    assert_ne!(stale, mocks);
    fs::write(scratch.mock_out(), &stale).unwrap();

    let report = scratch.report(&scratch.both(true));
    assert!(!report.is_success());
    assert_eq!(report.outcome("client").unwrap().status, Status::UpToDate);
    let mock = report.outcome("httpmock").unwrap();
    assert!(matches!(mock.status, Status::Stale { .. }), "{mock:?}");
    let message = report.to_string();
    assert!(message.contains("mocks.rs is stale"), "{message}");
    assert!(message.contains("generated.rs is up to date"), "{message}");
    // The surface summary names the matcher that differs.
    assert!(
        message.contains("+ mock list_room_sessions when page_size: NonZeroU32, optional"),
        "{message}"
    );
    assert_eq!(message.lines().last(), Some(STALE_HINT));
    assert_eq!(fs::read_to_string(scratch.mock_out()).unwrap(), stale);
    assert_eq!(fs::read(scratch.out()).unwrap(), client_before);
}

#[test]
fn two_outputs_to_one_file_are_refused_before_anything_is_written() {
    let scratch = Scratch::fixture();
    fs::write(scratch.out(), SENTINEL).unwrap();
    let mut options = scratch.both(false);
    options.targets[1].path = scratch.out();
    let message = format!("{:#}", codegen(&options).unwrap_err());
    assert!(
        message.contains("the client and httpmock outputs both go to"),
        "{message}"
    );
    assert_eq!(fs::read_to_string(scratch.out()).unwrap(), SENTINEL);

    options.targets[1] = options.targets[0].clone();
    let message = format!("{:#}", codegen(&options).unwrap_err());
    assert_eq!(message, "the client output is named twice");

    options.targets.clear();
    let message = format!("{:#}", codegen(&options).unwrap_err());
    assert_eq!(message, "no output to generate");
    assert_eq!(scratch.files(), ["generated.rs", "spec.yaml"]);
}

#[test]
fn the_mocks_take_the_clients_types_and_its_tolerant_types() {
    let code = render(&fixture_path(), &HTTPMOCK).unwrap().code;
    assert!(code.contains("use room_sessions_api::*;"), "{code}");
    assert!(code.contains("value: &types::RoomSession"), "{code}");
    for replacement in REPLACEMENTS {
        let in_client = replacement.rust_type;
        assert!(!code.contains(in_client), "{in_client} in the mocks");
    }
    assert!(
        code.contains("T: Into<Option<&'a room_sessions_api::tolerant::SessionStatus>>"),
        "{code}"
    );
    assert!(
        !code.contains("crate::"),
        "the mocks name no item of their own crate"
    );
}
