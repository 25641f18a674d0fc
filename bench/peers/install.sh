#!/usr/bin/env bash
# Installs the benchmark's peers (tfjs, 270 MB) into bench/peers/node_modules when missing; npm run bench
# runs this first. From the npm registry, with the versions pinned in bench/peers/package.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if [[ -d node_modules/@tensorflow/tfjs && -d node_modules/@mermaid-js/layout-elk ]]; then exit 0; fi
echo "[bench] installing the benchmark's peers (tfjs, ELK for mermaid) into bench/peers/node_modules (log in bench/peers/install.log)"
if ! npm install --no-audit --no-fund --no-save >install.log 2>&1; then
  tail -n 30 install.log >&2
  exit 1
fi
