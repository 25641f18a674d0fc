#!/usr/bin/env bash
# Prepares a machine for the real-editor tests (test/e2e): Debian's chromium, ripgrep and
# Kerberos headers, and code-server (VS Code's server and web workbench) from the npm registry,
# installed into the ignored .vscode-test/code-server. Idempotent: each step is skipped when its
# result is already there. Works offline except for the npm registry and Debian's mirrors.
# See /work/shared/notes/real-vscode.md (the recipe) for why each trick is needed.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# @vscode/ripgrep as pinned by code-server 4.100.3 (lib/vscode/npm-shrinkwrap.json) and the rg
# release tag it downloads (VERSION in its lib/postinstall.js). Update both with the version above.
RIPGREP_PACKAGE_VERSION=1.15.11
RIPGREP_TAG=v13.0.0-10
# Native files the install scripts must produce, checked after the install. The top-level install
# approves its two scripts in its package.json (npm 11 `allowScripts`, exact versions from
# code-server's npm-shrinkwrap.json); the nested `npm install`s run by code-server's postinstall have
# no policy, and npm 11 runs such unreviewed scripts with a notice. (An `allow-scripts` setting in an
# npmrc or env var cannot be used: npm passes it on to the nested installs as an env var, and they
# then fail with EALLOWSCRIPTS.)
NATIVE_FILES=(
  node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node
  node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node
  node_modules/code-server/lib/vscode/node_modules/kerberos/build/Release/kerberos.node
  node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg
)

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
cache_dir="$root/.vscode-test"
install_dir="$cache_dir/code-server"
binary="$install_dir/node_modules/.bin/code-server"
marker="$install_dir/.installed-$CODE_SERVER_VERSION"

log() { echo "[setup-e2e] $*"; }

# 1. System packages, only the missing ones. The lock timeout waits for another apt run.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v rg >/dev/null || missing+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
{ command -v make >/dev/null && command -v g++ >/dev/null; } || missing+=(build-essential)
command -v python3 >/dev/null || missing+=(python3)
if ((${#missing[@]})); then
  # As root, or through sudo (the README's "run as root, or with sudo for the Debian packages").
  sudo=()
  if ((EUID != 0)); then
    if ! command -v sudo >/dev/null; then
      echo "[setup-e2e] missing Debian packages (${missing[*]}): run as root, or install sudo" >&2
      exit 1
    fi
    sudo=(sudo --preserve-env=DEBIAN_FRONTEND)
  fi
  mkdir -p "$cache_dir"
  apt_log="$cache_dir/apt.log"
  log "apt-get install ${missing[*]} (log in ${apt_log#"$root"/})"
  export DEBIAN_FRONTEND=noninteractive
  if ! { "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=900 update &&
    "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1; then
    tail -n 40 "$apt_log" >&2
    echo "[setup-e2e] apt-get install failed, full log in ${apt_log#"$root"/}" >&2
    exit 1
  fi
  for package in "${missing[@]}"; do
    if ! dpkg -s "$package" >/dev/null 2>&1; then
      echo "[setup-e2e] $package is still not installed (see ${apt_log#"$root"/})" >&2
      exit 1
    fi
  done
  log "installed ${missing[*]}"
else
  log "system packages present"
fi

# 2. code-server, reused when a finished install of this version is there.
if [[ -x "$binary" && -f "$marker" ]]; then
  log "code-server $CODE_SERVER_VERSION already installed in ${install_dir#"$root"/}"
  exit 0
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [[ "$node_major" != 20 ]]; then
  echo "[setup-e2e] code-server $CODE_SERVER_VERSION needs Node 20, found $(node -v)" >&2
  exit 1
fi

started=$SECONDS
rm -rf "$install_dir"
mkdir -p "$install_dir" "$cache_dir/tmp"
export TMPDIR="$cache_dir/tmp"

# @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache holds the archive:
# seed the cache with Debian's rg (a tar.gz with the binary at its top).
case "$(uname -m)" in
  x86_64) rg_target=x86_64-unknown-linux-musl ;;
  aarch64) rg_target=aarch64-unknown-linux-musl ;;
  *) echo "[setup-e2e] unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
rg_cache="$TMPDIR/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION"
mkdir -p "$rg_cache"
tar -czf "$rg_cache/ripgrep-$RIPGREP_TAG-$rg_target.tar.gz" -C "$(dirname "$(command -v rg)")" rg

# node-pty's postinstall runs `npx node-gyp` (needs yes) and code-server's checks for root (needs
# unsafe-perm). Native modules build against the system Node's headers rather than downloading them.
export npm_config_yes=true npm_config_unsafe_perm=true
if [[ -z "$(npm config get nodedir 2>/dev/null | grep -v '^null$' || true)" && -f /usr/include/node/node.h ]]; then
  export npm_config_nodedir=/usr
fi

log "npm install code-server@$CODE_SERVER_VERSION into ${install_dir#"$root"/} (about a minute, log in .vscode-test/install.log)"
echo '{ "private": true, "allowScripts": { "code-server@'"$CODE_SERVER_VERSION"'": true, "argon2@0.31.2": true } }' >"$install_dir/package.json"
if ! npm install --foreground-scripts --no-audit --no-fund --prefix "$install_dir" "code-server@$CODE_SERVER_VERSION" \
  >"$cache_dir/install.log" 2>&1; then
  tail -n 40 "$cache_dir/install.log" >&2
  echo "[setup-e2e] code-server install failed, full log in .vscode-test/install.log" >&2
  exit 1
fi
if ! grep -q 'Using cached download' "$cache_dir/install.log"; then
  log "warning: @vscode/ripgrep did not use the seeded cache (see .vscode-test/install.log)"
fi
for file in "${NATIVE_FILES[@]}"; do
  if [[ ! -e "$install_dir/$file" ]]; then
    echo "[setup-e2e] code-server install incomplete: $file is missing (see .vscode-test/install.log)" >&2
    exit 1
  fi
done
"$binary" --version >/dev/null
rm -rf "$TMPDIR"
touch "$marker"
log "code-server $("$binary" --version | head -n 1) installed in $((SECONDS - started)) s"
