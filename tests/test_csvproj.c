/* test_csvproj: the reading of a CSV file whose caller reads only some of
 * its columns (csvfile_options.unread): only their fields are kept, and a
 * record without quotes is not split past the last of them. Each file is
 * read twice, so and with libcsv_only (every record split by libcsv),
 * and both must give the same rows, fields, positions and messages; the
 * tests then check the values and the exact messages. */
#include "csvfixture.h"

#include "base/arena.h"
#include "base/diag.h"
#include "base/limits.h"
#include "data/csvfile.h"

#include <stdlib.h>

/* Of the five columns a;b;c;d;e, only a and c are read: the fields of d
 * and e come after the last column read. */
static void read_a_and_c(void *ctx, const struct rawcsv *raw, bool *unread)
{
    (void)ctx;
    assert_int_equal(raw->ncols, 5);
    unread[1] = unread[3] = unread[4] = true;
}

/* Reads data (len bytes) with only a and c read, and again with
 * libcsv_only; both must agree in everything; the first result is left
 * in f. */
static bool read_ac(struct fixture *f, const char *data, size_t len)
{
    diag_release(&f->d);
    diag_init(&f->d);
    return read_both_len(f, data, len,
                         (struct csvfile_options){.unread = read_a_and_c});
}

static bool read_ac_s(struct fixture *f, const char *data)
{
    return read_ac(f, data, strlen(data));
}

static void projection_should_keep_only_the_columns_read(void **state)
{
    struct fixture *f = *state;
    assert_true(read_ac_s(f, "a;b;c;d;e\n1; x ;2;y y;z\n 3 ;;4;;\n"));
    assert_int_equal(f->raw.nrows, 2);
    assert_int_equal(f->raw.stride, 2);
    assert_true(csvfile_kept(&f->raw, 0));
    assert_false(csvfile_kept(&f->raw, 1));
    assert_true(csvfile_kept(&f->raw, 2));
    assert_false(csvfile_kept(&f->raw, 4));
    assert_string_equal(field(f, 0, 0), "1");
    assert_string_equal(field(f, 0, 2), "2");
    assert_string_equal(field(f, 1, 0), "3");
    assert_string_equal(field(f, 1, 2), "4");
    assert_int_equal(f->raw.lines[csvfile_at(&f->raw, 1, 2)], 3);
    /* "1; x ;2;y y;z\n" is 14 bytes from 10: " 3 ;;4" puts 4 at 29 */
    assert_int_equal(f->raw.offsets[csvfile_at(&f->raw, 1, 0)], 25);
    assert_int_equal(f->raw.offsets[csvfile_at(&f->raw, 1, 2)], 29);
    assert_int_equal(csvfile_field_column(&f->raw, 1, 2), 6);
    /* "1", "2" and "4" are read in place, NULs over the ';' after them;
     * "3", a blank after it, is a copy; the columns not read are left as
     * they were read */
    assert_ptr_equal(field(f, 0, 0), f->raw.text + 10);
    assert_ptr_equal(field(f, 0, 2), f->raw.text + 16);
    assert_ptr_equal(field(f, 1, 2), f->raw.text + 29);
    assert_memory_equal(f->raw.text + 10, "1\0 x ;2\0y y;z\n", 14);
    assert_memory_equal(f->raw.text + 24, " 3 ;;4\0;\n", 9);
    assert_true(field(f, 1, 0) < f->raw.text ||
                field(f, 1, 0) >= f->raw.text + f->raw.text_len);
    csvfile_release(&f->d, &f->raw);
    assert_memory_equal(f->raw.text + 10, "1; x ;2;y y;z\n 3 ;;4;;\n", 23);
}

static void
projection_should_report_too_few_fields_after_the_last_read(void **state)
{
    struct fixture *f = *state;
    assert_false(read_ac_s(f, "a;b;c;d;e\n1;x;2;y\n5;x;6;y;z\n7;x;8\n"));
    assert_int_equal(f->d.n, 2);
    assert_msg(f, 0,
               "plan.csv:2: error: la fila tiene 4 campos, pero el "
               "encabezado tiene 5");
    assert_msg(f, 1,
               "plan.csv:4: error: la fila tiene 3 campos, pero el "
               "encabezado tiene 5");
}

static void
projection_should_report_too_many_fields_after_the_last_read(void **state)
{
    struct fixture *f = *state;
    assert_false(read_ac_s(f, "a;b;c;d;e\n1;x;2;y;z;w;v\n"));
    assert_int_equal(f->d.n, 1);
    assert_msg(f, 0,
               "plan.csv:2:11: error: la fila tiene 7 campos, pero el "
               "encabezado tiene 5: sobra desde el campo 6 (¿un ';' de más, "
               "o un texto con ';' sin comillas?)");
    /* a row of empty fields is no row, with one too many or not */
    assert_true(read_ac_s(f, "a;b;c;d;e\n;;;;;\n;;;;\n1;;2;;\n"));
    assert_int_equal(f->raw.nrows, 1);
    assert_string_equal(field(f, 0, 2), "2");
}

static void
projection_should_read_a_quoted_field_after_the_last_read(void **state)
{
    struct fixture *f = *state;
    assert_true(read_ac_s(f, "a;b;c;d;e\n1;x;2;\"y;\n\"\"y\";z\n3;x;4;y;z\n"));
    assert_int_equal(f->raw.nrows, 2);
    assert_string_equal(field(f, 0, 2), "2");
    assert_string_equal(field(f, 1, 0), "3");
    assert_int_equal(f->raw.lines[csvfile_at(&f->raw, 1, 0)], 4);
    /* a stray quote past the last column read is still an error there */
    assert_false(read_ac_s(f, "a;b;c;d;e\n1;x;2;y\"y;z\n"));
    assert_msg(f, 0,
               "plan.csv:2:8: error: comilla dentro de un campo sin comillas "
               "(encierre el campo entre comillas y escriba \"\" por cada "
               "comilla)");
}

static void
projection_should_keep_rows_with_text_only_in_columns_not_read(void **state)
{
    struct fixture *f = *state;
    /* blank lines and records of empty fields are skipped; a record with
     * text only in b, or only past c, is a row of empty fields */
    assert_true(read_ac_s(f, "a;b;c;d;e\n\n  \n; ;;\t;\n;x;;;\n;;;;z\n"
                             ";; ;y;\n"));
    assert_int_equal(f->raw.nrows, 3);
    assert_int_equal(f->raw.lines[csvfile_at(&f->raw, 0, 0)], 5);
    assert_int_equal(f->raw.lines[csvfile_at(&f->raw, 1, 2)], 6);
    assert_int_equal(f->raw.lines[csvfile_at(&f->raw, 2, 2)], 7);
    assert_string_equal(field(f, 1, 0), "");
    assert_true(f->raw.empty[csvfile_at(&f->raw, 1, 0)]);
    assert_true(f->raw.empty[csvfile_at(&f->raw, 2, 2)]);
    /* the last record, without a line end, ends in empty fields */
    assert_true(read_ac_s(f, "a;b;c;d;e\n1;;2;;"));
    assert_int_equal(f->raw.nrows, 1);
    assert_string_equal(field(f, 0, 2), "2");
}

static void projection_should_read_crlf_and_windows_1252(void **state)
{
    struct fixture *f = *state;
    const char crlf[] = "a;b;c;d;e\r\n1;x;caf\xe9;y\xe9;z\r\n"
                        "2;x;3;y\r\n";
    assert_false(read_ac(f, crlf, sizeof crlf - 1));
    assert_int_equal(f->raw.encoding, CSVFILE_WINDOWS_1252);
    assert_msg(f, 0,
               "plan.csv:3: error: la fila tiene 4 campos, pero el "
               "encabezado tiene 5");
    const char ok[] = "a;b;c;d;e\r\n1;x;caf\xe9;y\xe9;z\r\n2;x;3;y;\r\n";
    assert_true(read_ac(f, ok, sizeof ok - 1));
    assert_int_equal(f->raw.nrows, 2);
    assert_string_equal(field(f, 0, 2), "café");
    assert_string_equal(field(f, 1, 2), "3");
    assert_int_equal(f->raw.lines[csvfile_at(&f->raw, 1, 2)], 3);
    assert_int_equal(csvfile_field_column(&f->raw, 1, 2), 5);
}

static void
projection_should_report_a_long_field_after_the_last_read(void **state)
{
    struct fixture *f = *state;
    const char *why;
    assert_true(limits_set("cell_length=4", &why));
    /* the record is longer than a field may be: every field is split */
    bool ok = read_ac_s(f, "a;b;c;d;e\n1;x;2;y;z\n1;x;2;yyyyy;z\n");
    limits_reset();
    assert_false(ok);
    assert_int_equal(f->d.n, 1);
    assert_msg(f, 0,
               "plan.csv:3:7: error: el largo del campo supera el límite de "
               "4 bytes (límite 'cell_length'; súbalo con --limit "
               "cell_length=16)");
}

/* Past the last column read, the delimiters are counted eight bytes at a
 * time, 255 words a round: records whose last fields run over several
 * rounds, with one field too many or too few at any place. */
static void
projection_should_count_long_fields_after_the_last_read(void **state)
{
    struct fixture *f = *state;
    enum { LONG = 4100 };
    char *csv = malloc(LONG + 64);
    for (size_t at = 0; at < LONG; at += 509) {
        for (int extra = -1; extra <= 1; extra++) {
            /* "1;x;2;" then LONG bytes of d and e with extra + 1
             * delimiters in them (one at at), then the line end */
            size_t n = (size_t)snprintf(csv, 64, "a;b;c;d;e\n1;x;2;");
            memset(csv + n, 'y', LONG);
            if (extra >= 0)
                csv[n + at] = ';';
            if (extra == 1)
                csv[n + (at + LONG / 2) % LONG] = ';';
            /* extra -1: d alone; 0: d and e; 1: one field too many */
            if (extra == 1 && (at + LONG / 2) % LONG == at)
                continue;
            csv[n + LONG] = '\n';
            csv[n + LONG + 1] = '\0';
            bool ok = read_ac(f, csv, n + LONG + 1);
            assert_int_equal(ok, extra == 0);
            char want[160] = "";
            size_t last =
                at > (at + LONG / 2) % LONG ? at : (at + LONG / 2) % LONG;
            if (extra == -1)
                snprintf(want, sizeof want,
                         "plan.csv:2: error: la fila tiene 4 campos, pero el "
                         "encabezado tiene 5");
            else if (extra == 1) /* the caret under the sixth field */
                snprintf(want, sizeof want,
                         "plan.csv:2:%zu: error: la fila tiene 6 campos, "
                         "pero el encabezado tiene 5: sobra desde el campo 6 "
                         "(¿un ';' de más, o un texto con ';' sin comillas?)",
                         n + last + 1 - 10 + 1);
            if (ok) {
                assert_int_equal(f->raw.nrows, 1);
                assert_string_equal(field(f, 0, 2), "2");
            } else {
                assert_int_equal(f->d.n, 1);
                assert_msg(f, 0, want);
            }
        }
    }
    free(csv);
}

/* A column not read has no fields to type, even when its type is asked
 * for (a caller keeps the columns it forces); one read is typed. */
static void projection_should_type_only_the_columns_kept(void **state)
{
    struct fixture *f = *state;
    assert_true(read_ac_s(f, "a;b;c;d;e\n1;x;2;y;z\n3;w;4;;\n"));
    struct table t;
    struct type_request req[] = {{.column = "b", .type = V_INT},
                                 {.column = "c", .type = V_INT}};
    assert_true(csvfile_to_table_used(f->a, &f->d, &f->raw, req, 2, NULL, &t));
    assert_int_equal(f->d.n, 0);
    assert_int_equal(t.cols[1].type, V_TEXT);
    assert_int_equal(table_cell(&t, 0, 1)->v.type, V_MISSING);
    assert_int_equal(t.cols[2].type, V_INT);
    assert_int_equal(table_cell(&t, 1, 2)->v.type, V_INT);
    assert_int_equal(table_cell(&t, 1, 2)->line, 3);
    assert_int_equal(t.cols[0].type, V_INT);
    assert_int_equal(t.cols[4].type, V_TEXT);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(projection_should_keep_only_the_columns_read),
        T(projection_should_report_too_few_fields_after_the_last_read),
        T(projection_should_report_too_many_fields_after_the_last_read),
        T(projection_should_read_a_quoted_field_after_the_last_read),
        T(projection_should_keep_rows_with_text_only_in_columns_not_read),
        T(projection_should_read_crlf_and_windows_1252),
        T(projection_should_report_a_long_field_after_the_last_read),
        T(projection_should_type_only_the_columns_kept),
        T(projection_should_count_long_fields_after_the_last_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
