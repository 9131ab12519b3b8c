/* test_csv: the CSV reader (encodings, delimiters, quoting, line numbers,
 * malformed input) and the typing of columns, with exact messages. */
#include "csvfixture.h"

#include "base/arena.h"
#include "data/csvfile.h"
#include "base/diag.h"
#include "base/limits.h"
#include "data/parse.h"

#include <stdlib.h>

static bool read_n(struct fixture *f, const char *data, size_t len)
{
    return csvfile_read_mem(f->a, &f->d, "plan.csv", data, len, NULL, &f->raw);
}

static bool read_s(struct fixture *f, const char *data)
{
    return read_n(f, data, strlen(data));
}

static bool read_typed(struct fixture *f, const char *data,
                       const struct type_request *req, size_t nreq)
{
    bool ok = read_s(f, data) &&
              csvfile_to_table(f->a, &f->d, &f->raw, req, nreq, &f->t);
    csvfile_release(&f->d, &f->raw); /* as a source does once typed */
    return ok;
}

static unsigned line_of(const struct fixture *f, size_t row, size_t col)
{
    return f->raw.lines[csvfile_at(&f->raw, row, col)];
}

static void csv_should_read_a_plain_utf8_file(void **state)
{
    struct fixture *f = *state;
    assert_true(read_s(f, "a,b,c\n1,2,3\n4,5,6\n"));
    assert_int_equal(f->raw.encoding, CSVFILE_UTF8);
    assert_int_equal(f->raw.delimiter, ',');
    assert_int_equal(f->raw.ncols, 3);
    assert_int_equal(f->raw.nrows, 2);
    assert_string_equal(f->raw.header[2], "c");
    assert_string_equal(field(f, 1, 2), "6");
    assert_int_equal(line_of(f, 1, 0), 3);
    assert_int_equal(f->raw.header_line, 1);
    assert_int_equal(f->d.n, 0);
}

static void csv_should_strip_the_utf8_bom(void **state)
{
    struct fixture *f = *state;
    assert_true(read_s(f, "\xEF\xBB\xBF"
                          "Código,Valor\n1,2\n"));
    assert_int_equal(f->raw.encoding, CSVFILE_UTF8_BOM);
    assert_string_equal(f->raw.header[0], "Código");
    assert_string_equal(csvfile_encoding_name(f->raw.encoding), "utf-8-bom");
}

static void csv_should_transcode_windows_1252(void **state)
{
    struct fixture *f = *state;
    /* á é í ó ú ñ Ñ ¿ ¡ ° ª € “ ” – — … in Windows-1252 */
    static const char data[] =
        "texto\n"
        "\xE1\xE9\xED\xF3\xFA\xF1\xD1\xBF\xA1\xB0\xAA\x80\x93\x94\x96\x97"
        "\x85\n";
    assert_true(read_n(f, data, sizeof data - 1));
    assert_int_equal(f->raw.encoding, CSVFILE_WINDOWS_1252);
    assert_string_equal(csvfile_encoding_name(f->raw.encoding), "windows-1252");
    assert_string_equal(field(f, 0, 0),
                        "\xC3\xA1\xC3\xA9\xC3\xAD\xC3\xB3\xC3\xBA\xC3\xB1"
                        "\xC3\x91\xC2\xBF\xC2\xA1\xC2\xB0\xC2\xAA"
                        "\xE2\x82\xAC\xE2\x80\x9C\xE2\x80\x9D\xE2\x80\x93"
                        "\xE2\x80\x94\xE2\x80\xA6");
}

static void csv_should_reject_bytes_undefined_in_windows_1252(void **state)
{
    struct fixture *f = *state;
    assert_false(read_s(f, "a;b\nCa\xF1o;1\nx\x81y;2\n"));
    assert_int_equal(f->d.code, EXIT_DATAERR);
    assert_msg(f, 0,
               "plan.csv:3:2: error: byte 0x81 no válido: el archivo no es "
               "UTF-8 ni Windows-1252");
    assert_int_equal(f->raw.ncols, 0);
}

static void csv_should_reject_nul_bytes(void **state)
{
    struct fixture *f = *state;
    static const char data[] = "a,b\n1,2\n3,\0\n";
    assert_false(read_n(f, data, sizeof data - 1));
    assert_msg(f, 0,
               "plan.csv:3:3: error: el archivo tiene un byte nulo (0x00): no "
               "parece un archivo de texto CSV");
}

static void csv_should_read_a_bad_line_after_a_bom_as_windows_1252(void **state)
{
    struct fixture *f = *state;
    assert_true(read_s(f, "\xEF\xBB\xBFnombre\nJos\xE9\n"));
    assert_int_equal(f->raw.encoding, CSVFILE_UTF8_BOM);
    assert_string_equal(field(f, 0, 0), "Jos\xC3\xA9");
    assert_msg(f, 0,
               "plan.csv:2:4: aviso: byte 0xE9 no válido en UTF-8 en un "
               "archivo UTF-8: esta línea se lee como Windows-1252");
}

/* A UTF-8 export with one name pasted from a Windows-1252 file: the file
 * stays UTF-8, only that line is read as Windows-1252, with a warning at
 * its first bad byte; the line's own valid UTF-8 is kept. */
static void csv_should_read_one_windows_1252_line_of_a_utf8_file(void **state)
{
    struct fixture *f = *state;
    assert_true(read_s(f, "nombre;ciudad\n"
                          "Jos\xC3\xA9;Bogot\xC3\xA1\n"
                          "Mar\xC3\xAD"
                          "a;Medell\xC3\xADn\n"
                          "G\xF3mez;Ibagu\xC3\xA9\n"
                          "Ana;Cali\n"));
    assert_int_equal(f->raw.encoding, CSVFILE_UTF8);
    assert_int_equal(f->raw.nrows, 4);
    assert_string_equal(field(f, 0, 0), "Jos\xC3\xA9");
    assert_string_equal(field(f, 1, 1), "Medell\xC3\xADn");
    assert_string_equal(field(f, 2, 0), "G\xC3\xB3mez");
    assert_string_equal(field(f, 2, 1), "Ibagu\xC3\xA9");
    assert_int_equal(f->d.n, 1);
    assert_msg(f, 0,
               "plan.csv:4:2: aviso: byte 0xF3 no válido en UTF-8 en un "
               "archivo UTF-8: esta línea se lee como Windows-1252");
}

/* A Windows-1252 file where one line happens to be valid UTF-8 ("Ã³" is
 * two ordinary Windows-1252 characters): the whole file is Windows-1252. */
static void csv_should_keep_a_windows_1252_file_whole(void **state)
{
    struct fixture *f = *state;
    assert_true(read_s(f, "nombre\nJos\xE9\nG\xF3mez\nA\xC3\xB3\n"));
    assert_int_equal(f->raw.encoding, CSVFILE_WINDOWS_1252);
    assert_string_equal(field(f, 0, 0), "Jos\xC3\xA9");
    assert_string_equal(field(f, 1, 0), "G\xC3\xB3mez");
    assert_string_equal(field(f, 2, 0), "A\xC3\x83\xC2\xB3");
    assert_int_equal(f->d.n, 0);
}

static void csv_should_stop_at_the_row_limit(void **state)
{
    struct fixture *f = *state;
    const char *why;
    assert_true(limits_set("rows=2", &why));
    bool ok = read_s(f, "a;b\n1;2\n3;4\n5;6\n7;8\n");
    limits_reset();
    assert_false(ok);
    assert_msg(f, 0,
               "plan.csv:4:1: error: el número de filas del archivo supera "
               "el límite de 2 filas (límite 'rows'; súbalo con --limit "
               "rows=8)");
}

static void csv_should_stop_at_the_cell_length_limit(void **state)
{
    struct fixture *f = *state;
    const char *why;
    assert_true(limits_set("cell_length=4", &why));
    bool ok = read_s(f, "a;b\n1;2\n3;\"12345\"\n");
    limits_reset();
    assert_false(ok);
    assert_msg(f, 0,
               "plan.csv:3:3: error: el largo del campo supera el límite de "
               "4 bytes (límite 'cell_length'; súbalo con --limit "
               "cell_length=16)");
}

static void csv_should_count_lines_with_crlf_and_cr(void **state)
{
    struct fixture *f = *state;
    assert_true(read_s(f, "a;b\r\n1;2\r\n3;4\r\n"));
    assert_int_equal(f->raw.nrows, 2);
    assert_string_equal(field(f, 1, 1), "4");
    assert_int_equal(line_of(f, 1, 1), 3);

    struct fixture g = {.a = f->a};
    diag_init(&g.d);
    assert_true(read_s(&g, "a;b\r1;2\r\r3;4"));
    assert_int_equal(g.raw.nrows, 2);
    assert_string_equal(field(&g, 1, 0), "3");
    assert_int_equal(line_of(&g, 1, 0), 4);
    diag_release(&g.d);
}

static void csv_should_keep_quoted_newlines_and_their_lines(void **state)
{
    struct fixture *f = *state;
    assert_true(read_s(f, "\"Índice de\r\nDesempeño\",b\r\n"
                          "x,\"uno, \"\"dos\"\"\ntres\"\r\n"
                          "y,z"));
    assert_string_equal(f->raw.header[0], "Índice de\nDesempeño");
    assert_int_equal(f->raw.header_lines[1], 2);
    assert_string_equal(field(f, 0, 1), "uno, \"dos\"\ntres");
    assert_int_equal(line_of(f, 0, 1), 3);
    /* the last line has no newline and begins after the quoted one */
    assert_string_equal(field(f, 1, 1), "z");
    assert_int_equal(line_of(f, 1, 0), 5);
}

static void csv_should_trim_unquoted_fields_but_not_quoted_ones(void **state)
{
    struct fixture *f = *state;
    assert_true(read_s(f, "a,b\n  12 ,\"  keep  \"\n"));
    assert_string_equal(field(f, 0, 0), "12");
    assert_string_equal(field(f, 0, 1), "  keep  ");
}

static void csv_should_skip_blank_lines_and_empty_records(void **state)
{
    struct fixture *f = *state;
    assert_true(read_s(f, "a;b\n\n1;2\n   \n;\n3;4\n\n"));
    assert_int_equal(f->raw.nrows, 2);
    assert_int_equal(line_of(f, 1, 0), 6);
}

static void csv_should_detect_the_delimiter(void **state)
{
    struct fixture *f = *state;
    assert_true(read_s(f, "programa;meta;avance\nAgua;1,5;85,3 %\n"));
    assert_int_equal(f->raw.delimiter, ';');
    assert_string_equal(field(f, 0, 1), "1,5");

    struct fixture g = {.a = f->a};
    diag_init(&g.d);
    assert_true(read_s(&g, "a\tb\tc\n1\t\t3\n"));
    assert_int_equal(g.raw.delimiter, '\t');
    assert_int_equal(g.raw.ncols, 3);
    assert_string_equal(field(&g, 0, 1), "");
    assert_true(g.raw.empty[1]);
    assert_string_equal(field(&g, 0, 2), "3");
    diag_release(&g.d);

    /* a comma inside a header name: the ';' that the rows repeat wins */
    diag_init(&g.d);
    assert_true(read_s(&g, "Programa;Meta (unidades, personas, kWh)\n"
                           "Agua;1,5\nEnergía;2\n"));
    assert_int_equal(g.raw.delimiter, ';');
    diag_release(&g.d);

    /* a delimiter inside quotes does not count */
    diag_init(&g.d);
    assert_true(read_s(&g, "\"a;b;c\",d\n1,2\n"));
    assert_int_equal(g.raw.delimiter, ',');
    diag_release(&g.d);
}

static void csv_should_obey_a_given_delimiter(void **state)
{
    struct fixture *f = *state;
    struct csvfile_options opt = {.delimiter = '|'};
    assert_true(csvfile_read_mem(f->a, &f->d, "x.csv", "a|b\n1,5|2\n", 10, &opt,
                                 &f->raw));
    assert_int_equal(f->raw.delimiter, '|');
    assert_string_equal(field(f, 0, 0), "1,5");
}

static void csv_should_report_unclosed_quote(void **state)
{
    struct fixture *f = *state;
    assert_false(read_s(f, "a,b\n1,2\n3,\"abierta\n4,5\n"));
    assert_int_equal(f->d.n, 1);
    assert_msg(f, 0,
               "plan.csv:3:3: error: comilla sin cerrar: el campo que empieza "
               "aquí no termina antes del final del archivo");
}

static void csv_should_report_a_stray_quote(void **state)
{
    struct fixture *f = *state;
    assert_false(read_s(f, "a,b\n1,x\"y\n"));
    assert_msg(f, 0,
               "plan.csv:2:4: error: comilla dentro de un campo sin comillas "
               "(encierre el campo entre comillas y escriba \"\" por cada "
               "comilla)");

    struct fixture g = {.a = f->a};
    diag_init(&g.d);
    assert_false(read_s(&g, "a,b\n1,\"xy\"z\n"));
    assert_msg(&g, 0,
               "plan.csv:2:7: error: hay texto después de la comilla que "
               "cierra el campo (dentro de comillas, una comilla se escribe "
               "\"\")");
    diag_release(&g.d);
}

static void csv_should_report_rows_with_the_wrong_field_count(void **state)
{
    struct fixture *f = *state;
    assert_false(read_s(f, "a;b;c\n1;2;3\n4;5\n6;7;8;9\n"));
    assert_int_equal(f->d.n, 2);
    assert_msg(f, 0,
               "plan.csv:3: error: la fila tiene 2 campos, pero el encabezado "
               "tiene 3");
    /* too many: at the first extra field */
    assert_msg(f, 1,
               "plan.csv:4:7: error: la fila tiene 4 campos, pero el "
               "encabezado tiene 3: sobra desde el campo 4 (¿un ';' de más, "
               "o un texto con ';' sin comillas?)");
    assert_int_equal(f->raw.nrows, 0);
}

static void csv_should_report_empty_and_duplicate_header_names(void **state)
{
    struct fixture *f = *state;
    assert_false(read_s(f, "a,,b,a\n1,2,3,4\n"));
    assert_int_equal(f->d.n, 2);
    assert_msg(f, 0,
               "plan.csv:1:3: error: el nombre de la columna 2 del "
               "encabezado está vacío");
    assert_msg(f, 1,
               "plan.csv:1:6: error: la columna 'a' está repetida en el "
               "encabezado (columnas 1 y 4)");
}

static void csv_should_report_an_empty_file(void **state)
{
    struct fixture *f = *state;
    assert_false(read_s(f, ""));
    assert_msg(f, 0,
               "plan.csv:1: error: el archivo está vacío: falta la fila de "
               "encabezado");

    struct fixture g = {.a = f->a};
    diag_init(&g.d);
    assert_false(read_s(&g, "\r\n\r\n"));
    assert_int_equal(g.d.n, 1);
    diag_release(&g.d);
}

static void csv_should_accept_a_header_without_rows(void **state)
{
    struct fixture *f = *state;
    assert_true(read_typed(f, "a,b", NULL, 0));
    assert_int_equal(f->t.nrows, 0);
    assert_int_equal(f->t.cols[1].type, V_TEXT);
}

static void csv_should_show_the_decoded_line_in_messages(void **state)
{
    struct fixture *f = *state;
    struct type_request req[] = {{.column = "b", .type = V_NUMBER}};
    assert_false(read_typed(f, "a;b\r\nCa\xF1\xF3n;1x\r\n", req, 1));
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    diag_print(&f->d, out);
    fclose(out);
    assert_string_equal(text,
                        "plan.csv:2:7: error: el valor '1x' de la columna 'b' "
                        "no es un número\n"
                        "     2 | Cañón;1x\n"
                        "       |       ^\n");
    free(text);
}

static void csv_should_read_files_from_disk(void **state)
{
    struct fixture *f = *state;
    assert_true(csvfile_read_file(f->a, &f->d, "tests/data/csv/plan_cp1252.csv",
                                  NULL, &f->raw));
    assert_int_equal(f->raw.encoding, CSVFILE_WINDOWS_1252);
    assert_int_equal(f->raw.delimiter, ';');
    assert_int_equal(f->raw.nrows, 3);
    assert_string_equal(f->raw.header[4], "Fecha de corte");
    assert_string_equal(field(f, 2, 1), "Campaña “Cada gota cuenta”");
    assert_true(csvfile_to_table(f->a, &f->d, &f->raw, NULL, 0, &f->t));
    assert_int_equal(f->t.cols[2].type, V_INT);
    assert_true(table_cell(&f->t, 1, 2)->v.num == 1200);
    assert_int_equal(f->t.cols[3].type, V_PERCENT);
    assert_true(table_cell(&f->t, 2, 3)->v.num == 76.5);

    struct fixture g = {.a = f->a};
    diag_init(&g.d);
    assert_true(csvfile_read_file(g.a, &g.d, "tests/data/csv/furag_bom.csv",
                                  NULL, &g.raw));
    assert_int_equal(g.raw.encoding, CSVFILE_UTF8_BOM);
    assert_string_equal(g.raw.header[0], "Código Sigep");
    assert_string_equal(g.raw.header[2], "Índice de Desempeño\nInstitucional");
    assert_int_equal(g.raw.nrows, 2);
    assert_int_equal(g.raw.lines[g.raw.ncols], 4);
    diag_release(&g.d);
}

static void csv_should_report_a_missing_file(void **state)
{
    struct fixture *f = *state;
    assert_false(csvfile_read_file(f->a, &f->d, "tests/data/csv/no_existe.csv",
                                   NULL, &f->raw));
    assert_int_equal(f->d.code, EXIT_NOINPUT);
    assert_msg(f, 0,
               "tests/data/csv/no_existe.csv: error: no se puede leer el "
               "archivo de datos: el archivo no existe");
}

/* ---- typing ---- */

static void split_should_read_quoted_and_unquoted_records_alike(void **state)
{
    struct fixture *f = *state;
    struct csvfile_options opt = {0};
    assert_true(read_both(f,
                          "a;\"b\nc\";d\n 1 ;\"x;y\"; 2\n  3 ; 4 ;5\n"
                          "\"6\";\"multi\nline\";7\n8;9;10",
                          opt));
    assert_string_equal(f->raw.header[1], "b\nc");
    assert_int_equal(f->raw.nrows, 4);
    assert_string_equal(field(f, 0, 0), "1");
    assert_string_equal(field(f, 0, 1), "x;y");
    assert_string_equal(field(f, 1, 0), "3");
    assert_string_equal(field(f, 1, 1), "4");
    assert_int_equal(csvfile_field_column(&f->raw, 1, 1), 7);
    assert_string_equal(field(f, 2, 1), "multi\nline");
    assert_int_equal(line_of(f, 3, 2), 7); /* the last, without a newline */
    assert_string_equal(field(f, 3, 2), "10");
}

static void split_should_keep_crlf_bom_and_windows_1252(void **state)
{
    struct fixture *f = *state;
    struct csvfile_options opt = {0};
    assert_true(read_both(f, "\xEF\xBB\xBFn,v\r\n1,2\r\n\r\n\"3\",4\r\n", opt));
    assert_int_equal(f->raw.encoding, CSVFILE_UTF8_BOM);
    assert_int_equal(f->raw.nrows, 2);
    assert_int_equal(line_of(f, 1, 1), 4);
    assert_true(read_both(f,
                          "nombre;a\xF1o;valor\nJos\xE9;2018;1,5\nMar\xED"
                          "a;;\n",
                          opt));
    assert_int_equal(f->raw.encoding, CSVFILE_WINDOWS_1252);
    assert_int_equal(f->raw.delimiter, ';');
    assert_string_equal(f->raw.header[1], "año");
    assert_string_equal(field(f, 1, 0), "María");
    assert_string_equal(field(f, 0, 2), "1,5");
}

static void split_should_keep_empty_fields_and_trailing_delimiters(void **state)
{
    struct fixture *f = *state;
    struct csvfile_options opt = {0};
    assert_true(read_both(f, "a,b,c,d\n1,,3,\n, ,6,\n,,,\n7,8,9, ", opt));
    assert_int_equal(f->raw.ncols, 4);
    assert_int_equal(f->raw.nrows, 3); /* ",,," is no row */
    assert_string_equal(field(f, 0, 1), "");
    assert_true(f->raw.empty[0 * 4 + 1]);
    assert_true(f->raw.empty[1 * 4 + 3]);
    assert_string_equal(field(f, 1, 2), "6");
    /* an empty field at the end is placed at its line end, or at the last
     * byte of a text without one */
    assert_int_equal(csvfile_field_column(&f->raw, 1, 3), 6);
    assert_int_equal(csvfile_field_column(&f->raw, 2, 3), 7);
}

static void split_should_report_the_same_errors_at_the_same_place(void **state)
{
    struct fixture *f = *state;
    struct csvfile_options opt = {0};
    assert_false(read_both(f, "a,b\n1,2,3\n4\n\"5\",6,7\n", opt));
    assert_msg(f, 0,
               "plan.csv:2:5: error: la fila tiene 3 campos, pero el "
               "encabezado tiene 2: sobra desde el campo 3 (¿un ',' de más, o "
               "un texto con ',' sin comillas?)");
    assert_msg(f, 1,
               "plan.csv:3: error: la fila tiene 1 campo, pero el "
               "encabezado tiene 2");
    assert_msg(f, 2,
               "plan.csv:4:7: error: la fila tiene 3 campos, pero el "
               "encabezado tiene 2: sobra desde el campo 3 (¿un ',' de más, o "
               "un texto con ',' sin comillas?)");
    diag_clear(&f->d);
    const char *why;
    assert_true(limits_set("cell_length=4", &why));
    bool ok = read_both(f, "a;b\n1;2\n3;  12345 \n", opt);
    limits_reset();
    assert_false(ok);
    assert_msg(f, 0,
               "plan.csv:3:5: error: el largo del campo supera el límite de "
               "4 bytes (límite 'cell_length'; súbalo con --limit "
               "cell_length=16)");
    diag_clear(&f->d);
    assert_false(read_both(f, "a,b\n1,x\"y\n", opt));
    assert_msg(f, 0,
               "plan.csv:2:4: error: comilla dentro de un campo sin comillas "
               "(encierre el campo entre comillas y escriba \"\" por cada "
               "comilla)");
}

static void table_should_infer_types_and_missing_values(void **state)
{
    struct fixture *f = *state;
    assert_true(read_typed(f,
                           "id;nombre;meta;avance;costo;corte;vacia\n"
                           "1;Agua;1.200;85,3 %;$ 1.234.567;31/03/2018;\n"
                           "2;Energía;;90%;$ 500;2018-04-30;\n",
                           NULL, 0));
    static const enum vtype want[] = {V_INT,   V_TEXT, V_INT, V_PERCENT,
                                      V_MONEY, V_DATE, V_TEXT};
    for (size_t c = 0; c < 7; c++)
        assert_int_equal(f->t.cols[c].type, want[c]);
    assert_int_equal(f->t.cols[3].col, 4);
    assert_string_equal(table_cell(&f->t, 1, 1)->v.text, "Energía");
    assert_true(table_cell(&f->t, 0, 2)->v.num == 1200);
    assert_int_equal(table_cell(&f->t, 1, 2)->v.type, V_MISSING);
    assert_true(table_cell(&f->t, 0, 3)->v.num == 85.3);
    assert_true(table_cell(&f->t, 0, 4)->v.num == 1234567);
    assert_int_equal(table_cell(&f->t, 1, 5)->v.days,
                     date_from_ymd(2018, 4, 30));
    assert_int_equal(table_cell(&f->t, 1, 6)->v.type, V_MISSING);
    assert_int_equal(table_cell(&f->t, 1, 0)->line, 3);
}

static void table_should_read_ambiguous_columns_as_esco(void **state)
{
    struct fixture *f = *state;
    assert_true(read_typed(f,
                           "a,b,c\n\"1.234\",\"1.234\",\"1,234\"\n"
                           "\"2.500\",\"2.5\",\"2\"\n",
                           NULL, 0));
    /* a: all ambiguous, es-CO: thousands */
    assert_int_equal(f->t.cols[0].type, V_INT);
    assert_true(table_cell(&f->t, 0, 0)->v.num == 1234);
    /* b: "2.5" is plain, so "1.234" is one point two three four */
    assert_int_equal(f->t.cols[1].type, V_NUMBER);
    assert_true(table_cell(&f->t, 0, 1)->v.num == 1.234);
    /* c: all ambiguous, es-CO: 1,234 is a decimal */
    assert_int_equal(f->t.cols[2].type, V_NUMBER);
    assert_true(table_cell(&f->t, 0, 2)->v.num == 1.234);
}

static void table_should_report_mixed_number_styles(void **state)
{
    struct fixture *f = *state;
    assert_false(
        read_typed(f, "a;meta\nx;1.234\ny;1,5\nz;2.5\nw;3,5\n", NULL, 0));
    assert_int_equal(f->d.n, 1);
    assert_msg(f, 0,
               "plan.csv:4:3: error: el valor '2.5' de la columna 'meta' está "
               "escrito como 1,234.5, pero '1,5' (línea 3) está escrito como "
               "1.234,5; use un solo formato en la columna");
}

static void table_should_type_only_the_columns_used(void **state)
{
    struct fixture *f = *state;
    /* meta mixes number styles and avance holds a value that is not a
     * number: errors only where the column is used or its type asked for */
    const char *csv = "a;meta;avance;b\nx;1.234;85,3;2\ny;1,5;12,5x;3\n"
                      "z;2.5;1;4\n";
    struct type_request req[] = {{.column = "avance", .type = V_NUMBER}};
    const bool used[] = {true, false, false, false};
    assert_true(read_s(f, csv));
    assert_false(
        csvfile_to_table_used(f->a, &f->d, &f->raw, req, 1, used, &f->t));
    assert_int_equal(f->d.n, 1);
    assert_msg(f, 0,
               "plan.csv:3:7: error: el valor '12,5x' de la columna 'avance' "
               "no es un número");
    diag_clear(&f->d); /* the messages only: d holds the file's text */
    assert_true(
        csvfile_to_table_used(f->a, &f->d, &f->raw, NULL, 0, used, &f->t));
    assert_int_equal(f->d.n, 0);
    assert_int_equal(f->t.ncols, 4);
    assert_string_equal(f->t.cols[1].name, "meta");
    assert_int_equal(f->t.cols[1].col, 2);
    assert_int_equal(f->t.cols[1].type, V_TEXT);
    assert_int_equal(table_cell(&f->t, 0, 1)->v.type, V_MISSING);
    assert_int_equal(table_cell(&f->t, 0, 3)->v.type, V_MISSING);
    assert_int_equal(f->t.cols[0].type, V_TEXT);
    assert_string_equal(table_cell(&f->t, 2, 0)->v.text, "z");
    assert_int_equal(table_cell(&f->t, 2, 0)->line, 4);
    /* used, the mixed column is the same error as without the flags */
    const bool used_meta[] = {false, true, false, false};
    assert_false(
        csvfile_to_table_used(f->a, &f->d, &f->raw, NULL, 0, used_meta, &f->t));
    assert_int_equal(f->d.n, 1);
    assert_msg(f, 0,
               "plan.csv:4:3: error: el valor '2.5' de la columna 'meta' está "
               "escrito como 1,234.5, pero '1,5' (línea 3) está escrito como "
               "1.234,5; use un solo formato en la columna");
}

/* csvfile_options.unread: the second and third columns are not read. */
static void unread_second_and_third(void *ctx, const struct rawcsv *raw,
                                    bool *unread)
{
    assert_string_equal(raw->header[1], "meta");
    *(size_t *)ctx = raw->ncols;
    unread[1] = unread[2] = true;
}

static void reader_should_skip_the_values_of_unread_columns(void **state)
{
    struct fixture *f = *state;
    size_t ncols = 0;
    struct csvfile_options opt = {.unread = unread_second_and_third,
                                  .ctx = &ncols};
    /* row 3 has text only in unread columns: still a row; their fields
     * are split (a quoted one as usual) but not kept */
    const char *csv = "a;meta;nota;b\nx;1.234;\"uno; dos\";2\n"
                      ";2.5 ;;\ny;1,5;tres;4\n";
    assert_true(csvfile_read_mem(f->a, &f->d, "plan.csv", csv, strlen(csv),
                                 &opt, &f->raw));
    assert_int_equal(ncols, 4);
    assert_int_equal(f->raw.nrows, 3);
    assert_int_equal(f->raw.stride, 2);
    assert_false(csvfile_kept(&f->raw, 1));
    assert_false(csvfile_kept(&f->raw, 2));
    assert_int_equal(csvfile_at(&f->raw, 1, 3), 3);
    assert_string_equal(field(f, 0, 0), "x");
    assert_string_equal(field(f, 0, 3), "2");
    assert_true(f->raw.empty[csvfile_at(&f->raw, 1, 0)]);
    assert_true(f->raw.empty[csvfile_at(&f->raw, 1, 3)]);
    assert_int_equal(line_of(f, 2, 3), 4);
    assert_int_equal(f->raw.offsets[csvfile_at(&f->raw, 2, 3)], 54);
    assert_string_equal(field(f, 2, 3), "4");
    /* untyped: the mix of styles in meta is no error */
    assert_true(
        csvfile_to_table_used(f->a, &f->d, &f->raw, NULL, 0, NULL, &f->t));
    assert_int_equal(f->t.cols[1].type, V_TEXT);
    assert_int_equal(table_cell(&f->t, 0, 1)->v.type, V_MISSING);
    assert_int_equal(f->t.cols[3].type, V_INT);
    /* too many fields is still an error with the unread columns skipped */
    const char *bad = "a;meta;nota;b\nx;1;2;3;4\n";
    assert_false(csvfile_read_mem(f->a, &f->d, "plan.csv", bad, strlen(bad),
                                  &opt, &f->raw));
    assert_msg(f, 0,
               "plan.csv:2:9: error: la fila tiene 5 campos, pero el "
               "encabezado tiene 4: sobra desde el campo 5 (¿un ';' de más, "
               "o un texto con ';' sin comillas?)");
}

static void table_should_leave_mixed_text_columns_alone(void **state)
{
    struct fixture *f = *state;
    assert_true(read_typed(f, "nota\n1.5\n1,5\nvarios\n", NULL, 0));
    assert_int_equal(f->raw.delimiter, ';'); /* one column: not ',' */
    assert_int_equal(f->t.cols[0].type, V_TEXT);
    assert_string_equal(table_cell(&f->t, 1, 0)->v.text, "1,5");
}

static void table_should_report_a_value_that_misses_its_type(void **state)
{
    struct fixture *f = *state;
    struct type_request req[] = {
        {.column = "avance", .type = V_NUMBER},
        {.column = "corte", .type = V_DATE},
    };
    assert_false(read_typed(f,
                            "id;a;b;c;d;avance;corte\n"
                            "1;;;;;85,3;31/03/2018\n"
                            "2;;;;;12,5x;31/02/2018\n",
                            req, 2));
    assert_int_equal(f->d.n, 2);
    assert_msg(f, 0,
               "plan.csv:3:7: error: el valor '12,5x' de la columna 'avance' "
               "no es un número");
    assert_msg(f, 1,
               "plan.csv:3:13: error: el valor '31/02/2018' de la columna "
               "'corte' no es una fecha: el 31 de febrero no existe; "
               "escriba la fecha como 2018-03-31, 31/03/2018, 31-03-2018 o "
               "2018/03/31");
}

/* A text that repeats is parsed once, yet every row keeps its own line
 * and every row where it misses its type has its own message; the style
 * conflict names the first rows, not those of a repeat. */
static void table_should_type_repeated_texts_row_by_row(void **state)
{
    struct fixture *f = *state;
    struct type_request req[] = {{.column = "avance", .type = V_NUMBER}};
    assert_false(read_typed(f,
                            "id;avance;nota\n"
                            "1;12x;Alta\n"
                            "2;7,5;Alta\n"
                            "3;12x;Baja\n"
                            "4;7,5;Alta\n",
                            req, 1));
    assert_int_equal(f->d.n, 2);
    assert_msg(f, 0,
               "plan.csv:2:3: error: el valor '12x' de la columna 'avance' "
               "no es un número");
    assert_msg(f, 1,
               "plan.csv:4:3: error: el valor '12x' de la columna 'avance' "
               "no es un número");
    assert_int_equal(table_cell(&f->t, 3, 1)->v.type, V_NUMBER);
    assert_true(table_cell(&f->t, 3, 1)->v.num == 7.5);
    assert_int_equal(table_cell(&f->t, 3, 1)->line, 5);
    assert_ptr_equal(table_cell(&f->t, 0, 2)->v.text,
                     table_cell(&f->t, 3, 2)->v.text);
    assert_string_equal(table_cell(&f->t, 2, 2)->v.text, "Baja");

    diag_clear(&f->d);
    assert_false(read_typed(f, "meta\n1,5\n1,5\n2.5\n1,5\n2.5\n", NULL, 0));
    assert_int_equal(f->d.n, 1);
    assert_msg(f, 0,
               "plan.csv:4:1: error: el valor '2.5' de la columna 'meta' está "
               "escrito como 1,234.5, pero '1,5' (línea 2) está escrito "
               "como 1.234,5; use un solo formato en la columna");
}

static void table_should_report_a_requested_column_that_is_absent(void **state)
{
    struct fixture *f = *state;
    struct type_request req[] = {
        {.column = "avanse",
         .type = V_PERCENT,
         .file = "informe.yaml",
         .line = 12,
         .col = 7},
    };
    assert_false(read_typed(f, "avance\n5\n", req, 1));
    assert_msg(f, 0,
               "informe.yaml:12:7: error: la columna 'avanse' no existe en "
               "plan.csv");
}

static void table_should_match_headers_with_folded_line_breaks(void **state)
{
    struct fixture *f = *state;
    struct type_request req[] = {
        {.column = "Índice de Desempeño Institucional", .type = V_NUMBER},
    };
    assert_true(
        read_typed(f, "\"Índice de Desempeño\nInstitucional\"\n7\n", req, 1));
    assert_int_equal(f->t.cols[0].type, V_NUMBER);
}

/* A header that begins or ends with a line break or spaces is typed by
 * its name as a template writes it, without them (as the columns are
 * found by it). */
static void table_should_match_headers_with_blanks_at_either_end(void **state)
{
    struct fixture *f = *state;
    struct type_request req[] = {
        {.column = "Nota", .type = V_NUMBER},
        {.column = "Mes de corte", .type = V_DATE},
    };
    assert_true(read_typed(f,
                           "\"\nNota \";\"Mes\nde corte\n\"\n"
                           "1,5;31/03/2018\n",
                           req, 2));
    assert_int_equal(f->t.cols[0].type, V_NUMBER);
    assert_true(table_cell(&f->t, 0, 0)->v.num == 1.5);
    assert_int_equal(f->t.cols[1].type, V_DATE);
}

static void table_should_force_text_and_keep_codes(void **state)
{
    struct fixture *f = *state;
    struct type_request req[] = {{.column = "codigo", .type = V_TEXT}};
    assert_true(read_typed(f, "codigo,dane\n1.5,05001\n", req, 1));
    assert_int_equal(f->t.cols[0].type, V_TEXT);
    assert_string_equal(table_cell(&f->t, 0, 0)->v.text, "1.5");
    assert_int_equal(f->t.cols[1].type, V_TEXT);
    assert_string_equal(table_cell(&f->t, 0, 1)->v.text, "05001");
}

static void table_should_stop_after_the_error_limit(void **state)
{
    struct fixture *f = *state;
    char data[2000];
    size_t len = (size_t)snprintf(data, sizeof data, "n\n");
    for (int i = 0; i < 30; i++)
        len += (size_t)snprintf(data + len, sizeof data - len, "x%d\n", i);
    struct type_request req[] = {{.column = "n", .type = V_INT}};
    assert_false(read_typed(f, data, req, 1));
    assert_int_equal(f->d.errors, DIAG_MAX_ERRORS);
    assert_int_equal(f->d.n, DIAG_MAX_ERRORS);
    assert_msg(f, 0,
               "plan.csv:2:1: error: el valor 'x0' de la columna 'n' no es "
               "un número entero");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(csv_should_read_a_plain_utf8_file),
        T(csv_should_strip_the_utf8_bom),
        T(csv_should_transcode_windows_1252),
        T(csv_should_reject_bytes_undefined_in_windows_1252),
        T(csv_should_reject_nul_bytes),
        T(csv_should_read_a_bad_line_after_a_bom_as_windows_1252),
        T(csv_should_read_one_windows_1252_line_of_a_utf8_file),
        T(csv_should_keep_a_windows_1252_file_whole),
        T(csv_should_stop_at_the_row_limit),
        T(csv_should_stop_at_the_cell_length_limit),
        T(csv_should_count_lines_with_crlf_and_cr),
        T(csv_should_keep_quoted_newlines_and_their_lines),
        T(csv_should_trim_unquoted_fields_but_not_quoted_ones),
        T(csv_should_skip_blank_lines_and_empty_records),
        T(csv_should_detect_the_delimiter),
        T(csv_should_obey_a_given_delimiter),
        T(csv_should_report_unclosed_quote),
        T(csv_should_report_a_stray_quote),
        T(csv_should_report_rows_with_the_wrong_field_count),
        T(csv_should_report_empty_and_duplicate_header_names),
        T(csv_should_report_an_empty_file),
        T(csv_should_accept_a_header_without_rows),
        T(csv_should_show_the_decoded_line_in_messages),
        T(csv_should_read_files_from_disk),
        T(csv_should_report_a_missing_file),
        T(split_should_read_quoted_and_unquoted_records_alike),
        T(split_should_keep_crlf_bom_and_windows_1252),
        T(split_should_keep_empty_fields_and_trailing_delimiters),
        T(split_should_report_the_same_errors_at_the_same_place),
        T(table_should_infer_types_and_missing_values),
        T(table_should_read_ambiguous_columns_as_esco),
        T(table_should_report_mixed_number_styles),
        T(table_should_type_only_the_columns_used),
        T(reader_should_skip_the_values_of_unread_columns),
        T(table_should_leave_mixed_text_columns_alone),
        T(table_should_report_a_value_that_misses_its_type),
        T(table_should_type_repeated_texts_row_by_row),
        T(table_should_report_a_requested_column_that_is_absent),
        T(table_should_match_headers_with_folded_line_breaks),
        T(table_should_match_headers_with_blanks_at_either_end),
        T(table_should_force_text_and_keep_codes),
        T(table_should_stop_after_the_error_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
