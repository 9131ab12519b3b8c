/* test_expr: the expression language: grammar and precedence, positioned
 * syntax errors, evaluation (missing values, division by zero, types),
 * aggregates on a hand-built table, filters, template strings, checking. */
#include "testutil.h"

#include "base/arena.h"
#include "base/diag.h"
#include "lang/expr.h"
#include "base/limits.h"

#include <stdio.h>
#include <stdlib.h>

struct fx {
    struct arena *a;
    struct diag d;
    struct table *plan;
    struct expr_env env;
    struct buf out;
};

static struct table *plan_table(struct arena *a)
{
    static const struct {
        const char *programa;
        double meta, ejecutado, avance; /* avance < 0: missing */
        int peso;
    } rows[] = {
        {"Agua", 10, 8, 80, 1},     {"Agua", 20, 20, 100, 3},
        {"Energía", 0, 5, 50, 2},   {"Residuos", 30, 15, -1, 4},
        {"Energía", 40, 10, 25, 0},
    };
    struct table *t = arena_alloc(a, sizeof *t);
    t->name = "plan";
    t->ncols = 5;
    t->nrows = 5;
    t->cols = arena_array(a, 5, sizeof *t->cols);
    t->cols[0] = (struct column){"programa", V_TEXT, 1};
    t->cols[1] = (struct column){"meta", V_NUMBER, 2};
    t->cols[2] = (struct column){"ejecutado", V_NUMBER, 3};
    t->cols[3] = (struct column){"avance", V_PERCENT, 4};
    t->cols[4] = (struct column){"peso", V_INT, 5};
    table_alloc(a, t);
    for (size_t r = 0; r < 5; r++) {
        unsigned line = (unsigned)r + 2;
        *table_cell(t, r, 0) =
            (struct cell){{.type = V_TEXT, .text = rows[r].programa}, line};
        *table_cell(t, r, 1) =
            (struct cell){{.type = V_NUMBER, .num = rows[r].meta}, line};
        *table_cell(t, r, 2) =
            (struct cell){{.type = V_NUMBER, .num = rows[r].ejecutado}, line};
        *table_cell(t, r, 3) =
            (struct cell){{.type = rows[r].avance < 0 ? V_MISSING : V_PERCENT,
                           .num = rows[r].avance},
                          line};
        *table_cell(t, r, 4) =
            (struct cell){{.type = V_INT, .num = rows[r].peso}, line};
    }
    return t;
}

static const struct table *fx_source(void *ctx, const char *name)
{
    struct fx *f = ctx;
    return strcmp(name, "plan") == 0 ? f->plan : NULL;
}

static bool fx_param(void *ctx, const char *name, struct value *out)
{
    (void)ctx;
    if (strcmp(name, "periodo") == 0) {
        *out = (struct value){.type = V_TEXT, .text = "2018-T1"};
        return true;
    }
    if (strcmp(name, "fecha_corte") == 0) {
        *out =
            (struct value){.type = V_DATE, .days = date_from_ymd(2018, 3, 31)};
        return true;
    }
    if (strcmp(name, "umbral") == 0) {
        *out = (struct value){.type = V_INT, .num = 80};
        return true;
    }
    if (strcmp(name, "vacio") == 0) {
        *out = (struct value){.type = V_MISSING};
        return true;
    }
    if (strcmp(name, "report.title") == 0) {
        *out = (struct value){.type = V_TEXT, .text = "Informe"};
        return true;
    }
    return false;
}

static bool fx_param_type(void *ctx, const char *name, enum vtype *out)
{
    struct value v;
    if (!fx_param(ctx, name, &v))
        return false;
    *out = v.type;
    return true;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    f->a = arena_new();
    diag_init(&f->d);
    f->plan = plan_table(f->a);
    f->env.a = f->a;
    f->env.ctx = f;
    f->env.source = fx_source;
    f->env.param = fx_param;
    f->env.today = date_from_ymd(2018, 4, 2);
    f->env.pct_space = true;
    buf_init(&f->out);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    limits_reset();
    buf_release(&f->out);
    diag_release(&f->d);
    arena_free(f->a);
    free(f);
    return 0;
}

/* The first message as diag_format prints it. */
static const char *msg(struct fx *f, size_t i)
{
    return test_msg(f->a, &f->d, i);
}

/* Parses and evaluates src (at t.yaml:1:1) and returns the formatted
 * text, or NULL on failure. */
static const char *run(struct fx *f, const char *src)
{
    struct expr *e = expr_parse(f->a, &f->d, src, strlen(src), "t.yaml", 1, 1);
    if (!e)
        return NULL;
    buf_clear(&f->out);
    if (!expr_format(e, &f->env, &f->d, &f->out))
        return NULL;
    return arena_strdup(f->a, f->out.data);
}

static struct value value_of(struct fx *f, const char *src)
{
    struct value v = {.type = V_MISSING};
    struct expr *e = expr_parse(f->a, &f->d, src, strlen(src), "t.yaml", 1, 1);
    assert_non_null(e);
    assert_true(expr_eval(e, &f->env, &f->d, &v));
    return v;
}

static void expr_should_follow_operator_precedence(void **state)
{
    struct fx *f = *state;
    assert_string_equal(run(f, "1 + 2 * 3"), "7");
    assert_string_equal(run(f, "(1 + 2) * 3"), "9");
    assert_string_equal(run(f, "10 - 4 - 3"), "3");
    assert_string_equal(run(f, "-2 * 3 + 1"), "-5");
    assert_string_equal(run(f, "7 / 2"), "3,5");
    /* not binds tighter than and/or, looser than comparisons */
    assert_string_equal(run(f, "not 1 = 1 or 1 = 1"), "sí");
    assert_string_equal(run(f, "not 1 = 2 and 1 = 2"), "no");
    assert_string_equal(run(f, "1 = 1 or 1 = 2 and 1 = 2"), "sí");
    assert_string_equal(run(f, "5 between 1 and 5"), "sí");
    assert_string_equal(run(f, "6 between 1 and 5 or 2 in [1, 2]"), "sí");
    assert_string_equal(run(f, "\"b\" in ['a', 'c']"), "no");
    assert_int_equal(f->d.n, 0);
}

static void expr_should_parse_literals_of_each_type(void **state)
{
    struct fx *f = *state;
    struct value v = value_of(f, "2018-03-31");
    assert_int_equal(v.type, V_DATE);
    assert_int_equal(v.days, date_from_ymd(2018, 3, 31));
    v = value_of(f, "2018-03");
    assert_int_equal(v.type, V_INT);
    assert_true(v.num == 2015);
    v = value_of(f, "12.5");
    assert_int_equal(v.type, V_NUMBER);
    assert_true(v.num == 12.5);
    v = value_of(f, "'it\\'s'");
    assert_int_equal(v.type, V_TEXT);
    assert_string_equal(v.text, "it's");
    assert_string_equal(run(f, "fecha_corte + 1 | date:long"),
                        "1 de abril de 2018");
    assert_string_equal(run(f, "hoy - fecha_corte"), "2");
}

static void expr_should_report_missing_paren_at_its_column(void **state)
{
    struct fx *f = *state;
    const char *text = "Avance {round(umbral, 2} fin";
    struct expr_tmpl *t;
    assert_false(expr_parse_template(f->a, &f->d, text, strlen(text), "t.yaml",
                                     12, 10, &t));
    assert_int_equal(f->d.errors, 1);
    /* "{" is at column 17: the expression runs from 18 to 32 */
    assert_string_equal(msg(f, 0), "t.yaml:12:33: error: se esperaba ')' y se "
                                   "encontró el final de la expresión");
}

static void expr_should_report_syntax_errors_with_positions(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *src, *want;
    } cases[] = {
        {"1 +", "t.yaml:3:8: error: se esperaba una expresión y se encontró "
                "el final de la expresión"},
        {"mean(plan.avance) | percnt:1",
         "t.yaml:3:25: error: filtro desconocido 'percnt'; ¿quiso decir "
         "'percent'?"},
        {"sun(plan.meta)",
         "t.yaml:3:5: error: función desconocida 'sun'; ¿quiso decir 'sum'?"},
        {"año = 'x", "t.yaml:3:11: error: falta la comilla que cierra el "
                     "texto"},
        {"a b", "t.yaml:3:7: error: se esperaba un operador o el final de la "
                "expresión y se encontró 'b'"},
        {"2018-02-30", "t.yaml:3:5: error: fecha inválida '2018-02-30'"},
        {"wmean(plan.avance)",
         "t.yaml:3:5: error: 'wmean' espera 2 argumentos y recibió 1"},
        {"x | date:largo",
         "t.yaml:3:14: error: se esperaba 'long', 'short' o 'iso' y se "
         "encontró 'largo'"},
        {"x # 2", "t.yaml:3:7: error: carácter inesperado '#'"},
        {"round(x where x > 1)", "t.yaml:3:13: error: 'where' solo puede "
                                 "seguir al primer argumento de una "
                                 "agregación"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        diag_release(&f->d);
        struct expr *e = expr_parse(f->a, &f->d, cases[i].src,
                                    strlen(cases[i].src), "t.yaml", 3, 5);
        assert_null(e);
        if (strcmp(msg(f, 0), cases[i].want) != 0)
            fail_msg("case %zu: got '%s'", i, msg(f, 0));
    }
}

static void expr_should_advance_lines_inside_multiline_text(void **state)
{
    struct fx *f = *state;
    const char *text = "Primera línea\nsegunda {1 +\n  * 2}";
    struct expr_tmpl *t;
    assert_false(expr_parse_template(f->a, &f->d, text, strlen(text), "t.yaml",
                                     5, 7, &t));
    assert_string_equal(msg(f, 0), "t.yaml:7:3: error: se esperaba una "
                                   "expresión y se encontró '*'");
}

static void expr_should_propagate_missing_values(void **state)
{
    struct fx *f = *state;
    assert_int_equal(value_of(f, "vacio + 1").type, V_MISSING);
    assert_int_equal(value_of(f, "-vacio * 2").type, V_MISSING);
    assert_string_equal(run(f, "vacio | number:2"), "");
    assert_string_equal(run(f, "vacio | number:2 | default:\"—\""), "—");
    assert_string_equal(run(f, "vacio = ''"), "sí");
    assert_string_equal(run(f, "vacio < 3"), "no");
    assert_string_equal(run(f, "coalesce(vacio, umbral)"), "80");
    f->env.missing = "s. d.";
    assert_string_equal(run(f, "vacio"), "s. d.");
    assert_int_equal(f->d.n, 0);
}

static void expr_should_warn_on_division_by_zero_naming_the_row(void **state)
{
    struct fx *f = *state;
    const char *src = "ejecutado / meta * 100";
    struct expr *e = expr_parse(f->a, &f->d, src, strlen(src), "t.yaml", 9, 14);
    assert_non_null(e);
    f->env.row_table = f->plan;
    f->env.row = 2; /* meta 0, from line 4 */
    struct value v;
    assert_true(expr_eval(e, &f->env, &f->d, &v));
    assert_int_equal(v.type, V_MISSING);
    assert_int_equal(f->d.errors, 0);
    assert_int_equal(f->d.warnings, 1);
    assert_string_equal(msg(f, 0), "t.yaml:9:24: aviso: división por cero: "
                                   "el resultado queda vacío (fila de la "
                                   "línea 4)");
    f->env.row = 0;
    assert_true(expr_eval(e, &f->env, &f->d, &v));
    assert_int_equal(v.type, V_NUMBER);
    assert_true(v.num == 80);
}

static void expr_should_report_type_errors_at_the_operator(void **state)
{
    struct fx *f = *state;
    assert_null(run(f, "periodo + 1"));
    assert_string_equal(msg(f, 0), "t.yaml:1:9: error: no se puede aplicar "
                                   "'+' a text y integer");
    diag_release(&f->d);
    assert_null(run(f, "sum(plan.programa)"));
    assert_string_equal(msg(f, 0), "t.yaml:1:5: error: no se puede calcular "
                                   "sum de valores de tipo text (columna "
                                   "'programa')");
    diag_release(&f->d);
    assert_null(run(f, "umbral | date"));
    assert_string_equal(msg(f, 0), "t.yaml:1:10: error: el filtro 'date' "
                                   "espera una fecha, no un valor de tipo "
                                   "integer");
    diag_release(&f->d);
    assert_null(run(f, "plan.avanse > 1"));
    assert_string_equal(msg(f, 0), "t.yaml:1:1: error: columna desconocida "
                                   "'avanse' en 'plan'; ¿quiso decir "
                                   "'avance'?");
}

static void expr_should_compute_aggregates_by_hand(void **state)
{
    struct fx *f = *state;
    assert_string_equal(run(f, "count(plan)"), "5");
    assert_string_equal(run(f, "count(plan.avance)"), "4");
    assert_string_equal(run(f, "sum(plan.meta)"), "100");
    assert_string_equal(run(f, "sum(plan.peso)"), "10");
    /* (80 + 100 + 50 + 25) / 4, a percent because avance is */
    assert_string_equal(run(f, "mean(plan.avance)"), "63,8 %");
    assert_string_equal(run(f, "mean(plan.avance) | number:2"), "63,75");
    /* (80*1 + 100*3 + 50*2 + 25*0) / (1 + 3 + 2 + 0) */
    assert_string_equal(run(f, "wmean(plan.avance, plan.peso)"), "80,0 %");
    assert_string_equal(run(f, "min(plan.avance)"), "25,0 %");
    assert_string_equal(run(f, "max(plan.programa)"), "Residuos");
    assert_string_equal(run(f, "distinct(plan.programa)"), "3");
    assert_string_equal(run(f, "count(plan where programa = \"Agua\")"), "2");
    assert_string_equal(
        run(f, "mean(plan.avance where programa = 'Energía') | number:1"),
        "37,5");
    assert_string_equal(run(f, "first(plan.programa)"), "Agua");
    assert_string_equal(run(f, "last(plan.programa)"), "Energía");
    assert_string_equal(run(f, "sum(plan.ejecutado) / sum(plan.meta) * 100"),
                        "58");
    assert_string_equal(run(f, "count(plan where avance >= umbral)"), "2");
    assert_string_equal(run(f, "mean(plan.avance where programa = 'Nada')"),
                        "");
    assert_int_equal(f->d.n, 0);
}

static void expr_should_aggregate_within_a_group(void **state)
{
    struct fx *f = *state;
    static const size_t energia[] = {2, 4};
    f->env.group_table = f->plan;
    f->env.group_rows = energia;
    f->env.group_n = 2;
    assert_string_equal(run(f, "count()"), "2");
    assert_string_equal(run(f, "sum(meta)"), "40");
    /* 40 of 100 */
    assert_string_equal(run(f, "share(meta)"), "40,0 %");
    assert_string_equal(run(f, "share(plan.meta)"), "40,0 %");
    assert_string_equal(run(f, "mean(avance) | percent:2"), "37,50 %");
    assert_string_equal(run(f, "wmean(avance, peso)"), "50,0 %");
    assert_string_equal(run(f, "count(where avance < 30)"), "1");
    assert_int_equal(f->d.n, 0);
}

static void expr_should_apply_filters(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *src, *want;
    } cases[] = {
        {"1234567.891 | number:2", "1.234.567,89"},
        {"1234.5 | integer", "1.235"},
        {"2018 | plain", "2018"},
        {"85.25 | percent:1", "85,3 %"},
        {"1234567 | money", "$ 1.234.567"},
        {"fecha_corte | date:long", "31 de marzo de 2018"},
        {"fecha_corte | date", "31/03/2018"},
        {"fecha_corte | date:iso", "2018-03-31"},
        {"fecha_corte | quarter", "2018-T1"},
        {"fecha_corte | quarter:long", "primer trimestre de 2018"},
        {"periodo | quarter:long", "primer trimestre de 2018"},
        {"fecha_corte | month", "marzo"},
        {"'Ñandú á' | upper", "ÑANDÚ Á"},
        {"upper('energía') | lower", "energía"},
        {"round(2.675, 2)", "2,68"},
        {"abs(-3)", "3"},
        {"year(fecha_corte) | plain", "2018"},
        {"if(umbral > 50, 'alto', 'bajo')", "alto"},
        {"'a' + 'b'", "ab"},
        {"report.title", "Informe"},
        {"params.umbral * 2", "160"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = run(f, cases[i].src);
        if (!got || strcmp(got, cases[i].want) != 0)
            fail_msg("case %zu (%s): got '%s'", i, cases[i].src,
                     got ? got : msg(f, 0));
    }
}

static void expr_should_render_template_strings(void **state)
{
    struct fx *f = *state;
    const char *text = "El plan tiene {count(plan)} actividades; avance "
                       "{mean(plan.avance) | percent:1} al "
                       "{fecha_corte | date:long}. {{literal}} {page}";
    struct expr_tmpl *t;
    assert_true(expr_parse_template(f->a, &f->d, text, strlen(text), "t.yaml",
                                    1, 1, &t));
    f->env.keep_page = true;
    assert_true(expr_tmpl_render(t, &f->env, &f->out, &f->d));
    assert_string_equal(f->out.data,
                        "El plan tiene 5 actividades; avance 63,8 % al 31 de "
                        "marzo de 2018. {literal} {page}");
    assert_int_equal(t->n, 8);
    assert_true(t->parts[1].is_expr);
    assert_string_equal(t->parts[1].text, "count(plan)");
}

static void expr_should_report_unclosed_brace(void **state)
{
    struct fx *f = *state;
    const char *text = "Total {count(plan)";
    struct expr_tmpl *t;
    assert_false(expr_parse_template(f->a, &f->d, text, strlen(text), "t.yaml",
                                     2, 3, &t));
    assert_string_equal(msg(f, 0), "t.yaml:2:9: error: falta '}' que cierre "
                                   "la expresión (escriba '{{' para una "
                                   "llave)");
}

static void expr_should_read_braces_one_way_for_every_text(void **state)
{
    (void)state;
    size_t end = 0;
    const char *s = "a {{ }} {\"x\\\"}\" | upper} {`b}c`} {'}'} } {d";
    size_t n = strlen(s);
    assert_int_equal(expr_brace_at(s, n, 0, &end), EXPR_BRACE_NONE);
    assert_int_equal(expr_brace_at(s, n, 2, &end), EXPR_BRACE_ESCAPED);
    assert_int_equal(end, 4);
    assert_int_equal(expr_brace_at(s, n, 5, &end), EXPR_BRACE_ESCAPED);
    assert_int_equal(end, 7);
    assert_int_equal(expr_brace_at(s, n, 8, &end), EXPR_BRACE_OPEN);
    assert_int_equal(s[end], '}');
    assert_int_equal(end, 23);
    assert_int_equal(expr_brace_at(s, n, 25, &end), EXPR_BRACE_OPEN);
    assert_int_equal(end, 31);
    assert_int_equal(expr_brace_at(s, n, 33, &end), EXPR_BRACE_OPEN);
    assert_int_equal(end, 37);
    assert_int_equal(expr_brace_at(s, n, 39, &end), EXPR_BRACE_NONE);
    assert_int_equal(expr_brace_at(s, n, 41, &end), EXPR_BRACE_UNCLOSED);
    assert_int_equal(end, n);
}

static void expr_check_should_find_names_without_evaluating(void **state)
{
    struct fx *f = *state;
    struct expr_scope sc = {
        .ctx = f, .source = fx_source, .param = fx_param_type};
    static const struct {
        const char *src, *want;
    } bad[] = {
        {"mean(plan.avanse)", "t.yaml:1:6: error: columna desconocida "
                              "'avanse' en 'plan'; ¿quiso decir 'avance'?"},
        {"sum(plan.programa)", "t.yaml:1:5: error: no se puede calcular sum "
                               "de la columna 'programa' de tipo text"},
        {"params.nada", "t.yaml:1:1: error: parámetro desconocido 'nada'"},
        {"mean(planes.x)", "t.yaml:1:6: error: fuente de datos desconocida "
                           "'planes'"},
        {"umbrl + 1", "t.yaml:1:1: error: nombre desconocido 'umbrl'"},
        {"periodo * 2", "t.yaml:1:9: error: no se puede aplicar '*' a text y "
                        "integer"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        diag_release(&f->d);
        struct expr *e = expr_parse(f->a, &f->d, bad[i].src, strlen(bad[i].src),
                                    "t.yaml", 1, 1);
        assert_non_null(e);
        assert_false(expr_check(e, &sc, &f->d, NULL));
        if (strcmp(msg(f, 0), bad[i].want) != 0)
            fail_msg("case %zu: got '%s'", i, msg(f, 0));
    }
    diag_release(&f->d);
    const char *ok = "mean(plan.avance where programa = 'Agua') | percent:1";
    struct expr *e = expr_parse(f->a, &f->d, ok, strlen(ok), "t.yaml", 1, 1);
    enum vtype ty;
    assert_true(expr_check(e, &sc, &f->d, &ty));
    assert_int_equal(ty, V_TEXT);
    sc.row_table = f->plan;
    const char *row = "ejecutado / meta * 100";
    e = expr_parse(f->a, &f->d, row, strlen(row), "t.yaml", 1, 1);
    assert_true(expr_check(e, &sc, &f->d, &ty));
    assert_int_equal(ty, V_NUMBER);
    const char *typo = "ejecutdo / meta";
    e = expr_parse(f->a, &f->d, typo, strlen(typo), "t.yaml", 1, 1);
    assert_false(expr_check(e, &sc, &f->d, NULL));
    assert_string_equal(msg(f, 0), "t.yaml:1:1: error: nombre desconocido "
                                   "'ejecutdo'; ¿quiso decir 'ejecutado'?");
}

static void expr_should_tell_names_and_aggregates_apart(void **state)
{
    struct fx *f = *state;
    struct expr *e = expr_parse(f->a, &f->d, "`Fecha de corte`", 16, "t", 1, 1);
    assert_string_equal(expr_name(e), "Fecha de corte");
    assert_false(expr_has_aggregate(e));
    e = expr_parse(f->a, &f->d, "1 + mean(avance)", 16, "t", 1, 1);
    assert_null(expr_name(e));
    assert_true(expr_has_aggregate(e));
}

/* head n times, then mid, then tail m times; in f's arena. */
static const char *rep(struct fx *f, const char *head, size_t n,
                       const char *mid, const char *tail, size_t m)
{
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < n; i++)
        buf_adds(&b, head);
    buf_adds(&b, mid);
    for (size_t i = 0; i < m; i++)
        buf_adds(&b, tail);
    const char *s = arena_strndup(f->a, b.data, b.len);
    buf_release(&b);
    return s;
}

/* run(src) must fail with exactly one message: the expr_depth one (at
 * its default, 200) at column col. */
static void expect_too_deep(struct fx *f, const char *src, unsigned col)
{
    diag_release(&f->d);
    assert_null(run(f, src));
    assert_int_equal(f->d.errors, 1);
    char want[300];
    snprintf(want, sizeof want,
             "t.yaml:1:%u: error: el anidamiento de la expresión supera el "
             "límite de 200 niveles (límite 'expr_depth'; súbalo con --limit "
             "expr_depth=800)",
             col);
    assert_string_equal(msg(f, 0), want);
    assert_int_equal(f->d.code, EXIT_DATAERR);
    diag_release(&f->d);
}

static void expr_should_refuse_nesting_past_the_depth_limit(void **state)
{
    struct fx *f = *state;
    /* The whole expression is level 1 and each '(' one more: 199 fit and
     * the 200th is reported. */
    assert_string_equal(run(f, rep(f, "(", 199, "1", ")", 199)), "1");
    expect_too_deep(f, rep(f, "(", 200, "1", ")", 200), 200);
    expect_too_deep(f, rep(f, "(", 30000, "1", ")", 30000), 200);
    assert_string_equal(run(f, rep(f, "-", 199, "1", "", 0)), "-1");
    expect_too_deep(f, rep(f, "-", 30000, "1", "", 0), 200);
    assert_string_equal(run(f, rep(f, "not ", 199, "vacio", "", 0)), "sí");
    expect_too_deep(f, rep(f, "not ", 16000, "1 = 1", "", 0), 797);
    assert_string_equal(run(f, rep(f, "abs(", 199, "2", ")", 199)), "2");
    expect_too_deep(f, rep(f, "abs(", 10000, "-2", ")", 10000), 797);
    assert_string_equal(run(f, rep(f, "coalesce(", 199, "vacio, 3", ")", 199)),
                        "3");
    expect_too_deep(f, rep(f, "coalesce(", 3000, "vacio", ")", 3000), 1792);
    /* comparisons nested through parentheses and `in` lists */
    assert_string_equal(run(f, rep(f, "vacio = (", 199, "vacio", ")", 199)),
                        "no");
    expect_too_deep(f, rep(f, "1 = (", 5000, "1", ")", 5000), 1000);
    expect_too_deep(f, rep(f, "1 in [", 5000, "1", "]", 5000), 1197);
    /* A run of filters makes the tree deep with no nesting at all: the
     * 200th filter is level 201. */
    assert_string_equal(run(f, rep(f, "", 0, "'a'", " | upper", 199)), "A");
    expect_too_deep(f, rep(f, "", 0, "'a'", " | upper", 1000), 1599);
}

static void expr_depth_limit_should_follow_the_command_line(void **state)
{
    struct fx *f = *state;
    const char *why;
    assert_true(limits_set("expr_depth=1000", &why));
    assert_string_equal(run(f, rep(f, "(", 999, "1", ")", 999)), "1");
    assert_true(limits_set("expr_depth=10", &why));
    assert_null(run(f, "((((((((((1))))))))))"));
    assert_string_equal(msg(f, 0),
                        "t.yaml:1:10: error: el anidamiento de la expresión "
                        "supera el límite de 10 niveles (límite 'expr_depth'; "
                        "súbalo con --limit expr_depth=40)");
}

static void expr_should_refuse_an_expression_past_the_length_limit(void **state)
{
    struct fx *f = *state;
    assert_null(run(f, rep(f, "1+", 35000, "1", "", 0)));
    assert_int_equal(f->d.errors, 1);
    assert_string_equal(msg(f, 0),
                        "t.yaml:1:1: error: la expresión (70001 bytes) supera "
                        "el límite de 65536 bytes (límite 'expr_length'; "
                        "súbalo con --limit expr_length=262144)");
    diag_release(&f->d);
    const char *why;
    assert_true(limits_set("expr_length=100", &why));
    assert_string_equal(run(f, rep(f, "1+", 49, "1", "", 0)), "50");
    assert_null(run(f, rep(f, "1+", 50, "1", "", 0)));
    assert_string_equal(msg(f, 0),
                        "t.yaml:1:1: error: la expresión (101 bytes) supera "
                        "el límite de 100 bytes (límite 'expr_length'; "
                        "súbalo con --limit expr_length=400)");
}

static void expr_should_evaluate_long_flat_chains(void **state)
{
    struct fx *f = *state;
    /* 30,001 terms: one chain node, no recursion per term anywhere. */
    assert_string_equal(run(f, rep(f, "1+", 30000, "1", "", 0)), "30.001");
    assert_string_equal(run(f, rep(f, "2*", 20, "1", "", 0)), "1.048.576");
    assert_string_equal(run(f, rep(f, "100-", 3000, "1", "", 0)), "-299.801");
    assert_string_equal(run(f, rep(f, "1 = 2 or ", 7000, "1 = 1", "", 0)),
                        "sí");
    assert_string_equal(run(f, rep(f, "1 = 1 and ", 6000, "1 = 2", "", 0)),
                        "no");
    assert_string_equal(run(f, rep(f, "umbral > 1 and ", 4000, "vacio", "", 0)),
                        "no");
    assert_int_equal(f->d.n, 0);
    /* checked against a table, then evaluated on a row: meta is 10 */
    const char *src = rep(f, "meta + ", 8000, "meta", "", 0);
    struct expr *e = expr_parse(f->a, &f->d, src, strlen(src), "t.yaml", 1, 1);
    assert_non_null(e);
    struct expr_scope sc = {.ctx = f,
                            .source = fx_source,
                            .param = fx_param_type,
                            .row_table = f->plan};
    enum vtype t;
    assert_true(expr_check(e, &sc, &f->d, &t));
    assert_int_equal(t, V_NUMBER);
    f->env.row_table = f->plan;
    f->env.row = 0;
    struct value v;
    assert_true(expr_eval(e, &f->env, &f->d, &v));
    assert_int_equal(v.type, V_NUMBER);
    assert_true(v.num == 80010);
    /* a mismatch inside a chain is reported at its own operator, by the
     * checker and by the evaluator */
    src = "1 + 2 + periodo + 3";
    e = expr_parse(f->a, &f->d, src, strlen(src), "t.yaml", 1, 1);
    assert_false(expr_check(e, &sc, &f->d, &t));
    assert_string_equal(msg(f, 0), "t.yaml:1:7: error: no se puede aplicar "
                                   "'+' a integer y text");
    diag_release(&f->d);
    assert_false(expr_eval(e, &f->env, &f->d, &v));
    assert_string_equal(msg(f, 0), "t.yaml:1:7: error: no se puede aplicar "
                                   "'+' a integer y text");
    diag_release(&f->d);
    /* every operand of a chain of conditions is checked */
    src = "umbral and 1 = 1 and periodo";
    e = expr_parse(f->a, &f->d, src, strlen(src), "t.yaml", 1, 1);
    assert_false(expr_check(e, &sc, &f->d, &t));
    assert_int_equal(f->d.errors, 2);
    assert_string_equal(msg(f, 0), "t.yaml:1:1: error: se esperaba una "
                                   "condición y no un valor de tipo integer");
    assert_string_equal(msg(f, 1), "t.yaml:1:22: error: se esperaba una "
                                   "condición y no un valor de tipo text");
}

/* A FURAG-like table of n rows: entidad "E<i>", grupo_par "G<i % 40>",
 * puntaje i % 100. */
static struct table *peer_table(struct arena *a, size_t n)
{
    struct table *t = arena_alloc(a, sizeof *t);
    t->name = "furag";
    t->ncols = 3;
    t->nrows = n;
    t->cols = arena_array(a, 3, sizeof *t->cols);
    t->cols[0] = (struct column){"entidad", V_TEXT, 1};
    t->cols[1] = (struct column){"grupo_par", V_TEXT, 2};
    t->cols[2] = (struct column){"puntaje", V_NUMBER, 3};
    table_alloc(a, t);
    for (size_t r = 0; r < n; r++) {
        unsigned line = (unsigned)r + 2;
        *table_cell(t, r, 0) = (struct cell){
            {.type = V_TEXT, .text = arena_printf(a, "E%zu", r)}, line};
        *table_cell(t, r, 1) = (struct cell){
            {.type = V_TEXT, .text = arena_printf(a, "G%zu", r % 40)}, line};
        *table_cell(t, r, 2) =
            (struct cell){{.type = V_NUMBER, .num = (double)(r % 100)}, line};
    }
    return t;
}

struct peers {
    struct table *furag;
    const char *entidad; /* params.entidad */
};

static const struct table *peers_source(void *ctx, const char *name)
{
    struct peers *p = ctx;
    return strcmp(name, "furag") == 0 ? p->furag : NULL;
}

static bool peers_param(void *ctx, const char *name, struct value *out)
{
    struct peers *p = ctx;
    if (strcmp(name, "entidad") != 0)
        return false;
    *out = (struct value){.type = V_TEXT, .text = p->entidad};
    return true;
}

/* Filters every row of the table through where, as a where step does
 * (one cache for the whole loop) or, with per_row, with a cache of its
 * own for each row (no value reused). kept[r] receives the result; the
 * return value is the number of rows the aggregates visited. */
static uint64_t filter_rows(struct fx *f, struct peers *p,
                            const struct expr *where, bool per_row, bool *kept)
{
    struct expr_env env = f->env;
    env.ctx = p;
    env.source = peers_source;
    env.param = peers_param;
    env.row_table = p->furag;
    struct expr_cache *c = expr_cache_new(f->a);
    uint64_t work = 0;
    for (size_t r = 0; r < p->furag->nrows; r++) {
        if (per_row) {
            c = expr_cache_new(f->a);
        }
        env.cache = c;
        env.row = r;
        assert_true(expr_eval_cond(where, &env, &f->d, &kept[r]));
        if (per_row)
            work += expr_cache_work(c);
    }
    return per_row ? work : expr_cache_work(c);
}

static void expr_should_compute_a_row_independent_aggregate_once(void **state)
{
    struct fx *f = *state;
    const size_t n = 2000;
    struct peers p = {peer_table(f->a, n), "E7"};
    const char *src =
        "grupo_par = first(furag.grupo_par where entidad = params.entidad)";
    struct expr *e = expr_parse(f->a, &f->d, src, strlen(src), "t.yaml", 1, 1);
    assert_non_null(e);
    bool *once = arena_array(f->a, n, sizeof *once);
    bool *naive = arena_array(f->a, n, sizeof *naive);
    /* the aggregate visits the n rows once for the whole filter, where
     * evaluating it afresh on every row visits n * n */
    assert_int_equal(filter_rows(f, &p, e, false, once), n);
    assert_int_equal(filter_rows(f, &p, e, true, naive), (uint64_t)n * n);
    size_t k = 0;
    for (size_t r = 0; r < n; r++) {
        assert_int_equal(once[r], naive[r]);
        assert_int_equal(once[r], r % 40 == 7);
        k += once[r];
    }
    assert_int_equal(k, n / 40);
    /* a part that depends on the row is still evaluated on every row:
     * the aggregate's own where sees its rows, not the outer one */
    src = "count(furag where grupo_par = 'G3') + puntaje > 99";
    e = expr_parse(f->a, &f->d, src, strlen(src), "t.yaml", 1, 1);
    assert_int_equal(filter_rows(f, &p, e, false, once), n);
    for (size_t r = 0; r < n; r++)
        assert_int_equal(once[r], (double)(r % 100) + n / 40 > 99);
    assert_int_equal(f->d.n, 0);
}

static void expr_should_not_reuse_values_across_parameter_values(void **state)
{
    struct fx *f = *state;
    const size_t n = 400;
    struct peers p = {peer_table(f->a, n), "E3"};
    const char *src =
        "grupo_par = first(furag.grupo_par where entidad = params.entidad)";
    struct expr *e = expr_parse(f->a, &f->d, src, strlen(src), "t.yaml", 1, 1);
    assert_non_null(e);
    bool *a = arena_array(f->a, n, sizeof *a);
    bool *b = arena_array(f->a, n, sizeof *b);
    /* the same tree over two parameter values (two burst reports): each
     * evaluation has its own cache and gives its own rows */
    filter_rows(f, &p, e, false, a);
    p.entidad = "E5";
    filter_rows(f, &p, e, false, b);
    for (size_t r = 0; r < n; r++) {
        assert_int_equal(a[r], r % 40 == 3);
        assert_int_equal(b[r], r % 40 == 5);
    }
    /* a cache kept across the change must be reset, and then agrees */
    struct expr_env env = f->env;
    env.ctx = &p;
    env.source = peers_source;
    env.param = peers_param;
    env.row_table = p.furag;
    env.cache = expr_cache_new(f->a);
    env.row = 5;
    bool keep;
    p.entidad = "E3";
    assert_true(expr_eval_cond(e, &env, &f->d, &keep));
    assert_false(keep);
    p.entidad = "E5";
    expr_cache_reset(env.cache);
    assert_true(expr_eval_cond(e, &env, &f->d, &keep));
    assert_true(keep);
    assert_int_equal(expr_cache_work(env.cache), 2 * n);
}

static void expr_should_nest_aggregates_in_linear_time(void **state)
{
    struct fx *f = *state;
    /* 200 levels of count(plan where count(plan where ... ) > 0) over the
     * 5 rows of plan: 5^200 row visits if each level ran the next once
     * per row, 5 per level when the inner count is computed once */
    const char *why;
    assert_true(limits_set("expr_depth=1000", &why));
    const int levels[] = {1, 2, 200};
    for (size_t i = 0; i < 3; i++) {
        size_t L = (size_t)levels[i] - 1;
        const char *src = rep(f, "count(plan where ", L,
                              "count(plan where meta > 1)", " > 0)", L);
        struct expr *e =
            expr_parse(f->a, &f->d, src, strlen(src), "t.yaml", 1, 1);
        assert_non_null(e);
        struct expr_env env = f->env;
        env.cache = expr_cache_new(f->a);
        struct value v;
        assert_true(expr_eval(e, &env, &f->d, &v));
        assert_int_equal(v.type, V_INT);
        /* meta > 1 holds on 4 rows; every outer level keeps all 5 */
        assert_true(v.num == (L == 0 ? 4 : 5));
        assert_int_equal(expr_cache_work(env.cache), 5 * (L + 1));
        assert_int_equal(f->d.n, 0);
    }
    assert_int_equal(f->d.n, 0);
}

static void expr_should_stop_an_evaluation_past_the_work_limit(void **state)
{
    struct fx *f = *state;
    const char *why;
    assert_true(limits_set("eval_work=12", &why));
    /* 5 + 5 rows fit; the third aggregate crosses 12 and is named */
    const char *src = "count(plan where meta > 0) + count(plan) + count(plan)";
    assert_null(run(f, src));
    assert_int_equal(f->d.errors, 1);
    assert_string_equal(msg(f, 0),
                        "t.yaml:1:44: error: el trabajo de esta expresión "
                        "supera el límite de 12 filas recorridas (límite "
                        "'eval_work'; súbalo con --limit eval_work=48)");
    diag_release(&f->d);
    assert_string_equal(run(f, "count(plan where meta > 0) + count(plan)"),
                        "9");
    /* nested aggregates share the budget of the outermost evaluation:
     * 5 rows at each of 3 levels; the 13th row visited is the outer
     * count's third */
    assert_null(
        run(f, "count(plan where count(plan where count(plan) > 0) > 0)"));
    assert_int_equal(f->d.errors, 1);
    assert_string_equal(msg(f, 0),
                        "t.yaml:1:1: error: el trabajo de esta expresión "
                        "supera el límite de 12 filas recorridas (límite "
                        "'eval_work'; súbalo con --limit eval_work=48)");
    diag_release(&f->d);
    /* a loop over rows with one cache: the row-independent count runs
     * once, so 5 rows evaluated 100 times stay within 12 */
    src = "meta > count(plan) * 5";
    struct expr *e = expr_parse(f->a, &f->d, src, strlen(src), "t.yaml", 1, 1);
    assert_non_null(e);
    struct expr_env env = f->env;
    env.row_table = f->plan;
    env.cache = expr_cache_new(f->a);
    size_t kept = 0;
    for (size_t i = 0; i < 100; i++) {
        bool keep;
        env.row = i % 5;
        assert_true(expr_eval_cond(e, &env, &f->d, &keep));
        kept += keep;
    }
    assert_int_equal(kept, 40); /* meta 30 and 40 exceed 25 */
    assert_int_equal(expr_cache_work(env.cache), 5);
    assert_int_equal(f->d.n, 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(expr_should_follow_operator_precedence),
        T(expr_should_parse_literals_of_each_type),
        T(expr_should_report_missing_paren_at_its_column),
        T(expr_should_report_syntax_errors_with_positions),
        T(expr_should_advance_lines_inside_multiline_text),
        T(expr_should_propagate_missing_values),
        T(expr_should_warn_on_division_by_zero_naming_the_row),
        T(expr_should_report_type_errors_at_the_operator),
        T(expr_should_compute_aggregates_by_hand),
        T(expr_should_aggregate_within_a_group),
        T(expr_should_apply_filters),
        T(expr_should_render_template_strings),
        T(expr_should_report_unclosed_brace),
        T(expr_should_read_braces_one_way_for_every_text),
        T(expr_check_should_find_names_without_evaluating),
        T(expr_should_tell_names_and_aggregates_apart),
        T(expr_should_refuse_nesting_past_the_depth_limit),
        T(expr_depth_limit_should_follow_the_command_line),
        T(expr_should_refuse_an_expression_past_the_length_limit),
        T(expr_should_evaluate_long_flat_chains),
        T(expr_should_compute_a_row_independent_aggregate_once),
        T(expr_should_not_reuse_values_across_parameter_values),
        T(expr_should_nest_aggregates_in_linear_time),
        T(expr_should_stop_an_evaluation_past_the_work_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
