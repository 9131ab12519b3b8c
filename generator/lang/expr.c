/* expr: tokenizer, recursive-descent parser, static checker and evaluator
 * of the template expression language (docs/templates.md). */
#include "lang/expr.h"
#include "data/suggest.h"

#include "data/fmt.h"
#include "base/limits.h"
#include "data/collate.h"
#include "base/utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * Syntax tree */

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
static const char *const op_text[] = {"+",  "-", "*",  "/", "=",
                                      "!=", "<", "<=", ">", ">="};

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

static const struct fninfo {
    const char *name;
    unsigned min, max;
} fns[] = {
    [F_COUNT] = {"count", 0, 1},
    [F_SUM] = {"sum", 1, 1},
    [F_MEAN] = {"mean", 1, 1},
    [F_MIN] = {"min", 1, 1},
    [F_MAX] = {"max", 1, 1},
    [F_SHARE] = {"share", 1, 1},
    [F_WMEAN] = {"wmean", 2, 2},
    [F_DISTINCT] = {"distinct", 1, 1},
    [F_FIRST] = {"first", 1, 1},
    [F_LAST] = {"last", 1, 1},
    [F_ROUND] = {"round", 1, 2},
    [F_ABS] = {"abs", 1, 1},
    [F_COALESCE] = {"coalesce", 1, 64},
    [F_IF] = {"if", 3, 3},
    [F_YEAR] = {"year", 1, 1},
    [F_MONTH] = {"month", 1, 1},
    [F_DAY] = {"day", 1, 1},
    [F_UPPER] = {"upper", 1, 1},
    [F_LOWER] = {"lower", 1, 1},
};
#define NFNS (sizeof fns / sizeof fns[0])

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
static const char *const flt_names[] = {
    "number",  "integer", "plain", "percent", "money",   "date",
    "quarter", "month",   "upper", "lower",   "default",
};
#define NFLTS (sizeof flt_names / sizeof flt_names[0])

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
    /* Set by mark_rows after parsing. rowdep: the value may change with
     * the current row (it holds a bare or dotted name outside any
     * aggregate; inside one, names see the aggregate's own rows). hoist:
     * not rowdep yet holding an aggregate, so an evaluation over many
     * rows computes it once (struct expr_cache). */
    bool rowdep, hoist;
};

/* ---------------------------------------------------------------------
 * Small helpers */

static void err_at(struct diag *d, const struct expr *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void err_at(struct diag *d, const struct expr *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(d, EXIT_DATAERR, e->file, e->line, e->col, fmt, ap);
    va_end(ap);
}

static void unknown_column(struct diag *d, const struct expr *e,
                           const struct table *t, const char *name)
{
    const char *s = suggest_column(t, name);
    const char *tn = t && t->name ? t->name : "";
    if (s)
        err_at(d, e, "columna desconocida '%s' en '%s'; ¿quiso decir '%s'?",
               name, tn, s);
    else
        err_at(d, e, "columna desconocida '%s' en '%s'", name, tn);
}

static struct value v_missing(void)
{
    struct value v = {.type = V_MISSING};
    return v;
}

static struct value v_num(enum vtype t, double x)
{
    struct value v = {.type = t, .num = x};
    if (!isfinite(x))
        v.type = V_MISSING;
    return v;
}

static struct value v_bool(bool b)
{
    struct value v = {.type = V_BOOL, .num = b ? 1 : 0};
    return v;
}

static struct value v_text(const char *s)
{
    struct value v = {.type = V_TEXT, .text = s};
    return v;
}

static struct value v_date(int32_t days)
{
    struct value v = {.type = V_DATE, .days = days};
    return v;
}

static bool is_num(enum vtype t)
{
    return t == V_INT || t == V_NUMBER || t == V_PERCENT || t == V_MONEY;
}

/* ---------------------------------------------------------------------
 * Tokenizer */

enum tkind { T_END, T_NUM, T_STR, T_DATE, T_NAME, T_QNAME, T_OP };

struct token {
    enum tkind kind;
    const char *s; /* source text */
    size_t len;
    unsigned line, col;
    double num;
    bool decimal;
    int32_t days;
    const char *text; /* T_STR, T_NAME, T_QNAME: NUL-terminated, unescaped */
};

struct lexer {
    struct arena *a;
    struct diag *d;
    const char *src, *file;
    size_t len, i;
    unsigned line, col;
    const struct expr_at *at; /* positions through at, or line/col */
    struct token *toks;
    size_t n, cap;
};

static void lx_advance(struct lexer *lx)
{
    unsigned char c = (unsigned char)lx->src[lx->i++];
    if (c == '\n') {
        lx->line++;
        lx->col = 1;
    } else if ((c & 0xC0) != 0x80) {
        lx->col++;
    }
}

static bool name_char(unsigned char c, bool first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c >= 0x80 || (!first && c >= '0' && c <= '9');
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

static void lx_error(struct lexer *lx, unsigned line, unsigned col,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void lx_error(struct lexer *lx, unsigned line, unsigned col,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(lx->d, EXIT_DATAERR, lx->file, line, col, fmt, ap);
    va_end(ap);
}

/* A literal date: exactly dddd-dd-dd not followed by a name character. */
static bool date_shape(const char *s, size_t n)
{
    static const char shape[] = "dddd-dd-dd";
    if (n < 10)
        return false;
    for (size_t i = 0; i < 10; i++)
        if (shape[i] == 'd' ? !digit(s[i]) : s[i] != '-')
            return false;
    return n == 10 || !name_char((unsigned char)s[10], false);
}

static bool lex(struct lexer *lx)
{
    for (;;) {
        while (lx->i < lx->len && strchr(" \t\r\n", lx->src[lx->i]) &&
               lx->src[lx->i] != '\0')
            lx_advance(lx);
        lx->toks =
            arena_grow(lx->a, lx->toks, &lx->cap, lx->n + 1, sizeof *lx->toks);
        struct token *t = &lx->toks[lx->n];
        memset(t, 0, sizeof *t);
        t->s = lx->src + lx->i;
        t->line = lx->line;
        t->col = lx->col;
        if (lx->at)
            lx->at->pos(lx->at->ctx, lx->at->base + lx->i, &t->line, &t->col);
        if (lx->i >= lx->len) {
            t->kind = T_END;
            lx->n++;
            return true;
        }
        const char *s = lx->src + lx->i;
        size_t rest = lx->len - lx->i;
        unsigned char c = (unsigned char)*s;
        size_t start = lx->i;
        if (digit((char)c)) {
            if (date_shape(s, rest)) {
                int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
                        (s[2] - '0') * 10 + (s[3] - '0');
                unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
                unsigned dd = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
                if (!date_valid(y, m, dd)) {
                    lx_error(lx, t->line, t->col, "fecha inválida '%.10s'", s);
                    return false;
                }
                t->kind = T_DATE;
                t->days = date_from_ymd(y, m, dd);
                for (int k = 0; k < 10; k++)
                    lx_advance(lx);
            } else {
                /* Digits are accumulated exactly and divided once by a
                 * power of ten: correctly rounded for up to 15 digits,
                 * with no locale involved. */
                double mant = 0;
                int frac = 0;
                while (lx->i < lx->len && digit(lx->src[lx->i])) {
                    mant = mant * 10 + (lx->src[lx->i] - '0');
                    lx_advance(lx);
                }
                if (lx->i + 1 < lx->len && lx->src[lx->i] == '.' &&
                    digit(lx->src[lx->i + 1])) {
                    t->decimal = true;
                    lx_advance(lx);
                    while (lx->i < lx->len && digit(lx->src[lx->i])) {
                        mant = mant * 10 + (lx->src[lx->i] - '0');
                        frac++;
                        lx_advance(lx);
                    }
                }
                t->kind = T_NUM;
                t->num = frac ? mant / pow(10, frac) : mant;
            }
        } else if (c == '"' || c == '\'') {
            struct buf b;
            buf_init(&b);
            lx_advance(lx);
            bool closed = false;
            while (lx->i < lx->len) {
                char ch = lx->src[lx->i];
                if (ch == (char)c) {
                    lx_advance(lx);
                    closed = true;
                    break;
                }
                if (ch == '\\' && lx->i + 1 < lx->len) {
                    lx_advance(lx);
                    ch = lx->src[lx->i];
                }
                buf_addc(&b, ch);
                lx_advance(lx);
            }
            if (!closed) {
                buf_release(&b);
                lx_error(lx, t->line, t->col,
                         "falta la comilla que cierra el texto");
                return false;
            }
            t->kind = T_STR;
            t->text = arena_strndup(lx->a, b.data, b.len);
            buf_release(&b);
        } else if (c == '`') {
            lx_advance(lx);
            size_t from = lx->i;
            while (lx->i < lx->len && lx->src[lx->i] != '`')
                lx_advance(lx);
            if (lx->i >= lx->len) {
                lx_error(lx, t->line, t->col,
                         "falta la comilla invertida que cierra el nombre");
                return false;
            }
            t->kind = T_QNAME;
            t->text = arena_strndup(lx->a, lx->src + from, lx->i - from);
            lx_advance(lx);
        } else if (name_char(c, true)) {
            while (lx->i < lx->len &&
                   name_char((unsigned char)lx->src[lx->i], false))
                lx_advance(lx);
            t->kind = T_NAME;
            t->text = arena_strndup(lx->a, s, lx->i - start);
        } else {
            static const char *const ops[] = {
                "!=", "<=", ">=", "==", "(", ")", "[", "]", ",", ".",
                "|",  ":",  "+",  "-",  "*", "/", "=", "<", ">",
            };
            size_t k = 0;
            for (; k < sizeof ops / sizeof ops[0]; k++) {
                size_t ol = strlen(ops[k]);
                if (ol <= rest && memcmp(s, ops[k], ol) == 0)
                    break;
            }
            if (k == sizeof ops / sizeof ops[0]) {
                size_t cl;
                utf8_decode(s, rest, &cl);
                lx_error(lx, t->line, t->col, "carácter inesperado '%.*s'",
                         (int)cl, s);
                return false;
            }
            size_t ol = strlen(ops[k]);
            for (size_t m = 0; m < ol; m++)
                lx_advance(lx);
            t->kind = T_OP;
        }
        t->len = lx->i - start;
        lx->n++;
    }
}

/* ---------------------------------------------------------------------
 * Parser */

/* Depth is bounded twice, both by the expr_depth limit: the nesting the
 * parser walks through (the whole expression, each '(', function call,
 * `in [...]` list, unary '-' and `not`), which bounds the parser's own
 * recursion, and the depth of the tree it builds, which bounds the
 * recursion of the checker and the evaluator. Runs of one binary operator
 * level (`a + b - c`, `x and y and z`) are parsed in a loop into one chain
 * node, so a long flat expression is wide, not deep. */
struct parser {
    struct arena *a;
    struct diag *d;
    const char *file;
    struct token *toks;
    size_t i;
    unsigned depth, max_depth;
};

static const struct token *peek(const struct parser *p)
{
    return &p->toks[p->i];
}

static bool is_op(const struct token *t, const char *op)
{
    return t->kind == T_OP && t->len == strlen(op) &&
           memcmp(t->s, op, t->len) == 0;
}

static bool is_kw(const struct token *t, const char *kw)
{
    return t->kind == T_NAME && strcmp(t->text, kw) == 0;
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
static const char *tok_desc(struct parser *p, const struct token *t)
{
    if (t->kind == T_END)
        return "el final de la expresión";
    return arena_printf(p->a, "'%.*s'", (int)t->len, t->s);
}

static void expected(struct parser *p, const char *what)
{
    const struct token *t = peek(p);
    diag_error(p->d, p->file, t->line, t->col,
               "se esperaba %s y se encontró %s", what, tok_desc(p, t));
}

static struct expr *node(struct parser *p, enum ekind k, const struct token *t)
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
static bool enter(struct parser *p, const struct token *t)
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
    if (is_op(peek(p), op)) {
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

static struct expr *parse_or(struct parser *p);
static struct expr *parse_add(struct parser *p);

static struct expr *parse_filters(struct parser *p, struct expr *e)
{
    while (e && is_op(peek(p), "|")) {
        p->i++;
        const struct token *t = peek(p);
        if (t->kind != T_NAME) {
            expected(p, "el nombre de un filtro");
            return NULL;
        }
        size_t k = 0;
        while (k < NFLTS && strcmp(flt_names[k], t->text) != 0)
            k++;
        if (k == NFLTS) {
            const char *s = suggest_closest(t->text, flt_names, NFLTS);
            if (s)
                diag_error(p->d, p->file, t->line, t->col,
                           "filtro desconocido '%s'; ¿quiso decir '%s'?",
                           t->text, s);
            else
                diag_error(p->d, p->file, t->line, t->col,
                           "filtro desconocido '%s'", t->text);
            return NULL;
        }
        struct expr *f = node(p, E_FILTER, t);
        f->op = (int)k;
        f->l = e;
        if (!deeper(p, f, e))
            return NULL;
        p->i++;
        if (accept_op(p, ":")) {
            const struct token *a = peek(p);
            bool ok = false;
            switch ((enum flt)k) {
            case FL_NUMBER:
            case FL_PLAIN:
            case FL_PERCENT:
            case FL_MONEY:
                ok = a->kind == T_NUM && !a->decimal && a->num <= 10;
                if (ok)
                    f->farg = (int)a->num;
                else
                    expected(p, "un número de decimales (0 a 10)");
                break;
            case FL_DATE:
                ok = a->kind == T_NAME && (strcmp(a->text, "long") == 0 ||
                                           strcmp(a->text, "short") == 0 ||
                                           strcmp(a->text, "iso") == 0);
                if (ok)
                    f->fstr = a->text;
                else
                    expected(p, "'long', 'short' o 'iso'");
                break;
            case FL_QUARTER:
                ok = a->kind == T_NAME && (strcmp(a->text, "long") == 0 ||
                                           strcmp(a->text, "code") == 0);
                if (ok)
                    f->fstr = a->text;
                else
                    expected(p, "'long' o 'code'");
                break;
            case FL_DEFAULT:
                ok = a->kind == T_STR || a->kind == T_NUM;
                if (ok)
                    f->fstr = a->kind == T_STR
                                  ? a->text
                                  : arena_strndup(p->a, a->s, a->len);
                else
                    expected(p, "un texto entre comillas");
                break;
            default:
                diag_error(p->d, p->file, a->line, a->col,
                           "el filtro '%s' no lleva argumentos", flt_names[k]);
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
    return parse_filters(p, parse_or(p));
}

static struct expr *parse_call_args(struct parser *p, const struct token *name)
{
    size_t k = 0;
    while (k < NFNS && strcmp(fns[k].name, name->text) != 0)
        k++;
    if (k == NFNS) {
        const char *names[NFNS];
        for (size_t j = 0; j < NFNS; j++)
            names[j] = fns[j].name;
        const char *s = suggest_closest(name->text, names, NFNS);
        if (s)
            diag_error(p->d, p->file, name->line, name->col,
                       "función desconocida '%s'; ¿quiso decir '%s'?",
                       name->text, s);
        else
            diag_error(p->d, p->file, name->line, name->col,
                       "función desconocida '%s'", name->text);
        return NULL;
    }
    struct expr *e = node(p, E_CALL, name);
    e->op = (int)k;
    e->text = name->text;
    bool agg = k <= F_LAST;
    p->i += 2; /* the name and '(' */
    struct expr *args[64];
    size_t n = 0;
    if (!is_op(peek(p), ")")) {
        for (;;) {
            if (agg && n == 0 && is_kw(peek(p), "where")) {
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
            if (is_kw(peek(p), "where")) {
                const struct token *w = peek(p);
                if (!agg || n > 1 || e->where) {
                    diag_error(p->d, p->file, w->line, w->col,
                               "'where' solo puede seguir al primer argumento "
                               "de una agregación");
                    return NULL;
                }
                p->i++;
                e->where = parse_or(p);
                if (!e->where)
                    return NULL;
            }
            if (!accept_op(p, ","))
                break;
        }
    }
    if (!expect_op(p, ")"))
        return NULL;
    if (n < fns[k].min || n > fns[k].max) {
        if (fns[k].min == fns[k].max)
            diag_error(p->d, p->file, name->line, name->col,
                       "'%s' espera %u argumento%s y recibió %zu", fns[k].name,
                       fns[k].min, fns[k].min == 1 ? "" : "s", n);
        else
            diag_error(p->d, p->file, name->line, name->col,
                       "'%s' espera de %u a %u argumentos y recibió %zu",
                       fns[k].name, fns[k].min, fns[k].max, n);
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
static struct expr *parse_call(struct parser *p, const struct token *name)
{
    if (!enter(p, name))
        return NULL;
    struct expr *e = parse_call_args(p, name);
    leave(p);
    return e;
}

static struct expr *parse_primary(struct parser *p)
{
    const struct token *t = peek(p);
    struct expr *e;
    switch (t->kind) {
    case T_NUM:
        e = node(p, E_NUM, t);
        e->num = t->num;
        e->numtype = t->decimal ? V_NUMBER : V_INT;
        p->i++;
        return e;
    case T_STR:
        e = node(p, E_STR, t);
        e->text = t->text;
        p->i++;
        return e;
    case T_DATE:
        e = node(p, E_DATE, t);
        e->days = t->days;
        p->i++;
        return e;
    case T_NAME:
    case T_QNAME:
        if (t->kind == T_NAME && keyword(t->text))
            break;
        if (t->kind == T_NAME && is_op(&p->toks[p->i + 1], "("))
            return parse_call(p, t);
        p->i++;
        if (accept_op(p, ".")) {
            const struct token *c = peek(p);
            if ((c->kind != T_NAME && c->kind != T_QNAME) ||
                (c->kind == T_NAME && keyword(c->text))) {
                expected(p, "el nombre de una columna");
                return NULL;
            }
            p->i++;
            bool params = t->kind == T_NAME && strcmp(t->text, "params") == 0;
            e = node(p, params ? E_PARAM : E_FIELD, t);
            e->text = params ? c->text : t->text;
            e->text2 = params ? NULL : c->text;
            return e;
        }
        e = node(p, E_NAME, t);
        e->text = t->text;
        return e;
    case T_OP:
        if (is_op(t, "(")) {
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
    case T_END:
        break;
    }
    expected(p, "una expresión");
    return NULL;
}

static struct expr *parse_unary(struct parser *p)
{
    const struct token *t = peek(p);
    if (is_op(t, "-")) {
        if (!enter(p, t))
            return NULL;
        p->i++;
        struct expr *x = parse_unary(p);
        leave(p);
        if (!x)
            return NULL;
        struct expr *e = node(p, E_NEG, t);
        e->l = x;
        return deeper(p, e, x) ? e : NULL;
    }
    return parse_primary(p);
}

static struct expr *binary(struct parser *p, enum ekind k, int op,
                           const struct token *t, struct expr *l,
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

/* A chain being built by one operator level's loop. */
struct chain {
    struct expr *e; /* NULL until the first operator */
    size_t cap_args, cap_steps;
};

/* Appends operand r, after operator token t, to the chain c (started on
 * the first call with first as its first operand; later calls pass the
 * chain itself). The chain node sits at its first operator, each step at
 * its own, where a too deep operand is reported. Returns the chain, or
 * NULL (r NULL, or too deep). */
static struct expr *chain_add(struct parser *p, struct chain *c, enum ekind k,
                              int op, const struct token *t, struct expr *first,
                              struct expr *r)
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

static struct expr *parse_mul(struct parser *p)
{
    struct expr *e = parse_unary(p);
    struct chain c = {0};
    while (e) {
        const struct token *t = peek(p);
        int op = is_op(t, "*") ? OP_MUL : is_op(t, "/") ? OP_DIV : -1;
        if (op < 0)
            break;
        p->i++;
        e = chain_add(p, &c, E_ARITH, op, t, e, parse_unary(p));
    }
    return e;
}

static struct expr *parse_add(struct parser *p)
{
    struct expr *e = parse_mul(p);
    struct chain c = {0};
    while (e) {
        const struct token *t = peek(p);
        int op = is_op(t, "+") ? OP_ADD : is_op(t, "-") ? OP_SUB : -1;
        if (op < 0)
            break;
        p->i++;
        e = chain_add(p, &c, E_ARITH, op, t, e, parse_mul(p));
    }
    return e;
}

static struct expr *parse_cmp(struct parser *p)
{
    struct expr *e = parse_add(p);
    if (!e)
        return NULL;
    const struct token *t = peek(p);
    static const struct {
        const char *s;
        enum op op;
    } cmps[] = {{"=", OP_EQ},  {"==", OP_EQ}, {"!=", OP_NE}, {"<", OP_LT},
                {"<=", OP_LE}, {">", OP_GT},  {">=", OP_GE}};
    for (size_t k = 0; k < sizeof cmps / sizeof cmps[0]; k++) {
        if (is_op(t, cmps[k].s)) {
            p->i++;
            return binary(p, E_CMP, (int)cmps[k].op, t, e, parse_add(p));
        }
    }
    if (is_kw(t, "in")) {
        if (!enter(p, t))
            return NULL;
        p->i++;
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
    if (is_kw(t, "between")) {
        p->i++;
        struct expr *lo = parse_add(p);
        if (!lo)
            return NULL;
        if (!is_kw(peek(p), "and")) {
            expected(p, "'and'");
            return NULL;
        }
        p->i++;
        struct expr *hi = parse_add(p);
        if (!hi)
            return NULL;
        struct expr *x = node(p, E_BETWEEN, t);
        x->l = e;
        x->args = arena_array(p->a, 2, sizeof *x->args);
        x->args[0] = lo;
        x->args[1] = hi;
        x->nargs = 2;
        return deeper(p, x, e) && deeper(p, x, lo) && deeper(p, x, hi) ? x
                                                                       : NULL;
    }
    return e;
}

static struct expr *parse_not(struct parser *p)
{
    const struct token *t = peek(p);
    if (is_kw(t, "not")) {
        if (!enter(p, t))
            return NULL;
        p->i++;
        struct expr *x = parse_not(p);
        leave(p);
        if (!x)
            return NULL;
        struct expr *e = node(p, E_NOT, t);
        e->l = x;
        return deeper(p, e, x) ? e : NULL;
    }
    return parse_cmp(p);
}

static struct expr *parse_and(struct parser *p)
{
    struct expr *e = parse_not(p);
    struct chain c = {0};
    while (e && is_kw(peek(p), "and")) {
        const struct token *t = peek(p);
        p->i++;
        e = chain_add(p, &c, E_AND, 0, t, e, parse_not(p));
    }
    return e;
}

static struct expr *parse_or(struct parser *p)
{
    struct expr *e = parse_and(p);
    struct chain c = {0};
    while (e && is_kw(peek(p), "or")) {
        const struct token *t = peek(p);
        p->i++;
        e = chain_add(p, &c, E_OR, 0, t, e, parse_and(p));
    }
    return e;
}

/* Marks rowdep and hoist on every node; returns whether e holds an
 * aggregate. Names are judged by their form alone (a bare or dotted name
 * may be a column of the row), so that no scope is needed: a parameter
 * written bare only costs its look-up on every row. An aggregate never
 * depends on the row around it: its argument and its where see the rows
 * it runs over, never the outer row (eval_aggregate replaces row_table),
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
    struct lexer lx = {.a = a,
                       .d = d,
                       .src = src,
                       .file = file,
                       .len = len,
                       .line = line,
                       .col = col,
                       .at = at};
    if (!lex(&lx))
        return NULL;
    /* The limit's table caps expr_depth far below UINT_MAX. */
    struct parser p = {.a = a,
                       .d = d,
                       .file = file,
                       .toks = lx.toks,
                       .max_depth = (unsigned)limit(LIMIT_EXPR_DEPTH)};
    if (p.toks[0].kind == T_END) {
        if (at)
            at->pos(at->ctx, at->base, &line, &col);
        diag_error(d, file, line, col, "expresión vacía");
        return NULL;
    }
    if (!enter(&p, &p.toks[0]))
        return NULL;
    struct expr *e = parse_expr(&p);
    leave(&p);
    if (e && peek(&p)->kind != T_END) {
        const struct token *t = peek(&p);
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

/* ---------------------------------------------------------------------
 * Evaluation */

static bool eval(const struct expr *e, const struct expr_env *env,
                 struct diag *d, struct value *out);

struct cache_item {
    const struct expr *e;
    struct value v;
};

struct expr_cache {
    struct arena *a;
    struct cache_item *v; /* a handful: the hoisted nodes of a loop */
    size_t n, cap;
    uint64_t own;   /* rows visited, when this cache is the outermost */
    uint64_t *work; /* the counter charged: own, or the outer cache's */
};

struct expr_cache *expr_cache_new(struct arena *a)
{
    struct expr_cache *c = arena_alloc(a, sizeof *c);
    c->a = a;
    c->work = &c->own;
    return c;
}

void expr_cache_reset(struct expr_cache *c)
{
    c->n = 0;
}

uint64_t expr_cache_work(const struct expr_cache *c)
{
    return *c->work;
}

static unsigned row_line(const struct expr_env *env)
{
    const struct table *t = env->row_table;
    if (!t || t->ncols == 0 || env->row >= t->nrows)
        return 0;
    return table_cell(t, env->row, 0)->line;
}

static const struct table *find_source(const struct expr_env *env,
                                       const char *name)
{
    return env->source ? env->source(env->ctx, name) : NULL;
}

static bool same_table(const struct table *a, const struct table *b)
{
    return a && b &&
           (a == b || (a->name && b->name && strcmp(a->name, b->name) == 0));
}

static bool eval_name(const struct expr *e, const struct expr_env *env,
                      struct diag *d, struct value *out)
{
    const struct table *rt = env->row_table;
    if (rt && env->row < rt->nrows) {
        long c = table_find_column(rt, e->text);
        if (c >= 0) {
            *out = table_cell(rt, env->row, (size_t)c)->v;
            return true;
        }
    }
    if (env->param && env->param(env->ctx, e->text, out))
        return true;
    if (strcmp(e->text, "hoy") == 0) {
        *out = v_date(env->today);
        return true;
    }
    if (env->keep_page &&
        (strcmp(e->text, "page") == 0 || strcmp(e->text, "pages") == 0)) {
        *out = v_text(strcmp(e->text, "page") == 0 ? "{page}" : "{pages}");
        return true;
    }
    const char *s = suggest_column(rt, e->text);
    if (s)
        err_at(d, e, "nombre desconocido '%s'; ¿quiso decir '%s'?", e->text, s);
    else
        err_at(d, e, "nombre desconocido '%s'", e->text);
    return false;
}

static bool eval_field(const struct expr *e, const struct expr_env *env,
                       struct diag *d, struct value *out)
{
    const struct table *rt = env->row_table;
    const struct table *src = find_source(env, e->text);
    if (src && same_table(src, rt) && env->row < rt->nrows) {
        long c = table_find_column(rt, e->text2);
        if (c < 0) {
            unknown_column(d, e, rt, e->text2);
            return false;
        }
        *out = table_cell(rt, env->row, (size_t)c)->v;
        return true;
    }
    if (src) {
        if (table_find_column(src, e->text2) < 0) {
            unknown_column(d, e, src, e->text2);
            return false;
        }
        err_at(d, e,
               "'%s.%s' fuera de una agregación: use por ejemplo "
               "sum(%s.%s) o first(%s.%s)",
               e->text, e->text2, e->text, e->text2, e->text, e->text2);
        return false;
    }
    /* report.title and other dotted names belong to the caller. */
    const char *full = arena_printf(env->a, "%s.%s", e->text, e->text2);
    if (env->param && env->param(env->ctx, full, out))
        return true;
    err_at(d, e, "fuente de datos desconocida '%s'", e->text);
    return false;
}

/* Ordering of two present values: -1, 0, 1; 2 if they cannot be compared. */
static int compare(const struct value *a, const struct value *b)
{
    return collate_comparable(a->type, b->type) ? collate_values(a, b) : 2;
}

static bool missing_like(const struct value *v)
{
    return v->type == V_MISSING || (v->type == V_TEXT && v->text[0] == '\0');
}

/* Applies a comparison; *res is the truth. false after a type error. */
static bool cmp_values(const struct expr *at, int op, const struct value *a,
                       const struct value *b, struct diag *d, bool *res)
{
    /* = "" and != "" ask whether a cell is empty, whatever its type. */
    bool eqop = op == OP_EQ || op == OP_NE;
    if (a->type == V_MISSING || b->type == V_MISSING ||
        (eqop && (missing_like(a) || missing_like(b)))) {
        bool eq = missing_like(a) && missing_like(b);
        *res = op == OP_EQ ? eq : op == OP_NE ? !eq : false;
        return true;
    }
    int c;
    if ((op == OP_EQ || op == OP_NE) && a->type == V_TEXT && b->type == V_TEXT)
        c = strcmp(a->text, b->text) != 0;
    else
        c = compare(a, b);
    if (c == 2) {
        err_at(d, at, "no se puede comparar %s con %s",
               value_type_name(a->type), value_type_name(b->type));
        return false;
    }
    switch (op) {
    case OP_EQ:
        *res = c == 0;
        break;
    case OP_NE:
        *res = c != 0;
        break;
    case OP_LT:
        *res = c < 0;
        break;
    case OP_LE:
        *res = c <= 0;
        break;
    case OP_GT:
        *res = c > 0;
        break;
    default:
        *res = c >= 0;
        break;
    }
    return true;
}

/* Result type of a numeric operation (see expr.h). */
static enum vtype arith_type(int op, enum vtype a, enum vtype b)
{
    switch (op) {
    case OP_ADD:
    case OP_SUB:
        if (a == V_INT && b == V_INT)
            return V_INT;
        if ((a == V_MONEY && b != V_PERCENT) ||
            (b == V_MONEY && a != V_PERCENT))
            return V_MONEY;
        return V_NUMBER;
    case OP_MUL:
        if (a == V_INT && b == V_INT)
            return V_INT;
        if ((a == V_MONEY && (b == V_INT || b == V_NUMBER)) ||
            (b == V_MONEY && (a == V_INT || a == V_NUMBER)))
            return V_MONEY;
        return V_NUMBER;
    default:
        if (a == V_MONEY && b != V_MONEY && b != V_PERCENT)
            return V_MONEY;
        return V_NUMBER;
    }
}

static bool arith(const struct expr *e, const struct expr_env *env,
                  struct diag *d, const struct value *a, const struct value *b,
                  struct value *out)
{
    int op = e->op;
    if (a->type == V_TEXT && b->type == V_TEXT && op == OP_ADD) {
        *out = v_text(arena_printf(env->a, "%s%s", a->text, b->text));
        return true;
    }
    bool bad = a->type == V_TEXT || b->type == V_TEXT || a->type == V_BOOL ||
               b->type == V_BOOL;
    if (!bad && (a->type == V_MISSING || b->type == V_MISSING)) {
        *out = v_missing();
        return true;
    }
    if (!bad && (a->type == V_DATE || b->type == V_DATE)) {
        if (a->type == V_DATE && b->type == V_DATE && op == OP_SUB) {
            *out = v_num(V_INT, (double)a->days - b->days);
            return true;
        }
        const struct value *dt = a->type == V_DATE ? a : b;
        const struct value *n = a->type == V_DATE ? b : a;
        if ((op == OP_ADD || (op == OP_SUB && a == dt)) &&
            (n->type == V_INT || n->type == V_NUMBER)) {
            double k = op == OP_ADD ? n->num : -n->num;
            *out = v_date(dt->days + (int32_t)llround(k));
            return true;
        }
        bad = true;
    }
    if (bad) {
        err_at(d, e, "no se puede aplicar '%s' a %s y %s", op_text[op],
               value_type_name(a->type), value_type_name(b->type));
        return false;
    }
    double r;
    switch (op) {
    case OP_ADD:
        r = a->num + b->num;
        break;
    case OP_SUB:
        r = a->num - b->num;
        break;
    case OP_MUL:
        r = a->num * b->num;
        break;
    default:
        if (b->num == 0) {
            unsigned line = row_line(env);
            if (line)
                diag_warning(d, e->file, e->line, e->col,
                             "división por cero: el resultado queda vacío "
                             "(fila de la línea %u)",
                             line);
            else
                diag_warning(d, e->file, e->line, e->col,
                             "división por cero: el resultado queda vacío");
            *out = v_missing();
            return true;
        }
        r = a->num / b->num;
        break;
    }
    *out = v_num(arith_type(op, a->type, b->type), r);
    return true;
}

/* The node of e's first character: binary nodes sit at their operator. */
static const struct expr *start_of(const struct expr *e)
{
    while (e->l && (e->kind == E_ARITH || e->kind == E_CMP ||
                    e->kind == E_AND || e->kind == E_OR || e->kind == E_IN ||
                    e->kind == E_BETWEEN || e->kind == E_FILTER))
        e = e->l;
    return e;
}

/* A condition operand: bool as is, missing false, else an error. */
static bool truth(const struct expr *at, const struct value *v, struct diag *d,
                  bool *out)
{
    if (v->type == V_MISSING) {
        *out = false;
        return true;
    }
    if (v->type != V_BOOL) {
        err_at(d, start_of(at),
               "se esperaba una condición y no un valor de tipo %s",
               value_type_name(v->type));
        return false;
    }
    *out = v->num != 0;
    return true;
}

/* The rows an aggregate runs over. */
struct rows {
    const struct table *t;
    const size_t *idx; /* NULL: every row */
    size_t n;
};

static size_t row_at(const struct rows *r, size_t i)
{
    return r->idx ? r->idx[i] : i;
}

/* Case mapping for the Latin-1 letters Spanish uses, plus ASCII. */
static const char *change_case(struct arena *a, const char *s, bool upper)
{
    struct buf b;
    buf_init(&b);
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t l;
        uint32_t cp = utf8_decode(s + i, n - i, &l);
        if (cp == UTF8_BAD) {
            buf_addc(&b, s[i]);
            i += 1;
            continue;
        }
        if (upper) {
            if ((cp >= 'a' && cp <= 'z') ||
                (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7))
                cp -= 0x20;
        } else {
            if ((cp >= 'A' && cp <= 'Z') ||
                (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
                cp += 0x20;
        }
        char enc[4];
        buf_add(&b, enc, utf8_encode(cp, enc));
        i += l;
    }
    const char *r = arena_strndup(a, b.data, b.len);
    buf_release(&b);
    return r;
}

struct memo_item {
    const struct expr *e;
    const struct table *t;
    double total;
};

struct expr_memo {
    struct arena *a;
    struct memo_item *v;
    size_t n, cap;
};

struct expr_memo *expr_memo_new(struct arena *a)
{
    struct expr_memo *m = arena_alloc(a, sizeof *m);
    m->a = a;
    return m;
}

static struct memo_item *memo_find(struct expr_memo *m, const struct expr *e,
                                   const struct table *t)
{
    if (!m)
        return NULL;
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].e == e && m->v[i].t == t)
            return &m->v[i];
    return NULL;
}

static void memo_add(struct expr_memo *m, const struct expr *e,
                     const struct table *t, double total)
{
    if (!m)
        return;
    m->v = arena_grow(m->a, m->v, &m->cap, m->n + 1, sizeof *m->v);
    m->v[m->n++] = (struct memo_item){e, t, total};
}

/* An order in which equal values (by collate_values, for which two texts
 * are equal only when identical) are adjacent; cheaper than the
 * collation, which counting distinct values does not need. */
static int cmp_for_distinct(const void *x, const void *y)
{
    const struct value *a = x, *b = y;
    if (a->type == V_TEXT && b->type == V_TEXT) {
        int c = strcmp(a->text, b->text);
        return c < 0 ? -1 : c > 0;
    }
    return collate_values(a, b);
}

static void too_much_work(struct diag *d, const struct expr *e)
{
    limits_exceeded(d, LIMIT_EVAL_WORK, e->file, e->line, e->col,
                    "el trabajo de esta expresión");
}

static bool eval_aggregate(const struct expr *e, const struct expr_env *env,
                           struct diag *d, struct value *out)
{
    const struct expr *arg = e->nargs ? e->args[0] : NULL;
    struct rows rows = {0};
    const struct table *implicit =
        env->group_table ? env->group_table : env->row_table;
    long col = -1;                 /* fast path: the argument is a column */
    const struct expr *vexp = arg; /* else evaluated per row */
    bool whole_rows = arg == NULL;
    const struct table *src = NULL;
    if (arg && arg->kind == E_FIELD) {
        src = find_source(env, arg->text);
        if (!src) {
            err_at(d, arg, "fuente de datos desconocida '%s'", arg->text);
            return false;
        }
        if (table_find_column(src, arg->text2) < 0) {
            unknown_column(d, arg, src, arg->text2);
            return false;
        }
    } else if (arg && arg->kind == E_NAME &&
               !(implicit && table_find_column(implicit, arg->text) >= 0) &&
               (src = find_source(env, arg->text)) != NULL) {
        if (e->op != F_COUNT) {
            err_at(d, arg,
                   "'%s' es una fuente de datos: escriba %s(%s.columna)",
                   arg->text, fns[e->op].name, arg->text);
            return false;
        }
        whole_rows = true;
    } else {
        if (!implicit) {
            const struct expr *at = arg ? arg : e;
            err_at(d, at,
                   "'%s' sin fuente de datos: escriba %s(fuente.columna) o "
                   "%s(fuente)",
                   fns[e->op].name, fns[e->op].name, fns[e->op].name);
            return false;
        }
    }
    if (src) {
        rows.t = src;
        if (env->group_table && same_table(env->group_table, src)) {
            rows.t = env->group_table;
            rows.idx = env->group_rows;
            rows.n = env->group_rows ? env->group_n : env->group_table->nrows;
        } else {
            rows.n = src->nrows;
        }
    } else if (env->group_table) {
        rows.t = env->group_table;
        rows.idx = env->group_rows;
        rows.n = env->group_rows ? env->group_n : env->group_table->nrows;
    } else {
        rows.t = env->row_table;
        rows.n = rows.t->nrows;
    }
    /* A plain column is read straight from the cells (the common case,
     * and the one that must stay fast on 20,000 rows). */
    if (arg && arg->kind == E_FIELD)
        col = table_find_column(rows.t, arg->text2);
    else if (arg && arg->kind == E_NAME && !whole_rows)
        col = table_find_column(rows.t, arg->text);

    /* Every row the loop visits is charged to the evaluation's counter
     * (env->cache is set by expr_eval). */
    struct expr_cache local = {.a = env->a};
    local.work = env->cache ? env->cache->work : &local.own;
    uint64_t budget = (uint64_t)limit(LIMIT_EVAL_WORK);
    struct expr_env sub = *env;
    sub.row_table = rows.t;
    sub.cache = &local;
    enum fn fn = (enum fn)e->op;
    double sum = 0, wsum = 0, total = 0;
    size_t count = 0;
    enum vtype t0 = V_MISSING;
    bool mixed = false;
    struct value best = v_missing(), first = v_missing(), last = v_missing();
    bool seen = false;
    struct value *vals = NULL;
    if (fn == F_DISTINCT)
        vals = xmalloc((rows.n ? rows.n : 1) * sizeof *vals);
    bool ok = true;
    for (size_t i = 0; i < rows.n && ok; i++) {
        size_t r = row_at(&rows, i);
        sub.row = r;
        if (++*local.work > budget) {
            too_much_work(d, e);
            ok = false;
            break;
        }
        if (e->where) {
            bool keep;
            if (!expr_eval_cond(e->where, &sub, d, &keep)) {
                ok = false;
                break;
            }
            if (!keep)
                continue;
        }
        if (whole_rows) {
            count++;
            continue;
        }
        struct value v;
        if (col >= 0)
            v = table_cell(rows.t, r, (size_t)col)->v;
        else if (!eval(vexp, &sub, d, &v)) {
            ok = false;
            break;
        }
        if (!seen) {
            first = v;
            seen = true;
        }
        last = v;
        if (v.type == V_MISSING)
            continue;
        if (fn == F_SUM || fn == F_MEAN || fn == F_SHARE || fn == F_WMEAN) {
            if (!is_num(v.type) && v.type != V_BOOL) {
                const char *what = col >= 0 ? rows.t->cols[col].name : "";
                err_at(d, arg,
                       "no se puede calcular %s de valores de tipo %s%s%s%s",
                       fns[fn].name, value_type_name(v.type),
                       col >= 0 ? " (columna '" : "", what,
                       col >= 0 ? "')" : "");
                ok = false;
                break;
            }
        }
        if (t0 == V_MISSING)
            t0 = v.type;
        else if (t0 != v.type)
            mixed = true;
        switch (fn) {
        case F_WMEAN: {
            struct value w;
            if (!eval(e->args[1], &sub, d, &w)) {
                ok = false;
                break;
            }
            if (w.type == V_MISSING)
                break;
            if (!is_num(w.type)) {
                err_at(d, e->args[1],
                       "el peso de wmean debe ser un número, no %s",
                       value_type_name(w.type));
                ok = false;
                break;
            }
            sum += v.num * w.num;
            wsum += w.num;
            count++;
            break;
        }
        case F_MIN:
        case F_MAX: {
            int c = best.type == V_MISSING ? 0 : compare(&v, &best);
            if (c == 2) {
                err_at(d, arg, "no se puede comparar %s con %s",
                       value_type_name(v.type), value_type_name(best.type));
                ok = false;
                break;
            }
            if (best.type == V_MISSING || (fn == F_MIN ? c < 0 : c > 0))
                best = v;
            count++;
            break;
        }
        case F_DISTINCT:
            vals[count++] = v;
            break;
        default:
            sum += v.num;
            count++;
            break;
        }
    }
    const struct memo_item *mi =
        fn == F_SHARE ? memo_find(env->memo, e, rows.t) : NULL;
    if (mi)
        total = mi->total;
    if (ok && fn == F_SHARE && !mi) {
        /* The denominator: every row of the table, no where, no group. */
        const struct table *tt = rows.t;
        long tc = col;
        for (size_t r = 0; r < tt->nrows && ok; r++) {
            struct value v;
            if (++*local.work > budget) {
                too_much_work(d, e);
                ok = false;
                break;
            }
            if (tc >= 0) {
                v = table_cell(tt, r, (size_t)tc)->v;
            } else {
                sub.row = r;
                if (!eval(vexp, &sub, d, &v)) {
                    ok = false;
                    break;
                }
            }
            if (is_num(v.type) || v.type == V_BOOL)
                total += v.num;
        }
        if (ok)
            memo_add(env->memo, e, rows.t, total);
    }
    if (!ok) {
        free(vals);
        return false;
    }
    enum vtype ct = col >= 0 ? rows.t->cols[col].type : t0;
    if (mixed || ct == V_MISSING)
        ct = t0;
    switch (fn) {
    case F_COUNT:
        *out = v_num(V_INT, (double)count);
        break;
    case F_SUM:
        *out = v_num(ct == V_INT || ct == V_BOOL ? V_INT
                     : ct == V_MONEY && !mixed   ? V_MONEY
                                                 : V_NUMBER,
                     sum);
        break;
    case F_MEAN:
    case F_WMEAN: {
        double den = fn == F_MEAN ? (double)count : wsum;
        if (count == 0 || den == 0) {
            *out = v_missing();
            break;
        }
        enum vtype rt =
            (ct == V_PERCENT || ct == V_MONEY) && !mixed ? ct : V_NUMBER;
        *out = v_num(rt, sum / den);
        break;
    }
    case F_MIN:
    case F_MAX:
        *out = best;
        break;
    case F_SHARE:
        *out = total == 0 ? v_missing() : v_num(V_PERCENT, sum / total * 100);
        break;
    case F_DISTINCT: {
        qsort(vals, count, sizeof *vals, cmp_for_distinct);
        size_t k = count ? 1 : 0;
        for (size_t i = 1; i < count; i++)
            if (cmp_for_distinct(&vals[i - 1], &vals[i]) != 0)
                k++;
        *out = v_num(V_INT, (double)k);
        break;
    }
    case F_FIRST:
        *out = first;
        break;
    case F_LAST:
        *out = last;
        break;
    default:
        *out = v_missing();
        break;
    }
    free(vals);
    return true;
}

/* Parses the plain digits of fmt_round_plain back into a double. */
static double plain_to_double(const char *s)
{
    bool neg = *s == '-';
    if (neg)
        s++;
    double mant = 0;
    int frac = 0;
    bool dot = false;
    for (; *s; s++) {
        if (*s == '.') {
            dot = true;
            continue;
        }
        mant = mant * 10 + (*s - '0');
        frac += dot;
    }
    double r = frac ? mant / pow(10, frac) : mant;
    return neg ? -r : r;
}

static bool eval_call(const struct expr *e, const struct expr_env *env,
                      struct diag *d, struct value *out)
{
    if (e->op <= F_LAST)
        return eval_aggregate(e, env, d, out);
    struct value a;
    if (e->op == F_COALESCE) {
        for (size_t i = 0; i < e->nargs; i++) {
            if (!eval(e->args[i], env, d, out))
                return false;
            if (out->type != V_MISSING)
                return true;
        }
        return true;
    }
    if (e->op == F_IF) {
        bool c;
        if (!expr_eval_cond(e->args[0], env, d, &c))
            return false;
        return eval(e->args[c ? 1 : 2], env, d, out);
    }
    if (!eval(e->args[0], env, d, &a))
        return false;
    if (a.type == V_MISSING) {
        *out = a;
        return true;
    }
    switch ((enum fn)e->op) {
    case F_ROUND:
    case F_ABS: {
        if (!is_num(a.type)) {
            err_at(d, e, "'%s' espera un número, no %s", fns[e->op].name,
                   value_type_name(a.type));
            return false;
        }
        if (e->op == F_ABS) {
            *out = v_num(a.type, fabs(a.num));
            return true;
        }
        long n = 0;
        if (e->nargs > 1) {
            struct value nv;
            if (!eval(e->args[1], env, d, &nv))
                return false;
            if (nv.type != V_INT || nv.num < 0 || nv.num > 10) {
                err_at(d, e->args[1],
                       "los decimales de round deben ser un entero de 0 a 10");
                return false;
            }
            n = (long)nv.num;
        }
        char plain[64];
        fmt_round_plain(a.num, (int)n, plain);
        *out = v_num(a.type, plain_to_double(plain));
        return true;
    }
    case F_YEAR:
    case F_MONTH:
    case F_DAY: {
        if (a.type != V_DATE) {
            err_at(d, e, "'%s' espera una fecha, no %s", fns[e->op].name,
                   value_type_name(a.type));
            return false;
        }
        int y;
        unsigned m, dd;
        date_to_ymd(a.days, &y, &m, &dd);
        *out = v_num(V_INT, e->op == F_YEAR    ? y
                            : e->op == F_MONTH ? (double)m
                                               : (double)dd);
        return true;
    }
    case F_UPPER:
    case F_LOWER: {
        const char *s = a.text;
        if (a.type != V_TEXT) {
            struct buf b;
            buf_init(&b);
            fmt_value(&b, &a, NULL);
            s = arena_strndup(env->a, b.data, b.len);
            buf_release(&b);
        }
        *out = v_text(change_case(env->a, s, e->op == F_UPPER));
        return true;
    }
    default:
        *out = v_missing();
        return true;
    }
}

/* "2018-T1" as text: the first day of the quarter, or false. */
static bool quarter_text(const char *s, int32_t *days)
{
    if (strlen(s) != 7 || s[4] != '-' || s[5] != 'T' || s[6] < '1' ||
        s[6] > '4')
        return false;
    for (int i = 0; i < 4; i++)
        if (!digit(s[i]))
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
            (s[3] - '0');
    *days = date_from_ymd(y, (unsigned)(s[6] - '1') * 3 + 1, 1);
    return true;
}

static bool eval_filter(const struct expr *e, const struct expr_env *env,
                        struct diag *d, struct value *out)
{
    struct value v;
    if (!eval(e->l, env, d, &v))
        return false;
    enum flt f = (enum flt)e->op;
    if (f == FL_DEFAULT) {
        *out = v.type == V_MISSING ? v_text(e->fstr) : v;
        return true;
    }
    if (v.type == V_MISSING) {
        *out = v;
        return true;
    }
    struct buf b;
    buf_init(&b);
    bool ok = true;
    struct numfmt nf = {NF_NUMBER, e->farg, env->pct_space, NULL};
    switch (f) {
    case FL_NUMBER:
    case FL_INTEGER:
    case FL_PLAIN:
    case FL_PERCENT:
    case FL_MONEY:
        if (!is_num(v.type)) {
            ok = false;
            break;
        }
        nf.kind = f == FL_NUMBER    ? NF_NUMBER
                  : f == FL_INTEGER ? NF_INTEGER
                  : f == FL_PLAIN   ? NF_PLAIN
                  : f == FL_PERCENT ? NF_PERCENT
                                    : NF_MONEY;
        if (f == FL_NUMBER && e->farg < 0) {
            /* bare `number`: as a number prints by default */
            struct value n = v_num(V_NUMBER, v.num);
            nf.kind = NF_AUTO;
            fmt_value(&b, &n, &nf);
        } else {
            fmt_value(&b, &v, &nf);
        }
        break;
    case FL_DATE:
        if (v.type != V_DATE) {
            ok = false;
            break;
        }
        if (e->fstr && strcmp(e->fstr, "long") == 0)
            fmt_date_long(&b, v.days);
        else if (e->fstr && strcmp(e->fstr, "iso") == 0)
            fmt_date_iso(&b, v.days);
        else
            fmt_date_short(&b, v.days);
        break;
    case FL_QUARTER: {
        int32_t days = v.days;
        if (v.type != V_DATE &&
            !(v.type == V_TEXT && quarter_text(v.text, &days))) {
            ok = false;
            break;
        }
        if (e->fstr && strcmp(e->fstr, "long") == 0)
            fmt_quarter_long(&b, days);
        else
            fmt_quarter_code(&b, days);
        break;
    }
    case FL_MONTH:
        if (v.type == V_DATE) {
            int y;
            unsigned m, dd;
            date_to_ymd(v.days, &y, &m, &dd);
            buf_adds(&b, fmt_month_name(m));
        } else if (v.type == V_INT && v.num >= 1 && v.num <= 12) {
            buf_adds(&b, fmt_month_name((unsigned)v.num));
        } else {
            ok = false;
        }
        break;
    case FL_UPPER:
    case FL_LOWER: {
        const char *txt = v.text;
        if (v.type != V_TEXT) {
            fmt_value(&b, &v, &nf);
            txt = b.data;
        }
        *out = v_text(change_case(env->a, txt, f == FL_UPPER));
        buf_release(&b);
        return true;
    }
    default:
        break;
    }
    if (!ok) {
        static const char *const wants[] = {
            [FL_NUMBER] = "un número",  [FL_INTEGER] = "un número",
            [FL_PLAIN] = "un número",   [FL_PERCENT] = "un número",
            [FL_MONEY] = "un número",   [FL_DATE] = "una fecha",
            [FL_QUARTER] = "una fecha", [FL_MONTH] = "una fecha",
        };
        err_at(d, e, "el filtro '%s' espera %s, no un valor de tipo %s",
               flt_names[f], wants[f], value_type_name(v.type));
        buf_release(&b);
        return false;
    }
    *out = v_text(arena_strndup(env->a, b.data, b.len));
    buf_release(&b);
    return true;
}

static bool eval_node(const struct expr *e, const struct expr_env *env,
                      struct diag *d, struct value *out)
{
    struct value a, b;
    bool ta, tb;
    switch (e->kind) {
    case E_NUM:
        *out = v_num(e->numtype, e->num);
        return true;
    case E_STR:
        *out = v_text(e->text);
        return true;
    case E_DATE:
        *out = v_date(e->days);
        return true;
    case E_NAME:
        return eval_name(e, env, d, out);
    case E_FIELD:
        return eval_field(e, env, d, out);
    case E_PARAM:
        if (env->param && env->param(env->ctx, e->text, out))
            return true;
        err_at(d, e, "parámetro desconocido '%s'", e->text);
        return false;
    case E_NEG:
        if (!eval(e->l, env, d, &a))
            return false;
        if (a.type == V_MISSING) {
            *out = a;
            return true;
        }
        if (!is_num(a.type)) {
            err_at(d, e, "no se puede aplicar '-' a %s",
                   value_type_name(a.type));
            return false;
        }
        *out = v_num(a.type, -a.num);
        return true;
    case E_NOT:
        if (!eval(e->l, env, d, &a) || !truth(e->l, &a, d, &ta))
            return false;
        *out = v_bool(!ta);
        return true;
    case E_ARITH:
        /* From left to right, as ((l op a0) op a1) ... */
        if (!eval(e->l, env, d, &a))
            return false;
        for (size_t i = 0; i < e->nargs; i++) {
            struct value r;
            if (!eval(e->args[i], env, d, &b) ||
                !arith(e->steps[i], env, d, &a, &b, &r))
                return false;
            a = r;
        }
        *out = a;
        return true;
    case E_AND:
    case E_OR:
        /* The first operand that decides (false for and, true for or)
         * ends the evaluation. */
        for (size_t i = 0; i <= e->nargs; i++) {
            const struct expr *x = i == 0 ? e->l : e->args[i - 1];
            if (!eval(x, env, d, &a) || !truth(x, &a, d, &ta))
                return false;
            if (ta == (e->kind == E_OR)) {
                *out = v_bool(ta);
                return true;
            }
        }
        *out = v_bool(e->kind == E_AND);
        return true;
    case E_CMP:
        if (!eval(e->l, env, d, &a) || !eval(e->args[0], env, d, &b) ||
            !cmp_values(e, e->op, &a, &b, d, &ta))
            return false;
        *out = v_bool(ta);
        return true;
    case E_IN:
        if (!eval(e->l, env, d, &a))
            return false;
        for (size_t i = 0; i < e->nargs; i++) {
            if (!eval(e->args[i], env, d, &b) ||
                !cmp_values(e->args[i], OP_EQ, &a, &b, d, &ta))
                return false;
            if (ta) {
                *out = v_bool(true);
                return true;
            }
        }
        *out = v_bool(false);
        return true;
    case E_BETWEEN: {
        struct value c;
        if (!eval(e->l, env, d, &a) || !eval(e->args[0], env, d, &b) ||
            !eval(e->args[1], env, d, &c) ||
            !cmp_values(e, OP_GE, &a, &b, d, &ta) ||
            !cmp_values(e, OP_LE, &a, &c, d, &tb))
            return false;
        *out = v_bool(ta && tb);
        return true;
    }
    case E_CALL:
        return eval_call(e, env, d, out);
    case E_FILTER:
        return eval_filter(e, env, d, out);
    }
    return false;
}

/* A row-independent part is computed once per cache: on a miss it is
 * evaluated and remembered (failures are not, so every row that reaches
 * it reports as before). */
static bool eval(const struct expr *e, const struct expr_env *env,
                 struct diag *d, struct value *out)
{
    struct expr_cache *c = env->cache;
    if (!e->hoist || !c || !c->a)
        return eval_node(e, env, d, out);
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].e == e) {
            *out = c->v[i].v;
            return true;
        }
    if (!eval_node(e, env, d, out))
        return false;
    c->v = arena_grow(c->a, c->v, &c->cap, c->n + 1, sizeof *c->v);
    c->v[c->n++] = (struct cache_item){e, *out};
    return true;
}

bool expr_eval(const struct expr *e, const struct expr_env *env, struct diag *d,
               struct value *out)
{
    *out = v_missing();
    /* Without the caller's cache, this one evaluation has its own: one
     * budget of eval_work for all its aggregates. */
    struct expr_env own;
    struct expr_cache c = {.a = env->a};
    if (!env->cache) {
        c.work = &c.own;
        own = *env;
        own.cache = &c;
        env = &own;
    }
    if (!eval(e, env, d, out)) {
        *out = v_missing();
        return false;
    }
    return true;
}

bool expr_eval_cond(const struct expr *e, const struct expr_env *env,
                    struct diag *d, bool *out)
{
    struct value v;
    *out = false;
    return expr_eval(e, env, d, &v) && truth(e, &v, d, out);
}

bool expr_format(const struct expr *e, const struct expr_env *env,
                 struct diag *d, struct buf *out)
{
    struct value v;
    if (!expr_eval(e, env, d, &v))
        return false;
    struct numfmt nf = {NF_AUTO, -1, env->pct_space, env->missing};
    fmt_value(out, &v, &nf);
    return true;
}

/* ---------------------------------------------------------------------
 * Static checking: the same resolution as evaluation, on column types. */

struct ck {
    const struct expr_scope *sc;
    struct diag *d;
    const struct table *row; /* bare names */
};

/* x = "" or x != "": a test for an empty cell, valid for any type. */
static bool empty_text_test(const struct expr *e)
{
    if (e->op != OP_EQ && e->op != OP_NE)
        return false;
    const struct expr *l = e->l, *r = e->args[0];
    return (l->kind == E_STR && l->text[0] == '\0') ||
           (r->kind == E_STR && r->text[0] == '\0');
}

static bool ck_type(struct ck *c, const struct expr *e, enum vtype *t);

static bool ck_name(struct ck *c, const struct expr *e, enum vtype *t)
{
    const struct expr_scope *sc = c->sc;
    if (c->row) {
        long k = table_find_column(c->row, e->text);
        if (k >= 0) {
            *t = c->row->cols[k].type;
            return true;
        }
    }
    if (sc->param && sc->param(sc->ctx, e->text, t))
        return true;
    if (strcmp(e->text, "hoy") == 0) {
        *t = V_DATE;
        return true;
    }
    if (sc->allow_page &&
        (strcmp(e->text, "page") == 0 || strcmp(e->text, "pages") == 0)) {
        *t = V_INT;
        return true;
    }
    const char *s = suggest_column(c->row, e->text);
    if (!s && sc->suggest_param)
        s = sc->suggest_param(sc->ctx, e->text);
    if (s)
        err_at(c->d, e, "nombre desconocido '%s'; ¿quiso decir '%s'?", e->text,
               s);
    else
        err_at(c->d, e, "nombre desconocido '%s'", e->text);
    return false;
}

static const struct table *ck_source(struct ck *c, const char *name)
{
    return c->sc->source ? c->sc->source(c->sc->ctx, name) : NULL;
}

static bool ck_aggregate(struct ck *c, const struct expr *e, enum vtype *t)
{
    const struct expr *arg = e->nargs ? e->args[0] : NULL;
    const struct table *implicit =
        c->sc->group_table ? c->sc->group_table : c->sc->row_table;
    const struct table *tbl = implicit;
    enum vtype at = V_MISSING;
    bool ok = true;
    const char *colname = NULL;
    if (arg && arg->kind == E_FIELD) {
        tbl = ck_source(c, arg->text);
        if (!tbl) {
            err_at(c->d, arg, "fuente de datos desconocida '%s'", arg->text);
            return false;
        }
        long k = table_find_column(tbl, arg->text2);
        if (k < 0) {
            unknown_column(c->d, arg, tbl, arg->text2);
            return false;
        }
        at = tbl->cols[k].type;
        colname = arg->text2;
    } else if (arg && arg->kind == E_NAME &&
               !(implicit && table_find_column(implicit, arg->text) >= 0) &&
               ck_source(c, arg->text)) {
        tbl = ck_source(c, arg->text);
        if (e->op != F_COUNT) {
            err_at(c->d, arg,
                   "'%s' es una fuente de datos: escriba %s(%s.columna)",
                   arg->text, fns[e->op].name, arg->text);
            return false;
        }
        arg = NULL;
    } else if (!implicit) {
        err_at(c->d, arg ? arg : e,
               "'%s' sin fuente de datos: escriba %s(fuente.columna) o "
               "%s(fuente)",
               fns[e->op].name, fns[e->op].name, fns[e->op].name);
        return false;
    } else if (arg) {
        struct ck sub = *c;
        sub.row = implicit;
        ok = ck_type(&sub, arg, &at);
        if (arg->kind == E_NAME)
            colname = arg->text;
    }
    struct ck sub = *c;
    sub.row = tbl;
    enum vtype wt;
    /* Checked once: a second pass would report its errors again. */
    if (e->where && !ck_type(&sub, e->where, &wt)) {
        ok = false;
    } else if (e->where && wt != V_BOOL && wt != V_MISSING) {
        err_at(c->d, e->where, "se esperaba una condición después de 'where'");
        ok = false;
    }
    if (e->op == F_WMEAN) {
        enum vtype w;
        if (!ck_type(&sub, e->args[1], &w))
            ok = false;
        else if (w != V_MISSING && !is_num(w)) {
            err_at(c->d, e->args[1],
                   "el peso de wmean debe ser un número, no %s",
                   value_type_name(w));
            ok = false;
        }
    }
    enum fn fn = (enum fn)e->op;
    bool numeric =
        fn == F_SUM || fn == F_MEAN || fn == F_SHARE || fn == F_WMEAN;
    if (ok && numeric && at != V_MISSING && !is_num(at) && at != V_BOOL) {
        if (colname)
            err_at(c->d, arg,
                   "no se puede calcular %s de la columna '%s' de tipo %s",
                   fns[fn].name, colname, value_type_name(at));
        else
            err_at(c->d, arg, "no se puede calcular %s de valores de tipo %s",
                   fns[fn].name, value_type_name(at));
        ok = false;
    }
    switch (fn) {
    case F_COUNT:
    case F_DISTINCT:
        *t = V_INT;
        break;
    case F_SUM:
        *t = at == V_INT || at == V_BOOL ? V_INT
             : at == V_MONEY             ? V_MONEY
                                         : V_NUMBER;
        break;
    case F_MEAN:
    case F_WMEAN:
        *t = at == V_PERCENT || at == V_MONEY ? at : V_NUMBER;
        break;
    case F_SHARE:
        *t = V_PERCENT;
        break;
    default:
        *t = at;
        break;
    }
    return ok;
}

/* The type of a op b at step (which carries op and the position). */
static bool ck_arith(struct ck *c, const struct expr *step, enum vtype a,
                     enum vtype b, enum vtype *t)
{
    int op = step->op;
    if (a == V_MISSING || b == V_MISSING) {
        *t = V_MISSING;
        return true;
    }
    if (a == V_TEXT && b == V_TEXT && op == OP_ADD) {
        *t = V_TEXT;
        return true;
    }
    if (a == V_DATE || b == V_DATE) {
        if (a == V_DATE && b == V_DATE && op == OP_SUB) {
            *t = V_INT;
            return true;
        }
        enum vtype n = a == V_DATE ? b : a;
        if ((op == OP_ADD || (op == OP_SUB && a == V_DATE)) &&
            (n == V_INT || n == V_NUMBER)) {
            *t = V_DATE;
            return true;
        }
    } else if (is_num(a) && is_num(b)) {
        *t = arith_type(op, a, b);
        return true;
    }
    err_at(c->d, step, "no se puede aplicar '%s' a %s y %s", op_text[op],
           value_type_name(a), value_type_name(b));
    return false;
}

static bool ck_type(struct ck *c, const struct expr *e, enum vtype *t)
{
    enum vtype a = V_MISSING, b = V_MISSING;
    bool ok = true;
    *t = V_MISSING;
    switch (e->kind) {
    case E_NUM:
        *t = e->numtype;
        return true;
    case E_STR:
        *t = V_TEXT;
        return true;
    case E_DATE:
        *t = V_DATE;
        return true;
    case E_NAME:
        return ck_name(c, e, t);
    case E_FIELD: {
        const struct table *src = ck_source(c, e->text);
        if (src) {
            long k = table_find_column(src, e->text2);
            if (k < 0) {
                unknown_column(c->d, e, src, e->text2);
                return false;
            }
            *t = src->cols[k].type;
            return true;
        }
        const char *full = NULL;
        char tmp[256];
        if (strlen(e->text) + strlen(e->text2) + 2 <= sizeof tmp) {
            memcpy(tmp, e->text, strlen(e->text));
            tmp[strlen(e->text)] = '.';
            memcpy(tmp + strlen(e->text) + 1, e->text2, strlen(e->text2) + 1);
            full = tmp;
        }
        if (full && c->sc->param && c->sc->param(c->sc->ctx, full, t))
            return true;
        err_at(c->d, e, "fuente de datos desconocida '%s'", e->text);
        return false;
    }
    case E_PARAM:
        if (c->sc->param && c->sc->param(c->sc->ctx, e->text, t))
            return true;
        err_at(c->d, e, "parámetro desconocido '%s'", e->text);
        return false;
    case E_NEG:
        if (!ck_type(c, e->l, &a))
            return false;
        if (a != V_MISSING && !is_num(a)) {
            err_at(c->d, e, "no se puede aplicar '-' a %s", value_type_name(a));
            return false;
        }
        *t = a;
        return true;
    case E_NOT:
    case E_AND:
    case E_OR: {
        /* Every operand is checked (so that every unknown name is
         * reported); whether each is a condition only when all are known. */
        size_t n = e->kind == E_NOT ? 1 : e->nargs + 1;
        enum vtype *ts = xmalloc(n * sizeof *ts);
        for (size_t i = 0; i < n; i++)
            ok = ck_type(c, i == 0 ? e->l : e->args[i - 1], &ts[i]) && ok;
        bool known = ok;
        for (size_t i = 0; known && i < n; i++) {
            if (ts[i] == V_MISSING || ts[i] == V_BOOL)
                continue;
            err_at(c->d, i == 0 ? e->l : e->args[i - 1],
                   "se esperaba una condición y no un valor de tipo %s",
                   value_type_name(ts[i]));
            ok = false;
        }
        free(ts);
        *t = V_BOOL;
        return ok;
    }
    case E_ARITH: {
        /* Every operand first, then the types from left to right, as
         * ((l op a0) op a1) ...; the first mismatch is reported at its
         * operator. */
        ok = ck_type(c, e->l, &a);
        enum vtype *ts = NULL;
        if (e->nargs > 0)
            ts = xmalloc(e->nargs * sizeof *ts);
        for (size_t i = 0; i < e->nargs; i++)
            ok = ck_type(c, e->args[i], &ts[i]) && ok;
        for (size_t i = 0; ok && i < e->nargs; i++)
            ok = ck_arith(c, e->steps[i], a, ts[i], &a);
        free(ts);
        *t = ok ? a : V_MISSING;
        return ok;
    }
    case E_CMP:
    case E_IN:
    case E_BETWEEN:
        ok = ck_type(c, e->l, &a);
        for (size_t i = 0; i < e->nargs; i++) {
            if (!ck_type(c, e->args[i], &b)) {
                ok = false;
                continue;
            }
            struct value va = {.type = a}, vb = {.type = b};
            va.text = vb.text = "";
            if (ok && a != V_MISSING && b != V_MISSING &&
                !(e->kind == E_CMP && empty_text_test(e)) &&
                compare(&va, &vb) == 2) {
                err_at(c->d, e->kind == E_IN ? e->args[i] : e,
                       "no se puede comparar %s con %s", value_type_name(a),
                       value_type_name(b));
                ok = false;
            }
        }
        *t = V_BOOL;
        return ok;
    case E_CALL:
        if (e->op <= F_LAST)
            return ck_aggregate(c, e, t);
        for (size_t i = 0; i < e->nargs; i++) {
            enum vtype x;
            if (!ck_type(c, e->args[i], &x))
                ok = false;
            if (i == 0)
                a = x;
            else if (i == 1)
                b = x;
        }
        if (!ok)
            return false;
        switch ((enum fn)e->op) {
        case F_ROUND:
        case F_ABS:
            if (a != V_MISSING && !is_num(a)) {
                err_at(c->d, e, "'%s' espera un número, no %s", fns[e->op].name,
                       value_type_name(a));
                return false;
            }
            *t = a;
            return true;
        case F_YEAR:
        case F_MONTH:
        case F_DAY:
            if (a != V_MISSING && a != V_DATE) {
                err_at(c->d, e, "'%s' espera una fecha, no %s", fns[e->op].name,
                       value_type_name(a));
                return false;
            }
            *t = V_INT;
            return true;
        case F_UPPER:
        case F_LOWER:
            *t = V_TEXT;
            return true;
        case F_COALESCE:
            *t = a;
            return true;
        case F_IF:
            *t = b;
            return true;
        default:
            return true;
        }
    case E_FILTER:
        if (!ck_type(c, e->l, &a))
            return false;
        if (a != V_MISSING && e->op != FL_DEFAULT && e->op != FL_UPPER &&
            e->op != FL_LOWER) {
            bool fine = e->op <= FL_MONEY     ? is_num(a)
                        : e->op == FL_DATE    ? a == V_DATE
                        : e->op == FL_QUARTER ? a == V_DATE || a == V_TEXT
                                              : a == V_DATE || a == V_INT;
            if (!fine) {
                err_at(c->d, e,
                       "el filtro '%s' no se aplica a valores de tipo %s",
                       flt_names[e->op], value_type_name(a));
                return false;
            }
        }
        *t = e->op == FL_DEFAULT ? a : V_TEXT;
        return true;
    }
    return false;
}

bool expr_check(const struct expr *e, const struct expr_scope *scope,
                struct diag *d, enum vtype *type)
{
    struct ck c = {.sc = scope, .d = d, .row = scope->row_table};
    enum vtype t = V_MISSING;
    bool ok = ck_type(&c, e, &t);
    if (type)
        *type = ok ? t : V_MISSING;
    return ok;
}

/* ---------------------------------------------------------------------
 * Introspection */

const char *expr_name(const struct expr *e)
{
    return e && e->kind == E_NAME ? e->text : NULL;
}

bool expr_has_aggregate(const struct expr *e)
{
    if (!e)
        return false;
    if (e->kind == E_CALL && e->op <= F_LAST)
        return true;
    if (expr_has_aggregate(e->l) || expr_has_aggregate(e->where))
        return true;
    for (size_t i = 0; i < e->nargs; i++)
        if (expr_has_aggregate(e->args[i]))
            return true;
    return false;
}

void expr_pos(const struct expr *e, const char **file, unsigned *line,
              unsigned *col)
{
    e = start_of(e);
    *file = e->file;
    *line = e->line;
    *col = e->col;
}

/* ---------------------------------------------------------------------
 * Template strings */

enum expr_brace expr_brace_at(const char *s, size_t n, size_t i, size_t *end)
{
    char c = s[i];
    if ((c == '{' || c == '}') && i + 1 < n && s[i + 1] == c) {
        *end = i + 2;
        return EXPR_BRACE_ESCAPED;
    }
    if (c != '{')
        return EXPR_BRACE_NONE;
    /* The lexer's quotes: "…" and '…' with backslash escapes, `…` without,
     * so that a brace inside a string never closes the expression. */
    char quote = 0;
    for (i++; i < n; i++) {
        if (quote) {
            if (s[i] == '\\' && quote != '`' && i + 1 < n)
                i++;
            else if (s[i] == quote)
                quote = 0;
        } else if (s[i] == '"' || s[i] == '\'' || s[i] == '`') {
            quote = s[i];
        } else if (s[i] == '}') {
            *end = i;
            return EXPR_BRACE_OPEN;
        }
    }
    *end = n;
    return EXPR_BRACE_UNCLOSED;
}

/* Positions in a template given as file:line:col of its first byte: a
 * '\n' starts a new line. A cursor: positions are asked in increasing
 * order while an expression is lexed, so each step starts where the last
 * one ended and a long template costs one pass, not one per token. */
struct linear {
    const char *text;
    unsigned line, col;       /* of text[0] */
    size_t at;                /* the cursor: byte offset ... */
    unsigned at_line, at_col; /* ... and its position */
};

static void linear_pos(void *ctx, size_t off, unsigned *line, unsigned *col)
{
    struct linear *l = ctx;
    if (off < l->at) {
        l->at = 0;
        l->at_line = l->line;
        l->at_col = l->col;
    }
    unsigned ln = l->at_line, cl = l->at_col;
    for (size_t i = l->at; i < off; i++) {
        unsigned char ch = (unsigned char)l->text[i];
        if (ch == '\n') {
            ln++;
            cl = 1;
        } else if ((ch & 0xC0) != 0x80) {
            cl++;
        }
    }
    l->at = off;
    l->at_line = *line = ln;
    l->at_col = *col = cl;
}

static void add_literal(struct arena *a, struct expr_tmpl *t, size_t *cap,
                        struct buf *lit)
{
    if (!lit->len)
        return;
    t->parts = arena_grow(a, t->parts, cap, t->n + 1, sizeof *t->parts);
    struct expr_part *p = &t->parts[t->n++];
    p->text = arena_strndup(a, lit->data, lit->len);
    p->len = lit->len;
    buf_clear(lit);
}

bool expr_parse_template_at(struct arena *a, struct diag *d, const char *text,
                            size_t len, const struct expr_at *at,
                            struct expr_tmpl **out)
{
    struct expr_tmpl *t = arena_alloc(a, sizeof *t);
    size_t cap = 0;
    struct buf lit;
    buf_init(&lit);
    bool ok = true;
    for (size_t i = 0, end; i < len;) {
        switch (expr_brace_at(text, len, i, &end)) {
        case EXPR_BRACE_NONE:
            /* a lone '}' is kept as text */
            buf_addc(&lit, text[i++]);
            continue;
        case EXPR_BRACE_ESCAPED:
            buf_addc(&lit, text[i]);
            i = end;
            continue;
        case EXPR_BRACE_UNCLOSED: {
            unsigned line, col;
            at->pos(at->ctx, at->base + i, &line, &col);
            diag_error(d, at->file, line, col,
                       "falta '}' que cierre la expresión (escriba '{{' para "
                       "una llave)");
            ok = false;
            i = len;
            continue;
        }
        case EXPR_BRACE_OPEN:
            break;
        }
        size_t start = i + 1;
        i = end + 1;
        add_literal(a, t, &cap, &lit);
        struct expr_at sub = *at;
        sub.base += start;
        struct expr *e = expr_parse_at(a, d, text + start, end - start, &sub);
        if (!e) {
            ok = false;
            continue;
        }
        t->parts = arena_grow(a, t->parts, &cap, t->n + 1, sizeof *t->parts);
        struct expr_part *p = &t->parts[t->n++];
        p->is_expr = true;
        p->text = arena_strndup(a, text + start, end - start);
        p->len = end - start;
        p->e = e;
    }
    add_literal(a, t, &cap, &lit);
    buf_release(&lit);
    *out = t;
    return ok;
}

bool expr_parse_template(struct arena *a, struct diag *d, const char *text,
                         size_t len, const char *file, unsigned line,
                         unsigned col, struct expr_tmpl **out)
{
    struct linear l = {text, line, col, 0, line, col};
    struct expr_at at = {.file = file, .pos = linear_pos, .ctx = &l};
    return expr_parse_template_at(a, d, text, len, &at, out);
}

bool expr_tmpl_render(const struct expr_tmpl *t, const struct expr_env *env,
                      struct buf *out, struct diag *d)
{
    bool ok = true;
    for (size_t i = 0; i < t->n; i++) {
        const struct expr_part *p = &t->parts[i];
        if (!p->is_expr)
            buf_add(out, p->text, p->len);
        else
            ok = expr_format(p->e, env, d, out) && ok;
    }
    return ok;
}

bool expr_tmpl_check(const struct expr_tmpl *t, const struct expr_scope *scope,
                     struct diag *d)
{
    bool ok = true;
    for (size_t i = 0; i < t->n; i++)
        if (t->parts[i].is_expr)
            ok = expr_check(t->parts[i].e, scope, d, NULL) && ok;
    return ok;
}
