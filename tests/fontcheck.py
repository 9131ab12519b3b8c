#!/usr/bin/env python3
"""Checks from outside the fonts informe embeds, with tools informe does
not include: pikepdf (qpdf) for the objects and fontTools for the font
files.

For every Type0 font of every file:
- the descendant is a CIDFontType2 with a /CIDToGIDMap stream, the font
  name carries a six-letter subset tag, and the descriptor's /FontFile2
  is deflated with /Length1 its decoded length;
- the font file holds exactly the tables cvt, fpgm, glyf, head, hhea,
  hmtx, loca, maxp and prep (those the original has), with valid table
  checksums and head checkSumAdjustment (fontTools checkChecksums);
- every code the glyph map maps to a glyph keeps that glyph's bytes and
  advance width as in the original font (the file of fonts/ with its
  PostScript name), its
  /W width is that advance in thousandths of an em, and glyphs no code
  maps to (and no kept composite uses) are empty.

Usage: python3 tests/fontcheck.py FILE.pdf...   (exit 1 on any failure)
"""
import io
import os
import re
import sys

import pikepdf
from fontTools.ttLib import TTFont

FONTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fonts")
TABLES = ["cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp",
          "prep"]
TAG = re.compile(r"^[A-Z]{6}\+(.*)$")


def glyph_bytes(font, gid):
    """The raw bytes of glyph gid, through loca."""
    loca = font["loca"]
    raw = font.reader["glyf"]
    return raw[loca[gid]:loca[gid + 1]]


def composite_parts(data):
    """Glyph ids a composite glyph's bytes name (none for a simple one)."""
    if len(data) < 10 or int.from_bytes(data[0:2], "big", signed=True) >= 0:
        return []
    parts, at = [], 10
    while True:
        flags = int.from_bytes(data[at:at + 2], "big")
        parts.append(int.from_bytes(data[at + 2:at + 4], "big"))
        at += 4 + (4 if flags & 1 else 2)
        at += 2 if flags & 8 else 4 if flags & 0x40 else 8 if flags & 0x80 \
            else 0
        if not flags & 0x20:
            return parts


def widths(w):
    """The /W array as {cid: width}."""
    out, i = {}, 0
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], pikepdf.Array):
            for k, v in enumerate(w[i + 1]):
                out[first + k] = float(v)
            i += 2
        else:
            for c in range(first, int(w[i + 1]) + 1):
                out[c] = float(w[i + 2])
            i += 3
    return out


def check_font(path, font, errors, originals):
    def err(msg):
        errors.append(f"{path}: {font.BaseFont}: {msg}")

    m = TAG.match(str(font.BaseFont)[1:])
    if not m:
        return err("no subset tag")
    face = m.group(1).split(",")[0]
    cid = font.DescendantFonts[0]
    if cid.Subtype != "/CIDFontType2":
        return err(f"descendant is {cid.Subtype}")
    desc = cid.FontDescriptor
    ff = desc.get("/FontFile2")
    if ff is None:
        return err("no /FontFile2")
    if ff.get("/Filter") not in ("/FlateDecode", pikepdf.Array(
            [pikepdf.Name.FlateDecode])):
        err(f"FontFile2 filter {ff.get('/Filter')}")
    data = ff.read_bytes()
    if int(ff.Length1) != len(data):
        err(f"/Length1 {int(ff.Length1)} for {len(data)} bytes")
    try:
        sub = TTFont(io.BytesIO(data), checkChecksums=2, lazy=False)
    except Exception as e:  # fontTools raises on a bad checksum
        return err(f"font file does not read: {e}")
    orig = originals.get(face)
    if orig is None:
        return err(f"no font named {face} in fonts/")
    want = [t for t in TABLES if t in orig]
    if sorted(sub.reader.keys()) != want:
        err(f"tables {sorted(sub.reader.keys())}")
    total = sum(int.from_bytes(data[i:i + 4], "big")
                for i in range(0, len(data), 4)) & 0xFFFFFFFF
    if len(data) % 4 or total != 0xB1B0AFBA:
        err("checkSumAdjustment does not balance the file")

    gmap = cid.CIDToGIDMap.read_bytes()
    w = widths(cid.get("/W", pikepdf.Array()))
    upem = orig["head"].unitsPerEm
    kept = {0}
    for c in range(len(gmap) // 2):
        gid = int.from_bytes(gmap[2 * c:2 * c + 2], "big")
        if gid == 0:
            continue
        kept.add(gid)
        if glyph_bytes(sub, gid) != glyph_bytes(orig, gid):
            err(f"glyph {gid} (code {c:04X}) differs from the original")
        adv = orig["hmtx"].metrics[orig.getGlyphName(gid)][0]
        if sub["hmtx"].metrics[sub.getGlyphName(gid)][0] != adv:
            err(f"advance of glyph {gid} differs from the original")
        if c in w and abs(w[c] - adv * 1000 / upem) >= 1:
            err(f"/W of code {c:04X} is {w[c]}, the font says {adv}")
    todo = list(kept)
    while todo:
        for p in composite_parts(glyph_bytes(orig, todo.pop())):
            if p not in kept:
                kept.add(p)
                todo.append(p)
    for gid in range(sub["maxp"].numGlyphs):
        if gid not in kept and glyph_bytes(sub, gid):
            err(f"glyph {gid} is kept but no code uses it")
    if sub["maxp"].numGlyphs != max(kept) + 1:
        err(f"{sub['maxp'].numGlyphs} glyphs for a last glyph {max(kept)}")


def bundled():
    """The fonts of fonts/ by their PostScript name (name ID 6)."""
    out = {}
    for f in sorted(os.listdir(FONTS)):
        if f.endswith(".ttf"):
            font = TTFont(os.path.join(FONTS, f))
            out[font["name"].getDebugName(6)] = font
    return out


def main(paths):
    errors, originals, fonts = [], bundled(), 0
    for path in paths:
        with pikepdf.open(path) as pdf:
            seen = set()
            for page in pdf.pages:
                res = page.obj.get("/Resources", pikepdf.Dictionary())
                fdict = res.get("/Font", pikepdf.Dictionary())
                for key in fdict.keys():
                    font = fdict[key]
                    if font.objgen in seen or font.Subtype != "/Type0":
                        continue
                    seen.add(font.objgen)
                    fonts += 1
                    check_font(path, font, errors, originals)
    for e in errors:
        print("fontcheck:", e)
    print(f"fontcheck: {fonts} fonts in {len(paths)} files, "
          f"{len(errors)} problems")
    return 1 if errors or not fonts else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
