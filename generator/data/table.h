/* table: a typed table read from a CSV file (or derived from one by data
 * shaping). Cells are row-major; every cell keeps the source line of the
 * record it came from (0 for computed cells). Everything lives in the arena
 * the table was built in. */
#ifndef INFORME_TABLE_H
#define INFORME_TABLE_H

#include "base/arena.h"
#include "base/buf.h"
#include "data/value.h"

#include <stddef.h>

struct cell {
    struct value v;
    unsigned line;
};

struct column {
    const char *name; /* header text, UTF-8, as in the file */
    enum vtype type;
    unsigned col; /* 1-based field position in the source file (0: derived) */
};

struct table {
    const char *name; /* source name in the template, or the file name */
    const char *file; /* path it was read from (for messages), or NULL */
    size_t ncols, nrows;
    struct column *cols;
    struct cell *cells; /* nrows * ncols, row-major */
};

static inline struct cell *table_cell(const struct table *t, size_t row,
                                      size_t col)
{
    return &t->cells[row * t->ncols + col];
}

/* Index of the column named name, or -1: an exact match first, then one
 * with runs of white space (line breaks in a header) folded. */
long table_find_column(const struct table *t, const char *name);

/* Appends to b the form of a column name a template types: runs of white
 * space (the line breaks of a header written over lines) as one space,
 * none at either end; table_find_column finds the column by it. */
void table_name_typed(struct buf *b, const char *name);

/* The same form as a string of a. */
const char *table_name_typed_in(struct arena *a, const char *name);

#endif
