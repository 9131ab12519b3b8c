/* eval_markup: splits a template string into literal text and {expression}
 * pieces, and reads the **bold** / *italic* markup of paragraphs. */
#include "eval/internal.h"

#include <string.h>

/* A token before markers are paired: marks become styles or literal text
 * depending on whether a partner exists. */
enum tok_kind { TOK_TEXT, TOK_EXPR, TOK_MARK };

struct tok {
    enum tok_kind kind;
    const char *text;
    size_t len, off;
    unsigned mark; /* TOK_MARK: SPAN_BOLD or SPAN_ITALIC */
    bool can_open, can_close;
};

struct toks {
    struct tok *v;
    size_t n, cap;
};

struct scan {
    struct arena *a;
    const char *s;
    size_t n, i;
    bool markup;
    struct buf lit; /* literal text being gathered */
    size_t lit_off;
    struct toks *out;
};

static void push(struct scan *sc, struct tok t)
{
    struct toks *ts = sc->out;
    ts->v = arena_grow(sc->a, ts->v, &ts->cap, ts->n + 1, sizeof *ts->v);
    ts->v[ts->n++] = t;
}

static void flush_lit(struct scan *sc)
{
    if (sc->lit.len == 0)
        return;
    struct tok t = {.kind = TOK_TEXT, .off = sc->lit_off};
    t.text = arena_strndup(sc->a, sc->lit.data, sc->lit.len);
    t.len = sc->lit.len;
    push(sc, t);
    buf_clear(&sc->lit);
}

static void add_lit(struct scan *sc, const char *p, size_t n)
{
    if (sc->lit.len == 0)
        sc->lit_off = (size_t)(p - sc->s);
    buf_add(&sc->lit, p, n);
}

static bool is_space_at(const struct scan *sc, size_t i)
{
    if (i >= sc->n)
        return true;
    char c = sc->s[i];
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void scan_mark(struct scan *sc)
{
    size_t w = sc->i + 1 < sc->n && sc->s[sc->i + 1] == '*' ? 2 : 1;
    struct tok t = {.kind = TOK_MARK, .off = sc->i, .len = w};
    t.text = sc->s + sc->i;
    t.mark = w == 2 ? SPAN_BOLD : SPAN_ITALIC;
    /* CommonMark's flanking rule, simplified: "a * b" is not emphasis. */
    t.can_open = !is_space_at(sc, sc->i + w);
    t.can_close = sc->i > 0 && !is_space_at(sc, sc->i - 1);
    flush_lit(sc);
    push(sc, t);
    sc->i += w;
}

static bool scan_all(struct scan *sc, size_t *err_off)
{
    const char *s = sc->s;
    while (sc->i < sc->n) {
        char c = s[sc->i];
        char next = sc->i + 1 < sc->n ? s[sc->i + 1] : 0;
        size_t end;
        switch (expr_brace_at(s, sc->n, sc->i, &end)) {
        case EXPR_BRACE_ESCAPED:
            add_lit(sc, s + sc->i, 1);
            sc->i = end;
            continue;
        case EXPR_BRACE_UNCLOSED:
            *err_off = sc->i;
            return false;
        case EXPR_BRACE_OPEN: {
            flush_lit(sc);
            struct tok t = {.kind = TOK_EXPR, .off = sc->i + 1};
            t.text = s + sc->i + 1;
            t.len = end - sc->i - 1;
            push(sc, t);
            sc->i = end + 1;
            continue;
        }
        case EXPR_BRACE_NONE:
            break;
        }
        if (sc->markup && c == '\\' && (next == '*' || next == '\\')) {
            add_lit(sc, s + sc->i + 1, 1);
            sc->i += 2;
        } else if (sc->markup && c == '*') {
            scan_mark(sc);
        } else {
            add_lit(sc, s + sc->i, 1);
            sc->i++;
        }
    }
    flush_lit(sc);
    return true;
}

static bool has_closer(const struct toks *ts, size_t from, unsigned mark)
{
    for (size_t j = from + 1; j < ts->n; j++)
        if (ts->v[j].kind == TOK_MARK && ts->v[j].mark == mark &&
            ts->v[j].can_close)
            return true;
    return false;
}

static void add_piece(struct arena *a, struct tmpl *t, const struct tok *k,
                      unsigned style)
{
    struct tmpl_piece *last = t->n ? &t->pieces[t->n - 1] : NULL;
    bool text = k->kind != TOK_EXPR;
    if (text && last && !last->is_expr && last->style == style) {
        char *joined = arena_alloc(a, last->len + k->len + 1);
        memcpy(joined, last->text, last->len);
        memcpy(joined + last->len, k->text, k->len);
        last->text = joined;
        last->len += k->len;
        return;
    }
    t->pieces = arena_grow(a, t->pieces, &t->cap, t->n + 1, sizeof *t->pieces);
    struct tmpl_piece *p = &t->pieces[t->n++];
    p->is_expr = !text;
    p->text = k->text;
    p->len = k->len;
    p->off = k->off;
    p->style = style;
}

/* Pairs the marks: a mark closes an open style, opens one when a partner
 * follows, and is plain text otherwise. */
static void pair_marks(struct arena *a, const struct toks *ts, struct tmpl *t)
{
    unsigned style = 0;
    for (size_t i = 0; i < ts->n; i++) {
        const struct tok *k = &ts->v[i];
        if (k->kind != TOK_MARK) {
            add_piece(a, t, k, style);
        } else if ((style & k->mark) && k->can_close) {
            style &= ~k->mark;
        } else if (!(style & k->mark) && k->can_open &&
                   has_closer(ts, i, k->mark)) {
            style |= k->mark;
        } else {
            struct tok lit = *k;
            lit.kind = TOK_TEXT;
            add_piece(a, t, &lit, style);
        }
    }
}

bool tmpl_split(struct arena *a, const char *s, size_t n, bool markup,
                struct tmpl *out, size_t *err_off)
{
    struct toks ts = {0};
    struct scan sc = {.a = a, .s = s, .n = n, .markup = markup, .out = &ts};
    memset(out, 0, sizeof *out);
    buf_init(&sc.lit);
    bool ok = scan_all(&sc, err_off);
    buf_release(&sc.lit);
    if (ok)
        pair_marks(a, &ts, out);
    return ok;
}
