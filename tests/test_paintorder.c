/* test_paintorder: the order in which a page's items are painted
 * (pdf/paintorder.h): artifacts moved before the text they do not touch,
 * kept after what they overlap, everything else in its order, the header
 * and footer last. */
#include "testutil.h"

#include "doc/dlist.h"
#include "pdf/paintorder.h"

struct fixture {
    struct arena *arena;
    struct dl_page page;
    struct paintorder po;
    struct paint_ink ink[FACE_COUNT];
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    fx->arena = arena_new();
    dl_page_init(&fx->page, fx->arena, 1, 612, 792);
    paintorder_init(&fx->po);
    /* Liberation Sans: ink from 0.98 em above the baseline to 0.303 em
     * below it. */
    struct font_metrics fm = {.ink_top = 980, .ink_bottom = -303};
    for (int f = 0; f < FACE_COUNT; f++)
        fx->ink[f] = paint_ink_of(&fm);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    paintorder_release(&fx->po);
    arena_free(fx->arena);
    free(fx);
    return 0;
}

/* A 9-point run of advance w starting at (x, y). */
static void run(struct fixture *fx, float x, float y, float w)
{
    dl_text(&fx->page, x, y, FACE_REGULAR, 9, 0, "x", 1, w);
}

/* A stroked cell border (an artifact, as tables draw them). */
static void border(struct fixture *fx, float x, float y, float w, float h)
{
    dl_rect(&fx->page, x, y, w, h, COLOR_NONE, 0x808080, 0.5f)->art =
        DL_ART_LAYOUT;
}

static void order_is(struct fixture *fx, const uint32_t *want, size_t n)
{
    paintorder_page(&fx->po, &fx->page, fx->ink);
    assert_int_equal(fx->po.n, n);
    for (size_t i = 0; i < n; i++) {
        if (fx->po.order[i] != want[i])
            print_error("at %zu: item %u, not %u\n", i, fx->po.order[i],
                        want[i]);
        assert_int_equal(fx->po.order[i], want[i]);
    }
}

static void ink_should_come_from_the_face_extents(void **state)
{
    (void)state;
    struct font_metrics fm = {.ink_top = 1033, .ink_bottom = -376};
    struct paint_ink k = paint_ink_of(&fm);
    assert_float_equal(k.above, 1.033f, 1e-6);
    assert_float_equal(k.below, 0.376f, 1e-6);
    assert_float_equal(k.side, 0.1f, 1e-6);
}

static void a_table_should_paint_its_borders_first(void **state)
{
    struct fixture *fx = *state;
    /* Two rows of two cells, each border then its text: the borders
     * meet each other, not the text 3 points inside them. */
    for (int r = 0; r < 2; r++)
        for (int c = 0; c < 2; c++) {
            float x = 50 + 100 * (float)c, y = 100 + 20 * (float)r;
            border(fx, x, y, 100, 20);
            run(fx, x + 3, y + 12, 60);
        }
    static const uint32_t want[] = {0, 2, 4, 6, 1, 3, 5, 7};
    order_is(fx, want, 8);
}

static void a_fill_over_text_should_stay_after_it(void **state)
{
    struct fixture *fx = *state;
    run(fx, 50, 100, 60);
    /* A background well away from the run, then one over it. */
    dl_rect(&fx->page, 40, 200, 100, 15, 0xFFFF00, COLOR_NONE, 0)->art =
        DL_ART_LAYOUT;
    dl_rect(&fx->page, 40, 90, 100, 15, 0xFFFF00, COLOR_NONE, 0)->art =
        DL_ART_LAYOUT;
    run(fx, 50, 300, 60);
    /* The first goes before everything; the second stays after the run,
     * in a group of its own. */
    static const uint32_t want[] = {1, 0, 2, 3};
    order_is(fx, want, 4);
}

/* A run at baseline 100 and advance 50..110, then a line; true when the
 * line is painted first. */
static bool line_moves(struct fixture *fx, float x1, float y1, float x2,
                       float y2)
{
    dl_page_init(&fx->page, fx->arena, 1, 612, 792);
    run(fx, 50, 100, 60);
    dl_line(&fx->page, x1, y1, x2, y2, 0, 0.5f)->art = DL_ART_LAYOUT;
    paintorder_page(&fx->po, &fx->page, fx->ink);
    assert_int_equal(fx->po.n, 2);
    return fx->po.order[0] == 1;
}

static void moving_should_keep_a_gap_around_the_ink(void **state)
{
    struct fixture *fx = *state;
    /* The run's ink reaches 0.303 * 9 = 2.727 points below the baseline.
     * A line 3 points below (its half width 0.25 nearer) is 0.023 points
     * from it, under PAINT_GAP: it stays. One 3.75 points below is 0.773
     * away: it moves. */
    assert_false(line_moves(fx, 40, 103, 200, 103));
    assert_true(line_moves(fx, 40, 103.75f, 200, 103.75f));
    /* Above: 0.98 * 9 = 8.82 points. */
    assert_false(line_moves(fx, 40, 90.9f, 200, 90.9f));
    assert_true(line_moves(fx, 40, 90.4f, 200, 90.4f));
    /* Past the end of the advance: 0.1 em (0.9 points). */
    assert_false(line_moves(fx, 111.2f, 80, 111.2f, 120));
    assert_true(line_moves(fx, 111.7f, 80, 111.7f, 120));
    /* Before its start. */
    assert_false(line_moves(fx, 48.8f, 80, 48.8f, 120));
    assert_true(line_moves(fx, 48.3f, 80, 48.3f, 120));
}

static void content_paths_should_keep_their_order(void **state)
{
    struct fixture *fx = *state;
    /* A figure's bar (content, not an artifact) never moves; an artifact
     * that meets nothing passes it and the run, one that meets the bar
     * stays after it. */
    run(fx, 50, 100, 60);
    dl_rect(&fx->page, 50, 150, 40, 40, 0x1F4E79, COLOR_NONE, 0);
    dl_line(&fx->page, 40, 400, 200, 400, 0, 0.5f)->art = DL_ART_LAYOUT;
    dl_line(&fx->page, 40, 170, 200, 170, 0, 0.5f)->art = DL_ART_LAYOUT;
    static const uint32_t want[] = {2, 0, 1, 3};
    order_is(fx, want, 4);
}

static void structure_items_should_keep_their_order(void **state)
{
    struct fixture *fx = *state;
    /* A cell's BEGIN, text and END stay together and in order (its
     * marked content nests in the element), the link after them; the
     * border moves past all of them. */
    dl_begin(&fx->page, DL_ROLE_TD, 0, NULL, 0);
    run(fx, 53, 112, 60);
    dl_end(&fx->page);
    dl_link(&fx->page, 53, 103, 60, 11, 2, 0);
    border(fx, 150, 100, 100, 20);
    dl_begin(&fx->page, DL_ROLE_TD, 0, NULL, 0);
    run(fx, 153, 112, 60);
    dl_end(&fx->page);
    static const uint32_t want[] = {4, 0, 1, 2, 3, 5, 6, 7};
    order_is(fx, want, 8);
    /* The second cell's run followed the border: its sequence begins
     * anew there, as it did with the border in between. */
    assert_false(fx->po.restart[1]);
    assert_true(fx->po.restart[6]);
}

static void header_and_footer_should_come_last(void **state)
{
    struct fixture *fx = *state;
    dl_text(&fx->page, 50, 30, FACE_REGULAR, 8, 0, "h", 1, 10)->art =
        DL_ART_HEADER;
    dl_text(&fx->page, 50, 780, FACE_REGULAR, 8, 0, "f", 1, 10)->art =
        DL_ART_FOOTER;
    run(fx, 50, 100, 60);
    /* The header's rule is an artifact painted with the band, after the
     * page's text: it moves before everything (it meets nothing). */
    dl_line(&fx->page, 50, 40, 560, 40, 0, 0.5f)->art = DL_ART_HEADER;
    static const uint32_t want[] = {3, 2, 0, 1};
    order_is(fx, want, 4);
}

static void a_long_page_should_stop_at_what_it_meets(void **state)
{
    struct fixture *fx = *state;
    /* A run low on the page, thirty rows above it (more slots than a
     * chunk holds), then a rule across that run: the rows' borders all
     * go first; the rule passes the rows' text but not that run, and
     * opens a group after everything. */
    run(fx, 60, 700, 60);
    for (int r = 0; r < 30; r++) {
        border(fx, 50, 10 + 20 * (float)r, 200, 20);
        run(fx, 53, 22 + 20 * (float)r, 60);
    }
    dl_line(&fx->page, 40, 699, 300, 699, 0, 0.5f)->art = DL_ART_LAYOUT;
    uint32_t want[62];
    size_t n = 0;
    for (uint32_t r = 0; r < 30; r++)
        want[n++] = 1 + 2 * r;
    want[n++] = 0;
    for (uint32_t r = 0; r < 30; r++)
        want[n++] = 2 + 2 * r;
    want[n++] = 61;
    order_is(fx, want, n);
    /* The next page starts afresh. */
    dl_page_init(&fx->page, fx->arena, 2, 612, 792);
    run(fx, 60, 700, 60);
    border(fx, 50, 10, 200, 15);
    static const uint32_t again[] = {1, 0};
    order_is(fx, again, 2);
}

static void a_border_below_everything_should_join_the_latest_group(void **state)
{
    struct fixture *fx = *state;
    /* A run under a background (which stays after it, in a group of its
     * own), twenty runs lower down, then a border below all of them: it
     * passes the twenty and joins the background's group, not the one
     * before everything. */
    run(fx, 50, 100, 60);
    dl_rect(&fx->page, 40, 90, 100, 15, 0xFFFF00, COLOR_NONE, 0)->art =
        DL_ART_LAYOUT;
    for (int r = 0; r < 20; r++)
        run(fx, 300, 200 + 10 * (float)r, 60);
    border(fx, 40, 500, 100, 20);
    uint32_t want[23] = {0, 1, 22};
    for (uint32_t r = 0; r < 20; r++)
        want[3 + r] = 2 + r;
    order_is(fx, want, 23);
}

static void invisible_items_should_not_stop_anything(void **state)
{
    struct fixture *fx = *state;
    /* An empty run and an unpainted rectangle under the border keep
     * their places and stop nothing. */
    run(fx, 50, 300, 60);
    dl_text(&fx->page, 50, 100, FACE_REGULAR, 9, 0, "", 0, 0);
    dl_rect(&fx->page, 40, 90, 300, 30, COLOR_NONE, COLOR_NONE, 0);
    border(fx, 40, 90, 300, 30);
    static const uint32_t want[] = {3, 0, 1, 2};
    order_is(fx, want, 4);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(ink_should_come_from_the_face_extents),
        T(a_table_should_paint_its_borders_first),
        T(a_fill_over_text_should_stay_after_it),
        T(moving_should_keep_a_gap_around_the_ink),
        T(content_paths_should_keep_their_order),
        T(structure_items_should_keep_their_order),
        T(header_and_footer_should_come_last),
        T(a_long_page_should_stop_at_what_it_meets),
        T(a_border_below_everything_should_join_the_latest_group),
        T(invisible_items_should_not_stop_anything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
