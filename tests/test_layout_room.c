/* test_layout_room: layout at the edges: a table with no record, content
 * taller than any page, the page limit, a header wider than the page. Each
 * run must end (no loop), report a positioned error when it cannot place
 * something, and hand no page to the sink then. */
#include "fontutil.h"
#include "testutil.h"

#include "layout/layout.h"
#include "base/limits.h"

#include <stdio.h>
#include <stdlib.h>

static struct fontset fonts;
static struct arena *A;

struct seen {
    size_t n;
    struct buf dump;
};

static bool collect(void *ctx, const struct dl_page *p)
{
    struct seen *s = ctx;
    s->n++;
    dl_dump(p, &s->dump);
    return true;
}

static int setup(void **state)
{
    (void)state;
    struct diag d;
    diag_init(&d);
    bool ok = test_fonts_load(&fonts, &d);
    diag_release(&d);
    A = arena_new();
    return ok ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fontset_release(&fonts);
    arena_free(A);
    limits_reset();
    return 0;
}

static struct doc *new_doc(size_t cap)
{
    struct doc *doc = arena_alloc(A, sizeof *doc);
    doc_settings_default(&doc->set);
    doc->set.footer[1] = "Página {page} de {pages}";
    doc->blocks = arena_array(A, cap, sizeof *doc->blocks);
    return doc;
}

static struct block *add(struct doc *doc, enum block_kind kind)
{
    struct block *b = &doc->blocks[doc->nblocks++];
    b->kind = kind;
    b->file = "prueba.yaml";
    b->line = (unsigned)doc->nblocks + 10;
    b->col = 5;
    return b;
}

static void add_para(struct doc *doc, const char *text)
{
    struct paragraph_block *p = &add(doc, BLK_PARAGRAPH)->u.para;
    p->text.spans = arena_alloc(A, sizeof *p->text.spans);
    p->text.spans[0] = (struct span){text, strlen(text), 0};
    p->text.n = 1;
}

/* Two columns, n rows of kind k (ROW_TOTAL rows: "Total"). */
static struct table_block *add_table(struct doc *doc, size_t n, enum row_kind k,
                                     const char *title)
{
    struct table_block *t = &add(doc, BLK_TABLE)->u.table;
    t->ncols = 2;
    t->cols = arena_array(A, 2, sizeof *t->cols);
    t->cols[0] = (struct table_column){title, WIDTH_AUTO, 0, ALIGN_LEFT, 0};
    t->cols[1] =
        (struct table_column){"Avance", WIDTH_POINTS, 40, ALIGN_RIGHT, 0};
    t->nrows = n;
    t->rows = arena_array(A, n ? n : 1, sizeof *t->rows);
    for (size_t i = 0; i < n; i++) {
        struct table_cell *c = arena_array(A, 2, sizeof *c);
        c[0] =
            (struct table_cell){k == ROW_TOTAL ? "Total" : "fila", COLOR_NONE};
        c[1] = (struct table_cell){"", COLOR_NONE};
        t->rows[i] = (struct table_row){k, c, (unsigned)i + 2};
    }
    return t;
}

/* Lays doc out; returns layout_run's result, the sink's pages in s. */
static bool run(const struct doc *doc, struct seen *s, struct diag *d)
{
    buf_init(&s->dump);
    s->n = 0;
    struct page_sink sink = {collect, s};
    return layout_run(doc, &fonts, &sink, d, NULL);
}

static const char *first_error(struct diag *d)
{
    for (size_t i = 0; i < d->n; i++) {
        if (d->msgs[i].level != DIAG_ERROR)
            continue;
        char *s = diag_format(&d->msgs[i]);
        const char *r = arena_strdup(A, s);
        free(s);
        return r;
    }
    return "(sin error)";
}

static void layout_should_say_no_records_for_a_table_without_rows(void **state)
{
    (void)state;
    struct doc *doc = new_doc(3);
    add_table(doc, 0, ROW_BODY, "Actividad");
    add_table(doc, 1, ROW_TOTAL, "Actividad"); /* a total row alone */
    struct seen s;
    struct diag d;
    diag_init(&d);
    assert_true(run(doc, &s, &d));
    assert_int_equal(d.errors, 0);
    assert_int_equal(s.n, 1);
    /* The header, then the spanning row, in both tables; then Total. */
    const char *p = strstr(s.dump.data, "\"Sin registros.\"");
    assert_non_null(p);
    p = strstr(p + 1, "\"Sin registros.\"");
    assert_non_null(p);
    assert_non_null(strstr(p, "\"Total\""));
    buf_release(&s.dump);
    diag_release(&d);
}

static void
layout_should_refuse_a_table_whose_header_fills_the_page(void **state)
{
    (void)state;
    struct doc *doc = new_doc(2);
    /* 72 pt of text area either way: the header title wraps over more
     * lines than the page holds. */
    doc->set.margin_top = doc->set.margin_bottom = 360;
    doc->set.margin_left = doc->set.margin_right = 270;
    add_table(doc, 3, ROW_BODY,
              "Un título de columna larguísimo que ocupa muchas líneas y "
              "más líneas todavía en una columna estrecha");
    struct seen s;
    struct diag d;
    diag_init(&d);
    assert_false(run(doc, &s, &d));
    assert_int_equal(d.errors, 1);
    assert_int_equal(s.n, 0);
    const char *e = first_error(&d);
    assert_non_null(strstr(e, "prueba.yaml:11:5: error: este bloque necesita"));
    assert_non_null(strstr(e, "y el área de texto de la página mide 72.0 pt "
                              "(página de 792.0 pt, márgenes superior e "
                              "inferior de 720.0 pt): no cabe en ninguna "
                              "página"));
    buf_release(&s.dump);
    diag_release(&d);
}

static void layout_should_refuse_a_table_wider_than_the_page(void **state)
{
    (void)state;
    struct doc *doc = new_doc(1);
    struct table_block *t = add_table(doc, 1, ROW_BODY, "A");
    t->cols[1].width = 2000;
    struct seen s;
    struct diag d;
    diag_init(&d);
    assert_false(run(doc, &s, &d));
    assert_int_equal(s.n, 0);
    assert_string_equal(first_error(&d),
                        "prueba.yaml:11:5: error: la tabla tiene 2 columnas "
                        "y mide al menos 2024.0 pt de ancho: no cabe en la "
                        "página (555.3 pt desde el margen izquierdo); quite "
                        "columnas o reduzca sus anchos");
    buf_release(&s.dump);
    diag_release(&d);
}

static void layout_should_stop_at_the_page_limit(void **state)
{
    (void)state;
    const char *why;
    assert_true(limits_set("pages=2", &why));
    struct doc *doc = new_doc(8);
    for (int i = 0; i < 4; i++) {
        add_para(doc, "Una página.");
        add(doc, BLK_PAGE_BREAK);
    }
    struct seen s;
    struct diag d;
    diag_init(&d);
    assert_false(run(doc, &s, &d));
    assert_int_equal(s.n, 0);
    assert_string_equal(first_error(&d),
                        "prueba.yaml:14:5: error: el informe supera el límite "
                        "de 2 páginas (límite 'pages'; súbalo con --limit "
                        "pages=8)");
    limits_reset();
    buf_release(&s.dump);
    diag_release(&d);
}

static void layout_should_cut_a_header_wider_than_the_page(void **state)
{
    (void)state;
    struct doc *doc = new_doc(1);
    char *wide = arena_alloc(A, 5001);
    memset(wide, 'x', 5000);
    doc->set.header[0] = wide;
    add_para(doc, "Texto.");
    struct seen s;
    struct diag d;
    diag_init(&d);
    assert_true(run(doc, &s, &d));
    /* "text X Y R 8.00 #404040 w=W "xxx…"": the run ends in an ellipsis
     * and stays within the text area (56.69 + 498.61). */
    const char *t = strstr(s.dump.data, "text 56.69 36.85 R 8.00 #404040 w=");
    assert_non_null(t);
    double w = strtod(t + strlen("text 56.69 36.85 R 8.00 #404040 w="), NULL);
    assert_true(w > 400 && w <= 498.62);
    assert_non_null(strstr(t, "x\xE2\x80\xA6\""));
    buf_release(&s.dump);
    diag_release(&d);
}

#define T(name) cmocka_unit_test(name)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(layout_should_say_no_records_for_a_table_without_rows),
        T(layout_should_refuse_a_table_whose_header_fills_the_page),
        T(layout_should_refuse_a_table_wider_than_the_page),
        T(layout_should_stop_at_the_page_limit),
        T(layout_should_cut_a_header_wider_than_the_page),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
