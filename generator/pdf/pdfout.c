/* pdfout: the PDF writer's driver: opens the document, turns every
 * display-list page into a libharu page whose content stream informe
 * writes (content.c) and deflates itself, with the fonts (fonts.c) and
 * images it uses, its bookmarks and links (document.c) and its marked
 * content (tags.c), and saves it (save.c); routes around the libharu
 * 2.3.0 pitfalls listed in LIBS.md.
 *
 * A page's items are painted in the order paintorder.c gives: artifacts
 * moved before the text they do not touch, the header and footer last. */

#include "pdf/pdfout.h"

#include "pdf/flate.h"
#include "pdf/internal.h"

#include "base/arena.h"
#include "base/utf8.h"
#include "media/image.h"

#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include <stdlib.h>
#include <string.h>

/* Deflate settings of the page content streams. Measured on the
 * 1,197-page report of bench/spec.yaml at scale L (instructions of the
 * whole run, file bytes): level 3 with zlib's default memory (8) 4.116 G,
 * 7,308,867; memory level 7 (a hash table half as big, cleared for every
 * page) 4.088 G for 681 bytes more, the best product of the two; level 2
 * 4.076 G but 1 % bigger; level 4 +11 % instructions for 2.5 % smaller,
 * level 6 +19 % for 5.5 %. A smaller window (14) only grows the file. */
#define CONTENT_ZLEVEL 3
#define CONTENT_ZMEMLEVEL 7

struct pdfout *pdfout_open(const struct doc_settings *set,
                           const struct fontset *fonts, struct diag *d)
{
    if (!pdf_doc_check(set, d))
        return NULL;
    struct pdfout *w = xmalloc(sizeof *w);
    memset(w, 0, sizeof *w);
    w->d = d;
    w->fonts = fonts;
    w->arena = arena_new();
    content_init(&w->page);
    paintorder_init(&w->paint);
    for (int f = 0; f < FACE_COUNT; f++)
        w->ink[f] = paint_ink_of(&fonts->face[f]);
    buf_init(&w->packed);
    zpipe_init(&w->zp, CONTENT_ZLEVEL, CONTENT_ZMEMLEVEL);
    pdf_fonts_init(w);
    pdf_tags_init(w, !set->untagged);
    w->pdfa = set->pdfa;
    if (w->pdfa)
        HPDF_MD5Init(&w->md5);
    if (!pdf_doc_open(w, set) ||
        (!pdf_pdfa_open(w) && !pdf_fail(w, "preparar el documento"))) {
        pdfout_discard(w);
        return NULL;
    }
    return w;
}

/* ---- drawing ------------------------------------------------------------- */

static void draw_text(struct pdfout *w, HPDF_Page page,
                      const struct dl_item *it)
{
    if (!content_text_visible(it))
        return;
    content_prepare_text(&w->page);
    pdf_tags_paint(w, it->art);
    struct pdf_font *pf = pdf_font(w, it->face);
    if (!pf)
        return;
    const char *name = NULL;
    if (content_font_changes(&w->page, &pf->glyphs, it->h)) {
        name = HPDF_Page_GetLocalFontName(page, pf->font);
        if (!name) {
            if (!w->err)
                w->err = HPDF_INVALID_OBJECT;
            return;
        }
    }
    content_text(&w->page, it, &pf->glyphs, name);
}

/* PDF/A-1 allows no soft mask: the picture is painted onto white. */
static void flatten(struct image *img)
{
    size_t n = (size_t)img->width * img->height;
    unsigned c = img->components;
    for (size_t i = 0; i < n; i++) {
        unsigned a = img->alpha[i];
        for (unsigned k = 0; k < c; k++) {
            unsigned char *p = &img->pixels[i * c + k];
            *p = (unsigned char)((*p * a + 255 * (255 - a) + 127) / 255);
        }
    }
}

/* Decodes the picture with our own code (never libharu's PNG reader,
 * which aborts on bad files) and hands libharu raw samples. */
static HPDF_Image load_image(struct pdfout *w, const char *path)
{
    struct arena *scratch = arena_new();
    struct image img;
    HPDF_Image out = NULL;
    if (!image_load(scratch, w->d, path, &img)) {
        w->failed = true;
        goto done;
    }
    if (img.format == IMAGE_JPEG) {
        out = HPDF_LoadJpegImageFromMem(w->pdf, img.data, (HPDF_UINT)img.len);
    } else {
        HPDF_ColorSpace cs =
            img.components == 1 ? HPDF_CS_DEVICE_GRAY : HPDF_CS_DEVICE_RGB;
        if (w->pdfa && img.alpha) {
            flatten(&img);
            img.alpha = NULL;
        }
        out = HPDF_LoadRawImageFromMem(w->pdf, img.pixels, img.width,
                                       img.height, cs, 8);
        if (out && img.alpha) {
            HPDF_Image mask =
                HPDF_LoadRawImageFromMem(w->pdf, img.alpha, img.width,
                                         img.height, HPDF_CS_DEVICE_GRAY, 8);
            if (!mask || HPDF_Image_AddSMask(out, mask) != HPDF_OK)
                out = NULL;
        }
    }
    if (!out) {
        char *what = arena_printf(w->arena, "incluir la imagen '%s'", path);
        pdf_fail(w, what);
    }
done:
    arena_free(scratch);
    return out;
}

static HPDF_Image find_image(struct pdfout *w, const char *path)
{
    for (size_t i = 0; i < w->nimages; i++)
        if (strcmp(w->images[i].path, path) == 0)
            return w->images[i].image;
    HPDF_Image img = load_image(w, path);
    w->images =
        pdf_grow(w->images, &w->capimages, w->nimages + 1, sizeof *w->images);
    w->images[w->nimages].path = arena_strdup(w->arena, path);
    w->images[w->nimages].image = img;
    w->nimages++;
    return img;
}

static void draw_image(struct pdfout *w, HPDF_Page page,
                       const struct dl_item *it)
{
    HPDF_Image img = find_image(w, it->text);
    if (!img) {
        w->failed = true;
        return;
    }
    content_prepare_graphics(&w->page);
    pdf_tags_paint(w, it->art);
    const char *name = HPDF_Page_GetXObjectName(page, img);
    if (!name) {
        if (!w->err)
            w->err = HPDF_INVALID_OBJECT;
        return;
    }
    content_image(&w->page, it, name);
}

/* The deflated bytes n of data as the content of page, held in w's
 * arena until the save (its contents stream is the page's stream). */
static bool put_content(struct pdfout *w, HPDF_Page page, const char *data,
                        size_t n)
{
    HPDF_PageAttr pa = (HPDF_PageAttr)page->attr;
    HPDF_Stream held = pdf_flate_hold(pa->contents, w->arena, data, n);
    if (!held)
        return false;
    pa->stream = held;
    return true;
}

/* ---- deflating on a second thread ----------------------------------------
 *
 * A page's operators are handed to the thread of w->zp when the page is
 * done, and its deflated bytes written into its stream when a slot is
 * needed again (ZPIPE_SLOTS pages later) or at save: zlib then runs on
 * another core while the next pages are drawn. Every libharu call stays
 * on this thread, and the bytes are those deflated here. The thread runs
 * per document: started at page PIPE_FROM_PAGE (a small document is done
 * sooner than a thread pays off), only when a core is idle then
 * (idle_core) and not when pdfout_threads turned it off (--jobs N keeps
 * every core busy),
 * and joined before the document is saved or discarded, so that no thread
 * exists outside pdfout_page and pdfout_save (a fork never meets one). */
#define PIPE_FROM_PAGE 8

void pdfout_keep(bool on)
{
    pdf_flate_memo_keep(on);
}

static bool use_pipe(struct pdfout *w, unsigned number)
{
    if (w->zp.running)
        return true;
    if (w->zp_tried || number == 0 || pdf_threads_mode() == PDFOUT_THREADS_OFF)
        return false;
    if (pdf_threads_mode() == PDFOUT_THREADS_AUTO && number < PIPE_FROM_PAGE)
        return false;
    w->zp_tried = true; /* decided once per document */
    if (pdf_threads_mode() == PDFOUT_THREADS_AUTO && !pdf_idle_core_now())
        return false;
    return zpipe_start(&w->zp);
}

/* Writes the oldest page the thread deflated into its stream. False
 * after reporting, as "dibujar la página N" of that page. */
static bool collect(struct pdfout *w)
{
    struct zjob *j = zpipe_wait(&w->zp);
    size_t i = j->tag;
    bool ok = j->ok && put_content(w, w->pages[i].page, j->out.data, j->len);
    zpipe_release(&w->zp);
    if (ok)
        return true;
    if (!w->err)
        w->err = HPDF_FAILD_TO_ALLOC_MEM;
    char *what = arena_printf(w->arena, "dibujar la página %zu", i + 1);
    return pdf_fail(w, what);
}

/* Every page handed to the thread, written; the thread joined. */
static bool drain(struct pdfout *w)
{
    bool ok = true;
    while (ok && w->zp.running && zpipe_wait(&w->zp))
        ok = collect(w);
    zpipe_stop(&w->zp);
    return ok;
}

/* Hands the page's operators (w->page.ops, swapped with a free slot's
 * buffer) to the thread. */
static bool queue_content(struct pdfout *w, unsigned number)
{
    if (zpipe_full(&w->zp) && !collect(w))
        return false;
    struct zjob *j = zpipe_slot(&w->zp);
    struct buf t = j->in;
    j->in = w->page.ops;
    w->page.ops = t;
    zpipe_prepare(j);
    j->tag = number - 1;
    zpipe_submit(&w->zp);
    return true;
}

/* Hands the page's content to libharu, deflated (now, or by the thread). */
static bool write_content(struct pdfout *w, HPDF_Page page, unsigned number)
{
    const struct buf *ops = &w->page.ops;
    pdf_pdfa_hash(w, ops->data, ops->len);
    HPDF_PageAttr pa = (HPDF_PageAttr)page->attr;
    if (HPDF_Stream_Size(pa->stream) != 0) {
        /* libharu wrote something itself: append, and let it deflate. */
        return HPDF_Stream_Write(pa->stream, (const HPDF_BYTE *)ops->data,
                                 (HPDF_UINT)ops->len) == HPDF_OK;
    }
    if (use_pipe(w, number))
        return queue_content(w, number);
    if (!w->z_ready) {
        zpipe_zinit(&w->z, CONTENT_ZLEVEL, CONTENT_ZMEMLEVEL);
        w->z_ready = true;
    }
    size_t bound = zpipe_bound(&w->z, ops->len);
    buf_clear(&w->packed);
    buf_grow(&w->packed, bound);
    size_t n;
    return zpipe_deflate(&w->z, CONTENT_ZLEVEL, ops->data, ops->len,
                         w->packed.data, bound, &n) &&
           put_content(w, page, w->packed.data, n);
}

static void draw_item(struct pdfout *w, HPDF_Page page, const struct dl_page *p,
                      const struct dl_item *it)
{
    switch (it->kind) {
    case DL_TEXT:
        draw_text(w, page, it);
        break;
    case DL_RECT:
        if (it->fill != COLOR_NONE || it->stroke != COLOR_NONE) {
            content_prepare_graphics(&w->page);
            pdf_tags_paint(w, it->art);
        }
        content_rect(&w->page, it);
        break;
    case DL_LINE:
        if (it->stroke != COLOR_NONE) {
            content_prepare_graphics(&w->page);
            pdf_tags_paint(w, it->art);
        }
        content_line(&w->page, it);
        break;
    case DL_IMAGE:
        draw_image(w, page, it);
        break;
    case DL_LINK:
        pdf_doc_link(w, page, p->height, p->number, it);
        w->links[w->nlinks - 1].owner = pdf_tags_link(w, w->nlinks - 1);
        break;
    case DL_BEGIN:
        pdf_tags_begin(w, it);
        break;
    case DL_END:
        pdf_tags_end(w);
        break;
    }
}

/* The page's items in painting order. */
static void draw_items(struct pdfout *w, HPDF_Page page,
                       const struct dl_page *p)
{
    paintorder_page(&w->paint, p, w->ink);
    for (size_t k = 0; k < w->paint.n && !w->err && !w->failed; k++) {
        uint32_t i = w->paint.order[k];
        if (w->paint.restart[i]) {
            /* Content begins a new sequence there; an artifact may go on
             * in its own, but a run is placed anew either way. */
            if (p->items[i].art == DL_ART_NONE)
                content_mark_end(&w->page);
            content_place_anew(&w->page);
        }
        draw_item(w, page, p, &p->items[i]);
    }
}

bool pdfout_page(void *ctx, const struct dl_page *p)
{
    struct pdfout *w = ctx;
    if (w->failed)
        return false;
    HPDF_Page page = pdf_doc_page(w, p);
    if (!page)
        return false;

    content_begin(&w->page, p->height);
    pdf_tags_page_begin(w, p->number);
    draw_items(w, page, p);
    if (!w->err && !w->failed) {
        pdf_tags_page_end(w, page);
        content_end(&w->page);
        if (!write_content(w, page, p->number) && !w->err && !w->failed)
            w->err = HPDF_FAILD_TO_ALLOC_MEM;
    }
    if (!w->err && !w->failed)
        pdf_doc_bookmarks(w, page, p);
    if (w->failed)
        return false;
    if (w->err) {
        char *what = arena_printf(w->arena, "dibujar la página %u", p->number);
        return pdf_fail(w, what);
    }
    uint32_t bad = w->page.bad;
    if (bad == UTF8_BAD)
        diag_warning(w->d, NULL, 0, 0,
                     "la página %u tiene texto con bytes UTF-8 inválidos; "
                     "se muestran como U+FFFD",
                     p->number);
    else if (bad)
        diag_warning(w->d, NULL, 0, 0,
                     "la página %u tiene caracteres fuera del plano básico "
                     "de Unicode (U+%04X); se muestran como U+FFFD",
                     p->number, (unsigned)bad);
    return true;
}

/* ---- saving ---------------------------------------------------------------
 */

/* What every save does first: links, fonts, and a page at least. */
static bool finish_document(struct pdfout *w, const char *name)
{
    if (w->failed || !drain(w) || !pdf_doc_links(w) || !pdf_fonts_finish(w) ||
        !pdf_tags_finish(w))
        return false;
    if (!pdf_pdfa_finish(w))
        return pdf_fail(w, "escribir lo que pide PDF/A");
    if (w->npages == 0) {
        /* libharu writes a file with no page that viewers reject. */
        diag_error_code(w->d, EXIT_SOFTWARE, NULL, 0, 0,
                        "el documento '%s' no tiene páginas", name);
        return false;
    }
    return true;
}

bool pdfout_save_later(struct pdfout *w, const char *path, struct commit *c)
{
    *c = (struct commit){.fd = -1};
    bool ok = finish_document(w, path) && pdf_save_file(w, path, c);
    pdfout_discard(w);
    return ok;
}

bool pdfout_save(struct pdfout *w, const char *path)
{
    struct diag *d = w->d;
    struct commit c;
    if (!pdfout_save_later(w, path, &c))
        return false;
    commit_start(&c, false);
    return commit_finish(&c, d);
}

bool pdfout_save_mem(struct pdfout *w, const char *name, struct buf *out)
{
    bool ok = finish_document(w, name) && pdf_save_mem(w, name, out);
    pdfout_discard(w);
    return ok;
}

void pdfout_discard(struct pdfout *w)
{
    if (!w)
        return;
    zpipe_stop(&w->zp); /* before anything it may be deflating */
    pdf_tags_free(w);   /* before libharu's document */
    pdf_doc_free(w);
    pdf_fonts_free(w);
    free(w->images);
    if (w->z_ready)
        deflateEnd(&w->z);
    content_release(&w->page);
    paintorder_release(&w->paint);
    buf_release(&w->packed);
    arena_free(w->arena);
    free(w);
}
