/* test_breakmemo: a text broken again through the memo gets the lines
 * text_break gives it, to the last bit of every width, with fragments
 * in the text given; other widths, faces and sizes are broken anew, and
 * short texts are not kept. */
#include "fontutil.h"
#include "testutil.h"

#include "layout/breakmemo.h"

#include <stdio.h>
#include <stdlib.h>

static struct fontset fonts;
static struct diag diags;
static struct text_ctx tx;

static int setup(void **state)
{
    (void)state;
    diag_init(&diags);
    if (!test_fonts_load(&fonts, &diags))
        return -1;
    text_ctx_init(&tx, &fonts, &diags);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    text_ctx_release(&tx);
    fontset_release(&fonts);
    diag_release(&diags);
    return 0;
}

/* a and b hold the same lines, b's fragments at the same offsets in sb
 * as a's in sa, every width the same double. */
static void assert_same_lines(const struct text_lines *a, const char *sa,
                              const struct text_lines *b, const char *sb)
{
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->nfrag, b->nfrag);
    for (size_t i = 0; i < a->n; i++) {
        assert_int_equal(a->line[i].first, b->line[i].first);
        assert_int_equal(a->line[i].n, b->line[i].n);
        assert_true(a->line[i].width == b->line[i].width);
    }
    for (size_t i = 0; i < a->nfrag; i++) {
        const struct text_frag *fa = &a->frag[i], *fb = &b->frag[i];
        assert_int_equal(fa->face, fb->face);
        assert_int_equal(fa->len, fb->len);
        assert_int_equal(fa->text - sa, fb->text - sb);
        assert_true(fa->x == fb->x);
        assert_true(fa->w == fb->w);
    }
}

static void
memo_should_give_a_repeated_text_the_lines_of_text_break(void **state)
{
    (void)state;
    const char *s = "Capacitar a los funcionarios en la revisión mensual de "
                    "fugas en las redes hidráulicas.";
    /* The same bytes elsewhere, as a table's rows repeat them. */
    char *copy = strdup(s);
    struct breakmemo m;
    struct text_lines want = {0}, first = {0}, again = {0};
    breakmemo_init(&m);
    size_t n = strlen(s);
    assert_int_equal(text_break(&tx, FACE_REGULAR, 9, s, n, 120, &want), 4);
    assert_int_equal(
        breakmemo_break(&m, &tx, FACE_REGULAR, 9, s, n, 120, &first), 4);
    assert_int_equal(m.hits, 0);
    assert_same_lines(&want, s, &first, s);
    /* Appended after lines already there, as a row's cells are. */
    text_lines_add(&again, FACE_BOLD, "x", 1, 5, 5);
    assert_int_equal(
        breakmemo_break(&m, &tx, FACE_REGULAR, 9, copy, n, 120, &again), 4);
    assert_int_equal(m.hits, 1);
    assert_int_equal(again.n, 5);
    assert_int_equal(again.line[1].first, 1);
    assert_memory_equal(again.frag[1].text, "Capacitar a los", 15);
    assert_ptr_equal(again.frag[1].text, copy);
    /* Line by line what text_break gave, one line further down. */
    for (size_t i = 0; i < want.n; i++) {
        const struct text_frag *fw = &want.frag[want.line[i].first];
        const struct text_frag *fa = &again.frag[again.line[i + 1].first];
        assert_true(want.line[i].width == again.line[i + 1].width);
        assert_int_equal(fa->text - copy, fw->text - s);
        assert_int_equal(fa->len, fw->len);
        assert_true(fa->w == fw->w);
    }
    text_lines_release(&want);
    text_lines_release(&first);
    text_lines_release(&again);
    breakmemo_release(&m);
    free(copy);
}

/* Breaks s into got through m, after clearing got. */
static size_t through_memo(struct breakmemo *m, enum face face, double size,
                           const char *s, double width, struct text_lines *got)
{
    text_lines_clear(got);
    return breakmemo_break(m, &tx, face, size, s, strlen(s), width, got);
}

static void memo_should_break_anew_in_another_width_face_or_size(void **state)
{
    (void)state;
    const char *s = "Grupo de Gestión Ambiental";
    struct breakmemo m;
    struct text_lines got = {0}, want = {0};
    breakmemo_init(&m);
    /* One line in regular at 9 points in 120; each change breaks it
     * otherwise: bold, 10 points, 70 points wide. */
    assert_int_equal(through_memo(&m, FACE_REGULAR, 9, s, 120, &got), 1);
    assert_int_equal(through_memo(&m, FACE_BOLD, 9, s, 120, &got), 2);
    assert_int_equal(got.frag[0].face, FACE_BOLD);
    assert_int_equal(through_memo(&m, FACE_REGULAR, 10, s, 120, &got), 2);
    assert_int_equal(through_memo(&m, FACE_REGULAR, 9, s, 70, &got), 3);
    assert_int_equal(m.hits, 0);
    assert_int_equal(m.nentry, 4);
    /* Each of them again: from the memo, as text_break gives it. */
    assert_int_equal(through_memo(&m, FACE_BOLD, 9, s, 120, &got), 2);
    text_break(&tx, FACE_BOLD, 9, s, strlen(s), 120, &want);
    assert_same_lines(&want, s, &got, s);
    text_lines_clear(&want);
    assert_int_equal(through_memo(&m, FACE_REGULAR, 9, s, 70, &got), 3);
    text_break(&tx, FACE_REGULAR, 9, s, strlen(s), 70, &want);
    assert_same_lines(&want, s, &got, s);
    assert_int_equal(m.hits, 2);
    text_lines_release(&got);
    text_lines_release(&want);
    breakmemo_release(&m);
}

static void memo_should_not_keep_short_texts(void **state)
{
    (void)state;
    struct breakmemo m;
    struct text_lines got = {0};
    breakmemo_init(&m);
    const char *s = "85,2 %"; /* a formatted number */
    for (int i = 0; i < 3; i++)
        assert_int_equal(
            breakmemo_break(&m, &tx, FACE_REGULAR, 9, s, strlen(s), 40, &got),
            1);
    assert_int_equal(got.n, 3);
    assert_int_equal(m.nentry, 0);
    assert_int_equal(m.hits, 0);
    /* An empty text is one empty line, as text_break gives it. */
    text_lines_clear(&got);
    assert_int_equal(breakmemo_break(&m, &tx, FACE_REGULAR, 9, "", 0, 40, &got),
                     1);
    assert_int_equal(got.line[0].n, 0);
    text_lines_release(&got);
    breakmemo_release(&m);
}

static void memo_should_find_every_text_after_growing(void **state)
{
    (void)state;
    struct breakmemo m;
    struct text_lines got = {0}, want = {0};
    breakmemo_init(&m);
    /* Past the first tables' sizes (1,024 slots, at most half full); the
     * texts live as long as the memo, as a document's cells do. */
    enum { N = 3000 };
    char(*s)[40] = calloc(N, sizeof *s);
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < N; i++) {
            if (pass == 0)
                snprintf(s[i], sizeof s[i], "actividad número %d del plan", i);
            text_lines_clear(&got);
            breakmemo_break(&m, &tx, FACE_REGULAR, 9, s[i], strlen(s[i]), 60,
                            &got);
            if (pass == 1 && i % 500 == 0) {
                text_lines_clear(&want);
                text_break(&tx, FACE_REGULAR, 9, s[i], strlen(s[i]), 60, &want);
                assert_same_lines(&want, s[i], &got, s[i]);
            }
        }
    assert_int_equal(m.nentry, N);
    assert_int_equal(m.hits, N);
    assert_true(m.cap >= 8192);
    free(s);
    text_lines_release(&got);
    text_lines_release(&want);
    breakmemo_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            memo_should_give_a_repeated_text_the_lines_of_text_break),
        cmocka_unit_test(memo_should_break_anew_in_another_width_face_or_size),
        cmocka_unit_test(memo_should_not_keep_short_texts),
        cmocka_unit_test(memo_should_find_every_text_after_growing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
