#!/usr/bin/env python3
"""Linear probes on a model folder's T5 text encoder: what does each shape word's output vector say?

Development-time diagnostic (docs/experiments.md: does the text encoder bind a colour to its shape?);
never needed to build, run or test.
The MMDiT sees the text tokens only through the text encoder's outputs (before `text_positions`
its text stream had no positions), so it can bind colour to shape, or tell the first object of a
relation from the second, only as far as these vectors carry it. Run from the repository root:

    python3 scripts/probe_text_encoder.py --model models/default --captions DATA/captions.jsonl

DATA is a `fae-t2i data generate` folder (the evaluation split keeps it honest). Needs torch,
transformers and sentencepiece. For each shape word of each caption, a logistic-regression probe
(trained on 3/4 of the words, scored on the rest) predicts: the colour named before it, whether it
is the first or the second object of a relation, and relation + role. The same probes on the input
embeddings (no context) give the floor.
"""

import argparse
import json
import random

import sentencepiece as spm
import torch
from transformers import T5EncoderModel

COLOURS = set("red orange yellow green cyan blue purple pink".split())
SHAPE_WORDS = set("circle circles square squares triangle triangles diamond diamonds cross crosses sign signs".split())
RELATIONS = ["left", "right", "above", "below"]


def shape_words(captions, tokenizer):
    """(token ids with </s>, position of the shape word, colour, role in a relation, relation)."""
    samples = []
    for caption in captions:
        words = [p.lstrip("\u2581") for p in tokenizer.encode(caption, out_type=str)]
        ids = tokenizer.encode(caption) + [tokenizer.eos_id()]
        relation = next((r for r in RELATIONS if r in words), None)
        seen = 0
        for i, word in enumerate(words):
            if word not in SHAPE_WORDS:
                continue
            colour = next((words[j] for j in range(i - 1, max(-1, i - 4), -1) if words[j] in COLOURS), None)
            role = None if relation is None else min(seen, 1)
            samples.append((ids, i, colour, role, relation))
            seen += 1
    return samples


def probe(features, labels, steps=400):
    """Test accuracy of a logistic regression on the labelled rows, and the majority-class rate."""
    keep = [k for k, label in enumerate(labels) if label is not None]
    x = features[keep]
    classes = sorted({labels[k] for k in keep})
    y = torch.tensor([classes.index(labels[k]) for k in keep])
    n = len(keep) * 3 // 4
    x = (x - x[:n].mean(0)) / (x[:n].std(0) + 1e-6)
    w = torch.zeros(x.shape[1], len(classes), requires_grad=True)
    b = torch.zeros(len(classes), requires_grad=True)
    optimizer = torch.optim.Adam([w, b], lr=0.05)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(x[:n] @ w + b, y[:n]) + 1e-3 * w.pow(2).sum()
        loss.backward()
        optimizer.step()
    accuracy = ((x[n:] @ w + b).argmax(1) == y[n:]).float().mean().item()
    majority = max((y[n:] == c).float().mean().item() for c in range(len(classes)))
    return len(keep), accuracy, majority


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="models/default", help="model folder with text_encoder/ and spiece.model")
    parser.add_argument("--captions", required=True, help="captions.jsonl of a generated dataset")
    parser.add_argument("--limit", type=int, default=6000, help="captions to read")
    parser.add_argument("--untrained", action="store_true", help="probe a freshly initialised encoder of the same config (the floor that training must beat)")
    args = parser.parse_args()

    tokenizer = spm.SentencePieceProcessor(model_file=f"{args.model}/spiece.model")
    encoder = T5EncoderModel.from_pretrained(f"{args.model}/text_encoder").float().eval()
    if args.untrained:
        torch.manual_seed(0)
        encoder = T5EncoderModel(encoder.config).float().eval()
    with open(args.captions) as f:
        captions = [json.loads(line)["caption"] for line in f][: args.limit]
    samples = shape_words(captions, tokenizer)
    random.Random(0).shuffle(samples)

    with torch.no_grad():
        inputs = torch.stack([encoder.shared(torch.tensor([ids]))[0, i] for ids, i, *_ in samples])
        outputs = torch.stack([encoder(input_ids=torch.tensor([ids])).last_hidden_state[0, i] for ids, i, *_ in samples])
    targets = {
        "colour of this shape": [s[2] for s in samples],
        "first or second object of a relation": [s[3] for s in samples],
        "relation and role (8 classes)": [None if s[4] is None else f"{s[4]}-{s[3]}" for s in samples],
    }
    print(f"{'probe':40s} {'words':>6s} {'input emb.':>10s} {'T5 output':>10s} {'majority':>9s}")
    for name, labels in targets.items():
        n, floor, _ = probe(inputs, labels)
        _, accuracy, majority = probe(outputs, labels)
        print(f"{name:40s} {n:6d} {floor:10.3f} {accuracy:10.3f} {majority:9.3f}")


if __name__ == "__main__":
    main()
