/* pdfout: the PDF writer, the only module that includes <hpdf.h>.
 *
 * Draws display-list pages with libharu in UTF-8 mode, embeds the fonts
 * with informe's own ToUnicode map (libharu's is invalid), writes metadata
 * and outlines, and saves atomically: to a temporary file in the target
 * folder, renamed over the destination only when everything succeeded.
 * On failure the previous file is untouched and no temporary file remains.
 *
 * Usage: pdfout_open(), then pdfout_page() for every page (it is a
 * page_sink callback), then pdfout_save() or pdfout_discard(). */
#ifndef INFORME_PDFOUT_H
#define INFORME_PDFOUT_H

#include "diag.h"
#include "dlist.h"
#include "doc.h"
#include "font.h"

#include <stdbool.h>

struct pdfout;

/* Starts a document with the settings' metadata, fonts and password.
 * Returns NULL after reporting to d. */
struct pdfout *pdfout_open(const struct doc_settings *set,
                           const struct fontset *fonts, struct diag *d);
/* Draws one page (a page_sink callback; ctx is the struct pdfout). */
bool pdfout_page(void *ctx, const struct dl_page *page);
/* Writes the file atomically and frees w. On failure reports to d with
 * EXIT_CANTCREAT (or EXIT_SOFTWARE for a libharu failure). */
bool pdfout_save(struct pdfout *w, const char *path);
/* Frees w without writing anything; accepts NULL. */
void pdfout_discard(struct pdfout *w);

#endif
