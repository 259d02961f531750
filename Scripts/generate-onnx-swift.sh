#!/usr/bin/env bash
# Regenerates Sources/LoomONNX/Generated/onnx.pb.swift, the Swift messages of onnx.proto, with
# swift-protobuf's protoc plugin. The output is committed, so building Loom needs neither protoc
# nor the plugin (whose first build takes minutes); run this only to move to another onnx.proto or
# swift-protobuf. Inputs, none of them kept in the project:
#   onnx.proto          from the onnx wheel on PyPI (ONNX_VERSION)
#   protoc              Debian's protobuf-compiler
#   protoc-gen-swift    built from swift-protobuf at the version Package.swift resolves
set -euo pipefail
cd "$(dirname "$0")/.."
ONNX_VERSION=${ONNX_VERSION:-1.23.2}
SWIFT_PROTOBUF_VERSION=${SWIFT_PROTOBUF_VERSION:-1.39.0}
export PATH=/opt/swift/usr/bin:$PATH
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

if ! command -v protoc >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends protobuf-compiler >/dev/null
fi
git clone -q https://github.com/apple/swift-protobuf "$scratch/swift-protobuf"
git -C "$scratch/swift-protobuf" checkout -q "$SWIFT_PROTOBUF_VERSION"
swift build -c release --package-path "$scratch/swift-protobuf" --product protoc-gen-swift >&2
plugin="$scratch/swift-protobuf/.build/release/protoc-gen-swift"

python3 -m pip download -q --no-deps --disable-pip-version-check "onnx==$ONNX_VERSION" -d "$scratch/wheel"
(cd "$scratch/wheel" && python3 -m zipfile -e onnx-*.whl unpacked)
proto_dir="$scratch/wheel/unpacked/onnx"

protoc --plugin=protoc-gen-swift="$plugin" --swift_opt=Visibility=Public \
  --swift_out=Sources/LoomONNX/Generated -I "$proto_dir" "$proto_dir/onnx.proto"
echo "generated Sources/LoomONNX/Generated/onnx.pb.swift from onnx $ONNX_VERSION with swift-protobuf $SWIFT_PROTOBUF_VERSION" >&2
