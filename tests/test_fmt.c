/* test_fmt: es-CO formatting against a table of hand-written cases:
 * rounding edges, signs, large and tiny values, percents, money, dates. */
#include "testutil.h"

#include "data/fmt.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum kind { K_NUM, K_PLAIN, K_PCT, K_PCT_NOSPACE, K_MONEY };

struct num_case {
    enum kind kind;
    double v;
    int decimals;
    const char *want;
};

static const struct num_case num_cases[] = {
    {K_NUM, 0, 0, "0"},
    {K_NUM, 0, 2, "0,00"},
    {K_NUM, 1234567.891, 2, "1.234.567,89"},
    {K_NUM, 1234.5, 0, "1.235"},
    {K_NUM, -1234.5, 0, "-1.235"},
    {K_NUM, 2.675, 2, "2,68"},
    {K_NUM, 0.125, 2, "0,13"},
    {K_NUM, -0.5, 0, "-1"},
    {K_NUM, 0.5, 0, "1"},
    {K_NUM, 1.005, 2, "1,01"},
    {K_NUM, -0.004, 2, "0,00"},
    {K_NUM, -0.4, 0, "0"},
    {K_NUM, 999.995, 2, "1.000,00"},
    {K_NUM, 999999.5, 0, "1.000.000"},
    {K_NUM, 1e15, 0, "1.000.000.000.000.000"},
    {K_NUM, 1e15, 2, "1.000.000.000.000.000,00"},
    {K_NUM, 123456789012.345, 2, "123.456.789.012,35"},
    {K_NUM, 1e-20, 2, "0,00"},
    {K_NUM, 0.0049, 2, "0,00"},
    {K_NUM, 0.005, 2, "0,01"},
    {K_NUM, 100, 1, "100,0"},
    {K_NUM, 12, 0, "12"},
    {K_NUM, 123, 0, "123"},
    {K_NUM, 1000, 0, "1.000"},
    {K_NUM, -1000000, 0, "-1.000.000"},
    {K_NUM, 3.14159, -1, "3,14159"},
    {K_NUM, 2.5, -1, "2,5"},
    {K_NUM, 7, -1, "7"},
    {K_NUM, 1.0000004, -1, "1"},
    {K_NUM, 0.1 + 0.2, -1, "0,3"},
    {K_PLAIN, 2018, 0, "2018"},
    {K_PLAIN, 1234567.891, 2, "1234567,89"},
    {K_PLAIN, 2018, -1, "2018"},
    {K_PCT, 85.25, 1, "85,3 %"},
    {K_PCT, 85.3, 1, "85,3 %"},
    {K_PCT, 100, 0, "100 %"},
    {K_PCT, -2.45, 1, "-2,5 %"},
    {K_PCT_NOSPACE, 85.25, 1, "85,3%"},
    {K_PCT, 0, 1, "0,0 %"},
    {K_MONEY, 1234567, 0, "$ 1.234.567"},
    {K_MONEY, -1234567, 0, "-$ 1.234.567"},
    {K_MONEY, 1234.565, 2, "$ 1.234,57"},
    {K_MONEY, -0.4, 0, "$ 0"},
    {K_MONEY, 0, 0, "$ 0"},
    /* The whole range of a double: 22 integer digits or more in es-CO
     * scientific form with the significant digits the value has. */
    {K_NUM, DBL_MAX, 2, "1,79769313486232E+308"},
    {K_NUM, -DBL_MAX, 0, "-1,79769313486232E+308"},
    {K_NUM, 1e300, 2, "1E+300"},
    {K_NUM, -2.5e300, -1, "-2,5E+300"},
    {K_NUM, 1e21, 0, "1E+21"},
    {K_NUM, 9.99999999999999e20, 0, "999.999.999.999.999.000.000"},
    {K_NUM, 1e20, 2, "100.000.000.000.000.000.000,00"},
    {K_NUM, 1e15, 9, "1.000.000.000.000.000,000000000"},
    {K_NUM, DBL_MIN, 2, "0,00"},
    {K_NUM, 4.9406564584124654e-324, 9, "0,000000000"},
    {K_NUM, -4.9406564584124654e-324, 0, "0"},
    {K_NUM, -0.0, 2, "0,00"},
    {K_NUM, 1.5e-300, -1, "0"},
    {K_PLAIN, 1e25, 0, "1E+25"},
    {K_PLAIN, 123456789012345678901.0, 0, "123456789012346000000"},
    {K_PCT, DBL_MAX, 1, "1,79769313486232E+308 %"},
    {K_PCT, -0.0, 1, "0,0 %"},
    {K_MONEY, -DBL_MAX, 0, "-$ 1,79769313486232E+308"},
    {K_MONEY, 2.5e300, 2, "$ 2,5E+300"},
    {K_MONEY, 1e21 * 9.99999999999999, 0, "$ 9,99999999999999E+21"},
};

static void fmt_should_format_numbers_as_in_the_table(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < sizeof num_cases / sizeof num_cases[0]; i++) {
        const struct num_case *c = &num_cases[i];
        buf_clear(&b);
        switch (c->kind) {
        case K_NUM:
            fmt_number(&b, c->v, c->decimals, true);
            break;
        case K_PLAIN:
            fmt_number(&b, c->v, c->decimals, false);
            break;
        case K_PCT:
            fmt_percent(&b, c->v, c->decimals, true);
            break;
        case K_PCT_NOSPACE:
            fmt_percent(&b, c->v, c->decimals, false);
            break;
        case K_MONEY:
            fmt_money(&b, c->v, c->decimals);
            break;
        }
        if (strcmp(b.data, c->want) != 0)
            fail_msg("case %zu: %.17g at %d: got '%s', want '%s'", i, c->v,
                     c->decimals, b.data, c->want);
    }
    buf_release(&b);
}

static void fmt_round_plain_should_round_half_away_from_zero(void **state)
{
    (void)state;
    char out[64];
    fmt_round_plain(2.675, 2, out);
    assert_string_equal(out, "2.68");
    fmt_round_plain(-2.675, 2, out);
    assert_string_equal(out, "-2.68");
    fmt_round_plain(-1234.5678, 2, out);
    assert_string_equal(out, "-1234.57");
    fmt_round_plain(9.9999, 3, out);
    assert_string_equal(out, "10.000");
    fmt_round_plain(-0.0, 1, out);
    assert_string_equal(out, "0.0");
}

/* decimals -1 (as many as needed): whole numbers of up to 15 digits are
 * their digits, a larger one its 15 significant digits. */
static void fmt_round_plain_should_write_whole_numbers_as_digits(void **state)
{
    (void)state;
    char out[64];
    fmt_round_plain(123456, -1, out);
    assert_string_equal(out, "123456");
    fmt_round_plain(-987654321012345.0, -1, out);
    assert_string_equal(out, "-987654321012345");
    fmt_round_plain(-0.0, -1, out);
    assert_string_equal(out, "0");
    fmt_round_plain(1234.5, -1, out);
    assert_string_equal(out, "1234.5");
    fmt_round_plain(1234567890123456789.0, -1, out);
    assert_string_equal(out, "1234567890123460000");
}

static void fmt_should_treat_nan_and_infinity_as_missing(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b);
    fmt_number(&b, NAN, 2, true);
    fmt_percent(&b, INFINITY, 1, true);
    fmt_money(&b, -INFINITY, 0);
    assert_string_equal(b.data, "");
    struct value v = {.type = V_NUMBER, .num = NAN};
    struct numfmt f = {NF_NUMBER, 2, true, "—"};
    fmt_value(&b, &v, &f);
    assert_string_equal(b.data, "—");
    buf_release(&b);
}

struct val_case {
    struct value v;
    struct numfmt f;
    const char *want;
};

static void fmt_value_should_format_by_type(void **state)
{
    (void)state;
    static const struct val_case cases[] = {
        {{.type = V_INT, .num = 1234}, {NF_AUTO, -1, true, NULL}, "1.234"},
        {{.type = V_NUMBER, .num = 78.123456},
         {NF_AUTO, -1, true, NULL},
         "78,12"},
        {{.type = V_NUMBER, .num = 2.5}, {NF_AUTO, -1, true, NULL}, "2,5"},
        {{.type = V_NUMBER, .num = 3.999}, {NF_AUTO, -1, true, NULL}, "4"},
        {{.type = V_NUMBER, .num = 3.14159}, {NF_AUTO, 3, true, NULL}, "3,142"},
        {{.type = V_PERCENT, .num = 85.25},
         {NF_AUTO, -1, true, NULL},
         "85,3 %"},
        {{.type = V_PERCENT, .num = 85.25},
         {NF_AUTO, -1, false, NULL},
         "85,3%"},
        {{.type = V_MONEY, .num = -1234567.4},
         {NF_AUTO, -1, true, NULL},
         "-$ 1.234.567"},
        {{.type = V_DATE, .days = 17621},
         {NF_AUTO, -1, true, NULL},
         "31/03/2018"},
        {{.type = V_TEXT, .text = "Ñandú"}, {NF_AUTO, -1, true, NULL}, "Ñandú"},
        {{.type = V_MISSING}, {NF_AUTO, -1, true, NULL}, ""},
        {{.type = V_MISSING}, {NF_NUMBER, 2, true, "—"}, "—"},
        {{.type = V_BOOL, .num = 1}, {NF_AUTO, -1, true, NULL}, "sí"},
        {{.type = V_BOOL, .num = 0}, {NF_AUTO, -1, true, NULL}, "no"},
        {{.type = V_NUMBER, .num = 1234.5},
         {NF_INTEGER, -1, true, NULL},
         "1.235"},
        {{.type = V_INT, .num = 2018}, {NF_PLAIN, -1, true, NULL}, "2018"},
        {{.type = V_NUMBER, .num = 85.25},
         {NF_PERCENT, -1, true, NULL},
         "85,3 %"},
        {{.type = V_NUMBER, .num = 1234567},
         {NF_MONEY, -1, true, NULL},
         "$ 1.234.567"},
    };
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_clear(&b);
        fmt_value(&b, &cases[i].v, &cases[i].f);
        if (strcmp(b.data, cases[i].want) != 0)
            fail_msg("case %zu: got '%s', want '%s'", i, b.data, cases[i].want);
    }
    buf_release(&b);
}

static void fmt_should_write_dates_in_three_forms(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b);
    int32_t d = date_from_ymd(2018, 3, 31);
    fmt_date_long(&b, d);
    assert_string_equal(b.data, "31 de marzo de 2018");
    buf_clear(&b);
    fmt_date_short(&b, d);
    assert_string_equal(b.data, "31/03/2018");
    buf_clear(&b);
    fmt_date_iso(&b, d);
    assert_string_equal(b.data, "2018-03-31");
    buf_clear(&b);
    fmt_date_long(&b, date_from_ymd(2020, 2, 29));
    assert_string_equal(b.data, "29 de febrero de 2020");
    buf_clear(&b);
    fmt_date_short(&b, date_from_ymd(2020, 2, 29));
    assert_string_equal(b.data, "29/02/2020");
    buf_clear(&b);
    fmt_date_long(&b, date_from_ymd(2018, 1, 1));
    assert_string_equal(b.data, "1 de enero de 2018");
    buf_release(&b);
}

static void fmt_should_name_months_and_quarters(void **state)
{
    (void)state;
    assert_string_equal(fmt_month_name(1), "enero");
    struct buf my;
    buf_init(&my);
    fmt_month_year(&my, date_from_ymd(2018, 1, 31));
    assert_string_equal(my.data, "ene. 2018");
    buf_clear(&my);
    fmt_month_year(&my, date_from_ymd(2018, 9, 1));
    assert_string_equal(my.data, "sept. 2018");
    buf_clear(&my);
    fmt_month_year(&my, date_from_ymd(1999, 12, 31));
    assert_string_equal(my.data, "dic. 1999");
    buf_release(&my);
    assert_string_equal(fmt_month_name(9), "septiembre");
    assert_string_equal(fmt_month_name(12), "diciembre");
    assert_string_equal(fmt_month_name(13), "");
    static const struct {
        unsigned m;
        const char *code, *name;
    } q[] = {
        {1, "2018-T1", "primer trimestre de 2018"},
        {3, "2018-T1", "primer trimestre de 2018"},
        {4, "2018-T2", "segundo trimestre de 2018"},
        {9, "2018-T3", "tercer trimestre de 2018"},
        {12, "2018-T4", "cuarto trimestre de 2018"},
    };
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        int32_t d = date_from_ymd(2018, q[i].m, 15);
        buf_clear(&b);
        fmt_quarter_code(&b, d);
        assert_string_equal(b.data, q[i].code);
        buf_clear(&b);
        fmt_quarter_long(&b, d);
        assert_string_equal(b.data, q[i].name);
    }
    buf_release(&b);
}

/* Reads back what a formatter wrote, checking its es-CO grammar: sign,
 * "$ " for money, thousands '.' in groups of three (when asked), ',' and
 * exactly `decimals` places (or 1..6 without trailing zero for -1), or the
 * scientific form d,dddE+ddd; " %" after a percent. */
static bool read_es(const char *s, enum kind kind, int decimals,
                    long double *out, bool *sci)
{
    char c[96];
    size_t n = 0;
    if (*s == '-')
        c[n++] = *s++;
    if (kind == K_MONEY) {
        if (strncmp(s, "$ ", 2) != 0)
            return false;
        s += 2;
    }
    const char *e = strchr(s, 'E');
    *sci = e != NULL;
    if (e) {
        if (!(s[0] >= '1' && s[0] <= '9'))
            return false;
        c[n++] = *s++;
        if (*s == ',') {
            c[n++] = '.';
            s++;
            size_t k = 0;
            for (; *s >= '0' && *s <= '9'; s++, k++)
                c[n++] = *s;
            if (k < 1 || k > 14 || s[-1] == '0')
                return false;
        }
        if (*s++ != 'E' || (*s != '+' && *s != '-'))
            return false;
        c[n++] = 'e';
        c[n++] = *s++;
        size_t k = 0;
        for (; *s >= '0' && *s <= '9'; s++, k++)
            c[n++] = *s;
        if (k < 1 || k > 3)
            return false;
    } else {
        bool thousands = kind != K_PLAIN;
        size_t group = 0, digits = 0;
        for (; (*s >= '0' && *s <= '9') || (thousands && *s == '.'); s++) {
            if (*s == '.') {
                if (group == 0 || (digits > 3 && group != 3) ||
                    (digits <= 3 && group > 3))
                    return false;
                group = 0;
                continue;
            }
            c[n++] = *s;
            group++;
            digits++;
            if (n > 40)
                return false;
        }
        if (digits == 0 || (thousands && group > 3 && digits > group) ||
            (thousands && digits > 3 && strchr(c, '.') == NULL &&
             digits != group && group != 3))
            return false;
        if (thousands && digits > 3 && group != 3)
            return false;
        if (*s == ',') {
            c[n++] = '.';
            s++;
            size_t k = 0;
            for (; *s >= '0' && *s <= '9'; s++, k++)
                c[n++] = *s;
            if (decimals >= 0 ? k != (size_t)decimals
                              : k < 1 || k > 6 || s[-1] == '0')
                return false;
        } else if (decimals > 0) {
            return false;
        }
    }
    c[n] = '\0';
    if (kind == K_PCT) {
        if (strcmp(s, " %") != 0)
            return false;
    } else if (*s) {
        return false;
    }
    if (strcmp(c, "-0") == 0 || strncmp(c, "-0.", 3) == 0) {
        /* a minus sign only before a value that is not zero */
        for (const char *p = c + 1; *p; p++)
            if (*p >= '1' && *p <= '9')
                goto signed_ok;
        return false;
    }
signed_ok:
    *out = strtold(c, NULL); /* 15 digits of DBL_MAX round above it */
    return true;
}

static void fmt_should_stay_bounded_and_es_co_over_every_double(void **state)
{
    (void)state;
    double vals[2200];
    size_t nv = 0;
    static const double special[] = {DBL_MAX,
                                     DBL_MIN,
                                     4.9406564584124654e-324,
                                     2.2250738585072009e-308,
                                     0.0,
                                     1e15,
                                     999999999999999.9,
                                     9.99999999999999e20,
                                     1e21,
                                     0.5,
                                     2.675,
                                     123456.7890123};
    for (size_t i = 0; i < sizeof special / sizeof *special; i++) {
        vals[nv++] = special[i];
        vals[nv++] = -special[i];
    }
    for (int k = -324; k <= 308; k++) {
        double p = pow(10, k);
        if (p > 0 && isfinite(p)) {
            vals[nv++] = p;
            vals[nv++] = -1.5 * p;
            vals[nv++] = 9.87654321 * p;
        }
    }
    static const enum kind kinds[] = {K_NUM, K_PLAIN, K_PCT, K_MONEY};
    struct buf b;
    buf_init(&b);
    size_t checked = 0;
    for (size_t i = 0; i < nv; i++) {
        double v = vals[i];
        if (!isfinite(v))
            continue;
        for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
            for (int d = kinds[k] == K_MONEY ? 0 : -1; d <= 9; d++) {
                buf_clear(&b);
                switch (kinds[k]) {
                case K_NUM:
                    fmt_number(&b, v, d, true);
                    break;
                case K_PLAIN:
                    fmt_number(&b, v, d, false);
                    break;
                case K_PCT:
                    fmt_percent(&b, v, d < 0 ? 1 : d, true);
                    break;
                default:
                    fmt_money(&b, v, d);
                    break;
                }
                int dd = kinds[k] == K_PCT && d < 0 ? 1 : d;
                long double got;
                bool sci;
                if (b.len == 0 || b.len > 63 ||
                    !read_es(b.data, kinds[k], dd, &got, &sci))
                    fail_msg("%.17g kind %d decimals %d: '%s' is not es-CO", v,
                             (int)kinds[k], d, b.data);
                /* Within the rounding of the places shown, or of the 15
                 * significant digits. */
                double tol = (sci      ? 0
                              : dd < 0 ? 5e-7
                                       : 0.5 * pow(10, -dd) * 1.000001) +
                             fabs(v) * 1e-14;
                if (!(fabsl(got - (long double)v) <= (long double)tol))
                    fail_msg("%.17g kind %d decimals %d: '%s' reads %.17Lg", v,
                             (int)kinds[k], d, b.data, got);
                checked++;
            }
        }
    }
    assert_true(checked > 20000);
    /* fmt_value in every form, and the scientific form of chart ticks. */
    struct value big = {.type = V_MONEY, .num = -DBL_MAX};
    buf_clear(&b);
    fmt_value(&b, &big, NULL);
    assert_string_equal(b.data, "-$ 1,79769313486232E+308");
    struct value auto_num = {.type = V_NUMBER, .num = 2.5e300};
    buf_clear(&b);
    fmt_value(&b, &auto_num, NULL);
    assert_string_equal(b.data, "2,5E+300");
    buf_clear(&b);
    fmt_scientific(&b, 2e-301, -1);
    assert_string_equal(b.data, "2E-301");
    buf_clear(&b);
    fmt_scientific(&b, -9.996e299, 2);
    assert_string_equal(b.data, "-1,00E+300");
    buf_clear(&b);
    fmt_scientific(&b, 0.0, -1);
    assert_string_equal(b.data, "0");
    buf_clear(&b);
    fmt_scientific(&b, 4.9406564584124654e-324, -1);
    assert_string_equal(b.data, "4,94065645841247E-324");
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fmt_should_format_numbers_as_in_the_table),
        cmocka_unit_test(fmt_round_plain_should_round_half_away_from_zero),
        cmocka_unit_test(fmt_round_plain_should_write_whole_numbers_as_digits),
        cmocka_unit_test(fmt_should_treat_nan_and_infinity_as_missing),
        cmocka_unit_test(fmt_value_should_format_by_type),
        cmocka_unit_test(fmt_should_write_dates_in_three_forms),
        cmocka_unit_test(fmt_should_name_months_and_quarters),
        cmocka_unit_test(fmt_should_stay_bounded_and_es_co_over_every_double),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
