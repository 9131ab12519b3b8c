/* layout: the two passes over the blocks, and the text blocks (cover,
 * table of contents, headings, paragraphs, lists, images) with their
 * structure: a section (Sect) per heading, holding what follows up to the
 * next heading of its level or above; tables and charts are laid out by
 * table.c, chart.c (bars) and linechart.c (lines), pages by page.c. */
#include "layout/layout.h"

#include "layout/chart.h"
#include "layout/linechart.h"
#include "layout/page.h"
#include "layout/table.h"

#include "media/image.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------- text flow --- */

/* Places the lines in out one by one, moving to a new page when the next
 * one does not fit: paragraphs break between lines. */
static void flow_lines(struct lay *L, const struct text_lines *l, double x,
                       double width, double size, enum align align,
                       uint32_t color)
{
    double pitch = lay_pitch(L, size);
    for (size_t i = 0; i < l->n && !L->failed; i++) {
        lay_ensure(L, pitch);
        double y = lay_take(L, pitch);
        lay_draw_lines(L, l, i, i + 1, x, width, y, size, pitch, align, color);
    }
}

static void paragraph(struct lay *L, const struct paragraph_block *p)
{
    double size = p->size > 0 ? p->size : L->set->body_size;
    text_lines_clear(&L->lines);
    text_break_rich(&L->tx, 0, size, &p->text, L->w, &L->lines);
    lay_begin(L, DL_ROLE_P, 0);
    flow_lines(L, &L->lines, L->x0, L->w, size, p->align, L->set->text_color);
    lay_end(L);
    lay_space(L, LAY_PARA_AFTER);
}

#define LIST_GAP 3.0

static void list(struct lay *L, const struct list_block *li)
{
    double size = L->set->body_size, pitch = lay_pitch(L, size);
    char mark[32];
    double indent = 14;
    if (li->numbered) {
        int n = snprintf(mark, sizeof mark, "%zu.", li->n);
        double mw = text_width(&L->tx, FACE_REGULAR, size, mark, (size_t)n) + 5;
        if (mw > indent)
            indent = mw;
    }
    lay_begin(L, DL_ROLE_L, 0);
    for (size_t i = 0; i < li->n; i++) {
        text_lines_clear(&L->lines);
        text_break_rich(&L->tx, 0, size, &li->items[i], L->w - indent,
                        &L->lines);
        lay_begin(L, DL_ROLE_LI, 0);
        lay_ensure(L, pitch);
        double y = L->y + lay_gap(L);
        int n = li->numbered ? snprintf(mark, sizeof mark, "%zu.", i + 1)
                             : snprintf(mark, sizeof mark, "\xE2\x80\xA2");
        double mw = text_width(&L->tx, FACE_REGULAR, size, mark, (size_t)n);
        double mx = li->numbered ? L->x0 + indent - 5 - mw : L->x0 + 4;
        lay_begin(L, DL_ROLE_LBL, 0);
        lay_text(L, mx, y + size, FACE_REGULAR, size, L->set->text_color, mark,
                 (size_t)n, mw);
        lay_end(L);
        lay_begin(L, DL_ROLE_LBODY, 0);
        flow_lines(L, &L->lines, L->x0 + indent, L->w - indent, size,
                   ALIGN_LEFT, L->set->text_color);
        lay_end(L);
        lay_end(L);
        if (i + 1 < li->n)
            lay_space(L, LIST_GAP);
    }
    lay_end(L);
    lay_space(L, LAY_PARA_AFTER);
}

/* ----------------------------------------------------------- headings --- */

struct hstyle {
    double size, pitch, before, after;
    uint32_t color;
};

static struct hstyle heading_style(const struct lay *L, unsigned level)
{
    if (level <= 1)
        return (struct hstyle){14, 17, 14, 8, L->set->accent};
    if (level == 2)
        return (struct hstyle){11, 14, 12, 6, L->set->accent};
    return (struct hstyle){9, 11, 8, 4, L->set->text_color};
}

static void heading_text(const struct heading_block *h, struct buf *b)
{
    buf_clear(b);
    if (h->number && *h->number)
        buf_printf(b, "%s ", h->number);
    buf_adds(b, h->text ? h->text : "");
}

static double heading_lines(struct lay *L, const struct heading_block *h,
                            struct buf *b, struct text_lines *out)
{
    struct hstyle st = heading_style(L, h->level);
    heading_text(h, b);
    text_lines_clear(out);
    text_break(&L->tx, FACE_BOLD, st.size, b->data, b->len, L->w, out);
    return (double)out->n * st.pitch;
}

static double image_height(struct lay *L, size_t i);

/* What must stay on the page with a heading placed before block i: its
 * first line or row, the whole of a figure. */
static double first_part(struct lay *L, size_t i, int depth)
{
    if (i >= L->doc->nblocks || depth > 4)
        return 0;
    const struct block *b = &L->doc->blocks[i];
    switch (b->kind) {
    case BLK_PARAGRAPH: {
        double size = b->u.para.size > 0 ? b->u.para.size : L->set->body_size;
        return lay_pitch(L, size);
    }
    case BLK_LIST:
        return b->u.list.n ? lay_pitch(L, L->set->body_size) : 0;
    case BLK_TABLE:
        return lay_table_head(L, &b->u.table);
    case BLK_CHART:
        return b->u.chart.kind == CHART_LINE
                   ? lay_linechart_height(L, &b->u.chart)
                   : lay_chart_height(L, &b->u.chart);
    case BLK_IMAGE:
        return image_height(L, i);
    case BLK_HEADING: {
        struct hstyle st = heading_style(L, b->u.heading.level);
        struct buf tmp;
        struct text_lines tl = {0};
        buf_init(&tmp);
        double h = heading_lines(L, &b->u.heading, &tmp, &tl);
        buf_release(&tmp);
        text_lines_release(&tl);
        return st.before + h + st.after + first_part(L, i + 1, depth + 1);
    }
    default:
        return 0;
    }
}

/* Closes the sections open at level `level` or deeper. */
static void close_sections(struct lay *L, unsigned level)
{
    while (L->nsect && L->sect[L->nsect - 1] >= level) {
        lay_end(L);
        L->nsect--;
    }
}

static void heading(struct lay *L, const struct heading_block *h)
{
    struct hstyle st = heading_style(L, h->level);
    struct buf b;
    buf_init(&b);
    unsigned level = lay_heading_level(L, h->level);
    close_sections(L, level);
    if (L->nsect < sizeof L->sect) {
        lay_begin(L, DL_ROLE_SECT, 0);
        L->sect[L->nsect++] = (unsigned char)level;
    }
    if (h->new_page && !L->page_empty)
        lay_new_page(L);
    lay_space(L, st.before);
    double keep = first_part(L, L->block + 1, 0);
    double hh = heading_lines(L, h, &b, &L->lines);
    /* Keep with next: never the last thing on a page. */
    if (!L->page_empty && !lay_fits(L, hh + (keep > 0 ? st.after + keep : 0)))
        lay_new_page(L);
    lay_ensure(L, hh);
    double y = lay_take(L, hh);
    lay_begin(L, DL_ROLE_H, level);
    lay_draw_lines(L, &L->lines, 0, L->lines.n, L->x0, L->w, y, st.size,
                   st.pitch, ALIGN_LEFT, st.color);
    lay_end(L);
    if (h->in_toc && L->emit)
        dl_bookmark(&L->page, b.data, h->level ? h->level : 1, (float)y);
    L->hpage[L->block] = L->pageno;
    L->hy[L->block] = (float)y;
    lay_space(L, st.after);
    buf_release(&b);
}

/* -------------------------------------------------------------- cover --- */

/* A centred text of the cover, tagged as role (level: a heading's). */
static void centred(struct lay *L, const char *s, enum face face, double size,
                    double pitch, uint32_t color, enum dl_role role,
                    unsigned level)
{
    text_lines_clear(&L->lines);
    text_break(&L->tx, face, size, s, strlen(s), L->w, &L->lines);
    double h = (double)L->lines.n * pitch;
    double y = lay_take(L, h);
    lay_begin(L, role, level);
    lay_draw_lines(L, &L->lines, 0, L->lines.n, L->x0, L->w, y, size, pitch,
                   ALIGN_CENTER, color);
    lay_end(L);
}

#define COVER_TOP 200.0
#define COVER_LOGO 60.0

static void cover(struct lay *L, const struct cover_block *c)
{
    if (!L->page_empty || L->after_cover)
        lay_new_page(L);
    if (c->logo && L->imgh[L->block] > 0) {
        double w = L->imgw[L->block], h = L->imgh[L->block];
        /* The logo is decoration: the entity's name is in the text. */
        lay_artifact(L, DL_ART_LAYOUT);
        lay_image(L, L->x0 + (L->w - w) / 2, L->top, w, h, c->logo);
        lay_artifact(L, DL_ART_NONE);
    }
    /* The title a third of the way down, on a page with little room. */
    double drop = (L->bottom - L->top) / 3;
    L->y = L->top + (drop < COVER_TOP ? drop : COVER_TOP);
    L->page_empty = false;
    L->pending = 0;
    if (c->title && *c->title) {
        centred(L, c->title, FACE_BOLD, 22, 26, L->set->accent, DL_ROLE_H,
                lay_heading_level(L, 1));
        L->pending = 16;
    }
    if (c->subtitle && *c->subtitle) {
        centred(L, c->subtitle, FACE_REGULAR, 14, 17, L->set->text_color,
                DL_ROLE_P, 0);
        L->pending = 8;
    }
    for (size_t i = 0; i < c->nlines; i++) {
        centred(L, c->lines[i], FACE_REGULAR, 11, 14, L->set->text_color,
                DL_ROLE_P, 0);
        L->pending = 4;
    }
    L->after_cover = true;
}

/* ---------------------------------------------------------------- toc --- */

#define TOC_NUMBER_W 30.0
#define TOC_INDENT 12.0

static bool toc_entry(const struct lay *L, const struct toc_block *t,
                      const struct block *b)
{
    unsigned max = t->max_level ? t->max_level : 3;
    (void)L;
    return b->kind == BLK_HEADING && b->u.heading.in_toc &&
           b->u.heading.level <= max;
}

static void toc(struct lay *L, const struct toc_block *t)
{
    struct buf b;
    buf_init(&b);
    if (t->title && *t->title) {
        struct heading_block h = {1, NULL, t->title, false, false};
        struct hstyle st = heading_style(L, 1);
        double hh = heading_lines(L, &h, &b, &L->lines);
        lay_ensure(L, hh + st.after + 11);
        double y = lay_take(L, hh);
        lay_begin(L, DL_ROLE_H, lay_heading_level(L, 1));
        lay_draw_lines(L, &L->lines, 0, L->lines.n, L->x0, L->w, y, st.size,
                       st.pitch, ALIGN_LEFT, st.color);
        lay_end(L);
        lay_space(L, st.after);
    }
    lay_begin(L, DL_ROLE_TOC, 0);
    double size = L->set->body_size, pitch = lay_pitch(L, size);
    double dot = text_width(&L->tx, FACE_REGULAR, size, ".", 1);
    for (size_t i = 0; i < L->doc->nblocks; i++) {
        const struct block *hb = &L->doc->blocks[i];
        if (!toc_entry(L, t, hb))
            continue;
        const struct heading_block *h = &hb->u.heading;
        enum face face = h->level <= 1 ? FACE_BOLD : FACE_REGULAR;
        double indent = TOC_INDENT * (h->level > 1 ? h->level - 1 : 0);
        double tw = L->w - indent - TOC_NUMBER_W;
        heading_text(h, &b);
        text_lines_clear(&L->lines);
        text_break(&L->tx, face, size, b.data, b.len, tw, &L->lines);
        double eh = (double)L->lines.n * pitch;
        lay_ensure(L, eh);
        double y = lay_take(L, eh);
        if (!L->emit)
            continue;
        lay_begin(L, DL_ROLE_TOCI, 0);
        lay_begin(L, DL_ROLE_LINK, 0);
        lay_draw_lines(L, &L->lines, 0, L->lines.n, L->x0 + indent, tw, y, size,
                       pitch, ALIGN_LEFT, L->set->text_color);
        /* The page number, right-aligned, with dot leaders before it. */
        char num[16];
        int nn = snprintf(num, sizeof num, "%u", L->hpage[i]);
        double nw = text_width(&L->tx, FACE_REGULAR, size, num, (size_t)nn);
        double base = y + eh - pitch + size;
        double right = L->x0 + L->w;
        lay_text(L, right - nw, base, FACE_REGULAR, size, L->set->text_color,
                 num, (size_t)nn, nw);
        double from =
            L->x0 + indent + L->lines.line[L->lines.n - 1].width + dot;
        double to = right - nw - dot;
        if (to > from && dot > 0) {
            size_t ndots = (size_t)((to - from) / dot);
            char *dots = arena_alloc(L->arena, ndots + 1);
            memset(dots, '.', ndots);
            lay_artifact(L, DL_ART_LAYOUT);
            lay_text(L, to - (double)ndots * dot, base, FACE_REGULAR, size,
                     L->set->muted, dots, ndots, (double)ndots * dot);
            lay_artifact(L, DL_ART_NONE);
        }
        struct dl_item *link =
            dl_link(&L->page, (float)L->x0, (float)y, (float)L->w, (float)eh,
                    L->hpage[i], L->hy[i]);
        buf_printf(&b, ", página %s", num);
        dl_link_text(&L->page, link, b.data, b.len);
        lay_end(L);
        lay_end(L);
    }
    lay_end(L);
    lay_space(L, LAY_PARA_AFTER);
    buf_release(&b);
}

/* -------------------------------------------------------------- image --- */

/* Size of image block i in points, measured in pass 1 (the file is read
 * once per pass 1; failures are reported then). */
static void measure_image(struct lay *L, size_t i, const char *path,
                          double want_w, double want_h, double maxw)
{
    double w = want_w, h = want_h;
    if (w <= 0 || h <= 0) {
        struct arena *a = arena_new();
        struct image img;
        size_t from = L->d->n;
        if (!image_load(a, L->d, path, &img)) {
            const struct block *b = &L->doc->blocks[i];
            diag_locate(L->d, from, b->file, b->line, b->col);
            arena_free(a);
            L->imgw[i] = L->imgh[i] = 0;
            return;
        }
        double nw = img.width, nh = img.height; /* 72 dpi */
        arena_free(a);
        if (w <= 0 && h <= 0) {
            w = nw;
            h = nh;
        } else if (w <= 0) {
            w = h * nw / nh;
        } else {
            h = w * nh / nw;
        }
    }
    if (w > maxw) {
        h *= maxw / w;
        w = maxw;
    }
    double maxh = L->bottom - L->top;
    if (h > maxh) {
        w *= maxh / h;
        h = maxh;
    }
    L->imgw[i] = (float)w;
    L->imgh[i] = (float)h;
}

static double image_height(struct lay *L, size_t i)
{
    return L->imgh[i];
}

static void image(struct lay *L, const struct image_block *im)
{
    double w = L->imgw[L->block], h = L->imgh[L->block];
    if (h <= 0 || w <= 0)
        return;
    lay_ensure(L, h);
    double y = lay_take(L, h);
    double x = im->align == ALIGN_CENTER  ? L->x0 + (L->w - w) / 2
               : im->align == ALIGN_RIGHT ? L->x0 + L->w - w
                                          : L->x0;
    /* A figure with its description, or decoration without one. */
    bool figure = im->alt && *im->alt;
    if (figure)
        lay_begin_text(L, DL_ROLE_FIGURE, im->alt, strlen(im->alt));
    else
        lay_artifact(L, DL_ART_LAYOUT);
    lay_image(L, x, y, w, h, im->path);
    if (figure)
        lay_end(L);
    else
        lay_artifact(L, DL_ART_NONE);
    lay_space(L, LAY_PARA_AFTER);
}

/* ------------------------------------------------------------- passes --- */

static void run_pass(struct lay *L)
{
    L->pageno = 0;
    L->figures = L->tables = 0;
    L->block = 0;
    L->elements = L->hlevel = L->nsect = 0;
    L->art = DL_ART_NONE;
    lay_new_page(L);
    for (size_t i = 0; i < L->doc->nblocks && !L->failed; i++) {
        const struct block *b = &L->doc->blocks[i];
        L->block = i;
        text_ctx_at(&L->tx, b->file, b->line, b->col);
        if (L->after_cover && b->kind != BLK_SPACE)
            lay_new_page(L);
        switch (b->kind) {
        case BLK_COVER:
            cover(L, &b->u.cover);
            break;
        case BLK_TOC:
            toc(L, &b->u.toc);
            break;
        case BLK_HEADING:
            heading(L, &b->u.heading);
            break;
        case BLK_PARAGRAPH:
            paragraph(L, &b->u.para);
            break;
        case BLK_LIST:
            list(L, &b->u.list);
            break;
        case BLK_TABLE:
            lay_table(L, &b->u.table);
            break;
        case BLK_CHART:
            if (b->u.chart.kind == CHART_LINE)
                lay_linechart(L, &b->u.chart);
            else
                lay_chart(L, &b->u.chart);
            break;
        case BLK_PAGE_BREAK:
            if (!L->page_empty)
                lay_new_page(L);
            break;
        case BLK_SPACE:
            lay_space(L, b->u.space);
            break;
        case BLK_IMAGE:
            image(L, &b->u.image);
            break;
        }
    }
    close_sections(L, 0);
    lay_finish_page(L);
}

bool layout_run(const struct doc *doc, const struct fontset *fonts,
                const struct page_sink *sink, struct diag *d, unsigned *pages)
{
    struct lay L;
    size_t errors = d->errors;
    memset(&L, 0, sizeof L);
    L.doc = doc;
    L.set = &doc->set;
    L.fonts = fonts;
    L.d = d;
    L.sink = sink;
    text_ctx_init(&L.tx, fonts, d);
    breakmemo_init(&L.memo);
    L.x0 = doc->set.margin_left;
    L.w = doc->set.page_width - doc->set.margin_left - doc->set.margin_right;
    L.top = doc->set.margin_top;
    L.bottom = doc->set.page_height - doc->set.margin_bottom;
    size_t nb = doc->nblocks ? doc->nblocks : 1;
    L.hpage = calloc(nb, sizeof *L.hpage);
    L.hy = calloc(nb, sizeof *L.hy);
    L.imgw = calloc(nb, sizeof *L.imgw);
    L.imgh = calloc(nb, sizeof *L.imgh);
    if (!L.hpage || !L.hy || !L.imgw || !L.imgh)
        arena_oom();
    for (size_t i = 0; i < doc->nblocks; i++) {
        const struct block *b = &doc->blocks[i];
        if (b->kind == BLK_IMAGE)
            measure_image(&L, i, b->u.image.path, b->u.image.width,
                          b->u.image.height, L.w);
        else if (b->kind == BLK_COVER && b->u.cover.logo)
            measure_image(&L, i, b->u.cover.logo, 0, COVER_LOGO, L.w);
    }

    /* The page arena exists in both passes: pass 1 makes the same
     * decisions as pass 2, so any scratch a block needs for the current
     * page must be there too. */
    L.arena = arena_new();

    /* Pass 1: pagination only. Warnings are given once, here. An error
     * (an image that cannot be read, settings that leave no room) ends
     * the run before any page reaches the sink: no PDF is written and the
     * previous one stays. */
    L.emit = false;
    run_pass(&L);
    L.npages = L.pageno;
    if (d->errors > errors)
        L.failed = true;

    /* Pass 2: the same decisions, drawn page by page. */
    L.tx.d = NULL;
    L.emit = true;
    if (!L.failed)
        run_pass(&L);
    if (pages)
        *pages = L.npages;

    arena_free(L.arena);
    dl_store_release(&L.items);
    text_lines_release(&L.lines);
    text_lines_release(&L.cell);
    breakmemo_release(&L.memo);
    text_ctx_release(&L.tx);
    free(L.hpage);
    free(L.hy);
    free(L.imgw);
    free(L.imgh);
    return !L.failed;
}
