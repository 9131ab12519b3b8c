/* fuzz_expr: libFuzzer target for the expression language. The input is
 * one expression, parsed, checked and evaluated against a fixed table
 * (text, integer, number, percent, date and money columns) and parameters
 * of every type: as a value on every row and over the whole table (a
 * group), as a `where:` condition (shape_filter), and as the text of a
 * template string ("{…}" pieces and literal text). */
#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "lang/expr.h"
#include "fuzz_util.h"
#include "lang/shape.h"
#include "data/value.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct table *plan;

static const struct table *source(void *ctx, const char *name)
{
    (void)ctx;
    return strcmp(name, "plan") == 0 ? plan : NULL;
}

static const struct {
    const char *name;
    struct value v;
} params[] = {
    {"umbral", {.type = V_NUMBER, .num = 80}},
    {"n", {.type = V_INT, .num = 3}},
    {"tasa", {.type = V_PERCENT, .num = 12.5}},
    {"corte", {.type = V_DATE, .days = 17621}},
    {"monto", {.type = V_MONEY, .num = 1500000}},
    {"entidad", {.type = V_TEXT, .text = "ANM"}},
    {"vacio", {.type = V_MISSING}},
    {"params.umbral", {.type = V_NUMBER, .num = 80}},
    {"report.title", {.type = V_TEXT, .text = "Informe"}},
};

static bool param_value(void *ctx, const char *name, struct value *out)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof params / sizeof *params; i++)
        if (strcmp(params[i].name, name) == 0) {
            *out = params[i].v;
            return true;
        }
    return false;
}

static bool param_type(void *ctx, const char *name, enum vtype *out)
{
    struct value v;
    if (!param_value(ctx, name, &v))
        return false;
    *out = v.type == V_MISSING ? V_TEXT : v.type;
    return true;
}

static const char *suggest(void *ctx, const char *name)
{
    (void)ctx;
    (void)name;
    return "umbral";
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_limits();
    plan = fuzz_plan_table();
    return 0;
}

static void fill_env(struct expr_env *env, struct arena *a)
{
    memset(env, 0, sizeof *env);
    env->a = a;
    env->source = source;
    env->param = param_value;
    env->row_table = plan;
    env->group_table = plan;
    env->today = 17622; /* 2018-04-01 */
    env->pct_space = true;
    env->missing = "—";
}

static void fill_scope(struct expr_scope *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->source = source;
    sc->param = param_type;
    sc->row_table = plan;
    sc->group_table = plan;
    sc->allow_page = true;
    sc->suggest_param = suggest;
}

/* The input as one expression: a value per row, over the table, and a
 * condition (where). */
static void one_expression(struct arena *a, const char *src, size_t len)
{
    struct diag d;
    diag_init(&d);
    struct expr *e = expr_parse(a, &d, src, len, "fuzz.yaml", 1, 1);
    struct expr_scope sc;
    fill_scope(&sc);
    enum vtype type;
    if (e && expr_check(e, &sc, &d, &type)) {
        (void)expr_name(e);
        (void)expr_has_aggregate(e);
        struct expr_env env;
        fill_env(&env, a);
        env.memo = expr_memo_new(a);
        struct buf b;
        buf_init(&b);
        for (size_t row = 0; row < plan->nrows; row++) {
            env.row = row;
            struct value v;
            (void)expr_eval(e, &env, &d, &v);
            (void)expr_format(e, &env, &d, &b);
            bool c;
            (void)expr_eval_cond(e, &env, &d, &c);
        }
        /* the whole table as a group, no current row */
        env.row_table = NULL;
        struct value v;
        (void)expr_eval(e, &env, &d, &v);
        buf_release(&b);
        fill_env(&env, a);
        (void)shape_filter(a, &d, plan, e, &env);
    }
    fuzz_report(&d);
    diag_release(&d);
}

/* The input as a template string, and wrapped in braces. */
static void one_template(struct arena *a, const char *src, size_t len)
{
    struct diag d;
    diag_init(&d);
    struct expr_tmpl *t;
    if (expr_parse_template(a, &d, src, len, "fuzz.yaml", 2, 5, &t)) {
        struct expr_scope sc;
        fill_scope(&sc);
        if (expr_tmpl_check(t, &sc, &d)) {
            struct expr_env env;
            fill_env(&env, a);
            env.keep_page = true;
            struct buf b;
            buf_init(&b);
            (void)expr_tmpl_render(t, &env, &b, &d);
            buf_release(&b);
        }
    }
    fuzz_report(&d);
    diag_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    const char *src = (const char *)data;
    one_expression(a, src, size);
    one_template(a, src, size);
    /* "{" input "}": the text form of the same expression */
    char *wrapped = malloc(size + 2); /* heap: overreads are caught */
    if (!wrapped)
        abort();
    wrapped[0] = '{';
    memcpy(wrapped + 1, src, size);
    wrapped[size + 1] = '}';
    one_template(a, wrapped, size + 2);
    free(wrapped);
    arena_free(a);
    return 0;
}
