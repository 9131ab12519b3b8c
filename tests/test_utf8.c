/* test_utf8: utf8_validate against a byte-by-byte check with utf8_decode,
 * on texts where ASCII runs, accented letters, longer sequences and a bad
 * byte fall at every position of the words the validator reads at once. */
#include "testutil.h"

#include "base/utf8.h"

/* The length of the valid prefix of s, one sequence at a time. */
static size_t validate_slowly(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t len;
        if (utf8_decode(s + i, n - i, &len) == UTF8_BAD)
            return i;
        i += len;
    }
    return n;
}

static void validate_should_stop_at_the_first_bad_sequence(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "\xC3\xB3",         /* ó */
        "\xE2\x82\xAC",     /* € */
        "\xF0\x9F\x98\x80", /* U+1F600 */
        "\xC3",             /* a lead without its continuation */
        "\xC0\xAF",         /* overlong */
        "\xED\xA0\x80",     /* a surrogate */
        "\x80",             /* a lone continuation */
        "\xF5\x80\x80\x80", /* above U+10FFFF */
    };
    char s[64];
    for (size_t p = 0; p < sizeof pieces / sizeof *pieces; p++) {
        size_t plen = strlen(pieces[p]);
        for (size_t at = 0; at + plen <= 40; at++) {
            /* ASCII, the piece at `at`, ASCII again, then an ó */
            memset(s, 'a', sizeof s);
            memcpy(s + at, pieces[p], plen);
            memcpy(s + 40, "\xC3\xB3", 2);
            for (size_t n = at; n <= 42; n++) {
                size_t want = validate_slowly(s, n);
                assert_int_equal(utf8_validate(s, n), want);
            }
            /* the first three pieces are valid, the others stop at at */
            assert_int_equal(utf8_validate(s, 42), p < 3 ? 42 : at);
        }
    }
    /* a C3 that ends the text is no sequence */
    assert_int_equal(utf8_validate("abcdefghijklmno\xC3", 16), 15);
    assert_int_equal(utf8_validate("", 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(validate_should_stop_at_the_first_bad_sequence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
