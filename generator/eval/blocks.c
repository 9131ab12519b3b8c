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

/* A text of the template rendered into *out; *out is left alone when the
 * text is absent. */
static bool opt_text(struct report *r, const struct tl_str *s, const char **out)
{
    if (!s->n)
        return true;
    *out = eval_render(r, s->n, false);
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

static bool cover_lines(struct blocks *b, const struct tl_nodes *lines,
                        struct cover_block *c)
{
    c->lines = arena_array(b->r->a, lines->n, sizeof *c->lines);
    bool ok = true;
    for (size_t i = 0; i < lines->n; i++) {
        const char *s = eval_render(b->r, lines->v[i], false);
        if (s)
            c->lines[c->nlines++] = s;
        ok = s && ok;
    }
    return ok;
}

/* The cover shows report's title, subtitle and logo unless it gives its
 * own (report's are rendered either way, so their mistakes are told). */
static bool cover(struct blocks *b, const struct tl_block *blk)
{
    struct report *r = b->r;
    const struct tl_cover *x = blk->u.cover;
    const struct tl_report *rep = r->tpl->report;
    struct cover_block *c = &eval_block_new(b, BLK_COVER, blk->item)->u.cover;
    bool ok = true;
    const struct tnode *logo = NULL;
    if (rep) {
        ok = opt_text(r, &rep->title, &c->title);
        ok = opt_text(r, &rep->subtitle, &c->subtitle) && ok;
        logo = rep->logo.n;
    }
    ok = opt_text(r, &x->title, &c->title) && ok;
    ok = opt_text(r, &x->subtitle, &c->subtitle) && ok;
    if (x->logo.n)
        logo = x->logo.n;
    if (logo) {
        c->logo = path_in(r, r->tmpl_dir, logo);
        ok = c->logo && check_image(r, blk->item, c->logo) && ok;
    }
    if (x->lines.node)
        ok = cover_lines(b, &x->lines, c) && ok;
    return ok;
}

/* The contents: title and depth, defaulted as tl.def says. */
static bool toc(struct blocks *b, const struct tl_block *blk)
{
    const struct tl_toc *x = blk->u.toc;
    struct toc_block *t = &eval_block_new(b, BLK_TOC, blk->item)->u.toc;
    t->title = x->title.v;
    t->max_level = (unsigned)x->levels.v;
    return opt_text(b->r, &x->title, &t->title);
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
                       const struct tl_str *title, bool number, unsigned level,
                       bool new_page)
{
    struct heading_block *h = &eval_block_new(b, BLK_HEADING, item)->u.heading;
    h->level = level;
    h->number = number ? next_number(b, level) : NULL;
    h->new_page = new_page;
    h->in_toc = true;
    h->text = title->n ? eval_render(b->r, title->n, false) : "";
    return h->text != NULL;
}

static bool body_list(struct blocks *b, const struct tl_blocks *list);

static bool section(struct blocks *b, const struct tl_block *blk)
{
    const struct tl_section *s = blk->u.section;
    unsigned level = b->depth + 1 > 6 ? 6 : b->depth + 1;
    /* A top-level section starts a new page unless it says otherwise. */
    bool new_page = s->new_page.n ? s->new_page.v : level == 1;
    bool ok = heading_at(b, blk->item, &s->title, s->number.v, level, new_page);
    if (!s->content.node)
        return ok;
    unsigned saved = b->depth;
    b->depth = level;
    ok = body_list(b, &s->content) && ok;
    b->depth = saved;
    return ok;
}

/* A heading is one level below the enclosing section unless it says. */
static bool heading(struct blocks *b, const struct tl_block *blk)
{
    const struct tl_heading *h = blk->u.heading;
    long level = h->level.n ? h->level.v : b->depth + 1 > 6 ? 6 : b->depth + 1;
    return heading_at(b, blk->item, &h->title, h->number.v, (unsigned)level,
                      false);
}

/* The alignment a word of the `align` set stands for. */
static enum align align_of(enum tl_word w)
{
    return w == TLW_align_center  ? ALIGN_CENTER
           : w == TLW_align_right ? ALIGN_RIGHT
                                  : ALIGN_LEFT;
}

static bool text(struct blocks *b, const struct tl_block *blk)
{
    const struct tl_text *t = blk->u.text;
    struct paragraph_block *p =
        &eval_block_new(b, BLK_PARAGRAPH, blk->item)->u.para;
    if (!t->text.n) {
        tree_error(b->r->d, blk->value, "falta 'text'");
        return false;
    }
    p->align = align_of(t->align.v);
    return eval_rich(b->r, t->text.n, &p->text);
}

static bool list(struct blocks *b, const struct tl_block *blk)
{
    const struct tl_list *x = blk->u.list;
    struct list_block *l = &eval_block_new(b, BLK_LIST, blk->item)->u.list;
    if (!x->items.node)
        return false;
    l->numbered = x->numbered.v;
    l->items = arena_array(b->r->a, x->items.n, sizeof *l->items);
    bool ok = true;
    for (size_t i = 0; i < x->items.n; i++)
        ok = eval_rich(b->r, x->items.v[i], &l->items[l->n++]) && ok;
    return ok;
}

static bool space(struct blocks *b, const struct tl_block *blk)
{
    eval_block_new(b, BLK_SPACE, blk->item)->u.space = blk->u.space->space.v;
    return true;
}

/* An image's width or height: a length above zero (0 in the block means
 * "natural size", so it cannot be written). */
static bool positive_length(struct blocks *b, const struct tl_len *len,
                            const char *what, float *out)
{
    *out = len->v;
    if (*out <= 0) {
        tree_error(b->r->d, len->n,
                   "el %s de una imagen debe ser mayor que cero, no '%s'", what,
                   len->n->text);
        return false;
    }
    return true;
}

static bool image(struct blocks *b, const struct tl_block *blk)
{
    const struct tl_image *x = blk->u.image;
    struct image_block *im = &eval_block_new(b, BLK_IMAGE, blk->item)->u.image;
    if (!x->file.n)
        return false;
    if (!(im->path = path_in(b->r, b->r->tmpl_dir, x->file.n)))
        return false;
    bool ok = check_image(b->r, blk->item, im->path);
    if (x->width.n)
        ok = positive_length(b, &x->width, "ancho", &im->width);
    if (x->height.n)
        ok = positive_length(b, &x->height, "alto", &im->height) && ok;
    im->align = align_of(x->align.v);
    ok = opt_text(b->r, &x->alt, &im->alt) && ok;
    if (ok && b->r->opt.check_only && (!im->alt || !*im->alt))
        diag_warning(b->r->d, blk->item->file, blk->item->line, blk->item->col,
                     "la imagen no tiene 'alt': el PDF la marca como "
                     "decoración y un lector de pantalla la omite; si "
                     "informa algo, diga qué muestra en 'alt'");
    return ok;
}

static bool page_break(struct blocks *b, const struct tl_block *blk)
{
    if (blk->u.page_break->page_break.v)
        eval_block_new(b, BLK_PAGE_BREAK, blk->item);
    return true;
}

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

static bool one_block(struct blocks *b, const struct tl_block *blk)
{
    size_t before = b->n;
    bool ok = false;
    switch (blk->kind) {
    case TLM_cover:
        ok = cover(b, blk);
        break;
    case TLM_toc:
        ok = toc(b, blk);
        break;
    case TLM_section:
        ok = section(b, blk);
        break;
    case TLM_heading:
        ok = heading(b, blk);
        break;
    case TLM_text:
        ok = text(b, blk);
        break;
    case TLM_list:
        ok = list(b, blk);
        break;
    case TLM_table:
        ok = eval_table(b, blk);
        break;
    case TLM_chart:
        ok = eval_chart(b, blk);
        break;
    case TLM_page_break:
        ok = page_break(b, blk);
        break;
    case TLM_space:
        ok = space(b, blk);
        break;
    case TLM_image:
        ok = image(b, blk);
        break;
    default:
        break;
    }
    if (ok)
        warn_if_empty(b, before);
    return ok;
}

static bool body_list(struct blocks *b, const struct tl_blocks *list)
{
    bool ok = true;
    for (size_t i = 0; i < list->n && !diag_full(b->r->d); i++)
        ok = one_block(b, &list->v[i]) && ok;
    return ok;
}

bool eval_body(struct report *r, struct doc *out)
{
    struct blocks b = {.r = r};
    if (!r->tpl->body.node) {
        diag_error(r->d, r->root->file, r->root->line, r->root->col,
                   "falta la sección 'body'");
        return false;
    }
    bool ok = body_list(&b, &r->tpl->body);
    out->blocks = b.v;
    out->nblocks = b.n;
    return ok;
}
