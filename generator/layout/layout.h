/* layout: flows a doc into pages of display list, in pure C (no libharu).
 *
 * Two passes over the blocks: the first only paginates (page count, the
 * page of every heading for the table of contents and "Página X de Y"),
 * the second builds each page and hands it to the sink, then forgets it,
 * so memory does not grow with the number of pages. */
#ifndef INFORME_LAYOUT_H
#define INFORME_LAYOUT_H

#include "base/diag.h"
#include "doc/dlist.h"
#include "doc/doc.h"
#include "media/font.h"

#include <stdbool.h>

/* Lays out doc with the metrics in fonts and sends every page to sink.
 * Warnings (a character missing from a font, a table wider than the page)
 * go to d. Returns false if the sink failed or an error was reported while
 * laying out (then no page reaches the sink). *pages receives the page
 * count when not NULL. */
bool layout_run(const struct doc *doc, const struct fontset *fonts,
                const struct page_sink *sink, struct diag *d, unsigned *pages);

#endif
