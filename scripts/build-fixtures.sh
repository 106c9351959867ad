#!/usr/bin/env bash
# Builds the misbehaving fixture plugins the host tests drive (test/fixtures/bin/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/test/fixtures/bin"
mkdir -p "$out"

# A real executable for another CPU: arm64 on x86-64 machines, amd64 elsewhere.
other_arch=arm64
[ "$(go env GOARCH)" = arm64 ] && other_arch=amd64
GOOS="$(go env GOOS)" GOARCH="$other_arch" go -C "$root/test/fixtures/go/other-arch" build -buildvcs=false -o "$out/other-arch" .
# The tutorial's Go plugin, whose Greet waits for the caller's deadline (real go-plugin).
go -C "$root/test/fixtures/go/hanging-greeter" build -buildvcs=false -trimpath -o "$out/hanging-greeter" .

node "$root/scripts/build-node-plugins.mjs" \
  "test/fixtures/plugins/bare-grpc.ts=test/fixtures/bin/bare-grpc" \
  "test/fixtures/plugins/broker-greeter.ts=test/fixtures/bin/broker-greeter" \
  "test/fixtures/plugins/tcp-greeter.ts=test/fixtures/bin/tcp-greeter" \
  "test/fixtures/plugins/shutdown-writer.ts=test/fixtures/bin/shutdown-writer"
echo "build-fixtures: built test/fixtures/bin/{other-arch,hanging-greeter,bare-grpc,broker-greeter,tcp-greeter,shutdown-writer}" >&2
