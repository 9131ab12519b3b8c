/* resolve: the functions and filters of the language by name, and the
 * look-up of every other name against a struct resolver, with the
 * messages of an unknown one. */
#include "lang/resolve.h"
#include "lang/expr.h"

#include "base/buf.h"
#include "data/suggest.h"

#include <string.h>

static const struct resolve_fn fns[] = {
    [F_COUNT] = {"count", 0, 1},
    [F_SUM] = {"sum", 1, 1},
    [F_MEAN] = {"mean", 1, 1},
    [F_MIN] = {"min", 1, 1},
    [F_MAX] = {"max", 1, 1},
    [F_SHARE] = {"share", 1, 1},
    [F_WMEAN] = {"wmean", 2, 2},
    [F_DISTINCT] = {"distinct", 1, 1},
    [F_FIRST] = {"first", 1, 1},
    [F_LAST] = {"last", 1, 1},
    [F_ROUND] = {"round", 1, 2},
    [F_ABS] = {"abs", 1, 1},
    [F_COALESCE] = {"coalesce", 1, 64},
    [F_IF] = {"if", 3, 3},
    [F_YEAR] = {"year", 1, 1},
    [F_MONTH] = {"month", 1, 1},
    [F_DAY] = {"day", 1, 1},
    [F_UPPER] = {"upper", 1, 1},
    [F_LOWER] = {"lower", 1, 1},
};
#define NFNS (sizeof fns / sizeof fns[0])

static const char *const flt_names[] = {
    "number",  "integer", "plain", "percent", "money",   "date",
    "quarter", "month",   "upper", "lower",   "default",
};
#define NFLTS (sizeof flt_names / sizeof flt_names[0])

int resolve_function(struct diag *d, const char *file, unsigned line,
                     unsigned col, const char *name)
{
    size_t k = 0;
    while (k < NFNS && strcmp(fns[k].name, name) != 0)
        k++;
    if (k < NFNS)
        return (int)k;
    const char *names[NFNS];
    for (size_t j = 0; j < NFNS; j++)
        names[j] = fns[j].name;
    const char *s = suggest_closest(name, names, NFNS);
    if (s)
        diag_error(d, file, line, col,
                   "función desconocida '%s'; ¿quiso decir '%s'?", name, s);
    else
        diag_error(d, file, line, col, "función desconocida '%s'", name);
    return -1;
}

const struct resolve_fn *resolve_fn_info(int fn)
{
    return &fns[fn];
}

int resolve_filter(struct diag *d, const char *file, unsigned line,
                   unsigned col, const char *name)
{
    size_t k = 0;
    while (k < NFLTS && strcmp(flt_names[k], name) != 0)
        k++;
    if (k < NFLTS)
        return (int)k;
    const char *s = suggest_closest(name, flt_names, NFLTS);
    if (s)
        diag_error(d, file, line, col,
                   "filtro desconocido '%s'; ¿quiso decir '%s'?", name, s);
    else
        diag_error(d, file, line, col, "filtro desconocido '%s'", name);
    return -1;
}

const char *resolve_filter_name(int flt)
{
    return flt_names[flt];
}

static void unknown_column(struct diag *d, const struct expr *e,
                           const struct table *t, const char *name)
{
    const char *s = suggest_column(t, name);
    const char *tn = t && t->name ? t->name : "";
    if (s) {
        struct buf typed;
        buf_init(&typed);
        table_name_typed(&typed, s);
        ast_error(d, e, "columna desconocida '%s' en '%s'; ¿quiso decir '%s'?",
                  name, tn, typed.data);
        buf_release(&typed);
    } else {
        ast_error(d, e, "columna desconocida '%s' en '%s'", name, tn);
    }
}

static const struct table *find_source(const struct resolver *r,
                                       const char *name)
{
    return r->source ? r->source(r->ctx, name) : NULL;
}

static bool has_param(const struct resolver *r, const char *name)
{
    return r->param && r->param(r->self, name);
}

bool resolve_same_table(const struct table *a, const struct table *b)
{
    return a && b &&
           (a == b || (a->name && b->name && strcmp(a->name, b->name) == 0));
}

bool resolve_name(const struct resolver *r, struct diag *d,
                  const struct expr *e, struct resolved *out)
{
    if (r->row) {
        long c = table_find_column(r->row, e->text);
        if (c >= 0) {
            *out = (struct resolved){RESOLVE_ROW, r->row, (size_t)c};
            return true;
        }
    }
    if (has_param(r, e->text)) {
        out->kind = RESOLVE_PARAM;
        return true;
    }
    if (strcmp(e->text, "hoy") == 0) {
        out->kind = RESOLVE_TODAY;
        return true;
    }
    if (r->page &&
        (strcmp(e->text, "page") == 0 || strcmp(e->text, "pages") == 0)) {
        out->kind = strcmp(e->text, "page") == 0 ? RESOLVE_PAGE : RESOLVE_PAGES;
        return true;
    }
    struct buf typed;
    buf_init(&typed);
    const char *s = suggest_column(r->hint, e->text);
    if (s) {
        table_name_typed(&typed, s);
        s = typed.data;
    }
    if (!s && r->suggest_param)
        s = r->suggest_param(r->ctx, e->text);
    if (s)
        ast_error(d, e, "nombre desconocido '%s'; ¿quiso decir '%s'?", e->text,
                  s);
    else
        ast_error(d, e, "nombre desconocido '%s'", e->text);
    buf_release(&typed);
    return false;
}

bool resolve_field(const struct resolver *r, struct diag *d,
                   const struct expr *e, struct resolved *out)
{
    const struct table *src = find_source(r, e->text);
    if (src) {
        /* The row's own source is read in the row (where a computed
         * column already exists); any other source as it is. */
        bool own = resolve_same_table(src, r->row_source);
        const struct table *t = own ? r->row_source : src;
        long c = table_find_column(t, e->text2);
        if (c < 0) {
            unknown_column(d, e, t, e->text2);
            return false;
        }
        *out =
            (struct resolved){own ? RESOLVE_ROW : RESOLVE_SOURCE, t, (size_t)c};
        return true;
    }
    /* report.title and other dotted names belong to the caller. */
    struct buf full;
    buf_init(&full);
    buf_printf(&full, "%s.%s", e->text, e->text2);
    bool found = has_param(r, full.data);
    buf_release(&full);
    if (found) {
        out->kind = RESOLVE_PARAM;
        return true;
    }
    ast_error(d, e, "fuente de datos desconocida '%s'", e->text);
    return false;
}

bool resolve_param(const struct resolver *r, struct diag *d,
                   const struct expr *e)
{
    if (has_param(r, e->text))
        return true;
    ast_error(d, e, "parámetro desconocido '%s'", e->text);
    return false;
}

bool resolve_aggregate(const struct resolver *r, struct diag *d,
                       const struct expr *call, struct resolved_rows *out)
{
    const struct expr *arg = call->nargs ? call->args[0] : NULL;
    const char *fn = fns[call->op].name;
    const struct table *src = NULL;
    if (arg && arg->kind == E_FIELD) {
        src = find_source(r, arg->text);
        if (!src) {
            ast_error(d, arg, "fuente de datos desconocida '%s'", arg->text);
            return false;
        }
        long c = table_find_column(src, arg->text2);
        if (c < 0) {
            unknown_column(d, arg, src, arg->text2);
            return false;
        }
        *out = (struct resolved_rows){ROWS_COLUMN, src, (size_t)c};
        return true;
    }
    if (arg && arg->kind == E_NAME &&
        !(r->implicit && table_find_column(r->implicit, arg->text) >= 0) &&
        (src = find_source(r, arg->text)) != NULL) {
        if (call->op != F_COUNT) {
            ast_error(d, arg,
                      "'%s' es una fuente de datos: escriba %s(%s.columna)",
                      arg->text, fn, arg->text);
            return false;
        }
        *out = (struct resolved_rows){ROWS_SOURCE, src, 0};
        return true;
    }
    if (!r->implicit) {
        ast_error(d, arg ? arg : call,
                  "'%s' sin fuente de datos: escriba %s(fuente.columna) o "
                  "%s(fuente)",
                  fn, fn, fn);
        return false;
    }
    *out = (struct resolved_rows){ROWS_IMPLICIT, r->implicit, 0};
    return true;
}

bool expr_column_eq(const struct expr *cond, const struct table *t, size_t *col,
                    const struct expr **key)
{
    if (!t || cond->kind != E_CMP || cond->op != OP_EQ || cond->nargs != 1)
        return false;
    for (int side = 0; side < 2; side++) {
        const struct expr *name = side ? cond->args[0] : cond->l;
        const struct expr *other = side ? cond->l : cond->args[0];
        if (name->kind != E_NAME || other->rowdep)
            continue;
        long c = table_find_column(t, name->text);
        if (c < 0)
            continue;
        *col = (size_t)c;
        *key = other;
        return true;
    }
    return false;
}
