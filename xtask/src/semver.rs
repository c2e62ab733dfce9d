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

/// The verdict on one package: whether its version is bumped enough, and the paragraph of the
/// report that says what it was compared with, what changed and what that needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub(crate) passes: bool,
    pub(crate) report: String,
}

/// Runs `cargo xtask semver`: compares every package of [`OUTPUTS`] with its base.
///
/// A [`GitError`] (in the error's chain) means the comparison could not be made as asked: no
/// git, no repository, a bad `--base`, a shallow clone without the base. A package whose
/// version is not bumped enough is not an error but a verdict that does not pass.
pub(crate) fn semver(options: &SemverOptions) -> Result<Vec<Verdict>> {
    let repository = Repository::open(&options.workspace)?;
    OUTPUTS
        .iter()
        .map(|output| check_package(&repository, options, output))
        .collect()
}

fn check_package(
    repository: &Repository,
    options: &SemverOptions,
    output: &'static Output,
) -> Result<Verdict> {
    let (commit, base) = choose_base(repository, options.base.as_deref(), output.package)?;
    let mut report = format!("{}: compared with {base}\n", output.package);
    let manifest_path = format!("{}/Cargo.toml", output.package_dir);

    // The working tree first: a broken one is an error whatever the base holds.
    let current = current_surface(options, output)?;
    let version = working_tree_version(options, output, &manifest_path)?;

    let short = repository.short(&commit);
    let base_manifest = repository.read(&commit, &manifest_path)?;
    let base_source = match base_manifest {
        Some(_) => repository.read(&commit, output.path)?,
        None => None,
    };
    let (Some(base_manifest), Some(base_source)) = (&base_manifest, base_source) else {
        let missing = match base_manifest {
            None => manifest_path.as_str(),
            Some(_) => output.path,
        };
        report += &format!("passes: no released surface ({missing} does not exist at the base)\n");
        return Ok(Verdict {
            passes: true,
            report,
        });
    };
    let at_base = format!("{manifest_path} at {short}");
    let base_version = manifest::package(base_manifest, &at_base, || {
        let root = repository.read(&commit, "Cargo.toml")?;
        root.ok_or_else(|| anyhow!("the workspace's Cargo.toml does not exist at {short}"))
    })?
    .version;
    let base_surface = Surface::from_source(&base_source)
        .with_context(|| format!("cannot read the surface of {} at {short}", output.path))?;
    let changes = Classified::between(&base_surface, &current);
    let dependency = match output.public_dependency {
        Some(dependency) => dependency_breaks(repository, options, (&commit, &short), dependency)?,
        None => None,
    };

    report += &format!("version {base_version} at the base, {version} in {manifest_path}\n");
    let Some(class) = changes.class().max(dependency.map(|_| Class::Breaking)) else {
        report += "passes: the surface is unchanged\n";
        return Ok(Verdict {
            passes: true,
            report,
        });
    };
    report += &changes.to_string();
    let plural = |count: usize| if count == 1 { "" } else { "s" };
    if let Some((dependency, count)) = dependency {
        report += &format!(
            "breaking: {dependency}, whose types this crate's API takes, has {count} breaking \
             change{} since the base\n",
            plural(count)
        );
    }
    let count =
        changes.count(class) + usize::from(class == Class::Breaking && dependency.is_some());
    let needed = Needed::after(&base_version, class);
    let changes = format!("{count} {class} change{}", plural(count));
    let passes = needed.allows(&version);
    report += &match passes {
        true => format!("passes: {version} is enough for {changes} ({needed})\n"),
        false => format!(
            "fails: {changes} need{} version {needed}; {manifest_path} has {version}\n",
            if count == 1 { "s" } else { "" }
        ),
    };
    Ok(Verdict { passes, report })
}

/// The base of `package` and how it was chosen: `given`, else its newest release tag
/// reachable from `HEAD`, else the root commit.
fn choose_base(
    repository: &Repository,
    given: Option<&str>,
    package: &str,
) -> Result<(String, String), GitError> {
    if let Some(rev) = given {
        let commit = repository.resolve(rev)?;
        let short = repository.short(&commit);
        let shown = match commit.starts_with(rev) {
            true => format!("{short} (from --base)"),
            false => format!("{rev} ({short}, from --base)"),
        };
        return Ok((commit, shown));
    }
    let prefix = format!("{package}-v");
    let tags = repository.tags(&prefix)?.into_iter();
    let newest = tags
        .filter_map(|tag| Some((Version::parse(tag.strip_prefix(&prefix)?).ok()?, tag)))
        .max();
    if let Some((_, tag)) = newest {
        let commit = repository.resolve(&tag)?;
        let short = repository.short(&commit);
        return Ok((commit, format!("{tag} ({short}, the newest release tag)")));
    }
    let pattern = format!("{prefix}*");
    let commit = repository.root_commit(&pattern)?;
    let short = repository.short(&commit);
    Ok((
        commit,
        format!("{short} (the root commit: no {pattern} tag yet)"),
    ))
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

/// How many breaking changes `dependency`'s generated file has between the base (its commit
/// and short id) and the working tree, with its name; `None` when it has none or did not exist
/// at the base.
fn dependency_breaks(
    repository: &Repository,
    options: &SemverOptions,
    (commit, short): (&str, &str),
    dependency: &'static Output,
) -> Result<Option<(&'static str, usize)>> {
    let Some(source) = repository.read(commit, dependency.path)? else {
        return Ok(None);
    };
    let old = Surface::from_source(&source)
        .with_context(|| format!("cannot read the surface of {} at {short}", dependency.path))?;
    let new = current_surface(options, dependency)?;
    let breaking = Classified::between(&old, &new).count(Class::Breaking);
    Ok((breaking > 0).then_some((dependency.package, breaking)))
}
