/* test_lex: the tokenizer of the expression language: the kind, text and
 * value of every token, the file position of each (lines, UTF-8 columns,
 * positions taken through an expr_at), and the positioned errors. */
#include "fixture.h"
#include "testutil.h"

#include "base/arena.h"
#include "base/diag.h"
#include "lang/lex.h"

#include <stdlib.h>

static const char *msg(struct fx *f, size_t i)
{
    return test_msg(f->a, &f->d, i);
}

/* The tokens of src, which starts at t.yaml:line:col. */
static struct lex_token *lex(struct fx *f, const char *src, unsigned line,
                             unsigned col, size_t *n)
{
    return lex_tokens(f->a, &f->d, src, strlen(src), "t.yaml", line, col, NULL,
                      n);
}

static void assert_token(const struct lex_token *t, enum lex_kind kind,
                         const char *source, unsigned line, unsigned col)
{
    assert_int_equal(t->kind, kind);
    assert_int_equal(t->len, strlen(source));
    assert_memory_equal(t->s, source, t->len);
    assert_int_equal(t->line, line);
    assert_int_equal(t->col, col);
}

static void lex_should_give_each_token_its_kind_and_column(void **state)
{
    struct fx *f = *state;
    size_t n;
    const char *src = "avance >= 80 and `Fecha de corte` != 'x'";
    struct lex_token *t = lex(f, src, 4, 9, &n);
    assert_non_null(t);
    assert_int_equal(n, 8);
    assert_token(&t[0], LEX_NAME, "avance", 4, 9);
    assert_string_equal(t[0].text, "avance");
    assert_token(&t[1], LEX_OP, ">=", 4, 16);
    assert_token(&t[2], LEX_NUM, "80", 4, 19);
    assert_true(t[2].num == 80);
    assert_false(t[2].decimal);
    /* keywords are names: the parser tells them apart */
    assert_token(&t[3], LEX_NAME, "and", 4, 22);
    assert_token(&t[4], LEX_QNAME, "`Fecha de corte`", 4, 26);
    assert_string_equal(t[4].text, "Fecha de corte");
    assert_token(&t[5], LEX_OP, "!=", 4, 43);
    assert_token(&t[6], LEX_STR, "'x'", 4, 46);
    assert_string_equal(t[6].text, "x");
    /* the end sits just after the last character */
    assert_int_equal(t[7].kind, LEX_END);
    assert_int_equal(t[7].line, 4);
    assert_int_equal(t[7].col, 49);
    assert_int_equal(f->d.n, 0);
}

static void lex_should_read_numbers_dates_and_texts(void **state)
{
    struct fx *f = *state;
    size_t n;
    struct lex_token *t =
        lex(f, "12.5 7 1. 2018-03-31 2018-03 \"a\\\"b\" 'it\\'s'", 1, 1, &n);
    assert_non_null(t);
    assert_int_equal(n, 11);
    assert_token(&t[0], LEX_NUM, "12.5", 1, 1);
    assert_true(t[0].num == 12.5);
    assert_true(t[0].decimal);
    assert_token(&t[1], LEX_NUM, "7", 1, 6);
    /* a point not followed by a digit is not part of the number */
    assert_token(&t[2], LEX_NUM, "1", 1, 8);
    assert_false(t[2].decimal);
    assert_token(&t[3], LEX_OP, ".", 1, 9);
    assert_token(&t[4], LEX_DATE, "2018-03-31", 1, 11);
    assert_int_equal(t[4].days, date_from_ymd(2018, 3, 31));
    /* not a whole date: a subtraction */
    assert_token(&t[5], LEX_NUM, "2018", 1, 22);
    assert_token(&t[6], LEX_OP, "-", 1, 26);
    assert_token(&t[7], LEX_NUM, "03", 1, 27);
    assert_true(t[7].num == 3);
    assert_token(&t[8], LEX_STR, "\"a\\\"b\"", 1, 30);
    assert_string_equal(t[8].text, "a\"b");
    assert_token(&t[9], LEX_STR, "'it\\'s'", 1, 37);
    assert_string_equal(t[9].text, "it's");
    assert_int_equal(t[10].kind, LEX_END);
}

static void lex_should_take_the_longest_operator(void **state)
{
    struct fx *f = *state;
    size_t n;
    struct lex_token *t = lex(f, "a<=b< =c==d|e:f", 1, 1, &n);
    assert_non_null(t);
    static const struct {
        enum lex_kind kind;
        const char *s;
    } want[] = {
        {LEX_NAME, "a"}, {LEX_OP, "<="},  {LEX_NAME, "b"}, {LEX_OP, "<"},
        {LEX_OP, "="},   {LEX_NAME, "c"}, {LEX_OP, "=="},  {LEX_NAME, "d"},
        {LEX_OP, "|"},   {LEX_NAME, "e"}, {LEX_OP, ":"},   {LEX_NAME, "f"},
    };
    assert_int_equal(n, sizeof want / sizeof want[0] + 1);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(t[i].kind, want[i].kind);
        assert_int_equal(t[i].len, strlen(want[i].s));
        assert_memory_equal(t[i].s, want[i].s, t[i].len);
    }
    assert_true(lex_is_op(&t[1], "<="));
    assert_false(lex_is_op(&t[1], "<"));
    assert_true(lex_is_op(&t[3], "<"));
    assert_true(lex_is_op(&t[6], "=="));
    assert_false(lex_is_op(&t[6], "="));
}

static void lex_should_tell_words_from_quoted_names(void **state)
{
    struct fx *f = *state;
    size_t n;
    struct lex_token *t = lex(f, "and `and` año_2", 1, 1, &n);
    assert_non_null(t);
    assert_int_equal(n, 4);
    assert_true(lex_is_word(&t[0], "and"));
    assert_false(lex_is_word(&t[1], "and"));
    assert_string_equal(t[1].text, "and");
    /* letters beyond ASCII are name characters; columns count them once */
    assert_token(&t[2], LEX_NAME, "año_2", 1, 11);
    assert_int_equal(t[3].col, 16);
}

static void lex_should_count_lines_and_utf8_columns(void **state)
{
    struct fx *f = *state;
    size_t n;
    struct lex_token *t = lex(f, "año +\n  peña\n\t* 2", 7, 5, &n);
    assert_non_null(t);
    assert_int_equal(n, 6);
    assert_token(&t[0], LEX_NAME, "año", 7, 5);
    assert_token(&t[1], LEX_OP, "+", 7, 9);
    /* a line break starts column 1 of the next line */
    assert_token(&t[2], LEX_NAME, "peña", 8, 3);
    assert_token(&t[3], LEX_OP, "*", 9, 2);
    assert_token(&t[4], LEX_NUM, "2", 9, 4);
    assert_int_equal(t[5].line, 9);
    assert_int_equal(t[5].col, 5);
}

/* Positions through an expr_at: byte off of the text is at line 20 and
 * column 100 + off (as if each byte came from a column of its own). */
static void by_offset(void *ctx, size_t off, unsigned *line, unsigned *col)
{
    (void)ctx;
    *line = 20;
    *col = 100 + (unsigned)off;
}

static void lex_should_take_positions_through_an_at(void **state)
{
    struct fx *f = *state;
    size_t n;
    const struct expr_at at = {"y.yaml", by_offset, NULL, 3};
    const char *src = "ñ + 1";
    struct lex_token *t =
        lex_tokens(f->a, &f->d, src, strlen(src), "y.yaml", 0, 0, &at, &n);
    assert_non_null(t);
    assert_int_equal(n, 4);
    /* base 3: the text starts at byte 3 of what at describes */
    assert_token(&t[0], LEX_NAME, "ñ", 20, 103);
    assert_token(&t[1], LEX_OP, "+", 20, 106);
    assert_token(&t[2], LEX_NUM, "1", 20, 108);
    assert_int_equal(t[3].col, 109);
}

static void lex_should_report_errors_at_their_character(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *src, *want;
    } cases[] = {
        {"a + \"abc", "t.yaml:2:9: error: falta la comilla que cierra el "
                      "texto"},
        {"`Fecha", "t.yaml:2:5: error: falta la comilla invertida que cierra "
                   "el nombre"},
        {"1 +\n @", "t.yaml:3:2: error: carácter inesperado '@'"},
        {"x >= 2018-02-30", "t.yaml:2:10: error: fecha inválida "
                            "'2018-02-30'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        diag_release(&f->d);
        size_t n;
        assert_null(lex(f, cases[i].src, 2, 5, &n));
        assert_int_equal(f->d.errors, 1);
        if (strcmp(msg(f, 0), cases[i].want) != 0)
            fail_msg("case %zu: got '%s'", i, msg(f, 0));
    }
}

static void lex_should_end_an_empty_text_at_its_start(void **state)
{
    struct fx *f = *state;
    size_t n;
    struct lex_token *t = lex(f, " \t\n ", 1, 1, &n);
    assert_non_null(t);
    assert_int_equal(n, 1);
    assert_int_equal(t[0].kind, LEX_END);
    assert_int_equal(t[0].line, 2);
    assert_int_equal(t[0].col, 2);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(lex_should_give_each_token_its_kind_and_column),
        T(lex_should_read_numbers_dates_and_texts),
        T(lex_should_take_the_longest_operator),
        T(lex_should_tell_words_from_quoted_names),
        T(lex_should_count_lines_and_utf8_columns),
        T(lex_should_take_positions_through_an_at),
        T(lex_should_report_errors_at_their_character),
        T(lex_should_end_an_empty_text_at_its_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
