/* table: a typed table read from a CSV file (or derived from one by data
 * shaping). Cells are kept by column (see struct table); every cell keeps
 * the source line of the record it came from (0 for computed cells).
 * Everything lives in the arena the table was built in, and a derived
 * table may share its input's cells: the input's arena must outlive it. */
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

/* Cells are kept column by column, and a column may be read through a
 * list of rows: row r of column c is data[c][rows[c][r]], or data[c][r]
 * when rows[c] is NULL. Cells never change once a table is built, so a
 * step shares what it does not change with its input: a filter or a sort
 * is a list of rows over the same cells, a computed or joined column is
 * added beside the input's columns, not on a copy of them. */
struct table {
    const char *name; /* source name in the template, or the file name */
    const char *file; /* path it was read from (for messages), or NULL */
    size_t ncols, nrows;
    struct column *cols;
    struct cell **data;  /* ncols */
    const size_t **rows; /* ncols, each NULL or nrows row numbers */
};

static inline struct cell *table_cell(const struct table *t, size_t row,
                                      size_t col)
{
    const size_t *ix = t->rows[col];
    return &t->data[col][ix ? ix[row] : row];
}

/* A table of ncols columns by nrows rows named after like (NULL: no
 * name), its columns' descriptions zeroed and its cells V_MISSING, each
 * column of its own; lives in a. */
struct table *table_new(struct arena *a, const struct table *like, size_t ncols,
                        size_t nrows);
/* The columns and rows t was given, with the arrays data and rows and the
 * cells of each column allocated (for a table built by hand). */
void table_alloc(struct arena *a, struct table *t);
/* A table of in's rows with in's columns, shared, and extra columns of its
 * own after them (descriptions zeroed; their cells are not initialized:
 * the caller writes every one, value and line, before the table is
 * read). */
struct table *table_extend(struct arena *a, const struct table *in,
                           size_t extra);
/* The rows rows[0..n) of in, in that order, over in's cells: a list of
 * rows per column (one list for the columns that shared one). */
struct table *table_pick(struct arena *a, const struct table *in,
                         const size_t *rows, size_t n);

/* Whether two column names are equal once runs of white space (a
 * header's line breaks, say) count as one space and leading or trailing
 * space is ignored: "Mes\nde corte" and "Mes de corte". */
bool table_names_equal_folded(const char *a, const char *b);

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
