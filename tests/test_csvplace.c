/* test_csvplace: the fields read in place (see struct rawcsv in
 * csvfile.h): which ones point into the decoded text and which are
 * copies, the NULs written over the bytes that end them, the columns and
 * lines of messages once they are written, and the text given back as it
 * was read (csvfile_release). Each file is read twice, as usual and with
 * libcsv_only (read_both): both give the same fields and messages. */
#include "csvfixture.h"

#include "base/arena.h"
#include "base/diag.h"
#include "data/csvfile.h"

#include <stdio.h>
#include <stdlib.h>

/* Whether field (row, col) points into the text: read in place. */
static bool in_text(const struct fixture *f, size_t row, size_t col)
{
    const char *s = field(f, row, col);
    return s >= f->raw.text && s <= f->raw.text + f->raw.text_len;
}

/* What diag_print prints for f's messages; caller frees. */
static char *printed(const struct fixture *f)
{
    char *out = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&out, &len);
    assert_non_null(m);
    diag_print(&f->d, m);
    fclose(m);
    return out;
}

/* Reads data (both ways), types it with req, gives the text back as a
 * source does (csvfile_release) and returns what is printed; the typing
 * must fail. */
static char *typed_error(struct fixture *f, const char *data,
                         const struct type_request *req, size_t nreq,
                         unsigned line, unsigned col)
{
    struct csvfile_options opt = {0};
    assert_true(read_both(f, data, opt));
    assert_false(csvfile_to_table(f->a, &f->d, &f->raw, req, nreq, &f->t));
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.msgs[0].line, line);
    assert_int_equal(f->d.msgs[0].col, col);
    csvfile_release(&f->d, &f->raw);
    assert_memory_equal(f->raw.text, data, f->raw.text_len);
    return printed(f);
}

static void
place_should_end_fields_at_line_ends_and_the_end_of_text(void **state)
{
    struct fixture *f = *state;
    struct csvfile_options opt = {0};
    const char *csv = "a,b,c\n1,22,333\n4,55,666";
    assert_true(read_both(f, csv, opt));
    assert_int_equal(f->raw.nrows, 2);
    /* before a delimiter: in place, a NUL over it */
    assert_ptr_equal(field(f, 0, 0), f->raw.text + 6);
    assert_ptr_equal(field(f, 0, 1), f->raw.text + 8);
    assert_ptr_equal(field(f, 1, 1), f->raw.text + 17);
    assert_int_equal(f->raw.text[7], '\0');
    assert_int_equal(f->raw.text[10], '\0');
    assert_int_equal(f->raw.text[19], '\0');
    /* before a line end: a copy, the '\n' kept */
    assert_string_equal(field(f, 0, 2), "333");
    assert_false(in_text(f, 0, 2));
    assert_int_equal(f->raw.text[14], '\n');
    /* at the end of the text, without a line end: in place, its NUL */
    assert_ptr_equal(field(f, 1, 2), f->raw.text + 20);
    assert_string_equal(field(f, 1, 2), "666");
    assert_int_equal(f->raw.text_len, 23);
    assert_int_equal(csvfile_field_column(&f->raw, 1, 2), 6);
    csvfile_release(&f->d, &f->raw);
    assert_memory_equal(f->raw.text, csv, 24);
}

static void place_should_copy_a_field_followed_by_blanks(void **state)
{
    struct fixture *f = *state;
    struct csvfile_options opt = {0};
    const char *csv = "a;b;c\n1 \t;  2;3\t \n";
    assert_true(read_both(f, csv, opt));
    assert_string_equal(field(f, 0, 0), "1");
    assert_false(in_text(f, 0, 0));
    assert_ptr_equal(field(f, 0, 1), f->raw.text + 12);
    assert_string_equal(field(f, 0, 2), "3");
    assert_false(in_text(f, 0, 2));
    assert_int_equal(csvfile_field_column(&f->raw, 0, 1), 7);
    csvfile_release(&f->d, &f->raw);
    assert_string_equal(f->raw.text, csv);
}

static void place_should_read_a_quoted_field_among_unquoted_ones(void **state)
{
    struct fixture *f = *state;
    struct csvfile_options opt = {0};
    const char *csv = "a;b;c\n1;\"x;y\";3\n4;5;6\n\"7\";\"a\"\"b\";9\n";
    assert_true(read_both(f, csv, opt));
    assert_int_equal(f->raw.nrows, 3);
    /* a record with quotes (libcsv): "1" before its delimiter, "x;y"
     * before its closing quote, NULs over both */
    assert_ptr_equal(field(f, 0, 0), f->raw.text + 6);
    assert_ptr_equal(field(f, 0, 1), f->raw.text + 9);
    assert_string_equal(field(f, 0, 1), "x;y");
    assert_int_equal(f->raw.text[7], '\0');
    assert_int_equal(f->raw.text[12], '\0');
    assert_int_equal(f->raw.text[10], ';');
    assert_false(in_text(f, 0, 2));
    /* one without: as always */
    assert_ptr_equal(field(f, 1, 0), f->raw.text + 16);
    assert_ptr_equal(field(f, 1, 1), f->raw.text + 18);
    /* a doubled quote: a copy */
    assert_ptr_equal(field(f, 2, 0), f->raw.text + 23);
    assert_string_equal(field(f, 2, 1), "a\"b");
    assert_false(in_text(f, 2, 1));
    assert_int_equal(csvfile_field_column(&f->raw, 0, 2), 9);
    assert_int_equal(csvfile_field_column(&f->raw, 2, 1), 5);
    assert_int_equal(csvfile_field_column(&f->raw, 2, 2), 12);
    csvfile_release(&f->d, &f->raw);
    assert_string_equal(f->raw.text, csv);
}

static void place_should_give_back_a_quoted_field_over_lines(void **state)
{
    struct fixture *f = *state;
    struct csvfile_options opt = {0};
    const char *csv = "a;b\n\"uno\ndos\";2\n\" ; \";\"\"\n";
    assert_true(read_both(f, csv, opt));
    assert_ptr_equal(field(f, 0, 0), f->raw.text + 5);
    assert_string_equal(field(f, 0, 0), "uno\ndos");
    assert_int_equal(f->raw.lines[csvfile_at(&f->raw, 0, 1)], 3);
    assert_int_equal(csvfile_field_column(&f->raw, 0, 1), 6);
    assert_string_equal(field(f, 1, 0), " ; ");
    assert_ptr_equal(field(f, 1, 0), f->raw.text + 17);
    assert_string_equal(field(f, 1, 1), "");
    csvfile_release(&f->d, &f->raw);
    assert_string_equal(f->raw.text, csv);
}

static void place_should_copy_a_doubled_quote_at_the_end_of_text(void **state)
{
    struct fixture *f = *state;
    struct csvfile_options opt = {0};
    /* "8""" is 8 and a quote: at the end of the text, what ends it is the
     * text's end, not the quote before that (no NUL is written over it) */
    const char *csv = "H\n\"8\"\"\"\nH\n\"8\"\"\"";
    assert_true(read_both(f, csv, opt));
    assert_int_equal(f->raw.nrows, 3);
    assert_string_equal(field(f, 2, 0), "8\"");
    assert_false(in_text(f, 2, 0));
    csvfile_release(&f->d, &f->raw);
    assert_string_equal(f->raw.text, csv);
    /* one without a doubled quote: a NUL over its closing quote, the
     * text's last byte */
    assert_true(read_both(f, "a;b\n1;\"x\"", opt));
    assert_ptr_equal(field(f, 0, 1), f->raw.text + 7);
    assert_string_equal(field(f, 0, 1), "x");
    assert_int_equal(f->raw.text[8], '\0');
    assert_ptr_equal(field(f, 0, 0), f->raw.text + 4);
    csvfile_release(&f->d, &f->raw);
    assert_string_equal(f->raw.text, "a;b\n1;\"x\"");
}

static void place_should_point_messages_at_fields_read_in_place(void **state)
{
    struct fixture *f = *state;
    struct type_request req[] = {{.column = "meta", .type = V_INT}};
    char *got =
        typed_error(f, "id;meta;nota\n1;2;x\n2;tres;y\n3;4;z\n", req, 1, 3, 3);
    assert_string_equal(got, "plan.csv:3:3: error: el valor 'tres' de la "
                             "columna 'meta' no es un número entero\n"
                             "     3 | 2;tres;y\n"
                             "       |   ^\n");
    free(got);
}

static void place_should_show_the_line_of_a_memory_source(void **state)
{
    struct fixture *f = *state;
    struct type_request req[] = {{.column = "c", .type = V_INT}};
    char *got = typed_error(f, "a;b;c\n1;2;3\n\"4\";5;x\n", req, 1, 3, 7);
    assert_string_equal(got, "plan.csv:3:7: error: el valor 'x' de la "
                             "columna 'c' no es un número entero\n"
                             "     3 | \"4\";5;x\n"
                             "       |       ^\n");
    free(got);
}

static void place_should_read_cr_and_crlf_files(void **state)
{
    struct fixture *f = *state;
    struct type_request req[] = {{.column = "b", .type = V_INT}};
    const char *want = "plan.csv:3:5: error: el valor 'x' de la columna 'b' "
                       "no es un número entero\n"
                       "     3 | 3;4;x\n"
                       "       |     ^\n";
    struct csvfile_options opt = {0};
    const char *files[] = {"a;c;b\r1;2;3\r3;4;x\r",
                           "a;c;b\r\n1;2;3\r\n3;4;x\r\n"};
    for (size_t i = 0; i < 2; i++) {
        diag_release(&f->d);
        diag_init(&f->d);
        assert_true(read_both(f, files[i], opt));
        /* the line ends are LF in the text: "1" at 6, "3" at 12 */
        assert_ptr_equal(field(f, 0, 0), f->raw.text + 6);
        assert_ptr_equal(field(f, 1, 1), f->raw.text + 14);
        assert_int_equal(f->raw.text[11], '\n');
        assert_false(csvfile_to_table(f->a, &f->d, &f->raw, req, 1, &f->t));
        csvfile_release(&f->d, &f->raw);
        assert_string_equal(f->raw.text, "a;c;b\n1;2;3\n3;4;x\n");
        char *got = printed(f);
        assert_string_equal(got, want);
        free(got);
    }
}

static void place_should_read_windows_1252(void **state)
{
    struct fixture *f = *state;
    struct csvfile_options opt = {0};
    assert_true(read_both(f,
                          "nombre;ciudad;n\nJos\xE9;Medell\xEDn;1\n"
                          "G\xF3mez;Ibagu\xE9;2\n",
                          opt));
    assert_int_equal(f->raw.encoding, CSVFILE_WINDOWS_1252);
    /* the decoded text: "José" at 16, "Medellín" at 22 */
    assert_ptr_equal(field(f, 0, 0), f->raw.text + 16);
    assert_string_equal(field(f, 0, 0), "Jos\xC3\xA9");
    assert_ptr_equal(field(f, 0, 1), f->raw.text + 22);
    assert_string_equal(field(f, 0, 1), "Medell\xC3\xADn");
    assert_string_equal(field(f, 1, 1), "Ibagu\xC3\xA9");
    /* characters, not bytes: "Ibagué" begins at the 7th */
    assert_int_equal(csvfile_field_column(&f->raw, 1, 1), 7);
    csvfile_release(&f->d, &f->raw);
    assert_string_equal(f->raw.text,
                        "nombre;ciudad;n\nJos\xC3\xA9;Medell\xC3\xADn;1\n"
                        "G\xC3\xB3mez;Ibagu\xC3\xA9;2\n");
}

static void place_should_put_back_a_row_with_too_many_fields(void **state)
{
    struct fixture *f = *state;
    struct csvfile_options opt = {0};
    /* row 2 is split in place up to its fourth field, then read again by
     * the path that reports it, and the text is given back on failure */
    assert_false(read_both(f, "a,b,c\n1,2,3,4\n5,6,7\n", opt));
    char *got = printed(f);
    assert_string_equal(got, "plan.csv:2:7: error: la fila tiene 4 campos, "
                             "pero el encabezado tiene 3: sobra desde el "
                             "campo 4 (¿un ',' de más, o un texto con ',' "
                             "sin comillas?)\n"
                             "     2 | 1,2,3,4\n"
                             "       |       ^\n");
    free(got);
}

static void place_should_bound_the_text(void **state)
{
    struct fixture *f = *state;
    assert_true(csvfile_text_fits(&f->d, "plan.csv", CSVFILE_MAX_TEXT));
    assert_int_equal(f->d.n, 0);
    assert_false(csvfile_text_fits(&f->d, "plan.csv", CSVFILE_MAX_TEXT + 1));
    assert_msg(f, 0,
               "plan.csv: error: el archivo ocupa 4096 MiB en UTF-8, más de "
               "los 4095 MiB que informe lee de un archivo CSV");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(place_should_end_fields_at_line_ends_and_the_end_of_text),
        T(place_should_copy_a_field_followed_by_blanks),
        T(place_should_read_a_quoted_field_among_unquoted_ones),
        T(place_should_give_back_a_quoted_field_over_lines),
        T(place_should_copy_a_doubled_quote_at_the_end_of_text),
        T(place_should_point_messages_at_fields_read_in_place),
        T(place_should_show_the_line_of_a_memory_source),
        T(place_should_read_cr_and_crlf_files),
        T(place_should_read_windows_1252),
        T(place_should_put_back_a_row_with_too_many_fields),
        T(place_should_bound_the_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
