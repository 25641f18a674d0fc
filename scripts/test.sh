#!/usr/bin/env bash
# Runs every test on a fresh machine of this project's kind (Debian 12, Node 20): installs what the tests
# need (npm packages; for the real-editor tests Debian's chromium and code-server, see setup-e2e.sh),
# builds, lints, then runs the unit tests and the real-editor tests. Exits non-zero if any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm ci when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

npm run build
npm run lint
npm run test:unit
