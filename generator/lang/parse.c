/* parse: the parser of the expression language: tokens (lex) become a
 * positioned syntax tree (ast). Binary operators come from one table of
 * levels and associativity (binops) that drives one precedence-climbing
 * loop (parse_binary); primaries, calls, filters, `in` lists and
 * `between` have their own small functions. Function and filter names are
 * resolved here (resolve), so a tree only holds known ones. After
 * parsing, every node is marked with what depends on the current row.
 *
 * Depth is bounded twice, both by the expr_depth limit: the nesting the
 * parser walks through (the whole expression, each '(', function call,
 * `in [...]` list, unary '-' and `not`), which bounds the parser's own
 * recursion, and the depth of the tree it builds, which bounds the
 * recursion of the checker and the evaluator. A run of one chain level
 * (`a + b - c`, `x and y and z`) is parsed in a loop into one chain node,
 * so a long flat expression is wide, not deep. The length is bounded by
 * expr_length before anything is read. */
#include "lang/expr.h"

#include "base/limits.h"
#include "lang/ast.h"
#include "lang/lex.h"
#include "lang/resolve.h"

#include <stdint.h>
#include <string.h>

struct parser {
    struct arena *a;
    struct diag *d;
    const char *file;
    struct lex_token *toks;
    size_t i;
    unsigned depth, max_depth;
};

/* Levels of binding, loosest first. */
enum prec {
    PREC_OR = 1,
    PREC_AND,
    PREC_NOT,
    PREC_CMP,
    PREC_ADD,
    PREC_MUL,
    PREC_NEG,
    PREC_TIGHTEST = PREC_NEG
};

/* How operators of one level combine: CHAIN, any number in a row, as one
 * chain node evaluated from left to right (a - b - c is (a - b) - c);
 * SINGLE, one per level (a = b = c is a syntax error). */
enum assoc { CHAIN, SINGLE };

/* The binary operators (docs/templates.md, "Grammar and precedence").
 * `in` and `between` are comparisons whose right side has a form of its
 * own (a list; two bounds). */
static const struct binop {
    const char *text;
    bool word; /* a keyword, not an operator token */
    enum prec prec;
    enum assoc assoc;
    enum ekind kind;
    int op;
} binops[] = {
    {"or", true, PREC_OR, CHAIN, E_OR, 0},
    {"and", true, PREC_AND, CHAIN, E_AND, 0},
    {"=", false, PREC_CMP, SINGLE, E_CMP, OP_EQ},
    {"==", false, PREC_CMP, SINGLE, E_CMP, OP_EQ},
    {"!=", false, PREC_CMP, SINGLE, E_CMP, OP_NE},
    {"<", false, PREC_CMP, SINGLE, E_CMP, OP_LT},
    {"<=", false, PREC_CMP, SINGLE, E_CMP, OP_LE},
    {">", false, PREC_CMP, SINGLE, E_CMP, OP_GT},
    {">=", false, PREC_CMP, SINGLE, E_CMP, OP_GE},
    {"in", true, PREC_CMP, SINGLE, E_IN, 0},
    {"between", true, PREC_CMP, SINGLE, E_BETWEEN, 0},
    {"+", false, PREC_ADD, CHAIN, E_ARITH, OP_ADD},
    {"-", false, PREC_ADD, CHAIN, E_ARITH, OP_SUB},
    {"*", false, PREC_MUL, CHAIN, E_ARITH, OP_MUL},
    {"/", false, PREC_MUL, CHAIN, E_ARITH, OP_DIV},
};

/* The prefix operators: each binds its operand at its own level, so
 * `not a = b` is not (a = b) and `-a * b` is (-a) * b; a prefix operator
 * looser than the level being parsed is not one there (1 = not 2 is a
 * syntax error). */
static const struct prefix {
    const char *text;
    bool word;
    enum prec prec;
    enum ekind kind;
} prefixes[] = {
    {"not", true, PREC_NOT, E_NOT},
    {"-", false, PREC_NEG, E_NEG},
};

static const struct lex_token *peek(const struct parser *p)
{
    return &p->toks[p->i];
}

static bool keyword(const char *s)
{
    static const char *const kws[] = {"and", "or",      "not",
                                      "in",  "between", "where"};
    for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++)
        if (strcmp(s, kws[i]) == 0)
            return true;
    return false;
}

/* "'x'" or "el final de la expresión", for messages. */
static const char *tok_desc(struct parser *p, const struct lex_token *t)
{
    if (t->kind == LEX_END)
        return "el final de la expresión";
    return arena_printf(p->a, "'%.*s'", (int)t->len, t->s);
}

static void expected(struct parser *p, const char *what)
{
    const struct lex_token *t = peek(p);
    diag_error(p->d, p->file, t->line, t->col,
               "se esperaba %s y se encontró %s", what, tok_desc(p, t));
}

static struct expr *node(struct parser *p, enum ekind k,
                         const struct lex_token *t)
{
    struct expr *e = arena_alloc(p->a, sizeof *e);
    e->kind = k;
    e->file = p->file;
    e->line = t->line;
    e->col = t->col;
    e->farg = -1;
    e->depth = 1;
    return e;
}

static void too_deep(struct parser *p, unsigned line, unsigned col)
{
    limits_exceeded(p->d, LIMIT_EXPR_DEPTH, p->file, line, col,
                    "el anidamiento de la expresión");
}

/* Opens one level of nesting at token t; false after reporting when that
 * goes past the limit. Every successful enter is paired with a leave. */
static bool enter(struct parser *p, const struct lex_token *t)
{
    if (p->depth >= p->max_depth) {
        too_deep(p, t->line, t->col);
        return false;
    }
    p->depth++;
    return true;
}

static void leave(struct parser *p)
{
    p->depth--;
}

/* Records that child hangs below e; false after reporting when the tree
 * gets deeper than the limit (at e, the node that went too deep). */
static bool deeper(struct parser *p, struct expr *e, const struct expr *child)
{
    if (child->depth + 1 > e->depth)
        e->depth = child->depth + 1;
    if (e->depth > p->max_depth) {
        too_deep(p, e->line, e->col);
        return false;
    }
    return true;
}

static bool accept_op(struct parser *p, const char *op)
{
    if (lex_is_op(peek(p), op)) {
        p->i++;
        return true;
    }
    return false;
}

static bool expect_op(struct parser *p, const char *op)
{
    if (accept_op(p, op))
        return true;
    expected(p, arena_printf(p->a, "'%s'", op));
    return false;
}

static struct expr *parse_binary(struct parser *p, enum prec min);

static struct expr *parse_filters(struct parser *p, struct expr *e)
{
    while (e && lex_is_op(peek(p), "|")) {
        p->i++;
        const struct lex_token *t = peek(p);
        if (t->kind != LEX_NAME) {
            expected(p, "el nombre de un filtro");
            return NULL;
        }
        int k = resolve_filter(p->d, p->file, t->line, t->col, t->text);
        if (k < 0)
            return NULL;
        struct expr *f = node(p, E_FILTER, t);
        f->op = k;
        f->l = e;
        if (!deeper(p, f, e))
            return NULL;
        p->i++;
        if (accept_op(p, ":")) {
            const struct lex_token *a = peek(p);
            bool ok = false;
            switch ((enum flt)k) {
            case FL_NUMBER:
            case FL_PLAIN:
            case FL_PERCENT:
            case FL_MONEY:
                ok = a->kind == LEX_NUM && !a->decimal && a->num <= 10;
                if (ok)
                    f->farg = (int)a->num;
                else
                    expected(p, "un número de decimales (0 a 10)");
                break;
            case FL_DATE:
                ok = a->kind == LEX_NAME && (strcmp(a->text, "long") == 0 ||
                                             strcmp(a->text, "short") == 0 ||
                                             strcmp(a->text, "iso") == 0);
                if (ok)
                    f->fstr = a->text;
                else
                    expected(p, "'long', 'short' o 'iso'");
                break;
            case FL_QUARTER:
                ok = a->kind == LEX_NAME && (strcmp(a->text, "long") == 0 ||
                                             strcmp(a->text, "code") == 0);
                if (ok)
                    f->fstr = a->text;
                else
                    expected(p, "'long' o 'code'");
                break;
            case FL_DEFAULT:
                ok = a->kind == LEX_STR || a->kind == LEX_NUM;
                if (ok)
                    f->fstr = a->kind == LEX_STR
                                  ? a->text
                                  : arena_strndup(p->a, a->s, a->len);
                else
                    expected(p, "un texto entre comillas");
                break;
            default:
                diag_error(p->d, p->file, a->line, a->col,
                           "el filtro '%s' no lleva argumentos",
                           resolve_filter_name(k));
                break;
            }
            if (!ok)
                return NULL;
            p->i++;
        } else if (k == FL_DEFAULT) {
            expected(p, "':' y el texto del valor por defecto");
            return NULL;
        }
        e = f;
    }
    return e;
}

static struct expr *parse_expr(struct parser *p)
{
    return parse_filters(p, parse_binary(p, PREC_OR));
}

static struct expr *parse_call_args(struct parser *p,
                                    const struct lex_token *name)
{
    int k = resolve_function(p->d, p->file, name->line, name->col, name->text);
    if (k < 0)
        return NULL;
    const struct resolve_fn *fn = resolve_fn_info(k);
    struct expr *e = node(p, E_CALL, name);
    e->op = k;
    e->text = name->text;
    bool agg = k <= F_LAST;
    p->i += 2; /* the name and '(' */
    struct expr *args[64];
    size_t n = 0;
    if (!lex_is_op(peek(p), ")")) {
        for (;;) {
            if (agg && n == 0 && lex_is_word(peek(p), "where")) {
                /* count(where cond): the rows of the current group */
            } else {
                if (n == 64) {
                    expected(p, "')'");
                    return NULL;
                }
                struct expr *x = parse_expr(p);
                if (!x)
                    return NULL;
                args[n++] = x;
            }
            if (lex_is_word(peek(p), "where")) {
                const struct lex_token *w = peek(p);
                if (!agg || n > 1 || e->where) {
                    diag_error(p->d, p->file, w->line, w->col,
                               "'where' solo puede seguir al primer argumento "
                               "de una agregación");
                    return NULL;
                }
                p->i++;
                e->where = parse_binary(p, PREC_OR);
                if (!e->where)
                    return NULL;
            }
            if (!accept_op(p, ","))
                break;
        }
    }
    if (!expect_op(p, ")"))
        return NULL;
    if (n < fn->min || n > fn->max) {
        if (fn->min == fn->max)
            diag_error(p->d, p->file, name->line, name->col,
                       "'%s' espera %u argumento%s y recibió %zu", fn->name,
                       fn->min, fn->min == 1 ? "" : "s", n);
        else
            diag_error(p->d, p->file, name->line, name->col,
                       "'%s' espera de %u a %u argumentos y recibió %zu",
                       fn->name, fn->min, fn->max, n);
        return NULL;
    }
    e->nargs = n;
    e->args = arena_array(p->a, n ? n : 1, sizeof *e->args);
    memcpy(e->args, args, n * sizeof *args);
    for (size_t i = 0; i < n; i++)
        if (!deeper(p, e, args[i]))
            return NULL;
    if (e->where && !deeper(p, e, e->where))
        return NULL;
    return e;
}

/* A call is one level of nesting, at the function's name. */
static struct expr *parse_call(struct parser *p, const struct lex_token *name)
{
    if (!enter(p, name))
        return NULL;
    struct expr *e = parse_call_args(p, name);
    leave(p);
    return e;
}

static struct expr *parse_primary(struct parser *p)
{
    const struct lex_token *t = peek(p);
    struct expr *e;
    switch (t->kind) {
    case LEX_NUM:
        e = node(p, E_NUM, t);
        e->num = t->num;
        e->numtype = t->decimal ? V_NUMBER : V_INT;
        p->i++;
        return e;
    case LEX_STR:
        e = node(p, E_STR, t);
        e->text = t->text;
        p->i++;
        return e;
    case LEX_DATE:
        e = node(p, E_DATE, t);
        e->days = t->days;
        p->i++;
        return e;
    case LEX_NAME:
    case LEX_QNAME:
        if (t->kind == LEX_NAME && keyword(t->text))
            break;
        if (t->kind == LEX_NAME && lex_is_op(&p->toks[p->i + 1], "("))
            return parse_call(p, t);
        p->i++;
        if (accept_op(p, ".")) {
            const struct lex_token *c = peek(p);
            if ((c->kind != LEX_NAME && c->kind != LEX_QNAME) ||
                (c->kind == LEX_NAME && keyword(c->text))) {
                expected(p, "el nombre de una columna");
                return NULL;
            }
            p->i++;
            bool params = t->kind == LEX_NAME && strcmp(t->text, "params") == 0;
            e = node(p, params ? E_PARAM : E_FIELD, t);
            e->text = params ? c->text : t->text;
            e->text2 = params ? NULL : c->text;
            e->slot = arena_alloc(p->a, sizeof *e->slot);
            return e;
        }
        e = node(p, E_NAME, t);
        e->text = t->text;
        e->slot = arena_alloc(p->a, sizeof *e->slot);
        return e;
    case LEX_OP:
        if (lex_is_op(t, "(")) {
            if (!enter(p, t))
                return NULL;
            p->i++;
            e = parse_expr(p);
            leave(p);
            if (!e || !expect_op(p, ")"))
                return NULL;
            return e;
        }
        break;
    case LEX_END:
        break;
    }
    expected(p, "una expresión");
    return NULL;
}

static struct expr *binary(struct parser *p, enum ekind k, int op,
                           const struct lex_token *t, struct expr *l,
                           struct expr *r)
{
    if (!l || !r)
        return NULL;
    struct expr *e = node(p, k, t);
    e->op = op;
    e->l = l;
    e->args = arena_array(p->a, 1, sizeof *e->args);
    e->args[0] = r;
    e->nargs = 1;
    return deeper(p, e, l) && deeper(p, e, r) ? e : NULL;
}

/* A chain being built by the loop of parse_binary. */
struct chain {
    struct expr *e; /* NULL until the first operator */
    size_t cap_args, cap_steps;
    enum prec prec; /* the level of its operators */
};

/* Appends operand r, after operator token t, to the chain c (started on
 * the first call with first as its first operand; later calls pass the
 * chain itself). The chain node sits at its first operator, each step at
 * its own, where a too deep operand is reported. Returns the chain, or
 * NULL (r NULL, or too deep). */
static struct expr *chain_add(struct parser *p, struct chain *c, enum ekind k,
                              int op, const struct lex_token *t,
                              struct expr *first, struct expr *r)
{
    if (!first || !r)
        return NULL;
    if (r->depth >= p->max_depth) {
        too_deep(p, t->line, t->col);
        return NULL;
    }
    if (!c->e) {
        c->e = node(p, k, t);
        c->e->op = op;
        c->e->l = first;
        if (!deeper(p, c->e, first))
            return NULL;
    }
    struct expr *e = c->e;
    struct expr *step = node(p, k, t);
    step->op = op;
    e->args =
        arena_grow(p->a, e->args, &c->cap_args, e->nargs + 1, sizeof *e->args);
    e->steps = arena_grow(p->a, e->steps, &c->cap_steps, e->nargs + 1,
                          sizeof *e->steps);
    e->args[e->nargs] = r;
    e->steps[e->nargs] = step;
    e->nargs++;
    return deeper(p, e, r) ? e : NULL;
}

/* `l in [a, b, ...]` after the `in` at t (consumed): one level of
 * nesting. */
static struct expr *parse_in(struct parser *p, const struct lex_token *t,
                             struct expr *e)
{
    if (!enter(p, t))
        return NULL;
    struct expr *x = node(p, E_IN, t);
    x->l = e;
    bool ok = expect_op(p, "[") && deeper(p, x, e);
    size_t cap = 0;
    while (ok) {
        struct expr *it = parse_expr(p);
        if (!it || !deeper(p, x, it)) {
            ok = false;
            break;
        }
        x->args =
            arena_grow(p->a, x->args, &cap, x->nargs + 1, sizeof *x->args);
        x->args[x->nargs++] = it;
        if (!accept_op(p, ","))
            break;
    }
    leave(p);
    if (!ok || !expect_op(p, "]"))
        return NULL;
    return x;
}

/* `l between lo and hi` after the `between` at t (consumed). */
static struct expr *parse_between(struct parser *p, const struct lex_token *t,
                                  struct expr *e)
{
    struct expr *lo = parse_binary(p, PREC_ADD);
    if (!lo)
        return NULL;
    if (!lex_is_word(peek(p), "and")) {
        expected(p, "'and'");
        return NULL;
    }
    p->i++;
    struct expr *hi = parse_binary(p, PREC_ADD);
    if (!hi)
        return NULL;
    struct expr *x = node(p, E_BETWEEN, t);
    x->l = e;
    x->args = arena_array(p->a, 2, sizeof *x->args);
    x->args[0] = lo;
    x->args[1] = hi;
    x->nargs = 2;
    return deeper(p, x, e) && deeper(p, x, lo) && deeper(p, x, hi) ? x : NULL;
}

/* The operand of a binary operator at level min: a prefix operator that
 * binds at min or looser (its operand parsed at its own level, one level
 * of nesting), else a primary. What follows a prefix operator's operand
 * must bind looser than the operator (in `not a = b > c` the '>' is an
 * error; `-a * b` is (-a) * b), so it lowers *max below its own level. */
static struct expr *parse_operand(struct parser *p, enum prec min,
                                  enum prec *max)
{
    const struct lex_token *t = peek(p);
    for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++) {
        const struct prefix *u = &prefixes[k];
        if (u->prec < min ||
            !(u->word ? lex_is_word(t, u->text) : lex_is_op(t, u->text)))
            continue;
        if (!enter(p, t))
            return NULL;
        p->i++;
        struct expr *x = parse_binary(p, u->prec);
        leave(p);
        if (!x)
            return NULL;
        struct expr *e = node(p, u->kind, t);
        e->l = x;
        *max = u->prec - 1;
        return deeper(p, e, x) ? e : NULL;
    }
    return parse_primary(p);
}

/* The binary operator at t, or NULL. */
static const struct binop *binop_at(const struct lex_token *t)
{
    for (size_t k = 0; k < sizeof binops / sizeof binops[0]; k++) {
        const struct binop *b = &binops[k];
        if (b->word ? lex_is_word(t, b->text) : lex_is_op(t, b->text))
            return b;
    }
    return NULL;
}

/* Precedence climbing: an operand, then every binary operator of level
 * min or tighter, each taking as its right operand what binds tighter
 * than itself. Operators of one chain level extend one chain node; a
 * single operator closes its level (and every tighter one) for the rest
 * of the loop, so `a = b = c` stops at the second '='. The recursion
 * goes one call deeper per level, never per operand. */
static struct expr *parse_binary(struct parser *p, enum prec min)
{
    enum prec max = PREC_TIGHTEST; /* levels still open */
    struct expr *e = parse_operand(p, min, &max);
    struct chain c = {0};
    while (e) {
        const struct lex_token *t = peek(p);
        const struct binop *b = binop_at(t);
        if (!b || b->prec < min || b->prec > max)
            break;
        p->i++;
        if (b->assoc == CHAIN) {
            if (c.e && c.prec != b->prec)
                c = (struct chain){0};
            c.prec = b->prec;
            e = chain_add(p, &c, b->kind, b->op, t, e,
                          parse_binary(p, b->prec + 1));
            max = b->prec;
            continue;
        }
        max = b->prec - 1;
        if (b->kind == E_IN)
            e = parse_in(p, t, e);
        else if (b->kind == E_BETWEEN)
            e = parse_between(p, t, e);
        else
            e = binary(p, b->kind, b->op, t, e, parse_binary(p, b->prec + 1));
    }
    return e;
}

/* Marks rowdep and hoist on every node; returns whether e holds an
 * aggregate. Names are judged by their form alone (a bare or dotted name
 * may be a column of the row), so that no scope is needed: a parameter
 * written bare only costs its look-up on every row. An aggregate never
 * depends on the row around it: its argument and its where see the rows
 * it runs over, never the outer row (the evaluator replaces row_table),
 * and the rows it runs over (a source, the group, the whole row table)
 * are the same for every row of one evaluation. The recursion is bounded
 * by expr_depth, as every walk of the tree. */
static bool mark_rows(struct expr *e)
{
    bool dep = false, agg = false;
    switch (e->kind) {
    case E_NUM:
    case E_STR:
    case E_DATE:
    case E_PARAM:
        break;
    case E_NAME:
    case E_FIELD:
        dep = true;
        break;
    default:
        if (e->l) {
            agg = mark_rows(e->l) || agg;
            dep = dep || e->l->rowdep;
        }
        if (e->where) {
            agg = mark_rows(e->where) || agg;
            dep = dep || e->where->rowdep;
        }
        for (size_t i = 0; i < e->nargs; i++) {
            agg = mark_rows(e->args[i]) || agg;
            dep = dep || e->args[i]->rowdep;
        }
        if (e->kind == E_CALL && e->op <= F_LAST) {
            dep = false;
            agg = true;
        }
        break;
    }
    e->rowdep = dep;
    e->hoist = !dep && agg;
    return agg;
}

static struct expr *parse_at(struct arena *a, struct diag *d, const char *src,
                             size_t len, const char *file, unsigned line,
                             unsigned col, const struct expr_at *at)
{
    if ((uint64_t)len > (uint64_t)limit(LIMIT_EXPR_LENGTH)) {
        if (at)
            at->pos(at->ctx, at->base, &line, &col);
        limits_exceeded(d, LIMIT_EXPR_LENGTH, file, line, col,
                        arena_printf(a, "la expresión (%zu bytes)", len));
        return NULL;
    }
    size_t ntoks;
    struct lex_token *toks =
        lex_tokens(a, d, src, len, file, line, col, at, &ntoks);
    if (!toks)
        return NULL;
    /* The limit's table caps expr_depth far below UINT_MAX. */
    struct parser p = {.a = a,
                       .d = d,
                       .file = file,
                       .toks = toks,
                       .max_depth = (unsigned)limit(LIMIT_EXPR_DEPTH)};
    if (p.toks[0].kind == LEX_END) {
        if (at)
            at->pos(at->ctx, at->base, &line, &col);
        diag_error(d, file, line, col, "expresión vacía");
        return NULL;
    }
    if (!enter(&p, &p.toks[0]))
        return NULL;
    struct expr *e = parse_expr(&p);
    leave(&p);
    if (e && peek(&p)->kind != LEX_END) {
        const struct lex_token *t = peek(&p);
        diag_error(d, file, t->line, t->col,
                   "se esperaba un operador o el final de la expresión y se "
                   "encontró %s",
                   tok_desc(&p, t));
        return NULL;
    }
    if (e)
        mark_rows(e);
    return e;
}

struct expr *expr_parse(struct arena *a, struct diag *d, const char *src,
                        size_t len, const char *file, unsigned line,
                        unsigned col)
{
    return parse_at(a, d, src, len, file, line, col, NULL);
}

struct expr *expr_parse_at(struct arena *a, struct diag *d, const char *src,
                           size_t len, const struct expr_at *at)
{
    return parse_at(a, d, src, len, at->file, 0, 0, at);
}
