#!/usr/bin/env python3
"""Does a model folder's T5 text encoder tell "A REL B" from "B REL A"?

Development-time diagnostic (the shipped model scores ShapeBench position at chance:
docs/experiments.md); never needed to build, run or test. Run from the repository root:

    .build/release/fae-t2i data generate --count 4000 --split eval --mix relation=1 --out /tmp/relprobe
    python3 scripts/probe_relations.py --model models/default --captions /tmp/relprobe/captions.jsonl [--check]

The MMDiT's text stream has no positions of its own (`text_positions: false` in the shipped
generator), so which object is on which side can reach the image only through the T5 vectors (and
their masked mean, the adaLN conditioning). Numpy only (plus sentencepiece): the encoder is the
Hugging Face T5EncoderModel forward written out (`--check` compares it with `fae-t2i run-encoder`
and the tokenizer with `fae-t2i tokenize`). Three feature sets are compared: the input embeddings
(no context), freshly initialised encoders of the same config (transformers' / `T5Encoder.initialize`
scheme, `--random-seeds` of them, averaged) and the shipped encoder.

1. Tokenisation: are the relation words whole pieces, and do they survive the generator's
   `max_text_tokens` (generator/generation.json)?
2. Controlled pairs "a C1 S1 P a C2 S2" with P a relation phrase and P' a phrase of the converse
   relation, four captions per group: A P B, B P A (swap), B P' A (same meaning), A P' B (flip).
   Cosine similarities (after subtracting the mean vector) of the masked-mean outputs, and of the
   outputs at A's shape word, between the original and the others, and an unrelated caption.
3. Logistic probes (3/4 of the groups or captions to train, the rest to score, as
   scripts/probe_text_encoder.py): the side (left/right/above/below) of the first object from its
   shape word and from the relation word; the side of each object from its own shape word and
   colour word (needs relation and role); the role (first/second) from the shape word. On the
   controlled pairs and on real `data generate` relation captions.
"""

import argparse
import json
import os
import random
import struct
import subprocess
import sys
import tempfile

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import sentencepiece as spm

COLOURS = "red orange yellow green cyan blue purple pink".split()
SHAPE_WORDS = {"circle": "circle", "square": "square", "triangle": "triangle", "diamond": "diamond", "cross": "cross", "sign": "cross"}
SIDES = ["left", "right", "above", "below"]
CONVERSE = {"left": "right", "right": "left", "above": "below", "below": "above"}


# ---------------------------------------------------------------- weights and the T5 forward

def load_safetensors(path):
    dtypes = {"F16": np.float16, "F32": np.float32, "BF16": None, "I64": np.int64, "I32": np.int32}
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        blob = f.read()
    out = {}
    for key, info in header.items():
        if key == "__metadata__":
            continue
        a, b = info["data_offsets"]
        raw = blob[a:b]
        if info["dtype"] == "BF16":
            v = (np.frombuffer(raw, np.uint16).astype(np.uint32) << 16).view(np.float32)
        else:
            v = np.frombuffer(raw, dtypes[info["dtype"]])
        out[key] = v.reshape(info["shape"]).astype(np.float32 if info["dtype"] in ("F16", "F32", "BF16") else v.dtype)
    return out


def save_safetensors(path, tensors):
    names = {np.dtype(np.int64): "I64", np.dtype(np.float32): "F32"}
    header, blobs, offset = {}, [], 0
    for key, v in tensors.items():
        raw = np.ascontiguousarray(v).tobytes()
        header[key] = {"dtype": names[v.dtype], "shape": list(v.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def random_weights(config, seed):
    """transformers' T5 _init_weights with factor 1 (as `T5Encoder.initialize`)."""
    rng = np.random.default_rng(seed)
    d, dkv, h, ff, v = config["d_model"], config["d_kv"], config["num_heads"], config["d_ff"], config["vocab_size"]
    inner = h * dkv
    w = {"shared.weight": rng.normal(0, 1, (v, d))}
    for i in range(config["num_layers"]):
        p = f"encoder.block.{i}.layer."
        w[p + "0.SelfAttention.q.weight"] = rng.normal(0, (d * dkv) ** -0.5, (inner, d))
        w[p + "0.SelfAttention.k.weight"] = rng.normal(0, d ** -0.5, (inner, d))
        w[p + "0.SelfAttention.v.weight"] = rng.normal(0, d ** -0.5, (inner, d))
        w[p + "0.SelfAttention.o.weight"] = rng.normal(0, inner ** -0.5, (d, inner))
        if i == 0:
            w[p + "0.SelfAttention.relative_attention_bias.weight"] = rng.normal(0, d ** -0.5, (config["relative_attention_num_buckets"], h))
        w[p + "0.layer_norm.weight"] = np.ones(d)
        w[p + "1.DenseReluDense.wi_0.weight"] = rng.normal(0, d ** -0.5, (ff, d))
        w[p + "1.DenseReluDense.wi_1.weight"] = rng.normal(0, d ** -0.5, (ff, d))
        w[p + "1.DenseReluDense.wo.weight"] = rng.normal(0, ff ** -0.5, (d, ff))
        w[p + "1.layer_norm.weight"] = np.ones(d)
    w["encoder.final_layer_norm.weight"] = np.ones(d)
    return {k: x.astype(np.float32) for k, x in w.items()}


def relative_buckets(length, num_buckets, max_distance):
    ctx = np.arange(length)[:, None]
    mem = np.arange(length)[None, :]
    rel = mem - ctx
    nb = num_buckets // 2
    buckets = (rel > 0).astype(np.int64) * nb
    rel = np.abs(rel)
    max_exact = nb // 2
    with np.errstate(divide="ignore"):
        large = max_exact + (np.log(np.maximum(rel, 1) / max_exact) / np.log(max_distance / max_exact) * (nb - max_exact)).astype(np.int64)
    large = np.minimum(large, nb - 1)
    return buckets + np.where(rel < max_exact, rel, large)


def rms(x, w, eps):
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * w


def gelu_new(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))


def t5_forward(w, config, ids):
    """ids (B, T) of equal-length unpadded rows -> last_hidden_state (B, T, D) (no mask needed)."""
    eps, h, dkv = config["layer_norm_epsilon"], config["num_heads"], config["d_kv"]
    if config.get("feed_forward_proj", "relu") not in ("gated-gelu",):
        raise SystemExit(f"unsupported feed_forward_proj {config.get('feed_forward_proj')}")
    x = w["shared.weight"][ids]
    b, t, _ = x.shape
    bucket = relative_buckets(t, config["relative_attention_num_buckets"], config["relative_attention_max_distance"])
    bias = w["encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"][bucket].transpose(2, 0, 1)  # (H, T, T)
    for i in range(config["num_layers"]):
        p = f"encoder.block.{i}.layer."
        y = rms(x, w[p + "0.layer_norm.weight"], eps)
        q, k, v = (( y @ w[p + f"0.SelfAttention.{n}.weight"].T).reshape(b, t, h, dkv).transpose(0, 2, 1, 3) for n in "qkv")
        s = q @ k.transpose(0, 1, 3, 2) + bias
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        a = (s @ v).transpose(0, 2, 1, 3).reshape(b, t, h * dkv)
        x = x + a @ w[p + "0.SelfAttention.o.weight"].T
        y = rms(x, w[p + "1.layer_norm.weight"], eps)
        g = gelu_new(y @ w[p + "1.DenseReluDense.wi_0.weight"].T) * (y @ w[p + "1.DenseReluDense.wi_1.weight"].T)
        x = x + g @ w[p + "1.DenseReluDense.wo.weight"].T
    return rms(x, w["encoder.final_layer_norm.weight"], eps)


def encode_all(w, config, rows):
    """rows: list of id lists (with </s>) -> list of (T_i, D) outputs, batched by length."""
    out = [None] * len(rows)
    by_len = {}
    for i, r in enumerate(rows):
        by_len.setdefault(len(r), []).append(i)
    for _, idx in by_len.items():
        for s in range(0, len(idx), 256):
            chunk = idx[s:s + 256]
            y = t5_forward(w, config, np.array([rows[i] for i in chunk]))
            for j, i in enumerate(chunk):
                out[i] = y[j]
    return out


# ---------------------------------------------------------------- captions

class Caption:
    """A relation caption, its ids (with </s>) and the token positions of its parts."""

    def __init__(self, text, ids, words, rel_start, rel_end, side, group=None):
        self.text, self.ids, self.words = text, ids, words
        self.side = side                                       # relation stated: side of the first object
        self.rel_word = next(i for i in range(rel_start, rel_end) if words[i] in ("left", "right", "above", "below", "beneath", "under"))
        self.shape = [max(i for i in range(rel_start) if words[i] in SHAPE_WORDS),
                      min(i for i in range(rel_end, len(words)) if words[i] in SHAPE_WORDS)]
        self.colour = []
        for k, s in enumerate(self.shape):
            lo = 0 if k == 0 else rel_end
            c = [i for i in range(lo, s) if words[i] in COLOURS]
            self.colour.append(c[-1] if c else None)
        self.group = group


def relation_phrases(grammar):
    names = {"left_of": "left", "right_of": "right", "above": "above", "below": "below"}
    return {names[r["relation"]]: r["phrases"] for r in grammar["relations"]}


def find_relation(words, phrases):
    """(start, end, side) of the relation phrase: the longest phrase that an article follows."""
    found = [(s, s + len(p.split()), side) for side, ps in phrases.items() for p in ps for s in range(len(words) - len(p.split()))
             if words[s:s + len(p.split())] == p.split() and words[s + len(p.split())] in ("a", "an")]
    return max(found, key=lambda f: f[1] - f[0]) if found else None


def tokenize(sp, text):
    pieces = sp.encode(text, out_type=str)
    return sp.encode(text) + [sp.eos_id()], [p.lstrip("\u2581") for p in pieces]


def article(word):
    return "an" if word[0] in "aeiou" else "a"


def controlled_groups(sp, grammar, n, seed):
    """n groups of four captions: A P B, B P A, B P' A, A P' B."""
    rng = random.Random(seed)
    phrases = relation_phrases(grammar)
    held = {(h["color"], h["shape"]) for h in grammar["held_out"]}
    shapes = [(s["shape"], p) for s in grammar["shapes"] for p in s["singular"]]
    groups = []
    while len(groups) < n:
        (c1, (k1, s1)), (c2, (k2, s2)) = [(rng.choice(COLOURS), rng.choice(shapes)) for _ in range(2)]
        if (c1, k1) == (c2, k2) or (c1, k1) in held or (c2, k2) in held:
            continue
        side = rng.choice(SIDES)
        p, q = rng.choice(phrases[side]), rng.choice(phrases[CONVERSE[side]])
        a, b = f"{article(c1)} {c1} {s1}", f"{article(c2)} {c2} {s2}"
        texts = [(f"{a} {p} {b}", side), (f"{b} {p} {a}", side), (f"{b} {q} {a}", CONVERSE[side]), (f"{a} {q} {b}", CONVERSE[side])]
        group = []
        for text, sd in texts:
            ids, words = tokenize(sp, text)
            s, e, found = find_relation(words, phrases)
            assert found == sd, (text, found)
            group.append(Caption(text, ids, words, s, e, sd, group=len(groups)))
        groups.append(group)
    return groups


def dataset_captions(sp, grammar, path, limit):
    phrases = relation_phrases(grammar)
    out, skipped = [], 0
    with open(path) as f:
        for k, line in enumerate(f):
            if len(out) >= limit:
                break
            row = json.loads(line)
            objs = row.get("scene", {}).get("objects", [])
            ids, words = tokenize(sp, row["caption"])
            rel = find_relation(words, phrases)
            if len(objs) != 2 or rel is None:
                skipped += 1
                continue
            c = Caption(row["caption"], ids, words, rel[0], rel[1], rel[2], group=k)
            if [SHAPE_WORDS[words[i]] for i in c.shape] != [o["shape"] for o in objs]:
                skipped += 1                    # parse disagrees with the scene
                continue
            out.append(c)
    return out, skipped


# ---------------------------------------------------------------- probes

def probe(x, labels, groups, steps=400, seed=0, hidden=0):
    """Test accuracy of a multinomial logistic regression (split by group), and the majority rate.
    hidden > 0: a one-hidden-layer ReLU MLP of that width instead (a non-linear read-out)."""
    keep = [i for i, l in enumerate(labels) if l is not None]
    x, labels, groups = x[keep], [labels[i] for i in keep], [groups[i] for i in keep]
    classes = sorted(set(labels))
    y = np.array([classes.index(l) for l in labels])
    ug = sorted(set(groups))
    random.Random(seed).shuffle(ug)
    train_groups = set(ug[: len(ug) * 3 // 4])
    tr = np.array([g in train_groups for g in groups])
    mu, sd = x[tr].mean(0), x[tr].std(0) + 1e-6
    x = ((x - mu) / sd).astype(np.float32)
    xt, yt = x[tr], y[tr]
    onehot = np.eye(len(classes), dtype=np.float32)[yt]
    if hidden:
        rng = np.random.default_rng(seed)
        params = [p.astype(np.float32) for p in (rng.normal(0, x.shape[1] ** -0.5, (x.shape[1], hidden)), np.zeros(hidden),
                  rng.normal(0, hidden ** -0.5, (hidden, len(classes))), np.zeros(len(classes)))]
        lr, steps = 0.01, 2 * steps
    else:
        params = [np.zeros((x.shape[1], len(classes)), np.float32), np.zeros(len(classes), np.float32)]
        lr = 0.05

    def forward(xs):
        if not hidden:
            return xs @ params[0] + params[1], None
        a = np.maximum(xs @ params[0] + params[1], 0)
        return a @ params[2] + params[3], a

    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    for step in range(1, steps + 1):
        z, a = forward(xt)
        z -= z.max(1, keepdims=True)
        pr = np.exp(z)
        pr /= pr.sum(1, keepdims=True)
        d = (pr - onehot) / len(yt)
        if hidden:
            da = (d @ params[2].T) * (a > 0)
            grads = [xt.T @ da + 2e-3 * params[0], da.sum(0), a.T @ d + 2e-3 * params[2], d.sum(0)]
        else:
            grads = [xt.T @ d + 2e-3 * params[0], d.sum(0)]
        for j, (p, g) in enumerate(zip(params, grads)):
            m[j] = 0.9 * m[j] + 0.1 * g
            v[j] = 0.999 * v[j] + 0.001 * g * g
            p -= lr * (m[j] / (1 - 0.9 ** step)) / (np.sqrt(v[j] / (1 - 0.999 ** step)) + 1e-8)
    pred = forward(x[~tr])[0].argmax(1)
    acc = float((pred == y[~tr]).mean())
    majority = max(float((y[~tr] == c).mean()) for c in range(len(classes)))
    return int((~tr).sum()), acc, majority


def probe_targets(captions, feats):
    """Samples (feature vector, labels dict, group) for each probed token."""
    rows = []
    for c, f in zip(captions, feats):
        rows.append((f[c.shape[0]], {"first_side@shape1": c.side}, c.group))
        rows.append((f[c.rel_word], {"first_side@rel": c.side, "first_colour@rel": c.words[c.colour[0]] if c.colour[0] is not None else None}, c.group))
        for k in range(2):
            side = c.side if k == 0 else CONVERSE[c.side]
            rows.append((f[c.shape[k]], {"own_side@shape": side, "role@shape": k}, c.group))
            if c.colour[k] is not None:
                rows.append((f[c.colour[k]], {"own_side@colour": side}, c.group))
    return rows


PROBES = [
    ("first_side@shape1", "side of 1st object, at its shape word"),
    ("first_side@rel", "side of 1st object, at the relation word"),
    ("first_colour@rel", "colour of 1st object, at the relation word"),
    ("own_side@shape", "side of each object, at its shape word"),
    ("own_side@colour", "side of each object, at its colour word"),
    ("role@shape", "first or second object, at the shape word"),
]


MLP_PROBES = ["first_side@shape1", "own_side@shape", "own_side@colour", "role@shape"]


def run_probes(captions, feats, hidden):
    rows = probe_targets(captions, feats)
    result = {}
    for key, _ in PROBES:
        sel = [r for r in rows if key in r[1]]
        x = np.stack([r[0] for r in sel])
        labels, groups = [r[1][key] for r in sel], [r[2] for r in sel]
        result[key] = probe(x, labels, groups)
        if key in MLP_PROBES:
            result[key + " mlp"] = probe(x, labels, groups, hidden=hidden)
    return result


# ---------------------------------------------------------------- cosines

def cosines(groups, feats_by_caption, rng):
    """Mean centred cosine of pooled outputs and of A's shape-word output, original vs the others."""
    flat = [c for g in groups for c in g]
    pooled = {id(c): feats_by_caption[id(c)].mean(0) for c in flat}
    mu_pool = np.mean(list(pooled.values()), 0)
    mu_word = np.mean([feats_by_caption[id(c)][c.shape[k]] for c in flat for k in range(2)], 0)

    def cos(a, b):
        return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12))

    def word(c, first):                       # A's shape word: first object in A P B / A P' B, second in B P A / B P' A
        return feats_by_caption[id(c)][c.shape[0 if first else 1]] - mu_word

    names = ["swap B P A", "same meaning B P' A", "flip A P' B", "unrelated"]   # at the word: same shape word, other caption
    pool = {n: [] for n in names}
    word_cos = {n: [] for n in names}
    positionwise_swap = []
    by_shape = {}
    for gi, g in enumerate(groups):
        by_shape.setdefault(g[0].words[g[0].shape[0]], []).append(gi)
    for gi, (o, s, same, flip) in enumerate(groups):
        other = groups[(gi + 1 + rng.randrange(len(groups) - 1)) % len(groups)][rng.randrange(4)]
        po = pooled[id(o)] - mu_pool
        for n, c in zip(names, (s, same, flip, other)):
            pool[n].append(cos(po, pooled[id(c)] - mu_pool))
        wo = word(o, True)
        word_cos["swap B P A"].append(cos(wo, word(s, False)))
        word_cos["same meaning B P' A"].append(cos(wo, word(same, False)))
        word_cos["flip A P' B"].append(cos(wo, word(flip, True)))
        # unrelated: the same shape word, first object of another group's original caption
        others = [gj for gj in by_shape[o.words[o.shape[0]]] if gj != gi]
        if others:
            word_cos["unrelated"].append(cos(wo, word(groups[rng.choice(others)][0], True)))
        fo, fs = feats_by_caption[id(o)], feats_by_caption[id(s)]
        if fo.shape == fs.shape:
            positionwise_swap.append(np.mean([cos(a, b) for a, b in zip(fo, fs)]))
    return ({n: float(np.mean(v)) for n, v in pool.items()}, {n: float(np.mean(v)) for n, v in word_cos.items()},
            float(np.mean(positionwise_swap)))


# ---------------------------------------------------------------- checks against the Swift binary

def check(binary, model, sp, weights, config, texts):
    worst_tok = 0
    for t in texts[:20]:
        out = json.loads(subprocess.run([binary, "tokenize", t, "--model", f"{model}/spiece.model", "--eos", "--json"],
                                        capture_output=True, text=True, check=True).stdout)
        worst_tok += out["ids"] != tokenize(sp, t)[0]
    rows = [tokenize(sp, t)[0] for t in texts[:16]]
    length = max(map(len, rows))
    ids = np.array([r + [0] * (length - len(r)) for r in rows], np.int64)
    mask = np.array([[1] * len(r) + [0] * (length - len(r)) for r in rows], np.int64)
    with tempfile.TemporaryDirectory() as d:
        save_safetensors(f"{d}/in.safetensors", {"input_ids": ids, "attention_mask": mask})
        subprocess.run([binary, "run-encoder", "--kind", "t5", "--model", f"{model}/text_encoder", "--input", f"{d}/in.safetensors",
                        "--output", f"{d}/out.safetensors", "--threads", "1"], check=True, capture_output=True)
        swift = load_safetensors(f"{d}/out.safetensors")["last_hidden_state"]
    err = max(float(np.abs(t5_forward(weights, config, np.array([r]))[0] - swift[i, :len(r)]).max()) for i, r in enumerate(rows))
    scale = float(np.abs(swift).max())
    print(f"check: tokenizer disagrees with `fae-t2i tokenize` on {worst_tok} of {min(20, len(texts))} captions; "
          f"numpy T5 vs `fae-t2i run-encoder` (padded batch, masked): max |diff| {err:.2e} (max |out| {scale:.2f})")


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="models/default", help="model folder with text_encoder/, spiece.model, generator/")
    parser.add_argument("--captions", required=True, help="captions.jsonl of `data generate --mix relation=1` (any mix works)")
    parser.add_argument("--grammar", default="prompts/shapes_grammar.json")
    parser.add_argument("--limit", type=int, default=3000, help="dataset captions to read")
    parser.add_argument("--groups", type=int, default=400, help="controlled groups of four captions")
    parser.add_argument("--random-seeds", type=int, default=2, help="freshly initialised encoders to average")
    parser.add_argument("--hidden", type=int, default=128, help="width of the MLP probes' hidden layer")
    parser.add_argument("--check", action="store_true", help="compare tokenizer and forward with the Swift binary")
    parser.add_argument("--bin", default=".build/release/fae-t2i")
    args = parser.parse_args()

    grammar = json.load(open(args.grammar))
    sp = spm.SentencePieceProcessor(model_file=f"{args.model}/spiece.model")
    config = json.load(open(f"{args.model}/text_encoder/config.json"))
    shipped = load_safetensors(f"{args.model}/text_encoder/model.safetensors")
    max_tokens = json.load(open(f"{args.model}/generator/generation.json"))["max_text_tokens"]

    # 1. tokenisation
    phrases = relation_phrases(grammar)
    words = sorted({w for ps in phrases.values() for p in ps for w in p.split()})
    split = [w for w in words if len(sp.encode(w, out_type=str)) != 1 or sp.encode(w)[0] == sp.unk_id()]
    data, skipped = dataset_captions(sp, grammar, args.captions, args.limit)
    lengths = np.array([len(c.ids) for c in data])
    room = max_tokens - 1
    lost_rel = sum(c.rel_word >= room for c in data)
    lost_second = sum(c.shape[1] >= room for c in data)
    print(f"1. tokenisation: relation words {' '.join(words)}: {len(words) - len(split)} of {len(words)} are one piece each"
          f"{' (split or unknown: ' + ', '.join(split) + ')' if split else ''}")
    print(f"   {len(data)} dataset relation captions ({skipped} skipped): pieces with </s> median {int(np.median(lengths))}, "
          f"max {lengths.max()}; over max_text_tokens={max_tokens}: {int((lengths > max_tokens).sum())}; "
          f"relation word cut: {lost_rel}; second shape word cut: {lost_second}")
    if args.check:
        check(args.bin, args.model, sp, shipped, config, [c.text for c in data])

    groups = controlled_groups(sp, grammar, args.groups, seed=1)
    flat = [c for g in groups for c in g]
    encoders = [("input emb.", None)] + [(f"random T5 #{s}", random_weights(config, s)) for s in range(args.random_seeds)] + [("shipped T5", shipped)]

    def features(w, caps):
        if w is None:
            return [shipped["shared.weight"][c.ids] for c in caps]
        return encode_all(w, config, [c.ids for c in caps])

    rng_seed = 7
    cos_rows, probe_rows = {}, {}
    for name, w in encoders:
        feats_c, feats_d = features(w, flat), features(w, data)
        by_id = {id(c): f for c, f in zip(flat, feats_c)}
        cos_rows[name] = cosines(groups, by_id, random.Random(rng_seed))
        probe_rows[name] = (run_probes(flat, feats_c, args.hidden), run_probes(data, feats_d, args.hidden))
        print(f"   encoded: {name}", file=sys.stderr)

    cols = ["input emb.", "random T5", "shipped T5"]
    rand = [n for n, _ in encoders if n.startswith("random")]

    def avg_cos(kind, key):
        return float(np.mean([cos_rows[n][kind] if key is None else cos_rows[n][kind][key] for n in rand]))

    print(f"\n2. controlled pairs ({args.groups} groups x 4 captions): mean centred cosine with the original A P B")
    print(f"   {'':34s}" + "".join(f"{c:>12s}" for c in cols))
    for kind, label in ((0, "pooled (masked mean)"), (1, "at A's shape word")):
        for key in ["swap B P A", "same meaning B P' A", "flip A P' B", "unrelated"]:
            vals = [cos_rows["input emb."][kind][key], avg_cos(kind, key), cos_rows["shipped T5"][kind][key]]
            print(f"   {label + ': ' + key:34s}" + "".join(f"{v:12.3f}" for v in vals))
    vals = [cos_rows["input emb."][2], avg_cos(2, None), cos_rows["shipped T5"][2]]
    print(f"   {'positionwise (raw), swap':34s}" + "".join(f"{v:12.3f}" for v in vals))

    for which, label in ((0, f"controlled pairs ({args.groups} groups)"), (1, f"dataset relation captions ({len(data)})")):
        print(f"\n3. probes, {label}: test accuracy (n = test tokens; majority = most frequent test class)")
        print(f"   {'probe':56s} {'n':>5s}" + "".join(f"{c:>12s}" for c in cols) + f"{'majority':>10s}")
        rows = [(key, desc) for key, desc in PROBES] + [(key + " mlp", desc + f" (MLP {args.hidden})") for key, desc in PROBES if key in MLP_PROBES]
        for key, desc in rows:
            n, a_in, maj = probe_rows["input emb."][which][key]
            a_rand = float(np.mean([probe_rows[r][which][key][1] for r in rand]))
            a_sh = probe_rows["shipped T5"][which][key][1]
            print(f"   {desc:56s} {n:5d}{a_in:12.3f}{a_rand:12.3f}{a_sh:12.3f}{maj:10.3f}")


if __name__ == "__main__":
    main()
