/* pdf_int: what the PDF writer's files share: the writer's state and the
 * entry points of its parts. pdfout.c drives them (pages, images, the
 * content streams handed to libharu); document.c owns the libharu
 * document (errors, metadata, password, bookmarks, links); tags.c the
 * structure tree; xmp.c the XMP metadata; fonts.c the fonts; save.c the
 * atomic save. The content streams themselves are written by content.c,
 * which knows nothing of libharu. */
#ifndef INFORME_PDF_INT_H
#define INFORME_PDF_INT_H

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "doc/dlist.h"
#include "doc/doc.h"
#include "media/font.h"
#include "pdf/content.h"
#include "pdf/paintorder.h"
#include "pdf/pdfout.h"
#include "pdf/zpipe.h"

#include <hpdf.h>
#include <hpdf_encrypt.h>
#include <hpdf_objects.h>
#include <zlib.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deeper bookmark levels hang under the deepest one kept. */
#define PDF_OUTLINE_LEVELS 8

/* A font file used by the document, and the code points drawn with it:
 * the font's objects are written for exactly these when the document is
 * saved (fonts.c). */
struct pdf_font {
    const char *path;
    const struct font_metrics *metrics; /* its file is subset at save */
    HPDF_Dict font;                     /* the Type0 font the pages name */
    HPDF_Dict descriptor;               /* made at save */
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
    const char *text;      /* description (/Contents), in w->arena, or NULL */
    uint32_t owner;        /* structure element, TAG_NONE: untagged */
    HPDF_Annotation annot; /* made by pdf_doc_links */
};

struct pdf_page {
    HPDF_Page page;
    float height;
    /* tags.c: the page's marked-content identifiers are w->tags.owner
     * [mc_first, mc_first + mc_count); its /StructParents key or -1 */
    size_t mc_first, mc_count;
    long parents;
    bool tabs; /* /Tabs /S written (a page with links) */
};

/* ---- the structure tree (tags.c) ---- */

#define TAG_NONE UINT32_MAX
#define TAG_DOCUMENT 0xFF /* the role of element 0 */
/* The most rows a TBody holds: PDF/A-1's longest array (ISO 19005-1,
 * 6.1.12, after PDF 1.4's Appendix C). */
#define TAG_KIDS_MAX 8191u
/* A kid's kind, in the top two bits of pdf_kid.v */
#define KID_ELEM 0u
#define KID_MCID 1u
#define KID_OBJR 2u
#define KID_KIND(v) ((v) >> 30)
#define KID_VALUE(v) ((v)&0x3FFFFFFFu)

/* A structure element (12 bytes): its parent, its kids as a chain in
 * pdf_tags.kid, its role and argument (a heading's level, a cell's column
 * span). While the pages are drawn, kids is the last kid added and the
 * chain runs backwards; pdf_tags_close turns every chain around, and
 * kids is then the first. Element 0 is the document. The page of an
 * element's first marked content is found from its kids, a figure's
 * description in pdf_tags.alt. */
struct pdf_elem {
    uint32_t parent, kids;
    uint16_t arg;
    uint8_t role; /* enum dl_role, or TAG_DOCUMENT */
};

/* A kid of an element (8 bytes): another element (its index), marked
 * content (the index of its identifier in pdf_tags.owner, from which its
 * page follows) or a link annotation (its index in pdfout.links); the
 * kind is in the top two bits of v. */
struct pdf_kid {
    uint32_t next, v;
};

/* A figure's description: offset + 1 in pdf_tags.text. */
struct pdf_alt {
    uint32_t elem, text;
};

/* The first marked-content identifier (an index of pdf_tags.owner) of a
 * page that has some, and the page's index. */
struct pdf_mcpage {
    uint32_t first, page;
};

/* A leaf of the parent tree: its first page (index of pdfout.pages) and
 * link (index of pdfout.links), its first and last key. */
struct pdf_leaf {
    uint32_t page, link;
    long lo, hi;
};

struct pdf_tags {
    bool on;
    struct pdf_elem *el;
    size_t nel, capel;
    struct pdf_kid *kid;
    size_t nkid, capkid;
    uint32_t *stack; /* the elements open, innermost last */
    size_t nstack, capstack;
    struct buf text;     /* alternate descriptions, each NUL-terminated */
    struct pdf_alt *alt; /* by element */
    size_t nalt, capalt;
    uint32_t *owner; /* the element of every marked-content identifier */
    size_t nowner, capowner;
    struct pdf_mcpage *mcpage; /* by page */
    size_t nmcpage, capmcpage;
    long nparents; /* /StructParents keys given to pages */
    /* the page being drawn: its index, and the marked-content sequence
     * open in its stream (an element's, or with open_art an artifact's) */
    uint32_t page;
    bool page_tagged;
    bool is_open;
    uint32_t open_elem;
    unsigned open_art;
    /* saving (tagsave.c): the tree's root; the parent tree's leaves and
     * its next key; with object streams, the streams and the
     * cross-reference stream; else the shared writer of the elements' and
     * leaves' objects and their xref entries (one block, taken out of
     * libharu's list before it frees it); the object number of element 0
     * (the leaves follow the elements), and the next object to write */
    uint32_t root;
    struct pdf_leaf *leaf;
    size_t nleaf;
    long next_key;
    bool objstm;
    HPDF_Dict *streams;
    size_t nstreams;
    size_t stream_hint; /* the stream after the last one written */
    HPDF_Dict xrefstm;
    HPDF_Dict writer;
    HPDF_XrefEntry_Rec *entries;
    size_t first_entry, nentries;
    uint32_t base;
    size_t next;
    HPDF_Stream stream;         /* the file, while a stream is written */
    struct buf out, body, zbuf; /* scratch; a stream deflated here */
    z_stream z;
    bool z_ready;
    /* the object streams deflated on both cores (tagsave.c): the pipe,
     * the streams handed to it, and whether the stream being written is
     * the pipe's job (released once written) */
    struct zpipe zp;
    bool zp_tried, zp_held;
    size_t zp_queued;
    const char *zdata; /* the deflated data of the stream being written */
    size_t zlen;
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
    struct buf tounicode; /* the ToUnicode map, deflated */

    /* pdfout.c: images by path; the page being drawn. informe writes the
     * content stream itself and deflates it when the page is done, so
     * libharu holds only the compressed bytes and no library call is made
     * per text run. */
    struct pdf_image *images;
    size_t nimages, capimages;
    struct content page;
    struct paintorder paint;          /* the page's items, in order */
    struct paint_ink ink[FACE_COUNT]; /* of the faces, for paint */
    struct buf packed;                /* deflated content */
    z_stream z;
    bool z_ready;
    struct zpipe zp; /* deflating on a second thread (pdfout.c) */
    bool zp_tried;

    struct pdf_tags tags;

    /* pdfa.c: a PDF/A-1b file; the MD5 of its content, for its /ID */
    bool pdfa;
    HPDF_MD5_CTX md5;
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
/* cores.c: the mode pdfout_threads set; whether a core is idle at this
 * moment (pdfout_idle_core over /proc/loadavg; no reading: no); and
 * whether the document being saved may give work to a second thread now
 * (the mode, then an idle core): the object streams of its structure
 * tree, asked only when it has several. */
enum pdfout_threads pdf_threads_mode(void);
bool pdf_idle_core_now(void);
bool pdf_second_thread(void);
/* Grows a heap array (not an arena one: the writer outlives many page
 * arenas and these grow with the page count) to hold need elements. */
void *pdf_grow(void *arr, size_t *cap, size_t need, size_t size);
/* A new page of p's size, registered under p's number for links. Returns
 * NULL after reporting. */
HPDF_Page pdf_doc_page(struct pdfout *w, const struct dl_page *p);
/* Keeps DL_LINK item it of page number (height high) for pdf_doc_links
 * (untagged: owner TAG_NONE). */
void pdf_doc_link(struct pdfout *w, HPDF_Page page, float height,
                  unsigned number, const struct dl_item *it);
/* The bookmarks of page p. */
void pdf_doc_bookmarks(struct pdfout *w, HPDF_Page page,
                       const struct dl_page *p);
/* Turns the links kept into annotations; false after reporting. */
bool pdf_doc_links(struct pdfout *w);

/* ---- tags.c ---- */

/* Starts the structure tree (its root element, the document) when
 * tagged is true; else every other call does nothing. */
void pdf_tags_init(struct pdfout *w, bool tagged);
/* Frees the tree; before pdf_doc_free (it gives libharu's list of
 * objects back as libharu made it). */
void pdf_tags_free(struct pdfout *w);
/* A page begins and ends (number 1-based; 0: a page left untagged). At
 * its end the open marked-content sequence is closed and the page gets
 * its /StructParents. */
void pdf_tags_page_begin(struct pdfout *w, unsigned number);
void pdf_tags_page_end(struct pdfout *w, HPDF_Page page);
/* The structure type of element e ("TD", "H2", "Document"); out holds
 * a heading's. */
const char *pdf_tags_type(const struct pdf_elem *e, char out[8]);
/* After the last page: every element's kids in order, and a TBody of
 * more than TAG_KIDS_MAX rows split into several (see tags.c). */
void pdf_tags_close(struct pdfout *w);
/* The page (index of pdfout.pages) of marked-content identifier g (an
 * index of pdf_tags.owner); *hint is a page to try first. */
uint32_t pdf_tags_mc_page(const struct pdf_tags *t, uint32_t g, size_t *hint);
/* A DL_BEGIN item, and a DL_END item. */
void pdf_tags_begin(struct pdfout *w, const struct dl_item *it);
void pdf_tags_end(struct pdfout *w);
/* Something is about to be painted, an artifact of kind art (enum
 * dl_artifact) or content of the element open: opens its marked-content
 * sequence, unless it is the one open already. */
void pdf_tags_paint(struct pdfout *w, unsigned art);
/* The element owning link `link` (an index of w->links), which gets it as
 * a kid; TAG_NONE when untagged. */
uint32_t pdf_tags_link(struct pdfout *w, size_t link);

/* ---- tagsave.c ---- */

/* After the links: the tree's objects, /StructTreeRoot, /MarkInfo, and
 * the links' /StructParent. False after reporting. */
bool pdf_tags_finish(struct pdfout *w);

/* ---- xmp.c ---- */

/* The catalog's /Metadata: an XMP packet of the settings' title, author,
 * subject, keywords and dates, with pdfuaid:part 1 when tagged. */
bool pdf_xmp_add(struct pdfout *w, const struct doc_settings *set);

/* ---- pdfa.c ---- */

/* With PDF/A (else nothing): adds bytes to the hash the /ID is made of
 * (w->md5, started by pdfout_open); the output intent with the sRGB
 * profile; the links' print flag, the fonts' /CIDSet and the /ID. The
 * last two return false with the libharu error recorded in w->err, for
 * the caller to report. */
void pdf_pdfa_hash(struct pdfout *w, const void *data, size_t len);
bool pdf_pdfa_open(struct pdfout *w);
bool pdf_pdfa_finish(struct pdfout *w);

/* ---- fonts.c ---- */

void pdf_fonts_init(struct pdfout *w);
void pdf_fonts_free(struct pdfout *w);
/* The font of a face, made at its first use; NULL after reporting. */
struct pdf_font *pdf_font(struct pdfout *w, enum face face);
/* Writes the fonts' objects for the code points drawn; false after
 * reporting. */
bool pdf_fonts_finish(struct pdfout *w);

/* ---- save.c ---- */

/* Writes the finished document to a temporary file next to path and
 * prepares *c to put it in place (pdfout_save_later); a device or a pipe
 * is written directly, leaving nothing to commit. */
bool pdf_save_file(struct pdfout *w, const char *path, struct commit *c);
/* Appends the finished document to out (pdfout_save_mem). */
bool pdf_save_mem(struct pdfout *w, const char *name, struct buf *out);

#endif
