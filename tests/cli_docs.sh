#!/bin/sh
# The manual page (docs/informe.1) and the bash completion
# (docs/informe.bash) against the command line itself:
#   - the page formats without a warning (groff -ww, and man --warnings);
#   - it names every command and every option that `informe --help` and
#     `informe ORDEN --help` list, so it cannot fall behind the CLI;
#   - the completion, sourced in bash, completes commands, options,
#     templates, folders after -d, --limit and --set names.
# Usage: tests/cli_docs.sh BINARY
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# Formatting: no warning from groff (all of them: -ww) nor from man.
groff -k -man -Tutf8 -ww -z docs/informe.1 2>"$tmp/groff.err"
[ $? = 0 ] && [ ! -s "$tmp/groff.err" ] && ok ||
    { bad "groff warns on docs/informe.1"; cat "$tmp/groff.err"; }
MANWIDTH=80 man --warnings -l -P cat docs/informe.1 >"$tmp/page" \
    2>"$tmp/man.err"
[ $? = 0 ] && [ ! -s "$tmp/man.err" ] && ok ||
    { bad "man warns on docs/informe.1"; cat "$tmp/man.err"; }
for section in NOMBRE SINOPSIS DESCRIPCIÓN ÓRDENES OPCIONES ENTORNO \
    "ESTADO DE SALIDA" ARCHIVOS EJEMPLOS "VÉASE TAMBIÉN"; do
    grep -q "^$section\$" "$tmp/page" && ok || bad "no section $section"
done

# The commands, from the usage lines of `informe --help`; every option of
# each, from its own help.
"$bin" --help >"$tmp/help" || bad "informe --help failed"
cmds=$(sed -n 's/^[[:space:]]*\(uso:\)\{0,1\}[[:space:]]*informe \([a-z][a-z]*\) .*/\2/p' \
    "$tmp/help" | sort -u)
[ -n "$cmds" ] && ok || bad "no command in informe --help"
opts_of() {
    grep -o -- '\(^\|[[ ,]\)--\{0,1\}[a-z][a-z-]*' | sed 's/^[[ ,]//' |
        grep -- '^-' | sort -u
}
for c in $cmds; do
    grep -q "^       informe $c " "$tmp/page" && ok ||
        bad "the page's synopsis lacks informe $c"
    "$bin" "$c" --help >"$tmp/help-$c" 2>&1 || bad "informe $c --help failed"
    for o in $(opts_of <"$tmp/help-$c"); do
        # As the page shows it: an option heading, or in the synopsis.
        grep -q -- "\(^\|[ [,]\)$o\([] ,=]\|\$\)" "$tmp/page" && ok ||
            bad "docs/informe.1 does not name '$c $o'"
    done
done
for o in --version --help; do
    grep -q -- "$o" "$tmp/page" && ok || bad "docs/informe.1 lacks $o"
done
# Every exit code of the usage is explained.
for code in 0 64 65 66 70 73; do
    grep -q "^       $code\( \|\$\)" "$tmp/page" && ok || bad "no exit code $code"
done

# The completion, in bash, with the binary as the command word.
mkdir -p "$tmp/c/datos" "$tmp/c/otra"
cp templates/furag.yaml "$tmp/c/"
: >"$tmp/c/notas.txt"
: >"$tmp/c/plan.csv"
cat >"$tmp/complete.bash" <<'EOF'
source "$1"
t() {
    COMP_WORDS=("$BIN" "$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _informe
    printf '%s|' "$*"
    printf '%s ' $(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort)
    echo
}
t ""
t re
t render ""
t render --fo
t render furag.yaml -d ""
t render furag.yaml --limit ro
t render furag.yaml --set vig
t check furag.yaml --
t inspect ""
t inspect --j
EOF
(cd "$tmp/c" && BIN="$bin" bash "$tmp/complete.bash" "$top/docs/informe.bash") \
    >"$tmp/got" 2>&1
cat >"$tmp/want" <<'EOF'
|--help --version check inspect nuevo render 
re|render 
render |datos furag.yaml otra 
render --fo|--fonts 
render furag.yaml -d |datos otra 
render furag.yaml --limit ro|rows= 
render furag.yaml --set vig|vigencia= vigencia_anterior= 
check furag.yaml --|--allow-path --data --fonts --help --limit --pdf --quiet --set 
inspect |datos otra plan.csv 
inspect --j|--json 
EOF
if cmp -s "$tmp/want" "$tmp/got"; then ok; else
    bad "bash completion"
    diff -u "$tmp/want" "$tmp/got"
fi

echo "cli-docs: $pass passed, $fail failed"
[ $fail = 0 ]
