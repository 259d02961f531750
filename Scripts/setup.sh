#!/usr/bin/env bash
# Installs what Loom needs from Debian, once: OpenBLAS (+LAPACKE), GNU readline, gnuplot,
# libzmq (the Jupyter kernel speaks ZeroMQ) and Open MPI (training across processes: the
# library Loom links, and mpirun).
# Idempotent: packages already present are not touched, and nothing runs apt when all are there.
set -euo pipefail

packages=(libopenblas-dev liblapacke-dev libreadline-dev gnuplot-nox fonts-liberation libzmq3-dev libopenmpi-dev openmpi-bin)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: need root to apt-get install ${missing[*]}; run: sudo $0" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { [ -x /opt/swift/usr/bin/swift ] || { echo "setup: no Swift toolchain found (expected /opt/swift)" >&2; exit 1; }; }

# The notebook test validates output with nbformat's own validator when it can be had from PyPI.
if command -v python3 >/dev/null && ! python3 -c 'import nbformat' 2>/dev/null; then
  python3 -m pip install -q nbformat >/dev/null 2>&1 || echo "setup: nbformat not installed; the notebook validator test will be skipped" >&2
fi
