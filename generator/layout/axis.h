/* axis: the value axis of a bar chart and the chart's values on it: the
 * scale (ends, step, ticks) chosen from the data, the place of a value on
 * it, the text of ticks and values, and the spans of stacked bars. Pure
 * arithmetic that stays finite for any data (up to ±DBL_MAX, denormals):
 * spans are computed without overflow and ticks beyond 1e15 or below 1e-6
 * are written in es-CO scientific form. */
#ifndef INFORME_LAYOUT_AXIS_H
#define INFORME_LAYOUT_AXIS_H

#include "base/buf.h"
#include "doc/doc.h"

#include <stdbool.h>
#include <stddef.h>

struct axis {
    double min, max, step;
    double first; /* the first tick: min, or the first multiple of step */
    double zero;  /* where bars start: 0, or the axis end nearest to it */
    size_t nticks;
    int decimals;
    bool sci; /* ticks in scientific form (1,5E+300) */
};

/* The axis of chart c: its settings (min, max, step) where set, else
 * rounded ends around every value, pile and the target. */
struct axis axis_make(const struct chart_block *c);
/* The value of tick i (0 to a->nticks - 1). */
double axis_tick(const struct axis *a, size_t i);
/* Where v falls on the axis, 0 at min and 1 at max; values beyond the
 * axis are clipped to its ends. */
double axis_frac(const struct axis *a, double v);
/* The text of a tick (into b, cleared first). */
void axis_tick_text(struct buf *b, const struct axis *a, double v);
/* The text of a value label in the chart's format (into b, cleared). */
void axis_value_text(struct buf *b, const struct chart_block *c, double v);

/* Value of series s at category k; NaN when missing or not finite. */
double axis_value_at(const struct chart_block *c, size_t s, size_t k);
/* True when the chart has at least one value. */
bool axis_any_value(const struct chart_block *c);
/* True when the chart has a negative value. */
bool axis_any_negative(const struct chart_block *c);
/* The stacked piles of category i: their sums and whether they exist. */
void axis_piles(const struct chart_block *c, size_t i, double *pos, double *neg,
                bool *has_pos, bool *has_neg);
/* Where bar value v runs on the value axis: from zero when bars stand side
 * by side; stacked, from the top of the pile of its sign (pos and neg are
 * the piles so far, from zero, updated). */
void axis_bar_span(bool stacked, double v, double *pos, double *neg,
                   double *from, double *to);

#endif
