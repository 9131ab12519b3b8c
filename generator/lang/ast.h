/* ast: the syntax tree of an expression, shared by the parser that builds
 * it and the resolver, checker and evaluator that walk it: node kinds,
 * operator, function and filter codes, the node itself, and messages at a
 * node's position. Every tree is immutable once parsed.
 *
 * Depth: no tree is deeper than the expr_depth limit (the parser refuses
 * deeper ones), so every recursive walk of it is bounded. A flat run of
 * one operator level (a + b - c, x and y and z) is one chain node.
 * Immutable means its meaning: a name node carries a slot where the
 * evaluator keeps what the name was found to be (struct expr_slot). */
#ifndef INFORME_AST_H
#define INFORME_AST_H

#include "base/diag.h"
#include "data/value.h"
#include "lang/expr.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ekind {
    E_NUM,     /* num; type V_INT or V_NUMBER */
    E_STR,     /* text */
    E_DATE,    /* days */
    E_NAME,    /* text */
    E_FIELD,   /* text '.' text2: source.column (or report.title) */
    E_PARAM,   /* params.text */
    E_NEG,     /* -l */
    E_NOT,     /* not l */
    E_ARITH,   /* l steps[0] args[0] steps[1] args[1] ...: + - * / */
    E_AND,     /* l and args[0] and args[1] ... */
    E_OR,      /* l or args[0] or args[1] ... */
    E_CMP,     /* l op r: = != < <= > >= */
    E_IN,      /* l in [args] */
    E_BETWEEN, /* l between args[0] and args[1] */
    E_CALL,    /* fn(args [where where]) */
    E_FILTER,  /* l | flt:fargs */
};

/* Operators of E_ARITH steps and E_CMP nodes. */
enum op {
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_EQ,
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE
};

/* Functions of E_CALL nodes (names and arities in resolve.c). */
enum fn {
    F_COUNT,
    F_SUM,
    F_MEAN,
    F_MIN,
    F_MAX,
    F_SHARE,
    F_WMEAN,
    F_DISTINCT,
    F_FIRST,
    F_LAST, /* the aggregates end here */
    F_ROUND,
    F_ABS,
    F_COALESCE,
    F_IF,
    F_YEAR,
    F_MONTH,
    F_DAY,
    F_UPPER,
    F_LOWER,
};

/* Filters of E_FILTER nodes (names in resolve.c). */
enum flt {
    FL_NUMBER,
    FL_INTEGER,
    FL_PLAIN,
    FL_PERCENT,
    FL_MONEY,
    FL_DATE,
    FL_QUARTER,
    FL_MONTH,
    FL_UPPER,
    FL_LOWER,
    FL_DEFAULT,
};

struct table;

/* What the evaluator found a name (E_NAME, E_FIELD, E_PARAM) to be under
 * one cache (struct expr_cache, which promises that only the row changes
 * while it is in use), so that every row after the first reads the cell or
 * the value without looking the name up by its text. Kept only for a name
 * that was found; epoch 0 keeps nothing. */
struct expr_slot {
    uint64_t epoch;        /* the cache's epoch when it was kept */
    const struct table *t; /* the current row's table then (NULL: no row) */
    bool param;            /* a parameter: v; else the column col of t */
    size_t col;
    struct value v;
};

struct expr {
    enum ekind kind;
    int op; /* enum op, enum fn or enum flt */
    const char *file;
    unsigned line, col;
    double num;
    enum vtype numtype;
    int32_t days;
    const char *text, *text2;
    struct expr *l, *where;
    struct expr **args;
    size_t nargs;
    /* E_ARITH, E_AND, E_OR are chains: a flat `a + b - c` is one node with
     * l = a and args = {b, c}, so that no walk of the tree recurses once
     * per operand. steps[i] is the operator before args[i]: a node with
     * no children that carries its op and position (for messages). */
    struct expr **steps;
    unsigned depth; /* 1 for a leaf, else 1 + the deepest child */
    /* filters: the argument (a number, or a word such as "long", or the
     * text of default:) */
    int farg;         /* numeric argument; -1 when absent */
    const char *fstr; /* word or text argument, or NULL */
    /* Set by the parser once the tree is whole. rowdep: the value may
     * change with the current row (it holds a bare or dotted name outside
     * any aggregate; inside one, names see the aggregate's own rows).
     * hoist: not rowdep yet holding an aggregate, so an evaluation over
     * many rows computes it once (struct expr_cache). */
    bool rowdep, hoist;
    struct expr_slot *slot; /* name nodes only, else NULL */
};

/* Reports an error (EXIT_DATAERR) at e's position. */
void ast_error(struct diag *d, const struct expr *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The node of e's first character: binary nodes sit at their operator,
 * so this is their leftmost operand's. */
const struct expr *ast_start(const struct expr *e);

#endif
