#!/usr/bin/env python3
"""Generates the SentencePiece parity fixture for Tests/TokenizerTests.

Development-time only: the Swift tests read the committed JSON and need neither Python nor the
SentencePiece command-line tools. Run from the repository root after `fae-t2i tokenizer train` has
written models/default/spiece.model:

    python3 scripts/make_tokenizer_fixtures.py

Needs spm_train / spm_encode / spm_decode (Debian package `sentencepiece`, the same library release
as libsentencepiece-dev) and, for a cross-check only, the Python `sentencepiece` package.

Writes Tests/Fixtures/tokenizer/:
  mixed_corpus.txt  a small corpus: 1,500 shapes captions plus multilingual and emoji lines
  mixed.model       trained on it by spm_train itself (unigram, vocab 200, T5 ids, nmt_nfkc: cased)
  default.model     a copy of models/default/spiece.model (the fixture must not move when it is retrained)
  parity.json       for each model and each of the texts below: the pieces and ids spm_encode prints,
                    and the text spm_decode gives back for those ids
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

OUT = "Tests/Fixtures/tokenizer"

# Edge cases the Swift wrapper must pass through the library unchanged. No newlines: spm_encode is
# line-based.
TEXTS = [
    "a red circle",
    "a red circle to the left of a blue square",
    "a picture of three small green triangles on a black background",
    "an image of a large pink cross in the top right corner",
    "a yellow diamond, a cyan circle and a purple square",
    "two orange plus signs beneath a grey square on a gray background",
    "A Red Circle",
    "A RED CIRCLE TO THE LEFT OF A BLUE SQUARE",
    "  a   red    circle  ",
    "\ta red circle\t",
    "",
    " ",
    "   ",
    "\t",
    "a",
    "circle",
    "circles",
    "redcircle",
    "a red circle.",
    "a red circle!!! (really?)",
    "7 red circles, 10 blue squares",
    "a red circle 😀",
    "😀",
    "👩‍🚀 a blue astronaut",
    "🇫🇷 flag",
    "👍🏽",
    "赤い丸",
    "一个红色的圆圈在蓝色方块的左边",
    "빨간 원",
    "e\u0301cole",
    "\u00e9cole",
    "cafe\u0301 au lait",
    "Ａ ｒｅｄ ｃｉｒｃｌｅ",
    "ﬁne ﬂower",
    "x² + y² = r²",
    "½ red circle",
    "a\u00a0red\u00a0circle",
    "a\u200bred circle",
    "Straße und Grüße",
    "naïve résumé",
    "Ελληνικά",
    "Русский текст",
    "مرحبا بالعالم",
    "שלום עולם",
    "नमस्ते दुनिया",
    "ไทย",
    "</s>",
    "<pad> <unk>",
    "▁a ▁red",
    "a red circle" * 8,
    "the quick brown fox jumps over the lazy dog",
    "ZWJ‍only",
    "\u0301",
    "tab\there",
]

MIXED_EXTRA = [
    "Straße und Grüße aus München",
    "naïve café résumé à la carte",
    "赤い丸と青い四角",
    "一个红色的圆圈",
    "Ελληνικά γράμματα",
    "Русский текст для проверки",
    "A Red Circle And A Blue Square",
    "the quick brown fox jumps over the lazy dog",
    "😀 😃 😄 👍",
    "numbers 1 2 3 4 5 6 7 8 9 0",
]


def run(args, text=None):
    result = subprocess.run(args, input=text, capture_output=True, text=True, encoding="utf-8")
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def encode(model, texts):
    joined = "".join(t + "\n" for t in texts)
    piece_lines = run(["spm_encode", f"--model={model}", "--output_format=piece"], joined).split("\n")[: len(texts)]
    id_lines = run(["spm_encode", f"--model={model}", "--output_format=id"], joined).split("\n")[: len(texts)]
    pieces = [line.split(" ") if line else [] for line in piece_lines]
    ids = [[int(x) for x in line.split(" ")] if line else [] for line in id_lines]
    decoded = run(["spm_decode", f"--model={model}", "--input_format=id"],
                  "".join(" ".join(map(str, i)) + "\n" for i in ids)).split("\n")[: len(texts)]
    return pieces, ids, decoded


def cross_check(model, texts, pieces, ids):
    try:
        import sentencepiece as spm
    except ImportError:
        print("python sentencepiece not installed: skipping the cross-check")
        return
    sp = spm.SentencePieceProcessor(model_file=model)
    for text, p, i in zip(texts, pieces, ids):
        if sp.encode(text, out_type=str) != p or sp.encode(text) != i:
            print(f"warning: python sentencepiece {spm.__version__} differs from spm_encode on {text!r}")


def main():
    if any("\n" in t or "\r" in t for t in TEXTS):
        sys.exit("texts must be single lines")
    os.makedirs(OUT, exist_ok=True)
    with open("prompts/corpus.txt", encoding="utf-8") as f:
        captions = f.read().split("\n")[:1500]
    with open(f"{OUT}/mixed_corpus.txt", "w", encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in captions + MIXED_EXTRA * 3))
    with tempfile.TemporaryDirectory() as scratch:
        run(["spm_train", f"--input={OUT}/mixed_corpus.txt", f"--model_prefix={scratch}/mixed", "--vocab_size=200",
             "--model_type=unigram", "--character_coverage=1.0", "--normalization_rule_name=nmt_nfkc",
             "--pad_id=0", "--eos_id=1", "--unk_id=2", "--bos_id=-1", "--num_threads=1", "--minloglevel=2"])
        shutil.copy(f"{scratch}/mixed.model", f"{OUT}/mixed.model")
    shutil.copy("models/default/spiece.model", f"{OUT}/default.model")

    version = run(["spm_encode", "--version"]).strip()
    fixture = {"generator": "scripts/make_tokenizer_fixtures.py", "tool": version, "models": {}}
    for name in ["mixed.model", "default.model"]:
        model = f"{OUT}/{name}"
        pieces, ids, decoded = encode(model, TEXTS)
        cross_check(model, TEXTS, pieces, ids)
        fixture["models"][name] = [
            {"text": t, "pieces": p, "ids": i, "decoded": d} for t, p, i, d in zip(TEXTS, pieces, ids, decoded)
        ]
    with open(f"{OUT}/parity.json", "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(TEXTS)} texts x {len(fixture['models'])} models ({version})")


if __name__ == "__main__":
    main()
