/* collate: the order of values: Spanish collation of texts and the
 * comparison of two values of any type, the one order that sorting,
 * grouping, min/max and comparisons in expressions share. */
#ifndef INFORME_COLLATE_H
#define INFORME_COLLATE_H

#include "base/buf.h"
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

/* A value made ready to be compared many times (a sort): the kind of
 * value, its number (or day), and for a text the bytes of its weights,
 * level after level, at off..off+len of a buffer the caller keeps. */
enum { COLLATE_MISSING = 4 }; /* the kind of a missing value */

struct collate_key {
    int kind;
    double num;
    size_t off, len;
};

/* Fills *k for v, appending a text's weights to b. Computing every key
 * once and comparing them with collate_key_cmp orders as collate_values
 * does, without decoding a text at each comparison. */
void collate_key(struct buf *b, const struct value *v, struct collate_key *k);
/* collate_values of the two values the keys were made of; bytes is the
 * buffer's data once every key has been appended. */
int collate_key_cmp(const char *bytes, const struct collate_key *x,
                    const struct collate_key *y);

/* Whether values of types a and b are of one kind, so that comparing them
 * means something: both numbers (of any numeric type), both dates, both
 * texts or both booleans. Never for a missing value. */
bool collate_comparable(enum vtype a, enum vtype b);

#endif
