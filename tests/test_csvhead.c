/* test_csvhead: the checks of a CSV header's names (empty, repeated),
 * with the first column of each repeated name, on headers of a few
 * columns and of tens of thousands (found through a table of names, so a
 * wide header costs its length). */
#include "testutil.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "data/csvfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct read {
    struct arena *a;
    struct diag d;
    struct rawcsv raw;
    bool ok;
};

static void read_text(struct read *r, const char *text, size_t len)
{
    r->a = arena_new();
    diag_init(&r->d);
    r->ok = csvfile_read_mem(r->a, &r->d, "h.csv", text, len, NULL, &r->raw);
}

static void read_done(struct read *r)
{
    diag_release(&r->d);
    arena_free(r->a);
}

static void expect_msg(struct read *r, size_t i, const char *want)
{
    assert_true(i < r->d.n);
    char *got = diag_format(&r->d.msgs[i]);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "got:      %s\nexpected: %s\n", got, want);
    assert_string_equal(got, want);
    free(got);
}

static void repeated_names_should_name_the_first_column(void **state)
{
    (void)state;
    struct read r;
    const char *t = "a,b,a,,a,b,c\n1,2,3,4,5,6,7\n";
    read_text(&r, t, strlen(t));
    assert_false(r.ok);
    assert_int_equal(r.d.n, 4);
    expect_msg(&r, 0,
               "h.csv:1:5: error: la columna 'a' está repetida en el "
               "encabezado (columnas 1 y 3)");
    expect_msg(&r, 1,
               "h.csv:1:7: error: el nombre de la columna 4 del encabezado "
               "está vacío");
    /* a third 'a' is reported against the first, as is every repeat */
    expect_msg(&r, 2,
               "h.csv:1:8: error: la columna 'a' está repetida en el "
               "encabezado (columnas 1 y 5)");
    expect_msg(&r, 3,
               "h.csv:1:10: error: la columna 'b' está repetida en el "
               "encabezado (columnas 2 y 6)");
    read_done(&r);
}

static void names_differing_in_one_byte_should_not_be_repeats(void **state)
{
    (void)state;
    struct read r;
    /* same length and hash input but for one byte; a prefix; case */
    const char *t = "código,códigp,códig,Código,c\n1,2,3,4,5\n";
    read_text(&r, t, strlen(t));
    assert_true(r.ok);
    assert_int_equal(r.d.n, 0);
    assert_int_equal(r.raw.ncols, 5);
    read_done(&r);
}

/* A header of n columns named c1..cn, then the names in extra, and a row
 * of as many fields. */
static char *wide(size_t n, const char *extra, size_t nextra, size_t *len)
{
    struct buf b;
    buf_init(&b);
    for (size_t i = 1; i <= n; i++)
        buf_printf(&b, "%sc%zu", i > 1 ? "," : "", i);
    buf_printf(&b, "%s\n", extra);
    for (size_t i = 0; i < n + nextra; i++)
        buf_adds(&b, i ? ",1" : "1");
    buf_addc(&b, '\n');
    return buf_detach(&b, len);
}

static void wide_header_should_find_its_repeats(void **state)
{
    (void)state;
    size_t len, n = 40000;
    /* c2 again at n + 1, c40000 again at n + 2 */
    char *t = wide(n, ",c2,c40000", 2, &len);
    struct read r;
    read_text(&r, t, len);
    assert_false(r.ok);
    assert_int_equal(r.d.n, 2);
    /* the column of a character: the header's length up to the name */
    char *p = strstr(t, ",c2,c40000\n");
    assert_non_null(p);
    size_t at2 = (size_t)(p - t) + 2, at40000 = at2 + 3;
    struct buf w;
    buf_init(&w);
    buf_printf(&w,
               "h.csv:1:%zu: error: la columna 'c2' está repetida en el "
               "encabezado (columnas 2 y %zu)",
               at2, n + 1);
    expect_msg(&r, 0, w.data);
    buf_release(&w);
    buf_init(&w);
    buf_printf(&w,
               "h.csv:1:%zu: error: la columna 'c40000' está repetida en el "
               "encabezado (columnas %zu y %zu)",
               at40000, n, n + 2);
    expect_msg(&r, 1, w.data);
    buf_release(&w);
    read_done(&r);
    free(t);
}

static void wide_header_without_repeats_should_read(void **state)
{
    (void)state;
    size_t len, n = 40000;
    char *t = wide(n, "", 0, &len);
    struct read r;
    read_text(&r, t, len);
    assert_true(r.ok);
    assert_int_equal(r.d.n, 0);
    assert_int_equal(r.raw.ncols, n);
    assert_int_equal(r.raw.nrows, 1);
    assert_string_equal(r.raw.header[n - 1], "c40000");
    read_done(&r);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(repeated_names_should_name_the_first_column),
        cmocka_unit_test(names_differing_in_one_byte_should_not_be_repeats),
        cmocka_unit_test(wide_header_should_find_its_repeats),
        cmocka_unit_test(wide_header_without_repeats_should_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
