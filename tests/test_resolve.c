/* test_resolve: what a name refers to, the one logic the checker and the
 * evaluator share: functions and filters by name, bare names in their
 * order (column, parameter, hoy, page), dotted names (a source's column,
 * the row's own source, a dotted parameter), params.x, the rows of an
 * aggregate, and the "¿quiso decir …?" of every unknown one. */
#include "testutil.h"

#include "base/arena.h"
#include "base/diag.h"
#include "lang/ast.h"
#include "lang/expr.h"
#include "lang/resolve.h"

#include <stdlib.h>

struct fx {
    struct arena *a;
    struct diag d;
    struct table *plan, *metas;
    /* what the parameter look-up saw */
    const char *asked;
    int found;
};

static struct table *table_of(struct arena *a, const char *name, const char *c0,
                              const char *c1)
{
    struct table *t = arena_alloc(a, sizeof *t);
    t->name = name;
    t->ncols = 2;
    t->cols = arena_array(a, 2, sizeof *t->cols);
    t->cols[0] = (struct column){c0, V_TEXT, 1};
    t->cols[1] = (struct column){c1, V_NUMBER, 2};
    table_alloc(a, t);
    return t;
}

static const struct table *source(void *ctx, const char *name)
{
    struct fx *f = ctx;
    if (strcmp(name, "plan") == 0)
        return f->plan;
    if (strcmp(name, "metas") == 0)
        return f->metas;
    return NULL;
}

static bool param(void *self, const char *name)
{
    struct fx *f = self;
    f->asked = arena_strdup(f->a, name);
    bool known = strcmp(name, "umbral") == 0 || strcmp(name, "avance") == 0 ||
                 strcmp(name, "report.title") == 0;
    f->found += known;
    return known;
}

static const char *suggest_param(void *ctx, const char *name)
{
    (void)ctx;
    return strcmp(name, "umbra") == 0 ? "umbral" : NULL;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    f->a = arena_new();
    diag_init(&f->d);
    f->plan = table_of(f->a, "plan", "programa", "avance");
    f->metas = table_of(f->a, "metas", "programa", "meta");
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

static const char *msg(struct fx *f, size_t i)
{
    return test_msg(f->a, &f->d, i);
}

static const struct expr *parse(struct fx *f, const char *src)
{
    struct expr *e = expr_parse(f->a, &f->d, src, strlen(src), "t.yaml", 2, 3);
    assert_non_null(e);
    return e;
}

/* The checker's view: plan is the current row's table, every source is
 * known, parameters are asked of param. */
static struct resolver names(struct fx *f)
{
    return (struct resolver){
        .row = f->plan,
        .hint = f->plan,
        .implicit = f->plan,
        .source = source,
        .ctx = f,
        .param = param,
        .self = f,
        .suggest_param = suggest_param,
    };
}

static void resolve_should_find_functions_and_filters(void **state)
{
    struct fx *f = *state;
    assert_int_equal(resolve_function(&f->d, "t.yaml", 1, 1, "wmean"), F_WMEAN);
    assert_int_equal(resolve_fn_info(F_WMEAN)->min, 2);
    assert_int_equal(resolve_fn_info(F_WMEAN)->max, 2);
    assert_string_equal(resolve_fn_info(F_COALESCE)->name, "coalesce");
    assert_int_equal(resolve_filter(&f->d, "t.yaml", 1, 1, "quarter"),
                     FL_QUARTER);
    assert_string_equal(resolve_filter_name(FL_DEFAULT), "default");
    assert_int_equal(f->d.n, 0);
    assert_int_equal(resolve_function(&f->d, "t.yaml", 4, 9, "cuont"), -1);
    assert_string_equal(msg(f, 0), "t.yaml:4:9: error: función desconocida "
                                   "'cuont'; ¿quiso decir 'count'?");
    assert_int_equal(resolve_function(&f->d, "t.yaml", 4, 9, "zzzzzz"), -1);
    assert_string_equal(msg(f, 1),
                        "t.yaml:4:9: error: función desconocida 'zzzzzz'");
    assert_int_equal(resolve_filter(&f->d, "t.yaml", 5, 2, "nmber"), -1);
    assert_string_equal(msg(f, 2), "t.yaml:5:2: error: filtro desconocido "
                                   "'nmber'; ¿quiso decir 'number'?");
}

static void resolve_should_try_column_param_then_builtins(void **state)
{
    struct fx *f = *state;
    struct resolver r = names(f);
    struct resolved x;
    /* a column of the row first, even when a parameter has the name */
    assert_true(resolve_name(&r, &f->d, parse(f, "avance"), &x));
    assert_int_equal(x.kind, RESOLVE_ROW);
    assert_ptr_equal(x.t, f->plan);
    assert_int_equal(x.col, 1);
    assert_int_equal(f->found, 0);
    /* then a parameter: what the look-up found stays with the caller */
    assert_true(resolve_name(&r, &f->d, parse(f, "umbral"), &x));
    assert_int_equal(x.kind, RESOLVE_PARAM);
    assert_string_equal(f->asked, "umbral");
    assert_int_equal(f->found, 1);
    /* with no row, the parameter of the same name as a column */
    r.row = NULL;
    assert_true(resolve_name(&r, &f->d, parse(f, "avance"), &x));
    assert_int_equal(x.kind, RESOLVE_PARAM);
    /* then hoy, and page/pages only where pages exist */
    assert_true(resolve_name(&r, &f->d, parse(f, "hoy"), &x));
    assert_int_equal(x.kind, RESOLVE_TODAY);
    assert_false(resolve_name(&r, &f->d, parse(f, "pages"), &x));
    assert_string_equal(msg(f, 0),
                        "t.yaml:2:3: error: nombre desconocido 'pages'");
    r.page = true;
    assert_true(resolve_name(&r, &f->d, parse(f, "page"), &x));
    assert_int_equal(x.kind, RESOLVE_PAGE);
    assert_true(resolve_name(&r, &f->d, parse(f, "pages"), &x));
    assert_int_equal(x.kind, RESOLVE_PAGES);
    assert_int_equal(f->d.n, 1);
}

static void resolve_should_suggest_a_column_then_a_parameter(void **state)
{
    struct fx *f = *state;
    struct resolver r = names(f);
    struct resolved x;
    assert_false(resolve_name(&r, &f->d, parse(f, "avanse"), &x));
    assert_string_equal(msg(f, 0), "t.yaml:2:3: error: nombre desconocido "
                                   "'avanse'; ¿quiso decir 'avance'?");
    assert_false(resolve_name(&r, &f->d, parse(f, "umbra"), &x));
    assert_string_equal(msg(f, 1), "t.yaml:2:3: error: nombre desconocido "
                                   "'umbra'; ¿quiso decir 'umbral'?");
    /* the hint's columns are suggested even when no row is current */
    r.row = NULL;
    assert_false(resolve_name(&r, &f->d, parse(f, "programma"), &x));
    assert_string_equal(msg(f, 2), "t.yaml:2:3: error: nombre desconocido "
                                   "'programma'; ¿quiso decir 'programa'?");
}

static void resolve_should_read_dotted_names(void **state)
{
    struct fx *f = *state;
    struct resolver r = names(f);
    struct resolved x;
    /* the checker's view: a source's column, its own or not */
    assert_true(resolve_field(&r, &f->d, parse(f, "plan.avance"), &x));
    assert_int_equal(x.kind, RESOLVE_SOURCE);
    assert_ptr_equal(x.t, f->plan);
    assert_int_equal(x.col, 1);
    assert_true(resolve_field(&r, &f->d, parse(f, "metas.meta"), &x));
    assert_int_equal(x.kind, RESOLVE_SOURCE);
    assert_ptr_equal(x.t, f->metas);
    /* the evaluator's: the row's own source is read in the row, found by
     * name (a step may have made a new table of it) */
    struct table *row = table_of(f->a, "plan", "avance", "nueva");
    r.row_source = row;
    assert_true(resolve_field(&r, &f->d, parse(f, "plan.nueva"), &x));
    assert_int_equal(x.kind, RESOLVE_ROW);
    assert_ptr_equal(x.t, row);
    assert_int_equal(x.col, 1);
    assert_true(resolve_field(&r, &f->d, parse(f, "metas.meta"), &x));
    assert_int_equal(x.kind, RESOLVE_SOURCE);
    assert_false(resolve_field(&r, &f->d, parse(f, "plan.programa"), &x));
    assert_string_equal(msg(f, 0), "t.yaml:2:3: error: columna desconocida "
                                   "'programa' en 'plan'");
    assert_false(resolve_field(&r, &f->d, parse(f, "metas.mta"), &x));
    assert_string_equal(msg(f, 1), "t.yaml:2:3: error: columna desconocida "
                                   "'mta' en 'metas'; ¿quiso decir 'meta'?");
    /* no such source: a dotted parameter, asked with its full name */
    assert_true(resolve_field(&r, &f->d, parse(f, "report.title"), &x));
    assert_int_equal(x.kind, RESOLVE_PARAM);
    assert_string_equal(f->asked, "report.title");
    assert_false(resolve_field(&r, &f->d, parse(f, "nada.x"), &x));
    assert_string_equal(f->asked, "nada.x");
    assert_string_equal(msg(f, 2), "t.yaml:2:3: error: fuente de datos "
                                   "desconocida 'nada'");
    /* params.x is always a parameter */
    assert_true(resolve_param(&r, &f->d, parse(f, "params.umbral")));
    assert_false(resolve_param(&r, &f->d, parse(f, "params.avanse")));
    assert_string_equal(msg(f, 3), "t.yaml:2:3: error: parámetro "
                                   "desconocido 'avanse'");
    assert_int_equal(f->d.n, 4);
}

static void resolve_should_find_the_rows_of_an_aggregate(void **state)
{
    struct fx *f = *state;
    struct resolver r = names(f);
    struct resolved_rows x;
    assert_true(resolve_aggregate(&r, &f->d, parse(f, "sum(metas.meta)"), &x));
    assert_int_equal(x.kind, ROWS_COLUMN);
    assert_ptr_equal(x.t, f->metas);
    assert_int_equal(x.col, 1);
    assert_true(resolve_aggregate(&r, &f->d, parse(f, "count(metas)"), &x));
    assert_int_equal(x.kind, ROWS_SOURCE);
    assert_ptr_equal(x.t, f->metas);
    assert_true(resolve_aggregate(&r, &f->d, parse(f, "mean(avance * 2)"), &x));
    assert_int_equal(x.kind, ROWS_IMPLICIT);
    assert_ptr_equal(x.t, f->plan);
    assert_true(resolve_aggregate(&r, &f->d, parse(f, "count()"), &x));
    assert_int_equal(x.kind, ROWS_IMPLICIT);
    /* a column of the implicit table hides a source of the same name */
    struct table *g = table_of(f->a, "g", "metas", "n");
    r.implicit = g;
    assert_true(resolve_aggregate(&r, &f->d, parse(f, "count(metas)"), &x));
    assert_int_equal(x.kind, ROWS_IMPLICIT);
    assert_ptr_equal(x.t, g);
    assert_int_equal(f->d.n, 0);

    assert_false(resolve_aggregate(&r, &f->d, parse(f, "sum(plan)"), &x));
    assert_string_equal(msg(f, 0), "t.yaml:2:7: error: 'plan' es una fuente "
                                   "de datos: escriba sum(plan.columna)");
    assert_false(resolve_aggregate(&r, &f->d, parse(f, "max(nada.x)"), &x));
    assert_string_equal(msg(f, 1), "t.yaml:2:7: error: fuente de datos "
                                   "desconocida 'nada'");
    r.implicit = NULL;
    assert_false(resolve_aggregate(&r, &f->d, parse(f, "mean(avance)"), &x));
    assert_string_equal(msg(f, 2), "t.yaml:2:8: error: 'mean' sin fuente de "
                                   "datos: escriba mean(fuente.columna) o "
                                   "mean(fuente)");
    assert_false(resolve_aggregate(&r, &f->d, parse(f, "count()"), &x));
    assert_string_equal(msg(f, 3), "t.yaml:2:3: error: 'count' sin fuente de "
                                   "datos: escriba count(fuente.columna) o "
                                   "count(fuente)");
}

static void resolve_should_tell_the_same_source(void **state)
{
    struct fx *f = *state;
    struct table *again = table_of(f->a, "plan", "x", "y");
    assert_true(resolve_same_table(f->plan, f->plan));
    assert_true(resolve_same_table(f->plan, again));
    assert_false(resolve_same_table(f->plan, f->metas));
    assert_false(resolve_same_table(f->plan, NULL));
    assert_false(resolve_same_table(NULL, NULL));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(resolve_should_find_functions_and_filters),
        T(resolve_should_try_column_param_then_builtins),
        T(resolve_should_suggest_a_column_then_a_parameter),
        T(resolve_should_read_dotted_names),
        T(resolve_should_find_the_rows_of_an_aggregate),
        T(resolve_should_tell_the_same_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
