#!/bin/sh
# The installed layout, as a user gets it (make install-check):
#   1. DIR/stage, from `make install DESTDIR=DIR/stage PREFIX=/usr`: its
#      informe, run from / with an empty environment, finds its fonts
#      relative to itself (../share/informe/fonts) and renders the
#      installed examples, the same bytes as the repository's fonts give;
#      `man -l` shows its page; the completion is where bash-completion
#      looks;
#   2. the .deb: its fields, then unpacked with dpkg -x and installed with
#      dpkg --root into scratch roots (a database of their own), and
#      rendering from there;
#   3. make uninstall leaves nothing behind in the staging root.
# Usage: tests/install.sh DIR PACKAGE.deb
set -u
dir=$(cd "$1" && pwd)
deb=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
top=$(pwd)
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
epoch=1522540800

# Renders the installed committee example with the informe of root $1
# (prefix /usr) from /, in an empty environment; the PDF is $2. The
# examples are those of root $3 (default $1).
render_in() {
    rex="${3:-$1}/usr/share/doc/informe/examples"
    (cd / && env -i SOURCE_DATE_EPOCH=$epoch "$1/usr/bin/informe" render \
        "$rex/templates/informe-comite.yaml" -d "$rex/samples" -o "$2") \
        2>"$dir/render.err"
}

# The reference: the same render with the repository's fonts.
stage="$dir/stage"
ex="$stage/usr/share/doc/informe/examples"
SOURCE_DATE_EPOCH=$epoch "$stage/usr/bin/informe" render \
    "$ex/templates/informe-comite.yaml" -d "$ex/samples" \
    -o "$dir/ref.pdf" --fonts "$top/fonts" || bad "reference render"

for f in usr/bin/informe usr/share/informe/fonts/LiberationSans-Regular.ttf \
    usr/share/informe/fonts/LiberationSans-BoldItalic.ttf \
    usr/share/informe/fonts/LICENSE-Liberation.txt \
    usr/share/man/man1/informe.1.gz \
    usr/share/bash-completion/completions/informe \
    usr/share/doc/informe/examples/templates/informe-comite.yaml \
    usr/share/doc/informe/examples/templates/logo.png \
    usr/share/doc/informe/examples/samples/furag_2018.csv \
    usr/share/doc/informe/examples/docs/informe.schema.json; do
    [ -f "$stage/$f" ] && ok || bad "not installed: /$f"
done
[ -x "$stage/usr/bin/informe" ] && ok || bad "informe not executable"

# 1. From /, nothing in the environment: the fonts beside the binary.
if render_in "$stage" "$dir/stage.pdf"; then
    ok
    cmp -s "$dir/ref.pdf" "$dir/stage.pdf" && ok ||
        bad "the staged render differs from the one with the repository's fonts"
    pdftotext "$dir/stage.pdf" - | grep -q "Comité Institucional" && ok ||
        bad "the staged PDF lacks its text"
else
    bad "staged informe did not render from /"; cat "$dir/render.err"
fi
# check finds them the same way.
(cd / && env -i "$stage/usr/bin/informe" check \
    "$ex/templates/furag.yaml" -d "$ex/samples") && ok ||
    bad "staged informe check"
# Elsewhere, with no fonts: every folder searched is named.
mkdir -p "$dir/bare/bin"
cp "$stage/usr/bin/informe" "$dir/bare/bin/"
(cd / && env -i "$dir/bare/bin/informe" check "$ex/templates/furag.yaml" \
    -d "$ex/samples") 2>"$dir/bare.err"
status=$?
cat >"$dir/bare.want" <<EOF
informe: error: no se encuentra la fuente 'LiberationSans-Regular.ttf' en ninguna carpeta de fuentes; dé la carpeta con --fonts DIR o con la variable INFORME_FONTS
informe: nota: se buscó en 'fonts' (la carpeta actual)
informe: nota: se buscó en '$dir/bare/bin/fonts' (junto al programa)
informe: nota: se buscó en '$dir/bare/share/informe/fonts' (relativa al programa)
informe: nota: se buscó en '/usr/share/informe/fonts' (prefijo de instalación)
EOF
if [ -d /usr/share/informe/fonts ]; then
    echo "skip: /usr/share/informe/fonts exists on this machine"
elif [ $status = 66 ] && cmp -s "$dir/bare.want" "$dir/bare.err"; then ok
else
    bad "fonts not found: status $status"; diff -u "$dir/bare.want" "$dir/bare.err"
fi

# The manual page through man.
MANWIDTH=80 man -l -P cat "$stage/usr/share/man/man1/informe.1.gz" \
    >"$dir/man.txt" 2>"$dir/man.err"
grep -q "^NOMBRE" "$dir/man.txt" &&
    grep -q "informe - informes de gestión en PDF" "$dir/man.txt" &&
    [ ! -s "$dir/man.err" ] && ok || { bad "man -l"; cat "$dir/man.err"; }

# 2. The package.
[ "$(dpkg-deb -f "$deb" Package)" = informe ] && ok || bad "Package"
depends=$(dpkg-deb -f "$deb" Depends)
for p in libhpdf-2.3.0 libyaml-0-2 libcsv3 libpng16-16 zlib1g libc6; do
    echo "$depends" | grep -q "\(^\|, \)$p\( \|,\|\$\)" && ok ||
        bad "Depends lacks $p: $depends"
done
dpkg-deb -c "$deb" >"$dir/contents"
grep -q ' root/root .* ./usr/bin/informe$' "$dir/contents" && ok ||
    bad "the package's files are not root's"
rm -rf "$dir/x" && mkdir -p "$dir/x"
dpkg -x "$deb" "$dir/x"
if render_in "$dir/x" "$dir/x.pdf" && cmp -s "$dir/ref.pdf" "$dir/x.pdf"
then ok; else bad "render from the unpacked .deb"; cat "$dir/render.err"; fi

# A real install into a scratch root with a dpkg database of its own
# (dependencies are the real system's, so not checked there). The
# examples rendered are the staged ones: a machine whose dpkg excludes
# /usr/share/doc (path-exclude) installs the package without them.
root="$dir/root"
rm -rf "$root" && mkdir -p "$root/var/lib/dpkg/info" \
    "$root/var/lib/dpkg/updates"
: >"$root/var/lib/dpkg/status"
if dpkg --force-not-root --force-depends --root="$root" \
    --log="$dir/dpkg.log" -i "$deb" >"$dir/dpkg.out" 2>&1; then
    ok
    dpkg --root="$root" -s informe 2>/dev/null | grep -q '^Status: install ok installed' &&
        ok || bad "dpkg -s in the scratch root"
    if render_in "$root" "$dir/root.pdf" "$stage" && cmp -s "$dir/ref.pdf" "$dir/root.pdf"
    then ok; else bad "render from dpkg --root"; cat "$dir/render.err"; fi
    dpkg --force-not-root --root="$root" --log="$dir/dpkg.log" -r informe \
        >>"$dir/dpkg.out" 2>&1 && [ ! -e "$root/usr/bin/informe" ] && ok ||
        { bad "dpkg -r"; cat "$dir/dpkg.out"; }
else
    bad "dpkg --root -i"; cat "$dir/dpkg.out"
fi

# 3. make uninstall.
make -s uninstall PREFIX=/usr DESTDIR="$stage" >/dev/null
left=$(find "$stage" -type f | head -5)
[ -z "$left" ] && ok || bad "left after make uninstall: $left"

echo "install: $pass passed, $fail failed"
[ $fail = 0 ]
