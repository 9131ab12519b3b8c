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

/* The text of raw, read with its fields in place, is that of as_read,
 * read with libcsv_only (nothing in place), but for the delimiters the
 * fields' NULs were written over. */
static inline void assert_text_in_place(const struct rawcsv *raw,
                                        const struct rawcsv *as_read)
{
    assert_int_equal(raw->text_len, as_read->text_len);
    for (size_t i = 0; i < raw->text_len; i++) {
        assert_int_not_equal(as_read->text[i], '\0');
        if (raw->text[i] == '\0')
            assert_int_equal(as_read->text[i], raw->delimiter);
        else
            assert_int_equal(raw->text[i], as_read->text[i]);
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

#endif
