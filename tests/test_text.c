/* test_text: greedy line breaking and measuring with the Liberation
 * metrics: fits, exact fits, long words, no-break spaces, newlines,
 * multibyte text, mixed faces and missing characters. */
#include "fontutil.h"
#include "testutil.h"

#include "layout/text.h"

#include <stdlib.h>

static struct fontset fonts;
static struct diag diags;
static struct text_ctx tx;
static struct text_lines tl;

static int setup(void **state)
{
    (void)state;
    diag_init(&diags);
    if (!test_fonts_load(&fonts, &diags))
        return -1;
    text_ctx_init(&tx, &fonts, &diags);
    memset(&tl, 0, sizeof tl);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    text_lines_release(&tl);
    text_ctx_release(&tx);
    fontset_release(&fonts);
    diag_release(&diags);
    return 0;
}

/* Line i as a NUL-terminated string (frags joined). */
static const char *line(size_t i)
{
    static char out[512];
    size_t n = 0;
    const struct text_line *l = &tl.line[i];
    for (size_t k = 0; k < l->n; k++) {
        const struct text_frag *f = &tl.frag[l->first + k];
        memcpy(out + n, f->text, f->len);
        n += f->len;
    }
    out[n] = '\0';
    return out;
}

static size_t brk(const char *s, double width)
{
    text_lines_clear(&tl);
    return text_break(&tx, FACE_REGULAR, 9, s, strlen(s), width, &tl);
}

static double w9(const char *s)
{
    return text_width(&tx, FACE_REGULAR, 9, s, strlen(s));
}

static void text_should_fill_lines_greedily(void **state)
{
    (void)state;
    /* "uno dos" fits, "uno dos tres" does not. */
    double width = w9("uno dos") + 1;
    assert_int_equal(brk("uno dos tres cuatro", width), 3);
    assert_string_equal(line(0), "uno dos");
    assert_string_equal(line(1), "tres");
    assert_string_equal(line(2), "cuatro");
    assert_float_equal(tl.line[0].width, w9("uno dos"), 1e-9);
}

static void text_should_keep_a_word_that_fits_exactly(void **state)
{
    (void)state;
    double width = w9("uno dos");
    assert_int_equal(brk("uno dos tres", width), 2);
    assert_string_equal(line(0), "uno dos");
    /* A hair less and "dos" moves down. */
    brk("uno dos tres", width - 0.001);
    assert_string_equal(line(0), "uno");
    assert_string_equal(line(1), "dos tres");
}

static void text_should_cut_a_word_wider_than_the_line(void **state)
{
    (void)state;
    double width = w9("oooo") + 0.5;
    assert_int_equal(brk("oo oooooooooo", width), 4);
    assert_string_equal(line(0), "oo");
    assert_string_equal(line(1), "oooo");
    assert_string_equal(line(2), "oooo");
    assert_string_equal(line(3), "oo");
}

static void text_should_not_break_at_a_no_break_space(void **state)
{
    (void)state;
    const char *s = "pago de $\xC2\xA0"
                    "1.234";
    double width = w9("pago de $") + 2;
    assert_int_equal(brk(s, width), 2);
    assert_string_equal(line(0), "pago de");
    assert_string_equal(line(1), "$\xC2\xA0"
                                 "1.234");
}

static void text_should_break_at_an_explicit_newline(void **state)
{
    (void)state;
    assert_int_equal(brk("uno\ndos tres", 500), 2);
    assert_string_equal(line(0), "uno");
    assert_string_equal(line(1), "dos tres");
    assert_int_equal(brk("", 100), 1);
    assert_int_equal(tl.line[0].n, 0);
    assert_int_equal(brk("a\n\nb", 100), 3);
    assert_string_equal(line(1), "");
}

static void text_should_never_cut_inside_a_character(void **state)
{
    (void)state;
    /* Every cut of a word of two-byte letters lands between letters. */
    const char *s = "ññññññññññññ";
    for (double width = 3; width < 60; width += 1.7) {
        size_t n = brk(s, width);
        size_t total = 0;
        for (size_t i = 0; i < n; i++) {
            const char *l = line(i);
            assert_int_equal(strlen(l) % 2, 0);
            assert_true(strlen(l) >= 2); /* at least one letter a line */
            total += strlen(l);
        }
        assert_int_equal(total, strlen(s));
    }
}

static void text_should_drop_spaces_at_a_break(void **state)
{
    (void)state;
    double width = w9("beta") + 1;
    assert_int_equal(brk("alfa   beta  ", width), 2);
    assert_string_equal(line(0), "alfa");
    assert_string_equal(line(1), "beta");
    assert_float_equal(tl.line[1].width, w9("beta"), 1e-9);
}

static void text_should_break_mixed_bold_and_regular_spans(void **state)
{
    (void)state;
    struct span sp[] = {{"El avance es ", 13, 0},
                        {"muy bueno", 9, SPAN_BOLD},
                        {", sin duda.", 11, 0}};
    struct rich r = {sp, 3};
    double bold = text_width(&tx, FACE_BOLD, 9, "muy bueno", 9);
    double width = w9("El avance es ") + bold;
    text_lines_clear(&tl);
    assert_int_equal(text_break_rich(&tx, 0, 9, &r, width, &tl), 2);
    assert_string_equal(line(0), "El avance es muy");
    assert_string_equal(line(1), "bueno, sin duda.");
    /* Line 0: regular then bold "muy", placed one after the other. */
    assert_int_equal(tl.line[0].n, 2);
    assert_int_equal(tl.frag[0].face, FACE_REGULAR);
    assert_int_equal(tl.frag[1].face, FACE_BOLD);
    assert_float_equal(tl.frag[1].x, w9("El avance es "), 1e-9);
    /* Line 1 starts bold: "bueno" (the space before it dropped). */
    const struct text_frag *f = &tl.frag[tl.line[1].first];
    assert_int_equal(f->face, FACE_BOLD);
    assert_int_equal(f->len, 5);
    assert_float_equal(f->x, 0, 1e-9);
    assert_float_equal(
        tl.line[1].width,
        text_width(&tx, FACE_BOLD, 9, "bueno", 5) + w9(", sin duda."), 1e-9);
}

static void text_should_warn_once_per_missing_character(void **state)
{
    (void)state;
    size_t before = diags.warnings;
    text_ctx_at(&tx, "informe.yaml", 12, 5);
    brk("\xE4\xB8\x80 y \xE4\xB8\x80 otra vez", 500);
    brk("\xE4\xB8\x80", 500);
    assert_int_equal(diags.warnings, before + 1);
    char *m = diag_format(&diags.msgs[diags.n - 1]);
    assert_string_equal(m, "informe.yaml:12:5: aviso: la fuente "
                           "LiberationSans-Regular.ttf no tiene el carácter "
                           "U+4E00 «\xE4\xB8\x80»: se verá como un recuadro "
                           "vacío");
    free(m);
    text_ctx_at(&tx, NULL, 0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_should_fill_lines_greedily),
        cmocka_unit_test(text_should_keep_a_word_that_fits_exactly),
        cmocka_unit_test(text_should_cut_a_word_wider_than_the_line),
        cmocka_unit_test(text_should_not_break_at_a_no_break_space),
        cmocka_unit_test(text_should_break_at_an_explicit_newline),
        cmocka_unit_test(text_should_never_cut_inside_a_character),
        cmocka_unit_test(text_should_drop_spaces_at_a_break),
        cmocka_unit_test(text_should_break_mixed_bold_and_regular_spans),
        cmocka_unit_test(text_should_warn_once_per_missing_character),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
