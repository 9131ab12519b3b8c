/* digits: the two decimal digits of 0 to 99, for the writers of numbers
 * that do without printf (content streams, the structure tree). */
#ifndef INFORME_DIGITS_H
#define INFORME_DIGITS_H

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

#endif
