/* eval_select: the rows a table or chart block shows: the source named by
 * `data:`, then the block's own where, sort (Spanish order) and limit. */
#include "eval/internal.h"
#include "data/suggest.h"
#include "lang/shape.h"

#include <string.h>

const struct table *eval_block_data(struct report *r, const struct tl_str *data,
                                    const struct tnode *item)
{
    const struct tnode *n = data->n;
    if (!n) {
        tree_error(r->d, item, "falta 'data' (la fuente de datos)");
        return NULL;
    }
    struct source *s = eval_source_find(r, n->text);
    if (s)
        return s->table; /* NULL: the source failed and said why */
    const char **names = arena_array(r->a, r->nsrcs, sizeof *names);
    for (size_t i = 0; i < r->nsrcs; i++)
        names[i] = r->srcs[i].name;
    const char *near = suggest_closest(n->text, names, r->nsrcs);
    if (near)
        tree_error(r->d, n,
                   "fuente de datos desconocida '%s'; ¿quiso decir '%s'?",
                   n->text, near);
    else
        tree_error(r->d, n, "fuente de datos desconocida '%s'", n->text);
    return NULL;
}

long eval_column(struct report *r, const struct tnode *n, const struct table *t)
{
    return shape_column(r->d, t, n->text, eval_shape_pos(n));
}

/* Sort keys from "programa" or [programa, -avance]; '-' is descending. */
bool eval_sort_keys(struct report *r, const struct tl_nodes *sort,
                    struct shape_key **keys, size_t *nkeys)
{
    *keys = arena_array(r->a, sort->n, sizeof **keys);
    *nkeys = sort->n;
    for (size_t i = 0; i < sort->n; i++) {
        const struct tnode *k = sort->v[i];
        struct shape_key *key = &(*keys)[i];
        key->desc = k->text[0] == '-';
        key->column = k->text + key->desc;
        key->pos = eval_shape_pos(k);
        tree_text_pos(k, key->desc, &key->pos.line, &key->pos.col);
    }
    return true;
}

static bool sort_rows(struct report *r, const struct tl_nodes *n,
                      const struct table *t, size_t *rows, size_t nrows)
{
    struct shape_key *keys;
    size_t nkeys, *order;
    if (!eval_sort_keys(r, n, &keys, &nkeys) ||
        !shape_sort_rows(r->a, r->d, t, keys, nkeys, &order))
        return false;
    /* order ranks every row of t; keep those selected, in that order. */
    bool *in = arena_array(r->a, t->nrows, sizeof *in);
    for (size_t i = 0; i < nrows; i++)
        in[rows[i]] = true;
    size_t k = 0;
    for (size_t i = 0; i < t->nrows; i++)
        if (in[order[i]])
            rows[k++] = order[i];
    return true;
}

static bool where_rows(struct report *r, const struct tnode *n,
                       const struct table *t, size_t *rows, size_t *nrows)
{
    struct eval_expr *e = eval_expr_compile(r, n, t);
    return e && eval_expr_keep(r, e, t, rows, nrows);
}

bool eval_select_rows(struct report *r, const struct tl_str *where,
                      const struct tl_nodes *sort, const struct tl_int *limit,
                      const struct table *t, size_t **rows, size_t *n)
{
    *n = t->nrows;
    *rows = arena_array(r->a, t->nrows, sizeof **rows);
    for (size_t i = 0; i < t->nrows; i++)
        (*rows)[i] = i;
    if (where->n && !where_rows(r, where->n, t, *rows, n))
        return false;
    if (sort->node && !sort_rows(r, sort, t, *rows, *n))
        return false;
    if (limit->n && (size_t)limit->v < *n)
        *n = (size_t)limit->v;
    return true;
}
