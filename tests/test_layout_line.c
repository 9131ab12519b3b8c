/* test_layout_line: line charts laid out with the real fonts, checked
 * through the display-list dump and goldens: one and two series, a gap
 * for a missing value, no value at all, one point, no category, hundreds
 * and thousands of categories, a target line and negative values. */
#include "layoutfix.h"
#include "layoututil.h"
#include "testutil.h"

#include "layout/layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const months[] = {"ene. 2018", "feb. 2018", "mar. 2018",
                                     "abr. 2018", "may. 2018", "jun. 2018",
                                     "jul. 2018", "ago. 2018", "sept. 2018",
                                     "oct. 2018", "nov. 2018", "dic. 2018"};

static const char *month(size_t i)
{
    return i < 12 ? months[i] : arena_printf(A, "sem. %zu", i + 1);
}

/* A line chart of n categories (named by name) and nseries series whose
 * values are val(s, i) (NAN: missing), in percent with one decimal. */
static struct chart_block *line_of(struct doc *doc, size_t n, size_t nseries,
                                   const char *caption,
                                   double (*val)(size_t, size_t),
                                   const char *(*name)(size_t))
{
    struct chart_block *c = &add(doc, BLK_CHART)->u.chart;
    c->kind = CHART_LINE;
    c->values = VALUES_LAST;
    c->caption = caption;
    const char **cats = arena_array(A, n ? n : 1, sizeof *cats);
    for (size_t i = 0; i < n; i++)
        cats[i] = name(i);
    c->categories = cats;
    c->ncat = n;
    c->nseries = nseries;
    c->series = arena_array(A, nseries ? nseries : 1, sizeof *c->series);
    static const uint32_t colors[] = {0xA5A5A5, 0x2E75B6};
    static const char *const names[] = {"Programado", "Ejecutado"};
    for (size_t s = 0; s < nseries; s++) {
        double *v = arena_array(A, n ? n : 1, sizeof *v);
        for (size_t i = 0; i < n; i++)
            v[i] = val(s, i);
        c->series[s] =
            (struct chart_series){names[s % 2], colors[s % 2], v, NULL};
    }
    c->min = c->max = c->step = c->target = NAN;
    c->value_fmt = (struct numfmt){NF_PERCENT, 1, true, ""};
    c->value_labels = true;
    c->legend = nseries > 1;
    return c;
}

static char *all_pages(const struct seen *s)
{
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < s->n; i++)
        buf_adds(&b, s->page[i]);
    return buf_detach(&b, NULL);
}

/* The dump between "Figura N." (or the start) and "FIN N". */
static char *figure(const char *all, unsigned n)
{
    char from[32], to[32];
    snprintf(from, sizeof from, "\"Figura %u.", n);
    snprintf(to, sizeof to, "\"FIN %u\"", n);
    const char *a = strstr(all, from), *b = a ? strstr(a, to) : NULL;
    assert_non_null(a);
    assert_non_null(b);
    return arena_strndup(A, a, (size_t)(b - a));
}

/* The planned and executed cumulative progress of a year's plan. */
static double s_curve(size_t s, size_t i)
{
    static const double plan[] = {4,  9,  15, 23, 32, 42,
                                  52, 62, 72, 81, 91, 100};
    static const double done[] = {2.6, 6.1, 10.8};
    return s == 0 ? plan[i] : i < 3 ? done[i] : NAN;
}

static void line_should_draw_one_and_two_series(void **state)
{
    (void)state;
    struct doc *doc = plain_doc(8);
    line_of(doc, 12, 1, "Una serie", s_curve, month);
    add_fin(doc, 1);
    struct chart_block *two = line_of(doc, 12, 2, "Dos series", s_curve, month);
    two->min = 0;
    two->max = 100;
    two->step = 20;
    add_fin(doc, 2);
    struct seen s = {.keep = true};
    assert_int_equal(run(doc, &s), 1);
    assert_charts_in_their_boxes(&s);
    golden("lines_series.txt", s.page[0]);
    const char *one = figure(s.page[0], 1), *both = figure(s.page[0], 2);
    /* One series: 11 segments 1.5 pt wide between 12 markers, one value
     * label (the last point's), every month named, no legend. */
    assert_int_equal(count(one, "#A5A5A5 lw=1.50"), 11);
    assert_int_equal(count(one, "4.00 4.00 fill=#A5A5A5"), 12);
    assert_int_equal(count(one, "\"100,0 %\""), 1);
    assert_int_equal(count(one, " %\""), 1);
    for (size_t i = 0; i < 12; i++) {
        char want[32];
        snprintf(want, sizeof want, "\"%s\"", months[i]);
        assert_int_equal(count(one, want), 1);
    }
    assert_int_equal(count(one, "8.00 8.00 fill="), 0);
    /* The points share the plot's width: slot (555.31 - 80.69) / 12 =
     * 39.55; the first point at 80.69 + 19.78, the last at 535.53. */
    assert_non_null(strstr(one, "line 100.47 "));
    assert_non_null(strstr(one, " 535.53 "));
    /* Two series: the executed line stops after March (2 segments, 3
     * markers), each series' last value written; a legend of two. */
    assert_int_equal(count(both, "#2E75B6 lw=1.50"), 2);
    assert_int_equal(count(both, "4.00 4.00 fill=#2E75B6"), 3);
    assert_non_null(strstr(both, "\"10,8 %\""));
    assert_non_null(strstr(both, "\"100,0 %\""));
    assert_int_equal(count(both, "8.00 8.00 fill="), 2);
    assert_non_null(strstr(both, "\"Programado\""));
    assert_non_null(strstr(both, "\"Ejecutado\""));
    /* "10,8 %" goes under its point: above it the planned line (15 % at
     * March) runs through the label's place. */
    double x, base, px, py;
    const char *lab = strstr(both, "\"10,8 %\"");
    while (lab > both && lab[-1] != '\n')
        lab--;
    assert_int_equal(sscanf(lab, "text %lf %lf", &x, &base), 2);
    const char *mk = strstr(both, "4.00 4.00 fill=#2E75B6");
    for (int k = 0; k < 2; k++) /* the third marker: March */
        mk = strstr(mk + 1, "4.00 4.00 fill=#2E75B6");
    while (mk > both && mk[-1] != '\n')
        mk--;
    assert_int_equal(sscanf(mk, "rect %lf %lf", &px, &py), 2);
    assert_true(base - 8 > py + 4);
    seen_release(&s);
}

static double gappy(size_t s, size_t i)
{
    (void)s;
    static const double v[] = {10, 20, NAN, 40, 50, NAN, 70};
    return v[i];
}

static double nothing(size_t s, size_t i)
{
    (void)s;
    (void)i;
    return NAN;
}

static double one_value(size_t s, size_t i)
{
    (void)s;
    (void)i;
    return 37.5;
}

static void line_should_leave_gaps_for_missing_values(void **state)
{
    (void)state;
    struct doc *doc = plain_doc(12);
    struct chart_block *g = line_of(doc, 7, 1, "Con vacíos", gappy, month);
    g->values = VALUES_ALL;
    add_fin(doc, 1);
    line_of(doc, 12, 1, "Sin ningún valor", nothing, month);
    add_fin(doc, 2);
    line_of(doc, 1, 1, "Un punto", one_value, month);
    add_fin(doc, 3);
    line_of(doc, 0, 1, "Sin filas", one_value, month);
    add_fin(doc, 4);
    struct seen s = {.keep = true};
    assert_int_equal(run(doc, &s), 2);
    assert_charts_in_their_boxes(&s);
    char *all = all_pages(&s);
    golden("lines_gaps.txt", all);
    /* 10-20, 40-50: two segments; 20 and 40 are not joined across the
     * missing March, nor 50 and 70 across June; 70 stands alone with its
     * marker. Every value has its label (all). */
    const char *gp = figure(all, 1);
    assert_int_equal(count(gp, "#A5A5A5 lw=1.50"), 2);
    assert_int_equal(count(gp, "4.00 4.00 fill=#A5A5A5"), 5);
    double slot = (555.31 - 80.69) / 7;
    for (const char *l = strstr(gp, "line "); l; l = strstr(l + 1, "line ")) {
        double x1, y1, x2, y2;
        assert_int_equal(sscanf(l, "line %lf %lf %lf %lf", &x1, &y1, &x2, &y2),
                         4);
        if (!strstr(l, "lw=1.50") || strstr(l, "lw=1.50") > strchr(l, '\n'))
            continue;
        assert_float_equal(x2 - x1, slot, 0.02); /* neighbours only */
        double mar = 80.69 + slot * 2.5, jun = 80.69 + slot * 5.5;
        assert_false(x1 < mar && x2 > mar);
        assert_false(x1 < jun && x2 > jun);
    }
    for (size_t i = 0; i < 5; i++) {
        static const char *const v[] = {"\"10,0 %\"", "\"20,0 %\"",
                                        "\"40,0 %\"", "\"50,0 %\"",
                                        "\"70,0 %\""};
        assert_int_equal(count(gp, v[i]), 1);
    }
    /* No value: the axis and "Sin datos", no line, no marker, no label. */
    const char *none = figure(all, 2);
    assert_non_null(strstr(none, "\"Sin datos\""));
    assert_int_equal(count(none, "lw=1.50"), 0);
    assert_int_equal(count(none, "4.00 4.00"), 0);
    assert_int_equal(count(none, " %\""), 0);
    /* One point: its marker in the middle of the plot and its value. */
    const char *pt = figure(all, 3);
    assert_int_equal(count(pt, "lw=1.50"), 0);
    assert_int_equal(count(pt, "4.00 4.00 fill=#A5A5A5"), 1);
    assert_non_null(strstr(pt, "\"37,5 %\""));
    /* No category: the axis and "Sin datos". */
    const char *empty = figure(all, 4);
    assert_non_null(strstr(empty, "\"Sin datos\""));
    assert_int_equal(count(empty, "lw=1.50"), 0);
    free(all);
    seen_release(&s);
}

static double wave(size_t s, size_t i)
{
    return 50 + 40 * sin((double)i / 9.0 + (double)s);
}

static const char *week(size_t i)
{
    return arena_printf(A, "sem. %zu", i + 1);
}

/* The category names: 8 pt runs below the plot whose text starts "sem.";
 * none may overlap the next. Returns how many there are. */
static size_t names_apart(const char *fig)
{
    size_t n = 0;
    double last_end = -1;
    for (const char *l = strstr(fig, "\"sem. "); l;
         l = strstr(l + 1, "\"sem. ")) {
        const char *line = l;
        while (line > fig && line[-1] != '\n')
            line--;
        double x, y, w;
        char face[4], color[8];
        double size;
        assert_int_equal(sscanf(line, "text %lf %lf %3s %lf %7s w=%lf", &x, &y,
                                face, &size, color, &w),
                         6);
        assert_true(x > last_end);
        last_end = x + w;
        n++;
    }
    return n;
}

static void line_should_stay_one_readable_drawing_for_many_points(void **state)
{
    (void)state;
    struct doc *doc = plain_doc(8);
    line_of(doc, 200, 2, "Doscientas semanas", wave, week);
    add_fin(doc, 1);
    line_of(doc, 5000, 1, "Cinco mil puntos", wave, week);
    add_fin(doc, 2);
    struct seen s = {.keep = true};
    unsigned pages = run(doc, &s);
    assert_true(pages <= 2);
    assert_charts_in_their_boxes(&s);
    char *all = all_pages(&s);
    golden("lines_many.txt", figure(all, 1));
    /* 200 points of two series: one drawing (no continuation), every
     * segment drawn, slots of 2.37 pt: no markers; the names of every
     * 13th week, apart from each other; the last value of each series. */
    const char *f1 = figure(all, 1);
    assert_int_equal(count(f1, "(continúa)"), 0);
    assert_int_equal(count(f1, "#A5A5A5 lw=1.50"), 199);
    assert_int_equal(count(f1, "#2E75B6 lw=1.50"), 199);
    assert_int_equal(count(f1, "4.00 4.00"), 0);
    size_t named = names_apart(f1);
    assert_true(named >= 10 && named <= 20);
    assert_non_null(strstr(f1, "\"sem. 1\""));
    assert_int_equal(count(f1, " %\""), 2);
    /* 5000 points: still one drawing, one segment between each two. */
    const char *f2 = figure(all, 2);
    assert_int_equal(count(f2, "(continúa)"), 0);
    assert_int_equal(count(f2, "#A5A5A5 lw=1.50"), 4999);
    named = names_apart(f2);
    assert_true(named >= 10 && named <= 20);
    free(all);
    seen_release(&s);
}

static double near_target(size_t s, size_t i)
{
    static const double v[][6] = {{60, 70, 78, 81, 79.5, 80.2},
                                  {50, 62, 71, 77, 80.6, NAN}};
    return v[s][i];
}

static void line_should_keep_labels_clear_of_the_target(void **state)
{
    (void)state;
    struct doc *doc = plain_doc(4);
    struct chart_block *c = line_of(doc, 6, 2, "Meta", near_target, month);
    c->values = VALUES_ALL;
    c->min = 0;
    c->max = 100;
    c->step = 20;
    c->target = 80;
    c->target_label = "Meta 80 %";
    add_fin(doc, 1);
    struct seen s = {.keep = true};
    assert_int_equal(run(doc, &s), 1);
    assert_charts_in_their_boxes(&s);
    golden("lines_target.txt", s.page[0]);
    const char *f = figure(s.page[0], 1);
    assert_non_null(strstr(f, "\"Meta 80 %\""));
    /* The red line at 80 % is broken around the labels it would cross,
     * and no label's box (down to the descent) meets it. */
    size_t red = count(f, "#C00000 lw=1.00");
    assert_true(red >= 2);
    struct box lab[32], seg[32];
    size_t nl = 0, ns = 0;
    for (const char *l = f; l && *l;) {
        const char *end = strchr(l, '\n');
        char one[512];
        size_t len = end ? (size_t)(end - l) : strlen(l);
        snprintf(one, sizeof one, "%.*s", (int)(len < 511 ? len : 511), l);
        struct box b;
        if (item_box(one, &b) && b.kind == 't' &&
            strcmp(b.color, "#000000") == 0 && strstr(one, " %\"") && nl < 32) {
            b.y1 += 2; /* the descent of "," */
            lab[nl++] = b;
        } else if (item_box(one, &b) && b.kind == 'l' &&
                   strcmp(b.color, "#C00000") == 0 && ns < 32) {
            b.y0 -= 0.5; /* the line's width */
            b.y1 += 0.5;
            seg[ns++] = b;
        }
        l = end ? end + 1 : NULL;
    }
    assert_int_equal(nl, 11);
    assert_int_equal(ns, red);
    for (size_t i = 0; i < nl; i++)
        for (size_t k = 0; k < ns; k++)
            assert_false(lab[i].x0 < seg[k].x1 && seg[k].x0 < lab[i].x1 &&
                         lab[i].y0 < seg[k].y1 && seg[k].y0 < lab[i].y1);
    seen_release(&s);
}

/* The boxes of figure f's value labels (black texts ending in " %") and
 * of its target label (the red text "Meta..."), each down to the descent
 * of its size. Returns the number of value labels. */
static size_t label_boxes_of(const char *f, struct box *lab, size_t max,
                             struct box *target)
{
    size_t nl = 0, nt = 0;
    for (const char *l = f; l && *l;) {
        const char *end = strchr(l, '\n');
        char one[512];
        size_t len = end ? (size_t)(end - l) : strlen(l);
        snprintf(one, sizeof one, "%.*s", (int)(len < 511 ? len : 511), l);
        struct box b;
        if (item_box(one, &b) && b.kind == 't') {
            if (strcmp(b.color, "#000000") == 0 && strstr(one, " %\"") &&
                nl < max) {
                b.y1 += 8 * 0.25;
                lab[nl++] = b;
            } else if (strcmp(b.color, "#C00000") == 0 &&
                       strstr(one, "\"Meta")) {
                b.y1 += 7 * 0.25;
                *target = b;
                nt++;
            }
        }
        l = end ? end + 1 : NULL;
    }
    assert_int_equal(nt, 1);
    return nl;
}

static bool boxes_meet(const struct box *p, const struct box *q)
{
    return p->x0 < q->x1 && q->x0 < p->x1 && p->y0 < q->y1 && q->y0 < p->y1;
}

/* A plan that ends at its target of 60 %, the execution just under it. */
static double at_the_target(size_t s, size_t i)
{
    static const double v[][6] = {{10, 20, 35, 50, 58, 60},
                                  {8.5, 17, 30.2, 45, 52, 59.5}};
    return v[s][i];
}

/* Values at the right end above and below the line and at the left end
 * (values: all), so that only the left below the line is free. */
static double crowded_target(size_t s, size_t i)
{
    static const double v[][6] = {{61, 40, 35, 50, 58, 61},
                                  {58.5, 17, 30.2, 45, 52, 58.5}};
    return v[s][i];
}

/* The target's label ("Meta 60 %") never covers a value label, the last
 * point's included: at the right end above the line when that is free,
 * else below it, else at the left end. */
static void line_should_keep_the_target_label_clear_of_values(void **state)
{
    (void)state;
    struct doc *doc = plain_doc(6);
    static const char *const captions[3] = {"Meta al final", "Una serie",
                                            "Todos los valores"};
    for (unsigned k = 0; k < 3; k++) {
        struct chart_block *c =
            line_of(doc, 6, k == 1 ? 1 : 2, captions[k],
                    k < 2 ? at_the_target : crowded_target, month);
        c->values = k < 2 ? VALUES_LAST : VALUES_ALL;
        c->min = 0;
        c->max = 100;
        c->step = 20;
        c->target = 60;
        c->target_label = "Meta 60 %";
        add_fin(doc, k + 1);
    }
    struct seen s = {.keep = true};
    assert_int_equal(run(doc, &s), 1);
    assert_charts_in_their_boxes(&s);
    golden("lines_target_label.txt", s.page[0]);
    /* where the label went: its left end, and whether it sits above the
     * red line: moved left of the last values, above the line; at the
     * right end below the line, the last value being above it; between
     * two values, above the line */
    static const size_t want_labels[3] = {2, 1, 12};
    static const double want_x[3] = {465.85, 521.85, 465.85};
    static const bool want_above[3] = {true, false, true};
    for (unsigned k = 0; k < 3; k++) {
        const char *f = figure(s.page[0], k + 1);
        struct box lab[16], t;
        size_t nl = label_boxes_of(f, lab, 16, &t);
        assert_int_equal(nl, want_labels[k]);
        for (size_t i = 0; i < nl; i++)
            if (boxes_meet(&lab[i], &t))
                fail_msg("figure %u: the target label meets value %zu", k + 1,
                         i);
        if (fabs(t.x0 - want_x[k]) > 0.01)
            fail_msg("figure %u: the target label starts at %.2f", k + 1, t.x0);
        /* the red line: the first segment from the plot's left end */
        const char *red_at = strstr(f, " #C00000 lw=1.00");
        assert_non_null(red_at);
        while (red_at > f && red_at[-1] != '\n')
            red_at--;
        double red;
        assert_int_equal(sscanf(red_at, "line 80.69 %lf", &red), 1);
        assert_int_equal(t.y1 <= red, want_above[k]);
        assert_int_equal(t.y0 >= red, !want_above[k]);
    }
    seen_release(&s);
}

static double signed_values(size_t s, size_t i)
{
    static const double v[][5] = {{-20, 10, -5, 30, 12},
                                  {-35, -10, 5, -15, -2}};
    return v[s][i];
}

static void line_should_draw_negative_values_around_zero(void **state)
{
    (void)state;
    struct doc *doc = plain_doc(4);
    struct chart_block *c =
        line_of(doc, 5, 2, "Variación", signed_values, month);
    c->values = VALUES_ALL;
    c->value_fmt = (struct numfmt){NF_NUMBER, 1, true, ""};
    add_fin(doc, 1);
    struct seen s = {.keep = true};
    assert_int_equal(run(doc, &s), 1);
    assert_charts_in_their_boxes(&s);
    golden("lines_negative.txt", s.page[0]);
    const char *f = figure(s.page[0], 1);
    /* The axis reaches below the lowest value (-35) with round ticks, and
     * the zero line is drawn in the axis colour. */
    assert_non_null(strstr(f, "\"-40\""));
    assert_non_null(strstr(f, "\"0\""));
    assert_true(count(f, "#404040 lw=0.50") >= 1);
    assert_int_equal(count(f, "#A5A5A5 lw=1.50"), 4);
    assert_int_equal(count(f, "#2E75B6 lw=1.50"), 4);
    assert_non_null(strstr(f, "\"-35,0\""));
    assert_non_null(strstr(f, "\"30,0\""));
    seen_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(line_should_draw_one_and_two_series),
        cmocka_unit_test(line_should_leave_gaps_for_missing_values),
        cmocka_unit_test(line_should_stay_one_readable_drawing_for_many_points),
        cmocka_unit_test(line_should_keep_labels_clear_of_the_target),
        cmocka_unit_test(line_should_keep_the_target_label_clear_of_values),
        cmocka_unit_test(line_should_draw_negative_values_around_zero),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
