//! `cargo xtask semver` on temp git repositories laid out like this workspace: a release is
//! committed and tagged, the spec changes in the working tree (uncommitted, as before a
//! commit), and the verdict fails (exit 1) until the versions are bumped enough, then passes
//! (exit 0). Also how the base is chosen, and the errors of a comparison that cannot be made
//! (exit 2).

mod common;

use common::{Edit, Run, Workspace, git, spec_with};

const API: &str = "room-sessions-api";
const MOCKS: &str = "room-sessions-httpmock";

/// A compatible change: a new optional query parameter (a builder setter, a mock matcher).
const NEW_OPTIONAL_PARAMETER: &[Edit] = &[(
    "        - name: page_size\n          in: query\n",
    "        - name: room_name\n          in: query\n          schema:\n            type: string\n        - name: page_size\n          in: query\n",
)];

/// A breaking change of the client: a field added to a struct users can build with a literal.
/// The mocks' own surface does not change, but their API takes the client's types.
const NEW_FIELD: &[Edit] = &[(
    "        start_time:\n",
    "        cost_in_dollars:\n          type: number\n        start_time:\n",
)];

/// The report: stdout when the check passes (exit 0), stderr when it fails (exit 1).
fn check(workspace: &Workspace, passes: bool) -> String {
    let run = workspace.semver(&[]);
    let (code, report, other) = match passes {
        true => (0, run.stdout, run.stderr),
        false => (1, run.stderr, run.stdout),
    };
    assert_eq!(run.code, Some(code), "{report}{other}");
    assert!(other.is_empty(), "{other}");
    report
}

/// The verdict of each package, in the order of the report: its `passes:` or `fails:` line.
fn verdicts(report: &str) -> Vec<&str> {
    report
        .lines()
        .filter(|line| line.starts_with("passes: ") || line.starts_with("fails: "))
        .collect()
}

/// The paragraph of `package` in the report.
fn paragraph<'a>(report: &'a str, package: &str) -> &'a str {
    let start = report.find(&format!("{package}: compared with ")).unwrap();
    let rest = &report[start..];
    &rest[..rest.find("\n\n").map_or(rest.len(), |end| end + 1)]
}

/// A workspace whose generated crates were released (committed and tagged) at `version`, from
/// the fixture spec with `released` applied.
fn released(released: &[Edit], version: &str) -> Workspace {
    let workspace = Workspace::new();
    workspace.generate(&spec_with(released), version);
    workspace.commit("Release");
    workspace.tag(&format!("{API}-v{version}"));
    workspace.tag(&format!("{MOCKS}-v{version}"));
    workspace
}

/// A release, a spec change, the versions (API, mocks) that are not enough and the verdicts
/// they get, then the versions that are and theirs.
struct Bump {
    name: &'static str,
    released: &'static str,
    change: &'static [Edit],
    short: (&'static str, &'static str),
    fails: (&'static str, &'static str),
    enough: (&'static str, &'static str),
    passes: (&'static str, &'static str),
}

const BUMPS: &[Bump] = &[
    Bump {
        name: "a compatible change of both crates needs the patch",
        released: "0.1.0",
        change: NEW_OPTIONAL_PARAMETER,
        short: ("0.1.0", "0.1.0"),
        fails: (
            "fails: 1 compatible change needs version 0.1.1 or later; crates/room-sessions-api/Cargo.toml has 0.1.0",
            "fails: 1 compatible change needs version 0.1.1 or later; crates/room-sessions-httpmock/Cargo.toml has 0.1.0",
        ),
        enough: ("0.1.1", "0.2.0"),
        passes: (
            "passes: 0.1.1 is enough for 1 compatible change (0.1.1 or later)",
            "passes: 0.2.0 is enough for 1 compatible change (0.1.1 or later)",
        ),
    },
    Bump {
        name: "a breaking change of the client needs the minor of both crates",
        released: "0.1.0",
        change: NEW_FIELD,
        short: ("0.1.1", "0.1.0"),
        fails: (
            "fails: 1 breaking change needs version 0.2.0 or later; crates/room-sessions-api/Cargo.toml has 0.1.1",
            "fails: 1 breaking change needs version 0.2.0 or later; crates/room-sessions-httpmock/Cargo.toml has 0.1.0",
        ),
        enough: ("0.2.0", "0.2.0"),
        passes: (
            "passes: 0.2.0 is enough for 1 breaking change (0.2.0 or later)",
            "passes: 0.2.0 is enough for 1 breaking change (0.2.0 or later)",
        ),
    },
    Bump {
        name: "from 1.0, a breaking change needs the major",
        released: "1.4.2",
        change: NEW_FIELD,
        short: ("1.5.0", "1.5.0"),
        fails: (
            "fails: 1 breaking change needs version 2.0.0 or later; crates/room-sessions-api/Cargo.toml has 1.5.0",
            "fails: 1 breaking change needs version 2.0.0 or later; crates/room-sessions-httpmock/Cargo.toml has 1.5.0",
        ),
        enough: ("2.0.0", "2.0.0-rc.1"),
        passes: (
            "passes: 2.0.0 is enough for 1 breaking change (2.0.0 or later)",
            "passes: 2.0.0-rc.1 is enough for 1 breaking change (2.0.0 or later)",
        ),
    },
    Bump {
        name: "from 1.0, a compatible change needs the minor",
        released: "1.4.2",
        change: NEW_OPTIONAL_PARAMETER,
        short: ("1.4.3", "1.4.3"),
        fails: (
            "fails: 1 compatible change needs version 1.5.0 or later; crates/room-sessions-api/Cargo.toml has 1.4.3",
            "fails: 1 compatible change needs version 1.5.0 or later; crates/room-sessions-httpmock/Cargo.toml has 1.4.3",
        ),
        enough: ("1.5.0", "1.5.0"),
        passes: (
            "passes: 1.5.0 is enough for 1 compatible change (1.5.0 or later)",
            "passes: 1.5.0 is enough for 1 compatible change (1.5.0 or later)",
        ),
    },
    Bump {
        name: "in 0.0.x, a compatible change needs the patch",
        released: "0.0.4",
        change: NEW_OPTIONAL_PARAMETER,
        short: ("0.0.4", "0.0.4"),
        fails: (
            "fails: 1 compatible change needs version 0.0.5 or later; crates/room-sessions-api/Cargo.toml has 0.0.4",
            "fails: 1 compatible change needs version 0.0.5 or later; crates/room-sessions-httpmock/Cargo.toml has 0.0.4",
        ),
        enough: ("0.0.5", "0.1.0"),
        passes: (
            "passes: 0.0.5 is enough for 1 compatible change (0.0.5 or later)",
            "passes: 0.1.0 is enough for 1 compatible change (0.0.5 or later)",
        ),
    },
    Bump {
        name: "in 0.0.x, a breaking change needs the patch too",
        released: "0.0.4",
        change: NEW_FIELD,
        short: ("0.0.4", "0.0.4"),
        fails: (
            "fails: 1 breaking change needs version 0.0.5 or later; crates/room-sessions-api/Cargo.toml has 0.0.4",
            "fails: 1 breaking change needs version 0.0.5 or later; crates/room-sessions-httpmock/Cargo.toml has 0.0.4",
        ),
        enough: ("0.0.5", "0.0.5"),
        passes: (
            "passes: 0.0.5 is enough for 1 breaking change (0.0.5 or later)",
            "passes: 0.0.5 is enough for 1 breaking change (0.0.5 or later)",
        ),
    },
    Bump {
        name: "after a pre-release, any later version: pre-releases promise nothing",
        released: "0.2.0-rc.1",
        change: NEW_FIELD,
        short: ("0.2.0-rc.1", "0.1.9"),
        fails: (
            "fails: 1 breaking change needs version above 0.2.0-rc.1; crates/room-sessions-api/Cargo.toml has 0.2.0-rc.1",
            "fails: 1 breaking change needs version above 0.2.0-rc.1; crates/room-sessions-httpmock/Cargo.toml has 0.1.9",
        ),
        enough: ("0.2.0-rc.2", "0.2.0"),
        passes: (
            "passes: 0.2.0-rc.2 is enough for 1 breaking change (above 0.2.0-rc.1)",
            "passes: 0.2.0 is enough for 1 breaking change (above 0.2.0-rc.1)",
        ),
    },
];

#[test]
fn a_spec_change_fails_without_the_bump_it_needs_and_passes_once_it_is_made() {
    for bump in BUMPS {
        let workspace = released(&[], bump.released);
        // The change is not committed: the check runs before committing.
        workspace.generate(&spec_with(bump.change), bump.short.0);
        workspace.set_version(1, bump.short.1);
        let report = check(&workspace, false);
        assert_eq!(
            verdicts(&report),
            [bump.fails.0, bump.fails.1],
            "{}:\n{report}",
            bump.name
        );

        workspace.set_version(0, bump.enough.0);
        workspace.set_version(1, bump.enough.1);
        let report = check(&workspace, true);
        assert_eq!(
            verdicts(&report),
            [bump.passes.0, bump.passes.1],
            "{}:\n{report}",
            bump.name
        );
    }
}

#[test]
fn the_report_names_the_base_the_versions_and_the_items_that_need_the_bump() {
    let workspace = released(&[], "0.1.0");
    workspace.generate(
        &spec_with(&[NEW_FIELD, NEW_OPTIONAL_PARAMETER].concat()),
        "0.1.0",
    );
    let report = check(&workspace, false);
    let commit = workspace.git(&["rev-parse", "--short", "HEAD"]);
    assert_eq!(
        paragraph(&report, API),
        format!(
            "room-sessions-api: compared with room-sessions-api-v0.1.0 ({commit}, the newest release tag)\n\
             version 0.1.0 at the base, 0.1.0 in crates/room-sessions-api/Cargo.toml\n\
             surface: 2 added, 0 removed, 0 changed (1 breaking, 1 compatible)\n\
             \x20 breaking: + type RoomSession field cost_in_dollars: Option<f64>, json \"cost_in_dollars\": \
             a field added to a struct users can build with a struct literal\n\
             \x20 compatible: + operation list_room_sessions param room_name: String, optional: \
             a new optional builder setter\n\
             fails: 1 breaking change needs version 0.2.0 or later; crates/room-sessions-api/Cargo.toml has 0.1.0\n"
        )
    );
    let mocks = paragraph(&report, MOCKS);
    assert!(
        mocks.contains(
            "\nbreaking: room-sessions-api, whose types this crate's API takes, has 1 breaking \
             change since the base\nfails: 1 breaking change needs version 0.2.0 or later; "
        ),
        "{mocks}"
    );
    assert!(
        mocks.contains("\n  compatible: + mock list_room_sessions when room_name: "),
        "{mocks}"
    );
}

#[test]
fn an_unchanged_surface_passes_without_a_bump() {
    let workspace = released(&[], "0.3.0");
    // Regenerated from the same spec: same bytes, nothing to bump.
    workspace.generate(&spec_with(&[]), "0.3.0");
    let report = check(&workspace, true);
    assert_eq!(verdicts(&report), ["passes: the surface is unchanged"; 2]);
}

#[test]
fn without_a_release_tag_the_root_commit_is_the_base_and_it_has_no_released_surface() {
    // The root commit holds only a README: nothing was released that a version could break.
    let workspace = Workspace::new();
    workspace.generate(&spec_with(&[]), "0.1.0");
    workspace.commit("Add the crates");
    workspace.generate(&spec_with(NEW_FIELD), "0.1.0");
    let root = workspace.git(&["rev-list", "--max-parents=0", "HEAD"]);
    let root = workspace.git(&["rev-parse", "--short", &root]);
    let report = check(&workspace, true);
    assert_eq!(
        paragraph(&report, API),
        format!(
            "room-sessions-api: compared with {root} (the root commit: no room-sessions-api-v* tag yet)\n\
             passes: no released surface (crates/room-sessions-api/Cargo.toml does not exist at the base)\n"
        )
    );

    // A package released without its generated file has no released surface either.
    let workspace = Workspace::new();
    workspace.set_version(0, "0.1.0");
    workspace.set_version(1, "0.1.0");
    workspace.commit("Manifests only");
    workspace.tag(&format!("{API}-v0.1.0"));
    workspace.generate(&spec_with(&[]), "0.1.0");
    assert_eq!(
        verdicts(&check(&workspace, true))[0],
        "passes: no released surface (crates/room-sessions-api/src/generated.rs does not exist at the base)"
    );
}

#[test]
fn the_base_is_the_newest_release_tag_by_version_reachable_from_head_or_the_one_given() {
    let workspace = released(&[], "0.9.0");
    let v0_9 = workspace.git(&["rev-parse", "HEAD"]);
    workspace.generate(&spec_with(NEW_OPTIONAL_PARAMETER), "0.10.0");
    workspace.commit("Release 0.10.0");
    // By version, not by name: "v0.10.0" sorts before "v0.9.0" as text.
    workspace.tag(&format!("{API}-v0.10.0"));
    workspace.tag(&format!("{API}-vnext")); // not a version: ignored
    let v0_10 = workspace.git(&["rev-parse", "--short", "HEAD"]);
    // A newer release on another branch is not this tree's last release.
    workspace.git(&["checkout", "--quiet", "-b", "other", &v0_9]);
    workspace.commit("Elsewhere");
    workspace.tag(&format!("{API}-v0.11.0"));
    workspace.git(&["checkout", "--quiet", "main"]);

    let report = check(&workspace, true);
    let short_0_9 = workspace.git(&["rev-parse", "--short", &v0_9]);
    assert!(report.starts_with(&format!(
        "room-sessions-api: compared with room-sessions-api-v0.10.0 ({v0_10}, the newest release tag)\n"
    )));
    // The mocks have their own tags: their newest is 0.9.0.
    assert!(report.contains(&format!(
        "\nroom-sessions-httpmock: compared with room-sessions-httpmock-v0.9.0 ({short_0_9}, the newest release tag)\n"
    )));
    let passes = "passes: 0.10.0 is enough for 1 compatible change (0.9.1 or later)";
    assert_eq!(
        verdicts(&report),
        ["passes: the surface is unchanged", passes]
    );

    // --base names one commit for both packages.
    let given = workspace.semver(&["--base", &v0_9]);
    assert_eq!(given.code, Some(0), "{}", given.stderr);
    let base = format!(": compared with {short_0_9} (from --base)\n");
    assert_eq!(given.stdout.matches(&base).count(), 2, "{}", given.stdout);
    assert_eq!(verdicts(&given.stdout), [passes; 2]);
}

#[test]
fn an_inherited_workspace_version_is_read_at_the_base_and_in_the_working_tree() {
    let workspace = Workspace::new();
    workspace.write_generated(&spec_with(&[]));
    let inherit = |version: &str| {
        workspace.write(
            "Cargo.toml",
            &format!("[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.package]\nversion = \"{version}\"\n"),
        );
        for (package, dir, _) in common::PACKAGES {
            workspace.write(
                &format!("{dir}/Cargo.toml"),
                &format!("[package]\nname = \"{package}\"\nversion.workspace = true\n"),
            );
        }
    };
    inherit("0.4.0");
    workspace.commit("Release");
    workspace.tag(&format!("{API}-v0.4.0"));
    workspace.tag(&format!("{MOCKS}-v0.4.0"));
    workspace.write_generated(&spec_with(NEW_FIELD));
    inherit("0.4.1");
    assert_eq!(
        verdicts(&check(&workspace, false))[0],
        "fails: 1 breaking change needs version 0.5.0 or later; crates/room-sessions-api/Cargo.toml has 0.4.1"
    );
    inherit("0.5.0");
    check(&workspace, true);
}

#[test]
fn the_working_trees_version_is_read_as_cargo_reads_it_and_a_bad_manifest_is_named() {
    let workspace = released(&[], "0.1.0");
    let manifest = "crates/room-sessions-api/Cargo.toml";
    let root = "[workspace]\n[workspace.package]\nversion = \"1.2.3\"\n";
    let package = "[package]\nname = \"room-sessions-api\"\n";
    for (version, expected) in [
        ("version = \"0.4.1\"\n", "0.4.1"),
        ("version.workspace = true\n", "1.2.3"),
        ("version = { workspace = true }\n", "1.2.3"),
        ("", "0.0.0"),
        ("version = \"0.2.0-rc.1\"\n", "0.2.0-rc.1"),
    ] {
        workspace.write("Cargo.toml", root);
        workspace.write(manifest, &format!("{package}{version}"));
        let report = check(&workspace, true);
        let line = format!("\nversion 0.1.0 at the base, {expected} in {manifest}\n");
        assert!(report.contains(&line), "{version}: {report}");
    }
    for (text, root, error) in [
        ("[package\n", "", "is not valid TOML"),
        ("name = \"x\"\n", "", ": no [package] table"),
        ("[package]\nversion = \"1.0.0\"\n", "", ": no package.name"),
        (
            "[package]\nname = \"room-sessions-api\"\nversion = \"1.0\"\n",
            "",
            "package.version in crates/room-sessions-api/Cargo.toml is not a semantic version: \"1.0\"",
        ),
        (
            "[package]\nname = \"room-sessions-api\"\nversion.workspace = true\n",
            "[workspace]\n",
            "crates/room-sessions-api/Cargo.toml inherits its version, but the workspace's \
             Cargo.toml has no workspace.package.version",
        ),
        (
            "[package]\nname = \"x\"\nversion = \"1.0.0\"\n",
            "",
            "crates/room-sessions-api/Cargo.toml is the manifest of x, not of room-sessions-api",
        ),
    ] {
        workspace.write("Cargo.toml", root);
        workspace.write(manifest, text);
        let run = workspace.semver(&[]);
        assert_eq!(run.code, Some(1), "{text}: {}", run.stderr);
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error: ") && first.contains(error),
            "{text}: {}",
            run.stderr
        );
    }
}

/// Runs `cargo xtask semver ARGS` on `dir`, which must fail with `code` and this first line of
/// stderr, printing nothing on stdout.
fn assert_fails(run: Run, code: i32, first_line: &str) {
    assert_eq!(run.code, Some(code), "{}", run.stderr);
    assert_eq!(run.stderr.lines().next(), Some(first_line));
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn a_comparison_that_cannot_be_made_exits_2_naming_why() {
    let workspace = released(&[], "0.1.0");
    for rev in [
        "no-such-branch",
        "v0.1.0",
        "0123456789abcdef0123456789abcdef01234567",
    ] {
        let message = format!("error: {rev:?} is not a commit of this repository");
        assert_fails(workspace.semver(&["--base", rev]), 2, &message);
    }
    // A revision is given to git as an argument: one that starts with `-` would be an option.
    for (rev, why) in [
        ("-p", "a git revision cannot start with '-'"),
        ("", "a git revision is required"),
    ] {
        let run = workspace.semver(&[&format!("--base={rev}")]);
        assert_eq!(run.code, Some(2));
        let expected = format!("error: invalid value '{rev}' for '--base <REV>': {why}");
        assert!(run.stderr.starts_with(&expected), "{}", run.stderr);
    }

    let not_a_repository = tempfile::tempdir().unwrap();
    let dir = not_a_repository.path().to_str().unwrap();
    let run = common::xtask(not_a_repository.path(), &["semver", "--workspace", dir]);
    assert_fails(run, 2, &format!("error: {dir} is not in a git repository"));

    // No git on PATH.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["semver", "--workspace", workspace.path().to_str().unwrap()])
        .env("PATH", "")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("error: cannot run git: "));

    // A shallow clone (as CI checks out by default) lacks the root commit and, here, the tags.
    workspace.generate(&spec_with(NEW_FIELD), "0.2.0");
    workspace.commit("Next");
    let clone = tempfile::tempdir().unwrap();
    let source = format!("file://{}", workspace.path().display());
    git(
        clone.path(),
        &[
            "clone",
            "--quiet",
            "--depth",
            "1",
            "--no-tags",
            &source,
            ".",
        ],
    );
    let dir = clone.path().to_str().unwrap();
    assert_fails(
        common::xtask(clone.path(), &["semver", "--workspace", dir]),
        2,
        "error: the clone is shallow and has no room-sessions-api-v* tag: the root commit to \
         compare with is missing",
    );
    assert_fails(
        common::xtask(
            clone.path(),
            &["semver", "--workspace", dir, "--base", "HEAD~1"],
        ),
        2,
        "error: \"HEAD~1\" is not a commit of this repository (the clone is shallow: the commit \
         may be older than the history fetched)",
    );
}

#[test]
fn a_working_tree_without_a_readable_generated_file_is_an_error_of_the_working_tree() {
    let workspace = released(&[], "0.1.0");
    let client = workspace.path().join(common::PACKAGES[0].2);
    let code = std::fs::read_to_string(&client).unwrap();
    // A shape progenitor does not emit is named, not guessed at.
    let sealed = code.replacen(
        "    pub struct Error {",
        "    #[non_exhaustive]\n    pub struct Error {",
        1,
    );
    assert_ne!(sealed, code);
    std::fs::write(&client, sealed).unwrap();
    assert_fails(
        workspace.semver(&[]),
        1,
        "error: cannot read the surface of crates/room-sessions-api/src/generated.rs: unknown \
         shape: struct Error is #[non_exhaustive]",
    );
    std::fs::remove_file(&client).unwrap();
    assert_fails(
        workspace.semver(&[]),
        1,
        "error: cannot read crates/room-sessions-api/src/generated.rs (`cargo xtask codegen` \
         writes it): No such file or directory (os error 2)",
    );
}
