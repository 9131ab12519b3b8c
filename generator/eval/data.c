/* eval_data: reads every source of `data:` (a CSV file or another source)
 * in dependency order and runs its shaping steps; burst views. */
#include "eval/internal.h"
#include "data/csvfile.h"
#include "data/fmt.h"

#include <string.h>

struct source *eval_source_find(struct report *r, const char *name)
{
    for (size_t i = 0; i < r->nsrcs; i++)
        if (strcmp(r->srcs[i].name, name) == 0)
            return &r->srcs[i];
    return NULL;
}

const char *eval_value_text(struct report *r, const struct value *v)
{
    if (v->type == V_TEXT)
        return v->text;
    if (v->type == V_MISSING)
        return "";
    struct numfmt f = {.kind = NF_AUTO,
                       .decimals = -1,
                       .pct_space = r->pct_space,
                       .missing = ""};
    struct buf b;
    buf_init(&b);
    fmt_value(&b, v, &f);
    const char *s = arena_strdup(r->a, b.data);
    buf_release(&b);
    return s;
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
    return s->burst ? up->table : up->full; /* burst: false sees every row */
}

static struct table *filter_rows(struct report *r, const struct table *t,
                                 size_t c, const char *value);

/* The table a source starts from: its file (read once) or its upstream. */
static bool base_table(struct report *r, struct source *s,
                       const struct table **out)
{
    const struct tnode *fn = tree_get(s->node, "file");
    const struct tnode *from = tree_get(s->node, "from");
    if (fn && !read_file(r, s, fn, &s->base))
        return false;
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
    const struct table *t = NULL;
    bool ok = base_table(r, s, &t);
    const char *col = r->burst_column;
    long c = ok && col ? table_find_column(t, col) : -1;
    if (c >= 0 && s->burst)
        t = filter_rows(r, t, (size_t)c, r->burst_value);
    ok = ok && eval_shape_source(r, s, t, &s->table);
    if (!col)
        s->full = s->table;
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

/* The rows of t whose column c reads as value. */
static struct table *filter_rows(struct report *r, const struct table *t,
                                 size_t c, const char *value)
{
    struct table *v = arena_alloc(r->a, sizeof *v);
    *v = *t;
    v->cells = arena_array(r->a, t->nrows * t->ncols, sizeof *v->cells);
    v->nrows = 0;
    for (size_t row = 0; row < t->nrows; row++) {
        const char *s = eval_value_text(r, &table_cell(t, row, c)->v);
        if (strcmp(s, value) != 0)
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
    for (size_t i = 0; i < r->nsrcs; i++) {
        r->srcs[i].table = r->srcs[i].full;
        r->srcs[i].state = on ? SRC_TODO : SRC_DONE;
    }
    bool ok = true;
    for (size_t i = 0; on && i < r->nsrcs; i++)
        ok = load_source(r, &r->srcs[i]) && ok;
    return ok;
}
