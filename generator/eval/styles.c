/* eval_styles: the named threshold lists of `styles:` (the semáforo) and
 * the colour they give a value. */
#include "eval/internal.h"
#include "doc/dlist.h"

#include <string.h>

static void load_entry(const struct tl_threshold *x, struct threshold *t)
{
    t->has_min = x->min.n != NULL;
    if (t->has_min)
        t->min = x->min.v;
    t->fill = x->fill.n ? x->fill.v : COLOR_NONE;
    t->label = x->label.v;
}

static void load_style(struct report *r, const struct tl_threshold_list *l,
                       struct style *st)
{
    st->name = l->key->text;
    st->t = arena_array(r->a, l->n, sizeof *st->t);
    st->n = l->n;
    for (size_t i = 0; i < l->n; i++)
        load_entry(&l->v[i], &st->t[i]);
}

bool eval_styles_load(struct report *r)
{
    const struct tl_threshold_lists *ss = &r->tpl->styles;
    r->styles = arena_array(r->a, ss->n, sizeof *r->styles);
    r->nstyles = ss->n;
    for (size_t i = 0; i < ss->n; i++)
        load_style(r, &ss->v[i], &r->styles[i]);
    return true;
}

const struct style *eval_style_find(const struct report *r, const char *name)
{
    for (size_t i = 0; i < r->nstyles; i++)
        if (strcmp(r->styles[i].name, name) == 0)
            return &r->styles[i];
    return NULL;
}

uint32_t eval_style_fill(const struct style *st, const struct value *v)
{
    if (!st || !value_is_numeric(v->type))
        return COLOR_NONE;
    for (size_t i = 0; i < st->n; i++)
        if (!st->t[i].has_min || v->num >= st->t[i].min)
            return st->t[i].fill;
    return COLOR_NONE;
}
