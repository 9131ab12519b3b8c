/* eval_burst: what the reports of a burst share and what each one owns.
 * The burst's values (one hash of the column's texts: linear in the
 * rows), and a report's own arena: what evaluating one document allocates goes
 * there, and closing the report forgets every pointer into it, so that
 * a burst of any length holds the template, the data and the shared
 * tables, plus one report. */
#include "eval/internal.h"

#include <stdlib.h>
#include <string.h>

bool eval_burst_values(struct report *r, struct diag *d, const char *column,
                       const char ***values, size_t *n)
{
    r->d = d;
    *values = NULL;
    *n = 0;
    for (size_t s = 0; s < r->nsrcs; s++) {
        const struct table *t = r->srcs[s].full;
        long c = t ? table_find_column(t, column) : -1;
        if (c < 0)
            continue;
        struct eval_groups g;
        eval_group_rows(r, t, (size_t)c, eval_all_rows(r->a, t->nrows),
                        t->nrows, SIZE_MAX, &g);
        /* The groups are in order of first appearance; a row with no
         * value makes no report. */
        const char **v = arena_array(r->a, g.n ? g.n : 1, sizeof *v);
        size_t k = 0;
        for (size_t i = 0; i < g.n; i++)
            if (*g.label[i])
                v[k++] = g.label[i];
        *values = v;
        *n = k;
        if (k == 0) {
            /* Nothing to write is a failure a cron job must see. */
            diag_error(d, NULL, 0, 0,
                       "la columna '%s' de '%s' no tiene ningún valor: "
                       "--burst-by %s no produciría ningún informe",
                       column, t->name, column);
            return false;
        }
        return true;
    }
    diag_error(d, NULL, 0, 0, "ninguna fuente de datos tiene la columna '%s'",
               column);
    return false;
}

void eval_open_report(struct report *r, struct arena *a)
{
    r->run_a = r->a;
    r->a = a;
    for (size_t i = 0; i < r->nsrcs; i++) {
        struct source *s = &r->srcs[i];
        s->kept_base = s->base;
        s->kept_path = s->base_path;
    }
    r->kept_roots = r->have_roots;
    const char *col = r->opt.burst_column;
    struct param *p = col ? eval_param_find(r, col) : NULL;
    if (p)
        r->kept_param = p->v;
}

void eval_close_report(struct report *r)
{
    if (!r->run_a)
        return;
    r->a = r->run_a;
    r->run_a = NULL;
    /* Every source back to what the run holds: the whole table, and the
     * file read at loading (a file named after the burst's value was read
     * into the report's arena). */
    for (size_t i = 0; i < r->nsrcs; i++) {
        struct source *s = &r->srcs[i];
        s->base = s->kept_base;
        s->base_path = s->kept_path;
        s->table = s->full;
        s->state = SRC_DONE;
    }
    if (!r->kept_roots)
        r->have_roots = false;
    const char *col = r->opt.burst_column;
    struct param *p = col ? eval_param_find(r, col) : NULL;
    if (p)
        p->v = r->kept_param;
}

const struct doc_settings *eval_loaded_settings(const struct report *r)
{
    return r->checked ? &r->checked->set : r->checked_set;
}
