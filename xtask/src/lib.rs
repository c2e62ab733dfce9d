//! Developer tasks for this workspace, run as `cargo xtask <command>`.
//!
//! The only task so far is `codegen`: it turns the OpenAPI spec
//! ([`DEFAULT_SPEC`]) into the checked-in Rust client ([`DEFAULT_OUT`]) with
//! progenitor used as a library, and with `--check` verifies that the checked-in
//! file is current. It is a library as well as a binary so that tests can call
//! [`codegen`] directly; `xtask/tests/committed.rs` does so in check mode, which
//! makes a plain `cargo test` fail while the generated file is stale.
//!
//! The pipeline, one module per step:
//! 1. [`spec`]: read the spec (YAML or JSON) and validate what progenitor would
//!    otherwise reject late, vaguely or with a panic;
//! 2. [`generate`]: run progenitor, format with prettyplease, prepend a header;
//! 3. [`write`]: compare with the file on disk, then write it atomically, or in
//!    check mode report a bounded unified diff.
//!
//! [`cli`] parses the command line for the thin `main.rs`; [`surface`] reads the public
//! surface of generated code, so a rewrite can say what changed for users.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub mod cli;
pub mod generate;
pub mod spec;
pub mod surface;
pub mod write;

/// The spec `cargo xtask codegen` reads by default, relative to the workspace root.
pub const DEFAULT_SPEC: &str = "openapi/room_sessions.yaml";

/// The file `cargo xtask codegen` writes by default, relative to the workspace root.
pub const DEFAULT_OUT: &str = "crates/room-sessions-api/src/generated.rs";

/// The command that regenerates the client; error messages tell people to run it.
pub const REGENERATE_COMMAND: &str = "cargo xtask codegen";

/// The last line of a failed check: what to do about a stale generated file.
pub const STALE_HINT: &str = "run `cargo xtask codegen` and commit the result";

/// The workspace root, fixed at compile time (the parent of `xtask/`), so the
/// defaults work whatever the current directory is.
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the xtask crate lives in a directory of the workspace root")
}

/// A path for messages: relative to the workspace root (with `/` separators)
/// when it lies inside it, otherwise as given.
pub fn display_path(path: &Path) -> String {
    match relative_to_root(path) {
        Some(relative) => relative,
        None => path.display().to_string(),
    }
}

/// `path` relative to the workspace root with `/` separators, or `None` if it
/// lies outside the root. Compares canonical paths when the file exists, so
/// `./`, `..` and symlinked temp directories do not matter.
pub(crate) fn relative_to_root(path: &Path) -> Option<String> {
    let root = workspace_root();
    let pairs = [
        (path.canonicalize().ok(), root.canonicalize().ok()),
        (std::path::absolute(path).ok(), Some(root.to_path_buf())),
    ];
    pairs.into_iter().find_map(|(path, root)| {
        let (path, root) = (path?, root?);
        let relative = path.strip_prefix(&root).ok()?;
        let parts: Vec<_> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(parts.join("/"))
    })
}

/// How the generated header names the spec: its path relative to the workspace
/// root with `/` separators, so the file is identical on every machine; a spec
/// outside the workspace is named by its file name only (never an absolute path).
pub fn header_spec_label(spec_path: &Path) -> String {
    relative_to_root(spec_path).unwrap_or_else(|| {
        let name = spec_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        format!("{name} (outside the workspace)")
    })
}

/// What `cargo xtask codegen` should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodegenOptions {
    /// The OpenAPI 3.0.x spec to read (`.yaml`, `.yml` or `.json`). A relative
    /// path is taken from the current directory.
    pub spec: PathBuf,
    /// The Rust file to write or check. A relative path is taken from the
    /// current directory.
    pub out: PathBuf,
    /// Only compare: never write, report a stale or missing output instead.
    pub check: bool,
}

impl Default for CodegenOptions {
    /// The workspace's spec and generated file (absolute paths), not in check mode.
    fn default() -> Self {
        Self {
            spec: workspace_root().join(DEFAULT_SPEC),
            out: workspace_root().join(DEFAULT_OUT),
            check: false,
        }
    }
}

/// The result of a [`codegen`] run that got as far as comparing with the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The spec the code was generated from.
    pub spec: PathBuf,
    /// The generated file that was written or checked.
    pub out: PathBuf,
    /// What happened to it.
    pub status: Status,
    /// Things worth a look that did not stop generation (e.g. a replacement in
    /// [`generate::REPLACEMENTS`] that matches no schema of the spec).
    pub warnings: Vec<String>,
    /// When the file was rewritten (or, in check mode, is stale): what changed in the
    /// client's public surface. `None` when the file was created or is up to date, or when
    /// the previous file could not be parsed as Rust.
    pub surface_changes: Option<surface::SurfaceChanges>,
}

/// What [`codegen`] did with the output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The file did not exist and was written.
    Created {
        /// Lines in the new file.
        lines: usize,
    },
    /// The file existed with other contents and was replaced.
    Updated {
        /// Lines in the new file.
        lines: usize,
        /// Lines in the file it replaced.
        previous_lines: usize,
    },
    /// The file already had exactly the generated contents; it was not touched.
    UpToDate,
    /// Check mode: the file does not exist.
    Missing,
    /// Check mode: the file differs from what would be generated.
    Stale {
        /// Unified diff from the file on disk to the generated code, cut to
        /// [`write::MAX_DIFF_LINES`] lines.
        diff: String,
    },
}

impl Outcome {
    /// `false` when a check found the output missing or stale (exit status 1).
    pub fn is_success(&self) -> bool {
        !matches!(self.status, Status::Missing | Status::Stale { .. })
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let out = display_path(&self.out);
        match &self.status {
            Status::Created { lines } => write!(f, "created {out} ({lines} lines)"),
            Status::Updated {
                lines,
                previous_lines,
            } => {
                write!(f, "updated {out} ({lines} lines, was {previous_lines})")?;
                if let Some(changes) = &self.surface_changes {
                    write!(f, "\n{}", changes.to_string().trim_end())?;
                }
                Ok(())
            }
            Status::UpToDate => write!(f, "{out} is up to date"),
            Status::Missing => write!(
                f,
                "{out} does not exist; it is generated from {}\n{STALE_HINT}",
                display_path(&self.spec)
            ),
            Status::Stale { diff } => {
                let surface = self
                    .surface_changes
                    .as_ref()
                    .map(|changes| changes.to_string())
                    .unwrap_or_default();
                write!(
                    f,
                    "{out} is stale: it differs from what `{REGENERATE_COMMAND}` generates from {}\n\
                     {surface}{diff}{STALE_HINT}",
                    display_path(&self.spec)
                )
            }
        }
    }
}

/// Generated code, not yet compared with anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The complete file: header, then the formatted code.
    pub code: String,
    /// See [`Outcome::warnings`].
    pub warnings: Vec<String>,
}

/// Loads and validates `spec_path` and generates the file contents, without
/// touching the output. Same spec, same bytes.
pub fn render(spec_path: &Path) -> Result<Rendered> {
    let spec = spec::load(spec_path)?;
    let warnings = generate::replacement_warnings(&spec.openapi);
    let code = generate::generate(
        &spec.openapi,
        &display_path(spec_path),
        &header_spec_label(spec_path),
    )?;
    Ok(Rendered { code, warnings })
}

/// Runs `cargo xtask codegen`: generates code from `opts.spec`, then writes it
/// to `opts.out` if it changed or, with `opts.check`, compares only.
///
/// Every validation and the whole generation happen before the output is
/// looked at, so an error never leaves a changed or partial output file.
/// A stale check is not an error: it returns an [`Outcome`] whose
/// [`Outcome::is_success`] is `false`.
pub fn codegen(opts: &CodegenOptions) -> Result<Outcome> {
    let spec = absolute(&opts.spec)?;
    let out = absolute(&opts.out)?;
    let rendered = render(&spec)?;
    // Read before writing: the surface summary compares the previous file with the new one.
    let previous = std::fs::read_to_string(&out).ok();
    let status = if opts.check {
        write::check(&out, &rendered.code)?
    } else {
        write::write_if_changed(&out, &rendered.code)?
    };
    let surface_changes = match status {
        Status::Updated { .. } | Status::Stale { .. } => previous
            .as_deref()
            .and_then(|previous| surface_changes(previous, &rendered.code)),
        _ => None,
    };
    Ok(Outcome {
        spec,
        out,
        status,
        warnings: rendered.warnings,
        surface_changes,
    })
}

/// What changed in the public surface from `previous` to `generated`; `None` if `previous`
/// is not Rust that parses (it is then reported by the diff alone).
fn surface_changes(previous: &str, generated: &str) -> Option<surface::SurfaceChanges> {
    let old = surface::Surface::from_source(previous).ok()?;
    let new = surface::Surface::from_source(generated).ok()?;
    Some(new.changes_since(&old))
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).with_context(|| format!("cannot resolve path {}", path.display()))
}
