/* pdf_int: what the PDF writer's files share: the writer's state and the
 * entry points of its parts. pdfout.c drives them (pages, images, the
 * content streams handed to libharu); document.c owns the libharu
 * document (errors, metadata, password, bookmarks, links); fonts.c the
 * fonts; save.c the atomic save. The content streams themselves are
 * written by content.c, which knows nothing of libharu. */
#ifndef INFORME_PDF_INT_H
#define INFORME_PDF_INT_H

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "doc/dlist.h"
#include "doc/doc.h"
#include "media/font.h"
#include "pdf/content.h"
#include "pdf/pdfout.h"

#include <hpdf.h>
#include <zlib.h>

#include <stdbool.h>
#include <stddef.h>

/* Deeper bookmark levels hang under the deepest one kept. */
#define PDF_OUTLINE_LEVELS 8

/* A font file loaded into the document, and the code points drawn with it:
 * the widths and the glyph map of the font are written for exactly these
 * when the document is saved. */
struct pdf_font {
    const char *path;
    HPDF_Font font;
    struct content_font glyphs;
};

struct pdf_image {
    const char *path; /* in w->arena */
    HPDF_Image image; /* NULL: loading failed (already reported) */
};

/* A link is resolved at save time: a table of contents points forward to
 * pages that do not exist yet when it is drawn. */
struct pdf_link {
    HPDF_Page page;
    HPDF_Rect rect;
    unsigned source_page;
    unsigned target_page;
    float target_y;
};

struct pdf_page {
    HPDF_Page page;
    float height;
};

struct pdfout {
    HPDF_Doc pdf;
    struct diag *d;
    struct arena *arena; /* paths and other small strings */
    /* The first libharu error, recorded by the handler; libharu errors are
     * sticky, so only the first one means anything. */
    HPDF_STATUS err, detail;
    int save_errno; /* errno when that error was recorded (ENOMEM: a
                     * library's fopen or malloc failed) */
    bool failed;    /* an error has been reported: stop drawing */
    HPDF_Encoder utf8;

    /* document.c: pages by number - 1, links, last outline of each level */
    struct pdf_page *pages;
    size_t npages, cappages;
    struct pdf_link *links;
    size_t nlinks, caplinks;
    HPDF_Outline outline[PDF_OUTLINE_LEVELS];

    /* fonts.c */
    const struct fontset *fonts;
    struct pdf_font *face_font[FACE_COUNT];
    struct pdf_font *loaded[FACE_COUNT];
    size_t nloaded;
    struct buf tounicode;

    /* pdfout.c: images by path; the page being drawn. informe writes the
     * content stream itself and deflates it when the page is done, so
     * libharu holds only the compressed bytes and no library call is made
     * per text run. */
    struct pdf_image *images;
    size_t nimages, capimages;
    struct content page;
    struct buf packed; /* deflated content */
    z_stream z;
    bool z_ready;
};

/* ---- document.c ---- */

/* False, after reporting to d, when the settings cannot make a document
 * (an empty owner password). */
bool pdf_doc_check(const struct doc_settings *set, struct diag *d);
/* Creates w->pdf with the settings' metadata and password. Returns false
 * after reporting (w must then be discarded). */
bool pdf_doc_open(struct pdfout *w, const struct doc_settings *set);
/* Frees the libharu document, the pages and the links. */
void pdf_doc_free(struct pdfout *w);
/* Reports the recorded libharu error once; what says what was being done
 * ("dibujar la página 3"). Returns false. */
bool pdf_fail(struct pdfout *w, const char *what);
/* True when one of libharu's allocations failed since pdf_doc_open. */
bool pdf_alloc_failed(void);
/* Grows a heap array (not an arena one: the writer outlives many page
 * arenas and these grow with the page count) to hold need elements. */
void *pdf_grow(void *arr, size_t *cap, size_t need, size_t size);
/* A new page of p's size, registered under p's number for links. Returns
 * NULL after reporting. */
HPDF_Page pdf_doc_page(struct pdfout *w, const struct dl_page *p);
/* Keeps DL_LINK item it of page number (height high) for pdf_doc_links. */
void pdf_doc_link(struct pdfout *w, HPDF_Page page, float height,
                  unsigned number, const struct dl_item *it);
/* The bookmarks of page p. */
void pdf_doc_bookmarks(struct pdfout *w, HPDF_Page page,
                       const struct dl_page *p);
/* Turns the links kept into annotations; false after reporting. */
bool pdf_doc_links(struct pdfout *w);

/* ---- fonts.c ---- */

void pdf_fonts_init(struct pdfout *w);
void pdf_fonts_free(struct pdfout *w);
/* The font of a face, loaded at its first use; NULL after reporting. */
struct pdf_font *pdf_font(struct pdfout *w, enum face face);
/* Writes the widths and glyph maps of the code points drawn; false after
 * reporting. */
bool pdf_fonts_finish(struct pdfout *w);

/* ---- save.c ---- */

/* Writes the finished document to path atomically (pdfout_save). */
bool pdf_save_file(struct pdfout *w, const char *path);
/* Appends the finished document to out (pdfout_save_mem). */
bool pdf_save_mem(struct pdfout *w, const char *name, struct buf *out);

#endif
