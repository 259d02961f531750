#!/usr/bin/env bash
# Loom against the PyTorch reference (torch-ref) on the same machine, back to back: MIN (d=100)
# and MFN4Rec (hidden 20, a loss at every step) on MovieLens-100k-shaped synthetic data, on 1 and
# 2 threads, then a table of the ratios (PyTorch seconds / Loom seconds: above 1 is Loom faster).
#
#   bash Examples/bench-vs-torch.sh [path/to/torch-ref] [rounds]
#
# torch-ref defaults to ../shared/bench/torch-ref; torch and numpy are installed from PyPI into
# a virtualenv at ${LOOM_TORCH_VENV:-$HOME/.cache/loom/torch-venv} (about 3 GB, once). Each
# round runs every configuration of both sides once; with several rounds the table shows the
# median ratio. Results go to bench-results/ (JSON of each run and ratios.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ref=$(realpath "${1:-../shared/bench/torch-ref}")
rounds=${2:-1}
venv=${LOOM_TORCH_VENV:-$HOME/.cache/loom/torch-venv}
out=bench-results
[ -f "$ref/bench.py" ] || { echo "no bench.py in $ref: pass the torch-ref folder as the first argument" >&2; exit 64; }
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import torch, numpy" 2>/dev/null; then
  echo "installing torch and numpy into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q torch numpy
fi
swift build -c release --product loom
loom=.build/release/loom
mkdir -p "$out"
export OMP_WAIT_POLICY=PASSIVE  # as torch-ref: idle OpenMP/OpenBLAS threads sleep, not spin
for round in $(seq 1 "$rounds"); do
  for threads in 1 2; do
    echo "round $round, $threads thread(s): PyTorch"
    (cd "$ref" && "$venv/bin/python" bench.py --models min,mfn4rec --threads "$threads" --d 100 \
      --mfn-hidden 20 --mfn-targets all --json "$OLDPWD/$out/torch-t$threads-r$round.json" > /dev/null)
    for model in min mfn4rec; do
      echo "round $round, $threads thread(s): Loom $model"
      "$loom" bench "$model" --threads "$threads" --json "$out/loom-$model-t$threads-r$round.json" > /dev/null
    done
  done
done
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
names = {"min": "min", "mfn4rec": "mfn4rec(dh=20)"}
lines = ["| model | threads | Loom s/epoch | PyTorch s/epoch | epoch ratio | Loom eval s | PyTorch eval s | eval ratio | Loom RSS MiB | PyTorch RSS MiB |",
         "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
for model in ["min", "mfn4rec"]:
    for threads in [1, 2]:
        rows = []
        for r in range(1, rounds + 1):
            loom = json.load(open(f"{out}/loom-{model}-t{threads}-r{r}.json"))
            torch = next(x for x in json.load(open(f"{out}/torch-t{threads}-r{r}.json"))["results"] if x["model"] == names[model])
            rows.append((loom["epoch_s"], torch["epoch_s_median"], loom["eval_s"], torch["eval_s_median"],
                         loom["peak_rss_mib"], torch["peak_rss_mib"]))
        med = lambda i: statistics.median(row[i] for row in rows)
        ratio = lambda a, b: statistics.median(row[b] / row[a] for row in rows)
        lines.append(f"| {model} | {threads} | {med(0):.2f} | {med(1):.2f} | {ratio(0, 1):.2f} | {med(2):.3f} | {med(3):.3f} | "
                     f"{ratio(2, 3):.2f} | {med(4):.0f} | {med(5):.0f} |")
table = "\n".join(lines) + f"\n\nmedians over {rounds} round(s); ratio = PyTorch / Loom (above 1: Loom faster)\n"
open(f"{out}/ratios.md", "w").write(table)
print(table)
PY
