#!/bin/sh
# What PDF.js (the reader inside Firefox) reads: tests/pdfjs.sh BINARY
# Renders each sample report of tests/demo.sh with its layout dump and
# checks, with Debian's PDF.js (libjs-pdf) under node, that every page's
# header and footer are read after its content and that every number
# drawn on its own (table cells, chart values and ticks) is a text item
# of its own (tests/pdfjs_order.js).
set -eu
bin=$1
dir=build/pdfjs
pdfjs=/usr/share/javascript/pdf/build/pdf.js
export SOURCE_DATE_EPOCH=1522540800
rm -rf "$dir"
mkdir -p "$dir"
for t in informe-comite furag plan-ambiental compromisos seguimiento-mensual; do
    "$bin" render "templates/$t.yaml" -d samples -o "$dir/$t.pdf"
    "$bin" render "templates/$t.yaml" -d samples --dump-layout >"$dir/$t.dump"
done
node tests/pdfjs_order.js "$pdfjs" "$dir"/*.pdf
