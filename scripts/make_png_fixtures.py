#!/usr/bin/env python3
"""Writes the tiny PNG fixtures of Tests/Fixtures/png/ with the standard library only (zlib + struct),
so that every pixel value is known exactly. See Tests/Fixtures/png/README.md for what each one holds."""
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "png"


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png(width, height, bit_depth, color_type, rows, extra=(), interlace=0):
    """rows: list of raw scanline bytes (without the filter byte); filter 0 everywhere unless interlaced."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, interlace)
    raw = b"".join(b"\x00" + row for row in rows)
    body = chunk(b"IHDR", ihdr) + b"".join(chunk(k, v) for k, v in extra) + chunk(b"IDAT", zlib.compress(raw, 9))
    return b"\x89PNG\r\n\x1a\n" + body + chunk(b"IEND", b"")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    # RGBA 8-bit, 2x2: opaque red, fully transparent black, half-transparent blue (alpha 128), opaque green.
    rgba = [bytes([255, 0, 0, 255, 0, 0, 0, 0]), bytes([0, 0, 255, 128, 0, 255, 0, 255])]
    (OUT / "rgba8.png").write_bytes(png(2, 2, 8, 6, rgba))
    # Palette 4-bit, 3x1: entries 0 = (10, 20, 30), 1 = (200, 100, 50), 2 = (0, 0, 0) made transparent by tRNS.
    palette = bytes([10, 20, 30, 200, 100, 50, 0, 0, 0])
    trns = bytes([255, 255, 0])
    (OUT / "palette4_trns.png").write_bytes(png(3, 1, 4, 3, [bytes([0x01, 0x20])],
                                                extra=[(b"PLTE", palette), (b"tRNS", trns)]))
    # RGB 16-bit, 2x1: (0x1234, 0x80FF, 0xFFFF) and (0x0000, 0x7F7F, 0x00FF).
    rgb16 = struct.pack(">6H", 0x1234, 0x80FF, 0xFFFF, 0x0000, 0x7F7F, 0x00FF)
    (OUT / "rgb16.png").write_bytes(png(2, 1, 16, 2, [rgb16]))
    # Gray 1-bit, 8x1: 10110000.
    (OUT / "gray1.png").write_bytes(png(8, 1, 1, 0, [bytes([0b10110000])]))


if __name__ == "__main__":
    main()
