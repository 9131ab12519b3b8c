/* eval_chart: a `chart:` block: categories from a column, one value per
 * category and series (a column's mean or an aggregate over the
 * category's rows), colours, axis, target line and threshold fills. */
#include "eval/internal.h"
#include "eval/alt.h"
#include "doc/dlist.h"
#include "base/limits.h"

#include <math.h>
#include <string.h>

static const uint32_t palette[] = {0x2E75B6, 0xA5A5A5, 0x1F4E79, 0xF4B183,
                                   0x70AD47, 0xFFC000, 0x5B9BD5, 0x264478};

/* Categories in order of first appearance; members[k] lists the rows of
 * category k. Stops (false) at the first category beyond the
 * chart_categories limit. */
struct cats {
    const char **names;
    size_t n;
    const size_t **members;
    size_t *nmembers;
};

static bool categories(struct report *r, const struct table *t, size_t col,
                       const size_t *rows, size_t n, struct cats *c)
{
    struct eval_groups g;
    if (!eval_group_rows(r, t, col, rows, n,
                         (size_t)limit(LIMIT_CHART_CATEGORIES), &g))
        return false;
    c->names = g.label;
    c->n = g.n;
    c->members = arena_array(r->a, g.n ? g.n : 1, sizeof *c->members);
    c->nmembers = arena_array(r->a, g.n ? g.n : 1, sizeof *c->nmembers);
    for (size_t k = 0; k < g.n; k++) {
        c->members[k] = g.members + g.start[k];
        c->nmembers[k] = g.start[k + 1] - g.start[k];
    }
    return true;
}

/* Mean of a column over the rows of one category (NAN when none). */
static double column_mean(const struct table *t, size_t col, const size_t *rows,
                          size_t n)
{
    double sum = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct value *v = &table_cell(t, rows[i], col)->v;
        if (value_is_numeric(v->type)) {
            sum += v->num;
            k++;
        }
    }
    return k ? sum / (double)k : NAN;
}

struct cctx {
    struct report *r;
    const struct table *t;
    struct chart_block *ch;
    struct cats cats;
    const struct style *fill;
};

static bool series_values(struct cctx *x, const struct tnode *vn,
                          struct chart_series *s)
{
    struct report *r = x->r;
    s->values = arena_array(r->a, x->cats.n, sizeof *s->values);
    long col = vn->kind == TREE_SCALAR ? table_find_column(x->t, vn->text) : -1;
    struct eval_expr *e = col < 0 ? eval_expr_compile(r, vn, x->t) : NULL;
    if (col < 0 && !e)
        return false;
    for (size_t k = 0; k < x->cats.n; k++) {
        if (col >= 0) {
            s->values[k] = column_mean(x->t, (size_t)col, x->cats.members[k],
                                       x->cats.nmembers[k]);
            continue;
        }
        struct value v;
        if (!eval_expr_rows(r, e, x->t, x->cats.members[k], x->cats.nmembers[k],
                            &v))
            return false;
        s->values[k] = value_is_numeric(v.type) ? v.num : NAN;
    }
    return true;
}

static void series_fills(struct cctx *x, struct chart_series *s)
{
    if (!x->fill)
        return;
    s->fills = arena_array(x->r->a, x->cats.n, sizeof *s->fills);
    for (size_t k = 0; k < x->cats.n; k++) {
        struct value v = {.type = isnan(s->values[k]) ? V_MISSING : V_NUMBER,
                          .num = s->values[k]};
        s->fills[k] = eval_style_fill(x->fill, &v);
    }
}

static bool one_series(struct cctx *x, const struct tnode *n, size_t i)
{
    struct report *r = x->r;
    struct chart_series *s = &x->ch->series[i];
    const struct tnode *vn = n->kind == TREE_MAP ? tree_get(n, "value") : n;
    if (!vn || !tree_expect(r->d, vn, TREE_SCALAR)) {
        tree_error(r->d, n, "la serie necesita 'value'");
        return false;
    }
    s->label = vn->text;
    s->color = palette[i % (sizeof palette / sizeof *palette)];
    const struct tnode *l = tree_get(n, "label"), *c = tree_get(n, "color");
    unsigned color;
    if (l && !(s->label = eval_render(r, l, false)))
        return false;
    if (c && !tree_to_color(r->d, c, &color))
        return false;
    if (c)
        s->color = color;
    if (!series_values(x, vn, s))
        return false;
    series_fills(x, s);
    return true;
}

static bool axis(struct report *r, const struct tnode *a,
                 struct chart_block *ch)
{
    static const char *const keys[] = {"min", "max", "step"};
    double *dst[] = {&ch->min, &ch->max, &ch->step};
    for (int i = 0; i < 3; i++) {
        const struct tnode *n = tree_get(a, keys[i]);
        if (n && !tree_to_double(r->d, n, dst[i]))
            return false;
    }
    return true;
}

static bool enum_opt(struct report *r, const struct tnode *n, const char *a,
                     const char *b, bool *is_b)
{
    if (!n)
        return true;
    if (n->kind == TREE_SCALAR &&
        (strcmp(n->text, a) == 0 || strcmp(n->text, b) == 0)) {
        *is_b = strcmp(n->text, b) == 0;
        return true;
    }
    tree_error(r->d, n, "se esperaba '%s' o '%s'", a, b);
    return false;
}

static bool target(struct report *r, const struct tnode *n,
                   struct chart_block *ch)
{
    const struct tnode *v = n->kind == TREE_MAP ? tree_get(n, "value") : n;
    const struct tnode *l = tree_get(n, "label");
    if (!v || !tree_to_double(r->d, v, &ch->target))
        return false;
    return !l || (ch->target_label = eval_render(r, l, false)) != NULL;
}

static bool options(struct cctx *x, const struct tnode *item,
                    const struct tnode *mv)
{
    struct report *r = x->r;
    struct chart_block *ch = x->ch;
    const struct tnode *n;
    bool ok = true, horiz = false, numbered = false;
    ok = enum_opt(r, eval_opt(item, mv, "orientation"), "vertical",
                  "horizontal", &horiz);
    ch->orient = horiz ? CHART_HORIZONTAL : CHART_VERTICAL;
    ok = enum_opt(r, eval_opt(item, mv, "mode"), "grouped", "stacked",
                  &ch->stacked) &&
         ok;
    /* The schema's words: normal and wrap both draw the names, wrapped
     * to their slot when long. */
    n = eval_opt(item, mv, "labels");
    if (n && n->kind == TREE_SCALAR && strcmp(n->text, "wrap") != 0)
        ok = enum_opt(r, n, "normal", "numbered", &numbered) && ok;
    ch->numbered_labels = numbered;
    if ((n = eval_opt(item, mv, "axis")))
        ok = axis(r, n, ch) && ok;
    struct colfmt f;
    ok = eval_format_parse(r, eval_opt(item, mv, "format"), &f) && ok;
    ch->value_fmt = f.nf;
    if ((n = eval_opt(item, mv, "target")))
        ok = target(r, n, ch) && ok;
    if ((n = eval_opt(item, mv, "height")))
        ok = tree_to_length(r->d, n, &ch->height) && ok;
    if ((n = eval_opt(item, mv, "caption")))
        ok = (ch->caption = eval_render(r, n, false)) != NULL && ok;
    if ((n = eval_opt(item, mv, "alt")))
        ok = (ch->alt = eval_render(r, n, false)) != NULL && ok;
    if ((n = eval_opt(item, mv, "fill")) && n->kind == TREE_SCALAR &&
        !(x->fill = eval_style_find(r, n->text))) {
        tree_error(r->d, n, "estilo de umbrales desconocido '%s'", n->text);
        ok = false;
    }
    return ok;
}

bool eval_chart(struct blocks *b, const struct tnode *item,
                const struct tnode *val)
{
    struct report *r = b->r;
    struct cctx x = {.r = r};
    x.ch = &eval_block_new(b, BLK_CHART, item)->u.chart;
    struct chart_block *ch = x.ch;
    ch->min = ch->max = ch->step = ch->target = NAN;
    ch->value_labels = true;
    const struct tnode *mv = val->kind == TREE_MAP ? val : NULL;
    const struct tnode *cat = eval_opt(item, mv, "category");
    const struct tnode *ser = eval_opt(item, mv, "series");
    bool ok = options(&x, item, mv);
    size_t *rows, n;
    long cc;
    if (!(x.t = eval_block_data(r, item, mv)) || !cat || !ser ||
        !tree_expect(r->d, ser, TREE_SEQ)) {
        if (x.t && (!cat || !ser))
            tree_error(r->d, val, "el gráfico necesita 'category' y 'series'");
        return false;
    }
    if ((cc = eval_column(r, cat, x.t)) < 0 ||
        !eval_select_rows(r, item, mv, x.t, &rows, &n))
        return false;
    if (!categories(r, x.t, (size_t)cc, rows, n, &x.cats)) {
        char *what = arena_printf(r->a,
                                  "el número de categorías del gráfico "
                                  "(columna '%s')",
                                  x.t->cols[cc].name);
        limits_exceeded(r->d, LIMIT_CHART_CATEGORIES, cat->file, cat->line,
                        cat->col, what);
        return false;
    }
    ch->categories = x.cats.names;
    ch->ncat = x.cats.n;
    ch->nseries = ser->n;
    ch->series = arena_array(r->a, ser->n, sizeof *ch->series);
    for (size_t i = 0; i < ser->n; i++)
        ok = one_series(&x, ser->items[i], i) && ok;
    ch->legend = ser->n > 1;
    const struct tnode *lg = eval_opt(item, mv, "legend");
    ok = ok && (!lg || tree_to_bool(r->d, lg, &ch->legend));
    if (ok && !ch->alt)
        ch->alt = alt_chart(r->a, ch);
    return ok;
}
