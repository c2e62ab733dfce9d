//! Reading a repository with the `git` command: revisions, release tags, and files as they were
//! at a commit (`git show REV:PATH`), without checking anything out.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Why the repository could not be read. Each of these means the comparison `cargo xtask
/// semver` makes cannot be made as asked (exit status 2).
#[derive(Debug, thiserror::Error)]
pub(crate) enum GitError {
    /// The `git` program is not installed or not on `PATH`. `cargo xtask semver` reads the
    /// released state of the generated files with it.
    #[error("cannot run git: {0}")]
    Unavailable(io::Error),
    /// The workspace is not inside a git repository (an unpacked source archive, say): there is
    /// no released state to compare with.
    #[error("{} is not in a git repository", .0.display())]
    NotARepository(PathBuf),
    /// The revision does not name a commit of the repository: a typo, a tag that was not
    /// fetched, or, in a shallow clone, a commit older than the history fetched (fetch more
    /// with `git fetch --unshallow --tags`).
    #[error("{rev:?} is not a commit of this repository{}", shallow_note(*.shallow))]
    BadRevision {
        /// The revision as given.
        rev: String,
        /// Whether the clone is shallow.
        shallow: bool,
    },
    /// The clone is shallow (CI checkouts often are, e.g. `actions/checkout` without
    /// `fetch-depth: 0`) and has no release tag: its oldest commit is not the repository's root
    /// commit, so there is nothing sound to compare with. Fetch the history and tags
    /// (`git fetch --unshallow --tags`) or name a base with `--base`.
    #[error(
        "the clone is shallow and has no {tag_pattern} tag: the root commit to compare with is missing"
    )]
    ShallowWithoutBase {
        /// The tags looked for, such as `room-sessions-api-v*`.
        tag_pattern: String,
    },
    /// git failed in a way none of the above explains; its message is kept.
    #[error("`git {command}` failed: {message}")]
    Failed {
        /// The arguments, without the `-C DIR`.
        command: String,
        /// What git printed on stderr, trimmed.
        message: String,
    },
}

fn shallow_note(shallow: bool) -> &'static str {
    if shallow {
        " (the clone is shallow: the commit may be older than the history fetched)"
    } else {
        ""
    }
}

/// A git repository, seen from a directory inside its work tree.
#[derive(Debug, Clone)]
pub(crate) struct Repository {
    /// The directory the paths of [`Repository::read`] are relative to.
    dir: PathBuf,
    /// `dir` relative to the top of the work tree, with a trailing `/` (empty at the top).
    prefix: String,
    /// Whether the clone is shallow.
    shallow: bool,
}

impl Repository {
    /// The repository whose work tree holds `dir`; paths given to [`Repository::read`] are
    /// relative to `dir`.
    pub(crate) fn open(dir: &Path) -> Result<Self, GitError> {
        let output = run(
            dir,
            &["rev-parse", "--is-inside-work-tree", "--show-prefix"],
        )?;
        if !output.status.success() {
            let message = stderr(&output);
            if message.contains("not a git repository") {
                return Err(GitError::NotARepository(dir.to_path_buf()));
            }
            return Err(failed("rev-parse --show-prefix", message));
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        let mut lines = stdout.lines();
        if lines.next() != Some("true") {
            return Err(GitError::NotARepository(dir.to_path_buf()));
        }
        let prefix = lines.next().unwrap_or_default().to_owned();
        let shallow = git_text(dir, &["rev-parse", "--is-shallow-repository"])? == "true";
        Ok(Self {
            dir: dir.to_path_buf(),
            prefix,
            shallow,
        })
    }

    /// The full id of the commit `rev` names (a branch, a tag, `HEAD~2`, an id).
    pub(crate) fn resolve(&self, rev: &str) -> Result<String, GitError> {
        let bad = || GitError::BadRevision {
            rev: rev.to_owned(),
            shallow: self.shallow,
        };
        // A revision that looks like an option would be read as one.
        if rev.is_empty() || rev.starts_with('-') {
            return Err(bad());
        }
        let spec = format!("{rev}^{{commit}}");
        let output = run(&self.dir, &["rev-parse", "--verify", "--quiet", &spec])?;
        if !output.status.success() {
            return Err(bad());
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }

    /// The tags reachable from `HEAD` whose names start with `prefix`.
    pub(crate) fn tags(&self, prefix: &str) -> Result<Vec<String>, GitError> {
        let pattern = format!("{prefix}*");
        let text = git_text(&self.dir, &["tag", "--list", "--merged", "HEAD", &pattern])?;
        Ok(text.lines().map(str::to_owned).collect())
    }

    /// The root commit of `HEAD`'s history (the oldest, if there are several).
    ///
    /// In a shallow clone the oldest commit fetched only looks like a root: that is
    /// [`GitError::ShallowWithoutBase`], naming the tags looked for first (`tag_pattern`).
    pub(crate) fn root_commit(&self, tag_pattern: &str) -> Result<String, GitError> {
        if self.shallow {
            return Err(GitError::ShallowWithoutBase {
                tag_pattern: tag_pattern.to_owned(),
            });
        }
        let text = git_text(&self.dir, &["rev-list", "--max-parents=0", "HEAD"])?;
        text.lines()
            .last()
            .map(str::to_owned)
            .ok_or_else(|| failed("rev-list --max-parents=0 HEAD", "no commit".to_owned()))
    }

    /// The abbreviated id of a commit, for messages.
    pub(crate) fn short(&self, commit: &str) -> String {
        git_text(&self.dir, &["rev-parse", "--short", commit])
            .unwrap_or_else(|_| commit.chars().take(12).collect())
    }

    /// The contents of `path` (relative to the directory the repository was opened from) at
    /// `commit`, or `None` if it did not exist there.
    pub(crate) fn read(&self, commit: &str, path: &str) -> Result<Option<String>, GitError> {
        let object = format!("{commit}:{}{path}", self.prefix);
        let exists = run(&self.dir, &["cat-file", "-e", &object])?;
        if !exists.status.success() {
            return Ok(None);
        }
        let output = run(&self.dir, &["show", &object])?;
        if !output.status.success() {
            return Err(failed(&format!("show {object}"), stderr(&output)));
        }
        String::from_utf8(output.stdout)
            .map(Some)
            .map_err(|_| failed(&format!("show {object}"), "not UTF-8 text".to_owned()))
    }
}

fn run(dir: &Path, args: &[&str]) -> Result<Output, GitError> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        // git's messages are read (`not a git repository`), so they must be in English.
        .env("LC_ALL", "C")
        .output()
        .map_err(GitError::Unavailable)
}

/// The trimmed stdout of a git command that must succeed.
fn git_text(dir: &Path, args: &[&str]) -> Result<String, GitError> {
    let output = run(dir, args)?;
    if !output.status.success() {
        return Err(failed(&args.join(" "), stderr(&output)));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).trim().to_owned()
}

fn failed(command: &str, message: String) -> GitError {
    GitError::Failed {
        command: command.to_owned(),
        message,
    }
}
