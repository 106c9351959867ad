#!/usr/bin/env bash
# Installs code-server (VS Code 1.100.3 server + web UI) from npm into .vscode-test/code-server,
# once. Later runs find it there and return at once. Recipe and the reasons behind each step:
# ../shared/E2E.md. System packages (chromium for the e2e suite, libkrb5-dev and ripgrep for
# the install) come from apt; pass --with-apt to install them here, otherwise this script
# only checks they exist.
set -euo pipefail

CODE_SERVER_VERSION="4.100.3"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEST="$ROOT/.vscode-test/code-server"
BIN="$DEST/node_modules/.bin/code-server"

if [[ "${1:-}" == "--with-apt" ]]; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v rg >/dev/null || missing+=(ripgrep)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
  if ((${#missing[@]})); then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
fi

if [[ -x "$BIN" ]] && [[ "$("$BIN" --version 2>/dev/null | head -n1 | cut -d' ' -f1)" == "$CODE_SERVER_VERSION" ]]; then
  echo "code-server $CODE_SERVER_VERSION already installed in $DEST"
  exit 0
fi

command -v rg >/dev/null || { echo "error: ripgrep is missing: apt-get install -y ripgrep libkrb5-dev (or run with --with-apt)" >&2; exit 1; }
command -v chromium >/dev/null || echo "note: chromium is missing; code-server installs without it, but the e2e suite needs it (apt-get install -y chromium)" >&2
[[ -e /usr/include/krb5.h ]] || dpkg -s libkrb5-dev >/dev/null 2>&1 || { echo "error: libkrb5-dev is missing (needed to compile kerberos): apt-get install -y libkrb5-dev" >&2; exit 1; }

# @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache already holds the asset.
CACHE="$(node -p "require('os').tmpdir()")/vscode-ripgrep-cache-1.15.11"
ASSET="$CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [[ ! -f "$ASSET" ]]; then
  mkdir -p "$CACHE"
  tmp="$(mktemp -d)"
  cp "$(command -v rg)" "$tmp/rg"
  tar czf "$ASSET" -C "$tmp" rg
  rm -rf "$tmp"
fi

# node-gyp must build against local headers; nothing outside the registries is reachable.
NODEDIR="$(dirname "$(dirname "$(command -v node)")")"
if [[ ! -f "$NODEDIR/include/node/node.h" ]]; then
  for candidate in /usr /usr/local; do
    [[ -f "$candidate/include/node/node.h" ]] && NODEDIR="$candidate" && break
  done
fi

mkdir -p "$DEST"
cd "$DEST"
[[ -f package.json ]] || npm init -y >/dev/null
echo "installing code-server $CODE_SERVER_VERSION into $DEST (3-4 minutes)"
npm_config_yes=true npm_config_unsafe_perm=true npm_config_nodedir="$NODEDIR" \
  npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
"$BIN" --version | head -n1
