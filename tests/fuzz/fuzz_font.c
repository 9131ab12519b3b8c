/* fuzz_font: libFuzzer target for the TrueType reader: any bytes as a
 * font, through font_parse (in memory) and font_load (the same bytes as a
 * file, mapped): the two must agree, a failure must leave one message
 * and an empty font, and a font that parses must hold consistent tables
 * (every code point without a glyph as wide as .notdef, a PostScript name
 * of printable characters) and measure text, the input itself included. */
#include "media/font.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_font: %s\n", what);
    abort();
}

/* A file to hold each input for font_load, made once per process and
 * removed at exit. */
static char path[64];

static void remove_scratch(void)
{
    unlink(path);
}

static const char *scratch_path(void)
{
    if (!path[0]) {
        memcpy(path, "/tmp/fuzz_font-XXXXXX", 22);
        int fd = mkstemp(path);
        if (fd < 0)
            fail("cannot create a scratch file");
        close(fd);
        atexit(remove_scratch);
    }
    return path;
}

static void write_scratch(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        fail("cannot write the scratch file");
}

static bool is_empty(const struct font_metrics *fm)
{
    static const struct font_metrics zero;
    return memcmp(fm, &zero, sizeof zero) == 0;
}

static void check_font(const struct font_metrics *fm)
{
    if (fm->units_per_em < 16 || fm->units_per_em > 16384)
        fail("units per em out of range");
    size_t n = strnlen(fm->ps_name, sizeof fm->ps_name);
    if (n == 0 || n == sizeof fm->ps_name)
        fail("PostScript name empty or not terminated");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)fm->ps_name[i];
        if (c <= 32 || c >= 127 || strchr("[](){}<>/%", c))
            fail("PostScript name with a forbidden character");
    }
    for (uint32_t c = 0; c < 65536; c++)
        if (!font_has(fm, c) && fm->width[c] != fm->missing_width)
            fail("a code point without a glyph has its own width");
    if (font_has(fm, 0x10000) || font_has(fm, 0x1F600))
        fail("a glyph above U+FFFF");
}

static void same_font(const struct font_metrics *a,
                      const struct font_metrics *b)
{
    if (a->units_per_em != b->units_per_em || a->ascender != b->ascender ||
        a->descender != b->descender || a->cap_height != b->cap_height ||
        a->missing_width != b->missing_width || a->x_height != b->x_height ||
        a->flags != b->flags || a->embedding != b->embedding ||
        memcmp(a->bbox, b->bbox, sizeof a->bbox) != 0 ||
        memcmp(&a->italic_angle, &b->italic_angle, sizeof a->italic_angle) !=
            0 ||
        strcmp(a->ps_name, b->ps_name) != 0 || a->file_len != b->file_len ||
        memcmp(a->width, b->width, 65536 * sizeof *a->width) != 0 ||
        memcmp(a->glyph, b->glyph, 65536 * sizeof *a->glyph) != 0 ||
        memcmp(a->has, b->has, 8192) != 0 ||
        memcmp(a->file, b->file, a->file_len) != 0)
        fail("font_parse and font_load disagree");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = scratch_path();
    write_scratch(path, data, size);
    struct diag d1, d2;
    diag_init(&d1);
    diag_init(&d2);
    struct font_metrics a, b;
    bool ok1 = font_parse(&a, "fuzz.ttf", data, size, &d1);
    bool ok2 = font_load(&b, path, &d2);
    if (ok1 != ok2)
        fail("font_parse and font_load disagree on success");
    if (!ok1) {
        if (d1.errors != 1 || d2.errors != 1 || !is_empty(&a) || !is_empty(&b))
            fail("a failure without one message, or a font left behind");
    } else {
        if (d1.errors || d2.errors)
            fail("a font that parses with an error");
        check_font(&a);
        same_font(&a, &b);
        static const char text[] = "Año 2018: á é í ó ú ñ ü ¿ ¡ € \xF0\x9F\x98"
                                   "\x80 \xC3";
        long w = font_text_units(&a, text, sizeof text - 1);
        if (w < 0)
            fail("negative width");
        font_text_units(&a, (const char *)data, size);
        font_text_width(&a, text, sizeof text - 1, 9);
    }
    font_release(&a);
    font_release(&b);
    diag_release(&d1);
    diag_release(&d2);
    return 0;
}
