/* test_tl: the template language's description (template/tl.def) is
 * consistent, its words and widths convert as the schema check says. */
#include "testutil.h"

#include "base/arena.h"
#include "base/diag.h"
#include "template/tl.h"
#include "template/tree.h"

#include <stdlib.h>

struct fx {
    struct arena *a;
    struct diag d;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    f->a = arena_new();
    diag_init(&f->d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    diag_release(&f->d);
    arena_free(f->a);
    free(f);
    return 0;
}

static void assert_msg(struct fx *f, size_t i, const char *want)
{
    if (i >= f->d.n)
        fail_msg("no message %zu (only %zu)", i, f->d.n);
    char *got = diag_format(&f->d.msgs[i]);
    assert_string_equal(got, want);
    free(got);
}

/* A scalar node as a template would hold it. */
static struct tnode scalar(const char *text)
{
    struct tnode n = {.kind = TREE_SCALAR,
                      .file = "t.yaml",
                      .line = 1,
                      .col = 1,
                      .text = text,
                      .len = strlen(text)};
    return n;
}

/* ---- the description ---- */

static void keys_should_be_distinct_within_each_map(void **state)
{
    (void)state;
    for (int m = 0; m < TLM_COUNT; m++) {
        const struct tl_map *x = &tl_maps[m];
        for (size_t i = 0; i < x->nkeys; i++) {
            const struct tl_key *k = &tl_keys[x->first + i];
            assert_int_equal(k->map, m);
            assert_ptr_equal(tl_find_key((enum tl_map_id)m, k->name), k);
            assert_non_null(k->doc);
        }
    }
    /* every key belongs to exactly one map, in order */
    size_t total = 0;
    for (int m = 0; m < TLM_COUNT; m++)
        total += tl_maps[m].nkeys;
    assert_int_equal(total, TLK_COUNT);
    assert_int_equal(tl_maps[TLM_top].nkeys, 5);
    assert_string_equal(tl_keys[TLK_table_columns].name, "columns");
    assert_string_equal(tl_keys[TLK_param_default_].name, "default");
    assert_null(tl_find_key(TLM_table, "colums"));
}

static void blocks_should_be_named_by_their_key(void **state)
{
    (void)state;
    static const char *const order[] = {
        "cover", "toc",   "section",    "heading", "text", "list",
        "table", "chart", "page_break", "space",   "image"};
    size_t n = 0;
    for (int m = 0; m < TLM_COUNT; m++) {
        const struct tl_map *x = &tl_maps[m];
        size_t mains = 0;
        for (size_t i = 0; i < x->nkeys; i++)
            mains += (tl_keys[x->first + i].flags & TL_MAIN) != 0;
        if (x->form == TLF_NONE) {
            assert_true(m == TLM_param ? mains == 1 : mains == 0);
            continue;
        }
        /* messages name a block by its key, and list them in this order */
        assert_true(n < sizeof order / sizeof *order);
        assert_string_equal(x->id, order[n++]);
        assert_string_equal(x->where, x->id);
        bool scalar_form =
            x->form == TLF_TEXT || x->form == TLF_LIST || x->form == TLF_SCALAR;
        assert_int_equal(mains, scalar_form ? 1 : 0);
    }
    assert_int_equal(n, sizeof order / sizeof *order);
}

static void arguments_should_name_what_their_kind_needs(void **state)
{
    (void)state;
    for (int k = 0; k < TLK_COUNT; k++) {
        const struct tl_key *key = &tl_keys[k];
        const char *w[32];
        switch (key->kind) {
        case TLV_ENUM:
        case TLV_TYPEMAP:
            assert_true(tl_set_words((enum tl_set)key->arg, w, 32) > 0);
            break;
        case TLV_INT:
            assert_true(tl_range_min[key->arg] <= tl_range_max[key->arg]);
            break;
        case TLV_MAP:
        case TLV_MAP_OR_LENGTH:
        case TLV_MAP_OR_NAMES:
        case TLV_MAPS:
        case TLV_PARAMS:
        case TLV_SOURCES:
        case TLV_STYLES:
            assert_int_equal(tl_maps[key->arg].form, TLF_NONE);
            assert_true(key->arg != TLM_top);
            break;
        default:
            break;
        }
        /* only the options of blocks may be written beside them */
        if (key->flags & TL_BESIDE)
            assert_int_not_equal(tl_maps[key->map].form, TLF_NONE);
    }
}

/* ---- words and widths ---- */

static void words_should_keep_their_sets_and_order(void **state)
{
    (void)state;
    const char *w[8];
    assert_int_equal(tl_set_words(TLS_align, w, 8), 3);
    assert_string_equal(w[0], "left");
    assert_string_equal(w[2], "right");
    assert_int_equal(tl_word_find(TLS_align, "center"), TLW_align_center);
    assert_int_equal(tl_word_find(TLS_align, "vertical"), TLW_NONE);
    assert_int_equal(tl_word_find(TLS_chart_orient, "vertical"),
                     TLW_chart_orient_vertical);
    assert_int_equal(tl_word_pos(TLW_align_left), 0);
    assert_int_equal(tl_word_pos(TLW_align_right), 2);
    assert_int_equal(tl_word_pos(TLW_type_money), 5);
}

static void words_should_report_a_misspelling_with_a_suggestion(void **state)
{
    struct fx *f = *state;
    enum tl_word w = TLW_NONE;
    struct tnode ok = scalar("a4"), near = scalar("a5"), far = scalar("xyz");
    assert_true(tl_to_word(&f->d, &ok, "en 'size'", TLS_page_size, &w));
    assert_int_equal(w, TLW_page_size_a4);
    assert_false(tl_to_word(&f->d, &near, "en 'size'", TLS_page_size, &w));
    assert_false(tl_to_word(&f->d, &far, "en 'mode'", TLS_chart_mode, &w));
    assert_msg(f, 0,
               "t.yaml:1:1: error: valor desconocido 'a5' en 'size'; ¿quiso "
               "decir 'a4'?");
    assert_msg(f, 1,
               "t.yaml:1:1: error: valor desconocido 'xyz' en 'mode'; valores "
               "admitidos: grouped, stacked");
}

static void widths_should_read_lengths_and_percents(void **state)
{
    struct fx *f = *state;
    float v;
    bool pct;
    struct tnode pt = scalar("32pt"), share = scalar("40.5%"),
                 big = scalar("140%"), spaced = scalar("40 %");
    assert_true(tl_to_width(&f->d, &pt, &v, &pct));
    assert_false(pct);
    assert_float_equal(v, 32, 0);
    assert_true(tl_to_width(&f->d, &share, &v, &pct));
    assert_true(pct);
    assert_float_equal(v, 40.5, 1e-6);
    assert_false(tl_to_width(&f->d, &big, &v, &pct));
    assert_false(tl_to_width(&f->d, &spaced, &v, &pct));
    assert_msg(f, 0,
               "t.yaml:1:1: error: porcentaje de ancho no válido '140%' (de 1% "
               "a 100%)");
    assert_msg(f, 1,
               "t.yaml:1:1: error: se esperaba un número y se encontró '40 '");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(keys_should_be_distinct_within_each_map),
        T(blocks_should_be_named_by_their_key),
        T(arguments_should_name_what_their_kind_needs),
        T(words_should_keep_their_sets_and_order),
        T(words_should_report_a_misspelling_with_a_suggestion),
        T(widths_should_read_lengths_and_percents),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
