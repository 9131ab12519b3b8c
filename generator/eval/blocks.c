/* eval_blocks: the template's body into doc blocks: cover, contents,
 * numbered sections and headings, paragraphs, lists, breaks, images. */
#include "eval/internal.h"
#include "media/image.h"

#include <string.h>

/* `check` reads the images render would read, so that a file in another
 * format is reported there too; render reads them during layout. Both put
 * the message at the block. */
static bool check_image(struct report *r, const struct tnode *n,
                        const char *path)
{
    if (!r->opt.check_only)
        return true;
    struct arena *a = arena_new();
    struct image img;
    size_t from = r->d->n;
    bool ok = image_load(a, r->d, path, &img);
    if (!ok)
        diag_locate(r->d, from, n->file, n->line, n->col);
    arena_free(a);
    return ok;
}

static bool opt_bool(struct blocks *b, const struct tnode *item,
                     const struct tnode *val, const char *key, bool *out)
{
    const struct tnode *n = eval_opt(item, val, key);
    return !n || tree_to_bool(b->r->d, n, out);
}

/* A text option rendered, or def when absent. */
static bool opt_text(struct blocks *b, const struct tnode *item,
                     const struct tnode *val, const char *key, const char **out)
{
    const struct tnode *n = eval_opt(item, val, key);
    if (!n)
        return true;
    *out = eval_render(b->r, n, false);
    return *out != NULL;
}

/* The image named at n, under dir unless absolute; NULL after an error
 * (missing, or outside the folders inputs may come from). */
static const char *path_in(struct report *r, const char *dir,
                           const struct tnode *n)
{
    const char *p = n->text;
    if (dir && *dir && p[0] != '/')
        p = arena_printf(r->a, "%s/%s", dir, p);
    return eval_input_path(r, n, p, "la imagen");
}

static bool cover_lines(struct blocks *b, const struct tnode *lines,
                        struct cover_block *c)
{
    if (!tree_expect(b->r->d, lines, TREE_SEQ))
        return false;
    c->lines = arena_array(b->r->a, lines->n, sizeof *c->lines);
    bool ok = true;
    for (size_t i = 0; i < lines->n; i++) {
        const char *s = eval_render(b->r, lines->items[i], false);
        if (s)
            c->lines[c->nlines++] = s;
        ok = s && ok;
    }
    return ok;
}

static bool cover(struct blocks *b, const struct tnode *item,
                  const struct tnode *val)
{
    struct report *r = b->r;
    struct cover_block *c = &eval_block_new(b, BLK_COVER, item)->u.cover;
    const struct tnode *rep = tree_get(r->root, "report");
    const struct tnode *n;
    bool ok = true;
    if ((n = tree_get(rep, "title")))
        ok = (c->title = eval_render(r, n, false)) != NULL;
    if ((n = tree_get(rep, "subtitle")))
        ok = (c->subtitle = eval_render(r, n, false)) != NULL && ok;
    const struct tnode *logo = NULL;
    if ((n = tree_get(rep, "logo")) && n->kind == TREE_SCALAR)
        logo = n;
    ok = opt_text(b, item, val, "title", &c->title) && ok;
    ok = opt_text(b, item, val, "subtitle", &c->subtitle) && ok;
    if ((n = eval_opt(item, val, "logo")) && n->kind == TREE_SCALAR)
        logo = n;
    if (logo) {
        c->logo = path_in(r, r->tmpl_dir, logo);
        ok = c->logo && check_image(r, item, c->logo) && ok;
    }
    if ((n = eval_opt(item, val, "lines")))
        ok = cover_lines(b, n, c) && ok;
    return ok;
}

static bool toc(struct blocks *b, const struct tnode *item,
                const struct tnode *val)
{
    struct toc_block *t = &eval_block_new(b, BLK_TOC, item)->u.toc;
    t->title = "Contenido";
    t->max_level = 2;
    const struct tnode *n = eval_opt(item, val, "levels");
    long lv;
    if (n) {
        if (!tree_to_long(b->r->d, n, 1, 6, &lv))
            return false;
        t->max_level = (unsigned)lv;
    }
    return opt_text(b, item, val, "title", &t->title);
}

/* "1.", "2.3." for a new heading at level, advancing the counters. */
static const char *next_number(struct blocks *b, unsigned level)
{
    b->num[level - 1]++;
    for (unsigned i = level; i < 6; i++)
        b->num[i] = 0;
    struct buf s;
    buf_init(&s);
    for (unsigned i = 0; i < level; i++)
        buf_printf(&s, "%u.", b->num[i]);
    const char *out = arena_strdup(b->r->a, s.data);
    buf_release(&s);
    return out;
}

static bool heading_at(struct blocks *b, const struct tnode *item,
                       const struct tnode *title, unsigned level, bool new_page)
{
    struct heading_block *h = &eval_block_new(b, BLK_HEADING, item)->u.heading;
    bool numbered = true;
    const struct tnode *val = title->kind == TREE_MAP ? title : NULL;
    if (!opt_bool(b, item, val, "number", &numbered))
        return false;
    h->level = level;
    h->number = numbered ? next_number(b, level) : NULL;
    h->new_page = new_page;
    h->in_toc = true;
    const struct tnode *tn = val ? tree_get(val, "title") : title;
    h->text = tn ? eval_render(b->r, tn, false) : "";
    return h->text != NULL;
}

static bool body_list(struct blocks *b, const struct tnode *seq);

static bool section(struct blocks *b, const struct tnode *item,
                    const struct tnode *val)
{
    unsigned level = b->depth + 1 > 6 ? 6 : b->depth + 1;
    bool new_page = level == 1;
    const struct tnode *mv = val->kind == TREE_MAP ? val : NULL;
    if (!opt_bool(b, item, mv, "new_page", &new_page))
        return false;
    bool ok = heading_at(b, item, val, level, new_page);
    const struct tnode *content = eval_opt(item, mv, "content");
    if (!content)
        return ok;
    unsigned saved = b->depth;
    b->depth = level;
    ok = body_list(b, content) && ok;
    b->depth = saved;
    return ok;
}

static bool heading(struct blocks *b, const struct tnode *item,
                    const struct tnode *val)
{
    long level = b->depth + 1 > 6 ? 6 : b->depth + 1;
    const struct tnode *mv = val->kind == TREE_MAP ? val : NULL;
    const struct tnode *ln = eval_opt(item, mv, "level");
    if (ln && !tree_to_long(b->r->d, ln, 1, 6, &level))
        return false;
    return heading_at(b, item, val, (unsigned)level, false);
}

static bool align_of(struct blocks *b, const struct tnode *n, enum align *out)
{
    static const char *const names[] = {"left", "center", "right"};
    for (int i = 0; n && i < 3; i++) {
        if (n->kind == TREE_SCALAR && strcmp(n->text, names[i]) == 0) {
            *out = (enum align)i;
            return true;
        }
    }
    if (n)
        tree_error(b->r->d, n, "alineación desconocida (left, center, right)");
    return n == NULL;
}

static bool text(struct blocks *b, const struct tnode *item,
                 const struct tnode *val)
{
    struct paragraph_block *p = &eval_block_new(b, BLK_PARAGRAPH, item)->u.para;
    const struct tnode *mv = val->kind == TREE_MAP ? val : NULL;
    const struct tnode *tn = mv ? tree_get(mv, "text") : val;
    if (!tn) {
        tree_error(b->r->d, val, "falta 'text'");
        return false;
    }
    bool ok = align_of(b, eval_opt(item, mv, "align"), &p->align);
    return eval_rich(b->r, tn, &p->text) && ok;
}

static bool list(struct blocks *b, const struct tnode *item,
                 const struct tnode *val)
{
    struct list_block *l = &eval_block_new(b, BLK_LIST, item)->u.list;
    const struct tnode *mv = val->kind == TREE_MAP ? val : NULL;
    const struct tnode *items = mv ? tree_get(mv, "items") : val;
    if (!items || !tree_expect(b->r->d, items, TREE_SEQ))
        return false;
    if (!opt_bool(b, item, mv, "numbered", &l->numbered))
        return false;
    l->items = arena_array(b->r->a, items->n, sizeof *l->items);
    bool ok = true;
    for (size_t i = 0; i < items->n; i++)
        ok = eval_rich(b->r, items->items[i], &l->items[l->n++]) && ok;
    return ok;
}

static bool space(struct blocks *b, const struct tnode *item,
                  const struct tnode *val)
{
    struct block *blk = eval_block_new(b, BLK_SPACE, item);
    return tree_to_length(b->r->d, val, &blk->u.space);
}

/* An image's width or height: a length above zero (0 in the block means
 * "natural size", so it cannot be written). */
static bool positive_length(struct blocks *b, const struct tnode *n,
                            const char *what, float *out)
{
    if (!tree_to_length(b->r->d, n, out))
        return false;
    if (*out <= 0) {
        tree_error(b->r->d, n,
                   "el %s de una imagen debe ser mayor que cero, no '%s'", what,
                   n->text);
        return false;
    }
    return true;
}

static bool image(struct blocks *b, const struct tnode *item,
                  const struct tnode *val)
{
    struct image_block *im = &eval_block_new(b, BLK_IMAGE, item)->u.image;
    const struct tnode *mv = val->kind == TREE_MAP ? val : NULL;
    const struct tnode *fn = mv ? tree_get(mv, "file") : val;
    if (!fn || !tree_expect(b->r->d, fn, TREE_SCALAR))
        return false;
    if (!(im->path = path_in(b->r, b->r->tmpl_dir, fn)))
        return false;
    im->align = ALIGN_CENTER;
    const struct tnode *n;
    bool ok = check_image(b->r, item, im->path);
    if ((n = eval_opt(item, mv, "width")))
        ok = positive_length(b, n, "ancho", &im->width);
    if ((n = eval_opt(item, mv, "height")))
        ok = positive_length(b, n, "alto", &im->height) && ok;
    return align_of(b, eval_opt(item, mv, "align"), &im->align) && ok;
}

static bool page_break(struct blocks *b, const struct tnode *item,
                       const struct tnode *val)
{
    bool on = true;
    if (!tree_to_bool(b->r->d, val, &on))
        return false;
    if (on)
        eval_block_new(b, BLK_PAGE_BREAK, item);
    return true;
}

typedef bool (*block_fn)(struct blocks *, const struct tnode *,
                         const struct tnode *);

static const struct {
    const char *key;
    block_fn fn;
} kinds[] = {
    {"cover", cover},      {"toc", toc},          {"section", section},
    {"heading", heading},  {"text", text},        {"list", list},
    {"table", eval_table}, {"chart", eval_chart}, {"page_break", page_break},
    {"space", space},      {"image", image},
};

/* `check` tells where render would draw an empty table or chart: the
 * template is sound, but with these data and parameters nothing is left
 * after the filters (a month with no overdue commitment). A warning:
 * an empty table is a valid report. */
static void warn_if_empty(struct blocks *b, size_t before)
{
    if (!b->r->opt.check_only || b->n != before + 1)
        return;
    const struct block *blk = &b->v[before];
    if (blk->kind == BLK_TABLE) {
        const struct table_block *t = &blk->u.table;
        for (size_t i = 0; i < t->nrows; i++)
            if (t->rows[i].kind == ROW_BODY)
                return;
        diag_warning(b->r->d, blk->file, blk->line, blk->col,
                     "la tabla queda sin filas con estos datos y parámetros: "
                     "el PDF mostrará «Sin registros.»");
    } else if (blk->kind == BLK_CHART && blk->u.chart.ncat == 0) {
        diag_warning(b->r->d, blk->file, blk->line, blk->col,
                     "el gráfico queda sin categorías con estos datos y "
                     "parámetros: el PDF mostrará un gráfico vacío");
    }
}

static bool one_block(struct blocks *b, const struct tnode *item)
{
    if (!tree_expect(b->r->d, item, TREE_MAP))
        return false;
    for (size_t k = 0; k < item->n; k++) {
        for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
            if (strcmp(item->keys[k]->text, kinds[i].key) == 0) {
                size_t before = b->n;
                bool ok = kinds[i].fn(b, item, item->items[k]);
                if (ok)
                    warn_if_empty(b, before);
                return ok;
            }
        }
    }
    tree_error(b->r->d, item,
               "el bloque no tiene tipo (text, table, "
               "chart, section, ...)");
    return false;
}

static bool body_list(struct blocks *b, const struct tnode *seq)
{
    if (!tree_expect(b->r->d, seq, TREE_SEQ))
        return false;
    bool ok = true;
    for (size_t i = 0; i < seq->n && !diag_full(b->r->d); i++)
        ok = one_block(b, seq->items[i]) && ok;
    return ok;
}

bool eval_body(struct report *r, struct doc *out)
{
    struct blocks b = {.r = r};
    const struct tnode *body = tree_get(r->root, "body");
    if (!body) {
        diag_error(r->d, r->root->file, r->root->line, r->root->col,
                   "falta la sección 'body'");
        return false;
    }
    bool ok = body_list(&b, body);
    out->blocks = b.v;
    out->nblocks = b.n;
    return ok;
}
