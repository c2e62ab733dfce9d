//! Helpers shared by the tests of the surface classification and of `cargo xtask semver`:
//! specs edited from the fixture, generated into strings or into a temp workspace that is a
//! git repository.

#![allow(dead_code)] // Each test file uses a part.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::generate::{OUTPUTS, Output};
use xtask::render;

/// The small spec the xtask tests generate from.
pub const FIXTURE: &str = include_str!("../fixtures/mini.yaml");

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

/// The file `output` generates from `spec_text` (written to a temp file first).
pub fn generate(spec_text: &str, output: &Output) -> String {
    let dir = tempfile::tempdir().expect("create temp dir");
    let spec = dir.path().join("spec.yaml");
    fs::write(&spec, spec_text).expect("write spec");
    render(&spec, output)
        .unwrap_or_else(|e| panic!("cannot generate the {}: {e:#}", output.name))
        .code
}

/// A workspace in a temp dir, laid out like this one as far as `cargo xtask semver` reads it
/// (each output's package manifest and generated file), in a git repository of its own.
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
        self.set_versions(version);
    }

    /// Writes both generated files from `spec_text`.
    pub fn write_generated(&self, spec_text: &str) {
        for output in OUTPUTS {
            self.write(output.path, &generate(spec_text, output));
        }
    }

    /// Writes the manifest of every package with `version`.
    pub fn set_versions(&self, version: &str) {
        for output in OUTPUTS {
            self.set_version(output, version);
        }
    }

    /// Writes the manifest of `output`'s package with `version`.
    pub fn set_version(&self, output: &Output, version: &str) {
        self.write(
            &format!("{}/Cargo.toml", output.package_dir),
            &format!(
                "[package]\nname = \"{}\"\nversion = \"{version}\"\nedition = \"2024\"\n",
                output.package
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

    /// Runs git in the workspace with a fixed identity, and panics if it fails.
    pub fn git(&self, args: &[&str]) -> String {
        git(self.path(), args)
    }
}

/// Runs git in `dir` with a fixed identity, and panics if it fails.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = git_command(dir).args(args).output().expect("run git");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// git in `dir`, blind to the environment of a git hook that may run the tests and to the
/// user's configuration.
pub fn git_command(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com");
    command
}

/// The xtask binary's path.
pub fn xtask_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_xtask"))
}
