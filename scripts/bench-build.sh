#!/usr/bin/env bash
# Build-side benchmarks of the workspace (BENCHMARKS.md, figures 4 and 5):
#
#   4. the wall time of `cargo xtask codegen --check` once built (target: under 0.5 s);
#   5. what a small downstream crate pays to build: one that depends on the `room-sessions`
#      wrapper (the checked-in generated code), once per TLS feature (`rustls`, the default,
#      on aws-lc-rs; `rustls-ring`; `native-tls`), against the same crate generating the
#      client with progenitor's `generate_api!` macro from the same spec (on reqwest's default
#      TLS, rustls on aws-lc-rs): crates compiled, time of a clean build, and time of a
#      rebuild after an edit of the downstream crate.
#
# Usage: scripts/bench-build.sh [--codegen] [--downstream] [--tls "FEATURE..."] [--release]
#                               [--runs N] [--keep]
#   With neither --codegen nor --downstream, both run. --tls: the TLS features of the wrapper
#   crates to build (default: "rustls rustls-ring native-tls"). --release builds the
#   downstream crates with the release profile (default: dev). --runs: clean builds of each
#   downstream crate (default 1; each takes a minute or more on 2 cores). --keep leaves the
#   temporary crates in place.
#
# Run it on a quiet machine: it prints the load average before and after. Dependencies are
# fetched before any timing, so the network is not measured. The summary is printed and
# written to target/bench-build-summary.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

do_codegen=0
do_downstream=0
profile_flag=()
profile_name=dev
runs=1
keep=0
tls_features=(rustls rustls-ring native-tls)
while (($#)); do
  case "$1" in
    --codegen) do_codegen=1 ;;
    --downstream) do_downstream=1 ;;
    --tls) read -r -a tls_features <<<"$2"; shift ;;
    --release) profile_flag=(--release); profile_name=release ;;
    --runs) runs="$2"; shift ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,24p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if ((do_codegen == 0 && do_downstream == 0)); then
  do_codegen=1
  do_downstream=1
fi

export CARGO_TERM_COLOR=never
summary="$(mktemp)"
say() { printf '%s\n' "$*" | tee -a "$summary"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

say "# bench-build.sh, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM; $(rustc --version)"
say "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------------------------------------
# 4. cargo xtask codegen --check
# ---------------------------------------------------------------------------------------------
if ((do_codegen)); then
  say ""
  say "## 4. cargo xtask codegen --check (target: under 0.5 s once built)"
  cargo build --quiet --package xtask
  cargo xtask codegen --check >/dev/null
  if command -v hyperfine >/dev/null; then
    json="$(mktemp)"
    hyperfine --style basic --warmup 3 --runs 20 --export-json "$json" \
      'cargo xtask codegen --check' 'target/debug/xtask codegen --check' >&2
    python3 - "$json" <<'EOF' | tee -a "$summary"
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    verdict = "met" if r["median"] < 0.5 else "MISSED"
    print(f"{r['command']}: median {r['median']:.3f} s, mean {r['mean']:.3f} "
          f"± {r['stddev']:.3f} s, min {r['min']:.3f}, max {r['max']:.3f} s "
          f"({len(r['times'])} runs, hyperfine); target < 0.5 s -> {verdict}")
EOF
    rm -f "$json"
  else
    for command in 'cargo xtask codegen --check' 'target/debug/xtask codegen --check'; do
      times=()
      for _ in $(seq 20); do
        start=$(now); $command >/dev/null; end=$(now)
        times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", b - a }')")
      done
      printf '%s\n' "${times[@]}" | sort -n | awk -v c="$command" '
        { t[NR] = $1 } END { m = t[int((NR + 1) / 2)];
          printf "%s: median %.3f s, min %.3f, max %.3f s (%d runs); target < 0.5 s -> %s\n",
            c, m, t[1], t[NR], NR, (m < 0.5 ? "met" : "MISSED") }' | tee -a "$summary"
    done
  fi
fi

# ---------------------------------------------------------------------------------------------
# 5. Downstream build cost
# ---------------------------------------------------------------------------------------------
if ((do_downstream)); then
  say ""
  say "## 5. Downstream build cost ($profile_name profile, $runs clean build(s) each, -j$(nproc))"
  work="$(mktemp -d -t room-sessions-downstream.XXXXXX)"
  if ((keep)); then
    say "(temporary crates kept in $work)"
  else
    trap 'rm -rf "$work"' EXIT
  fi

  # Every crate does the same: build a client, fetch one session, list sessions. All pin the
  # versions of the workspace's Cargo.lock where they share dependencies. A wrapper crate per
  # TLS feature (wrapper-rustls, wrapper-rustls-ring, ...), and the macro crate.
  wrappers=()
  for feature in "${tls_features[@]}"; do
    crate="wrapper-$feature"
    wrappers+=("$crate")
    mkdir -p "$work/$crate/src"
    cat >"$work/$crate/Cargo.toml" <<EOF
[package]
name = "downstream-$crate"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
room-sessions = { path = "$root/crates/room-sessions", default-features = false, features = ["$feature"] }
futures = "0.3"
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
EOF
    cat >"$work/$crate/src/main.rs" <<'EOF'
use futures::TryStreamExt;
use room_sessions::{Client, SessionStatus};

#[tokio::main]
async fn main() -> Result<(), room_sessions::Error> {
    let client = Client::builder()
        .base_url("http://127.0.0.1:9/api/video")
        .project_id("b3877c40-da60-4998-90ad-b792e98472af")
        .api_token("PT-not-a-real-token")
        .build()?;
    let session = client
        .room_session("c22d24f6-5a47-4597-9a23-c7d01e696b92")
        .await?;
    println!("{} {:?}", session.id, session.status());
    let live: Vec<_> = client
        .room_sessions()
        .status(SessionStatus::InProgress)
        .stream()
        .try_collect()
        .await?;
    println!("{}", live.len());
    Ok(())
}
EOF
  done
  mkdir -p "$work/macro/src"

  # The macro crate gets the dependencies progenitor's README lists for generate_api! and the
  # spec's formats (chrono, uuid), with the wrapper's reqwest features and reqwest's default TLS
  # (`rustls`, on aws-lc-rs: the wrapper's default).
  # The spec's open enums stay strict typify enums (no `replace`): the tolerant types live in
  # room-sessions-api, which this crate does not use; this only makes the macro's code smaller.
  cat >"$work/macro/Cargo.toml" <<EOF
[package]
name = "downstream-macro"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
progenitor = "0.15.1"
progenitor-client = "0.15.1"
futures = "0.3"
reqwest = { version = "0.13", default-features = false, features = ["rustls", "json", "query", "stream", "http2", "charset"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
chrono = { version = "0.4", default-features = false, features = ["serde", "std", "clock"] }
uuid = { version = "1", features = ["serde", "v4"] }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
EOF
  cat >"$work/macro/src/main.rs" <<EOF
mod api {
    progenitor::generate_api!(
        spec = "$root/openapi/room_sessions.yaml",
        interface = Builder,
        tags = Merged,
        derives = [PartialEq],
    );
}

use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = api::Client::new("http://127.0.0.1:9/api/video");
    let session = client
        .get_room_session()
        .id(uuid::Uuid::parse_str("c22d24f6-5a47-4597-9a23-c7d01e696b92")?)
        .send()
        .await?
        .into_inner();
    println!("{} {:?}", session.id, session.status);
    let page = client.list_room_sessions().send().await?.into_inner();
    let ids: Vec<_> = futures::stream::iter(page.data.into_iter().map(Ok::<_, ()>))
        .map_ok(|s| s.id)
        .try_collect()
        .await
        .unwrap();
    println!("{}", ids.len());
    Ok(())
}
EOF

  crates_built=("${wrappers[@]}" macro)
  for crate in "${crates_built[@]}"; do
    cp "$root/Cargo.lock" "$work/$crate/Cargo.lock"
    (cd "$work/$crate" && cargo fetch --quiet)
  done

  build() { # crate, target dir, log -> prints seconds
    local start end
    start=$(now)
    (cd "$work/$1" && CARGO_TARGET_DIR="$2" cargo build "${profile_flag[@]}" >"$3" 2>&1) || {
      cat "$3" >&2
      echo "build of the $1 crate failed" >&2
      exit 1
    }
    end=$(now)
    elapsed "$start" "$end"
  }

  declare -A clean_times crates rebuild_times
  # Run by run, each crate in turn: a burst of load elsewhere falls on one run of each crate
  # rather than on every run of one.
  for run in $(seq "$runs"); do
    for crate in "${crates_built[@]}"; do
      target="$work/target-$crate"
      rm -rf "$target"
      seconds=$(build "$crate" "$target" "$work/$crate-clean-$run.log")
      clean_times[$crate]+="$seconds "
      crates[$crate]=$(grep -c '^ *Compiling ' "$work/$crate-clean-$run.log")
      say "$crate: clean build $run: ${seconds} s, ${crates[$crate]} crates compiled (load $(cut -d' ' -f1 /proc/loadavg))"
    done
  done
  for crate in "${crates_built[@]}"; do
    # An edit of the downstream crate's own code (what a developer does all day).
    touch "$work/$crate/src/main.rs"
    rebuild_times[$crate]=$(build "$crate" "$work/target-$crate" "$work/$crate-rebuild.log")
    say "$crate: rebuild after touching src/main.rs: ${rebuild_times[$crate]} s"
  done

  # The fastest clean build: the one least disturbed by other load on a shared machine.
  fastest() { tr ' ' '\n' | grep -v '^$' | sort -n | head -1; }
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
  compiled() { grep '^ *Compiling ' "$work/$1-clean-1.log" | awk '{ print $2 }' | sort; }
  macro_clean=$(echo "${clean_times[macro]}" | fastest)
  say ""
  say "| downstream crate | crates compiled | clean build (fastest of $runs) | / macro | rebuild after an edit |"
  say "|---|---|---|---|---|"
  for crate in "${wrappers[@]}"; do
    clean=$(echo "${clean_times[$crate]}" | fastest)
    say "| room-sessions, feature ${crate#wrapper-} | ${crates[$crate]} | ${clean} s | $(ratio "$clean" "$macro_clean")x | ${rebuild_times[$crate]} s |"
  done
  say "| progenitor::generate_api! (same spec; reqwest's rustls on aws-lc-rs) | ${crates[macro]} | ${macro_clean} s | 1x | ${rebuild_times[macro]} s |"
  compiled macro >"$work/macro.crates"
  for crate in "${wrappers[@]}"; do
    compiled "$crate" >"$work/$crate.crates"
    say ""
    say "$crate: compiled only for the macro: $(comm -13 "$work/$crate.crates" "$work/macro.crates" | tr '\n' ' ')"
    say "$crate: compiled only for the wrapper: $(comm -23 "$work/$crate.crates" "$work/macro.crates" | tr '\n' ' ')"
  done
fi

say ""
say "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$root/target"
cp "$summary" "$root/target/bench-build-summary.md"
rm -f "$summary"
echo "(summary written to target/bench-build-summary.md)"
