/* test_expr_slots: a name evaluated over many rows under one cache is
 * looked up by its text once; what it was found to be (a column of the
 * row's table, a parameter's value) must give the values a fresh look-up
 * gives, a parameter changed between evaluations must be seen, another
 * table must not be read with the first table's column, and an unknown
 * name must still report its exact error on every row. */
#include "testutil.h"

#include "base/arena.h"
#include "base/diag.h"
#include "lang/expr.h"

#include <stdlib.h>

struct fx {
    struct arena *a;
    struct diag d;
    const char *entidad; /* params.entidad and the bare name umbral */
    unsigned param_calls;
};

/* A table of n rows: entidad "E<i>", puntaje i % 100, meta 2 * i; when
 * swapped, the same columns in the order meta, puntaje, entidad. */
static struct table *rows_table(struct arena *a, size_t n, bool swapped)
{
    struct table *t = arena_alloc(a, sizeof *t);
    t->name = "furag";
    t->ncols = 3;
    t->nrows = n;
    t->cols = arena_array(a, 3, sizeof *t->cols);
    size_t ce = swapped ? 2 : 0, cm = swapped ? 0 : 2;
    t->cols[ce] = (struct column){"entidad", V_TEXT, 1};
    t->cols[1] = (struct column){"puntaje", V_NUMBER, 2};
    t->cols[cm] = (struct column){"meta", V_NUMBER, 3};
    table_alloc(a, t);
    for (size_t r = 0; r < n; r++) {
        unsigned line = (unsigned)r + 2;
        *table_cell(t, r, ce) = (struct cell){
            {.type = V_TEXT, .text = arena_printf(a, "E%zu", r)}, line};
        *table_cell(t, r, 1) =
            (struct cell){{.type = V_NUMBER, .num = (double)(r % 100)}, line};
        *table_cell(t, r, cm) =
            (struct cell){{.type = V_NUMBER, .num = 2.0 * (double)r}, line};
    }
    return t;
}

static bool fx_param(void *ctx, const char *name, struct value *out)
{
    struct fx *f = ctx;
    f->param_calls++;
    if (strcmp(name, "entidad") == 0) {
        *out = (struct value){.type = V_TEXT, .text = f->entidad};
        return true;
    }
    if (strcmp(name, "umbral") == 0) {
        *out = (struct value){.type = V_INT, .num = 50};
        return true;
    }
    return false;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    f->a = arena_new();
    diag_init(&f->d);
    f->entidad = "E3";
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    diag_release(&f->d);
    arena_free(f->a);
    free(f);
    return 0;
}

static struct expr_env env_of(struct fx *f, const struct table *t)
{
    return (struct expr_env){
        .a = f->a, .ctx = f, .param = fx_param, .row_table = t};
}

static const struct expr *parse(struct fx *f, const char *src)
{
    const struct expr *e =
        expr_parse(f->a, &f->d, src, strlen(src), "t.yaml", 1, 1);
    assert_non_null(e);
    return e;
}

static void names_should_give_the_values_of_a_fresh_look_up(void **state)
{
    struct fx *f = *state;
    const size_t n = 300;
    struct table *t = rows_table(f->a, n, false);
    const struct expr *e = parse(f, "puntaje * 2 + meta - umbral");
    struct expr_env env = env_of(f, t);
    env.cache = expr_cache_new(f->a);
    unsigned calls = f->param_calls;
    for (size_t r = 0; r < n; r++) {
        env.row = r;
        struct value v;
        assert_true(expr_eval(e, &env, &f->d, &v));
        assert_int_equal(v.type, V_NUMBER);
        assert_true(v.num == (double)(r % 100) * 2 + 2.0 * (double)r - 50);
    }
    /* umbral is a parameter: asked for on the first row only */
    assert_int_equal(f->param_calls - calls, 1);
    /* the same tree and cache over a table with the columns in another
     * order reads that table's columns, not the first one's positions */
    struct table *s = rows_table(f->a, n, true);
    env.row_table = s;
    for (size_t r = 0; r < n; r += 7) {
        env.row = r;
        struct value v;
        assert_true(expr_eval(e, &env, &f->d, &v));
        assert_true(v.num == (double)(r % 100) * 2 + 2.0 * (double)r - 50);
    }
    /* past the last row no column is current: umbral alone still works */
    env.row = n;
    struct value v;
    assert_true(expr_eval(parse(f, "umbral"), &env, &f->d, &v));
    assert_true(v.type == V_INT && v.num == 50);
    assert_int_equal(f->d.n, 0);
}

static void params_should_be_seen_when_changed_between_evaluations(void **state)
{
    struct fx *f = *state;
    const size_t n = 120;
    struct table *t = rows_table(f->a, n, false);
    const struct expr *e = parse(f, "entidad = params.entidad");
    struct expr_env env = env_of(f, t);
    bool keep;
    /* without a cache every evaluation asks for the parameter */
    env.row = 3;
    assert_true(expr_eval_cond(e, &env, &f->d, &keep));
    assert_true(keep);
    f->entidad = "E4";
    assert_true(expr_eval_cond(e, &env, &f->d, &keep));
    assert_false(keep);
    /* a loop over the rows under one cache asks once and keeps only E4 */
    env.cache = expr_cache_new(f->a);
    unsigned calls = f->param_calls;
    size_t kept = 0, at = 0;
    for (size_t r = 0; r < n; r++) {
        env.row = r;
        assert_true(expr_eval_cond(e, &env, &f->d, &keep));
        if (keep) {
            kept++;
            at = r;
        }
    }
    assert_int_equal(f->param_calls - calls, 1);
    assert_int_equal(kept, 1);
    assert_int_equal(at, 4);
    /* the next report's value, after the reset a new value requires */
    f->entidad = "E77";
    expr_cache_reset(env.cache);
    env.row = 77;
    assert_true(expr_eval_cond(e, &env, &f->d, &keep));
    assert_true(keep);
    env.row = 4;
    assert_true(expr_eval_cond(e, &env, &f->d, &keep));
    assert_false(keep);
    /* and a new cache sees it too */
    f->entidad = "E9";
    env.cache = expr_cache_new(f->a);
    env.row = 9;
    assert_true(expr_eval_cond(e, &env, &f->d, &keep));
    assert_true(keep);
    assert_int_equal(f->d.n, 0);
}

static void unknown_names_should_report_on_every_row(void **state)
{
    struct fx *f = *state;
    struct table *t = rows_table(f->a, 4, false);
    struct expr_env env = env_of(f, t);
    env.cache = expr_cache_new(f->a);
    const struct expr *e = parse(f, "puntaje > 1 and entidd = params.entidad");
    for (size_t r = 2; r < 4; r++) {
        diag_release(&f->d);
        env.row = r;
        bool keep;
        assert_false(expr_eval_cond(e, &env, &f->d, &keep));
        assert_int_equal(f->d.errors, 1);
        assert_string_equal(test_msg(f->a, &f->d, 0),
                            "t.yaml:1:17: error: nombre desconocido "
                            "'entidd'; ¿quiso decir 'entidad'?");
    }
    diag_release(&f->d);
    e = parse(f, "entidad = params.entidd");
    bool keep;
    env.row = 1;
    assert_false(expr_eval_cond(e, &env, &f->d, &keep));
    assert_string_equal(test_msg(f->a, &f->d, 0),
                        "t.yaml:1:11: error: parámetro desconocido 'entidd'");
    /* a name found as a column of one table is unknown in a table
     * without it, under the same cache */
    diag_release(&f->d);
    e = parse(f, "meta");
    struct value v;
    assert_true(expr_eval(e, &env, &f->d, &v));
    assert_true(v.num == 2);
    struct table *other = arena_alloc(f->a, sizeof *other);
    other->name = "otra";
    other->ncols = 1;
    other->nrows = 2;
    other->cols = arena_array(f->a, 1, sizeof *other->cols);
    other->cols[0] = (struct column){"puntaje", V_NUMBER, 1};
    table_alloc(f->a, other);
    env.row_table = other;
    assert_false(expr_eval(e, &env, &f->d, &v));
    assert_string_equal(test_msg(f->a, &f->d, 0),
                        "t.yaml:1:1: error: nombre desconocido 'meta'");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(names_should_give_the_values_of_a_fresh_look_up),
        T(params_should_be_seen_when_changed_between_evaluations),
        T(unknown_names_should_report_on_every_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
