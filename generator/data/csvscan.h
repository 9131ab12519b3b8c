/* csvscan: the decoded text of a CSV file scanned eight bytes at a time
 * (csvfile.c's split of the records without quotes): where a byte is
 * first found, and how many times. */
#ifndef INFORME_CSVSCAN_H
#define INFORME_CSVSCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define CSVSCAN_ONES ((uint64_t)0x0101010101010101u)
#define CSVSCAN_HIGHS ((uint64_t)0x8080808080808080u)

/* The first c in text[i, e), or e; the text can be read up to lim (its
 * end): eight bytes at a time, one word has c where c ^ word has a zero
 * byte. */
static inline size_t find_byte(const char *t, size_t i, size_t e, size_t lim,
                               char c)
{
    uint64_t pat = CSVSCAN_ONES * (unsigned char)c;
    size_t words_end = lim < 8 ? 0 : lim - 7 < e ? lim - 7 : e;
    while (i < words_end) { /* i < e, and eight bytes to read */
        uint64_t w;
        memcpy(&w, t + i, 8);
        w ^= pat;
        uint64_t z = (w - CSVSCAN_ONES) & ~w & CSVSCAN_HIGHS;
        if (z) { /* c is in these eight bytes */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            /* the lowest flag is the first c (a flag above it may be a
             * borrow, never one below) */
            i += (size_t)__builtin_ctzll(z) / 8;
            return i < e ? i : e;
#else
            break;
#endif
        }
        i += 8;
    }
    while (i < e && t[i] != c)
        i++;
    return i < e ? i : e;
}

/* How many c are in text[i, e), eight bytes at a time: a byte of c ^ word
 * is zero where c is, and ((x & 0x7F) + 0x7F) | x has its high bit clear
 * in exactly those bytes (no borrow crosses bytes, unlike find_byte's
 * test). Each byte of acc counts its lane, up to 255 words at a time. */
static inline size_t count_byte(const char *t, size_t i, size_t e, char c)
{
    const uint64_t pat = CSVSCAN_ONES * (unsigned char)c,
                   low7 = CSVSCAN_ONES * 0x7F;
    const uint64_t pairs = 0x00FF00FF00FF00FFu;
    size_t count = 0;
    while (e - i >= 8) {
        size_t words = (e - i) / 8 < 255 ? (e - i) / 8 : 255;
        uint64_t acc = 0;
        for (size_t w = 0; w < words; w++, i += 8) {
            uint64_t x;
            memcpy(&x, t + i, 8);
            x ^= pat;
            acc += (~(((x & low7) + low7) | x) & CSVSCAN_HIGHS) >> 7;
        }
        /* eight lanes of at most 255 summed in 16-bit lanes */
        uint64_t sum = (acc & pairs) + ((acc >> 8) & pairs);
        count += (size_t)((sum * 0x0001000100010001u) >> 48);
    }
    for (; i < e; i++)
        count += t[i] == c;
    return count;
}

#endif
