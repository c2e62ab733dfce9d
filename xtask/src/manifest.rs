//! A package's name and version from the text of its `Cargo.toml`, as cargo reads them: a
//! version inherited from the workspace (`version.workspace = true`) comes from the root
//! manifest's `[workspace.package]`, and a missing version is `0.0.0`.

use ::semver::Version;
use anyhow::{Context, Result, anyhow, bail};
use toml_edit::{Document, Item};

/// What `cargo xtask semver` needs from a package's manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Package {
    /// `package.name`.
    pub(crate) name: String,
    /// `package.version`, resolved.
    pub(crate) version: Version,
}

/// Reads the package of `manifest` (the text of a package's `Cargo.toml`, shown in messages as
/// `shown`), taking an inherited version from `workspace` (the text of the root
/// `Cargo.toml`), read only when it is needed.
pub(crate) fn package(
    manifest: &str,
    shown: &str,
    workspace: impl FnOnce() -> Result<String>,
) -> Result<Package> {
    let document = parse(manifest, shown)?;
    let package = document
        .get("package")
        .ok_or_else(|| anyhow!("{shown}: no [package] table"))?;
    let name = package
        .get("name")
        .and_then(Item::as_str)
        .ok_or_else(|| anyhow!("{shown}: no package.name"))?
        .to_owned();
    let version = match package.get("version") {
        // Cargo's default since the field became optional.
        None => Version::new(0, 0, 0),
        Some(item) if is_inherited(item) => {
            let root = workspace()?;
            let root_document = parse(&root, "the workspace's Cargo.toml")?;
            let inherited = root_document
                .get("workspace")
                .and_then(|w| w.get("package"))
                .and_then(|p| p.get("version"))
                .ok_or_else(|| {
                    anyhow!(
                        "{shown} inherits its version, but the workspace's Cargo.toml has no \
                         workspace.package.version"
                    )
                })?;
            version_of(
                inherited,
                "workspace.package.version in the workspace's Cargo.toml",
            )?
        }
        Some(item) => version_of(item, &format!("package.version in {shown}"))?,
    };
    Ok(Package { name, version })
}

fn parse(text: &str, shown: &str) -> Result<Document<String>> {
    Document::parse(text.to_owned()).with_context(|| format!("{shown} is not valid TOML"))
}

/// `version.workspace = true`, written inline or as a dotted key.
fn is_inherited(item: &Item) -> bool {
    item.get("workspace").and_then(Item::as_bool) == Some(true)
}

fn version_of(item: &Item, shown: &str) -> Result<Version> {
    let Some(text) = item.as_str() else {
        bail!("{shown} is not a string");
    };
    Version::parse(text).with_context(|| format!("{shown} is not a semantic version: {text:?}"))
}
