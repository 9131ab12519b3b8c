/* schema: checks a loaded template against the template language
 * (docs/templates.md) before anything is evaluated: known keys, value
 * kinds, enumerations, lengths and colours, required keys, and references
 * to data sources and styles. Every mistake is reported at its node. */
#ifndef INFORME_SCHEMA_H
#define INFORME_SCHEMA_H

#include "diag.h"
#include "tree.h"

#include <stdbool.h>
#include <stddef.h>

/* Validates root (as returned by tree_load_*). Reports every mistake found
 * (until diag_full) and returns true when there was none. */
bool schema_check(struct diag *d, const struct tnode *root);

/* The candidate closest to word by Damerau-Levenshtein distance (adjacent
 * transpositions count one, case is ignored), when it is close enough to be
 * a likely typo: distance at most max(1, strlen(word) / 3). NULL when none
 * is. The result is one of candidates. */
const char *schema_suggest(const char *word, const char *const *candidates,
                           size_t n);

#endif
