/* test_ttsubset: the TrueType subsetter on the bundled Liberation Sans
 * Regular: the glyphs asked for (and the parts of composite ones) keep
 * their bytes and ids, the others are emptied, the tables and checksums
 * are those of a valid font; malformed fonts give a reason, not a crash. */
#include "testutil.h"

#include "base/buf.h"
#include "media/sfnt.h"
#include "media/ttsubset.h"

#include <stdio.h>
#include <stdlib.h>

#define REGULAR TEST_ROOT "/fonts/LiberationSans-Regular.ttf"

static unsigned char *slurp(const char *path, size_t *len)
{
    unsigned char *p = (unsigned char *)test_read_file(path, len);
    assert_non_null(p);
    return p;
}

static struct sfnt_table table(const unsigned char *p, size_t len,
                               const char *tag)
{
    struct sfnt f = {p, len};
    struct sfnt_table t;
    assert_true(sfnt_check(&f));
    assert_true(sfnt_find(&f, tag, &t));
    return t;
}

/* Glyph g of a font: its bytes in glyf, through loca. */
static const unsigned char *glyph(const unsigned char *p, size_t len,
                                  unsigned g, size_t *n)
{
    struct sfnt_table head = table(p, len, "head");
    struct sfnt_table loca = table(p, len, "loca");
    struct sfnt_table glyf = table(p, len, "glyf");
    size_t a, b;
    if (sfnt_u16(p + head.off + 50)) {
        a = sfnt_u32(p + loca.off + 4 * (size_t)g);
        b = sfnt_u32(p + loca.off + 4 * (size_t)g + 4);
    } else {
        a = 2 * (size_t)sfnt_u16(p + loca.off + 2 * (size_t)g);
        b = 2 * (size_t)sfnt_u16(p + loca.off + 2 * (size_t)g + 2);
    }
    assert_true(a <= b && b <= glyf.len);
    *n = b - a;
    return p + glyf.off + a;
}

static unsigned num_glyphs(const unsigned char *p, size_t len)
{
    return sfnt_u16(p + table(p, len, "maxp").off + 4);
}

/* The first composite glyph of the font whose first component is a
 * simple glyph with an outline (an accented letter), and that component. */
static unsigned first_composite(const unsigned char *p, size_t len,
                                unsigned *part)
{
    for (unsigned g = 1; g < num_glyphs(p, len); g++) {
        size_t n, m;
        const unsigned char *q = glyph(p, len, g, &n);
        if (n < 14 || sfnt_s16(q) >= 0)
            continue;
        *part = sfnt_u16(q + 12);
        const unsigned char *r = glyph(p, len, *part, &m);
        if (m >= 16 && sfnt_s16(r) > 0)
            return g;
    }
    fail_msg("no composite glyph in the font");
    return 0;
}

struct fixture {
    unsigned char *font;
    size_t len;
    struct buf out;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->font = slurp(REGULAR, &f->len);
    buf_init(&f->out);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    free(f->font);
    buf_release(&f->out);
    free(f);
    return 0;
}

static void kept_glyphs_should_keep_their_bytes_and_ids(void **state)
{
    struct fixture *f = *state;
    unsigned part, comp = first_composite(f->font, f->len, &part);
    uint16_t gids[] = {36, 68, (uint16_t)comp}; /* 'A', 'a', a composite */
    const char *why = NULL;
    assert_true(ttsubset(f->font, f->len, gids, 3, &f->out, &why));
    const unsigned char *s = (const unsigned char *)f->out.data;
    size_t slen = f->out.len;
    unsigned last = comp > 68 ? comp : 68;
    assert_int_equal(num_glyphs(s, slen), last + 1);
    unsigned keep[] = {0, 36, 68, comp, part};
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
        size_t n, m;
        const unsigned char *a = glyph(f->font, f->len, keep[i], &n);
        const unsigned char *b = glyph(s, slen, keep[i], &m);
        assert_true(n > 0);
        assert_int_equal(m, n);
        assert_memory_equal(a, b, n);
    }
    /* 'B' and 'b' were not asked for (nor are they parts of comp). */
    unsigned drop[] = {37, 69};
    for (size_t i = 0; i < 2; i++) {
        size_t n;
        if (drop[i] == part)
            continue;
        glyph(s, slen, drop[i], &n);
        assert_int_equal(n, 0);
        glyph(f->font, f->len, drop[i], &n);
        assert_true(n > 0);
    }
    /* Advance widths of kept glyphs are those of the font. */
    struct sfnt_table h0 = table(f->font, f->len, "hmtx");
    struct sfnt_table h1 = table(s, slen, "hmtx");
    assert_int_equal(sfnt_u16(s + h1.off + 4 * 36),
                     sfnt_u16(f->font + h0.off + 4 * 36));
    assert_int_equal(sfnt_u16(s + h1.off + 4 * 68), 1139); /* 'a' */
}

static void subset_should_hold_only_the_tables_viewers_need(void **state)
{
    struct fixture *f = *state;
    uint16_t gids[] = {36};
    const char *why = NULL;
    assert_true(ttsubset(f->font, f->len, gids, 1, &f->out, &why));
    const unsigned char *s = (const unsigned char *)f->out.data;
    static const char want[] = "cvt fpgmglyfheadhheahmtxlocamaxpprep";
    assert_int_equal(sfnt_u16(s + 4), 9);
    assert_int_equal(sfnt_u16(s + 6), 128); /* searchRange: 8 * 16 */
    assert_int_equal(sfnt_u16(s + 8), 3);
    assert_int_equal(sfnt_u16(s + 10), 16);
    for (unsigned i = 0; i < 9; i++)
        assert_memory_equal(s + 12 + 16 * i, want + 4 * i, 4);
    /* The hinting programs are copied whole. */
    struct sfnt_table a = table(f->font, f->len, "fpgm");
    struct sfnt_table b = table(s, f->out.len, "fpgm");
    assert_int_equal(a.len, b.len);
    assert_memory_equal(f->font + a.off, s + b.off, a.len);
    assert_true(f->out.len < f->len / 10);
}

static void checksums_should_be_valid(void **state)
{
    struct fixture *f = *state;
    uint16_t gids[] = {36, 68, 200, 1000};
    const char *why = NULL;
    assert_true(ttsubset(f->font, f->len, gids, 4, &f->out, &why));
    const unsigned char *s = (const unsigned char *)f->out.data;
    size_t slen = f->out.len;
    assert_int_equal(slen % 4, 0);
    uint32_t whole = 0;
    for (size_t i = 0; i < slen; i += 4)
        whole += sfnt_u32(s + i);
    assert_int_equal(whole, 0xB1B0AFBAu);
    for (unsigned t = 0; t < sfnt_u16(s + 4); t++) {
        const unsigned char *r = s + 12 + 16 * t;
        size_t off = sfnt_u32(r + 8), len = sfnt_u32(r + 12);
        assert_int_equal(off % 4, 0);
        uint32_t sum = 0;
        for (size_t i = 0; i < len; i += 4) {
            unsigned char w[4] = {0};
            memcpy(w, s + off + i, len - i < 4 ? len - i : 4);
            sum += sfnt_u32(w);
        }
        if (memcmp(r, "head", 4) == 0)
            sum -= sfnt_u32(s + off + 8); /* counted as zero */
        assert_int_equal(sfnt_u32(r + 4), sum);
    }
}

/* Copies the font, applies a change, and expects the subset to fail with
 * the reason want, leaving out as it was. */
static void expect_failure(struct fixture *f, size_t at, const void *bytes,
                           size_t n, const uint16_t *gids, size_t ngids,
                           const char *want)
{
    unsigned char *bad = malloc(f->len);
    memcpy(bad, f->font, f->len);
    memcpy(bad + at, bytes, n);
    buf_clear(&f->out);
    buf_adds(&f->out, "antes");
    const char *why = NULL;
    assert_false(ttsubset(bad, f->len, gids, ngids, &f->out, &why));
    assert_string_equal(why, want);
    assert_string_equal(f->out.data, "antes");
    free(bad);
}

static size_t record(struct fixture *f, const char *tag)
{
    for (unsigned t = 0; t < sfnt_u16(f->font + 4); t++)
        if (memcmp(f->font + 12 + 16 * t, tag, 4) == 0)
            return 12 + 16 * (size_t)t;
    fail_msg("no table %s", tag);
    return 0;
}

static void bad_offsets_should_give_a_reason(void **state)
{
    struct fixture *f = *state;
    uint16_t a[] = {36};
    static const unsigned char far[4] = {0x7F, 0xFF, 0xFF, 0xFF};
    expect_failure(f, record(f, "glyf") + 8, far, 4, a, 1,
                   "una tabla sale del archivo");
    expect_failure(f, record(f, "prep") + 12, far, 4, a, 1,
                   "una tabla sale del archivo");
    static const unsigned char tiny[4] = {0, 0, 0, 8};
    expect_failure(f, record(f, "head") + 12, tiny, 4, a, 1,
                   "una tabla necesaria está cortada");
    expect_failure(f, record(f, "loca"), "LOCA", 4, a, 1,
                   "le falta una tabla necesaria");
    /* 'A' starts beyond glyf. */
    size_t loca = table(f->font, f->len, "loca").off;
    expect_failure(f, loca + 4 * 36, far, 4, a, 1,
                   "la tabla 'loca' señala fuera de la tabla 'glyf'");
    /* 'A' ends before it starts: glyphs would overlap. */
    unsigned char early[4];
    memcpy(early, f->font + loca + 4 * 35, 4);
    expect_failure(f, loca + 4 * 37, early, 4, a, 1,
                   "la tabla 'loca' no está en orden");
    /* More glyphs than loca has room for. */
    static const unsigned char many[2] = {0xFF, 0xFF};
    expect_failure(f, table(f->font, f->len, "maxp").off + 4, many, 2, a, 1,
                   "la tabla 'loca' está cortada");
    static const unsigned char format[2] = {0, 7};
    expect_failure(f, table(f->font, f->len, "head").off + 50, format, 2, a, 1,
                   "el formato de la tabla 'loca' no es válido");
    static const unsigned char not_ttf[4] = {'O', 'T', 'T', 'O'};
    expect_failure(f, 0, not_ttf, 4, a, 1, "no es una fuente TrueType");
    uint16_t beyond[] = {(uint16_t)num_glyphs(f->font, f->len)};
    expect_failure(f, 0, "\0", 1, beyond, 1,
                   "se pidió un glifo que la fuente no tiene");
}

static void bad_composites_should_give_a_reason(void **state)
{
    struct fixture *f = *state;
    unsigned part, comp = first_composite(f->font, f->len, &part);
    uint16_t gids[] = {(uint16_t)comp};
    size_t n;
    const unsigned char *q = glyph(f->font, f->len, comp, &n);
    size_t at = (size_t)(q - f->font);
    unsigned char self[2];
    sfnt_put16(self, comp);
    expect_failure(f, at + 12, self, 2, gids, 1,
                   "un glifo compuesto se contiene a sí mismo");
    unsigned char none[2] = {0xFF, 0xF0};
    expect_failure(f, at + 12, none, 2, gids, 1,
                   "un glifo compuesto nombra un glifo que no existe");
    /* MORE_COMPONENTS on every component, so the list runs past the
     * glyph's end. */
    unsigned char *bad = malloc(f->len);
    memcpy(bad, f->font, f->len);
    for (size_t i = 10; i + 1 < n; i += 2)
        sfnt_put16(bad + at + i, 0x0020);
    const char *why = NULL;
    buf_clear(&f->out);
    assert_false(ttsubset(bad, f->len, gids, 1, &f->out, &why));
    assert_string_equal(why, "un glifo compuesto está cortado");
    assert_int_equal(f->out.len, 0);
    free(bad);
}

static void a_composite_loop_between_two_glyphs_should_be_refused(void **state)
{
    struct fixture *f = *state;
    unsigned part, comp = first_composite(f->font, f->len, &part);
    /* Make comp's part a composite pointing back at comp: part's bytes
     * become a one-component composite header. */
    size_t n;
    const unsigned char *q = glyph(f->font, f->len, part, &n);
    assert_true(n >= 16);
    unsigned char hdr[16] = {0xFF, 0xFF, 0,    0,    0, 0, 0, 0,
                             0,    0,    0x00, 0x02, 0, 0, 0, 0};
    sfnt_put16(hdr + 12, comp);
    uint16_t gids[] = {(uint16_t)comp};
    expect_failure(f, (size_t)(q - f->font), hdr, sizeof hdr, gids, 1,
                   "un glifo compuesto se contiene a sí mismo");
}

static void every_truncation_should_fail_cleanly(void **state)
{
    struct fixture *f = *state;
    uint16_t gids[] = {36, 68, 200};
    /* Where the last table the subset reads ends: a file cut before it
     * fails, after it succeeds. */
    size_t need = 0;
    static const char *const tags[] = {"head", "hhea", "maxp", "hmtx", "loca",
                                       "glyf", "cvt ", "fpgm", "prep"};
    for (size_t i = 0; i < 9; i++) {
        struct sfnt_table t = table(f->font, f->len, tags[i]);
        if (t.off + t.len > need)
            need = t.off + t.len;
    }
    assert_true(need < f->len);
    unsigned fails = 0, want = 0;
    for (size_t cut = 0; cut < f->len; cut += f->len / 97 + 1) {
        want += cut < need;
        unsigned char *part = malloc(cut ? cut : 1);
        memcpy(part, f->font, cut);
        const char *why = NULL;
        buf_clear(&f->out);
        if (!ttsubset(part, cut, gids, 3, &f->out, &why)) {
            assert_non_null(why);
            assert_int_equal(f->out.len, 0);
            fails++;
        }
        free(part);
    }
    assert_true(want > 50);
    assert_int_equal(fails, want);
    const char *why = NULL;
    assert_false(ttsubset(NULL, 0, gids, 3, &f->out, &why));
    assert_string_equal(why, "no es una fuente TrueType");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(kept_glyphs_should_keep_their_bytes_and_ids),
        T(subset_should_hold_only_the_tables_viewers_need),
        T(checksums_should_be_valid),
        T(bad_offsets_should_give_a_reason),
        T(bad_composites_should_give_a_reason),
        T(a_composite_loop_between_two_glyphs_should_be_refused),
        T(every_truncation_should_fail_cleanly),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
