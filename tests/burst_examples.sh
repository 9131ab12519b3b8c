#!/bin/sh
# The job files of docs/bursts.md, read as their engines read them and run
# here with the variables those engines set: docs/examples/parallel.sh
# (GNU parallel on this host, HOSTS=:), docs/examples/slurm.sh (sh -n, its
# #SBATCH --array against SHARDS, then one run per SLURM_ARRAY_TASK_ID)
# and docs/examples/kubernetes-job.yaml (python3-yaml: an Indexed Job
# with as many completions as SHARDS; its command run once per
# JOB_COMPLETION_INDEX, with the volume's mount path in a folder here).
# Each must write the FURAG burst of samples/ exactly as one process does.
#
# Usage: sh tests/burst_examples.sh BINARY   (from the repository root;
# needs GNU parallel and python3-yaml)
set -u
if [ $# != 1 ]; then
    echo "uso: sh tests/burst_examples.sh BINARIO" >&2
    exit 64
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export INFORME_FONTS="$top/fonts" SOURCE_DATE_EPOCH=1522540800
# `informe` on the PATH, as on the hosts, nodes and images.
mkdir -p "$tmp/bin"
ln -s "$bin" "$tmp/bin/informe"
PATH="$tmp/bin:$PATH"
export PATH
pass=0
fail=0
ok() { echo "ok: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }

# The shared folder the examples expect: plantillas/, datos/, salida/.
shared() {
    mkdir -p "$1/plantillas" "$1/datos" "$1/salida" "$1/registro"
    cp templates/furag.yaml "$1/plantillas/"
    cp samples/furag_2017.csv samples/furag_2018.csv samples/politicas.csv \
        "$1/datos/"
}
# The PDFs of a folder with their checksums, by name.
sums() {
    (cd "$1/salida" && find . -type f | LC_ALL=C sort |
        while IFS= read -r f; do echo "$(cksum <"$f") $f"; done)
}

shared "$tmp/ref"
(cd "$tmp/ref" && informe render plantillas/furag.yaml -d datos \
    --burst-by entidad -o 'salida/{entidad}.pdf')
sums "$tmp/ref" >"$tmp/ref.sums"
want=$(wc -l <"$tmp/ref.sums")
[ "$want" -gt 1 ] || bad "one process wrote $want reports"
same() { # NAME DIR
    sums "$2" >"$tmp/$1.sums"
    if cmp -s "$tmp/ref.sums" "$tmp/$1.sums"; then
        ok "$1: the $want reports of one process, same bytes"
    else
        bad "$1: not the reports of one process"
        diff "$tmp/ref.sums" "$tmp/$1.sums" | head -n 10
    fi
}

# ---- GNU parallel, on this host
f=docs/examples/parallel.sh
if sh -n $f && bash -n $f; then ok "parallel: shell syntax"; else bad "parallel: shell syntax"; fi
shared "$tmp/par"
if HOSTS=: DIR="$tmp/par" sh $f >"$tmp/par.out" 2>&1; then
    same parallel "$tmp/par"
else
    bad "parallel: exit status $?"
    head -n 10 "$tmp/par.out"
fi

# ---- Slurm job array
f=docs/examples/slurm.sh
if sh -n $f && bash -n $f; then ok "slurm: shell syntax"; else bad "slurm: shell syntax"; fi
shards=$(sed -n 's/^SHARDS=\([0-9]*\)$/\1/p' $f)
array=$(sed -n 's/^#SBATCH --array=1-\([0-9]*\)$/\1/p' $f)
if [ -n "$shards" ] && [ "$shards" = "$array" ]; then
    ok "slurm: --array=1-$array, one task per shard"
else
    bad "slurm: --array=1-$array for SHARDS=$shards"
fi
shared "$tmp/slurm"
status=0
k=1
while [ $k -le "${shards:-0}" ]; do
    SLURM_ARRAY_TASK_ID=$k SLURM_CPUS_PER_TASK=2 DIR="$tmp/slurm" \
        sh $f >>"$tmp/slurm.out" 2>&1 || status=$?
    k=$((k + 1))
done
if [ $status = 0 ]; then same slurm "$tmp/slurm"; else
    bad "slurm: exit status $status"
    head -n 10 "$tmp/slurm.out"
fi

# ---- Kubernetes Indexed Job
f=docs/examples/kubernetes-job.yaml
if python3 - $f >"$tmp/k8s.env" <<'PY'
import shlex, sys, yaml
job = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
spec = job["spec"]
pod = spec["template"]["spec"]
c = pod["containers"][0]
env = {e["name"]: e["value"] for e in c.get("env", [])}
assert job["apiVersion"] == "batch/v1" and job["kind"] == "Job"
assert spec["completionMode"] == "Indexed"
assert pod["restartPolicy"] == "Never"
assert c["command"] == ["sh", "-c"] and len(c["args"]) == 1
assert int(env["SHARDS"]) == spec["completions"]
mounts = [m["mountPath"] for m in c["volumeMounts"]]
assert len(mounts) == 1
print("completions=%d" % spec["completions"])
print("shards=%s" % shlex.quote(env["SHARDS"]))
print("mount=%s" % shlex.quote(mounts[0]))
print("command=%s" % shlex.quote(c["args"][0]))
PY
then
    ok "kubernetes: an Indexed Job, one completion per shard"
    . "$tmp/k8s.env"
    shared "$tmp/k8s"
    run=$(printf '%s' "$command" | sed "s|$mount|$tmp/k8s|g")
    status=0
    i=0
    while [ $i -lt "$completions" ]; do
        JOB_COMPLETION_INDEX=$i SHARDS=$shards sh -c "$run" \
            >>"$tmp/k8s.out" 2>&1 || status=$?
        i=$((i + 1))
    done
    if [ $status = 0 ]; then same kubernetes "$tmp/k8s"; else
        bad "kubernetes: exit status $status"
        head -n 10 "$tmp/k8s.out"
    fi
else
    bad "kubernetes: not an Indexed Job of one completion per shard"
fi

echo "burst examples: $pass passed, $fail failed"
[ $fail = 0 ]
