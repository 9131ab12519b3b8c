/* test_font: TrueType metrics read from the Liberation fonts in fonts/, and
 * clean errors for truncated or lying files. */
#include "testutil.h"

#include "media/font.h"

#include <stdio.h>
#include <stdlib.h>

#define REGULAR TEST_ROOT "/fonts/LiberationSans-Regular.ttf"

static unsigned char *slurp(const char *path, size_t *len)
{
    unsigned char *p = (unsigned char *)test_read_file(path, len);
    assert_non_null(p);
    return p;
}

static void font_should_read_advances_of_liberation_sans(void **state)
{
    (void)state;
    struct diag d;
    struct font_metrics fm;
    diag_init(&d);
    assert_true(font_load(&fm, REGULAR, &d));
    assert_int_equal(fm.units_per_em, 2048);
    /* Font units; in thousandths: space 277.8, a 556.2, W 943.8. */
    assert_int_equal(fm.width[' '], 569);
    assert_int_equal(fm.width['a'], 1139);
    assert_int_equal(fm.width['W'], 1933);
    assert_int_equal(fm.width[0xE1], 1139); /* á as wide as a */
    assert_int_equal(fm.ascender, 905);
    assert_int_equal(fm.descender, -211);
    assert_int_equal(fm.cap_height, 687);
    assert_true(font_has(&fm, 0x2014));
    assert_false(font_has(&fm, 0x4E00)); /* no CJK in Liberation */
    assert_false(font_has(&fm, 0x1F600));
    assert_int_equal(font_text_units(&fm, "Wa", 2), 1933 + 1139);
    /* "año" with a two-byte ñ. */
    assert_int_equal(font_text_units(&fm, "a\xC3\xB1o", 4),
                     1139 + fm.width[0xF1] + fm.width['o']);
    assert_float_equal(font_text_width(&fm, "a", 1, 9), 1139 * 9 / 2048.0,
                       1e-9);
    assert_int_equal(d.errors, 0);
    font_release(&fm);
    font_release(&fm); /* released twice: harmless */
    diag_release(&d);
}

static void font_should_reject_a_truncated_file(void **state)
{
    (void)state;
    size_t len;
    unsigned char *data = slurp(REGULAR, &len);
    struct diag d;
    diag_init(&d);
    size_t cuts[] = {0, 11, 100, 400, 2000, len / 2};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        struct font_metrics fm;
        unsigned char *copy = malloc(cuts[i] ? cuts[i] : 1);
        memcpy(copy, data, cuts[i]);
        bool ok = font_parse(&fm, "corta.ttf", copy, cuts[i], &d);
        free(copy);
        if (cuts[i] < 2000) {
            assert_false(ok);
        }
        font_release(&fm);
    }
    assert_true(d.errors >= 5);
    char *m = diag_format(&d.msgs[0]);
    assert_string_equal(
        m, "corta.ttf: error: la fuente no se puede usar: no es una fuente "
           "TrueType");
    free(m);
    assert_int_equal(d.code, EXIT_DATAERR);
    diag_release(&d);
    free(data);
}

static void font_should_survive_lying_offsets(void **state)
{
    (void)state;
    size_t len;
    unsigned char *data = slurp(REGULAR, &len);
    struct diag d;
    diag_init(&d);
    unsigned ntables = (unsigned)data[4] << 8 | data[5];
    /* Point every table, in turn, past the end of the file. */
    for (unsigned t = 0; t < ntables; t++) {
        unsigned char *copy = malloc(len);
        memcpy(copy, data, len);
        unsigned char *rec = copy + 12 + 16 * t;
        rec[8] = 0x7F;
        struct font_metrics fm;
        font_parse(&fm, "mala.ttf", copy, len, &d);
        font_release(&fm);
        memcpy(copy, data, len);
        rec[12] = 0x7F; /* and its length */
        font_parse(&fm, "mala.ttf", copy, len, &d);
        font_release(&fm);
        free(copy);
    }
    assert_true(d.errors > 0);
    diag_release(&d);
    free(data);
}

static void font_should_report_a_missing_file(void **state)
{
    (void)state;
    struct diag d;
    struct font_metrics fm;
    diag_init(&d);
    assert_false(font_load(&fm, "no-existe.ttf", &d));
    assert_int_equal(d.code, EXIT_NOINPUT);
    char *m = diag_format(&d.msgs[0]);
    assert_string_equal(m, "no-existe.ttf: error: no se puede leer la "
                           "fuente: el archivo no existe");
    free(m);
    diag_release(&d);
}

static void fontset_should_reuse_regular_for_missing_faces(void **state)
{
    (void)state;
    struct diag d;
    struct fontset fs;
    diag_init(&d);
    const char *files[FACE_COUNT] = {"LiberationSans-Regular.ttf",
                                     "LiberationSans-Bold.ttf", NULL, NULL};
    assert_true(fontset_load(&fs, TEST_ROOT "/fonts", files, &d));
    assert_string_equal(fs.face[FACE_ITALIC].path,
                        TEST_ROOT "/fonts/LiberationSans-Regular.ttf");
    assert_ptr_not_equal(fs.face[FACE_ITALIC].width,
                         fs.face[FACE_REGULAR].width);
    assert_int_equal(fs.face[FACE_BOLD_ITALIC].width['a'], 1139);
    assert_int_equal(fs.face[FACE_BOLD].width['a'], 1139);
    assert_int_equal(fs.face[FACE_BOLD].width['W'], 1933);
    assert_int_equal(fs.face[FACE_BOLD].width['m'], 1821);
    assert_int_equal(fs.face[FACE_REGULAR].width['m'], 1706);
    fontset_release(&fs);
    fontset_release(&fs);
    diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(font_should_read_advances_of_liberation_sans),
        cmocka_unit_test(font_should_reject_a_truncated_file),
        cmocka_unit_test(font_should_survive_lying_offsets),
        cmocka_unit_test(font_should_report_a_missing_file),
        cmocka_unit_test(fontset_should_reuse_regular_for_missing_faces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
