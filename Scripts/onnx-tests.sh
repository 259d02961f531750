#!/usr/bin/env bash
# Checks Loom's ONNX export with the ONNX tools (Tests/ONNX): onnx.checker and ONNX Runtime, from
# PyPI, in the test virtualenv (Scripts/test-venv.sh). Usage: Scripts/onnx-tests.sh [path/to/loom]
set -euo pipefail
cd "$(dirname "$0")/.."
export LOOM=$(realpath "${1:-.build/release/loom}")
python=$(bash Scripts/test-venv.sh)
"$python" -m unittest -v Tests/ONNX/test_onnx_export.py
