//! `cargo xtask codegen`: every output of [`crate::generate::OUTPUTS`] generated from one spec,
//! then written or, in check mode, compared.

use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::classify::Classified;
use crate::generate::{self, Output, REGENERATE_COMMAND};
use crate::paths::{absolute, display_path, header_spec_label};
use crate::surface::Surface;
use crate::write::{self, Status};

/// The last line of a failed check: what to do about a stale generated file.
const STALE_HINT: &str = "run `cargo xtask codegen` and commit the result";

/// What `cargo xtask codegen` should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CodegenOptions {
    /// The OpenAPI 3.0.x spec to read (`.yaml`, `.yml` or `.json`). A relative path is taken
    /// from the current directory.
    pub(crate) spec: PathBuf,
    /// Each output to generate (at most once), and the Rust file it goes to.
    pub(crate) targets: Vec<(&'static Output, PathBuf)>,
    /// Only compare: never write, report a stale or missing output instead.
    pub(crate) check: bool,
}

/// The result of a [`codegen`] run that got as far as comparing with the outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Report {
    /// Things worth a look that did not stop generation (e.g. a replacement in
    /// [`generate::REPLACEMENTS`] that matches no schema of the spec).
    pub(crate) warnings: Vec<String>,
    /// `false` when a check found an output missing or stale (exit status 1).
    pub(crate) success: bool,
    /// One paragraph per output, failures last, so that a failed check ends with what to do.
    pub(crate) text: String,
}

/// Runs `cargo xtask codegen`: generates every target from `opts.spec`, then writes each
/// one that changed or, with `opts.check`, compares only.
///
/// Every validation, the whole generation of every target and the reading of every output
/// happen before anything is written, so bad input never leaves a changed or partial output
/// file. A stale check is not an error: it returns a [`Report`] without success.
pub(crate) fn codegen(opts: &CodegenOptions) -> Result<Report> {
    let spec = absolute(&opts.spec)?;
    let mut targets: Vec<(&'static Output, PathBuf)> = Vec::new();
    for (output, path) in &opts.targets {
        let path = absolute(path)?;
        if let Some((other, _)) = targets.iter().find(|(_, other)| *other == path) {
            let (first, second, path) = (other.name, output.name, display_path(&path));
            bail!("the {first} and {second} outputs both go to {path}");
        }
        targets.push((output, path));
    }
    let openapi = crate::spec::load(&spec)?;
    let mut warnings = generate::replacement_warnings(&openapi);
    // Generate and read everything first: an error past this point can only be a failed write.
    let mut planned = Vec::with_capacity(targets.len());
    for (output, out) in targets {
        let (shown, label) = (display_path(&spec), header_spec_label(&spec));
        let code = generate::generate(&openapi, output, &shown, &label)?;
        let existing = write::read_existing(&out)?;
        planned.push((out, code, existing));
    }
    let (mut passed, mut failed) = (Vec::new(), Vec::new());
    for (out, code, existing) in planned {
        let status = match opts.check {
            true => write::check(&out, existing.as_deref(), &code),
            false => write::write_if_changed(&out, existing.as_deref(), &code)?,
        };
        let out = display_path(&out);
        let surface = match (&status, existing.as_deref()) {
            (Status::Updated { .. } | Status::Stale { .. }, Some(previous)) => {
                surface_changes(previous, &code).unwrap_or_else(|e| {
                    warnings.push(format!(
                        "cannot say what changed in the surface of {out}: {e:#}"
                    ));
                    None
                })
            }
            _ => None,
        };
        let surface = surface.map(|s| s.to_string()).unwrap_or_default();
        let spec = display_path(&spec);
        let (paragraphs, text) = match status {
            Status::Created { lines } => (&mut passed, format!("created {out} ({lines} lines)")),
            Status::Updated {
                lines,
                previous_lines,
            } => {
                let updated = format!("updated {out} ({lines} lines, was {previous_lines})\n");
                (&mut passed, updated + surface.trim_end())
            }
            Status::UpToDate => (&mut passed, format!("{out} is up to date")),
            Status::Missing => (
                &mut failed,
                format!("{out} does not exist; it is generated from {spec}\n{STALE_HINT}"),
            ),
            Status::Stale { diff } => (
                &mut failed,
                format!(
                    "{out} is stale: it differs from what `{REGENERATE_COMMAND}` generates from \
                     {spec}\n{surface}{diff}{STALE_HINT}"
                ),
            ),
        };
        paragraphs.push(text.trim_end().to_owned());
    }
    let success = failed.is_empty();
    let text = [passed, failed].concat().join("\n");
    Ok(Report {
        warnings,
        success,
        text,
    })
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
