/* utf8: strict UTF-8 (RFC 3629): no overlongs, no surrogates, <= U+10FFFF. */
#include "base/utf8.h"

#include <string.h>

uint32_t utf8_decode(const char *str, size_t n, size_t *len)
{
    const unsigned char *s = (const unsigned char *)str;
    *len = 1;
    if (n == 0)
        return UTF8_BAD;
    unsigned c = s[0];
    if (c < 0x80)
        return c;
    size_t need;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return UTF8_BAD;
    }
    if (n < need)
        return UTF8_BAD;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return UTF8_BAD;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return UTF8_BAD;
    *len = need;
    return cp;
}

size_t utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t utf8_validate(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* runs of ASCII a word (eight bytes) at a time, up to the first
         * byte above 0x7F of the word that has one */
        const uint64_t high = 0x8080808080808080u;
        while (n - i >= 16) { /* two words a test */
            uint64_t a, b;
            memcpy(&a, s + i, 8);
            memcpy(&b, s + i + 8, 8);
            if ((a | b) & high)
                break;
            i += 16;
        }
        while (n - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            w &= high;
            if (w) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
                i += (size_t)__builtin_ctzll(w) / 8;
#endif
                break;
            }
            i += 8;
        }
        if (i == n)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        /* a two-byte sequence (every accented letter of Spanish) without
         * a call: a lead C2-DF and one continuation byte are always valid */
        if (c >= 0xC2 && c <= 0xDF && i + 1 < n &&
            ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
            i += 2;
            continue;
        }
        size_t len;
        if (utf8_decode(s + i, n - i, &len) == UTF8_BAD)
            return i;
        i += len;
    }
    return n;
}

size_t utf8_length(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; count++) {
        size_t len;
        utf8_decode(s + i, n - i, &len);
        i += len;
    }
    return count;
}
