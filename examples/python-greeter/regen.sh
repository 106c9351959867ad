#!/usr/bin/env bash
# Regenerates generated/ (protobuf messages + grpclib service stubs) from the repository's
# proto/ directory. Needs grpcio-tools and grpclib: pip install -r requirements-dev.txt
# (into the repository's .venv). The output is committed, so running the plugin never needs
# protoc. Health and reflection come with grpclib itself.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-$here/../../.venv/bin/python}"
protos="$here/../../proto"
out="$here/generated"
rm -rf "$out"
mkdir -p "$out"
# grpclib's protoc plugin (protoc-gen-grpclib_python) lives next to the interpreter.
PATH="$(dirname "$python"):$PATH" "$python" -m grpc_tools.protoc -I "$protos" \
  --python_out="$out" --grpclib_python_out="$out" \
  greeter.proto plugin/grpc_controller.proto plugin/grpc_stdio.proto plugin/grpc_broker.proto
touch "$out/plugin/__init__.py"
