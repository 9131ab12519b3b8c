/* test_content: the exact bytes of page content streams written from
 * display-list items (pdf/content.h): text runs as two-byte codes with
 * their escapes, fonts, colours, rectangles, lines and images, and the
 * marked content of tagged PDF nested with text objects. Needs no PDF
 * library. */
#include "testutil.h"

#include "base/utf8.h"
#include "pdf/content.h"

#include <stdlib.h>

/* The operators written so far equal the literal s (which may hold NUL
 * bytes). */
#define assert_ops(c, s) assert_bytes(c, s, sizeof(s) - 1)

static void assert_bytes(const struct content *c, const char *s, size_t n)
{
    if (c->ops.len != n || memcmp(c->ops.data, s, n) != 0) {
        print_error("got %zu bytes:\n", c->ops.len);
        for (size_t i = 0; i < c->ops.len; i++) {
            unsigned char b = (unsigned char)c->ops.data[i];
            if (b >= 0x20 && b < 0x7F)
                print_error("%c", b);
            else
                print_error("\\x%02X", b);
        }
        print_error("\n");
    }
    assert_int_equal(c->ops.len, n);
    assert_memory_equal(c->ops.data, s, n);
}

static struct dl_item text(float x, float y, float size, uint32_t color,
                           const char *s, size_t n)
{
    return (struct dl_item){.kind = DL_TEXT,
                            .x = x,
                            .y = y,
                            .h = size,
                            .fill = color,
                            .stroke = COLOR_NONE,
                            .text = s,
                            .len = n};
}

static struct dl_item rect(float x, float y, float w, float h, uint32_t fill,
                           uint32_t stroke, float lw)
{
    return (struct dl_item){.kind = DL_RECT,
                            .x = x,
                            .y = y,
                            .w = w,
                            .h = h,
                            .fill = fill,
                            .stroke = stroke,
                            .line_width = lw};
}

static struct dl_item line(float x1, float y1, float x2, float y2,
                           uint32_t color, float lw)
{
    return (struct dl_item){.kind = DL_LINE,
                            .x = x1,
                            .y = y1,
                            .w = x2 - x1,
                            .h = y2 - y1,
                            .fill = COLOR_NONE,
                            .stroke = color,
                            .line_width = lw};
}

struct fixture {
    struct content c;
    struct content_font f1, f2;
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    content_init(&fx->c);
    content_begin(&fx->c, 792);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    content_release(&fx->c);
    free(fx);
    return 0;
}

static void content_should_write_a_text_run_as_two_byte_codes(void **state)
{
    struct fixture *fx = *state;
    struct dl_item it = text(56.69f, 36.85f, 8, 0x404040, "P\xC3\xA1gina 3", 9);
    assert_true(content_text_visible(&it));
    assert_true(content_font_changes(&fx->c, &fx->f1, 8));
    content_text(&fx->c, &it, &fx->f1, "F1");
    content_end(&fx->c);
    assert_ops(&fx->c, "BT\n"
                       "/F1 8 Tf\n"
                       ".251 .251 .251 rg\n"
                       "56.69 755.15 Td\n"
                       "(\0P\0\xE1\0g\0i\0n\0a\0 \0003)Tj\n"
                       "ET\n");
    assert_int_equal(fx->c.bad, 0);
}

static void
content_should_move_by_differences_and_keep_font_and_colour(void **state)
{
    struct fixture *fx = *state;
    struct dl_item a = text(56.69f, 36.85f, 9, 0, "a", 1);
    struct dl_item b = text(100, 50, 9, 0, "b", 1);
    struct dl_item c = text(100, 61, 9.5f, 0x1F4E79, "c", 1);
    content_text(&fx->c, &a, &fx->f1, "F1");
    assert_false(content_font_changes(&fx->c, &fx->f1, 9));
    /* The name is not read when the font stays. */
    content_text(&fx->c, &b, &fx->f1, NULL);
    assert_true(content_font_changes(&fx->c, &fx->f1, 9.5f));
    assert_true(content_font_changes(&fx->c, &fx->f2, 9));
    content_text(&fx->c, &c, &fx->f1, "F1");
    assert_ops(&fx->c, "BT\n"
                       "/F1 9 Tf\n"
                       "56.69 755.15 Td\n"
                       "(\0a)Tj\n"
                       "43.31 -13.15 Td\n"
                       "(\0b)Tj\n"
                       "/F1 9.5 Tf\n"
                       ".122 .306 .475 rg\n"
                       /* straight below: the next line, at 11 points */
                       "11 TL\n"
                       "(\0c)'\n");
}

static void content_should_escape_string_delimiters_and_line_ends(void **state)
{
    struct fixture *fx = *state;
    /* '(' ')' '\\', then U+0A0D (bytes 0A 0D) and U+2829 (28 29). */
    static const char s[] = "()\\\xE0\xA8\x8D\xE2\xA0\xA9";
    struct dl_item it = text(0, 792, 10, 0, s, sizeof s - 1);
    content_text(&fx->c, &it, &fx->f1, "F2");
    assert_ops(&fx->c, "BT\n"
                       "/F2 10 Tf\n"
                       "0 0 Td\n"
                       "(\0\\(\0\\)\0\\\\\\n\\r\\(\\))Tj\n");
}

static void
content_should_mark_the_code_points_drawn_with_each_font(void **state)
{
    struct fixture *fx = *state;
    struct dl_item a = text(10, 10, 9, 0, "abba", 4);
    struct dl_item b = text(10, 20, 9, 0,
                            "\xC3\xB1"
                            "a",
                            3);
    struct dl_item c = text(10, 30, 9, 0, "ab", 2);
    content_text(&fx->c, &a, &fx->f1, "F1");
    content_text(&fx->c, &b, &fx->f1, NULL);
    content_text(&fx->c, &c, &fx->f2, "F2");
    assert_true(content_font_uses(&fx->f1, 'a'));
    assert_true(content_font_uses(&fx->f1, 'b'));
    assert_true(content_font_uses(&fx->f1, 0xF1));
    assert_false(content_font_uses(&fx->f1, 'c'));
    assert_int_equal(content_font_last(&fx->f1), 0xF1);
    assert_true(content_font_uses(&fx->f2, 'a'));
    assert_false(content_font_uses(&fx->f2, 0xF1));
    assert_int_equal(content_font_last(&fx->f2), 'b');
}

static void content_should_draw_what_it_cannot_show_as_replacement(void **state)
{
    struct fixture *fx = *state;
    /* U+1F600, outside the BMP, then 'x'. */
    struct dl_item a = text(0, 792, 10, 0, "\xF0\x9F\x98\x80x", 5);
    content_text(&fx->c, &a, &fx->f1, "F1");
    assert_int_equal(fx->c.bad, 0x1F600);
    assert_ops(&fx->c, "BT\n"
                       "/F1 10 Tf\n"
                       "0 0 Td\n"
                       "(\xFF\xFD\0x)Tj\n");
    /* Malformed bytes and NUL: U+FFFD, recorded as bad UTF-8 on a new
     * page (the first one of a page is kept). */
    content_begin(&fx->c, 792);
    struct dl_item b = text(0, 792, 10, 0, "\xC3(\0", 3);
    content_text(&fx->c, &b, &fx->f1, "F1");
    assert_int_equal(fx->c.bad, UTF8_BAD);
    assert_ops(&fx->c, "BT\n"
                       "/F1 10 Tf\n"
                       "0 0 Td\n"
                       "(\xFF\xFD\0\\(\xFF\xFD)Tj\n");
}

static void content_should_skip_empty_and_colourless_text(void **state)
{
    (void)state;
    struct dl_item empty = text(0, 0, 10, 0, "", 0);
    struct dl_item clear = text(0, 0, 10, COLOR_NONE, "x", 1);
    struct dl_item shown = text(0, 0, 10, 0xFFFFFF, "x", 1);
    assert_false(content_text_visible(&empty));
    assert_false(content_text_visible(&clear));
    assert_true(content_text_visible(&shown));
}

static void content_should_fill_stroke_or_both_a_rectangle(void **state)
{
    struct fixture *fx = *state;
    content_begin(&fx->c, 100);
    struct dl_item f = rect(12.5f, 10, 0.25f, 20, 0xFF0000, COLOR_NONE, 0);
    struct dl_item s = rect(-0.25f, 0, 10, 100, COLOR_NONE, 0x0000FF, 0.5f);
    struct dl_item b = rect(1, 2, 3, 4, 0xFF0000, 0x808080, 0.5f);
    struct dl_item none = rect(1, 2, 3, 4, COLOR_NONE, COLOR_NONE, 1);
    content_rect(&fx->c, &f);
    content_rect(&fx->c, &s);
    content_rect(&fx->c, &b);
    content_rect(&fx->c, &none);
    assert_ops(&fx->c, "1 0 0 rg\n"
                       "12.5 70 .25 20 re\nf\n"
                       "0 0 1 RG\n"
                       ".5 w\n"
                       "-.25 0 10 100 re\nS\n"
                       ".502 .502 .502 RG\n"
                       "1 94 3 4 re\nB\n");
}

static void content_should_draw_a_line_in_the_page_state(void **state)
{
    struct fixture *fx = *state;
    content_begin(&fx->c, 100);
    /* Black and 1 point: what a page starts with, so no state operator. */
    struct dl_item a = line(10, 20, 40, 15, 0x000000, 1);
    struct dl_item b = line(0, 0, 0.001f, 100, 0x010203, 0.75f);
    struct dl_item none = line(0, 0, 1, 1, COLOR_NONE, 1);
    content_line(&fx->c, &a);
    content_line(&fx->c, &b);
    content_line(&fx->c, &none);
    assert_ops(&fx->c, "10 80 m\n40 85 l\nS\n"
                       ".004 .008 .012 RG\n"
                       ".75 w\n"
                       "0 100 m\n.001 0 l\nS\n");
}

static void content_should_place_an_image_outside_text(void **state)
{
    struct fixture *fx = *state;
    struct dl_item t = text(10, 10, 9, 0, "a", 1);
    struct dl_item im = {.kind = DL_IMAGE,
                         .x = 56.69f,
                         .y = 60,
                         .w = 80,
                         .h = 40,
                         .text = "logo.png",
                         .len = 8};
    content_text(&fx->c, &t, &fx->f1, "F1");
    content_image(&fx->c, &im, "X1");
    assert_ops(&fx->c, "BT\n"
                       "/F1 9 Tf\n"
                       "10 782 Td\n"
                       "(\0a)Tj\n"
                       "ET\n"
                       "q\n80 0 0 40 56.69 692 cm\n/X1 Do\nQ\n");
}

static void content_should_start_every_page_in_the_initial_state(void **state)
{
    struct fixture *fx = *state;
    struct dl_item red = rect(0, 0, 1, 1, 0xFF0000, 0xFF0000, 2);
    struct dl_item t = text(0, 10, 9, 0xFF0000, "a", 1);
    content_rect(&fx->c, &red);
    content_text(&fx->c, &t, &fx->f1, "F1");
    content_begin(&fx->c, 200);
    assert_int_equal(fx->c.ops.len, 0);
    /* Black again: red is set anew, and so is the font. */
    content_rect(&fx->c, &red);
    assert_true(content_font_changes(&fx->c, &fx->f1, 9));
    content_text(&fx->c, &t, &fx->f1, "F1");
    content_end(&fx->c);
    content_end(&fx->c);
    assert_ops(&fx->c, "1 0 0 rg\n"
                       "1 0 0 RG\n"
                       "2 w\n"
                       "0 199 1 1 re\nB\n"
                       "BT\n"
                       "/F1 9 Tf\n"
                       "0 190 Td\n"
                       "(\0a)Tj\n"
                       "ET\n");
}

static void sequences_begun_outside_text_should_hold_whole_objects(void **state)
{
    struct fixture *fx = *state;
    struct dl_item a = text(10, 20, 9, 0, "a", 1);
    struct dl_item b = text(10, 20, 9, 0, "b", 1);
    struct dl_item box = rect(0, 0, 5, 5, 0xFF0000, COLOR_NONE, 0);
    content_mark(&fx->c, "P", 0, true);
    content_text(&fx->c, &a, &fx->f1, "F1");
    /* Not told that text comes: the next sequence ends the text object
     * first; the font and colour carry over, the position starts anew. */
    content_mark(&fx->c, "TD", 1, true);
    content_text(&fx->c, &b, &fx->f1, NULL);
    content_artifact(&fx->c, NULL);
    content_rect(&fx->c, &box);
    content_artifact(&fx->c, "/Type/Pagination/Subtype/Footer");
    content_mark_end(&fx->c);
    /* Nothing open: ending again writes nothing. */
    content_mark_end(&fx->c);
    content_end(&fx->c);
    assert_ops(&fx->c, "/P<</MCID 0>>BDC\n"
                       "BT\n"
                       "/F1 9 Tf\n"
                       "10 772 Td\n"
                       "(\0a)Tj\n"
                       "ET\n"
                       "EMC\n"
                       "/TD<</MCID 1>>BDC\n"
                       "BT\n"
                       "10 772 Td\n"
                       "(\0b)Tj\n"
                       "ET\n"
                       "EMC\n"
                       "/Artifact BMC\n"
                       "1 0 0 rg\n"
                       "0 787 5 5 re\nf\n"
                       "EMC\n"
                       "/Artifact<</Type/Pagination/Subtype/Footer>>BDC\n"
                       "EMC\n");
}

static void page_end_should_close_the_open_sequence(void **state)
{
    struct fixture *fx = *state;
    struct dl_item a = text(10, 20, 9, 0, "a", 1);
    content_mark(&fx->c, "H1", 7, true);
    content_text(&fx->c, &a, &fx->f1, "F1");
    content_end(&fx->c);
    assert_ops(&fx->c, "/H1<</MCID 7>>BDC\n"
                       "BT\n"
                       "/F1 9 Tf\n"
                       "10 772 Td\n"
                       "(\0a)Tj\n"
                       "ET\n"
                       "EMC\n");
    content_begin(&fx->c, 792);
    assert_false(fx->c.in_mark);
}

static void element_text_should_keep_word_boundaries(void **state)
{
    struct fixture *fx = *state;
    /* Two lines of a paragraph, a bold run continuing the second line
     * (within 0.1 pt of its end), a run further right on the same line,
     * and one back at the left: the space goes into the string of the
     * run it ends, in that run's font. */
    struct dl_item l1 = text(10, 20, 9, 0, "de", 2);
    l1.w = 20;
    struct dl_item l2 = text(10, 31, 9, 0, "pol", 3);
    l2.w = 12.5f;
    struct dl_item bold = text(22.55f, 31, 9, 0, "ítica", 6);
    bold.w = 17;
    struct dl_item far = text(100, 31, 9, 0, "3", 1);
    far.w = 5;
    struct dl_item back = text(10, 31, 9, 0, "x", 1);
    content_mark(&fx->c, "P", 0, true);
    content_text(&fx->c, &l1, &fx->f1, "F1");
    content_text(&fx->c, &l2, &fx->f1, NULL);
    content_text(&fx->c, &bold, &fx->f2, "F2");
    content_text(&fx->c, &far, &fx->f2, NULL);
    content_text(&fx->c, &back, &fx->f2, NULL);
    assert_ops(&fx->c, "/P<</MCID 0>>BDC\n"
                       "BT\n"
                       "/F1 9 Tf\n"
                       "10 772 Td\n"
                       "(\0d\0e\0 )Tj\n"
                       "11 TL\n"
                       "(\0p\0o\0l)'\n"
                       /* "ítica" continues "pol": no space */
                       "/F2 9 Tf\n"
                       "12.55 0 Td\n"
                       "(\0\xED\0t\0i\0c\0a\0 )Tj\n"
                       "77.45 0 Td\n"
                       "(\0003\0 )Tj\n"
                       "-90 0 Td\n"
                       "(\0x)Tj\n");
    assert_true(content_font_uses(&fx->f1, ' '));
    assert_true(content_font_uses(&fx->f2, ' '));
}

static void a_space_after_other_operators_should_be_drawn_apart(void **state)
{
    struct fixture *fx = *state;
    /* A label, a bar, a label on the next line. The space is drawn
     * where the first label ended, in its own text object. */
    struct dl_item a = text(10, 20, 9, 0, "a", 1);
    a.w = 20;
    struct dl_item bar = rect(0, 0, 5, 5, 0xFF0000, COLOR_NONE, 0);
    struct dl_item b = text(10, 31, 9, 0, "b", 1);
    content_mark(&fx->c, "Caption", 0, true);
    content_text(&fx->c, &a, &fx->f1, "F1");
    content_rect(&fx->c, &bar);
    content_text(&fx->c, &b, &fx->f1, NULL);
    assert_ops(&fx->c, "/Caption<</MCID 0>>BDC\n"
                       "BT\n"
                       "/F1 9 Tf\n"
                       "10 772 Td\n"
                       "(\0a)Tj\n"
                       "ET\n"
                       "1 0 0 rg\n"
                       "0 787 5 5 re\nf\n"
                       "BT\n"
                       "30 772 Td\n"
                       "(\0 )Tj\n"
                       "0 0 0 rg\n"
                       "-20 -11 Td\n"
                       "(\0b)Tj\n");
}

static void sequences_of_text_should_nest_inside_one_text_object(void **state)
{
    struct fixture *fx = *state;
    /* Three cells of a row: each sequence opens inside the text object
     * and ends before the next one. The first run of a sequence is
     * placed by its position (a move from the origin right after BT, Tm
     * later), as it would be in a text object of its own. */
    struct dl_item a = text(10, 20, 9, 0, "a", 1);
    struct dl_item b = text(40, 20, 9, 0, "b", 1);
    struct dl_item h = text(70, 20, 9, 0xFFFFFF, "h", 1);
    content_prepare_text(&fx->c);
    content_mark(&fx->c, "TD", 0, true);
    content_text(&fx->c, &a, &fx->f1, "F1");
    content_prepare_text(&fx->c);
    content_mark(&fx->c, "TD", 1, true);
    content_text(&fx->c, &b, &fx->f1, NULL);
    content_prepare_text(&fx->c);
    content_artifact(&fx->c, "/Type/Pagination");
    content_text(&fx->c, &h, &fx->f1, NULL);
    assert_true(content_marked(&fx->c));
    content_end(&fx->c);
    assert_false(content_marked(&fx->c));
    assert_ops(&fx->c, "BT\n"
                       "/TD<</MCID 0>>BDC\n"
                       "/F1 9 Tf\n"
                       "10 772 Td\n"
                       "(\0a)Tj\n"
                       "EMC\n"
                       "/TD<</MCID 1>>BDC\n"
                       "1 0 0 1 40 772 Tm\n"
                       "(\0b)Tj\n"
                       "EMC\n"
                       "/Artifact<</Type/Pagination>>BDC\n"
                       "1 1 1 rg\n"
                       "1 0 0 1 70 772 Tm\n"
                       "(\0h)Tj\n"
                       "EMC\n"
                       "ET\n");
}

static void a_path_should_end_a_sequence_begun_inside_text(void **state)
{
    struct fixture *fx = *state;
    struct dl_item a = text(10, 20, 9, 0, "a", 1);
    struct dl_item b = text(30, 20, 9, 0, "b", 1);
    struct dl_item box = rect(0, 0, 5, 5, 0xFF0000, COLOR_NONE, 0);
    content_prepare_text(&fx->c);
    content_mark(&fx->c, "TD", 0, true);
    content_text(&fx->c, &a, &fx->f1, "F1");
    /* The sequence began inside the text object: it ends with it, and
     * says so, so that the path gets a sequence of its own. */
    content_prepare_graphics(&fx->c);
    assert_false(content_marked(&fx->c));
    content_artifact(&fx->c, NULL);
    content_rect(&fx->c, &box);
    /* A figure's sequence (no words) opens outside text even when text
     * comes first: its paths may follow. */
    content_prepare_text(&fx->c);
    content_mark(&fx->c, "Figure", 1, false);
    content_text(&fx->c, &b, &fx->f1, NULL);
    content_prepare_graphics(&fx->c);
    assert_true(content_marked(&fx->c));
    content_rect(&fx->c, &box);
    content_end(&fx->c);
    assert_ops(&fx->c, "BT\n"
                       "/TD<</MCID 0>>BDC\n"
                       "/F1 9 Tf\n"
                       "10 772 Td\n"
                       "(\0a)Tj\n"
                       "EMC\n"
                       "ET\n"
                       "/Artifact BMC\n"
                       "1 0 0 rg\n"
                       "0 787 5 5 re\nf\n"
                       "EMC\n"
                       "/Figure<</MCID 1>>BDC\n"
                       "BT\n"
                       "0 0 0 rg\n"
                       "30 772 Td\n"
                       "(\0b)Tj\n"
                       "ET\n"
                       "1 0 0 rg\n"
                       "0 787 5 5 re\nf\n"
                       "EMC\n");
}

static void a_space_should_reopen_a_next_line_string(void **state)
{
    struct fixture *fx = *state;
    /* Three lines of a paragraph: the second is shown with ', and the
     * space ending it goes inside its string, before the '. */
    struct dl_item l1 = text(10, 20, 9, 0, "a", 1);
    l1.w = 5;
    struct dl_item l2 = text(10, 31, 9, 0, "b", 1);
    l2.w = 5;
    struct dl_item l3 = text(10, 42, 9, 0, "(", 1);
    content_mark(&fx->c, "P", 0, true);
    content_text(&fx->c, &l1, &fx->f1, "F1");
    content_text(&fx->c, &l2, &fx->f1, NULL);
    content_text(&fx->c, &l3, &fx->f1, NULL);
    assert_ops(&fx->c, "/P<</MCID 0>>BDC\n"
                       "BT\n"
                       "/F1 9 Tf\n"
                       "10 772 Td\n"
                       "(\0a\0 )Tj\n"
                       "11 TL\n"
                       "(\0b\0 )'\n"
                       "(\0\\()'\n");
}

static void numbers_should_drop_zeros_and_round_to_thousandths(void **state)
{
    struct fixture *fx = *state;
    content_begin(&fx->c, 1000);
    /* 0.0004 rounds to 0; -0.0005 away from zero; 1000.05 keeps its
     * leading digits and one decimal. */
    struct dl_item r =
        rect(0.0004f, 1000, 1000.05f, -0.0005f, 0xFF0000, COLOR_NONE, 0);
    content_rect(&fx->c, &r);
    assert_ops(&fx->c, "1 0 0 rg\n"
                       "0 .001 1000.05 -.001 re\nf\n");
}

static void numbers_should_keep_every_digit_below_and_above_1000(void **state)
{
    struct fixture *fx = *state;
    content_begin(&fx->c, 2000);
    /* Integer parts of one, two, three and four digits; one, two and
     * three decimals; a negative number below 100. */
    struct dl_item a =
        rect(7.12f, 1000, 45.6f, 123.456f, 0xFF0000, COLOR_NONE, 0);
    struct dl_item b =
        rect(-99.999f, 1999.5f, 100, 0.5f, 0xFF0000, COLOR_NONE, 0);
    struct dl_item c =
        rect(0.05f, 0, 999.999f, 10.01f, 0xFF0000, COLOR_NONE, 0);
    content_rect(&fx->c, &a);
    content_rect(&fx->c, &b);
    content_rect(&fx->c, &c);
    assert_ops(&fx->c, "1 0 0 rg\n"
                       "7.12 876.544 45.6 123.456 re\nf\n"
                       "-99.999 0 100 .5 re\nf\n"
                       ".05 1989.99 999.999 10.01 re\nf\n");
}

static void font_colour_and_leading_should_be_written_once(void **state)
{
    struct fixture *fx = *state;
    /* Two cells of three lines each, the same font, colour and leading
     * throughout: Tf, rg and TL come once. */
    static const float x[2] = {10, 60};
    for (int cell = 0; cell < 2; cell++)
        for (int line = 0; line < 3; line++) {
            struct dl_item t =
                text(x[cell], 20 + 11 * (float)line, 9, 0x1F4E79, "x", 1);
            content_text(&fx->c, &t, &fx->f1, "F1");
        }
    assert_ops(&fx->c, "BT\n"
                       "/F1 9 Tf\n"
                       ".122 .306 .475 rg\n"
                       "10 772 Td\n"
                       "(\0x)Tj\n"
                       "11 TL\n"
                       "(\0x)'\n"
                       "(\0x)'\n"
                       "50 22 Td\n"
                       "(\0x)Tj\n"
                       "(\0x)'\n"
                       "(\0x)'\n");
}

static void text_outside_elements_should_get_no_spaces(void **state)
{
    struct fixture *fx = *state;
    struct dl_item l1 = text(10, 20, 9, 0, "a", 1);
    struct dl_item l2 = text(10, 31, 9, 0, "b", 1);
    /* Untagged, and inside an artifact: runs as they are. */
    content_text(&fx->c, &l1, &fx->f1, "F1");
    content_text(&fx->c, &l2, &fx->f1, NULL);
    content_artifact(&fx->c, NULL);
    content_text(&fx->c, &l1, &fx->f1, NULL);
    content_text(&fx->c, &l2, &fx->f1, NULL);
    assert_false(content_font_uses(&fx->f1, ' '));
    /* A new sequence forgets where the last run of another ended. */
    content_mark(&fx->c, "P", 0, true);
    content_text(&fx->c, &l2, &fx->f1, NULL);
    assert_false(content_font_uses(&fx->f1, ' '));
    /* A figure's labels: none either. */
    content_mark(&fx->c, "Figure", 1, false);
    content_text(&fx->c, &l1, &fx->f1, NULL);
    content_text(&fx->c, &l2, &fx->f1, NULL);
    assert_false(content_font_uses(&fx->f1, ' '));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(content_should_write_a_text_run_as_two_byte_codes),
        T(content_should_move_by_differences_and_keep_font_and_colour),
        T(content_should_escape_string_delimiters_and_line_ends),
        T(content_should_mark_the_code_points_drawn_with_each_font),
        T(content_should_draw_what_it_cannot_show_as_replacement),
        T(content_should_skip_empty_and_colourless_text),
        T(content_should_fill_stroke_or_both_a_rectangle),
        T(content_should_draw_a_line_in_the_page_state),
        T(content_should_place_an_image_outside_text),
        T(content_should_start_every_page_in_the_initial_state),
        T(sequences_begun_outside_text_should_hold_whole_objects),
        T(sequences_of_text_should_nest_inside_one_text_object),
        T(a_path_should_end_a_sequence_begun_inside_text),
        T(a_space_should_reopen_a_next_line_string),
        T(numbers_should_drop_zeros_and_round_to_thousandths),
        T(numbers_should_keep_every_digit_below_and_above_1000),
        T(font_colour_and_leading_should_be_written_once),
        T(page_end_should_close_the_open_sequence),
        T(element_text_should_keep_word_boundaries),
        T(a_space_after_other_operators_should_be_drawn_apart),
        T(text_outside_elements_should_get_no_spaces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
