/* csvfixture: the fixture of the CSV reader's tests (test_csv,
 * test_csvproj): an arena, a diag, the file read and its table, and the
 * field of a row and column as the reader kept it. */
#ifndef INFORME_TEST_CSVFIXTURE_H
#define INFORME_TEST_CSVFIXTURE_H

#include "testutil.h"

#include "base/arena.h"
#include "base/diag.h"
#include "data/csvfile.h"

#include <stdlib.h>

struct fixture {
    struct arena *a;
    struct diag d;
    struct rawcsv raw;
    struct table t;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->a = arena_new();
    diag_init(&f->d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    diag_release(&f->d);
    arena_free(f->a);
    free(f);
    return 0;
}

static inline const char *field(const struct fixture *f, size_t row, size_t col)
{
    return f->raw.fields[csvfile_at(&f->raw, row, col)];
}

/* The texts of a and b, the same file read twice (one of them with
 * libcsv_only), differ only where one of them has a NUL over a byte that
 * ends a field read in place (a delimiter or a closing quote). */
static inline void assert_text_in_place(const struct rawcsv *a,
                                        const struct rawcsv *b)
{
    assert_int_equal(a->text_len, b->text_len);
    for (size_t i = 0; i < a->text_len; i++) {
        char x = a->text[i], y = b->text[i];
        if (x == y)
            continue;
        char other = x == '\0' ? y : x;
        assert_true(x == '\0' || y == '\0');
        assert_true(other == a->delimiter || other == '"');
    }
}

/* Message i of the fixture's diag is want, to the letter. */
static inline void assert_msg(const struct fixture *f, size_t i,
                              const char *want)
{
    assert_true(i < f->d.n);
    char *got = diag_format(&f->d.msgs[i]);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "got:      %s\nexpected: %s\n", got, want);
        free(got);
        fail();
    }
    free(got);
}

/* Reads the len bytes of data twice, as usual (records without a quote
 * split by informe) into f and with libcsv_only into a second reader,
 * and checks that both give the same fields, positions, text and
 * messages; the result. */
static inline bool read_both_len(struct fixture *f, const char *data,
                                 size_t len, struct csvfile_options opt)
{
    struct diag d2;
    struct rawcsv r2;
    diag_init(&d2);
    bool ok =
        csvfile_read_mem(f->a, &f->d, "plan.csv", data, len, &opt, &f->raw);
    opt.libcsv_only = true;
    assert_int_equal(
        csvfile_read_mem(f->a, &d2, "plan.csv", data, len, &opt, &r2), ok);
    assert_int_equal(f->raw.ncols, r2.ncols);
    assert_int_equal(f->raw.nrows, r2.nrows);
    assert_int_equal(f->raw.stride, r2.stride);
    for (size_t c = 0; c < f->raw.ncols; c++) {
        assert_string_equal(f->raw.header[c], r2.header[c]);
        assert_int_equal(f->raw.header_offsets[c], r2.header_offsets[c]);
        assert_int_equal(f->raw.slot[c], r2.slot[c]);
    }
    for (size_t i = 0; i < f->raw.nrows * f->raw.stride; i++) {
        assert_string_equal(f->raw.fields[i], r2.fields[i]);
        assert_int_equal(f->raw.lines[i], r2.lines[i]);
        assert_int_equal(f->raw.offsets[i], r2.offsets[i]);
        assert_int_equal(f->raw.empty[i], r2.empty[i]);
    }
    assert_int_equal(f->raw.text_len, r2.text_len);
    if (ok)
        assert_text_in_place(&f->raw, &r2);
    assert_int_equal(f->d.n, d2.n);
    for (size_t i = 0; i < d2.n; i++) {
        char *m = diag_format(&d2.msgs[i]);
        assert_msg(f, i, m), free(m);
    }
    diag_release(&d2);
    return ok;
}

/* read_both_len of a NUL-terminated text. */
static inline bool read_both(struct fixture *f, const char *data,
                             struct csvfile_options opt)
{
    return read_both_len(f, data, strlen(data), opt);
}

#endif
