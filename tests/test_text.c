/* test_text: greedy line breaking and measuring with the Liberation
 * metrics: fits, exact fits, long words, no-break spaces, newlines,
 * multibyte text, mixed faces and missing characters. */
#include "fontutil.h"
#include "testutil.h"

#include "layout/text.h"

#include "base/utf8.h"

#include <stdlib.h>

static struct fontset fonts;
static struct diag diags;
static struct text_ctx tx;
static struct text_lines tl;
static struct text_lines other; /* a second breaking to compare */

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
    text_lines_release(&other);
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

/* Texts that go through every path of the measuring: ASCII, two-byte
 * letters below U+0800 (Spanish, Greek, Cyrillic, Hebrew), three-byte
 * ones (the euro sign, the em dash, a CJK ideograph the face lacks), a
 * four-byte one, malformed bytes, newlines and runs of spaces. */
static const char *const mixed[] = {
    "Uso eficiente del agua",
    "Capacitar a los funcionarios en la revisión mensual de fugas en las "
    "redes hidráulicas.",
    "Año  de   ejecución:  ñandú, pingüino, acción\n\nsegún   lo previsto",
    "Ελληνικά και Кириллица: πλάνο δράσης и план действий שלום",
    "Costo € 1.234 — meta 85,3 % \xE4\xB8\x80\xE4\xB8\x80 fin",
    "emoji \xF0\x9F\x98\x80 y bytes malos \xC3 \xC0\x80 \xFF fin",
    "Supercalifragilisticoespialidosoextraordinariamente",
    "ááááááááááááááááááááááááá",
    "\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC",
    "  espacios al comienzo y al final   ",
    "\xD0\x96\xD0\xA9\xD0\xAE \xD7\x90\xD7\x91 \xDC\x90\xDC\x92",
};

/* text_break and text_break_rich of one span (the breaker of mixed
 * faces) give the same lines: same bytes, same widths to the last bit. */
static void assert_same_breaks(const char *s, double width)
{
    struct span sp = {s, strlen(s), 0};
    struct rich r = {&sp, 1};
    text_lines_clear(&tl);
    text_lines_clear(&other);
    size_t a = text_break(&tx, FACE_REGULAR, 9, s, strlen(s), width, &tl);
    size_t b = text_break_rich(&tx, 0, 9, &r, width, &other);
    assert_int_equal(a, b);
    assert_int_equal(tl.nfrag, other.nfrag);
    for (size_t i = 0; i < a; i++) {
        assert_int_equal(tl.line[i].n, other.line[i].n);
        assert_true(tl.line[i].width == other.line[i].width);
    }
    for (size_t k = 0; k < tl.nfrag; k++) {
        assert_ptr_equal(tl.frag[k].text, other.frag[k].text);
        assert_int_equal(tl.frag[k].len, other.frag[k].len);
        assert_int_equal(tl.frag[k].face, other.frag[k].face);
        assert_true(tl.frag[k].x == other.frag[k].x);
        assert_true(tl.frag[k].w == other.frag[k].w);
    }
}

static void text_should_break_plain_text_as_the_span_breaker_does(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof mixed / sizeof *mixed; i++)
        for (double width = 0; width < 420; width += 3.25)
            assert_same_breaks(mixed[i], width);
}

/* The width of each text, measured character by character through the
 * face's table, equals that of font_text_units, which decodes every
 * character and reads the face's full width table. */
static void text_should_measure_as_the_font_metrics_do(void **state)
{
    (void)state;
    for (int f = 0; f < FACE_COUNT; f++) {
        const struct font_metrics *fm = &fonts.face[f];
        for (size_t i = 0; i < sizeof mixed / sizeof *mixed; i++) {
            const char *s = mixed[i];
            assert_int_equal(text_units(&tx, (enum face)f, s, strlen(s)),
                             font_text_units(fm, s, strlen(s)));
        }
        /* Every code point below U+0800, one at a time. */
        for (uint32_t cp = 1; cp < TEXT_LOW; cp++) {
            char enc[4];
            size_t n = utf8_encode(cp, enc);
            assert_int_equal(text_units(&tx, (enum face)f, enc, n),
                             fm->width[cp]);
        }
    }
    /* Known advances of Liberation Sans Regular (2048 units to the em):
     * a, á and ñ are 1139, as in Arial; the Cyrillic Ж 1891; the euro
     * sign 1139. */
    assert_int_equal(text_units(&tx, FACE_REGULAR, "a", 1), 1139);
    assert_int_equal(text_units(&tx, FACE_REGULAR, "\xC3\xA1\xC3\xB1", 4),
                     2 * 1139);
    assert_int_equal(text_units(&tx, FACE_REGULAR, "\xD0\x96", 2), 1891);
    assert_int_equal(text_units(&tx, FACE_REGULAR, "\xE2\x82\xAC", 3), 1139);
}

/* A last line that runs to the end of the text gets the advance of its
 * font units; the others the sum of their characters in points. */
static void text_should_give_the_last_line_its_exact_advance(void **state)
{
    (void)state;
    const char *s = "acción según ñandú Ж€ fin";
    double scale = 9.0 / fonts.face[FACE_REGULAR].units_per_em;
    size_t n = brk(s, w9("ñandú") + 1);
    assert_int_equal(n, 4);
    const struct text_line *last = &tl.line[n - 1];
    const struct text_frag *f = &tl.frag[last->first];
    assert_string_equal(line(n - 1), "Ж€ fin");
    assert_true(f->w == (double)font_text_units(&fonts.face[FACE_REGULAR],
                                                f->text, f->len) *
                            scale);
    assert_float_equal(last->width, w9("Ж€ fin"), 1e-9);
    for (size_t i = 0; i + 1 < n; i++)
        assert_true(tl.frag[tl.line[i].first].w == tl.line[i].width);
}

static void text_should_keep_accented_words_that_fit_exactly(void **state)
{
    (void)state;
    /* Exactly the width of the first two words: both stay. */
    double width = w9("acción según");
    assert_int_equal(brk("acción según ñandú", width), 2);
    assert_string_equal(line(0), "acción según");
    assert_string_equal(line(1), "ñandú");
    /* The same with Cyrillic and Greek letters. */
    width = w9("\xD0\x96\xD0\xA9 \xCE\xB1\xCE\xB2");
    assert_int_equal(brk("\xD0\x96\xD0\xA9 \xCE\xB1\xCE\xB2 \xCE\xB3", width),
                     2);
    assert_string_equal(line(0), "\xD0\x96\xD0\xA9 \xCE\xB1\xCE\xB2");
    /* A hundredth of a point less and the second word moves down. */
    assert_int_equal(brk("acción según ñandú", w9("acción según") - 0.01), 2);
    assert_string_equal(line(0), "acción");
    assert_string_equal(line(1), "según ñandú");
}

static void text_should_cut_long_words_between_characters(void **state)
{
    (void)state;
    /* Twelve á (two bytes each) in a box of five: 5, 5, 2. */
    double width = w9("ááááá") + 0.1;
    assert_int_equal(brk("áááááááááááá", width), 3);
    assert_string_equal(line(0), "ááááá");
    assert_string_equal(line(1), "ááááá");
    assert_string_equal(line(2), "áá");
    /* Six euro signs (three bytes each) in a box of four: 4, 2. */
    width = w9("€€€€") + 0.1;
    assert_int_equal(brk("€€€€€€", width), 2);
    assert_string_equal(line(0), "€€€€");
    assert_string_equal(line(1), "€€");
    /* A word of ASCII letters cut where the next letter no longer fits,
     * the first letter of a line always kept however narrow the box. */
    const char *word = "Supercalifragilistico";
    width = w9("Superc");
    size_t n = brk(word, width), at = 0;
    assert_string_equal(line(0), "Superc");
    for (size_t i = 0; i < n; i++) {
        const char *l = line(i);
        size_t len = strlen(l);
        assert_memory_equal(l, word + at, len);
        assert_true(w9(l) <= width + 1e-7);
        at += len;
        if (i + 1 < n) /* one more letter would not have fitted */
            assert_true(text_width(&tx, FACE_REGULAR, 9, word + at - len,
                                   len + 1) > width);
    }
    assert_int_equal(at, strlen(word));
    assert_int_equal(brk("Ab", 1), 2);
    assert_string_equal(line(0), "A");
    assert_string_equal(line(1), "b");
}

static void text_should_warn_for_a_missing_letter_below_u0800(void **state)
{
    (void)state;
    /* A context of its own: the other tests measured every code point. */
    struct diag d;
    struct text_ctx t;
    diag_init(&d);
    text_ctx_init(&t, &fonts, &d);
    text_ctx_at(&t, "informe.yaml", 3, 7);
    /* U+0720, Syriac lamadh: two bytes, not in Liberation Sans. */
    assert_false(font_has(&fonts.face[FACE_REGULAR], 0x720));
    text_lines_clear(&tl);
    const char *s = "ab\xDC\xA0"
                    "cd \xDC\xA0";
    text_break(&t, FACE_REGULAR, 9, s, strlen(s), 500, &tl);
    assert_int_equal(d.warnings, 1);
    char *m = diag_format(&d.msgs[0]);
    assert_string_equal(m, "informe.yaml:3:7: aviso: la fuente "
                           "LiberationSans-Regular.ttf no tiene el carácter "
                           "U+0720 «\xDC\xA0»: se verá como un recuadro "
                           "vacío");
    free(m);
    /* Measured as the face's .notdef; in bold, warned once more. */
    assert_int_equal(text_units(&t, FACE_REGULAR, "\xDC\xA0", 2),
                     fonts.face[FACE_REGULAR].missing_width);
    assert_int_equal(d.warnings, 1);
    text_units(&t, FACE_BOLD, "\xDC\xA0", 2);
    assert_int_equal(d.warnings, 2);
    text_ctx_release(&t);
    diag_release(&d);
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
        cmocka_unit_test(text_should_break_plain_text_as_the_span_breaker_does),
        cmocka_unit_test(text_should_measure_as_the_font_metrics_do),
        cmocka_unit_test(text_should_give_the_last_line_its_exact_advance),
        cmocka_unit_test(text_should_keep_accented_words_that_fit_exactly),
        cmocka_unit_test(text_should_cut_long_words_between_characters),
        cmocka_unit_test(text_should_warn_for_a_missing_letter_below_u0800),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
