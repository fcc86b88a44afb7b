#!/usr/bin/env bash
# Generates the Python messages and stubs from protos/ into musicdna_client/_generated/.
# Uses Debian's protoc (3.21) with grpc_python_plugin: the protoc bundled in Debian's python3-grpc-tools
# (grpc_tools.protoc) predates proto3 `optional`, which the contract uses for its required features.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/musicdna_client/_generated"
rm -rf "$out"
mkdir -p "$out"
protoc -I "$here/../../protos" --python_out="$out" --pyi_out="$out" --grpc_out="$out" \
  --plugin=protoc-gen-grpc="$(command -v grpc_python_plugin)" musicdna/v1/musicdna.proto
touch "$out/__init__.py" "$out/musicdna/__init__.py" "$out/musicdna/v1/__init__.py"
