/* test_layout: docs built in C, laid out with the real fonts, checked
 * through the display-list dump: tables over pages, split rows, keep with
 * next, table of contents, page X of Y, charts, bounded memory. */
#include "layoutfix.h"
#include "layoututil.h"
#include "testutil.h"

#include "layout/layout.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static struct doc *new_doc(size_t cap)
{
    struct doc *doc = arena_alloc(A, sizeof *doc);
    doc_settings_default(&doc->set);
    doc->set.header[0] = "Entidad de prueba";
    doc->set.header[2] = "Informe de gestión — 2018-T1";
    doc->set.footer[1] = "Página {page} de {pages}";
    doc->blocks = arena_array(A, cap, sizeof *doc->blocks);
    return doc;
}

static void add_heading(struct doc *doc, unsigned level, const char *number,
                        const char *text, bool new_page)
{
    struct heading_block *h = &add(doc, BLK_HEADING)->u.heading;
    h->level = level;
    h->number = number;
    h->text = text;
    h->new_page = new_page;
    h->in_toc = true;
}

static void add_para(struct doc *doc, const char *text)
{
    struct paragraph_block *p = &add(doc, BLK_PARAGRAPH)->u.para;
    p->text.spans = arena_alloc(A, sizeof *p->text.spans);
    p->text.spans[0] = (struct span){text, strlen(text), 0};
    p->text.n = 1;
}

/* A table of three columns (#, Actividad, Avance) with n rows; text of
 * row i is made by cell(i). */
static struct table_block *add_table(struct doc *doc, size_t n,
                                     const char *(*cell)(size_t))
{
    struct table_block *t = &add(doc, BLK_TABLE)->u.table;
    t->ncols = 3;
    t->cols = arena_array(A, 3, sizeof *t->cols);
    t->cols[0] = (struct table_column){"#", WIDTH_POINTS, 32, ALIGN_RIGHT, 0};
    t->cols[1] =
        (struct table_column){"Actividad", WIDTH_AUTO, 0, ALIGN_LEFT, 0};
    t->cols[2] =
        (struct table_column){"Avance", WIDTH_POINTS, 40, ALIGN_RIGHT, 0};
    t->nrows = n;
    t->rows = arena_array(A, n, sizeof *t->rows);
    for (size_t i = 0; i < n; i++) {
        struct table_cell *c = arena_array(A, 3, sizeof *c);
        c[0] = (struct table_cell){arena_printf(A, "%zu", i + 1), COLOR_NONE};
        c[1] = (struct table_cell){cell(i), COLOR_NONE};
        c[2] = (struct table_cell){"85,3 %", i % 2 ? 0xB7E1CD : 0xF4C7C3};
        t->rows[i] = (struct table_row){ROW_BODY, c, (unsigned)i + 2};
    }
    return t;
}

static const char *short_cell(size_t i)
{
    return arena_printf(A, "fila %zu", i + 1);
}

static void layout_should_repeat_the_table_header_on_every_page(void **state)
{
    (void)state;
    struct doc *doc = new_doc(4);
    add_heading(doc, 1, "1.", "Plan de acción", true);
    add_table(doc, 120, short_cell);
    struct seen s = {.keep = true};
    assert_int_equal(run(doc, &s), 3);
    golden("table_pages.txt", s.page[1]);
    /* Page 1: header row at 56.69 + 17 + 8; 15 pt rows down to 735.31. */
    assert_non_null(strstr(s.page[0], "rect 56.69 81.69 32.00 15.00 "
                                      "fill=#1F4E79 stroke=#808080 lw=0.50"));
    assert_non_null(strstr(s.page[1], "rect 56.69 56.69 32.00 15.00 "
                                      "fill=#1F4E79 stroke=#808080 lw=0.50"));
    assert_non_null(strstr(s.page[2], "rect 56.69 56.69 32.00 15.00 "
                                      "fill=#1F4E79"));
    size_t rows[3];
    for (int i = 0; i < 3; i++) {
        assert_int_equal(count(s.page[i], "B 9.00 #FFFFFF w=40.51 "
                                          "\"Actividad\""),
                         1);
        rows[i] = count(s.page[i], "\"fila ");
    }
    assert_int_equal(rows[0], 42); /* (735.31 - 96.69) / 15 */
    assert_int_equal(rows[1], 44); /* (735.31 - 71.69) / 15 */
    assert_int_equal(rows[2], 34);
    /* The first row of page 2 is row 43, right under the header. */
    assert_non_null(strstr(s.page[1], "text 91.69 82.69 R 9.00 #000000 "
                                      "w=24.02 \"fila 43\""));
    seen_release(&s);
}

static const char *tall_cell(size_t i)
{
    if (i != 1)
        return arena_printf(A, "fila %zu", i + 1);
    struct buf b;
    buf_init(&b);
    for (int k = 1; k <= 80; k++)
        buf_printf(&b, "línea %d\n", k);
    char *s = arena_strdup(A, b.data);
    buf_release(&b);
    return s;
}

static void layout_should_split_a_row_taller_than_a_page(void **state)
{
    (void)state;
    struct doc *doc = new_doc(4);
    add_table(doc, 3, tall_cell);
    struct seen s = {.keep = true};
    assert_int_equal(run(doc, &s), 2);
    /* Row 2 starts under row 1 on page 1 and goes on under the repeated
     * header of page 2, with the mark where it was cut. */
    assert_int_equal(count(s.page[0], "\"(continúa)\""), 1);
    assert_int_equal(count(s.page[1], "\"(continúa)\""), 0);
    assert_int_equal(count(s.page[1], "\"Actividad\""), 1);
    assert_non_null(strstr(s.page[0], "\"línea 1\""));
    /* 678.61 pt under 15 + 15 pt: (735.31 - 86.69 - 4) / 11 = 58 lines,
     * 57 of text and the mark. */
    assert_non_null(strstr(s.page[0], "\"línea 57\""));
    assert_null(strstr(s.page[0], "\"línea 58\""));
    const char *l58 = strstr(s.page[1], "\"línea 58\"");
    assert_non_null(l58);
    assert_non_null(strstr(s.page[1], "text 91.69 82.69 R 9.00 #000000 w="));
    assert_true(strstr(s.page[1], "text 91.69 82.69 R 9.00 #000000 w=") < l58);
    assert_non_null(strstr(s.page[1], "\"fila 3\""));
    seen_release(&s);
}

static void layout_should_move_a_heading_with_its_first_line(void **state)
{
    (void)state;
    struct doc *doc = new_doc(80);
    /* 59 paragraphs of one line (11 + 8 pt) leave 678.61 - 59 * 19 + 8 =
     * -434: too many; 35 lines fill 657 pt and leave 21.61 pt, room for
     * a level-2 heading (12 + 14) but not for it and a line after it. */
    for (int i = 0; i < 35; i++)
        add_para(doc, "Un párrafo de una línea.");
    add_heading(doc, 2, "1.1.", "Subtítulo", false);
    add_para(doc, "El texto que sigue al subtítulo.");
    struct seen s = {.keep = true};
    assert_int_equal(run(doc, &s), 2);
    assert_null(strstr(s.page[0], "Subtítulo"));
    assert_non_null(strstr(s.page[1], "text 56.69 67.69 B 11.00 #1F4E79 "));
    assert_non_null(strstr(s.page[1], "mark 2 56.69 \"1.1. Subtítulo\""));
    assert_non_null(strstr(s.page[1], "text 56.69 85.69 R 9.00 #000000"));
    seen_release(&s);
}

static void
layout_should_number_the_toc_with_the_pages_of_headings(void **state)
{
    (void)state;
    struct doc *doc = new_doc(16);
    struct toc_block *t = &add(doc, BLK_TOC)->u.toc;
    t->title = "Contenido";
    t->max_level = 2;
    add_heading(doc, 1, "1.", "Resultados FURAG", true);
    add_para(doc, "Texto.");
    add_heading(doc, 1, "2.", "Plan de acción ambiental", true);
    add_table(doc, 60, short_cell);
    add_heading(doc, 2, "2.1.", "Avance por programa", false);
    add_para(doc, "Texto.");
    add_heading(doc, 1, "3.", "Seguimiento a compromisos", true);
    struct seen s = {.keep = true};
    assert_int_equal(run(doc, &s), 5);
    const char *names[] = {
        "\"1. Resultados FURAG\"", "\"2. Plan de acción ambiental\"",
        "\"2.1. Avance por programa\"", "\"3. Seguimiento a compromisos\""};
    for (int i = 0; i < 4; i++) {
        /* The page whose dump holds the heading's bookmark. */
        unsigned page = 0;
        for (size_t p = 0; p < s.n; p++) {
            const char *m = strstr(s.page[p], "mark ");
            if (m && strstr(m, names[i]))
                page = (unsigned)p + 1;
        }
        assert_true(page > 1);
        /* The TOC line: its text, then the number right-aligned. */
        const char *line = strstr(s.page[0], names[i]);
        assert_non_null(line);
        const char *num = strstr(line, "R 9.00 #000000 w=");
        assert_non_null(num);
        const char *q = strchr(num, '"');
        assert_int_equal(strtoul(q + 1, NULL, 10), page);
        char link[32];
        snprintf(link, sizeof link, "-> %u ", page);
        assert_non_null(strstr(line, link));
    }
    assert_non_null(strstr(s.page[0], "\"2.1. Avance por programa\""));
    seen_release(&s);
}

static void layout_should_write_page_x_of_y_in_the_footer(void **state)
{
    (void)state;
    struct doc *doc = new_doc(4);
    add_table(doc, 100, short_cell);
    struct seen s = {.keep = true};
    assert_int_equal(run(doc, &s), 3);
    for (int i = 0; i < 3; i++) {
        char want[64];
        snprintf(want, sizeof want,
                 "757.98 R 8.00 #404040 w=49.38 "
                 "\"Página %d de 3\"",
                 i + 1);
        assert_non_null(strstr(s.page[i], want));
        assert_non_null(strstr(s.page[i], "text 56.69 36.85 R 8.00 #404040"
                                          " w="));
        assert_non_null(strstr(s.page[i], "line 56.69 42.52 555.31 42.52 "
                                          "#808080 lw=0.50"));
    }
    seen_release(&s);
}

static void layout_should_keep_page_memory_bounded_for_long_tables(void **state)
{
    (void)state;
    struct doc *doc = new_doc(4);
    add_table(doc, 20000, short_cell);
    struct seen s = {.keep = false};
    unsigned pages = run(doc, &s);
    assert_int_equal(pages, 455); /* 44 rows a page, 45 on the first */
    /* One page holds 45 rows of 3 cells: rect + text each, plus header,
     * footer and header row; with the structure, a TR around each row and
     * a TD around each text (a begin and an end each). Memory per page
     * stays that of one page. */
    assert_true(s.max_items <= 45 * 6 + 6 + 4);
    assert_true(s.max_all <= 45 * (2 + 3 * 4) + 6 + 4 * 4);
    assert_true(s.max_arena < 192 * 1024);
    /* The same as for a table of three pages: nothing grows with rows. */
    struct doc *small = new_doc(4);
    add_table(small, 120, short_cell);
    struct seen s2 = {.keep = false};
    assert_int_equal(run(small, &s2), 3);
    assert_int_equal(s.max_items, s2.max_items);
    assert_int_equal(s.max_all, s2.max_all);
    assert_true(s.max_arena <= s2.max_arena + 1024); /* longer numbers */
    seen_release(&s);
}

/* What a sink sees of the item storage: the arrays pages keep their
 * items in, and the most arena any page used. */
struct stores {
    const struct dl_item *array[8];
    size_t narray, pages, max_arena, max_items;
    bool lent; /* every page had a lent store holding its items */
};

static bool note_store(void *ctx, const struct dl_page *p)
{
    struct stores *st = ctx;
    st->pages++;
    st->lent = st->lent && p->store && p->items == p->store->items &&
               p->cap == p->store->cap;
    if (p->n > st->max_items)
        st->max_items = p->n;
    if (arena_used(p->arena) > st->max_arena)
        st->max_arena = arena_used(p->arena);
    bool known = false;
    for (size_t i = 0; i < st->narray; i++)
        known = known || st->array[i] == p->items;
    if (!known && st->narray < 8)
        st->array[st->narray++] = p->items;
    return true;
}

static void layout_should_lend_one_item_array_to_every_page(void **state)
{
    (void)state;
    struct doc *doc = new_doc(4);
    add_table(doc, 20000, short_cell);
    struct stores st = {.lent = true};
    struct page_sink sink = {note_store, &st};
    struct diag d;
    diag_init(&d);
    unsigned pages = 0;
    assert_true(layout_run(doc, &fonts, &sink, &d, &pages));
    diag_release(&d);
    assert_int_equal(pages, 455);
    assert_int_equal(st.pages, 455);
    assert_true(st.lent);
    /* A page of 45 rows holds about 590 items: the array grows from 256
     * to 512 and 1,024 on the first page, then serves the 454 others. */
    assert_true(st.max_items > 512 && st.max_items <= 1024);
    assert_int_equal(st.narray, 1);
    /* The arena keeps only the page's strings, not its items. */
    assert_true(st.max_arena < st.max_items * sizeof(struct dl_item));
}

static void layout_should_lay_out_the_reference_cover(void **state)
{
    (void)state;
    struct doc *doc = new_doc(4);
    struct cover_block *c = &add(doc, BLK_COVER)->u.cover;
    c->title = "Informe de Gestión y Desempeño Institucional";
    c->subtitle = "Entidad de prueba";
    static const char *lines[] = {"Periodo: 2018-T1 (enero a marzo)",
                                  "31 de marzo de 2018"};
    c->lines = lines;
    c->nlines = 2;
    add_para(doc, "Después de la portada.");
    struct seen s = {.keep = true};
    assert_int_equal(run(doc, &s), 2);
    golden("cover.txt", s.page[0]);
    /* Title 200 pt below the text area's top, first baseline 1 em lower. */
    assert_non_null(strstr(s.page[0], "text 63.34 278.69 B 22.00 #1F4E79 "));
    assert_non_null(strstr(s.page[0], " 352.69 R 11.00 #000000 w=103.96 "
                                      "\"31 de marzo de 2018\""));
    assert_non_null(strstr(s.page[1], "text 56.69 65.69 R 9.00"));
    seen_release(&s);
}

static struct chart_block *add_chart(struct doc *doc, size_t nseries,
                                     const char *caption)
{
    static const char *cats[] = {"Uso eficiente del agua",
                                 "Uso eficiente de la energía",
                                 "Gestión integral de residuos"};
    static double v1[] = {84.4, 62.5, 91.0}, v2[] = {70.0, 55.5, 80.25};
    struct chart_block *c = &add(doc, BLK_CHART)->u.chart;
    c->caption = caption;
    c->categories = cats;
    c->ncat = 3;
    c->nseries = nseries;
    c->series = arena_array(A, nseries, sizeof *c->series);
    c->series[0] = (struct chart_series){"Anterior", 0xA5A5A5, v1, NULL};
    if (nseries > 1)
        c->series[1] = (struct chart_series){"Actual", 0x2E75B6, v2, NULL};
    c->min = c->max = c->step = c->target = NAN;
    c->value_fmt = (struct numfmt){NF_NUMBER, 1, true, ""};
    c->value_labels = true;
    c->legend = nseries > 1;
    return c;
}

static void layout_should_draw_every_kind_of_bar_chart(void **state)
{
    (void)state;
    struct doc *doc = new_doc(8);
    add_chart(doc, 1, "Vertical con etiquetas");
    struct chart_block *h = add_chart(doc, 1, "Horizontal");
    h->orient = CHART_HORIZONTAL;
    h->min = 0;
    h->max = 100;
    h->step = 20;
    struct chart_block *g = add_chart(doc, 2, "Agrupado con meta");
    g->target = 80;
    g->target_label = "Meta 80";
    struct chart_block *st = add_chart(doc, 2, "Apilado");
    st->stacked = true;
    struct chart_block *n = add_chart(doc, 2, "Numerado");
    n->numbered_labels = true;
    n->height = 200;
    struct seen s = {.keep = true};
    assert_int_equal(run(doc, &s), 2);
    struct buf all;
    buf_init(&all);
    for (size_t i = 0; i < s.n; i++)
        buf_adds(&all, s.page[i]);
    golden("charts.txt", all.data);
    /* Numbered automatically; round ticks 0, 20 ... 100 by themselves. */
    assert_non_null(strstr(all.data, "\"Figura 1. Vertical con etiquetas\""));
    assert_non_null(strstr(all.data, "\"Figura 5. Numerado\""));
    assert_non_null(strstr(all.data, "\"100\""));
    /* Stacked: 84,4 + 70 = 154,4 needs ticks up to 200 (step 50). */
    assert_non_null(strstr(all.data, "\"200\""));
    assert_non_null(strstr(all.data, "\"154,4\""));
    /* Horizontal: the 190 pt category column, labels right at 184. */
    assert_non_null(strstr(all.data, "line 246.69 "));
    /* Target line and its label; the numbered key below Figure 5. */
    assert_non_null(strstr(all.data, "#C00000 w=25.29 \"Meta 80\""));
    assert_non_null(strstr(all.data, "\"1. Uso eficiente del agua\""));
    assert_non_null(strstr(all.data, "\"3. Gestión integral de residuos\""));
    /* Legend swatches for two series. */
    assert_non_null(strstr(all.data, "8.00 8.00 fill=#2E75B6 stroke=none"));
    buf_release(&all);
    seen_release(&s);
}

/* ------------------------------------------------ charts at the extremes */

/* A doc without header or footer: every item must lie in the text area. */
static struct doc *bare_doc(size_t cap)
{
    struct doc *doc = new_doc(cap);
    doc->set.header[0] = doc->set.header[2] = NULL;
    doc->set.footer[1] = NULL;
    return doc;
}

static const char *const three_cats[] = {"Agua", "Energía", "Residuos"};

/* A chart of n categories (names made by name(i), or three_cats) and
 * nseries series whose values are val(s, i). */
static struct chart_block *chart_of(struct doc *doc, size_t n, size_t nseries,
                                    const char *caption,
                                    double (*val)(size_t, size_t),
                                    const char *(*name)(size_t))
{
    struct chart_block *c = &add(doc, BLK_CHART)->u.chart;
    c->caption = caption;
    const char **cats = arena_array(A, n ? n : 1, sizeof *cats);
    for (size_t i = 0; i < n; i++)
        cats[i] = name ? name(i) : three_cats[i % 3];
    c->categories = cats;
    c->ncat = n;
    c->nseries = nseries;
    c->series = arena_array(A, nseries ? nseries : 1, sizeof *c->series);
    static const uint32_t colors[] = {0x2E75B6, 0xA5A5A5, 0x1F4E79};
    for (size_t s = 0; s < nseries; s++) {
        double *v = arena_array(A, n ? n : 1, sizeof *v);
        for (size_t i = 0; i < n; i++)
            v[i] = val(s, i);
        c->series[s] = (struct chart_series){
            arena_printf(A, "Serie %zu", s + 1), colors[s % 3], v, NULL};
    }
    c->min = c->max = c->step = c->target = NAN;
    c->value_fmt = (struct numfmt){NF_AUTO, -1, true, ""};
    c->value_labels = true;
    c->legend = nseries > 1;
    return c;
}

static void add_end(struct doc *doc, size_t i)
{
    add_para(doc, arena_printf(A, "FIN %zu", i));
}

static double beyond_axis(size_t s, size_t i)
{
    static const double v[][3] = {{150, -40, 1e6}, {50, -1e300, 80}};
    return v[s][i];
}

static void layout_should_clip_bars_at_a_fixed_axis(void **state)
{
    (void)state;
    struct doc *doc = bare_doc(8);
    struct chart_block *v = chart_of(doc, 3, 1, "Vertical", beyond_axis, NULL);
    v->min = 0;
    v->max = 100;
    v->target = 120;
    v->target_label = "Meta";
    add_end(doc, 1);
    struct chart_block *h =
        chart_of(doc, 3, 2, "Horizontal", beyond_axis, NULL);
    h->orient = CHART_HORIZONTAL;
    h->min = -30;
    h->max = 100;
    h->step = 20;
    add_end(doc, 2);
    struct seen s = {.keep = true};
    assert_int_equal(run(doc, &s), 1);
    assert_charts_in_their_boxes(&s);
    const char *pg = s.page[0];
    golden("charts_clipped.txt", pg);
    /* Vertical plot 83.69..211.69 (ticks 0 at 211.69, 100 at 83.69): the
     * bars of 150 and 1.000.000 end at the top, broken by two white
     * strokes each; -40 (below the fixed minimum) gets a chevron. */
    assert_non_null(strstr(pg, "rect 139.80 83.69 40.00 128.00 "));
    assert_non_null(strstr(pg, "rect 456.20 83.69 40.00 128.00 "));
    assert_non_null(strstr(pg, "line 179.80 86.19 139.80 89.19 #FFFFFF"));
    assert_non_null(strstr(pg, "\"150\""));
    assert_non_null(strstr(pg, "\"1.000.000\""));
    assert_non_null(strstr(pg, "\"-40\""));
    /* Horizontal, axis -30..100: 150 and 1.000.000 broken at the right
     * end, -40 and -1e300 at the left end; labels with their real
     * values. */
    assert_non_null(strstr(pg, "\"-1E+300\""));
    assert_int_equal(count(pg, "#FFFFFF lw=1.50"), 2 * 2 + 4 * 2);
    assert_int_equal(count(pg, "#404040 lw=1.00"), 2); /* the chevron */
    /* The target beyond the axis: no line, its label at the top. */
    assert_int_equal(count(pg, "#C00000 lw=1.00"), 0);
    assert_non_null(strstr(pg, "\"Meta (120, fuera del eje)\""));
    seen_release(&s);
}

static double mixed(size_t s, size_t i)
{
    static const double v[][3] = {
        {50, 150, -40}, {-20, 30, -60}, {30, -10, -25}};
    return v[s][i];
}

static void layout_should_hang_negative_bars_from_zero(void **state)
{
    (void)state;
    struct doc *doc = bare_doc(16);
    const char *names[] = {"Vertical apilado", "Horizontal apilado",
                           "Vertical agrupado", "Horizontal agrupado"};
    for (int k = 0; k < 4; k++) {
        struct chart_block *c = chart_of(doc, 3, 3, names[k], mixed, NULL);
        c->stacked = k < 2;
        c->orient = k % 2 ? CHART_HORIZONTAL : CHART_VERTICAL;
        c->target = -50;
        c->target_label = "Piso";
        add_end(doc, (size_t)k);
    }
    struct seen s = {.keep = true};
    assert_int_equal(run(doc, &s), 2);
    assert_charts_in_their_boxes(&s);
    struct buf all;
    buf_init(&all);
    for (size_t i = 0; i < s.n; i++)
        buf_adds(&all, s.page[i]);
    golden("charts_negative.txt", all.data);
    const char *st = s.page[0];
    /* Stacked, automatic axis -200..200 step 100 (round es-CO ticks, the
     * zero line in the axis colour at 141.69, 0.29 pt a unit): Agua's 50
     * and 30 pile up from zero, its -20 hangs below it; each pile
     * labelled with its sum (80 above, -20 below); Residuos piles -40 -60
     * -25 = -125 down. */
    assert_non_null(strstr(st, "\"-200\""));
    assert_non_null(strstr(st, "line 80.69 141.69 555.31 141.69 #404040"));
    assert_non_null(strstr(st, "rect 139.80 127.19 40.00 14.50 fill=#2E75B6"));
    assert_non_null(strstr(st, "rect 139.80 141.69 40.00 5.80 fill=#A5A5A5"));
    assert_non_null(strstr(st, "rect 139.80 118.49 40.00 8.70 fill=#1F4E79"));
    assert_non_null(strstr(st, "\"80\""));
    assert_non_null(strstr(st, "\"-20\""));
    assert_non_null(strstr(st, "\"-125\""));
    /* The floor target at -50 drawn across the plot, broken around the
     * labels "-20" and "-125" that sit on it. */
    assert_non_null(strstr(st, "line 80.69 156.19 152.51 156.19 #C00000"));
    assert_non_null(strstr(st, "line 325.28 156.19 555.31 156.19 #C00000"));
    buf_release(&all);
    seen_release(&s);
}

static const char *program(size_t i)
{
    return arena_printf(A, "Programa número %zu del plan", i + 1);
}

static double wave(size_t s, size_t i)
{
    return (double)((i * 37 + s * 11) % 200) - 50;
}

static void layout_should_split_charts_of_many_categories(void **state)
{
    (void)state;
    struct doc *doc = bare_doc(16);
    chart_of(doc, 500, 1, "Quinientas verticales", wave, program);
    add_end(doc, 1);
    struct chart_block *h =
        chart_of(doc, 500, 2, "Quinientas horizontales", wave, program);
    h->orient = CHART_HORIZONTAL;
    add_end(doc, 2);
    struct chart_block *n =
        chart_of(doc, 500, 1, "Quinientas numeradas", wave, program);
    n->numbered_labels = true;
    add_end(doc, 3);
    struct chart_block *f = chart_of(doc, 500, 1, "Alto fijo", wave, program);
    f->orient = CHART_HORIZONTAL;
    f->height = 90;
    add_end(doc, 4);
    struct seen s = {.keep = true};
    unsigned pages = run(doc, &s);
    assert_charts_in_their_boxes(&s);
    struct buf all;
    buf_init(&all);
    for (size_t i = 0; i < s.n; i++)
        buf_adds(&all, s.page[i]);
    /* Every category drawn once, in pieces that continue the figure. */
    assert_int_equal(count(all.data, "\"Figura 1. Quinientas verticales"),
                     count(all.data, "\"Figura 1. Quinientas verticales "
                                     "(continúa)\"") +
                         1);
    assert_true(count(all.data, "(continúa)\"") > 20);
    assert_int_equal(count(all.data, "\"500. Programa número 500 del plan\""),
                     1);
    assert_int_equal(count(all.data, "\"1. Programa número 1 del plan\""), 1);
    /* Horizontal rows keep their pitch: 20 pt for one series... two
     * series: 8 + 1 + 8 + 8 = 25 pt. */
    assert_true(pages > 20 && pages < 60);
    assert_int_equal(count(all.data, "\"Programa número 500 del plan\""), 2);
    buf_release(&all);
    seen_release(&s);
}

static const char *huge_word(size_t i)
{
    static char *w;
    if (!w) {
        w = arena_alloc(A, 100001);
        memset(w, 'A', 100000);
        w[100000] = '\0';
    }
    return i == 1 ? "Corto" : w;
}

static double forty(size_t s, size_t i)
{
    (void)s;
    return 40 + 10 * (double)i;
}

static void layout_should_bound_the_height_of_labels(void **state)
{
    (void)state;
    struct doc *doc = bare_doc(16);
    chart_of(doc, 3, 1, "Nombres", forty, huge_word);
    add_end(doc, 1);
    struct chart_block *n = chart_of(doc, 3, 1, "Numerado", forty, huge_word);
    n->numbered_labels = true;
    add_end(doc, 2);
    struct chart_block *h = chart_of(doc, 3, 1, "Horizontal", forty, huge_word);
    h->orient = CHART_HORIZONTAL;
    add_end(doc, 3);
    /* A legend of 30 series of long names, and a caption of a long word. */
    struct chart_block *l = chart_of(doc, 3, 30, "Leyenda", forty, NULL);
    for (size_t i = 0; i < 30; i++)
        l->series[i].label = i % 2 ? huge_word(0) : "Vigencia anterior";
    l->caption = huge_word(0);
    add_end(doc, 4);
    struct seen s = {.keep = true};
    assert_int_equal(run(doc, &s), 2);
    size_t items = assert_charts_in_their_boxes(&s);
    assert_true(items < 400);
    struct buf all;
    buf_init(&all);
    for (size_t i = 0; i < s.n; i++)
        buf_adds(&all, s.page[i]);
    golden("charts_labels.txt", all.data);
    /* Three lines at most, the last cut with an ellipsis: in the slot, in
     * the key and in the label column; the legend ends in "y N más". */
    assert_true(count(all.data, "…\"") >= 6);
    assert_non_null(strstr(all.data, "\"1.\""));
    assert_non_null(strstr(all.data, "más\""));
    assert_non_null(strstr(all.data, "\"Corto\""));
    buf_release(&all);
    seen_release(&s);
}

static double extreme(size_t s, size_t i)
{
    static const double v[][4] = {
        {1e300, 0, 1e299, DBL_MAX},
        {-1e300, 0, -2e299, -DBL_MAX},
        {1e-300, 0, 4.9406564584124654e-324, 0},
        {5, 5, 5, 5},
        {NAN, NAN, NAN, NAN},
        {-4.9406564584124654e-324, 0, 0, 0},
    };
    return v[s][i];
}

static void layout_should_draw_extreme_values_on_the_page(void **state)
{
    (void)state;
    struct doc *doc = bare_doc(48);
    for (size_t k = 0; k < 2; k++) {
        const char *what[] = {"Enormes", "Diminutos", "Iguales", "Vacíos",
                              "Denormal"};
        size_t series[] = {0, 2, 3, 4, 5};
        for (size_t m = 0; m < 5; m++) {
            struct chart_block *c = chart_of(doc, 4, 1, what[m], extreme, NULL);
            c->series[0].values[0] = extreme(series[m], 0);
            for (size_t i = 0; i < 4; i++)
                c->series[0].values[i] = extreme(series[m], i);
            c->orient = k ? CHART_HORIZONTAL : CHART_VERTICAL;
            add_end(doc, m);
        }
        /* Both signs beyond ±1e300, stacked: piles of ±DBL_MAX. */
        struct chart_block *st = chart_of(doc, 4, 2, "Apilado", extreme, NULL);
        st->stacked = true;
        st->orient = k ? CHART_HORIZONTAL : CHART_VERTICAL;
        add_end(doc, 6);
        /* No category at all, and one. */
        chart_of(doc, 0, 1, "Sin filas", extreme, NULL)->orient =
            k ? CHART_HORIZONTAL : CHART_VERTICAL;
        add_end(doc, 7);
        chart_of(doc, 1, 1, "Una fila", extreme, NULL)->orient =
            k ? CHART_HORIZONTAL : CHART_VERTICAL;
        add_end(doc, 8);
        /* A height taller than the page is held to the page. */
        struct chart_block *tall = chart_of(doc, 2, 1, "Alto", forty, NULL);
        tall->height = 2000;
        tall->orient = k ? CHART_HORIZONTAL : CHART_VERTICAL;
        add_end(doc, 9);
    }
    struct seen s = {.keep = true};
    run(doc, &s);
    assert_charts_in_their_boxes(&s);
    struct buf all;
    buf_init(&all);
    for (size_t i = 0; i < s.n; i++)
        buf_adds(&all, s.page[i]);
    /* es-CO scientific ticks and labels; "Sin datos" where nothing is. */
    assert_non_null(strstr(all.data, "\"1,79769313486232E+308\""));
    assert_non_null(strstr(all.data, "\"-1E+300\""));
    assert_non_null(strstr(all.data, "\"2E-301\""));
    assert_int_equal(count(all.data, "\"Sin datos\""), 4);
    assert_null(strstr(all.data, "e+"));
    buf_release(&all);
    seen_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(layout_should_repeat_the_table_header_on_every_page),
        cmocka_unit_test(layout_should_split_a_row_taller_than_a_page),
        cmocka_unit_test(layout_should_move_a_heading_with_its_first_line),
        cmocka_unit_test(
            layout_should_number_the_toc_with_the_pages_of_headings),
        cmocka_unit_test(layout_should_write_page_x_of_y_in_the_footer),
        cmocka_unit_test(
            layout_should_keep_page_memory_bounded_for_long_tables),
        cmocka_unit_test(layout_should_lend_one_item_array_to_every_page),
        cmocka_unit_test(layout_should_lay_out_the_reference_cover),
        cmocka_unit_test(layout_should_draw_every_kind_of_bar_chart),
        cmocka_unit_test(layout_should_clip_bars_at_a_fixed_axis),
        cmocka_unit_test(layout_should_hang_negative_bars_from_zero),
        cmocka_unit_test(layout_should_split_charts_of_many_categories),
        cmocka_unit_test(layout_should_bound_the_height_of_labels),
        cmocka_unit_test(layout_should_draw_extreme_values_on_the_page),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
