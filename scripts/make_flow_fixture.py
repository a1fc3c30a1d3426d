"""Writes Tests/Fixtures/flow_block/{deep,shallow}.safetensors: one normalizing-flow block (the
model of Sources/Models/Flow/FlowBlock.swift, written independently in PyTorch) with random
weights, its inputs, outputs and autograd gradients, for the Swift parity test. Seeded; run
`python3 scripts/make_flow_fixture.py`.

The block, over tokens x (B, N, D) in its order (raster, or reversed for `shallow`):
  u = [start; x_0 .. x_(N-2)],  h = input(u) + positions
  deep: the sequence is [text(text_states); h]; text tokens see the text (minus padding), image
        token i sees the text and image tokens 0..i
  layers: pre-norm (LayerNorm, eps 1e-6), multi-head attention, GELU MLP (4 x width)
  raw = output(norm(h_image)) -> a, mu;  alpha = 4 tanh(a / 4);  z = (x - mu) exp(-alpha)
Loss = sum(z * z_weight) + log_scale_weight * sum(alpha); the file holds every gradient of it.
"""
import math

import torch
from safetensors.torch import save_file

B, GRID_H, GRID_W, D, W, HEADS, LAYERS, CT, T = 2, 2, 3, 3, 16, 2, 2, 8, 4
N = GRID_H * GRID_W
BOUND, EPS, LOG_SCALE_WEIGHT = 4.0, 1e-6, 0.37


class Attention(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.q_proj, self.k_proj, self.v_proj, self.out_proj = (torch.nn.Linear(W, W) for _ in range(4))

    def forward(self, x, allowed):
        b, l, _ = x.shape
        hd = W // HEADS
        q, k, v = (p(x).view(b, l, HEADS, hd).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd)
        scores = scores.masked_fill(~allowed[:, None], float("-inf"))
        out = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, l, W)
        return self.out_proj(out)


class Layer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1, self.norm2 = torch.nn.LayerNorm(W, eps=EPS), torch.nn.LayerNorm(W, eps=EPS)
        self.attention = Attention()
        self.mlp = torch.nn.Module()
        self.mlp.fc1, self.mlp.fc2 = torch.nn.Linear(W, 4 * W), torch.nn.Linear(4 * W, W)

    def forward(self, x, allowed):
        x = x + self.attention(self.norm1(x), allowed)
        return x + self.mlp.fc2(torch.nn.functional.gelu(self.mlp.fc1(self.norm2(x))))


class Block(torch.nn.Module):
    def __init__(self, reads_text, reversed_order):
        super().__init__()
        self.reads_text, self.reversed_order = reads_text, reversed_order
        self.start = torch.nn.Parameter(torch.zeros(D))
        self.input = torch.nn.Linear(D, W)
        self.positions = torch.nn.Parameter(torch.zeros(N, W))
        if reads_text:
            self.text = torch.nn.Linear(CT, W)
        self.layers = torch.nn.ModuleList(Layer() for _ in range(LAYERS))
        self.norm = torch.nn.LayerNorm(W, eps=EPS)
        self.output = torch.nn.Linear(W, 2 * D)

    def forward(self, x, text, mask):
        xp = x.flip(1) if self.reversed_order else x
        u = torch.cat([self.start.expand(x.shape[0], 1, D), xp[:, :-1]], 1)
        h = self.input(u) + self.positions
        t = text.shape[1] if self.reads_text else 0
        if self.reads_text:
            h = torch.cat([self.text(text), h], 1)
        l = t + N
        i = torch.arange(l)[:, None]
        j = torch.arange(l)[None, :]
        allowed = torch.where(i < t, j < t, (j < t) | (j - t <= i - t))           # (L, L)
        keys = torch.cat([mask.bool(), torch.ones(x.shape[0], N, dtype=torch.bool)], 1) if self.reads_text \
            else torch.ones(x.shape[0], N, dtype=torch.bool)
        allowed = allowed[None] & keys[:, None, :]                                 # (B, L, L)
        for layer in self.layers:
            h = layer(h, allowed)
        raw = self.output(self.norm(h[:, t:]))
        alpha = BOUND * torch.tanh(raw[..., :D] / BOUND)
        zp = (xp - raw[..., D:]) * torch.exp(-alpha)
        return (zp.flip(1) if self.reversed_order else zp), alpha


def make(name, reads_text, reversed_order, seed):
    torch.manual_seed(seed)
    block = Block(reads_text, reversed_order).double()
    with torch.no_grad():
        for key, p in block.named_parameters():
            if key.endswith("norm1.weight") or key.endswith("norm2.weight") or key == "norm.weight":
                p.copy_(1 + 0.1 * torch.randn_like(p))
            else:
                p.copy_(0.2 * torch.randn_like(p))
    x = torch.randn(B, N, D, dtype=torch.float64, requires_grad=True)
    text = torch.randn(B, T, CT, dtype=torch.float64, requires_grad=True)
    mask = torch.ones(B, T, dtype=torch.float64)
    mask[1, T - 1] = 0
    z, alpha = block(x, text, mask)
    z_weight = torch.randn_like(z)
    loss = (z * z_weight).sum() + LOG_SCALE_WEIGHT * alpha.sum()
    loss.backward()
    tensors = {f"param.{k}": p for k, p in block.named_parameters()}
    tensors.update({f"grad.{k}": p.grad for k, p in block.named_parameters()})
    tensors.update({"x": x, "z": z, "log_scales": alpha, "z_weight": z_weight, "x_grad": x.grad})
    if reads_text:
        tensors.update({"text": text, "text_mask": mask, "text_grad": text.grad})
    metadata = {"format": "pt", "torch": torch.__version__, "log_scale_weight": str(LOG_SCALE_WEIGHT),
                "reversed": str(reversed_order).lower(), "reads_text": str(reads_text).lower()}
    save_file({k: v.detach().float().contiguous() for k, v in tensors.items()},
              f"Tests/Fixtures/flow_block/{name}.safetensors", metadata=metadata)


if __name__ == "__main__":
    import os
    os.makedirs("Tests/Fixtures/flow_block", exist_ok=True)
    make("deep", reads_text=True, reversed_order=False, seed=0)
    make("shallow", reads_text=False, reversed_order=True, seed=1)
