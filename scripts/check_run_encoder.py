#!/usr/bin/env python3
"""Checks that `fae-t2i run-encoder` reproduces Hugging Face outputs for random small configurations.

Development-time only (PyTorch + transformers). For each case: build a random-weight Dinov2Model or
T5EncoderModel (random widths, heads, layers, patch and image sizes, FFN kinds, LayerScale and norm
weights), save_pretrained it, write random inputs, run the Swift binary and compare
last_hidden_state with transformers (eval, float32, eager attention).

    python3 scripts/check_run_encoder.py                       # .build/debug/fae-t2i, 16 cases
    python3 scripts/check_run_encoder.py --bin .build/release/fae-t2i --cases 40 --seed 3

Relative error = max |swift - torch| / max |torch| over the output. Exits non-zero if any case
exceeds --tolerance (default 1e-4).
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile

os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

import torch
import transformers
from safetensors.torch import load_file, save_file
from transformers import (Dinov2Config, Dinov2Model, Dinov2WithRegistersConfig, Dinov2WithRegistersModel, T5Config,
                          T5EncoderModel)

transformers.utils.logging.disable_progress_bar()
transformers.utils.logging.set_verbosity_error()


def randomise(model, rng):
    """Random values for every parameter (norm weights, LayerScale and bias tables included), so a
    mix-up between them shows in the outputs."""
    g = torch.Generator().manual_seed(rng.randrange(1 << 30))
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm1.weight") or name.endswith("norm2.weight") or "layer_norm" in name or name.startswith("layernorm.weight"):
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=g))
            elif "lambda1" in name:
                p.copy_(0.5 + 0.5 * torch.rand(p.shape, generator=g))
            else:
                p.copy_(0.15 * torch.randn(p.shape, generator=g))


def dinov2_case(rng):
    heads = rng.choice([1, 2, 3, 4])
    hidden = heads * rng.choice([8, 12, 16])
    patch = rng.choice([2, 3, 4, 7, 8])
    grid = rng.choice([2, 3, 4, 5])
    # A quarter of the cases are Dinov2WithRegisters (at the native size: its position resize
    # uses antialiasing, which run-encoder rejects).
    registers = rng.choice([1, 2, 4]) if rng.random() < 0.25 else 0
    config_type, model_type = (Dinov2WithRegistersConfig, Dinov2WithRegistersModel) if registers else (Dinov2Config, Dinov2Model)
    extra = {"num_register_tokens": registers} if registers else {}
    config = config_type(
        hidden_size=hidden, num_hidden_layers=rng.choice([1, 2, 3]), num_attention_heads=heads,
        mlp_ratio=rng.choice([1, 2, 4]), patch_size=patch, image_size=grid * patch, num_channels=3,
        qkv_bias=rng.choice([True, False]), use_swiglu_ffn=rng.choice([False, False, True]),
        layerscale_value=1.0, layer_norm_eps=1e-6, attn_implementation="eager", **extra)
    model = model_type(config).eval()
    # Input: the native grid half of the time, else another size (the position grid is resized).
    if registers or rng.random() < 0.5:
        h = w = grid
    else:
        h, w = rng.randint(1, grid + 3), rng.randint(1, grid + 3)
    pixels = torch.randn(rng.choice([1, 2, 3]), 3, h * patch, w * patch, generator=torch.Generator().manual_seed(rng.randrange(1 << 30)))
    label = (f"dinov2 D={hidden} H={heads} L={config.num_hidden_layers} p={patch} grid={grid} "
             f"registers={registers} img={h * patch}x{w * patch} swiglu={config.use_swiglu_ffn} qkv_bias={config.qkv_bias} B={pixels.shape[0]}")
    return model, {"pixel_values": pixels}, lambda m, x: m(pixel_values=x["pixel_values"]).last_hidden_state, label


def t5_case(rng):
    heads = rng.choice([1, 2, 4, 6])
    config = T5Config(
        vocab_size=rng.choice([50, 100, 300]), d_model=rng.choice([16, 24, 32, 48]), d_kv=rng.choice([4, 8, 12]),
        d_ff=rng.choice([16, 32, 64]), num_layers=rng.choice([1, 2, 3]), num_heads=heads,
        relative_attention_num_buckets=rng.choice([8, 16, 32]), relative_attention_max_distance=rng.choice([12, 20, 128]),
        feed_forward_proj=rng.choice(["relu", "gated-gelu"]), is_encoder_decoder=False, use_cache=False,
        attn_implementation="eager")
    model = T5EncoderModel(config).eval()
    b, t = rng.choice([1, 2, 3]), rng.choice([1, 5, 17, 40])
    g = torch.Generator().manual_seed(rng.randrange(1 << 30))
    ids = torch.randint(0, config.vocab_size, (b, t), generator=g, dtype=torch.int64)
    inputs = {"input_ids": ids}
    if rng.random() < 0.7:
        mask = torch.ones(b, t, dtype=torch.int64)
        for row in range(b):
            mask[row, rng.randint(1, t):] = 0  # right padding, at least one real token
        inputs["attention_mask"] = mask
    label = (f"t5 d_model={config.d_model} d_kv={config.d_kv} H={heads} L={config.num_layers} ff={config.feed_forward_proj} "
             f"buckets={config.relative_attention_num_buckets}/{config.relative_attention_max_distance} B={b} T={t} "
             f"mask={'attention_mask' in inputs}")
    return model, inputs, lambda m, x: m(**x).last_hidden_state, label


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=".build/debug/fae-t2i")
    parser.add_argument("--cases", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)
    worst = {"dinov2": 0.0, "t5": 0.0}
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.cases):
            kind = "dinov2" if i % 2 == 0 else "t5"
            model, inputs, run, label = (dinov2_case if kind == "dinov2" else t5_case)(rng)
            randomise(model, rng)
            folder = os.path.join(tmp, f"case{i}")
            model.save_pretrained(folder)
            in_path, out_path = os.path.join(tmp, f"in{i}.safetensors"), os.path.join(tmp, f"out{i}.safetensors")
            save_file({k: v.contiguous() for k, v in inputs.items()}, in_path)
            with torch.no_grad():
                expected = run(model, inputs)
            proc = subprocess.run([args.bin, "run-encoder", "--kind", kind, "--model", folder, "--input", in_path,
                                   "--output", out_path], capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"FAIL {label}: exit {proc.returncode}: {proc.stderr.strip()}")
                failures += 1
                continue
            got = load_file(out_path)["last_hidden_state"]
            if got.shape != expected.shape:
                print(f"FAIL {label}: shape {tuple(got.shape)} != {tuple(expected.shape)}")
                failures += 1
                continue
            error = float((got - expected).abs().max() / expected.abs().max())
            worst[kind] = max(worst[kind], error)
            ok = error < args.tolerance
            failures += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {error:.2e}  {label}")
    print(f"max relative error: dinov2 {worst['dinov2']:.2e}, t5 {worst['t5']:.2e}; {failures} failure(s) in {args.cases} cases")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
