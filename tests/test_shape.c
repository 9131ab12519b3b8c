/* test_shape: data steps on hand-built tables: Spanish sort order, filter,
 * computed columns, groups with aggregates and shares, unpivot of a wide
 * FURAG-like header, join, rename, and a 20,000-row run. */
#include "testutil.h"

#include "base/arena.h"
#include "base/diag.h"
#include "lang/expr.h"
#include "base/limits.h"
#include "data/collate.h"
#include "lang/shape.h"

#include <stdio.h>
#include <stdlib.h>

struct fx {
    struct arena *a;
    struct diag d;
    struct expr_env env;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    f->a = arena_new();
    diag_init(&f->d);
    f->env.a = f->a;
    f->env.pct_space = true;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    limits_reset();
    diag_release(&f->d);
    arena_free(f->a);
    free(f);
    return 0;
}

/* A table from a compact spec: types per column, cells as text ("" is
 * missing); numbers are parsed with '.' decimals. Row r has line r + 2. */
static struct table *mk(struct arena *a, const char *name, size_t ncols,
                        const char *const *heads, const enum vtype *types,
                        size_t nrows, const char *const *cells)
{
    struct table *t = arena_alloc(a, sizeof *t);
    t->name = name;
    t->ncols = ncols;
    t->nrows = nrows;
    t->cols = arena_array(a, ncols, sizeof *t->cols);
    table_alloc(a, t);
    for (size_t c = 0; c < ncols; c++)
        t->cols[c] = (struct column){heads[c], types[c], (unsigned)c + 1};
    for (size_t r = 0; r < nrows; r++) {
        for (size_t c = 0; c < ncols; c++) {
            const char *s = cells[r * ncols + c];
            struct cell *cl = table_cell(t, r, c);
            cl->line = (unsigned)r + 2;
            if (!*s) {
                cl->v.type = V_MISSING;
            } else if (types[c] == V_TEXT) {
                cl->v = (struct value){.type = V_TEXT, .text = s};
            } else {
                double v = 0, scale = 0;
                bool neg = *s == '-';
                for (const char *p = s + neg; *p; p++) {
                    if (*p == '.') {
                        scale = 1;
                        continue;
                    }
                    v = v * 10 + (*p - '0');
                    if (scale)
                        scale *= 10;
                }
                if (scale)
                    v /= scale;
                cl->v = (struct value){.type = types[c], .num = neg ? -v : v};
            }
        }
    }
    return t;
}

static const char *text_at(const struct table *t, size_t r, size_t c)
{
    const struct value *v = &table_cell(t, r, c)->v;
    return v->type == V_TEXT ? v->text : "(no texto)";
}

static double num_at(const struct table *t, size_t r, size_t c)
{
    return table_cell(t, r, c)->v.num;
}

static const char *msg(struct fx *f, size_t i)
{
    return test_msg(f->a, &f->d, i);
}

static struct expr *ex(struct fx *f, const char *src)
{
    struct expr *e = expr_parse(f->a, &f->d, src, strlen(src), "t.yaml", 1, 1);
    assert_non_null(e);
    return e;
}

static void shape_should_sort_text_in_spanish_order(void **state)
{
    struct fx *f = *state;
    static const char *const heads[] = {"nombre"};
    static const enum vtype types[] = {V_TEXT};
    static const char *const cells[] = {"zeta",  "Ñandú", "nube",
                                        "árbol", "Avión", "oso"};
    struct table *t = mk(f->a, "x", 1, heads, types, 6, cells);
    struct shape_key k = {"nombre", false, {"t.yaml", 1, 1}};
    struct table *s = shape_sort(f->a, &f->d, t, &k, 1);
    assert_non_null(s);
    static const char *const want[] = {"árbol", "Avión", "nube",
                                       "Ñandú", "oso",   "zeta"};
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(text_at(s, i, 0), want[i]);
    k.desc = true;
    s = shape_sort(f->a, &f->d, t, &k, 1);
    assert_string_equal(text_at(s, 0, 0), "zeta");
    assert_string_equal(text_at(s, 5, 0), "árbol");
}

static void shape_sort_should_be_stable_with_missing_last(void **state)
{
    struct fx *f = *state;
    static const char *const heads[] = {"programa", "avance", "id"};
    static const enum vtype types[] = {V_TEXT, V_PERCENT, V_INT};
    static const char *const cells[] = {
        "Agua", "80",   "1", "Energía", "",        "2",  "agua", "95",
        "3",    "Agua", "",  "4",       "Energía", "10", "5",
    };
    struct table *t = mk(f->a, "plan", 3, heads, types, 5, cells);
    struct shape_key k[] = {{"programa", false, {0}}, {"avance", true, {0}}};
    struct table *s = shape_sort(f->a, &f->d, t, k, 2);
    assert_non_null(s);
    /* agua/Agua are equal at the first level: ties by avance descending,
     * missing last */
    static const double want[] = {3, 1, 4, 5, 2};
    for (size_t i = 0; i < 5; i++)
        assert_true(num_at(s, i, 2) == want[i]);
    struct shape_key one = {"avance", false, {0}};
    s = shape_sort(f->a, &f->d, t, &one, 1);
    static const double want2[] = {5, 1, 3, 2, 4}; /* missing keep order */
    for (size_t i = 0; i < 5; i++)
        assert_true(num_at(s, i, 2) == want2[i]);
    struct shape_key bad = {"avanse", false, {"t.yaml", 7, 12}};
    assert_null(shape_sort(f->a, &f->d, t, &bad, 1));
    assert_string_equal(msg(f, 0), "t.yaml:7:12: error: columna desconocida "
                                   "'avanse' en 'plan'; ¿quiso decir "
                                   "'avance'?");
}

/* The sort compares rows by the rank of their texts among the distinct
 * texts: pinned against collate_values on every pair of neighbours, over
 * more distinct texts than the sort's cache of recent texts holds, equal
 * texts in separate copies, accents and case, missing values in both
 * keys, and ties kept in the order of the input. */
static void shape_sort_should_order_as_collate_values(void **state)
{
    struct fx *f = *state;
    static const char *const words[] = {"agua",  "Agua",  "água",  "AGUA",
                                        "Ñandú", "nandu", "ñandu", "nube",
                                        "árbol", "arbol", "Árbol", "zeta"};
    const size_t n = 1500, nw = sizeof words / sizeof *words;
    struct table *t = arena_alloc(f->a, sizeof *t);
    *t = (struct table){.name = "x", .ncols = 3, .nrows = n};
    t->cols = arena_array(f->a, 3, sizeof *t->cols);
    t->cols[0] = (struct column){"texto", V_TEXT, 1};
    t->cols[1] = (struct column){"valor", V_NUMBER, 2};
    t->cols[2] = (struct column){"fila", V_INT, 3};
    table_alloc(f->a, t);
    char buf[32];
    for (size_t r = 0; r < n; r++) {
        struct value tx = {.type = V_MISSING};
        if (r % 13 != 5) {
            /* a copy of its own for most rows: equal texts, not one copy */
            if (r % 3)
                snprintf(buf, sizeof buf, "%s", words[(r * 7) % nw]);
            else
                snprintf(buf, sizeof buf, "%s %zu", words[r % nw], r % 400);
            tx =
                (struct value){.type = V_TEXT, .text = arena_strdup(f->a, buf)};
        }
        struct value num = {.type = V_MISSING};
        if (r % 11 != 3)
            num = (struct value){.type = V_NUMBER, .num = (double)(r % 5)};
        table_cell(t, r, 0)->v = tx;
        table_cell(t, r, 1)->v = num;
        table_cell(t, r, 2)->v =
            (struct value){.type = V_INT, .num = (double)r};
    }
    for (int dir = 0; dir < 2; dir++) {
        struct shape_key k[] = {{"texto", dir == 1, {0}},
                                {"valor", dir == 0, {0}}};
        struct table *s = shape_sort(f->a, &f->d, t, k, 2);
        assert_non_null(s);
        for (size_t i = 1; i < n; i++) {
            int c = 0;
            for (size_t j = 0; j < 2 && c == 0; j++) {
                const struct value *a = &table_cell(s, i - 1, j)->v;
                const struct value *b = &table_cell(s, i, j)->v;
                c = collate_values(a, b);
                if (k[j].desc && a->type != V_MISSING && b->type != V_MISSING)
                    c = -c; /* missing last in either direction */
            }
            if (c > 0 || (c == 0 && num_at(s, i - 1, 2) >= num_at(s, i, 2)))
                fail_msg("rows %zu and %zu out of order", i - 1, i);
        }
    }
}

static struct table *plan(struct fx *f)
{
    static const char *const heads[] = {"programa", "meta", "ejecutado",
                                        "avance", "peso"};
    static const enum vtype types[] = {V_TEXT, V_NUMBER, V_NUMBER, V_PERCENT,
                                       V_INT};
    static const char *const cells[] = {
        "Agua",    "10", "8",  "80", "1", "Agua",     "20", "20", "100", "3",
        "Energía", "0",  "5",  "50", "2", "Residuos", "30", "15", "",    "4",
        "Energía", "40", "10", "25", "0",
    };
    return mk(f->a, "plan", 5, heads, types, 5, cells);
}

static void shape_filter_should_keep_rows_where_true(void **state)
{
    struct fx *f = *state;
    struct table *t = plan(f);
    struct table *r = shape_filter(f->a, &f->d, t,
                                   ex(f, "avance < 60 or meta = 30"), &f->env);
    assert_non_null(r);
    assert_int_equal(r->nrows, 3);
    assert_string_equal(text_at(r, 0, 0), "Energía");
    assert_string_equal(text_at(r, 1, 0), "Residuos");
    assert_int_equal(table_cell(r, 2, 0)->line, 6);
    assert_null(shape_filter(f->a, &f->d, t, ex(f, "meta + 1"), &f->env));
    assert_string_equal(msg(f, 0), "t.yaml:1:1: error: se esperaba una "
                                   "condición y no un valor de tipo number");
}

/* A parameter for the filters below. */
static bool a_param(void *ctx, const char *name, struct value *out)
{
    (void)ctx;
    if (strcmp(name, "programa") != 0)
        return false;
    *out = (struct value){.type = V_TEXT, .text = "Agua"};
    return true;
}

/* A filter over many rows takes its names from their slots and its
 * comparisons without the general walk: the rows it keeps are those
 * where the same condition, evaluated on each row alone (no cache, every
 * name looked up), is true; missing values, texts that differ only in
 * accents or case, and a column against a column included. */
static void shape_filter_should_keep_what_each_row_alone_gives(void **state)
{
    struct fx *f = *state;
    static const char *const heads[] = {"programa", "meta", "ejecutado"};
    static const enum vtype types[] = {V_TEXT, V_NUMBER, V_NUMBER};
    static const char *const cells[] = {
        "Agua", "10", "8",    "agua", "20",   "20",    "Água", "",
        "5",    "",   "30",   "",     "Agua", "5",     "7",    "AGUA ",
        "1",    "1",  "Agua", "",     "",     "Aguas", "2",    "3",
    };
    struct table *t = mk(f->a, "plan", 3, heads, types, 8, cells);
    f->env.param = a_param;
    static const char *const conds[] = {
        "programa = params.programa",
        "programa != 'Agua'",
        "meta < ejecutado",
        "ejecutado >= meta and meta > 2",
        "programa = params.programa or meta = ejecutado",
        "'Agua' = programa",
        "meta = 10",
    };
    static const size_t want[] = {3, 5, 2, 2, 5, 3, 1};
    for (size_t c = 0; c < sizeof conds / sizeof *conds; c++) {
        struct expr *e = ex(f, conds[c]);
        struct table *kept = shape_filter(f->a, &f->d, t, e, &f->env);
        assert_non_null(kept);
        size_t k = 0;
        for (size_t r = 0; r < t->nrows; r++) {
            struct expr_env one = f->env;
            one.row_table = t;
            one.row = r;
            bool keep;
            assert_true(expr_eval_cond(e, &one, &f->d, &keep));
            if (!keep)
                continue;
            assert_true(k < kept->nrows);
            assert_int_equal(table_cell(kept, k, 0)->line, r + 2);
            k++;
        }
        assert_int_equal(k, kept->nrows);
        if (k != want[c])
            fail_msg("'%s': %zu rows, expected %zu", conds[c], k, want[c]);
    }
    /* a text against a number: the error of the first row, at the
     * comparison (its operator) */
    assert_null(shape_filter(f->a, &f->d, t,
                             ex(f, "meta = 1 or programa > meta"), &f->env));
    assert_string_equal(msg(f, 0),
                        "t.yaml:1:22: error: no se puede comparar text con "
                        "number");
}

/* The columns a compute adds are missing until computed: a column that
 * names one computed after it reads missing values. */
static void shape_compute_should_read_later_columns_as_missing(void **state)
{
    struct fx *f = *state;
    struct table *t = plan(f);
    struct shape_compute c[] = {{"antes", ex(f, "despues + 1"), {0}},
                                {"despues", ex(f, "meta * 2"), {0}}};
    struct table *x = shape_compute(f->a, &f->d, t, c, 2, &f->env);
    assert_non_null(x);
    for (size_t r = 0; r < t->nrows; r++) {
        assert_int_equal(table_cell(x, r, 5)->v.type, V_MISSING);
        assert_int_equal(table_cell(x, r, 5)->line, r + 2);
        assert_true(num_at(x, r, 6) == 2 * num_at(t, r, 1));
    }
}

/* The message of evaluating e on row r of t alone (no cache: every name
 * looked up, the general walk), or NULL when it evaluates. */
static const char *alone_error(struct fx *f, const struct expr *e,
                               const struct table *t, size_t r)
{
    struct expr_env one = f->env;
    one.row_table = t;
    one.row = r;
    struct value v;
    size_t before = f->d.n;
    if (expr_eval(e, &one, &f->d, &v))
        return NULL;
    assert_true(f->d.n > before);
    return msg(f, f->d.n - 1);
}

/* A compute over many rows takes "column op column" without the general
 * walk once its names are kept: the values are those of each row
 * evaluated alone, missing operands included, and an error on a later
 * row (a text where a number goes) is the one that row gives alone. */
static void shape_compute_should_give_what_each_row_alone_gives(void **state)
{
    struct fx *f = *state;
    static const char *const heads[] = {"nombre", "meta", "ejecutado"};
    static const enum vtype types[] = {V_TEXT, V_NUMBER, V_INT};
    static const char *const cells[] = {
        "", "10", "8",  "b", "",  "20",  "c", "2.5",
        "", "d",  "-1", "3", "e", "0.5", "0",
    };
    struct table *t = mk(f->a, "plan", 3, heads, types, 5, cells);
    static const char *const exprs[] = {"meta - ejecutado", "ejecutado * meta",
                                        "meta / ejecutado", "meta + 1"};
    for (size_t k = 0; k < sizeof exprs / sizeof *exprs; k++) {
        struct shape_compute c = {"x", ex(f, exprs[k]), {"t.yaml", 2, 3}};
        struct table *x = shape_compute(f->a, &f->d, t, &c, 1, &f->env);
        assert_non_null(x);
        for (size_t r = 0; r < t->nrows; r++) {
            struct expr_env one = f->env;
            one.row_table = t;
            one.row = r;
            struct value v;
            assert_true(expr_eval(c.e, &one, &f->d, &v));
            const struct value *got = &table_cell(x, r, 3)->v;
            if (got->type == V_MISSING ? v.type != V_MISSING
                                       : got->num != v.num)
                fail_msg("'%s', row %zu: %g, alone %g", exprs[k], r, got->num,
                         v.num);
        }
    }
    /* the first row's text is missing: the errors are on later rows */
    struct shape_compute bad = {"x", ex(f, "nombre - meta"), {"t.yaml", 2, 3}};
    assert_null(shape_compute(f->a, &f->d, t, &bad, 1, &f->env));
    const char *got = msg(f, f->d.n - 1);
    assert_string_equal(got, alone_error(f, bad.e, t, 1));
    struct expr *cmp = ex(f, "nombre < meta");
    assert_null(shape_filter(f->a, &f->d, t, cmp, &f->env));
    got = msg(f, f->d.n - 1);
    assert_string_equal(got, "t.yaml:1:8: error: no se puede comparar text "
                             "con number");
    assert_string_equal(got, alone_error(f, cmp, t, 2)); /* b < missing */
}

/* Steps share the cells they do not change: a computed column is added
 * beside the input's cells, a sort and a filter of the sort read them
 * through lists of rows, and every value is the one of its row. */
static void shape_steps_should_share_the_cells_of_their_input(void **state)
{
    struct fx *f = *state;
    struct table *t = plan(f);
    struct shape_compute c = {"doble", ex(f, "peso * 2"), {"t.yaml", 4, 7}};
    struct table *x = shape_compute(f->a, &f->d, t, &c, 1, &f->env);
    assert_non_null(x);
    for (size_t r = 0; r < 5; r++)
        for (size_t k = 0; k < 5; k++)
            assert_ptr_equal(table_cell(x, r, k), table_cell(t, r, k));
    struct shape_key key = {"peso", true, {0}};
    struct table *s = shape_sort(f->a, &f->d, x, &key, 1);
    assert_non_null(s);
    struct table *w =
        shape_filter(f->a, &f->d, s, ex(f, "doble >= 2"), &f->env);
    assert_non_null(w);
    assert_int_equal(w->nrows, 4);
    static const double peso[] = {4, 3, 2, 1};
    static const char *const prog[] = {"Residuos", "Agua", "Energía", "Agua"};
    static const unsigned line[] = {5, 3, 4, 2};
    for (size_t i = 0; i < 4; i++) {
        assert_true(num_at(w, i, 4) == peso[i]);
        assert_true(num_at(w, i, 5) == 2 * peso[i]);
        assert_string_equal(text_at(w, i, 0), prog[i]);
        assert_int_equal(table_cell(w, i, 5)->line, line[i]);
        assert_ptr_equal(table_cell(w, i, 0), table_cell(t, line[i] - 2, 0));
    }
    struct table *l = shape_limit(f->a, w, 2);
    assert_int_equal(l->nrows, 2);
    assert_string_equal(text_at(l, 1, 0), "Agua");
}

static void
shape_compute_should_add_typed_columns_and_warn_on_zero(void **state)
{
    struct fx *f = *state;
    struct table *t = plan(f);
    struct shape_compute c[] = {
        {"calc", ex(f, "ejecutado / meta * 100"), {"t.yaml", 4, 7}},
        {"doble", ex(f, "peso * 2"), {"t.yaml", 5, 7}},
        {"alto", ex(f, "calc > 50"), {"t.yaml", 6, 7}},
    };
    struct table *r = shape_compute(f->a, &f->d, t, c, 3, &f->env);
    assert_non_null(r);
    assert_int_equal(r->ncols, 8);
    assert_int_equal(r->cols[5].type, V_NUMBER);
    assert_int_equal(r->cols[6].type, V_INT);
    assert_int_equal(r->cols[7].type, V_BOOL);
    assert_true(num_at(r, 0, 5) == 80);
    assert_int_equal(table_cell(r, 2, 5)->v.type, V_MISSING);
    assert_true(num_at(r, 3, 6) == 8);
    assert_int_equal(f->d.errors, 0);
    assert_int_equal(f->d.warnings, 1);
    assert_string_equal(msg(f, 0), "t.yaml:1:11: aviso: división por cero: el "
                                   "resultado queda vacío (fila de la línea "
                                   "4)");
    struct shape_compute dup = {"meta", ex(f, "1"), {"t.yaml", 8, 3}};
    assert_null(shape_compute(f->a, &f->d, t, &dup, 1, &f->env));
    assert_string_equal(msg(f, 1), "t.yaml:8:3: error: la columna 'meta' ya "
                                   "existe");
}

static void shape_group_should_aggregate_per_group_in_first_order(void **state)
{
    struct fx *f = *state;
    struct table *t = plan(f);
    const char *keys[] = {"programa"};
    struct shape_agg aggs[] = {
        {"actividades", ex(f, "count()"), {0}},
        {"avance", ex(f, "mean(avance)"), {0}},
        {"ponderado", ex(f, "wmean(avance, peso)"), {0}},
        {"participacion", ex(f, "share(meta)"), {0}},
        {"meta", ex(f, "sum(meta)"), {0}},
    };
    struct table *g = shape_group(f->a, &f->d, t, keys, 1,
                                  (struct shape_pos){0}, aggs, 5, &f->env);
    assert_non_null(g);
    assert_int_equal(g->nrows, 3);
    assert_int_equal(g->ncols, 6);
    assert_string_equal(text_at(g, 0, 0), "Agua");
    assert_string_equal(text_at(g, 1, 0), "Energía");
    assert_string_equal(text_at(g, 2, 0), "Residuos");
    assert_int_equal(g->cols[1].type, V_INT);
    assert_int_equal(g->cols[2].type, V_PERCENT);
    assert_int_equal(g->cols[4].type, V_PERCENT);
    assert_true(num_at(g, 0, 1) == 2);
    assert_true(num_at(g, 0, 2) == 90);
    /* (80*1 + 100*3) / 4 */
    assert_true(num_at(g, 0, 3) == 95);
    /* Energía: (50*2 + 25*0) / 2 */
    assert_true(num_at(g, 1, 3) == 50);
    /* Residuos has no avance: mean of nothing is missing */
    assert_int_equal(table_cell(g, 2, 2)->v.type, V_MISSING);
    assert_true(num_at(g, 0, 4) == 30);
    assert_true(num_at(g, 1, 4) == 40);
    assert_true(num_at(g, 2, 4) == 30);
    assert_true(num_at(g, 1, 5) == 40);
    assert_int_equal(f->d.n, 0);
}

static void shape_groups_should_list_rows_per_key(void **state)
{
    struct fx *f = *state;
    struct table *t = plan(f);
    const char *keys[] = {"programa"};
    struct shape_group *gs;
    size_t n;
    assert_true(
        shape_groups(f->a, &f->d, t, keys, 1, (struct shape_pos){0}, &gs, &n));
    assert_int_equal(n, 3);
    assert_int_equal(gs[1].n, 2);
    assert_int_equal(gs[1].rows[0], 2);
    assert_int_equal(gs[1].rows[1], 4);
    assert_int_equal(gs[2].first, 3);
}

/* A text seen before at the same address joins the group found then:
 * the groups are those of the texts' bytes, over equal texts in separate
 * copies and in one shared copy, more distinct texts than the cache of
 * addresses holds, missing values (a group of their own), and texts that
 * differ in accents or case (groups apart). */
static void
shape_groups_should_group_equal_texts_whatever_their_copy(void **state)
{
    struct fx *f = *state;
    enum { N = 900 };
    static const char *const words[] = {"Agua", "agua", "Água", "AGUA"};
    const char *shared[150];
    char buf[32];
    for (size_t i = 0; i < 150; i++) {
        snprintf(buf, sizeof buf, "%s %zu", words[i % 4], i / 4);
        shared[i] = arena_strdup(f->a, buf);
    }
    struct table *t = arena_alloc(f->a, sizeof *t);
    *t = (struct table){.name = "x", .ncols = 1, .nrows = N};
    t->cols = arena_array(f->a, 1, sizeof *t->cols);
    t->cols[0] = (struct column){"grupo", V_TEXT, 1};
    table_alloc(f->a, t);
    for (size_t r = 0; r < N; r++) {
        size_t w = (r * 7) % 150;
        struct value v = {.type = V_TEXT, .text = shared[w]};
        if (r % 3 == 1) /* a copy of its own */
            v.text = arena_strdup(f->a, shared[w]);
        if (r % 17 == 4)
            v = (struct value){.type = V_MISSING};
        table_cell(t, r, 0)->v = v;
    }
    const char *keys[] = {"grupo"};
    struct shape_group *gs;
    size_t n;
    assert_true(
        shape_groups(f->a, &f->d, t, keys, 1, (struct shape_pos){0}, &gs, &n));
    /* each row in the group of the first row with the same text (or
     * missing), groups in the order of their first rows */
    size_t ng = 0, seen = 0;
    for (size_t r = 0; r < N; r++) {
        const struct value *v = &table_cell(t, r, 0)->v;
        size_t first = 0;
        while (first < r) {
            const struct value *u = &table_cell(t, first, 0)->v;
            if (u->type == v->type &&
                (v->type == V_MISSING || strcmp(u->text, v->text) == 0))
                break;
            first++;
        }
        if (first == r) {
            assert_true(ng < n);
            assert_int_equal(gs[ng].first, r);
            ng++;
        }
        size_t g = 0;
        while (g < n && gs[g].first != first)
            g++;
        assert_true(g < n);
        size_t k = 0;
        while (k < gs[g].n && gs[g].rows[k] != r)
            k++;
        if (k == gs[g].n)
            fail_msg("row %zu not in the group of row %zu", r, first);
        seen++;
    }
    assert_int_equal(ng, n);
    assert_int_equal(n, 151); /* 150 texts and the missing values */
    size_t total = 0;
    for (size_t g = 0; g < n; g++)
        total += gs[g].n;
    assert_int_equal(total, seen);
}

static void shape_unpivot_should_fold_headers_and_capture_codes(void **state)
{
    struct fx *f = *state;
    static const char *const heads[] = {"Entidad", "D1 Talento\nHumano",
                                        "D2  Direccionamiento\r\n Estratégico",
                                        "Total"};
    static const enum vtype types[] = {V_TEXT, V_NUMBER, V_INT, V_NUMBER};
    static const char *const cells[] = {
        "Minminas", "71.5", "80", "75", "ANM", "", "62", "60",
    };
    struct table *t = mk(f->a, "furag", 4, heads, types, 2, cells);
    struct shape_unpivot u = {.columns = "^D[0-9]",
                              .name = "dimension",
                              .value = "puntaje",
                              .code = "^(D[0-9]+)",
                              .pos = {"t.yaml", 3, 5}};
    struct table *r = shape_unpivot(f->a, &f->d, t, &u);
    assert_non_null(r);
    assert_int_equal(r->ncols, 5);
    assert_int_equal(r->nrows, 4);
    assert_string_equal(r->cols[0].name, "Entidad");
    assert_string_equal(r->cols[1].name, "Total");
    assert_string_equal(r->cols[2].name, "codigo");
    assert_string_equal(r->cols[3].name, "dimension");
    assert_string_equal(r->cols[4].name, "puntaje");
    assert_int_equal(r->cols[4].type, V_NUMBER);
    assert_string_equal(text_at(r, 0, 0), "Minminas");
    assert_string_equal(text_at(r, 0, 2), "D1");
    assert_string_equal(text_at(r, 0, 3), "D1 Talento Humano");
    assert_true(num_at(r, 0, 4) == 71.5);
    assert_string_equal(text_at(r, 1, 3), "D2 Direccionamiento Estratégico");
    assert_int_equal(table_cell(r, 1, 4)->v.type, V_NUMBER);
    assert_string_equal(text_at(r, 2, 0), "ANM");
    assert_int_equal(table_cell(r, 2, 4)->v.type, V_MISSING);
    assert_int_equal(table_cell(r, 3, 4)->line, 3);
    u.columns = "^POL";
    assert_null(shape_unpivot(f->a, &f->d, t, &u));
    assert_string_equal(msg(f, 0), "t.yaml:3:5: error: ninguna columna de "
                                   "'furag' coincide con '^POL'");
}

/* shape_regex_check(pattern) at t.yaml:4:14 must fail with one message. */
static const char *regex_refused(struct fx *f, const char *pattern)
{
    diag_release(&f->d);
    struct shape_pos at = {"t.yaml", 4, 14};
    assert_false(shape_regex_check(f->a, &f->d, pattern, at));
    assert_int_equal(f->d.errors, 1);
    return msg(f, 0);
}

static void shape_regex_should_refuse_back_references(void **state)
{
    struct fx *f = *state;
    assert_string_equal(regex_refused(f, "^(D[0-9])_\\1$"),
                        "t.yaml:4:24: error: expresión regular "
                        "'^(D[0-9])_\\1$': las referencias hacia atrás como "
                        "'\\1' no se admiten (su búsqueda puede no terminar)");
    assert_string_equal(regex_refused(f, "(a*)*\\9"),
                        "t.yaml:4:19: error: expresión regular '(a*)*\\9': "
                        "las referencias hacia atrás como '\\9' no se admiten "
                        "(su búsqueda puede no terminar)");
    /* inside brackets, and after an escaped backslash, '1' is a digit */
    struct shape_pos at = {"t.yaml", 4, 14};
    assert_true(shape_regex_check(f->a, &f->d, "^D[\\1]", at));
    assert_true(shape_regex_check(f->a, &f->d, "^D\\\\1", at));
    assert_true(shape_regex_check(f->a, &f->d, "[[:digit:]]{4}\\.", at));
}

static void shape_regex_should_bound_repetitions(void **state)
{
    struct fx *f = *state;
    struct shape_pos at = {"t.yaml", 4, 14};
    /* Nested repetitions multiply: 100 x 100 copies at the second '{'. */
    assert_string_equal(regex_refused(f, "((a{1,100}){1,100}){1,100}"),
                        "t.yaml:4:25: error: la expresión regular con sus "
                        "repeticiones (10000 copias) supera el límite de 1000 "
                        "copias (límite 'regex_repeat'; súbalo con --limit "
                        "regex_repeat=4000)");
    /* side by side they add up */
    assert_string_equal(regex_refused(f, "[a-z]{1,600}[0-9]{1,600}"),
                        "t.yaml:4:31: error: la expresión regular con sus "
                        "repeticiones (1200 copias) supera el límite de 1000 "
                        "copias (límite 'regex_repeat'; súbalo con --limit "
                        "regex_repeat=4000)");
    assert_string_equal(regex_refused(f, "x(ab){600,}"),
                        "t.yaml:4:19: error: la expresión regular con sus "
                        "repeticiones (1203 copias) supera el límite de 1000 "
                        "copias (límite 'regex_repeat'; súbalo con --limit "
                        "regex_repeat=4000)");
    diag_release(&f->d);
    assert_true(shape_regex_check(f->a, &f->d, "^[0-9]{4}-T[1-4]$", at));
    assert_true(shape_regex_check(f->a, &f->d, "(a{1,10}){1,100}", at));
    const char *why;
    assert_true(limits_set("regex_repeat=10000", &why));
    assert_true(shape_regex_check(f->a, &f->d, "((a{1,100}){1,100})", at));
    assert_int_equal(f->d.n, 0);
}

static void shape_regex_should_bound_length_and_nesting(void **state)
{
    struct fx *f = *state;
    char big[1002];
    memset(big, 'a', 1001);
    big[1001] = '\0';
    assert_string_equal(regex_refused(f, big),
                        "t.yaml:4:14: error: la expresión regular (1001 bytes) "
                        "supera el límite de 1000 bytes (límite "
                        "'regex_length'; súbalo con --limit "
                        "regex_length=4000)");
    char deep[410];
    size_t k = 0;
    for (int i = 0; i < 201; i++)
        deep[k++] = '(';
    deep[k++] = 'a';
    for (int i = 0; i < 201; i++)
        deep[k++] = ')';
    deep[k] = '\0';
    assert_string_equal(regex_refused(f, deep),
                        "t.yaml:4:214: error: el anidamiento de la expresión "
                        "regular supera el límite de 200 niveles (límite "
                        "'expr_depth'; súbalo con --limit expr_depth=800)");
    deep[0] = 'a'; /* now 200 groups: they fit */
    deep[401] = '\0';
    struct shape_pos at = {"t.yaml", 4, 14};
    diag_release(&f->d);
    assert_true(shape_regex_check(f->a, &f->d, deep, at));
}

static void shape_unpivot_should_report_bad_regexes_at_their_text(void **state)
{
    struct fx *f = *state;
    static const char *const heads[] = {"Entidad", "D1", "D2"};
    static const enum vtype types[] = {V_TEXT, V_NUMBER, V_NUMBER};
    static const char *const cells[] = {"ANM", "1", "2"};
    struct table *t = mk(f->a, "furag", 3, heads, types, 1, cells);
    struct shape_unpivot u = {.columns = "^(D)\\1",
                              .pos = {"t.yaml", 3, 5},
                              .columns_at = {"t.yaml", 4, 16},
                              .code_at = {"t.yaml", 5, 13}};
    assert_null(shape_unpivot(f->a, &f->d, t, &u));
    assert_string_equal(msg(f, 0),
                        "t.yaml:4:20: error: expresión regular '^(D)\\1': las "
                        "referencias hacia atrás como '\\1' no se admiten (su "
                        "búsqueda puede no terminar)");
    /* A regex that does not compile is reported at its character. */
    diag_release(&f->d);
    u.columns = "^D([0-9]";
    assert_null(shape_unpivot(f->a, &f->d, t, &u));
    assert_int_equal(f->d.errors, 1);
    assert_string_equal(msg(f, 0),
                        "t.yaml:4:18: error: expresión regular inválida "
                        "'^D([0-9]': falta el ')' que cierra este '('");
    diag_release(&f->d);
    u.columns = "^D";
    u.code = "[0-9";
    assert_null(shape_unpivot(f->a, &f->d, t, &u));
    assert_int_equal(f->d.errors, 1);
    assert_string_equal(msg(f, 0),
                        "t.yaml:5:13: error: expresión regular inválida "
                        "'[0-9': falta el ']' que cierra este '['");
    diag_release(&f->d);
    u.code = "(x{1,50}){1,50}";
    assert_null(shape_unpivot(f->a, &f->d, t, &u));
    assert_string_equal(msg(f, 0),
                        "t.yaml:5:22: error: la expresión regular con sus "
                        "repeticiones (2500 copias) supera el límite de 1000 "
                        "copias (límite 'regex_repeat'; súbalo con --limit "
                        "regex_repeat=4000)");
}

static void shape_join_should_add_matching_columns(void **state)
{
    struct fx *f = *state;
    static const char *const lh[] = {"codigo", "puntaje"};
    static const enum vtype lt[] = {V_TEXT, V_NUMBER};
    static const char *const lc[] = {"D1", "70", "D2", "80", "D9", "50"};
    static const char *const rh[] = {"codigo", "nombre", "puntaje"};
    static const enum vtype rt[] = {V_TEXT, V_TEXT, V_NUMBER};
    static const char *const rc[] = {"D2", "Direccionamiento", "1",
                                     "D1", "Talento Humano",   "2"};
    struct table *l = mk(f->a, "furag", 2, lh, lt, 3, lc);
    struct table *r = mk(f->a, "politicas", 3, rh, rt, 2, rc);
    const char *keys[] = {"codigo"};
    struct shape_join j = {keys, keys, 1, NULL, 0, NULL, {"t.yaml", 9, 5}};
    struct table *o = shape_join(f->a, &f->d, l, r, &j);
    assert_non_null(o);
    assert_int_equal(o->ncols, 4);
    assert_string_equal(o->cols[2].name, "nombre");
    assert_string_equal(o->cols[3].name, "politicas_puntaje");
    assert_string_equal(text_at(o, 0, 2), "Talento Humano");
    assert_string_equal(text_at(o, 1, 2), "Direccionamiento");
    assert_int_equal(table_cell(o, 2, 2)->v.type, V_MISSING);
    assert_true(num_at(o, 0, 3) == 2);

    static const char *const dup[] = {"D2", "A", "1", "D2", "B", "2"};
    struct table *rd = mk(f->a, "politicas", 3, rh, rt, 2, dup);
    assert_null(shape_join(f->a, &f->d, l, rd, &j));
    assert_string_equal(msg(f, 0), "t.yaml:9:5: error: clave repetida 'D2' en "
                                   "'politicas' (líneas 2 y 3): cada fila de "
                                   "'politicas' debe tener una clave "
                                   "distinta");
}

static void shape_join_should_match_numbers_with_text_codes(void **state)
{
    struct fx *f = *state;
    static const char *const lh[] = {"id"};
    static const enum vtype lt[] = {V_INT};
    static const char *const lc[] = {"5", "7"};
    static const char *const rh[] = {"id", "nombre"};
    static const enum vtype rt[] = {V_TEXT, V_TEXT};
    static const char *const rc[] = {"7", "siete", "5", "cinco"};
    struct table *l = mk(f->a, "a", 1, lh, lt, 2, lc);
    struct table *r = mk(f->a, "b", 2, rh, rt, 2, rc);
    const char *keys[] = {"id"};
    struct shape_join_col pick = {"texto", "nombre"};
    struct shape_join j = {keys, keys, 1, &pick, 1, NULL, {0}};
    struct table *o = shape_join(f->a, &f->d, l, r, &j);
    assert_non_null(o);
    assert_string_equal(o->cols[1].name, "texto");
    assert_string_equal(text_at(o, 0, 1), "cinco");
    assert_string_equal(text_at(o, 1, 1), "siete");
}

static void shape_rename_should_match_headers_with_folded_space(void **state)
{
    struct fx *f = *state;
    static const char *const heads[] = {"Código\nSigep", "x"};
    static const enum vtype types[] = {V_TEXT, V_INT};
    static const char *const cells[] = {"1", "2"};
    struct table *t = mk(f->a, "furag", 2, heads, types, 1, cells);
    const char *from[] = {"Código Sigep"};
    const char *to[] = {"sigep"};
    struct table *r = shape_rename(f->a, &f->d, t, from, to, 1, NULL);
    assert_non_null(r);
    assert_string_equal(r->cols[0].name, "sigep");
    assert_string_equal(t->cols[0].name, "Código\nSigep");
    struct table *l = shape_limit(f->a, t, 10);
    assert_int_equal(l->nrows, 1);
}

static void shape_should_group_and_sort_20000_rows(void **state)
{
    struct fx *f = *state;
    size_t n = 20000;
    struct table *t = arena_alloc(f->a, sizeof *t);
    t->name = "furag";
    t->ncols = 2;
    t->nrows = n;
    t->cols = arena_array(f->a, 2, sizeof *t->cols);
    t->cols[0] = (struct column){"entidad", V_TEXT, 1};
    t->cols[1] = (struct column){"puntaje", V_NUMBER, 2};
    table_alloc(f->a, t);
    for (size_t r = 0; r < n; r++) {
        char name[32];
        snprintf(name, sizeof name, "Entidad %zu", r % 4000);
        *table_cell(t, r, 0) =
            (struct cell){{.type = V_TEXT, .text = arena_strdup(f->a, name)},
                          (unsigned)r + 2};
        *table_cell(t, r, 1) = (struct cell){
            {.type = V_NUMBER, .num = (double)(r % 97)}, (unsigned)r + 2};
    }
    const char *keys[] = {"entidad"};
    struct shape_agg aggs[] = {{"media", ex(f, "mean(puntaje)"), {0}},
                               {"parte", ex(f, "share(puntaje)"), {0}}};
    struct table *g = shape_group(f->a, &f->d, t, keys, 1,
                                  (struct shape_pos){0}, aggs, 2, &f->env);
    assert_non_null(g);
    assert_int_equal(g->nrows, 4000);
    double shares = 0;
    for (size_t i = 0; i < g->nrows; i++)
        shares += num_at(g, i, 2);
    assert_true(shares > 99.999999 && shares < 100.000001);
    struct shape_key k = {"entidad", true, {0}};
    struct table *s = shape_sort(f->a, &f->d, t, &k, 1);
    assert_non_null(s);
    assert_string_equal(text_at(s, 0, 0), "Entidad 999");
    assert_string_equal(text_at(s, n - 1, 0), "Entidad 0");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(shape_should_sort_text_in_spanish_order),
        T(shape_sort_should_be_stable_with_missing_last),
        T(shape_sort_should_order_as_collate_values),
        T(shape_filter_should_keep_what_each_row_alone_gives),
        T(shape_compute_should_give_what_each_row_alone_gives),
        T(shape_compute_should_read_later_columns_as_missing),
        T(shape_filter_should_keep_rows_where_true),
        T(shape_steps_should_share_the_cells_of_their_input),
        T(shape_compute_should_add_typed_columns_and_warn_on_zero),
        T(shape_group_should_aggregate_per_group_in_first_order),
        T(shape_groups_should_list_rows_per_key),
        T(shape_groups_should_group_equal_texts_whatever_their_copy),
        T(shape_unpivot_should_fold_headers_and_capture_codes),
        T(shape_join_should_add_matching_columns),
        T(shape_join_should_match_numbers_with_text_codes),
        T(shape_rename_should_match_headers_with_folded_space),
        T(shape_should_group_and_sort_20000_rows),
        T(shape_regex_should_refuse_back_references),
        T(shape_regex_should_bound_repetitions),
        T(shape_regex_should_bound_length_and_nesting),
        T(shape_unpivot_should_report_bad_regexes_at_their_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
