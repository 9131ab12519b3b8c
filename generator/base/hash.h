/* hash: a hash of a run of bytes, for the hash tables of distinct texts
 * and of grouping and joining keys. */
#ifndef INFORME_HASH_H
#define INFORME_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Inline: called once per cell of a column and per key of a group or
 * join. The last bytes are read in loads that overlap the ones before. */
static inline uint64_t hash_load64(const char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    return w;
}

static inline uint64_t hash_load32(const char *s)
{
    uint32_t w;
    memcpy(&w, s, 4);
    return w;
}

/* A hash of the n bytes at s, read eight at a time (not a byte at a
 * time): the same bytes give the same hash within a run. Not meant to
 * resist chosen collisions, and not stable across machines of another
 * byte order: never written anywhere. */
static inline uint64_t hash_bytes(const char *s, size_t n)
{
    const uint64_t k = 0x9E3779B97F4A7C15u;
    /* n is mixed in: texts told apart by overlapping loads differ in n */
    uint64_t h = (n + 1) * k, w;
    if (n >= 8) {
        const char *e = s + n - 8;
        for (; s < e; s += 8) {
            h = (h ^ hash_load64(s)) * k;
            h ^= h >> 31;
        }
        w = hash_load64(e);
    } else if (n >= 4) {
        w = hash_load32(s) << 32 | hash_load32(s + n - 4);
    } else if (n > 0) {
        w = (uint64_t)(unsigned char)s[0] << 16 |
            (uint64_t)(unsigned char)s[n / 2] << 8 | (unsigned char)s[n - 1];
    } else {
        w = 0;
    }
    h = (h ^ w) * k;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9u;
    h ^= h >> 32;
    return h;
}

/* Whether the n bytes at a and at b are the same, compared in words as
 * hash_bytes reads them (faster than memcmp on the short texts of cells
 * and keys). */
static inline bool hash_equal(const char *a, const char *b, size_t n)
{
    if (n >= 8) {
        for (size_t k = 0; k + 8 < n; k += 8)
            if (hash_load64(a + k) != hash_load64(b + k))
                return false;
        return hash_load64(a + n - 8) == hash_load64(b + n - 8);
    }
    if (n >= 4)
        return hash_load32(a) == hash_load32(b) &&
               hash_load32(a + n - 4) == hash_load32(b + n - 4);
    return memcmp(a, b, n) == 0;
}

#endif
