#!/usr/bin/env python3
"""Checks generator/ against its layer rule (generator/README.md).

Each folder's README.md names, on a line `Includes: a b c`, the folders
its files may use besides its own. The test reads two dependency graphs:

- includes: every `#include "folder/file.h"` of every .c and .h file;
- symbols: which object file uses which one's symbols, from `nm` over the
  objects of libinforme.a (OBJDIR, default build/rel).

It fails when a file uses a folder its README does not list, when the
folders' own lists do not follow the order in generator/README.md, when
files form a cycle (by includes, file to file) or object files do (by
symbols), when folders form a cycle, or when a source file is over
MAX_LINES lines.

Usage: python3 tests/layers.py [OBJDIR]
"""
import os
import re
import subprocess
import sys

ROOT = "generator"
MAX_LINES = 900
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def layer_order():
    """The folders in order, bottom first, from generator/README.md's
    `Layers: a b c` line."""
    m = re.search(r"^Layers:(.*)$", read(os.path.join(ROOT, "README.md")), re.M)
    if not m:
        sys.exit("layers: generator/README.md has no 'Layers:' line")
    return m.group(1).split()


def allowed_folders(folders):
    allowed = {}
    for f in folders:
        readme = os.path.join(ROOT, f, "README.md")
        if not os.path.exists(readme):
            sys.exit(f"layers: {readme} is missing")
        m = re.search(r"^Includes:(.*)$", read(readme), re.M)
        if not m:
            sys.exit(f"layers: {readme} has no 'Includes:' line")
        allowed[f] = set(m.group(1).split()) - {"(none)", "nothing"}
    return allowed


def sources():
    out = []
    for d, _, files in os.walk(ROOT):
        for n in files:
            if n.endswith((".c", ".h")):
                out.append(os.path.relpath(os.path.join(d, n), ROOT))
    return sorted(out)


def module(path):
    return os.path.splitext(path)[0]


def folder(path):
    return path.split("/")[0]


def nm_edges(objdir, files):
    """(object that uses, object that defines, symbol) from nm over the
    object of every .c file (stale objects of removed files are ignored)."""
    defined, used = {}, {}
    for p in files:
        if not p.endswith(".c"):
            continue
        mod = module(p)
        obj = os.path.join(objdir, mod + ".o")
        if not os.path.exists(obj):
            sys.exit(f"layers: {obj} is missing (build first)")
        out = subprocess.run(["nm", obj], capture_output=True, text=True,
                             check=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == "U":
                used.setdefault(mod, set()).add(parts[1])
            elif len(parts) == 3 and parts[1] in "TDBRCV":
                defined[parts[2]] = mod
    edges = []
    for mod, syms in used.items():
        for s in sorted(syms):
            if s in defined and defined[s] != mod:
                edges.append((mod, defined[s], s))
    return edges


def cycles(nodes, edges):
    """Strongly connected components with more than one node (Tarjan)."""
    succ = {n: sorted({b for a, b in edges if a == n}) for n in nodes}
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in succ.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for n in sorted(nodes):
        if n not in index:
            visit(n)
    return out


def main():
    objdir = sys.argv[1] if len(sys.argv) > 1 else "build/rel"
    order = layer_order()
    allowed = allowed_folders(order)
    bad = []

    present = sorted({folder(p) for p in sources() if "/" in p})
    for f in present:
        if f not in order:
            bad.append(f"folder {f}/ is not in the Layers line of {ROOT}/README.md")
    for p in sources():
        if "/" not in p:
            bad.append(f"{p} sits at the top of {ROOT}/, outside every folder")
    rank = {f: i for i, f in enumerate(order)}
    for f, below in allowed.items():
        for g in sorted(below):
            if g not in rank:
                bad.append(f"{f}/README.md: unknown folder {g}")
            elif rank[g] >= rank[f]:
                bad.append(f"{f}/README.md lets {f}/ use {g}/, which is not below it")

    include_edges, files = [], sources()
    for p in files:
        text = read(os.path.join(ROOT, p))
        n = text.count("\n")
        if n > MAX_LINES:
            bad.append(f"{ROOT}/{p}: {n} lines (more than {MAX_LINES})")
        for inc in INCLUDE.findall(text):
            if not os.path.exists(os.path.join(ROOT, inc)):
                bad.append(f"{ROOT}/{p}: includes \"{inc}\", not a file of {ROOT}/")
                continue
            include_edges.append((p, inc, "#include"))

    symbol_edges = nm_edges(objdir, files)
    if not symbol_edges:
        bad.append(f"no object files with symbols under {objdir} (build first)")

    objects = {module(p) for p in files if p.endswith(".c")}
    for kind, nodes, edges in (("includes", set(files), include_edges),
                               ("symbols", objects, symbol_edges)):
        seen = set()
        for a, b, why in edges:
            fa, fb = folder(a), folder(b)
            if fa == fb or fb in allowed.get(fa, set()) or (a, b) in seen:
                continue
            seen.add((a, b))
            bad.append(f"{kind}: {a} uses {b} ({why}), but {fa}/ may not use {fb}/")
        for comp in cycles(nodes, [(a, b) for a, b, _ in edges]):
            bad.append(f"{kind}: in a cycle: {', '.join(comp)}")

    fedges = {(folder(a), folder(b)) for a, b, _ in include_edges + symbol_edges
              if folder(a) != folder(b)}
    for comp in cycles(set(present), list(fedges)):
        bad.append(f"folders in a cycle: {', '.join(comp)}")

    if bad:
        for b in bad:
            print("layers: " + b)
        sys.exit(1)
    print(f"layers: {len(files)} files in {len(present)} folders, "
          f"{len(include_edges)} includes and {len(symbol_edges)} symbol uses, "
          f"all downward; no cycle; no file over {MAX_LINES} lines")


if __name__ == "__main__":
    main()
