/* table: tables built, shared and picked from, and column lookup. */
#include "data/table.h"

#include <stdint.h>
#include <string.h>

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool table_names_equal_folded(const char *a, const char *b)
{
    while (is_space(*a))
        a++;
    while (is_space(*b))
        b++;
    while (*a && *b) {
        if (is_space(*a) && is_space(*b)) {
            while (is_space(*a))
                a++;
            while (is_space(*b))
                b++;
            continue;
        }
        if (*a != *b)
            return false;
        a++;
        b++;
    }
    while (is_space(*a))
        a++;
    while (is_space(*b))
        b++;
    return !*a && !*b;
}

/* The columns found last, by table and name: an expression names the
 * same column once per row. A hit is checked against the name (one
 * comparison instead of one per column); only exact matches are kept. */
static struct {
    const struct column *cols;
    const char *name;
    size_t col;
} found[64];

long table_find_column(const struct table *t, const char *name)
{
    size_t h = (((uintptr_t)t->cols >> 4) ^ ((uintptr_t)name >> 3)) % 64;
    if (found[h].cols == t->cols && found[h].name == name &&
        found[h].col < t->ncols &&
        strcmp(t->cols[found[h].col].name, name) == 0)
        return (long)found[h].col;
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0) {
            found[h].cols = t->cols;
            found[h].name = name;
            found[h].col = i;
            return (long)i;
        }
    /* "Índice de Desempeño Institucional" finds the header written over
     * two lines in the file. */
    for (size_t i = 0; i < t->ncols; i++)
        if (table_names_equal_folded(t->cols[i].name, name))
            return (long)i;
    return -1;
}

void table_name_typed(struct buf *b, const char *name)
{
    const char *p = name;
    while (is_space(*p))
        p++;
    while (*p) {
        if (is_space(*p)) {
            while (is_space(*p))
                p++;
            if (*p)
                buf_addc(b, ' ');
            continue;
        }
        buf_addc(b, *p++);
    }
}

const char *table_name_typed_in(struct arena *a, const char *name)
{
    struct buf b;
    buf_init(&b);
    table_name_typed(&b, name);
    const char *r = arena_strndup(a, b.data, b.len);
    buf_release(&b);
    return r;
}

void table_alloc(struct arena *a, struct table *t)
{
    size_t nc = t->ncols ? t->ncols : 1;
    t->data = arena_array(a, nc, sizeof *t->data);
    t->rows = arena_array(a, nc, sizeof *t->rows);
    for (size_t c = 0; c < t->ncols; c++)
        t->data[c] =
            arena_array(a, t->nrows ? t->nrows : 1, sizeof *t->data[c]);
}

struct table *table_new(struct arena *a, const struct table *like, size_t ncols,
                        size_t nrows)
{
    struct table *t = arena_alloc(a, sizeof *t);
    if (like) {
        t->name = like->name;
        t->file = like->file;
    }
    t->ncols = ncols;
    t->nrows = nrows;
    t->cols = arena_array(a, ncols ? ncols : 1, sizeof *t->cols);
    table_alloc(a, t);
    return t;
}

struct table *table_extend(struct arena *a, const struct table *in,
                           size_t extra)
{
    struct table *t = arena_alloc(a, sizeof *t);
    *t = *in;
    size_t nc = in->ncols + extra;
    t->ncols = nc;
    t->cols = arena_array(a, nc ? nc : 1, sizeof *t->cols);
    t->data = arena_array(a, nc ? nc : 1, sizeof *t->data);
    t->rows = arena_array(a, nc ? nc : 1, sizeof *t->rows);
    if (in->ncols) {
        memcpy(t->cols, in->cols, in->ncols * sizeof *t->cols);
        memcpy(t->data, in->data, in->ncols * sizeof *t->data);
        memcpy(t->rows, in->rows, in->ncols * sizeof *t->rows);
    }
    /* not zero-filled: every caller writes each cell of its columns */
    for (size_t c = in->ncols; c < nc; c++)
        t->data[c] =
            arena_array_uninit(a, t->nrows ? t->nrows : 1, sizeof *t->data[c]);
    return t;
}

struct table *table_pick(struct arena *a, const struct table *in,
                         const size_t *rows, size_t n)
{
    struct table *t = table_extend(a, in, 0);
    t->nrows = n;
    size_t *own = arena_array(a, n ? n : 1, sizeof *own);
    if (n)
        memcpy(own, rows, n * sizeof *own);
    for (size_t c = 0; c < in->ncols; c++) {
        const size_t *src = in->rows[c];
        if (!src) {
            t->rows[c] = own;
            continue;
        }
        size_t k = 0;
        while (k < c && in->rows[k] != src)
            k++;
        if (k < c) { /* a list made for an earlier column */
            t->rows[c] = t->rows[k];
            continue;
        }
        size_t *ix = arena_array(a, n ? n : 1, sizeof *ix);
        for (size_t i = 0; i < n; i++)
            ix[i] = src[rows[i]];
        t->rows[c] = ix;
    }
    return t;
}
