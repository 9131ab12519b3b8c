/* test_tree: the template reader: node positions, rejected YAML features,
 * syntax errors in Spanish at the right place, and scalar conversions. */
#include "fixture.h"
#include "testutil.h"

#include "base/arena.h"
#include "base/diag.h"
#include "template/tree.h"

#include <stdlib.h>
#include <string.h>

static struct tnode *load(struct fx *f, const char *text)
{
    return tree_load_mem(f->a, &f->d, "t.yaml", text, strlen(text));
}

/* Message i as printed, e.g. "t.yaml:3:1: error: ...". */
static void assert_msg(struct fx *f, size_t i, const char *want)
{
    assert_true(i < f->d.n);
    char *got = diag_format(&f->d.msgs[i]);
    assert_string_equal(got, want);
    free(got);
}

static void assert_at(const struct tnode *n, unsigned line, unsigned col)
{
    assert_non_null(n);
    assert_int_equal(n->line, line);
    assert_int_equal(n->col, col);
}

static void tree_should_keep_positions_of_keys_values_and_items(void **state)
{
    struct fx *f = *state;
    struct tnode *r = load(f, "report:\n"
                              "  title: Informe\n"
                              "body:\n"
                              "  - text: hola\n"
                              "  - [a, b]\n");
    assert_non_null(r);
    assert_int_equal(r->kind, TREE_MAP);
    assert_int_equal(r->n, 2);
    assert_at(r->keys[0], 1, 1);
    assert_string_equal(r->keys[1]->text, "body");
    assert_at(r->keys[1], 3, 1);
    const struct tnode *rep = tree_get(r, "report");
    assert_at(rep, 2, 3);
    assert_at(rep->keys[0], 2, 3);
    assert_at(tree_get(rep, "title"), 2, 10);
    assert_string_equal(tree_get_text(rep, "title", NULL), "Informe");
    const struct tnode *body = tree_get(r, "body");
    assert_int_equal(body->kind, TREE_SEQ);
    assert_int_equal(body->n, 2);
    assert_at(body->items[0], 4, 5);
    assert_at(tree_get(body->items[0], "text"), 4, 11);
    assert_at(body->items[1], 4 + 1, 5);
    assert_at(body->items[1]->items[1], 5, 9);
    assert_int_equal(f->d.n, 0);
}

static void tree_should_count_columns_in_characters(void **state)
{
    struct fx *f = *state;
    struct tnode *r = load(f, "a: {ñandú: \"Año\", b: x}\n");
    assert_non_null(r);
    const struct tnode *m = tree_get(r, "a");
    assert_at(m->keys[0], 1, 5);
    assert_at(m->items[0], 1, 12);
    assert_at(m->keys[1], 1, 19);
    assert_at(m->items[1], 1, 22);
    assert_string_equal(m->items[0]->text, "Año");
}

static void tree_should_mark_quoted_and_block_scalars(void **state)
{
    struct fx *f = *state;
    struct tnode *r = load(f, "a: plain\n"
                              "b: 'one'\n"
                              "c: \"two\"\n"
                              "d: >-\n"
                              "  folded\n"
                              "  text\n"
                              "e: |\n"
                              "  lit\n"
                              "g: !!str 2018\n");
    assert_non_null(r);
    assert_false(tree_get(r, "a")->quoted);
    assert_true(tree_get(r, "b")->quoted);
    assert_true(tree_get(r, "c")->quoted);
    const struct tnode *d = tree_get(r, "d");
    assert_true(d->quoted);
    assert_string_equal(d->text, "folded text");
    assert_at(d, 4, 4);
    assert_string_equal(tree_get(r, "e")->text, "lit\n");
    assert_true(tree_get(r, "g")->quoted);
    assert_string_equal(tree_get(r, "g")->text, "2018");
}

static void tree_should_report_duplicate_keys_with_both_lines(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "body: []\n"
                        "params: {}\n"
                        "data:\n"
                        "  a: 1\n"
                        "data: 2\n"));
    assert_int_equal(f->d.n, 2);
    assert_msg(f, 0,
               "t.yaml:5:1: error: clave 'data' repetida; la primera está en "
               "la línea 3");
    assert_int_equal(f->d.msgs[1].level, DIAG_NOTE);
    assert_msg(f, 1, "t.yaml:3:1: nota: primera aparición de 'data'");
    assert_int_equal(f->d.code, EXIT_DATAERR);
}

static void tree_should_reject_an_alias_cycle_promptly(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "a: &x [1, *x]\n"));
    assert_int_equal(f->d.errors, 2);
    assert_msg(f, 0,
               "t.yaml:1:4: error: ancla '&x': los alias y anclas de YAML no "
               "se admiten en las plantillas");
    assert_msg(f, 1,
               "t.yaml:1:11: error: alias '*x': los alias y anclas de YAML "
               "no se admiten en las plantillas");
}

static void tree_should_reject_an_anchor_without_alias(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "a: 1\nb: &base {c: 2}\n"));
    assert_int_equal(f->d.errors, 1);
    assert_msg(f, 0,
               "t.yaml:2:4: error: ancla '&base': los alias y anclas de YAML "
               "no se admiten en las plantillas");
}

static void tree_should_reject_keys_that_are_not_texts(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "? [a]\n: b\nc: d\n"));
    assert_int_equal(f->d.errors, 1);
    assert_msg(f, 0,
               "t.yaml:1:3: error: una clave debe ser un texto simple, no "
               "una lista");
}

static void tree_should_reject_unknown_tags(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "a: !foo x\n"));
    assert_msg(f, 0,
               "t.yaml:1:4: error: etiqueta YAML '!foo' no admitida en las "
               "plantillas");
}

static void tree_should_translate_mapping_value_error(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "title: Plan: 2018\n"));
    assert_int_equal(f->d.errors, 1);
    assert_msg(f, 0,
               "t.yaml:1:12: error: error de sintaxis YAML: ':' inesperado; "
               "un texto que contiene ': ' debe ir entre comillas");
}

static void tree_should_report_bad_indentation(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "a:\n  b: 1\n c: 2\n"));
    assert_msg(f, 0,
               "t.yaml:3:2: error: error de sintaxis YAML: la clave 'c' tiene "
               "1 espacio de sangría y las claves anteriores tienen 0 o 2; "
               "revise la sangría");
}

static void tree_should_report_a_key_one_space_deeper_at_the_key(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "report:\n  title: Informe\n   author: Ana\n"));
    assert_int_equal(f->d.errors, 1);
    assert_msg(f, 0,
               "t.yaml:3:4: error: error de sintaxis YAML: la clave 'author' "
               "tiene 3 espacios de sangría y las claves anteriores tienen 0 "
               "o 2; revise la sangría");
    assert_msg(f, 1,
               "t.yaml:3:10: nota: si este ':' es parte del texto de la línea "
               "anterior, escriba ese texto entre comillas");
}

static void
tree_should_report_a_key_one_space_shallower_at_the_key(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "report:\n  title: Informe\n author: Ana\n"));
    assert_int_equal(f->d.n, 1);
    assert_msg(f, 0,
               "t.yaml:3:2: error: error de sintaxis YAML: la clave 'author' "
               "tiene 1 espacio de sangría y las claves anteriores tienen 0 "
               "o 2; revise la sangría");
}

static void tree_should_report_a_misindented_key_of_a_list_item(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "body:\n  - text: hola\n   level: 2\n"));
    assert_msg(f, 0,
               "t.yaml:3:4: error: error de sintaxis YAML: la clave 'level' "
               "tiene 3 espacios de sangría y las claves anteriores tienen 0 "
               "o 4; revise la sangría");
    diag_release(&f->d);
    diag_init(&f->d);
    assert_null(load(f, "body:\n  - text: hola\n     level: 2\n"));
    assert_msg(f, 0,
               "t.yaml:3:6: error: error de sintaxis YAML: la clave 'level' "
               "tiene 5 espacios de sangría y las claves anteriores tienen 0 "
               "o 4; revise la sangría");
}

static void
tree_should_report_a_key_after_a_value_deeper_at_the_key(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "body:\n"
                        "  - heading: Uno\n"
                        "    text: hola\n"
                        "      level: 2\n"));
    assert_msg(f, 0,
               "t.yaml:4:7: error: error de sintaxis YAML: la clave 'level' "
               "tiene 6 espacios de sangría y las claves anteriores tienen 0 "
               "o 4; revise la sangría");
    assert_msg(f, 1,
               "t.yaml:4:12: nota: si este ':' es parte del texto de la línea "
               "anterior, escriba ese texto entre comillas");
}

static void tree_should_report_missing_colon_at_the_key(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "a: b\nc\nd: e\n"));
    assert_msg(f, 0,
               "t.yaml:2:1: error: error de sintaxis YAML: falta ':' después "
               "de la clave");
}

static void tree_should_report_a_tab_in_indentation(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "a:\n\tb: 1\n"));
    assert_msg(f, 0,
               "t.yaml:2:1: error: error de sintaxis YAML: tabulador en la "
               "sangría; use solo espacios");
}

static void tree_should_report_unclosed_quotes_at_the_opening(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "a: x\nb: \"abc\nc: 1\n"));
    assert_msg(f, 0,
               "t.yaml:2:4: error: error de sintaxis YAML: comillas sin "
               "cerrar");
}

static void tree_should_report_a_character_that_starts_no_token(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "a: @x\n"));
    assert_msg(f, 0,
               "t.yaml:1:4: error: error de sintaxis YAML: un valor no puede "
               "empezar con '@'; escríbalo entre comillas");
}

static void tree_should_report_unclosed_bracket_with_note(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "a: [1, 2\nb: 3\n"));
    assert_int_equal(f->d.n, 2);
    assert_msg(f, 0,
               "t.yaml:2:2: error: error de sintaxis YAML: se esperaba ',' o "
               "']' en la lista entre corchetes");
    assert_msg(f, 1, "t.yaml:1:4: nota: aquí se abre la lista o el mapa");
}

static void tree_should_report_undefined_tag_handle(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "a: !x!y z\n"));
    assert_msg(f, 0,
               "t.yaml:1:4: error: error de sintaxis YAML: etiqueta YAML no "
               "definida; si el texto empieza con '!', escríbalo entre "
               "comillas");
}

static void tree_should_locate_invalid_utf8(void **state)
{
    struct fx *f = *state;
    /* "Año" in Windows-1252: 0xF1 after 'A'. */
    assert_null(load(f, "ñandú: x\ntitle: A\xf1o\n"));
    assert_int_equal(f->d.errors, 1);
    assert_msg(f, 0,
               "t.yaml:2:9: error: texto UTF-8 no válido (byte 0xF1); guarde "
               "la plantilla como UTF-8");
}

static void tree_should_report_control_characters(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "a: x\x01y\n"));
    assert_msg(f, 0,
               "t.yaml:1:5: error: carácter de control no permitido en una "
               "plantilla");
}

static void tree_should_reject_an_empty_template(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, ""));
    assert_msg(f, 0, "t.yaml: error: la plantilla está vacía");
    diag_release(&f->d);
    diag_init(&f->d);
    assert_null(load(f, "# solo un comentario\n---\n"));
    assert_msg(f, 0, "t.yaml: error: la plantilla está vacía");
}

static void tree_should_reject_a_second_document(void **state)
{
    struct fx *f = *state;
    assert_null(load(f, "a: 1\n---\nb: 2\n"));
    assert_int_equal(f->d.errors, 1);
    assert_msg(f, 0,
               "t.yaml:2:1: error: la plantilla tiene más de un documento "
               "YAML; quite la línea '---'");
}

static void tree_should_report_a_missing_file_as_noinput(void **state)
{
    struct fx *f = *state;
    assert_null(tree_load_file(f->a, &f->d, "no-existe/plantilla.yaml"));
    assert_int_equal(f->d.code, EXIT_NOINPUT);
    assert_msg(f, 0,
               "no-existe/plantilla.yaml: error: no se puede leer la "
               "plantilla: el archivo no existe");
}

static void tree_should_read_a_template_file(void **state)
{
    struct fx *f = *state;
    struct tnode *r =
        tree_load_file(f->a, &f->d, TEST_ROOT "/templates/compromisos.yaml");
    assert_non_null(r);
    assert_non_null(tree_get(r, "body"));
    assert_int_equal(f->d.n, 0);
    assert_string_equal(r->file, TEST_ROOT "/templates/compromisos.yaml");
}

/* ---- conversions ---- */

static struct tnode *value_of(struct fx *f, const char *yaml)
{
    struct tnode *r = load(f, yaml);
    assert_non_null(r);
    return tree_get(r, "v");
}

static void tree_should_convert_lengths_in_every_unit(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *yaml;
        float pt;
    } cases[] = {
        {"v: 2cm", 56.6929f}, {"v: 20mm", 56.6929f},    {"v: 56.7pt", 56.7f},
        {"v: 1in", 72.0f},    {"v: 12", 12.0f},         {"v: 2 cm", 56.6929f},
        {"v: 0.5in", 36.0f},  {"v: '1.5cm'", 42.5197f},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        float pt = -1;
        assert_true(tree_to_length(&f->d, value_of(f, cases[i].yaml), &pt));
        assert_float_equal(pt, cases[i].pt, 0.001);
    }
    assert_int_equal(f->d.n, 0);
}

static void tree_should_reject_bad_lengths(void **state)
{
    struct fx *f = *state;
    float pt;
    assert_false(tree_to_length(&f->d, value_of(f, "v: -2cm"), &pt));
    assert_false(tree_to_length(&f->d, value_of(f, "v: 2px"), &pt));
    assert_false(tree_to_length(&f->d, value_of(f, "v: dos"), &pt));
    assert_false(tree_to_length(&f->d, value_of(f, "v: [1]"), &pt));
    assert_msg(f, 0,
               "t.yaml:1:4: error: la longitud no puede ser negativa: '-2cm'");
    assert_msg(f, 1,
               "t.yaml:1:4: error: unidad de longitud desconocida 'px' en "
               "'2px'; use cm, mm, pt o in");
    assert_msg(f, 2,
               "t.yaml:1:4: error: se esperaba una longitud (2cm, 20mm, "
               "56.7pt, 1in) y se encontró 'dos'");
    assert_msg(f, 3,
               "t.yaml:1:4: error: se esperaba una longitud (2cm, 20mm, "
               "56.7pt, 1in) y se encontró una lista");
}

static void tree_should_convert_colours(void **state)
{
    struct fx *f = *state;
    unsigned c = 0;
    assert_true(tree_to_color(&f->d, value_of(f, "v: '#B7E1CD'"), &c));
    assert_int_equal(c, 0xB7E1CD);
    assert_true(tree_to_color(&f->d, value_of(f, "v: '#f0a'"), &c));
    assert_int_equal(c, 0xFF00AA);
    assert_false(tree_to_color(&f->d, value_of(f, "v: '#12345'"), &c));
    assert_false(tree_to_color(&f->d, value_of(f, "v: red"), &c));
    assert_false(tree_to_color(&f->d, value_of(f, "v: #B7E1CD\n"), &c));
    assert_msg(f, 0,
               "t.yaml:1:4: error: color no válido '#12345'; se esperaba "
               "\"#RRGGBB\" o \"#RGB\"");
    assert_msg(f, 1,
               "t.yaml:1:4: error: color no válido 'red'; se esperaba "
               "\"#RRGGBB\" o \"#RGB\"");
    assert_msg(f, 2,
               "t.yaml:1:3: error: falta el color; escríbalo entre comillas "
               "(\"#RRGGBB\"): sin ellas, '#' empieza un comentario");
}

static void tree_should_convert_booleans_in_english_and_spanish(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *yaml;
        bool want;
    } cases[] = {
        {"v: true", true}, {"v: false", false}, {"v: yes", true},
        {"v: no", false},  {"v: sí", true},     {"v: si", true},
        {"v: Sí", true},   {"v: False", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bool b = !cases[i].want;
        assert_true(tree_to_bool(&f->d, value_of(f, cases[i].yaml), &b));
        assert_int_equal(b, cases[i].want);
    }
    bool b;
    assert_false(tree_to_bool(&f->d, value_of(f, "v: quizás"), &b));
    assert_msg(f, 0,
               "t.yaml:1:4: error: se esperaba true o false y se encontró "
               "'quizás'");
}

static void tree_should_convert_numbers_without_the_locale(void **state)
{
    struct fx *f = *state;
    double v;
    long l;
    assert_true(tree_to_double(&f->d, value_of(f, "v: 85.25"), &v));
    assert_true(v == 85.25);
    assert_true(tree_to_double(&f->d, value_of(f, "v: -0.1"), &v));
    assert_true(v == -0.1);
    assert_true(tree_to_double(&f->d, value_of(f, "v: 1.5e3"), &v));
    assert_true(v == 1500.0);
    assert_true(tree_to_long(&f->d, value_of(f, "v: 6"), 1, 6, &l));
    assert_int_equal(l, 6);
    assert_true(tree_to_long(&f->d, value_of(f, "v: -3"), -5, 5, &l));
    assert_int_equal(l, -3);
    assert_int_equal(f->d.n, 0);
    assert_false(tree_to_double(&f->d, value_of(f, "v: 85,3"), &v));
    assert_false(tree_to_long(&f->d, value_of(f, "v: 7"), 1, 6, &l));
    assert_false(tree_to_long(&f->d, value_of(f, "v: 2.5"), 1, 6, &l));
    assert_false(
        tree_to_long(&f->d, value_of(f, "v: 99999999999999999999"), 0, 9, &l));
    assert_msg(f, 0,
               "t.yaml:1:4: error: se esperaba un número y se encontró "
               "'85,3'; use punto decimal (85.3), no coma");
    assert_msg(f, 1,
               "t.yaml:1:4: error: el valor 7 está fuera del rango (de 1 a "
               "6)");
    assert_msg(f, 2,
               "t.yaml:1:4: error: se esperaba un número entero y se "
               "encontró '2.5'");
    assert_msg(f, 3,
               "t.yaml:1:4: error: el valor 99999999999999999999 está fuera "
               "del rango (de 0 a 9)");
}

static void tree_should_explain_a_wrong_kind(void **state)
{
    struct fx *f = *state;
    struct tnode *r = load(f, "a: [1]\nb:\nc: {x: 1}\n");
    assert_false(tree_expect(&f->d, tree_get(r, "a"), TREE_MAP));
    assert_false(tree_expect(&f->d, tree_get(r, "b"), TREE_SEQ));
    assert_false(tree_expect(&f->d, tree_get(r, "c"), TREE_SCALAR));
    assert_true(tree_expect(&f->d, tree_get(r, "c"), TREE_MAP));
    assert_msg(f, 0,
               "t.yaml:1:4: error: se esperaba un mapa y se encontró "
               "una lista");
    assert_msg(f, 1,
               "t.yaml:2:3: error: se esperaba una lista pero el valor "
               "está vacío");
    assert_msg(f, 2,
               "t.yaml:3:4: error: se esperaba un texto y se encontró "
               "un mapa");
    assert_null(tree_get(r, "zz"));
    assert_null(tree_get(tree_get(r, "a"), "x"));
    assert_string_equal(tree_get_text(r, "a", "def"), "def");
}

/* Position of the first `needle` in the text of key k (at the top or
 * under m:), checking the text too so that the case is what it says. */
static void assert_text_pos(struct fx *f, const char *yaml, const char *text,
                            const char *needle, unsigned line, unsigned col)
{
    struct tnode *r = load(f, yaml);
    assert_non_null(r);
    struct tnode *n = tree_get(r, "k");
    if (!n)
        n = tree_get(tree_get(r, "m"), "k");
    assert_non_null(n);
    assert_string_equal(n->text, text);
    const char *hit = strstr(n->text, needle);
    assert_non_null(hit);
    unsigned ln = 0, c = 0;
    tree_text_pos(n, (size_t)(hit - n->text), &ln, &c);
    assert_int_equal(ln, line);
    assert_int_equal(c, col);
}

static void tree_should_place_text_of_a_plain_multiline_scalar(void **state)
{
    struct fx *f = *state;
    assert_text_pos(f, "a: 1\nk: uno dos\n  tres X\n", "uno dos tres X", "X", 3,
                    8);
    assert_text_pos(f, "k: uno\n\n   dos X\n", "uno\ndos X", "X", 3, 8);
    assert_text_pos(f, "k: una frase X\n", "una frase X", "X", 1, 14);
}

static void tree_should_place_text_of_folded_block_scalars(void **state)
{
    struct fx *f = *state;
    assert_text_pos(f,
                    "k: >-\n"
                    "  Primera línea\n"
                    "  segunda\n"
                    "\n"
                    "  tercera X\n",
                    "Primera línea segunda\ntercera X", "X", 5, 11);
    assert_text_pos(f,
                    "k: >\n"
                    "  uno\n"
                    "  dos\n"
                    "\n"
                    "    más\n"
                    "  tres X\n",
                    "uno dos\n\n  más\ntres X\n", "X", 6, 8);
    assert_text_pos(f,
                    "k: >\n"
                    "  uno\n"
                    "\n"
                    "    más\n",
                    "uno\n\n  más\n", "m", 4, 5);
    assert_text_pos(f, "k: >-  # comentario\n  a\n  b X\n", "a b X", "X", 3, 5);
}

static void tree_should_place_text_of_literal_block_scalars(void **state)
{
    struct fx *f = *state;
    assert_text_pos(f,
                    "k: |\n"
                    "  uno\n"
                    "    dos X\n"
                    "  tres\n",
                    "uno\n  dos X\ntres\n", "X", 3, 9);
    assert_text_pos(f, "k: |-\n  uno\n  dos X\n", "uno\ndos X", "X", 3, 7);
    assert_text_pos(f, "k: |+\n  uno X\n\n", "uno X\n\n", "X", 2, 7);
    assert_text_pos(f,
                    "m:\n"
                    "  k: |2\n"
                    "      sangrado X\n",
                    "  sangrado X\n", "X", 3, 16);
    assert_text_pos(f,
                    "m:\n"
                    "  k: >-2\n"
                    "\n"
                    "      a\n"
                    "    b X\n",
                    "\n  a\nb X", "X", 5, 7);
}

static void tree_should_place_text_of_quoted_scalars(void **state)
{
    struct fx *f = *state;
    const char *dq = "k: \"a \\\"b\\\" \\n c\\u00e1 \\\n"
                     "   d X\"\n";
    assert_text_pos(f, dq, "a \"b\" \n cá d X", "X", 2, 6);
    assert_text_pos(f, dq, "a \"b\" \n cá d X", "c", 1, 16);
    assert_text_pos(f, dq, "a \"b\" \n cá d X", "á", 1, 17);
    assert_text_pos(f, dq, "a \"b\" \n cá d X", "b", 1, 9);
    assert_text_pos(f, "k: \"uno\n\n  dos X\"\n", "uno\ndos X", "X", 3, 7);
    assert_text_pos(f, "k: 'it''s\n  dos X'\n", "it's dos X", "X", 2, 7);
    assert_text_pos(f, "k: 'l''x'' X'\n", "l'x' X", "X", 1, 12);
}

static void tree_should_count_characters_before_the_offending_one(void **state)
{
    struct fx *f = *state;
    assert_text_pos(f, "k: >\n  añoñú X\n", "añoñú X\n", "X", 2, 9);
    assert_text_pos(f, "k: \"ñ\\tñ X\"\n", "ñ\tñ X", "X", 1, 10);
    assert_text_pos(f, "k: ñandú\n  ñu X\n", "ñandú ñu X", "X", 2, 6);
}

static void tree_should_place_text_of_windows_lines(void **state)
{
    struct fx *f = *state;
    assert_text_pos(f, "k: >-\r\n  uno\r\n\r\n  dos X\r\n", "uno\ndos X", "X",
                    4, 7);
    assert_text_pos(f, "k: \"uno\r\n  dos X\"\r\n", "uno dos X", "X", 2, 7);
    assert_text_pos(f, "k: uno  \r\n  dos X\r\n", "uno dos X", "X", 2, 7);
}

static void tree_cursor_should_agree_with_text_pos_at_every_offset(void **state)
{
    struct fx *f = *state;
    struct tnode *r = load(f, "a: >-\n"
                              "  uno {x} dos\n"
                              "  tres ñandú {y}\n"
                              "\n"
                              "    más {z}\n"
                              "b: \"c\\u00e1 {x}\\\n"
                              "   d {y}\"\n"
                              "c: plano {x}\n"
                              "  sigue {y}\n"
                              "d: una línea {x}\n");
    assert_non_null(r);
    for (size_t i = 0; i < r->n; i++) {
        const struct tnode *n = r->items[i];
        struct tree_cursor cur = {.n = n};
        for (size_t pass = 0; pass < 2; pass++) {
            for (size_t k = 0; k <= n->len; k++) {
                size_t off = pass ? n->len - k : k;
                unsigned l1, c1, l2, c2;
                tree_text_pos(n, off, &l1, &c1);
                tree_cursor_pos(&cur, off, &l2, &c2);
                assert_int_equal(l1, l2);
                assert_int_equal(c1, c2);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(tree_should_keep_positions_of_keys_values_and_items),
        T(tree_should_count_columns_in_characters),
        T(tree_should_mark_quoted_and_block_scalars),
        T(tree_should_report_duplicate_keys_with_both_lines),
        T(tree_should_reject_an_alias_cycle_promptly),
        T(tree_should_reject_an_anchor_without_alias),
        T(tree_should_reject_keys_that_are_not_texts),
        T(tree_should_reject_unknown_tags),
        T(tree_should_translate_mapping_value_error),
        T(tree_should_report_bad_indentation),
        T(tree_should_report_a_key_one_space_deeper_at_the_key),
        T(tree_should_report_a_key_one_space_shallower_at_the_key),
        T(tree_should_report_a_misindented_key_of_a_list_item),
        T(tree_should_report_a_key_after_a_value_deeper_at_the_key),
        T(tree_should_report_missing_colon_at_the_key),
        T(tree_should_report_a_tab_in_indentation),
        T(tree_should_report_unclosed_quotes_at_the_opening),
        T(tree_should_report_a_character_that_starts_no_token),
        T(tree_should_report_unclosed_bracket_with_note),
        T(tree_should_report_undefined_tag_handle),
        T(tree_should_locate_invalid_utf8),
        T(tree_should_report_control_characters),
        T(tree_should_reject_an_empty_template),
        T(tree_should_reject_a_second_document),
        T(tree_should_report_a_missing_file_as_noinput),
        T(tree_should_read_a_template_file),
        T(tree_should_convert_lengths_in_every_unit),
        T(tree_should_reject_bad_lengths),
        T(tree_should_convert_colours),
        T(tree_should_convert_booleans_in_english_and_spanish),
        T(tree_should_convert_numbers_without_the_locale),
        T(tree_should_explain_a_wrong_kind),
        T(tree_should_place_text_of_a_plain_multiline_scalar),
        T(tree_should_place_text_of_folded_block_scalars),
        T(tree_should_place_text_of_literal_block_scalars),
        T(tree_should_place_text_of_quoted_scalars),
        T(tree_should_count_characters_before_the_offending_one),
        T(tree_cursor_should_agree_with_text_pos_at_every_offset),
        T(tree_should_place_text_of_windows_lines),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
