/* fontdir: the folder informe reads its fonts from (docs/informe.1,
 * ARCHIVOS). In order: --fonts DIR, else $INFORME_FONTS (either one
 * alone: a folder given is never second-guessed), else the first of
 *   fonts/ in the current folder (the repository's own),
 *   fonts/ beside the binary (the repository's binary run from elsewhere),
 *   ../share/informe/fonts from the binary's folder (an installed copy,
 *   wherever its prefix is),
 *   $(PREFIX)/share/informe/fonts as compiled in (INFORME_FONTDIR)
 * that holds the regular face the template needs. */
#ifndef INFORME_FONTDIR_H
#define INFORME_FONTDIR_H

#include "base/arena.h"
#include "base/diag.h"
#include "template/tree.h"

#include <stddef.h>

#define FONTDIR_MAX 6

struct fontdir_place {
    const char *dir;
    const char *why; /* how it was chosen, for the message */
};

/* The folders to search, in order, without duplicates; given is --fonts
 * (may be NULL). Returns how many were written to out. */
size_t fontdir_places(struct arena *a, const char *given,
                      struct fontdir_place out[FONTDIR_MAX]);

/* The fonts folder for a template whose root is root (schema-checked):
 * the first place holding its regular face (report.fonts.regular, else
 * the default). NULL after reporting to d with EXIT_NOINPUT every folder
 * searched (at report.fonts.regular when the template names it). */
const char *fontdir_find(struct arena *a, const char *given,
                         const struct tnode *root, struct diag *d);

#endif
