/* eval_expr: the bridge to the expression language: the environment and
 * scope a report gives expressions (sources, parameters, `report.x`),
 * template strings and row or group expressions, checked then evaluated. */
#include "eval/internal.h"
#include "lang/expr.h"

#include <string.h>

struct eval_expr {
    struct expr *e;
    enum vtype type; /* as expr_check infers it; V_MISSING: unknown */
    /* What does not depend on the row, computed once over the rows of
     * cache_t (a compiled expression lives for one document, so for one
     * set of parameter values). */
    struct expr_cache *cache;
    const struct table *cache_t;
};

static const struct table *env_source(void *ctx, const char *name)
{
    struct source *s = eval_source_find(ctx, name);
    return s ? s->table : NULL;
}

/* "report.title" and the like: the report's text fields, rendered. A
 * field that names itself would loop, so depth is bounded. */
static bool report_field(struct report *r, const char *key, struct value *out)
{
    const struct tl_report *rep = r->tpl->report;
    const struct tnode *n = rep ? tree_get(rep->node, key) : NULL;
    if (!n || n->kind != TREE_SCALAR)
        return false;
    const char *s = n->text;
    if (out && r->depth < 4) {
        r->depth++;
        s = eval_render(r, n, false);
        r->depth--;
    }
    if (out)
        *out = (struct value){.type = V_TEXT, .text = s ? s : ""};
    return true;
}

static bool env_param(void *ctx, const char *name, struct value *out)
{
    struct report *r = ctx;
    if (strncmp(name, "report.", 7) == 0)
        return report_field(r, name + 7, out);
    struct param *p = eval_param_find(r, name);
    if (p)
        *out = p->v;
    return p != NULL;
}

/* A source being loaded whose expressions read the burst's parameter, a
 * report field (which may show it) or a source that is not shared, is
 * computed again for each report. */
static void note_param(struct report *r, const char *name)
{
    const char *col = r->opt.burst_column;
    if (r->loading && !r->burst_column && col &&
        (strcmp(name, col) == 0 || strncmp(name, "report.", 7) == 0))
        r->loading->shared = false;
}

static const struct table *scope_source(void *ctx, const char *name)
{
    struct report *r = ctx;
    struct source *s = eval_source_find(r, name);
    if (s && !s->shared && r->loading && !r->burst_column &&
        r->opt.burst_column)
        r->loading->shared = false;
    return s ? s->table : NULL;
}

static bool scope_param(void *ctx, const char *name, enum vtype *out)
{
    struct report *r = ctx;
    note_param(r, name);
    if (strncmp(name, "report.", 7) == 0) {
        *out = V_TEXT;
        return report_field(r, name + 7, NULL);
    }
    struct param *p = eval_param_find(r, name);
    if (p)
        *out = p->type;
    return p != NULL;
}

/* env->rows_eq: an index of a lasting table, in a burst only (where it
 * serves every report; for one report, building it costs more than the
 * one reading of the rows it saves). */
static bool env_rows_eq(void *ctx, const struct table *t, size_t col,
                        const char *key, const size_t **rows, size_t *n)
{
    struct report *r = ctx;
    if (!r->opt.burst_column || !eval_table_lasts(r, t))
        return false;
    eval_rowindex_rows(eval_rowindex_get(r, t, col), key, rows, n);
    return true;
}

void eval_env(struct report *r, struct expr_env *env)
{
    memset(env, 0, sizeof *env);
    env->a = r->a;
    env->ctx = r;
    env->source = env_source;
    env->param = env_param;
    struct param *hoy = eval_param_find(r, "hoy");
    env->today = hoy && hoy->v.type == V_DATE ? hoy->v.days : 0;
    env->pct_space = r->pct_space;
    env->missing = "";
    env->rows_eq = env_rows_eq;
}

static const char *scope_suggest(void *ctx, const char *name)
{
    return eval_param_suggest(ctx, name);
}

void eval_scope(struct report *r, struct expr_scope *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->ctx = r;
    sc->source = scope_source;
    sc->param = scope_param;
    sc->suggest_param = scope_suggest;
}

static void add_doubling_braces(struct buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '{' || s[i] == '}')
            buf_addc(b, s[i]);
        buf_addc(b, s[i]);
    }
}

/* Header and footer text for layout, which fills in {page} and {pages}:
 * every other brace (a written '{{', or one inside a value) is doubled so
 * that layout never mistakes it for a page number. */
static bool render_keeping_page(const struct expr_tmpl *t,
                                const struct expr_env *env, struct buf *out,
                                struct diag *d)
{
    bool ok = true;
    struct buf v;
    buf_init(&v);
    for (size_t i = 0; i < t->n; i++) {
        const struct expr_part *p = &t->parts[i];
        if (!p->is_expr) {
            add_doubling_braces(out, p->text, p->len);
            continue;
        }
        buf_clear(&v);
        if (!expr_format(p->e, env, d, &v)) {
            ok = false;
            continue;
        }
        const char *name = expr_name(p->e);
        bool page =
            name &&
            ((strcmp(name, "page") == 0 && strcmp(v.data, "{page}") == 0) ||
             (strcmp(name, "pages") == 0 && strcmp(v.data, "{pages}") == 0));
        if (page)
            buf_add(out, v.data, v.len);
        else
            add_doubling_braces(out, v.data, v.len);
    }
    buf_release(&v);
    return ok;
}

const char *eval_render(struct report *r, const struct tnode *n, bool keep_page)
{
    /* Most titles hold no expression: no need to parse them. */
    if (!memchr(n->text, '{', n->len) && !memchr(n->text, '}', n->len))
        return n->text;
    struct expr_at at;
    struct tree_cursor cur;
    eval_at(n, 0, &cur, &at);
    struct expr_tmpl *t;
    if (!expr_parse_template_at(r->a, r->d, n->text, n->len, &at, &t))
        return NULL;
    struct expr_scope sc;
    eval_scope(r, &sc);
    sc.allow_page = keep_page;
    if (!expr_tmpl_check(t, &sc, r->d))
        return NULL;
    struct expr_env env;
    eval_env(r, &env);
    env.keep_page = keep_page;
    struct buf b;
    buf_init(&b);
    bool ok = keep_page ? render_keeping_page(t, &env, &b, r->d)
                        : expr_tmpl_render(t, &env, &b, r->d);
    const char *out = ok ? arena_strndup(r->a, b.data, b.len) : NULL;
    buf_release(&b);
    return out;
}

const char *eval_piece_text(struct report *r, const struct tnode *n,
                            const struct tmpl_piece *p)
{
    struct expr *e;
    if (n) {
        struct expr_at at;
        struct tree_cursor cur;
        eval_at(n, p->off, &cur, &at);
        e = expr_parse_at(r->a, r->d, p->text, p->len, &at);
    } else {
        e = expr_parse(r->a, r->d, p->text, p->len, NULL, 0, 0);
    }
    struct expr_scope sc;
    eval_scope(r, &sc);
    if (!e || !expr_check(e, &sc, r->d, NULL))
        return NULL;
    struct expr_env env;
    eval_env(r, &env);
    struct buf b;
    buf_init(&b);
    const char *out = NULL;
    if (expr_format(e, &env, r->d, &b))
        out = arena_strndup(r->a, b.data, b.len);
    buf_release(&b);
    return out;
}

struct expr *eval_expr_parse(struct report *r, const struct tnode *n,
                             const struct table *row, const struct table *group,
                             enum vtype *type)
{
    struct expr_at at;
    struct tree_cursor cur;
    eval_at(n, 0, &cur, &at);
    struct expr *e = expr_parse_at(r->a, r->d, n->text, n->len, &at);
    struct expr_scope sc;
    eval_scope(r, &sc);
    sc.row_table = row;
    sc.group_table = group;
    return e && expr_check(e, &sc, r->d, type) ? e : NULL;
}

struct eval_expr *eval_expr_compile(struct report *r, const struct tnode *n,
                                    const struct table *t)
{
    enum vtype type = V_MISSING;
    struct expr *e = eval_expr_parse(r, n, t, t, &type);
    if (!e)
        return NULL;
    struct eval_expr *x = arena_alloc(r->a, sizeof *x);
    x->e = e;
    x->type = type;
    x->cache = expr_cache_new(r->a);
    x->cache_t = t;
    return x;
}

enum vtype eval_expr_type(const struct eval_expr *e)
{
    return e->type;
}

/* The environment of one row of t (bare aggregates run over all of t),
 * with e's cache: only the row changes from one call to the next. */
static void row_env(struct report *r, struct eval_expr *e, struct expr_env *env,
                    const struct table *t, size_t row)
{
    eval_env(r, env);
    env->row_table = t;
    env->row = row;
    env->group_table = t;
    if (e->cache_t != t) {
        expr_cache_reset(e->cache);
        e->cache_t = t;
    }
    env->cache = e->cache;
}

bool eval_expr_row(struct report *r, struct eval_expr *e, const struct table *t,
                   size_t row, struct value *out)
{
    struct expr_env env;
    row_env(r, e, &env, t, row);
    return expr_eval(e->e, &env, r->d, out);
}

bool eval_expr_keep(struct report *r, struct eval_expr *e,
                    const struct table *t, size_t *rows, size_t *n)
{
    /* one environment for every row: only the row changes */
    struct expr_env env;
    row_env(r, e, &env, t, 0);
    /* every row asked for, and a where `column = key`: the rows of key's
     * text */
    const size_t *idx = NULL;
    if (*n && *n == t->nrows && rows[0] == 0 && rows[*n - 1] == *n - 1 &&
        !expr_index_rows(e->e, t, &env, r->d, &idx, n))
        return false;
    if (idx && *n)
        memcpy(rows, idx, *n * sizeof *rows);
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        bool keep;
        env.row = rows[i];
        if (!expr_eval_cond(e->e, &env, r->d, &keep))
            return false;
        if (keep)
            rows[k++] = rows[i];
    }
    *n = k;
    return true;
}

bool eval_expr_rows(struct report *r, struct eval_expr *e,
                    const struct table *t, const size_t *rows, size_t n,
                    struct value *out)
{
    struct expr_env env;
    eval_env(r, &env);
    env.group_table = t;
    env.group_rows = rows;
    env.group_n = n;
    if (n > 0) {
        env.row_table = t;
        env.row = rows[0];
    }
    return expr_eval(e->e, &env, r->d, out);
}

const char *eval_expr_piece_safe(struct report *r, const char *pattern,
                                 struct buf *out,
                                 void (*add)(struct buf *, const char *))
{
    struct expr_tmpl *t;
    if (!expr_parse_template(r->a, r->d, pattern, strlen(pattern), NULL, 0, 0,
                             &t))
        return NULL;
    struct expr_scope sc;
    eval_scope(r, &sc);
    if (!expr_tmpl_check(t, &sc, r->d))
        return NULL;
    struct expr_env env;
    eval_env(r, &env);
    struct buf v;
    buf_init(&v);
    bool ok = true;
    for (size_t i = 0; ok && i < t->n; i++) {
        const struct expr_part *p = &t->parts[i];
        if (!p->is_expr) {
            buf_add(out, p->text, p->len);
            continue;
        }
        buf_clear(&v);
        ok = expr_format(p->e, &env, r->d, &v);
        add(out, v.data);
    }
    buf_release(&v);
    return ok ? arena_strndup(r->a, out->data, out->len) : NULL;
}
