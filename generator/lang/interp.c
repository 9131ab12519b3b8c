/* interp: the evaluator of the expression language: a parsed tree and an
 * environment (struct expr_env) give a value. It owns the walk of the
 * tree (left to right, and/or stopping at the first operand that
 * decides), names through the resolver, aggregates over the rows of a
 * source or group (fast on a plain column), the memo of share()'s
 * denominators, the per-evaluation cache of row-independent parts, and
 * the eval_work bound on the rows that aggregates visit, and the slots
 * where a name found under one cache is kept for the next rows. What operators,
 * functions and filters do to values is in ops. */
#include "lang/expr.h"

#include "base/limits.h"
#include "data/collate.h"
#include "data/fmt.h"
#include "lang/ast.h"
#include "lang/ops.h"
#include "lang/resolve.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool interp(const struct expr *e, const struct expr_env *env,
                   struct diag *d, struct value *out);

struct cache_item {
    const struct expr *e;
    struct value v;
};

struct expr_cache {
    struct arena *a;
    struct cache_item *v; /* a handful: the hoisted nodes of a loop */
    size_t n, cap;
    uint64_t own;   /* rows visited, when this cache is the outermost */
    uint64_t *work; /* the counter charged: own, or the outer cache's */
    uint64_t epoch; /* names' slots kept under this cache carry it */
};

/* Every cache, and every reset of one, takes an epoch never used before,
 * so a slot kept under an earlier cache (or one since reset, or one whose
 * storage is reused) is never taken for the current one. */
static uint64_t last_epoch;

static uint64_t new_epoch(void)
{
    return ++last_epoch;
}

struct expr_cache *expr_cache_new(struct arena *a)
{
    struct expr_cache *c = arena_alloc(a, sizeof *c);
    c->a = a;
    c->work = &c->own;
    c->epoch = new_epoch();
    return c;
}

void expr_cache_reset(struct expr_cache *c)
{
    c->n = 0;
    c->epoch = new_epoch();
}

uint64_t expr_cache_work(const struct expr_cache *c)
{
    return *c->work;
}

/* What a parameter's look-up found, for the resolver. */
struct param_value {
    const struct expr_env *env;
    struct value *out;
};

static bool param_value(void *self, const char *name)
{
    struct param_value *p = self;
    return p->env->param && p->env->param(p->env->ctx, name, p->out);
}

/* The value of a name (bare, dotted, or params.x) in the current row,
 * looked up by its text. A dotted name of another source than the row's is
 * an error here: only an aggregate sees a source's rows. A column of the
 * row or a parameter is also written to *keep (when not NULL). */
static bool find_name(const struct expr *e, const struct expr_env *env,
                      struct diag *d, struct value *out, struct expr_slot *keep)
{
    const struct table *rt = env->row_table;
    bool live = rt && env->row < rt->nrows;
    struct param_value pv = {env, out};
    struct resolver r = {
        .row = live ? rt : NULL,
        .hint = rt,
        .row_source = live ? rt : NULL,
        .source = env->source,
        .ctx = env->ctx,
        .param = param_value,
        .self = &pv,
        .page = env->keep_page,
    };
    struct resolved x;
    if (e->kind == E_PARAM)
        x.kind = RESOLVE_PARAM;
    else if (!(e->kind == E_NAME ? resolve_name(&r, d, e, &x)
                                 : resolve_field(&r, d, e, &x)))
        return false;
    switch (x.kind) {
    case RESOLVE_ROW:
        *out = table_cell(x.t, env->row, x.col)->v;
        if (keep)
            *keep = (struct expr_slot){.t = rt, .col = x.col};
        return true;
    case RESOLVE_SOURCE:
        ast_error(d, e,
                  "'%s.%s' fuera de una agregación: use por ejemplo "
                  "sum(%s.%s) o first(%s.%s)",
                  e->text, e->text2, e->text, e->text2, e->text, e->text2);
        return false;
    case RESOLVE_PARAM:
        if (e->kind == E_PARAM && !resolve_param(&r, d, e))
            return false;
        if (keep)
            *keep = (struct expr_slot){
                .t = live ? rt : NULL, .param = true, .v = *out};
        return true;
    case RESOLVE_TODAY:
        *out = ops_date(env->today);
        return true;
    case RESOLVE_PAGE:
        *out = ops_text("{page}");
        return true;
    case RESOLVE_PAGES:
        *out = ops_text("{pages}");
        return true;
    }
    return false;
}

/* A name under a cache is looked up by its text on the first row only:
 * what it was found to be (a column of the row's table, or a parameter's
 * value, which the cache promises not to change) is kept in its slot and
 * read from there while the cache and the row's table are the same. */
static bool slot_read(const struct expr *e, const struct expr_env *env,
                      struct value *out)
{
    const struct table *rt = env->row_table;
    const struct table *live = rt && env->row < rt->nrows ? rt : NULL;
    const struct expr_slot *slot = e->slot;
    if (slot && slot->epoch == env->cache->epoch && slot->t == live) {
        *out = slot->param ? slot->v : table_cell(rt, env->row, slot->col)->v;
        return true;
    }
    return false;
}

static bool interp_name(const struct expr *e, const struct expr_env *env,
                        struct diag *d, struct value *out)
{
    struct expr_slot *slot = env->cache ? e->slot : NULL;
    if (slot && slot_read(e, env, out))
        return true;
    struct expr_slot kept = {0};
    if (!find_name(e, env, d, out, slot ? &kept : NULL))
        return false;
    if (slot && (kept.param || kept.t)) {
        *slot = kept;
        slot->epoch = env->cache->epoch;
    }
    return true;
}

/* The rows an aggregate runs over. */
struct rows {
    const struct table *t;
    const size_t *idx; /* NULL: every row */
    size_t n;
};

static size_t row_at(const struct rows *r, size_t i)
{
    return r->idx ? r->idx[i] : i;
}

struct memo_item {
    const struct expr *e;
    const struct table *t;
    double total;
};

struct expr_memo {
    struct arena *a;
    struct memo_item *v;
    size_t n, cap;
};

struct expr_memo *expr_memo_new(struct arena *a)
{
    struct expr_memo *m = arena_alloc(a, sizeof *m);
    m->a = a;
    return m;
}

static struct memo_item *memo_find(struct expr_memo *m, const struct expr *e,
                                   const struct table *t)
{
    if (!m)
        return NULL;
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].e == e && m->v[i].t == t)
            return &m->v[i];
    return NULL;
}

static void memo_add(struct expr_memo *m, const struct expr *e,
                     const struct table *t, double total)
{
    if (!m)
        return;
    m->v = arena_grow(m->a, m->v, &m->cap, m->n + 1, sizeof *m->v);
    m->v[m->n++] = (struct memo_item){e, t, total};
}

/* An order in which equal values (by collate_values, for which two texts
 * are equal only when identical) are adjacent; cheaper than the
 * collation, which counting distinct values does not need. */
static int cmp_for_distinct(const void *x, const void *y)
{
    const struct value *a = x, *b = y;
    if (a->type == V_TEXT && b->type == V_TEXT) {
        int c = strcmp(a->text, b->text);
        return c < 0 ? -1 : c > 0;
    }
    return collate_values(a, b);
}

static void too_much_work(struct diag *d, const struct expr *e)
{
    limits_exceeded(d, LIMIT_EVAL_WORK, e->file, e->line, e->col,
                    "el trabajo de esta expresión");
}

bool expr_index_rows(const struct expr *cond, const struct table *t,
                     struct expr_env *env, struct diag *d, const size_t **rows,
                     size_t *n)
{
    *rows = NULL;
    size_t col;
    const struct expr *key;
    if (!env->rows_eq || t->nrows == 0 ||
        !expr_column_eq(cond, t, &col, &key) || t->cols[col].type != V_TEXT)
        return true;
    struct value v;
    env->row = 0;
    if (!interp(key, env, d, &v))
        return false;
    const size_t *idx;
    size_t k;
    /* an empty text or a missing value also matches missing cells */
    if (v.type == V_TEXT && v.text[0] &&
        env->rows_eq(env->ctx, t, col, v.text, &idx, &k)) {
        *rows = idx;
        *n = k;
    }
    return true;
}

static bool interp_aggregate(const struct expr *e, const struct expr_env *env,
                             struct diag *d, struct value *out)
{
    const struct expr *arg = e->nargs ? e->args[0] : NULL;
    struct rows rows = {0};
    struct resolver names = {
        .implicit = env->group_table ? env->group_table : env->row_table,
        .source = env->source,
        .ctx = env->ctx,
    };
    struct resolved_rows over;
    if (!resolve_aggregate(&names, d, e, &over))
        return false;
    long col = -1;                 /* fast path: the argument is a column */
    const struct expr *vexp = arg; /* else evaluated per row */
    bool whole_rows = arg == NULL || over.kind == ROWS_SOURCE;
    const struct table *src = over.kind == ROWS_IMPLICIT ? NULL : over.t;
    if (src) {
        rows.t = src;
        if (env->group_table && resolve_same_table(env->group_table, src)) {
            rows.t = env->group_table;
            rows.idx = env->group_rows;
            rows.n = env->group_rows ? env->group_n : env->group_table->nrows;
        } else {
            rows.n = src->nrows;
        }
    } else if (env->group_table) {
        rows.t = env->group_table;
        rows.idx = env->group_rows;
        rows.n = env->group_rows ? env->group_n : env->group_table->nrows;
    } else {
        rows.t = env->row_table;
        rows.n = rows.t->nrows;
    }
    /* A plain column is read straight from the cells (the common case,
     * and the one that must stay fast on 20,000 rows). */
    if (arg && arg->kind == E_FIELD)
        col = table_find_column(rows.t, arg->text2);
    else if (arg && arg->kind == E_NAME && !whole_rows)
        col = table_find_column(rows.t, arg->text);

    /* Every row the loop visits is charged to the evaluation's counter
     * (env->cache is set by expr_eval). */
    struct expr_cache local = {.a = env->a, .epoch = new_epoch()};
    local.work = env->cache ? env->cache->work : &local.own;
    uint64_t budget = (uint64_t)limit(LIMIT_EVAL_WORK);
    struct expr_env sub = *env;
    sub.row_table = rows.t;
    sub.cache = &local;
    const size_t *idx = NULL;
    /* a where `column = key` over every row: the rows of key's text */
    if (e->where && !rows.idx && rows.n &&
        !expr_index_rows(e->where, rows.t, &sub, d, &idx, &rows.n))
        return false;
    if (idx)
        rows.idx = idx;
    enum fn fn = (enum fn)e->op;
    double sum = 0, wsum = 0, total = 0;
    size_t count = 0;
    enum vtype t0 = V_MISSING;
    bool mixed = false;
    struct value best = ops_missing(), first = ops_missing(),
                 last = ops_missing();
    bool seen = false;
    struct value *vals = NULL;
    if (fn == F_DISTINCT)
        vals = xmalloc((rows.n ? rows.n : 1) * sizeof *vals);
    bool ok = true;
    for (size_t i = 0; i < rows.n && ok; i++) {
        size_t r = row_at(&rows, i);
        sub.row = r;
        if (++*local.work > budget) {
            too_much_work(d, e);
            ok = false;
            break;
        }
        if (e->where) {
            bool keep;
            if (!expr_eval_cond(e->where, &sub, d, &keep)) {
                ok = false;
                break;
            }
            if (!keep)
                continue;
        }
        if (whole_rows) {
            count++;
            continue;
        }
        struct value v;
        if (col >= 0)
            v = table_cell(rows.t, r, (size_t)col)->v;
        else if (!interp(vexp, &sub, d, &v)) {
            ok = false;
            break;
        }
        if (!seen) {
            first = v;
            seen = true;
        }
        last = v;
        if (v.type == V_MISSING)
            continue;
        if (fn == F_SUM || fn == F_MEAN || fn == F_SHARE || fn == F_WMEAN) {
            if (!ops_is_num(v.type) && v.type != V_BOOL) {
                const char *what = col >= 0 ? rows.t->cols[col].name : "";
                ast_error(d, arg,
                          "no se puede calcular %s de valores de tipo %s%s%s%s",
                          resolve_fn_info(fn)->name, value_type_name(v.type),
                          col >= 0 ? " (columna '" : "", what,
                          col >= 0 ? "')" : "");
                ok = false;
                break;
            }
        }
        if (t0 == V_MISSING)
            t0 = v.type;
        else if (t0 != v.type)
            mixed = true;
        switch (fn) {
        case F_WMEAN: {
            struct value w;
            if (!interp(e->args[1], &sub, d, &w)) {
                ok = false;
                break;
            }
            if (w.type == V_MISSING)
                break;
            if (!ops_is_num(w.type)) {
                ast_error(d, e->args[1],
                          "el peso de wmean debe ser un número, no %s",
                          value_type_name(w.type));
                ok = false;
                break;
            }
            sum += v.num * w.num;
            wsum += w.num;
            count++;
            break;
        }
        case F_MIN:
        case F_MAX: {
            int c = best.type == V_MISSING ? 0 : ops_order(&v, &best);
            if (c == 2) {
                ast_error(d, arg, "no se puede comparar %s con %s",
                          value_type_name(v.type), value_type_name(best.type));
                ok = false;
                break;
            }
            if (best.type == V_MISSING || (fn == F_MIN ? c < 0 : c > 0))
                best = v;
            count++;
            break;
        }
        case F_DISTINCT:
            vals[count++] = v;
            break;
        default:
            sum += v.num;
            count++;
            break;
        }
    }
    const struct memo_item *mi =
        fn == F_SHARE ? memo_find(env->memo, e, rows.t) : NULL;
    if (mi)
        total = mi->total;
    if (ok && fn == F_SHARE && !mi) {
        /* The denominator: every row of the table, no where, no group. */
        const struct table *tt = rows.t;
        long tc = col;
        for (size_t r = 0; r < tt->nrows && ok; r++) {
            struct value v;
            if (++*local.work > budget) {
                too_much_work(d, e);
                ok = false;
                break;
            }
            if (tc >= 0) {
                v = table_cell(tt, r, (size_t)tc)->v;
            } else {
                sub.row = r;
                if (!interp(vexp, &sub, d, &v)) {
                    ok = false;
                    break;
                }
            }
            if (ops_is_num(v.type) || v.type == V_BOOL)
                total += v.num;
        }
        if (ok)
            memo_add(env->memo, e, rows.t, total);
    }
    if (!ok) {
        free(vals);
        return false;
    }
    enum vtype ct = col >= 0 ? rows.t->cols[col].type : t0;
    if (mixed || ct == V_MISSING)
        ct = t0;
    switch (fn) {
    case F_COUNT:
        *out = ops_num(V_INT, (double)count);
        break;
    case F_SUM:
        *out = ops_num(ct == V_INT || ct == V_BOOL ? V_INT
                       : ct == V_MONEY && !mixed   ? V_MONEY
                                                   : V_NUMBER,
                       sum);
        break;
    case F_MEAN:
    case F_WMEAN: {
        double den = fn == F_MEAN ? (double)count : wsum;
        if (count == 0 || den == 0) {
            *out = ops_missing();
            break;
        }
        enum vtype rt =
            (ct == V_PERCENT || ct == V_MONEY) && !mixed ? ct : V_NUMBER;
        *out = ops_num(rt, sum / den);
        break;
    }
    case F_MIN:
    case F_MAX:
        *out = best;
        break;
    case F_SHARE:
        *out =
            total == 0 ? ops_missing() : ops_num(V_PERCENT, sum / total * 100);
        break;
    case F_DISTINCT: {
        qsort(vals, count, sizeof *vals, cmp_for_distinct);
        size_t k = count ? 1 : 0;
        for (size_t i = 1; i < count; i++)
            if (cmp_for_distinct(&vals[i - 1], &vals[i]) != 0)
                k++;
        *out = ops_num(V_INT, (double)k);
        break;
    }
    case F_FIRST:
        *out = first;
        break;
    case F_LAST:
        *out = last;
        break;
    default:
        *out = ops_missing();
        break;
    }
    free(vals);
    return true;
}

static bool interp_call(const struct expr *e, const struct expr_env *env,
                        struct diag *d, struct value *out)
{
    if (e->op <= F_LAST)
        return interp_aggregate(e, env, d, out);
    struct value a;
    if (e->op == F_COALESCE) {
        for (size_t i = 0; i < e->nargs; i++) {
            if (!interp(e->args[i], env, d, out))
                return false;
            if (out->type != V_MISSING)
                return true;
        }
        return true;
    }
    if (e->op == F_IF) {
        bool c;
        if (!expr_eval_cond(e->args[0], env, d, &c))
            return false;
        return interp(e->args[c ? 1 : 2], env, d, out);
    }
    if (!interp(e->args[0], env, d, &a))
        return false;
    if (a.type == V_MISSING) {
        *out = a;
        return true;
    }
    switch ((enum fn)e->op) {
    case F_ROUND:
    case F_ABS: {
        if (!ops_is_num(a.type)) {
            ast_error(d, e, "'%s' espera un número, no %s",
                      resolve_fn_info(e->op)->name, value_type_name(a.type));
            return false;
        }
        if (e->op == F_ABS) {
            *out = ops_num(a.type, fabs(a.num));
            return true;
        }
        long n = 0;
        if (e->nargs > 1) {
            struct value nv;
            if (!interp(e->args[1], env, d, &nv))
                return false;
            if (nv.type != V_INT || nv.num < 0 || nv.num > 10) {
                ast_error(
                    d, e->args[1],
                    "los decimales de round deben ser un entero de 0 a 10");
                return false;
            }
            n = (long)nv.num;
        }
        *out = ops_num(a.type, ops_round(a.num, (int)n));
        return true;
    }
    case F_YEAR:
    case F_MONTH:
    case F_DAY: {
        if (a.type != V_DATE) {
            ast_error(d, e, "'%s' espera una fecha, no %s",
                      resolve_fn_info(e->op)->name, value_type_name(a.type));
            return false;
        }
        int y;
        unsigned m, dd;
        date_to_ymd(a.days, &y, &m, &dd);
        *out = ops_num(V_INT, e->op == F_YEAR    ? y
                              : e->op == F_MONTH ? (double)m
                                                 : (double)dd);
        return true;
    }
    case F_UPPER:
    case F_LOWER: {
        const char *s = a.text;
        if (a.type != V_TEXT) {
            struct buf b;
            buf_init(&b);
            fmt_value(&b, &a, NULL);
            s = arena_strndup(env->a, b.data, b.len);
            buf_release(&b);
        }
        *out = ops_text(ops_change_case(env->a, s, e->op == F_UPPER));
        return true;
    }
    default:
        *out = ops_missing();
        return true;
    }
}

static bool interp_filter(const struct expr *e, const struct expr_env *env,
                          struct diag *d, struct value *out)
{
    struct value v;
    return interp(e->l, env, d, &v) && ops_filter(e, env, d, &v, out);
}

/* l op r: both operands, then the comparison. */
static bool interp_cmp(const struct expr *e, const struct expr_env *env,
                       struct diag *d, struct value *out)
{
    struct value a, b;
    bool t;
    if (!interp(e->l, env, d, &a) || !interp(e->args[0], env, d, &b) ||
        !ops_compare(e, e->op, &a, &b, d, &t))
        return false;
    *out = ops_bool(t);
    return true;
}

static bool interp_node(const struct expr *e, const struct expr_env *env,
                        struct diag *d, struct value *out)
{
    struct value a, b;
    bool ta, tb;
    switch (e->kind) {
    case E_NUM:
        *out = ops_num(e->numtype, e->num);
        return true;
    case E_STR:
        *out = ops_text(e->text);
        return true;
    case E_DATE:
        *out = ops_date(e->days);
        return true;
    case E_NAME:
    case E_FIELD:
    case E_PARAM:
        return interp_name(e, env, d, out);
    case E_NEG:
        if (!interp(e->l, env, d, &a))
            return false;
        if (a.type == V_MISSING) {
            *out = a;
            return true;
        }
        if (!ops_is_num(a.type)) {
            ast_error(d, e, "no se puede aplicar '-' a %s",
                      value_type_name(a.type));
            return false;
        }
        *out = ops_num(a.type, -a.num);
        return true;
    case E_NOT:
        if (!interp(e->l, env, d, &a) || !ops_truth(e->l, &a, d, &ta))
            return false;
        *out = ops_bool(!ta);
        return true;
    case E_ARITH:
        /* From left to right, as ((l op a0) op a1) ... */
        if (!interp(e->l, env, d, &a))
            return false;
        for (size_t i = 0; i < e->nargs; i++) {
            struct value r;
            if (!interp(e->args[i], env, d, &b) ||
                !ops_arith(e->steps[i], env, d, &a, &b, &r))
                return false;
            a = r;
        }
        *out = a;
        return true;
    case E_AND:
    case E_OR:
        /* The first operand that decides (false for and, true for or)
         * ends the evaluation. */
        for (size_t i = 0; i <= e->nargs; i++) {
            const struct expr *x = i == 0 ? e->l : e->args[i - 1];
            if (!interp(x, env, d, &a) || !ops_truth(x, &a, d, &ta))
                return false;
            if (ta == (e->kind == E_OR)) {
                *out = ops_bool(ta);
                return true;
            }
        }
        *out = ops_bool(e->kind == E_AND);
        return true;
    case E_CMP:
        return interp_cmp(e, env, d, out);
    case E_IN:
        if (!interp(e->l, env, d, &a))
            return false;
        for (size_t i = 0; i < e->nargs; i++) {
            if (!interp(e->args[i], env, d, &b) ||
                !ops_compare(e->args[i], OP_EQ, &a, &b, d, &ta))
                return false;
            if (ta) {
                *out = ops_bool(true);
                return true;
            }
        }
        *out = ops_bool(false);
        return true;
    case E_BETWEEN: {
        struct value c;
        if (!interp(e->l, env, d, &a) || !interp(e->args[0], env, d, &b) ||
            !interp(e->args[1], env, d, &c) ||
            !ops_compare(e, OP_GE, &a, &b, d, &ta) ||
            !ops_compare(e, OP_LE, &a, &c, d, &tb))
            return false;
        *out = ops_bool(ta && tb);
        return true;
    }
    case E_CALL:
        return interp_call(e, env, d, out);
    case E_FILTER:
        return interp_filter(e, env, d, out);
    }
    return false;
}

/* A row-independent part is computed once per cache: on a miss it is
 * evaluated and remembered (failures are not, so every row that reaches
 * it reports as before). What the rows of a where or a compute evaluate
 * most, a name already kept in its slot and a comparison, is taken
 * without the general walk of interp_node (the same steps, in the same
 * order). */
static bool interp(const struct expr *e, const struct expr_env *env,
                   struct diag *d, struct value *out)
{
    struct expr_cache *c = env->cache;
    if (!e->hoist || !c || !c->a) {
        if (c && e->slot && slot_read(e, env, out))
            return true;
        if (e->kind == E_CMP)
            return interp_cmp(e, env, d, out);
        return interp_node(e, env, d, out);
    }
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].e == e) {
            *out = c->v[i].v;
            return true;
        }
    if (!interp_node(e, env, d, out))
        return false;
    c->v = arena_grow(c->a, c->v, &c->cap, c->n + 1, sizeof *c->v);
    c->v[c->n++] = (struct cache_item){e, *out};
    return true;
}

/* The value of an operand that costs no evaluation on this row: a
 * constant, a name kept in its slot, or a row-independent part already
 * computed under env's cache; false when it must go through interp. */
static bool warm(const struct expr *e, const struct expr_env *env,
                 struct value *out)
{
    const struct expr_cache *c = env->cache;
    switch (e->kind) {
    case E_NUM:
        *out = ops_num(e->numtype, e->num);
        return true;
    case E_STR:
        *out = ops_text(e->text);
        return true;
    default:
        break;
    }
    if (e->hoist && c->a) {
        for (size_t i = 0; i < c->n; i++)
            if (c->v[i].e == e) {
                *out = c->v[i].v;
                return true;
            }
        return false;
    }
    return e->slot && slot_read(e, env, out);
}

/* What a where or a compute evaluates on every row, "column op constant"
 * or "column op column", once its operands are warm: the comparison or
 * the arithmetic of the general walk (interp_cmp, E_ARITH), the same
 * steps on the same values, without the walk. false: not such a node, or
 * an operand not warm yet (the first row), and *handled false. */
static bool eval_direct(const struct expr *e, const struct expr_env *env,
                        struct diag *d, struct value *out, bool *handled)
{
    struct value a, b;
    *handled = false;
    if (!env->cache || e->hoist ||
        !(e->kind == E_CMP || (e->kind == E_ARITH && e->nargs == 1)) ||
        !warm(e->l, env, &a) || !warm(e->args[0], env, &b))
        return false;
    *handled = true;
    if (e->kind == E_ARITH)
        return ops_arith(e->steps[0], env, d, &a, &b, out);
    bool t;
    if (!ops_compare(e, e->op, &a, &b, d, &t))
        return false;
    *out = ops_bool(t);
    return true;
}

bool expr_eval(const struct expr *e, const struct expr_env *env, struct diag *d,
               struct value *out)
{
    bool handled;
    if (eval_direct(e, env, d, out, &handled))
        return true;
    if (handled) {
        *out = ops_missing();
        return false;
    }
    *out = ops_missing();
    /* Without the caller's cache, this one evaluation has its own: one
     * budget of eval_work for all its aggregates. */
    struct expr_env own;
    struct expr_cache c;
    if (!env->cache) {
        c = (struct expr_cache){.a = env->a, .epoch = new_epoch()};
        c.work = &c.own;
        own = *env;
        own.cache = &c;
        env = &own;
    }
    if (!interp(e, env, d, out)) {
        *out = ops_missing();
        return false;
    }
    return true;
}

bool expr_eval_cond(const struct expr *e, const struct expr_env *env,
                    struct diag *d, bool *out)
{
    struct value v;
    *out = false;
    return expr_eval(e, env, d, &v) && ops_truth(e, &v, d, out);
}

bool expr_format(const struct expr *e, const struct expr_env *env,
                 struct diag *d, struct buf *out)
{
    struct value v;
    if (!expr_eval(e, env, d, &v))
        return false;
    struct numfmt nf = {NF_AUTO, -1, env->pct_space, env->missing};
    fmt_value(out, &v, &nf);
    return true;
}
