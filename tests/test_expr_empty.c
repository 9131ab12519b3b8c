/* test_expr_empty: what every aggregate returns over zero rows (a source
 * with a header and no record, a where that keeps nothing, an empty group)
 * and over a column whose values are all missing: the values a report
 * shows for a month with nothing to report. */
#include "testutil.h"

#include "base/arena.h"
#include "base/diag.h"
#include "lang/expr.h"

#include <stdlib.h>

struct fx {
    struct arena *a;
    struct diag d;
    struct table *plan;  /* header only */
    struct table *vacio; /* two rows, avance and meta all missing */
    struct expr_env env;
    struct buf out;
};

/* A table of nrows rows whose cells are all missing. */
static struct table *table_of(struct arena *a, const char *name, size_t nrows)
{
    struct table *t = arena_alloc(a, sizeof *t);
    t->name = name;
    t->ncols = 4;
    t->nrows = nrows;
    t->cols = arena_array(a, 4, sizeof *t->cols);
    t->cols[0] = (struct column){"programa", V_TEXT, 1};
    t->cols[1] = (struct column){"meta", V_NUMBER, 2};
    t->cols[2] = (struct column){"avance", V_PERCENT, 3};
    t->cols[3] = (struct column){"peso", V_INT, 4};
    table_alloc(a, t);
    for (size_t r = 0; r < nrows; r++) {
        for (size_t k = 0; k < 4; k++)
            *table_cell(t, r, k) =
                (struct cell){{.type = V_MISSING}, (unsigned)r + 2};
        table_cell(t, r, 0)->v = (struct value){.type = V_TEXT, .text = "Agua"};
        table_cell(t, r, 3)->v = (struct value){.type = V_INT, .num = 1};
    }
    return t;
}

static const struct table *fx_source(void *ctx, const char *name)
{
    struct fx *f = ctx;
    if (strcmp(name, "plan") == 0)
        return f->plan;
    return strcmp(name, "vacio") == 0 ? f->vacio : NULL;
}

static bool fx_param(void *ctx, const char *name, struct value *out)
{
    (void)ctx;
    (void)name;
    (void)out;
    return false;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    f->a = arena_new();
    diag_init(&f->d);
    f->plan = table_of(f->a, "plan", 0);
    f->vacio = table_of(f->a, "vacio", 2);
    f->env.a = f->a;
    f->env.ctx = f;
    f->env.source = fx_source;
    f->env.param = fx_param;
    f->env.pct_space = true;
    buf_init(&f->out);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    buf_release(&f->out);
    diag_release(&f->d);
    arena_free(f->a);
    free(f);
    return 0;
}

static struct value value_of(struct fx *f, const char *src)
{
    struct value v = {.type = V_NUMBER, .num = -1};
    struct expr *e = expr_parse(f->a, &f->d, src, strlen(src), "t.yaml", 1, 1);
    assert_non_null(e);
    assert_true(expr_eval(e, &f->env, &f->d, &v));
    return v;
}

/* The text the value gives in a template. */
static const char *text_of(struct fx *f, const char *src)
{
    struct expr *e = expr_parse(f->a, &f->d, src, strlen(src), "t.yaml", 1, 1);
    assert_non_null(e);
    buf_clear(&f->out);
    assert_true(expr_format(e, &f->env, &f->d, &f->out));
    return arena_strdup(f->a, f->out.data ? f->out.data : "");
}

static void assert_number(struct value v, enum vtype type, double num)
{
    assert_int_equal(v.type, type);
    assert_true(v.num == num);
}

static void aggregates_should_give_documented_values_over_no_rows(void **state)
{
    struct fx *f = *state;
    assert_number(value_of(f, "count(plan)"), V_INT, 0);
    assert_number(value_of(f, "count(plan.avance)"), V_INT, 0);
    assert_number(value_of(f, "sum(plan.peso)"), V_INT, 0);
    assert_number(value_of(f, "sum(plan.meta)"), V_NUMBER, 0);
    assert_number(value_of(f, "distinct(plan.programa)"), V_INT, 0);
    assert_int_equal(value_of(f, "mean(plan.avance)").type, V_MISSING);
    assert_int_equal(value_of(f, "wmean(plan.avance, plan.peso)").type,
                     V_MISSING);
    assert_int_equal(value_of(f, "min(plan.avance)").type, V_MISSING);
    assert_int_equal(value_of(f, "max(plan.programa)").type, V_MISSING);
    assert_int_equal(value_of(f, "share(plan.meta)").type, V_MISSING);
    assert_int_equal(value_of(f, "first(plan.programa)").type, V_MISSING);
    assert_int_equal(value_of(f, "last(plan.programa)").type, V_MISSING);
    /* In a template: numbers print, missing values print nothing unless
     * a default is given. */
    assert_string_equal(text_of(f, "count(plan)"), "0");
    assert_string_equal(text_of(f, "sum(plan.peso)"), "0");
    assert_string_equal(text_of(f, "mean(plan.avance)"), "");
    assert_string_equal(text_of(f, "mean(plan.avance) | default:'sin datos'"),
                        "sin datos");
    assert_string_equal(text_of(f, "first(plan.programa)"), "");
    assert_int_equal(f->d.n, 0);
}

static void
aggregates_should_treat_a_where_keeping_nothing_as_no_rows(void **state)
{
    struct fx *f = *state;
    assert_number(value_of(f, "count(vacio where peso > 5)"), V_INT, 0);
    assert_number(value_of(f, "sum(vacio.peso where peso > 5)"), V_INT, 0);
    assert_int_equal(value_of(f, "mean(vacio.peso where peso > 5)").type,
                     V_MISSING);
    assert_int_equal(value_of(f, "first(vacio.programa where peso > 5)").type,
                     V_MISSING);
    assert_int_equal(f->d.n, 0);
}

static void aggregates_should_skip_a_column_that_is_all_missing(void **state)
{
    struct fx *f = *state;
    assert_number(value_of(f, "count(vacio)"), V_INT, 2);
    assert_number(value_of(f, "count(vacio.avance)"), V_INT, 0);
    assert_number(value_of(f, "sum(vacio.meta)"), V_NUMBER, 0);
    assert_number(value_of(f, "distinct(vacio.avance)"), V_INT, 0);
    assert_int_equal(value_of(f, "mean(vacio.avance)").type, V_MISSING);
    assert_int_equal(value_of(f, "wmean(vacio.avance, vacio.peso)").type,
                     V_MISSING);
    assert_int_equal(value_of(f, "min(vacio.meta)").type, V_MISSING);
    assert_int_equal(value_of(f, "max(vacio.meta)").type, V_MISSING);
    /* first and last are the first and last row's value, missing or not */
    assert_int_equal(value_of(f, "first(vacio.avance)").type, V_MISSING);
    assert_int_equal(value_of(f, "share(vacio.meta)").type, V_MISSING);
    assert_int_equal(f->d.n, 0);
}

static void
aggregates_should_give_the_same_values_in_an_empty_group(void **state)
{
    struct fx *f = *state;
    static const size_t none[1] = {0};
    f->env.group_table = f->vacio;
    f->env.group_rows = none;
    f->env.group_n = 0;
    assert_number(value_of(f, "count()"), V_INT, 0);
    assert_number(value_of(f, "sum(peso)"), V_INT, 0);
    assert_int_equal(value_of(f, "mean(peso)").type, V_MISSING);
    /* 0 of the table's 2: the group's share is 0 % */
    assert_number(value_of(f, "share(peso)"), V_PERCENT, 0);
    assert_int_equal(f->d.n, 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(aggregates_should_give_documented_values_over_no_rows),
        T(aggregates_should_treat_a_where_keeping_nothing_as_no_rows),
        T(aggregates_should_skip_a_column_that_is_all_missing),
        T(aggregates_should_give_the_same_values_in_an_empty_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
