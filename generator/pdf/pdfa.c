/* pdfa: what a PDF/A-1b file needs beyond informe's usual PDF (ISO
 * 19005-1), each checked by Apache PDFBox Preflight: an sRGB output
 * intent with informe's own ICC profile (icc.c), a /CIDSet for every
 * embedded CID font subset, the print flag on the link annotations, and
 * a trailer /ID that is the MD5 of what the document says (its metadata
 * packet and every page's content), so that the same input gives the
 * same bytes. The XMP identification is xmp.c's, images lose their
 * transparency in pdfout.c, destinations are direct in document.c. */

#include "pdf/icc.h"
#include "pdf/internal.h"

#include <stdlib.h>
#include <string.h>

void pdf_pdfa_hash(struct pdfout *w, const void *data, size_t len)
{
    if (!w->pdfa)
        return;
    const HPDF_BYTE *p = data;
    while (len > 0) {
        HPDF_UINT32 k = len > 0x40000000u ? 0x40000000u : (HPDF_UINT32)len;
        HPDF_MD5Update(&w->md5, p, k);
        p += k;
        len -= k;
    }
}

bool pdf_pdfa_open(struct pdfout *w)
{
    if (!w->pdfa)
        return true;
    HPDF_Doc pdf = w->pdf;
    struct buf icc;
    buf_init(&icc);
    icc_srgb(&icc);
    HPDF_Dict profile = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    bool ok = profile && HPDF_Dict_AddNumber(profile, "N", 3) == HPDF_OK &&
              HPDF_Stream_Write(profile->stream, (const HPDF_BYTE *)icc.data,
                                (HPDF_UINT)icc.len) == HPDF_OK;
    buf_release(&icc);
    if (!ok)
        return false;
    profile->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_Dict intent = HPDF_Dict_New(pdf->mmgr);
    HPDF_Array intents = HPDF_Array_New(pdf->mmgr);
    if (!intent || !intents)
        return false;
    if (HPDF_Dict_Add(pdf->catalog, "OutputIntents", intents) != HPDF_OK ||
        HPDF_Array_Add(intents, intent) != HPDF_OK)
        return false;
    HPDF_Dict_AddName(intent, "Type", "OutputIntent");
    HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
    HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                  HPDF_String_New(pdf->mmgr, ICC_SRGB_NAME, NULL));
    HPDF_Dict_Add(intent, "RegistryName",
                  HPDF_String_New(pdf->mmgr, "http://www.color.org", NULL));
    HPDF_Dict_Add(intent, "Info",
                  HPDF_String_New(pdf->mmgr, ICC_SRGB_NAME, NULL));
    HPDF_Dict_Add(intent, "DestOutputProfile", profile);
    return !w->err;
}

/* The font's /CIDSet: one bit per CID, the first the most significant
 * bit of the first byte; the CIDs are the code points drawn (Identity-H)
 * and CID 0, the missing glyph, which every font has. */
static bool cidset(struct pdfout *w, struct pdf_font *pf)
{
    unsigned max = content_font_last(&pf->glyphs);
    size_t n = max / 8 + 1;
    unsigned char *bits = xmalloc(n);
    memset(bits, 0, n);
    bits[0] = 0x80;
    for (unsigned cp = 1; cp <= max; cp++)
        if (content_font_uses(&pf->glyphs, cp))
            bits[cp / 8] |= (unsigned char)(0x80u >> (cp % 8));
    /* The descriptor is made before this (fonts.c). */
    HPDF_Dict desc = pf->descriptor;
    HPDF_Dict set =
        desc ? HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref) : NULL;
    bool ok = set &&
              HPDF_Stream_Write(set->stream, bits, (HPDF_UINT)n) == HPDF_OK &&
              HPDF_Dict_Add(desc, "CIDSet", set) == HPDF_OK;
    free(bits);
    return ok;
}

bool pdf_pdfa_finish(struct pdfout *w)
{
    if (!w->pdfa)
        return true;
    for (size_t i = 0; i < w->nlinks && !w->err; i++)
        if (w->links[i].annot)
            HPDF_Dict_AddNumber(w->links[i].annot, "F", 4); /* Print */
    for (size_t f = 0; f < w->nloaded && !w->err; f++)
        if (!cidset(w, w->loaded[f]) && !w->err)
            w->err = HPDF_INVALID_OBJECT;
    HPDF_BYTE digest[16];
    HPDF_MD5Final(digest, &w->md5);
    HPDF_Array id = HPDF_Array_New(w->pdf->mmgr);
    if (id && HPDF_Dict_Add(w->pdf->xref->trailer, "ID", id) == HPDF_OK) {
        HPDF_Array_Add(id, HPDF_Binary_New(w->pdf->mmgr, digest, 16));
        HPDF_Array_Add(id, HPDF_Binary_New(w->pdf->mmgr, digest, 16));
    }
    if (!id && !w->err)
        w->err = HPDF_FAILD_TO_ALLOC_MEM;
    return !w->err;
}
