#!/usr/bin/env python3
"""Which shape the model draws when it draws the wrong one, from `eval shapebench --details` lines.

Development-time diagnostic (docs/experiments.md: which shapes go wrong, and where?);
never needed to build, run or test.
`eval shapebench` already counts the failure kinds (object count, shape, colour, relation, ...);
this splits the shape failures further. Only prompts that give every object its own colour
(single, colors, position, color_attribution, novel, background) are read, so each parsed object
can be matched to the object the prompt names by its colour. Prints, for small and large objects,
the confusion of the named shape (rows) with the shape found, and, for two-object prompts, how
often a wrong shape is the other object's shape (binding) rather than some other one. Run:

    fae-t2i eval shapebench --samples 2 --seed 1000 --details details.jsonl
    python3 scripts/shape_confusion.py details.jsonl [more.jsonl ...]
"""

import collections
import json
import sys

COLOURS = set("red orange yellow green cyan blue purple pink".split())
SHAPES = ["circle", "square", "triangle", "diamond", "cross"]


def named_objects(prompt):
    """(colour, shape) for each '<colour> <shape>' in the prompt."""
    words = prompt.split()
    return [(w, words[i + 1]) for i, w in enumerate(words[:-1]) if w in COLOURS and words[i + 1] in SHAPES]


def main(paths):
    confusion = {"small": collections.Counter(), "large": collections.Counter()}
    wrong_in_pairs = collections.Counter()
    for path in paths:
        for line in open(path):
            verdict = json.loads(line)
            named = named_objects(verdict["prompt"])
            if not named or len({colour for colour, _ in named}) != len(named):
                continue
            for colour, shape in named:
                found = [o for o in verdict["objects"] if o["color"] == colour]
                if len(found) != 1:
                    continue
                confusion[found[0]["size"]][(shape, found[0]["shape"])] += 1
                if len(named) == 2 and found[0]["shape"] != shape:
                    other = next(s for c, s in named if c != colour)
                    wrong_in_pairs["the other object's shape" if found[0]["shape"] == other else "another shape"] += 1
    for size, counts in confusion.items():
        print(f"{size} objects: named shape (rows) -> shape found (columns)")
        print(" " * 10 + "".join(f"{s:>10}" for s in SHAPES) + "   correct")
        for shape in SHAPES:
            row = [counts[(shape, found)] for found in SHAPES]
            total = sum(row)
            share = f"{counts[(shape, shape)] / total:.2f}" if total else "-"
            print(f"{shape:>10}" + "".join(f"{n:>10}" for n in row) + f"   {share} of {total}")
    print("wrong shapes in two-object prompts:", dict(wrong_in_pairs))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
