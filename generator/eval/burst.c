/* eval_burst: what each report of a burst owns: its arena. What
 * evaluating one document allocates goes there, and closing the report
 * forgets every pointer into it, so that a burst of any length holds
 * the template and the data, plus one report. */
#include "eval/internal.h"

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
