"""Writes the reference numbers LoomText's tests compare against:
Tests/LoomTextTests/Fixtures/minilm-reference.json.

For all-MiniLM-L6-v2 (models/all-MiniLM-L6-v2, fetched by Examples/get-minilm.sh) it records
  - token ids from sentence-transformers' own tokenization (HF tokenizers underneath, with
    max_seq_length 256) for texts chosen to hit every rule of BERT's tokenizer;
  - sentence vectors from SentenceTransformer.encode (mean pooling, L2 normalised), rounded to
    7 significant digits, for ordinary sentences and product and movie texts.

Run once, then commit the JSON with this script:
  python3 -m venv /tmp/venv-text && /tmp/venv-text/bin/pip install torch sentence-transformers
  HF_HUB_OFFLINE=1 /tmp/venv-text/bin/python Scripts/encoder-reference.py
"""

import json
import os
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
model_dir = os.path.join(root, "models", "all-MiniLM-L6-v2")
out_path = os.path.join(root, "Tests", "LoomTextTests", "Fixtures", "minilm-reference.json")

long_text = " ".join(
    f"Sentence number {i} talks about unbelievably complicated microbiological instrumentation, "
    f"calibrated at {i}.5 degrees." for i in range(40))

# Each text aims at one rule of the tokenizer (the comment says which).
token_texts = [
    "",  # nothing: [CLS] [SEP]
    "   \t\n  ",  # only whitespace
    "Hello, World!",  # mixed case, punctuation split off
    "naïve café résumé Ångström",  # accents stripped after NFD
    "İstanbul ΣΑΣ straße SS ẞ ǅ",  # special lowercase mappings
    "3.14, 1,000.5 10% $9.99 2-3 1/2-Inch #10-24 x 3/4\"",  # numbers with punctuation
    "a_b-c a$b+c<d>e|f~g^h`i {x} [y] (z) @home",  # ASCII symbols BERT counts as punctuation
    "¿Qué? ¡Sí! «quote» — dash – en … ellipsis · dot ‰",  # Unicode punctuation
    "日本語のテキスト 中文句子 한국어 ひらがな",  # CJK ideographs padded, kana and hangul not
    "emoji 😀 👍🏽 🥲 ❤️ in text",  # emoji: [UNK] words
    "control\u0000chars\u0007and\u001bescapes\u200bzero\u00adwidth\ufffdreplacement",  # removed
    "tabs\tnew\nlines\r\nnbsp\u00a0ideographic\u3000space\u2028separator",  # whitespace kinds
    "unaffable tokenization hyperparameterization antidisestablishmentarianism",  # ## pieces
    "x" * 101 + " " + "y" * 100,  # over and at max_input_chars_per_word
    "a[MASK]b [CLS] [cls] [SEP]x [UNK]",  # special tokens kept whole in the raw text
    "ｆｕｌｌｗｉｄｔｈ Ⅻ ③ ﬁne ½ ²",  # compatibility characters are not folded (NFD only)
    "new characters: a\u2e43b a\u0890b a\u0378b a\U0002B820b",  # Unicode > 8.0, unassigned, Ext E
    "e\u0301t\u00e9 o\u0308 n\u0303",  # combining marks already decomposed
    "Toy Story (1995) Animation Children's Comedy",  # a MovieLens title with its genres
    long_text,  # longer than 256 tokens: truncated
]

vector_texts = [
    "",
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "The girl is carrying a baby.",
    "A monkey is playing drums.",
    "Two men pushed carts through the woods.",
    "Toy Story (1995) Animation Children's Comedy",
    "GoldenEye (1995) Action Adventure Thriller",
    "Twelve Monkeys (1995) Drama Sci-Fi",
    "Stainless Steel Digital Caliper, 0-6 Inch, Extra Large LCD Screen. Industrial & Scientific "
    "Test, Measure & Inspect Measuring & Layout Tools Calipers. Precision Works.",
    "Nitrile Exam Gloves, Powder Free, Medium, Box of 100. Industrial & Scientific Lab & Safety "
    "Supplies Personal Protective Equipment Gloves. CleanHands.",
    "Borosilicate Glass Beaker Set, 50 ml 100 ml 250 ml 500 ml, Graduated. Industrial & "
    "Scientific Lab Supplies Beakers. LabCraft.",
    "Heat Shrink Tubing Kit 2:1, 560 pcs, 5 Colors. Industrial & Scientific Electrical Wire "
    "Management Heat-Shrink Tubing. WireTech.",
    "Stainless Steel Hex Nut, M6 x 1 mm, Pack of 50. Industrial & Scientific Fasteners Nuts "
    "Hex Nuts. FastenPro.",
    "naïve café résumé — ¿Qué? 日本語 😀",
    "3.14, 1,000.5 10% $9.99 2-3 1/2-Inch",
    "control\u0000chars\u200b and\ttabs",
    "unaffable tokenization hyperparameterization",
    "a[MASK]b [CLS] [SEP]",
    long_text,
]


def rounded(values, digits=7):
    return [float(f"{v:.{digits}g}") for v in values]


def main():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if not os.path.isdir(model_dir):
        sys.exit(f"{model_dir} is missing: run bash Examples/get-minilm.sh")
    from sentence_transformers import SentenceTransformer
    import sentence_transformers
    import tokenizers
    import torch
    import transformers

    model = SentenceTransformer(model_dir, device="cpu")
    ids = [[int(i) for i in model.tokenize([t])["input_ids"][0].tolist()] for t in token_texts]
    vectors = model.encode(vector_texts, batch_size=8, convert_to_numpy=True, normalize_embeddings=False)
    fixture = {
        "model": "all-MiniLM-L6-v2",
        "produced_by": {
            "sentence_transformers": sentence_transformers.__version__,
            "transformers": transformers.__version__,
            "tokenizers": tokenizers.__version__,
            "torch": torch.__version__,
        },
        "max_seq_length": model.max_seq_length,
        "tokens": [{"text": t, "ids": i} for t, i in zip(token_texts, ids)],
        "vectors": [{"text": t, "vector": rounded(v.tolist())} for t, v in zip(vector_texts, vectors)],
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=True, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {out_path}: {len(ids)} token cases, {len(vectors)} vectors of {vectors.shape[1]}")


if __name__ == "__main__":
    main()
