/* test_tl: the template language's description (template/tl.def) is
 * consistent, its words and widths convert as the schema check says, and
 * the reader fills the typed structs with values, defaults and positions. */
#include "fixture.h"
#include "testutil.h"

#include "base/arena.h"
#include "base/diag.h"
#include "template/schema.h"
#include "template/tl.h"
#include "template/tree.h"

#include <stdlib.h>

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

/* ---- the reader ---- */

/* Loads text (valid YAML), checks it and reads it. */
static const struct tl_top *read_checked(struct fx *f, const char *text)
{
    struct tnode *r = tree_load_mem(f->a, &f->d, "t.yaml", text, strlen(text));
    assert_non_null(r);
    if (!schema_check(&f->d, r)) {
        diag_print(&f->d, stderr);
        fail_msg("the template does not pass schema_check");
    }
    const struct tl_top *top = tl_read(f->a, &f->d, r);
    assert_non_null(top);
    assert_int_equal(f->d.n, 0);
    return top;
}

static void reader_should_apply_defaults_to_absent_keys(void **state)
{
    struct fx *f = *state;
    const struct tl_top *t =
        read_checked(f, "body:\n  - toc:\n  - text: Hola\n  - table:\n"
                        "      data: p\n      columns: [{field: a}]\n"
                        "data:\n  p: {file: p.csv}\n");
    assert_null(t->report);
    assert_null(t->params.node);
    assert_int_equal(t->params.n, 0);
    assert_int_equal(t->body.n, 3);
    const struct tl_toc *toc = t->body.v[0].u.toc;
    assert_int_equal(t->body.v[0].kind, TLM_toc);
    assert_string_equal(toc->title.v, "Contenido");
    assert_null(toc->title.n);
    assert_int_equal(toc->levels.v, 2);
    assert_null(toc->levels.n);
    const struct tl_text *tx = t->body.v[1].u.text;
    assert_int_equal(tx->align.v, TLW_align_left);
    const struct tl_table *tb = t->body.v[2].u.table;
    assert_false(tb->zebra.v);
    assert_null(tb->limit.n);
    assert_null(tb->columns.v[0].style.n);
    assert_int_equal(tb->columns.v[0].style.v, TLW_col_style_normal);
    /* a default the evaluator works out is not applied */
    assert_int_equal(tb->columns.v[0].align.v, TLW_NONE);
    assert_null(tb->columns.v[0].title.v);
    const struct tl_source *src = &t->data.v[0];
    assert_true(src->burst.v);
    assert_string_equal(src->key->text, "p");
    assert_null(src->unpivot);
}

static void reader_should_keep_values_and_their_positions(void **state)
{
    struct fx *f = *state;
    const struct tl_top *t = read_checked(
        f, "report:\n"
           "  title: Informe\n"
           "  page: {size: a4, orientation: horizontal, margin: 1in}\n"
           "  footer: {center: 'Página {page}'}\n"
           "  percent_space: false\n"
           "params:\n"
           "  entidad: ANM\n"
           "  vigencia: {type: integer, default: 2018}\n"
           "styles:\n"
           "  s:\n"
           "    - {min: 80, fill: '#B7E1CD'}\n"
           "    - {fill: '#F4C7C3', label: Bajo}\n"
           "data:\n"
           "  plan:\n"
           "    file: plan.csv\n"
           "    columns: {meta: number, id: text}\n"
           "    unpivot: {columns: '^D', code: '^D[0-9]'}\n"
           "    join: {data: otra, on: {left: a, right: b}}\n"
           "    sort: [programa, -avance]\n"
           "    limit: 10\n"
           "  otra:\n"
           "    file: otra.csv\n"
           "    join: {data: plan, on: codigo, prefix: x_}\n"
           "    compute: {doble: meta * 2}\n"
           "body: []\n");
    const struct tl_report *rep = t->report;
    assert_non_null(rep);
    assert_string_equal(rep->title.v, "Informe");
    assert_int_equal(rep->title.n->line, 2);
    assert_int_equal(rep->title.n->col, 10);
    assert_int_equal(rep->page->size.v, TLW_page_size_a4);
    assert_int_equal(rep->page->orientation.v, TLW_orientation_horizontal);
    assert_null(rep->page->margin.map);
    assert_float_equal(rep->page->margin.len.v, 72, 0);
    assert_null(rep->header);
    assert_string_equal(rep->footer->center.v, "Página {page}");
    assert_null(rep->footer->left.n);
    assert_false(rep->percent_space.v);
    assert_int_equal(t->params.n, 2);
    assert_string_equal(t->params.v[0].key->text, "entidad");
    assert_string_equal(t->params.v[0].default_.v, "ANM");
    assert_int_equal(t->params.v[0].type.v, TLW_NONE);
    assert_int_equal(t->params.v[1].type.v, TLW_type_integer);
    assert_string_equal(t->params.v[1].default_.v, "2018");
    assert_int_equal(t->styles.n, 1);
    assert_string_equal(t->styles.v[0].key->text, "s");
    assert_int_equal(t->styles.v[0].n, 2);
    assert_float_equal(t->styles.v[0].v[0].min.v, 80, 0);
    assert_int_equal(t->styles.v[0].v[0].fill.v, 0xB7E1CD);
    assert_null(t->styles.v[0].v[1].min.n);
    assert_string_equal(t->styles.v[0].v[1].label.v, "Bajo");
    const struct tl_source *plan = &t->data.v[0];
    assert_string_equal(plan->file.v, "plan.csv");
    assert_int_equal(plan->columns.n, 2);
    assert_string_equal(plan->columns.name[1]->text, "id");
    assert_int_equal(plan->columns.type[0], TLW_type_number);
    assert_int_equal(plan->columns.type[1], TLW_type_text);
    assert_string_equal(plan->unpivot->columns.v, "^D");
    assert_string_equal(plan->unpivot->name.v, "name");
    assert_string_equal(plan->unpivot->value.v, "value");
    assert_string_equal(plan->unpivot->code_name.v, "codigo");
    assert_string_equal(plan->join->on.map->left.v, "a");
    assert_int_equal(plan->sort.n, 2);
    assert_string_equal(plan->sort.v[1]->text, "-avance");
    assert_int_equal(plan->limit.v, 10);
    const struct tl_source *otra = &t->data.v[1];
    assert_null(otra->join->on.map);
    assert_int_equal(otra->join->on.names.n, 1);
    assert_string_equal(otra->join->on.names.v[0]->text, "codigo");
    assert_string_equal(otra->join->prefix.v, "x_");
    assert_int_equal(otra->compute.n, 1);
    assert_string_equal(otra->compute.name[0]->text, "doble");
    assert_string_equal(otra->compute.value[0]->text, "meta * 2");
}

static void reader_should_read_every_form_of_a_block(void **state)
{
    struct fx *f = *state;
    const struct tl_top *t = read_checked(
        f, "data:\n  p: {file: p.csv}\n"
           "body:\n"
           "  - cover:\n"
           "  - section: Plan\n"
           "    number: false\n"
           "    content:\n"
           "      - heading: {title: Detalle, level: 3}\n"
           "      - text: Centrado\n"
           "        align: center\n"
           "  - list: [a, b]\n"
           "  - list: {items: [c], numbered: true}\n"
           "  - page_break: false\n"
           "  - space: 1cm\n"
           "  - image: logo.png\n"
           "    width: 2cm\n"
           "  - table:\n"
           "      data: p\n"
           "      columns: [{field: a, width: 40%}, {value: b * 2}]\n"
           "  - chart:\n"
           "      data: p\n"
           "      category: c\n"
           "      series: [{value: v, color: '#000'}]\n"
           "      axis: {min: 0, max: 100}\n"
           "      target: {value: 80}\n");
    const struct tl_block *b = t->body.v;
    assert_int_equal(t->body.n, 9);
    assert_int_equal(b[0].kind, TLM_cover);
    assert_null(b[0].u.cover->title.n);
    const struct tl_section *sec = b[1].u.section;
    assert_int_equal(b[1].kind, TLM_section);
    assert_string_equal(sec->title.v, "Plan");
    assert_ptr_equal(sec->node, b[1].value);
    assert_false(sec->number.v);
    assert_int_equal(sec->number.n->line, 6);
    assert_null(sec->new_page.n);
    assert_int_equal(sec->content.n, 2);
    const struct tl_heading *h = sec->content.v[0].u.heading;
    assert_string_equal(h->title.v, "Detalle");
    assert_int_equal(h->level.v, 3);
    assert_true(h->number.v);
    assert_int_equal(sec->content.v[1].u.text->align.v, TLW_align_center);
    assert_string_equal(sec->content.v[1].u.text->text.v, "Centrado");
    assert_int_equal(b[2].u.list->items.n, 2);
    assert_false(b[2].u.list->numbered.v);
    assert_string_equal(b[3].u.list->items.v[0]->text, "c");
    assert_true(b[3].u.list->numbered.v);
    assert_false(b[4].u.page_break->page_break.v);
    assert_float_equal(b[5].u.space->space.v, 72 / 2.54, 1e-3);
    const struct tl_image *im = b[6].u.image;
    assert_string_equal(im->file.v, "logo.png");
    assert_float_equal(im->width.v, 2 * 72 / 2.54, 1e-3);
    assert_null(im->height.n);
    assert_int_equal(im->align.v, TLW_align_center);
    const struct tl_table *tb = b[7].u.table;
    assert_string_equal(tb->data.v, "p");
    assert_int_equal(tb->columns.n, 2);
    assert_true(tb->columns.v[0].width.percent);
    assert_float_equal(tb->columns.v[0].width.v, 40, 0);
    assert_string_equal(tb->columns.v[1].value.v, "b * 2");
    const struct tl_chart *ch = b[8].u.chart;
    assert_int_equal(ch->type.v, TLW_chart_type_bar);
    assert_int_equal(ch->mode.v, TLW_chart_mode_grouped);
    assert_int_equal(ch->series.v[0].color.v, 0x000000);
    assert_non_null(ch->series.v[0].color.n);
    assert_null(ch->series.v[0].label.n);
    assert_float_equal(ch->axis->max.v, 100, 0);
    assert_null(ch->axis->step.n);
    assert_float_equal(ch->target->value.v, 80, 0);
    assert_null(ch->legend.n);
}

/* A default the reader applies is read as if the template held it. */
static void defaults_should_convert_as_written_values(void **state)
{
    struct fx *f = *state;
    size_t applied = 0;
    for (int k = 0; k < TLK_COUNT; k++) {
        const struct tl_key *key = &tl_keys[k];
        if (!key->def || (key->flags & TL_NOTE))
            continue;
        struct tnode n = scalar(key->def);
        bool b;
        long l;
        enum tl_word w;
        bool ok = false;
        switch (key->kind) {
        case TLV_BOOL:
            ok = tree_to_bool(&f->d, &n, &b);
            break;
        case TLV_INT:
            ok = tree_to_long(&f->d, &n, tl_range_min[key->arg],
                              tl_range_max[key->arg], &l);
            break;
        case TLV_ENUM:
            ok = tl_to_word(&f->d, &n, "", (enum tl_set)key->arg, &w);
            break;
        case TLV_TEXT:
        case TLV_TMPL:
            ok = true;
            break;
        default:
            fail_msg("no test for the default of %s", key->name);
        }
        if (!ok)
            fail_msg("the default of %s does not convert", key->name);
        applied++;
    }
    assert_true(applied >= 20);
}

/* Without schema_check, a value that does not convert is reported as
 * schema_check reports it. */
static void reader_should_report_what_does_not_convert(void **state)
{
    struct fx *f = *state;
    static const char text[] = "report:\n  page: {size: a5}\nbody: []\n";
    struct tnode *r = tree_load_mem(f->a, &f->d, "t.yaml", text, strlen(text));
    assert_non_null(r);
    assert_null(tl_read(f->a, &f->d, r));
    assert_msg(f, 0,
               "t.yaml:2:16: error: valor desconocido 'a5' en 'size'; ¿quiso "
               "decir 'a4'?");
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
        T(reader_should_apply_defaults_to_absent_keys),
        T(reader_should_keep_values_and_their_positions),
        T(reader_should_read_every_form_of_a_block),
        T(defaults_should_convert_as_written_values),
        T(reader_should_report_what_does_not_convert),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
