//! Helpers of the xtask tests, which run the `xtask` binary as `cargo xtask` does: the fixture
//! spec and edits of it, runs of the binary, and a temp workspace that is a git repository.

#![allow(dead_code)] // Each test file uses a part.

use std::fs;
use std::path::Path;
use std::process::Command;

/// The small spec the xtask tests generate from.
pub const FIXTURE: &str = include_str!("../fixtures/mini.yaml");

/// The last line of a failed check.
pub const STALE_HINT: &str = "run `cargo xtask codegen` and commit the result";

/// One edit of a spec's text: `from` (which must occur) replaced by `to`, once.
pub type Edit = (&'static str, &'static str);

/// The fixture with `edits` applied in order.
pub fn spec_with(edits: &[Edit]) -> String {
    let mut spec = FIXTURE.to_owned();
    for (from, to) in edits {
        assert!(spec.contains(from), "the spec does not contain {from:?}");
        spec = spec.replacen(from, to, 1);
    }
    spec
}

/// How a run of the binary exited and what it printed.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `xtask ARGS` in `dir`.
pub fn xtask(dir: &Path, args: &[&str]) -> Run {
    let output = git_blind(Command::new(env!("CARGO_BIN_EXE_xtask")))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run xtask");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `xtask ARGS` in `dir`, which must succeed; what it printed on stdout.
pub fn xtask_ok(dir: &Path, args: &[&str]) -> String {
    let run = xtask(dir, args);
    assert_eq!(run.code, Some(0), "xtask {args:?} failed:\n{}", run.stderr);
    run.stdout
}

/// A temp directory holding `spec_text` as `spec.yaml`, where the tests run `cargo xtask`.
pub fn scratch(spec_text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("create temp dir");
    fs::write(dir.path().join("spec.yaml"), spec_text).unwrap();
    dir
}

/// The workspace's own spec, as text.
pub fn bundled_spec() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/room_sessions.yaml");
    fs::read_to_string(path).unwrap()
}

/// `codegen` of both outputs from `spec.yaml` to `client.rs` and `mocks.rs`, in the directory it
/// runs in; more arguments may follow.
pub const CODEGEN_BOTH: [&str; 7] = [
    "codegen",
    "--spec",
    "spec.yaml",
    "--client-out",
    "client.rs",
    "--httpmock-out",
    "mocks.rs",
];

/// The lines that follow the line about `file` in codegen's report (`updated`, `created` or
/// `is stale`): its surface summary and classified changes, without their indentation. Empty
/// when there are none (the file is up to date, say).
pub fn surface_lines(report: &str, file: &str) -> Vec<String> {
    let about = |line: &str| {
        line.contains(&format!("/{file} (")) || line.contains(&format!("/{file} is stale:"))
    };
    report
        .lines()
        .skip_while(|line| !about(line))
        .skip(1)
        .take_while(|line| line.starts_with("surface: ") || line.starts_with("  "))
        .map(|line| line.trim_start().to_owned())
        .collect()
}

/// The sorted names of the files in `dir`.
pub fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list dir")
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `command` blind to the environment of a git hook that may run the tests.
fn git_blind(mut command: Command) -> Command {
    command
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    command
}

/// Each generated package as `cargo xtask semver` finds it in a workspace: its name, its
/// directory and its generated file.
pub const PACKAGES: [(&str, &str, &str); 2] = [
    (
        "room-sessions-api",
        "crates/room-sessions-api",
        "crates/room-sessions-api/src/generated.rs",
    ),
    (
        "room-sessions-httpmock",
        "crates/room-sessions-httpmock",
        "crates/room-sessions-httpmock/src/generated.rs",
    ),
];

/// A workspace in a temp dir, laid out like this one as far as `cargo xtask semver` reads it
/// (each generated package's manifest and generated file), in a git repository of its own.
pub struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    /// An empty git repository with a first commit holding only a README.
    pub fn new() -> Self {
        let workspace = Self {
            dir: tempfile::tempdir().expect("create temp dir"),
        };
        workspace.git(&["init", "--quiet", "--initial-branch=main"]);
        workspace.write(
            "README.md",
            "A workspace for the tests of cargo xtask semver.\n",
        );
        workspace.commit("Start");
        workspace
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, relative: &str, contents: &str) {
        let path = self.path().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    /// Writes both generated files from `spec_text` and gives both packages `version`.
    pub fn generate(&self, spec_text: &str, version: &str) {
        self.write_generated(spec_text);
        self.set_version(0, version);
        self.set_version(1, version);
    }

    /// Writes both generated files from `spec_text`, with `cargo xtask codegen`.
    pub fn write_generated(&self, spec_text: &str) {
        let spec_dir = tempfile::tempdir().unwrap();
        fs::write(spec_dir.path().join("spec.yaml"), spec_text).unwrap();
        let [client, mocks] = PACKAGES.map(|(_, _, file)| self.path().join(file));
        for file in [&client, &mocks] {
            fs::create_dir_all(file.parent().unwrap()).unwrap();
        }
        let (client, mocks) = (client.to_str().unwrap(), mocks.to_str().unwrap());
        let args = ["codegen", "--spec", "spec.yaml", "--client-out", client];
        xtask_ok(
            spec_dir.path(),
            &[&args[..], &["--httpmock-out", mocks]].concat(),
        );
    }

    /// Writes the manifest of package `index` of [`PACKAGES`] with `version`.
    pub fn set_version(&self, index: usize, version: &str) {
        let (package, dir, _) = PACKAGES[index];
        self.write(
            &format!("{dir}/Cargo.toml"),
            &format!(
                "[package]\nname = \"{package}\"\nversion = \"{version}\"\nedition = \"2024\"\n"
            ),
        );
    }

    /// Commits everything.
    pub fn commit(&self, message: &str) {
        self.git(&["add", "--all"]);
        self.git(&["commit", "--quiet", "--allow-empty", "-m", message]);
    }

    pub fn tag(&self, name: &str) {
        self.git(&["tag", name]);
    }

    /// Runs git in the workspace, which must succeed; its trimmed stdout.
    pub fn git(&self, args: &[&str]) -> String {
        git(self.path(), args)
    }

    /// Runs `cargo xtask semver ARGS` on the workspace.
    pub fn semver(&self, args: &[&str]) -> Run {
        let workspace = self.path().to_str().unwrap();
        xtask(
            self.path(),
            &[&["semver", "--workspace", workspace], args].concat(),
        )
    }
}

/// Runs git in `dir` with a fixed identity and no user configuration, which must succeed; its
/// trimmed stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = git_blind(Command::new("git"))
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .args(args)
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}
