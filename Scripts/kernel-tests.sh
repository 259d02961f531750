#!/usr/bin/env bash
# Drives Loom's Jupyter kernel with real clients (Tests/Kernel): installs the kernelspec of the
# given loom binary into a temporary prefix, points JUPYTER_PATH (and the data and runtime
# directories) there so nothing touches the home directory, and runs the Python tests in the
# test virtualenv (Scripts/test-venv.sh). Usage: Scripts/kernel-tests.sh [path/to/loom]
set -euo pipefail
cd "$(dirname "$0")/.."
loom=$(realpath "${1:-.build/release/loom}")
python=$(bash Scripts/test-venv.sh)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$loom" kernel install --prefix "$scratch" >/dev/null
export JUPYTER_PATH="$scratch/share/jupyter" JUPYTER_DATA_DIR="$scratch/data" JUPYTER_RUNTIME_DIR="$scratch/runtime"
export JUPYTER_CONFIG_DIR="$scratch/config" JUPYTER_PLATFORM_DIRS=1
# Jupyter itself must find the kernel where the install put it.
"$(dirname "$python")/jupyter-kernelspec" list | grep -q "^ *loom " || { echo "kernel-tests: jupyter kernelspec list does not show loom" >&2; exit 1; }
"$python" -m pytest --version >/dev/null 2>&1 && runner=(-m pytest -q Tests/Kernel) || runner=(-m unittest -v Tests/Kernel/test_loom_kernel.py)
"$python" "${runner[@]}"
