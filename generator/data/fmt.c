/* fmt: es-CO numbers, percents, money and dates, written digit by digit so
 * that the process locale never matters and rounding is decimal. */
#include "data/fmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Widest integer part we print digit by digit (up to 999 trillones);
 * beyond it digits past the fifteenth would only be zeros standing for
 * binary noise, so the value is written in scientific form. */
#define FMT_MAX_INT_DIGITS 21
#define FMT_MAX_DECIMALS 10
#define FMT_SIG_DIGITS 15

/* The common case without printf: when v scaled to the kept places is
 * below 1e8, its 15-digit form is within 5e-7 of it (in units of the last
 * place), so both round the same way unless v lies within 1e-6 of a half;
 * those go the long way. Returns false when it does not apply. */
static bool round_fast(double v, int decimals, bool trim, char out[64])
{
    static const double scale[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    if (decimals > 6)
        return false;
    if (trim && fabs(v) < 1e15 && v == floor(v)) {
        /* A whole number (a code, a count) below 15 digits: its digits,
         * exact in a double; the long way gives the same. */
        char tmp[24], *e = tmp + sizeof tmp, *p = e;
        long long ip = (long long)fabs(v);
        do {
            *--p = (char)('0' + ip % 10);
            ip /= 10;
        } while (ip);
        if (v < 0)
            *--p = '-';
        memcpy(out, p, (size_t)(e - p));
        out[e - p] = '\0';
        return true;
    }
    double s = fabs(v) * scale[decimals];
    if (!(s < 1e8))
        return false;
    double fl = floor(s), fr = s - fl;
    if (fabs(fr - 0.5) <= 1e-6)
        return false;
    long r = (long)fl + (fr > 0.5);
    long unit = (long)scale[decimals];
    long ip = r / unit, fp = r % unit;
    int fraclen = decimals;
    if (trim)
        while (fraclen > 0 && fp % 10 == 0) {
            fp /= 10;
            fraclen--;
        }
    char tmp[32], *e = tmp + sizeof tmp, *p = e;
    for (int i = 0; i < fraclen; i++) {
        *--p = (char)('0' + fp % 10);
        fp /= 10;
    }
    if (fraclen > 0)
        *--p = '.';
    do {
        *--p = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    if (v < 0 && r != 0)
        *--p = '-';
    memcpy(out, p, (size_t)(e - p));
    out[e - p] = '\0';
    return true;
}

/* The 15 significant digits of |v| (v finite, not zero) into dig and
 * the power of ten of the first: d.dddddddddddddd x 10^exp. */
static int sig_digits(double v, char dig[FMT_SIG_DIGITS + 1])
{
    char sci[40];
    snprintf(sci, sizeof sci, "%.14e", fabs(v));
    int nd = 0;
    const char *p = sci;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9' && nd < FMT_SIG_DIGITS)
            dig[nd++] = *p;
    while (nd < FMT_SIG_DIGITS)
        dig[nd++] = '0';
    dig[nd] = '\0';
    int exp = 0, esign = 1;
    if (*p == 'e') {
        p++;
        if (*p == '-' || *p == '+')
            esign = *p++ == '-' ? -1 : 1;
        for (; *p >= '0' && *p <= '9'; p++)
            exp = exp * 10 + (*p - '0');
    }
    return exp * esign;
}

/* Scientific plain form "-1.5E+300" from the digits: the mantissa rounded
 * half away from zero to `decimals` places (at most 14), or, with
 * decimals -1, to the places it needs. */
static void sci_plain(const char dig[FMT_SIG_DIGITS + 1], int exp, bool neg,
                      int decimals, char out[64])
{
    bool trim = decimals < 0;
    int md =
        trim || decimals > FMT_SIG_DIGITS - 1 ? FMT_SIG_DIGITS - 1 : decimals;
    char m[FMT_SIG_DIGITS + 1];
    memcpy(m, dig, FMT_SIG_DIGITS + 1);
    if (md + 1 < FMT_SIG_DIGITS && m[md + 1] >= '5') {
        int i = md;
        while (i >= 0 && m[i] == '9')
            m[i--] = '0';
        if (i >= 0) {
            m[i]++;
        } else { /* 9.99 -> 10.0: one more power of ten */
            m[0] = '1';
            exp++;
        }
    }
    int keep = md;
    if (trim)
        while (keep > 0 && m[keep] == '0')
            keep--;
    size_t o = 0;
    if (neg)
        out[o++] = '-';
    out[o++] = m[0];
    if (keep > 0) {
        out[o++] = '.';
        for (int i = 1; i <= keep; i++)
            out[o++] = m[i];
    }
    snprintf(out + o, 64 - o, "E%c%d", exp < 0 ? '-' : '+',
             exp < 0 ? -exp : exp);
}

void fmt_round_plain(double v, int decimals, char out[64])
{
    bool trim = decimals < 0;
    if (decimals < 0)
        decimals = 6;
    if (decimals > FMT_MAX_DECIMALS)
        decimals = FMT_MAX_DECIMALS;
    if (!isfinite(v)) {
        out[0] = '\0';
        return;
    }
    if (round_fast(v, decimals, trim, out))
        return;
    /* 15 significant digits: d.dddddddddddddde+XX, the shortest form that
     * every double survives without binary noise. */
    char dig[FMT_SIG_DIGITS + 1];
    int exp = sig_digits(v, dig), nd = FMT_SIG_DIGITS;
    if (exp >= FMT_MAX_INT_DIGITS) {
        /* Places after the comma would be places of the mantissa here,
         * not of the amount: the 15 significant digits, as needed. */
        sci_plain(dig, exp, v < 0, -1, out);
        return;
    }
    /* Digit at power k (10^k) is dig[exp - k] when in range. Collect the
     * powers from max(exp, 0) down to -decimals, plus one extra leading
     * place for a carry. */
    int hi = exp > 0 ? exp : 0;
    int lo = -decimals;
    int n = hi - lo + 1;
    char r[FMT_MAX_INT_DIGITS + FMT_MAX_DECIMALS + 4];
    r[0] = '0'; /* carry place */
    for (int i = 0; i < n; i++) {
        int k = hi - i, j = exp - k;
        r[i + 1] = j >= 0 && j < nd ? dig[j] : '0';
    }
    int jr = exp - (lo - 1); /* the digit just below the last kept */
    if (jr >= 0 && jr < nd && dig[jr] >= '5') {
        int i = n;
        while (r[i] == '9') {
            r[i] = '0';
            i--;
        }
        r[i]++;
    }
    /* r[0..n] holds carry + digits; integer part is r[0..hi+1]. */
    int intlen = hi + 2;
    int start = 0;
    while (start < intlen - 1 && r[start] == '0')
        start++;
    bool zero = true;
    for (int i = 0; i <= n; i++)
        if (r[i] != '0')
            zero = false;
    int fraclen = decimals;
    if (trim)
        while (fraclen > 0 && r[intlen + fraclen - 1] == '0')
            fraclen--;
    size_t o = 0;
    if (v < 0 && !zero)
        out[o++] = '-';
    for (int i = start; i < intlen; i++)
        out[o++] = r[i];
    if (fraclen > 0) {
        out[o++] = '.';
        for (int i = 0; i < fraclen; i++)
            out[o++] = r[intlen + i];
    }
    out[o] = '\0';
}

/* Writes plain digits ("-1234.57", "1.5E+300") in es-CO form
 * ("-1.234,57", "1,5E+300", as a spreadsheet set to es-CO shows it). */
static void add_es(struct buf *b, const char *plain, bool thousands)
{
    const char *s = plain;
    if (*s == '-') {
        buf_addc(b, '-');
        s++;
    }
    size_t intlen = strcspn(s, ".E");
    for (size_t i = 0; i < intlen; i++) {
        buf_addc(b, s[i]);
        size_t left = intlen - i - 1;
        if (thousands && left > 0 && left % 3 == 0)
            buf_addc(b, '.');
    }
    if (s[intlen] == '.') {
        buf_addc(b, ',');
        buf_adds(b, s + intlen + 1);
    } else {
        buf_adds(b, s + intlen);
    }
}

void fmt_number(struct buf *b, double v, int decimals, bool thousands)
{
    char plain[64];
    fmt_round_plain(v, decimals, plain);
    add_es(b, plain, thousands);
}

void fmt_scientific(struct buf *b, double v, int decimals)
{
    if (!isfinite(v))
        return;
    char out[64];
    if (v == 0) {
        buf_addc(b, '0');
        return;
    }
    char dig[FMT_SIG_DIGITS + 1];
    int exp = sig_digits(v, dig);
    sci_plain(dig, exp, v < 0, decimals, out);
    add_es(b, out, false);
}

void fmt_percent(struct buf *b, double v, int decimals, bool space)
{
    if (!isfinite(v))
        return;
    fmt_number(b, v, decimals, true);
    buf_adds(b, space ? " %" : "%");
}

void fmt_money(struct buf *b, double v, int decimals)
{
    if (!isfinite(v))
        return;
    char plain[64];
    fmt_round_plain(v, decimals, plain);
    const char *s = plain;
    if (*s == '-') {
        buf_addc(b, '-');
        s++;
    }
    buf_adds(b, "$ ");
    add_es(b, s, true);
}

static const char *const month_names[] = {
    "enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
    "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre",
};

const char *fmt_month_name(unsigned month)
{
    return month >= 1 && month <= 12 ? month_names[month - 1] : "";
}

/* The abbreviations of es-CO (CLDR): "sept." keeps four letters. */
static const char *const month_abbr[] = {
    "ene.", "feb.", "mar.",  "abr.", "may.", "jun.",
    "jul.", "ago.", "sept.", "oct.", "nov.", "dic.",
};

void fmt_month_year(struct buf *b, int32_t days)
{
    int y;
    unsigned m, d;
    date_to_ymd(days, &y, &m, &d);
    buf_printf(b, "%s %d", month_abbr[m - 1], y);
}

void fmt_date_long(struct buf *b, int32_t days)
{
    int y;
    unsigned m, d;
    date_to_ymd(days, &y, &m, &d);
    buf_printf(b, "%u de %s de %d", d, fmt_month_name(m), y);
}

void fmt_date_short(struct buf *b, int32_t days)
{
    int y;
    unsigned m, d;
    date_to_ymd(days, &y, &m, &d);
    buf_printf(b, "%02u/%02u/%04d", d, m, y);
}

void fmt_date_iso(struct buf *b, int32_t days)
{
    int y;
    unsigned m, d;
    date_to_ymd(days, &y, &m, &d);
    buf_printf(b, "%04d-%02u-%02u", y, m, d);
}

void fmt_quarter_code(struct buf *b, int32_t days)
{
    int y;
    unsigned m, d;
    date_to_ymd(days, &y, &m, &d);
    buf_printf(b, "%04d-T%u", y, (m - 1) / 3 + 1);
}

void fmt_quarter_long(struct buf *b, int32_t days)
{
    static const char *const ord[] = {"primer", "segundo", "tercer", "cuarto"};
    int y;
    unsigned m, d;
    date_to_ymd(days, &y, &m, &d);
    buf_printf(b, "%s trimestre de %d", ord[(m - 1) / 3], y);
}

static void add_missing(struct buf *b, const struct numfmt *f)
{
    if (f && f->missing)
        buf_adds(b, f->missing);
}

void fmt_value(struct buf *b, const struct value *v, const struct numfmt *f)
{
    static const struct numfmt auto_fmt = {NF_AUTO, -1, true, NULL};
    if (!f)
        f = &auto_fmt;
    if (v->type == V_MISSING ||
        (value_is_numeric(v->type) && v->type != V_BOOL && !isfinite(v->num))) {
        add_missing(b, f);
        return;
    }
    switch (v->type) {
    case V_TEXT:
        buf_adds(b, v->text ? v->text : "");
        return;
    case V_DATE:
        fmt_date_short(b, v->days);
        return;
    case V_BOOL:
        buf_adds(b, v->num != 0 ? "sí" : "no");
        return;
    default:
        break;
    }
    int dec = f->decimals;
    switch (f->kind) {
    case NF_NUMBER:
        fmt_number(b, v->num, dec, true);
        return;
    case NF_INTEGER:
        fmt_number(b, v->num, 0, true);
        return;
    case NF_PERCENT:
        fmt_percent(b, v->num, dec < 0 ? 1 : dec, f->pct_space);
        return;
    case NF_MONEY:
        fmt_money(b, v->num, dec < 0 ? 0 : dec);
        return;
    case NF_PLAIN:
        fmt_number(b, v->num, dec, false);
        return;
    case NF_AUTO:
        break;
    }
    /* By type. A plain number shows at most two decimals (trailing zeros
     * dropped) unless decimals says otherwise: a mean of 78.123456 reads
     * 78,12 in a report. */
    switch (v->type) {
    case V_INT:
        fmt_number(b, v->num, dec < 0 ? 0 : dec, true);
        break;
    case V_PERCENT:
        fmt_percent(b, v->num, dec < 0 ? 1 : dec, f->pct_space);
        break;
    case V_MONEY:
        fmt_money(b, v->num, dec < 0 ? 0 : dec);
        break;
    default: {
        if (dec >= 0) {
            fmt_number(b, v->num, dec, true);
            break;
        }
        char plain[64];
        fmt_round_plain(v->num, 2, plain);
        /* Trailing zeros of the decimals go, before any exponent. */
        size_t n = strcspn(plain, "E");
        if (memchr(plain, '.', n)) {
            size_t e = n;
            while (plain[n - 1] == '0')
                n--;
            if (plain[n - 1] == '.')
                n--;
            memmove(plain + n, plain + e, strlen(plain + e) + 1);
        }
        add_es(b, plain, true);
        break;
    }
    }
}
