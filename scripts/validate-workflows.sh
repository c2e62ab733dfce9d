#!/usr/bin/env bash
# Validates every GitHub Actions workflow under .github/workflows against the workflow schema,
# with the pinned @action-validator/cli of package.json. Exits 1 on the first invalid file.
#
# Usage: bash scripts/validate-workflows.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node-tools.sh

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if ((${#workflows[@]} == 0)); then
    echo "no workflow under .github/workflows" >&2
    exit 1
fi
for workflow in "${workflows[@]}"; do
    node_modules/.bin/action-validator "$workflow"
    echo "$workflow: valid"
done
