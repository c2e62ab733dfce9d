#!/usr/bin/env bash
# Checks openapi/room_sessions.yaml with the pinned Node tools of package.json:
#   1. `redocly lint` must report zero problems (errors and warnings; rules in redocly.yaml);
#   2. the Rust contract test (crates/room-sessions/tests/contract.rs) runs against a
#      Prism mock server of the spec, which validates every request the room_sessions
#      client sends.
# Installs the tools with `npm ci` when node_modules is missing or older than the lockfile.
# Prism listens on 127.0.0.1 only, on a free port, and is always stopped on exit.
#
# Usage: bash scripts/contract-test.sh [extra arguments for the test binary]
# Needs: node >= 20.19 with npm, cargo. Env: PRISM_PORT to pick the port, PRISM_LOG to keep
# Prism's log somewhere (default: a temporary file, printed if something fails).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SPEC=openapi/room_sessions.yaml

say() { printf '==> %s\n' "$*"; }

# --- tools --------------------------------------------------------------------------------
source scripts/node-tools.sh

# --- lint ---------------------------------------------------------------------------------
say "redocly lint $SPEC (zero problems allowed)"
lint_json=$(mktemp)
if ! node_modules/.bin/redocly lint "$SPEC" --format=json >"$lint_json" 2>/dev/null; then
    node_modules/.bin/redocly lint "$SPEC" --format=stylish || true
    rm -f "$lint_json"
    echo "redocly lint failed" >&2
    exit 1
fi
# Errors fail redocly's exit code; warnings do not, so count them too.
totals=$(node -e '
    const { totals } = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(`${totals.errors} ${totals.warnings}`);
' "$lint_json")
rm -f "$lint_json"
read -r errors warnings <<<"$totals"
if [[ "$errors" != 0 || "$warnings" != 0 ]]; then
    node_modules/.bin/redocly lint "$SPEC" --format=stylish || true
    echo "redocly lint: $errors error(s), $warnings warning(s); zero are allowed" >&2
    exit 1
fi
echo "redocly lint: 0 errors, 0 warnings"

# --- Prism --------------------------------------------------------------------------------
port=${PRISM_PORT:-$(node -e '
    const server = require("net").createServer();
    server.listen(0, "127.0.0.1", () => { console.log(server.address().port); server.close(); });
')}
log=${PRISM_LOG:-$(mktemp)}
prism_pid=
cleanup() {
    local status=$?
    if [[ -n "$prism_pid" ]] && kill -0 "$prism_pid" 2>/dev/null; then
        kill "$prism_pid" 2>/dev/null || true
        wait "$prism_pid" 2>/dev/null || true
    fi
    if [[ $status -ne 0 && -s "$log" ]]; then
        echo "--- last lines of Prism's log ($log) ---" >&2
        tail -n 40 "$log" >&2
    fi
    [[ -n "${PRISM_LOG:-}" ]] || rm -f "$log"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "prism mock $SPEC on 127.0.0.1:$port"
# Started directly (not through npx) so that $! is Prism's own process.
node_modules/.bin/prism mock "$SPEC" -h 127.0.0.1 -p "$port" >"$log" 2>&1 &
prism_pid=$!

for _ in $(seq 1 300); do
    if ! kill -0 "$prism_pid" 2>/dev/null; then
        echo "Prism exited before listening" >&2
        exit 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        break
    fi
    sleep 0.1
done
if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Prism did not listen on 127.0.0.1:$port within 30 s" >&2
    exit 1
fi

# --- contract test ------------------------------------------------------------------------
say "contract test against Prism"
PRISM_URL="http://127.0.0.1:$port" PRISM_SPEC="$PWD/$SPEC" cargo test --locked -p room-sessions --test contract -- --ignored "$@"
