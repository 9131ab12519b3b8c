/* sfnt: bounded big-endian reads of a TrueType (sfnt) file, shared by the
 * metrics reader (font.c) and the subsetter (ttsubset.c).
 *
 * Every table is found through sfnt_find, which checks that the table lies
 * inside the file; readers then check each offset against the table's
 * length with sfnt_in_range before reading, so a truncated or lying file
 * can never make them read outside the buffer. */
#ifndef INFORME_SFNT_H
#define INFORME_SFNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A view of a whole file: p[0, len). */
struct sfnt {
    const unsigned char *p;
    size_t len;
};

/* A table of the file: p[off, off + len), inside the file when found. */
struct sfnt_table {
    size_t off, len;
    bool found;
};

/* True when [off, off + n) lies inside a buffer of len bytes. */
static inline bool sfnt_in_range(size_t len, size_t off, size_t n)
{
    return off <= len && n <= len - off;
}

static inline unsigned sfnt_u16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static inline int sfnt_s16(const unsigned char *p)
{
    unsigned v = sfnt_u16(p);
    return v >= 0x8000 ? (int)v - 0x10000 : (int)v;
}

static inline uint32_t sfnt_u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static inline void sfnt_put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static inline void sfnt_put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Entry g of a loca table at l, short (offset / 2) or long: where glyph g
 * starts in glyf. The caller checks that entry g lies inside loca. */
static inline size_t sfnt_loca(const unsigned char *l, bool long_loca,
                               unsigned g)
{
    return long_loca ? sfnt_u32(l + 4 * (size_t)g)
                     : 2 * (size_t)sfnt_u16(l + 2 * (size_t)g);
}

/* True when the file starts with a TrueType header ('\0\1\0\0' or 'true')
 * whose table directory lies inside the file. */
static inline bool sfnt_check(const struct sfnt *f)
{
    if (f->len < 12)
        return false;
    uint32_t version = sfnt_u32(f->p);
    if (version != 0x00010000 && version != 0x74727565) /* 'true' */
        return false;
    return sfnt_in_range(f->len, 12, 16 * (size_t)sfnt_u16(f->p + 4));
}

/* Finds the table tag (4 bytes) in a file that passed sfnt_check. True
 * when it is there and lies inside the file; t->found tells a missing
 * table from one that points outside the file. */
static inline bool sfnt_find(const struct sfnt *f, const char *tag,
                             struct sfnt_table *t)
{
    unsigned n = sfnt_u16(f->p + 4);
    memset(t, 0, sizeof *t);
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *r = f->p + 12 + 16 * (size_t)i;
        if (memcmp(r, tag, 4) != 0)
            continue;
        t->off = sfnt_u32(r + 8);
        t->len = sfnt_u32(r + 12);
        t->found = true;
        return sfnt_in_range(f->len, t->off, t->len);
    }
    return false;
}

#endif
