#!/usr/bin/env bash
# Builds the Go side of the project: the tutorial's greeter plugin (real hashicorp/go-plugin)
# and the go-plugin reference host used by interop tests and benchmarks.
#   examples/go-greeter -> examples/go-greeter/bin/greeter
#   test/go-host        -> test/fixtures/bin/go-host
# Needs only Go; modules come from the Go module proxy. Re-running is cheap: go's build
# cache makes an unchanged build a no-op apart from relinking checks.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! command -v go >/dev/null 2>&1; then
  echo "build-go: 'go' is not on PATH; install Go 1.24 or newer (https://go.dev/dl/) and retry" >&2
  exit 1
fi

# -buildvcs=false: the modules live in a subfolder of this repo; stamping VCS info would
# fail on checkouts without git or owned by another user, and buys nothing here.
build() {
  local module_dir="$1" output="$2"
  mkdir -p "$(dirname "$output")"
  go -C "$module_dir" build -buildvcs=false -trimpath -o "$output" .
  echo "build-go: built ${output#"$repo_root"/}" >&2
}

build "$repo_root/examples/go-greeter" "$repo_root/examples/go-greeter/bin/greeter"
build "$repo_root/test/go-host" "$repo_root/test/fixtures/bin/go-host"
