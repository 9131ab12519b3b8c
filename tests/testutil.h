/* testutil: the includes cmocka needs, in the order it needs them, and
 * small helpers shared by the unit tests. */
#ifndef INFORME_TESTUTIL_H
#define INFORME_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"

/* Message i of d as diag_format prints it, in a (or "(sin mensaje)" when
 * there are fewer). */
static inline const char *test_msg(struct arena *a, const struct diag *d,
                                   size_t i)
{
    if (i >= d->n)
        return "(sin mensaje)";
    char *s = diag_format(&d->msgs[i]);
    const char *r = arena_strdup(a, s);
    free(s);
    return r;
}

/* The source tree's root, for tests that read fonts/ or samples/: tests
 * run from the top of the checkout (make unit). */
#define TEST_ROOT "."

#endif
