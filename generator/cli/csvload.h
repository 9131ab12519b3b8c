/* csvload: a CSV file read and typed as inspect shows it and nuevo writes
 * a template for it (cli/csvload.c). */
#ifndef INFORME_CSVLOAD_H
#define INFORME_CSVLOAD_H

#include "base/arena.h"
#include "base/buf.h"
#include "data/csvfile.h"
#include "data/table.h"

#include <stddef.h>

/* Reads path (delimiter 0: detected) and types its columns (req: the
 * types forced with --type). Prints the messages (errors, or warnings
 * such as a line in another encoding) to stderr; returns EXIT_OK, or the
 * exit code of the failure. raw and t live in a; raw's text does not
 * outlive the call (it goes with the messages), so neither do the columns
 * of its fields (csvfile_field_column). */
int csvload(struct arena *a, const char *path, char delimiter,
            const struct type_request *req, size_t nreq, struct rawcsv *raw,
            struct table *t);

/* Writes what a CSV command made of its file (out) to standard output;
 * returns EXIT_OK, or EXIT_CANTCREAT after saying it could not. */
int csvload_emit(const struct buf *out);

#endif
