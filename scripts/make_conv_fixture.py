"""Writes Tests/Fixtures/conv2d/conv2d.safetensors: a 3x3, stride 1, padding 1 torch conv2d with its
gradients, for the engine's Ops.conv2d parity test. Seeded; run `python3 scripts/make_conv_fixture.py`."""
import torch
from safetensors.torch import save_file

torch.manual_seed(0)
x = torch.randn(2, 3, 5, 6, dtype=torch.float64, requires_grad=True)
w = torch.randn(4, 3, 3, 3, dtype=torch.float64, requires_grad=True)
b = torch.randn(4, dtype=torch.float64, requires_grad=True)
y = torch.nn.functional.conv2d(x, w, b, stride=1, padding=1)
dy = torch.randn_like(y)
y.backward(dy)
out = {"x": x, "weight": w, "bias": b, "y": y, "dy": dy, "dx": x.grad, "dweight": w.grad, "dbias": b.grad}
save_file({k: v.detach().float().contiguous() for k, v in out.items()},
          "Tests/Fixtures/conv2d/conv2d.safetensors", metadata={"format": "pt", "torch": torch.__version__})
