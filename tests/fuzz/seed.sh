#!/bin/sh
# Builds the seed corpus of every fuzz target under build/fuzz/seeds/TARGET
# from the project's own inputs (templates/, samples/, tests/, the examples
# of docs/templates.md). Run from the repository root; the folders are
# rebuilt from scratch each time. Seeds are numbered in the order found.
set -eu
out=build/fuzz/seeds
rm -rf "$out"
for t in csv csvsplit template expr shape set render burst nuevo ttsubset font; do mkdir -p "$out/$t"; done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# add TARGET FILE: copies FILE into the target's corpus.
n=0
add() {
    [ -s "$2" ] || return 0
    n=$((n + 1))
    cp "$2" "$out/$1/seed-$n"
}

# The examples of docs/templates.md: one complete template each.
awk -v dir="$tmp" '
/^<!-- example:/ { want = 1; next }
want && /^```yaml/ { n++; f = sprintf("%s/example%03d.yaml", dir, n); inb = 1; want = 0; next }
inb && /^```/ { inb = 0; close(f); next }
inb { print > f }
' docs/templates.md

# csv: every CSV file of the project.
for f in samples/*.csv tests/data/*/*.csv tests/cases/*/*.csv; do
    add csv "$f"
    add csvsplit "$f"
    add nuevo "$f"
done

# template and shape: every template (shape reads the files of
# tests/data/docs, which the examples use).
for f in templates/*.yaml tests/cases/*/*.yaml "$tmp"/example*.yaml; do
    add template "$f"
done
for f in "$tmp"/example*.yaml; do
    grep -q '^data:' "$f" && add shape "$f"
done

# expr: the text inside every {...} and the value of every where:,
# compute and aggregate entry (one per line: "name: expression"), each
# distinct one a file.
for f in templates/*.yaml "$tmp"/example*.yaml; do
    grep -o '{[^{}]*}' "$f" | sed 's/^{//; s/}$//' || true
    grep -E '^ *(where|[a-z_]+): .*[(<>=+*/]' "$f" |
        sed -E 's/^ *[a-z_]+: //; s/^"(.*)"$/\1/' || true
done | grep -v '^ *$' | sort -u |
    awk -v dir="$out/expr" '{ f = sprintf("%s/expr-%d", dir, NR);
                              printf "%s", $0 > f; close(f) }'

# set: one --set per line, every parameter type with valid and invalid
# values.
i=0
while IFS= read -r s; do
    i=$((i + 1))
    printf '%s\n' "$s" | tr '|' '\n' >"$tmp/set$i"
    add set "$tmp/set$i"
done <<'SETS'
entidad=ANH
vigencia=2017|umbral=85,5
tasa=7,5 %|corte=31/12/2017
corte=2018-02-29
monto=$ 2.500.000,50|inferido=1.25
dia=2017-12-31|nombre=Ñandú «Ésta»
archivo=furag|entidad=
vigencia=abc
umbral=1.234,5|tasa=12%
desconocido=1
=sin nombre
sin igual
corte=00/00/0000|monto=-$ 5
SETS

# render and burst: every template with the CSV files it may read
# appended as "#@ NAME" sections (the first 25 lines of each), and, for
# render, the examples.
for f in templates/*.yaml; do
    {
        cat "$f"
        for c in samples/*.csv; do
            printf '\n#@ %s\n' "$(basename "$c")"
            head -n 25 "$c"
        done
    } >"$tmp/render.yaml"
    add render "$tmp/render.yaml"
    add burst "$tmp/render.yaml"
done
for d in tests/cases/*/; do
    for f in "$d"*.yaml; do
        [ -f "$f" ] || continue
        {
            cat "$f"
            for c in "$d"*.csv; do
                [ -f "$c" ] || continue
                printf '\n#@ %s\n' "$(basename "$c")"
                cat "$c"
            done
        } >"$tmp/render.yaml"
        add render "$tmp/render.yaml"
        add burst "$tmp/render.yaml"
    done
done
for f in "$tmp"/example*.yaml; do
    add render "$f"
done

# ttsubset and font: the bundled fonts.
for f in fonts/*.ttf; do
    add ttsubset "$f"
    add font "$f"
done

for t in csv csvsplit template expr shape set render burst nuevo ttsubset font; do
    echo "seeds: $t $(ls "$out/$t" | wc -l)"
done
