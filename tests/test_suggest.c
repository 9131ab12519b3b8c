/* Tests of suggest: edit distance and the closest name. */
#include "testutil.h"

#include "data/suggest.h"

static void distance_should_count_edits_and_swaps(void **state)
{
    (void)state;
    assert_int_equal(suggest_distance("columns", "columns"), 0);
    assert_int_equal(suggest_distance("colums", "columns"), 1);
    assert_int_equal(suggest_distance("heder", "header"), 1);
    assert_int_equal(suggest_distance("fiel", "file"), 1); /* a swap */
    assert_int_equal(suggest_distance("Avance", "avance"), 0);
    assert_int_equal(suggest_distance("", "abc"), 3);
    assert_int_equal(suggest_distance("kitten", "sitting"), 3);
}

static void closest_should_respect_the_length_rule(void **state)
{
    (void)state;
    const char *keys[] = {"data", "where", "columns", "caption", "zebra"};
    assert_string_equal(suggest_closest("colums", keys, 5), "columns");
    assert_string_equal(suggest_closest("zebre", keys, 5), "zebra");
    /* "dat" is one edit from "data": a short word allows one. */
    assert_string_equal(suggest_closest("dat", keys, 5), "data");
    /* Nothing within a third of the length. */
    assert_null(suggest_closest("altura", keys, 5));
    assert_null(suggest_closest("x", keys, 0));
}

static void column_should_suggest_from_a_table(void **state)
{
    (void)state;
    struct column cols[] = {{"programa", V_TEXT, 1}, {"avance", V_PERCENT, 2}};
    struct table t = {"plan", NULL, 2, 0, cols, NULL, NULL};
    assert_string_equal(suggest_column(&t, "avanse"), "avance");
    assert_string_equal(suggest_column(&t, "Programa"), "programa");
    assert_null(suggest_column(&t, "meta"));
    assert_null(suggest_column(NULL, "meta"));
}

static void closest_should_find_close_words_only(void **state)
{
    (void)state;
    static const char *const keys[] = {"data",  "where",   "sort",
                                       "limit", "columns", "caption"};
    assert_string_equal(suggest_closest("colums", keys, 6), "columns");
    assert_string_equal(suggest_closest("dtaa", keys, 6), "data");
    assert_string_equal(suggest_closest("Sort", keys, 6), "sort");
    assert_string_equal(suggest_closest("limt", keys, 6), "limit");
    assert_null(suggest_closest("zebra", keys, 6));
    assert_null(suggest_closest("x", keys, 6));
    assert_null(suggest_closest("colores", keys, 6));
    assert_null(suggest_closest("data", keys, 0));
}

static void expect_typed(const char *name, const char *want)
{
    struct buf b;
    buf_init(&b);
    table_name_typed(&b, name);
    assert_string_equal(b.data, want);
    buf_release(&b);
}

static void typed_name_should_fold_line_breaks_to_a_space(void **state)
{
    (void)state;
    expect_typed("Índice de Desempeño\nInstitucional",
                 "Índice de Desempeño Institucional");
    expect_typed(" D6 Gestión del Conocimiento y\r\n  la Innovación\n",
                 "D6 Gestión del Conocimiento y la Innovación");
    expect_typed("avance", "avance");
    /* the typed form finds the column */
    struct column cols[] = {{.name = "Meta\nanual"}};
    struct table t = {.ncols = 1, .cols = cols};
    assert_int_equal(table_find_column(&t, "Meta anual"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(distance_should_count_edits_and_swaps),
        cmocka_unit_test(closest_should_respect_the_length_rule),
        cmocka_unit_test(column_should_suggest_from_a_table),
        cmocka_unit_test(closest_should_find_close_words_only),
        cmocka_unit_test(typed_name_should_fold_line_breaks_to_a_space),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
