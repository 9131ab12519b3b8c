/* test_digits: the two digits of every number from 0 to 99, as the
 * number writers of the content streams and the structure tree take
 * them. */
#include "testutil.h"

#include "base/digits.h"

#include <stdio.h>

static void pairs_should_hold_both_digits_with_a_leading_zero(void **state)
{
    (void)state;
    assert_memory_equal(digits_pair(0), "00", 2);
    assert_memory_equal(digits_pair(7), "07", 2);
    assert_memory_equal(digits_pair(10), "10", 2);
    assert_memory_equal(digits_pair(42), "42", 2);
    assert_memory_equal(digits_pair(99), "99", 2);
    /* Every one of them as printf writes it. */
    for (unsigned n = 0; n < 100; n++) {
        char want[3];
        snprintf(want, sizeof want, "%02u", n);
        assert_memory_equal(digits_pair(n), want, 2);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pairs_should_hold_both_digits_with_a_leading_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
