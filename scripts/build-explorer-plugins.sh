#!/usr/bin/env bash
# Builds the plugins the explorer tests drive:
#   test/fixtures/explorer/fixture-plugin -> test/fixtures/bin/explorer-fixture (go-plugin, every method kind)
#   terraform-provider-time v0.14.2       -> test/fixtures/bin/third-party/terraform-provider-time
#   vault-plugin-secrets-kv v0.24.0       -> test/fixtures/bin/third-party/vault-plugin-secrets-kv
# The third-party ones are real go-plugin plugins nobody here wrote, installed with `go install`
# from the Go module proxy at pinned versions; go's caches make a re-run a quick no-op.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/test/fixtures/bin"

if ! command -v go >/dev/null 2>&1; then
  echo "build-explorer-plugins: 'go' is not on PATH; install Go 1.24 or newer (https://go.dev/dl/) and retry" >&2
  exit 1
fi

TERRAFORM_PROVIDER_TIME_VERSION=v0.14.2
VAULT_PLUGIN_SECRETS_KV_VERSION=v0.24.0

mkdir -p "$out/third-party"
go -C "$root/test/fixtures/explorer/fixture-plugin" build -buildvcs=false -trimpath -o "$out/explorer-fixture" .
GOBIN="$out/third-party" go install -trimpath "github.com/hashicorp/terraform-provider-time@$TERRAFORM_PROVIDER_TIME_VERSION"
GOBIN="$out/third-party" go install -trimpath "github.com/hashicorp/vault-plugin-secrets-kv/cmd/vault-plugin-secrets-kv@$VAULT_PLUGIN_SECRETS_KV_VERSION"
echo "build-explorer-plugins: built test/fixtures/bin/{explorer-fixture,third-party/terraform-provider-time,third-party/vault-plugin-secrets-kv}" >&2
