#!/usr/bin/env bash
# Regenerates Sources/ONNXSchema/onnx.pb.swift, ONNX's schema as Swift (issue 14: the ONNX export is serialised by
# apple/swift-protobuf, not by hand). Run once per schema update; its output is committed because building
# protoc-gen-swift takes ~10 minutes on 2 cores and CI should not pay that on every run.
#   needs: protoc (Debian's protobuf-compiler), pip (to fetch the onnx wheel, which ships onnx.proto), the
#   swift-protobuf package at the version Package.swift resolves (1.39.0 here).
# Made with: onnx 1.23.2's onnx/onnx.proto, libprotoc 3.21.12, protoc-gen-swift 1.39.0.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v protoc >/dev/null || { echo "needs protoc: apt-get install -y protobuf-compiler"; exit 1; }
pip download --no-deps --quiet onnx -d "$work"
(cd "$work" && unzip -q -o onnx-*.whl 'onnx/onnx.proto')
SWPB=${SWPB:-$work/swift-protobuf}
if [ ! -x "$SWPB/.build/release/protoc-gen-swift" ]; then
  git clone --quiet --branch "${SWPB_VERSION:-1.39.0}" https://github.com/apple/swift-protobuf "$SWPB"
  (cd "$SWPB" && swift build -c release --product protoc-gen-swift)
fi
mkdir -p Sources/ONNXSchema
protoc --plugin=protoc-gen-swift="$SWPB/.build/release/protoc-gen-swift" -I "$work/onnx" \
  --swift_opt=Visibility=Public --swift_out=Sources/ONNXSchema "$work/onnx/onnx.proto"
echo "wrote Sources/ONNXSchema/onnx.pb.swift"
