/* suggest: the "¿quiso decir ...?" of every message about a misspelt key,
 * column, parameter, source, function or filter: the closest known name. */
#ifndef INFORME_SUGGEST_H
#define INFORME_SUGGEST_H

#include "data/table.h"

#include <stddef.h>

/* Optimal string alignment distance (Levenshtein plus swaps of adjacent
 * characters), on bytes, ignoring ASCII case. Names longer than 63 bytes
 * are never close: (size_t)-1. */
size_t suggest_distance(const char *a, const char *b);

/* The candidate closest to word within max(1, len/3) edits, or NULL. */
const char *suggest_closest(const char *word, const char *const *candidates,
                            size_t n);

/* The same over the column names of t (NULL-safe). */
const char *suggest_column(const struct table *t, const char *word);

#endif
