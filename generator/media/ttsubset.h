/* ttsubset: a TrueType font cut down to the glyphs a document draws, to be
 * embedded as a PDF FontFile2 of a CID-keyed font (CIDFontType2 with a
 * CIDToGIDMap).
 *
 * Such a font is drawn by glyph id and measured by the PDF's own widths,
 * so the subset keeps only what rasterising needs: head, hhea, maxp, hmtx,
 * loca, glyf, and the hinting tables cvt, fpgm and prep when present
 * (cmap, name, post, OS/2 and the layout tables go). Glyph ids do not
 * change: a glyph not kept is left empty, and the font ends at the last
 * glyph kept. */
#ifndef INFORME_TTSUBSET_H
#define INFORME_TTSUBSET_H

#include "base/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Appends to out the subset of the font font[len] that keeps the glyphs
 * gids[0, ngids), .notdef and every glyph a kept composite glyph is made
 * of, with valid table checksums and head checkSumAdjustment. Returns
 * false when the font is malformed (a table missing or outside the file,
 * loca out of order or beyond glyf, a composite glyph cut short, naming a
 * glyph that does not exist or containing itself): *why then says why, in
 * a static string, and out is as it was. */
bool ttsubset(const unsigned char *font, size_t len, const uint16_t *gids,
              size_t ngids, struct buf *out, const char **why);

#endif
