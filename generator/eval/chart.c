/* eval_chart: a `chart:` block (bars or lines): categories from a column
 * (for lines over a date column, in time order), one value per
 * category and series (a column's mean or an aggregate over the
 * category's rows), colours, axis, target line and threshold fills. */
#include "eval/internal.h"
#include "eval/alt.h"
#include "doc/dlist.h"
#include "base/limits.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

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

/* The date of category k (its first row's), or INT32_MAX when none. */
static int32_t cat_date(const struct table *t, size_t col, const struct cats *c,
                        size_t k)
{
    if (c->nmembers[k] == 0)
        return INT32_MAX;
    const struct value *v = &table_cell(t, c->members[k][0], col)->v;
    return v->type == V_DATE ? v->days : INT32_MAX;
}

struct by_date {
    int32_t days;
    size_t k;
};

static int by_days(const void *a, const void *b)
{
    const struct by_date *p = a, *q = b;
    if (p->days != q->days)
        return p->days < q->days ? -1 : 1;
    return (p->k > q->k) - (p->k < q->k);
}

/* A line over a date column runs in time order: the categories sorted by
 * date (rows without one last), named "ene. 2018" when no two fall in the
 * same month, else "31/01/2018". */
static void dates_in_order(struct report *r, const struct table *t, size_t col,
                           struct cats *c)
{
    if (c->n == 0)
        return;
    struct by_date *o = arena_array(r->a, c->n, sizeof *o);
    for (size_t k = 0; k < c->n; k++)
        o[k] = (struct by_date){cat_date(t, col, c, k), k};
    qsort(o, c->n, sizeof *o, by_days);
    bool monthly = true;
    for (size_t k = 1; k < c->n && monthly; k++) {
        int y0, y1;
        unsigned m0, m1, d;
        if (o[k].days == INT32_MAX)
            break;
        date_to_ymd(o[k - 1].days, &y0, &m0, &d);
        date_to_ymd(o[k].days, &y1, &m1, &d);
        monthly = y0 != y1 || m0 != m1;
    }
    struct cats s = {
        .names = arena_array(r->a, c->n, sizeof *s.names),
        .n = c->n,
        .members = arena_array(r->a, c->n, sizeof *s.members),
        .nmembers = arena_array(r->a, c->n, sizeof *s.nmembers),
    };
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < c->n; i++) {
        size_t k = o[i].k;
        s.members[i] = c->members[k];
        s.nmembers[i] = c->nmembers[k];
        s.names[i] = c->names[k];
        if (o[i].days == INT32_MAX)
            continue;
        buf_clear(&b);
        if (monthly)
            fmt_month_year(&b, o[i].days);
        else
            fmt_date_short(&b, o[i].days);
        s.names[i] = arena_strndup(r->a, b.data, b.len);
    }
    buf_release(&b);
    *c = s;
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
    long col = table_find_column(x->t, vn->text);
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

static bool one_series(struct cctx *x, const struct tl_series *sr, size_t i)
{
    struct report *r = x->r;
    struct chart_series *s = &x->ch->series[i];
    const struct tnode *vn = sr->value.n;
    if (!vn) {
        tree_error(r->d, sr->node, "la serie necesita 'value'");
        return false;
    }
    s->label = vn->text;
    s->color = palette[i % (sizeof palette / sizeof *palette)];
    if (sr->label.n && !(s->label = eval_render(r, sr->label.n, false)))
        return false;
    if (sr->color.n)
        s->color = sr->color.v;
    if (!series_values(x, vn, s))
        return false;
    series_fills(x, s);
    return true;
}

/* The scale, as far as the template fixes it (NAN: from the data). */
static void axis(const struct tl_axis *a, struct chart_block *ch)
{
    if (a->min.n)
        ch->min = a->min.v;
    if (a->max.n)
        ch->max = a->max.v;
    if (a->step.n)
        ch->step = a->step.v;
}

static bool target(struct report *r, const struct tl_target *t,
                   struct chart_block *ch)
{
    if (!t->value.n)
        return false;
    ch->target = t->value.v;
    return !t->label.n ||
           (ch->target_label = eval_render(r, t->label.n, false)) != NULL;
}

static bool options(struct cctx *x, const struct tl_chart *tc)
{
    struct report *r = x->r;
    struct chart_block *ch = x->ch;
    bool ok = true;
    ch->orient = tc->orientation.v == TLW_chart_orient_horizontal
                     ? CHART_HORIZONTAL
                     : CHART_VERTICAL;
    ch->kind = tc->type.v == TLW_chart_type_line ? CHART_LINE : CHART_BAR;
    /* Lines are neither stacked nor numbered: one line a series, the
     * categories named under it. */
    bool bars = ch->kind == CHART_BAR;
    ch->stacked = bars && tc->mode.v == TLW_chart_mode_stacked;
    /* normal and wrap both draw the names, wrapped to their slot when
     * long. */
    ch->numbered_labels = bars && tc->labels.v == TLW_chart_labels_numbered;
    ch->values = !tc->values.n
                     ? (ch->kind == CHART_LINE ? VALUES_LAST : VALUES_ALL)
                 : tc->values.v == TLW_chart_values_last ? VALUES_LAST
                 : tc->values.v == TLW_chart_values_none ? VALUES_NONE
                                                         : VALUES_ALL;
    ch->value_labels = ch->values != VALUES_NONE;
    if (tc->axis)
        axis(tc->axis, ch);
    struct colfmt f;
    ok = eval_format_parse(r, tc->format.n, &f) && ok;
    ch->value_fmt = f.nf;
    if (tc->target)
        ok = target(r, tc->target, ch) && ok;
    if (tc->height.n)
        ch->height = tc->height.v;
    if (tc->caption.n)
        ok = (ch->caption = eval_render(r, tc->caption.n, false)) != NULL && ok;
    if (tc->alt.n)
        ok = (ch->alt = eval_render(r, tc->alt.n, false)) != NULL && ok;
    if (tc->fill.n && !(x->fill = eval_style_find(r, tc->fill.v))) {
        tree_error(r->d, tc->fill.n, "estilo de umbrales desconocido '%s'",
                   tc->fill.v);
        ok = false;
    }
    return ok;
}

bool eval_chart(struct blocks *b, const struct tl_block *blk)
{
    struct report *r = b->r;
    const struct tl_chart *tc = blk->u.chart;
    const struct tl_series_list *ser = &tc->series;
    struct cctx x = {.r = r};
    x.ch = &eval_block_new(b, BLK_CHART, blk->item)->u.chart;
    struct chart_block *ch = x.ch;
    ch->min = ch->max = ch->step = ch->target = NAN;
    ch->value_labels = true;
    const struct tnode *cat = tc->category.n;
    bool ok = options(&x, tc);
    size_t *rows, n;
    long cc;
    if (!(x.t = eval_block_data(r, &tc->data, blk->item)) || !cat ||
        !ser->node) {
        if (x.t && (!cat || !ser->node))
            tree_error(r->d, blk->value,
                       "el gráfico necesita 'category' y 'series'");
        return false;
    }
    if ((cc = eval_column(r, cat, x.t)) < 0 ||
        !eval_select_rows(r, &tc->where, &tc->sort, &tc->limit, x.t, &rows, &n))
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
    if (ch->kind == CHART_LINE && x.t->cols[cc].type == V_DATE)
        dates_in_order(r, x.t, (size_t)cc, &x.cats);
    ch->categories = x.cats.names;
    ch->ncat = x.cats.n;
    ch->nseries = ser->n;
    ch->series = arena_array(r->a, ser->n, sizeof *ch->series);
    for (size_t i = 0; i < ser->n; i++)
        ok = one_series(&x, &ser->v[i], i) && ok;
    ch->legend = tc->legend.n ? tc->legend.v : ser->n > 1;
    if (ok && !ch->alt)
        ch->alt = alt_chart(r->a, ch);
    return ok;
}
