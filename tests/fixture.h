/* fixture: the cmocka fixture of the unit tests that need only an arena
 * and a message list: setup gives each test a fresh struct fx, teardown
 * frees it. */
#ifndef INFORME_FIXTURE_H
#define INFORME_FIXTURE_H

#include "base/arena.h"
#include "base/diag.h"

#include <stdlib.h>

struct fx {
    struct arena *a;
    struct diag d;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->a = arena_new();
    diag_init(&f->d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    diag_release(&f->d);
    arena_free(f->a);
    free(f);
    return 0;
}

#endif
