/* chart: bar charts (vertical and horizontal, grouped and stacked)
 * with axis, grid, value labels, legend, target line and numbered key.
 * Here the plan of a chart (its geometry and the drawings it is split
 * into), the bars and the figure; the value axis is axis.c's, the text
 * (labels, caption, legend, key) labels.c's.
 *
 * Geometry follows the reference report's figures: 8 pt labels, 7 pt
 * ticks, a 190 pt category column for horizontal charts (wider when a
 * label needs it), 20 pt rows, bars at most 40 pt wide with 1 pt between
 * the bars of a group, a 170 pt drawing unless the block sets a height.
 *
 * Whatever the data, every item stays inside the chart's box and the page:
 * - a value beyond a fixed axis is clipped at the axis, its bar broken by
 *   two white strokes near the cut end, and its label shows the real value;
 * - negative values hang from the zero line (stacked: negatives pile
 *   downwards from zero, positives upwards, each pile labelled with its
 *   sum); the zero line is always drawn when zero is on the axis;
 * - labels are bounded: category names wrap to at most MAX_LABEL_LINES
 *   lines (a word wider than the room is cut between characters) and end
 *   in "…" when cut; so do key cells, legend entries and the caption;
 * - more categories than fit one page (or one width) are split into
 *   several drawings of the same axis, one under the other and over pages;
 *   the caption of each continuation ends in "(continúa)";
 * - extreme magnitudes (up to ±DBL_MAX, denormals) never reach NaN or
 *   infinite coordinates: spans are computed without overflow and ticks
 *   beyond 1e15 or below 1e-6 are written in es-CO scientific form.
 *
 * Structure: the chart is one Figure whose alternate description is the
 * block's (its `alt:` or the one described from the data), after
 * "Figura N. "; the first caption is the figure's Caption; the bars,
 * axis and labels are the figure's content, the gridlines artifacts. */
#include "layout/chart.h"

#include "layout/axis.h"
#include "layout/labels.h"
#include "layout/plot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_HEIGHT 170.0
#define H_LABEL_COLUMN 190.0
#define H_LABEL_PITCH 9.0 /* between the lines of a wrapped label */
#define H_VALUE_ROOM 40.0
#define MIN_V_SLOT 16.0 /* narrowest category slot of a vertical chart */
#define KEY_AFTER 8.0   /* space after a numbered key */

/* ------------------------------------------------------------- the bars */

static uint32_t bar_color(const struct chart_series *s, size_t k)
{
    if (s->fills && s->fills[k] != COLOR_NONE)
        return s->fills[k];
    return s->color;
}

/* The bar broken near its cut end: two white strokes across it. (x1, y1)
 * is the cut end's centre, (dx, dy) the unit direction into the bar, t
 * the bar's thickness and len its length. */
static void break_mark(struct lay *L, double x, double y, double dx, double dy,
                       double t, double len)
{
    double at = len < 12 ? len / 3 : 4;
    for (int i = 0; i < 2; i++, at += 3) {
        double cx = x + dx * at, cy = y + dy * at;
        /* across the bar (perpendicular), slanted by 1.5 pt */
        double px = -dy, py = dx, h = t / 2;
        lay_line(L, cx - px * h - dx * 1.5, cy - py * h - dy * 1.5,
                 cx + px * h + dx * 1.5, cy + py * h + dy * 1.5, LAY_WHITE,
                 1.5f);
    }
}

/* A value beyond the axis on the side of the bars' base: no bar to
 * break, a small chevron at the base pointing where the value lies. */
static void beyond_mark(struct lay *L, double x, double y, double dx, double dy,
                        uint32_t color)
{
    double px = -dy, py = dx;
    lay_line(L, x - dx * 5 + px * 3, y - dy * 5 + py * 3, x - dx * 2,
             y - dy * 2, color, 1);
    lay_line(L, x - dx * 2, y - dy * 2, x - dx * 5 - px * 3,
             y - dy * 5 - py * 3, color, 1);
}

/* Whether the bars of category i carry their value (`values: last`:
 * only the last category's). */
static bool labelled(const struct chart_block *c, size_t i)
{
    return c->values != VALUES_LAST || i + 1 == c->ncat;
}

/* ------------------------------------------------------------- the plan */

struct vgeo {
    double left, slot, bar, gap, top, plot, under, labels, legend, height;
    bool values;
    size_t label_lines;
};

struct hgeo {
    double label_w, vleft, vright, pitch, bar, gap, plot1, legend;
    size_t k;
    bool values;
};

/* One chart: its axis, the drawings it is split into (per categories
 * each) and their fixed parts. */
struct plan {
    struct axis a;
    bool horiz, data;
    size_t per, npieces;
    double cap1, cap2;  /* caption of the first piece and of the others */
    double drawing_h;   /* vertical: the drawing; horizontal: without rows */
    unsigned char *key; /* key cell lines per category, or NULL */
    struct vgeo v;
    struct hgeo h;
};

static size_t bars_per_slot(const struct chart_block *c)
{
    return c->stacked || c->nseries == 0 ? 1 : c->nseries;
}

static double label_room_v(const struct vgeo *g, size_t k)
{
    return k == 1 ? g->slot - 2 : g->bar + 1;
}

/* Calls fn on every value label the chart may draw. */
static double widest_label(struct lay *L, const struct chart_block *c,
                           bool negative, struct buf *b)
{
    double most = 0;
    for (size_t i = 0; i < c->ncat; i++) {
        if (c->stacked) {
            double pos, neg;
            bool hp, hn;
            axis_piles(c, i, &pos, &neg, &hp, &hn);
            if (negative ? !hn : !hp)
                continue;
            axis_value_text(b, c, negative ? neg : pos);
            double w = labels_width(L, LABEL_SIZE, b);
            most = w > most ? w : most;
            continue;
        }
        for (size_t s = 0; s < c->nseries; s++) {
            double v = axis_value_at(c, s, i);
            if (isnan(v) || (v < 0) != negative)
                continue;
            axis_value_text(b, c, v);
            double w = labels_width(L, LABEL_SIZE, b);
            most = w > most ? w : most;
        }
    }
    return most;
}

static void vgeometry(struct lay *L, const struct chart_block *c,
                      const struct axis *a, size_t per, double max_drawing,
                      struct vgeo *g)
{
    struct buf b, tail;
    struct text_lines tl = {0};
    buf_init(&b);
    buf_init(&tail);
    g->left = plot_axis_room(L, a);
    size_t n = per ? per : 1, k = bars_per_slot(c);
    g->slot = (L->w - g->left) / (double)n;
    g->gap = 1;
    g->bar = floor((0.8 * g->slot - (double)(k - 1)) / (double)k);
    g->bar = g->bar > 40 ? 40 : g->bar < 1 ? 1 : g->bar;
    if ((double)k * g->bar + (double)(k - 1) > 0.9 * g->slot) {
        /* More series than a slot holds at 1 pt: thinner, no gaps. */
        g->gap = 0;
        g->bar = 0.8 * g->slot / (double)k;
    }
    /* Value labels only where they fit over their bar. */
    g->values = c->value_labels;
    double room = label_room_v(g, k);
    if (g->values && (widest_label(L, c, false, &b) > room ||
                      widest_label(L, c, true, &b) > room))
        g->values = false;
    g->label_lines = 1;
    for (size_t i = 0; i < c->ncat; i++) {
        const char *t = labels_category(c, i, &b);
        size_t m = labels_break(L, FACE_REGULAR, LABEL_SIZE, t, strlen(t),
                                g->slot - 4, MAX_LABEL_LINES, &tl, &tail);
        g->label_lines = m > g->label_lines ? m : g->label_lines;
    }
    g->top = g->values ? 12 : 0;
    g->under = g->values && axis_any_negative(c) ? 12 : 0;
    g->labels = 8 + 10 * (double)g->label_lines;
    g->legend = LEGEND_H * (double)labels_legend_rows(L, c);
    g->height = c->height > 0 ? c->height : DEFAULT_HEIGHT;
    double fixed = g->top + g->under + g->labels + g->legend;
    if (g->height > max_drawing)
        g->height = max_drawing;
    g->plot = g->height - fixed;
    if (g->plot < 40) {
        g->plot = 40;
        g->height = fixed + g->plot;
    }
    text_lines_release(&tl);
    buf_release(&b);
    buf_release(&tail);
}

static void hgeometry(struct lay *L, const struct chart_block *c,
                      double max_drawing, struct hgeo *g)
{
    double max_band = max_drawing / 4;
    struct buf b, tail;
    struct text_lines tl = {0};
    buf_init(&b);
    buf_init(&tail);
    double most = 0;
    for (size_t i = 0; i < c->ncat; i++) {
        const char *t = labels_category(c, i, &b);
        double w = labels_str_width(L, FACE_REGULAR, LABEL_SIZE, t);
        most = w > most ? w : most;
    }
    /* A fixed column keeps the charts of a report aligned; a longer label
     * widens it, up to half the text width, and wraps inside it. Numbers
     * need only their own width. */
    g->label_w = most + 6 > H_LABEL_COLUMN || c->numbered_labels
                     ? most + 6
                     : H_LABEL_COLUMN;
    if (g->label_w > L->w / 2)
        g->label_w = L->w / 2;
    /* Value labels right of positive bars and left of negative ones,
     * when they fit a fifth of the width each. */
    g->values = c->value_labels;
    double wp = widest_label(L, c, false, &b),
           wn = widest_label(L, c, true, &b);
    if (wp + 6 > L->w / 5 || wn + 6 > L->w / 5)
        g->values = false;
    g->vright = g->values && wp + 6 > H_VALUE_ROOM ? wp + 6 : H_VALUE_ROOM;
    g->vleft = g->values && wn > 0 ? wn + 6 : 0;
    g->k = bars_per_slot(c);
    g->bar = g->k == 1 ? 12 : 8;
    g->gap = 1;
    double band = (double)g->k * g->bar + (double)(g->k - 1);
    if (band > max_band) {
        g->gap = (double)g->k * 1.5 > max_band ? 0 : 1;
        g->bar = (max_band - g->gap * (double)(g->k - 1)) / (double)g->k;
        band = max_band;
    }
    g->pitch = band + 8;
    size_t lines = 1;
    if (most + 6 > g->label_w) {
        for (size_t i = 0; i < c->ncat; i++) {
            const char *t = c->categories[i] ? c->categories[i] : "";
            size_t m =
                labels_break(L, FACE_REGULAR, LABEL_SIZE, t, strlen(t),
                             g->label_w - 6, MAX_LABEL_LINES, &tl, &tail);
            lines = m > lines ? m : lines;
        }
    }
    if (g->pitch < H_LABEL_PITCH * (double)lines + 4)
        g->pitch = H_LABEL_PITCH * (double)lines + 4;
    g->legend = LEGEND_H * (double)labels_legend_rows(L, c);
    if (c->height > 0 && c->ncat) {
        double h = c->height < max_drawing ? c->height : max_drawing;
        g->pitch = (h - 16 - g->legend) / (double)c->ncat;
        if (g->pitch < band + 2)
            g->pitch = band + 2;
    }
    g->plot1 = g->pitch;
    text_lines_release(&tl);
    buf_release(&b);
    buf_release(&tail);
}

/* Height of the piece of categories [k0, k1). */
static double piece_height(struct lay *L, const struct chart_block *c,
                           const struct plan *P, size_t k0, size_t k1)
{
    double h = (k0 ? P->cap2 : P->cap1) + LAY_CAPTION_GAP + P->drawing_h;
    if (P->horiz)
        h += P->h.pitch * (double)(k1 > k0 ? k1 - k0 : 1);
    if (c->numbered_labels && k1 > k0)
        h +=
            LAY_CAPTION_GAP + labels_key_height(L, c, k0, k1, 0, false, P->key);
    return h;
}

static bool pieces_fit(struct lay *L, const struct chart_block *c,
                       const struct plan *P, size_t per, double room)
{
    for (size_t k0 = 0; k0 < c->ncat; k0 += per) {
        size_t k1 = k0 + per < c->ncat ? k0 + per : c->ncat;
        if (piece_height(L, c, P, k0, k1) > room + LAY_EPS)
            return false;
    }
    return true;
}

static void make_plan(struct lay *L, const struct chart_block *c,
                      unsigned number, struct plan *P)
{
    struct buf b, tail;
    struct text_lines tl = {0};
    buf_init(&b);
    buf_init(&tail);
    memset(P, 0, sizeof *P);
    P->a = axis_make(c);
    P->horiz = c->orient == CHART_HORIZONTAL;
    P->data = axis_any_value(c);
    double room = L->bottom - L->top;
    P->cap1 = labels_caption(L, c, number, false, &b, &tail, &tl);
    P->cap2 = labels_caption(L, c, number, true, &b, &tail, &tl);
    double cap_h = P->cap1 > P->cap2 ? P->cap1 : P->cap2;
    if (c->numbered_labels && c->ncat) {
        P->key = malloc(c->ncat);
        if (!P->key)
            arena_oom();
        for (size_t k = 0; k < c->ncat; k++)
            P->key[k] = (unsigned char)labels_key_cell(L, c, k, &b, &tail, &tl);
    }
    /* What a drawing may take: the page, less the caption and one row of
     * the key. */
    double key1 = c->numbered_labels && c->ncat
                      ? LAY_CAPTION_GAP + KEY_PITCH * MAX_KEY_LINES
                      : 0;
    double max_drawing = room - cap_h - LAY_CAPTION_GAP - key1;
    size_t n = c->ncat ? c->ncat : 1, per;
    if (P->horiz) {
        hgeometry(L, c, max_drawing, &P->h);
        P->drawing_h = 16 + P->h.legend;
        double rows = floor((max_drawing - P->drawing_h) / P->h.pitch);
        per = rows < 1 ? 1 : rows < (double)n ? (size_t)rows : n;
    } else {
        size_t k = bars_per_slot(c);
        labels_number(&b, n - 1);
        double min_slot =
            c->numbered_labels ? labels_width(L, LABEL_SIZE, &b) + 6 : 0;
        if (min_slot < MIN_V_SLOT)
            min_slot = MIN_V_SLOT;
        if (min_slot < (2.0 * (double)k - 1) / 0.8)
            min_slot = (2.0 * (double)k - 1) / 0.8;
        vgeometry(L, c, &P->a, n, max_drawing, &P->v);
        double fit = floor((L->w - P->v.left) / min_slot);
        per = fit < 1 ? 1 : fit < (double)n ? (size_t)fit : n;
        vgeometry(L, c, &P->a, per, max_drawing, &P->v);
        P->drawing_h = P->v.height;
    }
    /* Fewer categories a piece until each piece fits an empty page. */
    if (c->ncat && !pieces_fit(L, c, P, per, room)) {
        size_t lo = 1, hi = per;
        while (lo < hi) {
            size_t mid = lo + (hi - lo + 1) / 2;
            if (pieces_fit(L, c, P, mid, room))
                lo = mid;
            else
                hi = mid - 1;
        }
        per = lo;
    }
    /* Pieces of even size, so that the last is not a stub. */
    size_t np = (n + per - 1) / per;
    per = (n + np - 1) / np;
    if (!P->horiz && per != n) {
        vgeometry(L, c, &P->a, per, max_drawing, &P->v);
        P->drawing_h = P->v.height;
    }
    P->per = per;
    P->npieces = np;
    text_lines_release(&tl);
    buf_release(&b);
    buf_release(&tail);
}

static void plan_release(struct plan *P)
{
    free(P->key);
    P->key = NULL;
}

/* ------------------------------------------------------------- vertical */

static void draw_vertical(struct lay *L, const struct chart_block *c,
                          const struct plan *P, size_t k0, size_t k1, double y0)
{
    const struct axis *a = &P->a;
    const struct vgeo *g = &P->v;
    struct buf b, tail;
    struct text_lines tl = {0};
    struct label_boxes boxes = {0};
    buf_init(&b);
    buf_init(&tail);
    double px = L->x0 + g->left, pw = L->w - g->left;
    double ptop = y0 + g->top, pbot = ptop + g->plot;
    double yz = plot_value_axis(L, a, px, pw, pbot, g->plot);
    if (!P->data)
        labels_no_data(L, px, ptop, pw, g->plot);
    size_t k = bars_per_slot(c);
    double group = (double)k * g->bar + (double)(k - 1) * g->gap;
    for (size_t i = k0; i < k1; i++) {
        double cx = px + g->slot * ((double)(i - k0) + 0.5);
        double pos = 0, neg = 0, top = yz, bottom = yz;
        for (size_t s = 0; s < c->nseries; s++) {
            double v = axis_value_at(c, s, i);
            if (isnan(v))
                continue;
            double x = cx - group / 2 +
                       (c->stacked ? 0 : (double)s * (g->bar + g->gap));
            double from, to;
            axis_bar_span(c->stacked, v, &pos, &neg, &from, &to);
            double y1 = pbot - g->plot * axis_frac(a, from);
            double y2 = pbot - g->plot * axis_frac(a, to);
            double yt = y1 < y2 ? y1 : y2, yb = y1 < y2 ? y2 : y1;
            uint32_t color = bar_color(&c->series[s], i);
            lay_rect(L, x, yt, g->bar, yb - yt, color, COLOR_NONE, 0);
            bool cut = to > a->max || to < a->min;
            if (cut && yb - yt > 1)
                break_mark(L, x + g->bar / 2, y2, 0, to > a->max ? 1 : -1,
                           g->bar, yb - yt);
            else if (cut)
                beyond_mark(L, x + g->bar / 2, y2, 0, to > a->max ? -1 : 1,
                            L->set->muted);
            if (yt < top)
                top = yt;
            if (yb > bottom)
                bottom = yb;
            if (g->values && !c->stacked && labelled(c, i)) {
                axis_value_text(&b, c, v);
                double w = labels_width(L, LABEL_SIZE, &b);
                double base = v < 0 ? yb + 3 + LABEL_SIZE * 0.75 : yt - 3;
                labels_value(L, &boxes, x + (g->bar - w) / 2, base, &b);
            }
        }
        if (g->values && c->stacked && labelled(c, i)) {
            double sp, sn;
            bool hp, hn;
            axis_piles(c, i, &sp, &sn, &hp, &hn);
            if (hp) {
                axis_value_text(&b, c, sp);
                double w = labels_width(L, LABEL_SIZE, &b);
                labels_value(L, &boxes, cx - w / 2, top - 3, &b);
            }
            if (hn) {
                axis_value_text(&b, c, sn);
                double w = labels_width(L, LABEL_SIZE, &b);
                labels_value(L, &boxes, cx - w / 2,
                             bottom + 3 + LABEL_SIZE * 0.75, &b);
            }
        }
        /* Category label: a number, or the name wrapped to the slot. */
        const char *t = labels_category(c, i, &b);
        size_t n = labels_break(L, FACE_REGULAR, LABEL_SIZE, t, strlen(t),
                                g->slot - 4, MAX_LABEL_LINES, &tl, &tail);
        lay_draw_lines(L, &tl, 0, n, cx - (g->slot - 4) / 2, g->slot - 4,
                       pbot + g->under + 11 - LABEL_SIZE, LABEL_SIZE, 10,
                       ALIGN_CENTER, L->set->text_color);
    }
    plot_target_across(L, c, a, &boxes, px, pw, ptop, g->plot, y0);
    if (labels_legend_on(c))
        labels_legend(L, c, pbot + g->under + g->labels);
    labels_boxes_release(&boxes);
    text_lines_release(&tl);
    buf_release(&b);
    buf_release(&tail);
}

/* ----------------------------------------------------------- horizontal */

static void draw_horizontal(struct lay *L, const struct chart_block *c,
                            const struct plan *P, size_t k0, size_t k1,
                            double y0)
{
    const struct axis *a = &P->a;
    const struct hgeo *g = &P->h;
    struct buf b, tail;
    buf_init(&b);
    buf_init(&tail);
    struct text_lines tl = {0};
    struct label_boxes boxes = {0};
    double px = L->x0 + g->label_w + g->vleft;
    double pw = L->w - g->label_w - g->vleft - g->vright;
    double plot = g->pitch * (double)(k1 > k0 ? k1 - k0 : 1);
    for (size_t t = 0; t < a->nticks; t++) {
        double v = axis_tick(a, t);
        double x = px + pw * axis_frac(a, v);
        bool axis = fabs(v - a->zero) < a->step * 1e-6;
        if (!axis)
            plot_grid_line(L, x, y0, x, y0 + plot);
        axis_tick_text(&b, a, v);
        double w = labels_width(L, TICK_SIZE, &b);
        double tx = x - w / 2;
        if (tx + w > L->x0 + L->w)
            tx = L->x0 + L->w - w;
        if (tx < L->x0) /* a wide tick beside a narrow number column */
            tx = L->x0;
        lay_text(L, tx, y0 + plot + 10, FACE_REGULAR, TICK_SIZE, L->set->muted,
                 b.data, b.len, w);
    }
    if (!P->data)
        labels_no_data(L, px, y0, pw, plot);
    double xz = px + pw * axis_frac(a, a->zero);
    double band = (double)g->k * g->bar + (double)(g->k - 1) * g->gap;
    for (size_t i = k0; i < k1; i++) {
        double rowy = y0 + g->pitch * (double)(i - k0) + (g->pitch - band) / 2;
        double pos = 0, neg = 0, end = xz, start = xz;
        for (size_t s = 0; s < c->nseries; s++) {
            double v = axis_value_at(c, s, i);
            if (isnan(v))
                continue;
            double y = rowy + (c->stacked ? 0 : (double)s * (g->bar + g->gap));
            double from, to;
            axis_bar_span(c->stacked, v, &pos, &neg, &from, &to);
            double x1 = px + pw * axis_frac(a, from),
                   x2 = px + pw * axis_frac(a, to);
            double xl = x1 < x2 ? x1 : x2, xr = x1 < x2 ? x2 : x1;
            lay_rect(L, xl, y, xr - xl, g->bar, bar_color(&c->series[s], i),
                     COLOR_NONE, 0);
            bool cut = to > a->max || to < a->min;
            if (cut && xr - xl > 1)
                break_mark(L, x2, y + g->bar / 2, to > a->max ? -1 : 1, 0,
                           g->bar, xr - xl);
            else if (cut)
                beyond_mark(L, x2, y + g->bar / 2, to > a->max ? 1 : -1, 0,
                            L->set->muted);
            if (xr > end)
                end = xr;
            if (xl < start)
                start = xl;
            if (g->values && !c->stacked && labelled(c, i)) {
                axis_value_text(&b, c, v);
                double w = labels_width(L, LABEL_SIZE, &b);
                labels_value(L, &boxes, v < 0 ? xl - 4 - w : xr + 4,
                             labels_mid_base(L, y + g->bar / 2, LABEL_SIZE),
                             &b);
            }
        }
        if (g->values && c->stacked && labelled(c, i)) {
            double sp, sn;
            bool hp, hn;
            axis_piles(c, i, &sp, &sn, &hp, &hn);
            double base = labels_mid_base(L, rowy + band / 2, LABEL_SIZE);
            if (hp) {
                axis_value_text(&b, c, sp);
                labels_value(L, &boxes, end + 4, base, &b);
            }
            if (hn) {
                axis_value_text(&b, c, sn);
                double w = labels_width(L, LABEL_SIZE, &b);
                labels_value(L, &boxes, start - 4 - w, base, &b);
            }
        }
        const char *t = labels_category(c, i, &b);
        size_t n = labels_break(L, FACE_REGULAR, LABEL_SIZE, t, strlen(t),
                                g->label_w - 6, MAX_LABEL_LINES, &tl, &tail);
        /* The label's lines centred on the band, right-aligned at the
         * column's edge; one line sits exactly as a single text would. */
        double first = labels_mid_base(L, rowy + band / 2, LABEL_SIZE) -
                       H_LABEL_PITCH * (double)(n - 1) / 2;
        lay_draw_lines(L, &tl, 0, n, L->x0, g->label_w - 6, first - LABEL_SIZE,
                       LABEL_SIZE, H_LABEL_PITCH, ALIGN_RIGHT,
                       L->set->text_color);
    }
    /* The zero line over the bars' ends, in the axis colour. */
    lay_line(L, xz, y0, xz, y0 + plot, L->set->muted, LAY_RULE_WIDTH);
    if (isfinite(c->target)) {
        bool in = c->target >= a->min && c->target <= a->max;
        double x = px + pw * axis_frac(a, c->target);
        if (in)
            labels_target_line(L, &boxes, x, y0, x, y0 + plot, TARGET_COLOR);
        labels_target(c, a, &b);
        if (b.len) {
            double room = in ? L->x0 + L->w - x - 2 : pw;
            size_t n = labels_break(L, FACE_REGULAR, TICK_SIZE, b.data, b.len,
                                    room > 20 ? room : 20, 1, &tl, &tail);
            double w = n ? tl.line[0].width : 0;
            double tx = in ? x + 2 : c->target > a->max ? px + pw - w : px;
            if (tx + w > L->x0 + L->w)
                tx = L->x0 + L->w - w;
            lay_draw_lines(L, &tl, 0, n, tx, w, y0 - 2 - TICK_SIZE, TICK_SIZE,
                           TICK_SIZE, ALIGN_LEFT, TARGET_COLOR);
        }
    }
    if (labels_legend_on(c))
        labels_legend(L, c, y0 + plot + 16);
    labels_boxes_release(&boxes);
    text_lines_release(&tl);
    buf_release(&b);
    buf_release(&tail);
}

/* --------------------------------------------------------------- figure */

/* A split chart's first drawing takes the rest of the current page when
 * at least this many categories fit there. */
#define MIN_FIRST_PIECE 3

double lay_chart_height(struct lay *L, const struct chart_block *c)
{
    struct plan P;
    make_plan(L, c, L->figures + 1, &P);
    size_t k1 = P.per < c->ncat ? P.per : c->ncat;
    if (P.npieces > 1 && k1 > MIN_FIRST_PIECE)
        k1 = MIN_FIRST_PIECE; /* what must stay with a heading */
    double h = piece_height(L, c, &P, 0, k1);
    plan_release(&P);
    return h;
}

/* Categories of the first drawing of a split chart: as many as fit the
 * rest of the page (at most a full drawing's), or a full drawing's on the
 * next page when fewer than MIN_FIRST_PIECE fit. */
static size_t first_piece(struct lay *L, const struct chart_block *c,
                          const struct plan *P)
{
    if (P->npieces < 2 || L->page_empty)
        return P->per;
    double room = L->bottom - L->y - lay_gap(L);
    size_t n = P->per;
    while (n >= MIN_FIRST_PIECE && piece_height(L, c, P, 0, n) > room + LAY_EPS)
        n--;
    return n >= MIN_FIRST_PIECE ? n : P->per;
}

void lay_chart(struct lay *L, const struct chart_block *c)
{
    struct buf b, tail;
    buf_init(&b);
    buf_init(&tail);
    /* 12 pt before a figure, unless the block before already asked for
     * space (a paragraph's 8 pt after is enough, as in the reference). */
    if (L->pending <= 0)
        lay_space(L, LAY_FIGURE_BEFORE);
    if (c->caption && *c->caption)
        L->figures++; /* only captioned figures are numbered */
    plot_begin_figure(L, c, &b);
    struct plan P;
    make_plan(L, c, L->figures, &P);
    /* The drawings: the first, then the rest in pieces of even size. */
    size_t first = first_piece(L, c, &P), rest = 0, per = P.per;
    if (first < c->ncat) {
        rest = c->ncat - first;
        size_t np = (rest + P.per - 1) / P.per;
        per = (rest + np - 1) / np;
    }
    for (size_t k0 = 0, p = 0; p == 0 || k0 < c->ncat; p++) {
        size_t cnt = p == 0 ? first : per;
        size_t k1 = k0 + cnt < c->ncat ? k0 + cnt : c->ncat;
        double total = piece_height(L, c, &P, k0, k1);
        if (p > 0)
            lay_space(L, LAY_FIGURE_BEFORE);
        lay_ensure(L, total);
        double y = lay_take(L, total);
        double ch = plot_caption(L, c, p > 0, y);
        double y0 = y + ch + LAY_CAPTION_GAP;
        double dh = P.drawing_h;
        if (P.horiz) {
            dh += P.h.pitch * (double)(k1 > k0 ? k1 - k0 : 1);
            if (L->emit)
                draw_horizontal(L, c, &P, k0, k1, y0);
        } else if (L->emit) {
            draw_vertical(L, c, &P, k0, k1, y0);
        }
        if (c->numbered_labels && k1 > k0 && L->emit)
            labels_key_height(L, c, k0, k1, y0 + dh + LAY_CAPTION_GAP, true,
                              NULL);
        k0 = k1;
    }
    /* The key ends at its last baseline: a little room before what
     * follows (a table's caption would touch it). */
    if (c->numbered_labels && c->ncat)
        lay_space(L, KEY_AFTER);
    lay_end(L);
    plan_release(&P);
    buf_release(&b);
    buf_release(&tail);
}
