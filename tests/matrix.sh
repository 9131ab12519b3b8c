#!/bin/sh
# The data-shape matrix: generates a CSV for each data shape and a template
# for each block type, renders every pair and records the outcome of each
# cell, compared with a checked-in golden file.
#
# A cell passes when the run ends within the time bound with no signal and
#   - exit 0, every PDF passes `qpdf --check`, and nothing in the
#     `--dump-layout` display list lies outside the page box: "rendered";
#   - or exit 65 with a message: "error: FILE:LINE:COL: error: TEXT".
# Anything else (a signal, a timeout, another exit code, a drawing outside
# the page, a PDF qpdf rejects) is a failure, whatever the golden file says.
#
# Usage: tests/matrix.sh [--stress] [--update | --markdown] BINARY
#   --stress    the slow shapes (a million rows) against tests/matrix-stress.golden
#   --update    rewrite the golden file with today's outcomes
#   --markdown  print the matrix as a markdown table (shapes x blocks)
# MATRIX_SHAPES="zero longword" and MATRIX_BLOCKS="table burst" limit a
# run to some shapes and block types.
set -u
mode=compare
stress=0
while [ $# -gt 1 ]; do
    case $1 in
    --update) mode=update ;;
    --markdown) mode=markdown ;;
    --stress) stress=1 ;;
    *) break ;;
    esac
    shift
done
[ $# = 1 ] || {
    echo "uso: tests/matrix.sh [--stress] [--update | --markdown] BINARIO" >&2
    exit 64
}
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(pwd)
export INFORME_FONTS="$top/fonts" SOURCE_DATE_EPOCH=1522540800
if [ $stress = 1 ]; then
    golden=tests/matrix-stress.golden
    shapes="rows1m"
    bound=600
else
    golden=tests/matrix.golden
    shapes="zero one missing equal mixed beyond extreme longword cat500 \
cat5000 cols2000"
    bound=60
fi
blocks="text list table grouped chart_vg chart_vs chart_hg chart_hs \
cover_toc header_footer burst"
# MATRIX_SHAPES="zero longword" and MATRIX_BLOCKS="table burst" run those
# rows and columns only (compare mode).
shapes=${MATRIX_SHAPES:-$shapes}
blocks=${MATRIX_BLOCKS:-$blocks}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ------------------------------------------------------------------ data ---

# One CSV per shape: entidad;categoria;grupo;valor;valor2[;c1..c2000].
header="entidad;categoria;grupo;valor;valor2"
gen_csv() { # SHAPE FILE
    case $1 in
    zero) echo "$header" ;;
    one) printf '%s\nANM;Agua;Ambiental;45,5;30\n' "$header" ;;
    missing) printf '%s\nANM;Agua;Ambiental;;\nANM;Energía;Ambiental;;\nUPME;Papel;Gestión;;\n' "$header" ;;
    equal) printf '%s\nANM;Agua;Ambiental;50;50\nANM;Energía;Ambiental;50;50\nUPME;Papel;Gestión;50;50\nUPME;Residuos;Gestión;50;50\n' "$header" ;;
    mixed) printf '%s\nANM;Agua;Ambiental;-40;25\nANM;Energía;Ambiental;30;-60\nUPME;Papel;Gestión;-10,5;-5\nUPME;Residuos;Gestión;70;0\n' "$header" ;;
    beyond) printf '%s\nANM;Agua;Ambiental;1000000;250\nANM;Energía;Ambiental;-500;-20000\nUPME;Papel;Gestión;150;99999\n' "$header" ;;
    extreme)
        awk -v h="$header" 'BEGIN {
            z = ""; for (i = 0; i < 300; i++) z = z "0"
            small = "0," substr(z, 2) "1"
            print h
            print "ANM;Grande;Ambiental;1" z ";1"
            print "ANM;Negativo;Ambiental;-1" z ";-1" z
            print "UPME;Pequeño;Gestión;" small ";" small
        }' ;;
    longword)
        awk -v h="$header" 'BEGIN {
            w = "x"; while (length(w) < 100000) w = w w
            w = substr(w, 1, 100000)
            print h
            print "ANM;" w ";" w ";80;60"
            print "UPME;Papel;Gestión;40;20"
        }' ;;
    cat500 | cat5000)
        awk -v h="$header" -v n="${1#cat}" 'BEGIN {
            print h
            for (i = 1; i <= n; i++)
                printf "%s;Categoría %05d;Grupo %d;%d;%d\n",
                    (i % 2 ? "ANM" : "UPME"), i, i % 7, i % 101, (i * 7) % 101
        }' ;;
    cols2000)
        awk -v h="$header" 'BEGIN {
            s = h; for (c = 1; c <= 2000; c++) s = s ";c" c; print s
            for (r = 1; r <= 3; r++) {
                s = (r % 2 ? "ANM" : "UPME") ";Fila " r ";G" r % 2 ";" r * 10 ";" r
                for (c = 1; c <= 2000; c++) s = s ";" c * r
                print s
            }
        }' ;;
    rows1m)
        awk -v h="$header" 'BEGIN {
            print h
            for (i = 1; i <= 1000000; i++)
                printf "%s;Programa %d;Grupo %d;%d;%d\n",
                    (i % 2 ? "ANM" : "UPME"), i % 10, i % 5, i % 101, i % 37
        }' ;;
    esac >"$2"
}

# ------------------------------------------------------------- templates ---

gen_template() { # BLOCK SHAPE FILE
    axis=""
    [ "$2" = beyond ] && axis="      axis: {min: 0, max: 100, step: 20}"
    cat <<'EOF'
report:
  title: Matriz de formas de datos
  header: {left: "{first(d.categoria)}", right: "{entidad}: {count(d)} filas"}
  footer: {center: "Página {page} de {pages}"}
params:
  entidad: Todas
styles:
  semaforo:
    - {min: 80, fill: "#B7E1CD"}
    - {min: 60, fill: "#FCE8B2"}
    - {fill: "#F4C7C3"}
data:
  d:
    file: d.csv
    columns: {valor: number, valor2: number}
body:
EOF
    case $1 in
    text)
        cat <<'EOF'
  - text: >-
      {count(d)} filas; suma {sum(d.valor)}; media {mean(d.valor)};
      mínimo {min(d.valor)}; máximo {max(d.valor)}; ponderado
      {wmean(d.valor, d.valor2)}; {distinct(d.categoria)} categorías;
      primera {first(d.categoria)}; última {last(d.categoria)};
      en rojo {count(d where valor < 60)}.
EOF
        ;;
    list)
        cat <<'EOF'
  - list:
      - "{count(d)} filas, {distinct(d.grupo)} grupos"
      - "media {mean(d.valor) | default:'sin datos'}, máximo {max(d.valor)}"
      - "primera categoría: {first(d.categoria)}"
EOF
        ;;
    table | grouped)
        echo "  - table:"
        echo "      data: d"
        echo "      caption: Detalle"
        if [ "$1" = grouped ]; then
            echo "      group_by: grupo"
            echo "      subtotals: [valor, valor2]"
            echo "      total: Total"
        fi
        echo "      columns:"
        echo "        - {field: categoria, title: Categoría}"
        echo "        - {field: valor, title: Valor, format: 'number:1', fill: semaforo}"
        echo "        - {field: valor2, title: Valor 2}"
        if [ "$2" = cols2000 ]; then
            awk 'BEGIN { for (c = 1; c <= 2000; c++)
                print "        - {field: c" c "}" }'
        fi
        ;;
    chart_*)
        orient=vertical
        cmode=grouped
        case $1 in chart_h*) orient=horizontal ;; esac
        case $1 in *s) cmode=stacked ;; esac
        cat <<EOF
  - chart:
      data: d
      category: categoria
      series: [{value: valor, label: Valor}, {value: valor2, label: Otro}]
      orientation: $orient
      mode: $cmode
      caption: Valor por categoría
      format: "number:1"
      target: {value: 80, label: Meta}
      fill: semaforo
$axis
EOF
        ;;
    cover_toc)
        cat <<'EOF'
  - cover:
      lines: ["{first(d.categoria)}", "{count(d)} filas"]
  - toc: {title: Contenido}
  - section: "Resumen de {first(d.grupo) | default:'nada'}"
    content:
      - text: "{count(d)} filas."
  - section: Detalle
    content:
      - text: "Última: {last(d.categoria)}"
EOF
        ;;
    header_footer)
        cat <<'EOF'
  - text: "{count(d)} filas."
  - page_break: true
  - table:
      data: d
      columns: [{field: categoria}, {field: valor}]
EOF
        ;;
    burst)
        cat <<'EOF'
  - text: "{entidad}: {count(d)} filas, media {mean(d.valor)}."
  - table:
      data: d
      columns: [{field: categoria}, {field: grupo}, {field: valor}]
EOF
        ;;
    esac
}

# ------------------------------------------------------------ one cell ---

# Items of a --dump-layout outside their page box (1/100 pt of slack), and
# numbers that are not numbers (nan, inf).
offpage() {
    awk '
    function num(s) { return s ~ /^-?[0-9]+(\.[0-9]+)?$/ }
    function out(x0, y0, x1, y1) {
        return x0 < -0.01 || y0 < -0.01 || x1 > W + 0.01 || y1 > H + 0.01
    }
    $1 == "page" { split($3, a, "x"); W = a[1]; H = a[2]; next }
    $1 == "text" {
        w = substr($7, 3)
        if (!num($2) || !num($3) || !num($5) || !num(w) ||
            out($2, $3 - $5, $2 + w, $3)) bad++
        next
    }
    $1 == "rect" || $1 == "image" || $1 == "link" {
        if (!num($2) || !num($3) || !num($4) || !num($5)) { bad++; next }
        x0 = $4 < 0 ? $2 + $4 : $2; x1 = $4 < 0 ? $2 : $2 + $4
        y0 = $5 < 0 ? $3 + $5 : $3; y1 = $5 < 0 ? $3 : $3 + $5
        if (out(x0, y0, x1, y1)) bad++
        next
    }
    $1 == "line" {
        if (!num($2) || !num($3) || !num($4) || !num($5) ||
            out($2, $3, $2, $3) || out($4, $5, $4, $5)) bad++
    }
    END { print bad + 0 }' "$1"
}

# Runs one cell in folder $1 and prints its outcome on one line.
cell() { # DIR BLOCK
    dir=$1
    burst=""
    out="out.pdf"
    if [ "$2" = burst ]; then
        burst="--burst-by entidad"
        out="out-{entidad}.pdf"
    fi
    (cd "$dir" && timeout $bound "$bin" render t.yaml -d . $burst \
        --dump-layout >dump 2>err)
    rc=$?
    if [ $rc = 124 ]; then
        echo "timeout after ${bound} s"
        return
    fi
    if [ $rc -gt 128 ]; then
        echo "signal $((rc - 128))"
        return
    fi
    if [ $rc != 0 ]; then
        msg=$(grep -m 1 ': error: ' "$dir/err")
        [ -n "$msg" ] || msg=$(head -n 1 "$dir/err")
        echo "exit $rc: $msg"
        return
    fi
    n=$(offpage "$dir/dump")
    (cd "$dir" && timeout $bound "$bin" render t.yaml -d . $burst \
        -o "$out" >/dev/null 2>err)
    rc=$?
    if [ $rc != 0 ]; then
        echo "dump exit 0 but render exit $rc"
        return
    fi
    npdf=0
    for f in "$dir"/out*.pdf; do
        [ -f "$f" ] || continue
        npdf=$((npdf + 1))
        if ! qpdf --check "$f" >"$dir/qpdf" 2>&1 ||
            grep -qi warning "$dir/qpdf"; then
            echo "rendered, qpdf --check fails"
            return
        fi
    done
    if [ $npdf = 0 ]; then
        echo "exit 0 with no PDF"
    elif [ "$n" != 0 ]; then
        echo "rendered, $n items off the page"
    else
        echo "rendered"
    fi
}

# A failing outcome: anything but "rendered" and an exit 65 with a message.
failing() {
    case $1 in
    rendered | "exit 65: "*": error: "*) return 1 ;;
    *) return 0 ;;
    esac
}

# ---------------------------------------------------------------- main ---

results=$tmp/results
: >"$results"
for s in $shapes; do
    mkdir -p "$tmp/data/$s"
    gen_csv "$s" "$tmp/data/$s/d.csv"
    for b in $blocks; do
        d=$tmp/$s/$b
        mkdir -p "$d"
        # A hard link: the data stays inside the template's folder, where
        # informe reads it without --allow-path, and costs no copy.
        ln "$tmp/data/$s/d.csv" "$d/d.csv" 2>/dev/null ||
            cp "$tmp/data/$s/d.csv" "$d/d.csv"
        gen_template "$b" "$s" >"$d/t.yaml"
        t0=$(date +%s)
        printf '%s\t%s\t%s\n' "$s" "$b" "$(cell "$d" "$b")" >>"$results"
        [ -n "${MATRIX_TIMES:-}" ] && echo "$s $b $(($(date +%s) - t0)) s" >&2
        rm -rf "$d"
    done
done

merged=$results

case $mode in
update)
    {
        echo "# shape	block	outcome"
        cat "$merged"
    } >"$golden"
    echo "matrix: $(wc -l <"$merged") cells written to $golden"
    exit 0
    ;;
markdown)
    awk -F '\t' -v blocks="$blocks" '
    BEGIN { nb = split(blocks, b, " ") }
    { gsub(/\|/, "\\|", $3); o[$1, $2] = $3
      if (!($1 in seen)) { seen[$1] = 1; order[++ns] = $1 } }
    END {
        line = "| shape |"; sep = "| --- |"
        for (i = 1; i <= nb; i++) { line = line " " b[i] " |"; sep = sep " --- |" }
        print line; print sep
        for (j = 1; j <= ns; j++) {
            line = "| " order[j] " |"
            for (i = 1; i <= nb; i++) line = line " " o[order[j], b[i]] " |"
            print line
        }
    }' "$merged"
    exit 0
    ;;
esac

fail=0
pass=0
while IFS='	' read -r s b outcome; do
    want=$(awk -F '\t' -v s="$s" -v b="$b" '$1 == s && $2 == b { print $3 }' \
        "$golden")
    if [ "$outcome" != "$want" ]; then
        echo "FAIL $s × $b: $outcome"
        echo "     expected: ${want:-(no line in $golden)}"
        fail=$((fail + 1))
    elif failing "$outcome"; then
        echo "FAIL $s × $b: $outcome"
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
done <"$merged"
echo "matrix: $pass passed, $fail failed"
[ $fail = 0 ]
