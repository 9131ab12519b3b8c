/* test_alt: charts described in words for screen readers (eval/alt.h):
 * the exact es-CO text for grouped, single, stacked and empty charts,
 * series labels sharing a word, missing values, targets with and without
 * a value in their label, long names, and the bound beyond which only
 * the count and the extremes are given. */
#include "testutil.h"

#include "eval/alt.h"

#include <math.h>
#include <stdio.h>

static struct arena *A;

static int setup(void **state)
{
    (void)state;
    A = arena_new();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(A);
    return 0;
}

/* A chart of n categories named by cats and nseries series of values
 * vals[s * n + k], formatted as fmt with decimals. */
static struct chart_block chart(const char *caption, const char **cats,
                                size_t n, const char **labels, size_t nseries,
                                const double *vals, enum numfmt_kind fmt,
                                int decimals)
{
    struct chart_block c;
    memset(&c, 0, sizeof c);
    c.caption = caption;
    c.categories = cats;
    c.ncat = n;
    c.nseries = nseries;
    c.series = arena_array(A, nseries ? nseries : 1, sizeof *c.series);
    for (size_t s = 0; s < nseries; s++) {
        c.series[s].label = labels[s];
        c.series[s].values = arena_array(A, n ? n : 1, sizeof(double));
        for (size_t k = 0; k < n; k++)
            c.series[s].values[k] = vals[s * n + k];
    }
    c.value_fmt = (struct numfmt){fmt, decimals, true, NULL};
    c.min = c.max = c.step = c.target = NAN;
    return c;
}

static void grouped_chart_should_list_categories_with_both_values(void **state)
{
    (void)state;
    const char *cats[] = {"D1 Talento Humano",
                          "D2 Direccionamiento Estratégico"};
    const char *labels[] = {"Vigencia anterior", "Vigencia actual"};
    const double v[] = {63.2, 70.4, 70.2, 64.5};
    struct chart_block c = chart("Puntaje por dimensión de MIPG", cats, 2,
                                 labels, 2, v, NF_NUMBER, 1);
    c.target = 80;
    c.target_label = "Meta 80";
    assert_string_equal(alt_chart(A, &c),
                        "Puntaje por dimensión de MIPG, vigencia anterior y "
                        "actual: D1 Talento Humano 63,2 y 70,2; D2 "
                        "Direccionamiento Estratégico 70,4 y 64,5; meta 80");
}

static void series_without_a_shared_word_should_be_listed_whole(void **state)
{
    (void)state;
    const char *cats[] = {"Norte"};
    const char *labels[] = {"Meta", "Logro", "IDI"};
    const double v[] = {10, 8, 2.5};
    struct chart_block c =
        chart("Resultados", cats, 1, labels, 3, v, NF_NUMBER, -1);
    assert_string_equal(alt_chart(A, &c),
                        "Resultados, meta, logro y IDI: Norte 10, 8 y 2,5");
}

static void single_series_should_use_the_caption_and_format(void **state)
{
    (void)state;
    const char *cats[] = {"Agua", "Energía"};
    const char *labels[] = {"Avance ponderado"};
    const double v[] = {65.3, NAN};
    struct chart_block c = chart("Avance ponderado por programa", cats, 2,
                                 labels, 1, v, NF_PERCENT, 1);
    c.target = 80;
    c.target_label = "Meta";
    assert_string_equal(alt_chart(A, &c),
                        "Avance ponderado por programa: Agua 65,3 %; "
                        "Energía sin dato; meta 80,0 %");
    /* Without a caption the series names the chart; a target without a
     * label is "meta" and its value. */
    c.caption = NULL;
    c.target_label = NULL;
    assert_string_equal(alt_chart(A, &c),
                        "Avance ponderado: Agua 65,3 %; Energía sin dato; "
                        "meta 80,0 %");
}

static void stacked_chart_should_give_each_total(void **state)
{
    (void)state;
    const char *cats[] = {"Enero", "Febrero"};
    const char *labels[] = {"Cumplidos", "Vencidos"};
    const double v[] = {3, 4, 1, NAN};
    struct chart_block c = chart(NULL, cats, 2, labels, 2, v, NF_INTEGER, 0);
    c.stacked = true;
    assert_string_equal(alt_chart(A, &c),
                        "Gráfico de barras, cumplidos y vencidos: Enero 3 y "
                        "1, total 4; Febrero 4 y sin dato, total 4");
}

static void empty_chart_should_say_so(void **state)
{
    (void)state;
    const char *labels[] = {"Avance"};
    struct chart_block c =
        chart("Avance", NULL, 0, labels, 1, NULL, NF_NUMBER, 1);
    assert_string_equal(alt_chart(A, &c), "Avance: sin datos");
}

static void many_categories_should_give_count_and_extremes(void **state)
{
    (void)state;
    enum { N = ALT_MAX_CATEGORIES + 5 };
    const char *cats[N];
    double v[2 * N];
    for (size_t k = 0; k < N; k++) {
        cats[k] = arena_printf(A, "Política %zu", k + 1);
        v[k] = 50;                 /* the first series is not the one read */
        v[N + k] = 60 + (double)k; /* the last: 60 .. 76 */
    }
    v[N + 3] = 92.1;
    v[N + 7] = 45;
    v[N + 9] = NAN;
    const char *labels[] = {"Vigencia anterior", "Vigencia actual"};
    struct chart_block c =
        chart("Puntaje por política", cats, N, labels, 2, v, NF_NUMBER, 1);
    assert_string_equal(alt_chart(A, &c),
                        "Puntaje por política, vigencia anterior y actual: "
                        "17 categorías; en vigencia actual, el valor más "
                        "alto es 92,1 (Política 4) y el más bajo 45,0 "
                        "(Política 8)");
    /* No value at all: only the count. */
    for (size_t k = 0; k < N; k++)
        c.series[1].values[k] = NAN;
    assert_string_equal(alt_chart(A, &c),
                        "Puntaje por política, vigencia anterior y actual: "
                        "17 categorías, sin datos");
}

static void long_text_should_stay_bounded(void **state)
{
    (void)state;
    /* Names of 200 bytes are cut at 80 on a character boundary (here
     * before the "ñ" at bytes 79-80); twelve categories of three series
     * still pass ALT_MAX_BYTES, and give way to the extremes. */
    char name[201];
    memset(name, 'a', 200);
    memcpy(name + 79, "ñ", 2);
    name[200] = '\0';
    enum { N = ALT_MAX_CATEGORIES };
    const char *cats[N];
    double v[3 * N];
    for (size_t k = 0; k < N; k++) {
        cats[k] = name;
        for (size_t s = 0; s < 3; s++)
            v[s * N + k] = 1000000.0 * (double)(s + 1) + (double)k;
    }
    const char *labels[] = {"Meta", "Logro", "Avance"};
    struct chart_block c = chart("Largo", cats, N, labels, 3, v, NF_INTEGER, 0);
    const char *alt = alt_chart(A, &c);
    assert_true(strlen(alt) < ALT_MAX_BYTES);
    char want[512];
    snprintf(want, sizeof want,
             "Largo, meta, logro y avance: 12 categorías; en avance, el "
             "valor más alto es 3.000.011 (%.79s…) y el más bajo 3.000.000 "
             "(%.79s…)",
             name, name);
    assert_string_equal(alt, want);
    /* Fewer of them fit: listed, each cut. */
    c.ncat = 1;
    snprintf(want, sizeof want,
             "Largo, meta, logro y avance: %.79s… 1.000.000, 2.000.000 y "
             "3.000.000",
             name);
    assert_string_equal(alt_chart(A, &c), want);
}

static void line_chart_should_give_span_last_values_and_ranges(void **state)
{
    (void)state;
    const char *cats[] = {"ene. 2018", "feb. 2018", "mar. 2018", "abr. 2018"};
    const char *labels[] = {"Programado", "Ejecutado"};
    const double v[] = {4, 9, 15, 23, 2.6, 6.1, 10.8, NAN};
    struct chart_block c = chart("Avance acumulado del plan", cats, 4, labels,
                                 2, v, NF_PERCENT, 1);
    c.kind = CHART_LINE;
    c.target = 20;
    assert_string_equal(alt_chart(A, &c),
                        "Avance acumulado del plan, programado y ejecutado: "
                        "de ene. 2018 a abr. 2018; programado 23,0 % en abr. "
                        "2018, entre 4,0 % y 23,0 %; ejecutado 10,8 % en mar. "
                        "2018, entre 2,6 % y 10,8 %; meta 20,0 %");
    /* One series under its caption needs no name; one value no range; a
     * series without values says so; no caption: "Gráfico de líneas". */
    const double one[] = {NAN, NAN, 50, NAN, NAN, NAN, NAN, NAN};
    c = chart(NULL, cats, 4, labels, 2, one, NF_NUMBER, -1);
    c.kind = CHART_LINE;
    assert_string_equal(alt_chart(A, &c),
                        "Gráfico de líneas, programado y ejecutado: de ene. "
                        "2018 a abr. 2018; programado 50 en mar. 2018; "
                        "ejecutado sin datos");
    c = chart("Avance", cats, 4, labels, 1, v, NF_NUMBER, -1);
    c.kind = CHART_LINE;
    assert_string_equal(alt_chart(A, &c), "Avance: de ene. 2018 a abr. 2018; "
                                          "23 en abr. 2018, entre 4 y 23");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(grouped_chart_should_list_categories_with_both_values),
        T(series_without_a_shared_word_should_be_listed_whole),
        T(single_series_should_use_the_caption_and_format),
        T(stacked_chart_should_give_each_total),
        T(empty_chart_should_say_so),
        T(many_categories_should_give_count_and_extremes),
        T(long_text_should_stay_bounded),
        T(line_chart_should_give_span_last_values_and_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
