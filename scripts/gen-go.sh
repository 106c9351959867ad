#!/usr/bin/env bash
# Regenerates the committed Go protobuf/gRPC code of examples/go-greeter/api from
# proto/greeter.proto. Run it after changing the proto; the output is committed so that
# building the example needs only Go.
set -euo pipefail

# Pinned generator versions: output must not drift between machines.
PROTOC_GEN_GO_VERSION=v1.36.12
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out_dir="$repo_root/examples/go-greeter/api"

# protoc itself comes from Debian; install it only when missing.
if ! command -v protoc >/dev/null 2>&1; then
  echo "gen-go: installing protobuf-compiler (protoc)" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq protobuf-compiler >/dev/null
fi

# The Go plugins go into a private bin dir so the versions used are exactly the pinned ones.
tools_bin="$repo_root/examples/go-greeter/bin/tools"
mkdir -p "$tools_bin"
GOBIN="$tools_bin" go install "google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO_VERSION"
GOBIN="$tools_bin" go install "google.golang.org/grpc/cmd/protoc-gen-go-grpc@$PROTOC_GEN_GO_GRPC_VERSION"

mkdir -p "$out_dir"
# paths=source_relative with -I proto puts greeter.pb.go directly in api/.
PATH="$tools_bin:$PATH" protoc \
  -I "$repo_root/proto" \
  --go_out="$out_dir" --go_opt=paths=source_relative \
  --go-grpc_out="$out_dir" --go-grpc_opt=paths=source_relative \
  "$repo_root/proto/greeter.proto"

echo "gen-go: wrote $out_dir/greeter.pb.go and greeter_grpc.pb.go" >&2
