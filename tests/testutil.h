/* testutil: the includes cmocka needs, in the order it needs them, and
 * small helpers shared by the unit tests. */
#ifndef INFORME_TESTUTIL_H
#define INFORME_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
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

/* All that is left to read of fp, NUL-terminated (len: its length when
 * not NULL). The caller frees it. */
static inline char *test_read_all(FILE *fp, size_t *len)
{
    struct buf b;
    buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        buf_add(&b, chunk, n);
    buf_addc(&b, '\0');
    if (len)
        *len = b.len - 1;
    return buf_detach(&b, NULL);
}

/* The whole file at path, as test_read_all; NULL when it cannot be
 * opened. */
static inline char *test_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *s = test_read_all(fp, len);
    fclose(fp);
    return s;
}

/* The standard output of the shell command cmd, in a; its status (as
 * pclose gives it) in *status when not NULL. */
static inline char *test_run(struct arena *a, const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t len;
    char *out = test_read_all(p, &len);
    int st = pclose(p);
    if (status)
        *status = st;
    char *s = arena_strndup(a, out, len);
    free(out);
    return s;
}

/* The source tree's root, for tests that read fonts/ or samples/: tests
 * run from the top of the checkout (make unit). */
#define TEST_ROOT "."

#endif
