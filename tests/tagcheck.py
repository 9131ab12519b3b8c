#!/usr/bin/env python3
"""Checks from outside that PDFs are tagged as docs/accesibilidad.md says,
with tools informe does not include: pikepdf (qpdf) for the objects and
poppler's `pdfinfo -struct-text` for the tree as a reader sees it.

For every file:
- the catalog has /MarkInfo <</Marked true>>, /Lang, /ViewerPreferences
  <</DisplayDocTitle true>> and an XMP /Metadata stream with dc:title and
  pdfuaid:part 1; pdfinfo says "Tagged: yes";
- the structure tree starts at one Document element; every element has
  /S and a /P that is its parent;
- headings come in order without skipping a level (the first is H1);
- every Table has a THead whose rows hold TH cells with /Scope, and a
  TBody with TD cells; every Figure has a non-empty /Alt;
- every operator that paints (text, paths, images, shadings) is inside a
  marked-content sequence that is either an /Artifact or has an MCID
  that the structure tree references on that page, and the parent tree
  maps it back to the same element; every MCID is referenced once;
- the parent tree is a number tree whose /Kids are followed and whose
  nodes below the root have /Limits equal to their first and last keys,
  which ascend;
- every link annotation has /Contents and a /StructParent that the parent
  tree maps to a Link element owning it (OBJR); its page has /Tabs /S;
- `pdfinfo -struct-text` prints the tree (first line "Document") and
  nothing on stderr.

Usage: python3 tests/tagcheck.py FILE.pdf...   (exit 1 on any failure)
"""
import re
import subprocess
import sys

import pikepdf

PAINT = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b",
         "b*", "Do", "sh", "BI", "INLINE IMAGE"}
HEADING = re.compile(r"^/H([1-6])$")


class Check:
    def __init__(self, path):
        self.path = path
        self.errors = []

    def fail(self, msg):
        if len(self.errors) < 20:
            self.errors.append(msg)


def kids(el):
    k = el.get("/K")
    if k is None:
        return []
    if isinstance(k, pikepdf.Array):
        return list(k)
    return [k]


def is_elem(obj):
    return isinstance(obj, pikepdf.Dictionary) and "/S" in obj


def walk(c, pdf, root):
    """The elements in document order, with the content they own:
    (page objgen, mcid) -> element objgen, and annotation objgen ->
    element objgen."""
    mcids, objrs, order = {}, {}, []

    def visit(el, parent, depth):
        if depth > 200:
            c.fail("structure deeper than 200 levels")
            return
        order.append(el)
        p = el.get("/P")
        if p is None or p.objgen != parent.objgen:
            c.fail(f"{el.S} without its parent as /P")
        page = el.get("/Pg")
        for k in kids(el):
            if isinstance(k, int):
                if page is None:
                    c.fail(f"{el.S} owns MCID {k} without /Pg")
                    continue
                key = (page.objgen, int(k))
                if key in mcids:
                    c.fail(f"MCID {k} of a page referenced twice")
                mcids[key] = el.objgen
            elif is_elem(k):
                visit(k, el, depth + 1)
            elif isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR":
                pg = k.get("/Pg", page)
                mcids[(pg.objgen, int(k.MCID))] = el.objgen
            elif isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR":
                objrs[k.Obj.objgen] = el
            else:
                c.fail(f"{el.S} has a kid of unknown kind")

    top = kids(root)
    if len(top) != 1 or not is_elem(top[0]) or top[0].S != "/Document":
        c.fail("the tree's root does not hold one Document element")
        return mcids, objrs, order
    visit(top[0], root, 0)
    return mcids, objrs, order


def check_catalog(c, pdf):
    root = pdf.Root
    mi = root.get("/MarkInfo")
    if mi is None or not bool(mi.get("/Marked", False)):
        c.fail("no /MarkInfo <</Marked true>>")
    if not str(root.get("/Lang", "")):
        c.fail("no /Lang")
    vp = root.get("/ViewerPreferences")
    if vp is None or not bool(vp.get("/DisplayDocTitle", False)):
        c.fail("no /ViewerPreferences <</DisplayDocTitle true>>")
    md = root.get("/Metadata")
    xmp = md.read_bytes().decode("utf-8") if md is not None else ""
    if "<dc:title>" not in xmp:
        c.fail("no dc:title in the XMP metadata")
    if "<pdfuaid:part>1</pdfuaid:part>" not in xmp:
        c.fail("no pdfuaid:part 1 in the XMP metadata")


def check_elements(c, order):
    level = 0
    for el in order:
        s = str(el.S)
        m = HEADING.match(s)
        if m:
            n = int(m.group(1))
            if n > level + 1:
                c.fail(f"{s} after H{level}: a level skipped")
            level = n
        elif s == "/Figure":
            if not str(el.get("/Alt", "")).strip():
                c.fail("a Figure without /Alt")
        elif s == "/Table":
            parts = [str(k.S) for k in kids(el) if is_elem(k)]
            if "/THead" not in parts or "/TBody" not in parts:
                c.fail(f"a Table with {parts}, not THead and TBody")
                continue
            for part in kids(el):
                if not is_elem(part) or part.S not in ("/THead", "/TBody"):
                    continue
                want = "/TH" if part.S == "/THead" else "/TD"
                for tr in kids(part):
                    if not is_elem(tr) or tr.S != "/TR":
                        c.fail(f"{part.S} holds {tr.get('/S')}, not TR")
                        continue
                    cells = [k for k in kids(tr) if is_elem(k)]
                    if not cells or any(k.S != want for k in cells):
                        c.fail(f"a row of {part.S} without {want} cells")
                    if want == "/TH" and any(
                            k.get("/A") is None or "/Scope" not in k.A
                            for k in cells):
                        c.fail("a TH without /Scope")


def number_tree(c, node, depth=0):
    """The entries of a number tree (ISO 32000-1, 7.9.7) as a dict, its
    /Kids followed; every node below the root has /Limits equal to its
    first and last key, and the keys ascend."""
    nums, keys = {}, []

    def visit(n, depth):
        if depth > 32:
            c.fail("number tree deeper than 32 levels")
            return None
        first = len(keys)
        if "/Kids" in n:
            if "/Nums" in n:
                c.fail("a number tree node with both /Kids and /Nums")
            for kid in n.Kids:
                visit(kid, depth + 1)
        else:
            arr = n.get("/Nums", [])
            if len(arr) % 2:
                c.fail("a number tree's /Nums of odd length")
            for i in range(0, len(arr) - 1, 2):
                k = int(arr[i])
                if keys and k <= keys[-1]:
                    c.fail(f"number tree key {k} after {keys[-1]}")
                keys.append(k)
                nums[k] = arr[i + 1]
        mine = keys[first:]
        lim = n.get("/Limits")
        if depth == 0:
            if lim is not None:
                c.fail("the number tree's root has /Limits")
        elif lim is None or len(lim) != 2:
            c.fail("a number tree node below the root without /Limits")
        elif not mine or [int(lim[0]), int(lim[1])] != [mine[0], mine[-1]]:
            c.fail(f"/Limits {[int(x) for x in lim]} of a node whose keys "
                   f"run {mine[:1]}..{mine[-1:]}")

    if node is not None:
        visit(node, depth)
    return nums


def check_pages(c, pdf, mcids, objrs):
    nums = number_tree(c, pdf.Root.StructTreeRoot.get("/ParentTree"))
    seen = set()
    for n, page in enumerate(pdf.pages, 1):
        pobj = page.obj
        stack, painted_bad = [], 0
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])
                props = operands[1] if op == "BDC" else None
                mcid = None
                if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                    mcid = int(props.MCID)
                stack.append((tag, mcid))
                if mcid is not None:
                    key = (pobj.objgen, mcid)
                    seen.add(key)
                    if key not in mcids:
                        c.fail(f"page {n}: MCID {mcid} not in the tree")
            elif op == "EMC":
                if not stack:
                    c.fail(f"page {n}: EMC without BDC")
                else:
                    stack.pop()
            elif op in PAINT:
                inner = stack[-1] if stack else None
                if inner is None or (inner[0] != "/Artifact" and
                                     inner[1] is None):
                    painted_bad += 1
        if stack:
            c.fail(f"page {n}: marked content left open")
        if painted_bad:
            c.fail(f"page {n}: {painted_bad} painting operators neither "
                   f"marked nor artifacts")
        key = pobj.get("/StructParents")
        owned = sorted(m for (pg, m) in mcids if pg == pobj.objgen)
        if owned:
            if key is None or int(key) not in nums:
                c.fail(f"page {n}: marked content but no /StructParents "
                       f"in the parent tree")
            else:
                arr = nums[int(key)]
                for m in owned:
                    if m >= len(arr) or \
                            arr[m].objgen != mcids[(pobj.objgen, m)]:
                        c.fail(f"page {n}: the parent tree does not map "
                               f"MCID {m} to its element")
        annots = pobj.get("/Annots", [])
        links = [a for a in annots if a.get("/Subtype") == "/Link"]
        if links and pobj.get("/Tabs") != "/S":
            c.fail(f"page {n}: links but no /Tabs /S")
        for a in links:
            if not str(a.get("/Contents", "")):
                c.fail(f"page {n}: a link without /Contents")
            sp = a.get("/StructParent")
            el = objrs.get(a.objgen)
            if el is None or el.S != "/Link":
                c.fail(f"page {n}: a link not owned by a Link element")
            elif sp is None or int(sp) not in nums or \
                    nums[int(sp)].objgen != el.objgen:
                c.fail(f"page {n}: a link's /StructParent does not map "
                       f"to its Link element")
    for key in mcids:
        if key not in seen:
            c.fail(f"the tree references MCID {key[1]} that no page has")


def check_poppler(c):
    info = subprocess.run(["pdfinfo", c.path], capture_output=True,
                          text=True)
    if "Tagged:          yes" not in info.stdout:
        c.fail("pdfinfo does not say 'Tagged: yes'")
    st = subprocess.run(["pdfinfo", "-struct-text", c.path],
                        capture_output=True, text=True)
    if st.returncode != 0 or st.stderr.strip():
        c.fail(f"pdfinfo -struct-text: {st.stderr.strip()[:200]}")
    elif not st.stdout.startswith("Document\n"):
        c.fail("pdfinfo -struct-text does not start with Document")


def check(path):
    c = Check(path)
    with pikepdf.open(path) as pdf:
        check_catalog(c, pdf)
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            c.fail("no /StructTreeRoot")
        else:
            mcids, objrs, order = walk(c, pdf, root)
            check_elements(c, order)
            check_pages(c, pdf, mcids, objrs)
    check_poppler(c)
    return c


def main(paths):
    failed = 0
    for p in paths:
        c = check(p)
        if c.errors:
            failed += 1
            print(f"FAIL {p}")
            for e in c.errors:
                print(f"  {e}")
    print(f"tagcheck: {len(paths) - failed} tagged as documented, "
          f"{failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        sys.exit(64)
    sys.exit(main(sys.argv[1:]))
