#!/usr/bin/env python3
"""Paired comparison of two models' ShapeBench runs on the same prompts and seeds.

    python3 scripts/compare_shapebench.py --a A-s0.jsonl A-s1000.jsonl --b B-s0.jsonl B-s1000.jsonl

The inputs are `eval shapebench --details F` files. Images are paired by (prompt index, seed), so
both runs must use the same prompt file, seeds and samples. Each model's category accuracies and
overall score (the mean of the categories, as `eval shapebench` computes it) are printed with the
difference A - B and its standard error. The paired error uses the per-image differences, so the
prompts' own difficulty, which both models share, drops out: it is smaller than the error of each
score alone, and it is what says whether A beats B on this benchmark. Each score's own standard
error (the one `eval shapebench` prints) follows.
"""
import argparse
import json
import math
from collections import defaultdict


def load(paths):
    images = {}
    for path in paths:
        with open(path) as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                row = json.loads(line)
                key = (row["prompt_index"], row["seed"])
                if key in images:
                    raise SystemExit(f"{path}:{number}: prompt {key[0]} with seed {key[1]} appears twice")
                images[key] = row
    return images


def mean(values):
    return sum(values) / len(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--a", nargs="+", required=True, help="details files of model A")
    parser.add_argument("--b", nargs="+", required=True, help="details files of model B")
    parser.add_argument("--names", nargs=2, default=["A", "B"], help="labels of the two models")
    args = parser.parse_args()
    a, b = load(args.a), load(args.b)
    if a.keys() != b.keys():
        raise SystemExit(f"the runs judged different images: {len(a.keys() - b.keys())} only in A, "
                         f"{len(b.keys() - a.keys())} only in B")
    by_category = defaultdict(list)   # category -> [(a correct, b correct)]
    for key, row in a.items():
        if row["prompt"] != b[key]["prompt"]:
            raise SystemExit(f"prompt {key[0]} differs: {row['prompt']!r} against {b[key]['prompt']!r}")
        by_category[row["category"]].append((float(row["correct"]), float(b[key]["correct"])))

    name_a, name_b = args.names
    print(f"{len(a)} paired images")
    print(f"{'category':18} {'n':>5} {name_a:>8} {name_b:>8} {'diff':>8} {'paired se':>10}")
    diff_variances = []
    for category in sorted(by_category):
        pairs = by_category[category]
        n = len(pairs)
        diffs = [x - y for x, y in pairs]
        d = mean(diffs)
        variance = sum((x - d) ** 2 for x in diffs) / (n - 1) / n if n > 1 else 0.0
        diff_variances.append(variance)
        print(f"{category:18} {n:5d} {mean([x for x, _ in pairs]):8.3f} {mean([y for _, y in pairs]):8.3f} "
              f"{d:+8.3f} {math.sqrt(variance):10.3f}")
    count = len(by_category)
    overall_a = mean([mean([x for x, _ in p]) for p in by_category.values()])
    overall_b = mean([mean([y for _, y in p]) for p in by_category.values()])
    overall_se = math.sqrt(sum(diff_variances)) / count
    print(f"{'overall':18} {len(a):5d} {overall_a:8.3f} {overall_b:8.3f} {overall_a - overall_b:+8.3f} {overall_se:10.3f}")
    # Each score's own standard error, as `eval shapebench` prints it (images as independent draws).
    own = []
    for side in (0, 1):
        accuracies = [(mean([pair[side] for pair in pairs]), len(pairs)) for pairs in by_category.values()]
        own.append(math.sqrt(sum(p * (1 - p) / n for p, n in accuracies)) / count)
    print(f"standard error of each overall (images as independent draws): {name_a} {own[0]:.3f}, {name_b} {own[1]:.3f}")


if __name__ == "__main__":
    main()
