#!/usr/bin/env python3
"""Writes Tests/Fixtures/frechet/fd.json: small seeded feature sets and their Fréchet distance.

The reference is pytorch-fid's formula with scipy's matrix square root:
  ||mu1 - mu2||^2 + Tr(S1) + Tr(S2) - 2 Tr(sqrtm(S1 S2)),  S = np.cov(x, rowvar=False) (N - 1).
Cases: full-rank 6-dim sets (40 and 30 samples), a correlated pair, and a rank-deficient one (5 samples
in 8 dims) where sqrtm's tiny imaginary part is dropped, as pytorch-fid does.
Run: python3 scripts/make_fd_fixture.py  (numpy + scipy; output is deterministic for a numpy version).
"""
import json
import pathlib

import numpy as np
from scipy import linalg


def frechet(a, b):
    mu1, mu2 = a.mean(axis=0), b.mean(axis=0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean = linalg.sqrtm(s1.dot(s2))
    covmean = covmean.real
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def main():
    rng = np.random.default_rng(20261129)
    cases = []
    a = rng.normal(size=(40, 6))
    b = rng.normal(loc=0.3, scale=1.5, size=(30, 6))
    cases.append(("independent", a, b))
    mix = rng.normal(size=(6, 6))
    c = rng.normal(size=(50, 6)) @ mix
    d = rng.normal(size=(45, 6)) @ (mix + 0.2 * rng.normal(size=(6, 6))) + 1.0
    cases.append(("correlated", c, d))
    e = rng.normal(size=(5, 8))
    f = rng.normal(size=(5, 8)) * 0.5
    cases.append(("rank_deficient", e, f))
    out = {
        "numpy": np.__version__,
        "scipy": __import__("scipy").__version__,
        "cases": [{"name": n, "a": x.round(6).tolist(), "b": y.round(6).tolist(),
                   "fd": frechet(x.round(6), y.round(6))} for n, x, y in cases],
    }
    path = pathlib.Path(__file__).resolve().parent.parent / "Tests/Fixtures/frechet/fd.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(path, [(c["name"], c["fd"]) for c in out["cases"]])


if __name__ == "__main__":
    main()
