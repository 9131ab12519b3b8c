/* test_burst: the reports of a burst as eval gives them: each in an arena
 * of its own (freed after every report here, so that the sanitizer sees
 * any pointer the run kept into it). */
#include "testutil.h"

#include "base/arena.h"
#include "base/diag.h"
#include "doc/doc.h"
#include "eval/eval.h"
#include "template/tree.h"

#include <stdio.h>
#include <stdlib.h>

struct fx {
    struct arena *a;
    struct diag d;
    struct report *r;
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

/* Every entity's own file, and one file of the whole sector. */
static const char csv_a[] = "actividad,avance\nMedir,90\nReparar,50\n";
static const char csv_b[] = "actividad,avance\nCambiar,75\n";
static const char csv_sector[] = "entidad,grupo,puntaje\n"
                                 "A,G1,10\nB,G2,20\nC,G1,30\nB,G2,40\n";
static const struct eval_file files[] = {
    {"A.csv", csv_a, sizeof csv_a - 1},
    {"B.csv", csv_b, sizeof csv_b - 1},
    {"C.csv", csv_b, sizeof csv_b - 1},
    {"sector.csv", csv_sector, sizeof csv_sector - 1},
};

/* Loads yaml for --burst-by entidad, its files in memory. */
static struct report *load_files(struct fx *f, const char *yaml,
                                 const struct eval_file *mem, size_t n)
{
    struct tnode *root =
        tree_load_mem(f->a, &f->d, "t.yaml", yaml, strlen(yaml));
    if (!root)
        return NULL;
    struct eval_options opt = {.now = 1522540800,
                               .burst_column = "entidad",
                               .files = mem,
                               .nfiles = n};
    f->r = eval_load(f->a, &f->d, root, &opt);
    if (!f->r)
        diag_print(&f->d, stderr);
    return f->r;
}

static struct report *load(struct fx *f, const char *yaml)
{
    return load_files(f, yaml, files, sizeof files / sizeof *files);
}

/* The text of the first paragraph of the report of value, evaluated in
 * an arena of its own that is freed before returning; out gets a copy,
 * and the output path too. */
static bool report_text(struct fx *f, const char *value, char *out, size_t cap)
{
    struct arena *own = arena_new();
    eval_open_report(f->r, own);
    struct doc doc;
    bool ok = eval_document(f->r, &f->d, "entidad", value, &doc);
    const char *path =
        ok ? eval_output_path(f->r, &f->d, "{entidad}.pdf") : NULL;
    ok = path != NULL;
    for (size_t i = 0; ok && i < doc.nblocks; i++) {
        if (doc.blocks[i].kind != BLK_PARAGRAPH)
            continue;
        const struct rich *t = &doc.blocks[i].u.para.text;
        snprintf(out, cap, "%s %s", path, t->n ? t->spans[0].text : "");
        break;
    }
    eval_close_report(f->r);
    arena_free(own);
    return ok;
}

static void report_should_read_its_own_file_in_its_arena(void **state)
{
    struct fx *f = *state;
    assert_non_null(load(f, "params: {entidad: A}\n"
                            "data:\n"
                            "  plan: {file: '{entidad}.csv'}\n"
                            "  sector: {file: sector.csv, burst: false}\n"
                            "body:\n"
                            "  - text: '{entidad}: {count(plan)} "
                            "actividades, {count(sector)} filas'\n"));
    char text[256];
    assert_true(report_text(f, "B", text, sizeof text));
    assert_string_equal(text, "B.pdf B: 1 actividades, 4 filas");
    assert_true(report_text(f, "A", text, sizeof text));
    assert_string_equal(text, "A.pdf A: 2 actividades, 4 filas");
    assert_true(report_text(f, "C", text, sizeof text));
    assert_string_equal(text, "C.pdf C: 1 actividades, 4 filas");
    assert_int_equal(f->d.errors, 0);
}

static void report_should_cut_sources_again_after_a_closed_one(void **state)
{
    struct fx *f = *state;
    assert_non_null(load(f, "params: {entidad: A}\n"
                            "data:\n"
                            "  sector: {file: sector.csv}\n"
                            "  todo: {from: sector, burst: false}\n"
                            "body:\n"
                            "  - text: '{count(sector)} de {count(todo)}: "
                            "{sum(sector.puntaje)}'\n"));
    char text[256];
    for (int round = 0; round < 2; round++) {
        assert_true(report_text(f, "B", text, sizeof text));
        assert_string_equal(text, "B.pdf 2 de 4: 60");
        assert_true(report_text(f, "C", text, sizeof text));
        assert_string_equal(text, "C.pdf 1 de 4: 30");
    }
}

/* A source the burst does not cut, whose steps read no parameter of the
 * burst, is computed once: its warning is told once, when loading, not
 * once per report; a source whose `where` reads the burst's parameter is
 * computed per report, even with `burst: false`. */
static void shared_source_should_be_computed_once(void **state)
{
    struct fx *f = *state;
    assert_non_null(load(f,
                         "params: {entidad: A}\n"
                         "data:\n"
                         "  sector:\n"
                         "    file: sector.csv\n"
                         "    burst: false\n"
                         "    compute: {cociente: puntaje / (puntaje - 20)}\n"
                         "  pares:\n"
                         "    from: sector\n"
                         "    burst: false\n"
                         "    where: grupo = first(sector.grupo where "
                         "entidad = params.entidad)\n"
                         "body:\n"
                         "  - text: '{entidad}: {count(pares)} pares, "
                         "{count(sector)} filas'\n"));
    assert_int_equal(f->d.warnings, 1);
    char text[256];
    assert_true(report_text(f, "B", text, sizeof text));
    assert_string_equal(text, "B.pdf B: 2 pares, 4 filas");
    assert_true(report_text(f, "C", text, sizeof text));
    assert_string_equal(text, "C.pdf C: 2 pares, 4 filas");
    assert_true(report_text(f, "A", text, sizeof text));
    assert_string_equal(text, "A.pdf A: 2 pares, 4 filas");
    assert_int_equal(f->d.warnings, 1);
    assert_int_equal(f->d.errors, 0);
}

/* A source that reads a source cut by the burst in an expression is
 * computed per report, even with `burst: false`. */
static void source_reading_a_cut_one_should_not_be_shared(void **state)
{
    struct fx *f = *state;
    assert_non_null(load(f, "params: {entidad: A}\n"
                            "data:\n"
                            "  propio: {file: sector.csv}\n"
                            "  sector:\n"
                            "    file: sector.csv\n"
                            "    burst: false\n"
                            "    compute: {mias: count(propio)}\n"
                            "body:\n"
                            "  - text: '{first(sector.mias)} de "
                            "{count(sector)}'\n"));
    char text[256];
    assert_true(report_text(f, "B", text, sizeof text));
    assert_string_equal(text, "B.pdf 2 de 4");
    assert_true(report_text(f, "C", text, sizeof text));
    assert_string_equal(text, "C.pdf 1 de 4");
}

/* The rows of each value come from an index of the shared table, for
 * any type of column (the value as its text), through a source started
 * from a shared one. */
static void burst_should_cut_a_shared_table_by_its_index(void **state)
{
    struct fx *f = *state;
    static const char csv[] = "entidad,n\n7,1\n8,2\n7,3\n9,4\n8,5\n";
    static const struct eval_file num[] = {{"n.csv", csv, sizeof csv - 1}};
    assert_non_null(load_files(
        f,
        "params: {entidad: x}\n"
        "data:\n"
        "  todo: {file: n.csv, burst: false, columns: {entidad: integer}}\n"
        "  uno: {from: todo}\n"
        "body:\n"
        "  - text: '{count(uno)} filas: {sum(uno.n)}'\n",
        num, 1));
    const char **v;
    size_t n;
    assert_true(eval_burst_values(f->r, &f->d, "entidad", &v, &n));
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "7");
    assert_string_equal(v[1], "8");
    assert_string_equal(v[2], "9");
    char text[256];
    assert_true(report_text(f, "8", text, sizeof text));
    assert_string_equal(text, "8.pdf 2 filas: 7");
    assert_true(report_text(f, "7", text, sizeof text));
    assert_string_equal(text, "7.pdf 2 filas: 4");
    assert_true(report_text(f, "10", text, sizeof text));
    assert_string_equal(text, "10.pdf 0 filas: 0");
}

/* Values in order of first appearance, each once; an empty one makes no
 * report. */
static void burst_values_should_come_in_order_of_appearance(void **state)
{
    struct fx *f = *state;
    static const char csv[] = "entidad,n\nB,1\n,2\nA,3\nB,4\nC,5\nA,6\n";
    static const struct eval_file mem[] = {{"v.csv", csv, sizeof csv - 1}};
    assert_non_null(
        load_files(f, "data: {v: {file: v.csv}}\nbody: []\n", mem, 1));
    const char **v;
    size_t n;
    assert_true(eval_burst_values(f->r, &f->d, "entidad", &v, &n));
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "B");
    assert_string_equal(v[1], "A");
    assert_string_equal(v[2], "C");
}

/* Every paragraph's text and every table's first column, of the report
 * of value, in a (as report_text, in an arena of its own). */
static char *report_all(struct fx *f, const char *value)
{
    struct arena *own = arena_new();
    eval_open_report(f->r, own);
    struct doc doc;
    struct buf b;
    buf_init(&b);
    if (!eval_document(f->r, &f->d, "entidad", value, &doc))
        buf_adds(&b, "(error)");
    for (size_t i = 0; f->d.errors == 0 && i < doc.nblocks; i++) {
        const struct block *k = &doc.blocks[i];
        if (k->kind == BLK_PARAGRAPH && k->u.para.text.n)
            buf_printf(&b, "%s|", k->u.para.text.spans[0].text);
        if (k->kind != BLK_TABLE)
            continue;
        buf_adds(&b, "[");
        for (size_t r = 0; r < k->u.table.nrows; r++)
            buf_printf(&b, "%s;", k->u.table.rows[r].cells[0].text);
        buf_adds(&b, "]|");
    }
    eval_close_report(f->r);
    arena_free(own);
    char *out = arena_strdup(f->a, b.data ? b.data : "");
    buf_release(&b);
    return out;
}

/* A where `column = key` over a table that lasts the whole run is read
 * through an index in a burst (a table's rows and an aggregate's); what
 * it keeps must be what reading every row keeps, in a source's where
 * step too. Each condition is
 * written twice, once as the index reads it and once hidden from it
 * (`and 1 = 1`), over a column with missing and empty cells, a key that
 * is no cell's, an empty key, a number column, and keys of every kind:
 * a parameter, an aggregate, a constant, on either side. */
static void
where_on_a_lasting_table_should_keep_the_rows_of_a_scan(void **state)
{
    struct fx *f = *state;
    static const char csv[] = "entidad,grupo,puntaje\n"
                              "A,G1,10\nB,G2,20\nC,G1,30\nB,G2,40\n"
                              "D,,50\nE,\"\",60\nF,G3,\nA,G1,70\n";
    static const struct eval_file mem[] = {{"pares.csv", csv, sizeof csv - 1}};
    static const char *const where[] = {
        "grupo = first(todo.grupo where entidad = params.entidad)",
        "first(todo.grupo where entidad = params.entidad) = grupo",
        "grupo = 'G1'",
        "'G2' = grupo",
        "grupo = params.entidad",
        "grupo = ''",
        "entidad = params.entidad",
        "puntaje = 30",
    };
    for (size_t w = 0; w < sizeof where / sizeof *where; w++) {
        char *got[2][7];
        for (int hidden = 0; hidden < 2; hidden++) {
            const char *c = where[w];
            const char *cond =
                hidden ? arena_printf(f->a, "(%s) and 1 = 1", c) : c;
            const char *yaml =
                arena_printf(f->a,
                             "params: {entidad: A}\n"
                             "data:\n"
                             "  todo: {file: pares.csv, burst: false}\n"
                             "  pares: {from: todo, burst: false, "
                             "where: \"%s\"}\n"
                             "body:\n"
                             "  - text: \"{count(todo where %s)} "
                             "{sum(todo.puntaje where %s)} "
                             "{first(todo.entidad where %s)}\"\n"
                             "  - table: {data: todo, where: \"%s\", "
                             "columns: [{field: entidad}]}\n"
                             "  - table: {data: pares, "
                             "columns: [{field: entidad}]}\n",
                             cond, cond, cond, cond, cond);
            assert_non_null(load_files(f, yaml, mem, 1));
            const char *who[7] = {"A", "B", "C", "D", "E", "F", "G"};
            for (int e = 0; e < 7; e++)
                got[hidden][e] = report_all(f, who[e]);
        }
        for (int e = 0; e < 7; e++)
            assert_string_equal(got[0][e], got[1][e]);
        if (w == 0) {
            /* by hand: B's group is G2 (rows 2 and 4); A's is G1 (rows
             * 1, 3 and 8); G has no row, so its group is missing, which
             * equals the missing and the empty cells (D and E) */
            assert_string_equal(got[0][1], "2 60 B|[B;B;]|[B;B;]|");
            assert_string_equal(got[0][0], "3 110 A|[A;C;A;]|[A;C;A;]|");
            assert_string_equal(got[0][6], "2 110 D|[D;E;]|[D;E;]|");
        }
    }
    assert_int_equal(f->d.errors, 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
    const struct CMUnitTest tests[] = {
        T(report_should_read_its_own_file_in_its_arena),
        T(report_should_cut_sources_again_after_a_closed_one),
        T(shared_source_should_be_computed_once),
        T(source_reading_a_cut_one_should_not_be_shared),
        T(burst_should_cut_a_shared_table_by_its_index),
        T(burst_values_should_come_in_order_of_appearance),
        T(where_on_a_lasting_table_should_keep_the_rows_of_a_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
