#!/bin/sh
# Writes furag.csv, plan.csv and compromisos.csv for bench/spec.yaml into
# DIR, near the benchmark's large scale (50 entities, 23,500 plan rows,
# 2,000 commitments; about 1,470 pages), deterministically.
# Usage: tests/faults/bigdata.sh DIR
set -eu
mkdir -p "$1"
awk -v dir="$1" 'BEGIN {
    srand(2018)
    ndim = split("Talento Humano|Direccionamiento Estratégico y Planeación|" \
        "Gestión con Valores para Resultados|Evaluación de Resultados|" \
        "Información y Comunicación|Gestión del Conocimiento y la " \
        "Innovación|Control Interno", dim, "|")
    f = dir "/furag.csv"
    print "entidad,dimension,politica,puntaje_anterior,puntaje_actual" > f
    for (e = 1; e <= 50; e++)
        for (p = 1; p <= 17; p++)
            printf "Entidad territorial número %d,%s,Política %d,%.1f,%.1f\n",
                e, dim[(p - 1) % ndim + 1], p, 40 + rand() * 60,
                40 + rand() * 60 > f
    f = dir "/plan.csv"
    print "id,programa,actividad,responsable,meta,ejecutado,avance," \
        "fecha_corte" > f
    for (i = 1; i <= 23500; i++) {
        meta = 50 + int(rand() * 150)
        ej = int(meta * rand() * 1.1)
        if (ej > meta) ej = meta
        printf "%d,Programa %d,\"Ejecutar la actividad %d del plan, con " \
            "seguimiento mensual y evidencias en el repositorio.\"," \
            "Dependencia %d,%d,%d,%.1f,2018-03-31\n", i, i % 9 + 1, i,
            i % 13 + 1, meta, ej, 100 * ej / meta > f
    }
    f = dir "/compromisos.csv"
    print "numero,compromiso,responsable,fecha_limite,estado," \
        "observaciones" > f
    split("Cumplido|En curso|Vencido", st, "|")
    for (i = 1; i <= 2000; i++)
        printf "%d,\"Presentar ante el comité el informe número %d, con " \
            "sus anexos.\",Secretaría General,2018-%02d-%02d,%s,Evidencias " \
            "cargadas en el repositorio.\n", i, i, i % 12 + 1, i % 28 + 1,
            st[i % 3 + 1] > f
}'
