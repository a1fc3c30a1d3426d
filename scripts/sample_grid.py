#!/usr/bin/env python3
"""Render a few shapes-world prompts with the shipped model and tile them into docs/samples.png.

The README's picture of outputs. Each prompt is rendered by `fae-t2i render` (64x64 JPEG), scaled
2x with nearest-neighbour sampling and placed on a 2 x 4 grid with a 2-pixel gap. Prompts and seeds
are fixed, and rendering uses one thread so the sums run in the same order on any machine: running
it again with the same binary and model gives the same picture.

    python3 scripts/sample_grid.py [--bin .build/release/fae-t2i] [--model models/default]
                                   [--out docs/samples.png]

Needs Pillow (`pip install pillow`); a development tool, never needed to build, run or test.
"""

import argparse
import os
import subprocess
import sys
import tempfile

from PIL import Image

# (prompt, seed): one of each caption form the model draws well (looked at by eye).
SAMPLES = [
    ("a red circle", 2),
    ("a small green triangle on a black background", 1),
    ("two yellow squares", 3),
    ("a blue square to the left of a red circle", 1),
    ("three green circles", 2),
    ("a yellow circle and a red diamond", 3),
    ("an orange cross on a white background", 3),
    ("a pink triangle above a blue circle", 1),
]
COLUMNS = 4
SCALE = 2
GAP = 2
GAP_COLOUR = (48, 48, 48)  # dark, so white and grey backgrounds stay apart


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.environ.get("FAE_T2I_BIN", ".build/release/fae-t2i"),
                        help="fae-t2i binary (default: $FAE_T2I_BIN, else .build/release/fae-t2i)")
    parser.add_argument("--model", default="models/default", help="model folder")
    parser.add_argument("--out", default="docs/samples.png", help="PNG to write")
    args = parser.parse_args()

    tiles = []
    with tempfile.TemporaryDirectory() as work:
        for index, (prompt, seed) in enumerate(SAMPLES):
            path = os.path.join(work, f"{index}.jpg")
            subprocess.run([args.bin, "render", prompt, "--seed", str(seed), "--model", args.model,
                            "--threads", "1", "--out", path], check=True, stdout=subprocess.DEVNULL)
            with Image.open(path) as image:
                image = image.convert("RGB")
                tiles.append(image.resize((image.width * SCALE, image.height * SCALE), Image.NEAREST))

    side = tiles[0].width
    rows = (len(tiles) + COLUMNS - 1) // COLUMNS
    grid = Image.new("RGB", (COLUMNS * side + (COLUMNS - 1) * GAP, rows * side + (rows - 1) * GAP),
                     GAP_COLOUR)
    for index, tile in enumerate(tiles):
        row, column = divmod(index, COLUMNS)
        grid.paste(tile, (column * (side + GAP), row * (side + GAP)))
    grid.save(args.out, optimize=True)
    print(f"{args.out}: {grid.width}x{grid.height}, {os.path.getsize(args.out)} bytes")
    for prompt, seed in SAMPLES:
        print(f"  seed {seed}: {prompt}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
