#!/usr/bin/env bash
# How training and evaluation grow with the data: `loom bench` on synthetic sets of 1x, 3x and
# 12x MovieLens-100k's interactions (1x is torch-ref's ml-100k shape; 12x is MIN's MovieLens of
# Table 1: 1.24M interactions, 55k users, 6k items; see BenchmarkData), for MIN and SASRec, then
# the curves drawn by Loom's own gnuplot support into Docs/images/.
#
#   bash Examples/scale.sh [threads]        (about 30 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-1}
# LOOM=path/to/loom uses a given binary instead of building one.
if [ -z "${LOOM:-}" ]; then swift build -c release --product loom; fi
loom=${LOOM:-.build/release/loom}
out=bench-results
mkdir -p "$out" Docs/images
for model in min sasrec; do
  for scale in 1 3 12; do
    echo "$model at ${scale}x"
    # Length-bucketed batches (fit's buckets: true): at 12x most histories are short, and padding
    # every row to maxlen would make the epoch grow with users rather than with interactions.
    # One timed epoch at 12x (minutes each), the median of 3 below it.
    epochs=3; [ "$scale" = 12 ] && epochs=1
    "$loom" bench "$model" --scale "$scale" --threads "$threads" --epochs "$epochs" --warmup 1 --buckets \
      --json "$out/scale-$model-$scale.json" | tee "$out/scale-$model-$scale.txt" | tail -n 2
  done
done
# The measurements as a Loom table, plotted with plot(): one series per model.
python3 - "$out" > "$out/scale.loom" <<'PY'
import json, sys
out = sys.argv[1]
rows = []
for model in ["min", "sasrec"]:
    for scale in [1, 3, 12]:
        j = json.load(open(f"{out}/scale-{model}-{scale}.json"))
        # Microseconds of training per trained target: flat when the epoch is linear in the work.
        rows.append("{model: \"%s\", interactions: %d, targets: %d, epoch_s: %.3f, us_per_target: %.1f, eval_s: %.3f, rss_mib: %.0f}"
                    % ("MIN" if model == "min" else "SASRec", j["interactions"], j["targets"], j["epoch_s"],
                       j["epoch_s"] / j["targets"] * 1e6, j["eval_s"], j["peak_rss_mib"]))
print("rows = [" + ",\n        ".join(rows) + "]")
print("print(rows)")
for key, title in [("epoch_s", "seconds per training epoch"), ("us_per_target", "microseconds of training per target"),
                   ("eval_s", "seconds per full-ranking evaluation"),
                   ("rss_mib", "peak resident memory (MiB)")]:
    print(f'plot(rows, x: "interactions", y: "{key}", by: "model", to: "Docs/images/scale-{key}.png", title: "{title} against interactions")')
PY
"$loom" run "$out/scale.loom"
