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

# The real editor: code-server (VS Code 1.100.3) and Debian's chromium, installed when missing.
bash scripts/setup-e2e.sh
node scripts/build-e2e.mjs
echo "== extension-host tests (mocha in code-server)"
node --import tsx test/e2e/runExtensionTests.ts
echo "== UI tests (playwright-core driving Chromium against code-server)"
node --import tsx test/e2e/runUiTests.ts
