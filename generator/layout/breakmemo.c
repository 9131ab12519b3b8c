/* breakmemo: a hash table from (text, face, size, width) to the lines
 * text_break gave it (see breakmemo.h). */
#include "layout/breakmemo.h"

#include "base/arena.h"
#include "base/hash.h"

#include <stdlib.h>
#include <string.h>

void breakmemo_init(struct breakmemo *m)
{
    memset(m, 0, sizeof *m);
}

void breakmemo_release(struct breakmemo *m)
{
    if (!m)
        return;
    free(m->entry);
    free(m->line);
    free(m->slot);
    memset(m, 0, sizeof *m);
}

static uint64_t bits(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

/* The text's hash with the face, size and width mixed in: a text in two
 * columns of different widths takes two slots, not one chain. */
static uint64_t key_hash(enum face face, double size, double width,
                         const char *s, size_t n)
{
    const uint64_t k = 0x9E3779B97F4A7C15u;
    uint64_t h = hash_bytes(s, n);
    h = (h ^ (uint64_t)face) * k;
    h = (h ^ bits(size)) * k;
    h = (h ^ bits(width)) * k;
    return h ^ h >> 32;
}

static bool same(const struct breakmemo_entry *e, uint64_t h, enum face face,
                 double size, double width, const char *s, size_t n)
{
    return e->hash == h && e->len == n && e->face == face && e->size == size &&
           e->width == width && (e->text == s || hash_equal(e->text, s, n));
}

/* Doubles the table (from 1,024 slots) and places every entry again. */
static void rehash(struct breakmemo *m)
{
    size_t cap = m->cap ? 2 * m->cap : 1024;
    uint32_t *slot = calloc(cap, sizeof *slot);
    if (!slot)
        arena_oom();
    for (size_t i = 0; i < m->nentry; i++) {
        size_t j = (size_t)m->entry[i].hash & (cap - 1);
        while (slot[j])
            j = (j + 1) & (cap - 1);
        slot[j] = (uint32_t)(i + 1);
    }
    free(m->slot);
    m->slot = slot;
    m->cap = cap;
}

/* Keeps the lines [from, out->n) that text_break gave s in slot j. */
static void keep(struct breakmemo *m, size_t j, uint64_t h, enum face face,
                 double size, double width, const char *s, size_t n,
                 const struct text_lines *out, size_t from)
{
    size_t k = out->n - from;
    if (m->nentry == m->capentry) {
        m->capentry = m->capentry ? 2 * m->capentry : 256;
        m->entry = xrealloc(m->entry, m->capentry * sizeof *m->entry);
    }
    if (m->nline + k > m->capline) {
        while (m->nline + k > m->capline)
            m->capline = m->capline ? 2 * m->capline : 1024;
        m->line = xrealloc(m->line, m->capline * sizeof *m->line);
    }
    m->entry[m->nentry] = (struct breakmemo_entry){
        h, s, size, width, (uint32_t)n, (uint32_t)m->nline, (uint32_t)k, face};
    for (size_t i = from; i < out->n; i++) {
        const struct text_line *ln = &out->line[i];
        struct breakmemo_line *ml = &m->line[m->nline++];
        *ml = (struct breakmemo_line){0, 0, ln->width, 0};
        if (ln->n) {
            const struct text_frag *f = &out->frag[ln->first];
            ml->off = (uint32_t)(f->text - s);
            ml->len = (uint32_t)f->len;
            ml->fw = f->w;
        }
    }
    m->slot[j] = (uint32_t)++m->nentry;
}

/* The memory the memo's own arrays take (the texts are not its own). */
static size_t owned(const struct breakmemo *m)
{
    return m->capentry * sizeof *m->entry + m->capline * sizeof *m->line +
           m->cap * sizeof *m->slot;
}

size_t breakmemo_break(struct breakmemo *m, struct text_ctx *t, enum face face,
                       double size, const char *s, size_t n, double width,
                       struct text_lines *out)
{
    if (!s || n < BREAKMEMO_MIN || n > UINT32_MAX)
        return text_break(t, face, size, s, n, width, out);
    if (m->nentry >= m->cap / 2)
        rehash(m);
    uint64_t h = key_hash(face, size, width, s, n);
    size_t j = (size_t)h & (m->cap - 1);
    for (; m->slot[j]; j = (j + 1) & (m->cap - 1)) {
        const struct breakmemo_entry *e = &m->entry[m->slot[j] - 1];
        if (!same(e, h, face, size, width, s, n))
            continue;
        m->hits++;
        for (uint32_t i = 0; i < e->n; i++) {
            const struct breakmemo_line *ml = &m->line[e->first + i];
            text_lines_add(out, face, s + ml->off, ml->len, ml->width, ml->fw);
        }
        return e->n;
    }
    size_t from = out->n;
    size_t k = text_break(t, face, size, s, n, width, out);
    if (owned(m) <= BREAKMEMO_MAX_BYTES && m->nentry < UINT32_MAX - 1)
        keep(m, j, h, face, size, width, s, n, out, from);
    return k;
}
