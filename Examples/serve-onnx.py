"""Serving a Loom model with ONNX Runtime (Docs/serving.md).

    python Examples/serve-onnx.py min.onnx                      # recommend for one history
    python Examples/serve-onnx.py min.onnx --bench              # latency and throughput
    python Examples/serve-onnx.py min.onnx --check min-top10.csv ../shared/data/amazon-scientific-mm

--check compares the model's top 10 with Loom's (export(m, data, path, k: 10)) for every user of
a pre-split folder (UniSRec's NAME.test.inter, item2index, user2index): each user's sequence is
their test history and target, as Loom's export reads it. Needs numpy and onnxruntime (PyPI);
Scripts/test-venv.sh makes a virtualenv with both.
"""
import argparse
import csv
import glob
import json
import os
import statistics
import time

import numpy as np
import onnxruntime as ort


def load(path, threads=1):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    with open(path[: -len(".onnx")] + ".json" if path.endswith(".onnx") else path + ".json") as f:
        items = json.load(f)
    return session, items


def rows(histories, items):
    """Original item ids, oldest first -> the model's input: indices, left-padded to maxlen."""
    index = {item["id"]: item["index"] for item in items["items"] if "id" in item}
    maxlen = items["maxlen"]
    batch = np.zeros((len(histories), maxlen), dtype=np.int64)
    for r, history in enumerate(histories):
        ids = [index[i] for i in history][-maxlen:]
        batch[r, maxlen - len(ids):] = ids
    return batch


def example(session, items):
    history = [item["id"] for item in items["items"][1:4]]  # any original ids, oldest first
    top, scores = session.run(["top_items", "top_scores"], {"history": rows([history], items)})
    print("history:", history)
    for rank, (i, s) in enumerate(zip(top[0], scores[0]), 1):
        item = items["items"][i]
        print(f"{rank:2}  {item['id']}  {s:.4f}  {item.get('title', '')[:70]}")


def bench(path, items, seed=0):
    """Median seconds per call over repeated calls: one user at a time, and batches of 256."""
    rng = np.random.default_rng(seed)
    count = len(items["items"]) - 1
    maxlen = items["maxlen"]
    print(f"{path}: {os.path.getsize(path) / 1e6:.1f} MB, {count} items, maxlen {maxlen}; onnxruntime {ort.__version__}")
    for threads in (1, 2):
        session, _ = load(path, threads)
        for batch, calls in ((1, 300), (256, 20)):
            # Histories of 7 items (the Amazon set's mean), left-padded; the model runs all maxlen
            # positions whatever the length.
            histories = np.zeros((batch, maxlen), dtype=np.int64)
            histories[:, -7:] = rng.integers(1, count + 1, size=(batch, 7))
            session.run(["top_items"], {"history": histories})  # warm-up
            times = []
            for _ in range(calls):
                start = time.perf_counter()
                session.run(["top_items", "top_scores"], {"history": histories})
                times.append(time.perf_counter() - start)
            median = statistics.median(times)
            print(
                f"threads {threads}  batch {batch:3}: {median * 1e3:8.2f} ms a call, {median / batch * 1e3:6.3f} ms a user"
                f" (median of {calls})"
            )


def check(session, items, top10_csv, folder):
    name = os.path.basename(glob.glob(os.path.join(folder, "*.test.inter"))[0])[: -len(".test.inter")]
    item_ids = {}
    with open(os.path.join(folder, f"{name}.item2index")) as f:
        for line in f:
            original, index = line.rstrip("\n").split("\t")
            item_ids[index] = original
    user_ids = {}
    with open(os.path.join(folder, f"{name}.user2index")) as f:
        for line in f:
            original, index = line.rstrip("\n").split("\t")
            user_ids[index] = original
    users, histories = [], []
    with open(os.path.join(folder, f"{name}.test.inter")) as f:
        next(f)
        for line in f:
            user, history, target = line.rstrip("\n").split("\t")
            users.append(user_ids[user])
            histories.append([item_ids[i] for i in history.split(" ")] + [item_ids[target]])
    loom = {}
    with open(top10_csv) as f:
        for row in csv.DictReader(f):
            loom.setdefault(row["user"], []).append((int(row["rank"]), row["item"], float(row["score"])))
    top, scores = session.run(["top_items", "top_scores"], {"history": rows(histories, items)})
    same, largest = 0, 0.0
    for r, user in enumerate(users):
        ranked = [item for _, item, _ in sorted(loom[user])]
        mine = [items["items"][i]["id"] for i in top[r]]
        same += ranked == mine
        largest = max(largest, max(abs(a - b) for a, (_, _, b) in zip(scores[r], sorted(loom[user]))))
    print(f"{same} of {len(users)} users: the same top 10 as Loom; largest top-10 score difference {largest:.2e}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model")
    parser.add_argument("--bench", action="store_true")
    parser.add_argument("--check", nargs=2, metavar=("TOP10_CSV", "DATA_FOLDER"))
    args = parser.parse_args()
    session, items = load(args.model)
    if args.bench:
        bench(args.model, items)
    elif args.check:
        check(session, items, *args.check)
    else:
        example(session, items)
