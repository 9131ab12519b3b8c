#!/bin/sh
# Renders every sample report: tests/demo.sh BINARY OUTDIR [OPTION]...
# (the options are given to every render, e.g. --pdf pdf/a-1b)
# The committee report, each focused report, the monthly follow-up and the
# seven-entity burst of the FURAG report.
set -eu
bin=$1
out=$2
shift 2
mkdir -p "$out"
for t in informe-comite furag plan-ambiental compromisos seguimiento-mensual; do
    "$bin" render "templates/$t.yaml" -d samples -o "$out/$t.pdf" "$@"
done
mkdir -p "$out/entidades"
"$bin" render templates/furag.yaml -d samples --burst-by entidad \
    -o "$out/entidades/furag-{entidad}.pdf" "$@"
echo "informe: los informes de ejemplo están en $out/"
