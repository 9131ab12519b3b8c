/* ttsubset: informe's own TrueType subsetter: follows the composite glyphs
 * of the glyphs drawn, then writes the kept tables with a new glyf and
 * loca, every read bounded by the table it belongs to. */
#include "media/ttsubset.h"

#include "media/sfnt.h"

#include "base/arena.h"

#include <stdlib.h>
#include <string.h>

/* Composite glyph flags (OpenType glyf table). */
#define ARG_1_AND_2_ARE_WORDS 0x0001
#define WE_HAVE_A_SCALE 0x0008
#define MORE_COMPONENTS 0x0020
#define WE_HAVE_AN_X_AND_Y_SCALE 0x0040
#define WE_HAVE_A_TWO_BY_TWO 0x0080

/* Composite glyphs nest one or two deep in real fonts; deeper nesting is
 * refused before it could exhaust the stack. */
#define MAX_DEPTH 32

enum { UNSEEN, VISITING, KEPT };

struct subset {
    struct sfnt f;
    struct sfnt_table head, hhea, maxp, hmtx, loca, glyf;
    unsigned nglyphs, nhm;
    bool long_loca;
    unsigned char *state; /* per glyph: UNSEEN, VISITING or KEPT */
    const char *why;
};

static bool fail(struct subset *s, const char *why)
{
    s->why = why;
    return false;
}

/* Entry g of loca: where glyph g starts in glyf. */
static size_t loca_at(const struct subset *s, unsigned g)
{
    return sfnt_loca(s->f.p + s->loca.off, s->long_loca, g);
}

/* Where glyph g lies in glyf: [*start, *end), inside glyf (open_font
 * checked every entry of loca). */
static void glyph_at(const struct subset *s, unsigned g, size_t *start,
                     size_t *end)
{
    *start = loca_at(s, g);
    *end = loca_at(s, g + 1);
}

/* Marks glyph g kept, and the glyphs it is made of. */
static bool keep(struct subset *s, unsigned g, unsigned depth)
{
    if (g >= s->nglyphs)
        return fail(s, depth ? "un glifo compuesto nombra un glifo que no "
                               "existe"
                             : "se pidió un glifo que la fuente no tiene");
    if (s->state[g] == KEPT)
        return true;
    if (s->state[g] == VISITING)
        return fail(s, "un glifo compuesto se contiene a sí mismo");
    if (depth > MAX_DEPTH)
        return fail(s, "los glifos compuestos se anidan demasiado");
    size_t start, end;
    glyph_at(s, g, &start, &end);
    size_t n = end - start;
    const unsigned char *p = s->f.p + s->glyf.off + start;
    s->state[g] = VISITING;
    if (n > 0 && n < 10)
        return fail(s, "un glifo es más corto que su encabezado");
    if (n > 0 && sfnt_s16(p) < 0) {
        size_t at = 10;
        unsigned flags;
        do {
            if (!sfnt_in_range(n, at, 4))
                return fail(s, "un glifo compuesto está cortado");
            flags = sfnt_u16(p + at);
            unsigned part = sfnt_u16(p + at + 2);
            at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
            if (flags & WE_HAVE_A_SCALE)
                at += 2;
            else if (flags & WE_HAVE_AN_X_AND_Y_SCALE)
                at += 4;
            else if (flags & WE_HAVE_A_TWO_BY_TWO)
                at += 8;
            if (at > n)
                return fail(s, "un glifo compuesto está cortado");
            if (!keep(s, part, depth + 1))
                return false;
        } while (flags & MORE_COMPONENTS);
    }
    s->state[g] = KEPT;
    return true;
}

/* Finds the tables and checks what every later read relies on. */
static bool open_font(struct subset *s)
{
    if (!sfnt_check(&s->f))
        return fail(s, "no es una fuente TrueType");
    static const struct {
        const char *tag;
        size_t min;
    } need[] = {{"head", 54}, {"hhea", 36}, {"maxp", 6},
                {"hmtx", 4},  {"loca", 4},  {"glyf", 0}};
    struct sfnt_table *t[] = {&s->head, &s->hhea, &s->maxp,
                              &s->hmtx, &s->loca, &s->glyf};
    for (size_t i = 0; i < sizeof need / sizeof *need; i++) {
        if (!sfnt_find(&s->f, need[i].tag, t[i]))
            return fail(s, t[i]->found ? "una tabla sale del archivo"
                                       : "le falta una tabla necesaria");
        if (t[i]->len < need[i].min)
            return fail(s, "una tabla necesaria está cortada");
    }
    const unsigned char *p = s->f.p;
    unsigned format = sfnt_u16(p + s->head.off + 50);
    if (format > 1)
        return fail(s, "el formato de la tabla 'loca' no es válido");
    s->long_loca = format == 1;
    s->nglyphs = sfnt_u16(p + s->maxp.off + 4);
    s->nhm = sfnt_u16(p + s->hhea.off + 34);
    if (s->nglyphs == 0 || s->nhm == 0 || s->nhm > s->nglyphs)
        return fail(s, "el número de glifos no es válido");
    if ((size_t)(s->nglyphs + 1) * (s->long_loca ? 4 : 2) > s->loca.len)
        return fail(s, "la tabla 'loca' está cortada");
    if ((size_t)s->nhm * 4 > s->hmtx.len)
        return fail(s, "la tabla 'hmtx' está cortada");
    /* Glyphs in order and inside glyf: no two overlap, so the glyphs
     * kept never add up to more than glyf holds. */
    size_t prev = 0;
    for (unsigned g = 0; g <= s->nglyphs; g++) {
        size_t at = loca_at(s, g);
        if (at > s->glyf.len)
            return fail(s, "la tabla 'loca' señala fuera de la tabla 'glyf'");
        if (at < prev)
            return fail(s, "la tabla 'loca' no está en orden");
        prev = at;
    }
    return true;
}

/* A table of the subset: bytes of the source font or built here. */
struct out_table {
    char tag[5];
    const unsigned char *data;
    size_t len;
};

static uint32_t checksum(const unsigned char *p, size_t len)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < len; i += 4)
        sum += sfnt_u32(p + i);
    return sum;
}

static void pad4(struct buf *b)
{
    while (b->len % 4)
        buf_addc(b, 0);
}

/* Writes the font file: directory, then each table 4-aligned. */
static void write_font(struct buf *out, const struct out_table *t, size_t n)
{
    size_t base = out->len;
    unsigned pow = 1, log = 0;
    while (pow * 2 <= n) {
        pow *= 2;
        log++;
    }
    unsigned char hdr[12];
    sfnt_put32(hdr, 0x00010000);
    sfnt_put16(hdr + 4, (unsigned)n);
    sfnt_put16(hdr + 6, pow * 16);
    sfnt_put16(hdr + 8, log);
    sfnt_put16(hdr + 10, (unsigned)n * 16 - pow * 16);
    buf_add(out, hdr, sizeof hdr);
    size_t dir = out->len;
    buf_grow(out, 16 * n);
    memset(out->data + dir, 0, 16 * n);
    out->len += 16 * n;
    size_t head_at = 0;
    for (size_t i = 0; i < n; i++) {
        size_t at = out->len;
        buf_add(out, t[i].data, t[i].len);
        pad4(out);
        unsigned char *r = (unsigned char *)out->data + dir + 16 * i;
        memcpy(r, t[i].tag, 4);
        if (memcmp(t[i].tag, "head", 4) == 0) {
            head_at = at;
            memset(out->data + at + 8, 0, 4); /* checkSumAdjustment */
        }
        sfnt_put32(r + 4,
                   checksum((unsigned char *)out->data + at, out->len - at));
        sfnt_put32(r + 8, (uint32_t)(at - base));
        sfnt_put32(r + 12, (uint32_t)t[i].len);
    }
    uint32_t sum = checksum((unsigned char *)out->data + base, out->len - base);
    sfnt_put32((unsigned char *)out->data + head_at + 8, 0xB1B0AFBAu - sum);
}

/* The new glyf and loca of glyphs [0, n): kept glyphs keep their bytes,
 * each 4-aligned; the others are empty. Long offsets only when short ones
 * cannot reach the end. */
static void cut_glyphs(struct subset *s, unsigned n, struct buf *glyf,
                       struct buf *loca, bool *long_loca)
{
    size_t *off = xmalloc(((size_t)n + 1) * sizeof *off);
    for (unsigned g = 0; g < n; g++) {
        off[g] = glyf->len;
        size_t start, end;
        if (s->state[g] == KEPT) {
            glyph_at(s, g, &start, &end);
            buf_add(glyf, s->f.p + s->glyf.off + start, end - start);
            pad4(glyf);
        }
    }
    off[n] = glyf->len;
    *long_loca = glyf->len > 0x1FFFE;
    for (unsigned g = 0; g <= n; g++) {
        unsigned char v[4];
        if (*long_loca) {
            sfnt_put32(v, (uint32_t)off[g]);
            buf_add(loca, v, 4);
        } else {
            sfnt_put16(v, (unsigned)(off[g] / 2));
            buf_add(loca, v, 2);
        }
    }
    free(off);
}

/* The first n entries of hmtx: min(n, nhm) full metrics, then left side
 * bearings. */
static bool cut_hmtx(struct subset *s, unsigned n, struct buf *hmtx,
                     unsigned *nhm)
{
    *nhm = n < s->nhm ? n : s->nhm;
    size_t need = 4 * (size_t)s->nhm + 2 * (size_t)(n - *nhm);
    if (n > s->nhm && need > s->hmtx.len)
        return fail(s, "la tabla 'hmtx' está cortada");
    buf_add(hmtx, s->f.p + s->hmtx.off, 4 * (size_t)*nhm);
    if (n > s->nhm)
        buf_add(hmtx, s->f.p + s->hmtx.off + 4 * (size_t)s->nhm,
                2 * (size_t)(n - s->nhm));
    return true;
}

static bool build(struct subset *s, const uint16_t *gids, size_t ngids,
                  struct buf *out)
{
    if (!keep(s, 0, 0))
        return false;
    for (size_t i = 0; i < ngids; i++)
        if (!keep(s, gids[i], 0))
            return false;
    unsigned n = s->nglyphs;
    while (n > 1 && s->state[n - 1] != KEPT)
        n--;

    struct buf glyf, loca, hmtx, head, hhea, maxp;
    buf_init(&glyf);
    buf_init(&loca);
    buf_init(&hmtx);
    bool long_loca, ok = false;
    unsigned nhm;
    cut_glyphs(s, n, &glyf, &loca, &long_loca);
    if (!cut_hmtx(s, n, &hmtx, &nhm))
        goto done;
    const unsigned char *p = s->f.p;
    buf_init(&head);
    buf_add(&head, p + s->head.off, s->head.len);
    sfnt_put16((unsigned char *)head.data + 50, long_loca);
    buf_init(&hhea);
    buf_add(&hhea, p + s->hhea.off, s->hhea.len);
    sfnt_put16((unsigned char *)hhea.data + 34, nhm);
    buf_init(&maxp);
    buf_add(&maxp, p + s->maxp.off, s->maxp.len);
    sfnt_put16((unsigned char *)maxp.data + 4, n);

#define BUILT(b) (const unsigned char *)(b).data, (b).len
    struct out_table t[9];
    size_t nt = 0;
    /* In the order of their tags, as the directory wants them. */
    static const char *const hinting[] = {"cvt ", "fpgm", "prep"};
    struct sfnt_table h[3];
    for (size_t i = 0; i < 3; i++)
        if (!sfnt_find(&s->f, hinting[i], &h[i]) && h[i].found) {
            fail(s, "una tabla sale del archivo");
            goto done_tables;
        }
    if (h[0].found)
        t[nt++] = (struct out_table){"cvt ", p + h[0].off, h[0].len};
    if (h[1].found)
        t[nt++] = (struct out_table){"fpgm", p + h[1].off, h[1].len};
    t[nt++] = (struct out_table){"glyf", BUILT(glyf)};
    t[nt++] = (struct out_table){"head", BUILT(head)};
    t[nt++] = (struct out_table){"hhea", BUILT(hhea)};
    t[nt++] = (struct out_table){"hmtx", BUILT(hmtx)};
    t[nt++] = (struct out_table){"loca", BUILT(loca)};
    t[nt++] = (struct out_table){"maxp", BUILT(maxp)};
    if (h[2].found)
        t[nt++] = (struct out_table){"prep", p + h[2].off, h[2].len};
#undef BUILT
    write_font(out, t, nt);
    ok = true;
done_tables:
    buf_release(&head);
    buf_release(&hhea);
    buf_release(&maxp);
done:
    buf_release(&glyf);
    buf_release(&loca);
    buf_release(&hmtx);
    return ok;
}

bool ttsubset(const unsigned char *font, size_t len, const uint16_t *gids,
              size_t ngids, struct buf *out, const char **why)
{
    struct subset s;
    memset(&s, 0, sizeof s);
    s.f.p = font;
    s.f.len = font ? len : 0;
    size_t start = out->len;
    bool ok = false;
    if (open_font(&s)) {
        s.state = xmalloc(s.nglyphs);
        memset(s.state, UNSEEN, s.nglyphs);
        ok = build(&s, gids, ngids, out);
        free(s.state);
    }
    if (!ok) {
        out->len = start;
        out->data[start] = '\0';
        *why = s.why;
    }
    return ok;
}
