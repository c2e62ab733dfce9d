#!/usr/bin/env bash
# Packages the four published crates together and builds each packaged crate on its own, the
# way `cargo publish` would see them: path dependencies become registry dependencies on the
# packaged siblings.
#
# cargo verifies such a set through a temporary local registry (target/package/tmp-registry)
# and unpacks each packaged crate into $CARGO_HOME/registry/src/-<hash of that path>/. It does
# not unpack again when a directory of that name and version is already there, so a second
# run from the same checkout path (a CI runner's fixed path, a cached ~/.cargo, a developer's
# clone) builds the previous run's sources under the same version: stale code, and errors in
# code that no longer exists. Our crates' unpacked copies are removed first. Only directories
# of path-based registries (their names start with "-") and only these crates are touched.
#
# Usage: bash scripts/package.sh
# Env: CARGO_HOME as cargo reads it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

crates=(room-sessions-api room-sessions room-sessions-httpmock room-sessions-cli)

registry_src="${CARGO_HOME:-$HOME/.cargo}/registry/src"
package_args=()
for crate in "${crates[@]}"; do
  rm -rf "$registry_src"/-*/"$crate"-[0-9]*
  package_args+=(-p "$crate")
done

cargo package --locked "${package_args[@]}"
