/* linechart: line charts (see linechart.h): one line a series over the
 * categories in their order, the value axis, gridlines, target line,
 * legend and caption as the bar charts draw them (axis.c, labels.c,
 * plot.c).
 *
 * Geometry: the categories share the plot's width in equal slots, each
 * point at its slot's centre; lines 1.5 pt wide, a 4 pt square marker on
 * every point while slots are at least MIN_MARKER_SLOT wide (an isolated
 * point keeps a smaller one). A missing value leaves a gap: no segment
 * runs to or from it. Category labels wrap to at most MAX_LABEL_LINES
 * lines in their room; when slots are narrower than MIN_LABEL_ROOM only
 * every k-th category is named (the first, then every k-th after it), on
 * one line with 4 pt between names, so that a chart of hundreds or
 * thousands of points stays one readable drawing. Value labels (`values:`) sit
 * above their point, or below it when a line or another label is more in the
 * way above than below; `all` falls back to `last` when the labels are wider
 * than the slots.
 *
 * Structure: one Figure as for bars; its description is the block's. */
#include "layout/linechart.h"

#include "layout/axis.h"
#include "layout/labels.h"
#include "layout/plot.h"

#include <math.h>
#include <string.h>

#define DEFAULT_HEIGHT 170.0
#define LINE_WIDTH 1.5f
#define MARKER 4.0
#define DOT 2.0
#define MIN_MARKER_SLOT 6.0
#define MIN_LABEL_ROOM 28.0 /* "sept." over "2018" */

struct lgeo {
    struct axis a;
    double cap;              /* the caption's height */
    double left, slot, room; /* tick column; slot; a label's width */
    size_t every;            /* every k-th category named */
    size_t label_lines;
    double top, under, plot, labels, legend, height;
    bool markers;
    enum chart_values values;
};

/* The widest value label of the chart. */
static double widest_value(struct lay *L, const struct chart_block *c,
                           struct buf *b)
{
    double most = 0;
    for (size_t s = 0; s < c->nseries; s++)
        for (size_t i = 0; i < c->ncat; i++) {
            double v = axis_value_at(c, s, i);
            if (isnan(v))
                continue;
            axis_value_text(b, c, v);
            double w = labels_width(L, LABEL_SIZE, b);
            most = w > most ? w : most;
        }
    return most;
}

static void geometry(struct lay *L, const struct chart_block *c,
                     unsigned number, struct lgeo *g)
{
    struct buf b, tail;
    struct text_lines tl = {0};
    buf_init(&b);
    buf_init(&tail);
    memset(g, 0, sizeof *g);
    g->a = axis_make(c);
    g->cap = labels_caption(L, c, number, false, &b, &tail, &tl);
    g->left = plot_axis_room(L, &g->a);
    size_t n = c->ncat ? c->ncat : 1;
    g->slot = (L->w - g->left) / (double)n;
    double widest = 0;
    for (size_t i = 0; i < c->ncat; i++) {
        const char *t = c->categories[i] ? c->categories[i] : "";
        double w = labels_str_width(L, FACE_REGULAR, LABEL_SIZE, t);
        widest = w > widest ? w : widest;
    }
    /* Every name when each has MIN_LABEL_ROOM (wrapped if need be); else
     * every k-th, with room for the widest on one line (up to a third of
     * the width) and 4 pt between names. */
    double need = widest < MIN_LABEL_ROOM ? widest : MIN_LABEL_ROOM;
    double every = ceil((need + 2) / g->slot);
    if (every > 1) {
        need = widest < L->w / 3 ? widest : L->w / 3;
        every = ceil((need + 4) / g->slot);
    }
    g->every = every < 1 ? 1 : every > (double)n ? n : (size_t)every;
    g->room = g->slot * (double)g->every - (g->every > 1 ? 4 : 2);
    if (g->room > L->w - g->left)
        g->room = L->w - g->left;
    g->label_lines = 1;
    for (size_t i = 0; i < c->ncat; i += g->every) {
        const char *t = c->categories[i] ? c->categories[i] : "";
        size_t m = labels_break(L, FACE_REGULAR, LABEL_SIZE, t, strlen(t),
                                g->room, MAX_LABEL_LINES, &tl, &tail);
        g->label_lines = m > g->label_lines ? m : g->label_lines;
    }
    g->markers = g->slot >= MIN_MARKER_SLOT;
    g->values = c->value_labels ? c->values : VALUES_NONE;
    if (g->values == VALUES_ALL && widest_value(L, c, &b) > g->slot - 2)
        g->values = VALUES_LAST;
    bool labels = g->values != VALUES_NONE && axis_any_value(c);
    g->top = labels ? 12 : 0;
    g->under = labels ? 12 : 0;
    g->labels = 8 + 10 * (double)g->label_lines;
    g->legend = LEGEND_H * (double)labels_legend_rows(L, c);
    g->height = c->height > 0 ? c->height : DEFAULT_HEIGHT;
    double fixed = g->top + g->under + g->labels + g->legend;
    double room = L->bottom - L->top - g->cap - LAY_CAPTION_GAP;
    if (g->height > room)
        g->height = room;
    g->plot = g->height - fixed;
    if (g->plot < 40) {
        g->plot = 40;
        g->height = fixed + g->plot;
    }
    text_lines_release(&tl);
    buf_release(&b);
    buf_release(&tail);
}

/* The box of a value label w wide centred on x with its baseline at base,
 * kept inside [lo, hi] across. */
static double label_x(double x, double w, double lo, double hi)
{
    double at = x - w / 2;
    if (at + w > hi)
        at = hi - w;
    return at < lo ? lo : at;
}

/* The y of series s's line at x, or NAN where it has no segment. */
static double line_y(const struct chart_block *c, const struct lgeo *g,
                     size_t s, double px, double pbot, double x)
{
    double f = (x - px) / g->slot - 0.5;
    if (f < 0 || f > (double)(c->ncat - 1))
        return NAN;
    size_t k = (size_t)f;
    double t = f - (double)k;
    double v = axis_value_at(c, s, k);
    double w = k + 1 < c->ncat ? axis_value_at(c, s, k + 1) : v;
    if (t == 0)
        w = v;
    if (isnan(v) || isnan(w))
        return NAN;
    double y1 = pbot - g->plot * axis_frac(&g->a, v);
    double y2 = pbot - g->plot * axis_frac(&g->a, w);
    return y1 + (y2 - y1) * t;
}

/* How much is in the way of the box (x0, y0)-(x1, y1): a label it covers,
 * the zero line, or a line crossing it (sampled at its ends and middle). */
static int in_the_way(const struct chart_block *c, const struct lgeo *g,
                      const struct label_boxes *bx, double px, double pbot,
                      double x0, double y0, double x1, double y1)
{
    double yz = pbot - g->plot * axis_frac(&g->a, g->a.zero);
    int n = 2 * (y0 < yz + 0.5 && yz - 0.5 < y1); /* the zero line */
    for (size_t i = 0; i < bx->n; i++) {
        const double *b = bx->box[i];
        n += 4 * (x0 < b[2] && b[0] < x1 && y0 < b[3] && b[1] < y1);
    }
    for (size_t s = 0; s < c->nseries; s++)
        for (int k = 0; k < 3; k++) {
            double y = line_y(c, g, s, px, pbot, x0 + (x1 - x0) * k / 2);
            n += !isnan(y) && y > y0 - 1 && y < y1 + 1;
        }
    return n;
}

/* The value of series s at point (x, y): above the point unless a line or
 * another label is more in the way there than below it. */
static void value_label(struct lay *L, const struct chart_block *c,
                        const struct lgeo *g, struct label_boxes *bx, double v,
                        double x, double y, double px, double pbot)
{
    struct buf b;
    buf_init(&b);
    axis_value_text(&b, c, v);
    double w = labels_width(L, LABEL_SIZE, &b);
    double at = label_x(x, w, px, L->x0 + L->w);
    double up = y - MARKER / 2 - 3;
    double down = y + MARKER / 2 + 3 + LABEL_SIZE * 0.75;
    double d = LABEL_SIZE / 4;
    int above =
        in_the_way(c, g, bx, px, pbot, at, up - LABEL_SIZE, at + w, up + d);
    int below =
        in_the_way(c, g, bx, px, pbot, at, down - LABEL_SIZE, at + w, down + d);
    labels_value(L, bx, at, above > below ? down : up, &b);
    buf_release(&b);
}

/* Series s: a segment between every two neighbouring values, then the
 * markers over the joins. */
static void draw_series(struct lay *L, const struct chart_block *c,
                        const struct lgeo *g, size_t s, double px, double pbot)
{
    const struct axis *a = &g->a;
    uint32_t color = c->series[s].color;
    for (size_t i = 0; i + 1 < c->ncat; i++) {
        double v = axis_value_at(c, s, i), w = axis_value_at(c, s, i + 1);
        if (isnan(v) || isnan(w))
            continue;
        double x = px + g->slot * ((double)i + 0.5);
        lay_line(L, x, pbot - g->plot * axis_frac(a, v), x + g->slot,
                 pbot - g->plot * axis_frac(a, w), color, LINE_WIDTH);
    }
    for (size_t i = 0; i < c->ncat; i++) {
        double v = axis_value_at(c, s, i);
        if (isnan(v))
            continue;
        bool alone = (i == 0 || isnan(axis_value_at(c, s, i - 1))) &&
                     (i + 1 == c->ncat || isnan(axis_value_at(c, s, i + 1)));
        double m = g->markers ? MARKER : alone ? DOT : 0;
        if (m == 0)
            continue;
        double x = px + g->slot * ((double)i + 0.5);
        double y = pbot - g->plot * axis_frac(a, v);
        lay_rect(L, x - m / 2, y - m / 2, m, m, color, COLOR_NONE, 0);
    }
}

static void draw(struct lay *L, const struct chart_block *c,
                 const struct lgeo *g, double y0)
{
    const struct axis *a = &g->a;
    struct buf b, tail;
    struct text_lines tl = {0};
    struct label_boxes boxes = {0};
    buf_init(&b);
    buf_init(&tail);
    double px = L->x0 + g->left, pw = L->w - g->left;
    double ptop = y0 + g->top, pbot = ptop + g->plot;
    plot_value_axis(L, a, px, pw, pbot, g->plot);
    if (!axis_any_value(c))
        labels_no_data(L, px, ptop, pw, g->plot);
    for (size_t i = 0; i < c->ncat; i += g->every) {
        double cx = px + g->slot * ((double)i + 0.5);
        const char *t = c->categories[i] ? c->categories[i] : "";
        size_t n = labels_break(L, FACE_REGULAR, LABEL_SIZE, t, strlen(t),
                                g->room, MAX_LABEL_LINES, &tl, &tail);
        double at = label_x(cx, g->room, L->x0, L->x0 + L->w);
        lay_draw_lines(L, &tl, 0, n, at, g->room,
                       pbot + g->under + 11 - LABEL_SIZE, LABEL_SIZE, 10,
                       ALIGN_CENTER, L->set->text_color);
    }
    for (size_t s = 0; s < c->nseries; s++)
        draw_series(L, c, g, s, px, pbot);
    /* The values over every line. */
    for (size_t s = 0; s < c->nseries && g->values != VALUES_NONE; s++) {
        size_t last = c->ncat;
        for (size_t i = 0; i < c->ncat; i++)
            if (!isnan(axis_value_at(c, s, i)))
                last = i;
        for (size_t i = 0; i < c->ncat; i++) {
            double v = axis_value_at(c, s, i);
            if (isnan(v) || (g->values == VALUES_LAST && i != last))
                continue;
            value_label(L, c, g, &boxes, v, px + g->slot * ((double)i + 0.5),
                        pbot - g->plot * axis_frac(a, v), px, pbot);
        }
    }
    plot_target_across(L, c, a, &boxes, px, pw, ptop, g->plot, y0);
    if (labels_legend_on(c))
        labels_legend(L, c, pbot + g->under + g->labels);
    labels_boxes_release(&boxes);
    text_lines_release(&tl);
    buf_release(&b);
    buf_release(&tail);
}

double lay_linechart_height(struct lay *L, const struct chart_block *c)
{
    struct lgeo g;
    geometry(L, c, L->figures + 1, &g);
    return g.cap + LAY_CAPTION_GAP + g.height;
}

void lay_linechart(struct lay *L, const struct chart_block *c)
{
    struct buf b;
    buf_init(&b);
    if (L->pending <= 0)
        lay_space(L, LAY_FIGURE_BEFORE);
    if (c->caption && *c->caption)
        L->figures++; /* only captioned figures are numbered */
    plot_begin_figure(L, c, &b);
    struct lgeo g;
    geometry(L, c, L->figures, &g);
    double total = g.cap + LAY_CAPTION_GAP + g.height;
    lay_ensure(L, total);
    double y = lay_take(L, total);
    double ch = plot_caption(L, c, false, y);
    if (L->emit)
        draw(L, c, &g, y + ch + LAY_CAPTION_GAP);
    lay_end(L);
    buf_release(&b);
}
