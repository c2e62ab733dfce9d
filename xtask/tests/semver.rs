//! `cargo xtask semver` on temp git repositories laid out like this workspace: a release is
//! committed and tagged, the spec changes in the working tree (uncommitted, as before a
//! commit), and the verdict fails until the versions are bumped enough, then passes. Also how
//! the base is chosen, and the errors of a comparison that cannot be made.

mod common;

use std::process::Output;

use common::{Edit, Workspace, git, git_command, spec_with, xtask_binary};
use xtask::git::GitError;
use xtask::semver::{BaseChoice, Report, Verdict};
use xtask::{SemverOptions, semver};

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

fn options(workspace: &Workspace, base: Option<&str>) -> SemverOptions {
    SemverOptions {
        workspace: workspace.path().to_path_buf(),
        base: base.map(str::to_owned),
    }
}

fn check(workspace: &Workspace) -> Report {
    semver(&options(workspace, None)).unwrap_or_else(|e| panic!("{e:#}"))
}

/// The last line of a package's paragraph: its verdict.
fn verdict_line(report: &Report, package: &str) -> String {
    let text = report.package(package).unwrap().to_string();
    text.lines().last().unwrap().to_owned()
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
];

#[test]
fn a_spec_change_fails_without_the_bump_it_needs_and_passes_once_it_is_made() {
    for bump in BUMPS {
        let workspace = released(&[], bump.released);
        // The change is not committed: the check runs before committing.
        workspace.generate(&spec_with(bump.change), bump.short.0);
        workspace.set_version(&xtask::generate::HTTPMOCK, bump.short.1);
        let report = check(&workspace);
        assert!(!report.is_success(), "{}:\n{report}", bump.name);
        assert_eq!(
            (verdict_line(&report, API), verdict_line(&report, MOCKS)),
            (bump.fails.0.to_owned(), bump.fails.1.to_owned()),
            "{}:\n{report}",
            bump.name
        );

        workspace.set_version(&xtask::generate::CLIENT, bump.enough.0);
        workspace.set_version(&xtask::generate::HTTPMOCK, bump.enough.1);
        let report = check(&workspace);
        assert!(report.is_success(), "{}:\n{report}", bump.name);
        assert_eq!(
            (verdict_line(&report, API), verdict_line(&report, MOCKS)),
            (bump.passes.0.to_owned(), bump.passes.1.to_owned()),
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
    let report = check(&workspace);
    let commit = git(workspace.path(), &["rev-parse", "--short", "HEAD"]);
    let api = report.package(API).unwrap().to_string();
    assert_eq!(
        api,
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
    let mocks = report.package(MOCKS).unwrap().to_string();
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
fn an_unchanged_surface_passes_at_any_version() {
    let workspace = released(&[], "0.3.0");
    // Regenerated from the same spec: same bytes, nothing to bump.
    workspace.generate(&spec_with(&[]), "0.3.0");
    let report = check(&workspace);
    assert!(report.is_success(), "{report}");
    assert_eq!(
        verdict_line(&report, API),
        "passes: the surface is unchanged"
    );
    assert_eq!(
        verdict_line(&report, MOCKS),
        "passes: the surface is unchanged"
    );
}

#[test]
fn without_a_release_tag_the_root_commit_is_the_base_and_it_has_no_released_surface() {
    // The root commit holds only a README: nothing was released that a version could break.
    let workspace = Workspace::new();
    workspace.generate(&spec_with(&[]), "0.1.0");
    workspace.commit("Add the crates");
    workspace.generate(&spec_with(NEW_FIELD), "0.1.0");
    let report = check(&workspace);
    assert!(report.is_success(), "{report}");
    let api = report.package(API).unwrap();
    assert_eq!(
        api.base.choice,
        BaseChoice::RootCommit("room-sessions-api-v*".to_owned())
    );
    assert_eq!(
        api.verdict,
        Verdict::NoReleasedSurface {
            missing: "crates/room-sessions-api/Cargo.toml".to_owned()
        }
    );
    let root = git(workspace.path(), &["rev-list", "--max-parents=0", "HEAD"]);
    assert_eq!(api.base.commit, root);
    assert_eq!(
        report.to_string().lines().take(2).collect::<Vec<_>>(),
        [
            format!(
                "room-sessions-api: compared with {} (the root commit: no room-sessions-api-v* tag yet)",
                api.base.short
            ),
            "passes: no released surface (crates/room-sessions-api/Cargo.toml does not exist at the base)"
                .to_owned(),
        ]
    );

    // A package released without its generated file has no released surface either.
    let workspace = Workspace::new();
    workspace.set_versions("0.1.0");
    workspace.commit("Manifests only");
    workspace.tag(&format!("{API}-v0.1.0"));
    workspace.generate(&spec_with(&[]), "0.1.0");
    assert_eq!(
        check(&workspace).package(API).unwrap().verdict,
        Verdict::NoReleasedSurface {
            missing: "crates/room-sessions-api/src/generated.rs".to_owned()
        }
    );
}

#[test]
fn the_base_is_the_newest_release_tag_by_version_reachable_from_head_or_the_one_given() {
    let workspace = released(&[], "0.9.0");
    let v0_9 = git(workspace.path(), &["rev-parse", "HEAD"]);
    workspace.generate(&spec_with(NEW_OPTIONAL_PARAMETER), "0.10.0");
    workspace.commit("Release 0.10.0");
    // By version, not by name: "v0.10.0" sorts before "v0.9.0" as text.
    workspace.tag(&format!("{API}-v0.10.0"));
    workspace.tag(&format!("{API}-vnext")); // not a version: ignored
    let v0_10 = git(workspace.path(), &["rev-parse", "HEAD"]);
    // A newer release on another branch is not this tree's last release.
    workspace.git(&["checkout", "--quiet", "-b", "other", &v0_9]);
    workspace.commit("Elsewhere");
    workspace.tag(&format!("{API}-v0.11.0"));
    workspace.git(&["checkout", "--quiet", "main"]);

    let report = check(&workspace);
    let api = report.package(API).unwrap();
    assert_eq!(api.base.choice, BaseChoice::Tag(format!("{API}-v0.10.0")));
    assert_eq!(api.base.commit, v0_10);
    assert!(report.is_success(), "{report}");
    // The mocks have their own tags: their newest is 0.9.0.
    let mocks = report.package(MOCKS).unwrap();
    assert_eq!(
        mocks.base.choice,
        BaseChoice::Tag(format!("{MOCKS}-v0.9.0"))
    );
    assert_eq!(
        verdict_line(&report, MOCKS),
        "passes: 0.10.0 is enough for 1 compatible change (0.9.1 or later)"
    );

    // --base names one commit for both packages.
    let report = semver(&options(&workspace, Some(&v0_9))).unwrap();
    for package in [API, MOCKS] {
        let base = &report.package(package).unwrap().base;
        assert_eq!(base.choice, BaseChoice::Given(v0_9.clone()));
        assert_eq!(base.commit, v0_9);
    }
    assert_eq!(
        verdict_line(&report, API),
        "passes: 0.10.0 is enough for 1 compatible change (0.9.1 or later)"
    );
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
        for output in xtask::OUTPUTS {
            workspace.write(
                &format!("{}/Cargo.toml", output.package_dir),
                &format!(
                    "[package]\nname = \"{}\"\nversion.workspace = true\n",
                    output.package
                ),
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
        verdict_line(&check(&workspace), API),
        "fails: 1 breaking change needs version 0.5.0 or later; crates/room-sessions-api/Cargo.toml has 0.4.1"
    );
    inherit("0.5.0");
    assert!(check(&workspace).is_success());
}

/// The error of a comparison that cannot be made, by kind.
fn git_error(options: &SemverOptions) -> GitError {
    let error = semver(options).expect_err("the comparison cannot be made");
    match error.downcast::<GitError>() {
        Ok(error) => error,
        Err(error) => panic!("not a git error: {error:#}"),
    }
}

#[test]
fn a_bad_revision_a_missing_repository_and_a_shallow_clone_are_named() {
    let workspace = released(&[], "0.1.0");
    for rev in [
        "no-such-branch",
        "v0.1.0",
        "0123456789abcdef0123456789abcdef01234567",
    ] {
        let error = git_error(&options(&workspace, Some(rev)));
        assert!(
            matches!(&error, GitError::BadRevision { rev: r, shallow: false } if r == rev),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!("{rev:?} is not a commit of this repository")
        );
    }

    let not_a_repository = tempfile::tempdir().unwrap();
    let error = git_error(&SemverOptions {
        workspace: not_a_repository.path().to_path_buf(),
        base: None,
    });
    assert!(matches!(error, GitError::NotARepository(_)), "{error:?}");
    assert!(
        error.to_string().ends_with(" is not in a git repository"),
        "{error}"
    );

    // A shallow clone (as CI checks out by default) lacks the root commit and, here, the tags.
    workspace.generate(&spec_with(NEW_FIELD), "0.2.0");
    workspace.commit("Next");
    let clone = tempfile::tempdir().unwrap();
    let source = format!("file://{}", workspace.path().display());
    let status = git_command(clone.path())
        .args([
            "clone",
            "--quiet",
            "--depth",
            "1",
            "--no-tags",
            &source,
            ".",
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let clone_options = SemverOptions {
        workspace: clone.path().to_path_buf(),
        base: None,
    };
    let error = git_error(&clone_options);
    assert!(
        matches!(&error, GitError::ShallowWithoutBase { tag_pattern } if tag_pattern == "room-sessions-api-v*"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the clone is shallow and has no room-sessions-api-v* tag: the root commit to compare with is missing"
    );
    let error = git_error(&SemverOptions {
        base: Some("HEAD~1".to_owned()),
        ..clone_options
    });
    assert_eq!(
        error.to_string(),
        "\"HEAD~1\" is not a commit of this repository (the clone is shallow: the commit may be \
         older than the history fetched)"
    );
}

fn run_xtask(workspace: &std::path::Path, args: &[&str], path_variable: Option<&str>) -> Output {
    let mut command = std::process::Command::new(xtask_binary());
    command
        .arg("semver")
        .arg("--workspace")
        .arg(workspace)
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    if let Some(path) = path_variable {
        command.env("PATH", path);
    }
    command.output().expect("run xtask")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_binary_exits_1_when_a_bump_is_missing_0_once_made_and_2_when_it_cannot_compare() {
    let workspace = released(&[], "0.1.0");
    workspace.generate(&spec_with(NEW_OPTIONAL_PARAMETER), "0.1.0");

    let output = run_xtask(workspace.path(), &[], None);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("\nfails: 1 compatible change needs version 0.1.1 or later; "),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());

    workspace.set_versions("0.1.1");
    let output = run_xtask(workspace.path(), &[], None);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.starts_with("room-sessions-api: compared with room-sessions-api-v0.1.0 ("),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("passes: 0.1.1 is enough for 1 compatible change (0.1.1 or later)\n"),
        "{stdout}"
    );

    for (args, path_variable, expected) in [
        (
            &["--base", "nope"][..],
            None,
            "error: \"nope\" is not a commit of this repository\n",
        ),
        (&[][..], Some(""), "error: cannot run git: "),
        (
            &["--base=-p"][..],
            None,
            "error: invalid value '-p' for '--base <REV>': a git revision cannot start with '-'",
        ),
        (
            &["--base="][..],
            None,
            "error: invalid value '' for '--base <REV>': a git revision is required",
        ),
    ] {
        let output = run_xtask(workspace.path(), args, path_variable);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&output.stderr)
        );
        let stderr = text(&output.stderr);
        assert!(stderr.starts_with(expected), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty());
    }

    // A working tree without its generated file is an error of the working tree (exit 1).
    std::fs::remove_file(workspace.path().join(xtask::generate::CLIENT.path)).unwrap();
    let output = run_xtask(workspace.path(), &[], None);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stderr).lines().next(),
        Some(
            "error: cannot read crates/room-sessions-api/src/generated.rs (`cargo xtask codegen` writes it): No such file or directory (os error 2)"
        )
    );
}
