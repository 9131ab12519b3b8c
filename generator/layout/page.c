/* page: pages with their header and footer, room on the page, and the
 * drawing primitives of every layout module (see page.h). */
#include "layout/page.h"

#include "base/buf.h"
#include "base/limits.h"

#include <string.h>

/* ------------------------------------------------------------ drawing --- */

void lay_text(struct lay *L, double x, double y, enum face face, double size,
              uint32_t color, const char *s, size_t n, double w)
{
    if (L->emit && n > 0)
        dl_text(&L->page, (float)x, (float)y, face, (float)size, color, s, n,
                (float)w)
            ->art = (uint8_t)L->art;
}

void lay_rect(struct lay *L, double x, double y, double w, double h,
              uint32_t fill, uint32_t stroke, float lw)
{
    if (L->emit)
        dl_rect(&L->page, (float)x, (float)y, (float)w, (float)h, fill, stroke,
                lw)
            ->art = (uint8_t)L->art;
}

void lay_line(struct lay *L, double x1, double y1, double x2, double y2,
              uint32_t color, float lw)
{
    if (L->emit)
        dl_line(&L->page, (float)x1, (float)y1, (float)x2, (float)y2, color, lw)
            ->art = (uint8_t)L->art;
}

void lay_image(struct lay *L, double x, double y, double w, double h,
               const char *path)
{
    if (L->emit)
        dl_image(&L->page, (float)x, (float)y, (float)w, (float)h, path)->art =
            (uint8_t)L->art;
}

void lay_draw_lines(struct lay *L, const struct text_lines *l, size_t a,
                    size_t b, double x, double width, double y, double size,
                    double pitch, enum align align, uint32_t color)
{
    if (!L->emit)
        return;
    for (size_t i = a; i < b && i < l->n; i++) {
        const struct text_line *ln = &l->line[i];
        double lx = x;
        if (align == ALIGN_CENTER)
            lx = x + (width - ln->width) / 2;
        else if (align == ALIGN_RIGHT)
            lx = x + width - ln->width;
        double base = y + (double)(i - a) * pitch + size;
        for (size_t k = 0; k < ln->n; k++) {
            const struct text_frag *f = &l->frag[ln->first + k];
            lay_text(L, lx + f->x, base, f->face, size, color, f->text, f->len,
                     f->w);
        }
    }
}

/* ---------------------------------------------------------- structure --- */

unsigned lay_begin_text(struct lay *L, enum dl_role role, const char *text,
                        size_t len)
{
    if (!L->emit)
        return 0;
    dl_begin(&L->page, role, 0, text, len);
    return ++L->elements;
}

unsigned lay_begin(struct lay *L, enum dl_role role, unsigned arg)
{
    if (!L->emit)
        return 0;
    dl_begin(&L->page, role, arg, NULL, 0);
    return ++L->elements;
}

enum dl_artifact lay_artifact(struct lay *L, enum dl_artifact kind)
{
    enum dl_artifact was = L->art;
    L->art = kind;
    return was;
}

void lay_resume(struct lay *L, unsigned elem)
{
    if (L->emit)
        dl_resume(&L->page, elem);
}

void lay_end(struct lay *L)
{
    if (L->emit)
        dl_end(&L->page);
}

unsigned lay_heading_level(struct lay *L, unsigned level)
{
    unsigned most = L->hlevel + 1 < 6 ? L->hlevel + 1 : 6;
    unsigned t = level < 1 ? 1 : level > most ? most : level;
    L->hlevel = t;
    return t;
}

double lay_pitch(const struct lay *L, double size)
{
    double bs = L->set->body_size > 0 ? L->set->body_size : 9;
    double bl = L->set->body_leading > 0 ? L->set->body_leading : 11;
    return size * bl / bs;
}

/* -------------------------------------------------------------- pages --- */

/* Header and footer text with {page} and {pages} filled in; any other
 * brace comes doubled (doc.h). */
static void fill_page_vars(const struct lay *L, const char *s, struct buf *b)
{
    buf_clear(b);
    while (*s) {
        if ((s[0] == '{' || s[0] == '}') && s[1] == s[0]) {
            buf_addc(b, *s);
            s += 2;
        } else if (strncmp(s, "{page}", 6) == 0) {
            buf_printf(b, "%u", L->pageno);
            s += 6;
        } else if (strncmp(s, "{pages}", 7) == 0) {
            buf_printf(b, "%u", L->npages);
            s += 7;
        } else {
            buf_addc(b, *s++);
        }
    }
}

/* Positions of the house style: header baseline 1.3 cm below the top
 * edge, its rule at 1.5 cm, footer baseline 1.2 cm above the bottom. */
#define HEADER_BASE 36.85
#define HEADER_RULE 42.52
#define FOOTER_BASE 34.02
#define HF_SIZE 8.0

/* A header or footer text wider than the text area is cut, with an
 * ellipsis, at a character boundary: the band is one line and must stay
 * on the page. */
static void fit_band(struct lay *L, struct buf *b, double room)
{
    static const char ell[] = "\xE2\x80\xA6";
    double ew = text_width(&L->tx, FACE_REGULAR, HF_SIZE, ell, 3);
    /* Prefix lo (a character boundary) fits, prefix hi does not. */
    size_t lo = 0, hi = b->len;
    while (hi - lo > 1) {
        size_t m = lo + (hi - lo) / 2;
        while (m > lo && ((unsigned char)b->data[m] & 0xC0) == 0x80)
            m--;
        if (m == lo) {
            m = lo + (hi - lo) / 2;
            while (m < hi && ((unsigned char)b->data[m] & 0xC0) == 0x80)
                m++;
            if (m == hi)
                break;
        }
        if (text_width(&L->tx, FACE_REGULAR, HF_SIZE, b->data, m) + ew <= room)
            lo = m;
        else
            hi = m;
    }
    b->len = lo;
    buf_adds(b, ell);
}

static void draw_band(struct lay *L, const char *const part[3], double base,
                      struct buf *b)
{
    double right = L->set->page_width - L->set->margin_right;
    for (int i = 0; i < 3; i++) {
        if (!part[i] || !*part[i])
            continue;
        fill_page_vars(L, part[i], b);
        double w = text_width(&L->tx, FACE_REGULAR, HF_SIZE, b->data, b->len);
        if (w > L->w) {
            fit_band(L, b, L->w);
            w = text_width(&L->tx, FACE_REGULAR, HF_SIZE, b->data, b->len);
        }
        double x = i == 0   ? L->x0
                   : i == 1 ? L->x0 + (right - L->x0 - w) / 2
                            : right - w;
        lay_text(L, x, base, FACE_REGULAR, HF_SIZE, L->set->muted, b->data,
                 b->len, w);
    }
}

static void header_footer(struct lay *L)
{
    const struct doc_settings *s = L->set;
    struct buf b;
    buf_init(&b);
    text_ctx_at(&L->tx, NULL, 0, 0);
    enum dl_artifact was = lay_artifact(L, DL_ART_HEADER);
    draw_band(L, s->header, HEADER_BASE, &b);
    if ((s->header[0] && *s->header[0]) || (s->header[1] && *s->header[1]) ||
        (s->header[2] && *s->header[2]))
        lay_line(L, L->x0, HEADER_RULE, s->page_width - s->margin_right,
                 HEADER_RULE, s->rule, LAY_RULE_WIDTH);
    lay_artifact(L, DL_ART_FOOTER);
    draw_band(L, s->footer, s->page_height - FOOTER_BASE, &b);
    lay_artifact(L, was);
    buf_release(&b);
}

/* The block being laid out, for positioned messages. */
static const struct block *block_at(const struct lay *L)
{
    return L->block < L->doc->nblocks ? &L->doc->blocks[L->block] : NULL;
}

void lay_no_room(struct lay *L, double h)
{
    if (L->failed)
        return;
    L->failed = true;
    if (L->emit)
        return;
    const struct block *b = block_at(L);
    const struct doc_settings *s = L->set;
    diag_error(L->d, b ? b->file : NULL, b ? b->line : 0, b ? b->col : 0,
               "este bloque necesita %.1f pt de alto y el área de texto de "
               "la página mide %.1f pt (página de %.1f pt, márgenes superior "
               "e inferior de %.1f pt): no cabe en ninguna página",
               h, L->bottom - L->top, (double)s->page_height,
               (double)s->margin_top + s->margin_bottom);
}

void lay_finish_page(struct lay *L)
{
    if (!L->pageno)
        return;
    if (L->emit && !L->failed && !L->sink->page(L->sink->ctx, &L->page))
        L->failed = true;
    arena_reset(L->arena);
}

void lay_new_page(struct lay *L)
{
    lay_finish_page(L);
    L->pageno++;
    if (!L->emit && !L->failed && L->pageno > limit(LIMIT_PAGES)) {
        const struct block *b = block_at(L);
        limits_exceeded(L->d, LIMIT_PAGES, b ? b->file : NULL, b ? b->line : 0,
                        b ? b->col : 0, "el informe");
        L->failed = true;
    }
    L->y = L->top;
    L->pending = 0;
    L->page_empty = true;
    L->after_cover = false;
    if (L->emit) {
        dl_page_init(&L->page, L->arena, L->pageno, L->set->page_width,
                     L->set->page_height);
        dl_page_use(&L->page, &L->items);
        header_footer(L);
        const struct block *b =
            L->block < L->doc->nblocks ? &L->doc->blocks[L->block] : NULL;
        text_ctx_at(&L->tx, b ? b->file : NULL, b ? b->line : 0,
                    b ? b->col : 0);
    }
}

double lay_gap(const struct lay *L)
{
    return L->page_empty ? 0 : L->pending;
}

bool lay_fits(const struct lay *L, double h)
{
    return L->y + lay_gap(L) + h <= L->bottom + LAY_EPS;
}

void lay_ensure(struct lay *L, double h)
{
    if (L->after_cover || (!L->page_empty && !lay_fits(L, h)))
        lay_new_page(L);
}

double lay_take(struct lay *L, double h)
{
    double y = L->y + lay_gap(L);
    /* Callers make room first (lay_ensure); what still ends below the
     * text area is taller than any page. It is an error, never a drawing
     * off the page. */
    if (y + h > L->bottom + LAY_EPS)
        lay_no_room(L, y + h - (L->page_empty ? L->top : y));
    L->y = y + h;
    L->pending = 0;
    L->page_empty = false;
    return y;
}

void lay_space(struct lay *L, double h)
{
    if (!L->page_empty)
        L->pending += h;
}
