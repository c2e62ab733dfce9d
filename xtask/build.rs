//! Build script: exposes the locked progenitor version as `XTASK_PROGENITOR_VERSION`.
//!
//! The header of the generated file names the progenitor version that produced it, so a
//! progenitor upgrade makes `cargo xtask codegen --check` fail until the file is regenerated.
//! Cargo has no built-in way to read a dependency's version at compile time, so this reads
//! the workspace `Cargo.lock` (cargo resolves it before any build script runs).

use std::path::Path;

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let lock_path = Path::new(&manifest_dir)
        .parent()
        .expect("xtask lives inside the workspace root")
        .join("Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock_path.display());
    println!("cargo:rerun-if-changed=build.rs");

    let lock = std::fs::read_to_string(&lock_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", lock_path.display()));
    let versions = locked_versions(&lock, "progenitor");
    let version = match versions.as_slice() {
        [one] => one,
        [] => panic!("progenitor is not in {}", lock_path.display()),
        many => panic!(
            "{} locks several progenitor versions ({}); the generated header needs exactly one",
            lock_path.display(),
            many.join(", ")
        ),
    };
    println!("cargo:rustc-env=XTASK_PROGENITOR_VERSION={version}");
}

/// Versions of every `[[package]]` named `name` in a Cargo.lock (format v3/v4).
fn locked_versions(lock: &str, name: &str) -> Vec<String> {
    let wanted_name = format!("name = \"{name}\"");
    let mut versions = Vec::new();
    for block in lock.split("[[package]]").skip(1) {
        let mut lines = block.lines().map(str::trim);
        if lines.clone().any(|l| l == wanted_name)
            && let Some(v) = lines.find_map(|l| l.strip_prefix("version = \""))
        {
            versions.push(v.trim_end_matches('"').to_owned());
        }
    }
    versions
}
