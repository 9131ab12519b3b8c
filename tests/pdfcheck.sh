#!/bin/sh
# Checks PDFs with tools informe does not include: qpdf --check clean,
# every font embedded (pdffonts), text extraction with nothing on stderr,
# and, when tests/expected/NAME.txt exists, pdftotext equal to it.
# Usage: tests/pdfcheck.sh FILE.pdf...
set -u
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "$@"; do
    name=$(basename "$f" .pdf)
    ok=1
    if ! qpdf --check "$f" >"$tmp/qpdf" 2>&1 || grep -qi warning "$tmp/qpdf"; then
        echo "FAIL $f: qpdf --check"; head -n 5 "$tmp/qpdf"; ok=0
    fi
    pdffonts "$f" >"$tmp/fonts" 2>"$tmp/fonts.err"
    # Columns: name type encoding emb sub uni object ID; the first two lines
    # are the table head.
    if [ -s "$tmp/fonts.err" ] ||
        awk 'NR > 2 && ($(NF-4) != "yes" || $(NF-2) != "yes") {bad=1}
             END {exit bad ? 0 : 1}' "$tmp/fonts"; then
        echo "FAIL $f: a font is not embedded or has no ToUnicode map"
        cat "$tmp/fonts" "$tmp/fonts.err"; ok=0
    fi
    if [ "$(awk 'NR > 2' "$tmp/fonts" | wc -l)" -eq 0 ]; then
        echo "FAIL $f: no fonts"; ok=0
    fi
    pdftotext -layout "$f" "$tmp/text" 2>"$tmp/text.err"
    if [ -s "$tmp/text.err" ]; then
        echo "FAIL $f: pdftotext printed on stderr"; head -n 5 "$tmp/text.err"
        ok=0
    fi
    if [ -f "tests/expected/$name.txt" ] &&
        ! cmp -s "tests/expected/$name.txt" "$tmp/text"; then
        echo "FAIL $f: text differs from tests/expected/$name.txt"
        diff -u "tests/expected/$name.txt" "$tmp/text" | head -n 30
        ok=0
    fi
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "pdfcheck: $pass passed, $fail failed"
[ $fail = 0 ]
