/* test_parse: es-CO and plain numbers, percents, money, dates, the style
 * hint and type inference, with no locale. */
#include "testutil.h"

#include "data/parse.h"

#include <math.h>

struct num_case {
    const char *text;
    enum num_style style;
    bool ok;
    double want;
};

static void check_cases(const struct num_case *cases, size_t n,
                        bool (*fn)(const char *, size_t, enum num_style,
                                   double *))
{
    for (size_t i = 0; i < n; i++) {
        const struct num_case *c = &cases[i];
        double got = -12345.0;
        bool ok = fn(c->text, strlen(c->text), c->style, &got);
        if (ok != c->ok)
            fail_msg("'%s' (style %d): ok=%d, expected %d", c->text,
                     (int)c->style, ok, c->ok);
        if (ok && got != c->want)
            fail_msg("'%s' (style %d): %.17g, expected %.17g", c->text,
                     (int)c->style, got, c->want);
    }
}

#define ESCO NUM_STYLE_ESCO
#define PLAIN NUM_STYLE_PLAIN
#define ANY NUM_STYLE_UNKNOWN

static void parse_number_should_read_both_styles(void **state)
{
    (void)state;
    static const struct num_case cases[] = {
        {"1.234.567,89", ESCO, true, 1234567.89},
        {"1234567,89", ESCO, true, 1234567.89},
        {"1234567.89", PLAIN, true, 1234567.89},
        {"1,234,567.89", PLAIN, true, 1234567.89},
        {"1.234", ESCO, true, 1234},
        {"1.234", PLAIN, true, 1.234},
        {"1,234", ESCO, true, 1.234},
        {"1,234", PLAIN, true, 1234},
        {"0,1", ESCO, true, 0.1},
        {"0.1", PLAIN, true, 0.1},
        {"-12,5", ESCO, true, -12.5},
        {"-0,05", ESCO, true, -0.05},
        {"  85,3  ", ESCO, true, 85.3},
        {"007", ESCO, true, 7},
        {"1,5E+03", ESCO, true, 1500},
        {"2.5e-3", PLAIN, true, 0.0025},
        {"1,5", ANY, true, 1.5},
        {"1.5", ANY, true, 1.5},
        {"1.234", ANY, true, 1234},
        {"123456789012345", ESCO, true, 123456789012345.0},
        {"9.007.199.254.740.993", ESCO, true, 9007199254740992.0},
        /* invalid */
        {"", ESCO, false, 0},
        {"-", ESCO, false, 0},
        {"1.5", ESCO, false, 0},
        {"1,5", PLAIN, false, 0},
        {"12,5x", ESCO, false, 0},
        {"1.23.456", ESCO, false, 0},
        {"12.3456", ESCO, false, 0},
        {"1.2345", ESCO, false, 0},
        {"0.123", ESCO, false, 0},
        {".5", PLAIN, false, 0},
        {"5.", PLAIN, false, 0},
        {"5,", ESCO, false, 0},
        {"+5", ESCO, false, 0},
        {"(5)", ESCO, false, 0},
        {"--5", ESCO, false, 0},
        {"1e", PLAIN, false, 0},
        {"1e999", PLAIN, false, 0},
        {"85 %", ESCO, false, 0},
        {"$ 5", ESCO, false, 0},
        {"abc", ESCO, false, 0},
        {"1 234", ESCO, false, 0},
    };
    check_cases(cases, sizeof cases / sizeof cases[0], parse_number);
}

static void parse_number_should_round_correctly(void **state)
{
    (void)state;
    double x;
    assert_true(parse_number("0,3", 3, ESCO, &x));
    assert_true(x == 0.3);
    assert_true(parse_number("85,3", 4, ESCO, &x));
    assert_true(x == 85.3);
    assert_true(parse_number("2.675", 5, PLAIN, &x));
    assert_true(x == 2.675);
    assert_true(parse_number("0.000000000000000000001", 23, PLAIN, &x));
    assert_true(x == 1e-21);
    assert_true(parse_number("1e22", 4, PLAIN, &x));
    assert_true(x == 1e22);
    assert_true(parse_number("12e25", 5, PLAIN, &x));
    assert_true(x == 12e25);
    assert_true(parse_number("1.7976931348623157e308", 22, PLAIN, &x));
    assert_true(x > 1.79e308 && isfinite(x));
}

static void parse_integer_should_refuse_decimals(void **state)
{
    (void)state;
    static const struct num_case cases[] = {
        {"1.234", ESCO, true, 1234},
        {"1.234.567", ESCO, true, 1234567},
        {"-42", ESCO, true, -42},
        {"1,234,567", PLAIN, true, 1234567},
        {"2018", ESCO, true, 2018},
        {"9007199254740992", PLAIN, true, 9007199254740992.0},
        {"9007199254740993", PLAIN, false, 0},
        {"1.234", PLAIN, false, 0},
        {"1,5", ESCO, false, 0},
        {"5,0", ESCO, false, 0},
        {"1e3", PLAIN, false, 0},
        {"", ESCO, false, 0},
    };
    check_cases(cases, sizeof cases / sizeof cases[0], parse_integer);
}

static void parse_percent_should_take_sign_and_space_variants(void **state)
{
    (void)state;
    static const struct num_case cases[] = {
        {"85,3 %", ESCO, true, 85.3},
        {"85,3%", ESCO, true, 85.3},
        {"85.3%", PLAIN, true, 85.3},
        {"85.3 %", ANY, true, 85.3},
        {"85,3", ESCO, true, 85.3},
        {"85,3\xC2\xA0%", ESCO, true, 85.3}, /* no-break space */
        {"-5 %", ESCO, true, -5},
        {"100%", ESCO, true, 100},
        {"%", ESCO, false, 0},
        {"85,3 %%", ESCO, false, 0},
        {"% 85", ESCO, false, 0},
        {"85.3%", ESCO, false, 0},
    };
    check_cases(cases, sizeof cases / sizeof cases[0], parse_percent);
}

static void parse_money_should_take_peso_forms(void **state)
{
    (void)state;
    static const struct num_case cases[] = {
        {"$ 1.234.567", ESCO, true, 1234567},
        {"$1.234.567", ESCO, true, 1234567},
        {"$ 1.234.567,50", ESCO, true, 1234567.5},
        {"$1,234,567.50", PLAIN, true, 1234567.5},
        {"-$ 500", ESCO, true, -500},
        {"$ -500", ESCO, true, -500},
        {"COP 1.000", ESCO, true, 1000},
        {"1.000", ESCO, true, 1000},
        {"$", ESCO, false, 0},
        {"$ abc", ESCO, false, 0},
        {"-$ -5", ESCO, false, 0},
        {"€ 5", ESCO, false, 0},
    };
    check_cases(cases, sizeof cases / sizeof cases[0], parse_money);
}

static void parse_date_should_read_iso_and_day_first(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool ok;
        int y;
        unsigned m, d;
    } cases[] = {
        {"31/03/2018", true, 2018, 3, 31},
        {"2018-03-31", true, 2018, 3, 31},
        {"31-03-2018", true, 2018, 3, 31},
        {"2018/03/31", true, 2018, 3, 31},
        {"1/3/2018", true, 2018, 3, 1},
        {" 29/02/2016 ", true, 2016, 2, 29},
        {"29/02/2018", false, 0, 0, 0},
        {"31/04/2018", false, 0, 0, 0},
        {"03/31/2018", false, 0, 0, 0},
        {"2018-03", false, 0, 0, 0},
        {"2018-03/31", false, 0, 0, 0},
        {"31/03/18", false, 0, 0, 0},
        {"2018-03-31 10:00", false, 0, 0, 0},
        {"", false, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t days = 0;
        bool ok = parse_date(cases[i].text, strlen(cases[i].text), &days);
        if (ok != cases[i].ok)
            fail_msg("'%s': ok=%d", cases[i].text, ok);
        if (ok && days != date_from_ymd(cases[i].y, cases[i].m, cases[i].d))
            fail_msg("'%s': wrong day %d", cases[i].text, (int)days);
    }
}

static void parse_style_hint_should_flag_only_unambiguous_forms(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum num_style want;
    } cases[] = {
        {"1,5", ESCO},
        {"1.234,5", ESCO},
        {"1.234.567", ESCO},
        {"85,3 %", ESCO},
        {"$ 1.234.567", ESCO},
        {"-0,5", ESCO},
        {"1234,567", ESCO},
        {"0,123", ESCO},
        {"1.5", PLAIN},
        {"1,234.5", PLAIN},
        {"1,234,567", PLAIN},
        {"85.3%", PLAIN},
        {"0.123", PLAIN},
        {"1234.567", PLAIN},
        {"1.234", ANY},
        {"1,234", ANY},
        {"-999.000", ANY},
        {"12", ANY},
        {"abc", ANY},
        {"Sede 1,5", ANY},
        {"", ANY},
        {"31/03/2018", ANY},
        /* a digit or a letter first, or neither */
        {"COP 1.234,5", ESCO},
        {"cop 1,5", ESCO},
        {"12,5%", ESCO},
        {"1.5 %", PLAIN},
        {"x1,5", ANY},
        {" 1,5", ESCO},
        {"Ñ1,5", ANY},
        {"\xc2\xa0"
         "1.5",
         PLAIN},
        {"- $ 1.5", PLAIN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum num_style got =
            parse_style_hint(cases[i].text, strlen(cases[i].text));
        if (got != cases[i].want)
            fail_msg("'%s': hint %d, expected %d", cases[i].text, (int)got,
                     (int)cases[i].want);
    }
}

static enum vtype infer(enum num_style style, const char *a, const char *b,
                        const char *c)
{
    const char *vals[3] = {a, b, c};
    return parse_infer_type(vals, 3, style);
}

static void parse_infer_type_should_pick_the_most_specific(void **state)
{
    (void)state;
    assert_int_equal(infer(ESCO, "1", "2.345", NULL), V_INT);
    assert_int_equal(infer(PLAIN, "1", "2.345", NULL), V_NUMBER);
    assert_int_equal(infer(ESCO, "1", "2,5", ""), V_NUMBER);
    assert_int_equal(infer(ESCO, "85,3 %", "90%", " "), V_PERCENT);
    assert_int_equal(infer(ESCO, "85,3 %", "90", NULL), V_TEXT);
    assert_int_equal(infer(ESCO, "$ 1.000", "-$ 5", "COP 7"), V_MONEY);
    assert_int_equal(infer(ESCO, "31/03/2018", "2018-04-01", NULL), V_DATE);
    assert_int_equal(infer(ESCO, "31/03/2018", "hoy", NULL), V_TEXT);
    assert_int_equal(infer(ESCO, "05001", "11001", NULL), V_TEXT);
    assert_int_equal(infer(ESCO, "0", "0,5", NULL), V_NUMBER);
    assert_int_equal(infer(ESCO, NULL, "", "  "), V_TEXT);
    assert_int_equal(infer(ESCO, "POL01", "2", NULL), V_TEXT);
}

static void parse_header_names_code_should_match_whole_words(void **state)
{
    (void)state;
    assert_true(parse_header_names_code("Código Sigep"));
    assert_true(parse_header_names_code("CÓDIGO"));
    assert_true(parse_header_names_code("codigo"));
    assert_true(parse_header_names_code("dimension_codigo"));
    assert_true(parse_header_names_code("Cod. municipio"));
    assert_false(parse_header_names_code("id"));
    assert_false(parse_header_names_code(" ID "));
    assert_true(parse_header_names_code("ID Sigep"));
    assert_true(parse_header_names_code("id_entidad"));
    assert_true(parse_header_names_code("Entidad (ID)"));
    assert_false(parse_header_names_code("Identidad regional"));
    assert_true(parse_header_names_code("NIT entidad"));
    assert_true(parse_header_names_code("Divipola\nDANE"));
    assert_false(parse_header_names_code("codificación"));
    assert_false(parse_header_names_code("identificador de ideas"));
    assert_false(parse_header_names_code("numero"));
    assert_false(parse_header_names_code("Avance"));
    assert_false(parse_header_names_code(""));
}

static void parse_infer_column_type_should_keep_codes_as_text(void **state)
{
    (void)state;
    const char *ints[] = {"1234", "5678", NULL};
    const char *nums[] = {"12,5", "3", NULL};
    assert_int_equal(parse_infer_column_type("Código Sigep", ints, 3, ESCO),
                     V_TEXT);
    assert_int_equal(parse_infer_column_type("nit", ints, 3, ESCO), V_TEXT);
    assert_int_equal(parse_infer_column_type("Cantidad", ints, 3, ESCO), V_INT);
    assert_int_equal(parse_infer_column_type(NULL, ints, 3, ESCO), V_INT);
    /* only integer-looking values: a measure under "cod" stays a number */
    assert_int_equal(parse_infer_column_type("cod", nums, 3, ESCO), V_NUMBER);
}

/* parse_infer_values gives the type parse_infer_column_type gives and,
 * for every value, what parse_value reads in that type (V_MISSING for a
 * blank one), whatever types were tried before. */
static void expect_infer_values(const char *header, const char *const *vals,
                                size_t n, enum num_style style, enum vtype want)
{
    size_t lens[8];
    struct value got[8];
    assert_true(n <= 8);
    for (size_t i = 0; i < n; i++) {
        lens[i] = strlen(vals[i]);
        got[i] = (struct value){.type = V_BOOL, .num = -7}; /* stale */
    }
    enum vtype t = parse_infer_values(header, vals, lens, n, style, got);
    assert_int_equal(t, want);
    assert_int_equal(t, parse_infer_column_type(header, vals, n, style));
    if (t == V_TEXT)
        return;
    for (size_t i = 0; i < n; i++) {
        struct value v = {.type = V_MISSING};
        if (!parse_value(vals[i], lens[i], t, style, &v))
            v = (struct value){.type = V_MISSING};
        if (got[i].type != v.type || got[i].num != v.num ||
            got[i].days != v.days)
            fail_msg("'%s': type %d %g %d, parse_value %d %g %d", vals[i],
                     (int)got[i].type, got[i].num, (int)got[i].days,
                     (int)v.type, v.num, (int)v.days);
    }
}

static void parse_infer_values_should_read_as_parse_value(void **state)
{
    (void)state;
    const char *ints[] = {"1.234", " 12 ", "-7", ""};
    expect_infer_values("Cantidad", ints, 4, ESCO, V_INT);
    /* integers until the third value, then every value again as numbers */
    const char *nums[] = {"1", "\xc2\xa0", "2,5", "-0,25", "1,5E+03", "\t"};
    expect_infer_values("Monto", nums, 6, ESCO, V_NUMBER);
    const char *plain[] = {"1,234.5", "0.75", "12"};
    expect_infer_values(NULL, plain, 3, PLAIN, V_NUMBER);
    const char *pct[] = {"85,3 %", "90%", "-1,5\xc2\xa0%"};
    expect_infer_values(NULL, pct, 3, ESCO, V_PERCENT);
    const char *money[] = {"$ 1.000", "-$ 5", "COP 7", "  "};
    expect_infer_values(NULL, money, 4, ESCO, V_MONEY);
    const char *dates[] = {"31/03/2018", "2018-04-01", "1-2-2019"};
    expect_infer_values(NULL, dates, 3, ESCO, V_DATE);
    /* read as integers, but a code: text */
    const char *codes[] = {"1234", "5678"};
    expect_infer_values("Código Sigep", codes, 2, ESCO, V_TEXT);
    const char *mixed[] = {"12", "3,5", "Bogotá"};
    expect_infer_values(NULL, mixed, 3, ESCO, V_TEXT);
    const char *blank[] = {"", " ", "\xc2\xa0"};
    expect_infer_values(NULL, blank, 3, ESCO, V_TEXT);
}

static void expect_explain(const char *s, const char *want)
{
    struct buf b;
    buf_init(&b);
    bool got = parse_date_explain(s, strlen(s), &b);
    if (want == NULL) {
        if (got || b.len)
            fail_msg("'%s': explained as '%s'", s, b.data);
    } else if (!got || strcmp(b.data, want) != 0) {
        fail_msg("'%s': '%s', expected '%s'", s, b.data, want);
    }
    buf_release(&b);
}

static void parse_date_explain_should_say_what_does_not_exist(void **state)
{
    (void)state;
    expect_explain("31/02/2018", "el 31 de febrero no existe");
    expect_explain("2018-04-31", "el 31 de abril no existe");
    expect_explain("29/02/2019",
                   "el 29 de febrero de 2019 no existe (2019 no es bisiesto)");
    expect_explain("2018-13-01", "el mes 13 no existe");
    expect_explain("12/31/2018", "el mes 31 no existe (el día va primero: "
                                 "¿quiso decir 31/12/2018?)");
    expect_explain("0/3/2018", "el día 0 no existe");
    /* a date, or not written as one: nothing to say */
    expect_explain("29/02/2020", NULL);
    expect_explain("2018-03-31", NULL);
    expect_explain("ayer", NULL);
    expect_explain("31/02/18", NULL);
}

static void parse_value_should_fill_the_value(void **state)
{
    (void)state;
    struct value v;
    assert_true(parse_value("85,3 %", 6, V_PERCENT, ESCO, &v));
    assert_int_equal(v.type, V_PERCENT);
    assert_true(v.num == 85.3);
    assert_null(v.text);
    const char *s = "Uso del agua";
    assert_true(parse_value(s, strlen(s), V_TEXT, ESCO, &v));
    assert_int_equal(v.type, V_TEXT);
    assert_ptr_equal(v.text, s);
    assert_true(parse_value("31/03/2018", 10, V_DATE, ESCO, &v));
    assert_int_equal(v.days, date_from_ymd(2018, 3, 31));
    assert_false(parse_value("12,5x", 5, V_NUMBER, ESCO, &v));
    assert_string_equal(parse_type_noun(V_NUMBER), "un número");
    assert_string_equal(parse_type_noun(V_MONEY), "un valor en pesos");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_number_should_read_both_styles),
        cmocka_unit_test(parse_number_should_round_correctly),
        cmocka_unit_test(parse_integer_should_refuse_decimals),
        cmocka_unit_test(parse_percent_should_take_sign_and_space_variants),
        cmocka_unit_test(parse_money_should_take_peso_forms),
        cmocka_unit_test(parse_date_should_read_iso_and_day_first),
        cmocka_unit_test(parse_style_hint_should_flag_only_unambiguous_forms),
        cmocka_unit_test(parse_infer_type_should_pick_the_most_specific),
        cmocka_unit_test(parse_header_names_code_should_match_whole_words),
        cmocka_unit_test(parse_infer_column_type_should_keep_codes_as_text),
        cmocka_unit_test(parse_infer_values_should_read_as_parse_value),
        cmocka_unit_test(parse_date_explain_should_say_what_does_not_exist),
        cmocka_unit_test(parse_value_should_fill_the_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
