#!/usr/bin/env bash
# The Python side of the tests, in a virtualenv of its own (.build/test-venv): jupyter_client,
# jupyter_kernel_test and nbclient drive Loom's Jupyter kernel as a real client would; nbformat
# validates notebooks; onnx's checker and ONNX Runtime (with numpy) check the ONNX export.
# Idempotent: an existing, complete virtualenv is reused. Prints the virtualenv's python.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/test-venv
packages=(jupyter_client jupyter_kernel_test nbclient nbformat onnx onnxruntime numpy)
if ! "$venv/bin/python" -c 'import jupyter_client, jupyter_kernel_test, nbclient, nbformat, onnx, onnxruntime, numpy' 2>/dev/null; then
  mkdir -p .build
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    # Debian's python3 needs python3-venv for ensurepip.
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
    fi
    python3 -m venv "$venv" >/dev/null
  fi
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "${packages[@]}" >&2
fi
echo "$PWD/$venv/bin/python"
