/* layout_chart: bar charts (vertical and horizontal, grouped and stacked)
 * with axis, grid, value labels, legend, target line and numbered key.
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
 *   beyond 1e15 or below 1e-6 are written in es-CO scientific form. */
#include "layout/internal.h"

#include "data/fmt.h"

#include <float.h>
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
#define MAX_LABEL_LINES 3
#define MAX_KEY_LINES 3
#define MAX_CAPTION_LINES 3
#define MAX_LEGEND_ROWS 3
#define MIN_V_SLOT 16.0 /* narrowest category slot of a vertical chart */
#define MAX_TICKS 60
#define ELLIPSIS "…"
#define CONT_MARK "(continúa)"
#define NO_DATA "Sin datos"

struct axis {
    double min, max, step;
    double first; /* the first tick: min, or the first multiple of step */
    double zero;  /* where bars start: 0, or the axis end nearest to it */
    size_t nticks;
    int decimals;
    bool sci; /* ticks in scientific form (1,5E+300) */
};

/* hi - lo over k without overflow, for any finite lo <= hi. */
static double span_over(double lo, double hi, double k)
{
    return hi / k - lo / k;
}

/* 1, 2, 2.5 or 5 times a power of ten, at least x; x itself when the
 * power of ten is out of the range of a double. */
static double nice_step(double x)
{
    if (!(x > 0) || !isfinite(x))
        return 1;
    double p = pow(10, floor(log10(x)));
    if (!(p > 0) || !isfinite(p))
        return x;
    double m = x / p;
    double f = m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10;
    double s = f * p;
    return isfinite(s) && s >= x ? s : x;
}

static double value_at(const struct chart_block *c, size_t s, size_t k)
{
    double v = c->series[s].values ? c->series[s].values[k] : NAN;
    return isfinite(v) ? v : NAN;
}

static bool any_value(const struct chart_block *c)
{
    for (size_t s = 0; s < c->nseries; s++)
        for (size_t k = 0; k < c->ncat; k++)
            if (!isnan(value_at(c, s, k)))
                return true;
    return false;
}

/* A sum that stays finite (piles of values near DBL_MAX). */
static double add_sat(double a, double b)
{
    double s = a + b;
    return isfinite(s) ? s : s > 0 ? DBL_MAX : -DBL_MAX;
}

/* x is a whole number, up to the noise of binary fractions. */
static bool whole(double x)
{
    return x >= 0.5 && fabs(x - round(x)) <= 1e-9 * x;
}

static bool step_ok(double min, double max, double step)
{
    return step > 0 && isfinite(step) && min + step != min &&
           max - step != max && span_over(min, max, step) <= MAX_TICKS - 1;
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
                    pos = add_sat(pos, v);
                else
                    neg = add_sat(neg, v);
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
    if (!(a.max > a.min)) {
        /* Only one end fixed and every value beyond it, or no value. */
        double up = a.min + fabs(a.min) + 1;
        if (isfinite(up) && up > a.min) {
            a.max = up;
        } else {
            a.max = a.min;
            a.min = a.max - fabs(a.max) - 1;
        }
    }
    double step = isfinite(c->step) && c->step > 0
                      ? c->step
                      : nice_step(span_over(a.min, a.max, 5));
    if (!isfinite(c->min)) {
        double m = floor(a.min / step + 1e-9) * step;
        if (isfinite(m) && m <= a.min)
            a.min = m;
    }
    if (!isfinite(c->max)) {
        double m = ceil(a.max / step - 1e-9) * step;
        if (isfinite(m) && m >= a.max)
            a.max = m;
    }
    if (!step_ok(a.min, a.max, step)) /* a step far too small */
        step = nice_step(span_over(a.min, a.max, 5));
    if (!step_ok(a.min, a.max, step)) /* beyond what a double can step */
        step = span_over(a.min, a.max, 1) > 0 && isfinite(a.max - a.min)
                   ? a.max - a.min
                   : a.max / 2 - a.min / 2;
    a.step = step;
    /* Ticks from the minimum; an automatic minimum that could not be
     * rounded (beyond ±DBL_MAX) starts them at the first multiple. */
    a.first = a.min;
    double q = a.min / step;
    if (!isfinite(c->min) && fabs(q - round(q)) > 1e-9 * fmax(1, fabs(q))) {
        double f = ceil(a.min / step - 1e-9) * step;
        if (isfinite(f) && f < a.max)
            a.first = f;
    }
    double n = floor(span_over(a.first, a.max, a.step) + 1e-6);
    a.nticks = n >= 0 && n < MAX_TICKS ? (size_t)n + 1 : 2;
    /* Decimals the step needs, up to 6; a finer step (or a figure of 16
     * digits or more) makes the ticks scientific. */
    a.decimals = 0;
    double st = a.step;
    while (a.decimals < 6 && !whole(st)) {
        st *= 10;
        a.decimals++;
    }
    double big = fabs(a.min) > fabs(a.max) ? fabs(a.min) : fabs(a.max);
    a.sci = big >= 1e15 || !whole(st);
    a.zero = a.min > 0 ? a.min : a.max < 0 ? a.max : 0;
    return a;
}

static double tick_value(const struct axis *a, size_t i)
{
    double v = a->first + (double)i * a->step;
    if (!isfinite(v)) /* near ±DBL_MAX: the same sum in halves */
        v = 2 * (a->first / 2 + (double)i * (a->step / 2));
    if (!isfinite(v) || v > a->max)
        v = a->max;
    return fabs(v) < a->step * 1e-9 ? 0 : v;
}

static double clampv(const struct axis *a, double v)
{
    return v < a->min ? a->min : v > a->max ? a->max : v;
}

/* Where v falls on the axis, 0 at min and 1 at max; values beyond the
 * axis are clipped to its ends. */
static double frac(const struct axis *a, double v)
{
    v = clampv(a, v);
    double span = a->max - a->min;
    double f = isfinite(span)
                   ? (v - a->min) / span
                   : (v / 2 - a->min / 2) / (a->max / 2 - a->min / 2);
    return isfinite(f) ? (f < 0 ? 0 : f > 1 ? 1 : f) : 0;
}

static void tick_text(struct buf *b, const struct axis *a, double v)
{
    buf_clear(b);
    if (a->sci)
        fmt_scientific(b, v, -1);
    else
        fmt_number(b, v, a->decimals, true);
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

static double sw(struct lay *L, enum face face, double size, const char *s)
{
    return text_width(&L->tx, face, size, s, strlen(s));
}

/* Baseline that centres a line of the given size on y. */
static double mid_base(struct lay *L, double y, double size)
{
    return y + size * L->fonts->face[FACE_REGULAR].cap_height / 2000.0;
}

/* Breaks s into at most max lines of width points; when text is left
 * over, the last line is cut to end in "…" within the width. tail keeps
 * the text of that line (drawn from tl until tail changes). */
static size_t bounded_break(struct lay *L, enum face face, double size,
                            const char *s, size_t n, double width, size_t max,
                            struct text_lines *tl, struct buf *tail)
{
    text_lines_clear(tl);
    size_t got = text_break(&L->tx, face, size, s, n, width, tl);
    if (got <= max)
        return got;
    struct text_line *ln = &tl->line[max - 1];
    const struct text_line *next = &tl->line[max];
    const char *from = ln->n ? tl->frag[ln->first].text : "";
    const char *to = ln->n && next->n ? tl->frag[next->first].text
                     : ln->n          ? from + tl->frag[ln->first].len
                                      : from;
    if (ln->first >= tl->capfrag) { /* an empty line at the very end */
        tl->capfrag = ln->first + 1;
        tl->frag = xrealloc(tl->frag, tl->capfrag * sizeof *tl->frag);
    }
    double ew = sw(L, face, size, ELLIPSIS);
    size_t len = (size_t)(to - from);
    while (len > 0 && (from[len - 1] == ' ' ||
                       text_width(&L->tx, face, size, from, len) + ew > width))
        do /* back to the start of a UTF-8 sequence */
            len--;
        while (len > 0 && ((unsigned char)from[len] & 0xC0) == 0x80);
    buf_clear(tail);
    buf_add(tail, from, len);
    buf_adds(tail, ELLIPSIS);
    double w = text_width(&L->tx, face, size, tail->data, tail->len);
    tl->n = max;
    tl->nfrag = ln->first + 1;
    ln->n = 1;
    ln->width = w;
    tl->frag[ln->first] = (struct text_frag){face, tail->data, tail->len, 0, w};
    return max;
}

/* Where bar value v runs on the value axis: from zero when bars stand side
 * by side; stacked, from the top of the pile of its sign (pos and neg are
 * the piles so far, from zero, updated). */
static void bar_span(bool stacked, double v, double *pos, double *neg,
                     double *from, double *to)
{
    *from = 0;
    *to = v;
    if (!stacked)
        return;
    double *pile = v >= 0 ? pos : neg;
    *from = *pile;
    *to = add_sat(*pile, v);
    *pile = *to;
}

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

/* --------------------------------------------------------------- legend */

static bool legend_on(const struct chart_block *c)
{
    /* The evaluator decides (on by default with several series). */
    return c->nseries > 0 && c->legend;
}

struct legend {
    size_t rows, shown; /* entries drawn; the rest are counted */
    double *x;          /* per entry: left edge relative to the row start */
    size_t *row;
    double *rowlen;
};

static double legend_label_max(struct lay *L)
{
    return L->w / 2 - 11;
}

static double entry_width(struct lay *L, const struct chart_block *c, size_t s)
{
    const char *t = c->series[s].label ? c->series[s].label : "";
    double w = sw(L, FACE_REGULAR, LABEL_SIZE, t);
    double m = legend_label_max(L);
    return 11 + (w > m ? m : w);
}

/* Entries flow into centred rows of the text width; after
 * MAX_LEGEND_ROWS rows the rest are summed up as "y N más". */
static size_t legend_rows(struct lay *L, const struct chart_block *c)
{
    if (!legend_on(c))
        return 0;
    size_t rows = 1;
    double x = 0;
    for (size_t s = 0; s < c->nseries; s++) {
        double w = entry_width(L, c, s);
        if (x > 0 && x + 16 + w > L->w) {
            if (rows == MAX_LEGEND_ROWS)
                break;
            rows++;
            x = 0;
        }
        x += (x > 0 ? 16 : 0) + w;
    }
    return rows;
}

static void draw_legend(struct lay *L, const struct chart_block *c, double top)
{
    struct buf more, tail;
    struct text_lines tl = {0};
    buf_init(&more);
    buf_init(&tail);
    size_t s = 0;
    for (size_t row = 0; row < MAX_LEGEND_ROWS && s < c->nseries; row++) {
        /* The entries of this row, and room for "y N más" on the last. */
        size_t first = s;
        double len = 0;
        while (s < c->nseries) {
            double w = entry_width(L, c, s);
            double need = (len > 0 ? 16 : 0) + w;
            if (len > 0 && len + need > L->w)
                break;
            len += need;
            s++;
        }
        size_t end = s;
        buf_clear(&more);
        if (row == MAX_LEGEND_ROWS - 1 && s < c->nseries) {
            buf_printf(&more, "y %zu más", c->nseries - s);
            double mw = tw(L, LABEL_SIZE, &more) + 16;
            while (end > first + 1 && len + mw > L->w) {
                end--;
                len -= entry_width(L, c, end) + 16;
            }
            s = end;
            buf_clear(&more);
            buf_printf(&more, "y %zu más", c->nseries - s);
            len += tw(L, LABEL_SIZE, &more) + 16;
        }
        double x = L->x0 + (L->w - len) / 2, base = top + 8 + LEGEND_H * row;
        for (size_t k = first; k < end; k++) {
            const char *t = c->series[k].label ? c->series[k].label : "";
            bounded_break(L, FACE_REGULAR, LABEL_SIZE, t, strlen(t),
                          legend_label_max(L), 1, &tl, &tail);
            lay_rect(L, x, base - 7.5, 8, 8, c->series[k].color, COLOR_NONE, 0);
            const struct text_frag *f = tl.nfrag ? &tl.frag[0] : NULL;
            if (f)
                lay_text(L, x + 11, base, FACE_REGULAR, LABEL_SIZE,
                         L->set->text_color, f->text, f->len, f->w);
            x += 11 + (tl.n ? tl.line[0].width : 0) + 16;
        }
        if (more.len)
            lay_text(L, x, base, FACE_REGULAR, LABEL_SIZE, L->set->muted,
                     more.data, more.len, tw(L, LABEL_SIZE, &more));
    }
    text_lines_release(&tl);
    buf_release(&more);
    buf_release(&tail);
}

/* ---------------------------------------------------------- numbered key */

/* Breaks key cell k ("k+1. name") into tl; returns its line count. */
static size_t key_cell(struct lay *L, const struct chart_block *c, size_t k,
                       struct buf *b, struct buf *tail, struct text_lines *tl)
{
    buf_clear(b);
    buf_printf(b, "%zu. %s", k + 1, c->categories[k] ? c->categories[k] : "");
    return bounded_break(L, FACE_REGULAR, LABEL_SIZE, b->data, b->len,
                         L->w / 2 - 4, MAX_KEY_LINES, tl, tail);
}

/* The key of categories [k0, k1) in two columns; lines, when known, holds
 * the line count of every key cell. */
static double key_height(struct lay *L, const struct chart_block *c, size_t k0,
                         size_t k1, double top, bool draw,
                         const unsigned char *lines)
{
    struct buf b, tail;
    struct text_lines tl = {0};
    buf_init(&b);
    buf_init(&tail);
    size_t rows = (k1 - k0 + 1) / 2;
    double y = top;
    for (size_t r = 0; r < rows; r++) {
        size_t most = 1;
        for (size_t col = 0; col < 2; col++) {
            size_t k = k0 + r + col * rows;
            if (k >= k1)
                continue;
            size_t n =
                lines && !draw ? lines[k] : key_cell(L, c, k, &b, &tail, &tl);
            most = n > most ? n : most;
            if (draw)
                lay_draw_lines(L, &tl, 0, n, L->x0 + (double)col * L->w / 2,
                               L->w / 2 - 4, y, LABEL_SIZE, KEY_PITCH,
                               ALIGN_LEFT, L->set->text_color);
        }
        y += (double)most * KEY_PITCH;
    }
    buf_release(&b);
    buf_release(&tail);
    text_lines_release(&tl);
    return y - top;
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

static void number_text(struct buf *b, size_t i)
{
    buf_clear(b);
    buf_printf(b, "%zu", i + 1);
}

/* What stands under category i: its number when the chart numbers its
 * labels (the text then lives in b), else its name. */
static const char *category_label(const struct chart_block *c, size_t i,
                                  struct buf *b)
{
    if (c->numbered_labels) {
        number_text(b, i);
        return b->data;
    }
    return c->categories[i] ? c->categories[i] : "";
}

static bool negative_labels(const struct chart_block *c)
{
    for (size_t s = 0; s < c->nseries; s++)
        for (size_t i = 0; i < c->ncat; i++)
            if (value_at(c, s, i) < 0)
                return true;
    return false;
}

static double label_room_v(const struct vgeo *g, size_t k)
{
    return k == 1 ? g->slot - 2 : g->bar + 1;
}

/* The stacked piles of category i: their sums and whether they exist. */
static void piles(const struct chart_block *c, size_t i, double *pos,
                  double *neg, bool *has_pos, bool *has_neg)
{
    *pos = *neg = 0;
    *has_pos = *has_neg = false;
    for (size_t s = 0; s < c->nseries; s++) {
        double v = value_at(c, s, i);
        if (isnan(v))
            continue;
        if (v > 0) {
            *pos = add_sat(*pos, v);
            *has_pos = true;
        } else if (v < 0) {
            *neg = add_sat(*neg, v);
            *has_neg = true;
        }
    }
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
            piles(c, i, &pos, &neg, &hp, &hn);
            if (negative ? !hn : !hp)
                continue;
            value_text(b, c, negative ? neg : pos);
            double w = tw(L, LABEL_SIZE, b);
            most = w > most ? w : most;
            continue;
        }
        for (size_t s = 0; s < c->nseries; s++) {
            double v = value_at(c, s, i);
            if (isnan(v) || (v < 0) != negative)
                continue;
            value_text(b, c, v);
            double w = tw(L, LABEL_SIZE, b);
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
    g->left = V_AXIS_ROOM;
    for (size_t t = 0; t < a->nticks; t++) {
        tick_text(&b, a, tick_value(a, t));
        double w = tw(L, TICK_SIZE, &b) + 8;
        g->left = w > g->left ? w : g->left;
    }
    if (g->left > L->w / 3)
        g->left = L->w / 3;
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
        const char *t = category_label(c, i, &b);
        size_t m = bounded_break(L, FACE_REGULAR, LABEL_SIZE, t, strlen(t),
                                 g->slot - 4, MAX_LABEL_LINES, &tl, &tail);
        g->label_lines = m > g->label_lines ? m : g->label_lines;
    }
    g->top = g->values ? 12 : 0;
    g->under = g->values && negative_labels(c) ? 12 : 0;
    g->labels = 8 + 10 * (double)g->label_lines;
    g->legend = LEGEND_H * (double)legend_rows(L, c);
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
        const char *t = category_label(c, i, &b);
        double w = sw(L, FACE_REGULAR, LABEL_SIZE, t);
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
                bounded_break(L, FACE_REGULAR, LABEL_SIZE, t, strlen(t),
                              g->label_w - 6, MAX_LABEL_LINES, &tl, &tail);
            lines = m > lines ? m : lines;
        }
    }
    if (g->pitch < H_LABEL_PITCH * (double)lines + 4)
        g->pitch = H_LABEL_PITCH * (double)lines + 4;
    g->legend = LEGEND_H * (double)legend_rows(L, c);
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

static double caption_lines(struct lay *L, const struct chart_block *c,
                            unsigned number, bool cont, struct buf *b,
                            struct buf *tail, struct text_lines *tl)
{
    text_lines_clear(tl);
    bool has = c->caption && *c->caption;
    if (!has && !cont)
        return -LAY_CAPTION_GAP; /* no caption: no line, no gap */
    buf_clear(b);
    if (has)
        buf_printf(b, "Figura %u. %s%s", number, c->caption,
                   cont ? " " CONT_MARK : "");
    else
        buf_adds(b, CONT_MARK);
    size_t n = bounded_break(L, FACE_BOLD, L->set->body_size, b->data, b->len,
                             L->w, MAX_CAPTION_LINES, tl, tail);
    return (double)n * lay_pitch(L, L->set->body_size);
}

/* Height of the piece of categories [k0, k1). */
static double piece_height(struct lay *L, const struct chart_block *c,
                           const struct plan *P, size_t k0, size_t k1)
{
    double h = (k0 ? P->cap2 : P->cap1) + LAY_CAPTION_GAP + P->drawing_h;
    if (P->horiz)
        h += P->h.pitch * (double)(k1 > k0 ? k1 - k0 : 1);
    if (c->numbered_labels && k1 > k0)
        h += LAY_CAPTION_GAP + key_height(L, c, k0, k1, 0, false, P->key);
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
    P->a = make_axis(c);
    P->horiz = c->orient == CHART_HORIZONTAL;
    P->data = any_value(c);
    double room = L->bottom - L->top;
    P->cap1 = caption_lines(L, c, number, false, &b, &tail, &tl);
    P->cap2 = caption_lines(L, c, number, true, &b, &tail, &tl);
    double cap_h = P->cap1 > P->cap2 ? P->cap1 : P->cap2;
    if (c->numbered_labels && c->ncat) {
        P->key = malloc(c->ncat);
        if (!P->key)
            arena_oom();
        for (size_t k = 0; k < c->ncat; k++)
            P->key[k] = (unsigned char)key_cell(L, c, k, &b, &tail, &tl);
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
        number_text(&b, n - 1);
        double min_slot = c->numbered_labels ? tw(L, LABEL_SIZE, &b) + 6 : 0;
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

/* ----------------------------------------------------------- no data */

static void no_data(struct lay *L, double x, double y, double w, double h)
{
    double tw0 = sw(L, FACE_ITALIC, LABEL_SIZE, NO_DATA);
    lay_text(L, x + (w - tw0) / 2, mid_base(L, y + h / 2, LABEL_SIZE),
             FACE_ITALIC, LABEL_SIZE, L->set->muted, NO_DATA, strlen(NO_DATA),
             tw0);
}

/* A target beyond the axis: its label (or value) at the axis end, with
 * the note, instead of a line drawn off the plot. */
static void target_text(const struct chart_block *c, const struct axis *a,
                        struct buf *b)
{
    buf_clear(b);
    bool out = c->target < a->min || c->target > a->max;
    if (c->target_label)
        buf_adds(b, c->target_label);
    if (out) {
        struct buf v;
        buf_init(&v);
        value_text(&v, c, c->target);
        buf_printf(b, "%s(%s, fuera del eje)", c->target_label ? " " : "Meta ",
                   v.data ? v.data : "");
        buf_release(&v);
    }
}

/* ------------------------------------------------------------- vertical */

static void draw_vertical(struct lay *L, const struct chart_block *c,
                          const struct plan *P, size_t k0, size_t k1, double y0)
{
    const struct axis *a = &P->a;
    const struct vgeo *g = &P->v;
    struct buf b, tail;
    struct text_lines tl = {0};
    buf_init(&b);
    buf_init(&tail);
    double px = L->x0 + g->left, pw = L->w - g->left;
    double ptop = y0 + g->top, pbot = ptop + g->plot;
    bool zero_drawn = false;
    for (size_t t = 0; t < a->nticks; t++) {
        double v = tick_value(a, t);
        double y = pbot - g->plot * frac(a, v);
        bool axis = fabs(v - a->zero) < a->step * 1e-6;
        zero_drawn = zero_drawn || axis;
        lay_line(L, px, y, px + pw, y, axis ? L->set->muted : LAY_GRID,
                 LAY_RULE_WIDTH);
        tick_text(&b, a, v);
        double w = tw(L, TICK_SIZE, &b);
        lay_text(L, px - 4 - w, mid_base(L, y, TICK_SIZE), FACE_REGULAR,
                 TICK_SIZE, L->set->muted, b.data, b.len, w);
    }
    double yz = pbot - g->plot * frac(a, a->zero);
    if (!zero_drawn)
        lay_line(L, px, yz, px + pw, yz, L->set->muted, LAY_RULE_WIDTH);
    if (!P->data)
        no_data(L, px, ptop, pw, g->plot);
    size_t k = bars_per_slot(c);
    double group = (double)k * g->bar + (double)(k - 1) * g->gap;
    for (size_t i = k0; i < k1; i++) {
        double cx = px + g->slot * ((double)(i - k0) + 0.5);
        double pos = 0, neg = 0, top = yz, bottom = yz;
        for (size_t s = 0; s < c->nseries; s++) {
            double v = value_at(c, s, i);
            if (isnan(v))
                continue;
            double x = cx - group / 2 +
                       (c->stacked ? 0 : (double)s * (g->bar + g->gap));
            double from, to;
            bar_span(c->stacked, v, &pos, &neg, &from, &to);
            double y1 = pbot - g->plot * frac(a, from);
            double y2 = pbot - g->plot * frac(a, to);
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
            if (g->values && !c->stacked) {
                value_text(&b, c, v);
                double w = tw(L, LABEL_SIZE, &b);
                double base = v < 0 ? yb + 3 + LABEL_SIZE * 0.75 : yt - 3;
                lay_text(L, x + (g->bar - w) / 2, base, FACE_REGULAR,
                         LABEL_SIZE, L->set->text_color, b.data, b.len, w);
            }
        }
        if (g->values && c->stacked) {
            double sp, sn;
            bool hp, hn;
            piles(c, i, &sp, &sn, &hp, &hn);
            if (hp) {
                value_text(&b, c, sp);
                double w = tw(L, LABEL_SIZE, &b);
                lay_text(L, cx - w / 2, top - 3, FACE_REGULAR, LABEL_SIZE,
                         L->set->text_color, b.data, b.len, w);
            }
            if (hn) {
                value_text(&b, c, sn);
                double w = tw(L, LABEL_SIZE, &b);
                lay_text(L, cx - w / 2, bottom + 3 + LABEL_SIZE * 0.75,
                         FACE_REGULAR, LABEL_SIZE, L->set->text_color, b.data,
                         b.len, w);
            }
        }
        /* Category label: a number, or the name wrapped to the slot. */
        const char *t = category_label(c, i, &b);
        size_t n = bounded_break(L, FACE_REGULAR, LABEL_SIZE, t, strlen(t),
                                 g->slot - 4, MAX_LABEL_LINES, &tl, &tail);
        lay_draw_lines(L, &tl, 0, n, cx - (g->slot - 4) / 2, g->slot - 4,
                       pbot + g->under + 11 - LABEL_SIZE, LABEL_SIZE, 10,
                       ALIGN_CENTER, L->set->text_color);
    }
    if (isfinite(c->target)) {
        bool in = c->target >= a->min && c->target <= a->max;
        double y = pbot - g->plot * frac(a, c->target);
        if (in)
            lay_line(L, px, y, px + pw, y, TARGET_COLOR, 1);
        target_text(c, a, &b);
        if (b.len) {
            size_t n = bounded_break(L, FACE_REGULAR, TICK_SIZE, b.data, b.len,
                                     pw, 1, &tl, &tail);
            double w = n ? tl.line[0].width : 0;
            double base = in                   ? y - 2
                          : c->target > a->max ? ptop + TICK_SIZE + 1
                                               : pbot - 2;
            if (base - TICK_SIZE < y0)
                base = y0 + TICK_SIZE;
            lay_draw_lines(L, &tl, 0, n, px + pw - w, w, base - TICK_SIZE,
                           TICK_SIZE, TICK_SIZE, ALIGN_LEFT, TARGET_COLOR);
        }
    }
    if (legend_on(c))
        draw_legend(L, c, pbot + g->under + g->labels);
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
    double px = L->x0 + g->label_w + g->vleft;
    double pw = L->w - g->label_w - g->vleft - g->vright;
    double plot = g->pitch * (double)(k1 > k0 ? k1 - k0 : 1);
    for (size_t t = 0; t < a->nticks; t++) {
        double v = tick_value(a, t);
        double x = px + pw * frac(a, v);
        bool axis = fabs(v - a->zero) < a->step * 1e-6;
        if (!axis)
            lay_line(L, x, y0, x, y0 + plot, LAY_GRID, LAY_RULE_WIDTH);
        tick_text(&b, a, v);
        double w = tw(L, TICK_SIZE, &b);
        double tx = x - w / 2;
        if (tx + w > L->x0 + L->w)
            tx = L->x0 + L->w - w;
        if (tx < L->x0) /* a wide tick beside a narrow number column */
            tx = L->x0;
        lay_text(L, tx, y0 + plot + 10, FACE_REGULAR, TICK_SIZE, L->set->muted,
                 b.data, b.len, w);
    }
    if (!P->data)
        no_data(L, px, y0, pw, plot);
    double xz = px + pw * frac(a, a->zero);
    double band = (double)g->k * g->bar + (double)(g->k - 1) * g->gap;
    for (size_t i = k0; i < k1; i++) {
        double rowy = y0 + g->pitch * (double)(i - k0) + (g->pitch - band) / 2;
        double pos = 0, neg = 0, end = xz, start = xz;
        for (size_t s = 0; s < c->nseries; s++) {
            double v = value_at(c, s, i);
            if (isnan(v))
                continue;
            double y = rowy + (c->stacked ? 0 : (double)s * (g->bar + g->gap));
            double from, to;
            bar_span(c->stacked, v, &pos, &neg, &from, &to);
            double x1 = px + pw * frac(a, from), x2 = px + pw * frac(a, to);
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
            if (g->values && !c->stacked) {
                value_text(&b, c, v);
                double w = tw(L, LABEL_SIZE, &b);
                lay_text(L, v < 0 ? xl - 4 - w : xr + 4,
                         mid_base(L, y + g->bar / 2, LABEL_SIZE), FACE_REGULAR,
                         LABEL_SIZE, L->set->text_color, b.data, b.len, w);
            }
        }
        if (g->values && c->stacked) {
            double sp, sn;
            bool hp, hn;
            piles(c, i, &sp, &sn, &hp, &hn);
            double base = mid_base(L, rowy + band / 2, LABEL_SIZE);
            if (hp) {
                value_text(&b, c, sp);
                double w = tw(L, LABEL_SIZE, &b);
                lay_text(L, end + 4, base, FACE_REGULAR, LABEL_SIZE,
                         L->set->text_color, b.data, b.len, w);
            }
            if (hn) {
                value_text(&b, c, sn);
                double w = tw(L, LABEL_SIZE, &b);
                lay_text(L, start - 4 - w, base, FACE_REGULAR, LABEL_SIZE,
                         L->set->text_color, b.data, b.len, w);
            }
        }
        const char *t = category_label(c, i, &b);
        size_t n = bounded_break(L, FACE_REGULAR, LABEL_SIZE, t, strlen(t),
                                 g->label_w - 6, MAX_LABEL_LINES, &tl, &tail);
        /* The label's lines centred on the band, right-aligned at the
         * column's edge; one line sits exactly as a single text would. */
        double first = mid_base(L, rowy + band / 2, LABEL_SIZE) -
                       H_LABEL_PITCH * (double)(n - 1) / 2;
        lay_draw_lines(L, &tl, 0, n, L->x0, g->label_w - 6, first - LABEL_SIZE,
                       LABEL_SIZE, H_LABEL_PITCH, ALIGN_RIGHT,
                       L->set->text_color);
    }
    /* The zero line over the bars' ends, in the axis colour. */
    lay_line(L, xz, y0, xz, y0 + plot, L->set->muted, LAY_RULE_WIDTH);
    if (isfinite(c->target)) {
        bool in = c->target >= a->min && c->target <= a->max;
        double x = px + pw * frac(a, c->target);
        if (in)
            lay_line(L, x, y0, x, y0 + plot, TARGET_COLOR, 1);
        target_text(c, a, &b);
        if (b.len) {
            double room = in ? L->x0 + L->w - x - 2 : pw;
            size_t n = bounded_break(L, FACE_REGULAR, TICK_SIZE, b.data, b.len,
                                     room > 20 ? room : 20, 1, &tl, &tail);
            double w = n ? tl.line[0].width : 0;
            double tx = in ? x + 2 : c->target > a->max ? px + pw - w : px;
            if (tx + w > L->x0 + L->w)
                tx = L->x0 + L->w - w;
            lay_draw_lines(L, &tl, 0, n, tx, w, y0 - 2 - TICK_SIZE, TICK_SIZE,
                           TICK_SIZE, ALIGN_LEFT, TARGET_COLOR);
        }
    }
    if (legend_on(c))
        draw_legend(L, c, y0 + plot + 16);
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
        double ch =
            caption_lines(L, c, L->figures, p > 0, &b, &tail, &L->lines);
        double size = L->set->body_size;
        lay_draw_lines(L, &L->lines, 0, L->lines.n, L->x0, L->w, y, size,
                       lay_pitch(L, size), ALIGN_LEFT, L->set->text_color);
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
            key_height(L, c, k0, k1, y0 + dh + LAY_CAPTION_GAP, true, NULL);
        k0 = k1;
    }
    plan_release(&P);
    buf_release(&b);
    buf_release(&tail);
}
