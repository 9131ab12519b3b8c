/* fonts: TrueType faces embedded through libharu in UTF-8 mode, loaded at
 * their first use, with informe's own ToUnicode map and, at save time, its
 * own width table, glyph map and font file subset (media/ttsubset.c) for
 * the code points drawn, each deflated by informe. These fixes reach into
 * libharu 2.3.0's private headers. */

#include "pdf/flate.h"
#include "pdf/internal.h"

#include "media/ttsubset.h"

#include <hpdf_encoder.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
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

/* The map goes in deflated (pdf_flate_put); libharu would set the
 * filter of the font's streams from the font's own when it writes the
 * font, so the font's filter is turned off. */
static bool fix_tounicode(struct pdfout *w, HPDF_Font font)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    HPDF_Dict cm = attr ? attr->cmap_stream : NULL;
    HPDF_STATUS st = HPDF_OK;
    if (cm && cm->stream &&
        HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT) == cm) {
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
    }
    if (st == HPDF_OK && !pdf_flate_put(cm, &w->tounicode))
        st = HPDF_FAILD_TO_ALLOC_MEM; /* libharu's stream write */
    font->filter = HPDF_STREAM_FILTER_NONE;
    if (st != HPDF_OK && !w->err)
        w->err = st;
    return st == HPDF_OK;
}

/* The ToUnicode map is the same for every font: deflated once. */
void pdf_fonts_init(struct pdfout *w)
{
    struct buf map;
    buf_init(&map);
    build_tounicode(&map);
    buf_init(&w->tounicode);
    pdf_flate(&w->tounicode, map.data, map.len, FONT_ZLEVEL);
    buf_release(&map);
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
    pf->metrics = w->fonts->face[face].path ? &w->fonts->face[face]
                                            : &w->fonts->face[FACE_REGULAR];
    pf->cap_height = pf->metrics->cap_height;
    pf->font = font;
    w->loaded[w->nloaded++] = pf;
    return w->face_font[face] = pf;
}

/* ---- widths, glyph map and font file ------------------------------------
 *
 * For every font, the widths (W), the CID-to-glyph map and the font file
 * of the code points drawn with it. Codes are the code points
 * (Identity-H), so the map is indexed by code point. */

/* The widths of the code points drawn; their glyph ids into map (two
 * bytes each, by code point) and gids. Returns the number of glyph ids. */
static size_t widths(struct pdfout *w, struct pdf_font *pf, unsigned max,
                     unsigned char *map, uint16_t *gids)
{
    HPDF_FontAttr fa = (HPDF_FontAttr)pf->font->attr;
    HPDF_FontDef def = fa->fontdef;
    size_t ngids = 0;
    HPDF_Array widths = HPDF_Array_New(pf->font->mmgr);
    if (!widths || HPDF_Dict_Add(fa->descendant_font, "W", widths) != HPDF_OK)
        return 0;
    HPDF_Array run = NULL;
    for (unsigned cp = 0; cp <= max && !w->err; cp++) {
        if (!content_font_uses(&pf->glyphs, cp)) {
            run = NULL;
            continue;
        }
        HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp);
        map[2 * cp] = (unsigned char)(gid >> 8);
        map[2 * cp + 1] = (unsigned char)gid;
        gids[ngids++] = gid;
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
    return ngids;
}

/* The font descriptor with the subset as its FontFile2. libharu 2.3.0
 * makes the descriptor when it writes the font, with the whole file
 * cut by its own subsetter and deflated at level 6, unless the font
 * definition has one already: it gets the same entries here, and the
 * /CapHeight libharu leaves out (PDF 32000-1, table 122: required with
 * Latin letters). */
static bool add_descriptor(struct pdf_font *pf, const struct buf *packed,
                           size_t length1)
{
    HPDF_FontAttr fa = (HPDF_FontAttr)pf->font->attr;
    HPDF_FontDef def = fa->fontdef;
    HPDF_TTFontDefAttr da = (HPDF_TTFontDefAttr)def->attr;
    HPDF_MMgr mmgr = pf->font->mmgr;
    HPDF_Dict desc = HPDF_Dict_New(mmgr);
    if (!desc || HPDF_Xref_Add(fa->xref, desc) != HPDF_OK)
        return false; /* HPDF_Xref_Add frees what it could not add */
    HPDF_Dict file = HPDF_DictStream_New(mmgr, fa->xref);
    if (!file || !pdf_flate_put(file, packed))
        return false;
    HPDF_STATUS st = HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)length1);
    st += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    st += HPDF_Dict_AddName(desc, "FontName", da->base_font);
    st += HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
    st += HPDF_Dict_AddNumber(desc, "Descent", def->descent);
    st += HPDF_Dict_AddNumber(desc, "CapHeight", pf->cap_height);
    st += HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)def->flags);
    st += HPDF_Dict_Add(desc, "FontBBox",
                        HPDF_Box_Array_New(mmgr, def->font_bbox));
    st += HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
    st += HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
    st += HPDF_Dict_AddNumber(desc, "XHeight", def->x_height);
    st += HPDF_Dict_Add(desc, "FontFile2", file);
    if (st != HPDF_OK)
        return false;
    def->descriptor = desc;
    return true;
}

/* The font file subset, deflated; false after reporting a font that
 * cannot be cut (or with the libharu error recorded). */
static bool embed(struct pdfout *w, struct pdf_font *pf, const uint16_t *gids,
                  size_t ngids, struct buf *scratch)
{
    const struct font_metrics *fm = pf->metrics;
    const char *why = "no se leyó el archivo";
    buf_clear(scratch);
    if (!fm->file ||
        !ttsubset(fm->file, fm->file_len, gids, ngids, scratch, &why)) {
        diag_error(w->d, pf->path, 0, 0,
                   "la fuente no se puede incluir en el PDF: %s", why);
        w->failed = true;
        return false;
    }
    struct buf packed;
    buf_init(&packed);
    pdf_flate(&packed, scratch->data, scratch->len, FONT_ZLEVEL);
    bool ok = add_descriptor(pf, &packed, scratch->len);
    buf_release(&packed);
    if (!ok && !w->err)
        w->err = HPDF_FAILD_TO_ALLOC_MEM;
    return ok;
}

bool pdf_fonts_finish(struct pdfout *w)
{
    struct buf scratch;
    buf_init(&scratch);
    for (size_t f = 0; f < w->nloaded && !w->err && !w->failed; f++) {
        struct pdf_font *pf = w->loaded[f];
        unsigned max = content_font_last(&pf->glyphs);
        size_t n = (size_t)max + 1;
        unsigned char *map = xmalloc(2 * n);
        memset(map, 0, 2 * n);
        uint16_t *gids = xmalloc(n * sizeof *gids);
        size_t ngids = widths(w, pf, max, map, gids);
        HPDF_Dict ms = ((HPDF_FontAttr)pf->font->attr)->map_stream;
        if (ms && ms->stream && !w->err) {
            buf_clear(&scratch);
            pdf_flate(&scratch, map, 2 * n, FONT_ZLEVEL);
            if (!pdf_flate_put(ms, &scratch) && !w->err)
                w->err = HPDF_FAILD_TO_ALLOC_MEM;
        }
        if (!w->err)
            embed(w, pf, gids, ngids, &scratch);
        free(map);
        free(gids);
    }
    buf_release(&scratch);
    if (w->failed)
        return false;
    if (w->err)
        return pdf_fail(w, "escribir las fuentes");
    return true;
}
