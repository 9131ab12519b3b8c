/* shape: data steps on tables (filter, compute, sort, limit, group with
 * aggregates, unpivot, join, rename), each producing a new table.
 *
 * Ownership: results live in the arena given; cells are copied by value
 * and text pointers are shared with the input (which must outlive them).
 * Inputs are never modified. On error a step reports to the diag at the
 * template position given (struct shape_pos) and returns NULL.
 * Costs: filter, compute, group, join and unpivot are O(rows); sort is a
 * stable merge sort, O(rows log rows). */
#ifndef INFORME_SHAPE_H
#define INFORME_SHAPE_H

#include "base/arena.h"
#include "base/diag.h"
#include "lang/expr.h"
#include "data/table.h"
#include "data/value.h"

#include <stdbool.h>
#include <stddef.h>

/* Where a step is written in the template, for messages. */
struct shape_pos {
    const char *file;
    unsigned line, col;
};

/* s with every run of white space (line breaks included) folded to one
 * space and the ends trimmed; in a. */
const char *shape_fold_space(struct arena *a, const char *s);

/* Rows where `where` is true (a missing result is false). env gives the
 * sources and parameters; the row is set for each row. */
struct table *shape_filter(struct arena *a, struct diag *d,
                           const struct table *in, const struct expr *where,
                           const struct expr_env *env);

/* A new column per item, appended in order; each expression sees the
 * row with the columns computed before it. The column's type is that of
 * its results (int and number mixed give number; text mixed with numbers
 * is an error). A name already in the table is an error at pos. */
struct shape_compute {
    const char *name;
    const struct expr *e;
    struct shape_pos pos;
};
struct table *shape_compute(struct arena *a, struct diag *d,
                            const struct table *in,
                            const struct shape_compute *cols, size_t n,
                            const struct expr_env *env);

/* Sort keys, first the most significant. An unknown column is an error at
 * the key's pos, with a suggestion. */
struct shape_key {
    const char *column;
    bool desc;
    struct shape_pos pos;
};
struct table *shape_sort(struct arena *a, struct diag *d,
                         const struct table *in, const struct shape_key *keys,
                         size_t n);
/* The same order as an array of row indexes (for callers that keep the
 * table): *out has in->nrows entries in a. */
bool shape_sort_rows(struct arena *a, struct diag *d, const struct table *in,
                     const struct shape_key *keys, size_t n, size_t **out);

/* The first n rows (all when the table is shorter). Never fails. */
struct table *shape_limit(struct arena *a, const struct table *in, size_t n);

/* Rows of in grouped by equal values of the key columns, in order of first
 * appearance. rows[] are indexes into in, ascending. */
struct shape_group {
    size_t first; /* index of the group's first row */
    size_t *rows;
    size_t n;
};
/* keys are column names (unknown: error at pos). *groups in a. */
bool shape_groups(struct arena *a, struct diag *d, const struct table *in,
                  const char *const *keys, size_t nkeys, struct shape_pos pos,
                  struct shape_group **groups, size_t *ngroups);

/* group_by + aggregate: one row per group (order of first appearance): the
 * key columns, then one column per aggregate, each an expression
 * evaluated with the group as env->group_table/rows (`count()`,
 * `mean(avance)`, `wmean(avance, peso)`, `share(meta)`, or any expression
 * of aggregates such as `sum(ejecutado) / sum(meta) * 100`). */
struct shape_agg {
    const char *name;
    const struct expr *e;
    struct shape_pos pos;
};
struct table *shape_group(struct arena *a, struct diag *d,
                          const struct table *in, const char *const *keys,
                          size_t nkeys, struct shape_pos keys_pos,
                          const struct shape_agg *aggs, size_t naggs,
                          const struct expr_env *env);

/* Wide to long: every column whose header (white space folded) matches
 * the regular expression `columns` (POSIX extended syntax, see rx.h) becomes
 * one row per input row; the other columns are repeated. Output columns: the
 * others, then code_name (when code is set), name, value. `code` is a regex
 * whose first group (or whole match) is stored in code_name (missing when it
 * does not match). The value column's type is the common type of the unpivoted
 * columns (int and number mixed give number). A bad regex, or no column
 * matching, is an error at pos. */
struct shape_unpivot {
    const char *columns;
    const char *name;      /* default "name" */
    const char *value;     /* default "value" */
    const char *code;      /* NULL: no code column */
    const char *code_name; /* default "codigo" */
    struct shape_pos pos;
    /* Where the texts of columns and code start, so that a problem inside
     * a regex is reported at its character (file NULL: at pos). */
    struct shape_pos columns_at, code_at;
};
struct table *shape_unpivot(struct arena *a, struct diag *d,
                            const struct table *in,
                            const struct shape_unpivot *u);

/* Regular expressions (POSIX extended) are checked before they are
 * compiled, so that none can take minutes or gigabytes: longer than the
 * regex_length limit, groups nested deeper than expr_depth, repetitions
 * whose expansion exceeds regex_repeat copies (a{1,100} counts 100, and
 * nested repetitions multiply), and back-references (\1 to \9, whose
 * matching is exponential) are refused. at is where the pattern's text
 * starts; a problem is reported at its own character when the pattern has
 * no line break before it. false after reporting. */
bool shape_regex_check(struct arena *a, struct diag *d, const char *pattern,
                       struct shape_pos at);
/* Left join: each row of left gets the picked columns of the row of right
 * whose keys equal its keys (compared by value: the integer 5 and the
 * text "5" are equal); no match gives missing cells. A key repeated in
 * right is an error naming both lines. pick: (new name, column of right)
 * pairs; npick 0 picks every column of right but the keys, and a name
 * already in left gets `prefix` (default right->name + "_"). */
struct shape_join_col {
    const char *name;   /* name in the result */
    const char *column; /* column of right */
};
struct shape_join {
    const char *const *left_keys;
    const char *const *right_keys;
    size_t nkeys;
    const struct shape_join_col *pick;
    size_t npick;
    const char *prefix;
    struct shape_pos pos;
};
struct table *shape_join(struct arena *a, struct diag *d,
                         const struct table *left, const struct table *right,
                         const struct shape_join *j);

/* Renames columns: from[i] matched exactly or with white space folded
 * (shape_fold_space); an unknown header is an error at pos[i] (pos may be
 * NULL). The cells are shared with in. */
struct table *shape_rename(struct arena *a, struct diag *d,
                           const struct table *in, const char *const *from,
                           const char *const *to, size_t n,
                           const struct shape_pos *pos);

/* A column index by name, or -1 after reporting "columna desconocida"
 * (with a suggestion) at pos. */
long shape_column(struct diag *d, const struct table *t, const char *name,
                  struct shape_pos pos);

#endif
