/* fonts: TrueType faces embedded through libharu in UTF-8 mode, loaded at
 * their first use, with informe's own ToUnicode map and, at save time, its
 * own width table and glyph map for the code points drawn. These fixes
 * reach into libharu 2.3.0's private headers. */

#include "pdf/internal.h"

#include <hpdf_encoder.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include <stdlib.h>
#include <string.h>

/* ---- the ToUnicode map ---------------------------------------------------
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

void pdf_fonts_init(struct pdfout *w)
{
    buf_init(&w->tounicode);
    build_tounicode(&w->tounicode);
}

void pdf_fonts_free(struct pdfout *w)
{
    for (size_t i = 0; i < w->nloaded; i++)
        free(w->loaded[i]);
    buf_release(&w->tounicode);
}

/* ---- loading ---------------------------------------------------------------
 *
 * HPDF_GetFont in UTF-8 mode looks up a glyph and a width for every one
 * of the 65,536 codes (milliseconds per face) and writes them all into
 * the font. informe writes the widths and the glyph map itself at save
 * time, for the code points the document draws (pdf_fonts_finish).
 * libharu 2.3.0 walks the encoder's code map instead of all codes when
 * the encoder's to_unicode_fn is the plain CMap one, so for the call the
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

/* The first time a code point is drawn with a font, libharu is asked for
 * its width, which marks its glyph (and the parts of a composite glyph)
 * for the embedded subset: one call per distinct character. */
static void mark_glyph(void *ctx, unsigned cp)
{
    struct pdf_font *pf = ctx;
    HPDF_FontAttr fa = (HPDF_FontAttr)pf->font->attr;
    HPDF_TTFontDef_GetCharWidth(fa->fontdef, (HPDF_UINT16)cp);
}

/* Faces sharing a file share the font. */
struct pdf_font *pdf_font(struct pdfout *w, enum face face)
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
        pdf_fail(w, what);
        return NULL;
    }
    struct pdf_font *pf = xmalloc(sizeof *pf);
    memset(pf, 0, sizeof *pf);
    pf->path = arena_strdup(w->arena, path);
    pf->cap_height = w->fonts->face[face].path
                         ? w->fonts->face[face].cap_height
                         : w->fonts->face[FACE_REGULAR].cap_height;
    pf->font = font;
    pf->glyphs.first_use = mark_glyph;
    pf->glyphs.ctx = pf;
    w->loaded[w->nloaded++] = pf;
    return w->face_font[face] = pf;
}

/* ---- widths and glyph map --------------------------------------------------
 *
 * For every font, the widths (W) and the CID-to-glyph map of the code
 * points drawn with it. Codes are the code points (Identity-H), so the
 * map is indexed by code point. */
bool pdf_fonts_finish(struct pdfout *w)
{
    for (size_t f = 0; f < w->nloaded && !w->err; f++) {
        struct pdf_font *pf = w->loaded[f];
        const struct content_font *used = &pf->glyphs;
        HPDF_FontAttr fa = (HPDF_FontAttr)pf->font->attr;
        HPDF_Dict cid = fa->descendant_font;
        HPDF_FontDef def = fa->fontdef;
        HPDF_Array widths = HPDF_Array_New(pf->font->mmgr);
        if (!widths || HPDF_Dict_Add(cid, "W", widths) != HPDF_OK)
            break;
        unsigned max = 0;
        for (unsigned cp = 0; cp < 0x10000; cp++)
            if (content_font_uses(used, cp))
                max = cp;
        size_t n = (size_t)max + 1;
        unsigned char *map = xmalloc(2 * n);
        memset(map, 0, 2 * n);
        HPDF_Array run = NULL;
        for (unsigned cp = 0; cp <= max && !w->err; cp++) {
            if (!content_font_uses(used, cp)) {
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
                run = HPDF_Array_New(pf->font->mmgr);
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
        return pdf_fail(w, "escribir las fuentes");
    return true;
}
