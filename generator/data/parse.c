/* parse: locale-free reading of es-CO and plain numbers, percents, money
 * and dates; the digits are accumulated here and converted exactly. */
#include "data/parse.h"
#include "data/fmt.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* A text being consumed from the front and the back. */
struct span {
    const char *p, *e;
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Length of a blank at p: space, tab, U+00A0 or U+202F (Excel and web
 * tools put no-break spaces before '%' and after '$'); 0 if none. */
static size_t blank_len(const char *p, const char *e)
{
    if (p >= e)
        return 0;
    if (*p == ' ' || *p == '\t')
        return 1;
    if (e - p >= 2 && (unsigned char)p[0] == 0xC2 &&
        (unsigned char)p[1] == 0xA0)
        return 2;
    if (e - p >= 3 && (unsigned char)p[0] == 0xE2 &&
        (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0xAF)
        return 3;
    return 0;
}

/* Length of a blank that ends at e. */
static size_t blank_len_back(const char *p, const char *e)
{
    if (e <= p)
        return 0;
    if (e[-1] == ' ' || e[-1] == '\t')
        return 1;
    if (e - p >= 2 && (unsigned char)e[-2] == 0xC2 &&
        (unsigned char)e[-1] == 0xA0)
        return 2;
    if (e - p >= 3 && (unsigned char)e[-3] == 0xE2 &&
        (unsigned char)e[-2] == 0x80 && (unsigned char)e[-1] == 0xAF)
        return 3;
    return 0;
}

static void skip_blanks(struct span *s)
{
    size_t k;
    while ((k = blank_len(s->p, s->e)) > 0)
        s->p += k;
}

static void trim(struct span *s)
{
    /* most texts neither begin nor end with a byte of a blank */
    if (s->p < s->e) {
        unsigned char f = (unsigned char)s->p[0];
        unsigned char l = (unsigned char)s->e[-1];
        if (f != ' ' && f != '\t' && f != 0xC2 && f != 0xE2 && l != ' ' &&
            l != '\t' && l != 0xA0 && l != 0xAF)
            return;
    }
    skip_blanks(s);
    size_t k;
    while ((k = blank_len_back(s->p, s->e)) > 0)
        s->e -= k;
}

static bool eat(struct span *s, char c)
{
    if (s->p < s->e && *s->p == c) {
        s->p++;
        return true;
    }
    return false;
}

static bool eat_back(struct span *s, char c)
{
    if (s->e > s->p && s->e[-1] == c) {
        s->e--;
        return true;
    }
    return false;
}

/* "$" or "COP" (any case) at the front. */
static bool eat_currency(struct span *s)
{
    if (eat(s, '$'))
        return true;
    if (s->e - s->p >= 3 && (s->p[0] == 'C' || s->p[0] == 'c') &&
        (s->p[1] == 'O' || s->p[1] == 'o') &&
        (s->p[2] == 'P' || s->p[2] == 'p')) {
        s->p += 3;
        return true;
    }
    return false;
}

/* The digits of a number: value = digits * 10^exp10. Only the first
 * MAX_SIG significant digits are kept; the rest only move the exponent
 * (or are dropped past the decimal mark), which is far below what a
 * double can tell apart. */
#define MAX_SIG 19

struct digits {
    uint64_t mant;
    int nsig; /* significant digits kept in mant */
    long exp10;
};

static void add_digit(struct digits *d, char c, bool frac)
{
    unsigned v = (unsigned)(c - '0');
    if (d->nsig == 0 && v == 0) {
        if (frac)
            d->exp10--; /* 0.05: leading zeros after the mark scale */
        return;
    }
    if (d->nsig < MAX_SIG) {
        d->mant = d->mant * 10 + v;
        d->nsig++;
        if (frac)
            d->exp10--;
    } else if (!frac) {
        d->exp10++;
    }
}

static const double pow10_exact[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* mant * 10^exp10 as a double; false on overflow. Both operands of the
 * one multiplication or division are exact when mant < 2^53 and
 * |exp10| <= 22, so IEEE rounding makes the result correctly rounded. */
static bool digits_to_double(const struct digits *d, double *out)
{
    uint64_t m = d->mant;
    long e = d->exp10;
    if (m == 0) {
        *out = 0.0;
        return true;
    }
    while (e < 0 && m % 10 == 0) { /* 1,50 is 15 * 10^-1 */
        m /= 10;
        e++;
    }
    const uint64_t two53 = (uint64_t)1 << 53;
    if (m < two53) {
        if (e == 0) {
            *out = (double)m;
            return true;
        }
        if (e > 0 && e <= 22) {
            *out = (double)m * pow10_exact[e];
            return isfinite(*out);
        }
        if (e < 0 && e >= -22) {
            *out = (double)m / pow10_exact[-e];
            return true;
        }
        /* 12e25: move powers of ten into the mantissa while it stays
         * exact, then one multiplication. */
        if (e > 22) {
            uint64_t mm = m;
            long ee = e;
            while (ee > 22 && mm < two53 / 10) {
                mm *= 10;
                ee--;
            }
            if (ee <= 22) {
                *out = (double)mm * pow10_exact[ee];
                return isfinite(*out);
            }
        }
    }
    if (e > 400)
        return false;
    if (e < -400) {
        *out = 0.0;
        return true;
    }
    /* Rare: more than 15 digits or a huge exponent. Long double keeps
     * the error within a few units in the last place. */
    long double r = (long double)m;
    long double p = 10.0L;
    long k = e < 0 ? -e : e;
    long double scale = 1.0L;
    while (k > 0) {
        if (k & 1)
            scale *= p;
        p *= p;
        k >>= 1;
    }
    r = e < 0 ? r / scale : r * scale;
    if (r > (long double)DBL_MAX)
        return false;
    *out = (double)r;
    return true;
}

/* Reads the unsigned number body [s->p, s->e) entirely: integer part with
 * optional grouping, optional decimal part, optional exponent. */
static bool scan_body(struct span s, char group, char decimal, bool integer,
                      double *out)
{
    struct digits d = {0, 0, 0};
    const char *p = s.p, *e = s.e;
    size_t run = 0; /* digits in the current group */
    bool grouped = false;
    const char *first = p;
    while (p < e && (is_digit(*p) || *p == group)) {
        if (*p == group) {
            /* groups: 1-3 digits first (not a leading zero), then 3 */
            if (run == 0 || (!grouped && (run > 3 || *first == '0')) ||
                (grouped && run != 3))
                return false;
            grouped = true;
            run = 0;
        } else {
            add_digit(&d, *p, false);
            run++;
        }
        p++;
    }
    if (run == 0 || (grouped && run != 3))
        return false;
    if (p < e && *p == decimal) {
        if (integer)
            return false;
        p++;
        size_t nfrac = 0;
        while (p < e && is_digit(*p)) {
            add_digit(&d, *p, true);
            nfrac++;
            p++;
        }
        if (nfrac == 0)
            return false;
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        if (integer)
            return false;
        p++;
        bool eneg = false;
        if (p < e && (*p == '+' || *p == '-'))
            eneg = *p++ == '-';
        long ex = 0;
        size_t nexp = 0;
        while (p < e && is_digit(*p)) {
            if (ex < 100000)
                ex = ex * 10 + (*p - '0');
            nexp++;
            p++;
        }
        if (nexp == 0)
            return false;
        d.exp10 += eneg ? -ex : ex;
    }
    if (p != e)
        return false;
    /* integers stay exact: at most 2^53, no digit dropped */
    if (integer && (d.exp10 != 0 || d.mant > ((uint64_t)1 << 53)))
        return false;
    return digits_to_double(&d, out);
}

/* The style of a bare body (no sign or marks); see parse.h. */
static enum num_style body_hint(const char *p, const char *e)
{
    size_t ndot = 0, ncomma = 0;
    const char *last_sep = NULL, *end = p;
    while (end < e && (is_digit(*end) || *end == '.' || *end == ',')) {
        if (*end == '.')
            ndot++;
        else if (*end == ',')
            ncomma++;
        if (*end == '.' || *end == ',')
            last_sep = end;
        end++;
    }
    if (end == p || !is_digit(*p))
        return NUM_STYLE_UNKNOWN;
    if (end < e && *end != 'e' && *end != 'E')
        return NUM_STYLE_UNKNOWN; /* not a number */
    if (!last_sep)
        return NUM_STYLE_UNKNOWN;
    if (ndot && ncomma)
        return *last_sep == ',' ? NUM_STYLE_ESCO : NUM_STYLE_PLAIN;
    if (ndot > 1)
        return NUM_STYLE_ESCO;
    if (ncomma > 1)
        return NUM_STYLE_PLAIN;
    /* One separator: a thousands group only if 1-3 digits (not a leading
     * zero) stand before it and exactly 3 after it. */
    size_t before = (size_t)(last_sep - p);
    size_t after = (size_t)(end - last_sep - 1);
    bool can_group = before >= 1 && before <= 3 && *p != '0' && after == 3;
    if (can_group)
        return NUM_STYLE_UNKNOWN;
    return *last_sep == ',' ? NUM_STYLE_ESCO : NUM_STYLE_PLAIN;
}

enum num_style parse_style_hint(const char *s, size_t n)
{
    struct span sp = {s, s + n};
    trim(&sp);
    /* most texts of a column begin with a digit (a number with no sign or
     * mark before it) or with a letter that begins no mark (a name): the
     * steps below would take nothing from their front */
    char c = sp.p < sp.e ? *sp.p : '\0';
    if (is_digit(c)) {
        if (eat_back(&sp, '%'))
            trim(&sp);
        return body_hint(sp.p, sp.e);
    }
    if (((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) && c != 'c' &&
        c != 'C')
        return NUM_STYLE_UNKNOWN; /* no digit where the body begins */
    eat(&sp, '-');
    skip_blanks(&sp);
    if (eat_currency(&sp)) {
        skip_blanks(&sp);
        eat(&sp, '-');
        skip_blanks(&sp);
    }
    if (eat_back(&sp, '%'))
        trim(&sp);
    return body_hint(sp.p, sp.e);
}

static enum num_style resolve(const char *p, const char *e,
                              enum num_style style)
{
    if (style != NUM_STYLE_UNKNOWN)
        return style;
    enum num_style h = body_hint(p, e);
    return h == NUM_STYLE_UNKNOWN ? NUM_STYLE_ESCO : h;
}

static bool scan_signed(struct span sp, enum num_style style, bool integer,
                        bool neg, double *out)
{
    if (sp.p >= sp.e)
        return false;
    style = resolve(sp.p, sp.e, style);
    char group = style == NUM_STYLE_PLAIN ? ',' : '.';
    char decimal = style == NUM_STYLE_PLAIN ? '.' : ',';
    double v;
    if (!scan_body(sp, group, decimal, integer, &v))
        return false;
    *out = neg ? -v : v;
    return true;
}

bool parse_number(const char *s, size_t n, enum num_style style, double *out)
{
    struct span sp = {s, s + n};
    trim(&sp);
    bool neg = eat(&sp, '-');
    return scan_signed(sp, style, false, neg, out);
}

bool parse_integer(const char *s, size_t n, enum num_style style, double *out)
{
    struct span sp = {s, s + n};
    trim(&sp);
    bool neg = eat(&sp, '-');
    return scan_signed(sp, style, true, neg, out);
}

bool parse_percent(const char *s, size_t n, enum num_style style, double *out)
{
    struct span sp = {s, s + n};
    trim(&sp);
    if (eat_back(&sp, '%'))
        trim(&sp);
    bool neg = eat(&sp, '-');
    return scan_signed(sp, style, false, neg, out);
}

bool parse_money(const char *s, size_t n, enum num_style style, double *out)
{
    struct span sp = {s, s + n};
    trim(&sp);
    bool neg = eat(&sp, '-');
    skip_blanks(&sp);
    if (eat_currency(&sp)) {
        skip_blanks(&sp);
        if (!neg)
            neg = eat(&sp, '-');
    } else if (neg && sp.p < sp.e && !is_digit(*sp.p)) {
        return false;
    }
    return scan_signed(sp, style, false, neg, out);
}

/* 1-2 digits (max_len 2) or exactly 4 (max_len 4) into *v. */
static bool date_field(struct span *s, size_t min_len, size_t max_len,
                       unsigned *v)
{
    size_t k = 0;
    unsigned x = 0;
    while (s->p < s->e && is_digit(*s->p) && k < max_len) {
        x = x * 10 + (unsigned)(*s->p - '0');
        s->p++;
        k++;
    }
    if (k < min_len)
        return false;
    *v = x;
    return true;
}

/* The fields of a text shaped as a date, whether or not the date exists:
 * year first (2018-03-31, 2018/03/31) or day first (31/03/2018,
 * 31-03-2018). */
static bool date_shape(const char *s, size_t n, int *y, unsigned *m,
                       unsigned *d, bool *day_first)
{
    struct span sp = {s, s + n};
    trim(&sp);
    unsigned a = 0, b = 0, c = 0;
    const char *start = sp.p;
    size_t lead = 0;
    while (start + lead < sp.e && is_digit(start[lead]))
        lead++;
    char sep;
    if (lead == 4) { /* 2018-03-31, 2018/03/31 */
        date_field(&sp, 4, 4, &a);
        if (sp.p >= sp.e || (*sp.p != '-' && *sp.p != '/'))
            return false;
        sep = *sp.p++;
        if (!date_field(&sp, 1, 2, &b) || !eat(&sp, sep) ||
            !date_field(&sp, 1, 2, &c))
            return false;
        *y = (int)a, *m = b, *d = c;
        *day_first = false;
    } else if (lead == 1 || lead == 2) { /* 31/03/2018, 31-03-2018 */
        date_field(&sp, 1, 2, &a);
        if (sp.p >= sp.e || (*sp.p != '-' && *sp.p != '/'))
            return false;
        sep = *sp.p++;
        if (!date_field(&sp, 1, 2, &b) || !eat(&sp, sep) ||
            !date_field(&sp, 4, 4, &c))
            return false;
        *y = (int)c, *m = b, *d = a;
        *day_first = true;
    } else {
        return false;
    }
    return sp.p == sp.e;
}

bool parse_date(const char *s, size_t n, int32_t *days)
{
    int y;
    unsigned m, d;
    bool day_first;
    if (!date_shape(s, n, &y, &m, &d, &day_first) || !date_valid(y, m, d))
        return false;
    *days = date_from_ymd(y, m, d);
    return true;
}

static bool leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool parse_date_explain(const char *s, size_t n, struct buf *why)
{
    int y;
    unsigned m, d;
    bool day_first;
    if (!date_shape(s, n, &y, &m, &d, &day_first) || date_valid(y, m, d))
        return false;
    if (m < 1 || m > 12) {
        buf_printf(why, "el mes %u no existe", m);
        /* 12/31/2018: month and day the other way round */
        if (day_first && d >= 1 && d <= 12 && date_valid(y, d, m))
            buf_printf(why,
                       " (el día va primero: ¿quiso decir %02u/%02u/%04d?)", m,
                       d, y);
        return true;
    }
    if (d == 0) {
        buf_adds(why, "el día 0 no existe");
        return true;
    }
    buf_printf(why, "el %u de %s", d, fmt_month_name(m));
    if (m == 2 && d == 29 && !leap_year(y))
        buf_printf(why, " de %04d no existe (%04d no es bisiesto)", y, y);
    else
        buf_adds(why, " no existe");
    return true;
}

void parse_date_hint(const char *s, size_t n, struct buf *why)
{
    buf_adds(why, ": ");
    if (parse_date_explain(s, n, why))
        buf_adds(why, "; ");
    buf_adds(why, "escriba la fecha como " PARSE_DATE_FORMS);
}

bool parse_value(const char *s, size_t n, enum vtype t, enum num_style style,
                 struct value *v)
{
    struct value r = {.type = t};
    bool ok = false;
    switch (t) {
    case V_TEXT:
        r.text = s;
        ok = true;
        break;
    case V_INT:
        ok = parse_integer(s, n, style, &r.num);
        break;
    case V_NUMBER:
        ok = parse_number(s, n, style, &r.num);
        break;
    case V_PERCENT:
        ok = parse_percent(s, n, style, &r.num);
        break;
    case V_MONEY:
        ok = parse_money(s, n, style, &r.num);
        break;
    case V_DATE:
        ok = parse_date(s, n, &r.days);
        break;
    case V_MISSING:
    case V_BOOL:
        ok = false;
        break;
    }
    if (ok)
        *v = r;
    return ok;
}

/* The value s (len bytes: lens[i], or strlen when lens is NULL) without
 * the blanks around it, and whether anything is left (a blank or NULL
 * value is empty). */
static bool trimmed(const char *s, const size_t *lens, size_t i, size_t *len,
                    struct span *sp)
{
    if (!s)
        return false;
    *len = lens ? lens[i] : strlen(s);
    *sp = (struct span){s, s + *len};
    trim(sp);
    return sp->p < sp->e;
}

/* "05001": a code, not a quantity (sp trimmed, not empty). */
static bool has_leading_zero(struct span sp)
{
    eat(&sp, '-');
    return sp.e - sp.p >= 2 && sp.p[0] == '0' && is_digit(sp.p[1]);
}

static bool has_currency(struct span sp)
{
    eat(&sp, '-');
    skip_blanks(&sp);
    return eat_currency(&sp);
}

/* Whether value s of len bytes (trimmed to sp, not empty) is of type t,
 * as parse_infer_type asks; if so, *v is s read as t (what parse_value
 * gives). */
static bool infers_as(const char *s, size_t len, struct span sp, enum vtype t,
                      enum num_style style, struct value *v)
{
    *v = (struct value){.type = t};
    switch (t) {
    case V_INT:
        return !has_leading_zero(sp) && parse_integer(s, len, style, &v->num);
    case V_NUMBER:
        return !has_leading_zero(sp) && parse_number(s, len, style, &v->num);
    case V_PERCENT:
        return sp.e[-1] == '%' && parse_percent(s, len, style, &v->num);
    case V_MONEY:
        return has_currency(sp) && parse_money(s, len, style, &v->num);
    case V_DATE:
        return parse_date(s, len, &v->days);
    default:
        return false;
    }
}

/* One type after another, in the order of preference: the first that
 * every value satisfies, each tried until one value fails it (a column
 * of numbers is tried as integers until its first decimal, then as
 * numbers only, instead of every value being tried in every type). The
 * lengths of the values are lens (NULL: measured), and parsed (NULL:
 * not kept) gets what each value reads as, see parse_infer_values. */
static enum vtype infer_type(const char *const *values, size_t vstride,
                             const size_t *lens, size_t n, enum num_style style,
                             struct value *parsed, size_t pstride)
{
    static const enum vtype order[] = {V_INT, V_NUMBER, V_PERCENT, V_MONEY,
                                       V_DATE};
    struct span sp;
    struct value v;
    size_t len, first = 0; /* the first value not blank */
#define VAL(i) values[(i)*vstride]
#define PARSED(i) (*(struct value *)(void *)((char *)parsed + (i)*pstride))
    while (first < n && !trimmed(VAL(first), lens, first, &len, &sp)) {
        if (parsed)
            PARSED(first) = (struct value){.type = V_MISSING};
        first++;
    }
    if (first == n)
        return V_TEXT;
    for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
        size_t i = first;
        for (; i < n; i++) {
            if (!trimmed(VAL(i), lens, i, &len, &sp))
                v = (struct value){.type = V_MISSING};
            else if (!infers_as(VAL(i), len, sp, order[k], style, &v))
                break;
            if (parsed)
                PARSED(i) = v;
        }
        if (i == n)
            return order[k];
    }
#undef VAL
#undef PARSED
    return V_TEXT;
}

enum vtype parse_infer_type(const char *const *values, size_t n,
                            enum num_style style)
{
    return infer_type(values, 1, NULL, n, style, NULL, 0);
}

/* The words of a header that name a code ("Código DANE", "nit",
 * "dimension_codigo"), compared with ASCII case and the accent of "ó"
 * folded. "id" names a code only beside another word ("ID Sigep",
 * "id_entidad"): a header that is just "id" is most often a row number
 * that templates sort and compare with numbers (where id = 6). */
static const char *const code_words[] = {"codigo", "cod", "nit", "dane"};

/* One word of a header, folded into out (at most cap - 1 bytes); false
 * when it is longer than any code word. */
static bool fold_word(const char *p, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        char f;
        if (c == 0xC3 && i + 1 < n &&
            ((unsigned char)p[i + 1] == 0xB3 ||
             (unsigned char)p[i + 1] == 0x93)) {
            f = 'o'; /* ó, Ó */
            i++;
        } else if (c >= 'A' && c <= 'Z') {
            f = (char)(c - 'A' + 'a');
        } else {
            f = (char)c;
        }
        if (k + 1 >= cap)
            return false;
        out[k++] = f;
    }
    out[k] = '\0';
    return true;
}

bool parse_header_names_code(const char *header)
{
    const char *p = header;
    size_t words = 0;
    bool id = false;
    while (*p) {
        /* a word: letters, digits and any non-ASCII byte */
        while (*p && (unsigned char)*p < 0x80 && !is_digit(*p) &&
               !((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
            p++;
        const char *w = p;
        while (*p && ((unsigned char)*p >= 0x80 || is_digit(*p) ||
                      ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')))
            p++;
        char word[8];
        if (p == w)
            continue;
        words++;
        if (!fold_word(w, (size_t)(p - w), word, sizeof word))
            continue;
        id |= strcmp(word, "id") == 0;
        for (size_t i = 0; i < sizeof code_words / sizeof *code_words; i++)
            if (strcmp(word, code_words[i]) == 0)
                return true;
    }
    return id && words > 1;
}

static enum vtype column_type(const char *header, enum vtype t)
{
    if (t == V_INT && header && parse_header_names_code(header))
        return V_TEXT;
    return t;
}

enum vtype parse_infer_column_type(const char *header,
                                   const char *const *values, size_t n,
                                   enum num_style style)
{
    return column_type(header, parse_infer_type(values, n, style));
}

enum vtype parse_infer_values(const char *header, const char *const *values,
                              const size_t *lens, size_t n,
                              enum num_style style, struct value *parsed)
{
    /* a column of codes is text: the integers read are of another type */
    return column_type(
        header, infer_type(values, 1, lens, n, style, parsed, sizeof *parsed));
}

enum vtype parse_infer_strided(const char *header, const char *const *values,
                               size_t vstride, size_t n, enum num_style style,
                               struct value *parsed, size_t pstride)
{
    return column_type(
        header, infer_type(values, vstride, NULL, n, style, parsed, pstride));
}

const char *parse_type_noun(enum vtype t)
{
    switch (t) {
    case V_INT:
        return "un número entero";
    case V_NUMBER:
        return "un número";
    case V_PERCENT:
        return "un porcentaje";
    case V_DATE:
        return "una fecha";
    case V_MONEY:
        return "un valor en pesos";
    case V_TEXT:
        return "un texto";
    case V_BOOL:
        return "un valor lógico";
    case V_MISSING:
        break;
    }
    return "un valor";
}
