#!/bin/sh
# Bursts under ThreadSanitizer: the sample FURAG burst with --jobs 1 and
# 2, and a burst of 40 reports, whose files are synced and renamed by
# batches on a thread of their own. Any report of the sanitizer ends the
# run with exit 66; each burst must end with exit 0 and every file.
# Usage: tests/tsan.sh BINARY (built with -fsanitize=thread)
set -u
bin=$1
top=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1522540800 INFORME_FONTS="$top/fonts"
export TSAN_OPTIONS=halt_on_error=1:exitcode=66
fail=0
check() { # name, status, folder, files expected
    n=$(ls "$3" 2>/dev/null | grep -c '\.pdf$')
    if [ "$2" != 0 ] || [ "$n" != "$4" ]; then
        echo "FAIL tsan: $1: exit $2, $n files of $4"
        cat "$tmp/err"
        fail=1
    else
        echo "ok: tsan: $1: $n files"
    fi
}
for jobs in 1 2; do
    "$bin" render "$top/templates/furag.yaml" -d "$top/samples" -q \
        --burst-by entidad --jobs $jobs -o "$tmp/j$jobs/{entidad}.pdf" \
        2>"$tmp/err"
    check "furag, --jobs $jobs" $? "$tmp/j$jobs" 7
done
python3 "$top/bench/gen_data.py" "$tmp/data" --national 40 --groups 4 \
    >/dev/null || { echo "FAIL tsan: data"; exit 1; }
"$bin" render "$top/bench/grupo-par.yaml" -d "$tmp/data" -q \
    --burst-by entidad -o "$tmp/n/{entidad}.pdf" 2>"$tmp/err"
check "national, 40 reports" $? "$tmp/n" 40
exit $fail
