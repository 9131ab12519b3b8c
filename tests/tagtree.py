#!/usr/bin/env python3
"""Walks the structure tree of tagged PDFs with pikepdf (qpdf) and checks
that the tree and its parent tree agree, as ISO 32000-1, 14.7.4.4 asks:

- every marked-content identifier (MCID) a page's content stream opens is
  reached from the tree's root, once, by an element whose page (its /Pg,
  or an MCR's) is that page;
- the parent tree is a number tree whose /Kids and /Limits are right
  (tests/tagcheck.py's number_tree); every page with marked content has a
  /StructParents key whose array holds, for each MCID, the element that
  owns it, and no more; every link annotation's /StructParent maps to
  the Link element that owns it (OBJR); no other key is in the tree, and
  /ParentTreeNextKey is above every key;
- no array of the tree (an element's /K, a number tree's /Kids or /Nums,
  a page's array of owners) holds more than 8,191 entries, PDF/A-1's
  limit.

Prints one line per file: elements, MCIDs, leaves of the parent tree and
the longest array. Usage: python3 tests/tagtree.py FILE.pdf...  (exit 1
on any failure)
"""
import os
import sys

import pikepdf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tagcheck import Check, kids, is_elem, number_tree  # noqa: E402

ARRAY_MAX = 8191


class Walk:
    def __init__(self, c):
        self.c = c
        self.mcids = {}  # (page objgen, mcid) -> element objgen
        self.objrs = {}  # annotation objgen -> element objgen
        self.elements = 0
        self.longest = 0

    def array(self, arr, what):
        self.longest = max(self.longest, len(arr))
        if len(arr) > ARRAY_MAX:
            self.c.fail(f"{what}: an array of {len(arr)} entries, more "
                        f"than {ARRAY_MAX}")

    def visit(self, root):
        """Iterative: a deep tree does not exhaust Python's stack."""
        stack = [(k, root.objgen) for k in reversed(kids(root))]
        seen = set()
        while stack:
            el, parent = stack.pop()
            if not is_elem(el):
                self.c.fail("the root holds a kid that is no element")
                continue
            if el.objgen in seen:
                self.c.fail(f"element {el.objgen} reached twice")
                continue
            seen.add(el.objgen)
            self.elements += 1
            if el.get("/P") is None or el.P.objgen != parent:
                self.c.fail(f"{el.S} {el.objgen} whose /P is not its parent")
            k = el.get("/K")
            if isinstance(k, pikepdf.Array):
                self.array(k, f"the /K of {el.S}")
            page = el.get("/Pg")
            for kid in reversed(kids(el)):
                if is_elem(kid):
                    stack.append((kid, el.objgen))
                elif isinstance(kid, int):
                    self.mcid(el, page, int(kid))
                elif isinstance(kid, pikepdf.Dictionary) and \
                        kid.get("/Type") == "/MCR":
                    self.mcid(el, kid.get("/Pg", page), int(kid.MCID))
                elif isinstance(kid, pikepdf.Dictionary) and \
                        kid.get("/Type") == "/OBJR":
                    self.objrs[kid.Obj.objgen] = el.objgen
                else:
                    self.c.fail(f"{el.S} has a kid of unknown kind")

    def mcid(self, el, page, m):
        if page is None:
            self.c.fail(f"{el.S} owns MCID {m} without a page")
            return
        key = (page.objgen, m)
        if key in self.mcids:
            self.c.fail(f"MCID {m} of page {page.objgen} reached twice")
        self.mcids[key] = el.objgen


def leaves(node):
    if node is None:
        return 0
    if "/Kids" in node:
        return sum(leaves(k) for k in node.Kids)
    return 1


def check_arrays(w, node):
    """The number tree's arrays and the pages' arrays of owners."""
    if node is None:
        return
    for name in ("/Kids", "/Nums"):
        if name in node:
            w.array(node[name], f"the parent tree's {name}")
    for k in node.get("/Kids", []):
        check_arrays(w, k)
    nums = node.get("/Nums", [])
    for i in range(1, len(nums), 2):
        if isinstance(nums[i], pikepdf.Array):
            w.array(nums[i], f"the parent tree's entry {int(nums[i - 1])}")


def check(path):
    c = Check(path)
    with pikepdf.open(path) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            c.fail("no /StructTreeRoot")
            return c, ""
        w = Walk(c)
        w.visit(root)
        ptree = root.get("/ParentTree")
        nums = number_tree(c, ptree)
        check_arrays(w, ptree)
        used = set()
        for n, page in enumerate(pdf.pages, 1):
            pobj = page.obj
            opened = []
            for operands, _ in pikepdf.parse_content_stream(page, "BDC"):
                props = operands[1]
                if isinstance(props, pikepdf.Dictionary) and \
                        "/MCID" in props:
                    opened.append(int(props.MCID))
            for m in opened:
                if (pobj.objgen, m) not in w.mcids:
                    c.fail(f"page {n}: MCID {m} not reached from the root")
            owned = sorted(m for (pg, m) in w.mcids if pg == pobj.objgen)
            if sorted(opened) != owned:
                c.fail(f"page {n}: the tree holds MCIDs the page does not "
                       f"open, or twice")
            key = pobj.get("/StructParents")
            if not owned:
                continue
            if key is None or int(key) not in nums:
                c.fail(f"page {n}: no /StructParents in the parent tree")
                continue
            used.add(int(key))
            arr = nums[int(key)]
            if len(arr) != max(owned) + 1:
                c.fail(f"page {n}: {len(arr)} owners for MCIDs up to "
                       f"{max(owned)}")
            for m in owned:
                if m >= len(arr) or \
                        arr[m].objgen != w.mcids[(pobj.objgen, m)]:
                    c.fail(f"page {n}: the parent tree maps MCID {m} to "
                           f"another element")
            for a in pobj.get("/Annots", []):
                sp = a.get("/StructParent")
                if sp is None:
                    continue
                used.add(int(sp))
                if int(sp) not in nums or \
                        nums[int(sp)].objgen != w.objrs.get(a.objgen):
                    c.fail(f"page {n}: /StructParent {int(sp)} does not "
                           f"map to the element owning the annotation")
        extra = sorted(set(nums) - used)
        if extra:
            c.fail(f"parent tree keys no page or annotation uses: "
                   f"{extra[:5]}")
        nxt = root.get("/ParentTreeNextKey")
        if nums and (nxt is None or int(nxt) <= max(nums)):
            c.fail("/ParentTreeNextKey not above every key")
        summary = (f"{w.elements} elements, {len(w.mcids)} MCIDs, "
                   f"{leaves(ptree)} leaves, longest array {w.longest}")
    return c, summary


def main(paths):
    failed = 0
    for p in paths:
        c, summary = check(p)
        if c.errors:
            failed += 1
            print(f"FAIL {p}")
            for e in c.errors:
                print(f"  {e}")
        else:
            print(f"{p}: {summary}")
    print(f"tagtree: {len(paths) - failed} consistent, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        sys.exit(64)
    sys.exit(main(sys.argv[1:]))
