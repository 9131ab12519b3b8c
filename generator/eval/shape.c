/* eval_shape: a data source's steps, in the documented order: rename,
 * unpivot, join, compute, where, group_by + aggregate, sort, limit; each
 * expression checked against the table it runs on. */
#include "eval/internal.h"

#include <string.h>

static struct expr *parse_checked(struct report *r, const struct tnode *n,
                                  const struct table *row,
                                  const struct table *group)
{
    if (!tree_expect(r->d, n, TREE_SCALAR))
        return NULL;
    struct expr_at at;
    struct tree_cursor cur;
    eval_at(n, 0, &cur, &at);
    struct expr *e = expr_parse_at(r->a, r->d, n->text, n->len, &at);
    struct expr_scope sc;
    eval_scope(r, &sc);
    sc.row_table = row;
    sc.group_table = group;
    return e && expr_check(e, &sc, r->d, NULL) ? e : NULL;
}

/* Scalar texts of a scalar or a list. */
static bool names_of(struct report *r, const struct tnode *n, const char ***out,
                     size_t *count)
{
    size_t k = n->kind == TREE_SEQ ? n->n : 1;
    const char **v = arena_array(r->a, k, sizeof *v);
    for (size_t i = 0; i < k; i++) {
        const struct tnode *it = n->kind == TREE_SEQ ? n->items[i] : n;
        if (!tree_expect(r->d, it, TREE_SCALAR))
            return false;
        v[i] = it->text;
    }
    *out = v;
    *count = k;
    return true;
}

static struct table *rename_step(struct report *r, const struct tnode *n,
                                 struct table *t)
{
    if (!tree_expect(r->d, n, TREE_MAP))
        return NULL;
    const char **from = arena_array(r->a, n->n, sizeof *from);
    const char **to = arena_array(r->a, n->n, sizeof *to);
    struct shape_pos *pos = arena_array(r->a, n->n, sizeof *pos);
    for (size_t i = 0; i < n->n; i++) {
        if (!tree_expect(r->d, n->items[i], TREE_SCALAR))
            return NULL;
        from[i] = n->keys[i]->text;
        to[i] = n->items[i]->text;
        pos[i] = eval_shape_pos(n->keys[i]);
    }
    return shape_rename(r->a, r->d, t, from, to, n->n, pos);
}

/* Where the text of scalar n starts (inside its quotes); file NULL when
 * n is not a scalar. */
static struct shape_pos text_pos(const struct tnode *n)
{
    if (!n || n->kind != TREE_SCALAR)
        return (struct shape_pos){NULL, 0, 0};
    return (struct shape_pos){n->file, n->line, n->col + (n->quoted ? 1 : 0)};
}

static struct table *unpivot_step(struct report *r, const struct tnode *n,
                                  struct table *t)
{
    struct shape_unpivot u = {.pos = eval_shape_pos(n)};
    u.columns = tree_get_text(n, "columns", NULL);
    u.name = tree_get_text(n, "name", "name");
    u.value = tree_get_text(n, "value", "value");
    u.code = tree_get_text(n, "code", NULL);
    u.code_name = tree_get_text(n, "code_name", "codigo");
    u.columns_at = text_pos(tree_get(n, "columns"));
    u.code_at = text_pos(tree_get(n, "code"));
    if (!u.columns) {
        tree_error(r->d, n,
                   "falta 'columns' (la expresión regular de las "
                   "columnas)");
        return NULL;
    }
    return shape_unpivot(r->a, r->d, t, &u);
}

static bool join_keys(struct report *r, const struct tnode *on,
                      struct shape_join *j)
{
    size_t nl, nr;
    if (on->kind != TREE_MAP) {
        if (!names_of(r, on, (const char ***)&j->left_keys, &nl))
            return false;
        j->right_keys = j->left_keys;
        j->nkeys = nl;
        return true;
    }
    const struct tnode *l = tree_get(on, "left"), *rt = tree_get(on, "right");
    if (!l || !rt) {
        tree_error(r->d, on, "'on' necesita 'left' y 'right'");
        return false;
    }
    if (!names_of(r, l, (const char ***)&j->left_keys, &nl) ||
        !names_of(r, rt, (const char ***)&j->right_keys, &nr))
        return false;
    if (nl != nr) {
        tree_error(r->d, on, "'left' y 'right' deben tener las mismas claves");
        return false;
    }
    j->nkeys = nl;
    return true;
}

static bool join_pick(struct report *r, const struct tnode *cols,
                      struct shape_join *j)
{
    if (!cols)
        return true;
    if (!tree_expect(r->d, cols, TREE_MAP))
        return false;
    struct shape_join_col *p = arena_array(r->a, cols->n, sizeof *p);
    for (size_t i = 0; i < cols->n; i++) {
        if (!tree_expect(r->d, cols->items[i], TREE_SCALAR))
            return false;
        p[i].name = cols->keys[i]->text;
        p[i].column = cols->items[i]->text;
    }
    j->pick = p;
    j->npick = cols->n;
    return true;
}

static struct table *join_step(struct report *r, const struct source *s,
                               const struct tnode *n, struct table *t)
{
    const struct tnode *dn = tree_get(n, "data"), *on = tree_get(n, "on");
    if (!dn || !on) {
        tree_error(r->d, n, "'join' necesita 'data' y 'on'");
        return NULL;
    }
    const struct table *right = eval_data_dep(r, s, dn);
    struct shape_join j = {.pos = eval_shape_pos(n)};
    j.prefix = tree_get_text(n, "prefix", NULL);
    if (!right || !join_keys(r, on, &j) ||
        !join_pick(r, tree_get(n, "columns"), &j))
        return NULL;
    return shape_join(r->a, r->d, t, right, &j);
}

static struct table *compute_step(struct report *r, const struct tnode *n,
                                  struct table *t)
{
    if (!tree_expect(r->d, n, TREE_MAP))
        return NULL;
    struct expr_env env;
    eval_env(r, &env);
    /* One column at a time: each sees the columns computed before it. */
    for (size_t i = 0; t && i < n->n; i++) {
        struct shape_compute c = {.name = n->keys[i]->text,
                                  .pos = eval_shape_pos(n->keys[i])};
        if (!(c.e = parse_checked(r, n->items[i], t, NULL)))
            return NULL;
        t = shape_compute(r->a, r->d, t, &c, 1, &env);
    }
    return t;
}

static struct table *where_step(struct report *r, const struct tnode *n,
                                struct table *t)
{
    struct expr *e = parse_checked(r, n, t, NULL);
    struct expr_env env;
    eval_env(r, &env);
    return e ? shape_filter(r->a, r->d, t, e, &env) : NULL;
}

static struct table *group_step(struct report *r, const struct tnode *g,
                                const struct tnode *agg, struct table *t)
{
    const char **keys;
    size_t nkeys;
    if (!names_of(r, g, &keys, &nkeys))
        return NULL;
    size_t naggs = agg && agg->kind == TREE_MAP ? agg->n : 0;
    struct shape_agg *aggs = arena_array(r->a, naggs, sizeof *aggs);
    for (size_t i = 0; i < naggs; i++) {
        aggs[i].name = agg->keys[i]->text;
        aggs[i].pos = eval_shape_pos(agg->keys[i]);
        if (!(aggs[i].e = parse_checked(r, agg->items[i], NULL, t)))
            return NULL;
    }
    struct expr_env env;
    eval_env(r, &env);
    return shape_group(r->a, r->d, t, keys, nkeys, eval_shape_pos(g), aggs,
                       naggs, &env);
}

static struct table *order_step(struct report *r, const struct tnode *sort,
                                const struct tnode *limit, struct table *t)
{
    struct shape_key *keys;
    size_t nkeys;
    if (sort && (!eval_sort_keys(r, sort, &keys, &nkeys) ||
                 !(t = shape_sort(r->a, r->d, t, keys, nkeys))))
        return NULL;
    long n;
    if (limit && !tree_to_long(r->d, limit, 0, 1000000000L, &n))
        return NULL;
    return limit ? shape_limit(r->a, t, (size_t)n) : t;
}

bool eval_shape_source(struct report *r, struct source *s,
                       const struct table *in, const struct table **out)
{
    const struct tnode *n = s->node, *v;
    struct table *t = arena_alloc(r->a, sizeof *t);
    *t = *in;
    if (t && (v = tree_get(n, "rename")))
        t = rename_step(r, v, t);
    if (t && (v = tree_get(n, "unpivot")))
        t = unpivot_step(r, v, t);
    if (t && (v = tree_get(n, "join")))
        t = join_step(r, s, v, t);
    if (t && (v = tree_get(n, "compute")))
        t = compute_step(r, v, t);
    if (t && (v = tree_get(n, "where")))
        t = where_step(r, v, t);
    if (t && (v = tree_get(n, "group_by")))
        t = group_step(r, v, tree_get(n, "aggregate"), t);
    if (t)
        t = order_step(r, tree_get(n, "sort"), tree_get(n, "limit"), t);
    if (t)
        t->name = s->name;
    *out = t;
    return t != NULL;
}
