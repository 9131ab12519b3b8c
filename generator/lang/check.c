/* check: static checking of an expression against the sources, columns
 * and parameters a template knows (struct expr_scope): every name through
 * the resolver, and the type of every node inferred by the rules of ops
 * without evaluating anything. Every problem found is reported. */
#include "lang/expr.h"

#include "base/arena.h"
#include "data/collate.h"
#include "lang/ast.h"
#include "lang/ops.h"
#include "lang/resolve.h"

#include <stdlib.h>

struct checker {
    const struct expr_scope *sc;
    struct diag *d;
    const struct table *row; /* bare names */
};

/* x = "" or x != "": a test for an empty cell, valid for any type. */
static bool empty_text_test(const struct expr *e)
{
    if (e->op != OP_EQ && e->op != OP_NE)
        return false;
    const struct expr *l = e->l, *r = e->args[0];
    return (l->kind == E_STR && l->text[0] == '\0') ||
           (r->kind == E_STR && r->text[0] == '\0');
}

static bool check_type(struct checker *c, const struct expr *e, enum vtype *t);

/* What a parameter's type is, for the resolver. */
struct param_type {
    const struct expr_scope *sc;
    enum vtype t;
};

static bool param_type(void *self, const char *name)
{
    struct param_type *p = self;
    return p->sc->param && p->sc->param(p->sc->ctx, name, &p->t);
}

/* The names c sees. */
static struct resolver resolver_of(const struct checker *c,
                                   struct param_type *pt)
{
    const struct expr_scope *sc = c->sc;
    pt->sc = sc;
    pt->t = V_MISSING;
    return (struct resolver){
        .row = c->row,
        .hint = c->row,
        .implicit = sc->group_table ? sc->group_table : sc->row_table,
        .source = sc->source,
        .ctx = sc->ctx,
        .param = param_type,
        .self = pt,
        .page = sc->allow_page,
        .suggest_param = sc->suggest_param,
    };
}

/* The type of a name (bare, dotted, or params.x). */
static bool check_name(struct checker *c, const struct expr *e, enum vtype *t)
{
    struct param_type pt;
    struct resolver r = resolver_of(c, &pt);
    struct resolved x;
    bool ok = e->kind == E_NAME    ? resolve_name(&r, c->d, e, &x)
              : e->kind == E_FIELD ? resolve_field(&r, c->d, e, &x)
                                   : resolve_param(&r, c->d, e);
    if (!ok)
        return false;
    if (e->kind == E_PARAM) {
        *t = pt.t;
        return true;
    }
    switch (x.kind) {
    case RESOLVE_ROW:
    case RESOLVE_SOURCE:
        *t = x.t->cols[x.col].type;
        break;
    case RESOLVE_PARAM:
        *t = pt.t;
        break;
    case RESOLVE_TODAY:
        *t = V_DATE;
        break;
    case RESOLVE_PAGE:
    case RESOLVE_PAGES:
        *t = V_INT;
        break;
    }
    return true;
}

static bool check_aggregate(struct checker *c, const struct expr *e,
                            enum vtype *t)
{
    const struct expr *arg = e->nargs ? e->args[0] : NULL;
    struct param_type pt;
    struct resolver r = resolver_of(c, &pt);
    struct resolved_rows rows;
    if (!resolve_aggregate(&r, c->d, e, &rows))
        return false;
    const struct table *tbl = rows.t;
    enum vtype at = V_MISSING;
    bool ok = true;
    const char *colname = NULL;
    if (rows.kind == ROWS_COLUMN) {
        at = tbl->cols[rows.col].type;
        colname = arg->text2;
    } else if (rows.kind == ROWS_SOURCE) {
        arg = NULL; /* count(src): its rows, no value */
    } else if (arg) {
        struct checker sub = *c;
        sub.row = tbl;
        ok = check_type(&sub, arg, &at);
        if (arg->kind == E_NAME)
            colname = arg->text;
    }
    struct checker sub = *c;
    sub.row = tbl;
    enum vtype wt;
    /* Checked once: a second pass would report its errors again. */
    if (e->where && !check_type(&sub, e->where, &wt)) {
        ok = false;
    } else if (e->where && wt != V_BOOL && wt != V_MISSING) {
        ast_error(c->d, e->where,
                  "se esperaba una condición después de 'where'");
        ok = false;
    }
    if (e->op == F_WMEAN) {
        enum vtype w;
        if (!check_type(&sub, e->args[1], &w))
            ok = false;
        else if (w != V_MISSING && !ops_is_num(w)) {
            ast_error(c->d, e->args[1],
                      "el peso de wmean debe ser un número, no %s",
                      value_type_name(w));
            ok = false;
        }
    }
    enum fn fn = (enum fn)e->op;
    bool numeric =
        fn == F_SUM || fn == F_MEAN || fn == F_SHARE || fn == F_WMEAN;
    if (ok && numeric && at != V_MISSING && !ops_is_num(at) && at != V_BOOL) {
        if (colname)
            ast_error(c->d, arg,
                      "no se puede calcular %s de la columna '%s' de tipo %s",
                      resolve_fn_info(fn)->name, colname, value_type_name(at));
        else
            ast_error(c->d, arg,
                      "no se puede calcular %s de valores de tipo %s",
                      resolve_fn_info(fn)->name, value_type_name(at));
        ok = false;
    }
    switch (fn) {
    case F_COUNT:
    case F_DISTINCT:
        *t = V_INT;
        break;
    case F_SUM:
        *t = at == V_INT || at == V_BOOL ? V_INT
             : at == V_MONEY             ? V_MONEY
                                         : V_NUMBER;
        break;
    case F_MEAN:
    case F_WMEAN:
        *t = at == V_PERCENT || at == V_MONEY ? at : V_NUMBER;
        break;
    case F_SHARE:
        *t = V_PERCENT;
        break;
    default:
        *t = at;
        break;
    }
    return ok;
}

/* The type of a op b at step (which carries op and the position). */
static bool check_arith(struct checker *c, const struct expr *step,
                        enum vtype a, enum vtype b, enum vtype *t)
{
    int op = step->op;
    if (a == V_MISSING || b == V_MISSING) {
        *t = V_MISSING;
        return true;
    }
    if (a == V_TEXT && b == V_TEXT && op == OP_ADD) {
        *t = V_TEXT;
        return true;
    }
    if (a == V_DATE || b == V_DATE) {
        if (a == V_DATE && b == V_DATE && op == OP_SUB) {
            *t = V_INT;
            return true;
        }
        enum vtype n = a == V_DATE ? b : a;
        if ((op == OP_ADD || (op == OP_SUB && a == V_DATE)) &&
            (n == V_INT || n == V_NUMBER)) {
            *t = V_DATE;
            return true;
        }
    } else if (ops_is_num(a) && ops_is_num(b)) {
        *t = ops_arith_type(op, a, b);
        return true;
    }
    ast_error(c->d, step, "no se puede aplicar '%s' a %s y %s", ops_symbol(op),
              value_type_name(a), value_type_name(b));
    return false;
}

static bool check_type(struct checker *c, const struct expr *e, enum vtype *t)
{
    enum vtype a = V_MISSING, b = V_MISSING;
    bool ok = true;
    *t = V_MISSING;
    switch (e->kind) {
    case E_NUM:
        *t = e->numtype;
        return true;
    case E_STR:
        *t = V_TEXT;
        return true;
    case E_DATE:
        *t = V_DATE;
        return true;
    case E_NAME:
    case E_FIELD:
    case E_PARAM:
        return check_name(c, e, t);
    case E_NEG:
        if (!check_type(c, e->l, &a))
            return false;
        if (a != V_MISSING && !ops_is_num(a)) {
            ast_error(c->d, e, "no se puede aplicar '-' a %s",
                      value_type_name(a));
            return false;
        }
        *t = a;
        return true;
    case E_NOT:
    case E_AND:
    case E_OR: {
        /* Every operand is checked (so that every unknown name is
         * reported); whether each is a condition only when all are known. */
        size_t n = e->kind == E_NOT ? 1 : e->nargs + 1;
        enum vtype *ts = xmalloc(n * sizeof *ts);
        for (size_t i = 0; i < n; i++)
            ok = check_type(c, i == 0 ? e->l : e->args[i - 1], &ts[i]) && ok;
        bool known = ok;
        for (size_t i = 0; known && i < n; i++) {
            if (ts[i] == V_MISSING || ts[i] == V_BOOL)
                continue;
            ast_error(c->d, i == 0 ? e->l : e->args[i - 1],
                      "se esperaba una condición y no un valor de tipo %s",
                      value_type_name(ts[i]));
            ok = false;
        }
        free(ts);
        *t = V_BOOL;
        return ok;
    }
    case E_ARITH: {
        /* Every operand first, then the types from left to right, as
         * ((l op a0) op a1) ...; the first mismatch is reported at its
         * operator. */
        ok = check_type(c, e->l, &a);
        enum vtype *ts = NULL;
        if (e->nargs > 0)
            ts = xmalloc(e->nargs * sizeof *ts);
        for (size_t i = 0; i < e->nargs; i++)
            ok = check_type(c, e->args[i], &ts[i]) && ok;
        for (size_t i = 0; ok && i < e->nargs; i++)
            ok = check_arith(c, e->steps[i], a, ts[i], &a);
        free(ts);
        *t = ok ? a : V_MISSING;
        return ok;
    }
    case E_CMP:
    case E_IN:
    case E_BETWEEN:
        ok = check_type(c, e->l, &a);
        for (size_t i = 0; i < e->nargs; i++) {
            if (!check_type(c, e->args[i], &b)) {
                ok = false;
                continue;
            }
            if (ok && a != V_MISSING && b != V_MISSING &&
                !(e->kind == E_CMP && empty_text_test(e)) &&
                !collate_comparable(a, b)) {
                ast_error(c->d, e->kind == E_IN ? e->args[i] : e,
                          "no se puede comparar %s con %s", value_type_name(a),
                          value_type_name(b));
                ok = false;
            }
        }
        *t = V_BOOL;
        return ok;
    case E_CALL:
        if (e->op <= F_LAST)
            return check_aggregate(c, e, t);
        for (size_t i = 0; i < e->nargs; i++) {
            enum vtype x;
            if (!check_type(c, e->args[i], &x))
                ok = false;
            if (i == 0)
                a = x;
            else if (i == 1)
                b = x;
        }
        if (!ok)
            return false;
        switch ((enum fn)e->op) {
        case F_ROUND:
        case F_ABS:
            if (a != V_MISSING && !ops_is_num(a)) {
                ast_error(c->d, e, "'%s' espera un número, no %s",
                          resolve_fn_info(e->op)->name, value_type_name(a));
                return false;
            }
            *t = a;
            return true;
        case F_YEAR:
        case F_MONTH:
        case F_DAY:
            if (a != V_MISSING && a != V_DATE) {
                ast_error(c->d, e, "'%s' espera una fecha, no %s",
                          resolve_fn_info(e->op)->name, value_type_name(a));
                return false;
            }
            *t = V_INT;
            return true;
        case F_UPPER:
        case F_LOWER:
            *t = V_TEXT;
            return true;
        case F_COALESCE:
            *t = a;
            return true;
        case F_IF:
            *t = b;
            return true;
        default:
            return true;
        }
    case E_FILTER:
        if (!check_type(c, e->l, &a))
            return false;
        if (a != V_MISSING && e->op != FL_DEFAULT && e->op != FL_UPPER &&
            e->op != FL_LOWER) {
            bool fine = e->op <= FL_MONEY     ? ops_is_num(a)
                        : e->op == FL_DATE    ? a == V_DATE
                        : e->op == FL_QUARTER ? a == V_DATE || a == V_TEXT
                                              : a == V_DATE || a == V_INT;
            if (!fine) {
                ast_error(c->d, e,
                          "el filtro '%s' no se aplica a valores de tipo %s",
                          resolve_filter_name(e->op), value_type_name(a));
                return false;
            }
        }
        *t = e->op == FL_DEFAULT ? a : V_TEXT;
        return true;
    }
    return false;
}

bool expr_check(const struct expr *e, const struct expr_scope *scope,
                struct diag *d, enum vtype *type)
{
    struct checker c = {.sc = scope, .d = d, .row = scope->row_table};
    enum vtype t = V_MISSING;
    bool ok = check_type(&c, e, &t);
    if (type)
        *type = ok ? t : V_MISSING;
    return ok;
}
