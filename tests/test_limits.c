/* Tests for limits: defaults, --limit parsing and the exceeded message. */
#include "testutil.h"

#include "base/diag.h"
#include "base/limits.h"

#include <stdlib.h>
#include <string.h>

static void limits_should_start_at_defaults(void **state)
{
    (void)state;
    limits_reset();
    assert_int_equal(limit(LIMIT_EXPR_DEPTH), 200);
    assert_int_equal(limit(LIMIT_YAML_DEPTH), 64);
    assert_string_equal(limit_name(LIMIT_CHART_CATEGORIES), "chart_categories");
}

static void limits_should_parse_assignment(void **state)
{
    (void)state;
    limits_reset();
    const char *why = NULL;
    assert_true(limits_set("expr_depth=500", &why));
    assert_int_equal(limit(LIMIT_EXPR_DEPTH), 500);
    assert_false(limits_set("expr_dept=5", &why));
    assert_string_equal(why, "límite desconocido (vea informe --help)");
    assert_false(limits_set("expr_depth=0", &why));
    assert_false(limits_set("expr_depth=-3", &why));
    assert_false(limits_set("expr_depth=", &why));
    assert_false(limits_set("expr_depth", &why));
    assert_false(limits_set("expr_depth=99999999999999999999", &why));
    assert_int_equal(limit(LIMIT_EXPR_DEPTH), 500);
    limits_reset();
}

static void limits_should_name_limit_and_option(void **state)
{
    (void)state;
    limits_reset();
    struct diag d;
    diag_init(&d);
    limits_exceeded(&d, LIMIT_EXPR_DEPTH, "t.yaml", 3, 9, "la expresión anida");
    assert_int_equal(d.n, 1);
    char *s = diag_format(&d.msgs[0]);
    assert_string_equal(s, "t.yaml:3:9: error: la expresión anida supera el "
                           "límite de 200 niveles (límite 'expr_depth'; "
                           "súbalo con --limit expr_depth=800)");
    free(s);
    diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(limits_should_start_at_defaults),
        cmocka_unit_test(limits_should_parse_assignment),
        cmocka_unit_test(limits_should_name_limit_and_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
