#!/usr/bin/env bash
# Installs, builds and starts Gradient Graph on examples/: in desktop VS Code when `code` is on the PATH,
# otherwise in a local code-server (VS Code's own server and workbench, installed into .vscode-test/ by
# setup-e2e.sh) at a printed 127.0.0.1 address. Ctrl+C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build

if command -v code >/dev/null 2>&1; then
  echo "Opening examples/ in VS Code with Gradient Graph loaded from $(pwd)"
  exec code --extensionDevelopmentPath="$(pwd)" "$(pwd)/examples"
fi

bash scripts/setup-e2e.sh
exec node --import tsx scripts/serve.ts "$@"
