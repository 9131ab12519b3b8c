#!/bin/sh
# The output side of a render when the machine misbehaves:
#   - a full disk (a 200 KB tmpfs filled to several levels): exit 0 with a
#     valid PDF, or exit 73 naming the path and the system's reason, the
#     previous PDF intact and no temporary file left;
#   - a burst onto a disk that fills up part way (--jobs 1 and 2): the
#     reports that fit written whole, the others told, exit 73, the
#     summary, no temporary left;
#   - a read-only folder (a tmpfs remounted read-only): exit 73;
#   - a character device as output (/dev/full): written in place, exit 73
#     with ENOSPC, the device node still a device;
#   - the layout dump to /dev/full: exit 73, not 0;
#   - a symbolic link as output: the file it leads to is replaced, the
#     link stays; standard output into a pipe gives a valid PDF;
#   - two renders to one path at once: one complete PDF, equal to one of
#     the two renders, and no temporary file.
# The tmpfs and mknod cases need root; without it they are skipped with a
# message.
# Usage: tests/faults/output_faults.sh BINARY
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(pwd)
work=$(mktemp -d)
mnt=""
cleanup() {
    [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
export SOURCE_DATE_EPOCH=1522540800 INFORME_FONTS="$top/fonts"
fail=0
render() {
    "$bin" render "$top/templates/informe-comite.yaml" -d "$top/samples" \
        -o "$1" 2>"$work/err"
}
no_temps() {
    if ls -A "$1" | grep -q '^\.informe-'; then
        echo "FAIL $2: temporary file left in $1"
        fail=1
    fi
}
printf 'previous report\n' >"$work/prev"

# Full disk.
mkdir "$work/full"
if mount -t tmpfs -o size=200k tmpfs "$work/full" 2>/dev/null; then
    mnt="$work/full"
    ok=0 full=0
    for kb in 0 20 40 60 80 100 120 140 160 180 190; do
        rm -f "$work/full/fill"
        cp "$work/prev" "$work/full/r.pdf"
        [ $kb = 0 ] || dd if=/dev/zero of="$work/full/fill" bs=1k count=$kb \
            2>/dev/null
        render "$work/full/r.pdf"
        status=$?
        want="informe: error: no se puede escribir '$work/full/r.pdf': No space left on device"
        if [ $status = 0 ]; then
            ok=$((ok + 1))
            qpdf --check "$work/full/r.pdf" >/dev/null 2>&1 || {
                echo "FAIL full disk ($kb KB filled): exit 0, invalid PDF"
                fail=1; }
        elif [ $status = 73 ] && [ "$(cat "$work/err")" = "$want" ]; then
            full=$((full + 1))
            cmp -s "$work/full/r.pdf" "$work/prev" || {
                echo "FAIL full disk ($kb KB filled): previous PDF changed"
                fail=1; }
        else
            echo "FAIL full disk ($kb KB filled): exit $status:"
            cat "$work/err"
            fail=1
        fi
        no_temps "$work/full" "full disk ($kb KB filled)"
    done
    echo "full disk: $ok renders fit, $full ended with exit 73 and the message"
    [ $ok -gt 0 ] && [ $full -gt 1 ] || {
        echo "FAIL full disk: the fill levels did not cover both outcomes"
        fail=1; }

    # Read-only folder: the same tmpfs, remounted read-only.
    rm -f "$work/full/fill"
    cp "$work/prev" "$work/full/r.pdf"
    if mount -o remount,ro "$work/full" 2>/dev/null; then
        render "$work/full/r.pdf"
        status=$?
        want="informe: error: no se puede escribir '$work/full/r.pdf': Read-only file system"
        if [ $status != 73 ] || [ "$(cat "$work/err")" != "$want" ]; then
            echo "FAIL read-only folder: exit $status:"; cat "$work/err"
            fail=1
        fi
        cmp -s "$work/full/r.pdf" "$work/prev" || {
            echo "FAIL read-only folder: previous PDF changed"; fail=1; }
        echo "read-only folder: exit $status"
    else
        echo "read-only folder: skipped (cannot remount read-only)"
    fi
    umount "$work/full" && mnt=""
else
    echo "full disk, read-only folder: skipped (mounting a tmpfs needs root)"
fi

# A burst onto a disk that fills up part way, with --jobs 1 and 2: the
# reports that fit are written whole, each that does not is told with
# its path and the reason, the summary counts both, the exit status is
# 73, and no temporary is left (a burst holds several while it syncs
# them by batches).
mkdir "$work/fullburst"
if mount -t tmpfs -o size=150k tmpfs "$work/fullburst" 2>/dev/null; then
    mnt="$work/fullburst"
    for jobs in 1 2; do
        rm -f "$work/fullburst"/*.pdf
        "$bin" render "$top/templates/furag.yaml" -d "$top/samples" \
            --burst-by entidad --jobs $jobs \
            -o "$work/fullburst/{entidad}.pdf" 2>"$work/err"
        status=$?
        written=$(ls "$work/fullburst" | grep -c '\.pdf$')
        failed=$(grep -c "^informe: error: no se puede escribir '$work/fullburst/.*': No space left on device$" "$work/err")
        summary="informe: 7 informes: $written escritos, $failed con errores"
        if [ $status != 73 ] || [ $written = 0 ] || [ $failed = 0 ] ||
            [ $((written + failed)) != 7 ] ||
            [ "$(tail -n 1 "$work/err")" != "$summary" ]; then
            echo "FAIL full disk, burst --jobs $jobs: exit $status, $written written:"
            cat "$work/err"
            fail=1
        fi
        for f in "$work/fullburst"/*.pdf; do
            qpdf --check "$f" >/dev/null 2>&1 || {
                echo "FAIL full disk, burst --jobs $jobs: $f is not a valid PDF"
                fail=1; }
        done
        no_temps "$work/fullburst" "full disk, burst --jobs $jobs"
        echo "full disk, burst --jobs $jobs: $written written, $failed told, exit $status"
    done
    umount "$work/fullburst" && mnt=""
else
    echo "full disk, burst: skipped (mounting a tmpfs needs root)"
fi

# A character device as output.
dev="$work/full-device"
if ! mknod "$dev" c 1 7 2>/dev/null; then
    # The system's node only when it cannot be replaced (not root).
    dev=""
    [ "$(id -u)" != 0 ] && dev=/dev/full
fi
if [ -n "$dev" ]; then
    render "$dev"
    status=$?
    want="informe: error: no se puede escribir '$dev': No space left on device"
    if [ $status != 73 ] || [ "$(cat "$work/err")" != "$want" ]; then
        echo "FAIL $dev: exit $status:"; cat "$work/err"; fail=1
    fi
    [ -c "$dev" ] || { echo "FAIL $dev is no longer a device"; fail=1; }
    echo "character device $dev: exit $status"
else
    echo "character device: skipped (mknod refused)"
fi

# The layout dump to a full device.
"$bin" render "$top/templates/informe-comite.yaml" -d "$top/samples" \
    --dump-layout >/dev/full 2>"$work/err"
status=$?
want="informe: error: no se puede escribir la salida estándar: No space left on device"
if [ $status != 73 ] || [ "$(cat "$work/err")" != "$want" ]; then
    echo "FAIL --dump-layout >/dev/full: exit $status:"; cat "$work/err"
    fail=1
fi
echo "--dump-layout >/dev/full: exit $status"

# Through a symbolic link the file it leads to is replaced, not the link;
# standard output (a link to /proc/self/fd/1) into a pipe is written in
# place.
mkdir -p "$work/link/real"
printf 'old\n' >"$work/link/real/r.pdf"
ln -s real/r.pdf "$work/link/r.pdf"
render "$work/link/r.pdf" || { echo "FAIL symlink: exit $?"; fail=1; }
if [ ! -L "$work/link/r.pdf" ] ||
    ! qpdf --check "$work/link/real/r.pdf" >/dev/null 2>&1; then
    echo "FAIL symlink: the link was replaced, or its file is no PDF"; fail=1
fi
# (A link of its own, not /dev/stdout: a faulty build run as root would
# replace the system's link.)
ln -s /proc/self/fd/1 "$work/stdout"
render "$work/stdout" | cat >"$work/stdout.pdf"
qpdf --check "$work/stdout.pdf" >/dev/null 2>&1 || {
    echo "FAIL output to a link to /proc/self/fd/1, a pipe: no valid PDF"
    fail=1; }
[ -L "$work/stdout" ] || { echo "FAIL the link to standard output was replaced"; fail=1; }
echo "symbolic link and standard output through a link: checked"

# Two renders to one path at once, with different bytes (creation dates).
mkdir "$work/two"
render "$work/a.pdf"
SOURCE_DATE_EPOCH=1530403200 render "$work/b.pdf"
cmp -s "$work/a.pdf" "$work/b.pdf" && { echo "FAIL: a and b equal"; fail=1; }
round=0
while [ $round -lt 5 ]; do
    render "$work/two/r.pdf" & p1=$!
    SOURCE_DATE_EPOCH=1530403200 "$bin" render \
        "$top/templates/informe-comite.yaml" -d "$top/samples" \
        -o "$work/two/r.pdf" 2>/dev/null & p2=$!
    wait $p1; s1=$?
    wait $p2; s2=$?
    if [ $s1 != 0 ] || [ $s2 != 0 ]; then
        echo "FAIL concurrent round $round: exit $s1 and $s2"; fail=1
    fi
    if ! cmp -s "$work/two/r.pdf" "$work/a.pdf" &&
        ! cmp -s "$work/two/r.pdf" "$work/b.pdf"; then
        echo "FAIL concurrent round $round: the PDF is neither render"
        fail=1
    fi
    qpdf --check "$work/two/r.pdf" >/dev/null 2>&1 || {
        echo "FAIL concurrent round $round: qpdf --check fails"; fail=1; }
    no_temps "$work/two" "concurrent round $round"
    round=$((round + 1))
done
echo "concurrent: 5 rounds of two renders to one path"
[ $fail = 0 ]
