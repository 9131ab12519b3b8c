#!/bin/sh
# Shows that two builds of informe produce the same output: the display
# list (--dump-layout) of every template in templates/, of bench/spec.yaml
# and of every example of docs/templates.md, and the bytes of every demo
# PDF. Used around a change that must not change behaviour (a move of
# files, a split of a module):
#
#   git worktree add /tmp/before HEAD && make -C /tmp/before informe
#   sh tests/same-output.sh /tmp/before/informe ./informe [BENCH_DATA]
#
# BENCH_DATA is a folder with the three CSV files of bench/spec.yaml
# (furag.csv, plan.csv, compromisos.csv); without it bench/spec.yaml is
# skipped. Exit 0 when everything is the same, 1 otherwise.
set -u
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "uso: sh tests/same-output.sh ANTES DESPUES [DATOS_BENCH]" >&2
    exit 64
fi
old=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
new=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
bench=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1522540800

outputs() { # BIN DIR
    mkdir -p "$2/dump"
    for t in templates/*.yaml; do
        n=$(basename "$t" .yaml)
        "$1" render "$t" -d samples --dump-layout >"$2/dump/$n.txt" \
            2>"$2/dump/$n.err"
        echo "exit $?" >>"$2/dump/$n.err"
    done
    if [ -n "$bench" ]; then
        "$1" render bench/spec.yaml -d "$bench" --dump-layout \
            >"$2/dump/bench-spec.txt" 2>"$2/dump/bench-spec.err"
        echo "exit $?" >>"$2/dump/bench-spec.err"
    fi
    DOCS_KEEP="$2/docs" sh tests/docs.sh "$1" >"$2/docs.log" 2>&1
    sh tests/demo.sh "$1" "$2/demo" >/dev/null 2>&1
}

outputs "$old" "$tmp/before"
outputs "$new" "$tmp/after"
rm -f "$tmp/before/docs.log" "$tmp/after/docs.log"
if diff -rq "$tmp/before" "$tmp/after" >"$tmp/diff"; then
    echo "same output: $(find "$tmp/after" -type f | wc -l) files" \
        "(templates, bench/spec.yaml, documentation examples, demo PDFs)"
    exit 0
fi
# the files that differ, then the first lines of the text ones
sed "s|$tmp/||g" "$tmp/diff"
diff -r --exclude='*.pdf' "$tmp/before" "$tmp/after" | head -40
exit 1
