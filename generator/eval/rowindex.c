/* eval_rowindex: the rows of a table grouped by the text of a column
 * (one hash of the texts: linear in the rows, however many groups), and
 * an index of a lasting table's rows by the text of a column, kept for
 * the run: each report of a burst finds its rows (the burst's cut, a
 * `column = key` condition) without reading everybody else's. */
#include "eval/internal.h"

#include "base/hash.h"

#include <stdlib.h>
#include <string.h>

/* The rows of t in their order: 0 .. n - 1. */
size_t *eval_all_rows(struct arena *a, size_t n)
{
    size_t *rows = arena_array(a, n ? n : 1, sizeof *rows);
    for (size_t i = 0; i < n; i++)
        rows[i] = i;
    return rows;
}

bool eval_group_rows(struct report *r, const struct table *t, size_t col,
                     const size_t *rows, size_t n, size_t max,
                     struct eval_groups *g)
{
    size_t one = n ? n : 1;
    const char **keys = xmalloc(one * sizeof *keys);
    size_t *gid = xmalloc(one * sizeof *gid);
    size_t *first = xmalloc(one * sizeof *first);
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    size_t *slot = xmalloc(cap * sizeof *slot); /* group + 1; 0: empty */
    memset(slot, 0, cap * sizeof *slot);
    size_t ngroups = 0;
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        keys[i] = eval_value_text(r, &table_cell(t, rows[i], col)->v);
        size_t j = (size_t)hash_bytes(keys[i], strlen(keys[i])) & (cap - 1);
        while (slot[j] && strcmp(keys[first[slot[j] - 1]], keys[i]) != 0)
            j = (j + 1) & (cap - 1);
        if (!slot[j]) {
            if (ngroups == max) {
                ok = false;
                break;
            }
            first[ngroups] = i;
            slot[j] = ++ngroups;
        }
        gid[i] = slot[j] - 1;
    }
    free(slot);
    if (ok) {
        /* Counting sort by group, stable. */
        g->n = ngroups;
        g->start = arena_array(r->a, ngroups + 1, sizeof *g->start);
        for (size_t i = 0; i < n; i++)
            g->start[gid[i] + 1]++;
        for (size_t k = 0; k < ngroups; k++)
            g->start[k + 1] += g->start[k];
        g->members = arena_array(r->a, one, sizeof *g->members);
        g->label = arena_array(r->a, ngroups ? ngroups : 1, sizeof *g->label);
        size_t *fill = first; /* reused: next free place of each group */
        for (size_t k = 0; k < ngroups; k++) {
            g->label[k] = keys[first[k]];
            fill[k] = g->start[k];
        }
        for (size_t i = 0; i < n; i++)
            g->members[fill[gid[i]]++] = rows[i];
    }
    free(keys);
    free(gid);
    free(first);
    return ok;
}

/* The rows of a table grouped by the text of one column, and the groups'
 * labels in byte order for a binary search. */
struct label {
    const char *text;
    size_t group;
};

struct eval_rowindex {
    const struct table *t;
    size_t col;
    struct eval_groups g;
    struct label *sorted;
};

static int by_text(const void *x, const void *y)
{
    return strcmp(((const struct label *)x)->text,
                  ((const struct label *)y)->text);
}

bool eval_table_lasts(const struct report *r, const struct table *t)
{
    for (size_t i = 0; i < r->nsrcs; i++)
        if (t == r->srcs[i].load_base || t == r->srcs[i].full)
            return true;
    return false;
}

const struct eval_rowindex *eval_rowindex_get(struct report *r,
                                              const struct table *t, size_t col)
{
    for (size_t i = 0; i < r->nindexes; i++)
        if (r->indexes[i]->t == t && r->indexes[i]->col == col)
            return r->indexes[i];
    /* The index lasts as long as the table: in the run's arena. */
    struct arena *cur = r->a;
    if (r->run_a)
        r->a = r->run_a;
    r->indexes = arena_grow(r->a, r->indexes, &r->capindexes, r->nindexes + 1,
                            sizeof *r->indexes);
    struct eval_rowindex *x = arena_alloc(r->a, sizeof *x);
    x->t = t;
    x->col = col;
    eval_group_rows(r, t, col, eval_all_rows(r->a, t->nrows), t->nrows,
                    SIZE_MAX, &x->g);
    x->sorted = arena_array(r->a, x->g.n ? x->g.n : 1, sizeof *x->sorted);
    for (size_t k = 0; k < x->g.n; k++)
        x->sorted[k] = (struct label){x->g.label[k], k};
    qsort(x->sorted, x->g.n, sizeof *x->sorted, by_text);
    r->a = cur;
    r->indexes[r->nindexes++] = x;
    return x;
}

void eval_rowindex_rows(const struct eval_rowindex *x, const char *value,
                        const size_t **rows, size_t *n)
{
    struct label key = {value, 0};
    const struct label *l =
        bsearch(&key, x->sorted, x->g.n, sizeof *x->sorted, by_text);
    *rows = l ? &x->g.members[x->g.start[l->group]] : NULL;
    *n = l ? x->g.start[l->group + 1] - x->g.start[l->group] : 0;
}
