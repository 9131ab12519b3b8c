/* axis: a bar chart's value axis and the values on it (see axis.h). */
#include "layout/axis.h"

#include "data/fmt.h"

#include <float.h>
#include <math.h>

#define MAX_TICKS 60

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

double axis_value_at(const struct chart_block *c, size_t s, size_t k)
{
    double v = c->series[s].values ? c->series[s].values[k] : NAN;
    return isfinite(v) ? v : NAN;
}

bool axis_any_value(const struct chart_block *c)
{
    for (size_t s = 0; s < c->nseries; s++)
        for (size_t k = 0; k < c->ncat; k++)
            if (!isnan(axis_value_at(c, s, k)))
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

struct axis axis_make(const struct chart_block *c)
{
    double lo = 0, hi = 0;
    for (size_t k = 0; k < c->ncat; k++) {
        double pos = 0, neg = 0;
        for (size_t s = 0; s < c->nseries; s++) {
            double v = axis_value_at(c, s, k);
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

double axis_tick(const struct axis *a, size_t i)
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
double axis_frac(const struct axis *a, double v)
{
    v = clampv(a, v);
    double span = a->max - a->min;
    double f = isfinite(span)
                   ? (v - a->min) / span
                   : (v / 2 - a->min / 2) / (a->max / 2 - a->min / 2);
    return isfinite(f) ? (f < 0 ? 0 : f > 1 ? 1 : f) : 0;
}

void axis_tick_text(struct buf *b, const struct axis *a, double v)
{
    buf_clear(b);
    if (a->sci)
        fmt_scientific(b, v, -1);
    else
        fmt_number(b, v, a->decimals, true);
}

void axis_value_text(struct buf *b, const struct chart_block *c, double v)
{
    buf_clear(b);
    struct value val = {.type = V_NUMBER, .num = v};
    fmt_value(b, &val, &c->value_fmt);
}

bool axis_any_negative(const struct chart_block *c)
{
    for (size_t s = 0; s < c->nseries; s++)
        for (size_t i = 0; i < c->ncat; i++)
            if (axis_value_at(c, s, i) < 0)
                return true;
    return false;
}

/* The stacked piles of category i: their sums and whether they exist. */
void axis_piles(const struct chart_block *c, size_t i, double *pos, double *neg,
                bool *has_pos, bool *has_neg)
{
    *pos = *neg = 0;
    *has_pos = *has_neg = false;
    for (size_t s = 0; s < c->nseries; s++) {
        double v = axis_value_at(c, s, i);
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

/* Where bar value v runs on the value axis: from zero when bars stand side
 * by side; stacked, from the top of the pile of its sign (pos and neg are
 * the piles so far, from zero, updated). */
void axis_bar_span(bool stacked, double v, double *pos, double *neg,
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
