#!/usr/bin/env python3
"""Generates the reference fixtures that the Swift tensor engine is checked against.

Development-time only: nothing at run time or in CI needs Python. The committed output lives in
Tests/Fixtures/ (described in Tests/Fixtures/README.md) and must stay under 2 MB in total.

Run from the repository root (PyTorch, transformers, safetensors installed):

    python3 scripts/make_fixtures.py                 # writes Tests/Fixtures/
    python3 scripts/make_fixtures.py --out /tmp/fx   # somewhere else, e.g. to diff a regeneration

Everything is seeded; re-running with the same torch/transformers versions reproduces the files
byte for byte (the versions are recorded in each generated file's `__metadata__`).

What is written:
  safetensors/   format fixtures: Python-written files for the Swift reader, and the exact bytes the
                 Python library writes for tensors the Swift writer must reproduce byte for byte
  conversions/   float32 -> float16 / bfloat16 (and back) as torch rounds them
  interpolation/ F.interpolate(mode="bicubic", antialias=False) on small grids, size and scale paths
  t5_buckets/    T5 relative-position bucket indices for distances -300 ... 300
  dinov2/, dinov2_swiglu/, t5_relu/, t5_gated_gelu/
                 config.json + model.safetensors exactly as save_pretrained writes them,
                 inputs.safetensors, outputs.safetensors (last_hidden_state and intermediates),
                 and for one block: block_io.safetensors + block_grads.safetensors
"""

import argparse
import json
import math
import os
import shutil
import tempfile

import struct

import torch
import transformers
from safetensors import safe_open
from safetensors.torch import save as save_bytes
from transformers import Dinov2Config, Dinov2Model, T5Config, T5EncoderModel

VERSIONS = {"torch": torch.__version__, "transformers": transformers.__version__}


def meta(**extra):
    out = dict(VERSIONS)
    out.update({k: str(v) for k, v in extra.items()})
    return out


def save_file(tensors, path, metadata=None):
    """safetensors.torch.save_file, with the __metadata__ keys sorted.

    The Python library keeps __metadata__ in a hash map, so with two or more keys the key order
    (and thus the file bytes) changes from run to run. Sorting them keeps regenerated fixtures
    byte-identical; the layout is otherwise untouched (the Swift writer sorts metadata the same way).
    """
    data = save_bytes(tensors, metadata=metadata)
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n].decode("utf-8"))
    if "__metadata__" in header:
        header["__metadata__"] = dict(sorted(header["__metadata__"].items()))
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    assert len(text) == n, "re-serialised header changed length"
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data[8 + n:])


def contiguous(tensors):
    return {k: v.detach().contiguous() for k, v in tensors.items()}


# ---------------------------------------------------------------------------------------------
# safetensors format fixtures
# ---------------------------------------------------------------------------------------------

def format_tensors():
    """Tensors whose values the Swift test recomputes from the same formulas (see the README)."""
    six = torch.arange(6, dtype=torch.float32) * 0.5 - 1.0  # -1.0, -0.5, ..., 1.5 (exact in all)
    return {
        "z.f32": six.reshape(2, 3),
        "c.f16": six.reshape(3, 2).to(torch.float16),
        "a.bf16": six.reshape(6).to(torch.bfloat16),
        "m.i64": torch.tensor([-3, 0, 5, 1 << 40], dtype=torch.int64),
        "b.i32": torch.tensor([[-7, 2147483647], [-2147483648, 11]], dtype=torch.int32),
        "scalar": torch.tensor(3.25, dtype=torch.float32),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
    }


def write_format_fixtures(out):
    d = os.path.join(out, "safetensors")
    os.makedirs(d, exist_ok=True)
    tensors = format_tensors()
    # One metadata key only: the Python library keeps __metadata__ in a hash map, so with two or
    # more keys its key order (and thus the bytes) changes from run to run.
    save_file(tensors, os.path.join(d, "python_written.safetensors"), metadata={"format": "pt"})
    save_file(tensors, os.path.join(d, "python_no_metadata.safetensors"))
    # A file with an unsupported (but valid) dtype, to check it is reported by name when accessed.
    save_file({"f64": torch.tensor([1.5, -2.0], dtype=torch.float64),
               "ok": torch.tensor([1.0], dtype=torch.float32)},
              os.path.join(d, "python_f64.safetensors"))


# ---------------------------------------------------------------------------------------------
# float16 / bfloat16 conversions
# ---------------------------------------------------------------------------------------------

def conversion_inputs():
    g = torch.Generator().manual_seed(1)
    special = [0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3.0, 65504.0, 65519.99, 65520.0, 1e6, -1e6,
               float("inf"), float("-inf"),
               6.103515625e-05,        # smallest normal f16
               5.960464477539063e-08,  # smallest subnormal f16
               2.9802322387695312e-08,  # exactly half of it: ties to even -> 0
               2.98023259e-08,         # just above half -> smallest subnormal
               8.940696716308594e-08,  # 1.5 subnormal units: ties to even -> 2 units
               3.0e-05, 1.0e-07, 1.0e-10, 1.17549435e-38, 1.0e-40,  # f32 subnormal
               3.3895313892515355e38, 3.4028234663852886e38,  # bf16 overflow edge
               1.00390625, 1.01171875,  # bf16 ties: 1 + 2^-8 (-> 1.0), 1 + 3 * 2^-8 (-> up)
               1.00048828125, 1.00146484375]  # f16 ties: 1 + 2^-11 (-> 1.0), 1 + 3 * 2^-11 (-> up)
    x = torch.tensor(special, dtype=torch.float32)
    rnd = torch.randn(64, generator=g) * torch.exp(torch.randn(64, generator=g) * 6)
    return torch.cat([x, rnd.to(torch.float32)])


def write_conversion_fixtures(out):
    d = os.path.join(out, "conversions")
    os.makedirs(d, exist_ok=True)
    x = conversion_inputs()
    f16 = x.to(torch.float16)
    bf16 = x.to(torch.bfloat16)
    # NaN is kept apart: torch's NaN bit patterns are implementation details, the Swift side only
    # has to produce a NaN (checked in the Swift test).
    save_file({
        "input": x,
        "f16": f16,
        "bf16": bf16,
        "f16_to_f32": f16.to(torch.float32),
        "bf16_to_f32": bf16.to(torch.float32),
    }, os.path.join(d, "float_conversions.safetensors"), metadata=meta())


# ---------------------------------------------------------------------------------------------
# bicubic interpolation
# ---------------------------------------------------------------------------------------------

def write_interpolation_fixtures(out):
    d = os.path.join(out, "interpolation")
    os.makedirs(d, exist_ok=True)
    g = torch.Generator().manual_seed(2)
    x = torch.randn(1, 3, 4, 4, generator=g)
    y = torch.randn(1, 2, 5, 7, generator=g)
    F = torch.nn.functional
    cases = {
        # name: (input, kwargs)
        "size_5x3": (x, dict(size=(5, 3))),
        "size_7x9": (x, dict(size=(7, 9))),
        "size_2x3": (x, dict(size=(2, 3))),
        "size_4x4": (x, dict(size=(4, 4))),
        "size_1x1": (x, dict(size=(1, 1))),
        "scale_1.5x0.75": (x, dict(scale_factor=(1.5, 0.75))),
        "scale_2.3x1.7": (y, dict(scale_factor=(2.3, 1.7))),
        "size_9x4_from_5x7": (y, dict(size=(9, 4))),
        "align_size_6x5": (x, dict(size=(6, 5), align_corners=True)),
    }
    tensors = {"x": x[0], "y": y[0]}
    description = {}
    for name, (inp, kw) in cases.items():
        kw = dict(kw)
        kw.setdefault("align_corners", False)
        o = F.interpolate(inp, mode="bicubic", antialias=False, **kw)
        tensors[name] = o[0]
        description[name] = {"input": "x" if inp is x else "y",
                             **{k: (list(v) if isinstance(v, tuple) else v) for k, v in kw.items()}}
    save_file(contiguous(tensors), os.path.join(d, "bicubic.safetensors"),
              metadata=meta(cases=json.dumps(description, sort_keys=True)))


# ---------------------------------------------------------------------------------------------
# DINOv2
# ---------------------------------------------------------------------------------------------

# transformers 5 renames the checkpoint keys on load (conversion_mapping.py) and back on save;
# the fixtures use the checkpoint (on-disk) names, which is what the Swift loader sees.
DINOV2_TO_CHECKPOINT = [
    ("attention.q_proj", "attention.attention.query"),
    ("attention.k_proj", "attention.attention.key"),
    ("attention.v_proj", "attention.attention.value"),
    ("attention.o_proj", "attention.output.dense"),
    ("mlp.down_proj", "mlp.weights_out"),
]


def dinov2_checkpoint_name(name):
    for a, b in DINOV2_TO_CHECKPOINT:
        name = name.replace(a, b)
    return name


class LayerOutputs:
    """Records the hidden-state output of each module in a ModuleList (forward hooks)."""

    def __init__(self, layers):
        self.layers = layers
        self.outputs = []
        self.handles = []

    def __enter__(self):
        def hook(_module, _args, output):
            self.outputs.append((output[0] if isinstance(output, tuple) else output).detach().clone())
        self.handles = [layer.register_forward_hook(hook) for layer in self.layers]
        return self

    def __exit__(self, *exc):
        for h in self.handles:
            h.remove()


def check_reload(cls, d, inputs, expected):
    """The saved checkpoint (not just the in-memory model) must reproduce the outputs exactly."""
    reloaded = cls.from_pretrained(d, attn_implementation="eager").eval()
    with torch.no_grad():
        got = reloaded(**inputs).last_hidden_state
    assert torch.equal(got, expected), f"{d}: reloaded model disagrees"


def save_pretrained(model, d):
    model.save_pretrained(d)
    names = set()
    with safe_open(os.path.join(d, "model.safetensors"), "pt") as f:
        names = set(f.keys())
    return names


def make_dinov2(out, folder, swiglu, seed):
    torch.manual_seed(seed)
    config = Dinov2Config(
        hidden_size=32, num_hidden_layers=2, num_attention_heads=2, mlp_ratio=2, patch_size=4,
        image_size=16, num_channels=3, layerscale_value=0.5, layer_norm_eps=1e-6, hidden_act="gelu",
        qkv_bias=not swiglu, use_swiglu_ffn=swiglu, initializer_range=0.2,
        attn_implementation="eager")
    model = Dinov2Model(config).eval()
    with torch.no_grad():
        # Random LayerScale and LayerNorm affine parameters, so that a mix-up of them shows.
        for name, p in model.named_parameters():
            if name.endswith("lambda1") or "norm" in name:
                p.copy_(p + 0.3 * torch.randn_like(p))
            if name.endswith("cls_token") or name.endswith("position_embeddings"):
                p.copy_(torch.randn_like(p))
    d = os.path.join(out, folder)
    os.makedirs(d, exist_ok=True)
    saved = save_pretrained(model, d)

    g = torch.Generator().manual_seed(seed + 100)
    # 20x12 is not the 16x16 training size: the position grid is interpolated from 4x4 to 5x3.
    pixel_values = torch.randn(2, 3, 20, 12, generator=g)
    pixel_native = torch.randn(1, 3, 16, 16, generator=g)

    def run(pv):
        with torch.no_grad(), LayerOutputs(model.encoder.layer) as layers:
            emb = model.embeddings(pv)
            out = model(pixel_values=pv)
        return emb, out, layers.outputs

    emb, o, layers = run(pixel_values)
    check_reload(Dinov2Model, d, {"pixel_values": pixel_values}, o.last_hidden_state)
    save_file({"pixel_values": pixel_values}, os.path.join(d, "inputs.safetensors"), metadata=meta())
    outputs = {"last_hidden_state": o.last_hidden_state, "embeddings": emb}
    for i, h in enumerate(layers):
        outputs[f"layer.{i}"] = h  # output of encoder.layer.{i}, before the final LayerNorm
    save_file(contiguous(outputs), os.path.join(d, "outputs.safetensors"),
              metadata=meta(input="inputs.safetensors"))

    emb_n, o_n, _ = run(pixel_native)
    save_file({"pixel_values": pixel_native}, os.path.join(d, "inputs_native.safetensors"),
              metadata=meta())
    save_file(contiguous({"last_hidden_state": o_n.last_hidden_state, "embeddings": emb_n}),
              os.path.join(d, "outputs_native.safetensors"), metadata=meta(input="inputs_native.safetensors"))

    if swiglu:
        return
    # Gradients through encoder.layer.0 of loss = sum(block(x) * w).
    block = model.encoder.layer[0]
    x = emb.detach().clone().requires_grad_(True)
    w = torch.randn(x.shape, generator=g)
    model.zero_grad(set_to_none=True)
    y = block(x)
    loss = (y * w).sum()
    loss.backward()
    grads = {}
    for name, p in block.named_parameters():
        full = dinov2_checkpoint_name(f"encoder.layer.0.{name}")
        assert full in saved, full
        grads[full] = p.grad
    save_file(contiguous(grads), os.path.join(d, "block_grads.safetensors"),
              metadata=meta(block="encoder.layer.0", loss="sum(block(input) * loss_weight)"))
    save_file(contiguous({"input": x, "output": y, "loss_weight": w, "input_grad": x.grad,
                          "loss": loss.reshape(())}),
              os.path.join(d, "block_io.safetensors"), metadata=meta(block="encoder.layer.0"))


# ---------------------------------------------------------------------------------------------
# T5 encoder
# ---------------------------------------------------------------------------------------------

def make_t5(out, folder, feed_forward_proj, seed):
    torch.manual_seed(seed)
    config = T5Config(
        vocab_size=64, d_model=32, d_kv=8, d_ff=64, num_layers=2, num_heads=4,
        relative_attention_num_buckets=32, relative_attention_max_distance=20,
        feed_forward_proj=feed_forward_proj, layer_norm_epsilon=1e-6, dropout_rate=0.1,
        attn_implementation="eager")
    model = T5EncoderModel(config).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "layer_norm" in name:
                p.copy_(1.0 + 0.3 * torch.randn_like(p))
            elif "relative_attention_bias" in name:
                p.copy_(torch.randn_like(p))
    d = os.path.join(out, folder)
    os.makedirs(d, exist_ok=True)
    saved = save_pretrained(model, d)

    g = torch.Generator().manual_seed(seed + 100)
    # Sequence length 24 > max_distance 20 reaches the logarithmic and the clamped buckets.
    T = 24
    input_ids = torch.randint(2, 64, (2, T), generator=g, dtype=torch.int64)
    attention_mask = torch.ones(2, T, dtype=torch.int64)
    attention_mask[1, 17:] = 0
    input_ids[1, 17:] = 0  # pad token id
    inputs = {"input_ids": input_ids, "attention_mask": attention_mask}
    with torch.no_grad(), LayerOutputs(model.encoder.block) as layers:
        o = model(**inputs)
        embeddings = model.shared(input_ids)
    check_reload(T5EncoderModel, d, inputs, o.last_hidden_state)
    save_file(inputs, os.path.join(d, "inputs.safetensors"), metadata=meta())
    outputs = {"last_hidden_state": o.last_hidden_state, "embeddings": embeddings}
    for i, h in enumerate(layers.outputs):
        outputs[f"layer.{i}"] = h  # output of encoder.block.{i}, before final_layer_norm
    # The bias that block 0 computes and all blocks share: (1, heads, T, T), without the mask.
    with torch.no_grad():
        bias = model.encoder.block[0].layer[0].SelfAttention.compute_bias(T, T)
    outputs["position_bias"] = bias
    save_file(contiguous(outputs), os.path.join(d, "outputs.safetensors"),
              metadata=meta(input="inputs.safetensors"))

    # Gradients through encoder.block.0 (which owns relative_attention_bias), with the padding mask.
    block = model.encoder.block[0]
    x = embeddings.detach().clone().requires_grad_(True)
    additive = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min
    w = torch.randn(x.shape, generator=g)
    model.zero_grad(set_to_none=True)
    y = block(x, attention_mask=additive, position_bias=None)[0]
    loss = (y * w).sum()
    loss.backward()
    grads = {}
    for name, p in block.named_parameters():
        full = f"encoder.block.0.{name}"
        assert full in saved, full
        grads[full] = p.grad
    save_file(contiguous(grads), os.path.join(d, "block_grads.safetensors"),
              metadata=meta(block="encoder.block.0", loss="sum(block(input, mask) * loss_weight)"))
    save_file(contiguous({"input": x, "attention_mask": attention_mask, "output": y,
                          "loss_weight": w, "input_grad": x.grad, "loss": loss.reshape(())}),
              os.path.join(d, "block_io.safetensors"), metadata=meta(block="encoder.block.0"))


def write_t5_bucket_fixture(out):
    """T5's relative-position buckets over a wide range of distances, for exact-integer checks."""
    from transformers.models.t5.modeling_t5 import T5Attention
    d = os.path.join(out, "t5_buckets")
    os.makedirs(d, exist_ok=True)
    rp = torch.arange(-300, 301, dtype=torch.int64)
    tensors = {"relative_position": rp}
    for bidirectional, nb, md in [(True, 32, 128), (True, 32, 20), (True, 16, 64), (False, 32, 128)]:
        kind = "bidirectional" if bidirectional else "unidirectional"
        tensors[f"{kind}_{nb}_{md}"] = T5Attention._relative_position_bucket(rp, bidirectional, nb, md)
    save_file(contiguous(tensors), os.path.join(d, "buckets.safetensors"),
              metadata=meta(relative_position="memory_position - query_position",
                            names="{bidirectional|unidirectional}_{num_buckets}_{max_distance}"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--out", default=os.path.join(root, "Tests", "Fixtures"))
    args = parser.parse_args()
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)

    os.makedirs(args.out, exist_ok=True)
    write_format_fixtures(args.out)
    write_conversion_fixtures(args.out)
    write_interpolation_fixtures(args.out)
    make_dinov2(args.out, "dinov2", swiglu=False, seed=10)
    make_dinov2(args.out, "dinov2_swiglu", swiglu=True, seed=11)
    make_t5(args.out, "t5_relu", "relu", seed=20)
    make_t5(args.out, "t5_gated_gelu", "gated-gelu", seed=21)
    write_t5_bucket_fixture(args.out)

    total = 0
    for dirpath, _, files in os.walk(args.out):
        for f in files:
            total += os.path.getsize(os.path.join(dirpath, f))
    print(f"wrote fixtures to {args.out}: {total / 1024:.1f} KiB")
    if total >= 2 * 1024 * 1024:
        raise SystemExit("fixtures exceed 2 MB")


if __name__ == "__main__":
    main()
