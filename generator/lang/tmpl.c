/* tmpl: template strings, the text of a title or paragraph with
 * expressions in braces ("Avance {mean(plan.avance) | percent:1} al
 * {fecha}"): the one reading of braces, the split into literal parts and
 * parsed expressions with their file positions, and the rendering and
 * checking of every part. */
#include "lang/expr.h"

#include <string.h>

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
