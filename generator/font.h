/* font: TrueType metrics read by informe itself (no libharu), once per face
 * per process: advance widths for the Basic Multilingual Plane, vertical
 * metrics, and which code points have a glyph.
 *
 * Widths are kept in thousandths of an em, rounded to integers, because
 * that is what the PDF /W array holds and so what a viewer uses to place
 * glyphs: measuring with the same integers keeps right-aligned text exact. */
#ifndef INFORME_FONT_H
#define INFORME_FONT_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum face {
    FACE_REGULAR,
    FACE_BOLD,
    FACE_ITALIC,
    FACE_BOLD_ITALIC,
    FACE_COUNT
};

struct font_metrics {
    char *path; /* owned */
    uint16_t units_per_em;
    int16_t ascender, descender; /* thousandths of an em (hhea) */
    int16_t cap_height;          /* thousandths of an em (OS/2, or estimate) */
    uint16_t *width; /* 65,536 entries, thousandths of an em; owned */
    uint8_t *has;    /* 8,192-byte bitmap: code point has a glyph; owned */
    uint16_t missing_width; /* width of .notdef */
};

/* Reads the file; on failure reports to d (EXIT_NOINPUT if it cannot be
 * read, EXIT_DATAERR if it is not a usable TrueType font) and returns
 * false with fm released. */
bool font_load(struct font_metrics *fm, const char *path, struct diag *d);
/* Parses a font already in memory (for tests and fuzzing). */
bool font_parse(struct font_metrics *fm, const char *name,
                const unsigned char *data, size_t len, struct diag *d);
void font_release(struct font_metrics *fm);

/* True when the font has a glyph for cp (cp above U+FFFF: never). */
bool font_has(const struct font_metrics *fm, uint32_t cp);
/* Width in thousandths of an em of UTF-8 text (malformed bytes count as
 * U+FFFD); multiply by size/1000 for points. */
long font_text_units(const struct font_metrics *fm, const char *s, size_t n);
/* Width in points at the given size. */
double font_text_width(const struct font_metrics *fm, const char *s, size_t n,
                       double size);

/* The four faces a document uses; loaded once per process. */
struct fontset {
    struct font_metrics face[FACE_COUNT];
};

/* Loads each face from dir/file[i]; a NULL file reuses the regular face. */
bool fontset_load(struct fontset *fs, const char *dir,
                  const char *const file[FACE_COUNT], struct diag *d);
void fontset_release(struct fontset *fs);

#endif
