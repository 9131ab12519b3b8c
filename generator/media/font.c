/* font: reads the few TrueType tables layout needs (head, hhea, maxp, hmtx,
 * cmap, OS/2) into a per-code-point width table, with every offset checked. */
#include "media/font.h"

#include "base/infile.h"

#include "base/arena.h"
#include "base/utf8.h"

#include <sys/mman.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

/* A bounded view of the file: every read goes through it, so a truncated
 * or lying table can never read outside the buffer. */
struct ttf {
    const unsigned char *p;
    size_t len;
};

static bool in_range(const struct ttf *f, size_t off, size_t n)
{
    return off <= f->len && n <= f->len - off;
}

static unsigned u16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static int s16(const unsigned char *p)
{
    unsigned v = u16(p);
    return v >= 0x8000 ? (int)v - 0x10000 : (int)v;
}

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

struct table_ref {
    size_t off, len;
    bool found;
};

static bool find_table(const struct ttf *f, const char *tag,
                       struct table_ref *t)
{
    unsigned n = u16(f->p + 4);
    memset(t, 0, sizeof *t);
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *r = f->p + 12 + 16 * (size_t)i;
        if (memcmp(r, tag, 4) != 0)
            continue;
        t->off = u32(r + 8);
        t->len = u32(r + 12);
        t->found = true;
        return in_range(f, t->off, t->len);
    }
    return false;
}

/* Glyph ids by code point for the BMP; 0 is .notdef. */
static void cmap_format4(const struct ttf *f, size_t off, uint16_t *gid)
{
    if (!in_range(f, off, 14))
        return;
    size_t len = u16(f->p + off + 2);
    if (len > f->len - off)
        len = f->len - off; /* some fonts overstate the length */
    size_t segx2 = u16(f->p + off + 6);
    size_t ends = off + 14, starts = ends + segx2 + 2;
    size_t deltas = starts + segx2, ranges = deltas + segx2;
    if (segx2 % 2 || !in_range(f, off, len) || ranges + segx2 > off + len)
        return;
    for (size_t s = 0; s < segx2; s += 2) {
        unsigned end = u16(f->p + ends + s), start = u16(f->p + starts + s);
        unsigned delta = u16(f->p + deltas + s);
        unsigned range = u16(f->p + ranges + s);
        for (unsigned c = start; c <= end && c <= 0xFFFF; c++) {
            unsigned g;
            if (range == 0) {
                g = (c + delta) & 0xFFFF;
            } else {
                size_t at = ranges + s + range + 2 * (size_t)(c - start);
                if (!in_range(f, at, 2))
                    break;
                g = u16(f->p + at);
                if (g)
                    g = (g + delta) & 0xFFFF;
            }
            if (c != 0xFFFF || g)
                gid[c] = (uint16_t)g;
        }
    }
}

/* Fills the BMP entries format 4 left empty (fonts with only format 12). */
static void cmap_format12(const struct ttf *f, size_t off, uint16_t *gid)
{
    if (!in_range(f, off, 16))
        return;
    uint32_t ngroups = u32(f->p + off + 12);
    if (ngroups > (f->len - off - 16) / 12)
        return;
    for (uint32_t i = 0; i < ngroups; i++) {
        const unsigned char *g = f->p + off + 16 + 12 * (size_t)i;
        uint32_t start = u32(g), end = u32(g + 4), glyph = u32(g + 8);
        for (uint32_t c = start; c <= end && c <= 0xFFFF; c++) {
            uint32_t v = glyph + (c - start);
            if (!gid[c] && v <= 0xFFFF)
                gid[c] = (uint16_t)v;
        }
    }
}

static bool read_cmap(const struct ttf *f, const struct table_ref *t,
                      uint16_t *gid)
{
    if (t->len < 4)
        return false;
    unsigned n = u16(f->p + t->off + 2);
    if ((size_t)n * 8 > t->len - 4)
        return false;
    size_t f4 = 0, f12 = 0;
    int f4rank = 0;
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *r = f->p + t->off + 4 + 8 * (size_t)i;
        unsigned plat = u16(r), enc = u16(r + 2);
        size_t sub = t->off + u32(r + 4);
        if (!in_range(f, sub, 2))
            continue;
        unsigned format = u16(f->p + sub);
        bool unicode = plat == 0 || (plat == 3 && (enc == 1 || enc == 10));
        if (!unicode)
            continue;
        /* Windows Unicode BMP is what libharu reads; prefer it. */
        int rank = plat == 3 && enc == 1 ? 2 : 1;
        if (format == 4 && rank > f4rank) {
            f4 = sub;
            f4rank = rank;
        } else if (format == 12 && !f12) {
            f12 = sub;
        }
    }
    if (!f4 && !f12)
        return false;
    if (f4)
        cmap_format4(f, f4, gid);
    if (f12)
        cmap_format12(f, f12, gid);
    return true;
}

/* v font units in thousandths of an em, rounded up (or down), within
 * what an int16_t holds. */
static int16_t thousandths_out(int v, unsigned upem, bool up)
{
    double t = (double)v * 1000.0 / upem;
    t = up ? ceil(t) : floor(t);
    return (int16_t)(t > 32000 ? 32000 : t < -32000 ? -32000 : t);
}

static bool parse(struct font_metrics *fm, const struct ttf *f,
                  const char **why)
{
    struct table_ref head, hhea, maxp, hmtx, cmap, os2;
    *why = "no es una fuente TrueType";
    if (f->len < 12)
        return false;
    uint32_t version = u32(f->p);
    if (version != 0x00010000 && version != 0x74727565) /* 'true' */
        return false;
    if (!in_range(f, 12, 16 * (size_t)u16(f->p + 4)))
        return false;
    *why = "le falta una tabla necesaria o está dañada";
    if (!find_table(f, "head", &head) || head.len < 54 ||
        !find_table(f, "hhea", &hhea) || hhea.len < 36 ||
        !find_table(f, "maxp", &maxp) || maxp.len < 6 ||
        !find_table(f, "hmtx", &hmtx) || !find_table(f, "cmap", &cmap))
        return false;
    unsigned upem = u16(f->p + head.off + 18);
    if (upem < 16 || upem > 16384)
        return false;
    unsigned nglyphs = u16(f->p + maxp.off + 4);
    unsigned nhm = u16(f->p + hhea.off + 34);
    if (nhm == 0 || nhm > nglyphs || (size_t)nhm * 4 > hmtx.len)
        return false;
    const unsigned char *hm = f->p + hmtx.off;

    fm->units_per_em = (uint16_t)upem;
    /* Vertical metrics in thousandths, truncated as libharu does. */
#define THOU(v) ((int)((long)(v)*1000 / (long)upem))
    fm->ascender = (int16_t)THOU(s16(f->p + hhea.off + 4));
    fm->descender = (int16_t)THOU(s16(f->p + hhea.off + 6));
    fm->cap_height = (int16_t)(fm->ascender * 7 / 10);
    fm->ink_top = thousandths_out(s16(f->p + head.off + 42), upem, true);
    fm->ink_bottom = thousandths_out(s16(f->p + head.off + 38), upem, false);
    if (find_table(f, "OS/2", &os2) && os2.len >= 90 &&
        u16(f->p + os2.off) >= 2)
        fm->cap_height = (int16_t)THOU(s16(f->p + os2.off + 88));

    uint16_t *gid = calloc(65536, sizeof *gid);
    if (!gid)
        arena_oom();
    bool ok = read_cmap(f, &cmap, gid);
    if (!ok) {
        free(gid);
        *why = "no tiene una tabla cmap Unicode utilizable";
        return false;
    }
    fm->width = xmalloc(65536 * sizeof *fm->width);
    fm->has = calloc(8192, 1);
    if (!fm->has)
        arena_oom();
    uint16_t *adv = xmalloc((size_t)nglyphs * sizeof *adv);
    for (unsigned g = 0; g < nglyphs; g++)
        adv[g] = (uint16_t)u16(hm + 4 * (size_t)(g < nhm ? g : nhm - 1));
    fm->missing_width = adv[0];
    for (unsigned c = 0; c < 65536; c++) {
        unsigned g = gid[c];
        if (g && g < nglyphs) {
            fm->width[c] = adv[g];
            fm->has[c >> 3] |= (uint8_t)(1u << (c & 7));
        } else {
            fm->width[c] = fm->missing_width;
        }
    }
    free(adv);
    free(gid);
#undef THOU
    return true;
}

bool font_parse(struct font_metrics *fm, const char *name,
                const unsigned char *data, size_t len, struct diag *d)
{
    memset(fm, 0, sizeof *fm);
    struct ttf f = {data, len};
    const char *why = "no es una fuente TrueType";
    if (!data || !parse(fm, &f, &why)) {
        diag_error(d, name, 0, 0, "la fuente no se puede usar: %s", why);
        font_release(fm);
        return false;
    }
    fm->path = xmalloc(strlen(name) + 1);
    memcpy(fm->path, name, strlen(name) + 1);
    return true;
}

bool font_load(struct font_metrics *fm, const char *path, struct diag *d)
{
    memset(fm, 0, sizeof *fm);
    /* Mapping the file touches only the pages of the tables we read (a
     * tenth of a Liberation face): loading stays well under a millisecond. */
    size_t len;
    int fd = infile_open(d, path, "la fuente", NULL, &len);
    if (fd < 0)
        return false;
    if (len > 0) {
        void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map != MAP_FAILED) {
            close(fd);
            bool ok = font_parse(fm, path, map, len, d);
            munmap(map, len);
            return ok;
        }
    }
    close(fd);
    char *data;
    if (!infile_read(d, path, "la fuente", NULL, NULL, &data, &len))
        return false;
    bool ok = font_parse(fm, path, (unsigned char *)data, len, d);
    free(data);
    return ok;
}

void font_release(struct font_metrics *fm)
{
    if (!fm)
        return;
    free(fm->path);
    free(fm->width);
    free(fm->has);
    memset(fm, 0, sizeof *fm);
}

bool font_has(const struct font_metrics *fm, uint32_t cp)
{
    return cp <= 0xFFFF && (fm->has[cp >> 3] >> (cp & 7) & 1);
}

long font_text_units(const struct font_metrics *fm, const char *s, size_t n)
{
    long w = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            w += fm->width[c];
            i++;
            continue;
        }
        size_t l;
        uint32_t cp = utf8_decode(s + i, n - i, &l);
        i += l;
        if (cp == UTF8_BAD)
            cp = 0xFFFD;
        w += cp <= 0xFFFF ? fm->width[cp] : fm->missing_width;
    }
    return w;
}

double font_text_width(const struct font_metrics *fm, const char *s, size_t n,
                       double size)
{
    return (double)font_text_units(fm, s, n) * size / fm->units_per_em;
}

static void copy_face(struct font_metrics *dst, const struct font_metrics *src)
{
    *dst = *src;
    size_t plen = strlen(src->path) + 1;
    dst->path = xmalloc(plen);
    memcpy(dst->path, src->path, plen);
    dst->width = xmalloc(65536 * sizeof *dst->width);
    memcpy(dst->width, src->width, 65536 * sizeof *dst->width);
    dst->has = xmalloc(8192);
    memcpy(dst->has, src->has, 8192);
}

bool fontset_load(struct fontset *fs, const char *dir,
                  const char *const file[FACE_COUNT], struct diag *d)
{
    memset(fs, 0, sizeof *fs);
    bool ok = true;
    char *paths[FACE_COUNT] = {0};
    for (int i = 0; i < FACE_COUNT && ok; i++) {
        const char *name = file[i] ? file[i] : file[FACE_REGULAR];
        if (!name) {
            diag_error(d, NULL, 0, 0, "falta la fuente regular");
            ok = false;
            break;
        }
        int need = snprintf(NULL, 0, "%s%s%s", dir ? dir : "",
                            dir && *dir ? "/" : "", name);
        paths[i] = xmalloc((size_t)need + 1);
        snprintf(paths[i], (size_t)need + 1, "%s%s%s", dir ? dir : "",
                 dir && *dir ? "/" : "", name);
        /* A face naming a file already read shares its metrics (copied,
         * so every face owns its own storage). */
        int same = -1;
        for (int j = 0; j < i; j++)
            if (strcmp(paths[j], paths[i]) == 0)
                same = j;
        if (same >= 0)
            copy_face(&fs->face[i], &fs->face[same]);
        else
            ok = font_load(&fs->face[i], paths[i], d);
    }
    for (int i = 0; i < FACE_COUNT; i++)
        free(paths[i]);
    if (!ok)
        fontset_release(fs);
    return ok;
}

void fontset_release(struct fontset *fs)
{
    if (!fs)
        return;
    for (int i = 0; i < FACE_COUNT; i++)
        font_release(&fs->face[i]);
}
