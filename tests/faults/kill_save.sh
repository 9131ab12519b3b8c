#!/bin/sh
# Kills a large render (bench/spec.yaml on tests/faults/bigdata.sh data)
# COUNT times with SIGKILL and COUNT times with SIGTERM, half of the time
# at a random moment of the whole run and half while the PDF is being
# saved (once its temporary file exists). Every time:
#   - the previous PDF is byte-identical afterwards,
#   - after SIGTERM no temporary file is left, at once,
#   - after SIGKILL the next run into the folder (a small report) removes
#     the temporary file the killed run left.
# Usage: tests/faults/kill_save.sh BINARY [COUNT]
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
count=${2:-20}
top=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1522540800 INFORME_FONTS="$top/fonts"
sh "$top/tests/faults/bigdata.sh" "$work/data"
mkdir "$work/out"
set -- render "$top/bench/spec.yaml" -d "$work/data" -o "$work/out/r.pdf" \
    --quiet
start=$(date +%s%N)
"$bin" "$@" || { echo "kill-save: the render fails"; exit 1; }
ms=$((($(date +%s%N) - start) / 1000000))
cp "$work/out/r.pdf" "$work/prev.pdf"
temps() { ls -A "$work/out" | grep -c '^\.informe-.*\.pdf\.tmp$'; }
# The same question without starting a process, to poll quickly.
has_temp() {
    for f in "$work"/out/.informe-*.pdf.tmp; do
        [ -e "$f" ] && return 0
    done
    return 1
}
fail=0
term_in_save=0
left_by_kill=0
i=0
while [ $i -lt $((2 * count)) ]; do
    sig=KILL
    [ $((i % 2)) = 1 ] && sig=TERM
    delay=$(awk -v s=$i -v ms=$ms 'BEGIN { srand(s * 7919 + 17);
        printf "%.3f", rand() * ms / 1000 }')
    "$bin" "$@" 2>/dev/null &
    pid=$!
    if [ $((i / 2 % 2)) = 1 ]; then
        # Wait for the save; a run that ended before it was seen (a busy
        # machine) is started again, up to three times.
        tries=1
        while :; do
            while kill -0 $pid 2>/dev/null && ! has_temp; do :; done
            has_temp || kill -0 $pid 2>/dev/null || [ $tries -ge 3 ] || {
                wait $pid
                tries=$((tries + 1))
                "$bin" "$@" 2>/dev/null &
                pid=$!
                continue
            }
            break
        done
    else
        sleep "$delay"
    fi
    [ $sig = TERM ] && [ "$(temps)" != 0 ] && term_in_save=$((term_in_save + 1))
    kill -s $sig $pid 2>/dev/null
    wait $pid 2>/dev/null
    status=$?
    if ! cmp -s "$work/out/r.pdf" "$work/prev.pdf"; then
        echo "FAIL kill $i ($sig, status $status): the previous PDF changed"
        fail=1
    fi
    if [ $sig = TERM ] && [ "$(temps)" != 0 ]; then
        echo "FAIL kill $i (TERM, status $status): temporary file left"
        fail=1
    fi
    if [ $sig = KILL ]; then
        left_by_kill=$((left_by_kill + $(temps)))
        "$bin" render "$top/templates/informe-comite.yaml" -d "$top/samples" \
            -o "$work/out/otro.pdf" --quiet
        if [ "$(temps)" != 0 ]; then
            echo "FAIL kill $i (KILL): the next run left the temporary file"
            fail=1
        fi
    fi
    i=$((i + 1))
done
echo "kill-save: $count SIGKILL and $count SIGTERM on a ${ms} ms render;" \
    "$term_in_save SIGTERM landed while the temporary file existed;" \
    "$left_by_kill temporaries left by SIGKILL, removed by the next run"
# Half of the kills aim at the save: some must have hit it, or the two
# removals above were not exercised.
if [ "$count" -ge 2 ] && { [ $term_in_save = 0 ] || [ $left_by_kill = 0 ]; }; then
    echo "FAIL no kill landed during the save"
    fail=1
fi
[ $fail = 0 ]
