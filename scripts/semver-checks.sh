#!/usr/bin/env bash
# cargo-semver-checks on the library crates, each against its newest release tag
# (<crate>-v<version>, reachable from HEAD): their whole public API, the hand-written parts
# included (the room-sessions wrapper; tolerant.rs and hooks.rs beside the generated client;
# the mocks' values, paging helpers and demo server). `cargo xtask semver` checks the generated
# surfaces, in seconds and before a commit; this catches what it cannot see.
#
# A crate without a release tag has nothing released to break: it is skipped, and when no
# crate has one, cargo-semver-checks is not even installed (a cold install takes 10-25 minutes
# on 2 cores; each crate's first check about 5, seconds once target/ is warm). The
# room-sessions command (room-sessions-cli) is a binary with no library API to check.
#
# Usage: bash scripts/semver-checks.sh
# Needs: cargo, git with the release tags and their history (not a shallow clone).
# Env: CARGO_INSTALL_ROOT to install cargo-semver-checks elsewhere than ~/.cargo.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Pinned: a newer release may add lints that fail a check that passed. A newer stable
# toolchain may need a newer release (rustdoc's JSON format changes); it says so.
VERSION=0.51.0
CRATES=(room-sessions room-sessions-api room-sessions-httpmock)

say() { printf '==> %s\n' "$*"; }

# The newest <crate>-v* tag reachable from HEAD, by version (1.0.0-rc.1 before 1.0.0).
newest_tag() {
    local tags
    tags=$(git -c versionsort.suffix=- tag --list --merged HEAD --sort=-version:refname "$1-v*")
    printf '%s' "${tags%%$'\n'*}"
}

checks=()
for crate in "${CRATES[@]}"; do
    tag=$(newest_tag "$crate")
    if [[ -z $tag ]]; then
        say "skip $crate: no $crate-v* release tag yet, so no released API to compare with"
    else
        checks+=("$crate $tag")
    fi
done

if ((${#checks[@]} == 0)); then
    if [[ $(git rev-parse --is-shallow-repository) == true ]]; then
        echo "error: the clone is shallow: its release tags may be missing (git fetch --unshallow --tags)" >&2
        exit 2
    fi
    say "cargo-semver-checks skipped: no crate has a release tag yet"
    exit 0
fi

if [[ $(cargo semver-checks --version 2>/dev/null || true) != "cargo-semver-checks $VERSION" ]]; then
    say "cargo install --locked cargo-semver-checks@$VERSION"
    cargo install --locked "cargo-semver-checks@$VERSION"
fi

for check in "${checks[@]}"; do
    read -r crate tag <<<"$check"
    say "cargo semver-checks --package $crate --baseline-rev $tag"
    cargo semver-checks --package "$crate" --baseline-rev "$tag"
done
