#!/usr/bin/env bash
# The picture in Docs/jupyter.md: Loom's kernel in a real JupyterLab, a plot under a cell.
# Runs a short notebook through the kernel (nbclient), opens it in a local JupyterLab (PyPI, in
# .build/jupyterlab-venv) and photographs the page with Debian's headless Chromium. Nothing
# touches the home directory: the kernelspec, Jupyter's settings and the browser profile live in
# a temporary folder. Usage: Scripts/jupyterlab-screenshot.sh [path/to/loom] [out.png]
set -euo pipefail
cd "$(dirname "$0")/.."
loom=$(realpath "${1:-.build/release/loom}")
out=$(realpath -m "${2:-Docs/images/jupyterlab.png}")
browser=$(command -v chromium || true)
if [ -z "$browser" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "jupyterlab-screenshot: needs chromium (apt-get install chromium)" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  browser=$(command -v chromium)
fi
venv=.build/jupyterlab-venv
if ! "$venv/bin/python" -c 'import jupyterlab, nbclient, nbformat' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check jupyterlab nbclient nbformat >&2
fi
scratch=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT
"$loom" kernel install --prefix "$scratch" >/dev/null
export JUPYTER_PATH="$scratch/share/jupyter" JUPYTER_DATA_DIR="$scratch/data" JUPYTER_RUNTIME_DIR="$scratch/runtime"
export JUPYTER_CONFIG_DIR="$scratch/config" JUPYTER_PLATFORM_DIRS=1 JUPYTERLAB_SETTINGS_DIR="$scratch/lab-settings"
export JUPYTERLAB_WORKSPACES_DIR="$scratch/lab-workspaces" OPENBLAS_NUM_THREADS=1
mkdir -p "$scratch/work"

# The notebook: a short fit, its curves under the cell, a report and the model summary as tables.
"$venv/bin/python" - "$scratch/work/loom-in-jupyterlab.ipynb" <<'PY'
import sys
import nbformat
from nbclient import NotebookClient

cells = [
    'data = synthetic(users: 400, items: 600, seed: 1)\nm = MIN(data, dim: 32)\nh = fit(m, data, epochs: 6)',
    'plot(h, y: ["loss", "ndcg@10"], title: "MIN: training loss and validation NDCG@10", width: 720, height: 400)',
    'evaluate(m, data, k: [10, 20], metrics: ["ndcg", "hr"])',
    'summary(m)',
]
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
nb.metadata["kernelspec"] = {"name": "loom", "display_name": "Loom", "language": "loom"}
NotebookClient(nb, timeout=600, kernel_name="loom").execute()
nbformat.validate(nb)
nbformat.write(nb, sys.argv[1])
PY

# No "news" prompt over the page.
mkdir -p "$JUPYTERLAB_SETTINGS_DIR/@jupyterlab/apputils-extension"
echo '{"fetchNews": "false", "checkForUpdates": false}' >"$JUPYTERLAB_SETTINGS_DIR/@jupyterlab/apputils-extension/notification.jupyterlab-settings"

port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$venv/bin/jupyter" lab --no-browser --ip 127.0.0.1 --port "$port" --allow-root --ServerApp.token= \
  --ServerApp.password= --ServerApp.root_dir="$scratch/work" >"$scratch/lab.log" 2>&1 &
server=$!
for _ in $(seq 60); do
  curl -sf "http://127.0.0.1:$port/api" >/dev/null && break
  sleep 1
done
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$scratch/browser" \
  --window-size=1280,1500 --virtual-time-budget=40000 --screenshot="$out" \
  "http://127.0.0.1:$port/lab/tree/loom-in-jupyterlab.ipynb" 2>"$scratch/browser.log" || {
  cat "$scratch/browser.log" >&2
  exit 1
}
echo "wrote $out"
