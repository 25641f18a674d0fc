#!/usr/bin/env bash
# Runs every test on a fresh machine of this project's kind (Debian 12, Node 20): installs what the tests
# need (npm packages; for the real-editor tests Debian's chromium and code-server, see setup-e2e.sh),
# builds, lints, then runs the unit tests, the extension-host tests and the UI tests.
#
# Prints one line per phase: its result and how long it took. Each phase's whole output (npm's, apt's,
# code-server's, the test reporters') goes to .e2e/logs/PHASE.log; when a phase fails, the last 60 lines
# of its log are printed under its line, with the log's path.
#
# A failed test phase does not stop the others (lint, unit tests, extension host and UI each run), so
# that one run reports every failure. A failed setup phase skips what needs it: install skips
# everything, build skips the unit, extension-host and UI tests, e2e setup skips the last two.
# Exits 1 if any phase failed or was skipped.
set -uo pipefail
cd "$(dirname "$0")/.."

logs=.e2e/logs
rm -rf "$logs"
mkdir -p "$logs"
started=$SECONDS
failed=()
skipped=()
# Set by run_phase: how the phase ended.
phase_ok=0

# The phase's name padded with dots, so that the results line up.
label() {
  local text="$1 " width=16
  while ((${#text} < width)); do text+=.; done
  printf '%s ' "$text"
}

# Prints the last 60 lines of a log, indented, under the phase's line.
show_tail() {
  echo "    last 60 lines of $1:"
  tail -n 60 "$1" | sed 's/^/    | /'
}

# The "N passed, N failed" line a test runner printed last, if any.
counts_from() {
  grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1
}

# What install and e2e setup did, when they had nothing to do.
install_result() {
  grep -q 'npm ci skipped' "$1" && echo "ok, node_modules up to date"
}
setup_result() {
  grep -q 'system packages present' "$1" && grep -q 'already installed' "$1" && echo "ok, all there already"
}

# node --test's closing summary ("ℹ pass N" and "ℹ fail N") as "N passed, N failed".
unit_counts_from() {
  local pass fail
  pass=$(grep -E '^ℹ pass [0-9]+$' "$1" | tail -n 1 | grep -oE '[0-9]+$')
  fail=$(grep -E '^ℹ fail [0-9]+$' "$1" | tail -n 1 | grep -oE '[0-9]+$')
  [[ -n "$pass" && -n "$fail" ]] && echo "$pass passed, $fail failed"
}

# run_phase NAME LOG COUNTS COMMAND...: runs COMMAND with its output in $logs/LOG and prints the phase's
# line. COUNTS is the function that reads the result from the log (or "none"); without one, or when it
# finds nothing, the result is "ok" or "failed, exit N".
run_phase() {
  local name=$1 log="$logs/$2" counts=$3
  shift 3
  label "$name"
  local phase_started=$SECONDS status result
  "$@" >"$log" 2>&1 </dev/null
  status=$?
  result=""
  [[ "$counts" != none ]] && result=$("$counts" "$log")
  if [[ -z "$result" ]]; then
    if ((status == 0)); then result=ok; else result="failed, exit $status"; fi
  elif ((status != 0)) && [[ "$result" == *" 0 failed" ]]; then
    result+=", but exit $status"
  fi
  echo "$result ($((SECONDS - phase_started)) s)"
  if ((status == 0)); then
    phase_ok=1
  else
    phase_ok=0
    failed+=("$name")
    show_tail "$log"
  fi
}

skip_phase() {
  label "$1"
  echo "skipped ($2 failed)"
  skipped+=("$1")
}

install() {
  # npm ci when node_modules is missing or older than the lock file.
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  else
    echo "node_modules is up to date with package-lock.json: npm ci skipped"
  fi
}

build() {
  npm run build && node scripts/build-e2e.mjs
}

run_phase install install.log install_result install
if ((!phase_ok)); then
  for name in build lint "unit tests" "e2e setup" "extension host" UI; do skip_phase "$name" install; done
else
  run_phase build build.log none build
  built=$phase_ok
  run_phase lint lint.log none npm run lint
  if ((built)); then
    run_phase "unit tests" unit.log unit_counts_from npm run test:unit
    # The real editor: code-server (VS Code 1.100.3) and Debian's chromium, installed when missing.
    run_phase "e2e setup" e2e-setup.log setup_result bash scripts/setup-e2e.sh
    if ((phase_ok)); then
      run_phase "extension host" extension-host.log counts_from node --import tsx test/e2e/runExtensionTests.ts
      run_phase UI ui.log counts_from node --import tsx test/e2e/runUiTests.ts
    else
      skip_phase "extension host" "e2e setup"
      skip_phase UI "e2e setup"
    fi
  else
    for name in "unit tests" "e2e setup" "extension host" UI; do skip_phase "$name" build; done
  fi
fi

total=$((SECONDS - started))
if ((${#failed[@]})); then
  joined=$(printf ', %s' "${failed[@]}")
  summary="FAILED: ${joined:2}"
  if ((${#skipped[@]})); then
    joined=$(printf ', %s' "${skipped[@]}")
    summary+="; skipped: ${joined:2}"
  fi
  echo "$summary ($total s; logs in $logs/)"
  exit 1
fi
echo "all passed ($total s; logs in $logs/)"
