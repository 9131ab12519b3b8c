/* eval_styles: the named threshold lists of `styles:` (the semáforo) and
 * the colour they give a value. */
#include "eval/internal.h"
#include "doc/dlist.h"

#include <string.h>

static bool load_entry(struct report *r, const struct tnode *n,
                       struct threshold *t)
{
    unsigned color = COLOR_NONE;
    const struct tnode *v;
    if (!tree_expect(r->d, n, TREE_MAP))
        return false;
    if ((v = tree_get(n, "min"))) {
        if (!tree_to_double(r->d, v, &t->min))
            return false;
        t->has_min = true;
    }
    if ((v = tree_get(n, "fill")) && !tree_to_color(r->d, v, &color))
        return false;
    t->fill = color;
    t->label = tree_get_text(n, "label", NULL);
    return true;
}

static bool load_style(struct report *r, const char *name,
                       const struct tnode *list, struct style *st)
{
    st->name = name;
    if (!tree_expect(r->d, list, TREE_SEQ))
        return false;
    st->t = arena_array(r->a, list->n, sizeof *st->t);
    st->n = list->n;
    bool ok = true;
    for (size_t i = 0; i < list->n; i++)
        ok = load_entry(r, list->items[i], &st->t[i]) && ok;
    return ok;
}

bool eval_styles_load(struct report *r)
{
    const struct tnode *ss = tree_get(r->root, "styles");
    if (!ss)
        return true;
    if (!tree_expect(r->d, ss, TREE_MAP))
        return false;
    r->styles = arena_array(r->a, ss->n, sizeof *r->styles);
    r->nstyles = ss->n;
    bool ok = true;
    for (size_t i = 0; i < ss->n; i++)
        ok =
            load_style(r, ss->keys[i]->text, ss->items[i], &r->styles[i]) && ok;
    return ok;
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
