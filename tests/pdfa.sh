#!/bin/sh
# PDF/A-1b check: tests/pdfa.sh BINARY
# Renders every sample report of tests/demo.sh as PDF/A-1b and validates
# each file with Apache PDFBox Preflight (the Debian packages
# libpdfbox2-java, default-jre-headless, libactivation-java and
# libjaxb-api-java), with qpdf --check, and with pdffonts (every font
# embedded); then checks that two runs give the same bytes, with PDF/A
# and without it; and the PDF/A files' structure tree with tagcheck.py.
set -eu
bin=$1
dir=build/pdfa
j=/usr/share/java
cp="$j/preflight.jar:$j/pdfbox2.jar:$j/fontbox2.jar:$j/xmpbox.jar"
cp="$cp:$j/commons-logging.jar:$j/javax.activation.jar:$j/jaxb-api.jar"
export SOURCE_DATE_EPOCH=1522540800
fail=0

rm -rf "$dir"
for run in a b; do
    sh tests/demo.sh "$bin" "$dir/$run" --pdf pdf/a-1b >/dev/null
    sh tests/demo.sh "$bin" "$dir/normal-$run" >/dev/null
done

# Preflight prints one line per error, then its verdict.
preflight() {
    out=$(java -cp "$cp" org.apache.pdfbox.preflight.Validator_A1b "$1" 2>&1) ||
        true
    if printf '%s\n' "$out" | grep -q "is a valid PDF/A-1b file"; then
        echo "pdfa: $2: $(printf '%s\n' "$out" | grep 'valid PDF/A-1b')"
    else
        echo "pdfa: $2 no es PDF/A-1b válido:" >&2
        printf '%s\n' "$out" | head -20 >&2
        fail=1
    fi
}

for f in "$dir"/a/*.pdf "$dir"/a/entidades/*.pdf; do
    name=${f#"$dir/a/"}
    preflight "$f" "$name"
    if ! qpdf --check "$f" >/dev/null 2>&1; then
        echo "pdfa: qpdf --check falla en $name" >&2
        fail=1
    fi
    # pdffonts: the "emb" column (after name, type, encoding) must say yes.
    notemb=$(pdffonts "$f" 2>&1 | awk 'NR > 2 && $(NF-4) != "yes"')
    if [ -n "$notemb" ]; then
        echo "pdfa: $name tiene fuentes sin incrustar: $notemb" >&2
        fail=1
    fi
    if ! cmp -s "$f" "$dir/b/$name"; then
        echo "pdfa: $name (PDF/A) cambia de una corrida a otra" >&2
        fail=1
    fi
    if ! cmp -s "$dir/normal-a/$name" "$dir/normal-b/$name"; then
        echo "pdfa: $name (normal) cambia de una corrida a otra" >&2
        fail=1
    fi
done

# The structure tree, written as plain objects with PDF/A, is still the
# one tests/tagcheck.py documents, and agrees with its parent tree, no
# array longer than PDF/A-1 allows (tests/tagtree.py).
/usr/bin/python3 tests/tagcheck.py "$dir"/a/*.pdf "$dir"/a/entidades/*.pdf ||
    fail=1
/usr/bin/python3 tests/tagtree.py "$dir"/a/*.pdf "$dir"/a/entidades/*.pdf ||
    fail=1

# Untagged PDF/A: no structure tree and no PDF/UA claim.
"$bin" render templates/informe-comite.yaml -d samples --pdf pdf/a-1b \
    --no-tags -o "$dir/sin-etiquetas.pdf"
preflight "$dir/sin-etiquetas.pdf" "informe-comite.pdf --no-tags"

[ $fail -eq 0 ] && echo "pdfa: todos los informes de ejemplo son PDF/A-1b"
exit $fail
