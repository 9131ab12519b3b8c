/* eval_sources: every source of `data:`, loaded on first use in
 * dependency order: its base table (a CSV file, read once, or another
 * source), the rows of the current burst, then its steps in the documented
 * order: rename, unpivot, join, compute, where, group_by + aggregate, sort,
 * limit, each expression checked against the table it runs on. A join
 * loads the source it joins first, so loading and the steps recurse
 * through each other and live in one file. Burst views. */
#include "eval/internal.h"
#include "data/csvfile.h"
#include "data/fmt.h"

#include <string.h>

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
        if (!(c.e = eval_expr_parse(r, n->items[i], t, NULL, NULL)))
            return NULL;
        t = shape_compute(r->a, r->d, t, &c, 1, &env);
    }
    return t;
}

static struct table *where_step(struct report *r, const struct tnode *n,
                                struct table *t)
{
    struct expr *e = eval_expr_parse(r, n, t, NULL, NULL);
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
        if (!(aggs[i].e = eval_expr_parse(r, agg->items[i], NULL, t, NULL)))
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

static bool shape_source(struct report *r, struct source *s,
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

/* The `columns:` map as type requests at their template positions. */
static bool type_requests(struct report *r, const struct tnode *cols,
                          struct type_request **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!cols)
        return true;
    if (!tree_expect(r->d, cols, TREE_MAP))
        return false;
    struct type_request *req = arena_array(r->a, cols->n, sizeof *req);
    bool ok = true;
    for (size_t i = 0; i < cols->n; i++) {
        const struct tnode *k = cols->keys[i], *v = cols->items[i];
        req[i] = (struct type_request){
            .column = k->text, .file = k->file, .line = k->line, .col = k->col};
        if (v->kind != TREE_SCALAR ||
            !value_type_parse(v->text, &req[i].type)) {
            tree_error(r->d, v,
                       "tipo de columna desconocido '%s' (text, "
                       "integer, number, percent, date, money)",
                       v->kind == TREE_SCALAR ? v->text : "");
            ok = false;
        }
    }
    *out = req;
    *n = cols->n;
    return ok;
}

/* The file's path: rendered with the parameters (*rel), under the data
 * folder. */
static const char *source_path(struct report *r, const struct tnode *fn,
                               const char **rel_out)
{
    const char *rel = eval_render(r, fn, false);
    *rel_out = rel;
    const char *dir = r->opt.data_dir;
    if (!rel || r->opt.files || rel[0] == '/' || !dir || !*dir ||
        strcmp(dir, ".") == 0)
        return rel;
    return arena_printf(r->a, "%s/%s", dir, rel);
}

static char delimiter(const struct tnode *src)
{
    const char *d = tree_get_text(src, "delimiter", NULL);
    if (!d)
        return 0;
    return strcmp(d, "\\t") == 0 || strcmp(d, "tab") == 0 ? '\t' : d[0];
}

static bool read_file(struct report *r, struct source *s,
                      const struct tnode *fn, const struct table **out)
{
    const char *rel;
    const char *path = source_path(r, fn, &rel);
    if (!path)
        return false;
    const struct eval_file *mem = NULL;
    for (size_t i = 0; i < r->opt.nfiles && !mem; i++)
        if (strcmp(r->opt.files[i].name, rel) == 0)
            mem = &r->opt.files[i];
    /* Read once, unless a burst parameter changes the file's name. */
    if (s->base && strcmp(s->base_path, path) == 0)
        return true;
    struct type_request *req;
    size_t nreq;
    if (!type_requests(r, tree_get(s->node, "columns"), &req, &nreq))
        return false;
    if (r->opt.files && !mem) {
        diag_error_code(r->d, EXIT_NOINPUT, fn->file, fn->line, fn->col,
                        "no se puede leer el archivo de datos '%s': el "
                        "archivo no existe",
                        path);
        return false;
    }
    if (!mem && !eval_input_path(r, fn, path, "el archivo de datos"))
        return false;
    struct infile_ref ref = {fn->file, fn->line, fn->col};
    struct csvfile_options co = {.delimiter = delimiter(s->node), .ref = &ref};
    /* The raw fields are only needed for typing: they get an arena of
     * their own, freed as soon as the table holds its copies. */
    struct rawcsv raw;
    struct arena *scratch = arena_new();
    struct table *t = arena_alloc(r->a, sizeof *t);
    bool ok = (mem ? csvfile_read_mem(scratch, r->d, mem->name, mem->data,
                                      mem->len, &co, &raw)
                   : csvfile_read_file(scratch, r->d, path, &co, &raw)) &&
              csvfile_to_table(r->a, r->d, &raw, req, nreq, t);
    arena_free(scratch);
    if (!ok)
        return false;
    t->name = s->name;
    s->base_path = path;
    *out = t;
    return true;
}

static bool load_source(struct report *r, struct source *s);

const struct table *eval_data_dep(struct report *r, const struct source *s,
                                  const struct tnode *n)
{
    struct source *up =
        n->kind == TREE_SCALAR ? eval_source_find(r, n->text) : NULL;
    if (!up) {
        tree_error(r->d, n, "fuente de datos desconocida '%s'",
                   n->kind == TREE_SCALAR ? n->text : "");
        return NULL;
    }
    if (up->state == SRC_BUSY) {
        tree_error(r->d, n,
                   "la fuente '%s' depende de sí misma (ciclo de fuentes)",
                   s->name);
        return NULL;
    }
    if (!load_source(r, up))
        return NULL;
    if (!r->burst_column && s->burst && !up->shared && r->loading)
        r->loading->shared = false;
    return s->burst ? up->table : up->full; /* burst: false sees every row */
}

static struct table *filter_rows(struct report *r, struct source *s,
                                 const struct table *t, size_t c,
                                 const char *value);

/* The table a source starts from: its file (read once) or its upstream. */
static bool base_table(struct report *r, struct source *s,
                       const struct table **out)
{
    const struct tnode *fn = tree_get(s->node, "file");
    const struct tnode *from = tree_get(s->node, "from");
    if (fn && !read_file(r, s, fn, &s->base))
        return false;
    if (fn && !r->burst_column)
        s->load_base = s->base;
    if (fn)
        *out = s->base;
    else if (from)
        *out = eval_data_dep(r, s, from);
    else
        tree_error(r->d, s->node, "la fuente '%s' necesita 'file' o 'from'",
                   s->name);
    return (fn || from) && *out != NULL;
}

static bool load_source(struct report *r, struct source *s)
{
    if (s->state == SRC_DONE)
        return true;
    if (s->state == SRC_FAILED)
        return false;
    s->state = SRC_BUSY;
    struct source *outer = r->loading;
    r->loading = s;
    /* When loading, a source is shared until something says otherwise:
     * the burst's column in its rows, a source it reads that is not
     * shared (eval_data_dep), an expression that reads the burst's
     * parameter or a source that is not shared (eval_expr.c). */
    bool loading = !r->burst_column;
    if (loading)
        s->shared = r->opt.burst_column != NULL;
    const struct table *t = NULL;
    bool ok = base_table(r, s, &t);
    const char *col = loading ? r->opt.burst_column : r->burst_column;
    long c = ok && col ? table_find_column(t, col) : -1;
    if (c >= 0 && s->burst && loading)
        s->shared = false;
    else if (c >= 0 && s->burst)
        t = filter_rows(r, s, t, (size_t)c, r->burst_value);
    ok = ok && shape_source(r, s, t, &s->table);
    if (loading)
        s->full = s->table;
    r->loading = outer;
    s->state = ok ? SRC_DONE : SRC_FAILED;
    return ok;
}

static bool source_flags(struct report *r, struct source *s)
{
    const struct tnode *b = tree_get(s->node, "burst");
    s->burst = true;
    return !b || tree_to_bool(r->d, b, &s->burst);
}

bool eval_data_load(struct report *r)
{
    const struct tnode *data = tree_get(r->root, "data");
    if (!data)
        return true;
    if (!tree_expect(r->d, data, TREE_MAP))
        return false;
    r->srcs = arena_array(r->a, data->n, sizeof *r->srcs);
    r->nsrcs = data->n;
    bool ok = true;
    for (size_t i = 0; i < data->n; i++) {
        r->srcs[i].name = data->keys[i]->text;
        r->srcs[i].node = data->items[i];
        ok = source_flags(r, &r->srcs[i]) && ok;
    }
    r->burst_column = r->burst_value = NULL;
    for (size_t i = 0; i < r->nsrcs && !diag_full(r->d); i++) {
        ok = load_source(r, &r->srcs[i]) && ok;
    }
    return ok;
}

/* Whether t, the base of a source in a burst, lasts as long as the run:
 * the file read when loading, or a source's table as loaded. */
static bool lasting(const struct report *r, const struct source *s,
                    const struct table *t)
{
    if (t == s->load_base)
        return true;
    for (size_t i = 0; i < r->nsrcs; i++)
        if (r->srcs[i].full == t)
            return true;
    return false;
}

/* The rows of t whose column c reads as value: from an index when t
 * lasts (each report reads only its rows), else by reading every row. */
static struct table *filter_rows(struct report *r, struct source *s,
                                 const struct table *t, size_t c,
                                 const char *value)
{
    struct table *v = arena_alloc(r->a, sizeof *v);
    *v = *t;
    v->nrows = 0;
    if (lasting(r, s, t)) {
        const size_t *rows;
        size_t n;
        eval_rowindex_rows(eval_rowindex_get(r, s, t, c), value, &rows, &n);
        v->cells = arena_array(r->a, n * t->ncols, sizeof *v->cells);
        for (size_t i = 0; i < n; i++)
            memcpy(&v->cells[v->nrows++ * t->ncols], table_cell(t, rows[i], 0),
                   t->ncols * sizeof *v->cells);
        return v;
    }
    v->cells = arena_array(r->a, t->nrows * t->ncols, sizeof *v->cells);
    for (size_t row = 0; row < t->nrows; row++) {
        const char *text = eval_value_text(r, &table_cell(t, row, c)->v);
        if (strcmp(text, value) != 0)
            continue;
        memcpy(&v->cells[v->nrows++ * t->ncols], table_cell(t, row, 0),
               t->ncols * sizeof *v->cells);
    }
    return v;
}

bool eval_data_burst(struct report *r, const char *column, const char *value)
{
    bool on = column && value;
    r->burst_column = on ? column : NULL;
    r->burst_value = on ? value : NULL;
    /* What loading found shared holds for the --burst-by column only. */
    bool share =
        on && r->opt.burst_column && strcmp(column, r->opt.burst_column) == 0;
    for (size_t i = 0; i < r->nsrcs; i++) {
        struct source *s = &r->srcs[i];
        s->table = s->full;
        s->state = on && !(share && s->shared) ? SRC_TODO : SRC_DONE;
    }
    bool ok = true;
    for (size_t i = 0; on && i < r->nsrcs; i++)
        ok = load_source(r, &r->srcs[i]) && ok;
    return ok;
}
