/* adler: Adler-32 a block of 16 bytes at a time with SSE2, zlib's own
 * function elsewhere (see adler.h). */
#include "pdf/adler.h"

#include <limits.h>
#include <zlib.h>

#if defined(__SSE2__)
#include <emmintrin.h>

#define ADLER_BASE 65521u
/* Blocks of 16 bytes summed before the sums are reduced: the running sum
 * of the bytes that every block adds to the weighted sum stays below
 * 8 * 255 * ADLER_BLOCKS^2 / 2 in each 32-bit lane, far from 2^32. */
#define ADLER_BLOCKS 1024

/* The sum of the four 32-bit lanes of v. */
static uint64_t lanes(__m128i v)
{
    uint32_t x[4];
    _mm_storeu_si128((__m128i *)x, v);
    return (uint64_t)x[0] + x[1] + x[2] + x[3];
}

uint32_t adler_update(uint32_t adler, const void *data, size_t n)
{
    const unsigned char *p = data;
    uint32_t a = adler & 0xFFFF, b = adler >> 16;
    const __m128i zero = _mm_setzero_si128();
    /* A block's byte i adds (16 - i) times itself to b. */
    const __m128i w_lo = _mm_setr_epi16(16, 15, 14, 13, 12, 11, 10, 9);
    const __m128i w_hi = _mm_setr_epi16(8, 7, 6, 5, 4, 3, 2, 1);
    while (n >= 16) {
        size_t k = n / 16;
        if (k > ADLER_BLOCKS)
            k = ADLER_BLOCKS;
        n -= k * 16;
        /* sum: the bytes so far; before: sum as each block began;
         * weighted: every block's bytes weighted 16 down to 1. */
        __m128i sum = zero, before = zero, weighted = zero;
        for (size_t i = 0; i < k; i++, p += 16) {
            __m128i d = _mm_loadu_si128((const __m128i *)p);
            before = _mm_add_epi32(before, sum);
            sum = _mm_add_epi32(sum, _mm_sad_epu8(d, zero));
            weighted = _mm_add_epi32(
                weighted, _mm_madd_epi16(_mm_unpacklo_epi8(d, zero), w_lo));
            weighted = _mm_add_epi32(
                weighted, _mm_madd_epi16(_mm_unpackhi_epi8(d, zero), w_hi));
        }
        /* Each block added 16 times a as it began to b. */
        b = (uint32_t)((b + 16 * (uint64_t)k * a + 16 * lanes(before) +
                        lanes(weighted)) %
                       ADLER_BASE);
        a = (uint32_t)((a + lanes(sum)) % ADLER_BASE);
    }
    for (; n > 0; n--) {
        a += *p++;
        b += a;
    }
    return (b % ADLER_BASE) << 16 | a % ADLER_BASE;
}

#else

uint32_t adler_update(uint32_t adler, const void *data, size_t n)
{
    const unsigned char *p = data;
    while (n > 0) {
        uInt k = n > UINT_MAX ? UINT_MAX : (uInt)n;
        adler = (uint32_t)adler32(adler, p, k);
        p += k;
        n -= k;
    }
    return adler;
}

#endif
