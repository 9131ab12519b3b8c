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
    k->room = cap / 2;
    k->keys = xmalloc(k->room * sizeof *k->keys);
    k->lens = xmalloc(k->room * sizeof *k->lens);
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

/* Twice the room: the slots filled again from the keys. */
static void grow(struct keyset *k)
{
    size_t cap = 2 * (k->mask + 1);
    free(k->slots);
    k->slots = calloc(cap, sizeof *k->slots);
    if (!k->slots)
        arena_oom();
    k->mask = cap - 1;
    k->room = cap / 2;
    k->keys = xrealloc(k->keys, k->room * sizeof *k->keys);
    k->lens = xrealloc(k->lens, k->room * sizeof *k->lens);
    for (size_t idx = 0; idx < k->n; idx++) {
        size_t i = (size_t)hash_bytes(k->keys[idx], k->lens[idx]) & k->mask;
        while (k->slots[i])
            i = (i + 1) & k->mask;
        k->slots[i] = idx + 1;
    }
}

size_t keyset_get(struct keyset *k, const char *s, size_t n, bool add,
                  bool *added)
{
    uint64_t h = hash_bytes(s, n);
    size_t i = (size_t)h & k->mask;
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
    if (k->n == k->room) { /* at most half the slots used */
        grow(k);
        i = (size_t)h & k->mask;
        while (k->slots[i])
            i = (i + 1) & k->mask;
    }
    k->keys[k->n] = s;
    k->lens[k->n] = n;
    k->slots[i] = ++k->n;
    *added = true;
    return k->n - 1;
}
