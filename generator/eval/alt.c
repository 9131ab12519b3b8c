/* alt: a chart described in words (see alt.h). */
#include "eval/alt.h"

#include "base/buf.h"
#include "data/fmt.h"

#include <math.h>
#include <string.h>

static void put_value(struct buf *b, const struct chart_block *c, double v)
{
    if (isnan(v)) {
        buf_adds(b, "sin dato");
        return;
    }
    size_t at = b->len;
    struct value val = {.type = V_NUMBER, .num = v};
    fmt_value(b, &val, &c->value_fmt);
    if (b->len == at)
        buf_adds(b, "sin dato");
}

/* s with its first letter lower-cased when it starts a word in capitals
 * only by position ("Vigencia" -> "vigencia", but "IDI" stays). */
static void put_lower_first(struct buf *b, const char *s)
{
    if (s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z') {
        buf_addc(b, (char)(s[0] - 'A' + 'a'));
        s++;
    }
    buf_adds(b, s);
}

/* A category's name, cut at a character boundary with "…" when long. */
static void put_name(struct buf *b, const char *s)
{
    size_t n = strlen(s);
    if (n <= ALT_MAX_NAME) {
        buf_add(b, s, n);
        return;
    }
    n = ALT_MAX_NAME;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    buf_add(b, s, n);
    buf_adds(b, "\xE2\x80\xA6");
}

/* The length of the first word of s, with its space, or 0. */
static size_t first_word(const char *s)
{
    const char *sp = strchr(s, ' ');
    return sp && sp > s && sp[1] ? (size_t)(sp - s) + 1 : 0;
}

/* ", a, b y c" of the series' labels; a first word all share is said
 * once: "vigencia anterior y actual". */
static void put_series(struct buf *b, const struct chart_block *c)
{
    size_t common = c->series[0].label ? first_word(c->series[0].label) : 0;
    for (size_t s = 1; s < c->nseries && common; s++) {
        const char *l = c->series[s].label;
        if (!l || strncmp(l, c->series[0].label, common) != 0 || !l[common])
            common = 0;
    }
    buf_adds(b, ", ");
    for (size_t s = 0; s < c->nseries; s++) {
        const char *l = c->series[s].label ? c->series[s].label : "";
        if (s)
            buf_adds(b, s + 1 == c->nseries ? " y " : ", ");
        put_lower_first(b, s ? l + common : l);
    }
}

/* "a y b" (or "a, b y c") of category k's values; stacked, their total
 * after. */
static void put_values(struct buf *b, const struct chart_block *c, size_t k)
{
    double total = 0;
    bool any = false;
    for (size_t s = 0; s < c->nseries; s++) {
        if (s)
            buf_adds(b, s + 1 == c->nseries ? " y " : ", ");
        double v = c->series[s].values ? c->series[s].values[k] : NAN;
        put_value(b, c, v);
        if (!isnan(v)) {
            total += v;
            any = true;
        }
    }
    if (c->stacked && c->nseries > 1 && any) {
        buf_adds(b, ", total ");
        put_value(b, c, total);
    }
}

static void put_list(struct buf *b, const struct chart_block *c)
{
    for (size_t k = 0; k < c->ncat; k++) {
        if (k)
            buf_adds(b, "; ");
        put_name(b, c->categories[k] ? c->categories[k] : "");
        buf_addc(b, ' ');
        put_values(b, c, k);
    }
}

/* The count of categories and the extremes of the last series. */
static void put_extremes(struct buf *b, const struct chart_block *c)
{
    buf_printf(b, "%zu categorías", c->ncat);
    const struct chart_series *s = &c->series[c->nseries - 1];
    size_t hi = c->ncat, lo = c->ncat;
    for (size_t k = 0; s->values && k < c->ncat; k++) {
        double v = s->values[k];
        if (isnan(v))
            continue;
        if (hi == c->ncat || v > s->values[hi])
            hi = k;
        if (lo == c->ncat || v < s->values[lo])
            lo = k;
    }
    if (hi == c->ncat) {
        buf_adds(b, ", sin datos");
        return;
    }
    buf_adds(b, "; ");
    if (c->nseries > 1 && s->label) {
        buf_adds(b, "en ");
        put_lower_first(b, s->label);
        buf_adds(b, ", ");
    }
    buf_adds(b, "el valor más alto es ");
    put_value(b, c, s->values[hi]);
    buf_adds(b, " (");
    put_name(b, c->categories[hi] ? c->categories[hi] : "");
    buf_adds(b, ") y el más bajo ");
    put_value(b, c, s->values[lo]);
    buf_adds(b, " (");
    put_name(b, c->categories[lo] ? c->categories[lo] : "");
    buf_addc(b, ')');
}

/* A line chart: the span of its categories, then per series its last
 * value (and where) and its range: "de ene. 2018 a dic. 2018; planeado
 * 100,0 % en dic. 2018, entre 4,0 % y 100,0 %; ejecutado sin datos". */
static void put_lines(struct buf *b, const struct chart_block *c)
{
    buf_adds(b, "de ");
    put_name(b, c->categories[0] ? c->categories[0] : "");
    buf_adds(b, " a ");
    put_name(b, c->categories[c->ncat - 1] ? c->categories[c->ncat - 1] : "");
    for (size_t s = 0; s < c->nseries; s++) {
        const struct chart_series *sr = &c->series[s];
        size_t last = c->ncat;
        double lo = NAN, hi = NAN;
        for (size_t k = 0; sr->values && k < c->ncat; k++) {
            double v = sr->values[k];
            if (isnan(v))
                continue;
            last = k;
            lo = isnan(lo) || v < lo ? v : lo;
            hi = isnan(hi) || v > hi ? v : hi;
        }
        buf_adds(b, "; ");
        /* One series under a caption needs no name. */
        if ((c->nseries > 1 || !(c->caption && *c->caption)) && sr->label &&
            *sr->label) {
            put_lower_first(b, sr->label);
            buf_addc(b, ' ');
        }
        if (last == c->ncat) {
            buf_adds(b, "sin datos");
            continue;
        }
        put_value(b, c, sr->values[last]);
        buf_adds(b, " en ");
        put_name(b, c->categories[last] ? c->categories[last] : "");
        if (lo < hi) {
            buf_adds(b, ", entre ");
            put_value(b, c, lo);
            buf_adds(b, " y ");
            put_value(b, c, hi);
        }
    }
}

static bool has_digit(const char *s)
{
    for (; *s; s++)
        if (*s >= '0' && *s <= '9')
            return true;
    return false;
}

const char *alt_chart(struct arena *a, const struct chart_block *c)
{
    struct buf b;
    buf_init(&b);
    bool one = c->nseries == 1 && c->series[0].label && *c->series[0].label;
    if (c->caption && *c->caption)
        buf_adds(&b, c->caption);
    else if (one)
        buf_adds(&b, c->series[0].label);
    else
        buf_adds(&b, c->kind == CHART_LINE ? "Gráfico de líneas"
                                           : "Gráfico de barras");
    if (c->nseries > 1)
        put_series(&b, c);
    buf_adds(&b, ": ");
    size_t head = b.len;
    if (c->ncat == 0 || c->nseries == 0) {
        buf_adds(&b, "sin datos");
    } else if (c->kind == CHART_LINE) {
        put_lines(&b, c);
    } else {
        if (c->ncat <= ALT_MAX_CATEGORIES)
            put_list(&b, c);
        if (c->ncat > ALT_MAX_CATEGORIES || b.len > ALT_MAX_BYTES) {
            b.len = head;
            put_extremes(&b, c);
        }
    }
    if (isfinite(c->target)) {
        buf_adds(&b, "; ");
        if (c->target_label && *c->target_label) {
            put_lower_first(&b, c->target_label);
            if (!has_digit(c->target_label)) {
                buf_addc(&b, ' ');
                put_value(&b, c, c->target);
            }
        } else {
            buf_adds(&b, "meta ");
            put_value(&b, c, c->target);
        }
    }
    const char *out = arena_strndup(a, b.data ? b.data : "", b.len);
    buf_release(&b);
    return out;
}
