/* expr: the expression language of templates (docs/templates.md): parsing
 * into a positioned syntax tree, static checking, and evaluation to a value.
 * Implemented in lang/ by lex, parse, resolve, check, interp, ops and tmpl
 * (lang/README.md says what each owns).
 *
 * Ownership: every tree, template and text result lives in the arena given
 * to the parser or in env->a; nothing is freed one by one. Every function
 * that can fail reports to the diag with the exact file:line:col of the
 * offending character inside the template string and returns false/NULL.
 *
 * Names resolve, in order: a column of the current row (env->row_table), a
 * parameter (env->param), a built-in (`hoy`; `page`/`pages` when
 * env->keep_page). `params.x` is always a parameter; `src.col` names a
 * column of a data source (inside aggregates; outside, only the current
 * row's source). Any other dotted name (`report.title`) is asked of
 * env->param with the full dotted text.
 *
 * Semantics in short (details in ops.c and interp.c):
 * - missing propagates through arithmetic; division by zero gives missing
 *   and a warning ("división por cero (fila de la línea N)");
 * - int op int stays int (except '/'), money +,- money and money *,/
 *   number stay money, percent arithmetic gives numbers, date +- number is
 *   a date, date - date a number of days, text + text concatenates;
 * - = and != treat missing as a value of its own (equal to "" and to
 *   missing); <, <=, >, >=, between with a missing side are false; text
 *   compares in Spanish order (collate_text);
 * - in a condition (where) a missing result counts as false;
 * - aggregates skip missing values; mean/min/max keep the column's type
 *   (a mean of percents is a percent), sum of int/money keeps it, sum of
 *   percents is a number; count/distinct are integers; share is a percent.
 * Scalar functions: round(x[, n]), abs(x), coalesce(a, b, ...),
 * if(cond, a, b), year(d), month(d), day(d), upper(s), lower(s).
 * Filters (after '|'): number[:N], integer, plain[:N], percent[:N],
 * money[:N], date[:long|short|iso], quarter[:long], month, upper, lower,
 * default:"text". */
#ifndef INFORME_EXPR_H
#define INFORME_EXPR_H

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "data/table.h"
#include "data/value.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct expr;       /* opaque, immutable after parsing */
struct expr_memo;  /* totals remembered across groups (see expr_memo_new) */
struct expr_cache; /* values reused across rows (see expr_cache_new) */

/* What an evaluation sees. Zero-initialise, then fill what applies. */
struct expr_env {
    struct arena *a; /* text results (upper, concatenation, filters) */
    void *ctx;       /* passed to the callbacks */
    /* The data source called name, or NULL if there is none. */
    const struct table *(*source)(void *ctx, const char *name);
    /* The parameter (or dotted name such as "report.title") called name:
     * true and *out set, or false if unknown. */
    bool (*param)(void *ctx, const char *name, struct value *out);
    /* Current row: bare names are its columns. NULL: no row. */
    const struct table *row_table;
    size_t row;
    /* Group: aggregates over bare columns (count(), mean(avance)) and over
     * the group's own source run on these rows of group_table. rows NULL
     * with group_table set means every row of group_table. */
    const struct table *group_table;
    const size_t *group_rows;
    size_t group_n;
    int32_t today;       /* `hoy`, a day number (value.h) */
    bool keep_page;      /* `page` and `pages` evaluate to "{page}"/"{pages}" */
    bool pct_space;      /* "85,3 %" (true) or "85,3%" when formatting */
    const char *missing; /* text of a missing value when formatting ("") */
    /* Optional: share()'s denominator (a sum over the whole table) is then
     * computed once per expression and table instead of once per group.
     * Set it when evaluating the same expressions over many groups;
     * shape_group does so itself. */
    struct expr_memo *memo;
    /* Optional: a part of an expression that does not depend on the
     * current row (an aggregate, or a function of aggregates, parameters
     * and constants) is then computed on the first row and reused on the
     * others. Set it when evaluating the same expressions over the rows
     * of one table, with nothing but env->row changing between calls;
     * anything else (another table, group or parameter value) needs a
     * new cache or expr_cache_reset. Aggregates keep a cache of their own
     * for their rows, so nested aggregates cost their rows once each. */
    struct expr_cache *cache;
    /* Optional: the rows of t whose column col holds the text key, in
     * ascending order (true), from an index that lasts as long as t, or
     * false when there is none for t. An aggregate over every row of t
     * whose where is `column = key` (expr_column_eq) then reads those
     * rows only: a burst of n reports, each choosing its rows of one
     * n-row table, reads n rows in all instead of n * n. */
    bool (*rows_eq)(void *ctx, const struct table *t, size_t col,
                    const char *key, const size_t **rows, size_t *n);
};

/* A memo in a, empty; valid while the tables it sees are not changed. */
struct expr_memo *expr_memo_new(struct arena *a);

/* A cache in a, empty. Its work counter bounds the rows that aggregates
 * may visit while it is in use (limit eval_work); without a cache each
 * call of expr_eval (expr_eval_cond, expr_format) has a budget of its
 * own. */
struct expr_cache *expr_cache_new(struct arena *a);
/* Forgets every value (not the work done). */
void expr_cache_reset(struct expr_cache *c);
/* Rows visited by aggregates (each row of an aggregate's loop, and of
 * share()'s denominator) since the cache was made: what eval_work counts,
 * and what shows that a part computed once is not computed per row. */
uint64_t expr_cache_work(const struct expr_cache *c);

/* Parses one expression (the text between braces, or a where:/compute:
 * value). src[0] sits at file:line:col of the template; a '\n' inside src
 * advances the line. NULL after reporting a syntax error, or an exceeded
 * limit: longer than expr_length, or nested (parentheses, calls, `in`
 * lists, '-', `not`, runs of filters) deeper than expr_depth. A flat run
 * of one operator level (a + b - c, x and y and z) is one wide node, so
 * its length costs no stack in any later walk. */
struct expr *expr_parse(struct arena *a, struct diag *d, const char *src,
                        size_t len, const char *file, unsigned line,
                        unsigned col);

/* Where the characters of a text that YAML has folded or unescaped come
 * from: byte i of the source given to the parser is at
 * pos(ctx, base + i, ...) in file. */
struct expr_at {
    const char *file;
    void (*pos)(void *ctx, size_t off, unsigned *line, unsigned *col);
    void *ctx;
    size_t base;
};
/* expr_parse with every position taken through at. */
struct expr *expr_parse_at(struct arena *a, struct diag *d, const char *src,
                           size_t len, const struct expr_at *at);

/* Evaluates e, filters included (a formatting filter yields text).
 * false after reporting a type error; warnings (division by zero) do not
 * fail. */
bool expr_eval(const struct expr *e, const struct expr_env *env, struct diag *d,
               struct value *out);
/* Whether cond, evaluated on the rows of t, is `name = key` or `key =
 * name`, name a bare name that is a column of t (resolve_name finds a
 * row's column first) and key independent of the row: its column (*col)
 * and *key. A row whose column is not a text equal to key's value cannot
 * satisfy it, so a caller that knows which rows hold that text may
 * evaluate cond on those only and keep the same rows. */
bool expr_column_eq(const struct expr *cond, const struct table *t, size_t *col,
                    const struct expr **key);

/* When cond is `column = key` (expr_column_eq) over a text column of t
 * and env has an index of it (env->rows_eq): key computed under env
 * (env->row_table t; its cache, where the first row finds it again) and
 * *rows, *n the rows holding key's text, the only ones cond can keep
 * (cond still decides on each). *rows NULL, *n untouched: every row must
 * be read. false after an error in key, reported as the first row's
 * evaluation would have. */
bool expr_index_rows(const struct expr *cond, const struct table *t,
                     struct expr_env *env, struct diag *d, const size_t **rows,
                     size_t *n);

/* Evaluates a condition: bool results as they are, missing is false,
 * anything else is an error ("se esperaba una condición"). */
bool expr_eval_cond(const struct expr *e, const struct expr_env *env,
                    struct diag *d, bool *out);
/* Evaluates e and appends its text: the value formatted by its type
 * (fmt_value with env->pct_space, env->missing). */
bool expr_format(const struct expr *e, const struct expr_env *env,
                 struct diag *d, struct buf *out);

/* Static checking: the names and types an expression may see. */
struct expr_scope {
    void *ctx;
    const struct table *(*source)(void *ctx, const char *name);
    /* The type of parameter name: true if it exists. */
    bool (*param)(void *ctx, const char *name, enum vtype *out);
    const struct table *row_table;   /* columns of the current row, or NULL */
    const struct table *group_table; /* aggregates over bare columns, or NULL */
    bool allow_page;                 /* `page`/`pages` are known names */
    /* The parameter closest to a misspelt name, for "¿quiso decir ...?"
     * (called only on the error path; may be NULL). */
    const char *(*suggest_param)(void *ctx, const char *name);
};

/* Resolves every name, function and filter and infers types without
 * evaluating: unknown column (with "¿quiso decir ...?"), unknown source,
 * parameter, function or filter, an aggregate over a text column, text in
 * arithmetic. Reports every problem found; false if any. *type (may be
 * NULL) receives the result type (V_TEXT after a formatting filter;
 * V_MISSING when unknown). */
bool expr_check(const struct expr *e, const struct expr_scope *scope,
                struct diag *d, enum vtype *type);

/* Introspection for callers that treat some expressions specially. */
/* The column name when e is just a name (`avance`, `` `Fecha de corte` ``)
 * with no filter, else NULL. */
const char *expr_name(const struct expr *e);
/* True when e contains an aggregate call (count, sum, ...). */
bool expr_has_aggregate(const struct expr *e);
/* Position of the expression's first character. */
void expr_pos(const struct expr *e, const char **file, unsigned *line,
              unsigned *col);

/* A template string ("Avance {mean(plan.avance) | percent:1} al {fecha}")
 * split into literal parts ({{ and }} already unescaped) and parsed
 * expressions. */
struct expr_part {
    bool is_expr;
    const char *text; /* literal text, or the expression's source */
    size_t len;
    struct expr *e; /* is_expr only */
};

struct expr_tmpl {
    struct expr_part *parts;
    size_t n;
};

/* The one reading of braces in template text, shared by every scanner
 * of texts (titles, paragraphs, column titles, paths): at s[i],
 * EXPR_BRACE_ESCAPED for '{{' or '}}' (one brace of text; *end = i + 2),
 * EXPR_BRACE_OPEN for an expression s[i+1 .. *end) closed by the '}' at
 * *end (a '}' inside "…", '…' or `…` does not close it, and a
 * backslash escapes the next character inside "…" and '…', as in the
 * lexer), EXPR_BRACE_UNCLOSED when no '}' closes it, EXPR_BRACE_NONE for
 * anything else (a lone '}' is text). */
enum expr_brace {
    EXPR_BRACE_NONE,
    EXPR_BRACE_ESCAPED,
    EXPR_BRACE_OPEN,
    EXPR_BRACE_UNCLOSED
};
enum expr_brace expr_brace_at(const char *s, size_t n, size_t i, size_t *end);

/* Splits and parses text (at file:line:col, as expr_parse). Reports an
 * unclosed '{', a lone '}', an empty {} and every syntax error; false if
 * any. *out lives in a. */
bool expr_parse_template(struct arena *a, struct diag *d, const char *text,
                         size_t len, const char *file, unsigned line,
                         unsigned col, struct expr_tmpl **out);
/* expr_parse_template with every position taken through at. */
bool expr_parse_template_at(struct arena *a, struct diag *d, const char *text,
                            size_t len, const struct expr_at *at,
                            struct expr_tmpl **out);
/* Appends the rendered text (each expression through expr_format). Tries
 * every part; false if any failed. */
bool expr_tmpl_render(const struct expr_tmpl *t, const struct expr_env *env,
                      struct buf *out, struct diag *d);
/* expr_check on every expression part. */
bool expr_tmpl_check(const struct expr_tmpl *t, const struct expr_scope *scope,
                     struct diag *d);

#endif
