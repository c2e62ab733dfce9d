//! What happens to one output file: compare generated code with what is on disk, write it
//! atomically when it changed, and the bounded diff that check mode prints.

use std::fs;
use std::io::{self, Write as _};
use std::path::Path;

use anyhow::{Context, Result, bail};
use similar::TextDiff;

use crate::paths::display_path;

/// Check mode prints at most this many lines of diff, then "... N more lines".
const MAX_DIFF_LINES: usize = 200;

/// What became of an output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Status {
    /// The file did not exist and was written (its lines).
    Created { lines: usize },
    /// The file existed with other contents and was replaced (its lines, and the old file's).
    Updated { lines: usize, previous_lines: usize },
    /// The file already had exactly the generated contents; it was not touched.
    UpToDate,
    /// Check mode: the file does not exist.
    Missing,
    /// Check mode: the file differs from what would be generated. `diff` is the unified diff
    /// from the file on disk to the generated code, cut to [`MAX_DIFF_LINES`] lines.
    Stale { diff: String },
}

/// The current contents of `path`, or `None` if it does not exist. Read once per run: the
/// comparison, the write and the surface summary all use these bytes.
pub(crate) fn read_existing(path: &Path) -> Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", display_path(path))),
    }
}

/// Compares `existing` (the contents of `path`) with `expected`; never writes.
pub(crate) fn check(path: &Path, existing: Option<&[u8]>, expected: &str) -> Status {
    let current = match existing {
        None => return Status::Missing,
        Some(current) if current == expected.as_bytes() => return Status::UpToDate,
        Some(current) => String::from_utf8_lossy(current),
    };
    let shown = display_path(path);
    // git's a/ and b/ prefixes only make sense before a path relative to the workspace.
    let (old, new) = if Path::new(&shown).is_absolute() {
        (shown.clone(), shown)
    } else {
        (format!("a/{shown}"), format!("b/{shown}"))
    };
    let diff = TextDiff::from_lines(&*current, expected)
        .unified_diff()
        .context_radius(3)
        .header(&old, &new)
        .to_string();
    let total = diff.lines().count();
    if total <= MAX_DIFF_LINES {
        return Status::Stale { diff };
    }
    let mut cut: String = diff
        .lines()
        .take(MAX_DIFF_LINES)
        .flat_map(|l| [l, "\n"])
        .collect();
    cut.push_str(&format!("... {} more lines\n", total - MAX_DIFF_LINES));
    Status::Stale { diff: cut }
}

/// Writes `contents` to `path` unless `existing` (its contents) is exactly that; the file
/// is untouched (contents and mtime) when it is up to date.
pub(crate) fn write_if_changed(
    path: &Path,
    existing: Option<&[u8]>,
    contents: &str,
) -> Result<Status> {
    if existing == Some(contents.as_bytes()) {
        return Ok(Status::UpToDate);
    }
    write_atomically(path, contents.as_bytes())
        .with_context(|| format!("cannot write {}", display_path(path)))?;
    let lines = contents.lines().count();
    Ok(match existing {
        None => Status::Created { lines },
        Some(previous) => Status::Updated {
            lines,
            previous_lines: String::from_utf8_lossy(previous).lines().count(),
        },
    })
}

/// Writes a temporary file next to `path`, then renames it over `path`, so readers see either
/// the old or the new file, never a partial one. The existing file's permissions are kept; a
/// new file gets the usual ones (so not tempfile's, which are the owner's alone).
pub(crate) fn write_atomically(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        bail!("directory {} does not exist", display_path(dir));
    }
    let Some(file_name) = path.file_name() else {
        bail!("{} is not a file path", path.display());
    };
    let name = file_name.to_string_lossy();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> Result<()> {
        let mut file = fs::File::create_new(&temp)
            .with_context(|| format!("cannot create temporary file {}", temp.display()))?;
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        if let Ok(metadata) = fs::metadata(path) {
            fs::set_permissions(&temp, metadata.permissions())?;
        }
        fs::rename(&temp, path)
            .with_context(|| format!("cannot rename {} to {}", temp.display(), path.display()))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}
