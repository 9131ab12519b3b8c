#!/bin/sh
# A burst over several hosts with GNU parallel: SHARDS processes of
# `informe render --shard K/SHARDS`, two per host, each host reading the
# template and the data from the folder all of them mount (NFS, with
# locks) and writing its PDFs there. informe is installed on every host;
# parallel reaches them with ssh. Exit status: the number of shards that
# failed (0: every report written).
#
#   sh docs/examples/parallel.sh
#   HOSTS=: DIR=$HOME/informe sh docs/examples/parallel.sh   # this host
SHARDS=${SHARDS:-8}
HOSTS=${HOSTS:-2/informe1,2/informe2,2/informe3,2/informe4}
DIR=${DIR:-/srv/informe}

seq 1 "$SHARDS" | parallel --will-cite -S "$HOSTS" --workdir "$DIR" \
    informe render plantillas/furag.yaml -d datos --burst-by entidad \
    --shard {}/"$SHARDS" --quiet -o "'salida/{entidad}.pdf'"
