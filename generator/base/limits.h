/* limits: informe's own bounds on input and work, so that no input can make
 * a run crash, hang or exhaust the machine. Each limit has a name, a
 * default and a unit; `--limit NOMBRE=VALOR` raises or lowers it for one
 * run.
 *
 * The table is process-wide: the command line sets it once before any work
 * starts (limits_set), and every stage only reads it afterwards (limit).
 * Messages about an exceeded limit come from limits_exceeded, so they all
 * name the limit and how to raise it in the same words. */
#ifndef INFORME_LIMITS_H
#define INFORME_LIMITS_H

#include <stdbool.h>
#include <stdint.h>

struct diag;

enum limit_id {
    LIMIT_EXPR_DEPTH,       /* nesting of one expression */
    LIMIT_EXPR_LENGTH,      /* bytes of one expression or text */
    LIMIT_YAML_DEPTH,       /* nesting of the template's YAML */
    LIMIT_PAGES,            /* pages of one report */
    LIMIT_ROWS,             /* rows of one CSV file */
    LIMIT_CELL_LENGTH,      /* bytes of one CSV field */
    LIMIT_FILE_SIZE,        /* bytes of one input file, in MiB */
    LIMIT_REGEX_LENGTH,     /* bytes of one regular expression */
    LIMIT_CHART_CATEGORIES, /* categories of one chart */
    LIMIT_REGEX_REPEAT,     /* copies of the parts of a regular expression
                               once its repetitions {m,n} are expanded */
    LIMIT_EVAL_WORK,        /* rows visited by the aggregates of one
                               evaluation (a where, a compute column, a
                               table column, a text) */
    LIMIT_COUNT
};

/* The current value of a limit. */
int64_t limit(enum limit_id id);

/* A limit's name as written on the command line ("expr_depth"). */
const char *limit_name(enum limit_id id);

/* Parses "NOMBRE=VALOR" (VALOR a positive integer) and sets that limit.
 * On failure returns false and leaves a message in why (static text or a
 * short description; never NULL). */
bool limits_set(const char *assignment, const char **why);

/* Restores every default (for tests). */
void limits_reset(void);

/* Records a positioned error: "<what> supera el límite de N <unidad>
 * (límite 'nombre'; súbalo con --limit nombre=VALOR)". */
void limits_exceeded(struct diag *d, enum limit_id id, const char *file,
                     unsigned line, unsigned col, const char *what);

/* Text for --help: one line per limit, "  name=default (unit)". */
const char *limits_help(void);

#endif
