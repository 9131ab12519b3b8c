/* eval_text: paragraphs and list items: markup read around the
 * {expressions}, each run of one style rendered into a span. */
#include "eval/internal.h"

#include <string.h>

static bool split_node(struct report *r, const struct tnode *n, bool markup,
                       struct tmpl *t)
{
    size_t err;
    if (tmpl_split(r->a, n->text, n->len, markup, t, &err))
        return true;
    unsigned line, col;
    eval_pos(n, err, &line, &col);
    diag_error(r->d, n->file, line, col,
               "falta '}' que cierre la expresión (escriba '{{' para una "
               "llave)");
    return false;
}

/* Appends the pieces of t to b; false after an error (all pieces are
 * still tried so that one run reports every mistake). */
static bool render_pieces(struct report *r, const struct tnode *n,
                          const struct tmpl *t, size_t from, size_t to,
                          struct buf *b)
{
    bool ok = true;
    for (size_t i = from; i < to; i++) {
        const struct tmpl_piece *p = &t->pieces[i];
        if (!p->is_expr) {
            buf_add(b, p->text, p->len);
        } else {
            const char *v = eval_piece_text(r, n, p);
            if (v)
                buf_adds(b, v);
            ok = v != NULL && ok;
        }
    }
    return ok;
}

bool eval_rich(struct report *r, const struct tnode *n, struct rich *out)
{
    struct tmpl t;
    memset(out, 0, sizeof *out);
    if (!split_node(r, n, true, &t))
        return false;
    out->spans = arena_array(r->a, t.n, sizeof *out->spans);
    struct buf b;
    buf_init(&b);
    bool ok = true;
    for (size_t i = 0; i < t.n;) {
        size_t j = i + 1;
        while (j < t.n && t.pieces[j].style == t.pieces[i].style)
            j++;
        buf_clear(&b);
        ok = render_pieces(r, n, &t, i, j, &b) && ok;
        if (b.len > 0) {
            struct span *s = &out->spans[out->n++];
            s->text = arena_strndup(r->a, b.data, b.len);
            s->len = b.len;
            s->style = t.pieces[i].style;
        }
        i = j;
    }
    buf_release(&b);
    return ok;
}
