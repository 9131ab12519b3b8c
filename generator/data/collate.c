/* collate: Spanish collation of texts (weights per code point at three
 * levels: letter, accent, case) and the order of values built on it. */
#include "data/collate.h"

#include "base/utf8.h"

#include <stdint.h>
#include <string.h>

/* Collation weights of one code point: primary (the letter, case and
 * accent folded; ñ between n and o), secondary (accent), tertiary (case). */
struct cw {
    uint32_t p;
    unsigned char s, t;
};

static struct cw weigh(uint32_t cp)
{
    /* Latin-1 letters 0xC0..0xFF: base letter and accent class. */
    static const char base[] = "aaaaaaaceeeeiiiidnooooo/ouuuuyts"
                               "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
    static const unsigned char acc[] = {
        2, 1, 3, 4, 5, 6, 0, 7, 2, 1, 3, 5, 2, 1, 3, 5, 0, 0, 2, 1, 3, 4,
        5, 0, 0, 2, 1, 3, 5, 1, 0, 0, 2, 1, 3, 4, 5, 6, 0, 7, 2, 1, 3, 5,
        2, 1, 3, 5, 0, 0, 2, 1, 3, 4, 5, 0, 0, 2, 1, 3, 5, 1, 0, 5,
    };
    struct cw w = {cp * 4, 0, 0};
    if (cp >= 'A' && cp <= 'Z') {
        w.p = (cp + 32) * 4;
        w.t = 1;
    } else if (cp >= 0xC0 && cp <= 0xFF && cp != 0xD7 && cp != 0xF7) {
        unsigned i = cp - 0xC0;
        w.t = cp < 0xE0 && cp != 0xDF;
        if (cp == 0xD1 || cp == 0xF1) /* ñ: a letter of its own */
            w.p = 'n' * 4 + 2;
        else
            w.p = (uint32_t)base[i] * 4;
        w.s = acc[i];
    }
    return w;
}

static int collate_level(const char *a, const char *b, int level)
{
    size_t na = strlen(a), nb = strlen(b), i = 0, j = 0;
    while (i < na && j < nb) {
        size_t la, lb;
        uint32_t ca = utf8_decode(a + i, na - i, &la);
        uint32_t cb = utf8_decode(b + j, nb - j, &lb);
        if (ca == UTF8_BAD)
            ca = (unsigned char)a[i];
        if (cb == UTF8_BAD)
            cb = (unsigned char)b[j];
        struct cw wa = weigh(ca), wb = weigh(cb);
        uint32_t xa = level == 1 ? wa.p : level == 2 ? wa.s : wa.t;
        uint32_t xb = level == 1 ? wb.p : level == 2 ? wb.s : wb.t;
        if (xa != xb)
            return xa < xb ? -1 : 1;
        i += la;
        j += lb;
    }
    if (i < na)
        return 1;
    if (j < nb)
        return -1;
    return 0;
}

int collate_text(const char *a, const char *b)
{
    for (int level = 1; level <= 3; level++) {
        int c = collate_level(a, b, level);
        if (c)
            return c;
    }
    int c = strcmp(a, b);
    return c < 0 ? -1 : c > 0;
}

static int kind_rank(enum vtype t)
{
    switch (t) {
    case V_INT:
    case V_NUMBER:
    case V_PERCENT:
    case V_MONEY:
        return 0;
    case V_DATE:
        return 1;
    case V_TEXT:
        return 2;
    case V_BOOL:
        return 3;
    default:
        return COLLATE_MISSING;
    }
}

int collate_values(const struct value *a, const struct value *b)
{
    int ra = kind_rank(a->type), rb = kind_rank(b->type);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    switch (ra) {
    case 0:
    case 3:
        return a->num < b->num ? -1 : a->num > b->num;
    case 1:
        return a->days < b->days ? -1 : a->days > b->days;
    case 2:
        return collate_text(a->text, b->text);
    default:
        return 0;
    }
}

/* The weights of text at one level as bytes whose order (memcmp, the
 * shorter first on a common prefix) is that of collate_level, closed by a
 * zero below every weight: primary weights are 4 bytes big-endian (at
 * least 4), the others one byte plus one. */
static void key_level(struct buf *b, const char *s, int level)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        size_t l;
        uint32_t c = utf8_decode(s + i, n - i, &l);
        if (c == UTF8_BAD)
            c = (unsigned char)s[i];
        struct cw w = weigh(c);
        if (level == 1) {
            char be[4] = {(char)(w.p >> 24), (char)(w.p >> 16),
                          (char)(w.p >> 8), (char)w.p};
            buf_add(b, be, 4);
        } else {
            buf_addc(b, (char)((level == 2 ? w.s : w.t) + 1));
        }
        i += l;
    }
    static const char zero[4] = {0, 0, 0, 0};
    buf_add(b, zero, level == 1 ? 4 : 1);
}

void collate_key(struct buf *b, const struct value *v, struct collate_key *k)
{
    k->kind = kind_rank(v->type);
    k->num = k->kind == 1 ? (double)v->days : v->num;
    k->off = b->len;
    if (k->kind == 2) {
        for (int level = 1; level <= 3; level++)
            key_level(b, v->text, level);
        buf_adds(b, v->text); /* the tie-break of strcmp */
    }
    k->len = b->len - k->off;
}

int collate_key_cmp(const char *bytes, const struct collate_key *x,
                    const struct collate_key *y)
{
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    switch (x->kind) {
    case 0:
    case 1:
    case 3:
        return x->num < y->num ? -1 : x->num > y->num;
    case 2: {
        size_t n = x->len < y->len ? x->len : y->len;
        int c = memcmp(bytes + x->off, bytes + y->off, n);
        if (c)
            return c < 0 ? -1 : 1;
        return x->len < y->len ? -1 : x->len > y->len;
    }
    default:
        return 0;
    }
}

bool collate_comparable(enum vtype a, enum vtype b)
{
    int r = kind_rank(a);
    return r == kind_rank(b) && r != 4;
}
