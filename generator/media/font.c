/* font: reads the few TrueType tables layout and the PDF font need (head,
 * hhea, maxp, hmtx, cmap, OS/2, post, name) into per-code-point width and
 * glyph tables and the descriptor's values, with every offset checked. */
#include "media/font.h"

#include "media/sfnt.h"

#include "base/infile.h"

#include "base/arena.h"
#include "base/utf8.h"

#include <sys/mman.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

/* Glyph ids by code point for the BMP; 0 is .notdef. */
static void cmap_format4(const struct sfnt *f, size_t off, uint16_t *gid)
{
    if (!sfnt_in_range(f->len, off, 14))
        return;
    size_t len = sfnt_u16(f->p + off + 2);
    if (len > f->len - off)
        len = f->len - off; /* some fonts overstate the length */
    size_t segx2 = sfnt_u16(f->p + off + 6);
    size_t ends = off + 14, starts = ends + segx2 + 2;
    size_t deltas = starts + segx2, ranges = deltas + segx2;
    if (segx2 % 2 || !sfnt_in_range(f->len, off, len) ||
        ranges + segx2 > off + len)
        return;
    for (size_t s = 0; s < segx2; s += 2) {
        unsigned end = sfnt_u16(f->p + ends + s),
                 start = sfnt_u16(f->p + starts + s);
        unsigned delta = sfnt_u16(f->p + deltas + s);
        unsigned range = sfnt_u16(f->p + ranges + s);
        for (unsigned c = start; c <= end && c <= 0xFFFF; c++) {
            unsigned g;
            if (range == 0) {
                g = (c + delta) & 0xFFFF;
            } else {
                size_t at = ranges + s + range + 2 * (size_t)(c - start);
                if (!sfnt_in_range(f->len, at, 2))
                    break;
                g = sfnt_u16(f->p + at);
                if (g)
                    g = (g + delta) & 0xFFFF;
            }
            if (c != 0xFFFF || g)
                gid[c] = (uint16_t)g;
        }
    }
}

/* Fills the BMP entries format 4 left empty (fonts with only format 12). */
static void cmap_format12(const struct sfnt *f, size_t off, uint16_t *gid)
{
    if (!sfnt_in_range(f->len, off, 16))
        return;
    uint32_t ngroups = sfnt_u32(f->p + off + 12);
    if (ngroups > (f->len - off - 16) / 12)
        return;
    for (uint32_t i = 0; i < ngroups; i++) {
        const unsigned char *g = f->p + off + 16 + 12 * (size_t)i;
        uint32_t start = sfnt_u32(g), end = sfnt_u32(g + 4),
                 glyph = sfnt_u32(g + 8);
        for (uint32_t c = start; c <= end && c <= 0xFFFF; c++) {
            uint32_t v = glyph + (c - start);
            if (!gid[c] && v <= 0xFFFF)
                gid[c] = (uint16_t)v;
        }
    }
}

static bool read_cmap(const struct sfnt *f, const struct sfnt_table *t,
                      uint16_t *gid)
{
    if (t->len < 4)
        return false;
    unsigned n = sfnt_u16(f->p + t->off + 2);
    if ((size_t)n * 8 > t->len - 4)
        return false;
    size_t f4 = 0, f12 = 0;
    int f4rank = 0;
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *r = f->p + t->off + 4 + 8 * (size_t)i;
        unsigned plat = sfnt_u16(r), enc = sfnt_u16(r + 2);
        size_t sub = t->off + sfnt_u32(r + 4);
        if (!sfnt_in_range(f->len, sub, 2))
            continue;
        unsigned format = sfnt_u16(f->p + sub);
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

/* The PostScript name (name ID 6), Windows Unicode English first, else
 * Macintosh Roman, keeping only the characters a PostScript name may
 * have; "Font" when there is none. */
static void read_name(struct font_metrics *fm, const struct sfnt *f)
{
    struct sfnt_table t;
    size_t at = 0, len = 0;
    unsigned step = 1;
    if (sfnt_find(f, "name", &t) && t.len >= 6) {
        unsigned n = sfnt_u16(f->p + t.off + 2);
        size_t strings = t.off + sfnt_u16(f->p + t.off + 4);
        for (unsigned i = 0; i < n && (size_t)12 * (i + 1) + 6 <= t.len; i++) {
            const unsigned char *r = f->p + t.off + 6 + 12 * (size_t)i;
            unsigned plat = sfnt_u16(r), enc = sfnt_u16(r + 2);
            unsigned lang = sfnt_u16(r + 4), id = sfnt_u16(r + 6);
            size_t off = strings + sfnt_u16(r + 10), l = sfnt_u16(r + 8);
            bool win = plat == 3 && enc == 1 && lang == 0x409;
            if (id != 6 || !sfnt_in_range(t.off + t.len, off, l))
                continue;
            if (win || (plat == 1 && enc == 0 && step == 1 && !len)) {
                at = off;
                len = l;
                step = win ? 2 : 1;
            }
        }
    }
    size_t k = 0;
    /* UTF-16BE: the low byte of each character */
    for (size_t i = step - 1; i < len && k + 1 < sizeof fm->ps_name;
         i += step) {
        unsigned char c = f->p[at + i];
        if (c > 32 && c < 127 && !strchr("[](){}<>/%", c))
            fm->ps_name[k++] = (char)c;
    }
    if (k == 0)
        memcpy(fm->ps_name, "Font", 5);
    else
        fm->ps_name[k] = '\0';
}

/* Descriptor flags (PDF 32000-1, table 123). */
#define FLAG_FIXED 1u
#define FLAG_SERIF 2u
#define FLAG_SYMBOLIC 4u
#define FLAG_SCRIPT 8u
#define FLAG_NONSYMBOLIC 32u
#define FLAG_ITALIC 64u
#define FLAG_FORCE_BOLD (1u << 18)

/* The font descriptor's box, angle, x-height and flags, and the embedding
 * bits (head, OS/2 and post; the last two may be missing). */
static void read_descriptor(struct font_metrics *fm, const struct sfnt *f,
                            const struct sfnt_table *head, unsigned upem)
{
    const unsigned char *h = f->p + head->off;
    for (int i = 0; i < 4; i++)
        fm->bbox[i] =
            (int16_t)((long)sfnt_s16(h + 36 + 2 * i) * 1000 / (long)upem);
    unsigned mac_style = sfnt_u16(h + 44);
    uint32_t flags = FLAG_NONSYMBOLIC;
    struct sfnt_table os2, post;
    if (sfnt_find(f, "OS/2", &os2) && os2.len >= 32) {
        const unsigned char *o = f->p + os2.off;
        fm->embedding = (uint16_t)sfnt_u16(o + 8);
        unsigned family = o[30]; /* sFamilyClass, its class */
        if ((family >= 1 && family <= 5) || family == 7)
            flags |= FLAG_SERIF;
        else if (family == 10)
            flags |= FLAG_SCRIPT;
        else if (family == 12)
            flags = (flags & ~FLAG_NONSYMBOLIC) | FLAG_SYMBOLIC;
        if (os2.len >= 88 && sfnt_u16(o) >= 2)
            fm->x_height =
                (int16_t)((long)sfnt_s16(o + 86) * 1000 / (long)upem);
    }
    if (sfnt_find(f, "post", &post) && post.len >= 16) {
        const unsigned char *p = f->p + post.off;
        fm->italic_angle = (double)(int32_t)sfnt_u32(p + 4) / 65536.0;
        if (sfnt_u32(p + 12))
            flags |= FLAG_FIXED;
    }
    if (mac_style & 2 || fm->italic_angle != 0)
        flags |= FLAG_ITALIC;
    if (mac_style & 1)
        flags |= FLAG_FORCE_BOLD;
    fm->flags = flags;
}

/* The top of glyph g's box (glyf), in thousandths; 0 when the glyph is
 * empty or its place is not inside the table. */
static int16_t glyph_top(const struct sfnt *f, const struct sfnt_table *head,
                         unsigned g, unsigned nglyphs)
{
    struct sfnt_table loca, glyf;
    if (g == 0 || g >= nglyphs || !sfnt_find(f, "loca", &loca) ||
        !sfnt_find(f, "glyf", &glyf))
        return 0;
    bool lng = sfnt_s16(f->p + head->off + 50) != 0;
    if (loca.len / (lng ? 4 : 2) <= g + 1)
        return 0;
    size_t at = sfnt_loca(f->p + loca.off, lng, g),
           end = sfnt_loca(f->p + loca.off, lng, g + 1);
    if (end < at + 10 || end > glyf.len)
        return 0;
    unsigned upem = sfnt_u16(f->p + head->off + 18);
    return (int16_t)((long)sfnt_s16(f->p + glyf.off + at + 8) * 1000 /
                     (long)upem);
}

/* v font units in thousandths of an em, rounded up (or down), within
 * what an int16_t holds. */
static int16_t thousandths_out(int v, unsigned upem, bool up)
{
    double t = (double)v * 1000.0 / upem;
    t = up ? ceil(t) : floor(t);
    return (int16_t)(t > 32000 ? 32000 : t < -32000 ? -32000 : t);
}

static bool parse(struct font_metrics *fm, const struct sfnt *f,
                  const char **why)
{
    struct sfnt_table head, hhea, maxp, hmtx, cmap, os2;
    *why = "no es una fuente TrueType";
    if (!sfnt_check(f))
        return false;
    *why = "le falta una tabla necesaria o está dañada";
    if (!sfnt_find(f, "head", &head) || head.len < 54 ||
        !sfnt_find(f, "hhea", &hhea) || hhea.len < 36 ||
        !sfnt_find(f, "maxp", &maxp) || maxp.len < 6 ||
        !sfnt_find(f, "hmtx", &hmtx) || !sfnt_find(f, "cmap", &cmap))
        return false;
    unsigned upem = sfnt_u16(f->p + head.off + 18);
    if (upem < 16 || upem > 16384)
        return false;
    unsigned nglyphs = sfnt_u16(f->p + maxp.off + 4);
    unsigned nhm = sfnt_u16(f->p + hhea.off + 34);
    if (nhm == 0 || nhm > nglyphs || (size_t)nhm * 4 > hmtx.len)
        return false;
    const unsigned char *hm = f->p + hmtx.off;

    fm->units_per_em = (uint16_t)upem;
    /* Vertical metrics in thousandths, truncated as libharu does. */
#define THOU(v) ((int)((long)(v)*1000 / (long)upem))
    fm->ascender = (int16_t)THOU(sfnt_s16(f->p + hhea.off + 4));
    fm->descender = (int16_t)THOU(sfnt_s16(f->p + hhea.off + 6));
    fm->cap_height = (int16_t)(fm->ascender * 7 / 10);
    fm->ink_top = thousandths_out(sfnt_s16(f->p + head.off + 42), upem, true);
    fm->ink_bottom =
        thousandths_out(sfnt_s16(f->p + head.off + 38), upem, false);
    if (sfnt_find(f, "OS/2", &os2) && os2.len >= 90 &&
        sfnt_u16(f->p + os2.off) >= 2)
        fm->cap_height = (int16_t)THOU(sfnt_s16(f->p + os2.off + 88));

    read_descriptor(fm, f, &head, upem);
    read_name(fm, f);

    uint16_t *gid = calloc(65536, sizeof *gid);
    if (!gid)
        arena_oom();
    fm->glyph = gid;
    if (!read_cmap(f, &cmap, gid)) {
        *why = "no tiene una tabla cmap Unicode utilizable";
        return false;
    }
    if (!fm->x_height)
        fm->x_height = glyph_top(f, &head, gid['x'], nglyphs);
    fm->width = xmalloc(65536 * sizeof *fm->width);
    fm->has = calloc(8192, 1);
    if (!fm->has)
        arena_oom();
    uint16_t *adv = xmalloc((size_t)nglyphs * sizeof *adv);
    for (unsigned g = 0; g < nglyphs; g++)
        adv[g] = (uint16_t)sfnt_u16(hm + 4 * (size_t)(g < nhm ? g : nhm - 1));
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
#undef THOU
    return true;
}

/* Parses data[len] into fm, which then holds data as its file (the
 * caller sets how it is owned); on failure reports and leaves fm empty,
 * data still the caller's. */
static bool parse_file(struct font_metrics *fm, const char *name,
                       const unsigned char *data, size_t len, struct diag *d)
{
    memset(fm, 0, sizeof *fm);
    struct sfnt f = {data, len};
    const char *why = "no es una fuente TrueType";
    if (!data || !parse(fm, &f, &why)) {
        diag_error(d, name, 0, 0, "la fuente no se puede usar: %s", why);
        font_release(fm);
        return false;
    }
    fm->path = xmalloc(strlen(name) + 1);
    memcpy(fm->path, name, strlen(name) + 1);
    fm->file = data;
    fm->file_len = len;
    return true;
}

bool font_parse(struct font_metrics *fm, const char *name,
                const unsigned char *data, size_t len, struct diag *d)
{
    unsigned char *copy = xmalloc(len ? len : 1);
    if (data && len)
        memcpy(copy, data, len);
    if (!parse_file(fm, name, data ? copy : NULL, len, d)) {
        free(copy);
        return false;
    }
    return true;
}

bool font_load(struct font_metrics *fm, const char *path, struct diag *d)
{
    memset(fm, 0, sizeof *fm);
    /* Mapping the file touches only the pages of the tables we read (a
     * tenth of a Liberation face): loading stays well under a millisecond.
     * The map stays for embedding, which reads the glyphs drawn. */
    size_t len;
    int fd = infile_open(d, path, "la fuente", NULL, &len);
    if (fd < 0)
        return false;
    if (len > 0) {
        void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map != MAP_FAILED) {
            close(fd);
            if (!parse_file(fm, path, map, len, d)) {
                munmap(map, len);
                return false;
            }
            fm->file_mapped = true;
            return true;
        }
    }
    close(fd);
    char *data;
    if (!infile_read(d, path, "la fuente", NULL, NULL, &data, &len))
        return false;
    if (!parse_file(fm, path, (unsigned char *)data, len, d)) {
        free(data);
        return false;
    }
    return true;
}

void font_release(struct font_metrics *fm)
{
    if (!fm)
        return;
    free(fm->path);
    free(fm->width);
    free(fm->has);
    free(fm->glyph);
    if (fm->file && fm->file_mapped)
        munmap((void *)fm->file, fm->file_len);
    else
        free((void *)fm->file);
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
    dst->glyph = xmalloc(65536 * sizeof *dst->glyph);
    memcpy(dst->glyph, src->glyph, 65536 * sizeof *dst->glyph);
    /* A map cannot be shared: the copy gets its own bytes (only faces
     * that fall back to another face's file come here). */
    unsigned char *file = xmalloc(src->file_len ? src->file_len : 1);
    memcpy(file, src->file, src->file_len);
    dst->file = file;
    dst->file_mapped = false;
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
