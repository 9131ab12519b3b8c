#!/usr/bin/env python3
"""Writes the small PNG test pictures of tests/test_image.c and
tests/test_pdfout.c with zlib and struct only (no imaging library).
Run from this folder: python3 make_png.py
The JPEG pictures were written once with libjpeg: photo.jpg (16 x 8 RGB,
baseline, quality 75), progressive.jpg (the same, progressive), and
truncated.jpg is photo.jpg cut to its first 400 bytes."""
import struct
import zlib

W, H = 4, 3


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(
        ">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(path, colour_type, depth, rows, extra=b"", interlace=0):
    ihdr = struct.pack(">IIBBBBB", W, H, depth, colour_type, 0, 0, interlace)
    raw = b"".join(b"\x00" + r for r in rows)
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(data)
    return data


def rgb_rows():
    return [bytes(v for x in range(W) for v in (x * 60, y * 100, 200))
            for y in range(H)]


rgb = png("rgb.png", 2, 8, rgb_rows())
png("rgba.png", 6, 8,
    [bytes(v for x in range(W) for v in (x * 60, y * 100, 200, x * 80))
     for y in range(H)])
png("grey.png", 0, 8, [bytes(x * 60 + y for x in range(W)) for y in range(H)])
png("grey_alpha.png", 4, 8,
    [bytes(v for x in range(W) for v in (x * 60, 255 - x * 50))
     for y in range(H)])
png("rgb16.png", 2, 16,
    [b"".join(struct.pack(">HHH", x * 0x3C00, y * 0x6400, 0xC8FF)
              for x in range(W)) for y in range(H)])
png("palette.png", 3, 8, [bytes((x + y) % 3 for x in range(W))
                          for y in range(H)],
    extra=chunk(b"PLTE", bytes([255, 0, 0, 0, 255, 0, 0, 0, 255])))
# RGB with a tRNS colour key: pixel (0, y) is (0, y*100, 200); make
# (0, 100, 200) transparent.
png("trns_rgb.png", 2, 8, rgb_rows(),
    extra=chunk(b"tRNS", struct.pack(">HHH", 0, 100, 200)))


def adam7(rows, bpp):
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4),
              (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    out = b""
    for x0, y0, dx, dy in passes:
        for y in range(y0, H, dy):
            line = b"".join(rows[y][x * bpp:(x + 1) * bpp]
                            for x in range(x0, W, dx))
            if line:
                out += b"\x00" + line
    return out


ihdr = struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 1)
with open("interlaced.png", "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
            chunk(b"IDAT", zlib.compress(adam7(rgb_rows(), 3), 9)) +
            chunk(b"IEND", b""))

# Cut inside the IDAT chunk.
with open("truncated.png", "wb") as f:
    f.write(rgb[:60])
# A flipped byte inside the compressed data: the CRC no longer matches.
bad = bytearray(rgb)
bad[45] ^= 0xFF
with open("corrupt.png", "wb") as f:
    f.write(bytes(bad))
