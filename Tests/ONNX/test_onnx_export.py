"""Loom's ONNX export checked by the ONNX tools themselves.

For every model of the prelude: train one epoch on a small multimodal data set (MMRec's layout,
written here with random visual and text vectors), export it with export_onnx, and check that
(also for MIN, MFN4Rec and FDSA with text as words, and for two models exported for histories
shorter than their users')
- onnx.checker's full check (with shape inference) accepts the file;
- ONNX Runtime's scores equal Loom's for every user and every unseen item to 1e-4 (Loom's
  scores come from export(model, data, path, k: items), which lists every unseen item with
  its Float32 score);
- ONNX Runtime's top_items equal Loom's top-10 for every user, and one user alone scores as
  in the whole batch.

Run by Scripts/onnx-tests.sh with the loom binary in LOOM.
"""
import csv
import json
import os
import subprocess
import tempfile
import unittest

import numpy as np
import onnx
import onnxruntime as ort

LOOM = os.environ.get("LOOM", ".build/release/loom")
USERS, ITEMS, DIM = 40, 60, 12
# Scores closer than this are a near-tie, whose order float summation may swap (see check_model).
TIE = 1e-6
# Every model of the prelude, with small sizes (the export does not depend on them).
MODELS = {
    "SASRec": "SASRec(d, dim: 16, heads: 2)",
    "GRU4Rec": "GRU4Rec(d, dim: 16)",
    "FDSA": "FDSA(d, dim: 16)",
    "pRNN": "pRNN(d, dim: 16)",
    "MIN": "MIN(d, dim: 16)",
    "MIN_i": "MIN_i(d, dim: 16)",
    "MIN_s": "MIN_s(d, dim: 16)",
    "MIN_v": "MIN_v(d, dim: 16)",
    "MIN_t": "MIN_t(d, dim: 16)",
    "MIN_add": "MIN_add(d, dim: 16)",
    "MIN_dot": "MIN_dot(d, dim: 16)",
    "MFN4Rec": "MFN4Rec(d, dim: 8, size: 6)",
    "MFN4Rec_g": "MFN4Rec_g(d, dim: 8)",
    "MFN4Rec_m": "MFN4Rec_m(d, dim: 8, size: 6)",
    "MFN4Rec_add": "MFN4Rec_add(d, dim: 8)",
}


# The same models where the text side is words learned from scratch (a GRU over word embeddings
# in MIN, TF-IDF weighted embeddings in MFN4Rec and FDSA), from RecBole atomic files: item-level
# text encoders are part of the item table the export computes.
WORD_MODELS = {
    "MIN_words": "MIN(w, dim: 16)",
    "MFN4Rec_words": "MFN4Rec(w, dim: 8, size: 6)",
    "FDSA_words": "FDSA(w, dim: 16)",
}
# Exported for histories of 8 items, shorter than many users' (the model's own maxlen is 50): the
# input is each user's last 8 items, as Loom's export(..., maxlen: 8) scores them. Loom's lists
# exclude the whole history and the model only the 8 it sees, so here the scores are compared,
# and the top items only for holding no item of the input.
SHORT_MODELS = {"SASRec_8": "SASRec(d, dim: 16, heads: 2)", "MIN_8": "MIN(d, dim: 16)"}
SHORT = 8
WORDS = ["red", "blue", "lamp", "glass", "steel", "round", "small", "large", "lab", "kit", "tube", "flask"]


def write_word_data(folder):
    """RecBole atomic files: words.inter, and words.item with a title (token_seq, the words)
    and a visual float_seq column."""
    rng = np.random.default_rng(11)
    os.makedirs(folder)
    histories = {}
    with open(os.path.join(folder, "words.inter"), "w") as f:
        f.write("user_id:token\titem_id:token\ttimestamp:float\n")
        for user in range(USERS):
            length = int(rng.integers(4, 16))
            items = [f"i{int(i)}" for i in rng.choice(ITEMS, size=length, replace=False)]
            for t, item in enumerate(items):
                f.write(f"u{user}\t{item}\t{1000 * user + t}\n")
            histories[f"u{user}"] = items
    with open(os.path.join(folder, "words.item"), "w") as f:
        f.write("item_id:token\ttitle:token_seq\tvisual:float_seq\n")
        for item in range(ITEMS):
            title = " ".join(rng.choice(WORDS, size=int(rng.integers(1, 5))))
            visual = " ".join(f"{v:.4f}" for v in rng.normal(size=DIM))
            f.write(f"i{item}\t{title}\t{visual}\n")
    return histories


def write_data(folder):
    """MMRec's layout: tiny.inter (x_label 0/1/2: train, valid, test) and the feature tables."""
    rng = np.random.default_rng(7)
    os.makedirs(folder)
    rows, histories = [], {}
    for user in range(USERS):
        length = int(rng.integers(4, 16))
        items = rng.choice(ITEMS, size=length, replace=False)
        for t, item in enumerate(items):
            label = 0 if t < length - 2 else (1 if t == length - 2 else 2)
            rows.append((user, int(item), 1000 * user + t, label))
        histories[str(user)] = [str(int(i)) for i in items]
    with open(os.path.join(folder, "tiny.inter"), "w") as f:
        f.write("userID\titemID\trating\ttimestamp\tx_label\n")
        for user, item, time, label in rows:
            f.write(f"{user}\t{item}\t5\t{time}\t{label}\n")
    np.save(os.path.join(folder, "image_feat.npy"), rng.normal(size=(ITEMS, DIM)).astype(np.float32))
    np.save(os.path.join(folder, "text_feat.npy"), rng.normal(size=(ITEMS, DIM)).astype(np.float32))
    return histories


class ONNXExport(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.TemporaryDirectory()
        cls.dir = cls.scratch.name
        cls.histories = write_data(os.path.join(cls.dir, "tiny"))
        cls.word_histories = write_word_data(os.path.join(cls.dir, "words"))
        lines = [f'd = load("{cls.dir}/tiny")', f'w = load("{cls.dir}/words", text: ["title"], visual: "visual")']
        for name, call in list(MODELS.items()) + list(WORD_MODELS.items()) + list(SHORT_MODELS.items()):
            data = "w" if name in WORD_MODELS else "d"
            maxlen = f", maxlen: {SHORT}" if name in SHORT_MODELS else ""
            lines += [
                f"m = {call}",
                f"fit(m, {data}, epochs: 1, seed: 3)",
                f'export_onnx(m, {data}, "{cls.dir}/{name}.onnx", k: 10{maxlen})',
                f'export(m, {data}, "{cls.dir}/{name}.csv", k: {ITEMS}{maxlen})',
            ]
        script = os.path.join(cls.dir, "export.loom")
        with open(script, "w") as f:
            f.write("\n".join(lines) + "\n")
        run = subprocess.run([LOOM, "run", script], capture_output=True, text=True, timeout=1200)
        if run.returncode != 0:
            raise AssertionError(f"loom run failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
        cls.loom_output = run.stdout

    @classmethod
    def tearDownClass(cls):
        cls.scratch.cleanup()

    def check_model(self, name):
        self.near_ties = 0
        path = os.path.join(self.dir, f"{name}.onnx")
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        self.assertEqual(model.opset_import[0].version, 17)
        with open(os.path.join(self.dir, f"{name}.json")) as f:
            sidecar = json.load(f)
        maxlen = sidecar["maxlen"]
        self.assertEqual(maxlen, SHORT if name in SHORT_MODELS else 50)
        index = {item["id"]: item["index"] for item in sidecar["items"] if "id" in item}
        self.assertEqual(len(index), ITEMS)
        histories = self.word_histories if name in WORD_MODELS else self.histories
        users = sorted(histories)
        history = np.zeros((len(users), maxlen), dtype=np.int64)
        for row, user in enumerate(users):
            items = [index[i] for i in histories[user]][-maxlen:]
            history[row, maxlen - len(items):] = items
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        scores, top_items, top_scores = session.run(["scores", "top_items", "top_scores"], {"history": history})
        self.assertEqual(scores.shape, (len(users), ITEMS + 1))
        self.assertEqual(top_items.shape, (len(users), 10))

        # Loom's scores of every unseen item, and its top 10, per user.
        loom = {}
        with open(os.path.join(self.dir, f"{name}.csv")) as f:
            for row in csv.DictReader(f):
                loom.setdefault(row["user"], []).append((int(row["rank"]), index[row["item"]], float(row["score"])))
        largest = 0.0
        for row, user in enumerate(users):
            ranked = sorted(loom[user])
            self.assertEqual(len(ranked), ITEMS - len(set(histories[user])), f"{name}: user {user}'s unseen items")
            for _, item, score in ranked:
                largest = max(largest, abs(float(scores[row, item]) - score))
            if name in SHORT_MODELS:
                seen = set(history[row].tolist())
                self.assertFalse(seen & set(top_items[row].tolist()), f"{name}: user {user}'s top items")
                continue
            # The same top 10, position by position. Two items whose Loom scores differ by less
            # than TIE are a near-tie: a different summation order may swap them, so there the
            # check is that ORT's item has (up to TIE) the score Loom ranks at that position.
            loom_score = {item: score for _, item, score in ranked}
            for position, item in enumerate(top_items[row].tolist()):
                expected = ranked[position]
                if item == expected[1]:
                    continue
                gap = abs(loom_score.get(item, float("inf")) - expected[2])
                self.assertLessEqual(
                    gap, TIE, f"{name}: user {user}, rank {position + 1}: ORT {item}, Loom {expected[1]}")
                self.near_ties += 1
            np.testing.assert_allclose(top_scores[row], [s for _, _, s in ranked[:10]], atol=1e-4, rtol=0)
        self.assertLessEqual(largest, 1e-4, f"{name}: largest score difference {largest}")

        # One user alone scores as in the batch (the batch axis is free).
        alone = session.run(["scores"], {"history": history[3:4]})[0]
        np.testing.assert_allclose(alone[0], scores[3], atol=1e-5, rtol=0)
        return largest


def make_test(name):
    def test(self):
        largest = self.check_model(name)
        print(
            f"{name}: onnx.checker full check passed; largest |ORT - Loom| score difference {largest:.2e};"
            f" near-ties ordered differently in the top 10: {self.near_ties}"
        )

    test.__name__ = f"test_{name}"
    return test


for _name in list(MODELS) + list(WORD_MODELS) + list(SHORT_MODELS):
    setattr(ONNXExport, f"test_{_name}", make_test(_name))

if __name__ == "__main__":
    unittest.main(verbosity=2)
