"""The work of `loom bench encode` with sentence-transformers on PyTorch (CPU): all-MiniLM-L6-v2
sentence vectors for MovieLens-100k's 1,682 item texts ("title genres", the movie_title and
class columns of data/ml-100k/ml-100k.item joined by a space), batch 32, one untimed warm-up,
then the median of --rounds timed rounds. Threads: torch.set_num_threads (intra-op) and
OMP/MKL variables set before torch is imported; OMP_WAIT_POLICY=PASSIVE (unless set), so idle
OpenMP threads sleep instead of spinning on the shared cores, as torch-ref's benchmark does.

  HF_HUB_OFFLINE=1 /tmp/venv-text/bin/python Scripts/bench-encode-torch.py --threads 1 --rounds 3
"""

import argparse
import os
import statistics
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--batch", type=int, default=32)
parser.add_argument("--model", default="models/all-MiniLM-L6-v2")
parser.add_argument("--items", default="data/ml-100k/ml-100k.item")
args = parser.parse_args()

for name in ["OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"]:
    os.environ[name] = str(args.threads)
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

torch.set_num_threads(args.threads)


def item_texts(path):
    with open(path, encoding="utf-8") as f:
        header = [field.split(":")[0] for field in f.readline().rstrip("\n").split("\t")]
        title, genres = header.index("movie_title"), header.index("class")
        texts = []
        for line in f:
            fields = line.rstrip("\n").split("\t")
            texts.append(" ".join(fields[i] for i in (title, genres) if i < len(fields)))
        return texts


if not os.path.exists(args.items):
    sys.exit(f"{args.items} is missing: run bash Examples/get-ml100k.sh")
texts = item_texts(args.items)
model = SentenceTransformer(args.model, device="cpu")
print(f"{len(texts)} texts; batch {args.batch}; torch {torch.__version__}, threads {torch.get_num_threads()}")
with torch.inference_mode():
    model.encode(texts, batch_size=args.batch)
    times = []
    for r in range(args.rounds):
        start = time.perf_counter()
        model.encode(texts, batch_size=args.batch)
        times.append(time.perf_counter() - start)
        print(f"round {r + 1}: {times[-1]:.3f} s")
median = statistics.median(times)
print(f"torch: median {median:.3f} s, {len(texts) / median:.0f} texts/s")
