//! `cargo xtask codegen`: every output of [`OUTPUTS`] generated from one spec, then written
//! or, in check mode, compared.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::classify::Classified;
use crate::generate::{self, OUTPUTS, Output, REGENERATE_COMMAND};
use crate::paths::{DEFAULT_SPEC, absolute, display_path, header_spec_label, workspace_root};
use crate::surface::Surface;
use crate::write::{self, Status};

/// The last line of a failed check: what to do about a stale generated file.
pub(crate) const STALE_HINT: &str = "run `cargo xtask codegen` and commit the result";

/// One output and the file it goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    /// What is generated.
    pub(crate) output: &'static Output,
    /// The Rust file to write or check. A relative path is taken from the current directory.
    pub(crate) path: PathBuf,
}

impl Target {
    /// `output` at its default path in the workspace (absolute).
    pub(crate) fn default_for(output: &'static Output) -> Self {
        Self {
            output,
            path: workspace_root().join(output.path),
        }
    }
}

/// What `cargo xtask codegen` should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CodegenOptions {
    /// The OpenAPI 3.0.x spec to read (`.yaml`, `.yml` or `.json`). A relative
    /// path is taken from the current directory.
    pub(crate) spec: PathBuf,
    /// The files to generate, each at most once.
    pub(crate) targets: Vec<Target>,
    /// Only compare: never write, report a stale or missing output instead.
    pub(crate) check: bool,
}

impl Default for CodegenOptions {
    /// The workspace's spec and every output at its default path (absolute), not in check
    /// mode.
    fn default() -> Self {
        Self {
            spec: workspace_root().join(DEFAULT_SPEC),
            targets: OUTPUTS.iter().copied().map(Target::default_for).collect(),
            check: false,
        }
    }
}

/// The result of a [`codegen`] run that got as far as comparing with the outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Report {
    /// The spec the code was generated from.
    pub(crate) spec: PathBuf,
    /// Things worth a look that did not stop generation (e.g. a replacement in
    /// [`generate::REPLACEMENTS`] that matches no schema of the spec).
    pub(crate) warnings: Vec<String>,
    /// One per target, in the order of [`CodegenOptions::targets`].
    pub(crate) outcomes: Vec<Outcome>,
}

impl Report {
    /// `false` when a check found any output missing or stale (exit status 1).
    pub(crate) fn is_success(&self) -> bool {
        self.outcomes.iter().all(Outcome::is_success)
    }
}

impl fmt::Display for Report {
    /// One paragraph per output, failures last, so that a failed check ends with
    /// [`STALE_HINT`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (passed, failed): (Vec<&Outcome>, Vec<&Outcome>) =
            self.outcomes.iter().partition(|o| o.is_success());
        let paragraphs: Vec<String> = passed
            .into_iter()
            .chain(failed)
            .map(ToString::to_string)
            .collect();
        f.write_str(&paragraphs.join("\n"))
    }
}

/// What happened to one output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// Which output.
    pub(crate) output: &'static Output,
    /// The spec it was generated from.
    pub(crate) spec: PathBuf,
    /// The generated file that was written or checked.
    pub(crate) out: PathBuf,
    /// What happened to it.
    pub(crate) status: Status,
    /// When the file was rewritten (or, in check mode, is stale): what changed in its public
    /// surface, each change classified as breaking or compatible. `None` when the file was
    /// created or is up to date, or when the previous file could not be parsed as Rust.
    pub(crate) surface_changes: Option<Classified>,
}

impl Outcome {
    /// `false` when a check found the output missing or stale.
    pub(crate) fn is_success(&self) -> bool {
        self.status.is_success()
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let out = display_path(&self.out);
        let surface = self
            .surface_changes
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        match &self.status {
            Status::Created { lines } => write!(f, "created {out} ({lines} lines)"),
            Status::Updated {
                lines,
                previous_lines,
            } => {
                write!(f, "updated {out} ({lines} lines, was {previous_lines})")?;
                if !surface.is_empty() {
                    write!(f, "\n{}", surface.trim_end())?;
                }
                Ok(())
            }
            Status::UpToDate => write!(f, "{out} is up to date"),
            Status::Missing => write!(
                f,
                "{out} does not exist; it is generated from {}\n{STALE_HINT}",
                display_path(&self.spec)
            ),
            Status::Stale { diff } => write!(
                f,
                "{out} is stale: it differs from what `{REGENERATE_COMMAND}` generates from {}\n\
                 {surface}{diff}{STALE_HINT}",
                display_path(&self.spec)
            ),
        }
    }
}

fn render_loaded(
    openapi: &openapiv3::OpenAPI,
    spec_path: &Path,
    output: &Output,
) -> Result<String> {
    generate::generate(
        openapi,
        output,
        &display_path(spec_path),
        &header_spec_label(spec_path),
    )
}

/// Runs `cargo xtask codegen`: generates every target from `opts.spec`, then writes each
/// one that changed or, with `opts.check`, compares only.
///
/// Every validation, the whole generation of every target and the reading of every output
/// happen before anything is written, so bad input never leaves a changed or partial output
/// file. A stale check is not an error: it returns a [`Report`] whose
/// [`Report::is_success`] is `false`.
pub(crate) fn codegen(opts: &CodegenOptions) -> Result<Report> {
    let spec = absolute(&opts.spec)?;
    let targets = resolve_targets(&opts.targets)?;
    let openapi = crate::spec::load(&spec)?;
    let mut warnings = generate::replacement_warnings(&openapi);
    // Generate and read everything first: an error past this point can only be a failed write.
    let mut planned = Vec::with_capacity(targets.len());
    for (output, out) in targets {
        let code = render_loaded(&openapi, &spec, output)?;
        let existing = write::read_existing(&out)?;
        planned.push((output, out, code, existing));
    }
    let mut outcomes = Vec::with_capacity(planned.len());
    for (output, out, code, existing) in planned {
        let status = if opts.check {
            write::check(&out, existing.as_deref(), &code)
        } else {
            write::write_if_changed(&out, existing.as_deref(), &code)?
        };
        let surface_changes = match (&status, existing.as_deref()) {
            (Status::Updated { .. } | Status::Stale { .. }, Some(previous)) => {
                surface_changes(previous, &code).unwrap_or_else(|e| {
                    let out = display_path(&out);
                    warnings.push(format!(
                        "cannot say what changed in the surface of {out}: {e:#}"
                    ));
                    None
                })
            }
            _ => None,
        };
        outcomes.push(Outcome {
            output,
            spec: spec.clone(),
            out,
            status,
            surface_changes,
        });
    }
    Ok(Report {
        spec,
        warnings,
        outcomes,
    })
}

/// The targets with absolute paths; an error if two go to the same file.
fn resolve_targets(targets: &[Target]) -> Result<Vec<(&'static Output, PathBuf)>> {
    let mut resolved: Vec<(&'static Output, PathBuf)> = Vec::with_capacity(targets.len());
    for target in targets {
        let path = absolute(&target.path)?;
        if let Some((output, _)) = resolved.iter().find(|(_, other)| *other == path) {
            bail!(
                "the {} and {} outputs both go to {}",
                output.name,
                target.output.name,
                display_path(&path)
            );
        }
        resolved.push((target.output, path));
    }
    Ok(resolved)
}

/// What changed in the public surface from `previous` to `generated`, classified; `None` if
/// `previous` is not Rust in the shapes the surface reader knows (the diff alone reports it).
/// An error names what the surface reader does not know in `generated`.
fn surface_changes(previous: &[u8], generated: &str) -> Result<Option<Classified>> {
    let new = Surface::from_source(generated)?;
    let old = std::str::from_utf8(previous).ok();
    let old = old.and_then(|previous| Surface::from_source(previous).ok());
    Ok(old.map(|old| Classified::between(&old, &new)))
}
