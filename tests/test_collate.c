/* test_collate: the order of values: Spanish collation of texts at its
 * three levels, the order of values of every type, and which types can be
 * compared at all. */
#include "testutil.h"

#include "data/collate.h"

static void collate_text_should_break_ties_by_accent_then_case(void **state)
{
    (void)state;
    assert_true(collate_text("arbol", "árbol") < 0);
    assert_true(collate_text("árbol", "arbolito") < 0);
    assert_true(collate_text("peña", "pena") > 0);
    assert_true(collate_text("peña", "penz") > 0);
    assert_true(collate_text("peña", "peo") < 0);
    assert_true(collate_text("casa", "Casa") < 0);
    assert_true(collate_text("Casa", "casb") < 0);
    assert_true(collate_text("pingüino", "pinguino") > 0);
    assert_true(collate_text("pingüino", "pinguinos") < 0);
    assert_int_equal(collate_text("Energía", "Energía"), 0);
    assert_true(collate_text("", "a") < 0);
}

static void collate_text_should_answer_minus_one_zero_or_one(void **state)
{
    (void)state;
    assert_int_equal(collate_text("a", "z"), -1);
    assert_int_equal(collate_text("zeta", "Ñandú"), 1);
    assert_int_equal(collate_text("Ñandú", "nube"), 1);
    assert_int_equal(collate_text("Ñandú", "oso"), -1);
}

static struct value num(enum vtype t, double x)
{
    struct value v = {.type = t, .num = x};
    return v;
}

static struct value text(const char *s)
{
    struct value v = {.type = V_TEXT, .text = s};
    return v;
}

static struct value date(int32_t days)
{
    struct value v = {.type = V_DATE, .days = days};
    return v;
}

static void collate_values_should_order_by_kind_then_value(void **state)
{
    (void)state;
    struct value i2 = num(V_INT, 2), n25 = num(V_NUMBER, 2.5);
    struct value p2 = num(V_PERCENT, 2), m3 = num(V_MONEY, 3);
    struct value d1 = date(1), d9 = date(9);
    struct value ta = text("árbol"), tb = text("Avión");
    struct value f = num(V_BOOL, 0), t = num(V_BOOL, 1);
    struct value miss = {.type = V_MISSING};
    /* numbers of any numeric type by value */
    assert_int_equal(collate_values(&i2, &n25), -1);
    assert_int_equal(collate_values(&i2, &p2), 0);
    assert_int_equal(collate_values(&m3, &n25), 1);
    /* dates by day, texts in Spanish order, false before true */
    assert_int_equal(collate_values(&d9, &d1), 1);
    assert_int_equal(collate_values(&ta, &tb), -1);
    assert_int_equal(collate_values(&f, &t), -1);
    /* kinds: numbers, dates, texts, booleans, missing last */
    assert_int_equal(collate_values(&m3, &d1), -1);
    assert_int_equal(collate_values(&d9, &ta), -1);
    assert_int_equal(collate_values(&tb, &f), -1);
    assert_int_equal(collate_values(&t, &miss), -1);
    assert_int_equal(collate_values(&miss, &i2), 1);
    assert_int_equal(collate_values(&miss, &miss), 0);
}

static void collate_comparable_should_hold_within_one_kind(void **state)
{
    (void)state;
    assert_true(collate_comparable(V_INT, V_MONEY));
    assert_true(collate_comparable(V_PERCENT, V_NUMBER));
    assert_true(collate_comparable(V_DATE, V_DATE));
    assert_true(collate_comparable(V_TEXT, V_TEXT));
    assert_true(collate_comparable(V_BOOL, V_BOOL));
    assert_false(collate_comparable(V_INT, V_TEXT));
    assert_false(collate_comparable(V_DATE, V_NUMBER));
    assert_false(collate_comparable(V_BOOL, V_INT));
    assert_false(collate_comparable(V_MISSING, V_MISSING));
    assert_false(collate_comparable(V_MISSING, V_TEXT));
}

/* Every pair of a mixed set: the keys order as collate_values does,
 * texts that differ only by accent, case, ñ, length or a bad byte among
 * them. */
static void collate_key_cmp_should_order_as_collate_values(void **state)
{
    (void)state;
    const char *texts[] = {"",
                           "a",
                           "A",
                           "á",
                           "arbol",
                           "árbol",
                           "arbolito",
                           "peña",
                           "pena",
                           "penz",
                           "peo",
                           "Casa",
                           "casa",
                           "pingüino",
                           "pinguinos",
                           "Ñandú",
                           "nube",
                           "zeta",
                           "a\xff",
                           "a\xff"
                           "b",
                           "1999",
                           "Grupo 10",
                           "Grupo 9"};
    size_t nt = sizeof texts / sizeof *texts;
    struct value v[40];
    size_t n = 0;
    for (size_t i = 0; i < nt; i++)
        v[n++] = text(texts[i]);
    v[n++] = num(V_INT, 3);
    v[n++] = num(V_MONEY, -2.5);
    v[n++] = num(V_PERCENT, 3);
    v[n++] = (struct value){.type = V_DATE, .days = 17000};
    v[n++] = (struct value){.type = V_DATE, .days = -3};
    v[n++] = num(V_BOOL, 1);
    v[n++] = num(V_BOOL, 0);
    v[n++] = (struct value){.type = V_MISSING};
    struct collate_key k[40];
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < n; i++)
        collate_key(&b, &v[i], &k[i]);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            assert_int_equal(collate_key_cmp(b.data, &k[i], &k[j]),
                             collate_values(&v[i], &v[j]));
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(collate_text_should_break_ties_by_accent_then_case),
        cmocka_unit_test(collate_text_should_answer_minus_one_zero_or_one),
        cmocka_unit_test(collate_values_should_order_by_kind_then_value),
        cmocka_unit_test(collate_comparable_should_hold_within_one_kind),
        cmocka_unit_test(collate_key_cmp_should_order_as_collate_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
