/* keyset: the keys of grouping and joining: a canonical byte form of a
 * value, and a set of such keys by open addressing (base/hash). */
#include "lang/keyset.h"

#include "base/arena.h"
#include "base/hash.h"
#include "data/fmt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void keyset_key(struct buf *b, const struct value *v)
{
    char plain[64];
    switch (v->type) {
    case V_MISSING:
        buf_addc(b, '\x01');
        break;
    case V_TEXT:
        buf_adds(b, v->text);
        break;
    case V_DATE:
        fmt_date_iso(b, v->days);
        break;
    default:
        fmt_round_plain(v->num, -1, plain);
        buf_adds(b, plain);
        break;
    }
    buf_addc(b, '\x1f');
}

void keyset_init(struct keyset *k, size_t expect)
{
    size_t cap = 16;
    while (cap < expect * 2)
        cap *= 2;
    k->slots = calloc(cap, sizeof *k->slots);
    k->keys = xmalloc((expect ? expect : 1) * sizeof *k->keys);
    k->lens = xmalloc((expect ? expect : 1) * sizeof *k->lens);
    if (!k->slots)
        arena_oom();
    k->mask = cap - 1;
    k->n = 0;
}

void keyset_release(struct keyset *k)
{
    free(k->slots);
    free(k->keys);
    free(k->lens);
}

size_t keyset_get(struct keyset *k, const char *s, size_t n, bool add,
                  bool *added)
{
    size_t i = (size_t)hash_bytes(s, n) & k->mask;
    *added = false;
    for (;; i = (i + 1) & k->mask) {
        size_t slot = k->slots[i];
        if (slot == 0)
            break;
        size_t idx = slot - 1;
        if (k->lens[idx] == n && hash_equal(k->keys[idx], s, n))
            return idx;
    }
    if (!add)
        return (size_t)-1;
    k->keys[k->n] = s;
    k->lens[k->n] = n;
    k->slots[i] = ++k->n;
    *added = true;
    return k->n - 1;
}
