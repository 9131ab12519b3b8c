/* test_adler: the Adler-32 of pdf/adler.h against zlib's over lengths
 * around its blocks of 16 bytes and its reductions, every alignment,
 * bytes of 0xFF (the largest sums) and a checksum continued piece by
 * piece. */
#include "testutil.h"

#include "pdf/adler.h"

#include <stdlib.h>
#include <zlib.h>

static uint32_t zlib_adler(uint32_t start, const unsigned char *p, size_t n)
{
    return (uint32_t)adler32(start, p, (uInt)n);
}

static void adler_should_give_the_known_values(void **state)
{
    (void)state;
    assert_int_equal(adler_update(ADLER_INIT, "", 0), 1);
    /* RFC 1950's example word, as every implementation gives it. */
    assert_int_equal(adler_update(ADLER_INIT, "Wikipedia", 9), 0x11E60398);
    assert_int_equal(adler_update(ADLER_INIT, "abcdefghijklmnopqrstuvwxyz", 26),
                     0x90860B20);
}

static void adler_should_match_zlib_at_every_length_and_alignment(void **state)
{
    (void)state;
    enum { N = 70000 };
    unsigned char *buf = malloc(N + 16);
    assert_non_null(buf);
    uint32_t x = 12345;
    for (size_t i = 0; i < N + 16; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (unsigned char)(x >> 16);
    }
    for (size_t off = 0; off < 16; off++)
        for (size_t n = 0; n < 300; n++)
            assert_int_equal(adler_update(ADLER_INIT, buf + off, n),
                             zlib_adler(1, buf + off, n));
    /* Past the reductions (16 KB a vector pass, 5,552 bytes in zlib). */
    static const size_t lens[] = {5551,  5552,  5553,  16383,
                                  16384, 16385, 65536, N};
    for (size_t k = 0; k < sizeof lens / sizeof *lens; k++)
        assert_int_equal(adler_update(ADLER_INIT, buf + 3, lens[k]),
                         zlib_adler(1, buf + 3, lens[k]));
    /* The largest sums: every byte 0xFF. */
    memset(buf, 0xFF, N);
    assert_int_equal(adler_update(ADLER_INIT, buf, N), zlib_adler(1, buf, N));
    free(buf);
}

static void adler_should_continue_from_a_previous_value(void **state)
{
    (void)state;
    unsigned char buf[1000];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 7 + i / 13);
    uint32_t whole = zlib_adler(1, buf, sizeof buf);
    for (size_t cut = 0; cut <= sizeof buf; cut += 37) {
        uint32_t a = adler_update(ADLER_INIT, buf, cut);
        assert_int_equal(adler_update(a, buf + cut, sizeof buf - cut), whole);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(adler_should_give_the_known_values),
        cmocka_unit_test(adler_should_match_zlib_at_every_length_and_alignment),
        cmocka_unit_test(adler_should_continue_from_a_previous_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
