/* test_pdffonts: the font objects informe writes itself (pdf/fonts.c),
 * read back from a saved file with qpdf and compared with what the
 * TrueType file says; and no font is ever read by libharu: its loaders
 * are replaced here by stubs that count their calls. */
#include "fontutil.h"
#include "testutil.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "doc/dlist.h"
#include "doc/doc.h"
#include "media/font.h"
#include "media/sfnt.h"
#include "pdf/pdfout.h"

#include <hpdf.h>

#include <stdio.h>
#include <stdlib.h>

/* ---- libharu's font loaders, replaced ------------------------------------ */

static int libharu_font_calls;

const char *HPDF_LoadTTFontFromFile(HPDF_Doc pdf, const char *file_name,
                                    HPDF_BOOL embedding)
{
    (void)pdf, (void)file_name, (void)embedding;
    libharu_font_calls++;
    return NULL;
}

const char *HPDF_LoadTTFontFromFile2(HPDF_Doc pdf, const char *file_name,
                                     HPDF_UINT index, HPDF_BOOL embedding)
{
    (void)pdf, (void)file_name, (void)index, (void)embedding;
    libharu_font_calls++;
    return NULL;
}

HPDF_Font HPDF_GetFont(HPDF_Doc pdf, const char *font_name,
                       const char *encoding_name)
{
    (void)pdf, (void)font_name, (void)encoding_name;
    libharu_font_calls++;
    return NULL;
}

/* ---- fixture ---------------------------------------------------------------
 */

struct fixture {
    char dir[64];
    struct diag d;
    struct doc_settings set;
    struct fontset fonts;
    struct arena *arena;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/informe-pdffonts-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    diag_init(&f->d);
    doc_settings_default(&f->set);
    f->set.created = 1522540800;
    assert_true(test_fonts_load(&f->fonts, &f->d));
    f->arena = arena_new();
    libharu_font_calls = 0;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    diag_release(&f->d);
    fontset_release(&f->fonts);
    arena_free(f->arena);
    free(f);
    return 0;
}

/* One page with a line in each of the faces given (FACE_COUNT ends the
 * list), saved to dir/name; returns the path or NULL when saving fails. */
static char *save_faces(struct fixture *f, const char *name,
                        const enum face *faces)
{
    static const char *const line[FACE_COUNT] = {
        "Índice de gestión", "Título en negrita", "Nota en cursiva", "Ambas"};
    char *path = arena_printf(f->arena, "%s/%s", f->dir, name);
    struct pdfout *w = pdfout_open(&f->set, &f->fonts, &f->d);
    assert_non_null(w);
    struct arena *a = arena_new();
    struct dl_page p;
    dl_page_init(&p, a, 1, 612, 792);
    for (int i = 0; faces[i] != FACE_COUNT; i++)
        dl_text(&p, 72, 72 + 14 * (float)i, faces[i], 10, 0, line[faces[i]],
                strlen(line[faces[i]]), 300);
    bool ok = pdfout_page(w, &p);
    arena_free(a);
    if (!ok) {
        pdfout_discard(w);
        return NULL;
    }
    return pdfout_save(w, path) ? path : NULL;
}

/* The standard output of a command; fails the test when it fails. */
static char *run(struct fixture *f, const char *cmd)
{
    int status;
    char *out = test_run(f->arena, cmd, &status);
    assert_int_equal(status, 0);
    return out;
}

/* Object n of the file, as qpdf shows it on one line. */
static char *object(struct fixture *f, const char *pdf, unsigned n)
{
    return run(f, arena_printf(f->arena, "qpdf --show-object=%u '%s'", n, pdf));
}

/* What follows "/key " in a dictionary shown by qpdf. */
static const char *value(const char *dict, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "/%s ", key);
    const char *at = strstr(dict, pat);
    assert_non_null(at);
    return at + strlen(pat);
}

/* The object a key refers to ("/K 9 0 R" or "/K [ 9 0 R ]"). */
static unsigned ref(const char *dict, const char *key)
{
    const char *v = value(dict, key);
    if (v[0] == '[')
        v += 2;
    unsigned n = 0, gen = 1;
    assert_int_equal(sscanf(v, "%u %u R", &n, &gen), 2);
    assert_int_equal(gen, 0);
    return n;
}

static long number(const char *dict, const char *key)
{
    char *end;
    long v = strtol(value(dict, key), &end, 10);
    assert_true(*end == ' ' || *end == '>');
    return v;
}

/* The object numbers of the file's fonts and their names, from pdffonts;
 * returns how many. */
static int fonts_of(struct fixture *f, const char *pdf, unsigned num[4],
                    char name[4][64])
{
    char *out =
        run(f, arena_printf(f->arena, "pdffonts '%s' | tail -n +3", pdf));
    int n = 0;
    char *save = NULL;
    for (char *l = strtok_r(out, "\n", &save); l && n < 4;
         l = strtok_r(NULL, "\n", &save), n++) {
        char type[32], enc[32], emb[4], sub[4], uni[4];
        int got = sscanf(l, "%63s CID %31s %31s %3s %3s %3s %u", name[n], type,
                         enc, emb, sub, uni, &num[n]);
        assert_int_equal(got, 7);
        assert_string_equal(type, "TrueType");
        assert_string_equal(enc, "Identity-H");
        assert_string_equal(emb, "yes");
        assert_string_equal(sub, "yes");
        assert_string_equal(uni, "yes");
    }
    return n;
}

/* ---- what the font file says --------------------------------------------- */

struct expect {
    long ascent, descent, cap, xheight, bbox[4], dw;
    double angle;
};

static long thou(int v, unsigned upem)
{
    return (long)v * 1000 / (long)upem;
}

static void expect_of(const struct font_metrics *fm, struct expect *e)
{
    struct sfnt s = {fm->file, fm->file_len};
    struct sfnt_table head, hhea, os2, post, hmtx;
    assert_true(sfnt_find(&s, "head", &head) && sfnt_find(&s, "hhea", &hhea) &&
                sfnt_find(&s, "OS/2", &os2) && sfnt_find(&s, "post", &post) &&
                sfnt_find(&s, "hmtx", &hmtx));
    const unsigned char *p = fm->file;
    unsigned upem = sfnt_u16(p + head.off + 18);
    for (int i = 0; i < 4; i++)
        e->bbox[i] = thou(sfnt_s16(p + head.off + 36 + 2 * i), upem);
    e->ascent = thou(sfnt_s16(p + hhea.off + 4), upem);
    e->descent = thou(sfnt_s16(p + hhea.off + 6), upem);
    e->xheight = thou(sfnt_s16(p + os2.off + 86), upem);
    e->cap = thou(sfnt_s16(p + os2.off + 88), upem);
    e->angle = (int32_t)sfnt_u32(p + post.off + 4) / 65536.0;
    e->dw = thou((int)sfnt_u16(p + hmtx.off), upem); /* .notdef advance */
}

/* ---- tests --------------------------------------------------------------- */

/* Every entry of the Type0 font, its CIDFontType2 and its descriptor,
 * for the regular, bold and italic faces. */
static void font_objects_should_say_what_the_font_file_gives(void **state)
{
    struct fixture *f = *state;
    static const enum face faces[] = {FACE_REGULAR, FACE_BOLD, FACE_ITALIC,
                                      FACE_COUNT};
    char *pdf = save_faces(f, "faces.pdf", faces);
    assert_non_null(pdf);
    unsigned num[4];
    char name[4][64];
    assert_int_equal(fonts_of(f, pdf, num, name), 3);
    static const char *const ps[] = {"LiberationSans", "LiberationSans-Bold",
                                     "LiberationSans-Italic"};
    static const long flags[] = {32, 32 | 1L << 18, 32 | 64};
    unsigned tounicode = 0;
    for (int i = 0; i < 3; i++) {
        /* pdffonts lists the fonts in the order the page names them */
        struct expect e;
        expect_of(&f->fonts.face[faces[i]], &e);
        char *type0 = object(f, pdf, num[i]);
        assert_non_null(strstr(type0, "/Type /Font"));
        assert_non_null(strstr(type0, "/Subtype /Type0"));
        assert_non_null(strstr(type0, "/Encoding /Identity-H"));
        /* "ABCDEF+LiberationSans-Bold": six capitals, '+', the face */
        const char *base = value(type0, "BaseFont");
        assert_int_equal(base[0], '/');
        for (int k = 1; k <= 6; k++)
            assert_true(base[k] >= 'A' && base[k] <= 'Z');
        assert_int_equal(base[7], '+');
        assert_true(strncmp(base + 8, ps[i], strlen(ps[i])) == 0);
        assert_int_equal(base[8 + strlen(ps[i])], ' ');
        assert_true(strncmp(name[i], base + 1, 7 + strlen(ps[i])) == 0);
        char *basename =
            arena_printf(f->arena, "%.*s", (int)(8 + strlen(ps[i])), base);
        /* one ToUnicode map, shared */
        if (i == 0)
            tounicode = ref(type0, "ToUnicode");
        assert_int_equal(ref(type0, "ToUnicode"), tounicode);

        char *cid = object(f, pdf, ref(type0, "DescendantFonts"));
        assert_non_null(strstr(cid, "/Type /Font"));
        assert_non_null(strstr(cid, "/Subtype /CIDFontType2"));
        assert_true(
            strncmp(value(cid, "BaseFont"), basename, strlen(basename)) == 0);
        assert_non_null(strstr(cid, "/CIDSystemInfo << /Ordering (Identity) "
                                    "/Registry (Adobe) /Supplement 0 >>"));
        assert_int_equal(number(cid, "DW"), e.dw);
        assert_non_null(strstr(cid, "/CIDToGIDMap "));
        assert_non_null(strstr(cid, "/W [ "));

        char *desc = object(f, pdf, ref(cid, "FontDescriptor"));
        assert_non_null(strstr(desc, "/Type /FontDescriptor"));
        assert_true(
            strncmp(value(desc, "FontName"), basename, strlen(basename)) == 0);
        assert_int_equal(number(desc, "Ascent"), e.ascent);
        assert_int_equal(number(desc, "Descent"), e.descent);
        assert_int_equal(number(desc, "CapHeight"), e.cap);
        assert_int_equal(number(desc, "XHeight"), e.xheight);
        assert_int_equal(number(desc, "ItalicAngle"), (long)e.angle);
        assert_int_equal(number(desc, "Flags"), flags[i]);
        char *box = arena_printf(f->arena, "/FontBBox [ %ld %ld %ld %ld ]",
                                 e.bbox[0], e.bbox[1], e.bbox[2], e.bbox[3]);
        assert_non_null(strstr(desc, box));
        char *file = object(f, pdf, ref(desc, "FontFile2"));
        assert_non_null(strstr(file, "/Filter /FlateDecode"));
        assert_true(number(file, "Length1") > 0);
    }
    /* the values above are the file's: Liberation Sans Italic leans */
    struct expect italic;
    expect_of(&f->fonts.face[FACE_ITALIC], &italic);
    assert_true(italic.angle == -12.0);
    assert_int_equal(libharu_font_calls, 0);
}

/* The whole document is written without libharu reading a font: its
 * loaders, replaced above, would fail it. */
static void no_font_should_be_read_by_libharu(void **state)
{
    struct fixture *f = *state;
    static const enum face faces[] = {FACE_REGULAR, FACE_BOLD, FACE_ITALIC,
                                      FACE_BOLD_ITALIC, FACE_COUNT};
    assert_non_null(save_faces(f, "all.pdf", faces));
    assert_int_equal(f->d.n, 0);
    assert_int_equal(libharu_font_calls, 0);
}

/* A face whose licence forbids embedding (OS/2 fsType 0x0002, restricted)
 * stops the document with a message naming it. */
static void font_that_may_not_be_embedded_should_stop_the_document(void **state)
{
    struct fixture *f = *state;
    struct font_metrics *fm = &f->fonts.face[FACE_REGULAR];
    size_t len = fm->file_len;
    unsigned char *copy = malloc(len);
    memcpy(copy, fm->file, len);
    struct sfnt s = {copy, len};
    struct sfnt_table os2;
    assert_true(sfnt_find(&s, "OS/2", &os2));
    sfnt_put16(copy + os2.off + 8, 0x0002);
    char *path = arena_strdup(f->arena, fm->path);
    font_release(fm);
    assert_true(font_parse(fm, path, copy, len, &f->d));
    free(copy);
    static const enum face faces[] = {FACE_REGULAR, FACE_COUNT};
    assert_null(save_faces(f, "restricted.pdf", faces));
    assert_int_equal(f->d.errors, 1);
    assert_int_equal(f->d.code, EXIT_DATAERR);
    char *msg = diag_format(&f->d.msgs[0]);
    assert_string_equal(msg, "./fonts/LiberationSans-Regular.ttf: error: la "
                             "fuente no se puede incluir en el PDF: su "
                             "licencia no lo permite (fsType 0x0002)");
    free(msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(font_objects_should_say_what_the_font_file_gives),
        T(no_font_should_be_read_by_libharu),
        T(font_that_may_not_be_embedded_should_stop_the_document),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
