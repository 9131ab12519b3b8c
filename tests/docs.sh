#!/bin/sh
# Runs every example of docs/templates.md and checks its documented output.
# Usage: sh tests/docs.sh BINARY [DOC]   (from the repository root; DOC
# defaults to docs/templates.md)
#
# An example is a marker line followed by a ```yaml block (a whole
# template) and a ```text block (what it must produce):
#
#   <!-- example: NAME [error] [check] [files] [args: ARGS] -->
#
# The template is written as informe.yaml in a fresh folder that also
# holds tests/data/docs (the sample data, so `-d tests/data/docs` works and
# messages show short paths) and the images of tests/data/docs (so
# `image: logo.png` resolves beside the template). Then, with
# SOURCE_DATE_EPOCH=1522540800 (2018-04-01) and INFORME_FONTS=fonts:
#
# - default: `render informe.yaml -d tests/data/docs --dump-layout ARGS`
#   must exit 0. The dump's text runs are joined into lines: runs of one
#   page on the same baseline, left to right, with a space where there is
#   a gap between two runs. Each expected line must be a substring of one
#   such line, and the expected lines must be found in document order
#   (two expected lines may come from the same line). An expected line that
#   starts with a dump keyword (page, rect, line, image, mark, link, text)
#   must instead be contained in a dump line of that kind, in any order,
#   e.g. `page 1 612.00x792.00` or `rect fill=#B7E1CD`; `text B "Total"`
#   asks for a run in that face (R, B, I, BI) with exactly that text (as
#   the dump writes it, quotes escaped). Standard error must be
#   empty unless a ```stderr block follows the ```text block: then its
#   lines are the exact first lines of standard error.
# - error: the same command must exit non-zero and the ```text block is
#   the exact first lines of standard error.
# - check: `check informe.yaml -d tests/data/docs ARGS` must exit 0 (or not,
#   with error) and the ```text block is the exact first lines of standard
#   error (empty: nothing printed).
# - files: `render informe.yaml -d tests/data/docs ARGS` (a real PDF) must
#   exit 0; each expected line names a file that must exist afterwards,
#   relative to the folder.
#
# With DOCS_KEEP=DIR set, each example's standard output and error are
# also kept as DIR/NAME.out and DIR/NAME.err (tests/same-output.sh).
set -u
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "uso: sh tests/docs.sh BINARIO [DOCUMENTO]" >&2
    exit 64
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(pwd)
doc=$(cd "$(dirname "${2:-docs/templates.md}")" && pwd)/$(basename "${2:-docs/templates.md}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- extraction: one folder per example: spec, informe.yaml, expect,
# stderr (optional), broken (when a block is missing).
awk -v out="$tmp" '
function start(spec) {
    n++
    dir = sprintf("%s/%03d", out, n)
    system("mkdir -p \"" dir "\"")
    print spec > (dir "/spec")
    close(dir "/spec")
    state = "yaml"
}
function finish() {
    if (n > 0 && state != "done" && state != "stderr?")
        print "no yaml and text blocks after the marker" > (dir "/broken")
}
/^<!-- example: .* -->[ \t]*$/ {
    finish()
    spec = $0
    sub(/^<!-- example: /, "", spec)
    sub(/ -->[ \t]*$/, "", spec)
    start(spec)
    next
}
state == "yaml" && /^```yaml[ \t]*$/ { state = "in-yaml"; next }
state == "in-yaml" && /^```[ \t]*$/ { close(dir "/informe.yaml"); state = "text"; next }
state == "in-yaml" { print > (dir "/informe.yaml"); next }
state == "text" && /^```text[ \t]*$/ { state = "in-text"; printf "" > (dir "/expect"); next }
state == "in-text" && /^```[ \t]*$/ { close(dir "/expect"); state = "stderr?"; next }
state == "in-text" { print > (dir "/expect"); next }
state == "stderr?" && /^```stderr[ \t]*$/ { state = "in-stderr"; printf "" > (dir "/stderr"); next }
state == "stderr?" && /^```/ { state = "done"; next }
state == "in-stderr" && /^```[ \t]*$/ { close(dir "/stderr"); state = "done"; next }
state == "in-stderr" { print > (dir "/stderr"); next }
END { finish() }
' "$doc"

# ---- the dump's text runs joined into lines (file lines), and its other
# items (file items).
join_dump() {
    awk -v lines="$2" -v items="$3" '
    function unq(s,   r, i, c) {
        r = ""
        for (i = 2; i < length(s); i++) {
            c = substr(s, i, 1)
            if (c == "\\") { i++; c = substr(s, i, 1) }
            r = r c
        }
        return r
    }
    /^page / { page++; print > items; next }
    /^text / {
        q = index($0, "\"")
        s = unq(substr($0, q))
        # Dot leaders (contents) read as "...", whatever their length.
        if (s ~ /^\.\.\.+$/)
            s = "..."
        split($0, f, " ")
        w = f[7]; sub(/^w=/, "", w)
        k = ++nrun
        rp[k] = page; rx[k] = f[2] + 0; ry[k] = f[3]; rw[k] = w + 0; rs[k] = s
        print > items
        next
    }
    { print > items }
    END {
        # Order the runs by page, baseline, x (insertion sort: dumps of
        # examples are small).
        for (i = 1; i <= nrun; i++) ord[i] = i
        for (i = 2; i <= nrun; i++) {
            v = ord[i]; j = i - 1
            while (j >= 1 && later(ord[j], v)) { ord[j + 1] = ord[j]; j-- }
            ord[j + 1] = v
        }
        line = ""; have = 0
        for (i = 1; i <= nrun; i++) {
            k = ord[i]
            if (have && (rp[k] != rp[prev] || ry[k] != ry[prev])) {
                print line > lines; line = ""; have = 0
            }
            if (have) {
                gap = rx[k] - (rx[prev] + rw[prev])
                if (gap > 1.5 && line !~ / $/ && rs[k] !~ /^ /)
                    line = line " "
            }
            line = line rs[k]; have = 1; prev = k
        }
        if (have) print line > lines
        printf "" >> lines
        printf "" >> items
    }
    function later(a, b) {
        if (rp[a] != rp[b]) return rp[a] > rp[b]
        if (ry[a] + 0 != ry[b] + 0) return ry[a] + 0 > ry[b] + 0
        return rx[a] > rx[b]
    }
    ' "$1"
}

# ---- matching: prints what did not match; exit 1 if anything.
match_dump() {
    awk -v linesf="$2" -v itemsf="$3" '
    BEGIN {
        while ((getline l < linesf) > 0) L[++nl] = l
        while ((getline l < itemsf) > 0) I[++ni] = l
        cur = 1
    }
    /^[ \t]*$/ { next }
    /^(page|rect|line|image|mark|link|text) / {
        kw = $1; rest = substr($0, length(kw) + 2); ok = 0
        # `text FACE "string"`: a run in that face (R, B, I, BI) with
        # exactly that text.
        face = ""
        if (kw == "text" && match(rest, /^(R|B|I|BI) "/)) {
            face = $2; rest = substr(rest, length(face) + 2)
        }
        for (i = 1; i <= ni && !ok; i++) {
            if (index(I[i], kw " ") != 1)
                continue
            if (face != "") {
                split(I[i], g, " ")
                q = index(I[i], "\"")
                if (g[4] == face && substr(I[i], q) == rest)
                    ok = 1
            } else if (index(substr(I[i], length(kw) + 2), rest))
                ok = 1
        }
        if (!ok) { print "  not in the dump: " $0; bad = 1 }
        next
    }
    {
        ok = 0
        for (i = cur; i <= nl; i++)
            if (index(L[i], $0)) { ok = 1; cur = i; break }
        if (!ok) {
            any = 0
            for (i = 1; i < cur; i++) if (index(L[i], $0)) any = 1
            if (any) print "  out of order: " $0
            else print "  not found: " $0
            bad = 1
        }
    }
    END { exit bad }
    ' "$1"
}

# Exact first lines: $1 expected, $2 actual.
head_equal() {
    n=$(wc -l <"$1")
    head -n "$n" "$2" >"$2.head"
    cmp -s "$1" "$2.head"
}

pass=0
fail=0
for dir in "$tmp"/[0-9]*; do
    [ -d "$dir" ] || continue
    spec=$(cat "$dir/spec")
    name=${spec%% *}
    mode=render
    error=0
    args=
    rest=${spec#"$name"}
    case "$rest" in
    *" args: "*) args=${rest#*" args: "} ;;
    esac
    case " ${rest%%" args: "*} " in *" error "*) error=1 ;; esac
    case " ${rest%%" args: "*} " in *" check "*) mode=check ;; esac
    case " ${rest%%" args: "*} " in *" files "*) mode=files ;; esac
    why=
    if [ -f "$dir/broken" ]; then
        why=$(cat "$dir/broken")
    else
        mkdir -p "$dir/tests/data"
        ln -s "$top/tests/data/docs" "$dir/tests/data/docs"
        for img in "$top"/tests/data/docs/*.png; do
            [ -f "$img" ] && cp "$img" "$dir/"
        done
        (
            cd "$dir" || exit 70
            eval "set -- $args"
            case $mode in
            render) set -- render informe.yaml -d tests/data/docs --dump-layout "$@" ;;
            check) set -- check informe.yaml -d tests/data/docs "$@" ;;
            files) set -- render informe.yaml -d tests/data/docs "$@" ;;
            esac
            SOURCE_DATE_EPOCH=1522540800 INFORME_FONTS="$top/fonts" \
                "$bin" "$@" >out 2>err
        )
        status=$?
        if [ -n "${DOCS_KEEP:-}" ]; then
            mkdir -p "$DOCS_KEEP"
            cp "$dir/out" "$DOCS_KEEP/$name.out"
            cp "$dir/err" "$DOCS_KEEP/$name.err"
        fi
        if [ $error = 1 ]; then
            if [ $status = 0 ]; then
                why="exit status 0, expected a failure"
            elif ! head_equal "$dir/expect" "$dir/err"; then
                why="standard error differs:
$(diff "$dir/expect" "$dir/err.head" | sed 's/^/  /')"
            fi
        elif [ $status != 0 ]; then
            why="exit status $status:
$(sed 's/^/  /' "$dir/err" | head -n 12)"
        elif [ $mode = check ]; then
            head_equal "$dir/expect" "$dir/err" ||
                why="standard error differs:
$(diff "$dir/expect" "$dir/err.head" | sed 's/^/  /')"
        elif [ $mode = files ]; then
            while IFS= read -r f; do
                [ -n "$f" ] && [ ! -f "$dir/$f" ] && why="${why}  missing file: $f
"
            done <"$dir/expect"
            [ -n "$why" ] && why="files:
$why  made: $(cd "$dir" && find . -name '*.pdf' | sort | tr '\n' ' ')"
        else
            join_dump "$dir/out" "$dir/lines" "$dir/items"
            if ! r=$(match_dump "$dir/expect" "$dir/lines" "$dir/items"); then
                why="$r
  lines of the dump:
$(sed 's/^/    | /' "$dir/lines" | head -n 40)"
            fi
            if [ -z "$why" ]; then
                if [ -f "$dir/stderr" ]; then
                    head_equal "$dir/stderr" "$dir/err" ||
                        why="standard error differs:
$(diff "$dir/stderr" "$dir/err.head" | sed 's/^/  /')"
                elif [ -s "$dir/err" ]; then
                    why="unexpected standard error:
$(sed 's/^/  /' "$dir/err" | head -n 8)"
                fi
            fi
        fi
    fi
    if [ -z "$why" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $name: $why"
    fi
done
echo "docs: $pass passed, $fail failed"
[ $fail = 0 ] && [ $pass -gt 0 ]
