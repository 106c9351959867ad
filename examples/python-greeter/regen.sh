#!/usr/bin/env bash
# Regenerates generated/*_pb2*.py from the repository's proto/ directory.
# Needs grpcio-tools (pip install -r requirements-dev.txt). The output is committed,
# so running the plugin never needs protoc. Health comes from grpcio-health-checking.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
protos="$here/../../proto"
out="$here/generated"
rm -rf "$out"
mkdir -p "$out"
python3 -m grpc_tools.protoc -I "$protos" \
  --python_out="$out" --grpc_python_out="$out" \
  greeter.proto plugin/grpc_controller.proto plugin/grpc_stdio.proto plugin/grpc_broker.proto
touch "$out/plugin/__init__.py"
