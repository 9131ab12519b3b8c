#!/bin/sh
# End-to-end golden cases: every folder tests/cases/NAME holds
#   cmd      a shell command run in that folder, with $INFORME the binary
#   stdout   expected standard output (optional: unchecked when absent)
#   stderr   expected standard error (optional)
#   status   expected exit status (optional: 0)
# Usage: tests/e2e.sh SANITIZED_BINARY [RELEASE_BINARY]
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(pwd)
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in tests/cases/*/; do
    name=$(basename "$dir")
    [ -f "$dir/cmd" ] || continue
    want_status=0
    [ -f "$dir/status" ] && want_status=$(cat "$dir/status")
    (cd "$dir" && INFORME="$bin" TOP="$top" SOURCE_DATE_EPOCH=1522540800 \
        INFORME_FONTS="$top/fonts" \
        sh ./cmd >"$tmp/out" 2>"$tmp/err")
    status=$?
    ok=1
    if [ "$status" != "$want_status" ]; then
        echo "FAIL $name: exit status $status, expected $want_status"
        ok=0
    fi
    for stream in stdout stderr; do
        [ -f "$dir/$stream" ] || continue
        got="$tmp/out"
        [ "$stream" = stderr ] && got="$tmp/err"
        if ! cmp -s "$dir/$stream" "$got"; then
            echo "FAIL $name: $stream differs"
            diff -u "$dir/$stream" "$got" | head -n 30
            ok=0
        fi
    done
    if [ $ok = 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "--- stderr of $name:"; head -n 20 "$tmp/err"
    fi
done
echo "e2e: $pass passed, $fail failed"
[ $fail = 0 ]
