//! What happens to one output file: compare generated code with what is on disk, write it
//! atomically when it changed, and the bounded diff that check mode prints.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};
use similar::TextDiff;

use crate::paths::display_path;

/// Check mode prints at most this many lines of diff, then "... N more lines".
pub(crate) const MAX_DIFF_LINES: usize = 200;

/// What became of an output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Status {
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
        /// [`MAX_DIFF_LINES`] lines.
        diff: String,
    },
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
    match existing {
        None => Status::Missing,
        Some(current) if current == expected.as_bytes() => Status::UpToDate,
        Some(current) => {
            let shown = display_path(path);
            let diff = unified_diff(
                &String::from_utf8_lossy(current),
                expected,
                &format!("a/{shown}"),
                &format!("b/{shown}"),
                MAX_DIFF_LINES,
            );
            Status::Stale { diff }
        }
    }
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

/// Writes a temporary file next to `path`, then renames it over `path`, so
/// readers see either the old or the new file, never a partial one. The
/// existing file's permissions are kept.
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
    let temp = temp_path(dir, &file_name.to_string_lossy());
    let result = (|| -> Result<()> {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .with_context(|| format!("cannot create temporary file {}", temp.display()))?;
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        if let Ok(metadata) = fs::metadata(path) {
            fs::set_permissions(&temp, metadata.permissions())?;
        }
        fs::rename(&temp, path)
            .with_context(|| format!("cannot rename {} to {}", temp.display(), path.display()))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

fn temp_path(dir: &Path, file_name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".{file_name}.{}.{n}.tmp", std::process::id()))
}

/// A unified diff (3 lines of context) from `old` to `new`, cut after
/// `max_lines` lines with a final `... N more lines`. Empty if they are equal.
pub(crate) fn unified_diff(
    old: &str,
    new: &str,
    old_label: &str,
    new_label: &str,
    max_lines: usize,
) -> String {
    let diff = TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_label, new_label)
        .to_string();
    let total = diff.lines().count();
    if total <= max_lines {
        return diff;
    }
    let mut cut: String = diff
        .lines()
        .take(max_lines)
        .flat_map(|line| [line, "\n"])
        .collect();
    cut.push_str(&format!("... {} more lines\n", total - max_lines));
    cut
}
