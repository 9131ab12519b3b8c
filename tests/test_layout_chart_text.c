/* test_layout_chart_text: the text of a chart against its drawing: value
 * labels stay clear of the target line (which is broken around them), and
 * the two columns of a numbered key flow on their own, with no blank line
 * where a cell of the other column wraps. */
#include "layoutfix.h"
#include "layoututil.h"
#include "testutil.h"

#include "layout/layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* One series over names[0..n), values v, in the committee report's
 * percent format. */
static struct chart_block *chart(struct doc *doc, const char *caption,
                                 const char *const *names, const double *v,
                                 size_t n)
{
    struct chart_block *c = &add(doc, BLK_CHART)->u.chart;
    c->caption = caption;
    c->categories = (const char **)names;
    c->ncat = n;
    c->nseries = 1;
    c->series = arena_array(A, 1, sizeof *c->series);
    c->series[0] = (struct chart_series){"Avance", 0x2E75B6, (double *)v, NULL};
    c->min = c->max = c->step = c->target = NAN;
    c->value_fmt = (struct numfmt){NF_PERCENT, 1, true, ""};
    c->value_labels = true;
    return c;
}

/* The boxes of the dump lines of page that are drawn in color and of
 * kind ('t', 'l', 'r'); a line's box is widened by half its 1 pt width. */
static size_t boxes_of(const char *page, char kind, const char *color,
                       struct box *out, size_t max)
{
    size_t n = 0;
    for (const char *line = page; line && *line;) {
        const char *end = strchr(line, '\n');
        char one[512];
        size_t len = end ? (size_t)(end - line) : strlen(line);
        snprintf(one, sizeof one, "%.*s", (int)(len < 511 ? len : 511), line);
        struct box b;
        if (item_box(one, &b) && b.kind == kind &&
            strcmp(b.color, color) == 0 && n < max) {
            if (kind == 'l') {
                b.x0 -= 0.5, b.y0 -= 0.5, b.x1 += 0.5, b.y1 += 0.5;
            }
            out[n++] = b;
        }
        line = end ? end + 1 : NULL;
    }
    return n;
}

static bool overlap(const struct box *a, const struct box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* The text items sit from baseline - size to the baseline; the descent of
 * "," reaches a quarter of the size lower. */
static void add_descent(struct box *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        t[i].y1 += 2;
}

static const char *const programs[] = {
    "Uso eficiente del agua", "Uso eficiente de la energía",
    "Gestión integral de residuos", "Consumo sostenible",
    "Prácticas sostenibles"};

static void layout_should_keep_value_labels_clear_of_the_target(void **state)
{
    (void)state;
    /* Figure 5 of the committee report: 76,3 % sits on the target of 80. */
    static const double v[] = {65.3, 82.5, 76.3, 38.7, 85.0};
    struct doc *doc = plain_doc(8);
    struct chart_block *c =
        chart(doc, "Avance ponderado por programa", programs, v, 5);
    c->target = 80;
    c->target_label = "Meta";
    add_fin(doc, 1);
    /* Across: the target's upright line through the label of 79,0 %. */
    static const double h[] = {79.0, 40.0, 82.0, 60.0, 81.0};
    struct chart_block *hc = chart(doc, "Horizontal", programs, h, 5);
    hc->orient = CHART_HORIZONTAL;
    hc->min = 0;
    hc->max = 100;
    hc->target = 90;
    add_fin(doc, 2);
    struct seen s = {.keep = true};
    assert_int_equal(run(doc, &s), 1);
    assert_charts_in_their_boxes(&s);
    const char *pg = s.page[0];
    golden("charts_target.txt", pg);
    struct box text[64], red[64];
    size_t nt = boxes_of(pg, 't', "#000000", text, 64);
    size_t nl = boxes_of(pg, 'l', "#C00000", red, 64);
    add_descent(text, nt);
    assert_true(nt >= 10);
    /* Vertical: the line of 80 % broken once, around "76,3 %"; across,
     * the line of 90 % broken around "79,0 %", "82,0 %" and "81,0 %",
     * whose labels reach past it, and not around "40,0 %" and "60,0 %". */
    assert_int_equal(nl, 2 + 4);
    assert_non_null(strstr(pg, "line 488.45 275.69 488.45 278.94 #C00000"));
    assert_non_null(strstr(pg, "line 488.45 371.94 488.45 375.69 #C00000"));
    for (size_t i = 0; i < nt; i++)
        for (size_t k = 0; k < nl; k++)
            if (overlap(&text[i], &red[k]))
                fail_msg("la meta cruza %s", text[i].text);
    /* The gap is the label's width and 1.5 pt either side: "76,3 %" is
     * 24.91 pt wide at x 305.55 (the plot as in the report's figure). */
    assert_non_null(strstr(pg, "text 305.55 "));
    assert_non_null(strstr(pg, "\"76,3 %\""));
    assert_non_null(strstr(pg, "line 80.69 "));
    assert_non_null(strstr(pg, " 304.05 "));
    assert_non_null(strstr(pg, "line 331.95 "));
    seen_release(&s);
}

/* The 17 policies of MIPG, as the committee report's key lists them. */
static const char *const policies[] = {
    "Gestión Estratégica del Talento Humano",
    "Integridad",
    "Planeación Institucional",
    "Gestión Presupuestal y Eficiencia del Gasto Público",
    "Fortalecimiento Organizacional y Simplificación de Procesos",
    "Gobierno Digital",
    "Seguridad Digital",
    "Defensa Jurídica",
    "Mejora Normativa",
    "Servicio al Ciudadano",
    "Racionalización de Trámites",
    "Participación Ciudadana en la Gestión Pública",
    "Seguimiento y Evaluación del Desempeño Institucional",
    "Transparencia, Acceso a la Información y Lucha contra la Corrupción",
    "Gestión Documental",
    "Gestión del Conocimiento y la Innovación",
    "Control Interno"};

/* The baseline of the text item "text" (with its quotes) in page. */
static double base_of(const char *page, const char *text)
{
    const char *q = strstr(page, text);
    assert_non_null(q);
    const char *line = q;
    while (line > page && line[-1] != '\n')
        line--;
    double x, y;
    assert_int_equal(sscanf(line, "text %lf %lf", &x, &y), 2);
    return y;
}

static void layout_should_flow_the_key_columns_on_their_own(void **state)
{
    (void)state;
    static double v[17];
    for (size_t i = 0; i < 17; i++)
        v[i] = 55 + (double)((i * 7) % 30);
    struct doc *doc = plain_doc(4);
    struct chart_block *c = chart(doc, "Puntaje por política", policies, v, 17);
    c->numbered_labels = true;
    add_fin(doc, 1);
    struct seen s = {.keep = true};
    assert_int_equal(run(doc, &s), 1);
    assert_charts_in_their_boxes(&s);
    const char *pg = s.page[0];
    golden("charts_key.txt", pg);
    /* Column one: items 1 to 9, 10 pt apart with no blank line, though
     * item 14 beside item 5 takes two lines. */
    double y1 = base_of(pg, "\"1. Gestión Estratégica");
    for (size_t i = 1; i < 9; i++) {
        char want[128];
        snprintf(want, sizeof want, "\"%zu. %s\"", i + 1, policies[i]);
        assert_float_equal(base_of(pg, want), y1 + 10.0 * (double)i, 0.005);
    }
    /* Column two: 10 to 14 on the rows of 1 to 5; item 14 wraps, and 15
     * follows its second line. */
    assert_float_equal(base_of(pg, "\"10. Servicio"), y1, 0.005);
    double y14 = base_of(pg, "\"14. Transparencia");
    assert_float_equal(y14, y1 + 40, 0.005);
    assert_float_equal(base_of(pg, "\"Corrupción\""), y14 + 10, 0.005);
    assert_float_equal(base_of(pg, "\"15. Gestión Documental\""), y14 + 20,
                       0.005);
    assert_float_equal(base_of(pg, "\"17. Control Interno\""), y14 + 40, 0.005);
    /* The key is as tall as its taller column (9 lines), and the next
     * block follows it, the top of its 9 pt line at least 8 pt below the
     * last line of the key. */
    double fin = base_of(pg, "\"FIN 1\"");
    assert_true(fin - 9 >= y14 + 40 + 8);
    assert_true(fin < y1 + 80 + 30);
    seen_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(layout_should_keep_value_labels_clear_of_the_target),
        cmocka_unit_test(layout_should_flow_the_key_columns_on_their_own),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
