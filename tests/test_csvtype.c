/* test_csvtype: the typing of a column with almost no repeated texts,
 * which is read row by row instead of through the table of its distinct
 * texts: the same types, cells and messages as a column that repeats
 * its texts (the same file with the filler rows all alike, or with few
 * rows), with exact messages. */
#include "csvfixture.h"

#include "base/buf.h"
#include "data/parse.h"

#include <stdio.h>

/* More rows than the first look at a column's distinct texts (4096). */
enum { MANY = 3 * 4096 + 10 };

/* A text of one row that replaces the filler. */
struct special {
    size_t row;
    const char *text;
};

/* A column "meta" after a column "a" of "x": row r is the special text
 * given for it, else first at row 0, else the filler, what add writes
 * for r (all rows distinct) or same (all rows alike). */
struct column_spec {
    const char *first;
    void (*add)(struct buf *b, size_t r);
    const char *same;
    const struct special *sp;
    size_t nsp;
};

static void add_int(struct buf *b, size_t r)
{
    buf_printf(b, "%zu", r);
}

static void add_plain(struct buf *b, size_t r)
{
    buf_printf(b, "%zu.5", r);
}

/* A date of its own for each of MANY rows. */
static void add_date(struct buf *b, size_t r)
{
    buf_printf(b, "%04zu-%02zu-%02zu", 2000 + r / 336, 1 + (r / 28) % 12,
               1 + r % 28);
}

static void add_meta(struct buf *b, const struct column_spec *s, size_t r,
                     bool distinct)
{
    for (size_t k = 0; k < s->nsp; k++)
        if (s->sp[k].row == r) {
            buf_adds(b, s->sp[k].text);
            return;
        }
    if (r == 0)
        buf_adds(b, s->first);
    else if (distinct)
        s->add(b, r);
    else
        buf_adds(b, s->same);
}

/* Reads and types the file of s over MANY rows into f; the result. */
static bool read_spec(struct fixture *f, const struct column_spec *s,
                      bool distinct, const struct type_request *req,
                      size_t nreq)
{
    struct buf b;
    buf_init(&b);
    buf_adds(&b, "a;meta\n");
    for (size_t r = 0; r < MANY; r++) {
        buf_adds(&b, "x;");
        add_meta(&b, s, r, distinct);
        buf_addc(&b, '\n');
    }
    bool ok = csvfile_read_mem(f->a, &f->d, "plan.csv", b.data, b.len, NULL,
                               &f->raw) &&
              csvfile_to_table(f->a, &f->d, &f->raw, req, nreq, &f->t);
    csvfile_release(&f->d, &f->raw);
    buf_release(&b);
    return ok;
}

/* The file of s read with distinct filler rows into f gives the result,
 * the type of meta and the messages that it gives with rows all alike. */
static bool read_both_ways(struct fixture *f, const struct column_spec *s,
                           const struct type_request *req, size_t nreq)
{
    struct fixture *g;
    setup((void **)&g);
    bool ok = read_spec(f, s, true, req, nreq);
    assert_int_equal(read_spec(g, s, false, req, nreq), ok);
    assert_int_equal(f->d.n, g->d.n);
    for (size_t i = 0; i < g->d.n; i++) {
        char *m = diag_format(&g->d.msgs[i]);
        assert_msg(f, i, m), free(m);
    }
    if (ok)
        assert_int_equal(f->t.cols[1].type, g->t.cols[1].type);
    teardown((void **)&g);
    return ok;
}

/* Row r of the file of table_should_infer_types_row_by_row. */
static void add_typed_row(struct buf *b, size_t r)
{
    buf_printf(b, "%zu;%zu,5;%zu,5%%;", r + 1, r, r);
    add_date(b, r);
    buf_printf(b, ";n%zu;%zu;%zu\n", r, r, r % 3);
}

static bool read_typed_rows(struct fixture *f, size_t nrows)
{
    struct buf b;
    buf_init(&b);
    buf_adds(&b, "id;meta;avance;fecha;nombre;codigo;g\n");
    for (size_t r = 0; r < nrows; r++) {
        if (r == 6000) { /* blanks in a column read row by row */
            buf_adds(&b, "6001; ;;;;;0\n");
            continue;
        }
        add_typed_row(&b, r);
    }
    bool ok = csvfile_read_mem(f->a, &f->d, "plan.csv", b.data, b.len, NULL,
                               &f->raw) &&
              csvfile_to_table(f->a, &f->d, &f->raw, NULL, 0, &f->t);
    csvfile_release(&f->d, &f->raw);
    buf_release(&b);
    return ok;
}

static void table_should_infer_types_row_by_row(void **state)
{
    struct fixture *f = *state, *g;
    assert_true(read_typed_rows(f, MANY));
    assert_int_equal(f->d.n, 0);
    static const enum vtype want[] = {V_INT,  V_NUMBER, V_PERCENT, V_DATE,
                                      V_TEXT, V_TEXT,   V_INT};
    /* the same types over few rows, whose texts go through the table */
    setup((void **)&g);
    assert_true(read_typed_rows(g, 100));
    for (size_t c = 0; c < 7; c++) {
        assert_int_equal(f->t.cols[c].type, want[c]);
        assert_int_equal(g->t.cols[c].type, want[c]);
    }
    teardown((void **)&g);
    const struct cell *cell = table_cell(&f->t, 5000, 0);
    assert_int_equal(cell->v.type, V_INT);
    assert_true(cell->v.num == 5001);
    assert_int_equal(cell->line, 5002);
    assert_true(table_cell(&f->t, 5000, 1)->v.num == 5000.5);
    assert_true(table_cell(&f->t, 5000, 2)->v.num == 5000.5);
    assert_int_equal(table_cell(&f->t, 5000, 3)->v.days,
                     date_from_ymd(2014, 11, 17));
    assert_string_equal(table_cell(&f->t, 5000, 4)->v.text, "n5000");
    assert_string_equal(table_cell(&f->t, 5000, 5)->v.text, "5000");
    assert_true(table_cell(&f->t, 5000, 6)->v.num == 2);
    for (size_t c = 1; c < 6; c++)
        assert_int_equal(table_cell(&f->t, 6000, c)->v.type, V_MISSING);
    assert_int_equal(table_cell(&f->t, 6000, 3)->line, 6002);
    assert_int_equal(table_cell(&f->t, MANY - 1, 3)->v.days,
                     date_from_ymd(2036, 8, 6));
}

static const struct special conflict_late[] = {{6000, "3,5"}, {6001, "4,5"}};
static const struct special conflict_early[] = {{100, "3,5"}, {6000, "4,5"}};

static void table_should_report_mixed_styles_after_the_switch(void **state)
{
    struct fixture *f = *state;
    const struct column_spec s = {"0.5", add_plain, "7.5", conflict_late, 2};
    assert_false(read_both_ways(f, &s, NULL, 0));
    assert_int_equal(f->d.n, 1);
    assert_msg(f, 0,
               "plan.csv:6002:3: error: el valor '3,5' de la columna 'meta' "
               "está escrito como 1.234,5, pero '0.5' (línea 2) está escrito "
               "como 1,234.5; use un solo formato en la columna");
}

static void table_should_report_mixed_styles_before_the_switch(void **state)
{
    struct fixture *f = *state;
    const struct column_spec s = {"0.5", add_plain, "7.5", conflict_early, 2};
    assert_false(read_both_ways(f, &s, NULL, 0));
    assert_int_equal(f->d.n, 1);
    assert_msg(f, 0,
               "plan.csv:102:3: error: el valor '3,5' de la columna 'meta' "
               "está escrito como 1.234,5, pero '0.5' (línea 2) está escrito "
               "como 1,234.5; use un solo formato en la columna");
}

static void table_should_read_mixed_styles_of_text_as_text(void **state)
{
    struct fixture *f = *state;
    static const struct special sp[] = {{6000, "3,5"}, {7000, "otro"}};
    const struct column_spec s = {"0.5", add_plain, "7.5", sp, 2};
    assert_true(read_both_ways(f, &s, NULL, 0));
    assert_int_equal(f->t.cols[1].type, V_TEXT);
    assert_string_equal(table_cell(&f->t, 7000, 1)->v.text, "otro");
    assert_string_equal(table_cell(&f->t, 5000, 1)->v.text, "5000.5");
}

static void table_should_report_bad_forced_values_in_row_order(void **state)
{
    struct fixture *f = *state;
    static const struct special sp[] = {
        {200, "12x"}, {7000, "12x"}, {7001, "13y"}, {9000, "12x"}};
    const struct column_spec s = {"0", add_int, "7", sp, 4};
    struct type_request req[] = {{.column = "meta", .type = V_INT}};
    assert_false(read_both_ways(f, &s, req, 1));
    assert_int_equal(f->d.n, 4);
    assert_msg(f, 0,
               "plan.csv:202:3: error: el valor '12x' de la columna 'meta' no "
               "es un número entero");
    assert_msg(f, 2,
               "plan.csv:7003:3: error: el valor '13y' de la columna 'meta' no "
               "es un número entero");
    assert_msg(f, 3,
               "plan.csv:9002:3: error: el valor '12x' de la columna 'meta' no "
               "es un número entero");
    assert_int_equal(table_cell(&f->t, 7000, 1)->v.type, V_MISSING);
    assert_true(table_cell(&f->t, 7002, 1)->v.num == 7002);
}

static void table_should_report_a_bad_forced_date_after_the_switch(void **state)
{
    struct fixture *f = *state;
    static const struct special sp[] = {{5000, "2020-13-01"},
                                        {5001, "2020-13-01"}};
    const struct column_spec s = {"2020-01-01", add_date, "2020-01-01", sp, 2};
    struct type_request req[] = {{.column = "meta", .type = V_DATE}};
    assert_false(read_both_ways(f, &s, req, 1));
    assert_int_equal(f->d.n, 2);
    static const char *const want[] = {
        "plan.csv:5002:3: error: el valor '2020-13-01' de la columna 'meta' "
        "no es una fecha",
        "plan.csv:5003:3: error: el valor '2020-13-01' de la columna 'meta' "
        "no es una fecha"};
    for (size_t i = 0; i < 2; i++) {
        char *m = diag_format(&f->d.msgs[i]);
        assert_true(strncmp(m, want[i], strlen(want[i])) == 0);
        free(m);
    }
    assert_int_equal(table_cell(&f->t, 5002, 1)->v.days,
                     date_from_ymd(2014, 11, 19));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(table_should_infer_types_row_by_row),
        T(table_should_report_mixed_styles_after_the_switch),
        T(table_should_report_mixed_styles_before_the_switch),
        T(table_should_read_mixed_styles_of_text_as_text),
        T(table_should_report_bad_forced_values_in_row_order),
        T(table_should_report_a_bad_forced_date_after_the_switch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
