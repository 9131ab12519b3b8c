/* pdfout: draws display-list pages with libharu and saves the PDF
 * atomically; routes around the libharu 2.3.0 pitfalls listed in LIBS.md. */

#include "pdfout.h"

#include "arena.h"
#include "buf.h"
#include "image.h"
#include "utf8.h"

#include <hpdf.h>
#include <hpdf_font.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Permissions with an owner password. libharu's flags cover only the
 * revision-2 bits, so with revision 3 printing would be low resolution
 * and extraction for accessibility refused: add those bits (PDF 32000-1
 * table 22: 10 accessibility, 12 high-quality print) and the reserved ones
 * that must be set (7, 8, 13-32). Editing stays refused. */
#define PDF_PERMISSIONS                                                        \
    (HPDF_ENABLE_READ | HPDF_ENABLE_PRINT | HPDF_ENABLE_COPY | 0x200u |        \
     0x800u | 0xC0u | 0xFFFFF000u)

/* Deeper bookmark levels hang under the deepest one kept. */
#define MAX_OUTLINE_LEVEL 8

struct loaded_font {
    const char *path;
    HPDF_Font font;
};

struct cached_image {
    const char *path; /* in w->arena */
    HPDF_Image image; /* NULL: loading failed (already reported) */
};

/* A link is resolved at save time: a table of contents points forward to
 * pages that do not exist yet when it is drawn. */
struct pending_link {
    HPDF_Page page;
    HPDF_Rect rect;
    unsigned source_page;
    unsigned target_page;
    float target_y;
};

struct page_ref {
    HPDF_Page page;
    float height;
};

/* The graphics state last written to the current page, so that operators
 * are only emitted when something changes. */
struct pen {
    uint32_t fill, stroke;
    float line_width;
    HPDF_Font font;
    float size;
    bool in_text;
};

struct pdfout {
    HPDF_Doc pdf;
    struct diag *d;
    const struct fontset *fonts;
    struct arena *arena; /* paths and other small strings */
    /* The first libharu error, recorded by the handler; libharu errors are
     * sticky, so only the first one means anything. */
    HPDF_STATUS err, detail;
    bool failed; /* an error has been reported: stop drawing */
    HPDF_Encoder utf8;

    HPDF_Font face_font[FACE_COUNT];
    struct loaded_font loaded[FACE_COUNT];
    size_t nloaded;

    struct cached_image *images;
    size_t nimages, capimages;

    struct page_ref *pages; /* by page number - 1 */
    size_t npages, cappages;

    struct pending_link *links;
    size_t nlinks, caplinks;

    HPDF_Outline outline[MAX_OUTLINE_LEVEL]; /* last outline of each level */

    struct buf scratch; /* text rewritten before drawing */
    struct buf tounicode;
};

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no,
                          void *user)
{
    struct pdfout *w = user;
    if (!w->err) {
        w->err = error_no;
        w->detail = detail_no;
    }
}

/* Reports the recorded libharu error once; what says what was being done
 * ("dibujar la página 3"). */
static bool hpdf_fail(struct pdfout *w, const char *what)
{
    if (!w->failed)
        diag_error_code(w->d, EXIT_SOFTWARE, NULL, 0, 0,
                        "error interno de libharu 0x%04X (detalle %u) al %s",
                        (unsigned)w->err, (unsigned)w->detail, what);
    w->failed = true;
    return false;
}

/* Heap arrays (not arena ones): the writer outlives many page arenas and
 * these grow with the page count. */
static void *grow(void *arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return arr;
    size_t n = *cap ? *cap : 8;
    while (n < need)
        n *= 2;
    if (n > SIZE_MAX / size)
        arena_oom();
    *cap = n;
    return xrealloc(arr, n * size);
}

/* ---- fonts and their ToUnicode map ---------------------------------------
 *
 * In UTF-8 mode libharu shows text with Identity-H codes equal to the BMP
 * code points, so the correct ToUnicode map is the identity over the BMP.
 * libharu 2.3.0 writes an invalid one (a cidrange CMap, which poppler
 * rejects). Its stream object is rewritten in place rather than replaced,
 * so the invalid map never reaches the file, not even unreferenced. */

static void build_tounicode(struct buf *b)
{
    buf_adds(b, "/CIDInit /ProcSet findresource begin\n"
                "12 dict begin\n"
                "begincmap\n"
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                "/Supplement 0 >> def\n"
                "/CMapName /Adobe-Identity-UCS def\n"
                "/CMapType 2 def\n"
                "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    /* One bfrange per high byte (a range may only vary in its last byte),
     * skipping the surrogates, at most 100 to a block. */
    unsigned hi[256], n = 0;
    for (unsigned h = 0; h < 256; h++)
        if (h < 0xD8 || h > 0xDF)
            hi[n++] = h;
    for (unsigned i = 0; i < n; i += 100) {
        unsigned k = n - i < 100 ? n - i : 100;
        buf_printf(b, "%u beginbfrange\n", k);
        for (unsigned j = i; j < i + k; j++)
            buf_printf(b, "<%02X00> <%02XFF> <%02X00>\n", hi[j], hi[j], hi[j]);
        buf_adds(b, "endbfrange\n");
    }
    buf_adds(b, "endcmap\n"
                "CMapName currentdict /CMap defineresource pop\n"
                "end\n"
                "end\n");
}

static bool fix_tounicode(struct pdfout *w, HPDF_Font font)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    HPDF_Dict cm = attr ? attr->cmap_stream : NULL;
    HPDF_STATUS st = HPDF_OK;
    if (cm && cm->stream &&
        HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT) == cm) {
        HPDF_MemStream_FreeData(cm->stream);
        /* Entries of libharu's encoding CMap that do not belong to a
         * ToUnicode stream; absent keys are not an error. */
        static const char *const keys[] = {"Type", "CMapName", "CIDSystemInfo",
                                           "WMode"};
        for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
            HPDF_Dict_RemoveElement(cm, keys[i]);
    } else {
        /* A libharu that stores its map elsewhere: add ours. */
        cm = HPDF_DictStream_New(font->mmgr, attr->xref);
        if (!cm)
            return false;
        st = HPDF_Dict_Add(font, "ToUnicode", cm);
        cm->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    }
    if (st == HPDF_OK)
        st = HPDF_Stream_Write(cm->stream, (const HPDF_BYTE *)w->tounicode.data,
                               (HPDF_UINT)w->tounicode.len);
    if (st != HPDF_OK && !w->err)
        w->err = st;
    return st == HPDF_OK;
}

/* The libharu font for a face, loaded at its first use so that a report
 * only embeds the faces it draws; faces sharing a file share the font. */
static HPDF_Font face_font(struct pdfout *w, enum face face)
{
    if (w->face_font[face])
        return w->face_font[face];
    const char *path = w->fonts->face[face].path;
    if (!path)
        path = w->fonts->face[FACE_REGULAR].path;
    if (!path) {
        diag_error_code(w->d, EXIT_SOFTWARE, NULL, 0, 0,
                        "no hay archivo de fuente para el estilo %d", face);
        w->failed = true;
        return NULL;
    }
    for (size_t i = 0; i < w->nloaded; i++)
        if (strcmp(w->loaded[i].path, path) == 0)
            return w->face_font[face] = w->loaded[i].font;

    const char *name = HPDF_LoadTTFontFromFile(w->pdf, path, HPDF_TRUE);
    HPDF_Font font = name ? HPDF_GetFont(w->pdf, name, "UTF-8") : NULL;
    if (!font || !fix_tounicode(w, font)) {
        char *what = arena_printf(w->arena, "cargar la fuente '%s'", path);
        hpdf_fail(w, what);
        return NULL;
    }
    w->loaded[w->nloaded].path = arena_strdup(w->arena, path);
    w->loaded[w->nloaded].font = font;
    w->nloaded++;
    return w->face_font[face] = font;
}

/* ---- opening ------------------------------------------------------------ */

static void set_info(struct pdfout *w, HPDF_InfoType type, const char *s)
{
    if (s && *s)
        HPDF_SetInfoAttr(w->pdf, type, s);
}

static void set_dates(struct pdfout *w, int64_t created)
{
    time_t t = (time_t)created;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return;
    HPDF_Date date = {
        .year = tm.tm_year + 1900,
        .month = tm.tm_mon + 1,
        .day = tm.tm_mday,
        .hour = tm.tm_hour,
        .minutes = tm.tm_min,
        .seconds = tm.tm_sec,
        .ind = 'Z',
    };
    HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE, date);
    HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_MOD_DATE, date);
}

struct pdfout *pdfout_open(const struct doc_settings *set,
                           const struct fontset *fonts, struct diag *d)
{
    if (set->owner_password && !*set->owner_password) {
        diag_error(d, NULL, 0, 0,
                   "la contraseña de propietario no puede estar vacía");
        return NULL;
    }
    struct pdfout *w = xmalloc(sizeof *w);
    memset(w, 0, sizeof *w);
    w->d = d;
    w->fonts = fonts;
    w->arena = arena_new();
    buf_init(&w->scratch);
    buf_init(&w->tounicode);
    build_tounicode(&w->tounicode);

    w->pdf = HPDF_New(on_hpdf_error, w);
    if (!w->pdf)
        arena_oom();
    /* Compression applies only to objects created after this call. */
    HPDF_SetCompressionMode(w->pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(w->pdf);
    /* The Info strings are only encoded right with UTF-8 current. */
    HPDF_SetCurrentEncoder(w->pdf, "UTF-8");
    w->utf8 = HPDF_GetEncoder(w->pdf, "UTF-8");

    set_info(w, HPDF_INFO_TITLE, set->title);
    set_info(w, HPDF_INFO_AUTHOR, set->author);
    set_info(w, HPDF_INFO_SUBJECT, set->subject);
    set_info(w, HPDF_INFO_KEYWORDS, set->keywords);
    set_info(w, HPDF_INFO_CREATOR, set->creator ? set->creator : "informe");
    if (set->created >= 0)
        set_dates(w, set->created);

    if (set->owner_password) {
        /* An empty user password: anyone opens, reads, prints and copies;
         * the owner password guards editing. */
        HPDF_SetPassword(w->pdf, set->owner_password, "");
        HPDF_SetEncryptionMode(w->pdf, HPDF_ENCRYPT_R3, 16);
        HPDF_SetPermission(w->pdf, PDF_PERMISSIONS);
    }
    if (w->err || !w->utf8) {
        hpdf_fail(w, "preparar el documento");
        pdfout_discard(w);
        return NULL;
    }
    return w;
}

/* ---- drawing ------------------------------------------------------------- */

static HPDF_REAL red(uint32_t c)
{
    return (HPDF_REAL)((c >> 16) & 0xFF) / 255.0f;
}
static HPDF_REAL green(uint32_t c)
{
    return (HPDF_REAL)((c >> 8) & 0xFF) / 255.0f;
}
static HPDF_REAL blue(uint32_t c)
{
    return (HPDF_REAL)(c & 0xFF) / 255.0f;
}

static void set_fill(HPDF_Page page, struct pen *pen, uint32_t c)
{
    if (pen->fill != c) {
        HPDF_Page_SetRGBFill(page, red(c), green(c), blue(c));
        pen->fill = c;
    }
}

static void set_stroke(HPDF_Page page, struct pen *pen, uint32_t c, float lw)
{
    if (pen->stroke != c) {
        HPDF_Page_SetRGBStroke(page, red(c), green(c), blue(c));
        pen->stroke = c;
    }
    if (pen->line_width != lw) {
        HPDF_Page_SetLineWidth(page, lw);
        pen->line_width = lw;
    }
}

static void end_text(HPDF_Page page, struct pen *pen)
{
    if (pen->in_text) {
        HPDF_Page_EndText(page);
        pen->in_text = false;
    }
}

/* True when libharu can take the text as it is: valid UTF-8 inside the
 * BMP (code points above U+FFFF would silently become spaces). */
static bool plain_bmp(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0xF0)
            return false;
    return utf8_validate(s, n) == n;
}

/* The text to hand to libharu: the item's own string when it can be used
 * as it is, else a copy in w->scratch with U+FFFD for what libharu cannot
 * show. *bad receives the first such code point (UTF8_BAD when malformed). */
static const char *drawable_text(struct pdfout *w, const struct dl_item *it,
                                 uint32_t *bad)
{
    if (plain_bmp(it->text, it->len) && memchr(it->text, 0, it->len) == NULL)
        return it->text;
    buf_clear(&w->scratch);
    for (size_t i = 0; i < it->len;) {
        size_t k;
        uint32_t cp = utf8_decode(it->text + i, it->len - i, &k);
        if (cp == UTF8_BAD || cp > 0xFFFF || cp == 0) {
            if (*bad == 0)
                *bad = cp == 0 ? UTF8_BAD : cp;
            buf_adds(&w->scratch, "\xEF\xBF\xBD");
        } else {
            buf_add(&w->scratch, it->text + i, k);
        }
        i += k;
    }
    return w->scratch.data;
}

static void draw_text(struct pdfout *w, HPDF_Page page, float height,
                      struct pen *pen, const struct dl_item *it, uint32_t *bad)
{
    if (it->len == 0 || it->fill == COLOR_NONE)
        return;
    HPDF_Font font = face_font(w, it->face);
    if (!font)
        return;
    if (!pen->in_text) {
        HPDF_Page_BeginText(page);
        pen->in_text = true;
    }
    if (pen->font != font || pen->size != it->h) {
        HPDF_Page_SetFontAndSize(page, font, it->h);
        pen->font = font;
        pen->size = it->h;
    }
    set_fill(page, pen, it->fill);
    HPDF_Page_TextOut(page, it->x, height - it->y, drawable_text(w, it, bad));
}

static void draw_rect(HPDF_Page page, float height, struct pen *pen,
                      const struct dl_item *it)
{
    bool fill = it->fill != COLOR_NONE, stroke = it->stroke != COLOR_NONE;
    if (!fill && !stroke)
        return;
    end_text(page, pen);
    if (fill)
        set_fill(page, pen, it->fill);
    if (stroke)
        set_stroke(page, pen, it->stroke, it->line_width);
    HPDF_Page_Rectangle(page, it->x, height - it->y - it->h, it->w, it->h);
    if (fill && stroke)
        HPDF_Page_FillStroke(page);
    else if (fill)
        HPDF_Page_Fill(page);
    else
        HPDF_Page_Stroke(page);
}

static void draw_line(HPDF_Page page, float height, struct pen *pen,
                      const struct dl_item *it)
{
    if (it->stroke == COLOR_NONE)
        return;
    end_text(page, pen);
    set_stroke(page, pen, it->stroke, it->line_width);
    HPDF_Page_MoveTo(page, it->x, height - it->y);
    HPDF_Page_LineTo(page, it->x + it->w, height - it->y - it->h);
    HPDF_Page_Stroke(page);
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
        hpdf_fail(w, what);
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
        grow(w->images, &w->capimages, w->nimages + 1, sizeof *w->images);
    w->images[w->nimages].path = arena_strdup(w->arena, path);
    w->images[w->nimages].image = img;
    w->nimages++;
    return img;
}

static void draw_image(struct pdfout *w, HPDF_Page page, float height,
                       struct pen *pen, const struct dl_item *it)
{
    HPDF_Image img = find_image(w, it->text);
    if (!img) {
        w->failed = true;
        return;
    }
    end_text(page, pen);
    HPDF_Page_DrawImage(page, img, it->x, height - it->y - it->h, it->w, it->h);
}

static void add_link(struct pdfout *w, HPDF_Page page, float height,
                     unsigned number, const struct dl_item *it)
{
    w->links = grow(w->links, &w->caplinks, w->nlinks + 1, sizeof *w->links);
    struct pending_link *l = &w->links[w->nlinks++];
    l->page = page;
    l->rect.left = it->x;
    l->rect.bottom = height - it->y - it->h;
    l->rect.right = it->x + it->w;
    l->rect.top = height - it->y;
    l->source_page = number;
    l->target_page = it->target_page;
    l->target_y = it->target_y;
}

/* Bookmarks nest under the last bookmark of the level above. */
static void add_bookmarks(struct pdfout *w, HPDF_Page page, float height,
                          const struct dl_page *p)
{
    for (size_t i = 0; i < p->nmarks && !w->err; i++) {
        const struct dl_bookmark *m = &p->marks[i];
        unsigned level = m->level < 1 ? 1 : m->level;
        if (level > MAX_OUTLINE_LEVEL)
            level = MAX_OUTLINE_LEVEL;
        HPDF_Outline parent = NULL;
        for (unsigned l = level - 1; l > 0 && !parent; l--)
            parent = w->outline[l - 1];
        HPDF_Outline o = HPDF_CreateOutline(w->pdf, parent, m->title, w->utf8);
        if (!o)
            return;
        HPDF_Outline_SetOpened(o, HPDF_TRUE);
        HPDF_Destination dst = HPDF_Page_CreateDestination(page);
        if (!dst)
            return;
        HPDF_Destination_SetFitH(dst, height - m->y);
        HPDF_Outline_SetDestination(o, dst);
        w->outline[level - 1] = o;
        for (unsigned l = level; l < MAX_OUTLINE_LEVEL; l++)
            w->outline[l] = NULL;
    }
}

bool pdfout_page(void *ctx, const struct dl_page *p)
{
    struct pdfout *w = ctx;
    if (w->failed)
        return false;
    HPDF_Page page = HPDF_AddPage(w->pdf);
    if (page) {
        HPDF_Page_SetWidth(page, p->width);
        HPDF_Page_SetHeight(page, p->height);
    }
    if (!page || w->err) {
        char *what = arena_printf(w->arena, "crear la página %u", p->number);
        return hpdf_fail(w, what);
    }
    if (p->number >= 1) {
        size_t i = p->number - 1;
        w->pages = grow(w->pages, &w->cappages, i + 1, sizeof *w->pages);
        while (w->npages <= i)
            w->pages[w->npages++] = (struct page_ref){NULL, 0};
        w->pages[i] = (struct page_ref){page, p->height};
    }

    /* A new page starts with black fill and stroke and 1-point lines. */
    struct pen pen = {0, 0, 1.0f, NULL, 0.0f, false};
    float height = p->height;
    uint32_t bad = 0;
    for (size_t i = 0; i < p->n && !w->err && !w->failed; i++) {
        const struct dl_item *it = &p->items[i];
        switch (it->kind) {
        case DL_TEXT:
            draw_text(w, page, height, &pen, it, &bad);
            break;
        case DL_RECT:
            draw_rect(page, height, &pen, it);
            break;
        case DL_LINE:
            draw_line(page, height, &pen, it);
            break;
        case DL_IMAGE:
            draw_image(w, page, height, &pen, it);
            break;
        case DL_LINK:
            add_link(w, page, height, p->number, it);
            break;
        }
    }
    if (!w->err && !w->failed)
        end_text(page, &pen);
    if (!w->err && !w->failed)
        add_bookmarks(w, page, height, p);
    if (w->failed)
        return false;
    if (w->err) {
        char *what = arena_printf(w->arena, "dibujar la página %u", p->number);
        return hpdf_fail(w, what);
    }
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

/* ---- saving -------------------------------------------------------------- */

static bool resolve_links(struct pdfout *w)
{
    for (size_t i = 0; i < w->nlinks && !w->err; i++) {
        const struct pending_link *l = &w->links[i];
        if (l->target_page < 1 || l->target_page > w->npages ||
            !w->pages[l->target_page - 1].page) {
            diag_error_code(w->d, EXIT_SOFTWARE, NULL, 0, 0,
                            "la página %u enlaza a la página %u, que no "
                            "existe (el documento tiene %zu)",
                            l->source_page, l->target_page, w->npages);
            w->failed = true;
            return false;
        }
        const struct page_ref *t = &w->pages[l->target_page - 1];
        HPDF_Destination dst = HPDF_Page_CreateDestination(t->page);
        if (!dst)
            break;
        HPDF_Destination_SetFitH(dst, t->height - l->target_y);
        HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(l->page, l->rect, dst);
        if (!a)
            break;
        HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
    }
    if (w->err)
        return hpdf_fail(w, "crear los enlaces");
    return true;
}

/* Creates the temporary file next to the destination, so that rename()
 * stays within one file system. open() with 0666 lets the kernel apply the
 * umask, as for any new file (mkstemp would make it 0600, and reading the
 * umask is not thread-safe). The name is unique by process, time and a
 * counter; O_EXCL settles any remaining race. */
static int create_temp(struct arena *a, const char *dir, char **name)
{
    static atomic_ulong counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned long n = atomic_fetch_add(&counter, 1);
        *name = arena_printf(a, "%s/.informe-%ld-%lx-%lx.pdf.tmp", dir,
                             (long)getpid(), (unsigned long)ts.tv_nsec, n);
        int fd = open(*name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

static bool write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += k;
        n -= (size_t)k;
    }
    return true;
}

/* Copies libharu's in-memory output into fd; false with errno set for a
 * system failure, or with w->err set for a libharu one. */
static bool copy_stream(struct pdfout *w, int fd)
{
    HPDF_UINT32 left = HPDF_GetStreamSize(w->pdf);
    enum { CHUNK = 64 * 1024 };
    unsigned char *chunk = xmalloc(CHUNK);
    bool ok = true;
    while (left > 0 && !w->err) {
        HPDF_UINT32 n = left < CHUNK ? left : CHUNK;
        HPDF_STATUS st = HPDF_ReadFromStream(w->pdf, chunk, &n);
        if (st != HPDF_OK && st != HPDF_STREAM_EOF)
            break;
        if (st == HPDF_STREAM_EOF && w->err == HPDF_STREAM_EOF)
            w->err = 0; /* libharu reports the end of its stream as one */
        if (n == 0 || n > left)
            break;
        if (!write_all(fd, chunk, n)) {
            ok = false;
            break;
        }
        left -= n;
    }
    int err = errno;
    free(chunk);
    errno = err;
    if (ok && left > 0 && !w->err)
        w->err = HPDF_STREAM_EOF;
    return ok;
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        fsync(fd); /* best effort: some file systems refuse it */
        close(fd);
    }
}

bool pdfout_save(struct pdfout *w, const char *path)
{
    bool ok = false;
    int fd = -1;
    char *tmp = NULL, *dir = NULL;
    if (w->failed || !resolve_links(w))
        goto done;
    if (w->npages == 0) {
        /* libharu writes a file with no page that viewers reject. */
        diag_error_code(w->d, EXIT_SOFTWARE, NULL, 0, 0,
                        "el documento '%s' no tiene páginas", path);
        goto done;
    }

    const char *slash = strrchr(path, '/');
    dir = slash ? arena_strndup(w->arena, path,
                                slash == path ? 1 : (size_t)(slash - path))
                : arena_strdup(w->arena, ".");
    fd = create_temp(w->arena, dir, &tmp);
    if (fd < 0) {
        tmp = NULL;
        goto sys_error;
    }
    /* Replacing a report keeps its permissions. */
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
        fchmod(fd, st.st_mode & 07777) != 0)
        goto sys_error;

    if (HPDF_SaveToStream(w->pdf) != HPDF_OK || w->err) {
        hpdf_fail(w, arena_printf(w->arena, "generar '%s'", path));
        goto done;
    }
    if (!copy_stream(w, fd))
        goto sys_error;
    if (w->err) {
        hpdf_fail(w, arena_printf(w->arena, "generar '%s'", path));
        goto done;
    }
    if (fsync(fd) != 0)
        goto sys_error;
    int c = close(fd);
    fd = -1;
    if (c != 0 || rename(tmp, path) != 0)
        goto sys_error;
    tmp = NULL; /* renamed: nothing to remove */
    sync_dir(dir);
    ok = true;
    goto done;

sys_error:
    diag_error_code(w->d, EXIT_CANTCREAT, NULL, 0, 0,
                    "no se puede escribir '%s': %s", path, strerror(errno));
done:
    if (fd >= 0)
        close(fd);
    if (tmp)
        unlink(tmp);
    pdfout_discard(w);
    return ok;
}

void pdfout_discard(struct pdfout *w)
{
    if (!w)
        return;
    if (w->pdf)
        HPDF_Free(w->pdf);
    free(w->images);
    free(w->pages);
    free(w->links);
    buf_release(&w->scratch);
    buf_release(&w->tounicode);
    arena_free(w->arena);
    free(w);
}
