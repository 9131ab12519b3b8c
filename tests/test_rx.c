/* test_rx: the regular expression matcher: a table of patterns, subjects,
 * expected match and group 1 (checked against the C library's POSIX
 * regexec on the ASCII rows when they were written), refused patterns
 * and a pathological pattern that must run in linear time. */
#include "testutil.h"

#include "base/arena.h"
#include "lang/rx.h"

#include <string.h>
#include <time.h>

#define N RX_UNSET

struct row {
    const char *pattern, *subject;
    bool match;
    size_t s0, e0, s1, e1; /* whole match, group 1 */
};

static const struct row rows[] = {
    /* patterns of templates/ and docs/templates.md */
    {"^D[0-9]", "D1 Talento Humano", true, 0, 2, N, N},
    {"^D[0-9]+", "D12 Talento", true, 0, 3, N, N},
    {"^POL[0-9]+", "POL10 Gestión", true, 0, 5, N, N},
    {"^POL[0-9]", "Entidad", false, 0, 0, N, N},
    {"^(D|POL)[0-9]", "POL3 x", true, 0, 4, 0, 3},
    {"^[A-Z]+[0-9]+", "POL3 x", true, 0, 4, N, N},
    {"^(D[0-9]+)", "D12 x", true, 0, 3, 0, 3},
    {"^D[0-9]{1,3} ", "D123 x", true, 0, 5, N, N},
    /* leftmost, then longest */
    {"abcd|b", "abcd", true, 0, 4, N, N},
    {"x*", "yx", true, 0, 0, N, N},
    {"b|bcd", "abcde", true, 1, 4, N, N},
    {"(a|ab)(bc|c)", "abc", true, 0, 3, 0, 1},
    {"(a+)(a*)", "aaa", true, 0, 3, 0, 3},
    {"(a|b)*", "abab", true, 0, 4, 3, 4},
    {"(a?)*", "aa", true, 0, 2, 1, 2},
    {"(a)|b", "b", true, 0, 1, N, N},
    /* anchors */
    {"$a", "a", false, 0, 0, N, N},
    {"a^", "a", false, 0, 0, N, N},
    {"a$", "aba", true, 2, 3, N, N},
    {"(^a)", "a", true, 0, 1, 0, 1},
    /* counted repetitions, nested and side by side */
    {"a{,2}", "aaa", true, 0, 2, N, N},
    {"x{1}{2}", "xx", true, 0, 2, N, N},
    {"a{1,2}{3}", "aaaaaa", true, 0, 6, N, N},
    {"((ab){2}){2}c", "xabababab c ababababc", true, 12, 21, 16, 20},
    {"^[0-9]{4}-T[1-4]$", "2018-T2", true, 0, 7, N, N},
    {"^[0-9]{4}-T[1-4]$", "2018-T5", false, 0, 0, N, N},
    /* empty matches */
    {"", "", true, 0, 0, N, N},
    {"()", "x", true, 0, 0, 0, 0},
    {"x|", "y", true, 0, 0, N, N},
    {"(|a)", "a", true, 0, 1, 0, 1},
    /* brackets, classes, escapes */
    {"[]a]", "]", true, 0, 1, N, N},
    {"[a-]", "-", true, 0, 1, N, N},
    {"[^a]", "ab", true, 1, 2, N, N},
    {"[[:digit:]]{4}\\.", "año 2018.", true, 5, 10, N, N},
    {"[[.-.]]", "-", true, 0, 1, N, N},
    {"\\.", "a.b", true, 1, 2, N, N},
    {"a)", "a)", true, 0, 2, N, N},
    {"\\bfoo\\b", "a foo b", true, 2, 5, N, N},
    {"\\w+", "ab_c d", true, 0, 4, N, N},
    /* UTF-8: one code point for '.', brackets and classes */
    {"^Gesti.n$", "Gestión", true, 0, 8, N, N},
    {"^Gesti[óo]n", "Gestión", true, 0, 8, N, N},
    {"[^a]n", "ón", true, 0, 3, N, N},
    {"[á-ú]+", "xíé", true, 1, 5, N, N},
    {"^[[:alpha:]]+$", "Planeación", true, 0, 11, N, N},
    {"(.)$", "canción", true, 7, 8, 7, 8},
};

static void rx_should_match_the_table(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct row *r = &rows[i];
        struct rx_error err;
        struct rx *re = rx_compile(a, r->pattern, &err);
        if (!re)
            fail_msg("%s: %s", r->pattern, err.msg);
        struct rx_span m[2];
        bool hit = rx_match(re, r->subject, strlen(r->subject), m);
        if (hit != r->match)
            fail_msg("'%s' on '%s': %d", r->pattern, r->subject, hit);
        assert_int_equal(rx_match(re, r->subject, strlen(r->subject), NULL),
                         hit);
        if (!hit)
            continue;
        if (m[0].start != r->s0 || m[0].end != r->e0 || m[1].start != r->s1 ||
            m[1].end != r->e1)
            fail_msg("'%s' on '%s': %zu-%zu group %zu-%zu", r->pattern,
                     r->subject, m[0].start, m[0].end, m[1].start, m[1].end);
    }
    arena_free(a);
}

static void rx_should_refuse_bad_patterns_at_their_character(void **state)
{
    (void)state;
    static const struct {
        const char *pattern;
        size_t off;
        const char *msg;
    } bad[] = {
        {"^D([0-9]", 2, "falta el ')' que cierra este '('"},
        {"x[0-9", 1, "falta el ']' que cierra este '['"},
        {"a|*b", 2, "la repetición no sigue a nada que repetir"},
        {"^*a", 1, "la repetición no sigue a nada que repetir"},
        {"a$?", 2, "la repetición no sigue a nada que repetir"},
        {"ab{2,1}", 2,
         "intervalo de repetición inválido (se escribe {m}, {m,} o {m,n} "
         "con m <= n)"},
        {"a{x}", 1,
         "intervalo de repetición inválido (se escribe {m}, {m,} o {m,n} "
         "con m <= n)"},
        {"x[z-a]", 2,
         "el rango termina antes de empezar (como z-a): escríbalo de menor "
         "a mayor"},
        {"ab\\", 2, "termina en '\\' sin nada que escapar"},
        {"(a)\\1", 3, "las referencias hacia atrás no se admiten"},
    };
    struct arena *a = arena_new();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rx_error err = {0};
        if (rx_compile(a, bad[i].pattern, &err))
            fail_msg("'%s' compiles", bad[i].pattern);
        assert_string_equal(err.msg, bad[i].msg);
        assert_int_equal(err.off, bad[i].off);
        assert_false(err.too_deep);
    }
    struct rx_error err = {0};
    assert_null(rx_compile(a, "[[:letra:]]", &err));
    assert_int_equal(err.off, 1);
    arena_free(a);
}

static void rx_should_run_in_linear_time(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    size_t n = 10000;
    char *s = arena_alloc(a, n + 2);
    memset(s, 'a', n);
    struct rx_error err;
    struct rx *re = rx_compile(a, "(a*)*b", &err);
    assert_non_null(re);
    clock_t t0 = clock();
    struct rx_span m[2];
    assert_false(rx_match(re, s, n, m));
    s[n] = 'b';
    assert_true(rx_match(re, s, n + 1, m));
    assert_int_equal(m[0].start, 0);
    assert_int_equal(m[0].end, n + 1);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    /* backtracking would take longer than the age of the universe */
    assert_true(secs < 2.0);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rx_should_match_the_table),
        cmocka_unit_test(rx_should_refuse_bad_patterns_at_their_character),
        cmocka_unit_test(rx_should_run_in_linear_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
