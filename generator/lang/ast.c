/* ast: messages at a node, the node of an expression's first character,
 * and the public questions about a parsed expression (expr.h). */
#include "lang/ast.h"

#include <stdarg.h>

void ast_error(struct diag *d, const struct expr *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(d, EXIT_DATAERR, e->file, e->line, e->col, fmt, ap);
    va_end(ap);
}

const struct expr *ast_start(const struct expr *e)
{
    while (e->l && (e->kind == E_ARITH || e->kind == E_CMP ||
                    e->kind == E_AND || e->kind == E_OR || e->kind == E_IN ||
                    e->kind == E_BETWEEN || e->kind == E_FILTER))
        e = e->l;
    return e;
}

const char *expr_name(const struct expr *e)
{
    return e && e->kind == E_NAME ? e->text : NULL;
}

bool expr_has_aggregate(const struct expr *e)
{
    if (!e)
        return false;
    if (e->kind == E_CALL && e->op <= F_LAST)
        return true;
    if (expr_has_aggregate(e->l) || expr_has_aggregate(e->where))
        return true;
    for (size_t i = 0; i < e->nargs; i++)
        if (expr_has_aggregate(e->args[i]))
            return true;
    return false;
}

void expr_pos(const struct expr *e, const char **file, unsigned *line,
              unsigned *col)
{
    e = ast_start(e);
    *file = e->file;
    *line = e->line;
    *col = e->col;
}
