#!/bin/sh
# Bursts at scale, measured against the binary's own single report (ratios
# of one run, never absolute times): the FURAG report of templates/ over
# the data of bench/gen_data.py --national N.
#
# - memory: the peak RSS of a burst of every entity stays within 2x that
#   of one report rendered alone (each report is released once written);
# - progress: on a terminal (script(1) gives one) a line per report and a
#   summary; through a pipe nothing at all when every report was written;
# - jobs: --jobs 2 and --jobs 3 write the same files, byte for byte, and
#   print the same messages with the same exit status as --jobs 1;
# - shards: for several N, the shards 1/N .. N/N together are exactly the
#   burst's reports, none twice, each shard within one report of the
#   others.
#
# Usage: sh tests/burst.sh BINARY   (from the repository root; needs
# /usr/bin/time and script, Debian packages `time` and `bsdutils`)
set -u
if [ $# != 1 ]; then
    echo "uso: sh tests/burst.sh BINARIO" >&2
    exit 64
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export INFORME_FONTS="$(pwd)/fonts" SOURCE_DATE_EPOCH=1522540800
pass=0
fail=0
ok() { echo "ok: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }

# Peak RSS in KB of a command (its own output to $tmp/run.err).
peak() {
    /usr/bin/time -f '%M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/run.err" ||
        { cat "$tmp/run.err"; echo 0; return; }
    tail -n 1 "$tmp/time"
}

# The FURAG files of n entities in 10 peer groups, from the benchmark's
# generator; the same arguments give the same bytes.
n=150
python3 bench/gen_data.py "$tmp/data" --national $n --groups 10
python3 bench/gen_data.py "$tmp/again" --national $n --groups 10
if cmp -s "$tmp/data/furag_2018.csv" "$tmp/again/furag_2018.csv" &&
    cmp -s "$tmp/data/furag_2017.csv" "$tmp/again/furag_2017.csv"; then
    ok "generator: the same arguments give the same bytes"
else
    bad "generator: two runs with the same arguments differ"
fi
t=templates/furag.yaml

# ---- memory: a burst of n reports against one report
one=$(peak "$bin" render $t -d "$tmp/data" -o "$tmp/one.pdf")
all=$(peak "$bin" render $t -d "$tmp/data" --burst-by entidad \
    -o "$tmp/all/{entidad}.pdf")
count=$(ls "$tmp/all" | wc -l)
if [ "$count" != $n ]; then
    bad "memory: $count reports written, expected $n"
elif [ "$one" -gt 0 ] && [ "$all" -le $((2 * one)) ]; then
    ok "memory: burst of $n reports $all KB, one report $one KB (<= 2x)"
else
    bad "memory: burst of $n reports $all KB, one report $one KB (> 2x)"
fi

# ---- jobs: the bytes and the messages of one process
same_tree() { # DIR1 DIR2: same names, same bytes
    (cd "$1" && find . -type f | sort) >"$tmp/l1"
    (cd "$2" && find . -type f | sort) >"$tmp/l2"
    cmp -s "$tmp/l1" "$tmp/l2" || return 1
    while IFS= read -r f; do
        cmp -s "$1/$f" "$2/$f" || return 1
    done <"$tmp/l1"
}
for j in 2 3; do
    "$bin" render $t -d "$tmp/data" --burst-by entidad --jobs $j \
        -o "$tmp/j$j/{entidad}.pdf" 2>"$tmp/j$j.err"
    if same_tree "$tmp/all" "$tmp/j$j" && [ ! -s "$tmp/j$j.err" ]; then
        ok "jobs: --jobs $j wrote the $n files of --jobs 1, same bytes"
    else
        bad "jobs: --jobs $j did not write the files of --jobs 1"
        head -n 5 "$tmp/j$j.err"
    fi
done
cp -r tests/cases/burst_keep_going "$tmp/keep"
for j in 1 2 3; do
    (cd "$tmp/keep" && "$bin" render t.yaml --burst-by entidad --jobs $j \
        -o "out$j/{entidad}.pdf" 2>"../keep$j.err")
    echo "exit $?" >>"$tmp/keep$j.err"
done
if cmp -s "$tmp/keep1.err" "$tmp/keep2.err" &&
    cmp -s "$tmp/keep1.err" "$tmp/keep3.err" &&
    grep -q '^exit 65$' "$tmp/keep1.err" &&
    same_tree "$tmp/keep/out1" "$tmp/keep/out2"; then
    ok "jobs: a failed report told as with --jobs 1, same exit status"
else
    bad "jobs: the messages or the exit status differ from --jobs 1"
    diff "$tmp/keep1.err" "$tmp/keep2.err" | head -n 10
fi

# ---- killed: a burst stopped by SIGTERM part way (two temporaries can
# be held at once: one being written, the one before it being synced and
# renamed) leaves no temporary, and every report it wrote is whole, the
# bytes of the full burst.
temps_in() { ls -A "$1" 2>/dev/null | grep -c '^\.informe-.*\.pdf\.tmp$'; }
for j in 1 2; do
    o="$tmp/killed$j"
    "$bin" render $t -d "$tmp/data" --burst-by entidad --jobs $j \
        -o "$o/{entidad}.pdf" 2>/dev/null &
    pid=$!
    while kill -0 $pid 2>/dev/null &&
        [ "$(ls "$o" 2>/dev/null | wc -l)" -lt 20 ]; do :; done
    kill -s TERM $pid 2>/dev/null
    wait $pid
    status=$?
    # The workers of --jobs 2 die of the same signal just after.
    tries=0
    while [ "$(temps_in "$o")" != 0 ] && [ $tries -lt 50 ]; do
        sleep 0.1
        tries=$((tries + 1))
    done
    whole=0 wrong=0
    for f in "$o"/*.pdf; do
        if cmp -s "$f" "$tmp/all/$(basename "$f")"; then
            whole=$((whole + 1))
        else
            wrong=$((wrong + 1))
        fi
    done
    if [ "$(temps_in "$o")" != 0 ]; then
        bad "killed: --jobs $j left a temporary (status $status)"
    elif [ $wrong != 0 ] || [ $whole -lt 20 ]; then
        bad "killed: --jobs $j: $whole reports whole, $wrong not"
    else
        ok "killed: --jobs $j, SIGTERM after $whole reports: no temporary, each whole"
    fi
done

# ---- shards: a partition of the burst, balanced within one report
mkdir -p "$tmp/shard"
awk 'BEGIN { print "entidad,n"
    for (i = 0; i < 90; i++) printf "E%02d,%d\n", (i * 37) % 53, i }' \
    >"$tmp/shard/e.csv"
printf 'data: {e: {file: e.csv}}\nbody: [{text: "R {entidad}"}]\n' \
    >"$tmp/shard/t.yaml"
reports() { # ARGS...: the report names of a dump, one a line
    "$bin" render "$tmp/shard/t.yaml" --burst-by entidad --dump-layout "$@" |
        sed -n 's/^text .* "R \(.*\)"$/\1/p'
}
reports >"$tmp/shard/all"
total=$(wc -l <"$tmp/shard/all")
[ "$total" = 53 ] || bad "shards: $total reports in the whole burst, expected 53"
LC_ALL=C sort "$tmp/shard/all" >"$tmp/shard/sorted"
for nn in 1 2 3 7 53 60; do
    : >"$tmp/shard/union"
    min=$total max=0 k=1
    while [ $k -le $nn ]; do
        reports --shard $k/$nn >"$tmp/shard/part"
        c=$(wc -l <"$tmp/shard/part")
        [ "$c" -lt "$min" ] && min=$c
        [ "$c" -gt "$max" ] && max=$c
        cat "$tmp/shard/part" >>"$tmp/shard/union"
        k=$((k + 1))
    done
    # The burst's names are distinct: the same sorted list means every
    # report once.
    if LC_ALL=C sort "$tmp/shard/union" | cmp -s - "$tmp/shard/sorted"; then
        if [ $((max - min)) -le 1 ]; then
            ok "shards: 1/$nn .. $nn/$nn are the burst, $min to $max each"
        else
            bad "shards: 1/$nn .. $nn/$nn unbalanced, $min to $max each"
        fi
    else
        bad "shards: 1/$nn .. $nn/$nn are not the burst's $total reports"
    fi
done

# ---- progress: on a terminal only
script -qec "'$bin' render $t -d samples --burst-by entidad \
    -o '$tmp/tty/{entidad}.pdf'" /dev/null >"$tmp/tty.out" 2>&1
esc=$(printf '\033')
tr '\r' '\n' <"$tmp/tty.out" | sed "s/$esc\[K//g" >"$tmp/tty.txt"
if grep -q '^\[7/7\] ' "$tmp/tty.txt" &&
    grep -q '^informe: 7 informes: 7 escritos, 0 con errores' "$tmp/tty.txt"
then
    ok "progress: a line per report and the summary on a terminal"
else
    bad "progress: no progress line or summary on a terminal"
    head -c 600 "$tmp/tty.out"
fi
"$bin" render $t -d samples --burst-by entidad -o "$tmp/pipe/{entidad}.pdf" \
    2>"$tmp/pipe.err" | cat
if [ -s "$tmp/pipe.err" ]; then
    bad "progress: something on standard error through a pipe"
    head -n 5 "$tmp/pipe.err"
else
    ok "progress: nothing on standard error through a pipe"
fi

echo "burst: $pass passed, $fail failed"
[ $fail = 0 ]
