/* test_eval: the evaluator: parameters, page settings, markup, data
 * sources, tables, charts, bursting and output paths. */
#include "testutil.h"

#include "base/arena.h"
#include "base/diag.h"
#include "doc/dlist.h"
#include "eval/eval.h"
#include "template/tree.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* 2018-04-01 00:00 UTC, as SOURCE_DATE_EPOCH in the golden cases. */
#define NOW 1522540800

struct fx {
    struct arena *a;
    struct diag d;
    struct report *r;
    struct doc doc;
};

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    f->a = arena_new();
    diag_init(&f->d);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;
    diag_release(&f->d);
    arena_free(f->a);
    free(f);
    return 0;
}

/* Loads a template written beside the fixtures, so that file: paths
 * resolve in tests/data/eval. */
static struct report *load_opt(struct fx *f, const char *yaml,
                               const char *const *sets, size_t nsets,
                               const char *burst_column)
{
    struct tnode *root = tree_load_mem(f->a, &f->d, "tests/data/eval/t.yaml",
                                       yaml, strlen(yaml));
    if (!root)
        return NULL;
    struct eval_options opt = {
        .sets = sets, .nsets = nsets, .now = NOW, .burst_column = burst_column};
    f->r = eval_load(f->a, &f->d, root, &opt);
    return f->r;
}

static struct report *load_sets(struct fx *f, const char *yaml,
                                const char *const *sets, size_t nsets)
{
    return load_opt(f, yaml, sets, nsets, NULL);
}

static struct report *load(struct fx *f, const char *yaml)
{
    return load_sets(f, yaml, NULL, 0);
}

/* Loads and evaluates; fails the test with the messages otherwise. */
static void build(struct fx *f, const char *yaml)
{
    if (!load(f, yaml) || !eval_document(f->r, &f->d, NULL, NULL, &f->doc)) {
        diag_print(&f->d, stderr);
        fail_msg("the template did not evaluate");
    }
}

/* The first message as diag_format prints it, copied so that a failed
 * assertion leaks nothing. */
static const char *first_message(struct fx *f)
{
    static char text[512];
    assert_true(f->d.n > 0);
    char *m = diag_format(&f->d.msgs[0]);
    snprintf(text, sizeof text, "%s", m);
    free(m);
    return text;
}

static void assert_message(struct fx *f, const char *want)
{
    assert_string_equal(first_message(f), want);
}

static const struct block *find_block(const struct doc *doc,
                                      enum block_kind kind, size_t nth)
{
    for (size_t i = 0; i < doc->nblocks; i++)
        if (doc->blocks[i].kind == kind && nth-- == 0)
            return &doc->blocks[i];
    fail_msg("block not found");
    return NULL;
}

/* ---- settings ---- */

static void
settings_should_turn_oficio_horizontal_and_read_margins(void **state)
{
    struct fx *f = *state;
    build(f, "report:\n"
             "  page: {size: oficio, orientation: horizontal,\n"
             "         margin: {top: 1in, left: 3cm}}\n"
             "body: []\n");
    assert_float_equal(f->doc.set.page_width, 935.43, 0.01);
    assert_float_equal(f->doc.set.page_height, 612, 0.01);
    assert_float_equal(f->doc.set.margin_top, 72, 0.01);
    assert_float_equal(f->doc.set.margin_left, 85.04, 0.01);
    assert_float_equal(f->doc.set.margin_right, 56.69, 0.01);
}

static void settings_should_keep_metadata_fonts_and_creation_time(void **state)
{
    struct fx *f = *state;
    build(f, "report:\n"
             "  title: Informe de gestión\n"
             "  author: Oficina Asesora de Planeación\n"
             "  page: {size: a4, margin: 20mm}\n"
             "  fonts: {regular: LiberationSans-Bold.ttf}\n"
             "  password: clave\n"
             "body: []\n");
    const struct doc_settings *s = &f->doc.set;
    assert_float_equal(s->page_width, 595.28, 0.01);
    assert_float_equal(s->margin_bottom, 56.69, 0.01);
    assert_string_equal(s->title, "Informe de gestión");
    assert_string_equal(s->author, "Oficina Asesora de Planeación");
    assert_string_equal(s->font_file[FACE_REGULAR], "LiberationSans-Bold.ttf");
    assert_string_equal(s->font_file[FACE_BOLD], "LiberationSans-Bold.ttf");
    assert_string_equal(s->owner_password, "clave");
    assert_string_equal(s->creator, "informe");
    assert_int_equal(s->created, NOW);
}

/* A template that did not pass schema_check: what does not read as its
 * kind is reported as the schema reports it. */
static void settings_should_reject_an_unknown_paper_size(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "report:\n  page: {size: a5}\nbody: []\n"));
    assert_message(f, "tests/data/eval/t.yaml:2:16: error: valor desconocido "
                      "'a5' en 'size'; ¿quiso decir 'a4'?");
}

/* ---- parameters ---- */

static void params_should_reject_a_bad_date_with_no_position(void **state)
{
    struct fx *f = *state;
    const char *sets[] = {"fecha_corte=x"};
    assert_null(
        load_sets(f, "params: {fecha_corte: 2018-03-31}\nbody: []\n", sets, 1));
    assert_message(
        f, "informe: error: el valor 'x' del parámetro 'fecha_corte' no "
           "es una fecha: escriba la fecha como 2018-03-31, 31/03/2018, "
           "31-03-2018 o 2018/03/31");
    assert_null(f->d.msgs[0].file);
    assert_int_equal(f->d.code, EXIT_DATAERR);
}

static void params_should_name_an_unknown_parameter(void **state)
{
    struct fx *f = *state;
    const char *sets[] = {"perido=2018-T2"};
    assert_null(
        load_sets(f, "params: {periodo: 2018-T1}\nbody: []\n", sets, 1));
    assert_message(f, "informe: error: parámetro desconocido 'perido'; "
                      "¿quiso decir 'periodo'?");
}

static void params_should_type_a_typed_default(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "params:\n"
                        "  vigencia: {type: integer, default: dos mil}\n"
                        "body: []\n"));
    assert_message(f, "tests/data/eval/t.yaml:2:38: error: el valor 'dos "
                      "mil' del parámetro 'vigencia' no es un número entero");
}

static void params_should_read_es_co_numbers_and_keep_hoy(void **state)
{
    struct fx *f = *state;
    const char *sets[] = {"umbral=1.234,5"};
    assert_non_null(load_sets(f,
                              "params: {umbral: 80}\n"
                              "body:\n"
                              "  - text: '{umbral | number:1} {hoy | date}'\n",
                              sets, 1));
    assert_true(eval_document(f->r, &f->d, NULL, NULL, &f->doc));
    assert_string_equal(f->doc.blocks[0].u.para.text.spans[0].text,
                        "1.234,5 01/04/2018");
}

static const char set_yaml[] = "params:\n"
                               "  t: {type: text, default: hola}\n"
                               "  i: {type: integer, default: 1}\n"
                               "  n: {type: number, default: 1.5}\n"
                               "  p: {type: percent, default: 10}\n"
                               "  d: {type: date, default: 2018-03-31}\n"
                               "  m: {type: money, default: 1000}\n"
                               "  x: 7\n"
                               "body:\n"
                               "  - text: '{t}|{i}|{n}|{p}|{d}|{m}|{x}'\n";

/* The report's text with one --set, or the first message on failure;
 * either way in a static buffer. */
static const char *with_set(struct fx *f, const char *set)
{
    static char text[512];
    diag_release(&f->d);
    const char *sets[] = {set};
    if (!load_sets(f, set_yaml, sets, 1)) {
        assert_int_equal(f->d.errors, 1);
        assert_null(f->d.msgs[0].file);
        assert_int_equal(f->d.code, EXIT_DATAERR);
        return first_message(f);
    }
    memset(&f->doc, 0, sizeof f->doc);
    assert_true(eval_document(f->r, &f->d, NULL, NULL, &f->doc));
    snprintf(text, sizeof text, "%s",
             f->doc.blocks[0].u.para.text.spans[0].text);
    return text;
}

static void params_should_read_any_bytes_given_to_set(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *set, *want;
    } cases[] = {
        {"t=", "|1|1,5|10,0 %|31/03/2018|$ 1.000|7"},
        {"t=Región Caribe", "Región Caribe|1|1,5|10,0 %|31/03/2018|$ 1.000|7"},
        {"t=\xff\xfe", "informe: error: el valor del parámetro 't' no es "
                       "texto UTF-8 válido (byte 0xFF en la posición 1)"},
        {"t=ab\xc3", "informe: error: el valor del parámetro 't' no es texto "
                     "UTF-8 válido (byte 0xC3 en la posición 3)"},
        {"t=a\x01z", "informe: error: el valor del parámetro 't' tiene un "
                     "carácter de control (U+0001 en la posición 2)"},
        {"t=a\nb", "informe: error: el valor del parámetro 't' tiene un "
                   "carácter de control (U+000A en la posición 2)"},
        {"i=-0", "hola|0|1,5|10,0 %|31/03/2018|$ 1.000|7"},
        {"i=", "informe: error: el valor '' del parámetro 'i' no es un número "
               "entero"},
        {"i=1e309", "informe: error: el valor '1e309' del parámetro 'i' no "
                    "es un número entero"},
        {"i=99999999999999999999", "informe: error: el valor "
                                   "'99999999999999999999' del parámetro 'i' "
                                   "no es un número entero"},
        {"i=\xe9", "informe: error: el valor del parámetro 'i' no es texto "
                   "UTF-8 válido (byte 0xE9 en la posición 1)"},
        {"n=1e309", "informe: error: el valor '1e309' del parámetro 'n' no "
                    "es un número"},
        {"n=-1e309", "informe: error: el valor '-1e309' del parámetro 'n' no "
                     "es un número"},
        {"n=nan", "informe: error: el valor 'nan' del parámetro 'n' no es un "
                  "número"},
        {"n=1.000.000,5", "hola|1|1.000.000,5|10,0 %|31/03/2018|$ 1.000|7"},
        {"p=5%", "hola|1|1,5|5,0 %|31/03/2018|$ 1.000|7"},
        {"p=inf", "informe: error: el valor 'inf' del parámetro 'p' no es un "
                  "porcentaje"},
        {"d=2018-02-29", "informe: error: el valor '2018-02-29' del parámetro "
                         "'d' no es una fecha: el 29 de febrero de 2018 no "
                         "existe (2018 no es bisiesto); escriba la fecha "
                         "como 2018-03-31, 31/03/2018, 31-03-2018 o "
                         "2018/03/31"},
        {"d=99999-01-01", "informe: error: el valor '99999-01-01' del "
                          "parámetro 'd' no es una fecha: escriba la fecha "
                          "como 2018-03-31, 31/03/2018, 31-03-2018 o "
                          "2018/03/31"},
        {"d=30/06/2018", "hola|1|1,5|10,0 %|30/06/2018|$ 1.000|7"},
        {"m=$ 1.000.000", "hola|1|1,5|10,0 %|31/03/2018|$ 1.000.000|7"},
        {"m=1e309", "informe: error: el valor '1e309' del parámetro 'm' no es "
                    "un valor en pesos"},
        {"x=", "informe: error: el valor '' del parámetro 'x' no es un "
               "número"},
        {"=5", "informe: error: --set espera CLAVE=VALOR, no '=5'"},
        {"\x01\xff", "informe: error: --set espera CLAVE=VALOR, no "
                     "'\\x01\\xFF'"},
        {"\xff=1", "informe: error: parámetro desconocido '\\xFF'; ¿quiso "
                   "decir 't'?"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = with_set(f, cases[i].set);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("--set %s: got \"%s\"", cases[i].set, got);
    }
}

static void params_should_bound_and_shorten_long_set_values(void **state)
{
    struct fx *f = *state;
    char *big = malloc(70003);
    memcpy(big, "i=", 2);
    memset(big + 2, '9', 70000);
    big[70002] = '\0';
    const char *got = with_set(f, big);
    free(big);
    assert_string_equal(got, "informe: error: el valor del parámetro 'i' "
                             "(70000 bytes) supera el límite de 65536 bytes "
                             "(límite 'expr_length'; súbalo con --limit "
                             "expr_length=262144)");
    /* within the limit, a value in a message is cut at 40 characters */
    char mid[412];
    memcpy(mid, "n=", 2);
    memset(mid + 2, '9', 400);
    mid[402] = '\0';
    assert_string_equal(with_set(f, mid),
                        "informe: error: el valor "
                        "'9999999999999999999999999999999999999999…' del "
                        "parámetro 'n' no es un número");
    /* a long text is a text */
    char text[5003];
    memcpy(text, "t=", 2);
    memset(text + 2, 'a', 5000);
    text[5002] = '\0';
    assert_int_equal(strlen(with_set(f, text)), 511);
}

static void data_should_read_in_memory_files_and_run_every_step(void **state)
{
    struct fx *f = *state;
    static const char csv[] = "programa;avance;meta\n"
                              "Agua;85,3 %;10\n"
                              "Energía;70 %;20\n"
                              "Agua;40 %;30\n";
    static const char yaml[] =
        "data:\n"
        "  plan:\n"
        "    file: mem.csv\n"
        "    compute: {doble: meta * 2}\n"
        "    where: avance > 50 or programa = 'Agua'\n"
        "    group_by: programa\n"
        "    aggregate: {n: count(), total: sum(doble)}\n"
        "    sort: -total\n"
        "body:\n"
        "  - text: '{count(plan)} {first(plan.programa)} "
        "{first(plan.total)}'\n";
    const struct eval_file files[] = {{"mem.csv", csv, sizeof csv - 1}};
    struct tnode *root = tree_load_mem(f->a, &f->d, "tests/data/eval/t.yaml",
                                       yaml, strlen(yaml));
    assert_non_null(root);
    struct eval_options opt = {.now = NOW, .files = files, .nfiles = 1};
    f->r = eval_load(f->a, &f->d, root, &opt);
    if (!f->r)
        diag_print(&f->d, stderr);
    assert_non_null(f->r);
    assert_true(eval_document(f->r, &f->d, NULL, NULL, &f->doc));
    assert_string_equal(f->doc.blocks[0].u.para.text.spans[0].text,
                        "2 Agua 80");
}

/* ---- blocks and markup ---- */

static void markup_should_split_bold_and_italic_spans(void **state)
{
    struct fx *f = *state;
    build(f, "body:\n"
             "  - text: 'Avance **total** del *plan* \\*nota\\* y 2 * 3'\n");
    const struct paragraph_block *p =
        &find_block(&f->doc, BLK_PARAGRAPH, 0)->u.para;
    assert_int_equal(p->text.n, 5);
    assert_string_equal(p->text.spans[0].text, "Avance ");
    assert_int_equal(p->text.spans[0].style, 0);
    assert_string_equal(p->text.spans[1].text, "total");
    assert_int_equal(p->text.spans[1].style, SPAN_BOLD);
    assert_string_equal(p->text.spans[2].text, " del ");
    assert_string_equal(p->text.spans[3].text, "plan");
    assert_int_equal(p->text.spans[3].style, SPAN_ITALIC);
    assert_string_equal(p->text.spans[4].text, " *nota* y 2 * 3");
    assert_int_equal(p->text.spans[4].style, 0);
}

static void sections_should_number_and_nest(void **state)
{
    struct fx *f = *state;
    build(f, "body:\n"
             "  - cover: {lines: [Uno, Dos]}\n"
             "  - toc: {}\n"
             "  - section: Plan\n"
             "    content:\n"
             "      - section: Agua\n"
             "      - heading: Detalle\n"
             "        level: 3\n"
             "  - section: Anexos\n"
             "    number: false\n"
             "  - section: Cierre\n"
             "    new_page: false\n");
    assert_int_equal(f->doc.nblocks, 7);
    assert_int_equal(f->doc.blocks[0].u.cover.nlines, 2);
    assert_string_equal(f->doc.blocks[1].u.toc.title, "Contenido");
    const struct heading_block *h = &f->doc.blocks[2].u.heading;
    assert_string_equal(h->number, "1.");
    assert_true(h->new_page);
    h = &f->doc.blocks[3].u.heading;
    assert_string_equal(h->number, "1.1.");
    assert_int_equal(h->level, 2);
    assert_false(h->new_page);
    h = &f->doc.blocks[4].u.heading;
    assert_string_equal(h->number, "1.1.1.");
    assert_string_equal(h->text, "Detalle");
    assert_null(f->doc.blocks[5].u.heading.number);
    assert_string_equal(f->doc.blocks[6].u.heading.number, "2.");
    assert_false(f->doc.blocks[6].u.heading.new_page);
}

static void blocks_should_read_space_image_and_list(void **state)
{
    struct fx *f = *state;
    build(f, "body:\n"
             "  - space: 12pt\n"
             "  - image: {file: logo.png, width: 2cm}\n"
             "  - list: [uno, '**dos**']\n"
             "    numbered: true\n"
             "  - page_break: true\n");
    assert_float_equal(f->doc.blocks[0].u.space, 12, 0.001);
    assert_string_equal(f->doc.blocks[1].u.image.path,
                        "tests/data/eval/logo.png");
    assert_float_equal(f->doc.blocks[1].u.image.width, 56.69, 0.01);
    const struct list_block *l = &f->doc.blocks[2].u.list;
    assert_true(l->numbered);
    assert_int_equal(l->n, 2);
    assert_int_equal(l->items[1].spans[0].style, SPAN_BOLD);
    assert_int_equal(f->doc.blocks[3].kind, BLK_PAGE_BREAK);
}

/* ---- data, tables, charts ---- */

static const char plan_yaml[] =
    "styles:\n"
    "  semaforo:\n"
    "    - {min: 80, fill: '#B7E1CD'}\n"
    "    - {min: 60, fill: '#FCE8B2'}\n"
    "    - {fill: '#F4C7C3'}\n"
    "data:\n"
    "  plan:\n"
    "    file: plan.csv\n"
    "    columns: {meta: number, avance: percent}\n";

static void data_should_report_a_missing_file_at_its_key(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "data:\n  plan:\n    file: no_existe.csv\nbody: []\n"));
    assert_message(
        f, "tests/data/eval/t.yaml:3:11: error: no se puede leer "
           "el archivo de datos 'tests/data/eval/no_existe.csv': "
           "el archivo no existe (archivos CSV en "
           "'tests/data/eval': avance.csv, diario.csv, metas.csv, plan.csv)");
    assert_int_equal(f->d.code, EXIT_NOINPUT);
}

/* eval_options.files: file: names are looked up in memory, not on disk
 * (tests/data/eval/plan.csv exists but must not be read). */
static void data_should_read_files_from_memory_when_given(void **state)
{
    struct fx *f = *state;
    static const char csv[] = "programa;meta\nAgua;1,5\nEnergía;2\n";
    const struct eval_file files[] = {{"plan.csv", csv, sizeof csv - 1}};
    const char *yaml = "data:\n  plan: {file: plan.csv}\n"
                       "body:\n  - text: '{count(plan)} {sum(plan.meta)}'\n";
    struct tnode *root = tree_load_mem(f->a, &f->d, "tests/data/eval/t.yaml",
                                       yaml, strlen(yaml));
    assert_non_null(root);
    struct eval_options opt = {.now = NOW, .files = files, .nfiles = 1};
    f->r = eval_load(f->a, &f->d, root, &opt);
    assert_non_null(f->r);
    assert_true(eval_document(f->r, &f->d, NULL, NULL, &f->doc));
    const struct paragraph_block *p =
        &find_block(&f->doc, BLK_PARAGRAPH, 0)->u.para;
    assert_string_equal(p->text.spans[0].text, "2 3,5");
}

static void data_should_report_a_name_missing_from_memory(void **state)
{
    struct fx *f = *state;
    const struct eval_file files[] = {{"otro.csv", "a\n1\n", 4}};
    const char *yaml = "data:\n  plan: {file: plan.csv}\nbody: []\n";
    struct tnode *root = tree_load_mem(f->a, &f->d, "tests/data/eval/t.yaml",
                                       yaml, strlen(yaml));
    struct eval_options opt = {.now = NOW, .files = files, .nfiles = 1};
    assert_null(eval_load(f->a, &f->d, root, &opt));
    assert_message(f, "tests/data/eval/t.yaml:2:16: error: no se puede leer "
                      "el archivo de datos 'plan.csv': el archivo no existe");
    assert_int_equal(f->d.code, EXIT_NOINPUT);
}

static void data_should_detect_a_cycle_of_sources(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "data:\n"
                        "  a: {from: b}\n"
                        "  b: {from: a}\n"
                        "body: []\n"));
    assert_message(f, "tests/data/eval/t.yaml:3:13: error: la fuente 'b' "
                      "depende de sí misma (ciclo de fuentes)");
}

static void table_should_group_subtotal_total_and_fill(void **state)
{
    struct fx *f = *state;
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "%sbody:\n"
             "  - table:\n"
             "      data: plan\n"
             "      caption: Actividades\n"
             "      columns:\n"
             "        - {field: actividad, title: Actividad, width: 40%%}\n"
             "        - {field: meta, width: 32pt}\n"
             "        - {field: avance, format: 'percent:1',"
             " fill: semaforo, style: italic}\n"
             "      group_by: programa\n"
             "      subtotals: [meta, avance]\n"
             "      total: Total\n",
             plan_yaml);
    build(f, yaml);
    const struct table_block *t = &find_block(&f->doc, BLK_TABLE, 0)->u.table;
    assert_string_equal(t->caption, "Actividades");
    assert_int_equal(t->ncols, 3);
    assert_string_equal(t->cols[0].title, "Actividad");
    assert_string_equal(t->cols[1].title, "meta");
    assert_int_equal(t->cols[0].width_kind, WIDTH_PERCENT);
    assert_float_equal(t->cols[0].width, 40, 0.001);
    assert_int_equal(t->cols[1].width_kind, WIDTH_POINTS);
    assert_int_equal(t->cols[2].width_kind, WIDTH_AUTO);
    assert_int_equal(t->cols[0].align, ALIGN_LEFT);
    assert_int_equal(t->cols[1].align, ALIGN_RIGHT);
    assert_int_equal(t->cols[2].style, SPAN_ITALIC);
    /* Agua (2 rows), Energía (1), Residuos (1): 3 groups + 3 subtotals. */
    assert_int_equal(t->nrows, 3 + 4 + 3 + 1);
    static const enum row_kind kinds[] = {
        ROW_GROUP,    ROW_BODY,  ROW_BODY, ROW_SUBTOTAL, ROW_GROUP, ROW_BODY,
        ROW_SUBTOTAL, ROW_GROUP, ROW_BODY, ROW_SUBTOTAL, ROW_TOTAL};
    for (size_t i = 0; i < t->nrows; i++)
        assert_int_equal(t->rows[i].kind, kinds[i]);
    assert_string_equal(t->rows[0].cells[0].text, "Agua");
    assert_string_equal(t->rows[1].cells[0].text, "Medir consumo");
    assert_string_equal(t->rows[1].cells[2].text, "90,0 %");
    assert_int_equal(t->rows[1].cells[2].fill, 0xB7E1CD);
    assert_int_equal(t->rows[2].cells[2].fill, 0xF4C7C3);
    assert_int_equal(t->rows[1].cells[0].fill, COLOR_NONE);
    assert_int_equal(t->rows[1].line, 2);
    /* Subtotal of Agua: meta 110, avance the mean 70 %. */
    assert_string_equal(t->rows[3].cells[0].text, "Subtotal");
    assert_string_equal(t->rows[3].cells[1].text, "110");
    assert_string_equal(t->rows[3].cells[2].text, "70,0 %");
    assert_int_equal(t->rows[3].cells[2].fill, 0xFCE8B2);
    assert_string_equal(t->rows[10].cells[0].text, "Total");
    assert_string_equal(t->rows[10].cells[1].text, "1.810");
}

static void chart_should_average_each_category(void **state)
{
    struct fx *f = *state;
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "%sbody:\n"
             "  - chart:\n"
             "      data: plan\n"
             "      category: programa\n"
             "      series:\n"
             "        - {value: avance, label: Avance}\n"
             "        - {value: meta, color: '#000000'}\n"
             "      axis: {min: 0, max: 100}\n"
             "      format: 'number:1'\n"
             "      target: {value: 80, label: Meta}\n"
             "      fill: semaforo\n"
             "      labels: numbered\n"
             "      caption: Avance por programa\n",
             plan_yaml);
    build(f, yaml);
    const struct chart_block *c = &find_block(&f->doc, BLK_CHART, 0)->u.chart;
    assert_int_equal(c->ncat, 3);
    assert_string_equal(c->categories[0], "Agua");
    assert_string_equal(c->categories[1], "Energía");
    assert_string_equal(c->categories[2], "Residuos");
    assert_int_equal(c->nseries, 2);
    assert_string_equal(c->series[0].label, "Avance");
    assert_int_equal(c->series[0].color, 0x2E75B6);
    assert_float_equal(c->series[0].values[0], 70, 1e-9);
    assert_float_equal(c->series[0].values[1], 75, 1e-9);
    assert_int_equal(c->series[0].fills[0], 0xFCE8B2);
    assert_int_equal(c->series[0].fills[2], 0xB7E1CD);
    assert_string_equal(c->series[1].label, "meta");
    assert_int_equal(c->series[1].color, 0x000000);
    assert_float_equal(c->series[1].values[2], 1500, 1e-9);
    assert_float_equal(c->min, 0, 0);
    assert_float_equal(c->max, 100, 0);
    assert_true(isnan(c->step));
    assert_float_equal(c->target, 80, 0);
    assert_string_equal(c->target_label, "Meta");
    assert_int_equal(c->value_fmt.kind, NF_NUMBER);
    assert_int_equal(c->value_fmt.decimals, 1);
    assert_true(c->numbered_labels);
    assert_true(c->legend);
    assert_string_equal(c->caption, "Avance por programa");
}

static void chart_line_should_run_dates_in_time_order(void **state)
{
    struct fx *f = *state;
    build(f, "data:\n"
             "  avance: {file: avance.csv, columns: {mes: date}}\n"
             "  diario: {file: diario.csv, columns: {dia: date}}\n"
             "body:\n"
             "  - chart:\n"
             "      type: line\n"
             "      mode: stacked\n"
             "      labels: numbered\n"
             "      data: avance\n"
             "      category: mes\n"
             "      series: [{value: programado}, {value: ejecutado}]\n"
             "  - chart: {type: line, data: diario, category: dia,\n"
             "            series: [{value: valor}], values: none}\n"
             "  - chart: {data: diario, category: dia, values: last,\n"
             "            series: [{value: valor}]}\n");
    const struct chart_block *c = &find_block(&f->doc, BLK_CHART, 0)->u.chart;
    /* Rows March, January, February, April: the points in time order,
     * one a month, named "ene. 2018"; April has no executed value. */
    assert_int_equal(c->kind, CHART_LINE);
    assert_false(c->stacked); /* not for lines */
    assert_false(c->numbered_labels);
    assert_int_equal(c->values, VALUES_LAST);
    assert_true(c->value_labels);
    assert_int_equal(c->ncat, 4);
    assert_string_equal(c->categories[0], "ene. 2018");
    assert_string_equal(c->categories[1], "feb. 2018");
    assert_string_equal(c->categories[2], "mar. 2018");
    assert_string_equal(c->categories[3], "abr. 2018");
    assert_float_equal(c->series[0].values[0], 4, 1e-9);
    assert_float_equal(c->series[1].values[2], 10.8, 1e-9);
    assert_true(isnan(c->series[1].values[3]));
    assert_non_null(strstr(c->alt, "de ene. 2018 a abr. 2018"));
    /* Two days of January: whole dates, in order; no value labels. */
    const struct chart_block *d = &find_block(&f->doc, BLK_CHART, 1)->u.chart;
    assert_int_equal(d->ncat, 3);
    assert_string_equal(d->categories[0], "02/01/2018");
    assert_string_equal(d->categories[1], "15/01/2018");
    assert_string_equal(d->categories[2], "01/02/2018");
    assert_float_equal(d->series[0].values[0], 1, 1e-9);
    assert_int_equal(d->values, VALUES_NONE);
    assert_false(d->value_labels);
    /* A bar chart keeps the rows' order and its dates as written. */
    const struct chart_block *b = &find_block(&f->doc, BLK_CHART, 2)->u.chart;
    assert_int_equal(b->kind, CHART_BAR);
    assert_int_equal(b->values, VALUES_LAST);
    assert_string_equal(b->categories[0], "15/01/2018");
}

/* ---- bursting ---- */

static void burst_should_list_values_and_keep_their_rows(void **state)
{
    struct fx *f = *state;
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "%s"
             "  sector: {from: plan, burst: false}\n"
             "body:\n"
             "  - table: {data: plan, columns: [{field: id}]}\n"
             "  - table: {data: sector, columns: [{field: id}]}\n",
             plan_yaml);
    assert_non_null(load_opt(f, yaml, NULL, 0, "entidad"));
    const char **v;
    size_t n;
    assert_true(eval_burst_values(f->r, &f->d, "entidad", &v, &n));
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "Agencia Nacional de Minería (ANM)");
    assert_string_equal(v[1], "Agencia Nacional de Hidrocarburos (ANH)");
    assert_true(eval_document(f->r, &f->d, "entidad", v[1], &f->doc));
    const struct table_block *t = &find_block(&f->doc, BLK_TABLE, 0)->u.table;
    assert_int_equal(t->nrows, 2);
    assert_string_equal(t->rows[0].cells[0].text, "3");
    assert_int_equal(find_block(&f->doc, BLK_TABLE, 1)->u.table.nrows, 4);
    assert_false(eval_burst_values(f->r, &f->d, "entidades", &v, &n));
    assert_message(f,
                   "informe: error: ninguna fuente de datos tiene la columna "
                   "'entidades'");
}

/* ---- tests that need the expression language ---- */

static void text_should_format_numbers_and_dates_es_co(void **state)
{
    struct fx *f = *state;
    const char *sets[] = {"fecha_corte=30/06/2018"};
    assert_non_null(
        load_sets(f,
                  "params: {fecha_corte: 2018-03-31, umbral: 1234567.891}\n"
                  "body:\n"
                  "  - text: 'Corte al {fecha_corte | date:long}: "
                  "{umbral | number:2}'\n",
                  sets, 1));
    assert_true(eval_document(f->r, &f->d, NULL, NULL, &f->doc));
    const struct paragraph_block *p =
        &find_block(&f->doc, BLK_PARAGRAPH, 0)->u.para;
    assert_int_equal(p->text.n, 1);
    assert_string_equal(p->text.spans[0].text,
                        "Corte al 30 de junio de 2018: 1.234.567,89");
}

static void header_should_keep_page_numbers_for_layout(void **state)
{
    struct fx *f = *state;
    build(f, "params: {periodo: 2018-T1}\n"
             "report:\n"
             "  footer: {center: 'Página {page} de {pages} — {periodo}'}\n"
             "body: []\n");
    assert_string_equal(f->doc.set.footer[1],
                        "Página {page} de {pages} — 2018-T1");
}

static void output_path_should_sanitise_values_and_keep_accents(void **state)
{
    struct fx *f = *state;
    assert_non_null(load(f, "params: {entidad: x, sigla: a/b}\nbody: []\n"));
    assert_true(eval_document(f->r, &f->d, "entidad",
                              "Agencia Nacional de Minería (ANM)", &f->doc));
    const char *p = eval_output_path(f->r, &f->d, "out/{entidad}.pdf");
    assert_non_null(p);
    assert_string_equal(p, "out/Agencia Nacional de Minería (ANM).pdf");
    p = eval_output_path(f->r, &f->d, "out/{sigla}.pdf");
    assert_non_null(p);
    assert_string_equal(p, "out/a_b.pdf");
}

static void table_should_filter_sort_and_compute_cells(void **state)
{
    struct fx *f = *state;
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "%sbody:\n"
             "  - table:\n"
             "      data: plan\n"
             "      where: avance < 90\n"
             "      sort: [-avance]\n"
             "      limit: 2\n"
             "      columns:\n"
             "        - {field: id}\n"
             "        - {value: ejecutado / meta * 100, format: 'number:1'}\n",
             plan_yaml);
    build(f, yaml);
    const struct table_block *t = &find_block(&f->doc, BLK_TABLE, 0)->u.table;
    assert_int_equal(t->nrows, 2);
    assert_string_equal(t->rows[0].cells[0].text, "4");
    assert_string_equal(t->rows[0].cells[1].text, "80,0");
    assert_string_equal(t->rows[1].cells[0].text, "3");
    assert_int_equal(t->cols[1].align, ALIGN_RIGHT);
}

static void chart_should_aggregate_each_category(void **state)
{
    struct fx *f = *state;
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "%sbody:\n"
             "  - chart:\n"
             "      data: plan\n"
             "      category: programa\n"
             "      series: [{value: sum(meta)}, {value: count()}]\n",
             plan_yaml);
    build(f, yaml);
    const struct chart_block *c = &find_block(&f->doc, BLK_CHART, 0)->u.chart;
    assert_int_equal(c->ncat, 3);
    assert_float_equal(c->series[0].values[0], 110, 1e-9);
    assert_float_equal(c->series[1].values[0], 2, 1e-9);
    assert_float_equal(c->series[1].values[2], 1, 1e-9);
    assert_int_equal(c->series[1].color, 0xA5A5A5);
    assert_null(c->series[0].fills);
}

static void data_should_run_steps_in_order(void **state)
{
    struct fx *f = *state;
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "%s"
             "  programas:\n"
             "    from: plan\n"
             "    compute: {pct: ejecutado / meta * 100}\n"
             "    where: pct < 100\n"
             "    group_by: programa\n"
             "    aggregate: {n: count(), meta: sum(meta)}\n"
             "    sort: [-meta]\n"
             "    limit: 2\n"
             "body:\n"
             "  - table: {data: programas, columns: [{field: programa},"
             " {field: n}, {field: meta}]}\n",
             plan_yaml);
    build(f, yaml);
    const struct table_block *t = &find_block(&f->doc, BLK_TABLE, 0)->u.table;
    assert_int_equal(t->nrows, 2);
    assert_string_equal(t->rows[0].cells[0].text, "Residuos");
    assert_string_equal(t->rows[0].cells[2].text, "1.500");
    assert_string_equal(t->rows[1].cells[0].text, "Energía");
    assert_string_equal(t->rows[1].cells[1].text, "1");
}

static void check_should_point_inside_an_expression(void **state)
{
    struct fx *f = *state;
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "%sbody:\n"
             "  - text: 'Avance {mean(plan.avanse)}'\n",
             plan_yaml);
    assert_null(load(f, yaml));
    assert_message(f, "tests/data/eval/t.yaml:11:25: error: columna "
                      "desconocida 'avanse' en 'plan'; ¿quiso decir "
                      "'avance'?");
}

static void cover_should_default_to_the_report_title(void **state)
{
    struct fx *f = *state;
    build(f, "params: {entidad: ANM}\n"
             "report: {title: 'Informe {entidad}', subtitle: Comité}\n"
             "body:\n"
             "  - cover: {lines: ['{report.title} 2018']}\n");
    const struct cover_block *c = &find_block(&f->doc, BLK_COVER, 0)->u.cover;
    assert_string_equal(c->title, "Informe ANM");
    assert_string_equal(c->subtitle, "Comité");
    assert_string_equal(c->lines[0], "Informe ANM 2018");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
        T(settings_should_turn_oficio_horizontal_and_read_margins),
        T(settings_should_keep_metadata_fonts_and_creation_time),
        T(settings_should_reject_an_unknown_paper_size),
        T(params_should_reject_a_bad_date_with_no_position),
        T(params_should_name_an_unknown_parameter),
        T(params_should_type_a_typed_default),
        T(params_should_read_es_co_numbers_and_keep_hoy),
        T(params_should_read_any_bytes_given_to_set),
        T(params_should_bound_and_shorten_long_set_values),
        T(data_should_read_in_memory_files_and_run_every_step),
        T(markup_should_split_bold_and_italic_spans),
        T(sections_should_number_and_nest),
        T(blocks_should_read_space_image_and_list),
        T(data_should_report_a_missing_file_at_its_key),
        T(data_should_read_files_from_memory_when_given),
        T(data_should_report_a_name_missing_from_memory),
        T(data_should_detect_a_cycle_of_sources),
        T(table_should_group_subtotal_total_and_fill),
        T(chart_should_average_each_category),
        T(chart_line_should_run_dates_in_time_order),
        T(burst_should_list_values_and_keep_their_rows),
        T(text_should_format_numbers_and_dates_es_co),
        T(header_should_keep_page_numbers_for_layout),
        T(output_path_should_sanitise_values_and_keep_accents),
        T(table_should_filter_sort_and_compute_cells),
        T(chart_should_aggregate_each_category),
        T(data_should_run_steps_in_order),
        T(check_should_point_inside_an_expression),
        T(cover_should_default_to_the_report_title),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
