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
