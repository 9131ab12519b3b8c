/* fonts: the TrueType faces of a document as informe's own PDF objects,
 * with no font read by libharu: a Type0 font with the Identity-H encoding
 * and a shared ToUnicode map, its CIDFontType2 descendant with the widths
 * (W) and the CID-to-glyph map of the code points drawn, and a font
 * descriptor whose values and font file subset (media/ttsubset.c) come
 * from the face media/font.c loaded once per run. Only libharu's object
 * layer is used (dictionaries, arrays, streams in its cross-reference
 * table); pages name the Type0 dictionary in their resources. */

#include "pdf/flate.h"
#include "pdf/internal.h"

#include "media/ttsubset.h"

#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include <stdlib.h>
#include <string.h>

/* Deflate level of the font streams. The font files are most of a small
 * report's bytes and of the time spent saving it: level 1 takes a fifth
 * of the time of libharu's level 6 for files a few per cent larger. */
#define FONT_ZLEVEL 1

/* ---- the ToUnicode map ---------------------------------------------------
 *
 * Text is shown with Identity-H codes equal to the BMP code points
 * (content.c), so the ToUnicode map is the identity over the BMP: one
 * stream, deflated once per document and shared by its fonts. */

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

/* The map is the same for every font of every document: it is deflated
 * once per process and its bytes kept here (about 1.7 KB; no heap, so
 * nothing to free). A map that did not fit would be deflated for every
 * document. */
static unsigned char tounicode_packed[4096];
static size_t tounicode_len;

void pdf_fonts_init(struct pdfout *w)
{
    buf_init(&w->tounicode);
    if (tounicode_len > 0) {
        buf_add(&w->tounicode, tounicode_packed, tounicode_len);
        return;
    }
    struct buf map;
    buf_init(&map);
    build_tounicode(&map);
    pdf_flate(&w->tounicode, map.data, map.len, FONT_ZLEVEL);
    buf_release(&map);
    if (w->tounicode.len <= sizeof tounicode_packed) {
        memcpy(tounicode_packed, w->tounicode.data, w->tounicode.len);
        tounicode_len = w->tounicode.len;
    }
}

void pdf_fonts_free(struct pdfout *w)
{
    for (size_t i = 0; i < w->nloaded; i++)
        free(w->loaded[i]);
    buf_release(&w->tounicode);
}

/* ---- loading ---------------------------------------------------------------
 *
 * At its first use a face gets an empty dictionary in the document's
 * cross-reference table, for the pages to name; it is filled at save,
 * when the code points drawn are known (write_font). */

/* OS/2 fsType bits that forbid embedding a subset: restricted licence
 * (alone among the low four), no subsetting, bitmap only. */
static bool embedding_allowed(uint16_t fs_type)
{
    return (fs_type & 0x000F) != 0x0002 && !(fs_type & 0x0300);
}

/* Faces sharing a file share the font. */
struct pdf_font *pdf_font(struct pdfout *w, enum face face)
{
    if (w->face_font[face])
        return w->face_font[face];
    const struct font_metrics *fm = w->fonts->face[face].path
                                        ? &w->fonts->face[face]
                                        : &w->fonts->face[FACE_REGULAR];
    const char *path = fm->path;
    if (!path) {
        diag_error_code(w->d, EXIT_SOFTWARE, NULL, 0, 0,
                        "no hay archivo de fuente para el estilo %d", face);
        w->failed = true;
        return NULL;
    }
    for (size_t i = 0; i < w->nloaded; i++)
        if (strcmp(w->loaded[i]->path, path) == 0)
            return w->face_font[face] = w->loaded[i];
    if (!embedding_allowed(fm->embedding)) {
        diag_error(w->d, path, 0, 0,
                   "la fuente no se puede incluir en el PDF: su licencia "
                   "no lo permite (fsType 0x%04X)",
                   (unsigned)fm->embedding);
        w->failed = true;
        return NULL;
    }
    HPDF_Dict font = HPDF_Dict_New(w->pdf->mmgr);
    /* HPDF_Xref_Add frees what it could not add */
    if (!font || HPDF_Xref_Add(w->pdf->xref, font) != HPDF_OK) {
        pdf_fail(w, arena_printf(w->arena, "cargar la fuente '%s'", path));
        return NULL;
    }
    struct pdf_font *pf = xmalloc(sizeof *pf);
    memset(pf, 0, sizeof *pf);
    pf->path = arena_strdup(w->arena, path);
    pf->metrics = fm;
    pf->font = font;
    w->loaded[w->nloaded++] = pf;
    return w->face_font[face] = pf;
}

/* ---- the font objects ------------------------------------------------------
 *
 * Codes are the code points (Identity-H), so the CIDs are the code points
 * and the CID-to-glyph map is indexed by code point. Lengths are in
 * thousandths of an em, truncated. */

static HPDF_INT32 thousandths(const struct font_metrics *fm, unsigned units)
{
    return (HPDF_INT32)((unsigned long)units * 1000 / fm->units_per_em);
}

/* The subset tag (PDF 32000-1, 9.6.4): six capital letters from a hash of
 * the face's name, its place in the document and the code points drawn,
 * so that different subsets get different tags and the same input the
 * same bytes. */
static void subset_tag(const struct pdf_font *pf, size_t index, char tag[7])
{
    uint32_t h = 2166136261u; /* FNV-1a */
    const unsigned char *name = (const unsigned char *)pf->metrics->ps_name;
    for (size_t i = 0; name[i]; i++)
        h = (h ^ name[i]) * 16777619u;
    h = (h ^ (uint32_t)index) * 16777619u;
    for (size_t i = 0; i < sizeof pf->glyphs.used / sizeof *pf->glyphs.used;
         i++)
        for (int b = 0; b < 32; b += 8)
            h = (h ^ (pf->glyphs.used[i] >> b & 0xFF)) * 16777619u;
    for (int i = 0; i < 6; i++, h /= 26)
        tag[i] = (char)('A' + h % 26);
    tag[6] = '\0';
}

/* Fills list with the widths of the code points drawn that differ from
 * the default (DW), as runs "first [w1 w2 ...]". Every object is added
 * to its container as soon as it is made: libharu frees what it fails to
 * add, and the container frees the rest with the document. */
static bool widths(HPDF_MMgr mmgr, HPDF_Array list, const struct pdf_font *pf,
                   unsigned max, HPDF_INT32 dw)
{
    const struct font_metrics *fm = pf->metrics;
    HPDF_Array run = NULL;
    for (unsigned cp = 0; cp <= max; cp++) {
        HPDF_INT32 wd = thousandths(fm, fm->width[cp]);
        if (!content_font_uses(&pf->glyphs, cp) || wd == dw) {
            run = NULL;
            continue;
        }
        if (!run) {
            /* The new array last: HPDF_Array_Add frees it when it
             * fails, nothing would free it after a failed number. */
            if (HPDF_Array_AddNumber(list, (HPDF_INT32)cp) != HPDF_OK)
                return false;
            run = HPDF_Array_New(mmgr);
            if (!run || HPDF_Array_Add(list, run) != HPDF_OK)
                return false;
        }
        if (HPDF_Array_AddNumber(run, wd) != HPDF_OK)
            return false;
    }
    return true;
}

/* A stream of the document holding data deflated (in a burst, the bytes
 * of the same subset deflated for an earlier report, pdfout_keep). */
static HPDF_Dict flate_stream(struct pdfout *w, const void *data, size_t len,
                              struct buf *scratch)
{
    HPDF_Dict st = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
    return st && pdf_flate_put(st,
                               pdf_flate_kept(data, len, FONT_ZLEVEL, scratch))
               ? st
               : NULL;
}

/* The font descriptor, with the subset (file[len]) as its FontFile2. The
 * /CapHeight is required with Latin letters (PDF 32000-1, table 122). */
static HPDF_Dict descriptor(struct pdfout *w, const struct pdf_font *pf,
                            const char *name, const struct buf *file,
                            struct buf *scratch)
{
    const struct font_metrics *fm = pf->metrics;
    HPDF_MMgr mmgr = w->pdf->mmgr;
    HPDF_Dict desc = HPDF_Dict_New(mmgr);
    if (!desc || HPDF_Xref_Add(w->pdf->xref, desc) != HPDF_OK)
        return NULL;
    /* box belongs to desc once added (freed by libharu if that fails). */
    HPDF_Array box = HPDF_Array_New(mmgr);
    if (!box || HPDF_Dict_Add(desc, "FontBBox", box) != HPDF_OK)
        return NULL;
    HPDF_Dict ff = flate_stream(w, file->data, file->len, scratch);
    if (!ff)
        return NULL;
    HPDF_STATUS st = HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)file->len);
    for (int i = 0; i < 4; i++)
        st += HPDF_Array_AddNumber(box, fm->bbox[i]);
    st += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    st += HPDF_Dict_AddName(desc, "FontName", name);
    st += HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)fm->flags);
    st += HPDF_Dict_AddReal(desc, "ItalicAngle", (HPDF_REAL)fm->italic_angle);
    st += HPDF_Dict_AddNumber(desc, "Ascent", fm->ascender);
    st += HPDF_Dict_AddNumber(desc, "Descent", fm->descender);
    st += HPDF_Dict_AddNumber(desc, "CapHeight", fm->cap_height);
    if (fm->x_height)
        st += HPDF_Dict_AddNumber(desc, "XHeight", fm->x_height);
    st += HPDF_Dict_AddNumber(desc, "StemV", 0); /* unknown */
    st += HPDF_Dict_Add(desc, "FontFile2", ff);
    return st == HPDF_OK ? desc : NULL;
}

/* The CIDFontType2 of font pf, given its glyph map (map[2 * n]) and its
 * descriptor. */
static HPDF_Dict cid_font(struct pdfout *w, const struct pdf_font *pf,
                          const char *name, const unsigned char *map, size_t n,
                          struct buf *scratch)
{
    const struct font_metrics *fm = pf->metrics;
    HPDF_MMgr mmgr = w->pdf->mmgr;
    HPDF_Dict cid = HPDF_Dict_New(mmgr);
    if (!cid || HPDF_Xref_Add(w->pdf->xref, cid) != HPDF_OK)
        return NULL;
    HPDF_INT32 dw = thousandths(fm, fm->missing_width);
    /* info and list belong to cid once added (freed by libharu if that
     * fails); gidmap is an object of the document's own. */
    HPDF_Dict info = HPDF_Dict_New(mmgr);
    if (!info || HPDF_Dict_Add(cid, "CIDSystemInfo", info) != HPDF_OK)
        return NULL;
    HPDF_Array list = HPDF_Array_New(mmgr);
    if (!list || HPDF_Dict_Add(cid, "W", list) != HPDF_OK ||
        !widths(mmgr, list, pf, (unsigned)n - 1, dw))
        return NULL;
    HPDF_Dict gidmap = flate_stream(w, map, 2 * n, scratch);
    if (!gidmap)
        return NULL;
    HPDF_STATUS st =
        HPDF_Dict_Add(info, "Registry", HPDF_String_New(mmgr, "Adobe", NULL));
    st += HPDF_Dict_Add(info, "Ordering",
                        HPDF_String_New(mmgr, "Identity", NULL));
    st += HPDF_Dict_AddNumber(info, "Supplement", 0);
    st += HPDF_Dict_AddName(cid, "Type", "Font");
    st += HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
    st += HPDF_Dict_AddName(cid, "BaseFont", name);
    st += HPDF_Dict_Add(cid, "FontDescriptor", pf->descriptor);
    st += HPDF_Dict_AddNumber(cid, "DW", dw);
    st += HPDF_Dict_Add(cid, "CIDToGIDMap", gidmap);
    return st == HPDF_OK ? cid : NULL;
}

/* The objects of font number index; false after reporting a face that
 * cannot be cut, or with the libharu error recorded. */
static bool write_font(struct pdfout *w, struct pdf_font *pf, size_t index,
                       HPDF_Dict tounicode, struct buf *scratch)
{
    const struct font_metrics *fm = pf->metrics;
    size_t n = (size_t)content_font_last(&pf->glyphs) + 1;
    unsigned char *map = xmalloc(2 * n);
    memset(map, 0, 2 * n);
    uint16_t *gids = xmalloc(n * sizeof *gids);
    size_t ngids = 0;
    for (size_t cp = 0; cp < n; cp++)
        if (content_font_uses(&pf->glyphs, (unsigned)cp)) {
            uint16_t gid = fm->glyph[cp];
            map[2 * cp] = (unsigned char)(gid >> 8);
            map[2 * cp + 1] = (unsigned char)gid;
            gids[ngids++] = gid;
        }
    const char *why = "no se leyó el archivo";
    struct buf file;
    buf_init(&file);
    bool ok =
        fm->file && ttsubset(fm->file, fm->file_len, gids, ngids, &file, &why);
    free(gids);
    if (!ok) {
        diag_error(w->d, pf->path, 0, 0,
                   "la fuente no se puede incluir en el PDF: %s", why);
        w->failed = true;
        free(map);
        buf_release(&file);
        return false;
    }
    char tag[7];
    subset_tag(pf, index, tag);
    const char *name = arena_printf(w->arena, "%s+%s", tag, fm->ps_name);
    pf->descriptor = descriptor(w, pf, name, &file, scratch);
    buf_release(&file);
    HPDF_Dict cid =
        pf->descriptor ? cid_font(w, pf, name, map, n, scratch) : NULL;
    free(map);
    HPDF_Array desc = cid ? HPDF_Array_New(w->pdf->mmgr) : NULL;
    HPDF_STATUS st = desc ? HPDF_Array_Add(desc, cid) : HPDF_INVALID_OBJECT;
    st += HPDF_Dict_AddName(pf->font, "Type", "Font");
    st += HPDF_Dict_AddName(pf->font, "Subtype", "Type0");
    st += HPDF_Dict_AddName(pf->font, "BaseFont", name);
    st += HPDF_Dict_AddName(pf->font, "Encoding", "Identity-H");
    if (desc)
        st += HPDF_Dict_Add(pf->font, "DescendantFonts", desc);
    st += HPDF_Dict_Add(pf->font, "ToUnicode", tounicode);
    if (st != HPDF_OK && !w->err)
        w->err = HPDF_FAILD_TO_ALLOC_MEM;
    return st == HPDF_OK;
}

bool pdf_fonts_finish(struct pdfout *w)
{
    struct buf scratch;
    buf_init(&scratch);
    HPDF_Dict tounicode = NULL;
    if (w->nloaded > 0) {
        tounicode = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
        if (!tounicode || !pdf_flate_put(tounicode, &w->tounicode))
            if (!w->err)
                w->err = HPDF_FAILD_TO_ALLOC_MEM;
    }
    for (size_t f = 0; f < w->nloaded && !w->err && !w->failed; f++)
        write_font(w, w->loaded[f], f, tounicode, &scratch);
    buf_release(&scratch);
    if (w->failed)
        return false;
    if (w->err)
        return pdf_fail(w, "escribir las fuentes");
    return true;
}
