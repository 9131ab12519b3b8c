/* resolve: what a name in an expression refers to, one logic for the
 * checker (which wants types) and the evaluator (which wants values):
 * - a function or a filter by its name, when parsing;
 * - a bare name: a column of the current row, else a parameter, else the
 *   built-ins `hoy` and (where pages exist) `page`/`pages`;
 * - a dotted name `src.col`: a column of the data source src (of the
 *   current row when src is the row's source), else a dotted parameter
 *   such as report.title; `params.x`: the parameter x;
 * - the rows an aggregate runs over: a source named by its argument
 *   (sum(src.col), count(src)) or the implicit table (the group, else the
 *   rows being walked).
 * An unknown name is reported at its position, with "¿quiso decir …?"
 * when a known one is close (data/suggest.h). */
#ifndef INFORME_RESOLVE_H
#define INFORME_RESOLVE_H

#include "base/diag.h"
#include "data/table.h"
#include "lang/ast.h"

#include <stdbool.h>
#include <stddef.h>

/* A function of the language: its name and how many arguments it takes. */
struct resolve_fn {
    const char *name;
    unsigned min, max;
};

/* The function called name (enum fn), or -1 after reporting "función
 * desconocida" at file:line:col. */
int resolve_function(struct diag *d, const char *file, unsigned line,
                     unsigned col, const char *name);
/* Name and arity of function fn (enum fn). */
const struct resolve_fn *resolve_fn_info(int fn);
/* The filter called name (enum flt), or -1 after reporting "filtro
 * desconocido" at file:line:col. */
int resolve_filter(struct diag *d, const char *file, unsigned line,
                   unsigned col, const char *name);
/* Name of filter flt (enum flt). */
const char *resolve_filter_name(int flt);

/* The names an expression sees at one place. */
struct resolver {
    /* Bare names are first the columns of row (NULL: none). */
    const struct table *row;
    /* An unknown bare name is compared with the columns of hint for a
     * suggestion (row, or the row's table when no row is current). */
    const struct table *hint;
    /* `src.col` with src naming this table is a column of the current row
     * (the evaluator's; NULL: src.col is always the source's column). */
    const struct table *row_source;
    /* Aggregates without a source run over this table, or NULL. */
    const struct table *implicit;
    /* The data source called name, or NULL; the function may be NULL. */
    const struct table *(*source)(void *ctx, const char *name);
    void *ctx;
    /* Whether the parameter (or dotted name such as "report.title")
     * called name exists; what it is (a value, a type) the function keeps
     * in self. May be NULL: no parameters. */
    bool (*param)(void *self, const char *name);
    void *self;
    bool page; /* `page` and `pages` are names */
    /* The parameter closest to a misspelt name, or NULL (may be NULL). */
    const char *(*suggest_param)(void *ctx, const char *name);
};

enum resolve_kind {
    RESOLVE_ROW,    /* a column of the current row: t, col */
    RESOLVE_SOURCE, /* a column of a data source (not the row's): t, col */
    RESOLVE_PARAM,  /* a parameter: r->param has kept what it is */
    RESOLVE_TODAY,  /* `hoy` */
    RESOLVE_PAGE,   /* `page` */
    RESOLVE_PAGES,  /* `pages` */
};

struct resolved {
    enum resolve_kind kind;
    const struct table *t;
    size_t col;
};

/* A bare name (E_NAME): RESOLVE_ROW, _PARAM, _TODAY, _PAGE or _PAGES;
 * false after reporting "nombre desconocido". */
bool resolve_name(const struct resolver *r, struct diag *d,
                  const struct expr *e, struct resolved *out);
/* A dotted name (E_FIELD): RESOLVE_ROW, _SOURCE or _PARAM; false after
 * reporting an unknown column of the source, or an unknown source. */
bool resolve_field(const struct resolver *r, struct diag *d,
                   const struct expr *e, struct resolved *out);
/* `params.x` (E_PARAM): false after reporting "parámetro desconocido". */
bool resolve_param(const struct resolver *r, struct diag *d,
                   const struct expr *e);

/* What an aggregate (an E_CALL of an aggregate function) runs over. */
enum resolve_rows {
    ROWS_COLUMN,   /* f(src.col): the column col of the source t */
    ROWS_SOURCE,   /* count(src): the rows of the source t, counted */
    ROWS_IMPLICIT, /* f(x) or count(): r->implicit (t), x seen per row */
};

struct resolved_rows {
    enum resolve_rows kind;
    const struct table *t;
    size_t col; /* ROWS_COLUMN */
};

/* false after reporting an unknown source or column, a source where a
 * column is needed, or an aggregate with no source and no implicit
 * table. */
bool resolve_aggregate(const struct resolver *r, struct diag *d,
                       const struct expr *call, struct resolved_rows *out);

/* Whether a and b are the same source: one table, or two of one name. */
bool resolve_same_table(const struct table *a, const struct table *b);

#endif
