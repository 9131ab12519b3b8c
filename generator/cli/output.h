/* output: one document laid out and written (cli/output.c). */
#ifndef INFORME_OUTPUT_H
#define INFORME_OUTPUT_H

#include "base/commit.h"
#include "base/diag.h"
#include "doc/doc.h"
#include "media/font.h"

#include <stdbool.h>

/* Lays doc out with fonts and writes it to path (missing folders are
 * created, as `mkdir -p` would: EXIT_CANTCREAT when that fails), or with
 * dump its display list to standard output. false after reporting to d.
 * With later, the PDF is left in its temporary file and *later is what
 * puts it in place (commit_start, commit_finish); without, it is in
 * place when output_doc returns. */
bool output_doc(const struct doc *doc, const struct fontset *fonts,
                const char *path, bool dump, struct diag *d,
                struct commit *later);

#endif
