/* pdfout: writes display-list pages as PDF content streams inside a
 * libharu document and saves it atomically; routes around the libharu
 * 2.3.0 pitfalls listed in LIBS.md. */

#include "pdf/pdfout.h"

#include "base/arena.h"
#include "base/buf.h"
#include "media/image.h"
#include "base/tempfile.h"
#include "base/utf8.h"

#include <hpdf.h>
#include <hpdf_encoder.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <zlib.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
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

/* Deflate level of the page content streams. Measured on a 1,469-page
 * report: zlib's default (6) spends 0.14 s more than 3 for a file 7 %
 * smaller; 1 saves nothing more and grows the file by 7 %. */
#define CONTENT_ZLEVEL 3

/* A font file loaded into the document, and the code points drawn with it
 * (one bit each): the widths and the glyph map of the font are written
 * for exactly these when the document is saved. */
struct loaded_font {
    const char *path;
    HPDF_Font font;
    uint32_t used[0x10000 / 32];
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
 * are only emitted when something changes. Lengths are in thousandths of
 * a point, as written: text positions are then exact differences. */
struct pen {
    uint32_t fill, stroke;
    long line_width;
    struct loaded_font *font;
    long size;
    bool in_text;
    long tx, ty; /* start of the current text line */
};

struct pdfout {
    HPDF_Doc pdf;
    struct diag *d;
    const struct fontset *fonts;
    struct arena *arena; /* paths and other small strings */
    /* The first libharu error, recorded by the handler; libharu errors are
     * sticky, so only the first one means anything. */
    HPDF_STATUS err, detail;
    int save_errno; /* errno when that error was recorded (ENOMEM: a
                     * library's fopen or malloc failed) */
    bool failed;    /* an error has been reported: stop drawing */
    HPDF_Encoder utf8;

    struct loaded_font *face_font[FACE_COUNT];
    struct loaded_font *loaded[FACE_COUNT];
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
    /* The page being drawn: informe writes the content stream itself and
     * deflates it when the page is done, so libharu holds only the
     * compressed bytes and no library call is made per text run. */
    struct buf content;
    struct buf packed; /* deflated content */
    z_stream z;
    bool z_ready;
};

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no,
                          void *user)
{
    struct pdfout *w = user;
    if (!w->err) {
        w->err = error_no;
        w->detail = detail_no;
        w->save_errno = errno; /* why a file write failed */
    }
}

/* libharu's allocations, watched: after a failed one, libharu may report
 * some other error (a font's tables "invalid" when their copy could not
 * be made), so the failure itself is remembered. libharu's allocator
 * takes no user pointer; the flag is per thread and reset by
 * pdfout_open(). */
static _Thread_local bool hpdf_alloc_failed;

static void *hpdf_alloc(HPDF_UINT n)
{
    void *p = malloc(n);
    if (!p)
        hpdf_alloc_failed = true;
    return p;
}

static void hpdf_free(void *p)
{
    free(p);
}

/* Reports the recorded libharu error once; what says what was being done
 * ("dibujar la página 3"). */
static bool hpdf_fail(struct pdfout *w, const char *what)
{
    if (w->failed)
        ;
    else if (hpdf_alloc_failed || w->err == HPDF_FAILD_TO_ALLOC_MEM ||
             w->save_errno == ENOMEM ||
             (w->err == HPDF_ZLIB_ERROR &&
              w->detail == (HPDF_STATUS)Z_MEM_ERROR))
        diag_error_code(w->d, EXIT_SOFTWARE, NULL, 0, 0, "sin memoria al %s",
                        what);
    else
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

/* HPDF_GetFont in UTF-8 mode looks up a glyph and a width for every one
 * of the 65,536 codes (milliseconds per face) and writes them all into
 * the font. informe writes the widths and the glyph map itself at save
 * time, for the code points the document draws (finish_fonts). libharu
 * 2.3.0 walks the encoder's code map instead of all codes when the
 * encoder's to_unicode_fn is the plain CMap one, so for the call the
 * UTF-8 encoder gets that function and a map holding one code, the space
 * (an empty map is refused). Row 0 of the map also holds the UTF-8
 * decoder's state: it is saved and put back with the function. */
static HPDF_Font get_font(struct pdfout *w, const char *name)
{
    HPDF_Encoder enc = w->utf8;
    HPDF_CMapEncoderAttr ea = enc ? enc->attr : NULL;
    if (!ea || enc->type != HPDF_ENCODER_TYPE_DOUBLE_BYTE)
        return HPDF_GetFont(w->pdf, name, "UTF-8");
    HPDF_UINT16 row[256];
    memcpy(row, ea->cid_map[0], sizeof row);
    HPDF_UNICODE space = ea->unicode_map[0][0x20];
    HPDF_Encoder_ToUnicode_Func to_unicode = enc->to_unicode_fn;
    memset(ea->cid_map[0], 0, sizeof row);
    ea->cid_map[0][0x20] = 0x20;
    ea->unicode_map[0][0x20] = 0x20;
    enc->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
    HPDF_Font font = HPDF_GetFont(w->pdf, name, "UTF-8");
    enc->to_unicode_fn = to_unicode;
    ea->unicode_map[0][0x20] = space;
    memcpy(ea->cid_map[0], row, sizeof row);
    return font;
}

/* The font for a face, loaded at its first use so that a report only
 * embeds the faces it draws; faces sharing a file share the font. */
static struct loaded_font *face_font(struct pdfout *w, enum face face)
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
        if (strcmp(w->loaded[i]->path, path) == 0)
            return w->face_font[face] = w->loaded[i];

    const char *name = HPDF_LoadTTFontFromFile(w->pdf, path, HPDF_TRUE);
    HPDF_Font font = name ? get_font(w, name) : NULL;
    if (!font || !fix_tounicode(w, font)) {
        char *what = arena_printf(w->arena, "cargar la fuente '%s'", path);
        hpdf_fail(w, what);
        return NULL;
    }
    struct loaded_font *lf = xmalloc(sizeof *lf);
    memset(lf, 0, sizeof *lf);
    lf->path = arena_strdup(w->arena, path);
    lf->font = font;
    w->loaded[w->nloaded++] = lf;
    return w->face_font[face] = lf;
}

/* Writes, for every font, the widths (W) and the CID-to-glyph map of the
 * code points drawn with it. Codes are the code points (Identity-H), so
 * the map is indexed by code point. */
static bool finish_fonts(struct pdfout *w)
{
    for (size_t f = 0; f < w->nloaded && !w->err; f++) {
        struct loaded_font *lf = w->loaded[f];
        HPDF_FontAttr fa = (HPDF_FontAttr)lf->font->attr;
        HPDF_Dict cid = fa->descendant_font;
        HPDF_FontDef def = fa->fontdef;
        HPDF_Array widths = HPDF_Array_New(lf->font->mmgr);
        if (!widths || HPDF_Dict_Add(cid, "W", widths) != HPDF_OK)
            break;
        unsigned max = 0;
        for (unsigned cp = 0; cp < 0x10000; cp++)
            if (lf->used[cp >> 5] >> (cp & 31) & 1)
                max = cp;
        size_t n = (size_t)max + 1;
        unsigned char *map = xmalloc(2 * n);
        memset(map, 0, 2 * n);
        HPDF_Array run = NULL;
        for (unsigned cp = 0; cp <= max && !w->err; cp++) {
            if (!(lf->used[cp >> 5] >> (cp & 31) & 1)) {
                run = NULL;
                continue;
            }
            HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp);
            map[2 * cp] = (unsigned char)(gid >> 8);
            map[2 * cp + 1] = (unsigned char)gid;
            HPDF_INT16 wd = HPDF_TTFontDef_GetCharWidth(def, (HPDF_UINT16)cp);
            if (wd == def->missing_width) {
                run = NULL;
                continue;
            }
            if (!run) {
                /* The new array last: HPDF_Array_Add frees it when it
                 * fails, nothing would free it after a failed number. */
                if (HPDF_Array_AddNumber(widths, (HPDF_INT32)cp) != HPDF_OK)
                    break;
                run = HPDF_Array_New(lf->font->mmgr);
                if (!run || HPDF_Array_Add(widths, run) != HPDF_OK)
                    break;
            }
            HPDF_Array_AddNumber(run, wd);
        }
        HPDF_Dict ms = fa->map_stream;
        if (ms && ms->stream && !w->err) {
            HPDF_MemStream_FreeData(ms->stream);
            HPDF_Stream_Write(ms->stream, map, (HPDF_UINT)(2 * n));
        }
        free(map);
    }
    if (w->err)
        return hpdf_fail(w, "escribir las fuentes");
    return true;
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
    buf_init(&w->content);
    buf_init(&w->packed);
    build_tounicode(&w->tounicode);

    hpdf_alloc_failed = false;
    w->pdf = HPDF_NewEx(on_hpdf_error, hpdf_alloc, hpdf_free, 0, w);
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

/* ---- drawing -------------------------------------------------------------
 *
 * Operators go into w->content as text, numbers in thousandths of a point
 * (colours in thousandths too: every 8-bit value keeps its own code). */

static long milli(float v)
{
    double m = (double)v * 1000.0;
    return (long)(m < 0 ? m - 0.5 : m + 0.5);
}

/* Appends v/1000 and a space: "12.5 ", "-0.25 ", "3 ". */
static void put_num(struct buf *b, long v)
{
    char tmp[32], *e = tmp + sizeof tmp, *p = e;
    bool neg = v < 0;
    unsigned long u = neg ? 0UL - (unsigned long)v : (unsigned long)v;
    unsigned long ip = u / 1000, fp = u % 1000;
    *--p = ' ';
    if (fp) {
        int digits = 3;
        while (fp % 10 == 0) {
            fp /= 10;
            digits--;
        }
        for (int i = 0; i < digits; i++) {
            *--p = (char)('0' + fp % 10);
            fp /= 10;
        }
        *--p = '.';
    }
    do {
        *--p = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    if (neg)
        *--p = '-';
    buf_add(b, p, (size_t)(e - p));
}

static void put_color(struct buf *b, uint32_t c, const char *op)
{
    put_num(b, ((long)((c >> 16) & 0xFF) * 2000 + 255) / 510);
    put_num(b, ((long)((c >> 8) & 0xFF) * 2000 + 255) / 510);
    put_num(b, ((long)(c & 0xFF) * 2000 + 255) / 510);
    buf_adds(b, op);
}

static void set_fill(struct buf *b, struct pen *pen, uint32_t c)
{
    if (pen->fill != c) {
        put_color(b, c, "rg\n");
        pen->fill = c;
    }
}

static void set_stroke(struct buf *b, struct pen *pen, uint32_t c, float lw)
{
    if (pen->stroke != c) {
        put_color(b, c, "RG\n");
        pen->stroke = c;
    }
    long m = milli(lw);
    if (pen->line_width != m) {
        put_num(b, m);
        buf_adds(b, "w\n");
        pen->line_width = m;
    }
}

static void end_text(struct buf *b, struct pen *pen)
{
    if (pen->in_text) {
        buf_adds(b, "ET\n");
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

/* The text to draw: the item's own string when it can be used as it is,
 * else a copy in w->scratch with U+FFFD for what cannot be shown (outside
 * the BMP, NUL, malformed). *bad receives the first such code point
 * (UTF8_BAD when malformed); *n the length. */
static const char *drawable_text(struct pdfout *w, const struct dl_item *it,
                                 uint32_t *bad, size_t *n)
{
    if (plain_bmp(it->text, it->len) && memchr(it->text, 0, it->len) == NULL) {
        *n = it->len;
        return it->text;
    }
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
    *n = w->scratch.len;
    return w->scratch.data;
}

/* Marks a code point as drawn with lf. The first time, libharu is asked
 * for its width, which marks its glyph (and the parts of a composite
 * glyph) for the embedded subset: one call per distinct character. */
static void mark_used(struct loaded_font *lf, unsigned cp)
{
    uint32_t bit = 1u << (cp & 31);
    if (!(lf->used[cp >> 5] & bit)) {
        lf->used[cp >> 5] |= bit;
        HPDF_FontAttr fa = (HPDF_FontAttr)lf->font->attr;
        HPDF_TTFontDef_GetCharWidth(fa->fontdef, (HPDF_UINT16)cp);
    }
}

static char *put_byte(char *o, unsigned char c)
{
    if (c == '(' || c == ')' || c == '\\') {
        *o++ = '\\';
    } else if (c == '\n' || c == '\r') {
        /* A raw end of line inside a string would be read as '\n'. */
        *o++ = '\\';
        c = c == '\n' ? 'n' : 'r';
    }
    *o++ = (char)c;
    return o;
}

/* Appends s (valid UTF-8 inside the BMP, no NUL) as a literal string of
 * two-byte codes, the code points themselves (Identity-H). */
static void put_text(struct buf *b, struct loaded_font *lf, const char *s,
                     size_t n)
{
    /* At most three bytes out for each byte in, plus the parentheses. */
    buf_grow(b, 3 * n + 2);
    char *o = b->data + b->len;
    *o++ = '(';
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned cp = u[i];
        if (cp < 0x80) {
            i++;
        } else if (cp < 0xE0) {
            cp = (cp & 0x1Fu) << 6 | (u[i + 1] & 0x3Fu);
            i += 2;
        } else {
            cp = (cp & 0x0Fu) << 12 | (u[i + 1] & 0x3Fu) << 6 |
                 (u[i + 2] & 0x3Fu);
            i += 3;
        }
        mark_used(lf, cp);
        o = put_byte(o, (unsigned char)(cp >> 8));
        o = put_byte(o, (unsigned char)cp);
    }
    *o++ = ')';
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
}

static void draw_text(struct pdfout *w, HPDF_Page page, float height,
                      struct pen *pen, const struct dl_item *it, uint32_t *bad)
{
    if (it->len == 0 || it->fill == COLOR_NONE)
        return;
    struct loaded_font *lf = face_font(w, it->face);
    if (!lf)
        return;
    struct buf *b = &w->content;
    if (!pen->in_text) {
        buf_adds(b, "BT\n");
        pen->in_text = true;
        pen->tx = pen->ty = 0;
    }
    long size = milli(it->h);
    if (pen->font != lf || pen->size != size) {
        const char *name = HPDF_Page_GetLocalFontName(page, lf->font);
        if (!name) {
            if (!w->err)
                w->err = HPDF_INVALID_OBJECT;
            return;
        }
        buf_addc(b, '/');
        buf_adds(b, name);
        buf_addc(b, ' ');
        put_num(b, size);
        buf_adds(b, "Tf\n");
        pen->font = lf;
        pen->size = size;
    }
    set_fill(b, pen, it->fill);
    /* Td moves from the start of the previous line: exact differences of
     * the rounded positions, so no error accumulates. */
    long x = milli(it->x), y = milli(height - it->y);
    put_num(b, x - pen->tx);
    put_num(b, y - pen->ty);
    buf_adds(b, "Td\n");
    pen->tx = x;
    pen->ty = y;
    size_t n;
    const char *s = drawable_text(w, it, bad, &n);
    put_text(b, lf, s, n);
    buf_adds(b, " Tj\n");
}

static void draw_rect(struct buf *b, float height, struct pen *pen,
                      const struct dl_item *it)
{
    bool fill = it->fill != COLOR_NONE, stroke = it->stroke != COLOR_NONE;
    if (!fill && !stroke)
        return;
    end_text(b, pen);
    if (fill)
        set_fill(b, pen, it->fill);
    if (stroke)
        set_stroke(b, pen, it->stroke, it->line_width);
    put_num(b, milli(it->x));
    put_num(b, milli(height - it->y - it->h));
    put_num(b, milli(it->w));
    put_num(b, milli(it->h));
    buf_adds(b, fill && stroke ? "re\nB\n" : fill ? "re\nf\n" : "re\nS\n");
}

static void draw_line(struct buf *b, float height, struct pen *pen,
                      const struct dl_item *it)
{
    if (it->stroke == COLOR_NONE)
        return;
    end_text(b, pen);
    set_stroke(b, pen, it->stroke, it->line_width);
    put_num(b, milli(it->x));
    put_num(b, milli(height - it->y));
    buf_adds(b, "m\n");
    put_num(b, milli(it->x + it->w));
    put_num(b, milli(height - it->y - it->h));
    buf_adds(b, "l\nS\n");
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
    const char *name = HPDF_Page_GetXObjectName(page, img);
    if (!name) {
        if (!w->err)
            w->err = HPDF_INVALID_OBJECT;
        return;
    }
    struct buf *b = &w->content;
    end_text(b, pen);
    buf_adds(b, "q\n");
    put_num(b, milli(it->w));
    buf_adds(b, "0 0 ");
    put_num(b, milli(it->h));
    put_num(b, milli(it->x));
    put_num(b, milli(height - it->y - it->h));
    buf_adds(b, "cm\n/");
    buf_adds(b, name);
    buf_adds(b, " Do\nQ\n");
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

/* libharu writes the stream dictionary; this adds the filter of the bytes
 * informe deflated itself (the stream's own filter is none, so that
 * libharu copies them as they are). */
static HPDF_STATUS write_flate_filter(HPDF_Dict obj, HPDF_Stream stream)
{
    (void)obj;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* Hands the page's content to libharu, deflated. */
static bool write_content(struct pdfout *w, HPDF_Page page)
{
    HPDF_PageAttr pa = (HPDF_PageAttr)page->attr;
    HPDF_Dict contents = pa->contents;
    if (HPDF_Stream_Size(pa->stream) != 0) {
        /* libharu wrote something itself: append, and let it deflate. */
        return HPDF_Stream_Write(pa->stream, (const HPDF_BYTE *)w->content.data,
                                 (HPDF_UINT)w->content.len) == HPDF_OK;
    }
    if (!w->z_ready) {
        memset(&w->z, 0, sizeof w->z);
        if (deflateInit(&w->z, CONTENT_ZLEVEL) != Z_OK)
            arena_oom();
        w->z_ready = true;
    } else if (deflateReset(&w->z) != Z_OK) {
        return false;
    }
    uLong bound = deflateBound(&w->z, (uLong)w->content.len);
    buf_clear(&w->packed);
    buf_grow(&w->packed, bound);
    w->z.next_in = (Bytef *)w->content.data;
    w->z.avail_in = (uInt)w->content.len;
    w->z.next_out = (Bytef *)w->packed.data;
    w->z.avail_out = (uInt)bound;
    if (deflate(&w->z, Z_FINISH) != Z_STREAM_END)
        return false;
    size_t n = bound - w->z.avail_out;
    if (HPDF_Stream_Write(pa->stream, (const HPDF_BYTE *)w->packed.data,
                          (HPDF_UINT)n) != HPDF_OK)
        return false;
    contents->filter = HPDF_STREAM_FILTER_NONE;
    contents->write_fn = write_flate_filter;
    return true;
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
    struct pen pen = {0, 0, 1000, NULL, 0, false, 0, 0};
    float height = p->height;
    buf_clear(&w->content);
    uint32_t bad = 0;
    for (size_t i = 0; i < p->n && !w->err && !w->failed; i++) {
        const struct dl_item *it = &p->items[i];
        switch (it->kind) {
        case DL_TEXT:
            draw_text(w, page, height, &pen, it, &bad);
            break;
        case DL_RECT:
            draw_rect(&w->content, height, &pen, it);
            break;
        case DL_LINE:
            draw_line(&w->content, height, &pen, it);
            break;
        case DL_IMAGE:
            draw_image(w, page, height, &pen, it);
            break;
        case DL_LINK:
            add_link(w, page, height, p->number, it);
            break;
        }
    }
    if (!w->err && !w->failed) {
        end_text(&w->content, &pen);
        if (!write_content(w, page) && !w->err)
            w->err = HPDF_FAILD_TO_ALLOC_MEM;
    }
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

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        fsync(fd); /* best effort: some file systems refuse it */
        close(fd);
    }
}

/* What every save does first: links, fonts, and a page at least. */
static bool finish_document(struct pdfout *w, const char *name)
{
    if (w->failed || !resolve_links(w) || !finish_fonts(w))
        return false;
    if (w->npages == 0) {
        /* libharu writes a file with no page that viewers reject. */
        diag_error_code(w->d, EXIT_SOFTWARE, NULL, 0, 0,
                        "el documento '%s' no tiene páginas", name);
        return false;
    }
    return true;
}

/* libharu writes the document to the file name; path names it in
 * messages. Returns 1 when written, 0 for a system error (errno set),
 * -1 for another error, already reported. */
static int write_pdf(struct pdfout *w, const char *name, const char *path)
{
    errno = 0;
    w->save_errno = 0;
    if (HPDF_SaveToFile(w->pdf, name) == HPDF_OK && !w->err)
        return 1;
    /* A write error inside a deflated stream (a full disk while the fonts
     * are written) comes as a zlib error with the file error as its
     * detail. */
    if (!hpdf_alloc_failed &&
        (w->err == HPDF_FILE_IO_ERROR || w->err == HPDF_FILE_OPEN_ERROR ||
         w->detail == HPDF_FILE_IO_ERROR)) {
        errno = w->save_errno ? w->save_errno : EIO;
        return 0;
    }
    hpdf_fail(w, arena_printf(w->arena, "generar '%s'", path));
    return -1;
}

bool pdfout_save(struct pdfout *w, const char *path)
{
    bool ok = false;
    int fd = -1;
    char *tmp = NULL, *dir = NULL;
    if (!finish_document(w, path))
        goto done;

    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (exists && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
        /* A device or a pipe (/dev/stdout, a named pipe): nothing to
         * keep, and renaming would replace the node itself. */
        int r = write_pdf(w, path, path);
        if (r == 0)
            goto sys_error;
        ok = r > 0;
        goto done;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        goto sys_error;
    }
    /* Through a symbolic link, the file it names is replaced (renaming
     * over the link would replace the link). */
    const char *dest = exists ? tempfile_target(w->arena, path) : path;
    if (!dest)
        goto sys_error;

    const char *slash = strrchr(dest, '/');
    dir = slash ? arena_strndup(w->arena, dest,
                                slash == dest ? 1 : (size_t)(slash - dest))
                : arena_strdup(w->arena, ".");
    /* The temporary file is next to the destination, so that rename()
     * stays within one file system. */
    fd = tempfile_create(w->arena, dir, &tmp);
    if (fd < 0) {
        tmp = NULL;
        goto sys_error;
    }
    /* Replacing a report keeps its permissions. */
    if (exists && fchmod(fd, st.st_mode & 07777) != 0)
        goto sys_error;

    /* libharu writes the temporary file by name, straight from its objects
     * (no copy of the whole document in memory); fd, on the same file,
     * then syncs it. */
    int r = write_pdf(w, tmp, path);
    if (r < 0)
        goto done;
    if (r == 0)
        goto sys_error;
    if (fsync(fd) != 0)
        goto sys_error;
    int c = close(fd);
    fd = -1;
    if (c != 0 || rename(tmp, dest) != 0)
        goto sys_error;
    tmp = NULL; /* renamed: nothing to remove */
    tempfile_forget();
    sync_dir(dir);
    ok = true;
    goto done;

sys_error:
    arena_oom_if(errno);
    diag_error_code(w->d, EXIT_CANTCREAT, NULL, 0, 0,
                    "no se puede escribir '%s': %s", path, strerror(errno));
done:
    if (fd >= 0)
        close(fd);
    if (tmp) {
        unlink(tmp);
        tempfile_forget();
    }
    pdfout_discard(w);
    return ok;
}

bool pdfout_save_mem(struct pdfout *w, const char *name, struct buf *out)
{
    bool ok = false;
    if (!finish_document(w, name))
        goto done;
    if (HPDF_SaveToStream(w->pdf) != HPDF_OK || w->err ||
        HPDF_ResetStream(w->pdf) != HPDF_OK) {
        hpdf_fail(w, arena_printf(w->arena, "generar '%s'", name));
        goto done;
    }
    HPDF_UINT32 size = HPDF_GetStreamSize(w->pdf);
    buf_grow(out, size);
    HPDF_UINT32 got = size;
    HPDF_STATUS st =
        HPDF_ReadFromStream(w->pdf, (HPDF_BYTE *)out->data + out->len, &got);
    /* libharu answers HPDF_STREAM_EOF once the whole stream was read. */
    if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || got != size) {
        if (!w->err)
            w->err = st;
        hpdf_fail(w, arena_printf(w->arena, "generar '%s'", name));
        goto done;
    }
    out->len += got;
    out->data[out->len] = '\0';
    ok = true;
done:
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
    for (size_t i = 0; i < w->nloaded; i++)
        free(w->loaded[i]);
    if (w->z_ready)
        deflateEnd(&w->z);
    buf_release(&w->scratch);
    buf_release(&w->tounicode);
    buf_release(&w->content);
    buf_release(&w->packed);
    arena_free(w->arena);
    free(w);
}
