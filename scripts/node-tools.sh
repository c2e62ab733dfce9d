#!/usr/bin/env bash
# Sourced by the scripts that run the pinned Node tools of package.json (Redocly, Prism,
# action-validator): installs them with `npm ci` when node_modules is missing or older than
# the lockfile, and quiets their telemetry and update notices. Run from the repository root.

export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export NO_UPDATE_NOTIFIER=1

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    printf '==> %s\n' "npm ci (the pinned tools of package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error
fi
