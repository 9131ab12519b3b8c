/* tree_conv: messages at a node, and scalars converted to booleans,
 * numbers, lengths and colours, with the node's position on failure. */
#include "template/tree.h"

#include "template/tree_int.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

void tree_error(struct diag *d, const struct tnode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(d, EXIT_DATAERR, n->file, n->line, n->col, fmt, ap);
    va_end(ap);
}

static const char *kind_noun(enum tree_kind k)
{
    switch (k) {
    case TREE_MAP:
        return "un mapa";
    case TREE_SEQ:
        return "una lista";
    case TREE_SCALAR:
        return "un texto";
    }
    return "un valor";
}

/* "y se encontró una lista", or "pero el valor está vacío". */
static const char *found(const struct tnode *n)
{
    if (tree_blank(n))
        return "pero el valor está vacío";
    switch (n->kind) {
    case TREE_MAP:
        return "y se encontró un mapa";
    case TREE_SEQ:
        return "y se encontró una lista";
    case TREE_SCALAR:
        return "y se encontró un texto";
    }
    return "";
}

bool tree_expect(struct diag *d, const struct tnode *n, enum tree_kind kind)
{
    if (n->kind == kind)
        return true;
    tree_error(d, n, "se esperaba %s %s", kind_noun(kind), found(n));
    return false;
}

static bool ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

bool tree_to_bool(struct diag *d, const struct tnode *n, bool *out)
{
    static const char *const yes[] = {"true", "yes", "si", "sí", "Sí", "SÍ"};
    static const char *const no[] = {"false", "no"};
    if (n->kind == TREE_SCALAR) {
        for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
            if (ieq(n->text, yes[i])) {
                *out = true;
                return true;
            }
        }
        for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
            if (ieq(n->text, no[i])) {
                *out = false;
                return true;
            }
        }
        if (!tree_blank(n)) {
            tree_error(d, n, "se esperaba true o false y se encontró '%s'",
                       n->text);
            return false;
        }
    }
    tree_error(d, n, "se esperaba true o false %s", found(n));
    return false;
}

/* Decimal number: [sign] digits [. digits] [e [sign] digits], nothing
 * else. Digits are gathered into an integer and scaled once, which is
 * exact for the short figures a template holds. */
static bool parse_decimal(const char *s, size_t n, double *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    uint64_t mant = 0;
    int scale = 0;
    bool any = false;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, any = true) {
        if (mant < UINT64_C(100000000000000000))
            mant = mant * 10 + (uint64_t)(s[i] - '0');
        else
            scale++;
    }
    if (i < n && s[i] == '.') {
        i++;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, any = true) {
            if (mant < UINT64_C(100000000000000000))
                mant = mant * 10 + (uint64_t)(s[i] - '0'), scale--;
        }
    }
    if (!any)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            eneg = s[i++] == '-';
        int ex = 0;
        bool edig = false;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, edig = true)
            if (ex < 10000)
                ex = ex * 10 + (s[i] - '0');
        if (!edig)
            return false;
        scale += eneg ? -ex : ex;
    }
    if (i != n)
        return false;
    if (mant == 0) {
        *out = 0;
        return true;
    }
    double v = (double)mant;
    double p = 1;
    int k = scale < 0 ? -scale : scale;
    for (double base = 10; k; k >>= 1, base *= base)
        if (k & 1)
            p *= base;
    v = scale < 0 ? v / p : v * p;
    if (!isfinite(v) || v == 0)
        return false;
    *out = neg ? -v : v;
    return true;
}

static bool number_text(const struct tnode *n, double *out)
{
    return n->kind == TREE_SCALAR && parse_decimal(n->text, n->len, out);
}

/* A comma where the decimal point should be is the commonest slip of a
 * Spanish-speaking author; say so. */
static void number_error(struct diag *d, const struct tnode *n,
                         const char *what)
{
    if (n->kind != TREE_SCALAR || tree_blank(n)) {
        tree_error(d, n, "se esperaba %s %s", what, found(n));
        return;
    }
    const char *comma = memchr(n->text, ',', n->len);
    if (comma) {
        tree_error(d, n,
                   "se esperaba %s y se encontró '%s'; use punto decimal "
                   "(85.3), no coma",
                   what, n->text);
        return;
    }
    tree_error(d, n, "se esperaba %s y se encontró '%s'", what, n->text);
}

bool tree_to_long(struct diag *d, const struct tnode *n, long min, long max,
                  long *out)
{
    if (n->kind == TREE_SCALAR && n->len > 0) {
        const char *s = n->text;
        size_t i = 0;
        bool neg = false;
        if (s[i] == '-' || s[i] == '+')
            neg = s[i++] == '-';
        bool digits = i < n->len, big = false;
        unsigned long v = 0;
        for (; i < n->len; i++) {
            if (s[i] < '0' || s[i] > '9') {
                digits = false;
                break;
            }
            if (v > (unsigned long)LONG_MAX / 10)
                big = true;
            else
                v = v * 10 + (unsigned long)(s[i] - '0');
        }
        if (digits) {
            long x = big || v > (unsigned long)LONG_MAX ? LONG_MAX : (long)v;
            if (neg)
                x = -x;
            if (big || x < min || x > max) {
                tree_error(d, n,
                           "el valor %s está fuera del rango (de %ld a "
                           "%ld)",
                           n->text, min, max);
                return false;
            }
            *out = x;
            return true;
        }
    }
    number_error(d, n, "un número entero");
    return false;
}

bool tree_to_double(struct diag *d, const struct tnode *n, double *out)
{
    if (number_text(n, out))
        return true;
    number_error(d, n, "un número");
    return false;
}

bool tree_to_length(struct diag *d, const struct tnode *n, float *out)
{
    static const struct {
        const char *unit;
        double pt;
    } units[] = {
        {"pt", 1.0}, {"cm", 72.0 / 2.54}, {"mm", 72.0 / 25.4}, {"in", 72.0}};
    if (n->kind != TREE_SCALAR || tree_blank(n)) {
        tree_error(d, n, "se esperaba una longitud (2cm, 20mm, 56.7pt, 1in) %s",
                   found(n));
        return false;
    }
    size_t len = n->len;
    while (len > 0 && n->text[len - 1] == ' ')
        len--;
    size_t num = len;
    while (num > 0 && ((n->text[num - 1] >= 'a' && n->text[num - 1] <= 'z') ||
                       (n->text[num - 1] >= 'A' && n->text[num - 1] <= 'Z') ||
                       n->text[num - 1] == '%'))
        num--;
    const char *unit = n->text + num;
    size_t ulen = len - num;
    while (num > 0 && n->text[num - 1] == ' ')
        num--;
    double v, factor = 0;
    if (!parse_decimal(n->text, num, &v)) {
        tree_error(d, n,
                   "se esperaba una longitud (2cm, 20mm, 56.7pt, 1in) y se "
                   "encontró '%s'",
                   n->text);
        return false;
    }
    if (ulen == 0)
        factor = 1.0;
    for (size_t i = 0; i < sizeof units / sizeof *units && !factor; i++)
        if (ulen == 2 && memcmp(unit, units[i].unit, 2) == 0)
            factor = units[i].pt;
    if (!factor) {
        tree_error(d, n,
                   "unidad de longitud desconocida '%.*s' en '%s'; use cm, "
                   "mm, pt o in",
                   (int)ulen, unit, n->text);
        return false;
    }
    if (v < 0) {
        tree_error(d, n, "la longitud no puede ser negativa: '%s'", n->text);
        return false;
    }
    if (v * factor > 1e5) {
        tree_error(d, n, "longitud demasiado grande: '%s'", n->text);
        return false;
    }
    *out = (float)(v * factor);
    return true;
}

int tree_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool tree_to_color(struct diag *d, const struct tnode *n, unsigned *out)
{
    if (n->kind != TREE_SCALAR) {
        tree_error(d, n, "se esperaba un color \"#RRGGBB\" %s", found(n));
        return false;
    }
    if (tree_blank(n)) {
        /* `fill: #FFF` is a comment in YAML: the value is lost. */
        tree_error(d, n,
                   "falta el color; escríbalo entre comillas (\"#RRGGBB\"): "
                   "sin ellas, '#' empieza un comentario");
        return false;
    }
    const char *s = n->text;
    if (s[0] == '#' && (n->len == 7 || n->len == 4)) {
        unsigned v = 0;
        bool ok = true;
        for (size_t i = 1; i < n->len && ok; i++) {
            int h = tree_hex_digit(s[i]);
            ok = h >= 0;
            v = v << 4 | (unsigned)(h < 0 ? 0 : h);
            if (n->len == 4)
                v = v << 4 | (unsigned)(h < 0 ? 0 : h);
        }
        if (ok) {
            *out = v;
            return true;
        }
    }
    tree_error(d, n, "color no válido '%s'; se esperaba \"#RRGGBB\" o \"#RGB\"",
               s);
    return false;
}
