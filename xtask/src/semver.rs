//! `cargo xtask semver`: for each package of [`OUTPUTS`], compares the public surface of its
//! generated file at a base (the last release) with the working tree's, classifies every
//! change ([`crate::classify`]), and checks that the version in the working tree's
//! `Cargo.toml` is bumped enough over the base's for the most severe one.
//!
//! The base of a package is `--base REV` if given, else its newest `<package>-v*` tag that is
//! an ancestor of `HEAD` (by version), else the repository's root commit. Files at the base are
//! read with git (`git show REV:PATH`), never checked out; the working tree's files are read
//! from disk, so uncommitted changes count. A base where the package or its generated file does
//! not exist yet has no released surface: the check passes.
//!
//! How much is enough ([`Needed`]): a breaking change needs the leftmost non-zero part of the
//! version bumped (the major from 1.0, the minor in 0.x, the patch in 0.0.x); a compatible one
//! needs the minor from 1.0 and the patch before. Any version above a pre-release base passes.

use std::fmt;
use std::fs;
use std::path::PathBuf;

use ::semver::Version;
use anyhow::{Context, Result, anyhow};

use crate::classify::{Class, Classified};
use crate::generate::{OUTPUTS, Output};
use crate::git::{GitError, Repository};
use crate::manifest;
use crate::paths::workspace_root;
use crate::surface::Surface;

/// What `cargo xtask semver` should compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SemverOptions {
    /// The workspace root: a directory of a git work tree that holds the packages at the
    /// paths of [`OUTPUTS`].
    pub(crate) workspace: PathBuf,
    /// The revision to compare with; `None` for each package's last release (see the module
    /// docs).
    pub(crate) base: Option<String>,
}

impl Default for SemverOptions {
    /// This workspace, each package against its last release.
    fn default() -> Self {
        Self {
            workspace: workspace_root().to_path_buf(),
            base: None,
        }
    }
}

/// The result of `cargo xtask semver`: one verdict per package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Report {
    /// In the order of [`OUTPUTS`].
    pub(crate) packages: Vec<PackageReport>,
}

impl Report {
    /// `false` when a package's version is not bumped enough (exit status 1).
    pub(crate) fn is_success(&self) -> bool {
        self.packages.iter().all(PackageReport::passes)
    }
}

impl fmt::Display for Report {
    /// One paragraph per package, separated by blank lines.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let paragraphs: Vec<String> = self.packages.iter().map(ToString::to_string).collect();
        f.write_str(paragraphs.join("\n").trim_end())
    }
}

/// How the base of a package was chosen, and the commit it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Base {
    /// How it was chosen.
    pub(crate) choice: BaseChoice,
    /// The commit's full id.
    pub(crate) commit: String,
    /// The commit's abbreviated id, for messages.
    pub(crate) short: String,
}

/// Where a base came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BaseChoice {
    /// `--base REV`.
    Given(String),
    /// The newest release tag of the package, such as `room-sessions-api-v0.1.0`.
    Tag(String),
    /// The root commit: the package has no release tag yet (the pattern looked for).
    RootCommit(String),
}

impl fmt::Display for Base {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.choice {
            BaseChoice::Given(rev) if self.commit.starts_with(rev.as_str()) => {
                write!(f, "{} (from --base)", self.short)
            }
            BaseChoice::Given(rev) => write!(f, "{rev} ({}, from --base)", self.short),
            BaseChoice::Tag(tag) => write!(f, "{tag} ({}, the newest release tag)", self.short),
            BaseChoice::RootCommit(pattern) => {
                write!(f, "{} (the root commit: no {pattern} tag yet)", self.short)
            }
        }
    }
}

/// The verdict on one package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PackageReport {
    /// The generated file and its package.
    pub(crate) output: &'static Output,
    /// What it was compared with.
    pub(crate) base: Base,
    /// What the comparison found.
    pub(crate) verdict: Verdict,
}

impl PackageReport {
    /// `false` when the version is not bumped enough.
    pub(crate) fn passes(&self) -> bool {
        match &self.verdict {
            Verdict::NoReleasedSurface { .. } => true,
            Verdict::Compared(comparison) => comparison.passes(),
        }
    }
}

impl fmt::Display for PackageReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let package = self.output.package;
        writeln!(f, "{package}: compared with {}", self.base)?;
        match &self.verdict {
            Verdict::NoReleasedSurface { missing } => writeln!(
                f,
                "passes: no released surface ({missing} does not exist at the base)"
            ),
            Verdict::Compared(comparison) => write!(f, "{comparison}"),
        }
    }
}

/// What comparing a package with its base found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The package or its generated file does not exist at the base: nothing was released
    /// that a version could break.
    NoReleasedSurface {
        /// The file that is missing there, relative to the workspace root.
        missing: String,
    },
    /// Both surfaces and versions were read.
    Compared(Comparison),
}

/// The surfaces and versions of a package at its base and in the working tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Comparison {
    /// The package's `Cargo.toml`, relative to the workspace root.
    pub(crate) manifest: String,
    /// The version at the base.
    pub(crate) base_version: Version,
    /// The version in the working tree.
    pub(crate) version: Version,
    /// The changes of the package's own surface.
    pub(crate) changes: Classified,
    /// When the package's API takes the types of another generated package
    /// ([`Output::public_dependency`]) that has breaking changes since the same base: that
    /// package and how many.
    pub(crate) dependency_breaks: Option<(&'static str, usize)>,
}

impl Comparison {
    /// The most severe class of change, counting a public dependency's breaking changes.
    pub(crate) fn class(&self) -> Option<Class> {
        let dependency = self.dependency_breaks.map(|_| Class::Breaking);
        self.changes.class().max(dependency)
    }

    /// The version the changes need, or `None` when nothing changed.
    pub(crate) fn needed(&self) -> Option<Needed> {
        self.class()
            .map(|class| Needed::after(&self.base_version, class))
    }

    /// Whether the working tree's version is enough for the changes.
    pub(crate) fn passes(&self) -> bool {
        self.needed()
            .is_none_or(|needed| needed.allows(&self.version))
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (base_version, version, manifest) = (&self.base_version, &self.version, &self.manifest);
        writeln!(
            f,
            "version {base_version} at the base, {version} in {manifest}"
        )?;
        let Some(needed) = self.needed() else {
            return writeln!(f, "passes: the surface is unchanged");
        };
        write!(f, "{}", self.changes)?;
        if let Some((dependency, count)) = self.dependency_breaks {
            writeln!(
                f,
                "breaking: {dependency}, whose types this crate's API takes, has {count} \
                 breaking change{} since the base",
                if count == 1 { "" } else { "s" }
            )?;
        }
        let class = self.class().unwrap_or(Class::Breaking);
        let count = match class {
            Class::Breaking => {
                self.changes.count(class) + usize::from(self.dependency_breaks.is_some())
            }
            Class::Compatible => self.changes.count(class),
        };
        let changes = format!(
            "{count} {class} change{}",
            if count == 1 { "" } else { "s" }
        );
        if needed.allows(version) {
            writeln!(f, "passes: {version} is enough for {changes} ({needed})")
        } else {
            writeln!(
                f,
                "fails: {changes} need{} version {needed}; {manifest} has {version}",
                if count == 1 { "s" } else { "" }
            )
        }
    }
}

/// The smallest version that may follow a released one after changes of some class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Needed {
    /// This version, a later one, or a pre-release of either (`0.2.0-rc.1` for `0.2.0`).
    AtLeast(Version),
    /// Any version above this pre-release (pre-releases promise no compatibility).
    Above(Version),
}

impl Needed {
    /// What changes of `class` need after `base`.
    pub(crate) fn after(base: &Version, class: Class) -> Self {
        if !base.pre.is_empty() {
            return Needed::Above(base.clone());
        }
        let (major, minor, patch) = (base.major, base.minor, base.patch);
        Needed::AtLeast(match (class, major, minor) {
            (Class::Breaking, 1.., _) => Version::new(major + 1, 0, 0),
            (Class::Breaking, 0, 1..) => Version::new(0, minor + 1, 0),
            (Class::Breaking, 0, 0) => Version::new(0, 0, patch + 1),
            (Class::Compatible, 1.., _) => Version::new(major, minor + 1, 0),
            (Class::Compatible, 0, _) => Version::new(0, minor, patch + 1),
        })
    }

    /// Whether `version` is enough.
    pub(crate) fn allows(&self, version: &Version) -> bool {
        match self {
            Needed::AtLeast(needed) => {
                Version::new(version.major, version.minor, version.patch) >= *needed
            }
            Needed::Above(base) => version > base,
        }
    }
}

impl fmt::Display for Needed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Needed::AtLeast(version) => write!(f, "{version} or later"),
            Needed::Above(version) => write!(f, "above {version}"),
        }
    }
}

/// Runs `cargo xtask semver`: compares every package of [`OUTPUTS`] with its base.
///
/// A [`GitError`] (in the error's chain) means the comparison could not be made as asked: no
/// git, no repository, a bad `--base`, a shallow clone without the base. A package whose
/// version is not bumped enough is not an error: see [`Report::is_success`].
pub(crate) fn semver(options: &SemverOptions) -> Result<Report> {
    let repository = Repository::open(&options.workspace)?;
    let packages = OUTPUTS
        .iter()
        .map(|output| check_package(&repository, options, output))
        .collect::<Result<_>>()?;
    Ok(Report { packages })
}

fn check_package(
    repository: &Repository,
    options: &SemverOptions,
    output: &'static Output,
) -> Result<PackageReport> {
    let base = choose_base(repository, options.base.as_deref(), output.package)?;
    let manifest_path = format!("{}/Cargo.toml", output.package_dir);
    let report = |verdict| PackageReport {
        output,
        base: base.clone(),
        verdict,
    };

    // The working tree first: a broken one is an error whatever the base holds.
    let current = current_surface(options, output)?;
    let version = working_tree_version(options, output, &manifest_path)?;

    let Some(base_manifest) = repository.read(&base.commit, &manifest_path)? else {
        return Ok(report(Verdict::NoReleasedSurface {
            missing: manifest_path,
        }));
    };
    let Some(base_source) = repository.read(&base.commit, output.path)? else {
        return Ok(report(Verdict::NoReleasedSurface {
            missing: output.path.to_owned(),
        }));
    };
    let at_base = format!("{manifest_path} at {}", base.short);
    let base_package = manifest::package(&base_manifest, &at_base, || {
        repository.read(&base.commit, "Cargo.toml")?.ok_or_else(|| {
            anyhow!(
                "the workspace's Cargo.toml does not exist at {}",
                base.short
            )
        })
    })?;
    let base_surface = Surface::from_source(&base_source).with_context(|| {
        format!(
            "cannot read the surface of {} at {}",
            output.path, base.short
        )
    })?;
    let dependency_breaks = match output.public_dependency {
        Some(dependency) => dependency_breaks(repository, options, &base, dependency)?,
        None => None,
    };
    Ok(report(Verdict::Compared(Comparison {
        manifest: manifest_path,
        base_version: base_package.version,
        version,
        changes: Classified::between(&base_surface, &current),
        dependency_breaks,
    })))
}

/// The base of `package`: `given`, else its newest release tag reachable from `HEAD`, else
/// the root commit.
fn choose_base(
    repository: &Repository,
    given: Option<&str>,
    package: &str,
) -> Result<Base, GitError> {
    let base = |choice, commit: String| Base {
        choice,
        short: repository.short(&commit),
        commit,
    };
    if let Some(rev) = given {
        let commit = repository.resolve(rev)?;
        return Ok(base(BaseChoice::Given(rev.to_owned()), commit));
    }
    let prefix = format!("{package}-v");
    let newest = repository
        .tags(&prefix)?
        .into_iter()
        .filter_map(|tag| {
            let version = Version::parse(tag.strip_prefix(&prefix)?).ok()?;
            Some((version, tag))
        })
        .max();
    match newest {
        Some((_, tag)) => {
            let commit = repository.resolve(&tag)?;
            Ok(base(BaseChoice::Tag(tag), commit))
        }
        None => {
            let pattern = format!("{prefix}*");
            let commit = repository.root_commit(&pattern)?;
            Ok(base(BaseChoice::RootCommit(pattern), commit))
        }
    }
}

/// The surface of the generated file on disk.
fn current_surface(options: &SemverOptions, output: &Output) -> Result<Surface> {
    let path = options.workspace.join(output.path);
    let source = fs::read_to_string(&path).with_context(|| {
        format!(
            "cannot read {} (`cargo xtask codegen` writes it)",
            output.path
        )
    })?;
    Surface::from_source(&source)
        .with_context(|| format!("cannot read the surface of {}", output.path))
}

/// The version in the working tree's manifest of the package, which must name it.
fn working_tree_version(
    options: &SemverOptions,
    output: &Output,
    manifest_path: &str,
) -> Result<Version> {
    let read = |relative: &str| {
        let path = options.workspace.join(relative);
        fs::read_to_string(&path).with_context(|| format!("cannot read {relative}"))
    };
    let package = manifest::package(&read(manifest_path)?, manifest_path, || read("Cargo.toml"))?;
    if package.name != output.package {
        return Err(anyhow!(
            "{manifest_path} is the manifest of {}, not of {}",
            package.name,
            output.package
        ));
    }
    Ok(package.version)
}

/// How many breaking changes `dependency`'s generated file has between `base` and the working
/// tree, with its name; `None` when it has none or did not exist at the base.
fn dependency_breaks(
    repository: &Repository,
    options: &SemverOptions,
    base: &Base,
    dependency: &'static Output,
) -> Result<Option<(&'static str, usize)>> {
    let Some(source) = repository.read(&base.commit, dependency.path)? else {
        return Ok(None);
    };
    let old = Surface::from_source(&source).with_context(|| {
        format!(
            "cannot read the surface of {} at {}",
            dependency.path, base.short
        )
    })?;
    let new = current_surface(options, dependency)?;
    let breaking = Classified::between(&old, &new).count(Class::Breaking);
    Ok((breaking > 0).then_some((dependency.package, breaking)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_needed_after_each_kind_of_release() {
        use Class::{Breaking, Compatible};
        for (base, class, needed) in [
            ("0.1.0", Compatible, "0.1.1 or later"),
            ("0.1.3", Breaking, "0.2.0 or later"),
            ("0.0.4", Compatible, "0.0.5 or later"),
            ("0.0.4", Breaking, "0.0.5 or later"),
            ("1.2.3", Compatible, "1.3.0 or later"),
            ("1.2.3", Breaking, "2.0.0 or later"),
            ("0.2.0-rc.1", Breaking, "above 0.2.0-rc.1"),
        ] {
            let base = Version::parse(base).unwrap();
            assert_eq!(
                Needed::after(&base, class).to_string(),
                needed,
                "{base} {class}"
            );
        }
    }

    #[test]
    fn a_version_is_enough_when_it_reaches_the_needed_one() {
        let at_least = Needed::AtLeast(Version::new(0, 2, 0));
        for (version, allowed) in [
            ("0.1.9", false),
            ("0.2.0-rc.1", true),
            ("0.2.0", true),
            ("0.3.0", true),
            ("1.0.0", true),
        ] {
            let version = Version::parse(version).unwrap();
            assert_eq!(at_least.allows(&version), allowed, "{version}");
        }
        let above = Needed::Above(Version::parse("0.2.0-rc.1").unwrap());
        for (version, allowed) in [("0.2.0-rc.1", false), ("0.2.0-rc.2", true), ("0.2.0", true)] {
            let version = Version::parse(version).unwrap();
            assert_eq!(above.allows(&version), allowed, "{version}");
        }
    }
}
