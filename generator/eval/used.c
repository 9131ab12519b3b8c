/* eval_used: the columns of a CSV file a template may read. A column is
 * used when the template names it: its header (white space folded) is
 * part of some text of the template (a key, a value, an expression, a
 * `{...}` of a text), it is the --burst-by column, or the pattern of an
 * `unpivot` matches it. A `join` without `columns` brings every column of
 * the other source, under names the template need not write: then every
 * column is used. A source whose name is written only in the `join`s
 * that take it, with their `columns`, uses only what its own map and
 * those joins name, or its own `unpivot` matches. The answer errs on the
 * side of use: a name that only appears inside a longer text counts. */
#include "eval/internal.h"
#include "data/csvfile.h"
#include "lang/rx.h"
#include "lang/shape.h"

#include <string.h>

/* Every scalar of the template (keys included), folded, into *out. */
static void collect(struct arena *a, const struct tnode *n, const char ***out,
                    size_t *len, size_t *cap)
{
    if (!n)
        return;
    if (n->kind == TREE_SCALAR) {
        if (*len == *cap) {
            size_t c = *cap ? 2 * *cap : 64;
            const char **v = arena_array(a, c, sizeof *v);
            if (*len)
                memcpy(v, *out, *len * sizeof *v);
            *out = v;
            *cap = c;
        }
        (*out)[(*len)++] = shape_fold_space(a, n->text);
        return;
    }
    for (size_t i = 0; i < n->n; i++) {
        if (n->kind == TREE_MAP)
            collect(a, n->keys[i], out, len, cap);
        collect(a, n->items[i], out, len, cap);
    }
}

/* Whether every column must be taken as used. */
static bool uses_every_column(const struct report *r)
{
    for (size_t i = 0; i < r->nsrcs; i++) {
        const struct tl_source *x = r->srcs[i].tl;
        if (x->join && !x->join->columns.node)
            return true;
    }
    return false;
}

static bool named(const char *const *texts, size_t n, const char *header)
{
    for (size_t i = 0; i < n; i++)
        if (strstr(texts[i], header))
            return true;
    return false;
}

/* The `join` of source i when it takes source s's rows, else NULL. */
static const struct tl_join *joins(const struct report *r, size_t i,
                                   const struct source *s)
{
    const struct tl_join *j = r->srcs[i].tl->join;
    return j && j->data.v && strcmp(j->data.v, s->name) == 0 ? j : NULL;
}

/* Whether source s is read only through the `join` of other sources,
 * which name the columns they take: its name is part of no text of the
 * template but its own key and the `data` of those joins (not a `from`,
 * a block's `data` or an expression). Then only the texts of its own map
 * and of those joins can name its columns, and only its own `unpivot`
 * can match them. */
static bool join_only(const struct report *r, struct arena *a,
                      const struct source *s)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nsrcs; i++)
        if (joins(r, i, s))
            n++;
    const char *name = shape_fold_space(a, s->name);
    size_t seen = 0;
    for (size_t i = 0; i < r->nused_texts; i++)
        if (strstr(r->used_texts[i], name))
            seen++;
    return n > 0 && seen == n + 1;
}

/* Whether some `unpivot` pattern matches header; a pattern that did not
 * compile (NULL) matches (its step reports why). */
static bool unpivoted(struct rx *const *rx, size_t n, const char *header)
{
    for (size_t i = 0; i < n; i++)
        if (!rx[i] || rx_match(rx[i], header, strlen(header), NULL))
            return true;
    return false;
}

/* The template's texts and patterns, once per run (in the run's arena:
 * a burst's report may read a file in an arena of its own). */
static void prepare(struct report *r)
{
    struct arena *a = r->run_a ? r->run_a : r->a;
    size_t cap = 0;
    collect(a, r->root, &r->used_texts, &r->nused_texts, &cap);
    r->used_all = uses_every_column(r);
    r->used_rx = arena_array(a, r->nsrcs ? r->nsrcs : 1, sizeof *r->used_rx);
    for (size_t i = 0; i < r->nsrcs; i++) {
        const struct tl_unpivot *u = r->srcs[i].tl->unpivot;
        if (!u || !u->columns.v)
            continue;
        struct rx_error err;
        r->used_rx[r->nused_rx++] = rx_compile(a, u->columns.v, &err);
    }
    r->used_done = true;
}

const bool *eval_used_columns(struct report *r, struct arena *a,
                              const struct rawcsv *raw, const struct source *s)
{
    if (!r->used_done)
        prepare(r);
    if (r->used_all)
        return NULL;
    const char **texts = r->used_texts;
    size_t ntexts = r->nused_texts;
    struct rx *const *rx = r->used_rx, *own_rx[1];
    size_t nrx = r->nused_rx;
    if (s && join_only(r, a, s)) {
        size_t cap = 0;
        texts = NULL;
        ntexts = 0;
        collect(a, s->tl->node, &texts, &ntexts, &cap);
        for (size_t i = 0; i < r->nsrcs; i++)
            if (joins(r, i, s))
                collect(a, joins(r, i, s)->node, &texts, &ntexts, &cap);
        const struct tl_unpivot *u = s->tl->unpivot;
        struct rx_error err;
        nrx = u && u->columns.v ? 1 : 0;
        if (nrx)
            own_rx[0] = rx_compile(a, u->columns.v, &err);
        rx = own_rx;
    }
    bool *used = arena_array(a, raw->ncols ? raw->ncols : 1, sizeof *used);
    const char *burst =
        r->opt.burst_column ? shape_fold_space(a, r->opt.burst_column) : NULL;
    for (size_t c = 0; c < raw->ncols; c++) {
        const char *h = shape_fold_space(a, raw->header[c]);
        used[c] = (burst && strcmp(burst, h) == 0) || named(texts, ntexts, h) ||
                  unpivoted(rx, nrx, h);
    }
    return used;
}
