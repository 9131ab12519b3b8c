/* digits: the two decimal digits of 0 to 99, and an unsigned number
 * written with them, for the writers of numbers that do without printf
 * (content streams, the structure tree). */
#ifndef INFORME_DIGITS_H
#define INFORME_DIGITS_H

#include <stddef.h>

/* The digits of n (below 100) as two characters, "00" to "99"; not
 * NUL-terminated. */
static inline const char *digits_pair(unsigned n)
{
    static const char pairs[201] = "0001020304050607080910111213141516171819"
                                   "2021222324252627282930313233343536373839"
                                   "4041424344454647484950515253545556575859"
                                   "6061626364656667686970717273747576777879"
                                   "8081828384858687888990919293949596979899";
    return pairs + 2 * n;
}

/* The decimal digits of v: four at a time, so that an object number of
 * six digits takes six comparisons and one division, not a loop of six
 * multiplications. */
static inline size_t digits_count(size_t v)
{
    size_t n = 1;
    for (;;) {
        if (v < 10)
            return n;
        if (v < 100)
            return n + 1;
        if (v < 1000)
            return n + 2;
        if (v < 10000)
            return n + 3;
        v /= 10000;
        n += 4;
    }
}

/* v in decimal at p (no NUL), two digits at a time: a number of six
 * digits takes three divisions, not six. Returns the end. */
static inline char *digits_put(char *p, size_t v)
{
    size_t n = digits_count(v);
    char *e = p + n;
    while (v >= 100) {
        const char *d = digits_pair((unsigned)(v % 100));
        v /= 100;
        *--e = d[1];
        *--e = d[0];
    }
    if (v >= 10) {
        const char *d = digits_pair((unsigned)v);
        *--e = d[1];
        *--e = d[0];
    } else {
        *--e = (char)('0' + v);
    }
    return p + n;
}

#endif
