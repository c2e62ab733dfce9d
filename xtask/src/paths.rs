//! Where things are: the workspace root, the default spec, and how paths are shown in
//! messages and in generated headers (the same on every machine).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The spec `cargo xtask codegen` reads by default, relative to the workspace root.
pub(crate) const DEFAULT_SPEC: &str = "openapi/room_sessions.yaml";

/// The workspace root, fixed at compile time (the parent of `xtask/`), so the
/// defaults work whatever the current directory is.
pub(crate) fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the xtask crate lives in a directory of the workspace root")
}

/// A path for messages: relative to the workspace root (with `/` separators)
/// when it lies inside it, otherwise as given.
pub(crate) fn display_path(path: &Path) -> String {
    match relative_to_root(path) {
        Some(relative) => relative,
        None => path.display().to_string(),
    }
}

/// How a generated header names the spec: its path relative to the workspace
/// root with `/` separators, so the file is identical on every machine; a spec
/// outside the workspace is named by its file name only (never an absolute path).
pub(crate) fn header_spec_label(spec_path: &Path) -> String {
    relative_to_root(spec_path).unwrap_or_else(|| {
        let name = spec_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        format!("{name} (outside the workspace)")
    })
}

/// `path` made absolute against the current directory (without touching the file system).
pub(crate) fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).with_context(|| format!("cannot resolve path {}", path.display()))
}

/// `path` relative to the workspace root with `/` separators, or `None` if it
/// lies outside the root. Compares canonical paths when the file exists, so
/// `./`, `..` and symlinked temp directories do not matter.
fn relative_to_root(path: &Path) -> Option<String> {
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
