/* collate: the order of values: Spanish collation of texts and the
 * comparison of two values of any type, the one order that sorting,
 * grouping, min/max and comparisons in expressions share. */
#ifndef INFORME_COLLATE_H
#define INFORME_COLLATE_H

#include "data/value.h"

#include <stdbool.h>

/* Spanish order of two UTF-8 texts: case-insensitive with accents folded
 * first (á = a, ü = u), ñ its own letter after n; then ties broken by
 * accents (unaccented first), then by case (lower first). 0 only when the
 * texts are equal at every level. -1, 0 or 1, with the sign of strcmp. */
int collate_text(const char *a, const char *b);

/* Order of two values: numbers (of any numeric type) and dates by value,
 * text by collate_text, booleans false first; a missing value after
 * everything. Values of different kinds order by kind. -1, 0 or 1. */
int collate_values(const struct value *a, const struct value *b);

/* Whether values of types a and b are of one kind, so that comparing them
 * means something: both numbers (of any numeric type), both dates, both
 * texts or both booleans. Never for a missing value. */
bool collate_comparable(enum vtype a, enum vtype b);

#endif
