/* keyset: keys of rows for grouping and joining. A key is the canonical
 * bytes of one or more values (keyset_key once per value), and a keyset
 * finds the index of a key among those added, in O(1) expected time.
 *
 * Ownership: the set's own arrays are malloc'd (keyset_release frees
 * them); the key texts belong to the caller and must outlive the set. */
#ifndef INFORME_KEYSET_H
#define INFORME_KEYSET_H

#include "base/buf.h"
#include "data/value.h"

#include <stdbool.h>
#include <stddef.h>

/* Appends a canonical form of v: equal keys give equal bytes. Numbers and
 * text share one form so that the code 5 and the text "5" meet. */
void keyset_key(struct buf *b, const struct value *v);

/* Open addressing: slots hold an index into keys[] plus one (0: empty). */
struct keyset {
    size_t *slots, mask;
    const char **keys;
    size_t *lens;
    size_t n, room; /* keys, and keys before the slots grow (half) */
};

/* Room for expect keys before the set first grows (a hint: a group_by's
 * groups are unknown beforehand; the set doubles as keys are added). */
void keyset_init(struct keyset *k, size_t expect);
void keyset_release(struct keyset *k);
/* Index of key s (n bytes): an existing one, or when absent and add is
 * set a new one (with *added set), else (size_t)-1. */
size_t keyset_get(struct keyset *k, const char *s, size_t n, bool add,
                  bool *added);

#endif
