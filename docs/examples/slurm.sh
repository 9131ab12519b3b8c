#!/bin/sh
# A burst as a Slurm job array: task K of SHARDS runs
# `informe render --shard K/SHARDS` with two processes (--jobs), reading
# the template and the data from the cluster's shared file system and
# writing its PDFs there. Each task's messages go to its own log in
# registro/ (the folder must exist).
#
#   sbatch docs/examples/slurm.sh
#
#SBATCH --job-name=informe-furag
#SBATCH --array=1-8
#SBATCH --cpus-per-task=2
#SBATCH --mem=1G
#SBATCH --time=00:30:00
#SBATCH --output=/srv/informe/registro/furag-%a.txt
SHARDS=8
DIR=${DIR:-/srv/informe}

cd "$DIR" || exit 66
exec informe render plantillas/furag.yaml -d datos --burst-by entidad \
    --jobs "${SLURM_CPUS_PER_TASK:-1}" --quiet \
    --shard "$SLURM_ARRAY_TASK_ID/$SHARDS" -o 'salida/{entidad}.pdf'
