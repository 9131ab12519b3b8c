/* test_structure: the logical structure layout puts in the display list
 * (doc/dlist.h) for tagged PDF: sections and headings without skipped
 * levels, paragraphs, lists, tables with header cells, a header repeated
 * on a new page and cell backgrounds as artifacts, the cells of a split
 * row reopened, figures with their descriptions, the table of contents
 * with links; then the tree the PDF writer builds from it, read back with
 * poppler (pdfinfo -struct-text), qpdf and tests/tagtree.py, tagged,
 * untagged and encrypted, over two pages, with a parent tree of several
 * leaves and a body of more rows than PDF/A-1 allows in one array, and
 * its XMP metadata. */
#include "fontutil.h"
#include "testutil.h"

#include "base/buf.h"
#include "layout/layout.h"
#include "pdf/pdfout.h"
#include "pdf/xmp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Rows of the long table: more than a TBody holds (8,191). */
#define TAG_ROWS 8200

static struct fontset fonts;
static struct arena *A;
static char dir[] = "/tmp/informe-structure-XXXXXX";

static const char *const role_name[] = {
    [DL_ROLE_RESUME] = "Resume",
    [DL_ROLE_SECT] = "Sect",
    [DL_ROLE_H] = "H",
    [DL_ROLE_P] = "P",
    [DL_ROLE_L] = "L",
    [DL_ROLE_LI] = "LI",
    [DL_ROLE_LBL] = "Lbl",
    [DL_ROLE_LBODY] = "LBody",
    [DL_ROLE_TABLE] = "Table",
    [DL_ROLE_THEAD] = "THead",
    [DL_ROLE_TBODY] = "TBody",
    [DL_ROLE_TR] = "TR",
    [DL_ROLE_TH] = "TH",
    [DL_ROLE_TD] = "TD",
    [DL_ROLE_CAPTION] = "Caption",
    [DL_ROLE_FIGURE] = "Figure",
    [DL_ROLE_TOC] = "TOC",
    [DL_ROLE_TOCI] = "TOCI",
    [DL_ROLE_LINK] = "Link",
};

/* The structure of every page in one line: an element is its role (with
 * its argument, a resumption with the element's number) and what it
 * holds in parentheses; "t" a text run of content, "r" a rectangle or a
 * line, "i" an image, "k" a link; "|" a new page. Artifacts are left out
 * and counted by kind. SHOW_TAGS=1 prints what a test saw. */
struct seen {
    struct buf tags;
    size_t art[5];
    size_t text_art[5]; /* text runs per artifact kind */
    struct buf alt;     /* figure descriptions, one a line */
    unsigned pages;
};

static bool collect(void *ctx, const struct dl_page *p)
{
    struct seen *s = ctx;
    if (getenv("SHOW_TAGS"))
        fprintf(stderr, "page %u\n", p->number);
    if (s->pages++)
        buf_addc(&s->tags, '|');
    for (size_t i = 0; i < p->n; i++) {
        const struct dl_item *it = &p->items[i];
        if (it->kind == DL_BEGIN) {
            buf_adds(&s->tags, role_name[it->role]);
            if (it->role == DL_ROLE_RESUME)
                buf_printf(&s->tags, "%u", it->elem);
            else if (it->arg)
                buf_printf(&s->tags, "%u", (unsigned)it->arg);
            buf_addc(&s->tags, '(');
            if (it->role == DL_ROLE_FIGURE)
                buf_printf(&s->alt, "%.*s\n", (int)it->len, it->text);
        } else if (it->kind == DL_END) {
            buf_addc(&s->tags, ')');
        } else if (it->art) {
            s->art[it->art]++;
            s->text_art[it->art] += it->kind == DL_TEXT;
        } else {
            buf_addc(&s->tags, it->kind == DL_TEXT    ? 't'
                               : it->kind == DL_IMAGE ? 'i'
                               : it->kind == DL_LINK  ? 'k'
                                                      : 'r');
        }
    }
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
    return ok && mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fontset_release(&fonts);
    arena_free(A);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static struct doc *new_doc(size_t cap)
{
    struct doc *doc = arena_alloc(A, sizeof *doc);
    doc_settings_default(&doc->set);
    doc->set.title = "Informe de prueba";
    doc->set.header[0] = "Entidad de prueba";
    doc->set.footer[1] = "Página {page} de {pages}";
    doc->blocks = arena_array(A, cap, sizeof *doc->blocks);
    return doc;
}

static struct block *add(struct doc *doc, enum block_kind kind)
{
    struct block *b = &doc->blocks[doc->nblocks++];
    b->kind = kind;
    b->file = "prueba.yaml";
    b->line = (unsigned)doc->nblocks;
    b->col = 3;
    return b;
}

static void add_heading(struct doc *doc, unsigned level, const char *text)
{
    struct heading_block *h = &add(doc, BLK_HEADING)->u.heading;
    h->level = level;
    h->text = text;
    h->in_toc = true;
}

static struct rich rich(const char *text)
{
    struct rich r = {arena_alloc(A, sizeof(struct span)), 1};
    r.spans[0] = (struct span){text, strlen(text), 0};
    return r;
}

static void add_para(struct doc *doc, const char *text)
{
    add(doc, BLK_PARAGRAPH)->u.para.text = rich(text);
}

/* A table of two columns and n rows of cell(i) in the second. */
static void add_table(struct doc *doc, size_t n, const char *(*cell)(size_t),
                      const char *caption)
{
    struct table_block *t = &add(doc, BLK_TABLE)->u.table;
    t->ncols = 2;
    t->cols = arena_array(A, 2, sizeof *t->cols);
    t->cols[0] = (struct table_column){"#", WIDTH_POINTS, 32, ALIGN_RIGHT, 0};
    t->cols[1] =
        (struct table_column){"Actividad", WIDTH_AUTO, 0, ALIGN_LEFT, 0};
    t->caption = caption;
    t->nrows = n;
    t->rows = arena_array(A, n, sizeof *t->rows);
    for (size_t i = 0; i < n; i++) {
        struct table_cell *c = arena_array(A, 2, sizeof *c);
        c[0] = (struct table_cell){arena_printf(A, "%zu", i + 1), COLOR_NONE};
        c[1] = (struct table_cell){cell(i), COLOR_NONE};
        t->rows[i] = (struct table_row){ROW_BODY, c, (unsigned)i + 2};
    }
}

static const char *short_cell(size_t i)
{
    return arena_printf(A, "fila %zu", i + 1);
}

/* Row 2 is 80 lines high: taller than a page. */
static const char *tall_cell(size_t i)
{
    if (i != 1)
        return short_cell(i);
    struct buf b;
    buf_init(&b);
    for (int k = 1; k <= 80; k++)
        buf_printf(&b, "%slínea %d", k > 1 ? "\n" : "", k);
    char *s = arena_strdup(A, b.data);
    buf_release(&b);
    return s;
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static unsigned run(const struct doc *doc, struct seen *s)
{
    struct diag d;
    diag_init(&d);
    buf_init(&s->tags);
    buf_init(&s->alt);
    struct page_sink sink = {collect, s};
    unsigned pages = 0;
    assert_true(layout_run(doc, &fonts, &sink, &d, &pages));
    assert_int_equal(d.errors, 0);
    diag_release(&d);
    if (getenv("SHOW_TAGS"))
        fprintf(stderr, "%s\n", s->tags.data);
    return pages;
}

static void seen_release(struct seen *s)
{
    buf_release(&s->tags);
    buf_release(&s->alt);
}

static void headings_should_open_sections_without_skipping_levels(void **state)
{
    (void)state;
    struct doc *doc = new_doc(8);
    struct cover_block *c = &add(doc, BLK_COVER)->u.cover;
    c->title = "Informe";
    c->subtitle = "Comité";
    add(doc, BLK_TOC)->u.toc = (struct toc_block){"Contenido", 3};
    add_heading(doc, 1, "Compromisos");
    add_para(doc, "Texto.");
    add_heading(doc, 3, "Detalle"); /* skips level 2: tagged H2 */
    add_heading(doc, 1, "Conclusiones");
    struct list_block *l = &add(doc, BLK_LIST)->u.list;
    l->items = arena_array(A, 2, sizeof *l->items);
    l->items[0] = rich("Uno.");
    l->items[1] = rich("Dos.");
    l->n = 2;
    struct seen s = {0};
    assert_int_equal(run(doc, &s), 2);
    assert_string_equal(
        s.tags.data, "H1(t)P(t)|"
                     "H1(t)TOC(TOCI(Link(ttk))TOCI(Link(ttk))TOCI(Link(ttk)))"
                     "Sect(H1(t)P(t)Sect(H2(t)))"
                     "Sect(H1(t)L(LI(Lbl(t)LBody(t))LI(Lbl(t)LBody(t))))");
    /* Header and footer texts (and the header's rule) on both pages,
     * artifacts; so are the TOC's dot leaders. */
    assert_int_equal(s.text_art[DL_ART_HEADER], 2);
    assert_int_equal(s.art[DL_ART_HEADER], 4);
    assert_int_equal(s.text_art[DL_ART_FOOTER], 2);
    assert_int_equal(s.art[DL_ART_LAYOUT], 3);
    seen_release(&s);
}

static void tables_should_have_header_cells_and_artifact_boxes(void **state)
{
    (void)state;
    struct doc *doc = new_doc(2);
    add_table(doc, 60, short_cell, "Compromisos");
    struct seen s = {0};
    assert_int_equal(run(doc, &s), 2);
    /* The page breaks between two rows, inside TBody. */
    char *brk = strchr(s.tags.data, '|');
    assert_non_null(brk);
    assert_true(strncmp(brk - 2, "))|TR(", 6) == 0);
    memmove(brk, brk + 1, strlen(brk));
    struct buf want;
    buf_init(&want);
    buf_adds(&want, "Table(Caption(t)THead(TR(TH(t)TH(t)))TBody(");
    for (int i = 0; i < 60; i++)
        buf_adds(&want, "TR(TD(t)TD(t))");
    buf_adds(&want, "))");
    assert_string_equal(s.tags.data, want.data);
    buf_release(&want);
    /* The header row's text repeated on page 2 is a pagination artifact;
     * every cell's box is decoration, the repeated header's too. */
    assert_int_equal(s.art[DL_ART_PAGINATION], 2);
    assert_int_equal(s.text_art[DL_ART_PAGINATION], 2);
    assert_int_equal(s.art[DL_ART_LAYOUT], 2 * 62);
    assert_int_equal(s.text_art[DL_ART_LAYOUT], 0);
    seen_release(&s);
}

static void a_split_row_should_reopen_its_cells(void **state)
{
    (void)state;
    struct doc *doc = new_doc(2);
    add_table(doc, 3, tall_cell, NULL);
    struct seen s = {0};
    assert_int_equal(run(doc, &s), 2);
    /* Elements are numbered in order: Table 1, THead 2, TR 3, TH 4 and 5,
     * TBody 6, row 1 7-9, row 2 10-12: its cells 11 (whose one line is
     * on page 1) and 12 go on on page 2, under the header repeated as an
     * artifact, and its row ends there. */
    const char *t = s.tags.data;
    const char *page2 = strchr(t, '|');
    assert_non_null(page2);
    assert_true(strncmp(t,
                        "Table(THead(TR(TH(t)TH(t)))TBody(TR(TD(t)TD(t))"
                        "TR(TD(t)TD(ttt",
                        59) == 0);
    assert_true(strncmp(page2 - 3, "tt)|Resume11()Resume12(tt", 25) == 0);
    assert_non_null(strstr(page2, "tt))TR(TD(t)TD(t))))"));
    /* The repeated header, and the continuation mark on page 1. */
    assert_int_equal(s.text_art[DL_ART_PAGINATION], 2);
    assert_int_equal(s.text_art[DL_ART_LAYOUT], 1);
    seen_release(&s);
}

static void figures_should_carry_their_description(void **state)
{
    (void)state;
    struct doc *doc = new_doc(4);
    struct chart_block *c = &add(doc, BLK_CHART)->u.chart;
    static const char *cats[] = {"Norte", "Sur"};
    static double vals[] = {40, 60};
    static struct chart_series ser = {"Avance", 0x2E75B6, vals, NULL};
    c->categories = cats;
    c->ncat = 2;
    c->series = &ser;
    c->nseries = 1;
    c->caption = "Avance por región";
    c->alt = "Avance por región: Norte 40; Sur 60";
    c->min = c->max = c->step = c->target = NAN;
    c->value_labels = true;
    /* Uncaptioned, undescribed: "Gráfico de barras". */
    struct chart_block *c2 = &add(doc, BLK_CHART)->u.chart;
    *c2 = *c;
    c2->caption = NULL;
    c2->alt = NULL;
    struct image_block *im = &add(doc, BLK_IMAGE)->u.image;
    im->path = TEST_ROOT "/templates/logo.png";
    im->alt = "Escudo de la entidad";
    struct image_block *deco = &add(doc, BLK_IMAGE)->u.image;
    *deco = *im;
    deco->alt = NULL;
    struct seen s = {0};
    run(doc, &s);
    assert_string_equal(s.alt.data, "Figura 1. Avance por región: Norte 40; "
                                    "Sur 60\n"
                                    "Gráfico de barras\n"
                                    "Escudo de la entidad\n");
    /* A caption only where there is one; the zero line and the two bars
     * in the figure, its gridlines artifacts. */
    assert_true(strncmp(s.tags.data, "Figure(Caption(t)rt", 19) == 0);
    const char *end = strchr(s.tags.data + 18, ')');
    size_t drawn = 0;
    for (const char *p = s.tags.data + 17; p < end; p++)
        drawn += *p == 'r';
    assert_int_equal(drawn, 3);
    assert_int_equal(count_of(s.tags.data, "Caption("), 1);
    assert_int_equal(count_of(s.tags.data, "Figure(r"), 1);
    /* The image without a description is decoration, outside any
     * element: one image left in the structure. */
    assert_int_equal(count_of(s.tags.data, "(i)"), 1);
    assert_non_null(strstr(s.tags.data, "Figure(i)"));
    assert_true(s.art[DL_ART_LAYOUT] > 1 + 2);
    seen_release(&s);
}

/* ---- the PDF ------------------------------------------------------------- */

static char *path_in(const char *name)
{
    return arena_printf(A, "%s/%s", dir, name);
}

static char *output(const char *cmd)
{
    return test_run(A, cmd, NULL);
}

static void save(const struct doc *doc, const char *path)
{
    struct diag d;
    diag_init(&d);
    struct pdfout *w = pdfout_open(&doc->set, &fonts, &d);
    assert_non_null(w);
    struct page_sink sink = {pdfout_page, w};
    assert_true(layout_run(doc, &fonts, &sink, &d, NULL));
    assert_true(pdfout_save(w, path));
    assert_int_equal(d.errors, 0);
    diag_release(&d);
}

static struct doc *small_doc(void)
{
    struct doc *doc = new_doc(4);
    add_heading(doc, 1, "Compromisos");
    add_para(doc, "El comité tiene 12 compromisos registrados.");
    add_table(doc, 1, short_cell, "Estado");
    return doc;
}

static void pdf_should_hold_the_tree_readers_see(void **state)
{
    (void)state;
    char *pdf = path_in("tagged.pdf");
    save(small_doc(), pdf);
    char *cmd = arena_printf(A, "pdfinfo -struct-text '%s' 2>&1", pdf);
    assert_string_equal(output(cmd), "Document\n"
                                     "  Sect\n"
                                     "    H1 (block)\n"
                                     "      \"Compromisos\"\n"
                                     "    P (block)\n"
                                     "      \"El comité tiene 12 compromisos "
                                     "registrados.\"\n"
                                     "    Table (block)\n"
                                     "      Caption\n"
                                     "        \"Tabla 1. Estado\"\n"
                                     "      THead\n"
                                     "        TR\n"
                                     "          TH:\n"
                                     "             /Scope /Column\n"
                                     "            \"#\"\n"
                                     "          TH:\n"
                                     "             /Scope /Column\n"
                                     "            \"Actividad\"\n"
                                     "      TBody\n"
                                     "        TR\n"
                                     "          TD\n"
                                     "            \"1\"\n"
                                     "          TD\n"
                                     "            \"fila 1\"\n");
    cmd = arena_printf(A,
                       "pdfinfo '%s' | grep -E '^(Tagged|Metadata Stream|"
                       "PDF version):'",
                       pdf);
    assert_string_equal(output(cmd), "Metadata Stream: yes\n"
                                     "Tagged:          yes\n"
                                     "PDF version:     1.7\n");
    /* The 14 elements and the parent tree sit in an object stream that a
     * cross-reference stream lists (a hybrid-reference file). */
    cmd = arena_printf(A,
                       "qpdf --check '%s' | grep -c 'No syntax'; qpdf "
                       "--show-xref '%s' | grep -c 'compressed; stream'",
                       pdf, pdf);
    assert_string_equal(output(cmd), "1\n15\n");
    /* The page's text as extraction reads it: content, then footer. */
    cmd = arena_printf(A, "pdftotext -raw '%s' - | head -3", pdf);
    assert_string_equal(output(cmd), "Compromisos\n"
                                     "El comité tiene 12 compromisos "
                                     "registrados.\n"
                                     "Tabla 1. Estado\n");
}

static void no_tags_should_leave_content_unmarked(void **state)
{
    (void)state;
    struct doc *doc = small_doc();
    doc->set.untagged = true;
    char *pdf = path_in("untagged.pdf");
    save(doc, pdf);
    char *cmd = arena_printf(A,
                             "pdfinfo '%s' | grep '^Tagged:'; qpdf --qdf "
                             "--object-streams=disable '%s' - | grep -ac "
                             "'BDC\\|StructTreeRoot\\|MarkInfo'",
                             pdf, pdf);
    assert_string_equal(output(cmd), "Tagged:          no\n0\n");
}

static void encrypted_pdf_should_keep_a_readable_description(void **state)
{
    (void)state;
    struct doc *doc = new_doc(2);
    doc->set.owner_password = "clave";
    struct image_block *im = &add(doc, BLK_IMAGE)->u.image;
    im->path = TEST_ROOT "/templates/logo.png";
    im->alt = "Escudo (sello) de la entidad";
    char *pdf = path_in("encrypted.pdf");
    save(doc, pdf);
    /* Encrypted as written, plain once qpdf decrypts it; no object
     * streams (an encrypted document's elements are plain objects). */
    char *cmd =
        arena_printf(A,
                     "grep -ac 'Escudo' '%s'; qpdf --decrypt --qdf '%s' - "
                     "| grep -a '/Alt'",
                     pdf, pdf);
    assert_string_equal(output(cmd),
                        "0\n  /Alt (Escudo \\(sello\\) de la entidad)\n");
    cmd = arena_printf(
        A, "qpdf --show-xref '%s' | grep -c '^[0-9/]*: compressed'", pdf);
    assert_string_equal(output(cmd), "0\n");
}

/* tests/tagtree.py's line about pdf: its elements, MCIDs, leaves of the
 * parent tree and longest array, once the tree and the parent tree are
 * found to agree ("FAIL" and the disagreements otherwise). */
static char *tagtree(const char *pdf)
{
    return output(arena_printf(A,
                               "/usr/bin/python3 %s/tests/tagtree.py '%s' "
                               "| sed 's|^.*/||'",
                               TEST_ROOT, pdf));
}

static void a_table_over_two_pages_should_keep_one_tree(void **state)
{
    (void)state;
    struct doc *doc = new_doc(2);
    add_table(doc, 3, tall_cell, "Alta");
    char *pdf = path_in("two-pages.pdf");
    save(doc, pdf);
    char *cmd = arena_printf(A, "pdfinfo '%s' | grep '^Pages:'", pdf);
    assert_string_equal(output(cmd), "Pages:           2\n");
    /* One body of three rows; the tall cell's lines on page 2 are marked
     * content the cell reaches through MCR dictionaries (its /Pg is
     * page 1), and the parent tree maps both pages' identifiers back. */
    cmd = arena_printf(A,
                       "pdfinfo -struct-text '%s' | grep -c '^      TR'; "
                       "pdfinfo -struct-text '%s' | grep -c '^    TBody'",
                       pdf, pdf);
    assert_string_equal(output(cmd), "4\n1\n");
    cmd = arena_printf(A,
                       "qpdf --qdf --object-streams=disable '%s' - | "
                       "grep -ac '/Type /MCR'",
                       pdf);
    assert_string_equal(output(cmd), "1\n");
    assert_string_equal(tagtree(pdf),
                        "two-pages.pdf: 17 elements, 10 MCIDs, 1 leaves, "
                        "longest array 7\n"
                        "tagtree: 1 consistent, 0 failed\n");
}

/* The Limits of every leaf of pdf's parent tree, one a line. */
static char *limits(const char *pdf)
{
    return output(arena_printf(A,
                               "qpdf --qdf --object-streams=disable '%s' - "
                               "| tr '\\n' ' ' | tr -s ' ' | grep -ao "
                               "'/Limits \\[ [0-9]* [0-9]* \\]' | "
                               "sed 's|/Limits \\[ ||; s| \\]||'",
                               pdf));
}

static const char *row_cell(size_t i)
{
    return arena_printf(A, "actividad %zu", i + 1);
}

static void a_parent_tree_should_split_into_leaves(void **state)
{
    (void)state;
    struct doc *doc = new_doc(2);
    add_table(doc, 700, row_cell, "Larga");
    char *pdf = path_in("leaves.pdf");
    save(doc, pdf);
    /* 700 rows of 2 cells, about 100 identifiers a page: a leaf ends at
     * the page that takes it to 1,024 references, so the 17 pages'
     * keys fall in two leaves, the root's /Kids. */
    char *cmd = arena_printf(A, "pdfinfo '%s' | grep '^Pages:'", pdf);
    assert_string_equal(output(cmd), "Pages:           16\n");
    assert_string_equal(limits(pdf), "0 11\n12 15\n");
    assert_string_equal(tagtree(pdf),
                        "leaves.pdf: 2108 elements, 1403 MCIDs, 2 leaves, "
                        "longest array 700\n"
                        "tagtree: 1 consistent, 0 failed\n");
}

static void a_long_table_should_split_its_body_for_pdfa(void **state)
{
    (void)state;
    struct doc *doc = new_doc(2);
    doc->set.pdfa = true;
    add_table(doc, TAG_ROWS, short_cell, "Muy larga");
    char *pdf = path_in("long.pdf");
    save(doc, pdf);
    /* 8,200 rows: a TBody of 8,191 and one of 9, plain objects (PDF/A-1
     * reads no object streams); no array over 8,191 entries. */
    char *cmd = arena_printf(A,
                             "qpdf --qdf --object-streams=disable '%s' - | "
                             "grep -ac '/S /TBody'; qpdf --show-xref '%s' | "
                             "grep -c ': compressed'",
                             pdf, pdf);
    assert_string_equal(output(cmd), "2\n0\n");
    /* 1 + 1 + 1 + 1 + 1 + 2 header elements, 2 TBody, 8,200 TR and
     * 16,400 TD; the caption's, the header's and the cells' MCIDs. */
    assert_string_equal(tagtree(pdf),
                        "long.pdf: 24609 elements, 16403 MCIDs, 16 leaves, "
                        "longest array 8191\n"
                        "tagtree: 1 consistent, 0 failed\n");
}

static void xmp_should_escape_texts_and_identify_pdf_ua(void **state)
{
    (void)state;
    struct xmp_fields f = {
        .title = "Gestión <2018> & \"más\"",
        .author = "Oficina\x01 de Planeación",
        .keywords = "",
        .creator = "informe",
        .producer = "Haru Free PDF Library 2.3.0",
        .lang = "es-CO",
        .created = 1522540800,
        .ua = true,
    };
    struct buf b;
    buf_init(&b);
    xmp_write(&b, &f);
    assert_non_null(strstr(b.data, "<dc:title><rdf:Alt><rdf:li "
                                   "xml:lang=\"x-default\">Gestión "
                                   "&lt;2018&gt; &amp; &quot;más&quot;"
                                   "</rdf:li></rdf:Alt></dc:title>\n"));
    /* A control character XML does not allow is left out. */
    assert_non_null(strstr(b.data, "<dc:creator><rdf:Seq><rdf:li>Oficina de "
                                   "Planeación</rdf:li></rdf:Seq>"));
    assert_null(strstr(b.data, "dc:description"));
    assert_null(strstr(b.data, "pdf:Keywords"));
    assert_non_null(strstr(b.data, "<dc:language><rdf:Bag><rdf:li>es-CO"));
    assert_non_null(strstr(b.data, "<xmp:CreateDate>2018-04-01T00:00:00Z"
                                   "</xmp:CreateDate>\n"));
    assert_non_null(strstr(b.data, "<pdfuaid:part>1</pdfuaid:part>\n"));
    assert_true(strncmp(b.data, "<?xpacket begin=\"\xEF\xBB\xBF\"", 19) == 0);
    /* Untagged and undated: neither the claim nor dates. */
    f.ua = false;
    f.created = -1;
    buf_clear(&b);
    xmp_write(&b, &f);
    assert_null(strstr(b.data, "pdfuaid"));
    assert_null(strstr(b.data, "Date>"));
    buf_release(&b);
}

#define T(name) cmocka_unit_test(name)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(headings_should_open_sections_without_skipping_levels),
        T(tables_should_have_header_cells_and_artifact_boxes),
        T(a_split_row_should_reopen_its_cells),
        T(figures_should_carry_their_description),
        T(pdf_should_hold_the_tree_readers_see),
        T(no_tags_should_leave_content_unmarked),
        T(encrypted_pdf_should_keep_a_readable_description),
        T(a_table_over_two_pages_should_keep_one_tree),
        T(a_parent_tree_should_split_into_leaves),
        T(a_long_table_should_split_its_body_for_pdfa),
        T(xmp_should_escape_texts_and_identify_pdf_ua),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
