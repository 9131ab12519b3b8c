#!/bin/sh
# render --watch (cli/watch.c), with inotify and with INFORME_WATCH=poll:
# the data changes and the PDF follows; the template gets an error, the
# message is printed, the previous PDF stays as it was and informe keeps
# waiting; the error is fixed and the PDF follows again; Ctrl-C (SIGINT)
# ends it (status 130) with no temporary left behind.
# Usage: tests/watch.sh BINARY
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(pwd)
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
export INFORME_FONTS="$top/fonts" SOURCE_DATE_EPOCH=1522540800
pass=0
fail=0

# A shell without job control starts background jobs with SIGINT ignored;
# a terminal's Ctrl-C reaches a program whose SIGINT is not: the default
# is put back before informe starts.
with_sigint() {
    exec python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$@"
}

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $mode: $*"; fail=$((fail + 1)); }

# Waits (at most 10 s) until the PDF's text holds $1.
wait_text() {
    i=0
    while [ $i -lt 100 ]; do
        if [ -f out.pdf ] && pdftotext out.pdf - 2>/dev/null | grep -q "$1"
        then return 0; fi
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# Waits (at most 10 s) until the messages hold $1 $2 times.
wait_err() {
    i=0
    while [ $i -lt 100 ]; do
        [ "$(grep -c -- "$1" err)" -ge "$2" ] && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

for mode in inotify poll; do
    dir="$tmp/$mode"
    mkdir -p "$dir" && cd "$dir" || exit 1
    cat >t.yaml <<'EOF'
data:
  plan: {file: datos/plan.csv}
body:
  - text: "Filas {count(plan)}, suma {sum(plan.valor)}"
EOF
    mkdir datos
    printf 'nombre,valor\na,1\nb,2\n' >datos/plan.csv
    if [ $mode = poll ]; then
        INFORME_WATCH=poll with_sigint "$bin" render t.yaml -o out.pdf \
            --watch 2>err &
    else
        with_sigint "$bin" render t.yaml -o out.pdf --watch 2>err &
    fi
    pid=$!
    wait_text "Filas 2, suma 3" && wait_err "esperando cambios" 1 && ok ||
        bad "first render"

    # The data changes: the PDF follows.
    printf 'nombre,valor\na,1\nb,2\nc,10\n' >datos/plan.csv
    wait_text "Filas 3, suma 13" && wait_err "esperando cambios" 2 && ok ||
        bad "data changed, PDF not rendered again"

    # An error in the template: told, the PDF kept, still waiting.
    cp out.pdf before.pdf
    sed 's/plan.valor/plan.valr/' t.yaml >t.new && mv t.new t.yaml
    if wait_err "esperando cambios" 3; then
        grep -q "t.yaml:4:.*error: columna desconocida 'valr' en 'plan'" err &&
            grep -q "la generación falló (código 65)" err && ok ||
            { bad "no message for the error"; cat err; }
        cmp -s before.pdf out.pdf && ok || bad "the previous PDF changed"
        kill -0 $pid 2>/dev/null && ok || bad "exited on a render error"
    else
        bad "no render after the error"
    fi

    # Fixed: the PDF follows again.
    sed 's/plan.valr/plan.valor/' t.yaml >t.new && mv t.new t.yaml
    printf 'nombre,valor\na,1\nb,2\nc,10\nd,100\n' >datos/plan.csv
    wait_text "Filas 4, suma 113" && ok || bad "fixed, PDF not rendered"

    # Ctrl-C ends it: SIGINT, status 130, no temporary left.
    kill -INT $pid
    wait $pid 2>/dev/null
    status=$?
    pid=""
    [ $status = 130 ] && ok || bad "status $status after SIGINT, not 130"
    [ -z "$(ls -A | grep '^\.informe-')" ] && ok || bad "temporary left"
    cd "$top" || exit 1
done

# --watch is refused with --burst-by.
"$bin" render t.yaml --burst-by entidad --watch 2>"$tmp/err"
status=$?
mode=usage
[ $status = 64 ] &&
    grep -q "^informe: error: --watch no se puede usar con --burst-by$" "$tmp/err" &&
    ok || bad "--watch with --burst-by: status $status"

echo "watch: $pass passed, $fail failed"
[ $fail = 0 ]
