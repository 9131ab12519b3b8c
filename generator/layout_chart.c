/* layout_chart: bar charts (vertical and horizontal, grouped and stacked)
 * with axis, grid, value labels, legend, target line and numbered key.
 *
 * Geometry follows the reference report's figures: 8 pt labels, 7 pt
 * ticks, a 190 pt category column for horizontal charts (wider when a
 * label needs it), 20 pt rows, bars at most 40 pt wide with 1 pt between
 * the bars of a group, a 170 pt drawing unless the block sets a height. */
#include "layout_int.h"

#include "fmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_SIZE 8.0
#define TICK_SIZE 7.0
#define KEY_PITCH 10.0
#define LEGEND_H 12.0
#define DEFAULT_HEIGHT 170.0
#define H_LABEL_COLUMN 190.0
#define H_LABEL_PITCH 9.0 /* between the lines of a wrapped label */
#define H_VALUE_ROOM 40.0
#define V_AXIS_ROOM 24.0
#define TARGET_COLOR 0xC00000

struct axis {
    double min, max, step;
    int decimals;
};

/* 1, 2, 2.5 or 5 times a power of ten, at least x. */
static double nice_step(double x)
{
    if (!(x > 0))
        return 1;
    double p = pow(10, floor(log10(x)));
    double m = x / p;
    double f = m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10;
    return f * p;
}

static double value_at(const struct chart_block *c, size_t s, size_t k)
{
    double v = c->series[s].values ? c->series[s].values[k] : NAN;
    return isfinite(v) ? v : NAN;
}

static struct axis make_axis(const struct chart_block *c)
{
    double lo = 0, hi = 0;
    for (size_t k = 0; k < c->ncat; k++) {
        double pos = 0, neg = 0;
        for (size_t s = 0; s < c->nseries; s++) {
            double v = value_at(c, s, k);
            if (isnan(v))
                continue;
            if (c->stacked) {
                if (v > 0)
                    pos += v;
                else
                    neg += v;
            } else {
                pos = v > pos ? v : pos;
                neg = v < neg ? v : neg;
            }
        }
        hi = pos > hi ? pos : hi;
        lo = neg < lo ? neg : lo;
    }
    if (isfinite(c->target)) {
        hi = c->target > hi ? c->target : hi;
        lo = c->target < lo ? c->target : lo;
    }
    struct axis a;
    a.min = isfinite(c->min) ? c->min : lo;
    a.max = isfinite(c->max) ? c->max : hi;
    if (!(a.max > a.min))
        a.max = a.min + 1;
    a.step = isfinite(c->step) && c->step > 0 ? c->step
                                              : nice_step((a.max - a.min) / 5);
    if (!isfinite(c->min))
        a.min = floor(a.min / a.step + 1e-9) * a.step;
    if (!isfinite(c->max))
        a.max = ceil(a.max / a.step - 1e-9) * a.step;
    if ((a.max - a.min) / a.step > 50) /* a step far too small */
        a.step = nice_step((a.max - a.min) / 5);
    a.decimals = 0;
    for (double st = a.step;
         a.decimals < 3 && fabs(st - round(st)) > 1e-9 * (st > 1 ? st : 1);
         st *= 10)
        a.decimals++;
    return a;
}

static double frac(const struct axis *a, double v)
{
    return (v - a->min) / (a->max - a->min);
}

static void tick_text(struct buf *b, const struct axis *a, double v)
{
    buf_clear(b);
    fmt_number(b, fabs(v) < a->step * 1e-9 ? 0 : v, a->decimals, true);
}

static void value_text(struct buf *b, const struct chart_block *c, double v)
{
    buf_clear(b);
    struct value val = {.type = V_NUMBER, .num = v};
    fmt_value(b, &val, &c->value_fmt);
}

static double tw(struct lay *L, double size, const struct buf *b)
{
    return text_width(&L->tx, FACE_REGULAR, size, b->data, b->len);
}

/* Baseline that centres a line of the given size on y. */
static double mid_base(struct lay *L, double y, double size)
{
    return y + size * L->fonts->face[FACE_REGULAR].cap_height / 2000.0;
}

/* Where bar value v runs on the value axis: from zero when bars stand side
 * by side; stacked, from the top of the pile of its sign (pos and neg are
 * the piles so far, updated). */
static void bar_span(bool stacked, double v, double zero, double *pos,
                     double *neg, double *from, double *to)
{
    *from = zero;
    *to = v;
    if (!stacked)
        return;
    double *pile = v >= 0 ? pos : neg;
    *from = *pile;
    *to = *pile + v;
    *pile = *to;
}

static uint32_t bar_color(const struct chart_series *s, size_t k)
{
    if (s->fills && s->fills[k] != COLOR_NONE)
        return s->fills[k];
    return s->color;
}

static bool legend_on(const struct chart_block *c)
{
    /* The evaluator decides (on by default with several series). */
    return c->nseries > 0 && c->legend;
}

static double legend_width(struct lay *L, const struct chart_block *c)
{
    double w = 0;
    for (size_t s = 0; s < c->nseries; s++) {
        const char *t = c->series[s].label ? c->series[s].label : "";
        w += (s ? 16 : 0) + 11 +
             text_width(&L->tx, FACE_REGULAR, LABEL_SIZE, t, strlen(t));
    }
    return w;
}

/* Swatch, 3 pt, label, 16 pt, ...: centred on the drawing. */
static void draw_legend(struct lay *L, const struct chart_block *c, double top)
{
    double x = L->x0 + (L->w - legend_width(L, c)) / 2, base = top + 8;
    for (size_t s = 0; s < c->nseries; s++) {
        const char *t = c->series[s].label ? c->series[s].label : "";
        double w = text_width(&L->tx, FACE_REGULAR, LABEL_SIZE, t, strlen(t));
        lay_rect(L, x, base - 7.5, 8, 8, c->series[s].color, COLOR_NONE, 0);
        lay_text(L, x + 11, base, FACE_REGULAR, LABEL_SIZE, L->set->text_color,
                 t, strlen(t), w);
        x += 11 + w + 16;
    }
}

/* ---------------------------------------------------------- numbered key */

static size_t key_rows(const struct chart_block *c)
{
    return (c->ncat + 1) / 2;
}

/* Breaks key cell k ("k+1. name") into tl; returns its line count. */
static size_t key_cell(struct lay *L, const struct chart_block *c, size_t k,
                       struct buf *b, struct text_lines *tl)
{
    buf_clear(b);
    buf_printf(b, "%zu. %s", k + 1, c->categories[k] ? c->categories[k] : "");
    text_lines_clear(tl);
    return text_break(&L->tx, FACE_REGULAR, LABEL_SIZE, b->data, b->len,
                      L->w / 2 - 4, tl);
}

static double key_height(struct lay *L, const struct chart_block *c, double top,
                         bool draw)
{
    struct buf b;
    struct text_lines tl = {0};
    buf_init(&b);
    size_t rows = key_rows(c);
    double y = top;
    for (size_t r = 0; r < rows; r++) {
        size_t most = 1;
        for (size_t col = 0; col < 2; col++) {
            size_t k = r + col * rows;
            if (k >= c->ncat)
                continue;
            size_t n = key_cell(L, c, k, &b, &tl);
            most = n > most ? n : most;
            if (draw)
                lay_draw_lines(L, &tl, 0, n, L->x0 + (double)col * L->w / 2,
                               L->w / 2 - 4, y, LABEL_SIZE, KEY_PITCH,
                               ALIGN_LEFT, L->set->text_color);
        }
        y += (double)most * KEY_PITCH;
    }
    buf_release(&b);
    text_lines_release(&tl);
    return y - top;
}

/* ------------------------------------------------------------- vertical */

struct vgeo {
    double left, slot, bar, top, plot, labels, legend, height;
    bool values;
    size_t label_lines;
};

static size_t bars_per_slot(const struct chart_block *c)
{
    return c->stacked || c->nseries == 0 ? 1 : c->nseries;
}

static struct vgeo vgeometry(struct lay *L, const struct chart_block *c,
                             const struct axis *a)
{
    struct vgeo g;
    struct buf b;
    buf_init(&b);
    g.left = V_AXIS_ROOM;
    for (double v = a->min; v <= a->max + a->step * 1e-6; v += a->step) {
        tick_text(&b, a, v);
        double w = tw(L, TICK_SIZE, &b) + 8;
        g.left = w > g.left ? w : g.left;
    }
    size_t n = c->ncat ? c->ncat : 1, k = bars_per_slot(c);
    g.slot = (L->w - g.left) / (double)n;
    g.bar = floor((0.8 * g.slot - (double)(k - 1)) / (double)k);
    g.bar = g.bar > 40 ? 40 : g.bar < 1 ? 1 : g.bar;
    /* Value labels only where they fit over their bar. */
    g.values = c->value_labels;
    for (size_t s = 0; g.values && s < c->nseries; s++)
        for (size_t i = 0; i < c->ncat; i++) {
            double v = value_at(c, s, i);
            if (isnan(v))
                continue;
            value_text(&b, c, v);
            if (tw(L, LABEL_SIZE, &b) > (k == 1 ? g.slot - 2 : g.bar + 1))
                g.values = false;
        }
    g.label_lines = 1;
    if (!c->numbered_labels) {
        struct text_lines tl = {0};
        for (size_t i = 0; i < c->ncat; i++) {
            const char *t = c->categories[i] ? c->categories[i] : "";
            text_lines_clear(&tl);
            size_t m = text_break(&L->tx, FACE_REGULAR, LABEL_SIZE, t,
                                  strlen(t), g.slot - 4, &tl);
            g.label_lines = m > g.label_lines ? m : g.label_lines;
        }
        text_lines_release(&tl);
    }
    g.top = g.values ? 12 : 0;
    g.labels = 8 + 10 * (double)g.label_lines;
    g.legend = legend_on(c) ? LEGEND_H : 0;
    g.height = c->height > 0 ? c->height : DEFAULT_HEIGHT;
    g.plot = g.height - g.top - g.labels - g.legend;
    if (g.plot < 40) {
        g.plot = 40;
        g.height = g.top + g.plot + g.labels + g.legend;
    }
    buf_release(&b);
    return g;
}

static void draw_vertical(struct lay *L, const struct chart_block *c,
                          const struct axis *a, const struct vgeo *g, double y0)
{
    struct buf b;
    struct text_lines tl = {0};
    buf_init(&b);
    double px = L->x0 + g->left, pw = L->w - g->left;
    double ptop = y0 + g->top, pbot = ptop + g->plot;
    double zero = a->min <= 0 && a->max >= 0 ? 0 : a->min;
    for (double v = a->min; v <= a->max + a->step * 1e-6; v += a->step) {
        double y = pbot - g->plot * frac(a, v);
        bool axis = fabs(v - zero) < a->step * 1e-6;
        lay_line(L, px, y, px + pw, y, axis ? L->set->muted : LAY_GRID,
                 LAY_RULE_WIDTH);
        tick_text(&b, a, v);
        double w = tw(L, TICK_SIZE, &b);
        lay_text(L, px - 4 - w, mid_base(L, y, TICK_SIZE), FACE_REGULAR,
                 TICK_SIZE, L->set->muted, b.data, b.len, w);
    }
    size_t k = bars_per_slot(c);
    double group = (double)k * g->bar + (double)(k - 1);
    double yz = pbot - g->plot * frac(a, zero);
    for (size_t i = 0; i < c->ncat; i++) {
        double cx = px + g->slot * ((double)i + 0.5);
        double pos = zero, neg = zero, top = yz;
        for (size_t s = 0; s < c->nseries; s++) {
            double v = value_at(c, s, i);
            if (isnan(v))
                continue;
            double x =
                cx - group / 2 + (c->stacked ? 0 : (double)s * (g->bar + 1));
            double from, to;
            bar_span(c->stacked, v, zero, &pos, &neg, &from, &to);
            double y1 = pbot - g->plot * frac(a, from);
            double y2 = pbot - g->plot * frac(a, to);
            double yt = y1 < y2 ? y1 : y2;
            lay_rect(L, x, yt, g->bar, fabs(y2 - y1),
                     bar_color(&c->series[s], i), COLOR_NONE, 0);
            if (yt < top)
                top = yt;
            if (g->values && !c->stacked) {
                value_text(&b, c, v);
                double w = tw(L, LABEL_SIZE, &b);
                lay_text(L, x + (g->bar - w) / 2, yt - 3, FACE_REGULAR,
                         LABEL_SIZE, L->set->text_color, b.data, b.len, w);
            }
        }
        if (g->values && c->stacked && pos != zero) {
            value_text(&b, c, pos);
            double w = tw(L, LABEL_SIZE, &b);
            lay_text(L, cx - w / 2, top - 3, FACE_REGULAR, LABEL_SIZE,
                     L->set->text_color, b.data, b.len, w);
        }
        /* Category label: a number, or the name wrapped to the slot. */
        const char *t = c->categories[i] ? c->categories[i] : "";
        if (c->numbered_labels) {
            buf_clear(&b);
            buf_printf(&b, "%zu", i + 1);
            t = b.data;
        }
        text_lines_clear(&tl);
        text_break(&L->tx, FACE_REGULAR, LABEL_SIZE, t, strlen(t), g->slot - 4,
                   &tl);
        lay_draw_lines(L, &tl, 0, tl.n, cx - (g->slot - 4) / 2, g->slot - 4,
                       pbot + 11 - LABEL_SIZE, LABEL_SIZE, 10, ALIGN_CENTER,
                       L->set->text_color);
    }
    if (isfinite(c->target)) {
        double y = pbot - g->plot * frac(a, c->target);
        lay_line(L, px, y, px + pw, y, TARGET_COLOR, 1);
        if (c->target_label) {
            const char *t = c->target_label;
            double w =
                text_width(&L->tx, FACE_REGULAR, TICK_SIZE, t, strlen(t));
            lay_text(L, px + pw - w, y - 2, FACE_REGULAR, TICK_SIZE,
                     TARGET_COLOR, t, strlen(t), w);
        }
    }
    if (legend_on(c))
        draw_legend(L, c, pbot + g->labels);
    text_lines_release(&tl);
    buf_release(&b);
}

/* ----------------------------------------------------------- horizontal */

struct hgeo {
    double label_w, pitch, bar, plot, height;
    size_t k;
};

static struct hgeo hgeometry(struct lay *L, const struct chart_block *c)
{
    struct hgeo g;
    double most = 0;
    for (size_t i = 0; i < c->ncat; i++) {
        const char *t = c->categories[i] ? c->categories[i] : "";
        double w = text_width(&L->tx, FACE_REGULAR, LABEL_SIZE, t, strlen(t));
        most = w > most ? w : most;
    }
    /* A fixed column keeps the charts of a report aligned; a longer label
     * widens it, up to half the text width (then it is cut by nothing:
     * the label runs left into the margin rather than over the bars). */
    g.label_w = most + 6 > H_LABEL_COLUMN ? most + 6 : H_LABEL_COLUMN;
    if (g.label_w > L->w / 2)
        g.label_w = L->w / 2;
    g.k = bars_per_slot(c);
    g.bar = g.k == 1 ? 12 : 8;
    double band = (double)g.k * g.bar + (double)(g.k - 1);
    g.pitch = band + 8;
    /* A label longer than the column wraps inside it; the rows grow to
     * hold the longest. */
    size_t lines = 1;
    if (most + 6 > g.label_w) {
        struct text_lines tl = {0};
        for (size_t i = 0; i < c->ncat; i++) {
            const char *t = c->categories[i] ? c->categories[i] : "";
            text_lines_clear(&tl);
            size_t m = text_break(&L->tx, FACE_REGULAR, LABEL_SIZE, t,
                                  strlen(t), g.label_w - 6, &tl);
            lines = m > lines ? m : lines;
        }
        text_lines_release(&tl);
    }
    if (g.pitch < H_LABEL_PITCH * (double)lines + 4)
        g.pitch = H_LABEL_PITCH * (double)lines + 4;
    double legend = legend_on(c) ? LEGEND_H : 0;
    if (c->height > 0 && c->ncat) {
        g.pitch = (c->height - 16 - legend) / (double)c->ncat;
        if (g.pitch < band + 2)
            g.pitch = band + 2;
    }
    g.plot = g.pitch * (double)c->ncat;
    g.height = g.plot + 16 + legend;
    return g;
}

static void draw_horizontal(struct lay *L, const struct chart_block *c,
                            const struct axis *a, const struct hgeo *g,
                            double y0)
{
    struct buf b;
    buf_init(&b);
    struct text_lines tl = {0};
    double px = L->x0 + g->label_w, pw = L->w - g->label_w - H_VALUE_ROOM;
    double zero = a->min <= 0 && a->max >= 0 ? 0 : a->min;
    for (double v = a->min; v <= a->max + a->step * 1e-6; v += a->step) {
        double x = px + pw * frac(a, v);
        bool axis = fabs(v - zero) < a->step * 1e-6;
        if (!axis)
            lay_line(L, x, y0, x, y0 + g->plot, LAY_GRID, LAY_RULE_WIDTH);
        tick_text(&b, a, v);
        double w = tw(L, TICK_SIZE, &b);
        lay_text(L, x - w / 2, y0 + g->plot + 10, FACE_REGULAR, TICK_SIZE,
                 L->set->muted, b.data, b.len, w);
    }
    double xz = px + pw * frac(a, zero);
    double band = (double)g->k * g->bar + (double)(g->k - 1);
    for (size_t i = 0; i < c->ncat; i++) {
        double rowy = y0 + g->pitch * (double)i + (g->pitch - band) / 2;
        double pos = zero, neg = zero, end = xz;
        for (size_t s = 0; s < c->nseries; s++) {
            double v = value_at(c, s, i);
            if (isnan(v))
                continue;
            double y = rowy + (c->stacked ? 0 : (double)s * (g->bar + 1));
            double from, to;
            bar_span(c->stacked, v, zero, &pos, &neg, &from, &to);
            double x1 = px + pw * frac(a, from), x2 = px + pw * frac(a, to);
            double xl = x1 < x2 ? x1 : x2, xr = x1 < x2 ? x2 : x1;
            lay_rect(L, xl, y, xr - xl, g->bar, bar_color(&c->series[s], i),
                     COLOR_NONE, 0);
            if (xr > end)
                end = xr;
            if (c->value_labels && !c->stacked) {
                value_text(&b, c, v);
                double w = tw(L, LABEL_SIZE, &b);
                lay_text(L, xr + 4, mid_base(L, y + g->bar / 2, LABEL_SIZE),
                         FACE_REGULAR, LABEL_SIZE, L->set->text_color, b.data,
                         b.len, w);
            }
        }
        if (c->value_labels && c->stacked && pos != zero) {
            value_text(&b, c, pos);
            double w = tw(L, LABEL_SIZE, &b);
            lay_text(L, end + 4, mid_base(L, rowy + band / 2, LABEL_SIZE),
                     FACE_REGULAR, LABEL_SIZE, L->set->text_color, b.data,
                     b.len, w);
        }
        const char *t = c->categories[i] ? c->categories[i] : "";
        text_lines_clear(&tl);
        size_t n = text_break(&L->tx, FACE_REGULAR, LABEL_SIZE, t, strlen(t),
                              g->label_w - 6, &tl);
        /* The label's lines centred on the band, right-aligned at the
         * column's edge; one line sits exactly as a single text would. */
        double first = mid_base(L, rowy + band / 2, LABEL_SIZE) -
                       H_LABEL_PITCH * (double)(n - 1) / 2;
        lay_draw_lines(L, &tl, 0, n, L->x0, g->label_w - 6, first - LABEL_SIZE,
                       LABEL_SIZE, H_LABEL_PITCH, ALIGN_RIGHT,
                       L->set->text_color);
    }
    text_lines_release(&tl);
    /* The zero line over the bars' ends, in the axis colour. */
    lay_line(L, xz, y0, xz, y0 + g->plot, L->set->muted, LAY_RULE_WIDTH);
    if (isfinite(c->target)) {
        double x = px + pw * frac(a, c->target);
        lay_line(L, x, y0, x, y0 + g->plot, TARGET_COLOR, 1);
        if (c->target_label) {
            const char *t = c->target_label;
            double w =
                text_width(&L->tx, FACE_REGULAR, TICK_SIZE, t, strlen(t));
            lay_text(L, x + 2, y0 - 2, FACE_REGULAR, TICK_SIZE, TARGET_COLOR, t,
                     strlen(t), w);
        }
    }
    if (legend_on(c))
        draw_legend(L, c, y0 + g->plot + 16);
    buf_release(&b);
}

/* --------------------------------------------------------------- figure */

static double drawing_height(struct lay *L, const struct chart_block *c,
                             const struct axis *a)
{
    if (c->orient == CHART_HORIZONTAL)
        return hgeometry(L, c).height;
    return vgeometry(L, c, a).height;
}

static double caption_lines(struct lay *L, const struct chart_block *c,
                            unsigned number, struct buf *b,
                            struct text_lines *tl)
{
    text_lines_clear(tl);
    if (!c->caption || !*c->caption)
        return -LAY_CAPTION_GAP; /* no caption: no line, no gap */
    buf_clear(b);
    buf_printf(b, "Figura %u. %s", number, c->caption);
    text_break(&L->tx, FACE_BOLD, L->set->body_size, b->data, b->len, L->w, tl);
    return (double)tl->n * lay_pitch(L, L->set->body_size);
}

double lay_chart_height(struct lay *L, const struct chart_block *c)
{
    struct buf b;
    struct text_lines tl = {0};
    buf_init(&b);
    struct axis a = make_axis(c);
    double h = caption_lines(L, c, L->figures + 1, &b, &tl) + LAY_CAPTION_GAP +
               drawing_height(L, c, &a);
    if (c->numbered_labels && c->ncat)
        h += LAY_CAPTION_GAP + key_height(L, c, 0, false);
    buf_release(&b);
    text_lines_release(&tl);
    return h;
}

void lay_chart(struct lay *L, const struct chart_block *c)
{
    struct buf b;
    buf_init(&b);
    double total = lay_chart_height(L, c);
    /* 12 pt before a figure, unless the block before already asked for
     * space (a paragraph's 8 pt after is enough, as in the reference). */
    if (L->pending <= 0)
        lay_space(L, LAY_FIGURE_BEFORE);
    lay_ensure(L, total);
    double y = lay_take(L, total);
    if (c->caption && *c->caption)
        L->figures++; /* only captioned figures are numbered */
    double ch = caption_lines(L, c, L->figures, &b, &L->lines);
    double size = L->set->body_size;
    lay_draw_lines(L, &L->lines, 0, L->lines.n, L->x0, L->w, y, size,
                   lay_pitch(L, size), ALIGN_LEFT, L->set->text_color);
    double y0 = y + ch + LAY_CAPTION_GAP;
    struct axis a = make_axis(c);
    double dh;
    if (c->orient == CHART_HORIZONTAL) {
        struct hgeo g = hgeometry(L, c);
        if (L->emit)
            draw_horizontal(L, c, &a, &g, y0);
        dh = g.height;
    } else {
        struct vgeo g = vgeometry(L, c, &a);
        if (L->emit)
            draw_vertical(L, c, &a, &g, y0);
        dh = g.height;
    }
    if (c->numbered_labels && c->ncat && L->emit)
        key_height(L, c, y0 + dh + LAY_CAPTION_GAP, true);
    buf_release(&b);
}
