/* starter: the text of a starter template for some CSV files, the one
 * `informe nuevo` writes (cli/starter.c). */
#ifndef INFORME_STARTER_H
#define INFORME_STARTER_H

#include "base/arena.h"
#include "base/buf.h"
#include "data/table.h"

#include <stddef.h>

/* One CSV file: the path given on the command line and its typed table. */
struct starter_file {
    const char *path;
    const struct table *t;
};

/* Appends to out a template that reads the n files (by their names, from
 * the data folder), with a cover, a table of contents, "Página X de Y" in
 * the footer, and for each file a section with a bar chart (the first
 * numeric column summed, or averaged for a percent, by the first text
 * column that is not a code and has from 2 to 30 values) and a table of
 * every column, each with its type and es-CO format. schema is the path
 * the first line gives yaml-language-server. Names are quoted for YAML
 * and written in backquotes in expressions where needed; a header broken
 * over lines is written with a space. Scratch strings live in a. */
void starter_write(struct arena *a, struct buf *out, const char *schema,
                   const struct starter_file *files, size_t n);

#endif
