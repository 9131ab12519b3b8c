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
#include "data/suggest.h"
#include "base/infile.h"

#include <errno.h>
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

/* The texts of a name or a list of names. */
static const char **texts_of(struct report *r, const struct tl_nodes *names)
{
    const char **v = arena_array(r->a, names->n, sizeof *v);
    for (size_t i = 0; i < names->n; i++)
        v[i] = names->v[i]->text;
    return v;
}

static struct table *rename_step(struct report *r, const struct tl_pairs *p,
                                 struct table *t)
{
    const char **from = arena_array(r->a, p->n, sizeof *from);
    const char **to = arena_array(r->a, p->n, sizeof *to);
    struct shape_pos *pos = arena_array(r->a, p->n, sizeof *pos);
    for (size_t i = 0; i < p->n; i++) {
        from[i] = p->name[i]->text;
        to[i] = p->value[i]->text;
        pos[i] = eval_shape_pos(p->name[i]);
    }
    return shape_rename(r->a, r->d, t, from, to, p->n, pos);
}

/* Where the text of scalar n starts (inside its quotes); file NULL when
 * n is absent. */
static struct shape_pos text_pos(const struct tnode *n)
{
    if (!n)
        return (struct shape_pos){NULL, 0, 0};
    return (struct shape_pos){n->file, n->line, n->col + (n->quoted ? 1 : 0)};
}

static struct table *unpivot_step(struct report *r, const struct tl_unpivot *x,
                                  struct table *t)
{
    struct shape_unpivot u = {.pos = eval_shape_pos(x->node)};
    u.columns = x->columns.v;
    u.name = x->name.v;
    u.value = x->value.v;
    u.code = x->code.v;
    u.code_name = x->code_name.v;
    u.columns_at = text_pos(x->columns.n);
    u.code_at = text_pos(x->code.n);
    if (!u.columns) {
        tree_error(r->d, x->node,
                   "falta 'columns' (la expresión regular de las "
                   "columnas)");
        return NULL;
    }
    return shape_unpivot(r->a, r->d, t, &u);
}

/* The key: the same names on both sides, or left and right. */
static void join_keys(struct report *r, const struct tl_join *x,
                      struct shape_join *j)
{
    const struct tl_join_on *on = x->on.map;
    if (!on) {
        j->left_keys = j->right_keys = texts_of(r, &x->on.names);
        j->nkeys = x->on.names.n;
        return;
    }
    const char **left = arena_alloc(r->a, sizeof *left);
    const char **right = arena_alloc(r->a, sizeof *right);
    left[0] = on->left.v;
    right[0] = on->right.v;
    j->left_keys = left;
    j->right_keys = right;
    j->nkeys = 1;
}

static void join_pick(struct report *r, const struct tl_pairs *cols,
                      struct shape_join *j)
{
    if (!cols->node)
        return;
    struct shape_join_col *p = arena_array(r->a, cols->n, sizeof *p);
    for (size_t i = 0; i < cols->n; i++) {
        p[i].name = cols->name[i]->text;
        p[i].column = cols->value[i]->text;
    }
    j->pick = p;
    j->npick = cols->n;
}

static struct table *join_step(struct report *r, const struct source *s,
                               const struct tl_join *x, struct table *t)
{
    if (!x->data.n || (!x->on.map && !x->on.names.node)) {
        tree_error(r->d, x->node, "'join' necesita 'data' y 'on'");
        return NULL;
    }
    const struct table *right = eval_data_dep(r, s, x->data.n);
    struct shape_join j = {.pos = eval_shape_pos(x->node)};
    j.prefix = x->prefix.v;
    if (!right)
        return NULL;
    join_keys(r, x, &j);
    join_pick(r, &x->columns, &j);
    return shape_join(r->a, r->d, t, right, &j);
}

static struct table *compute_step(struct report *r, const struct tl_pairs *p,
                                  struct table *t)
{
    struct expr_env env;
    eval_env(r, &env);
    /* One column at a time: each sees the columns computed before it. */
    for (size_t i = 0; t && i < p->n; i++) {
        struct shape_compute c = {.name = p->name[i]->text,
                                  .pos = eval_shape_pos(p->name[i])};
        if (!(c.e = eval_expr_parse(r, p->value[i], t, NULL, NULL)))
            return NULL;
        t = shape_compute(r->a, r->d, t, &c, 1, &env);
    }
    return t;
}

static struct table *where_step(struct report *r, const struct tnode *n,
                                const struct table *t)
{
    struct expr *e = eval_expr_parse(r, n, t, NULL, NULL);
    struct expr_env env;
    eval_env(r, &env);
    return e ? shape_filter(r->a, r->d, t, e, &env) : NULL;
}

static struct table *group_step(struct report *r, const struct tl_nodes *g,
                                const struct tl_pairs *agg, struct table *t)
{
    const char **keys = texts_of(r, g);
    struct shape_agg *aggs = arena_array(r->a, agg->n, sizeof *aggs);
    for (size_t i = 0; i < agg->n; i++) {
        aggs[i].name = agg->name[i]->text;
        aggs[i].pos = eval_shape_pos(agg->name[i]);
        if (!(aggs[i].e = eval_expr_parse(r, agg->value[i], NULL, t, NULL)))
            return NULL;
    }
    struct expr_env env;
    eval_env(r, &env);
    return shape_group(r->a, r->d, t, keys, g->n, eval_shape_pos(g->node), aggs,
                       agg->n, &env);
}

static struct table *order_step(struct report *r, const struct tl_nodes *sort,
                                const struct tl_int *limit, struct table *t)
{
    struct shape_key *keys;
    size_t nkeys;
    if (sort->node && (!eval_sort_keys(r, sort, &keys, &nkeys) ||
                       !(t = shape_sort(r->a, r->d, t, keys, nkeys))))
        return NULL;
    return limit->n ? shape_limit(r->a, t, (size_t)limit->v) : t;
}

/* The steps of source s, in the documented order whatever the order of
 * its keys. */
static bool shape_source(struct report *r, struct source *s,
                         const struct table *in, const struct table **out)
{
    const struct tl_source *x = s->tl;
    struct table *t = arena_alloc(r->a, sizeof *t);
    *t = *in;
    if (t && x->rename.node)
        t = rename_step(r, &x->rename, t);
    if (t && x->unpivot)
        t = unpivot_step(r, x->unpivot, t);
    if (t && x->join)
        t = join_step(r, s, x->join, t);
    if (t && x->compute.node)
        t = compute_step(r, &x->compute, t);
    /* A where that comes first reads in itself (the same rows): a table
     * that lasts the run has an index in a burst (eval_table_lasts). */
    bool first = !x->rename.node && !x->unpivot && !x->join && !x->compute.node;
    if (t && x->where.n)
        t = where_step(r, x->where.n, first ? in : t);
    if (t && x->group_by.node)
        t = group_step(r, &x->group_by, &x->aggregate, t);
    if (t)
        t = order_step(r, &x->sort, &x->limit, t);
    if (t)
        t->name = s->name;
    *out = t;
    return t != NULL;
}

/* The `columns:` map as type requests at their template positions. */
static void type_requests(struct report *r, const struct tl_types *cols,
                          struct type_request **out, size_t *n)
{
    struct type_request *req = arena_array(r->a, cols->n, sizeof *req);
    for (size_t i = 0; i < cols->n; i++) {
        const struct tnode *k = cols->name[i];
        req[i] = (struct type_request){.column = k->text,
                                       .type = eval_vtype(cols->type[i]),
                                       .file = k->file,
                                       .line = k->line,
                                       .col = k->col};
    }
    *out = cols->node ? req : NULL;
    *n = cols->n;
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

static char delimiter(const struct tl_source *src)
{
    const char *d = src->delimiter.v;
    if (!d)
        return 0;
    return strcmp(d, "\\t") == 0 || strcmp(d, "tab") == 0 ? '\t' : d[0];
}

#define LISTED_FILES 10 /* CSV files a message names */

/* When the data file path (written rel) does not exist but its folder
 * does: an error that suggests the closest name and lists the CSV files
 * there. false when the file exists or its folder cannot be read (the
 * usual message then says why). */
static bool missing_data_file(struct report *r, const struct tnode *fn,
                              const char *path, const char *rel)
{
    struct stat st;
    if (stat(path, &st) == 0 || errno != ENOENT)
        return false;
    const char *slash = strrchr(path, '/');
    const char *dir =
        slash ? arena_strndup(r->a, path,
                              slash == path ? 1 : (size_t)(slash - path))
              : ".";
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return false;
    size_t n;
    const char **names = infile_list(r->a, dir, ".csv", &n);
    struct buf b;
    buf_init(&b);
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    const char *near = suggest_closest(base, names, n);
    if (near)
        buf_printf(&b, "; ¿quiso decir '%.*s%s'?", (int)(base - rel), rel,
                   near);
    if (n == 0)
        buf_printf(&b, " (la carpeta '%s' no tiene archivos CSV)", dir);
    else
        buf_printf(&b, " (archivos CSV en '%s': ", dir);
    for (size_t i = 0; i < n && i < LISTED_FILES; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
    if (n > LISTED_FILES)
        buf_printf(&b, " y %zu más", n - LISTED_FILES);
    if (n)
        buf_addc(&b, ')');
    diag_error_code(r->d, EXIT_NOINPUT, fn->file, fn->line, fn->col,
                    "no se puede leer el archivo de datos '%s': el archivo "
                    "no existe%s",
                    path, b.data);
    buf_release(&b);
    return true;
}

/* The columns of a file the template never names are not read
 * (eval_used.c): csvfile_options.unread. A column the template gives a
 * type is read, whatever name it is given by (csvfile_to_table types it:
 * its fields must be kept). */
struct unread_ctx {
    struct report *r;
    const struct source *s;
    struct arena *a;
    const bool *used;
    const struct type_request *req;
    size_t nreq;
};

static void unread_columns(void *ctx, const struct rawcsv *raw, bool *unread)
{
    struct unread_ctx *u = ctx;
    u->used = eval_used_columns(u->r, u->a, raw, u->s);
    for (size_t c = 0; u->used && c < raw->ncols; c++)
        unread[c] = !u->used[c];
    for (size_t i = 0; u->used && i < u->nreq; i++) {
        long c = csvfile_find_column(raw, u->req[i].column);
        if (c >= 0)
            unread[c] = false;
    }
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
    type_requests(r, &s->tl->columns, &req, &nreq);
    if (r->opt.files && !mem) {
        diag_error_code(r->d, EXIT_NOINPUT, fn->file, fn->line, fn->col,
                        "no se puede leer el archivo de datos '%s': el "
                        "archivo no existe",
                        path);
        return false;
    }
    if (!mem && missing_data_file(r, fn, path, rel))
        return false;
    if (!mem && !eval_input_path(r, fn, path, "el archivo de datos"))
        return false;
    struct infile_ref ref = {fn->file, fn->line, fn->col};
    struct arena *scratch = arena_new();
    struct unread_ctx uc = {r, s, scratch, NULL, req, nreq};
    struct csvfile_options co = {.delimiter = delimiter(s->tl),
                                 .ref = &ref,
                                 .unread = unread_columns,
                                 .ctx = &uc};
    /* The raw fields are only needed for typing: they get an arena of
     * their own, given to the report's arena as soon as the table holds
     * its copies (what the report allocates next fills the memory they
     * took). Only the columns the template may read are typed
     * (eval_used.c). */
    struct rawcsv raw;
    struct table *t = arena_alloc(r->a, sizeof *t);
    bool ok = (mem ? csvfile_read_mem(scratch, r->d, mem->name, mem->data,
                                      mem->len, &co, &raw)
                   : csvfile_read_file(scratch, r->d, path, &co, &raw)) &&
              csvfile_to_table_used(r->a, r->d, &raw, req, nreq, uc.used, t);
    arena_recycle(scratch, r->a);
    /* typed: a message about the file from now on reads it again (a
     * source in memory is given its text back as it was read) */
    csvfile_release(r->d, &raw);
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
    struct source *up = eval_source_find(r, n->text);
    if (!up) {
        tree_error(r->d, n, "fuente de datos desconocida '%s'", n->text);
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

static struct table *filter_rows(struct report *r, const struct table *t,
                                 size_t c, const char *value);

/* The table a source starts from: its file (read once) or its upstream. */
static bool base_table(struct report *r, struct source *s,
                       const struct table **out)
{
    const struct tnode *fn = s->tl->file.n, *from = s->tl->from.n;
    if (fn && !read_file(r, s, fn, &s->base))
        return false;
    if (fn && !r->burst_column)
        s->load_base = s->base;
    if (fn)
        *out = s->base;
    else if (from)
        *out = eval_data_dep(r, s, from);
    else
        tree_error(r->d, s->tl->node, "la fuente '%s' necesita 'file' o 'from'",
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
        t = filter_rows(r, t, (size_t)c, r->burst_value);
    ok = ok && shape_source(r, s, t, &s->table);
    if (loading)
        s->full = s->table;
    r->loading = outer;
    s->state = ok ? SRC_DONE : SRC_FAILED;
    return ok;
}

bool eval_data_load(struct report *r)
{
    const struct tl_source_list *data = &r->tpl->data;
    if (!data->node)
        return true;
    r->srcs = arena_array(r->a, data->n, sizeof *r->srcs);
    r->nsrcs = data->n;
    for (size_t i = 0; i < data->n; i++) {
        r->srcs[i].name = data->v[i].key->text;
        r->srcs[i].tl = &data->v[i];
        r->srcs[i].burst = data->v[i].burst.v;
    }
    r->burst_column = r->burst_value = NULL;
    bool ok = true;
    for (size_t i = 0; i < r->nsrcs && !diag_full(r->d); i++) {
        ok = load_source(r, &r->srcs[i]) && ok;
    }
    return ok;
}

/* The rows of t whose column c reads as value: from an index when t
 * lasts (each report reads only its rows), else by reading every row. */
static struct table *filter_rows(struct report *r, const struct table *t,
                                 size_t c, const char *value)
{
    if (eval_table_lasts(r, t)) {
        const size_t *rows;
        size_t n;
        eval_rowindex_rows(eval_rowindex_get(r, t, c), value, &rows, &n);
        return table_pick(r->a, t, rows, n);
    }
    size_t *rows = xmalloc((t->nrows ? t->nrows : 1) * sizeof *rows), n = 0;
    for (size_t row = 0; row < t->nrows; row++) {
        const char *text = eval_value_text(r, &table_cell(t, row, c)->v);
        if (strcmp(text, value) == 0)
            rows[n++] = row;
    }
    struct table *v = table_pick(r->a, t, rows, n);
    free(rows);
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
